package fsm

import (
	"reflect"
	"testing"
	"time"
)

// A clone steps apart from its original; CopyFrom brings it back.
func TestCloneIsIndependent(t *testing.T) {
	c := NewClient(DefaultConfig(), 0)
	storeToken(c, 0) // a returning user: the database opens at Connect
	c.Step(0, Input{Kind: InAddListener, Listener: 1})
	c.Step(0, Input{Kind: InInit})
	c.Step(0, Input{Kind: InConnect, Call: 1, TimeLimit: 5 * time.Second})
	d := c.Clone()
	if !reflect.DeepEqual(c.Snapshot(), d.Snapshot()) {
		t.Fatalf("clone differs: %+v vs %+v", d.Snapshot(), c.Snapshot())
	}
	d.Step(time.Second, Input{Kind: InNetDown})
	d.Step(time.Second, Input{Kind: InAddListener, Listener: 2})
	if c.CurrentStatus() != Connecting || len(c.Listeners()) != 1 {
		t.Fatalf("stepping the clone changed the original: %s, %v", c.CurrentStatus(), c.Listeners())
	}
	if d.CurrentStatus() != NetworkUnavailable {
		t.Fatalf("clone: %s", d.CurrentStatus())
	}
	// The database timer of call 1 fires on both; each opens its own.
	for _, x := range []*Client{c, d} {
		if effs := x.Step(20*time.Millisecond, Input{Kind: InTimer, Timer: TimerDB, Call: 1}); len(effs) != 1 {
			t.Fatalf("db timer: %v", effs)
		}
	}
	d.CopyFrom(c)
	if !reflect.DeepEqual(c.Snapshot(), d.Snapshot()) {
		t.Fatalf("CopyFrom: %+v vs %+v", d.Snapshot(), c.Snapshot())
	}
}

// CopyFrom into a client whose list of listeners and opening databases
// has room copies src's list in place, element by element, and keeps it
// c's own; into one with no room or none, it makes one.
func TestCopyFromLists(t *testing.T) {
	src := NewClient(DefaultConfig(), 0)
	storeToken(src, 0) // the database opens at Connect: src's list is [7, 1]
	src.Step(0, Input{Kind: InAddListener, Listener: 7})
	src.Step(0, Input{Kind: InInit})
	src.Step(0, Input{Kind: InConnect, Call: 1, TimeLimit: 5 * time.Second})
	roomy := NewClient(DefaultConfig(), 0)
	for l := int32(3); l <= 5; l++ {
		roomy.Step(0, Input{Kind: InAddListener, Listener: l})
	}
	for _, tc := range []struct {
		name string
		c    *Client
	}{{"in place", roomy}, {"fresh", &Client{}}} {
		name, c := tc.name, tc.c
		c.CopyFrom(src)
		if !reflect.DeepEqual(c.Listeners(), []int32{7}) || !reflect.DeepEqual(c.dbPending(), []int32{1}) {
			t.Errorf("%s: listeners %v, opening databases %v; want [7], [1]", name, c.Listeners(), c.dbPending())
		}
		c.Step(20*time.Millisecond, Input{Kind: InTimer, Timer: TimerDB, Call: 1})
		if len(c.dbPending()) != 0 || !reflect.DeepEqual(src.dbPending(), []int32{1}) {
			t.Errorf("%s: the copy's database opened: copy %v, src %v; want [], [1]", name, c.dbPending(), src.dbPending())
		}
	}
}
