package fsm

// Status is a connection status as the SDK reports it to status listeners
// (spec section 3). The numeric values are the SDK's published values.
type Status int8

// The statuses of spec section 3, with their published values.
const (
	NetworkUnavailable Status = -1
	Connected          Status = 0
	Connecting         Status = 1
	Unconnected        Status = 2
	KickedOffline      Status = 3
	TokenIncorrect     Status = 4
	UserBlocked        Status = 6
	SignOut            Status = 12
	Suspend            Status = 13
	Timeout            Status = 14
)

// AllStatuses lists every status in a fixed order (the order of spec section 3).
var AllStatuses = []Status{
	NetworkUnavailable, Connected, Connecting, Unconnected, KickedOffline,
	TokenIncorrect, UserBlocked, SignOut, Suspend, Timeout,
}

var statusNames = map[Status]string{
	NetworkUnavailable: "NETWORK_UNAVAILABLE",
	Connected:          "CONNECTED",
	Connecting:         "CONNECTING",
	Unconnected:        "UNCONNECTED",
	KickedOffline:      "KICKED_OFFLINE_BY_OTHER_CLIENT",
	TokenIncorrect:     "TOKEN_INCORRECT",
	UserBlocked:        "CONN_USER_BLOCKED",
	SignOut:            "SIGN_OUT",
	Suspend:            "SUSPEND",
	Timeout:            "TIMEOUT",
}

var statusByName = func() map[string]Status {
	m := make(map[string]Status, len(statusNames))
	for s, n := range statusNames {
		m[n] = s
	}
	return m
}()

// String returns the published name, e.g. "CONNECTING".
func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return "STATUS(" + itoa(int(s)) + ")"
}

// ParseStatus returns the status with the published name n.
func ParseStatus(n string) (Status, bool) {
	s, ok := statusByName[n]
	return s, ok
}

// Active reports whether the SDK is inside the connection mechanism in this
// status: a Connect call is pending or the SDK will reconnect by itself.
// A second Connect in an active status gets 34001.
func (s Status) Active() bool {
	switch s {
	case Connecting, Connected, Suspend, NetworkUnavailable:
		return true
	}
	return false
}

func itoa(v int) string {
	if v == 0 {
		return "0"
	}
	neg := v < 0
	if neg {
		v = -v
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
