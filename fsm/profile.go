package fsm

import (
	"fmt"
	"strings"
	"time"
)

// A Profile is one platform's SDK as data (docs/profiles.md sources every
// field): the names and values its listener publishes for the core's
// statuses, its status machine, its defaults, what backgrounding the app
// does, and the few switches where the web engine works differently from
// the mobile SDKs. The core's statuses (Status) stay the same in every
// profile; a profile only says which of them its machine uses and how they
// are published.
//
// Profiles are package-level values, never modified; Config.Profile points
// at one (nil means ProfileAndroid).
type Profile struct {
	Name string // android|ios|web
	// Edges is the profile's status machine, in the form of Edges.
	Edges []Edge
	// names[s] is the published (name, value) of core status s; a status
	// the machine never enters has none.
	names map[Status]Published
	// Unused lists published values no modelled event produces (listed by
	// `sim fsm`, never drawn).
	Unused []Published
	// tables answers Publish and PublishedEdge in one load (built by
	// init for every profile of Profiles; nil for any other value, which
	// is then answered from names and Edges).
	tables *profileTables
	// machine is Table's answer, set by init for every profile of
	// Profiles (one load in Client.fire); nil for any other value.
	machine *Table
	// Codes: the listener is told a code with each status (the web
	// engine's onconnectionstatechange(status, code)); EffStatus carries it.
	Codes bool

	// OfflinePause: with no network, attempts pause in NETWORK_UNAVAILABLE
	// and restart at once when it returns (mobile). Without it (web),
	// attempts go on offline and each fails at once (CodeSocketFailed).
	OfflinePause bool
	// SuspendEachRound: every failed round moves CONNECTING -> SUSPEND
	// (event round_failed) and the next attempt SUSPEND -> CONNECTING (web).
	SuspendEachRound bool
	// RetryAtOnceAfterLoss: a lost connection attempts again at once, with
	// the streak restarted; only failed rounds wait (web). Without it, the
	// loss is failure 1 of a new streak (mobile).
	RetryAtOnceAfterLoss bool
	// FollowsEnvironment: network changes and foreground restart the
	// schedule (spec 5.6) (mobile); the web engine ignores both, though
	// the browser fails its sockets on a network change
	// (Client.socketNetChange).
	FollowsEnvironment bool
	// PingOnConnect: the first heartbeat ping goes out as the connection
	// opens (web: checkAlive runs on CONNECTED); otherwise HBInterval after.
	PingOnConnect bool
	// SocketTimer (attempt full): the attempt timer bounds each listed
	// server's socket, TLS and auth, re-armed at each socket step, and a
	// socket that times out moves on to the next listed server; the
	// navigation step has TimerNavi alone. No timer spans the whole
	// attempt (web: connectWebSocket's 5 s per WebSocket, the navigation
	// XHR's 10 s; docs/conformance.md). Otherwise the attempt timer
	// bounds the whole attempt.
	SocketTimer bool
	// StickyServer (attempt full): the listed server that accepted the
	// last auth is tried first by the following attempts, the others then
	// in list order, until the status leaves the connection (DISCONNECTED
	// on web: the engine raises that server's weight and clears its
	// weights when disconnected). Otherwise every attempt starts at the
	// list's first server.
	StickyServer bool
	// DBCallback: an accepted Connect gets onDatabaseOpened (mobile).
	DBCallback bool
	// TimeLimit: Connect takes a timeLimit (mobile); web connect has none.
	TimeLimit bool
	// IPCProcess: the SDK's connection runs in a process of its own,
	// bound over IPC, that needs the SDK's native library (Android). Only
	// then can a Connect get IPC_DISCONNECT (-2): while the link is down
	// (Config.IPCDownFor) or for good when the library is missing
	// (Config.NativeLibMissing).
	IPCProcess bool

	// Defaults.
	Policy            Policy        // the default reconnection policy (--policy)
	BgDisconnectAfter time.Duration // the SDK disconnects after this long in the background; 0: never
}

