// Package properties checks the property catalogue of the connection
// contract (spec section 10) over traces (package trace).
//
// The trace properties (P1-P7, P9, P10, P12-P22) are online monitors: a Monitor is
// fed a trace one record at a time (Observe) and reports the violations at
// the end (Finish), with O(1) state per device, per Connect call and per
// open session and O(1) amortized work per record, so 'sim run' checks
// every trial, 'sim check' a file of any length, and a storm every client,
// with the same code. Check and the CheckPn functions run a Monitor over a
// whole trace (the batch API); a warm Monitor does not allocate on a
// passing trace. Determinism (P11) compares two traces. P8 (eventually
// connected) is a liveness property that needs the trial's inputs; it has
// a catalogue entry but no trace checker (CheckP8 takes them).
//
// Checkers derive every fact from the records themselves, so a trace
// converted from a real SDK's logs can be checked too:
//
//   - Detail records (msg, timer) are ignored; devices are independent
//     except for P10 and for callbacks, which are matched by call id.
//   - A Connect call is rejected when it gets onError with a misuse code
//     (33001, 34001); every other Connect call is accepted.
//   - A terminal callback is onSuccess or onError; a terminal error is an
//     onError whose code's class is terminal (fsm.Code.Class).
//   - A device stops (P5) at a terminal error, a status change to
//     KICKED_OFFLINE_BY_OTHER_CLIENT, TOKEN_INCORRECT, CONN_USER_BLOCKED,
//     UNCONNECTED, TIMEOUT or SIGN_OUT, or a disconnect or logout call, and
//     stays stopped until its next accepted Connect call record.
//   - The schedule (P6) counts transient failures since the last reset: an
//     attempt fail with reason attempt-timeout, unavailable or
//     ipc-disconnect counts one; a lost record with reason heartbeat,
//     ipc-disconnect or gone is failure 1 of a new streak. Resets: accepted
//     connect, attempt ok, env net_on, net_change, foreground, lost or
//     attempt fail with reason network-change. Pauses: env net_off, attempt
//     fail or lost with reason network-down. The network "becomes
//     available again" (spec 5.6-5.7) only after a net_off: net_on while the
//     network is up, and net_change while it is off, are not resets.
//   - The message properties (P15, P16, P18; messages.go) read message
//     records (send, store, push, show, dup, drop) and session records (the
//     server's view), and keep O(1) state per message sent; P17 (idle.go)
//     reads session records and each device's status and the records that
//     can send (call, attempt, lost, heartbeat, status). Their parameters
//     (multi-device sync, retention, idle timeout, heartbeat interval, delay
//     bound) are Config's.
//
// A violation names the first offending record. When the offence is an
// absence (a callback that never came), the record named is the call record
// of the call concerned. Each checker reports one violation per offence, not
// one per later record the offence taints.
package properties
