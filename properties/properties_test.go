package properties

import (
	"strconv"
	"strings"
	"testing"
)

// happy: one call connects at once. Every checker passes it.
const happy = `
0     d0  call init
0     d0  call add_listener 1
0     d0  call connect 1 limit=5
0     d0  status CONNECTING
0     d0  attempt start connect
0     d0  msg send auth                 # detail records are ignored
0.02  d0  cb db 1
0.1   d0  session open 0 mobile 1
0.15  d0  attempt ok
0.15  d0  status CONNECTED
0.15  d0  cb ok 1
0.15  srv end settled
`

// timedOut: a call with a 5 s limit times out on a dead network.
const timedOut = `
0     d0  call init
0     d0  call connect 1 limit=5
0     d0  status CONNECTING
0     d0  attempt start connect
0.02  d0  cb db 1
5     d0  attempt fail cancelled
5     d0  status TIMEOUT
5     d0  cb err 1 34006
`

// reconnects: failures follow the schedule, with a heartbeat loss, a
// network change, a pause and a foreground reset.
const reconnects = `
0      d0  call init
0      d0  call connect 1
0      d0  status CONNECTING
0      d0  attempt start connect
0.02   d0  cb db 1
5      d0  attempt fail attempt-timeout
5.05   d0  attempt start schedule        # failure 1: 50ms
5.1    d0  attempt fail unavailable
5.35   d0  attempt start schedule        # failure 2: 250ms
5.4    d0  attempt ok
5.4    d0  status CONNECTED
5.4    d0  cb ok 1
20     d0  lost heartbeat                # failure 1 of a new streak
20     d0  status SUSPEND
20.05  d0  status CONNECTING
20.05  d0  attempt start schedule
21     d0  env net_change                # reset: abandon and restart at once
21     d0  attempt fail network-change
21     d0  attempt start network-change
26     d0  attempt fail attempt-timeout
26.01  d0  env foreground                # reset: the waiting attempt starts at once
26.01  d0  attempt start foreground
31.01  d0  attempt fail ipc-disconnect
31.02  d0  env net_off                   # pause
31.02  d0  status NETWORK_UNAVAILABLE
40     d0  env net_on                    # reset
40     d0  status CONNECTING
40     d0  attempt start network-up
40.1   d0  attempt ok
40.1   d0  status CONNECTED
50     srv end horizon
`

// noLib: a device whose native library is missing gets -2 for every
// Connect (P5: it is stopped for good).
const noLib = `
		0  d0  call init
		0  d0  env native_lib_missing
		0  d0  call connect 1
		0  d0  cb err 1 -2
		5  d0  call connect 2
		5  d0  cb err 2 -2
		9  srv end horizon`

// ipcOwed: a Connect gets -2 while the IPC link is down (after a logout);
// when the link is back the SDK connects at once (P6).
const ipcOwed = `
		0  d0  call init
		0  d0  call connect 1
		0  d0  status CONNECTING
		0  d0  attempt start connect
		0.1  d0  attempt ok
		0.1  d0  status CONNECTED
		0.1  d0  cb ok 1
		0.12  d0  cb db 1
		1  d0  call logout
		1  d0  status SIGN_OUT
		2  d0  env ipc_disconnect
		3  d0  call connect 2
		3  d0  cb db 2
		3  d0  cb err 2 -2
		4  d0  env ipc_back
		4  d0  status CONNECTING
		4  d0  attempt start ipc-back
		4.1  d0  attempt ok
		4.1  d0  status CONNECTED
		9  srv end horizon`

// stopped: a Disconnect, then a new Connect.
const stopped = `
0     d0  call init
0     d0  call connect 1
0     d0  status CONNECTING
0     d0  attempt start connect
0.02  d0  cb db 1
1     d0  call disconnect push
1     d0  attempt fail cancelled
1     d0  status SIGN_OUT
2     d0  call connect 2
2     d0  status CONNECTING
2     d0  attempt start connect
2.02  d0  cb db 2
2.1   d0  attempt ok
2.1   d0  status CONNECTED
2.1   d0  cb ok 2
2.1   srv end settled
`

