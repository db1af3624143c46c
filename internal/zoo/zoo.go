// Package zoo is the bug zoo: a catalogue of deliberate bugs (mutants) of
// the model, each with the property that must catch it, to prove that the
// property suite can fail (issue 3). The model's packages (fsm, server,
// sim) ask Is(M) at the one place each mutant changes. The mutants of the
// client core that only corrupt its output (status-twice, db-after-success,
// success-dropped) are not in fsm's handlers: package tamper applies them
// to each Step's effects, in the drivers the zoo runs through.
//
// The switch exists only in a build with the `zoo` tag (switch_on.go):
// there Switch turns one mutant on. In every other build, the shipped
// `sim` binary and a plain `go test` included, Is is the constant false
// (switch_off.go), so the compiler drops every mutant's code and the
// binary holds neither the mutants nor a switch (nor package testing).
// The zoo's own tests (properties: TestZoo; explore:
// TestExhaustiveCatchesZoo, TestExploreZooMonitorsMatchReplay) are tagged
// too; a plain `go test ./properties ./explore` runs them by running `go
// test -tags zoo` on each package (zoo_exec_test.go, with package
// zootest).
//
// Adding a mutant: a constant below, its line in All, and `if zoo.Is(M)`
// at the one place of the model it changes (or a case in tamper.Effects,
// for a corruption of the core's effects alone). TestZoo then requires that
// its property catches it.
package zoo

import "fmt"

// Mutant names one deliberate bug. The zero value, None, is the correct
// model. A mutant's properties are the catalogue's (P1 ...) or, for a bug
// that only the exhaustive explorer's state invariants see (a property
// of the world's memory, not of a trace), the explorer's (I1 ...; see
// Explorer).
type Mutant uint8

