package server

// KickPolicy is the reconnection-kick policy (spec section 7). It only
// matters for an Auth with Auto set (an automatic reconnection) while
// another device of the same user and platform class holds a live session.
type KickPolicy uint8

// The policies.
const (
	// PolicyDefault: the reconnecting device kicks whoever is online.
	PolicyDefault KickPolicy = iota
	// PolicyReconnectKicked: the reconnecting device is kicked instead
	// (reply fsm.ReplyKicked), so the newest manual login stays online.
	PolicyReconnectKicked
)

var policyNames = []string{"default", "reconnect-kicked"}

// String returns "default" or "reconnect-kicked".
func (k KickPolicy) String() string { return nameOf(policyNames, int(k), "policy") }

// ParseKickPolicy returns the policy named s.
func ParseKickPolicy(s string) (KickPolicy, error) {
	i, err := parseName(policyNames, s, "kick policy")
	return KickPolicy(i), err
}
