package trace

import (
	"strings"

	"github.com/rcsim/connsim/fsm"
)

// The names a trace uses, defined once: the simulator writes them, the
// reader accepts exactly these, the checkers and figures read them.
// Callback names, attempt phases, attempt and lost reasons and heartbeat
// ops are the client core's (package fsm, which emits them); the others
// are the trace's own.

// Call ops (KCall): the app's calls.
const (
	OpInit           = "init"
	OpConnect        = "connect"
	OpDisconnect     = "disconnect"
	OpLogout         = "logout"
	OpAddListener    = "add_listener"
	OpRemoveListener = "remove_listener"
)

// Env ops (KEnv): changes of the device environment.
const (
	EnvNetOff        = "net_off"
	EnvNetOn         = "net_on"
	EnvNetChange     = "net_change"
	EnvBackground    = "background"
	EnvForeground    = "foreground"
	EnvIPCDisconnect = "ipc_disconnect"
	EnvLoss          = "loss"
	EnvOSSuspend     = fsm.EnvOSSuspend // the OS froze the app's process (--bg-suspend-after)
)

// Server ops (KServer): scripted server-side changes (and marks). SrvAppKey is written
// with the key's new state: "app_key:wrong".
const (
	SrvTokenExpire     = "token_expire"
	SrvTokenInvalidate = "token_invalidate"
	SrvBlockUser       = "block_user"
	SrvUnblockUser     = "unblock_user"
	SrvAppKey          = "app_key"
	SrvUnavailable     = "unavailable"
	SrvMark            = "mark" // a scripted mark: nothing happens
)

// Session ops (KSession). The reasons a session closes are vocab.Close.
const (
	SessOpen  = "open"
	SessClose = "close"
)

// Message ops (KMsg) and timer ops (KTimer): detail records.
const (
	MsgSend    = "send"
	MsgDeliver = "deliver"
	MsgDrop    = "drop"
	TimerSet   = "set"
	TimerFire  = "fire"
)

// Callback names (KCallback).
const (
	OnDatabaseOpened = fsm.CbDatabaseOpened
	OnSuccess        = fsm.CbSuccess
	OnError          = fsm.CbError
)

// Attempt phases (KAttempt).
const (
	PhaseStart = fsm.PhaseStart
	PhaseOK    = fsm.PhaseOK
	PhaseFail  = fsm.PhaseFail
)

// Attempt start and fail reasons (KAttempt) and lost reasons (KLost).
const (
	ReasonConnect        = fsm.ReasonConnect
	ReasonSchedule       = fsm.ReasonSchedule
	ReasonNetworkUp      = fsm.ReasonNetworkUp
	ReasonNetworkChange  = fsm.ReasonNetworkChange
	ReasonForeground     = fsm.ReasonForeground
	ReasonAttemptTimeout = fsm.ReasonAttemptTimeout
	ReasonUnavailable    = fsm.ReasonUnavailable
	ReasonIPC            = fsm.ReasonIPC
	ReasonNetworkDown    = fsm.ReasonNetworkDown
	ReasonCancelled      = fsm.ReasonCancelled
	ReasonError          = fsm.ReasonError
	ReasonKicked         = fsm.ReasonKicked
	ReasonHeartbeat      = fsm.ReasonHeartbeat
	ReasonGone           = fsm.ReasonGone
	ReasonReconnect      = fsm.ReasonReconnect
	ReasonBackground     = fsm.ReasonBackground
	ReasonOSSuspended    = fsm.ReasonOSSuspended
)

// Heartbeat ops (KHeartbeat).
const (
	HbPing = fsm.HbPing
	HbPong = fsm.HbPong
	HbMiss = fsm.HbMiss
)

// End reasons (KEnd).
const (
	EndSettled = "settled" // every Connect call has had its end and nothing is pending
	EndHorizon = "horizon" // the trial reached its horizon
	EndIdle    = "idle"    // nothing was left to happen: no timer, message or scripted event
)

// opNames lists, per kind, the ops a record of that kind may have; a kind
// with none listed takes any op (msg and timer detail records are read by
// no checker and stay open to converters).
var opNames = map[Kind][]string{
	KCall:      {OpInit, OpConnect, OpDisconnect, OpLogout, OpAddListener, OpRemoveListener},
	KEnv:       {EnvNetOff, EnvNetOn, EnvNetChange, EnvBackground, EnvForeground, EnvIPCDisconnect, EnvLoss, EnvOSSuspend},
	KServer:    {SrvTokenExpire, SrvTokenInvalidate, SrvBlockUser, SrvUnblockUser, SrvAppKey + ":STATE", SrvUnavailable, SrvMark},
	KSession:   {SessOpen, SessClose},
	KHeartbeat: {HbPing, HbPong, HbMiss},
}

// Names lists the accepted values of a field: callback names and attempt
// phases.
var (
	CallbackNames = []string{OnDatabaseOpened, OnSuccess, OnError}
	Phases        = []string{PhaseStart, PhaseOK, PhaseFail}
)

// KnownOp reports whether op is an op of kind k (for kinds with a fixed
// set; any op is known for the others).
func KnownOp(k Kind, op string) bool {
	ops, ok := opNames[k]
	if !ok {
		return true
	}
	if k == KServer {
		if state, ok := strings.CutPrefix(op, SrvAppKey+":"); ok {
			return state != ""
		}
	}
	for _, o := range ops {
		if o == op {
			return true
		}
	}
	return false
}

// OpNames returns the ops of kind k, nil for a kind that takes any op.
func OpNames(k Kind) []string { return opNames[k] }

// needsDev reports whether records of kind k belong to a device (their
// "dev" is required).
func needsDev(k Kind) bool {
	switch k {
	case KCall, KCallback, KStatus, KAttempt, KLost, KEnv, KSession, KHeartbeat:
		return true
	}
	return false
}