// The mutants, each with the property of spec section 10 that must catch it.
const (
	None Mutant = iota
	// CrossTerminal (fsm): an OK answer that arrives after the time limit
	// ran out (the answer and the timeout cross) still gets onSuccess, a
	// second terminal callback (P1, P2).
	CrossTerminal
	// LimitPausedOffline (fsm): losing the network stops the time limit,
	// so a call that goes offline never gets its 34006 (P2).
	LimitPausedOffline
	// DBAfterSuccess (fsm): when the answer beats the local database,
	// onSuccess runs before onDatabaseOpened (P4).
	DBAfterSuccess
	// AttemptAfterTimeout (fsm): the time limit cancels the attempt in
	// flight but leaves the schedule's wait running, so a retry starts
	// after 34006 (P3).
	AttemptAfterTimeout
	// RetryAfterExpire (fsm): 31020 ends the call but a retry is still
	// scheduled (P5).
	RetryAfterExpire
	// NoResetOnNetChange (fsm): a network change leaves a client that waits
	// for its next attempt waiting, on the old streak (P6).
	NoResetOnNetChange
	// StatusTwice (fsm): the change to CONNECTED is delivered twice (P7).
	StatusTwice
	// SecondConnectClears (fsm): a second Connect while the first is
	// pending gets 34001 and clears the first call's callback, which then
	// never gets its terminal callback (spec section 9's hazard; P9).
	SecondConnectClears
	// TwoSessions (server): a login does not kick the device of the same
	// user and platform class that is online (P10).
	TwoSessions
	// NoReconnectAfterHeartbeat (fsm): a connection lost to missed
	// heartbeats stays in SUSPEND for good (P8, liveness).
	NoReconnectAfterHeartbeat
	// MapOrder (sim): the server's replies to one message (a kick push and
	// the new device's answer, block pushes) are sent in Go map order, so
	// the order of messages and loss draws changes from run to run (P11).
	MapOrder
	// ConnectedAfterDisconnect (fsm): Disconnect while an attempt is in
	// flight leaves its answer standing: an OK that arrives later moves
	// SIGN_OUT to CONNECTING and CONNECTED with no Connect (as the real web
	// engine does; P5).
	ConnectedAfterDisconnect
	// SuccessAfterDisconnect (fsm): Disconnect during the first connect
	// keeps the call: an OK answer that arrives later still delivers its
	// onSuccess (as the real web engine does; P12).
	SuccessAfterDisconnect
	// SecondConnectSucceeds (fsm): a second Connect while the first is
	// pending is accepted and takes the connection in progress over: it
	// gets onSuccess, the first call nothing (as the real web engine
	// does, and the multi-connect-clears quirk; P13).
	SecondConnectSucceeds
	// SuccessDropped (fsm): a call that connects on a retry (attempt 2 or
	// later) never gets its onSuccess (P14; P2 too when it has a limit).
	SuccessDropped
	// StatusQueryStale (sim): the app's status query answers the status
	// before the device's last status change (P7).
	StatusQueryStale
	// DBFirstNewToken (fsm): the database opens at db-open after every
	// accepted Connect, whatever the token (the rule before issue 15): a
	// first connect or a new token gets onDatabaseOpened before its
	// onSuccess, or with its onError (P4).
	DBFirstNewToken
	// MultiMobileAll (server): with several mobile devices allowed online,
	// the server stops keeping one session per user for the other
	// platform classes too (P10).
	MultiMobileAll
	// PullNewestFirst (server): the server answers a pull newest first,
	// so the SDK shows the newest message and drops the older ones as
	// duplicates of what it showed: the app never sees them (P15).
	PullNewestFirst
	// PushAfterLogout (server): the server ignores a logout's "no push":
	// a device logged out with push disallowed still gets pushes (P16).
	PushAfterLogout
	// IdleLate (server): the idle check waits twice the idle timeout, so
	// a dead session stays open past the idle timeout plus a heartbeat
	// (P17).
	IdleLate
	// StoreStatus (server): a status message that finds no live session
	// is stored like a normal one (P18).
	StoreStatus
	// WrapperCallback (fsm): under the wrapper API, a Connect that
	// returned a non-zero code still gets its onError (P19).
	WrapperCallback
	// IPCErrorForgets (fsm): a Connect that gets IPC_DISCONNECT (-2)
	// while the IPC link is down is forgotten: the SDK does not connect
	// when the link is back (P6).
	IPCErrorForgets
	// NativeLibIgnored (fsm): a device whose native library is missing
	// connects anyway: its Connect is accepted as usual instead of
	// getting -2 (P5).
	NativeLibIgnored
	// NaviCacheSkipped (fsm): the attempt's anatomy skips the navigation
	// cache check: every attempt asks the navigation service, even with a
	// fresh answer for its token (the explorer's I7; P21).
	NaviCacheSkipped
	// FailoverRestarts (fsm): a refused socket sends the attempt back to
	// the list's first server instead of on to the next, so it never
	// reaches the others (the explorer's I8).
	FailoverRestarts
	// AttemptTimerRearmed (fsm): under attempt full, off web, the socket
	// step arms the attempt timer again, so an attempt that asked the
	// navigation runs up to its round trip past the attempt timeout (P20).
	AttemptTimerRearmed
	// IPCBreakReachesCall (fsm): the IPC link breaking during a first
	// connect's attempt gives the pending call onError(-2), though the SDK
	// goes on reconnecting by itself (the seed's first cause of -2 read as
	// a callback; P22).
	IPCBreakReachesCall
	numMutants
)

// Info describes a mutant for reports.
type Info struct {
	Mutant Mutant
	Name   string   // short name, e.g. "cross-terminal"
	Pkg    string   // the package it changes
	Props  []string // the properties that must catch it ("P1" ...)
	Doc    string   // the bug in one line
}