// Published is a status as a listener sees it.
type Published struct {
	Name  string
	Value int
}

// Codes the web profile puts on status records (engine ErrorCode values,
// docs/profiles.md).
const (
	CodeActiveDisconnect Code = 2     // ACTIVE_DISCONNECT: the app called disconnect
	CodeWebTimeout       Code = -1    // TIMEOUT: the socket did not open in 5 s (the engine then tries the next server and reports 35008 after the last: never a listener's code)
	CodeSocketFailed     Code = 30011 // RC_SOCKET_DISCONNECTED: the socket failed or closed
	CodePingExceed       Code = 30012 // RC_PING_EXCEED_LIMIT: heartbeats missed
	CodeDisconnKick      Code = 31010 // RC_DISCONN_KICK: kicked by another device
	CodeDisconnBlocked   Code = 31011 // RC_DISCONN_EXCEPTION: blocked while connected
	CodeServerUnavail    Code = 35008 // SERVER_UNAVAILABLE
)

// The profiles.
var (
	ProfileAndroid = &Profile{
		Name:  "android",
		Edges: Edges,
		names: map[Status]Published{
			NetworkUnavailable: {"NETWORK_UNAVAILABLE", -1}, Connected: {"CONNECTED", 0},
			Connecting: {"CONNECTING", 1}, Unconnected: {"UNCONNECTED", 2},
			KickedOffline: {"KICKED_OFFLINE_BY_OTHER_CLIENT", 3}, TokenIncorrect: {"TOKEN_INCORRECT", 4},
			UserBlocked: {"CONN_USER_BLOCKED", 6}, SignOut: {"SIGN_OUT", 12},
			Suspend: {"SUSPEND", 13}, Timeout: {"TIMEOUT", 14},
		},
		Unused:       []Published{{"PROXY_UNAVAILABLE", 17}, {"USER_ABANDON", 19}},
		OfflinePause: true, FollowsEnvironment: true, DBCallback: true, TimeLimit: true,
		IPCProcess: true,
		Policy:     RC,
	}
	ProfileIOS = &Profile{
		Name:  "ios",
		Edges: IOSEdges,
		names: map[Status]Published{
			NetworkUnavailable: {"ConnectionStatus_NETWORK_UNAVAILABLE", 1}, Connected: {"ConnectionStatus_Connected", 0},
			Connecting: {"ConnectionStatus_Connecting", 10}, Unconnected: {"ConnectionStatus_Unconnected", 11},
			KickedOffline: {"ConnectionStatus_KICKED_OFFLINE_BY_OTHER_CLIENT", 6}, TokenIncorrect: {"ConnectionStatus_TOKEN_INCORRECT", 15},
			UserBlocked: {"ConnectionStatus_DISCONN_EXCEPTION", 16}, SignOut: {"ConnectionStatus_SignOut", 12},
			Suspend: {"ConnectionStatus_Suspend", 13}, Timeout: {"ConnectionStatus_Timeout", 14},
		},
		Unused: []Published{{"ConnectionStatus_UNKNOWN", -1}, {"ConnectionStatus_PROXY_UNAVAILABLE", 17},
			{"ConnectionStatus_USER_ABANDON", 19}},
		OfflinePause: true, FollowsEnvironment: true, DBCallback: true, TimeLimit: true,
		Policy: RC, BgDisconnectAfter: 2 * time.Minute,
	}
	ProfileWeb = &Profile{
		Name:  "web",
		Edges: WebEdges,
		names: map[Status]Published{
			Connected: {"CONNECTED", 0}, Connecting: {"CONNECTING", 1}, Suspend: {"SUSPENDED", 3},
			Unconnected: {"DISCONNECTED", 2}, KickedOffline: {"DISCONNECTED", 2},
			TokenIncorrect: {"DISCONNECTED", 2}, UserBlocked: {"DISCONNECTED", 2}, SignOut: {"DISCONNECTED", 2},
		},
		Codes:            true,
		SuspendEachRound: true, RetryAtOnceAfterLoss: true, PingOnConnect: true,
		SocketTimer: true, StickyServer: true,
		Policy: Web,
	}
)

