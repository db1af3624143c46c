package properties

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
)

// The hand-written cases of P20 (an attempt ends within its timeout), P21
// (an attempt's steps in order) and P22 (a transient failure never
// reaches onError), each with the configuration it is read with.

// firstVisit: a first visit under attempt full, a navigation answer
// listing two servers, the first of which refuses its socket.
const firstVisit = `
0     d0  call init
0     d0  call connect 1
0     d0  status CONNECTING
0     d0  attempt start connect
0     d0  attempt step navi
0.1   d0  attempt step socket
0.2   d0  attempt step socket       # server 0 refused: the next listed one
0.3   d0  attempt step auth
0.35  d0  session open 0 mobile 1
0.4   d0  attempt ok
0.4   d0  status CONNECTED
0.4   d0  cb ok 1
0.42  d0  cb db 1
`

// lostAgain: firstVisit's connection lost, and the reconnection.
const lostAgain = `
20    d0  lost heartbeat
20    d0  status SUSPEND
20.05 d0  status CONNECTING
20.05 d0  attempt start schedule
20.05 d0  attempt step socket       # the cached answer is fresh
20.15 d0  attempt step auth
20.25 d0  attempt ok
20.25 d0  status CONNECTED
`

// full returns the configuration of firstVisit: attempt full, two
// servers, no TLS, a first visit (no returning device).
func full(opts ...func(*Config)) Config {
	c := DefaultConfig()
	c.Attempt, c.Servers = fsm.AttemptFull, 2
	for _, o := range opts {
		o(&c)
	}
	return c
}

var web = func(c *Config) { c.Profile, c.Policy = fsm.ProfileWeb, fsm.ProfileWeb.Policy }

// anatomyCase is a propCase with its configuration.
type anatomyCase struct {
	propCase
	cfg Config
}

