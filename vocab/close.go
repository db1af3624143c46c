package vocab

import "strconv"

// Close is why the server closed a session: the reason a session-close
// record carries. The zero value, CloseNone, means no session was closed.
//
// It is a byte so that a world holding a million sessions (package storm)
// keeps a session's last close reason in one byte; its trace text is
// String.
type Close uint8

// The close reasons. Each is written in a trace as its String.
const (
	CloseNone       Close = iota
	CloseLogout           // the client's Disconnect or Logout reached the server (the record carries push)
	CloseAbandoned        // the client gave the session up (a Close with a nonzero code: a late answer after 34006)
	CloseReplaced         // a new session of the same device opened
	CloseKicked           // another device of the user and platform class logged in, or the reconnection-kick policy
	CloseBlocked          // the user was blocked
	CloseBackground       // the SDK closed it after a while in the background (the record carries push, always true)
	CloseRestart          // the server restarted and lost every session (package storm's outages)
	CloseIdle             // the server heard nothing from the device for its idle timeout
	CloseDropped          // the server closed the device's socket with no frame (a scripted server_close)
	numClose
)

var closeNames = [numClose]string{"", "logout", "abandoned", "replaced", "kicked", "blocked", "background", "restart", "idle", "dropped"}

// String returns the reason's trace text ("" for CloseNone, "close(N)" out
// of range).
func (c Close) String() string {
	if c < numClose {
		return closeNames[c]
	}
	return "close(" + strconv.Itoa(int(c)) + ")"
}

// CarriesPush reports whether a close of this reason came from a client
// Close that states the receivePush preference: a logout (Disconnect's
// argument) and the iOS SDK's background close (always push: true). A
// session-close record of such a reason carries push; no other does.
func (c Close) CarriesPush() bool { return c == CloseLogout || c == CloseBackground }

// CloseReasons lists the trace texts of every close reason, CloseNone
// excepted, in the order of the constants.
func CloseReasons() []string { return append([]string(nil), closeNames[1:]...) }

// ParseClose returns the reason whose trace text is s.
func ParseClose(s string) (Close, bool) {
	for i := Close(1); i < numClose; i++ {
		if closeNames[i] == s {
			return i, true
		}
	}
	return CloseNone, false
}