// Profiles lists the profiles, the default first.
var Profiles = []*Profile{ProfileAndroid, ProfileIOS, ProfileWeb}

// ParseProfile returns the profile named s.
func ParseProfile(s string) (*Profile, error) {
	for _, p := range Profiles {
		if p.Name == s {
			return p, nil
		}
	}
	return nil, fmt.Errorf("--profile must be one of %s (got %q)", ProfileNames(), s)
}

// ProfileNames returns "android, ios, web".
func ProfileNames() string {
	var b strings.Builder
	for i, p := range Profiles {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Name)
	}
	return b.String()
}

// Or returns p, or Android when p is nil.
func (p *Profile) Or() *Profile {
	if p == nil {
		return ProfileAndroid
	}
	return p
}

// Publish returns the published (name, value) of s and whether the
// profile's machine has s.
func (p *Profile) Publish(s Status) (Published, bool) {
	p = p.Or()
	if i, ok := slot(s); ok && p.tables != nil {
		return p.tables.pub[i], p.tables.has[i]
	}
	return p.publishedOf(s)
}

// StatusName is the published name of s, or s's core name when the profile
// does not publish s.
func (p *Profile) StatusName(s Status) string {
	if n, ok := p.Publish(s); ok {
		return n.Name
	}
	return s.String()
}

// StatusValue is the published value of s, or s's core value when the
// profile does not publish s.
func (p *Profile) StatusValue(s Status) int {
	if n, ok := p.Publish(s); ok {
		return n.Value
	}
	return int(s)
}

// ParseStatus returns the core status a listener of this profile saw as
// name (with the status record's code, which tells the web profile's
// DISCONNECTED apart: 31010 kicked, 31004/31020 token, 31009/31011 blocked,
// 2 the app's disconnect, anything else UNCONNECTED).
func (p *Profile) ParseStatus(name string, code Code) (Status, bool) {
	var first Status
	found, wanted := 0, false
	want := statusOfCode(code)
	for _, s := range AllStatuses {
		if n, ok := p.Publish(s); ok && n.Name == name {
			if found == 0 {
				first = s
			}
			found++
			wanted = wanted || s == want
		}
	}
	switch {
	case found == 0:
		return 0, false
	case found > 1 && wanted:
		return want, true
	}
	return first, true
}

// statusOfCode is the core status that a status record's code names among
// statuses published alike.
func statusOfCode(code Code) Status {
	switch code {
	case CodeDisconnKick:
		return KickedOffline
	case ConnTokenIncorrect, ConnTokenExpire:
		return TokenIncorrect
	case ConnUserBlocked, CodeDisconnBlocked:
		return UserBlocked
	case CodeActiveDisconnect:
		return SignOut
	}
	return Unconnected
}

// ParseStatusValue is ParseStatus by published value.
func (p *Profile) ParseStatusValue(v int, code Code) (Status, bool) {
	for _, s := range AllStatuses {
		if n, ok := p.Publish(s); ok && n.Value == v {
			return p.ParseStatus(n.Name, code)
		}
	}
	return 0, false
}

// Statuses lists the core statuses the profile's machine uses, in the
// order of AllStatuses.
func (p *Profile) Statuses() []Status {
	var out []Status
	for _, s := range AllStatuses {
		if _, ok := p.Publish(s); ok {
			out = append(out, s)
		}
	}
	return out
}

