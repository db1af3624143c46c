package fsm

import "fmt"

// API is the binding the app calls the SDK through (docs/profiles.md,
// "What reaches the app"). The zero value is the native SDK.
type API uint8

// The bindings.
const (
	// APINative: Connect returns nothing; a Connect refused at once
	// (33001 before Init, 34001 while a connection exists) gets onError.
	APINative API = iota
	// APIWrapper: the wrapper SDKs' connect returns an int at once: the
	// refusal's code, with no callback ever ("non-zero ... will not
	// trigger the callback"), or 0, and then the callbacks as usual.
	APIWrapper
)

var apiNames = []string{"native", "wrapper"}

// String returns "native" or "wrapper".
func (a API) String() string {
	if int(a) < len(apiNames) {
		return apiNames[a]
	}
	return fmt.Sprintf("api(%d)", uint8(a))
}

// ParseAPI returns the binding named s.
func ParseAPI(s string) (API, error) {
	for i, n := range apiNames {
		if n == s {
			return API(i), nil
		}
	}
	return 0, fmt.Errorf("must be native or wrapper (got %q)", s)
}

// Refusal is the code a Connect made now is refused with at once:
// ClientNotInit before Init, ConnectionExist while a call is pending or
// the SDK is in the connection mechanism, OK when it would be accepted.
// The wrapper API returns it from connect; the native API calls onError
// with it.
func (c *Client) Refusal() Code {
	switch {
	case !c.has(markInited):
		return ClientNotInit
	case c.pending || c.status.Active():
		return ConnectionExist
	}
	return OK
}
