package fsm

// Code is a ConnectCallback error code (spec section 4). OK (0) is used for
// successful answers and never reaches onError.
type Code int32

// The error codes of spec section 4.
const (
	OK                      Code = 0
	Unknown                 Code = -1
	IPCDisconnect           Code = -2
	ConnIDReject            Code = 31002
	ConnTokenIncorrect      Code = 31004
	ConnNotAuthorized       Code = 31005
	ConnAppBlockedOrDeleted Code = 31008
	ConnUserBlocked         Code = 31009
	ConnTokenExpire         Code = 31020
	ConnProxyUnavailable    Code = 31028
	ClientNotInit           Code = 33001
	ConnectionExist         Code = 34001
	ConnectTimeout          Code = 34006
)

// DatabaseOpenError is the code onDatabaseOpened carries when the local
// database failed to open: DATABASE_OPEN_ERROR (Android's DatabaseOpenStatus,
// iOS's RCDBOpenFailed, both 33002; spec section 2). It is no ConnectCallback
// error code: it never reaches onError and is not in AllCodes. Success is
// OK (DATABASE_OPEN_SUCCESS, 0).
const DatabaseOpenError Code = 33002

// Class says how the SDK treats a code (spec section 4).
type Class uint8

// The classes of spec section 4.
const (
	ClassNone      Class = iota // OK
	ClassTerminal               // leaves the reconnection mechanism, reaches onError
	ClassTransient              // only moves the schedule on; never reaches onError
	ClassMisuse                 // a rejected call; nothing else changes
)

func (c Class) String() string {
	return [...]string{"none", "terminal", "transient", "misuse"}[c]
}

type codeInfo struct {
	name  string
	class Class
}

var codes = map[Code]codeInfo{
	OK:                      {"OK", ClassNone},
	Unknown:                 {"UNKNOWN", ClassTerminal},
	IPCDisconnect:           {"IPC_DISCONNECT", ClassTransient},
	ConnIDReject:            {"RC_CONN_ID_REJECT", ClassTerminal},
	ConnTokenIncorrect:      {"RC_CONN_TOKEN_INCORRECT", ClassTerminal},
	ConnNotAuthorized:       {"RC_CONN_NOT_AUTHRORIZED", ClassTerminal},
	ConnAppBlockedOrDeleted: {"RC_CONN_APP_BLOCKED_OR_DELETED", ClassTerminal},
	ConnUserBlocked:         {"RC_CONN_USER_BLOCKED", ClassTerminal},
	ConnTokenExpire:         {"RC_CONN_TOKEN_EXPIRE", ClassTerminal},
	ConnProxyUnavailable:    {"RC_CONN_PROXY_UNAVAILABLE", ClassTerminal},
	ClientNotInit:           {"RC_CLIENT_NOT_INIT", ClassMisuse},
	ConnectionExist:         {"RC_CONNECTION_EXIST", ClassMisuse},
	ConnectTimeout:          {"RC_CONNECT_TIMEOUT", ClassTerminal},
	DatabaseOpenError:       {"DATABASE_OPEN_ERROR", ClassNone},
}

// AllCodes lists every code of spec section 4 in the spec's order.
var AllCodes = []Code{
	Unknown, IPCDisconnect, ConnIDReject, ConnTokenIncorrect, ConnNotAuthorized,
	ConnAppBlockedOrDeleted, ConnUserBlocked, ConnTokenExpire, ConnProxyUnavailable,
	ClientNotInit, ConnectionExist, ConnectTimeout,
}

// String returns the published name, e.g. "RC_CONNECT_TIMEOUT".
func (c Code) String() string {
	if i, ok := codeInfoOf(c); ok {
		return i.name
	}
	return "CODE(" + itoa(int(c)) + ")"
}

// Class returns how the SDK treats c; unknown codes are terminal.
func (c Code) Class() Class {
	if i, ok := codeInfoOf(c); ok {
		return i.class
	}
	return ClassTerminal
}

// codeSlots is codes as an open table: codes[c] is in
// codeSlots[uint32(c)%codeMod], a modulus under which no two codes
// collide (found by init), so that Class, asked for every callback a
// checker reads, is one division and one load rather than a map lookup.
var (
	codeMod   uint32
	codeSlots []struct {
		code Code
		info codeInfo
		ok   bool
	}
)

func init() {
	for codeMod = uint32(len(codes)); ; codeMod++ {
		seen := map[uint32]bool{}
		for c := range codes {
			seen[uint32(c)%codeMod] = true
		}
		if len(seen) == len(codes) {
			break
		}
	}
	codeSlots = make([]struct {
		code Code
		info codeInfo
		ok   bool
	}, codeMod)
	for c, i := range codes {
		s := &codeSlots[uint32(c)%codeMod]
		s.code, s.info, s.ok = c, i, true
	}
}

// codeInfoOf returns codes[c].
func codeInfoOf(c Code) (codeInfo, bool) {
	if s := &codeSlots[uint32(c)%codeMod]; s.ok && s.code == c {
		return s.info, true
	}
	return codeInfo{}, false
}

// StatusAfter is the status the SDK settles in after terminal error c
// (spec sections 3 and 5.12). Codes with no status of their own
// (31002, 31005, 31008, 31028, -1) leave the SDK UNCONNECTED: a model
// choice, documented in docs/model.md.
func StatusAfter(c Code) Status {
	switch c {
	case ConnTokenIncorrect, ConnTokenExpire:
		return TokenIncorrect
	case ConnUserBlocked:
		return UserBlocked
	case ConnectTimeout:
		return Timeout
	}
	return Unconnected
}