// PublishedEdges is the profile's machine as its listener sees it: the
// edges with published names, core statuses that publish alike merged, so
// that a drawing (sim fsm --profile) or a checker of published traces
// reads it directly. Event names stay the core's.
func (p *Profile) PublishedEdges() []Edge {
	p = p.Or()
	var out []Edge
	for _, e := range p.Edges {
		dst, _ := ParseStatus(e.To)
		pe := Edge{Event: e.Event, To: p.StatusName(dst)}
		for _, s := range e.From {
			src, _ := ParseStatus(s)
			n := p.StatusName(src)
			if n == pe.To {
				continue // a move between two statuses published alike is not one the listener sees
			}
			dup := false
			for _, have := range pe.From {
				dup = dup || have == n
			}
			if !dup {
				pe.From = append(pe.From, n)
			}
		}
		if len(pe.From) > 0 {
			out = append(out, pe)
		}
	}
	return out
}

// PublishedEdge reports whether a listener of the profile may see the
// status change from -> to (P7 on a published trace).
func (p *Profile) PublishedEdge(from, to Status) bool {
	p = p.Or()
	i, okFrom := slot(from)
	j, okTo := slot(to)
	if okFrom && okTo && p.tables != nil {
		return p.tables.edge[i][j]
	}
	return p.publishedEdge(from, to)
}

// Events only some profiles' machines have.
const (
	EvRoundFailed = "round_failed" // web: a failed round, CONNECTING -> SUSPEND
	EvBackground  = "background"   // ios: the SDK disconnects after a while in the background
)

// IOSEdges is Edges plus the iOS SDK's background disconnect: after
// BgDisconnectAfter in the background a connecting or connected client
// goes to SUSPEND (it reconnects by itself on foreground), and a pending
// first call's time limit may run out there.
var IOSEdges = append(append([]Edge{}, Edges...),
	Edge{Event: EvBackground, From: names(Connecting, Connected), To: Suspend.String()},
	Edge{Event: EvTimeout, From: names(Suspend), To: Timeout.String()},
)

// webStopped are the web machine's stopped statuses (all published as
// DISCONNECTED).
var webStopped = names(Unconnected, SignOut, KickedOffline, TokenIncorrect, UserBlocked)

// WebEdges is the web engine's status machine over the core's statuses
// (docs/profiles.md, "The status machines"): no NETWORK_UNAVAILABLE, no
// TIMEOUT, and a failed round goes back to SUSPEND.
var WebEdges = []Edge{
	{Event: EvConnect, From: webStopped, To: Connecting.String()},
	{Event: EvConnected, From: names(Connecting), To: Connected.String()},
	{Event: EvLost, From: names(Connected), To: Suspend.String()},
	{Event: EvRetry, From: names(Suspend), To: Connecting.String()},
	{Event: EvRoundFailed, From: names(Connecting), To: Suspend.String()},
	{Event: EvKicked, From: names(Connecting, Connected), To: KickedOffline.String()},
	{Event: EvTokenError, From: names(Connecting), To: TokenIncorrect.String()},
	{Event: EvUserBlocked, From: names(Connecting, Connected), To: UserBlocked.String()},
	{Event: EvOtherError, From: names(Connecting), To: Unconnected.String()},
	{Event: EvDisconnect, From: names(Connecting, Connected, Suspend), To: SignOut.String()},
}

// HasEdge reports whether the profile's machine has an edge named ev.
func (p *Profile) HasEdge(ev string) bool {
	for _, e := range p.Or().Edges {
		if e.Event == ev {
			return true
		}
	}
	return false
}

// Table returns the profile's machine compiled (shared, never modified).
func (p *Profile) Table() *Table {
	if t := p.Or().machine; t != nil {
		return t
	}
	return p.compiled()
}

// compiled is the definition of Table: the machine of p's edges.
func (p *Profile) compiled() *Table {
	switch p.Or() {
	case ProfileWeb:
		return webTable
	case ProfileIOS:
		return iosTable
	}
	return DefaultTable
}

var (
	iosTable = MustCompile(IOSEdges)
	webTable = MustCompile(WebEdges)
)
