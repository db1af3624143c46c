package plots

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/sim"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// trialRecs runs one trial with detail records.
func trialRecs(t *testing.T, trial int, mod func(*model.Params, *model.Knobs)) []trace.Record {
	t.Helper()
	p := model.DefaultParams()
	p.Detail = true
	k := model.NoKnobs()
	mod(&p, &k)
	sc, err := k.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	w := sim.NewWorld(p, sc)
	w.Run(1, trial)
	return w.Recs
}

// checkTimeline checks that the timeline holds every status change of
// recs, per device and in order, a row for every status seen, and one
// mark per attempt, callback, lost message, heartbeat and scripted event.
func checkTimeline(t *testing.T, recs []trace.Record, tl *timeline) {
	t.Helper()
	want := map[int32][]statusChange{}
	counts := map[markKind]int{}
	for _, r := range recs {
		switch r.Kind {
		case trace.KStatus:
			want[r.Dev] = append(want[r.Dev], statusChange{T: r.T.Seconds(), From: r.From, To: r.Status})
			for _, s := range []fsm.Status{r.From, r.Status} {
				if !containsStatus(tl.Statuses, s) {
					t.Errorf("no row for status %v", s)
				}
			}
		case trace.KAttempt:
			if r.Phase == vocab.PhaseStep {
				break // a step inside an attempt: no mark of its own
			}
			counts[map[vocab.Word]markKind{vocab.PhaseStart: mkAttemptStart, vocab.PhaseOK: mkAttemptOK, vocab.PhaseFail: mkAttemptFail}[r.Phase]]++
		case trace.KCallback:
			counts[map[vocab.Word]markKind{vocab.CbDatabaseOpened: mkDBOpened, vocab.CbSuccess: mkSuccess, vocab.CbError: mkError}[r.Name]]++
		case trace.KMsg:
			if r.Op == vocab.MsgDrop {
				counts[mkDrop]++
			}
		case trace.KHeartbeat:
			counts[map[vocab.Word]markKind{vocab.HbPing: mkPing, vocab.HbPong: mkPong, vocab.HbMiss: mkMiss}[r.Op]]++
		case trace.KLost:
			counts[mkLost]++
		}
	}
	for _, d := range tl.Others { // no status line: see MaxLaneDevices
		delete(want, d)
	}
	for _, l := range tl.Lines {
		got := l.Changes
		if len(got) != len(want[l.Dev]) {
			t.Fatalf("dev%d: %d status changes in the timeline, %d in the trace", l.Dev, len(got), len(want[l.Dev]))
		}
		for i := range got {
			if got[i] != want[l.Dev][i] {
				t.Errorf("dev%d change %d: %+v, trace has %+v", l.Dev, i, got[i], want[l.Dev][i])
			}
		}
		delete(want, l.Dev)
	}
	if len(want) > 0 {
		t.Errorf("status changes of devices with no line: %v", want)
	}
	got := map[markKind]int{}
	for _, m := range tl.Marks {
		got[m.Kind]++
		if m.Lane < 0 || m.Lane >= len(tl.Lanes) {
			t.Fatalf("mark %+v in no lane", m)
		}
	}
	for k, n := range counts {
		if got[k] != n {
			t.Errorf("%s: %d marks, %d records", markStyles[k].legend, got[k], n)
		}
	}
}

func containsStatus(ss []fsm.Status, s fsm.Status) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestTimelineLossySchedule(t *testing.T) {
	recs := trialRecs(t, 3, func(p *model.Params, k *model.Knobs) { p.Net.Loss = 0.8; p.TimeLimit = 0 })
	tl, err := buildTimeline(recs)
	if err != nil {
		t.Fatal(err)
	}
	checkTimeline(t, recs, tl)
	if tl.marksOf(mkDrop) == 0 || tl.marksOf(mkAttemptFail) == 0 {
		t.Fatalf("trial has no drop or failed attempt; pick another: %d marks", len(tl.Marks))
	}
	// Every attempt in flight is a span from its start to its outcome.
	if n := tl.marksOf(mkAttemptStart); len(tl.Spans) != n {
		t.Errorf("%d spans for %d attempts", len(tl.Spans), n)
	}
	f, err := Timeline(recs, "loss 0.8, no time limit, trial 3 of seed 1")
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, f)
	want := []string{"Timeline of one trial", "virtual time since the trial began (s)", "loss 0.8, no time limit, trial 3 of seed 1",
		"callbacks", "attempts", "lost messages", "heartbeats, losses", "scripted events",
		"attempt start (#n)", "message lost (kind)", "#1", "#2", "onSuccess", "Connect"}
	for _, s := range tl.Statuses {
		want = append(want, s.String()+" ("+strconv.Itoa(int(s))+")")
	}
	wantTexts(t, svg, want...)
}

