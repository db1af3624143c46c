package fsm

import (
	lfsm "github.com/looplab/fsm"
)

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
var Edges = lfsm.Events{
	{Name: EvConnect, Src: stopped, Dst: Connecting.String()},
	{Name: EvConnectOffline, Src: stopped, Dst: NetworkUnavailable.String()},
	{Name: EvConnected, Src: names(Connecting), Dst: Connected.String()},
	{Name: EvLost, Src: names(Connected), Dst: Suspend.String()},
	{Name: EvRetry, Src: names(Suspend), Dst: Connecting.String()},
	{Name: EvNetDown, Src: names(Connecting, Connected, Suspend), Dst: NetworkUnavailable.String()},
	{Name: EvNetUp, Src: names(NetworkUnavailable), Dst: Connecting.String()},
	{Name: EvTimeout, Src: names(Connecting, NetworkUnavailable), Dst: Timeout.String()},
	{Name: EvKicked, Src: names(Connecting, Connected), Dst: KickedOffline.String()},
	{Name: EvTokenError, Src: names(Connecting), Dst: TokenIncorrect.String()},
	{Name: EvUserBlocked, Src: names(Connecting, Connected), Dst: UserBlocked.String()},
	{Name: EvOtherError, Src: names(Connecting), Dst: Unconnected.String()},
	{Name: EvDisconnect, Src: names(Connecting, Connected, Suspend, NetworkUnavailable), Dst: SignOut.String()},
}

// edgeTable is Edges as a lookup from (src, dst) to the event name.
var edgeTable = func() map[[2]Status]string {
	m := map[[2]Status]string{}
	for _, e := range Edges {
		dst, _ := ParseStatus(e.Dst)
		for _, s := range e.Src {
			src, _ := ParseStatus(s)
			if src == dst {
				panic("fsm: self-loop in Edges: " + e.Name)
			}
			if _, dup := m[[2]Status{src, dst}]; dup {
				panic("fsm: two events for one edge " + s + " -> " + e.Dst)
			}
			m[[2]Status{src, dst}] = e.Name
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

// NewMachine returns a looplab/fsm machine over Edges, in status
// UNCONNECTED, with no callbacks. Compile reads the core's Table from it,
// and `sim fsm` draws it; clients do not hold one.
func NewMachine() *lfsm.FSM {
	return lfsm.NewFSM(Unconnected.String(), Edges, nil)
}
