package fsm

// The Connect call: its acceptance, its terminal callback, the
// database-opened callbacks of accepted calls, and Disconnect.

import (
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

func (c *Client) connect(in Input) {
	if !c.inited {
		if c.cfg.Quirks.Has(QuirkConnectBeforeInitSilent) {
			return // quirk (spec 9): "there may be no callback"
		}
		c.callback(in.Call, vocab.CbError, ClientNotInit)
		return
	}
	if c.pending && (c.cfg.Quirks.Has(QuirkMultiConnectClears) || zoo.Is(zoo.SecondConnectSucceeds)) {
		// Quirk (spec 9): the new call's callback replaces the pending
		// call's; the connection in progress goes on (token, attempts,
		// time limit). The new call's database opens like any other.
		c.call = in.Call
		c.dbPending = append(c.dbPending, in.Call)
		c.out = append(c.out, Effect{Kind: EffTimer, Timer: TimerDB, At: c.now + c.cfg.DBOpen, Call: in.Call})
		return
	}
	if c.pending || c.status.Active() {
		if zoo.Is(zoo.SecondConnectClears) && c.pending {
			c.call = in.Call // bug zoo (P9): the pending call's callback is replaced
		}
		c.callback(in.Call, vocab.CbError, ConnectionExist)
		return
	}
	c.call, c.token = in.Call, in.Token
	c.pending, c.everConnected = true, false
	c.n, c.streak = 0, 0
	if c.prof.DBCallback {
		c.dbPending = append(c.dbPending, in.Call)
		c.out = append(c.out, Effect{Kind: EffTimer, Timer: TimerDB, At: c.now + c.cfg.DBOpen, Call: in.Call})
	}
	if in.TimeLimit > 0 && c.prof.TimeLimit {
		c.setTimer(TimerLimit, in.TimeLimit)
	} else {
		c.cancel(TimerLimit)
	}
	if !c.netUp && c.prof.OfflinePause {
		c.fire(evConnectOffline)
		return
	}
	c.fire(evConnect)
	if c.frozen || c.bgStopped {
		return // the first attempt starts on foreground (foregroundIn)
	}
	c.startAttempt(vocab.ReasonConnect)
}

func (c *Client) disconnect(push bool) {
	if !c.status.Active() {
		return // nothing to disconnect (model choice: no status change)
	}
	c.abandon(vocab.ReasonCancelled)
	c.send(Msg{Kind: MsgClose, Seq: c.seq, Push: push})
	c.stopAll()
	c.fireCode(evDisconnect, CodeActiveDisconnect)
	c.pending = false // a pending call gets no terminal callback (spec 6)
}

// terminal runs the terminal callback of the current call. A terminal
// callback never waits for the database: if the call's database is not open
// yet, onDatabaseOpened runs first, at the same instant (P2 and P4 both hold).
func (c *Client) terminal(name string, code Code) {
	c.pending = false
	c.cancel(TimerLimit)
	c.dbOpened(c.call)
	c.callback(c.call, name, code)
}

// dbOpened runs onDatabaseOpened for call if it has not run yet.
func (c *Client) dbOpened(call int32) {
	for i, id := range c.dbPending {
		if id == call {
			c.dbPending = append(c.dbPending[:i], c.dbPending[i+1:]...)
			code := Code(0) // DATABASE_OPEN_SUCCESS
			c.callback(call, vocab.CbDatabaseOpened, code)
			return
		}
	}
}
