// Package trace defines the records a simulated trial produces, their JSON
// Lines and text encodings, and a reader for JSON Lines traces.
//
// A trace is the complete observable history of one trial, in the order the
// events happened. Properties (package properties) are checked over traces
// only, so a trace converted from a real SDK's logs can be checked as well.
package trace

import (
	"time"
	"unsafe"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// Kind is the kind of a record.
type Kind uint8

// Record kinds. The JSON name of each is in kindNames.
const (
	KCall      Kind = iota + 1 // the app called the SDK: Op is init|connect|disconnect|logout|add_listener|remove_listener|status (Status: the answer)
	KCallback                  // a ConnectCallback method ran: Name, Code, Call
	KStatus                    // the status changed: Status, From, Listeners (how many listeners were told)
	KAttempt                   // an attempt started, succeeded or failed: N, Phase, Reason, Streak, Auto, Seq
	KLost                      // a live connection was lost (heartbeat, IPC, network change): Reason
	KEnv                       // the device environment changed: Op is net_off|net_on|net_change|background|foreground|ipc_disconnect|loss; Value
	KServer                    // a scripted server-side change: Op is token_expire|token_invalidate|block_user|unblock_user|block_app|unavailable; Token, User, Value
	KSession                   // the server opened or closed a session: Op is open|close; User, Platform, Seq, Reason
	KMsg                       // detail: a message was sent, delivered or dropped: Op, Msg, Seq, Code, Reason
	KTimer                     // detail: a timer was set or fired: Op is set|fire; Timer, At
	KHeartbeat                 // a heartbeat ping was sent, a pong came, or a pong was missed: Op, Seq
	KEnd                       // the trial ended: Reason is settled|horizon|idle
	KMessage                   // an IM message (spec section 12): Op is send|store|push|show|dup|drop; User, ID, Conv, Msg (normal|status), Reason (show: live|pull|push; drop: retention)
)

var kindNames = [...]string{"", "call", "callback", "status", "attempt", "lost", "env", "server", "session", "msg", "timer", "heartbeat", "end", "message"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "?"
}

// ParseKind returns the kind with JSON name s.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if i > 0 && n == s {
			return Kind(i), true
		}
	}
	return 0, false
}

// Detail reports whether records of this kind are detail records: emitted
// only when the recorder asks for detail (sim trace), never needed by a
// property checker.
func (k Kind) Detail() bool { return k == KMsg || k == KTimer }

// Bytes returns the memory of rs as a string, without copying: records
// equal as bytes are equal records (a Record has no padding), and equal
// records are equal bytes but for a Value of NaN or -0. Its users compare
// traces so: the checkers' memo of passing traces, a replay's trace.
func Bytes(rs []Record) string {
	return unsafe.String((*byte)(unsafe.Pointer(unsafe.SliceData(rs))), uintptr(len(rs))*unsafe.Sizeof(Record{}))
}

// Record is one event of a trial. It is a flat value: which fields are
// meaningful depends on Kind (see the Kind constants). Its names are
// vocab.Words, one byte each, so building a record copies bytes and does
// not allocate; the JSON and text encodings write their texts.
//
// The fields are ordered by size, so that a record packs into 88 bytes
// (TestRecordSize): a trial appends about a dozen of them.
type Record struct {
	T         time.Duration // virtual time since the trial began
	TimeLimit time.Duration // the call's timeLimit (KCall connect); <= 0 means none
	At        time.Duration // when a timer falls due (KTimer set)
	Value     float64       // loss (KEnv loss), probability (KServer unavailable), listed server (KServer server_down, server_up)

	Dev       int32    // the device; -1 for records of the server alone
	Call      int32    // Connect call id (KCall connect, KCallback)
	Code      fsm.Code // callback code, reply code; the wrapper API's return code (KCall connect)
	Listeners int32    // listeners told (KStatus); listener id (KCall add/remove_listener)
	N         int32    // attempt number within the call (KAttempt)
	Streak    int32    // transient failures in the current streak after this record (KAttempt)
	Seq       uint32   // attempt/session/heartbeat sequence number
	Token     int32    // token index (KCall connect, KServer)
	User      int32    // user index (KSession, KServer)
	ID        uint32   // message id, per user from 1 (KMessage)
	Conv      int32    // conversation (KMessage send, show)

	Kind     Kind
	Op       vocab.Word // call op, env/server/session/msg/timer/heartbeat/message op
	Name     vocab.Word // callback name: onDatabaseOpened|onSuccess|onError
	Phase    vocab.Word // attempt phase: start|ok|fail|step
	Reason   vocab.Word // why: attempt start/fail reason or step, lost reason, session close reason, end reason, msg drop reason, message path
	Msg      vocab.Word // message kind (KMsg: fsm.MsgKind.Word; KMessage: normal|status)
	Timer    vocab.Word // timer name (KTimer: fsm.TimerKind.Word)
	Platform vocab.Word // platform class (KSession)

	Status fsm.Status // new status (KStatus); the answer (KCall status)
	From   fsm.Status // previous status (KStatus)
	Auto   bool       // automatic reconnection (KAttempt)
	Push   bool       // receivePush (KCall disconnect, logout; KSession close)
}
