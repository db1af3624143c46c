package main

import (
	"fmt"

	"github.com/rcsim/connsim/run"
)

// msgRows adds the message measures to `sim run`'s human summary (only
// when some trial carried messages: otherwise the summary is what it was
// before messages existed). docs/messages.md "What sim run measures".
func msgRows(row func(label, val string), m *run.MsgSummary, trials int) {
	per := func(n int64) string { return fmt.Sprintf("%.3f per trial", float64(n)/float64(trials)) }
	row("messages sent", fmt.Sprintf("%d (%s; normal and status)", m.Sent, per(m.Sent)))
	row("messages shown to apps", fmt.Sprintf("%d (message x device): %d live, %d pulled, %d pulled after a push",
		m.Shown, m.ShownLive, m.ShownPull, m.ShownPush))
	lat := func(label string, q run.Quantiles, n int64) {
		if n == 0 {
			row(label, "none shown")
			return
		}
		row(label, fmt.Sprintf("p50 %s  p90 %s  p99 %s  max %s  (over %d)", ms(q.P50), ms(q.P90), ms(q.P99), ms(q.Max), n))
	}
	lat("latency to the app, live socket", m.Live, m.ShownLive)
	lat("latency to the app, pull", m.Pull, m.ShownPull)
	lat("latency to the app, push then pull", m.Push, m.ShownPush)
	row("stored offline", fmt.Sprintf("%d messages", m.Stored))
	row("dropped after the retention", fmt.Sprintf("%d messages", m.Dropped))
	row("pushes", fmt.Sprintf("%d reached a device (%s); %d of them a device online again", m.Pushes, per(m.Pushes), m.PushedOn))
	row("ghosts (dead session held)", fmt.Sprintf("%d messages", m.Ghosts))
	row("duplicates removed by the SDK", fmt.Sprintf("%d messages", m.Dups))
	row("pulls", fmt.Sprintf("%d (%s, retries included)", m.Pulls, per(m.Pulls)))
}
