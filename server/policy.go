package server

// KickPolicy is the reconnection-kick policy (spec section 7): the default
// of every device that makes no choice of its own (KickChoice). It only
// matters for an Auth with Auto set (an automatic reconnection) while
// another device of the same user and platform class holds a live session,
// and never for a web device.
type KickPolicy uint8

// The policies.
const (
	// PolicyDefault: the reconnecting device kicks whoever is online.
	PolicyDefault KickPolicy = iota
	// PolicyReconnectKicked: the reconnecting device is kicked instead
	// (reply fsm.ReplyKicked), so the newest manual login stays online.
	PolicyReconnectKicked
)

// KickChoice is one device's own reconnection-kick setting: the SDK's
// setReconnectKickEnable / ConnectParams.reconnectKickEnable, which the
// vendor's Console switch lets mobile and desktop clients make (web
// clients cannot; docs/profiles.md). KickUnset follows the server's
// KickPolicy.
type KickChoice uint8

// The choices.
const (
	KickUnset KickChoice = iota // the server's KickPolicy decides
	KickOn                      // the device, reconnecting, is kicked instead (reconnectKickEnable true)
	KickOff                     // the device, reconnecting, kicks whoever is online
)

var kickChoiceNames = []string{"unset", "on", "off"}

// String returns "unset", "on" or "off".
func (c KickChoice) String() string { return nameOf(kickChoiceNames, int(c), "kick choice") }

// Kicked reports whether a device of platform pl with choice c, making an
// automatic reconnection while another device holds its slot, is kicked
// instead under the server's policy k. A web device never is: web SDKs
// cannot set the reconnection kick.
func (k KickPolicy) Kicked(c KickChoice, pl Platform) bool {
	switch {
	case pl == Web:
		return false
	case c == KickOn:
		return true
	case c == KickOff:
		return false
	}
	return k == PolicyReconnectKicked
}

var policyNames = []string{"default", "reconnect-kicked"}

// String returns "default" or "reconnect-kicked".
func (k KickPolicy) String() string { return nameOf(policyNames, int(k), "policy") }

// ParseKickPolicy returns the policy named s.
func ParseKickPolicy(s string) (KickPolicy, error) {
	i, err := parseName(policyNames, s, "kick policy")
	return KickPolicy(i), err
}
