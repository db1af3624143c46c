package properties

import (
	"strings"
	"testing"
	"time"
)

// connectedOnce: device 0 (user 0, mobile) connects at once, session 1.
const connectedOnce = `
0     d0  call init
0     d0  call connect 1
0     d0  status CONNECTING
0     d0  attempt start connect
0.02  d0  cb db 1
0.05  d0  session open 0 mobile 1
0.1   d0  attempt ok
0.1   d0  status CONNECTED
0.1   d0  cb ok 1
`

// msgTrace: one device; a message live, a status message live, a logout
// (push disallowed) with a message stored and not pushed, a reconnect
// that pulls it, a disconnect (push allowed) with a message stored and
// pushed. Every checker passes it.
const msgTrace = connectedOnce + `1     srv message send 0 1
1.05  d0  message show 0 1 live
2     srv message send 0 2 status
2.05  d0  message show 0 2 status live
3     d0  call logout
3     d0  status SIGN_OUT
3.05  d0  session close 0 mobile 1 logout push=false
4     srv message send 0 3
4     srv message store 0 3
5     d0  call connect 2
5     d0  status CONNECTING
5     d0  attempt start connect
5.02  d0  cb db 2
5.05  d0  session open 0 mobile 2
5.1   d0  attempt ok
5.1   d0  status CONNECTED
5.1   d0  cb ok 2
5.2   d0  message show 0 3 pull
6     d0  call disconnect push
6     d0  status SIGN_OUT
6.05  d0  session close 0 mobile 2 logout push=true
7     srv message send 0 4
7     srv message store 0 4
8     d0  message push 0 4
9     srv end settled
`

// msgAt returns msgTrace cut before its first line that starts with
// prefix, followed by tail.
func msgAt(prefix, tail string) string {
	return msgTrace[:strings.Index(msgTrace, "\n"+prefix)+1] + tail
}

// ghost: the device goes offline at 10 s; its session stays open in the
// server's view until the server closes it idle at 70 s (60 s after the
// device fell silent: within 60 s + 15 s).
const ghost = connectedOnce + `10    d0  env net_off
10    d0  lost network-down
10    d0  status NETWORK_UNAVAILABLE
70    d0  session close 0 mobile 1 idle
100   srv end horizon
`

func init() {
	propCases = append(propCases,
		// P15 messages once and in order
		propCase{"messages", "P15", msgTrace, -1},
		propCase{"shown twice", "P15", msgAt("2  ", "1.06 d0 message show 0 1 live\n"), 11},
		propCase{"never sent", "P15", msgAt("2  ", "1.5 d0 message show 0 7 live\n"), 11},
		propCase{"wrong conversation", "P15", msgAt("2  ", "1.5 srv message send 0 2\n1.6 d0 message show 0 2 conv=3 live\n"), 12},
		propCase{"out of order", "P15", msgAt("2  ", "1.5 srv message send 0 2\n1.6 srv message send 0 3\n1.7 d0 message show 0 3 live\n1.8 d0 message show 0 2 pull\n"), 14},
		propCase{"dup of a message never shown", "P15", msgAt("2  ", "1.5 srv message send 0 2\n1.7 d0 message dup 0 2\n"), 12},
		propCase{"dup of a dropped message", "P15", msgAt("2  ", "1.5 srv message send 0 2\n1.6 srv message drop 0 2 retention\n1.7 d0 message dup 0 2\n"), -1},
		propCase{"shown on two devices", "P15", msgAt("2  ", "1.2 d1 message show 0 1 pull\n"), 11},
		propCase{"ids not consecutive", "P15", msgAt("2  ", "1.5 srv message send 0 5\n"), 11},
		propCase{"status shown twice", "P15", msgAt("3  ", "2.06 d0 message show 0 2 status live\n"), 13},

		// P16 push only to an offline user's last device
		propCase{"push after disconnect", "P16", msgTrace, -1},
		propCase{"push after logout", "P16", msgAt("5  ", "4.5 d0 message push 0 3\n"), 18},
		propCase{"push while live", "P16", msgAt("2  ", "1.5 d0 message push 0 1\n"), 11},
		propCase{"push of a status message", "P16", msgAt("3  ", "2.1 d0 message push 0 2\n"), 13},
		propCase{"push of a message never sent", "P16", msgAt("9  ", "8.5 d0 message push 0 9\n"), 33},
		propCase{"push to another device", "P16", msgAt("9  ", "8.5 d1 message push 0 4\n"), 33},

		// P17 the server closes a dead session
		propCase{"closed idle in time", "P17", ghost, -1},
		propCase{"connected all along", "P17", strings.Replace(ghost, "10    d0  env net_off\n10    d0  lost network-down\n10    d0  status NETWORK_UNAVAILABLE\n70    d0  session close 0 mobile 1 idle\n", "", 1), -1},
		propCase{"closed late", "P17", strings.Replace(ghost, "\n70 ", "\n90 ", 1), 12},
		propCase{"left open", "P17", strings.Replace(ghost, "70    d0  session close 0 mobile 1 idle\n", "", 1), 12},
		propCase{"seen open late", "P17", strings.Replace(ghost, "70    d0  session close 0 mobile 1 idle\n", "86 d0 env net_on\n", 1), 12},
		propCase{"talked again", "P17", strings.Replace(ghost, "70    d0  session close 0 mobile 1 idle\n100   srv end horizon\n", "50 d0 attempt start network-up\n120 d0 session close 0 mobile 1 idle\n130 srv end horizon\n", 1), -1},

		// P18 no status message is stored
		propCase{"stored normal messages", "P18", msgTrace, -1},
		propCase{"status stored", "P18", msgAt("3  ", "2.06 srv message store 0 2\n"), 13},
		propCase{"status dropped", "P18", msgAt("3  ", "2.5 srv message drop 0 2 retention\n"), 13},
		propCase{"store of a message never sent", "P18", msgAt("3  ", "2.5 srv message store 0 8\n"), 13},
	)
}

