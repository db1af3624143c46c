package vocab

// The names a trace uses, defined once as Words: the worlds write them,
// the trace reader accepts exactly these (package trace lists which ops
// each record kind takes), the checkers and figures read them.
//
// Each text is declared once, in the first block its first role puts it
// (the iota blocks below); a constant of another role with the same text
// is that Word again (ReasonConnect is OpConnect), so that words equal as
// text are equal as Words and a record's field compares with either.

// Call ops (KCall): the app's calls.
const (
	OpInit           Word = iota + 1 // "init"
	OpConnect                        // "connect"
	OpDisconnect                     // "disconnect"
	OpLogout                         // "logout"
	OpAddListener                    // "add_listener"
	OpRemoveListener                 // "remove_listener"
	OpStatus                         // "status": the status query (getCurrentConnectionStatus); the record carries the answer
	OpMessage                        // "message": a scenario's message op (a trace writes it as a message record, op send)
)

// Env ops (KEnv): changes of the device environment.
const (
	EnvNetOff        Word = iota + OpMessage + 1 // "net_off"
	EnvNetOn                                     // "net_on"
	EnvNetChange                                 // "net_change"
	EnvBackground                                // "background"
	EnvForeground                                // "foreground"
	EnvIPCDisconnect                             // "ipc_disconnect"
	EnvLoss                                      // "loss"
	EnvOSSuspend                                 // "os_suspend": the OS froze the app's process (--bg-suspend-after; fsm's EffEnv phase)
	// EnvIPCBack: the SDK's connection process is bound again after an
	// ipc_disconnect that lasted --ipc-down-for (Android; fsm's EffEnv
	// phase). "ipc_back", also the timer's name.
	EnvIPCBack
	// EnvNoNativeLib: at Init, the SDK's native library for the CPU
	// (libRongIMLib.so, libsqlite.so) could not be loaded (--native-lib
	// missing; fsm's EffEnv phase). "native_lib_missing".
	EnvNoNativeLib
)

// Server ops (KServer): scripted server-side changes (and marks). SrvAppKey
// is the scenario's op; its record is written with the key's new state,
// one of SrvAppKeyOps: "app_key:wrong".
const (
	SrvTokenExpire     Word = iota + EnvNoNativeLib + 1 // "token_expire"
	SrvTokenInvalidate                                  // "token_invalidate"
	SrvBlockUser                                        // "block_user"
	SrvUnblockUser                                      // "unblock_user"
	SrvAppKey                                           // "app_key"
	SrvUnavailable                                      // "unavailable"
	SrvMark                                             // "mark": a scripted mark: nothing happens
	SrvServerDown                                       // "server_down": listed server Value goes down: refuses sockets and auths, loses its sessions (attempt anatomy)
	SrvServerUp                                         // "server_up": listed server Value accepts again
	SrvNaviDown                                         // "navi_down": the navigation service fails every request
	SrvNaviUp                                           // "navi_up": the navigation service answers again
	SrvServerClose                                      // "server_close": the server closes device Dev's socket with no frame (its session ends, reason dropped)
	SrvAppKeyValid                                      // "app_key:valid"
	SrvAppKeyWrong                                      // "app_key:wrong"
	SrvAppKeyBlocked                                    // "app_key:blocked"
	SrvAppKeyDeleted                                    // "app_key:deleted"
)

// SrvAppKeyOps are the ops of an app_key record, indexed by package
// server's AppKeyState (valid, wrong, blocked, deleted; a test of package
// server keeps the orders equal).
var SrvAppKeyOps = [...]Word{SrvAppKeyValid, SrvAppKeyWrong, SrvAppKeyBlocked, SrvAppKeyDeleted}

// Session ops (KSession). The reasons a session closes are vocab.Close,
// written as their Words (Close.Word).
const (
	SessOpen  Word = iota + SrvAppKeyDeleted + 1 // "open", also a message kind
	SessClose                                    // "close", also a message kind
)

// Message ops (KMsg) and timer ops (KTimer): detail records.
const (
	MsgSend    Word = iota + SessClose + 1 // "send"
	MsgDeliver                             // "deliver", also a message kind
	MsgDrop                                // "drop"
	TimerSet                               // "set"
	TimerFire                              // "fire"
)

// End reasons (KEnd).
const (
	EndSettled Word = iota + TimerFire + 1 // "settled": every Connect call has had its end and nothing is pending
	EndHorizon                             // "horizon": the trial reached its horizon
	EndIdle                                // "idle": nothing was left to happen: no timer, message or scripted event
)

// Callback names (KCallback): the ConnectCallback methods.
const (
	CbDatabaseOpened Word = iota + EndIdle + 1 // "onDatabaseOpened"
	CbSuccess                                  // "onSuccess"
	CbError                                    // "onError"
)

