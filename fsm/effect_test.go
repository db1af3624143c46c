package fsm

import (
	"testing"
	"unsafe"

	"github.com/rcsim/connsim/vocab"
)

// TestEffectSize: an effect packs into 88 bytes (its names are one-byte
// vocab.Words, its fields ordered by size); a step appends a few.
func TestEffectSize(t *testing.T) {
	if s := unsafe.Sizeof(Effect{}); s != 88 {
		t.Errorf("an Effect is %d bytes, want 88", s)
	}
}

// TestKindWords: message kinds and timers are written in a trace by the
// texts they always had.
func TestKindWords(t *testing.T) {
	msgs := []string{"?", "auth", "auth_reply", "ping", "pong", "close", "closed", "deliver", "ack", "pull", "pull_reply", "navi", "navi_reply", "open", "open_ack"}
	checkNames(t, "MsgKind", msgs, func(k int) string { return MsgKind(k).String() })
	timers := []string{"?", "db_open", "time_limit", "attempt", "retry", "ping", "pong", "bg_disconnect", "bg_suspend", "navi", "ipc_back"}
	if len(timers) != int(numTimers) {
		t.Fatalf("%d timer names for %d timers", len(timers), numTimers)
	}
	checkNames(t, "TimerKind", timers, func(k int) string { return TimerKind(k).String() })
	if w := MsgAuth.Word(); w != vocab.MsgAuth {
		t.Errorf("MsgAuth.Word() = %v", w)
	}
}

// checkNames fails t unless name(k) is want[k] for every k, and "?" just
// past them.
func checkNames(t *testing.T, what string, want []string, name func(int) string) {
	t.Helper()
	for k := range len(want) + 1 {
		w := "?"
		if k < len(want) {
			w = want[k]
		}
		if got := name(k); got != w {
			t.Errorf("%s(%d) is %q, want %q", what, k, got, w)
		}
	}
}