var anatomyCases = []anatomyCase{
	// P20 an attempt ends within its timeout
	{propCase{"failed at its timeout", "P20", timedOutAt(5), -1}, DefaultConfig()},
	{propCase{"failed after its timeout", "P20", timedOutAt(5.001), 5}, DefaultConfig()},
	{propCase{"other records first", "P20", timedOutAt(5.001)[:strings.Index(timedOutAt(5.001), "5.001")] + "5.0005 d0 env net_change\n", 5}, DefaultConfig()},
	{propCase{"within a longer timeout", "P20", timedOutAt(7), -1}, withTimeout(7 * time.Second)},
	{propCase{"never checked", "P20", timedOutAt(70), -1}, withTimeout(-1)},
	{propCase{"in flight at an idle end", "P20", timedOutAt(5)[:strings.Index(timedOutAt(5), "5 ")] + "1 srv end idle\n", 5}, DefaultConfig()},
	{propCase{"in flight at a horizon before its bound", "P20", timedOutAt(5)[:strings.Index(timedOutAt(5), "5 ")] + "5 srv end horizon\n", -1}, DefaultConfig()},
	{propCase{"in flight at a horizon after its bound", "P20", timedOutAt(5)[:strings.Index(timedOutAt(5), "5 ")] + "5.1 srv end horizon\n", 5}, DefaultConfig()},
	{propCase{"no end record", "P20", timedOutAt(5)[:strings.Index(timedOutAt(5), "5 ")] + "6 d1 call init\n", 5}, DefaultConfig()},
	{propCase{"a second start with no end", "P20", timedOutAt(5)[:strings.Index(timedOutAt(5), "5 ")] + "1 d0 attempt start network-change\n", 5}, DefaultConfig()},
	{propCase{"the OS froze it", "P20", timedOutAt(5)[:strings.Index(timedOutAt(5), "5 ")] + "1 d0 env os_suspend\n9 srv end idle\n", -1}, DefaultConfig()},
	{propCase{"first visit", "P20", firstVisit + lostAgain, -1}, full()},
	// Navigation timeout 2 s: the navi step's timer fires before the
	// attempt's (5 s), off web.
	{propCase{"navigation times out", "P20", naviHangs(2), -1}, full(naviTimeout(2 * time.Second))},
	{propCase{"navigation past its timeout", "P20", naviHangs(2.5), 5}, full(naviTimeout(2 * time.Second))},
	{propCase{"the attempt's timer bounds the navigation", "P20", naviHangs(5), -1}, full()},
	{propCase{"navigation past the attempt's timeout", "P20", naviHangs(6), 5}, full()},
	// Web: the navigation has its own 10 s, each socket the attempt's 5 s.
	{propCase{"web navigation times out", "P20", naviHangs(10), -1}, full(web)},
	{propCase{"web navigation past its timeout", "P20", naviHangs(10.5), 5}, full(web)},
	{propCase{"web sockets time out in turn", "P20", socketsHang, -1}, full(web)},
	{propCase{"sockets off web", "P20", socketsHang, 6}, full()},

	// P21 an attempt's steps in order
	{propCase{"first visit", "P21", firstVisit + lostAgain, -1}, full()},
	{propCase{"under attempt auth", "P21", strings.Replace(firstVisit, "navi", "auth", 1), -1}, DefaultConfig()},
	{propCase{"returning", "P21", strings.Replace(firstVisit, "0     d0  attempt step navi\n", "", 1), -1}, full(returning)},
	{propCase{"no navigation on a first visit", "P21", strings.Replace(firstVisit, "0     d0  attempt step navi\n", "", 1), 4}, full()},
	{propCase{"fetched again within the TTL", "P21", firstVisit + strings.Replace(lostAgain, "20.05 d0  attempt step socket  ", "20.05 d0  attempt step navi\n20.1 d0 attempt step socket", 1), 17}, full()},
	{propCase{"fetched again after the TTL", "P21", firstVisit + strings.Replace(lostAgain, "20.05 d0  attempt step socket  ", "20.05 d0  attempt step navi\n20.1 d0 attempt step socket", 1), -1}, full(ttl(19900 * time.Millisecond))},
	{propCase{"not fetched after the TTL", "P21", firstVisit + lostAgain, 17}, full(ttl(19900 * time.Millisecond))},
	{propCase{"fetched at the TTL", "P21", firstVisit + lostAgain, 17}, full(ttl(19950 * time.Millisecond))},
	{propCase{"fresh until the TTL", "P21", firstVisit + lostAgain, -1}, full(ttl(19951 * time.Millisecond))},
	{propCase{"another token asks", "P21", firstVisit + otherToken(true), -1}, full()},
	{propCase{"another token cannot use the answer", "P21", firstVisit + otherToken(false), 19}, full()},
	{propCase{"the first token's answer is still fresh", "P21", firstVisit + otherToken(true) + backToFirst, -1}, full()},
	{propCase{"a failed navigation caches nothing", "P21", naviHangs(5) + "5.05 d0 attempt start schedule\n5.05 d0 attempt step socket\n", 7}, full()},
	{propCase{"auth before a socket", "P21", strings.Replace(firstVisit, "0.1   d0  attempt step socket", "0.1 d0 attempt step auth", 1), 5}, full()},
	{propCase{"ok without auth", "P21", strings.Replace(firstVisit, "0.3   d0  attempt step auth", "0.3 d0 env loss 0", 1), 9}, full()},
	{propCase{"a socket more than listed", "P21", firstVisit, 6}, full(servers(1))},
	{propCase{"TLS", "P21", strings.Replace(firstVisit, "0.3   d0  attempt step auth", "0.25 d0 attempt step tls\n0.3 d0 attempt step auth", 1), -1}, full(tls(1))},
	{propCase{"no TLS step", "P21", firstVisit, 7}, full(tls(1))},
	{propCase{"a TLS step with --tls 0", "P21", strings.Replace(firstVisit, "0.3   d0  attempt step auth", "0.25 d0 attempt step tls\n0.3 d0 attempt step auth", 1), 7}, full()},
	{propCase{"TLS before the socket", "P21", strings.Replace(firstVisit, "0     d0  attempt step navi", "0 d0 attempt step navi\n0.05 d0 attempt step tls", 1), 5}, full(tls(1))},
	{propCase{"a socket after the auth", "P21", socketAfterAuth(1), 7}, full()},
	{propCase{"a socket after a refused TLS round", "P21", strings.Replace(socketAfterAuth(1), "attempt step auth", "attempt step tls", 1), -1}, full(tls(1))},
	{propCase{"web: a socket when the auth timed out", "P21", socketAfterAuth(5.1), -1}, full(web)},
	{propCase{"web: a socket before the auth timed out", "P21", socketAfterAuth(5), 7}, full(web)},
	{propCase{"a step with no attempt", "P21", "0 d0 attempt step navi\n", 0}, full()},

	// P22 a transient failure never reaches onError
	{propCase{"terminal codes", "P22", timedOut, -1}, DefaultConfig()},
	{propCase{"a round's code", "P22", strings.Replace(timedOut, "34006", "35008", 1), 7}, DefaultConfig()},
	{propCase{"a navigation's code", "P22", strings.Replace(timedOut, "34006", "30007", 1), 7}, full(web)},
	{propCase{"-2 at once, the link down", "P22", ipcRefused("0 d0 env ipc_disconnect\n", 1), -1}, DefaultConfig()},
	{propCase{"-2 at once, the link up", "P22", ipcRefused("", 1), 2}, DefaultConfig()},
	{propCase{"-2 at once, the link back", "P22", ipcRefused("0 d0 env ipc_disconnect\n0.5 d0 env ipc_back\n", 1), 4}, DefaultConfig()},
	{propCase{"-2 later", "P22", ipcRefused("0 d0 env ipc_disconnect\n", 1.5), 3}, DefaultConfig()},
	{propCase{"-2, the native library missing", "P22", ipcRefused("0 d0 env native_lib_missing\n", 1), -1}, DefaultConfig()},
	{propCase{"-2 on web", "P22", ipcRefused("0 d0 env ipc_disconnect\n", 1), 3}, full(web)},
}