// rejected: call 2 comes while call 1 is pending and gets 34001; a Connect
// before Init on another device gets 33001.
const rejected = `
0     d0  call init
0     d0  call connect 1
0     d0  status CONNECTING
0     d0  attempt start connect
0.01  d0  call connect 2
0.01  d0  cb err 2 34001
0.01  d1  call connect 3
0.01  d1  cb err 3 33001
0.02  d0  cb db 1
0.15  d0  attempt ok
0.15  d0  status CONNECTED
0.15  d0  cb ok 1
0.15  srv end settled
`

// twoDevices: a second device of the same user and platform kicks the first.
const twoDevices = `
0     d0  call init
0     d1  call init
0     d0  call connect 1
0     d0  status CONNECTING
0     d0  attempt start connect
0.02  d0  cb db 1
0.05  d0  session open 0 mobile 1
0.1   d0  attempt ok
0.1   d0  status CONNECTED
0.1   d0  cb ok 1
1     d1  call connect 2
1     d1  status CONNECTING
1     d1  attempt start connect
1.02  d1  cb db 2
1.05  d0  session close 0 mobile 1 kicked
1.05  d1  session open 0 mobile 1
1.05  d0  session close 0 desktop 1 kicked   # closes nothing
1.1   d1  attempt ok
1.1   d1  status CONNECTED
1.1   d1  cb ok 2
1.1   d0  status KICKED_OFFLINE_BY_OTHER_CLIENT
1.1   srv end settled
`

// A case is a trace, a checker and the index of the first violation it
// must report (-1: none).
type propCase struct {
	name  string
	prop  string
	trace string
	want  int
}

