package fsm

import (
	"fmt"
	"strings"
)

// Quirks is a set of documented hazards (spec section 9) switched on for a
// review. The model is correct with none; each quirk makes it behave the
// way the docs warn a real SDK, or a careless app, may behave, so that the
// property checkers can show what goes wrong. The zero value is no quirk.
type Quirks uint32

// The quirks. The first two change the client core (Client.Step); the
// third is an app behaviour that the simulator's world reads (the core
// ignores it); the fourth changes the core's answer to a status query
// (Client.QueryStatus).
const (
	// QuirkConnectBeforeInitSilent: Connect before Init gets no callback
	// at all instead of onError(33001) (docs: "there may be no callback").
	QuirkConnectBeforeInitSilent Quirks = 1 << iota
	// QuirkMultiConnectClears: a Connect while an earlier call is pending
	// is not rejected with 34001: its callback replaces the pending
	// call's. The connection in progress goes on (same token, attempts
	// and time limit); the new call gets its own onDatabaseOpened and the
	// connection's terminal callback, the earlier call gets nothing more.
	QuirkMultiConnectClears
	// QuirkIgnoreTimeout: the app ignores 34006 and stays up until the
	// horizon, counting on being online. The SDK stops after 34006 as
	// documented, so the device stays offline though the network works.
	QuirkIgnoreTimeout
	// QuirkStatusLag: the status query (getCurrentConnectionStatus)
	// answers CONNECTED during an automatic reconnection, while the
	// listeners were told SUSPEND, CONNECTING or NETWORK_UNAVAILABLE
	// (Android IMKit docs: "might temporarily show as connected").
	QuirkStatusLag

	numQuirks = iota
)

// QuirkInfo describes one quirk.
type QuirkInfo struct {
	Quirk  Quirks
	Name   string // CLI name, e.g. "multi-connect-clears"
	Hazard string // one line: the documented hazard it switches on
}

// QuirkList lists every quirk in bit order.
var QuirkList = [numQuirks]QuirkInfo{
	{QuirkConnectBeforeInitSilent, "connect-before-init-silent",
		`Connect before Init gives no callback at all, not onError(33001) (docs: "there may be no callback")`},
	{QuirkMultiConnectClears, "multi-connect-clears",
		"a second Connect while one is pending replaces its callback: the second call gets the callbacks, the first never gets its terminal one"},
	{QuirkIgnoreTimeout, "ignore-timeout",
		"the app ignores 34006: with timeLimit > 0 on a bad network the SDK times out and stops, and the device stays offline though the network works"},
	{QuirkStatusLag, "status-lag",
		`the status query answers CONNECTED during an automatic reconnection (Android IMKit docs: getCurrentConnectionStatus "might temporarily show as connected")`},
}

// Has reports whether every quirk of x is in q.
func (q Quirks) Has(x Quirks) bool { return q&x == x }

// ParseQuirk returns the quirk named name.
func ParseQuirk(name string) (Quirks, error) {
	for _, qi := range QuirkList {
		if qi.Name == name {
			return qi.Quirk, nil
		}
	}
	return 0, fmt.Errorf("unknown quirk %q (want %s)", name, strings.Join(QuirkNames(), ", "))
}

// QuirkNames returns the names of every quirk, in bit order.
func QuirkNames() []string {
	out := make([]string, len(QuirkList))
	for i, qi := range QuirkList {
		out[i] = qi.Name
	}
	return out
}

// Names returns the names of the quirks in q, in bit order.
func (q Quirks) Names() []string {
	var out []string
	for _, qi := range QuirkList {
		if q.Has(qi.Quirk) {
			out = append(out, qi.Name)
		}
	}
	return out
}

// String returns the quirks' names separated by commas, or "none".
func (q Quirks) String() string {
	if q == 0 {
		return "none"
	}
	return strings.Join(q.Names(), ",")
}
