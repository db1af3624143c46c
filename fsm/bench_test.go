package fsm

import (
	"runtime"
	"testing"
	"time"
)

// benchSteps runs body b.N times (via b.Loop), body doing steps Steps per
// call, and reports ns and allocations per Step besides the per-op figures.
func benchSteps(b *testing.B, steps int, body func(i int)) {
	b.Helper()
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for i := 0; b.Loop(); i++ {
		body(i)
		n++
	}
	runtime.ReadMemStats(&after)
	total := float64(n * steps)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/step")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/step")
}

// BenchmarkStep measures Client.Step on a warm client.
//
//   - connect-ok: Reset, then Init, Connect and an OK AuthReply: 3 Steps,
//     two status moves (UNCONNECTED->CONNECTING->CONNECTED) through the
//     compiled table, two callbacks, three timers.
//   - reconnect: IPC disconnect, the retry timer, an OK AuthReply: 3 Steps,
//     three status moves.
//   - heartbeat: the ping timer, then the pong: 2 Steps, no status move.
func BenchmarkStep(b *testing.B) {
	cfg := DefaultConfig()
	c := NewClient(cfg, 0)
	ok := Input{Kind: InRecv, Msg: Msg{Kind: MsgAuthReply, Code: OK}}

	b.Run("connect-ok", func(b *testing.B) {
		benchSteps(b, 3, func(int) {
			c.Reset(&cfg, 0)
			c.Step(0, Input{Kind: InInit, AppKey: 1})
			c.Step(0, Input{Kind: InConnect, Call: 1, Token: 1})
			ok.Msg.Seq = 1
			if c.Step(50*time.Millisecond, ok); c.status != Connected {
				b.Fatalf("status %s", c.status)
			}
		})
	})

	b.Run("reconnect", func(b *testing.B) {
		c.Reset(&cfg, 0)
		c.Step(0, Input{Kind: InInit, AppKey: 1})
		c.Step(0, Input{Kind: InConnect, Call: 1, Token: 1})
		ok.Msg.Seq = 1
		c.Step(50*time.Millisecond, ok)
		now := time.Second
		benchSteps(b, 3, func(int) {
			effs := c.Step(now, Input{Kind: InIPCDisconnect})
			retry := effs[len(effs)-1]
			c.Step(retry.At, Input{Kind: InTimer, Timer: TimerRetry, Gen: retry.Gen})
			ok.Msg.Seq = c.seq
			now = retry.At + 50*time.Millisecond
			if c.Step(now, ok); c.status != Connected {
				b.Fatalf("status %s", c.status)
			}
		})
	})

	b.Run("heartbeat", func(b *testing.B) {
		c.Reset(&cfg, 0)
		c.Step(0, Input{Kind: InInit, AppKey: 1})
		c.Step(0, Input{Kind: InConnect, Call: 1, Token: 1})
		ok.Msg.Seq = 1
		effs := c.Step(50*time.Millisecond, ok)
		ping := effs[2] // attempt ok, status, ping timer, ...
		if ping.Kind != EffTimer || ping.Timer != TimerPing {
			b.Fatalf("effect 2 is %+v, want the ping timer", ping)
		}
		pong := Input{Kind: InRecv, Msg: Msg{Kind: MsgPong, Seq: 1}}
		benchSteps(b, 2, func(int) {
			c.Step(ping.At, Input{Kind: InTimer, Timer: TimerPing, Gen: ping.Gen})
			effs := c.Step(ping.At+50*time.Millisecond, pong)
			ping = effs[len(effs)-1]
		})
		if c.status != Connected || ping.Timer != TimerPing {
			b.Fatalf("status %s, last timer %s", c.status, ping.Timer)
		}
	})
}

// BenchmarkNewClient is the cost of one NewClient: one allocation of the
// struct; the status machine is the shared DefaultTable. (Before the
// compiled table, each client built a looplab/fsm machine: 7.9 KB and 19
// allocations.) The simulator still keeps one Client per device and calls
// Reset between trials (BenchmarkReset).
func BenchmarkNewClient(b *testing.B) {
	cfg := DefaultConfig()
	b.ReportAllocs()
	var c *Client
	for b.Loop() {
		c = NewClient(cfg, 0)
	}
	_ = c
}

// BenchmarkReset is the cost of reusing a client for a new trial.
func BenchmarkReset(b *testing.B) {
	cfg := DefaultConfig()
	c := NewClient(cfg, 0)
	b.ReportAllocs()
	for b.Loop() {
		c.Reset(&cfg, 0)
	}
}
