package fsm

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/param"
)

// TestFmtDurIsParams: fmtDur, fsm's copy of param.FormatDuration (fsm
// must not import param), writes every duration as param does, except 0.
func TestFmtDurIsParams(t *testing.T) {
	for _, d := range []time.Duration{time.Nanosecond, 1500 * time.Microsecond, time.Second, 90 * time.Second,
		time.Minute, time.Hour, time.Hour + time.Second, 2*time.Hour + 30*time.Minute, 720 * time.Hour, -time.Minute} {
		if got, want := fmtDur(d), param.FormatDuration(d); got != want {
			t.Errorf("fmtDur(%v) = %q, param.FormatDuration %q", d, got, want)
		}
	}
	if got := fmtDur(0); got != "0s" {
		t.Errorf("fmtDur(0) = %q, want 0s", got)
	}
}