var propCases = []propCase{
	// P19 a refused call stays silent (the wrapper API)
	{"refused by its return code", "P19", "0 d0 call connect 1 returned=33001\n0.2 srv end settled\n", -1},
	{"refused, then a callback", "P19", "0 d0 call connect 1 returned=33001\n0 d0 cb err 1 33001\n0.2 srv end settled\n", 1},

	// P1 at most one terminal
	{"happy", "P1", happy, -1},
	{"rejected", "P1", rejected, -1},
	{"second terminal", "P1", happy + `0.2 d0 cb err 1 31004`, 12},

	// P2 time limit honoured
	{"connected in time", "P2", happy, -1},
	{"timed out on time", "P2", timedOut, -1},
	{"disconnect first", "P2", timedOut[:strings.Index(timedOut, "5     d0  attempt fail")] + `
		3  d0  call disconnect
		3  d0  status SIGN_OUT
		9  srv end settled`, -1},
	{"trace ends first", "P2", timedOut[:strings.Index(timedOut, "5     d0  attempt fail")] + `4.5 srv end horizon`, -1},
	{"timeout late", "P2", strings.ReplaceAll(timedOut, "\n5 ", "\n5.001 "), 7},
	{"timeout early", "P2", strings.ReplaceAll(timedOut, "\n5 ", "\n4.9 "), 7},
	{"no terminal", "P2", timedOut[:strings.Index(timedOut, "5     d0  attempt fail")] + `6 srv end horizon`, 1},
	{"two terminals in time", "P2", strings.Replace(happy, "0.15  srv end settled", "0.16 d0 cb err 1 34006", 1), 11},

	// P3 silence after timeout
	{"timed out", "P3", timedOut, -1},
	{"connect again", "P3", timedOut + `
		9  d0  call connect 2
		9  d0  status CONNECTING
		9  d0  attempt start connect`, -1},
	{"connecting after timeout", "P3", timedOut + `5.05 d0 status CONNECTING`, 8},
	{"attempt after timeout", "P3", timedOut + `5.05 d0 attempt start schedule`, 8},
	{"callback after timeout", "P3", timedOut + `5.2 d0 cb ok 1`, 8},
	{"rejected connect does not end silence", "P3", timedOut + `
		5.1  d0  call connect 2
		5.1  d0  cb err 2 34001
		5.2  d0  attempt start schedule`, 10},

	// P4 database first, once
	{"happy", "P4", happy, -1},
	{"rejected calls", "P4", rejected, -1},
	{"db due at the terminal", "P4", `
		0     d0  call init
		0     d0  call connect 1 limit=0.01
		0     d0  status CONNECTING
		0     d0  attempt start connect
		0.01  d0  attempt fail cancelled
		0.01  d0  status TIMEOUT
		0.01  d0  cb db 1
		0.01  d0  cb err 1 34006
		1     srv end horizon`, -1},
	{"terminal before db", "P4", strings.Replace(happy, "0.02  d0  cb db 1", "0.01 d0 env background", 1) + `0.2 d0 cb db 1`, 10},
	{"second db", "P4", happy + `0.2 d0 cb db 1`, 12},
	{"db of a rejected call", "P4", strings.Replace(rejected, "0.01  d0  cb err 2 34001", "0.01  d0  cb err 2 34001\n0.01 d0 cb db 2", 1), 6},
	{"db late", "P4", strings.Replace(happy, "0.02  d0  cb db 1", "0.021 d0 cb db 1", 1), 6},
	{"db missing", "P4", `
		0     d0  call init
		0     d0  call connect 1
		0     d0  status CONNECTING
		0     d0  attempt start connect
		1     srv end horizon`, 1},

	// P5 terminal means stop
	{"disconnect then connect", "P5", stopped, -1},
	{"attempt after disconnect", "P5", strings.Replace(stopped, "2     d0  call connect 2", "1.05 d0 attempt start schedule\n2 d0 call connect 2", 1), 8},
	{"attempt after token error", "P5", `
		0     d0  call init
		0     d0  call connect 1
		0     d0  status CONNECTING
		0     d0  attempt start connect
		0.02  d0  cb db 1
		0.1   d0  attempt fail error code=31004
		0.1   d0  status TOKEN_INCORRECT
		0.1   d0  cb err 1 31004
		0.15  d0  attempt start schedule`, 8},
	{"attempt after kick", "P5", twoDevices + `1.2 d0 attempt start schedule`, 22},
	{"no native library: -2 and nothing else", "P5", noLib, -1},
	{"no native library: a Connect does not end the stop", "P5", noLib[:strings.Index(noLib, "9  srv")] + `
		10  d0  call connect 3
		10  d0  status CONNECTING
		10  d0  attempt start connect`, 8},

	// P6 schedule
	{"reconnects", "P6", reconnects, -1},
	{"scheduled start late", "P6", strings.Replace(reconnects, "5.05   d0  attempt start schedule", "5.06 d0 attempt start schedule", 1), 6},
	{"scheduled start early", "P6", strings.Replace(reconnects, "5.35   d0  attempt start schedule", "5.15 d0 attempt start schedule", 1), 8},
	{"lost counts as failure 1", "P6", strings.Replace(reconnects, "20.05  d0  attempt start schedule", "20.25 d0 attempt start schedule", 1), 15},
	{"start never came", "P6", strings.Replace(reconnects, "5.05   d0  attempt start schedule", "5.06 d0 env background", 1), 6},
	{"reset reason without reset", "P6", strings.Replace(reconnects, "26.01  d0  env foreground", "26.01 d0 env background", 1), 21},
	{"schedule start with nothing waiting", "P6", happy + `0.2 d0 attempt start schedule`, 12},
	{"net_on while online is no reset", "P6", strings.Replace(reconnects, "5.05   d0  attempt start schedule", "5.01 d0 env net_on\n5.01 d0 attempt start network-up", 1), 7},
	{"pause: no start due", "P6", reconnects[:strings.Index(reconnects, "40  ")] + `100 srv end horizon`, -1},
	{"-2 then the IPC link's return", "P6", ipcOwed, -1},
	{"no attempt at the IPC link's return", "P6", strings.Replace(ipcOwed, "4  d0  attempt start ipc-back", "4  d0  env background", 1), 17},
	{"-2 then logout: nothing owed", "P6", ipcOwed[:strings.Index(ipcOwed, "4  d0  env ipc_back")] + `
		3.5  d0  call logout
		4    d0  env ipc_back
		9    srv end horizon`, -1},
	{"missing native library: -2 owes nothing", "P6", `
		0  d0  call init
		0  d0  env native_lib_missing
		0  d0  call connect 1
		0  d0  cb err 1 -2
		1  d0  env ipc_back
		9  srv end horizon`, -1},

	// P7 legal statuses
	{"happy", "P7", happy, -1},
	{"reconnects", "P7", reconnects, -1},
	{"listeners", "P7", `
		0  d0  call add_listener 1
		0  d0  call add_listener 1
		0  d0  call add_listener 2
		0  d1  call add_listener 1
		0  d0  call remove_listener 3
		0  d0  call init
		0  d0  call connect 1
		0  d0  status CONNECTING                  # 2 listeners
		0  d0  call remove_listener 1
		0  d0  status NETWORK_UNAVAILABLE         # 1 listener`, -1},
	{"wrong from", "P7", strings.Replace(happy, "0.15  d0  status CONNECTED", "0.15 d0 status CONNECTED from=SUSPEND", 1), 9},
	{"not an edge", "P7", strings.Replace(happy, "0     d0  status CONNECTING", "0 d0 status CONNECTED", 1), 3},
	{"same status twice", "P7", happy + `0.2 d0 status CONNECTED`, 12},
	{"listener count", "P7", strings.Replace(happy, "0.15  d0  status CONNECTED", "0.15 d0 status CONNECTED listeners=2", 1), 9},

	// P9 misuse is contained
	{"rejected", "P9", rejected, -1},
	{"pending until horizon", "P9", rejected[:strings.Index(rejected, "0.15")] + `9 srv end horizon`, -1},
	{"pending and offline", "P9", rejected[:strings.Index(rejected, "0.15")] + `
		1  d0  env net_off
		1  d0  status NETWORK_UNAVAILABLE
		9  srv end idle`, -1},
	{"pending call dropped", "P9", rejected[:strings.Index(rejected, "0.15")] + `9 srv end idle`, 1},
	{"pending call released by logout", "P9", rejected[:strings.Index(rejected, "0.15")] + `
		1  d0  call logout
		1  d0  status SIGN_OUT
		1  srv end settled`, -1},
	{"status before rejection", "P9", strings.Replace(rejected, "0.01  d0  cb err 2 34001", "0.01 d0 status CONNECTED\n0.01  d0  cb err 2 34001", 1), 5},
	{"rejection late", "P9", strings.Replace(rejected, "0.01  d1  cb err 3 33001", "0.02 d1 cb err 3 33001", 1), 7},
	{"second callback", "P9", strings.Replace(rejected, "0.15  srv end settled", "0.2 d0 cb err 2 34001", 1), 12},

	// P5, extended (issue 8): no CONNECTED after a stop without a Connect.
	{"connected after disconnect", "P5", stopped[:strings.Index(stopped, "2     d0  call connect 2")] + `
		1.1  d0  status CONNECTING
		1.1  d0  status CONNECTED
		1.2  srv end idle`, 9},

	// P12 no result after Disconnect
	{"disconnect then connect", "P12", stopped, -1},
	{"database after disconnect", "P12", `
		0     d0  call init
		0     d0  call connect 1
		0     d0  status CONNECTING
		0     d0  attempt start connect
		0.01  d0  call disconnect push
		0.01  d0  attempt fail cancelled
		0.01  d0  status SIGN_OUT
		0.02  d0  cb db 1
		0.02  srv end settled`, -1},
	{"success after disconnect", "P12", stopped[:strings.Index(stopped, "2     d0  call connect 2")] + `
		1.1  d0  cb ok 1
		1.2  srv end idle`, 8},

	// P13 a second concurrent Connect never succeeds
	{"second connect rejected", "P13", rejected, -1},
	{"both succeed", "P13", strings.Replace(strings.Replace(rejected, "0.01  d0  cb err 2 34001\n", "", 1),
		"0.15  d0  cb ok 1", "0.15  d0  cb ok 1\n0.15 d0 cb ok 2", 1), 11},

	{"connect while connected succeeds", "P13", happy + `
		0.2  d0  call connect 2
		0.2  d0  cb db 2
		0.2  d0  cb ok 2`, 14},

	// P14 every accepted call ends
	{"connected", "P14", happy, -1},
	{"still connecting at the horizon", "P14", reconnects, -1},
	{"forgotten", "P14", strings.Replace(happy, "0.15  d0  cb ok 1\n0.15  srv end settled", "10 srv end horizon", 1), 2},

	// P10 one session per user and platform
	{"kick", "P10", twoDevices, -1},
	{"two devices live", "P10", strings.Replace(twoDevices, "1.05  d0  session close 0 mobile 1 kicked", "1.05 d0 heartbeat ping 1", 1), 15},
	{"same device twice", "P10", happy + `0.2 d0 session open 0 mobile 2`, 12},
}

