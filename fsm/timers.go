package fsm

// Timer expiries. A timer whose generation is no longer live was
// cancelled or superseded and does nothing.

import (
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

func (c *Client) timer(in *Input) {
	if !c.TimerLive(in.Timer, in.Gen) {
		return
	}
	switch in.Timer {
	case TimerDB:
		c.dbOpened(in.Call)
	case TimerLimit:
		if c.pending && !c.has(markEverConnected) {
			// Close every attempt of the call, not only the one in
			// flight: an earlier attempt that timed out on the client
			// may still reach the server and open a session after the
			// timeout, and its late answer (whose Close would clean it
			// up) may be lost. Close(seq) covers every seq up to it, so
			// no session of this call outlives the timeout (spec 5.8).
			if c.n > 0 {
				c.send(MsgClose, c.seq).Code = ConnectTimeout
			}
			c.abandon(vocab.ReasonCancelled)
			if zoo.Is(zoo.AttemptAfterTimeout) {
				c.cancel(TimerLimit) // bug zoo (P3): the retry wait goes on
			} else {
				c.stopAll()
			}
			c.fire(evTimeout)
			c.terminal(vocab.CbError, ConnectTimeout)
		}
	case TimerAttempt:
		c.attemptTimeout()
	case TimerNavi:
		c.naviTimeout()
	case TimerRetry:
		if c.waiting {
			if c.status == Suspend {
				c.fire(evRetry)
			}
			c.startAttempt(vocab.ReasonSchedule)
		}
	case TimerBgDisconnect, TimerBgSuspend:
		c.bgTimer(in.Timer)
	case TimerIPCBack:
		c.ipcBack()
	case TimerPing:
		if c.status == Connected {
			c.ping()
		}
	case TimerPong:
		if c.status == Connected && c.has(markAwaitingPong) {
			c.misses++
			c.put(markAwaitingPong, false)
			c.drv.out = append(c.drv.out, Effect{Kind: EffHeartbeat, Phase: vocab.HbMiss, Seq: c.sessionSeq})
			if int(c.misses) >= c.cfg.HBMisses {
				c.lost(vocab.ReasonHeartbeat)
			} else {
				c.ping()
			}
		}
	}
}
