package properties

import (
	"testing"
	"unsafe"
)

// TestStateBytes keeps the monitor's state per device and per call small:
// a storm checks a million clients with it (docs/performance.md).
func TestStateBytes(t *testing.T) {
	d, c := unsafe.Sizeof(devState{}), unsafe.Sizeof(callState{})
	t.Logf("per device %d B, per call %d B", d, c)
	if d > 112 || c > 88 {
		t.Errorf("devState %d B (want <= 112), callState %d B (want <= 88)", d, c)
	}
}

// TestMessageBytes keeps the message properties' state per message small:
// a storm of a million users keeps one per message sent.
func TestMessageBytes(t *testing.T) {
	if n := unsafe.Sizeof(msgRec{}); n > 40 {
		t.Errorf("msgRec %d B, want <= 40", n)
	}
}