// Attempt phases (KAttempt), attempt steps, attempt start and fail
// reasons (KAttempt), lost reasons (KLost) and heartbeat ops (KHeartbeat):
// the client core (package fsm) emits them.
const (
	PhaseStart Word = iota + CbError + 1 // "start"
	PhaseOK                              // "ok"
	PhaseFail                            // "fail"
	PhaseStep                            // "step": attempt full: a step of the attempt begins; Reason is the step

	StepNavi   // "navi": the navigation request (also a message kind and a timer)
	StepSocket // "socket": a socket to the next listed server
	StepTLS    // "tls": the TLS round trips on that socket
	StepAuth   // "auth": the handshake (also a message kind)

	ReasonSchedule       // "schedule"
	ReasonNetworkUp      // "network-up"
	ReasonNetworkChange  // "network-change"
	ReasonAttemptTimeout // "attempt-timeout"
	ReasonIPC            // "ipc-disconnect"
	ReasonNetworkDown    // "network-down"
	ReasonCancelled      // "cancelled"
	ReasonError          // "error"
	ReasonKicked         // "kicked", also a session close reason
	ReasonHeartbeat      // "heartbeat"
	ReasonGone           // "gone"
	ReasonReconnect      // "reconnect": web: the attempt a lost connection makes at once
	ReasonOSSuspended    // "os-suspended": the OS froze the app's process in the background
	ReasonIPCBack        // "ipc-back": the SDK's connection process is bound again: it connects at once

	HbPing // "ping", also a message kind and a timer
	HbPong // "pong", also a message kind and a timer
	HbMiss // "miss"
)

// Reasons of the attempt that are other roles' texts.
const (
	ReasonConnect     = OpConnect      // "connect"
	ReasonForeground  = EnvForeground  // "foreground"
	ReasonUnavailable = SrvUnavailable // "unavailable"
	ReasonBackground  = EnvBackground  // "background": the SDK disconnected after a while in the background
)

// Message ops (KMessage): an IM message reaches the server for a user
// (send), is stored offline (store), is pushed to a device (push), is
// shown to a device's app (show) or dropped there as a duplicate (dup),
// or leaves the offline store after its retention (drop).
const (
	MessageStore Word = iota + HbMiss + 1 // "store"
	MessagePush                           // "push", also a show's path
	MessageShow                           // "show"
	MessageDup                            // "dup"

	MessageNormal // "normal": stored while a device needs it, pushed to an offline user

	PathLive      // "live": show: on the socket, as the server sent it
	PathPull      // "pull": show: pulled after a (re)connect or a gap (also a message kind)
	DropRetention // "retention": drop: kept for the whole retention, then dropped
)

// Message words that are other roles' texts.
const (
	MessageSend   = MsgSend  // "send"
	MessageDrop   = MsgDrop  // "drop"
	MessageStatus = OpStatus // "status": live only: never stored, never pushed
	PathPush      = MessagePush
)

// Session close reasons (KSession close; see Close) that are no other
// role's text, and the reasons a msg detail record gives for a drop.
const (
	ReasonAbandoned Word = iota + DropRetention + 1 // "abandoned"
	ReasonReplaced                                  // "replaced"
	ReasonBlocked                                   // "blocked"
	ReasonRestart                                   // "restart"
	ReasonDropped                                   // "dropped"

	DropOffline   // "offline": the device was offline
	DropStale     // "stale": the message belongs to a socket that is gone
	DropTCPGaveUp // "tcp-gave-up": TCP gave up retransmitting
)

// Session close reasons that are other roles' texts.
const (
	ReasonLogout = OpLogout // "logout"
	ReasonIdle   = EndIdle  // "idle"
)

// Platform classes (KSession platform), in package server's order.
const (
	PlatformMobile      Word = iota + DropTCPGaveUp + 1 // "mobile"
	PlatformDesktop                                     // "desktop"
	PlatformWeb                                         // "web"
	PlatformMiniProgram                                 // "mini-program"
)

// Message kinds (KMsg msg): the client core's wire messages (package fsm's
// MsgKind names them by these).
const (
	MsgUnknown   Word = iota + PlatformMiniProgram + 1 // "?": no message kind (and no timer)
	MsgAuthReply                                       // "auth_reply"
	MsgClosed                                          // "closed"
	MsgAck                                             // "ack"
	MsgPullReply                                       // "pull_reply"
	MsgNaviReply                                       // "navi_reply"
	MsgOpenAck                                         // "open_ack"
)

// Message kinds that are other roles' texts.
const (
	MsgAuth  = StepAuth  // "auth"
	MsgPing  = HbPing    // "ping"
	MsgPong  = HbPong    // "pong"
	MsgClose = SessClose // "close"
	MsgPull  = PathPull  // "pull"
	MsgNavi  = StepNavi  // "navi"
	MsgOpen  = SessOpen  // "open"
)

