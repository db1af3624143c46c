package vocab

// The names a trace uses, defined once: the worlds write them, the trace
// reader accepts exactly these (package trace lists which ops each record
// kind takes), the checkers and figures read them.

// Call ops (KCall): the app's calls.
const (
	OpInit           = "init"
	OpConnect        = "connect"
	OpDisconnect     = "disconnect"
	OpLogout         = "logout"
	OpAddListener    = "add_listener"
	OpRemoveListener = "remove_listener"
	OpStatus         = "status" // the status query (getCurrentConnectionStatus); the record carries the answer
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
	EnvOSSuspend     = "os_suspend" // the OS froze the app's process (--bg-suspend-after; fsm's EffEnv phase)
	// EnvIPCBack: the SDK's connection process is bound again after an
	// ipc_disconnect that lasted --ipc-down-for (Android; fsm's EffEnv
	// phase).
	EnvIPCBack = "ipc_back"
	// EnvNoNativeLib: at Init, the SDK's native library for the CPU
	// (libRongIMLib.so, libsqlite.so) could not be loaded (--native-lib
	// missing; fsm's EffEnv phase).
	EnvNoNativeLib = "native_lib_missing"
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
	SrvMark            = "mark"         // a scripted mark: nothing happens
	SrvServerDown      = "server_down"  // listed server Value goes down: refuses sockets and auths, loses its sessions (attempt anatomy)
	SrvServerUp        = "server_up"    // listed server Value accepts again
	SrvNaviDown        = "navi_down"    // the navigation service fails every request
	SrvNaviUp          = "navi_up"      // the navigation service answers again
	SrvServerClose     = "server_close" // the server closes device Dev's socket with no frame (its session ends, reason dropped)
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

// End reasons (KEnd).
const (
	EndSettled = "settled" // every Connect call has had its end and nothing is pending
	EndHorizon = "horizon" // the trial reached its horizon
	EndIdle    = "idle"    // nothing was left to happen: no timer, message or scripted event
)

// Callback names (KCallback): the ConnectCallback methods.
const (
	CbDatabaseOpened = "onDatabaseOpened"
	CbSuccess        = "onSuccess"
	CbError          = "onError"
)

// Attempt phases (KAttempt), attempt start and fail reasons (KAttempt),
// lost reasons (KLost) and heartbeat ops (KHeartbeat): the client core
// (package fsm) emits them.
const (
	PhaseStart = "start"
	PhaseOK    = "ok"
	PhaseFail  = "fail"
	PhaseStep  = "step" // attempt full: a step of the attempt begins; Reason is the step

	StepNavi   = "navi"   // the navigation request
	StepSocket = "socket" // a socket to the next listed server
	StepTLS    = "tls"    // the TLS round trips on that socket
	StepAuth   = "auth"   // the handshake

	ReasonConnect        = "connect"
	ReasonSchedule       = "schedule"
	ReasonNetworkUp      = "network-up"
	ReasonNetworkChange  = "network-change"
	ReasonForeground     = "foreground"
	ReasonAttemptTimeout = "attempt-timeout"
	ReasonUnavailable    = "unavailable"
	ReasonIPC            = "ipc-disconnect"
	ReasonNetworkDown    = "network-down"
	ReasonCancelled      = "cancelled"
	ReasonError          = "error"
	ReasonKicked         = "kicked"
	ReasonHeartbeat      = "heartbeat"
	ReasonGone           = "gone"
	ReasonReconnect      = "reconnect"    // web: the attempt a lost connection makes at once
	ReasonBackground     = "background"   // the SDK disconnected after a while in the background
	ReasonOSSuspended    = "os-suspended" // the OS froze the app's process in the background
	ReasonIPCBack        = "ipc-back"     // the SDK's connection process is bound again: it connects at once

	HbPing = "ping"
	HbPong = "pong"
	HbMiss = "miss"
)

// Message ops (KMessage): an IM message reaches the server for a user
// (send), is stored offline (store), is pushed to a device (push), is
// shown to a device's app (show) or dropped there as a duplicate (dup),
// or leaves the offline store after its retention (drop).
const (
	MessageSend  = "send"
	MessageStore = "store"
	MessagePush  = "push"
	MessageShow  = "show"
	MessageDup   = "dup"
	MessageDrop  = "drop"

	MessageNormal = "normal" // stored while a device needs it, pushed to an offline user
	MessageStatus = "status" // live only: never stored, never pushed

	PathLive      = "live"      // show: on the socket, as the server sent it
	PathPull      = "pull"      // show: pulled after a (re)connect or a gap
	PathPush      = "push"      // show: pulled after a push notification reached the device
	DropRetention = "retention" // drop: kept for the whole retention, then dropped
)
