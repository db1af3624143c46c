package properties

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
)

// webNetChange: a web client's first attempt in flight when the network
// changes (the rapid suite's shrunk case; `sim trace --profile web
// --net-change-at 0s`). The browser fails the socket, so the round fails
// (failure 1) and the engine waits its gap (5 s) in SUSPENDED: a network
// change restarts no web schedule.
const webNetChange = `
0  d0  call init
0  d0  call connect 1
0  d0  status CONNECTING
0  d0  attempt start connect
0  d0  env net_change
0  d0  attempt fail network-change
0  d0  status SUSPEND
5  d0  status CONNECTING
5  d0  attempt start schedule       # failure 1: web's 5 s
5  d0  attempt ok
5  d0  status CONNECTED
5  d0  cb ok 1
`

// TestP6WebNetChangeFailsRound: on web an attempt failed by a network
// change is a counted failure (its round failed); on a mobile profile the
// same failure is a reset, restarted at once.
func TestP6WebNetChangeFailsRound(t *testing.T) {
	web := Config{Profile: fsm.ProfileWeb, Policy: fsm.ProfileWeb.Policy}
	if vs := CheckP6(web, parseTrace(t, webNetChange)); vs != nil {
		t.Errorf("web: the start 5 s after the failed round flagged: %v", vs)
	}
	late := parseTrace(t, webNetChange)
	for i := 7; i < len(late); i++ {
		late[i].T += time.Second // the start (and what follows) 1 s late
	}
	wantFirst(t, CheckP6(web, late), 7)
	if vs := CheckP6(Config{Policy: fsm.RC}, parseTrace(t, webNetChange)); vs == nil {
		t.Error("android: a wait after a network change's failure not flagged (it restarts at once)")
	}
}
