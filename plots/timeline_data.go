package plots

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// statusOrder is the top-to-bottom order of the status rows of the
// timeline: connected at the top, then the statuses of the connection
// mechanism, then the statuses in which the SDK has stopped.
var statusOrder = []fsm.Status{
	fsm.Connected, fsm.Connecting, fsm.Suspend, fsm.NetworkUnavailable,
	fsm.Unconnected, fsm.Timeout, fsm.SignOut, fsm.KickedOffline, fsm.TokenIncorrect, fsm.UserBlocked,
}

// laneKind is a row of event marks under the status rows.
type laneKind uint8

const (
	laneCallbacks  laneKind = iota // onDatabaseOpened, onSuccess, onError
	laneAttempts                   // attempt spans, start, ok, fail
	laneDrops                      // lost messages (msg drop detail records)
	laneHeartbeats                 // ping, pong, miss; lost connections
	laneScripted                   // env, server, and app calls
)

var laneNames = [...]string{"callbacks", "attempts", "lost messages", "heartbeats, losses", "scripted events"}

// markKind is the kind of one mark of the timeline; it fixes the glyph,
// the colour and the legend text (markStyles).
type markKind uint8

const (
	mkAttemptStart markKind = iota
	mkAttemptOK
	mkAttemptFail
	mkDrop
	mkDBOpened
	mkSuccess
	mkError
	mkPing
	mkPong
	mkMiss
	mkLost
	mkScripted
	nMarkKinds
)

// mark is one event of the timeline, drawn in a lane.
type mark struct {
	T     float64 // virtual seconds
	Lane  int     // index into timeline.Lanes
	Kind  markKind
	Label string // "" for none
}

// span is an attempt in flight, from its start to its outcome.
type span struct {
	T0, T1 float64
	Lane   int
}

// statusChange is one status record.
type statusChange struct {
	T        float64
	From, To fsm.Status
}

// statusLine is the status history of one device.
type statusLine struct {
	Dev     int32
	Start   float64 // the device's first record
	Changes []statusChange
}

// window is a time interval with no network on one device.
type window struct {
	T0, T1 float64
	Dev    int32
}

// lane is one row of marks.
type lane struct {
	Kind laneKind
	Dev  int32 // -1: every device (scripted events)
	Name string
}

// limitMark is the moment a Connect call's time limit runs out.
type limitMark struct {
	T     float64
	Label string
}

// timeline is what the timeline figure shows, extracted from a trace.
type timeline struct {
	Devs     []int32      // devices, ascending
	Statuses []fsm.Status // status rows, top to bottom
	Lines    []statusLine // one per device, in Devs order
	Lanes    []lane       // top to bottom
	Marks    []mark       // in record order
	Spans    []span
	Offline  []window
	Limits   []limitMark
	End      float64 // the last record's time
	// Others lists the devices past the first MaxLaneDevices: they share
	// one set of lanes, have no status line and shade no outage, so that
	// the figure's size is bounded whatever the trace holds.
	Others []int32
}

// MaxLaneDevices is how many devices get lanes and a status line of their
// own in a timeline; the marks of the others go to shared lanes ("other
// devices"), which the caption says. It bounds the canvas: a trace of any
// number of devices draws at most 4*MaxLaneDevices+5 lanes.
const MaxLaneDevices = 8

func secs(d time.Duration) float64 { return d.Seconds() }