func (tl *timeline) marksOf(k markKind) int {
	n := 0
	for _, m := range tl.Marks {
		if m.Kind == k {
			n++
		}
	}
	return n
}

func TestTimelineTimeoutMarksTheLimit(t *testing.T) {
	recs := trialRecs(t, 0, func(p *model.Params, k *model.Knobs) { p.Net.Loss = 0.6 })
	tl, err := buildTimeline(recs)
	if err != nil {
		t.Fatal(err)
	}
	checkTimeline(t, recs, tl)
	if len(tl.Limits) != 1 || tl.Limits[0].T != 5 {
		t.Errorf("limits %+v, want one at 5 s", tl.Limits)
	}
	f, err := Timeline(recs, "")
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, f), "time limit", "onError 34006", "TIMEOUT (14)")
}

func TestTimelineTwoDevicesAndOutage(t *testing.T) {
	recs := trialRecs(t, 0, func(p *model.Params, k *model.Knobs) {
		p.TimeLimit = 0
		k.KickAt = []time.Duration{20 * time.Second}
		k.NetOff = []model.Window{{From: 10 * time.Second, To: 30 * time.Second}}
		k.Until = 60 * time.Second
	})
	tl, err := buildTimeline(recs)
	if err != nil {
		t.Fatal(err)
	}
	checkTimeline(t, recs, tl)
	if len(tl.Devs) != 2 || len(tl.Lines) != 2 {
		t.Fatalf("devices %v, want 2", tl.Devs)
	}
	if len(tl.Offline) != 1 || tl.Offline[0] != (window{T0: 10, T1: 30, Dev: 0}) {
		t.Errorf("outages %+v, want dev0 10 s to 30 s", tl.Offline)
	}
	if len(tl.Lanes) != 9 {
		t.Errorf("%d lanes, want 4 per device and the scripted one", len(tl.Lanes))
	}
	f, err := Timeline(recs, "")
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, f)
	wantTexts(t, svg, "status of dev0", "status of dev1", "dev1 attempts", "no network (dev0)", "dev1 Connect", "dev0 net_off",
		"KICKED_OFFLINE_BY_OTHER_CLIENT (3)")
	if strings.Count(svgText(svg), "scripted events") != 1 {
		t.Error("the scripted lane should be shared")
	}
}

func TestTimelineEmpty(t *testing.T) {
	if _, err := Timeline(nil, ""); err == nil {
		t.Error("an empty trace gave no error")
	}
}

// TestTimelineManyDevicesBounded: a trial of 300 devices (299 kicks) draws
// the first MaxLaneDevices devices' lanes and one shared set for the rest,
// says so in the caption, and keeps the figure's height that of
// MaxLaneDevices+1 devices (it grew with the devices: 300 took over 1 GB).
func TestTimelineManyDevicesBounded(t *testing.T) {
	recs := trialRecs(t, 0, func(p *model.Params, k *model.Knobs) {
		for i := range 299 {
			k.KickAt = append(k.KickAt, time.Duration(100+i)*time.Millisecond)
		}
	})
	tl, err := buildTimeline(recs)
	if err != nil {
		t.Fatal(err)
	}
	checkTimeline(t, recs, tl)
	if len(tl.Devs) != MaxLaneDevices || len(tl.Others) != 300-MaxLaneDevices || len(tl.Lines) != MaxLaneDevices {
		t.Fatalf("%d devices with lanes, %d others, %d status lines; want %d, %d, %d", len(tl.Devs), len(tl.Others), len(tl.Lines), MaxLaneDevices, 300-MaxLaneDevices, MaxLaneDevices)
	}
	if want := 4*(MaxLaneDevices+1) + 1; len(tl.Lanes) != want {
		t.Errorf("%d lanes, want %d", len(tl.Lanes), want)
	}
	f, err := Timeline(recs, "many")
	if err != nil {
		t.Fatal(err)
	}
	if f.Height > 30*72 { // points: 30 inches
		t.Errorf("figure height %v in", f.Height/72)
	}
	wantTexts(t, svgOf(t, f), "other devices' attempts", "the other 292 (dev8 to dev299)")
}
