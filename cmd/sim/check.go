package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/infile"
	"github.com/rcsim/connsim/internal/outfile"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/viewer"
)

func newCheckCmd(stdout, stderr io.Writer) *cobra.Command {
	dbOpen := 20 * time.Millisecond
	defaults := properties.DefaultConfig()
	idle, hb, retention, sync := defaults.IdleTimeout, defaults.HBInterval, defaults.Retention, "off"
	var policy, jitter, skip string
	var tolerance time.Duration
	var htmlFile string
	var returning bool
	var multiMobile bool
	profile := "android"
	attempt := model.DefaultParams().Client.Attempt.String()
	attemptTimeout, naviTimeout, naviTTL := defaults.AttemptTimeout, defaults.NaviTimeout, defaults.NaviTTL
	servers, tls := defaults.Servers, defaults.TLS
	cmd := &cobra.Command{
		Use:   "check FILE",
		Short: "Check a JSON Lines trace against the property catalogue",
		Long: `check reads a trace in the JSON Lines format of 'sim trace' (or one
converted from a real SDK's logs; docs/properties.md lists the fields each property
needs), runs every trace property of the catalogue (P1-P7, P9, P10, P12-P22) and
reports each violated property with its first offending record: its line
number in FILE, and the record itself. FILE - reads standard input.

Exit codes: 0 every property holds, 1 a property is violated, 2 the input is
not a valid trace (a one-line error naming the line).

P4's deadline and P6's reconnection policy are the model's defaults; set
--db-open, --policy and --policy-jitter to the parameters the trace was made
with (--policy none: P6 is not checked). P2 and P6 compare times exactly
(34006 exactly at the time limit, each attempt exactly one gap after its
failure; a jittered policy's gap anywhere within its bounds): for logs
whose timestamps jitter, --tolerance D accepts a deviation of up to D (P4's
deadline too).

P4 follows the database rule (docs/model.md): a device's stored token is
the token of its last onSuccess in the trace, so a first connect's
onDatabaseOpened must come after its onSuccess. A log of a user who had
connected before the log begins: --returning takes each device's first
Connect token as stored, so that call's database opens first.

--profile android|ios|web reads the statuses as that SDK publishes them
(a web status record's "code" tells its DISCONNECTED apart) and checks the
profile's contract: its status machine (P7), its schedule (P6: web fixed
5s, a loss retries at once, offline rounds fail and wait), and no database
callback on web (P4). See docs/profiles.md.

The message and liveness properties take the server's parameters, by the
names sim run gives them: --multi-device-sync and --offline-retention
(P15), --server-idle-timeout and --hb-interval (P17: a session of a device
that is not connected closes within the idle timeout plus one heartbeat
interval, plus --tolerance, of the device's last record that can send;
never: P17 is not checked).

The attempt's properties take the attempt's parameters by sim's names:
--attempt-timeout and --navi-timeout (P20: an attempt ends within its
timeout; never: P20 is not checked), --attempt, --navi-ttl, --servers and
--tls (P21: under --attempt full, the steps navi, socket, tls, auth in
order, the navigation only without a fresh cached answer).

Examples:
  sim trace --loss 0.3 --trial 7 | sim check -
  sim check converted-sdk-log.jsonl --db-open never --tolerance 5ms
  sim trace --policy expo:1s,2,60s --policy-jitter full | sim check --policy expo:1s,2,60s --policy-jitter full -
  sim trace --profile web --net-off 10s:30s --until 40s | sim check --profile web -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("internal error checking %s: %v", args[0], p)
				}
			}()
			if tolerance < 0 || tolerance > maxTolerance {
				return usageError{fmt.Errorf("--tolerance must be between 0 and %s (got %s)", maxTolerance, tolerance)}
			}
			prof, err := fsm.ParseProfile(profile)
			if err != nil {
				return usageError{err}
			}
			if !cmd.Flags().Changed("policy") {
				policy = prof.Policy.String() // the profile's default policy
			}
			if policy == "none" && cmd.Flags().Changed("policy-jitter") {
				return usageError{fmt.Errorf("--policy-jitter %s: --policy none checks no schedule, so no jitter applies; drop one of them", jitter)}
			}
			if hb < 0 || hb > model.MaxDuration {
				return usageError{fmt.Errorf("--hb-interval must be between 0 and %s (got %s)", param.FormatDuration(model.MaxDuration), hb)}
			}
			if sync != "on" && sync != "off" {
				return usageError{fmt.Errorf("--multi-device-sync must be on or off (got %q)", sync)}
			}
			cfg := properties.Config{DBOpen: dbOpen, Tolerance: tolerance, Profile: prof, Returning: returning,
				MultiDeviceSync: sync == "on", Retention: retention, IdleTimeout: idle, HBInterval: hb, MultiMobile: multiMobile,
				AttemptTimeout: attemptTimeout, NaviTimeout: naviTimeout, NaviTTL: naviTTL, Servers: servers, TLS: tls}
			if cfg.Policy, err = parseCheckPolicy(policy, jitter); err != nil {
				return usageError{err}
			}
			if err := checkAttemptFlags(&cfg, attempt); err != nil {
				return usageError{err}
			}
			skipped, err := parseSkip(skip)
			if err != nil {
				return usageError{err}
			}
			if err := checkOut("--html", htmlFile); err != nil {
				return err
			}
			in, err := openInput(cmd, args[0])
			if err != nil {
				return usageError{err}
			}
			defer in.Close()
			bw := bufio.NewWriter(stdout)
			if htmlFile != "" {
				in.html = &htmlOut{path: htmlFile, title: "sim check " + args[0]}
			}
			err = checkStream(bw, in, cfg, skipped)
			if ferr := bw.Flush(); ferr != nil && err == nil {
				return ferr
			}
			return err
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.Var(optDur{&dbOpen}, "db-open", "P4: onDatabaseOpened is due this long after its Connect (never: check order and count only)")
	fs.StringVar(&policy, "policy", "rc", "P6: the reconnection policy the trace was made with: "+fsm.PolicyForms+"; none: P6 is not checked")
	fs.StringVar(&jitter, "policy-jitter", "none", "P6: the jitter on top of --policy: "+strings.Join(fsm.JitterNames(), ", "))
	fs.BoolVar(&returning, "returning", false, "P4: each device connected before the trace begins, with the token of its first Connect (its database opens first)")
	fs.DurationVar(&tolerance, "tolerance", 0, "P2, P4, P6, P17: accept times up to this far from the contract's, for logs whose timestamps jitter (0 to 1m; 0: exact)")
	fs.StringVar(&sync, "multi-device-sync", sync, "P15: the server's multi-device sync the trace was made with: on (every device gets every message) or off (one device suffices)")
	fs.Var(optDur{&retention}, "offline-retention", "P15: the server keeps a stored message this long: one sent longer ago and never dropped must have been shown (never: not checked)")
	fs.Var(optDur{&idle}, "server-idle-timeout", "P17: the server closes a session silent this long (never: P17 is not checked)")
	fs.DurationVar(&hb, "hb-interval", hb, "P17: the heartbeat interval, the idle close's slack (0 to 720h)")
	fs.BoolVar(&multiMobile, "multi-mobile", false, "P10: several mobile devices of a user may be online at once (the trace was made with sim --multi-mobile on)")
	fs.Var(optDur{&attemptTimeout}, "attempt-timeout", "P20: an attempt with no answer fails this long after it starts (per socket on web under --attempt full; at least the policy's own, grpc's 20s; never: P20 is not checked)")
	fs.DurationVar(&naviTimeout, "navi-timeout", naviTimeout, "P20: the navigation step's own timeout (--attempt full)")
	fs.StringVar(&attempt, "attempt", attempt, "P21: what an attempt is in the trace: full (navi, socket, tls, auth steps, checked in order) or auth (one round trip: P21 has nothing to check)")
	fs.DurationVar(&naviTTL, "navi-ttl", naviTTL, "P21: a navigation answer is reused this long for its token (0: never)")
	fs.IntVar(&servers, "servers", servers, "P21: how many servers the navigation answer lists (an attempt's sockets at most)")
	fs.IntVar(&tls, "tls", tls, "P21: TLS round trips after a socket opens (0: no tls step)")
	fs.StringVar(&skip, "skip", "", "properties not to check, comma-separated, e.g. P2,P6")
	fs.StringVar(&profile, "profile", profile, "the platform SDK whose contract the trace keeps and whose status names it uses: android, ios or web")
	fs.StringVar(&htmlFile, "html", "", fmt.Sprintf("also write the trace as an interactive page to this file (.html; one file, no network: lanes per device, hover, zoom, search, violations linked to their records; up to %d records)", viewer.MaxRecords))
	return cmd
}

// checkAttemptFlags checks the attempt's flags of sim check and sets
// cfg's attempt mode; the attempt timeout is at least the policy's own
// (fsm.Config.AttemptTimeoutFor).
func checkAttemptFlags(cfg *properties.Config, attempt string) error {
	mode, err := fsm.ParseAttempt(attempt)
	if err != nil {
		return fmt.Errorf("--attempt %v", err)
	}
	cfg.Attempt = mode
	switch {
	case cfg.NaviTimeout <= 0 || cfg.NaviTimeout > model.MaxDuration:
		return fmt.Errorf("--navi-timeout must be between 1ns and %s (got %s)", param.FormatDuration(model.MaxDuration), cfg.NaviTimeout)
	case cfg.NaviTTL < 0 || cfg.NaviTTL > model.MaxDuration:
		return fmt.Errorf("--navi-ttl must be between 0 and %s (got %s)", param.FormatDuration(model.MaxDuration), cfg.NaviTTL)
	case cfg.Servers < 1 || cfg.Servers > fsm.MaxServers:
		return fmt.Errorf("--servers must be between 1 and %d (got %d)", fsm.MaxServers, cfg.Servers)
	case cfg.TLS < 0 || cfg.TLS > fsm.MaxTLS:
		return fmt.Errorf("--tls must be between 0 and %d (got %d)", fsm.MaxTLS, cfg.TLS)
	}
	if cfg.AttemptTimeout > 0 && cfg.Policy != nil {
		cfg.AttemptTimeout = max(cfg.AttemptTimeout, cfg.Policy.ConnectTimeout())
	}
	return nil
}

// maxTolerance bounds --tolerance: a log whose clock is off by more is not
// checked for times (--skip P2,P6).
const maxTolerance = time.Minute

// checkTrace checks the JSON Lines trace data (named name in messages) and
// writes the verdict to w: checkStream over data.
func checkTrace(w io.Writer, name string, data []byte, cfg properties.Config, skip ...string) error {
	return checkStream(w, &input{name: name, r: bytes.NewReader(data),
		reread: func() (io.Reader, error) { return bytes.NewReader(data), nil }}, cfg, skip)
}

// checkStream checks the trace in (one pass through a properties.Monitor,
// holding no record) and writes the verdict to w. It returns nil when
// every property holds, errViolations when one is violated, and a
// usageError when the input is not a valid trace (then w is left
// untouched). Only when a property is violated is the input read a second
// time, for the lines the report quotes.
func checkStream(w io.Writer, in *input, cfg properties.Config, skip []string) error {
	sc := trace.NewScanner(in.r)
	sc.SetProfile(cfg.Profile)
	m := properties.NewMonitor(cfg)
	n := 0
	for sc.Scan() {
		m.Observe(sc.Record())
		if err := m.Err(); err != nil {
			return usageError{fmt.Errorf("%s:%d: %v (split the trace)", in.name, sc.Line(), err)}
		}
		n++
		if in.html != nil {
			if n > viewer.MaxRecords {
				return usageError{fmt.Errorf("--html %s: %s has more than %d records; the page would be too large to open (cut the trace, or draw it with sim plot)", in.html.path, in.name, viewer.MaxRecords)}
			}
			in.html.recs = append(in.html.recs, *sc.Record())
		}
	}
	if err := sc.Err(); err != nil {
		var pe *trace.ParseError
		if errors.As(err, &pe) {
			return usageError{fmt.Errorf("%s:%d: %s", in.name, pe.Line, pe.Msg)}
		}
		return usageError{fmt.Errorf("%s: %v", in.name, err)}
	}
	if n == 0 {
		return usageError{fmt.Errorf("%s: no records (an empty trace)", in.name)}
	}
	vs := slices.DeleteFunc(m.Finish(), func(v properties.Violation) bool {
		return slices.Contains(skip, v.Property)
	})
	if h := in.html; h != nil {
		page := viewer.Page{Title: h.title, Records: h.recs, Violations: vs, Profile: cfg.Profile}
		if err := outfile.Write(h.path, func(w io.Writer) error { return viewer.Write(w, page) }); err != nil {
			return outErr("--html "+h.path, err)
		}
	}
	if len(vs) == 0 {
		writeCheck(w, in.name, n, nil, nil, skip)
		return nil
	}
	firsts := firstViolations(vs)
	lines, err := quotedLines(in, firsts)
	if err != nil {
		return fmt.Errorf("%s: reading it again for the report: %v", in.name, err)
	}
	writeCheck(w, in.name, n, vs, lines, skip)
	return errViolations
}

// firstViolations returns, per property, its first violation (vs is in
// record order).
func firstViolations(vs []properties.Violation) map[string]properties.Violation {
	out := map[string]properties.Violation{}
	for _, v := range vs {
		if _, ok := out[v.Property]; !ok {
			out[v.Property] = v
		}
	}
	return out
}

// input is the trace to check: a reader for the first pass, and a way to
// read it again.
type input struct {
	name   string
	r      io.Reader
	reread func() (io.Reader, error)
	close  func()
	html   *htmlOut // --html: the records kept for the page
}

// htmlOut is sim check's --html page: where it goes and the records read.
type htmlOut struct {
	path, title string
	recs        []trace.Record
}

func (in *input) Close() {
	if in.close != nil {
		in.close()
	}
}

// openInput opens FILE, or standard input for "-". A regular file is
// opened again for the report; anything else (stdin, a pipe, a device) is
// copied, as it is read, to an unlinked temporary file that the report
// reads back.
func openInput(cmd *cobra.Command, arg string) (*input, error) {
	in := &input{name: arg}
	var src io.Reader
	if arg == "-" {
		in.name, src = "stdin", cmd.InOrStdin()
	} else {
		f, err := infile.Open(arg)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", arg, pathErr(err))
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %v", arg, pathErr(err))
		}
		if fi.IsDir() {
			f.Close()
			return nil, fmt.Errorf("%s: is a directory; want a JSON Lines trace file, or - for stdin", arg)
		}
		if fi.Mode().IsRegular() {
			in.r, in.close = f, func() { f.Close() }
			in.reread = func() (io.Reader, error) {
				f.Close()
				g, err := infile.Open(arg)
				if err != nil {
					return nil, pathErr(err)
				}
				f = g
				return g, nil
			}
			return in, nil
		}
		src = f
		in.close = func() { f.Close() }
	}
	spool, err := os.CreateTemp("", "sim-check-*")
	if err != nil {
		return nil, fmt.Errorf("%s: a temporary file to keep the input for the report: %v", in.name, pathErr(err))
	}
	os.Remove(spool.Name()) // unlinked: gone when closed, whatever happens
	closeSrc := in.close
	in.close = func() {
		spool.Close()
		if closeSrc != nil {
			closeSrc()
		}
	}
	in.r = io.TeeReader(src, spool)
	in.reread = func() (io.Reader, error) {
		if _, err := spool.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		return spool, nil
	}
	return in, nil
}

func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// srcLine is where a record comes from: its 1-based line number, as
// trace.Scanner numbers them (blank lines are skipped but counted), and
// the line itself.
type srcLine struct {
	n    int
	text string
}

// quotedLines reads the input again and returns the source line of every
// record the report names: each property's first violation, and the
// records its message refers to.
func quotedLines(in *input, firsts map[string]properties.Violation) (map[int]srcLine, error) {
	want := map[int]bool{}
	for _, v := range firsts {
		want[v.Index] = true
		for _, m := range recordRef.FindAllStringSubmatch(v.Msg, -1) {
			if i, err := strconv.Atoi(m[1]); err == nil {
				want[i] = true
			}
		}
	}
	r, err := in.reread()
	if err != nil {
		return nil, err
	}
	out := map[int]srcLine{}
	br := bufio.NewReaderSize(r, trace.MaxLineBytes+2)
	for line, rec := 1, 0; len(out) < len(want); line++ {
		b, err := br.ReadSlice('\n')
		if len(b) == 0 && err != nil {
			break
		}
		if t := bytes.TrimSpace(b); len(t) > 0 {
			if want[rec] {
				out[rec] = srcLine{line, string(t)}
			}
			rec++
		}
		if err != nil {
			break
		}
	}
	return out, nil
}

// parseSkip parses --skip: ids of properties that have a trace checker.
func parseSkip(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var out []string
	for _, id := range strings.Split(s, ",") {
		id = strings.ToUpper(strings.TrimSpace(id))
		i := slices.IndexFunc(properties.Catalogue, func(p properties.Property) bool { return p.ID == id })
		if i < 0 || properties.Catalogue[i].Check == nil {
			return nil, fmt.Errorf("--skip: invalid value %q: want comma-separated property ids among P1-P7, P9, P10, P12-P22", s)
		}
		out = append(out, id)
	}
	return out, nil
}

// parseCheckPolicy parses --policy and --policy-jitter into P6's policy
// (nil for --policy none).
func parseCheckPolicy(policy, jitter string) (fsm.Policy, error) {
	if policy == "none" {
		return nil, nil
	}
	p, err := fsm.ParsePolicy(policy)
	if err != nil {
		return nil, fmt.Errorf("--policy must be %s, or none (got %q)", fsm.PolicyForms, policy)
	}
	j, err := fsm.ParseJitter(jitter)
	if err != nil {
		return nil, fmt.Errorf("--policy-jitter must be one of %s (got %q)", strings.Join(fsm.JitterNames(), ", "), jitter)
	}
	b, err := fsm.NewBackoff(p, j)
	if err != nil {
		return nil, fmt.Errorf("--policy-jitter %s: %v", jitter, err)
	}
	return b, nil
}

// recordRef matches the checkers' references to other records by index.
var recordRef = regexp.MustCompile(`\brecord (\d+)\b`)

// writeCheck prints the verdict on a trace of n records: for each
// violated property, its first violation with the offending record's line
// and the record (lines holds the records it names).
func writeCheck(w io.Writer, name string, n int, vs []properties.Violation, lines map[int]srcLine, skip []string) {
	lineOf := func(i int) string {
		if l, ok := lines[i]; ok {
			return "line " + strconv.Itoa(l.n)
		}
		return "no line"
	}
	var checked []string
	for _, p := range properties.Catalogue {
		if p.Check != nil && !slices.Contains(skip, p.ID) {
			checked = append(checked, p.ID)
		}
	}
	if len(vs) == 0 {
		fmt.Fprintf(w, "%s: %d records: every property holds (%s)\n", name, n, strings.Join(checked, ", "))
		return
	}
	count := map[string]int{}
	for _, v := range vs {
		count[v.Property]++
	}
	first := firstViolations(vs)
	var bad []string
	for _, id := range checked {
		v, ok := first[id]
		if !ok {
			continue
		}
		bad = append(bad, id)
		msg := recordRef.ReplaceAllStringFunc(v.Msg, func(m string) string {
			i, err := strconv.Atoi(m[len("record "):])
			if err != nil {
				return m
			}
			return lineOf(i)
		})
		where := lineOf(v.Index)
		if v.Index >= 0 && v.Index < n {
			dev := "srv"
			if v.Dev >= 0 {
				dev = "dev" + strconv.Itoa(int(v.Dev))
			}
			where += " (t=" + strconv.FormatFloat(v.T.Seconds(), 'f', -1, 64) + "s " + dev + ")"
		}
		fmt.Fprintf(w, "%s %s: %s: %s\n", id, properties.Name(id), where, msg)
		if l, ok := lines[v.Index]; ok {
			fmt.Fprintf(w, "    %s\n", clip(l.text, 300))
		}
		if k := count[id] - 1; k > 0 {
			fmt.Fprintf(w, "    (and %d more violation%s of %s)\n", k, plural(k), id)
		}
	}
	fmt.Fprintf(w, "%s: %d records: %d propert%s violated (%s)\n", name, n, len(bad),
		map[bool]string{true: "y", false: "ies"}[len(bad) == 1], strings.Join(bad, ", "))
}

// clip returns s, cut to at most n bytes with "..." when longer.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
