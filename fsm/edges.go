package fsm

import lfsm "github.com/looplab/fsm"

// Edge is one event of a status machine: Event moves each status named in
// From to the status named To. It is the package's own form of a looplab/fsm
// event description, so that no looplab type appears in fsm's API; looplab
// still defines and compiles the machine (Compile, newMachine).
type Edge struct {
	Event string
	From  []string
	To    string
}

// looplabEvents is edges as looplab/fsm's event table.
func looplabEvents(edges []Edge) lfsm.Events {
	out := make(lfsm.Events, len(edges))
	for i, e := range edges {
		out[i] = lfsm.EventDesc{Name: e.Event, Src: e.From, Dst: e.To}
	}
	return out
}

// Event names of the status machine. Each is one kind of edge.
const (
	EvConnect        = "connect"         // accepted Connect with the network up
	EvConnectOffline = "connect_offline" // accepted Connect with no network
	EvConnected      = "connected"       // an attempt succeeded
	EvLost           = "lost"            // a live connection was lost; the SDK will reconnect
	EvRetry          = "retry"           // the first attempt after a loss starts
	EvNetDown        = "net_down"        // the device lost its network; attempts pause
	EvNetUp          = "net_up"          // the network came back; an attempt starts at once
	EvTimeout        = "timeout"         // timeLimit ran out (34006)
	EvKicked         = "kicked"          // another device of the user and platform took over
	EvTokenError     = "token_error"     // 31004 or 31020
	EvUserBlocked    = "user_blocked"    // 31009, or the user was blocked while connected
	EvOtherError     = "other_error"     // 31002, 31005, 31008, 31028, -1
	EvDisconnect     = "disconnect"      // Disconnect / Logout
)

// stopped lists the statuses in which the SDK is outside the connection
// mechanism: only Connect moves it on.
var stopped = []string{
	Unconnected.String(), SignOut.String(), Timeout.String(), KickedOffline.String(),
	TokenIncorrect.String(), UserBlocked.String(),
}

func names(ss ...Status) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.String()
	}
	return out
}

// Edges is the published state machine: every status change the SDK may
// make, and nothing else. It is the single source of truth for the client
// core (which moves only along these edges, through DefaultTable, compiled
// from the looplab/fsm machine over Edges), for the P7 checker and for the
// state diagram.
//
// Invariant: no edge is a self-loop, so a listener never sees the same
// status twice in a row.
var Edges = []Edge{
	{Event: EvConnect, From: stopped, To: Connecting.String()},
	{Event: EvConnectOffline, From: stopped, To: NetworkUnavailable.String()},
	{Event: EvConnected, From: names(Connecting), To: Connected.String()},
	{Event: EvLost, From: names(Connected), To: Suspend.String()},
	{Event: EvRetry, From: names(Suspend), To: Connecting.String()},
	{Event: EvNetDown, From: names(Connecting, Connected, Suspend), To: NetworkUnavailable.String()},
	{Event: EvNetUp, From: names(NetworkUnavailable), To: Connecting.String()},
	{Event: EvTimeout, From: names(Connecting, NetworkUnavailable), To: Timeout.String()},
	{Event: EvKicked, From: names(Connecting, Connected), To: KickedOffline.String()},
	{Event: EvTokenError, From: names(Connecting), To: TokenIncorrect.String()},
	{Event: EvUserBlocked, From: names(Connecting, Connected), To: UserBlocked.String()},
	{Event: EvOtherError, From: names(Connecting), To: Unconnected.String()},
	{Event: EvDisconnect, From: names(Connecting, Connected, Suspend, NetworkUnavailable), To: SignOut.String()},
}

// edgeTable is Edges as a lookup from (src, dst) to the event name.
var edgeTable = func() map[[2]Status]string {
	m := map[[2]Status]string{}
	for _, e := range Edges {
		dst, _ := ParseStatus(e.To)
		for _, s := range e.From {
			src, _ := ParseStatus(s)
			if src == dst {
				panic("fsm: self-loop in Edges: " + e.Event)
			}
			if _, dup := m[[2]Status{src, dst}]; dup {
				panic("fsm: two events for one edge " + s + " -> " + e.To)
			}
			m[[2]Status{src, dst}] = e.Event
		}
	}
	return m
}()

// EdgeEvent returns the event that moves the machine from src to dst, and
// whether that edge is part of the published machine (P7).
func EdgeEvent(src, dst Status) (string, bool) {
	e, ok := edgeTable[[2]Status{src, dst}]
	return e, ok
}

// newMachine returns a looplab/fsm machine over edges, in status
// UNCONNECTED, with no callbacks (the tests drive it against the Table).
func newMachine(edges []Edge) *lfsm.FSM {
	return lfsm.NewFSM(Unconnected.String(), looplabEvents(edges), nil)
}
