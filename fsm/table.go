package fsm

import (
	"context"
	"errors"
	"fmt"

	lfsm "github.com/looplab/fsm"
)

// Event is one kind of edge of the status machine, as a small integer: the
// index of its name in eventNames. The client core fires Events; the
// definition (Edges) names them by string.
type Event uint8

// The events, in the order of eventNames.
const (
	evConnect Event = iota
	evConnectOffline
	evConnected
	evLost
	evRetry
	evNetDown
	evNetUp
	evTimeout
	evKicked
	evTokenError
	evUserBlocked
	evOtherError
	evDisconnect
	evRoundFailed // web profile
	evBackground  // ios profile
	numEvents
)

var eventNames = [numEvents]string{
	EvConnect, EvConnectOffline, EvConnected, EvLost, EvRetry, EvNetDown, EvNetUp,
	EvTimeout, EvKicked, EvTokenError, EvUserBlocked, EvOtherError, EvDisconnect,
	EvRoundFailed, EvBackground,
}

func (e Event) String() string {
	if e < numEvents {
		return eventNames[e]
	}
	return fmt.Sprintf("event(%d)", uint8(e))
}

// statusSlots bounds the Status values a Table can hold: -1 .. statusSlots-2.
const statusSlots = 32

// noMove marks an event that is not allowed from a status. No Status has
// this value.
const noMove Status = -128

// Table is a status machine compiled from its looplab/fsm definition into
// a flat lookup: next[s+1][e] is the status event e moves s to, or noMove.
// It is shared by every Client (a Table is never modified after Compile),
// so a client holds only its Status byte, not a looplab machine: NewFSM
// builds maps of about 14 KB, and (*FSM).Event allocates a context per move.
type Table struct {
	next [statusSlots][numEvents]Status
}

// DefaultTable is Edges compiled: the status machine every Client moves
// along unless its Config names another.
var DefaultTable = MustCompile(Edges)

// Compile drives a looplab/fsm machine over edges through every (status,
// event) pair and records where it lands, so the Table is the looplab
// machine's transition function, not a second reading of the edges. Every
// status named in edges must be a known Status, and every event name one
// of the core's events.
func Compile(edges []Edge) (*Table, error) {
	t := &Table{}
	for i := range t.next {
		for e := range t.next[i] {
			t.next[i][e] = noMove
		}
	}
	var states []Status
	seen := map[Status]bool{}
	add := func(name string) error {
		s, ok := ParseStatus(name)
		if !ok {
			return fmt.Errorf("fsm: unknown status %q in the machine", name)
		}
		if int(s)+1 < 0 || int(s)+1 >= statusSlots {
			return fmt.Errorf("fsm: status %s (%d) out of the table's range", s, int(s))
		}
		if !seen[s] {
			seen[s] = true
			states = append(states, s)
		}
		return nil
	}
	for _, ed := range edges {
		if _, ok := eventByName(ed.Event); !ok {
			return nil, fmt.Errorf("fsm: unknown event %q in the machine", ed.Event)
		}
		for _, s := range ed.From {
			if err := add(s); err != nil {
				return nil, err
			}
		}
		if err := add(ed.To); err != nil {
			return nil, err
		}
	}
	if len(states) == 0 {
		return nil, fmt.Errorf("fsm: empty machine")
	}
	m := lfsm.NewFSM(states[0].String(), looplabEvents(edges), nil)
	for _, s := range states {
		for e := range numEvents {
			m.SetState(s.String())
			if !m.Can(eventNames[e]) {
				continue
			}
			if err := m.Event(context.Background(), eventNames[e]); err != nil {
				if errors.As(err, new(lfsm.NoTransitionError)) {
					// looplab's answer to a move onto the same state.
					return nil, fmt.Errorf("fsm: self-loop %s -%s-> %s", s, eventNames[e], s)
				}
				return nil, fmt.Errorf("fsm: %s from %s: %v", eventNames[e], s, err)
			}
			to, _ := ParseStatus(m.Current())
			if to == s {
				return nil, fmt.Errorf("fsm: self-loop %s -%s-> %s", s, eventNames[e], to)
			}
			t.next[int(s)+1][e] = to
		}
	}
	return t, nil
}

// MustCompile is Compile for package-level machines; it panics on error.
func MustCompile(edges []Edge) *Table {
	t, err := Compile(edges)
	if err != nil {
		panic(err)
	}
	return t
}

// Next returns the status event e moves s to, and whether the machine has
// that edge.
func (t *Table) Next(s Status, e Event) (Status, bool) {
	i := int(s) + 1
	if i < 0 || i >= statusSlots || e >= numEvents {
		return 0, false
	}
	to := t.next[i][e]
	return to, to != noMove
}

func eventByName(name string) (Event, bool) {
	for e, n := range eventNames {
		if n == name {
			return Event(e), true
		}
	}
	return 0, false
}
