package fsm

import (
	"time"

	"github.com/rcsim/connsim/vocab"
)

// InputKind names an input of the client core. Every input reaches the core
// through Client.Step: app calls, timer expiries, received messages and
// changes of the device environment.
type InputKind uint8

// Inputs.
const (
	InInit           InputKind = iota + 1 // Init(appKey): AppKey
	InConnect                             // Connect(token, timeLimit, cb): Call, Token, TimeLimit
	InDisconnect                          // Disconnect(receivePush): Push. Logout() is Disconnect(false).
	InAddListener                         // AddStatusListener: Listener
	InRemoveListener                      // RemoveStatusListener: Listener
	InTimer                               // a timer the core set fell due: Timer, Gen, Call
	InRecv                                // a message from the server arrived: Msg
	InNetDown                             // the device lost its network
	InNetUp                               // the network came back
	InNetChange                           // the network type changed (e.g. wifi to cellular) while up
	InForeground                          // the app returned to the foreground
	InBackground                          // the app went to the background
	InIPCDisconnect                       // the SDK's process link broke (-2): transient
)

// TimerKind names one of the core's timers. At most one timer of each kind
// is live at a time, except TimerDB, of which each accepted call has its own.
type TimerKind uint8

// Timers.
const (
	TimerDB           TimerKind = iota + 1 // the local database of call Call is open
	TimerLimit                             // the call's timeLimit ran out
	TimerAttempt                           // the attempt in flight got no answer in time
	TimerRetry                             // the schedule's wait is over: next attempt
	TimerPing                              // heartbeat interval since the last pong: ping
	TimerPong                              // the ping's pong did not come in time
	TimerBgDisconnect                      // the app has been in the background BgDisconnectAfter: the SDK disconnects
	TimerBgSuspend                         // the app has been in the background BgSuspendAfter: the OS freezes it
	TimerNavi                              // the attempt's navigation request got no answer within NaviTimeout (attempt full)
	TimerIPCBack                           // the link to the connection process is back, IPCDownFor after it broke
	numTimers
)

// timerWords are the timers' names in a trace (KTimer's timer).
var timerWords = [...]vocab.Word{vocab.MsgUnknown, vocab.TimerDB, vocab.TimerLimit, vocab.TimerAttempt, vocab.TimerRetry, vocab.TimerPing, vocab.TimerPong,
	vocab.TimerBgDisconnect, vocab.TimerBgSuspend, vocab.TimerNavi, vocab.TimerIPCBack}

// Word returns the timer's name in a trace (vocab.MsgUnknown, "?", for no
// timer).
func (k TimerKind) Word() vocab.Word {
	if int(k) < len(timerWords) {
		return timerWords[k]
	}
	return vocab.MsgUnknown
}

func (k TimerKind) String() string { return k.Word().String() }

// Input is one input to the core. It is a flat value; which fields matter
// depends on Kind.
type Input struct {
	Kind      InputKind
	AppKey    int32
	Call      int32 // Connect: the id the app's driver gave this call (unique per trial)
	Token     int32
	TimeLimit time.Duration // <= 0: no limit
	Push      bool
	Listener  int32
	Timer     TimerKind
	Gen       uint32
	Msg       Msg
}

// EffectKind names an effect: something the core asks its driver to do or
// to report.
type EffectKind uint8

// Effects.
const (
	EffTimer     EffectKind = iota + 1 // set timer Timer to fire at At with Gen (and Call for TimerDB); a later set of the same kind supersedes it
	EffSend                            // send Msg to the server
	EffCallback                        // run ConnectCallback method Name of call Call with Code
	EffStatus                          // the status changed From -> To; tell every listener once
	EffAttempt                         // an attempt started / succeeded / failed (Phase, Reason, N, Streak, Seq, Code)
	EffLost                            // a live connection was lost (Reason)
	EffHeartbeat                       // heartbeat ping sent, pong received or pong missed (Phase, Seq)
	EffEnv                             // the OS acted on the app (Phase: vocab.EnvOSSuspend, EnvIPCBack, EnvNoNativeLib, EnvBgDisconnect); recorded like an environment change
)

// Effect is one effect. Its names (Name, Phase, Reason) are vocab.Words,
// so an effect is built and copied into a record byte by byte and does
// not allocate. The fields are ordered by size: an effect is 88 bytes
// (TestEffectSize), and a step appends a few.
type Effect struct {
	At     time.Duration
	Msg    Msg
	Gen    uint32
	Call   int32
	Code   Code
	N      int32
	Streak int32
	Seq    uint32
	Kind   EffectKind
	Timer  TimerKind
	Name   vocab.Word // callback name
	Phase  vocab.Word // attempt phase; heartbeat op; env op (EffEnv)
	Reason vocab.Word // attempt reason or step, lost reason
	From   Status
	To     Status
	Auto   bool
}