// timedOutAt: an attempt that fails (attempt-timeout) at t.
func timedOutAt(t float64) string {
	return `
0     d0  call init
0     d0  call connect 1
0     d0  status CONNECTING
0.02  d0  cb db 1
0     d0  attempt start connect
` + ftoa(t) + ` d0  attempt fail attempt-timeout
`
}

// naviAsked: a first visit's Connect, its attempt at its navi step.
const naviAsked = `
0     d0  call init
0     d0  call connect 1
0     d0  status CONNECTING
0     d0  attempt start connect
0     d0  attempt step navi
`

// naviHangs: a first visit whose navigation gets no answer; the attempt
// fails at t.
func naviHangs(t float64) string {
	return naviAsked + ftoa(t) + " d0  attempt fail attempt-timeout\n"
}

// socketsHang: neither listed server answers its socket; on web each
// socket's timer moves on.
const socketsHang = naviAsked + `
0.1   d0  attempt step socket
5.1   d0  attempt step socket
10.1  d0  attempt fail attempt-timeout
`

// socketAfterAuth: the auth on server 0 gets no answer and the attempt
// opens a socket to server 1 at t.
func socketAfterAuth(t float64) string {
	return naviAsked + `
0.1   d0  attempt step socket
0.2   d0  attempt step auth
` + ftoa(t) + " d0  attempt step socket\n"
}

// otherToken: after firstVisit, a Connect with another token (with or
// without its navigation).
func otherToken(navi bool) string {
	s := `
1     d0  call disconnect
1     d0  attempt fail cancelled
1     d0  status SIGN_OUT
2     d0  call connect 2 token=1
2     d0  status CONNECTING
2     d0  attempt start connect
`
	if navi {
		s += "2 d0 attempt step navi\n2.1 d0 attempt fail unavailable   # the navigation failed\n"
	} else {
		s += "2 d0 attempt step socket\n"
	}
	return s
}

// backToFirst: after otherToken, a Connect with the first token, whose
// answer is still cached.
const backToFirst = `
3     d0  call disconnect
3     d0  status SIGN_OUT
4     d0  call connect 3 token=0
4     d0  status CONNECTING
4     d0  attempt start connect
4     d0  attempt step socket
`

// ipcRefused: env records at 0 (before), then a Connect at 1 whose onError
// (-2) comes at t.
func ipcRefused(before string, t float64) string {
	return before + "1 d0 call init\n1 d0 call connect 1\n" + ftoa(t) + " d0 cb err 1 -2\n"
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func withTimeout(d time.Duration) Config {
	c := DefaultConfig()
	c.AttemptTimeout = d
	return c
}

func naviTimeout(d time.Duration) func(*Config) { return func(c *Config) { c.NaviTimeout = d } }
func ttl(d time.Duration) func(*Config)         { return func(c *Config) { c.NaviTTL = d } }
func servers(n int) func(*Config)               { return func(c *Config) { c.Servers = n } }
func tls(n int) func(*Config)                   { return func(c *Config) { c.TLS = n } }

var returning = func(c *Config) { c.Returning = true }

func TestAnatomyCheckers(t *testing.T) {
	byID := map[string]Checker{}
	for _, p := range Catalogue {
		byID[p.ID] = p.Check
	}
	for _, tc := range anatomyCases {
		t.Run(tc.prop+"/"+tc.name, func(t *testing.T) {
			recs := parseTrace(t, tc.trace)
			vs := byID[tc.prop](tc.cfg, recs)
			wantFirst(t, vs, tc.want)
		})
	}
}
