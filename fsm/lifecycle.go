package fsm

import "github.com/rcsim/connsim/vocab"

// The app lifecycle (docs/profiles.md): background, foreground, and the
// timers that stop the connection or freeze the process in the background.

// backgroundIn: the app goes to the background. The lifecycle timers start
// (docs/profiles.md); a second background changes nothing.
func (c *Client) backgroundIn() {
	if !c.has(markForeground) {
		return
	}
	c.put(markForeground, false)
	if d := c.cfg.BgDisconnectAfter; d > 0 {
		c.setTimer(TimerBgDisconnect, d)
	}
	if d := c.cfg.BgSuspendAfter; d > 0 {
		c.setTimer(TimerBgSuspend, d)
	}
}

// foregroundIn: the app returns to the foreground. The lifecycle timers
// stop; a frozen or background-stopped SDK resumes: it reconciles the
// network it missed and attempts at once. A mobile SDK restarts its
// schedule (spec 5.6); the web engine ignores the foreground.
func (c *Client) foregroundIn() {
	c.put(markForeground, true)
	c.cancel(TimerBgDisconnect)
	c.cancel(TimerBgSuspend)
	if !c.has(markFrozen) && !c.has(markBgStopped) {
		if c.profile().FollowsEnvironment {
			c.reset(vocab.ReasonForeground, false)
		}
		return
	}
	wasFrozen := c.has(markFrozen)
	c.marks &^= markFrozen | markBgStopped
	if wasFrozen && c.status == Connected {
		// The connection did not survive the freeze.
		c.lost(vocab.ReasonOSSuspended)
	}
	switch {
	case !c.netUp && c.status != NetworkUnavailable && c.status.Active():
		c.netUp = true
		c.netDown()
	case c.netUp && c.status == NetworkUnavailable:
		c.netUp = false
		c.netUpIn()
	default:
		c.reset(vocab.ReasonForeground, false)
	}
}

// bgTimer handles the lifecycle timers.
func (c *Client) bgTimer(k TimerKind) {
	if c.has(markForeground) || c.has(markFrozen) {
		return
	}
	if k == TimerBgSuspend {
		// The OS freezes the process: nothing runs, nothing is sent, the
		// status stays as it was until the foreground (foregroundIn).
		c.put(markFrozen, true)
		c.drv.out = append(c.drv.out, Effect{Kind: EffEnv, Phase: vocab.EnvOSSuspend})
		c.inFlight, c.waiting = false, false
		c.marks &^= markAwaitingPong
		for _, k := range []TimerKind{TimerAttempt, TimerNavi, TimerRetry, TimerPing, TimerPong, TimerBgDisconnect} {
			c.cancel(k)
		}
		return
	}
	if c.has(markBgStopped) {
		return
	}
	switch c.status {
	case Connected, Connecting:
		c.abandon(vocab.ReasonBackground)
		if c.status == Connected {
			c.drv.out = append(c.drv.out, Effect{Kind: EffLost, Reason: vocab.ReasonBackground})
		}
		m := c.send(MsgClose, c.seq)
		m.Code, m.Push = CloseBackground, true
		c.pause()
		c.fire(evBackground)
	case Suspend, NetworkUnavailable:
		// No connection to close: the wait (or the network's return)
		// stops until the foreground, which the trace must show (P6
		// would miss the attempt the wait owed): env bg_disconnect.
		c.drv.out = append(c.drv.out, Effect{Kind: EffEnv, Phase: vocab.EnvBgDisconnect})
		c.pause()
	default:
		return
	}
	c.put(markBgStopped, true)
}