// All lists every mutant, in order.
var All = []Info{
	{CrossTerminal, "cross-terminal", "fsm", []string{"P1", "P2"}, "an OK answer crossing the timeout still gets onSuccess"},
	{LimitPausedOffline, "limit-paused-offline", "fsm", []string{"P2"}, "losing the network stops the time limit"},
	{DBAfterSuccess, "db-after-success", "fsm", []string{"P4"}, "onDatabaseOpened after onSuccess when the answer beats the database"},
	{AttemptAfterTimeout, "attempt-after-timeout", "fsm", []string{"P3"}, "the time limit leaves the retry wait running"},
	{RetryAfterExpire, "retry-after-31020", "fsm", []string{"P5"}, "31020 still schedules a retry"},
	{NoResetOnNetChange, "no-reset-on-net-change", "fsm", []string{"P6"}, "a network change leaves a waiting client on the old streak"},
	{StatusTwice, "status-twice", "fsm", []string{"P7"}, "CONNECTED is delivered twice"},
	{SecondConnectClears, "second-connect-clears", "fsm", []string{"P9"}, "a second Connect clears the first call's callback"},
	{TwoSessions, "two-sessions", "server", []string{"P10"}, "a login does not kick the other device of its platform"},
	{NoReconnectAfterHeartbeat, "no-reconnect-after-heartbeat", "fsm", []string{"P8"}, "a heartbeat loss is never followed by a reconnection"},
	{MapOrder, "map-order", "sim", []string{"P11"}, "the server's replies go out in map order"},
	{ConnectedAfterDisconnect, "connected-after-disconnect", "fsm", []string{"P5"}, "an answer in flight at Disconnect still connects"},
	{SuccessAfterDisconnect, "success-after-disconnect", "fsm", []string{"P12"}, "an answer in flight at Disconnect still delivers onSuccess"},
	{SecondConnectSucceeds, "second-connect-succeeds", "fsm", []string{"P13"}, "a second Connect while pending takes the connection over and succeeds"},
	{SuccessDropped, "success-dropped", "fsm", []string{"P14"}, "a call connected by a retry never gets onSuccess"},
	{StatusQueryStale, "status-query-stale", "sim", []string{"P7"}, "the status query answers the status before the last change"},
	{DBFirstNewToken, "db-first-new-token", "fsm", []string{"P4"}, "a new token's database opens at Connect, not after onSuccess"},
	{MultiMobileAll, "multi-mobile-all", "server", []string{"P10"}, "multi-mobile lets every platform class, not only mobile, be online twice"},
	{PullNewestFirst, "pull-newest-first", "server", []string{"P15"}, "a pull is answered newest first"},
	{PushAfterLogout, "push-after-logout", "server", []string{"P16"}, "a logout's push=false is ignored"},
	{IdleLate, "idle-late", "server", []string{"P17"}, "the idle check waits twice the idle timeout"},
	{StoreStatus, "store-status", "server", []string{"P18"}, "a status message with no live session is stored"},
	{WrapperCallback, "wrapper-callback", "fsm", []string{"P19"}, "under the wrapper API a connect that returned non-zero still gets onError"},
	{IPCErrorForgets, "ipc-error-forgets", "fsm", []string{"P6"}, "a Connect that got -2 while the IPC link was down is not connected when it is back"},
	{NativeLibIgnored, "native-lib-ignored", "fsm", []string{"P5"}, "a device without its native library connects anyway"},
	{NaviCacheSkipped, "navi-cache-skipped", "fsm", []string{"I7", "P21"}, "every attempt asks the navigation service, even with a fresh cached answer"},
	{FailoverRestarts, "failover-restarts", "fsm", []string{"I8"}, "a refused socket sends the attempt back to the first listed server"},
	{AttemptTimerRearmed, "attempt-timer-rearmed", "fsm", []string{"P20"}, "the socket step after the navigation arms the attempt timer again"},
	{IPCBreakReachesCall, "ipc-break-reaches-call", "fsm", []string{"P22"}, "an IPC break during the first connect gives the call onError(-2), and the SDK goes on"},
}

// Explorer reports whether the properties that must catch the mutant are
// the exhaustive explorer's invariants alone (package explore), not trace
// properties: the rapid suite (properties' TestZoo) leaves it to
// explore's TestExhaustiveCatchesZoo.
func (i Info) Explorer() bool {
	for _, p := range i.Props {
		if p == "" || p[0] != 'I' {
			return false
		}
	}
	return true
}

func (m Mutant) String() string {
	for _, i := range All {
		if i.Mutant == m {
			return i.Name
		}
	}
	if m == None {
		return "none"
	}
	return fmt.Sprintf("mutant(%d)", uint8(m))
}