// buildTimeline extracts the timeline of one trial from its records, in
// the order they happened.
func buildTimeline(recs []trace.Record) (*timeline, error) {
	if len(recs) == 0 {
		return nil, fmt.Errorf("plots: timeline of an empty trace")
	}
	tl := &timeline{End: secs(recs[len(recs)-1].T)}
	calls := 0
	isDev := map[int32]bool{}
	var all []int32 // every device, ascending
	for i := range recs {
		r := &recs[i]
		if r.Dev >= 0 && !isDev[r.Dev] {
			isDev[r.Dev] = true
			all = append(all, r.Dev)
		}
		if r.Kind == trace.KCall && r.Op == vocab.OpConnect {
			calls++
		}
	}
	slices.Sort(all)
	tl.Devs = all[:min(len(all), MaxLaneDevices)]
	tl.Others = all[len(tl.Devs):]
	multi := len(all) > 1
	laneOf := map[[2]int]int{} // (dev, kind) -> index, for the devices with lanes
	for _, d := range tl.Devs {
		for k := laneCallbacks; k <= laneHeartbeats; k++ {
			name := laneNames[k]
			if multi {
				name = "dev" + strconv.Itoa(int(d)) + " " + name
			}
			laneOf[[2]int{int(d), int(k)}] = len(tl.Lanes)
			tl.Lanes = append(tl.Lanes, lane{Kind: k, Dev: d, Name: name})
		}
	}
	others := len(tl.Lanes) // first of the shared lanes of the other devices
	if len(tl.Others) > 0 {
		for k := laneCallbacks; k <= laneHeartbeats; k++ {
			tl.Lanes = append(tl.Lanes, lane{Kind: k, Dev: -2, Name: "other devices' " + laneNames[k]})
		}
	}
	scripted := len(tl.Lanes)
	tl.Lanes = append(tl.Lanes, lane{Kind: laneScripted, Dev: -1, Name: laneNames[laneScripted]})
	at := func(r *trace.Record, k laneKind) int {
		if r.Dev < 0 {
			return scripted
		}
		if ln, ok := laneOf[[2]int{int(r.Dev), int(k)}]; ok {
			return ln
		}
		return others + int(k)
	}
	devPrefix := func(r *trace.Record) string {
		if multi && r.Dev >= 0 {
			return "dev" + strconv.Itoa(int(r.Dev)) + " "
		}
		return ""
	}
	lined := func(dev int32) bool { return len(tl.Others) == 0 || dev <= tl.Devs[len(tl.Devs)-1] }

	seen := map[fsm.Status]bool{fsm.Unconnected: true}
	lineOf := map[int32]int{}
	for _, d := range tl.Devs {
		lineOf[d] = len(tl.Lines)
		tl.Lines = append(tl.Lines, statusLine{Dev: d, Start: -1})
	}
	open := map[int32]float64{}    // dev -> start of the attempt in flight
	offline := map[int32]float64{} // dev -> start of the outage
	add := func(r *trace.Record, ln int, k markKind, label string) {
		tl.Marks = append(tl.Marks, mark{T: secs(r.T), Lane: ln, Kind: k, Label: label})
	}
	for i := range recs {
		r := &recs[i]
		t := secs(r.T)
		if r.Dev >= 0 && lined(r.Dev) && tl.Lines[lineOf[r.Dev]].Start < 0 {
			tl.Lines[lineOf[r.Dev]].Start = t
		}
		switch r.Kind {
		case trace.KStatus:
			if !lined(r.Dev) {
				break
			}
			seen[r.From], seen[r.Status] = true, true
			l := &tl.Lines[lineOf[r.Dev]]
			l.Changes = append(l.Changes, statusChange{T: t, From: r.From, To: r.Status})
		case trace.KAttempt:
			ln := at(r, laneAttempts)
			switch r.Phase {
			case vocab.PhaseStart:
				open[r.Dev] = t
				label := "#" + strconv.Itoa(int(r.N))
				if !lined(r.Dev) {
					label = devPrefix(r) + label
				}
				add(r, ln, mkAttemptStart, label)
			case vocab.PhaseOK, vocab.PhaseFail:
				if t0, ok := open[r.Dev]; ok {
					tl.Spans = append(tl.Spans, span{T0: t0, T1: t, Lane: ln})
					delete(open, r.Dev)
				}
				if r.Phase == vocab.PhaseOK {
					add(r, ln, mkAttemptOK, "")
				} else {
					add(r, ln, mkAttemptFail, "")
				}
			}
		case trace.KCallback:
			ln := at(r, laneCallbacks)
			label := r.Name.String()
			if !lined(r.Dev) {
				label = devPrefix(r) + label
			}
			if r.Name == vocab.CbError {
				label += " " + strconv.Itoa(int(r.Code))
			}
			if calls > 1 {
				label += " (call " + strconv.Itoa(int(r.Call)) + ")"
			}
			switch r.Name {
			case vocab.CbDatabaseOpened:
				add(r, ln, mkDBOpened, label)
			case vocab.CbSuccess:
				add(r, ln, mkSuccess, label)
			default:
				add(r, ln, mkError, label)
			}
		case trace.KMsg:
			if r.Op == vocab.MsgDrop {
				add(r, at(r, laneDrops), mkDrop, r.Msg.String())
			}
		case trace.KHeartbeat:
			ln := at(r, laneHeartbeats)
			switch r.Op {
			case vocab.HbPing:
				add(r, ln, mkPing, "")
			case vocab.HbPong:
				add(r, ln, mkPong, "")
			default:
				add(r, ln, mkMiss, "")
			}
		case trace.KLost:
			add(r, at(r, laneHeartbeats), mkLost, "lost ("+r.Reason.String()+")")
		case trace.KEnv:
			label := r.Op.String()
			if r.Op == vocab.EnvLoss {
				label += " " + strconv.FormatFloat(r.Value, 'g', -1, 64)
			}
			add(r, scripted, mkScripted, devPrefix(r)+label)
			switch r.Op {
			case vocab.EnvNetOff:
				if _, ok := offline[r.Dev]; !ok && (r.Dev < 0 || lined(r.Dev)) {
					offline[r.Dev] = t
				}
			case vocab.EnvNetOn:
				if t0, ok := offline[r.Dev]; ok {
					tl.Offline = append(tl.Offline, window{T0: t0, T1: t, Dev: r.Dev})
					delete(offline, r.Dev)
				}
			}
		case trace.KServer:
			if r.Op != vocab.SrvMark {
				add(r, scripted, mkScripted, r.Op.String())
			}
		case trace.KCall:
			switch r.Op {
			case vocab.OpConnect:
				add(r, scripted, mkScripted, devPrefix(r)+"Connect")
				if r.TimeLimit > 0 && secs(r.T+r.TimeLimit) <= tl.End {
					label := "time limit"
					if calls > 1 {
						label += " of call " + strconv.Itoa(int(r.Call))
					}
					tl.Limits = append(tl.Limits, limitMark{T: secs(r.T + r.TimeLimit), Label: label})
				}
			case vocab.OpDisconnect:
				add(r, scripted, mkScripted, devPrefix(r)+"Disconnect")
			case vocab.OpLogout:
				add(r, scripted, mkScripted, devPrefix(r)+"Logout")
			}
		}
	}
	// Attempts and outages still going on when the trial ended.
	for _, d := range all {
		if t0, ok := open[d]; ok {
			tl.Spans = append(tl.Spans, span{T0: t0, T1: tl.End, Lane: at(&trace.Record{Dev: d}, laneAttempts)})
		}
		if t0, ok := offline[d]; ok {
			tl.Offline = append(tl.Offline, window{T0: t0, T1: tl.End, Dev: d})
		}
	}
	for _, s := range statusOrder {
		if seen[s] {
			tl.Statuses = append(tl.Statuses, s)
		}
	}
	for i := range tl.Lines {
		if tl.Lines[i].Start < 0 {
			tl.Lines[i].Start = 0
		}
	}
	return tl, nil
}
