package server

import "github.com/rcsim/connsim/vocab"

// AppKeyState is the server's view of an app key (spec section 4).
type AppKeyState uint8

// The app key states. An Auth with a wrong app key gets 31002, with a
// blocked or deleted one 31008.
const (
	AppValid AppKeyState = iota
	AppWrong
	AppBlocked
	AppDeleted
)

var appKeyNames = []string{"valid", "wrong", "blocked", "deleted"}

// String returns "valid", "wrong", "blocked" or "deleted".
func (a AppKeyState) String() string { return nameOf(appKeyNames, int(a), "appkey") }

// Op returns the op of a server record that sets the app key to a:
// vocab.SrvAppKeyOps[a], "app_key:wrong" (TestAppKeyOps).
func (a AppKeyState) Op() vocab.Word {
	if int(a) < len(vocab.SrvAppKeyOps) {
		return vocab.SrvAppKeyOps[a]
	}
	return vocab.SrvAppKey
}

// ParseAppKeyState returns the app key state named s.
func ParseAppKeyState(s string) (AppKeyState, error) {
	i, err := parseName(appKeyNames, s, "app key state")
	return AppKeyState(i), err
}
