package storm

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/properties"
)

// Quantiles are the reconnection shares the summary reports.
var Quantiles = []float64{0.5, 0.9, 0.99, 1}

// Labelled is one storm of a run with its label (e.g. "policy rc").
type Labelled struct {
	Label string
	*Result
}

// WriteText writes the human summary of the storms to w.
func WriteText(w io.Writer, runs []Labelled) error {
	p := runs[0].Params
	fmt.Fprintf(w, "sim storm: %d clients, seed %d, %s, loss %g, latency %v, login spread %v, horizon %v\n",
		p.Clients, p.Seed, outageText(p), p.Model.Net.Loss, p.Model.Net.Latency, p.LoginSpread, p.Model.Horizon)
	fmt.Fprintf(w, "  server: %d workers, %s service time %v, accept queue %d, %s\n",
		p.Workers, p.ServiceDist, p.Service, p.Queue, rateText(p))
	if len(runs) == 1 {
		fmt.Fprintf(w, "  policy %s\n", p.Model.Client.Backoff())
	}
	from := "the outage's end"
	if !p.outage() {
		from = "t=0"
	}
	for _, r := range runs {
		if r.Label != "" {
			fmt.Fprintf(w, "%s\n", r.Label)
		}
		row := func(k, v string, args ...any) { fmt.Fprintf(w, "  %-34s %s\n", k, fmt.Sprintf(v, args...)) }
		var ts string
		for _, q := range Quantiles {
			ts += fmt.Sprintf("  %s %s", pct(q), quantText(r.Result, q))
		}
		row("connected, time since "+from, "%s", ts[2:])
		row("still down at the horizon", "%d (%.2f%%)", r.DownAtHorizon, 100*float64(r.DownAtHorizon)/float64(p.Clients))
		peak, at := r.PeakAttempts()
		if peak > 0 {
			row("attempts", "%d total, peak %.0f/s at t=%s (%v bins)", r.Stats.Attempts, peak, secs(at), p.Bin)
		} else {
			row("attempts", "%d total, no peak", r.Stats.Attempts)
		}
		if p.outage() {
			if peak, at := r.PeakAttemptsFrom(r.Since); peak > 0 {
				row("attempts after the outage's end", "peak %.0f/s at t=%s", peak, secs(at))
			} else {
				row("attempts after the outage's end", "none")
			}
		}
		st := r.Stats
		row("refused attempts", "%d (outage %d, queue full %d, rate limit %d)", st.Refused(), st.RefusedOutage, st.RefusedQueue, st.RefusedRate)
		if st.DroppedOutage > 0 {
			row("attempts dropped by the outage", "%d", st.DroppedOutage)
		}
		row("handshakes", "%d served, %d wasted (%s; the client had given up)", st.Served, st.Wasted, share(st.Wasted, st.Served))
		row("server utilization", "%.2f%% over the horizon, %.1f%% in the busiest bin", 100*r.Utilization(), 100*peakUtil(r.Rows))
		row("terminal errors (onError)", "%d", st.Errors)
		if r.Msg != nil {
			writeMsgText(row, r.Result)
		}
		row("property violations", "%d  (%s on every client's records)", r.Violations, properties.TraceRange())
		for _, v := range r.Violated {
			fmt.Fprintf(w, "    client %d: %s\n", v.Dev, v)
		}
		row("events", "%d", st.Events)
	}
	return nil
}

func outageText(p Params) string {
	if !p.outage() {
		return "no outage"
	}
	what := map[OutageKind]string{OutageServer: "server restart (attempts refused)",
		OutageServerSilent: "server host gone (attempts unanswered)", OutageNetwork: "network outage",
		OutageNavi: "navigation service down (navigation refused)"}[p.OutageKind]
	return fmt.Sprintf("%s %s-%s", what, secs(p.OutageFrom), secs(p.OutageTo))
}

func rateText(p Params) string {
	if p.Rate <= 0 {
		return "no rate limit"
	}
	return fmt.Sprintf("rate limit %g/s (burst %g)", p.Rate, p.burst())
}

func quantText(r *Result, q float64) string {
	if d, ok := r.TimeTo(q); ok {
		return secs(d)
	}
	return "not reached"
}

func pct(q float64) string { return strconv.FormatFloat(100*q, 'g', -1, 64) + "%" }

func secs(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + "s" }

func share(a, b int64) string {
	if b == 0 {
		return "0.00%"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(a)/float64(b))
}

func peakUtil(rows []Row) float64 {
	m := 0.0
	for _, r := range rows {
		m = max(m, r.Utilization)
	}
	return m
}

