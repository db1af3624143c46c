package properties

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// heal10 heals at t=10s with a 5 s attempt timeout and a 0.1 s round
// trip: with the default schedule the bound is 64 + 5 + 0.1 = 69.1 s.
var heal10 = Heal{At: 10 * time.Second, AttemptTimeout: 5 * time.Second, RoundTrip: 100 * time.Millisecond}

func TestCheckP8(t *testing.T) {
	cfg := DefaultConfig()
	if got, want := heal10.Bound(cfg), 69100*time.Millisecond; got != want {
		t.Fatalf("Bound = %v, want %v", got, want)
	}
	tests := []struct {
		name, src string
		want      []string // "P8@index"
	}{
		{"connected in time", `
0     d0  call connect 1
0     d0  status CONNECTING
50    d0  status CONNECTED
80    srv end settled
`, nil},
		{"connected at the heal stays so", `
0     d0  call connect 1
0     d0  status CONNECTING
1     d0  status CONNECTED
200   srv end settled
`, nil},
		{"never connected after the heal", `
0     d0  call connect 1
0     d0  status CONNECTING
79    d0  status SUSPEND            # not CONNECTED: no change of verdict
79.2  srv server mark               # past 10 + 69.1
`, []string{"P8@3"}},
		{"exactly at the bound", `
0     d0  call connect 1
0     d0  status CONNECTING
79.1  d0  status CONNECTED
100   srv end settled
`, nil},
		{"a loss after the heal starts a new stretch", `
0     d0  call connect 1
0     d0  status CONNECTING
0.1   d0  status CONNECTED
20    d0  lost heartbeat
20    d0  status SUSPEND
89    d0  server mark               # 20 + 69.1 = 89.1: in time
89.2  srv server mark
`, []string{"P8@6"}},
		{"a time limit obliges nothing", `
0     d0  call connect 1 limit=5
0     d0  status CONNECTING
200   srv end horizon
`, nil},
		{"a stop ends the obligation", `
0     d0  call connect 1
0     d0  status CONNECTING
30    d0  status KICKED_OFFLINE_BY_OTHER_CLIENT
200   srv end settled
`, nil},
		{"a disconnect ends it, a new call starts it again", `
0     d0  call connect 1
0     d0  status CONNECTING
20    d0  call disconnect
20    d0  status SIGN_OUT
100   d0  call connect 2
100   d0  status CONNECTING
170   srv server mark
`, []string{"P8@6"}},
		{"a trace that ends early gives no verdict", `
0     d0  call connect 1
0     d0  status CONNECTING
50    srv server mark
`, nil},
		{"devices apart", `
0     d0  call connect 1
0     d1  call connect 2
0     d0  status CONNECTING
0     d1  status CONNECTING
0.1   d1  status CONNECTED
90    srv end settled
`, []string{"P8@5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := parseTrace(t, tt.src)
			var got []string
			for _, v := range CheckP8(cfg, recs, heal10) {
				got = append(got, v.Property+"@"+strconv.Itoa(v.Index))
				_ = v.String()
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v", got, tt.want)
				for _, v := range CheckP8(cfg, recs, heal10) {
					t.Log(v)
				}
			}
		})
	}
}
