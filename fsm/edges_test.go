package fsm

import (
	"context"
	"slices"
	"testing"
)

// specStatuses is the table of spec section 3, copied by hand so that a
// change of the published values or names shows up here.
var specStatuses = []struct {
	name  string
	value int
	s     Status
}{
	{"NETWORK_UNAVAILABLE", -1, NetworkUnavailable},
	{"CONNECTED", 0, Connected},
	{"CONNECTING", 1, Connecting},
	{"UNCONNECTED", 2, Unconnected},
	{"KICKED_OFFLINE_BY_OTHER_CLIENT", 3, KickedOffline},
	{"TOKEN_INCORRECT", 4, TokenIncorrect},
	{"CONN_USER_BLOCKED", 6, UserBlocked},
	{"SIGN_OUT", 12, SignOut},
	{"SUSPEND", 13, Suspend},
	{"TIMEOUT", 14, Timeout},
}

// specCodes is the table of spec section 4.
var specCodes = []struct {
	name  string
	value int
	class Class
	c     Code
}{
	{"UNKNOWN", -1, ClassTerminal, Unknown},
	{"IPC_DISCONNECT", -2, ClassTransient, IPCDisconnect},
	{"RC_CONN_ID_REJECT", 31002, ClassTerminal, ConnIDReject},
	{"RC_CONN_TOKEN_INCORRECT", 31004, ClassTerminal, ConnTokenIncorrect},
	{"RC_CONN_NOT_AUTHRORIZED", 31005, ClassTerminal, ConnNotAuthorized},
	{"RC_CONN_APP_BLOCKED_OR_DELETED", 31008, ClassTerminal, ConnAppBlockedOrDeleted},
	{"RC_CONN_USER_BLOCKED", 31009, ClassTerminal, ConnUserBlocked},
	{"RC_CONN_TOKEN_EXPIRE", 31020, ClassTerminal, ConnTokenExpire},
	{"RC_CONN_PROXY_UNAVAILABLE", 31028, ClassTerminal, ConnProxyUnavailable},
	{"RC_CLIENT_NOT_INIT", 33001, ClassMisuse, ClientNotInit},
	{"RC_CONNECTION_EXIST", 34001, ClassMisuse, ConnectionExist},
	{"RC_CONNECT_TIMEOUT", 34006, ClassTerminal, ConnectTimeout},
}

// stoppedStatuses are the statuses outside the connection mechanism.
var stoppedStatuses = []Status{Unconnected, SignOut, Timeout, KickedOffline, TokenIncorrect, UserBlocked}

// edgeSet flattens Edges into (src, dst) -> event, failing on names that are
// not statuses.
func edgeSet(t *testing.T) map[[2]Status]string {
	t.Helper()
	m := map[[2]Status]string{}
	for _, e := range Edges {
		dst, ok := ParseStatus(e.To)
		if !ok {
			t.Fatalf("event %s: unknown destination %q", e.Event, e.To)
		}
		for _, s := range e.From {
			src, ok := ParseStatus(s)
			if !ok {
				t.Fatalf("event %s: unknown source %q", e.Event, s)
			}
			if prev, dup := m[[2]Status{src, dst}]; dup {
				t.Errorf("edge %s->%s has two events: %s and %s", src, dst, prev, e.Event)
			}
			m[[2]Status{src, dst}] = e.Event
		}
	}
	return m
}

func TestStatusTable(t *testing.T) {
	if len(AllStatuses) != len(specStatuses) {
		t.Fatalf("AllStatuses has %d statuses, spec section 3 has %d", len(AllStatuses), len(specStatuses))
	}
	for i, want := range specStatuses {
		if int(want.s) != want.value {
			t.Errorf("%s = %d, spec says %d", want.name, want.s, want.value)
		}
		if got := want.s.String(); got != want.name {
			t.Errorf("Status(%d).String() = %q, want %q", want.value, got, want.name)
		}
		if got, ok := ParseStatus(want.name); !ok || got != want.s {
			t.Errorf("ParseStatus(%q) = %v, %v", want.name, got, ok)
		}
		if AllStatuses[i] != want.s {
			t.Errorf("AllStatuses[%d] = %v, want %v (spec order)", i, AllStatuses[i], want.s)
		}
	}
	if got := Status(5).String(); got != "STATUS(5)" {
		t.Errorf("Status(5).String() = %q", got)
	}
	if got := Status(-7).String(); got != "STATUS(-7)" {
		t.Errorf("Status(-7).String() = %q", got)
	}
	if _, ok := ParseStatus("CONNECTION_LOST"); ok {
		t.Errorf("ParseStatus accepted a name that is not a status")
	}
}