// TestMessagesSyncOn checks P15's clauses that depend on multi-device
// sync and retention.
func TestMessagesSyncOn(t *testing.T) {
	on := DefaultConfig()
	on.MultiDeviceSync = true
	two := msgAt("2  ", `
1.5  srv message send 0 2
1.6  srv message send 0 3
1.7  d0  message show 0 3 live
2    srv end settled
`)
	for _, tc := range []struct {
		name  string
		cfg   Config
		trace string
		want  int // the first P15 violation's record, -1 none
	}{
		{"sync off: a gap is no violation (another device may hold it)", DefaultConfig(), two, -1},
		{"sync on: the gap", on, two, 13},
		{"sync on: shown on two devices", on, msgAt("2  ", "1.2 d1 message show 0 1 pull\n"), -1},
		{"sync on: dup of a message shown elsewhere", on, msgAt("2  ", "1.2 d1 message dup 0 1\n"), 11},
		{"sync on: skipped but dropped", on, msgAt("2  ", "1.5 srv message send 0 2\n1.6 srv message send 0 3\n1.65 srv message drop 0 2 retention\n1.7 d0 message show 0 3 live\n2 srv end settled\n"), -1},
		{"retention: kept and shown", func() Config { c := DefaultConfig(); c.Retention = 5 * time.Second; return c }(), msgTrace, -1},
		{"retention: never shown, never dropped", func() Config { c := DefaultConfig(); c.Retention = 2500 * time.Millisecond; return c }(),
			strings.Replace(msgTrace, "5.2   d0  message show 0 3 pull\n", "", 1), 16},
		{"retention: dropped", func() Config { c := DefaultConfig(); c.Retention = 2500 * time.Millisecond; return c }(),
			strings.Replace(msgTrace, "5.2   d0  message show 0 3 pull\n", "6.5   srv message drop 0 3 retention\n", 1), -1},
		{"retention, sync on: a device never showed it", func() Config { c := on; c.Retention = 2500 * time.Millisecond; return c }(),
			strings.Replace(msgTrace, "5.2   d0  message show 0 3 pull\n", "5.2   d0  message show 0 3 pull\n5.3 d1 message show 0 1 pull\n", 1), 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs := CheckP15(tc.cfg, parseTrace(t, tc.trace))
			for _, v := range vs {
				t.Log(v)
			}
			switch {
			case tc.want < 0 && len(vs) > 0:
				t.Errorf("want no violation, got %d", len(vs))
			case tc.want >= 0 && len(vs) == 0:
				t.Errorf("want a violation at record %d, got none", tc.want)
			case tc.want >= 0 && vs[0].Index != tc.want:
				t.Errorf("first violation at record %d, want %d", vs[0].Index, tc.want)
			}
		})
	}
}
