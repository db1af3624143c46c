package plots

import (
	"fmt"

	"github.com/rcsim/connsim/fsm"
	"slices"
	"strconv"
	"strings"

	"github.com/rcsim/connsim/trace"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Timeline layout, in rows of the y axis.
const (
	timelineGap   = 0.6            // between the status rows and the lanes
	rowHeight     = 0.42 * vg.Inch // one status row or lane
	timelineW     = 11 * vg.Inch   // figure width
	timelineBase  = 1.9 * vg.Inch  // title, x axis and caption
	devOffset     = 0.1            // vertical offset between devices' status lines
	markRadius    = vg.Length(3.2) // glyph radius, points
	markLabelSize = 8              // mark label size, points
	maxLevels     = 2              // label rows above a lane's glyphs
	labelGapX     = vg.Length(4)   // least gap between two labels of a row
	statusWidth   = vg.Length(2)   // status line width, points
	spanWidth     = vg.Length(5)   // attempt-in-flight bar width, points
)

// Timeline returns the timeline of one trial from its records (as
// sim.World.Recs or trace.ReadJSONL give them, in the order the events
// happened): the status of each device as a step line over the status rows
// (status names and values on the y axis), and under it one lane per kind
// of event, per device:
//
//   - callbacks: onDatabaseOpened, onSuccess, onError with its code;
//   - attempts: each attempt as a bar from its start (▲, labelled #n) to its
//     outcome (● ok, ✕ failed), so the gaps between bars are the
//     reconnection schedule;
//   - lost messages: msg drop records with the message kind (only present
//     in traces recorded with detail);
//   - heartbeats, losses: ping, pong, missed pong, and lost connections;
//
// and one shared lane of scripted events: app calls (Connect, Disconnect,
// Logout), environment changes (net_off, net_change, ...) and server
// changes. Periods with no network are shaded and each call's time limit
// is a dashed vertical line (when it falls within the trial). Only the
// first MaxLaneDevices devices get lanes and a status line of their own;
// the others share one set of lanes, and the caption says so, so that the
// figure's size does not grow with the trace. Labels that
// would overlap are left out; their marks stay. caption should say which
// trial of which run (parameters and seed) this is.
func Timeline(recs []trace.Record, caption string) (*Figure, error) {
	tl, err := buildTimeline(recs)
	if err != nil {
		return nil, err
	}
	nl, ns := len(tl.Lanes), len(tl.Statuses)
	laneY := func(i int) float64 { return float64(nl - 1 - i) }
	statusY := map[fsm.Status]float64{}
	var ticks []plot.Tick
	for i, s := range tl.Statuses {
		y := float64(nl-1) + timelineGap + float64(ns-i)
		statusY[s] = y
		ticks = append(ticks, plot.Tick{Value: y, Label: s.String() + " (" + strconv.Itoa(int(s)) + ")"})
	}
	for i, l := range tl.Lanes {
		ticks = append(ticks, plot.Tick{Value: laneY(i), Label: l.Name})
	}

	p := newPlot("Timeline of one trial", "virtual time since the trial began (s)", "")
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Length = 0
	xmax := tl.End
	if xmax <= 0 {
		xmax = 1
	}
	p.X.Min, p.X.Max = 0, xmax*1.03
	p.Y.Min, p.Y.Max = -0.55, float64(nl-1)+timelineGap+float64(ns)+0.55
	leg := newLegend()

	if len(tl.Offline) > 0 {
		sh := &offlineShade{Windows: tl.Offline}
		p.Add(sh)
		name := "no network"
		if len(tl.Devs) > 1 {
			var devs []string
			for _, w := range tl.Offline {
				d := "dev" + strconv.Itoa(int(w.Dev))
				if !slices.Contains(devs, d) {
					devs = append(devs, d)
				}
			}
			name += " (" + strings.Join(devs, ", ") + ")"
		}
		leg.Add(name, sh)
	}
	// A rule between the status rows and the lanes.
	p.Add(&hline{Y: float64(nl-1) + 0.5 + timelineGap/2})

	// Status lines, one per device, offset so that they do not hide each
	// other.
	for i, l := range tl.Lines {
		off := (float64(i) - float64(len(tl.Lines)-1)/2) * devOffset
		cur := fsm.Unconnected
		pts := plotter.XYs{{X: l.Start, Y: statusY[cur] + off}}
		for _, c := range l.Changes {
			pts = append(pts, plotter.XY{X: c.T, Y: statusY[c.From] + off}, plotter.XY{X: c.T, Y: statusY[c.To] + off})
			cur = c.To
		}
		pts = append(pts, plotter.XY{X: tl.End, Y: statusY[cur] + off})
		ln, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		ln.Color, ln.Width = Color(i), statusWidth
		p.Add(ln)
		name := "status"
		if len(tl.Lines) > 1 {
			name = "status of dev" + strconv.Itoa(int(l.Dev))
		}
		leg.Add(name, ln)
	}

	if len(tl.Spans) > 0 {
		sp := &spans{Spans: tl.Spans, laneY: laneY}
		p.Add(sp)
		leg.Add("attempt in flight", sp)
	}
	mp := &marks{Marks: tl.Marks, laneY: laneY}
	p.Add(mp)
	var present [nMarkKinds]bool
	for _, m := range tl.Marks {
		present[m.Kind] = true
	}
	for k := range nMarkKinds {
		if present[k] {
			leg.Add(markStyles[k].legend, markThumb(k))
		}
	}
	for i, l := range tl.Limits {
		v := &vline{X: l.T, Label: l.Label, Level: i, Top: true}
		p.Add(v)
		if i == 0 {
			leg.Add("time limit", v)
		}
	}
	if n := len(tl.Others); n > 0 {
		caption += fmt.Sprintf("\nThe trace has %d devices: the first %d have lanes of their own; the other %d (dev%d to dev%d) share the \"other devices'\" lanes, and their statuses and outages are not drawn.",
			len(tl.Devs)+n, len(tl.Devs), n, tl.Others[0], tl.Others[n-1])
	}
	h := timelineBase + rowHeight*vg.Length(float64(nl+ns)+timelineGap+0.5)
	return &Figure{Plot: p, Legend: leg, Caption: caption, Width: timelineW, Height: max(h, 5*vg.Inch)}, nil
}