func TestCheckers(t *testing.T) {
	byID := map[string]Checker{}
	for _, p := range Catalogue {
		byID[p.ID] = p.Check
	}
	cfg := fixtureConfig()
	for _, tc := range propCases {
		t.Run(tc.prop+"/"+tc.name, func(t *testing.T) {
			recs := parseTrace(t, tc.trace)
			vs := byID[tc.prop](cfg, recs)
			for _, v := range vs {
				if v.Property != tc.prop {
					t.Errorf("checker %s reported %s", tc.prop, v.Property)
				}
			}
			wantFirst(t, vs, tc.want)
			// Check finds the same violation among all properties'.
			all := Check(cfg, recs)
			if tc.want < 0 {
				return
			}
			found := false
			for _, v := range all {
				found = found || (v.Property == tc.prop && v.Index == tc.want)
			}
			if !found {
				t.Errorf("Check does not report %s at record %d: %v", tc.prop, tc.want, all)
			}
		})
	}
}

// TestGoodTracesKeepEveryProperty runs every checker over each good trace:
// the traces are consistent, and no checker is over-eager.
func TestGoodTracesKeepEveryProperty(t *testing.T) {
	for name, src := range map[string]string{
		"happy": happy, "timedOut": timedOut, "reconnects": reconnects,
		"stopped": stopped, "rejected": rejected, "twoDevices": twoDevices,
	} {
		if vs := Check(fixtureConfig(), parseTrace(t, src)); vs != nil {
			t.Errorf("%s: %v", name, vs)
		}
	}
}

