package properties

import (
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
)

// P6 under a jittered policy accepts any start within the policy's bounds
// for the failure and flags one outside them; under a deterministic one
// it wants the exact gap.
func TestP6JitteredBounds(t *testing.T) {
	recs := parseTrace(t, reconnects) // made with rc: starts exactly one gap after each failure
	for _, p := range []fsm.Policy{fsm.RC, fsm.Backoff{Base: fsm.RC, Jitter: fsm.JitterFull}, fsm.Backoff{Base: fsm.RC, Jitter: fsm.JitterEqual}} {
		if vs := CheckP6(Config{Policy: p}, recs); vs != nil {
			t.Errorf("%s: %v", p, vs)
		}
	}
	if vs := CheckP6(Config{Policy: fsm.Web}, recs); vs == nil {
		t.Error("web (5 s gaps) accepts a trace of 50 ms gaps")
	}
	// Failure 1 at 5s: rc's gap is 50ms. Under full jitter a start at
	// 5.001s is fine; under rc it is not; at 5.051s it is late for both.
	early := parseTrace(t, reconnects)
	early[6].T = 5*time.Second + time.Millisecond
	if vs := CheckP6(Config{Policy: fsm.Backoff{Base: fsm.RC, Jitter: fsm.JitterFull}}, early); vs != nil {
		t.Errorf("full jitter: a start within [0, 50ms) flagged: %v", vs)
	}
	if vs := CheckP6(Config{Policy: fsm.Backoff{Base: fsm.RC, Jitter: fsm.JitterEqual}}, early); vs == nil {
		t.Error("equal jitter: a start 1ms after the failure, below 25ms, not flagged")
	}
	late := parseTrace(t, reconnects)
	late[6].T = 5*time.Second + 51*time.Millisecond
	vs := CheckP6(Config{Policy: fsm.Backoff{Base: fsm.RC, Jitter: fsm.JitterFull}}, late)
	if vs == nil || !strings.Contains(vs[0].String(), "between") && !strings.Contains(vs[0].String(), "no attempt started by") {
		t.Errorf("full jitter: a start after 50ms: %v", vs)
	}
}
