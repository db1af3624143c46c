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
