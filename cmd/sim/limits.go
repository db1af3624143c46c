package main

import (
	"fmt"
	"strings"

	"github.com/rcsim/connsim/explore"
	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/storm"
)

// limit is one input's accepted range, for the inputs that are not model
// parameters (those are in model.Registry). The "Limits" table of docs/cli.md is
// generated from limitsTable; the checks use the same constants.
type limit struct {
	input, accepted, why string
}

// maxPolicyListGaps is fsm.ParsePolicy's bound on a list: policy
// (TestPolicyListLimit keeps the two equal).
const maxPolicyListGaps = 1000

var limitsTable = []limit{
	{"every duration: model parameters, knob times (`--net-off`, `--kick-at`, ...), script `at`, `time_limit`, token `expires`, sweep grids",
		"0 to " + param.FormatDuration(model.MaxDuration), "the longest horizon; virtual-time sums stay far from int64's 292 years, and the kernel saturates besides"},
	{"`--trials` (run, sweep: per point)", fmt.Sprintf("1 to %d", maxTrials), "about 1.5 minutes of CPU at the defaults (0.7 to 1.0 µs per trial at loss 0, 0.3 to 0.4 µs at loss 0.3, where most trials end at the time limit: `/usr/bin/time sim run --trials 1000000 --workers 1`, 2026-12-06 at e1218d1, `--attempt full`, load 0.5 to 1)"},
	{"`--trial` (trace)", fmt.Sprintf("0 to %d", maxTrials), "any trial a run can list"},
	{"`--workers` (run, sweep)", "1 to 1024", ""},
	{"`--workers` (storm: storms at once)", fmt.Sprintf("1 to %d", storm.MaxPolicies), fmt.Sprintf("one storm per `--policy` entry, each holding all its clients: `--clients` times the storms at once is at most %d", storm.MaxClients)},
	{"`--policy list:D1,D2,...`", fmt.Sprintf("at most %d durations", maxPolicyListGaps), ""},
	{"`--seed`", "0 to 2^64-1", ""},
	{"sweep grid points (`--loss` x `--time-limit`)", fmt.Sprintf("at most %d", grid.MaxPoints), ""},
	{"`--speed` (trace --realtime)", fmt.Sprintf("%g to %g", minSpeed, maxSpeed), "slower, the longest trial would play for over 80 years"},
	{"`--depth` (explore)", fmt.Sprintf("1 to %d", explore.MaxDepth), "the visited-state map must fit in memory"},
	{"repeatable knob flags (`--net-off`, `--net-change-at`, `--ipc-disconnect-at`, `--status-at`)", fmt.Sprintf("at most %d values each", model.MaxKnobValues), ""},
	{"`--kick-at`", fmt.Sprintf("at most %d values", model.MaxDevices-1), "each kick adds a device"},
	{"scenario file size (`--scenario`)", fmt.Sprintf("at most %d bytes (1 MiB); reading stops there", model.MaxScenarioBytes), "`/dev/zero` fails at once"},
	{"devices per scenario", fmt.Sprintf("1 to %d", model.MaxDevices), "about 20 KB of memory per device in a 5-minute trial (TestDeviceMemoryFigures); the trace is kept, so messages add theirs (about 70 KB per device at --msg-rate 0.1)"},
	{"user indexes (`devices[].user`, `tokens[].user`, `blocked_users`, script `user`)", fmt.Sprintf("0 to %d", model.MaxUsers-1), "users are slice indexes"},
	{"tokens per scenario", fmt.Sprintf("at most %d", model.MaxTokens), ""},
	{"app keys per scenario", fmt.Sprintf("1 to %d", model.MaxAppKeys), ""},
	{"script actions (the knobs' included)", fmt.Sprintf("at most %d", model.MaxScriptActions), ""},
	{"listener ids (script `listener`)", fmt.Sprintf("0 to %d", model.MaxListeners-1), ""},
	{"YAML documents per scenario file", "exactly one", ""},
	{"trace records (`sim plot`)", fmt.Sprintf("at most %d", maxPlotRecords), "held in memory with the figure's marks (under 0.5 GB at the limit); a timeline draws 8 devices' lanes and shares one set among the others"},
}

// limitsMarkdown is the limits table of docs/cli.md.
func limitsMarkdown() string {
	var b strings.Builder
	b.WriteString("| input | accepted | why |\n| --- | --- | --- |\n")
	for _, l := range limitsTable {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", l.input, l.accepted, l.why)
	}
	return b.String()
}