// TestEveryCheckerCanFail makes sure each trace checker has a failing case.
func TestEveryCheckerCanFail(t *testing.T) {
	for _, p := range Catalogue {
		if p.Check == nil {
			continue
		}
		n := 0
		for _, tc := range propCases {
			if tc.prop == p.ID && tc.want >= 0 {
				n++
			}
		}
		for _, tc := range anatomyCases {
			if tc.prop == p.ID && tc.want >= 0 {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s has no failing case", p.ID)
		}
	}
}

func TestCheckOrder(t *testing.T) {
	// Record 12 breaks P1, P2 (a second terminal within the limit) and
	// P3 (a callback after 34006); record 8 is the 34006 before its time.
	recs := parseTrace(t, strings.ReplaceAll(timedOut, "\n5 ", "\n4 ")+`
		4.5  d0  cb ok 1
		5    srv end settled`)
	vs := Check(fixtureConfig(), recs)
	var got []string
	for _, v := range vs {
		got = append(got, v.Property+"@"+strconv.Itoa(v.Index))
	}
	if want := "P2@7 P1@8 P2@8 P3@8"; strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s\n%v", strings.Join(got, " "), want, vs)
	}
}

// fixtureConfig is DefaultConfig for the hand-written traces of these
// tests: their devices connected before the trace begins (Returning), so
// an accepted Connect's database opens first, at db-open. TestP4Fresh has
// devices that never connected.
func fixtureConfig() Config {
	c := DefaultConfig()
	c.Returning = true
	return c
}