// secsIf is d in seconds, or nil (JSON null) when there is no such time.
func secsIf(ok bool, d time.Duration) *float64 {
	if !ok {
		return nil
	}
	s := d.Seconds()
	return &s
}

// jsonRun is one storm in --json output. Times are in seconds.
type jsonRun struct {
	Label           string              `json:"label"`
	TimeToS         map[string]*float64 `json:"time_to_connected_s"`
	DownAtHorizon   int                 `json:"down_at_horizon"`
	Attempts        int64               `json:"attempts"`
	PeakAttemptsPS  float64             `json:"peak_attempts_per_s"`
	PeakAtS         *float64            `json:"peak_at_s"` // null: no attempt
	PeakAfterPS     float64             `json:"peak_attempts_after_outage_per_s"`
	PeakAfterAtS    *float64            `json:"peak_after_outage_at_s"` // null: no attempt after the outage
	Refused         int64               `json:"refused"`
	RefusedOutage   int64               `json:"refused_outage"`
	RefusedQueue    int64               `json:"refused_queue_full"`
	RefusedRate     int64               `json:"refused_rate_limit"`
	DroppedOutage   int64               `json:"dropped_outage"`
	Served          int64               `json:"handshakes_served"`
	Wasted          int64               `json:"handshakes_wasted"`
	Utilization     float64             `json:"utilization"`
	PeakUtilization float64             `json:"peak_bin_utilization"`
	Errors          int64               `json:"errors"`
	Violations      int                 `json:"violations"`
	Violated        []string            `json:"violations_first"`
	Events          int64               `json:"events"`
	Messages        *jsonMsg            `json:"messages,omitempty"`
}

// WriteJSON writes the storms as one JSON object to w.
func WriteJSON(w io.Writer, runs []Labelled) error {
	p := runs[0].Params
	p.Policies = nil // every storm's policy, in order
	for _, r := range runs {
		p.Policies = append(p.Policies, r.Params.Policies...)
	}
	params := append(param.Object{{Key: "seed", Value: p.Seed}}, withoutMsgParams(Registry.JSON(&p), &p)...)
	out := struct {
		Params param.Object `json:"params"`
		Runs   []jsonRun    `json:"runs"`
	}{Params: params}
	for _, r := range runs {
		peak, at := r.PeakAttempts()
		pa, paAt := r.PeakAttemptsFrom(r.Since)
		st := r.Stats
		j := jsonRun{PeakAfterPS: pa, PeakAfterAtS: secsIf(pa > 0, paAt), Label: r.Label, TimeToS: map[string]*float64{}, DownAtHorizon: r.DownAtHorizon,
			Attempts: st.Attempts, PeakAttemptsPS: peak, PeakAtS: secsIf(peak > 0, at), Refused: st.Refused(),
			RefusedOutage: st.RefusedOutage, RefusedQueue: st.RefusedQueue, RefusedRate: st.RefusedRate,
			DroppedOutage: st.DroppedOutage, Served: st.Served, Wasted: st.Wasted, Utilization: r.Utilization(),
			PeakUtilization: peakUtil(r.Rows), Errors: st.Errors, Events: st.Events, Violations: r.Violations,
			Violated: []string{}, Messages: msgJSON(r.Result)}
		for _, v := range r.Violated {
			j.Violated = append(j.Violated, v.String())
		}
		for _, q := range Quantiles {
			var v *float64
			if d, ok := r.TimeTo(q); ok {
				s := d.Seconds()
				v = &s
			}
			j.TimeToS["p"+strconv.FormatFloat(100*q, 'g', -1, 64)] = v
		}
		out.Runs = append(out.Runs, j)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// SeriesHeader is the time series CSV's header.
var SeriesHeader = []string{"label", "t_s", "connected", "connecting", "waiting", "offline",
	"attempts", "refused", "queue", "queue_max", "utilization"}

// WriteSeriesCSV writes every storm's time series, one row per bin, to w.
func WriteSeriesCSV(w io.Writer, runs []Labelled) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(seriesHeader(runs)); err != nil {
		return err
	}
	itoa := strconv.Itoa
	for _, r := range runs {
		for i, row := range r.Rows {
			rec := []string{r.Label, strconv.FormatFloat(row.T.Seconds(), 'f', -1, 64),
				itoa(row.Connected), itoa(row.Connecting), itoa(row.Waiting), itoa(row.Offline),
				itoa(row.Attempts), itoa(row.Refused), itoa(row.Queue), itoa(row.QueueMax),
				strconv.FormatFloat(row.Utilization, 'f', 6, 64)}
			rec = append(rec, msgSeriesCells(r.Result, i)...)
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
