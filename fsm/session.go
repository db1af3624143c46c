package fsm

// The CONNECTED session: heartbeats, messages from the server about the
// session, and the loss of the session.

import (
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

func (c *Client) ping() {
	c.put(markAwaitingPong, true)
	c.drv.out = append(c.drv.out, Effect{Kind: EffHeartbeat, Phase: vocab.HbPing, Seq: c.sessionSeq})
	c.send(MsgPing, c.sessionSeq)
	c.setTimer(TimerPong, c.cfg.HBTimeout)
}

// lost handles the loss of a CONNECTED session: SUSPEND, and the loss is
// transient failure number 1 of a new streak.
func (c *Client) lost(reason vocab.Word) {
	c.put(markAwaitingPong, false)
	c.cancel(TimerPing)
	c.cancel(TimerPong)
	c.drv.out = append(c.drv.out, Effect{Kind: EffLost, Reason: reason})
	c.fireCode(evLost, lostCode(reason))
	c.streak = 1
	if zoo.Is(zoo.NoReconnectAfterHeartbeat) && reason == vocab.ReasonHeartbeat {
		return // bug zoo (P8): SUSPEND for good
	}
	if c.profile().RetryAtOnceAfterLoss {
		c.streak = 0
		c.fire(evRetry)
		c.startAttempt(vocab.ReasonReconnect)
		return
	}
	c.wait()
}

func (c *Client) recv(m *Msg) {
	switch m.Kind {
	case MsgAuthReply:
		c.authReply(m)
	case MsgNaviReply:
		c.naviReply(m)
	case MsgOpenAck:
		c.openAck(m)
	case MsgPong:
		if c.status == Connected && c.has(markAwaitingPong) && m.Seq == c.sessionSeq {
			c.put(markAwaitingPong, false)
			c.misses = 0
			c.cancel(TimerPong)
			c.drv.out = append(c.drv.out, Effect{Kind: EffHeartbeat, Phase: vocab.HbPong, Seq: m.Seq})
			c.setTimer(TimerPing, c.cfg.HBInterval)
		}
	case MsgClosed:
		if c.status != Connected || m.Seq != c.sessionSeq {
			return // about a session this client no longer uses
		}
		switch m.Code {
		case ClosedKicked:
			c.stopAll()
			c.fireCode(evKicked, CodeDisconnKick)
		case ClosedBlocked:
			c.stopAll()
			c.fireCode(evUserBlocked, CodeDisconnBlocked)
		default:
			c.lost(vocab.ReasonGone)
		}
	}
}
