package vocab

import "strconv"

// Close is why the server closed a session: the reason a session-close
// record carries. The zero value, CloseNone, means no session was closed.
//
// It is a byte so that a world holding a million sessions (package storm)
// keeps a session's last close reason in one byte; its trace text is
// String, the text of its Word.
type Close uint8

// The close reasons. Each is written in a trace as its Word.
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

// closeWords are the reasons' Words; closeOf inverts it.
var closeWords = [numClose]Word{None, ReasonLogout, ReasonAbandoned, ReasonReplaced, ReasonKicked, ReasonBlocked, ReasonBackground, ReasonRestart, ReasonIdle, ReasonDropped}

var closeOf = func() (t [256]Close) {
	for c, w := range closeWords {
		t[w] = Close(c)
	}
	return t
}()

// Word returns the reason's Word (None for CloseNone and out of range).
func (c Close) Word() Word {
	if c < numClose {
		return closeWords[c]
	}
	return None
}

// String returns the reason's trace text ("" for CloseNone, "close(N)" out
// of range).
func (c Close) String() string {
	if c < numClose {
		return closeWords[c].String()
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
func CloseReasons() []string {
	var s []string
	for _, w := range closeWords[1:] {
		s = append(s, w.String())
	}
	return s
}

// ParseClose returns the reason whose trace text is s.
func ParseClose(s string) (Close, bool) {
	w, ok := ParseWord(s)
	if !ok {
		return CloseNone, false
	}
	return CloseOf(w)
}

// CloseOf returns the reason whose Word is w (false for None and for a
// Word that is no close reason).
func CloseOf(w Word) (Close, bool) {
	c := closeOf[w]
	return c, c != CloseNone
}