// fresh is happy on a device that never connected: a first connect, whose
// database opens db-open after its onSuccess (P4's database rule), then
// Logout and a Connect with the same, now stored, token whose database
// opens first, offline.
const fresh = `
0     d0  call init
0     d0  call connect 1 limit=5 token=0
0     d0  status CONNECTING
0     d0  attempt start connect
0.1   d0  session open 0 mobile 1
0.15  d0  attempt ok
0.15  d0  status CONNECTED
0.15  d0  cb ok 1
0.17  d0  cb db 1
1     d0  call logout
1     d0  status SIGN_OUT
2     d0  env net_off
3     d0  call connect 2 token=0
3     d0  status NETWORK_UNAVAILABLE
3.02  d0  cb db 2 33002
4     srv end horizon
`

// TestP4Fresh: P4's database rule on devices with no stored token at the
// start (the simulator's default): a first connect or a new token opens
// the database only after its onSuccess, and none after onError.
func TestP4Fresh(t *testing.T) {
	cases := []struct {
		name, trace string
		want        int
	}{
		{"first, then the stored token offline", fresh, -1},
		{"db before the first onSuccess", strings.Replace(strings.Replace(fresh, "0.17  d0  cb db 1", "", 1),
			"0.15  d0  attempt ok", "0.12 d0 cb db 1\n0.15  d0  attempt ok", 1), 5},
		{"db late after onSuccess", strings.Replace(fresh, "0.17  d0  cb db 1", "0.171 d0 cb db 1", 1), 8},
		{"db missing after onSuccess", strings.Replace(fresh, "0.17  d0  cb db 1", "", 1), 1},
		{"stored token: db missing", strings.Replace(fresh, "3.02  d0  cb db 2 33002", "", 1), 12},
		{"new token waits", strings.Replace(strings.Replace(fresh, "3     d0  call connect 2 token=0", "3     d0  call connect 2 token=1", 1),
			"3.02  d0  cb db 2 33002", "", 1), -1},
		{"new token opens first", strings.Replace(fresh, "3     d0  call connect 2 token=0", "3     d0  call connect 2 token=1", 1), 14},
		{"db after onError", `
			0     d0  call init
			0     d0  call connect 1
			0     d0  status CONNECTING
			0     d0  attempt start connect
			0.1   d0  attempt fail error code=31004
			0.1   d0  status TOKEN_INCORRECT
			0.1   d0  cb err 1 31004
			0.12  d0  cb db 1
			1     srv end horizon`, 7},
		{"first connect disconnected: no db", `
			0     d0  call init
			0     d0  call connect 1
			0     d0  status CONNECTING
			0     d0  attempt start connect
			0.01  d0  call disconnect push
			0.01  d0  attempt fail cancelled
			0.01  d0  status SIGN_OUT
			1     srv end horizon`, -1},
	}
	cfg := DefaultConfig()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			recs := parseTrace(t, tc.trace)
			vs := CheckP4(cfg, recs)
			wantFirst(t, vs, tc.want)
			if d := sameVerdict(vs, refCheckP4(cfg, recs)); d != "" {
				t.Errorf("the monitor and the reference differ: %s", d)
			}
		})
	}
}

// wantFirst checks that vs is empty (want < 0) or starts at record want,
// logging every violation.
func wantFirst(t *testing.T, vs []Violation, want int) {
	t.Helper()
	for _, v := range vs {
		t.Log(v)
	}
	switch {
	case want < 0 && len(vs) > 0:
		t.Errorf("want no violation, got %d", len(vs))
	case want >= 0 && len(vs) == 0:
		t.Errorf("want a violation at record %d, got none", want)
	case want >= 0 && vs[0].Index != want:
		t.Errorf("first violation at record %d, want %d", vs[0].Index, want)
	}
}