// Timer names (KTimer timer): the client core's timers (package fsm's
// TimerKind names them by these).
const (
	TimerDB           Word = iota + MsgOpenAck + 1 // "db_open"
	TimerLimit                                     // "time_limit"
	TimerAttempt                                   // "attempt"
	TimerRetry                                     // "retry"
	TimerBgDisconnect                              // "bg_disconnect"
	TimerBgSuspend                                 // "bg_suspend"

	numFixed // the vocabulary's size; words from numFixed on are extra (Intern)
)

// Timer names that are other roles' texts.
const (
	TimerPing    = HbPing     // "ping"
	TimerPong    = HbPong     // "pong"
	TimerNavi    = StepNavi   // "navi"
	TimerIPCBack = EnvIPCBack // "ipc_back"
)

// Env ops that are other roles' texts.
const (
	// EnvBgDisconnect: the SDK's background disconnect (iOS,
	// --bg-disconnect-after) found no connection to close (SUSPEND or
	// NETWORK_UNAVAILABLE) and stopped its wait until the foreground
	// (fsm's EffEnv phase). "bg_disconnect", the timer's name.
	EnvBgDisconnect = TimerBgDisconnect
)

// words holds each Word's text, indexed by Word. TestWordsRoundTrip keeps
// every constant here, and every text once.
var words = [numFixed]string{
	None: "",

	OpInit: "init", OpConnect: "connect", OpDisconnect: "disconnect", OpLogout: "logout",
	OpAddListener: "add_listener", OpRemoveListener: "remove_listener", OpStatus: "status", OpMessage: "message",

	EnvNetOff: "net_off", EnvNetOn: "net_on", EnvNetChange: "net_change", EnvBackground: "background",
	EnvForeground: "foreground", EnvIPCDisconnect: "ipc_disconnect", EnvLoss: "loss", EnvOSSuspend: "os_suspend",
	EnvIPCBack: "ipc_back", EnvNoNativeLib: "native_lib_missing",

	SrvTokenExpire: "token_expire", SrvTokenInvalidate: "token_invalidate", SrvBlockUser: "block_user",
	SrvUnblockUser: "unblock_user", SrvAppKey: "app_key", SrvUnavailable: "unavailable", SrvMark: "mark",
	SrvServerDown: "server_down", SrvServerUp: "server_up", SrvNaviDown: "navi_down", SrvNaviUp: "navi_up",
	SrvServerClose: "server_close", SrvAppKeyValid: "app_key:valid", SrvAppKeyWrong: "app_key:wrong",
	SrvAppKeyBlocked: "app_key:blocked", SrvAppKeyDeleted: "app_key:deleted",

	SessOpen: "open", SessClose: "close",

	MsgSend: "send", MsgDeliver: "deliver", MsgDrop: "drop", TimerSet: "set", TimerFire: "fire",

	EndSettled: "settled", EndHorizon: "horizon", EndIdle: "idle",

	CbDatabaseOpened: "onDatabaseOpened", CbSuccess: "onSuccess", CbError: "onError",

	PhaseStart: "start", PhaseOK: "ok", PhaseFail: "fail", PhaseStep: "step",
	StepNavi: "navi", StepSocket: "socket", StepTLS: "tls", StepAuth: "auth",
	ReasonSchedule: "schedule", ReasonNetworkUp: "network-up", ReasonNetworkChange: "network-change",
	ReasonAttemptTimeout: "attempt-timeout", ReasonIPC: "ipc-disconnect", ReasonNetworkDown: "network-down",
	ReasonCancelled: "cancelled", ReasonError: "error", ReasonKicked: "kicked", ReasonHeartbeat: "heartbeat",
	ReasonGone: "gone", ReasonReconnect: "reconnect", ReasonOSSuspended: "os-suspended", ReasonIPCBack: "ipc-back",
	HbPing: "ping", HbPong: "pong", HbMiss: "miss",

	MessageStore: "store", MessagePush: "push", MessageShow: "show", MessageDup: "dup", MessageNormal: "normal",
	PathLive: "live", PathPull: "pull", DropRetention: "retention",

	ReasonAbandoned: "abandoned", ReasonReplaced: "replaced", ReasonBlocked: "blocked", ReasonRestart: "restart",
	ReasonDropped: "dropped", DropOffline: "offline", DropStale: "stale", DropTCPGaveUp: "tcp-gave-up",

	PlatformMobile: "mobile", PlatformDesktop: "desktop", PlatformWeb: "web", PlatformMiniProgram: "mini-program",

	MsgUnknown: "?", MsgAuthReply: "auth_reply", MsgClosed: "closed", MsgAck: "ack", MsgPullReply: "pull_reply",
	MsgNaviReply: "navi_reply", MsgOpenAck: "open_ack",

	TimerDB: "db_open", TimerLimit: "time_limit", TimerAttempt: "attempt", TimerRetry: "retry",
	TimerBgDisconnect: "bg_disconnect", TimerBgSuspend: "bg_suspend",
}