func TestActiveIsNotStopped(t *testing.T) {
	for _, s := range AllStatuses {
		if s.Active() == slices.Contains(stoppedStatuses, s) {
			t.Errorf("%s: Active() = %v, but stopped = %v", s, s.Active(), !s.Active())
		}
	}
}

func TestEveryStatusInEdges(t *testing.T) {
	seen := map[Status]bool{}
	for e := range edgeSet(t) {
		seen[e[0]], seen[e[1]] = true, true
	}
	for _, want := range specStatuses {
		if !seen[want.s] {
			t.Errorf("status %s appears in no edge", want.name)
		}
	}
}

func TestNoSelfLoops(t *testing.T) {
	for _, e := range Edges {
		for _, s := range e.From {
			if s == e.To {
				t.Errorf("event %s is a self-loop on %s", e.Event, s)
			}
		}
	}
}

// TestEdgeEventAgreesWithEdges checks EdgeEvent against the flattened table
// for every pair of statuses, and against the looplab machine for every
// (status, event).
func TestEdgeEventAgreesWithEdges(t *testing.T) {
	set := edgeSet(t)
	for _, src := range AllStatuses {
		for _, dst := range AllStatuses {
			want, wantOK := set[[2]Status{src, dst}]
			got, ok := EdgeEvent(src, dst)
			if got != want || ok != wantOK {
				t.Errorf("EdgeEvent(%s, %s) = %q, %v; Edges say %q, %v", src, dst, got, ok, want, wantOK)
			}
		}
	}
	for _, src := range AllStatuses {
		for _, e := range Edges {
			m := newMachine(Edges)
			m.SetState(src.String())
			can := m.Can(e.Event)
			if can != slices.Contains(e.From, src.String()) {
				t.Errorf("machine in %s: Can(%s) = %v", src, e.Event, can)
			}
			if !can {
				if err := m.Event(context.Background(), e.Event); err == nil {
					t.Errorf("machine in %s accepted %s", src, e.Event)
				}
				continue
			}
			if err := m.Event(context.Background(), e.Event); err != nil {
				t.Errorf("machine in %s: %s: %v", src, e.Event, err)
				continue
			}
			dst, _ := ParseStatus(m.Current())
			if ev, ok := EdgeEvent(src, dst); !ok || ev != e.Event {
				t.Errorf("machine moved %s -%s-> %s, EdgeEvent says %q, %v", src, e.Event, dst, ev, ok)
			}
		}
	}
}

func TestStoppedStatusesConnect(t *testing.T) {
	for _, s := range stoppedStatuses {
		if ev, ok := EdgeEvent(s, Connecting); !ok || ev != EvConnect {
			t.Errorf("EdgeEvent(%s, CONNECTING) = %q, %v; want %q", s, ev, ok, EvConnect)
		}
		if ev, ok := EdgeEvent(s, NetworkUnavailable); !ok || ev != EvConnectOffline {
			t.Errorf("EdgeEvent(%s, NETWORK_UNAVAILABLE) = %q, %v; want %q", s, ev, ok, EvConnectOffline)
		}
		m := newMachine(Edges)
		m.SetState(s.String())
		if err := m.Event(context.Background(), EvConnect); err != nil || m.Current() != Connecting.String() {
			t.Errorf("%s -connect-> %s (%v), want CONNECTING", s, m.Current(), err)
		}
		// Only Connect moves a stopped SDK on (P5).
		for _, dst := range AllStatuses {
			if ev, ok := EdgeEvent(s, dst); ok && ev != EvConnect && ev != EvConnectOffline {
				t.Errorf("stopped status %s leaves by %s to %s", s, ev, dst)
			}
		}
	}
	// Every active status can be left by Disconnect.
	for _, s := range AllStatuses {
		if !s.Active() {
			continue
		}
		if ev, ok := EdgeEvent(s, SignOut); !ok || ev != EvDisconnect {
			t.Errorf("EdgeEvent(%s, SIGN_OUT) = %q, %v", s, ev, ok)
		}
	}
}

