package fsm

// Network inputs: the network going down or up, and a change of network.
// The loss of the IPC link to the connection process is ipc.go's.

import (
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

func (c *Client) netDown() {
	if !c.netUp {
		return
	}
	c.netUp = false
	if !c.profile().OfflinePause {
		// Web: nothing pauses. A live socket dies, an attempt in flight
		// fails; the next rounds fail at once until the network returns.
		switch {
		case c.status == Connected:
			c.lost(vocab.ReasonNetworkDown)
		case c.inFlight:
			c.failTransient(vocab.ReasonNetworkDown)
		}
		return
	}
	switch c.status {
	case Connected:
		c.drv.out = append(c.drv.out, Effect{Kind: EffLost, Reason: vocab.ReasonNetworkDown})
	case Connecting, Suspend:
		c.abandon(vocab.ReasonNetworkDown)
	default:
		return
	}
	c.pause()
	if zoo.Is(zoo.LimitPausedOffline) {
		c.cancel(TimerLimit) // bug zoo (P2): the time limit stops offline
	}
	c.fire(evNetDown)
}

func (c *Client) netUpIn() {
	if c.netUp {
		return
	}
	c.netUp = true
	if c.status == NetworkUnavailable && c.profile().OfflinePause {
		c.streak = 0
		c.fire(evNetUp)
		c.startAttempt(vocab.ReasonNetworkUp)
	}
}

func (c *Client) netChange() {
	if !c.netUp {
		return
	}
	if c.status == Connected {
		c.put(markAwaitingPong, false)
		c.cancel(TimerPing)
		c.cancel(TimerPong)
		c.drv.out = append(c.drv.out, Effect{Kind: EffLost, Reason: vocab.ReasonNetworkChange})
		c.fire(evLost)
	}
	c.reset(vocab.ReasonNetworkChange, true)
}

// socketNetChange is a network change for a profile that does not follow
// the environment (web): the engine ignores the event, but the browser
// fails the live socket and any socket being opened (Chrome:
// ERR_NETWORK_CHANGED) while the network stays up, so a connection is
// lost (and retried at once) and an attempt in flight fails
// (conformance/web scenario network-change).
func (c *Client) socketNetChange() {
	switch {
	case !c.netUp:
	case c.status == Connected:
		c.lost(vocab.ReasonNetworkChange)
	case c.inFlight:
		c.failTransient(vocab.ReasonNetworkChange)
	}
}