func TestTimeoutOnlyFromConnectingOrOffline(t *testing.T) {
	var from []Status
	for _, s := range AllStatuses {
		if ev, ok := EdgeEvent(s, Timeout); ok {
			if ev != EvTimeout {
				t.Errorf("%s -> TIMEOUT by %s", s, ev)
			}
			from = append(from, s)
		}
	}
	want := []Status{NetworkUnavailable, Connecting}
	if !slices.Equal(from, want) {
		t.Errorf("TIMEOUT reachable from %v, want %v", from, want)
	}
}

func TestEveryStatusReachable(t *testing.T) {
	set := edgeSet(t)
	seen := map[Status]bool{Unconnected: true}
	queue := []Status{Unconnected}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for e := range set {
			if e[0] == s && !seen[e[1]] {
				seen[e[1]] = true
				queue = append(queue, e[1])
			}
		}
	}
	for _, s := range AllStatuses {
		if !seen[s] {
			t.Errorf("%s is not reachable from UNCONNECTED", s)
		}
	}
}

func TestMachineStartsUnconnected(t *testing.T) {
	m := newMachine(Edges)
	if m.Current() != Unconnected.String() {
		t.Fatalf("newMachine starts in %s", m.Current())
	}
	got := m.AvailableTransitions()
	slices.Sort(got)
	if want := []string{EvConnect, EvConnectOffline}; !slices.Equal(got, want) {
		t.Errorf("transitions from UNCONNECTED: %v, want %v", got, want)
	}
	// Two machines do not share state.
	m2 := newMachine(Edges)
	if err := m.Event(context.Background(), EvConnect); err != nil {
		t.Fatal(err)
	}
	if m2.Current() != Unconnected.String() {
		t.Errorf("a second machine moved with the first: %s", m2.Current())
	}
}

func TestCodeTable(t *testing.T) {
	if len(AllCodes) != len(specCodes) {
		t.Fatalf("AllCodes has %d codes, spec section 4 has %d", len(AllCodes), len(specCodes))
	}
	for i, want := range specCodes {
		if int(want.c) != want.value {
			t.Errorf("%s = %d, spec says %d", want.name, want.c, want.value)
		}
		if got := want.c.String(); got != want.name {
			t.Errorf("Code(%d).String() = %q, want %q", want.value, got, want.name)
		}
		if got := want.c.Class(); got != want.class {
			t.Errorf("%s.Class() = %v, want %v", want.name, got, want.class)
		}
		if AllCodes[i] != want.c {
			t.Errorf("AllCodes[%d] = %v, want %v (spec order)", i, AllCodes[i], want.c)
		}
	}
	if OK.String() != "OK" || OK.Class() != ClassNone {
		t.Errorf("OK: %q %v", OK.String(), OK.Class())
	}
	if got := Code(12345).String(); got != "CODE(12345)" {
		t.Errorf("Code(12345).String() = %q", got)
	}
	if got := Code(12345).Class(); got != ClassTerminal {
		t.Errorf("an unknown code is %v, want terminal", got)
	}
	for c, want := range map[Class]string{ClassNone: "none", ClassTerminal: "terminal", ClassTransient: "transient", ClassMisuse: "misuse"} {
		if c.String() != want {
			t.Errorf("Class(%d).String() = %q, want %q", c, c.String(), want)
		}
	}
}

func TestStatusAfter(t *testing.T) {
	want := map[Code]Status{
		Unknown:                 Unconnected,
		ConnIDReject:            Unconnected,
		ConnTokenIncorrect:      TokenIncorrect,
		ConnNotAuthorized:       Unconnected,
		ConnAppBlockedOrDeleted: Unconnected,
		ConnUserBlocked:         UserBlocked,
		ConnTokenExpire:         TokenIncorrect,
		ConnProxyUnavailable:    Unconnected,
		ConnectTimeout:          Timeout,
	}
	for _, c := range AllCodes {
		if c.Class() != ClassTerminal {
			continue
		}
		w, ok := want[c]
		if !ok {
			t.Errorf("terminal code %s has no expected status in this test", c)
			continue
		}
		if got := StatusAfter(c); got != w {
			t.Errorf("StatusAfter(%s) = %s, want %s", c, got, w)
		}
		// The status a terminal code leads to is stopped, and reachable
		// from CONNECTING by a published edge.
		if StatusAfter(c).Active() {
			t.Errorf("StatusAfter(%s) = %s is active", c, StatusAfter(c))
		}
		if _, ok := EdgeEvent(Connecting, StatusAfter(c)); !ok {
			t.Errorf("no edge CONNECTING -> %s for %s", StatusAfter(c), c)
		}
	}
}
