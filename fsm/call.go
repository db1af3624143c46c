package fsm

// The Connect call: its acceptance, its terminal callback, the
// database-opened callbacks of accepted calls, and Disconnect.

import (
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

func (c *Client) connect(in *Input) {
	c.returningAt(in.Token)
	c.marks |= markCalled
	if c.cfg.API == APIWrapper && c.Refusal() != OK && !zoo.Is(zoo.WrapperCallback) {
		return // the wrapper returned the code at once (the driver records it): no callback
	}
	if !c.has(markInited) {
		if c.cfg.Quirks.Has(QuirkConnectBeforeInitSilent) {
			return // quirk (spec 9): "there may be no callback"
		}
		c.callback(in.Call, vocab.CbError, ClientNotInit)
		return
	}
	if c.pending && (c.cfg.Quirks.Has(QuirkMultiConnectClears) || zoo.Is(zoo.SecondConnectSucceeds)) {
		// Quirk (spec 9): the new call's callback replaces the pending
		// call's; the connection in progress goes on (token, attempts,
		// time limit). The new call's database follows the rule for its
		// own token; a database the replaced call still waited for (a
		// new token) never opens: that call never connects in its own
		// right.
		c.call = in.Call
		c.openDB(in.Call, in.Token)
		return
	}
	if c.pending || c.status.Active() {
		if zoo.Is(zoo.SecondConnectClears) && c.pending {
			c.call = in.Call // bug zoo (P9): the pending call's callback is replaced
		}
		c.callback(in.Call, vocab.CbError, ConnectionExist)
		return
	}
	if c.has(markNoLibFound) && !zoo.Is(zoo.NativeLibIgnored) || c.has(markIPCDown) { // bug zoo (P5): the library is ignored
		c.ipcRefused(in)
		return
	}
	c.accept(in)
	if in.TimeLimit > 0 && c.profile().TimeLimit {
		c.setTimer(TimerLimit, in.TimeLimit)
	} else {
		c.cancel(TimerLimit)
	}
	if !c.netUp && c.profile().OfflinePause {
		c.fire(evConnectOffline)
		return
	}
	c.fire(evConnect)
	if c.has(markFrozen) || c.has(markBgStopped) {
		return // the first attempt starts on foreground (foregroundIn)
	}
	c.startAttempt(vocab.ReasonConnect)
}

// accept makes Connect in the current call: pending, with no success
// yet and no attempt counted, its database following the rule (openDB).
func (c *Client) accept(in *Input) {
	c.call, c.token = in.Call, in.Token
	c.pending = true
	c.marks &^= markEverConnected
	c.n, c.streak = 0, 0
	c.openDB(in.Call, in.Token)
}

func (c *Client) disconnect(push bool) {
	c.put(markIPCOwed, false) // the app leaves: the SDK does not connect when the link is back
	if !c.status.Active() {
		return // nothing to disconnect (model choice: no status change)
	}
	c.abandon(vocab.ReasonCancelled)
	c.send(MsgClose, c.seq).Push = push
	c.stopAll()
	c.fireCode(evDisconnect, CodeActiveDisconnect)
	c.pending = false         // a pending call gets no terminal callback (spec 6)
	c.put(markDBAfter, false) // nor, with a new token, a database
}

// terminal runs the terminal callback of the current call. A terminal
// callback never waits for the database: if the stored token's database is
// not open yet, onDatabaseOpened runs first, at the same instant (P2 and P4
// both hold). A new token's database starts opening at onSuccess, and a
// failed call with a new token never opens one (P4).
func (c *Client) terminal(name vocab.Word, code Code) {
	c.pending = false
	c.cancel(TimerLimit)
	if c.OpeningDB() { // most terminal callbacks find no database opening: no call
		c.dbOpened(c.call)
	}
	c.callback(c.call, name, code)
	if name == vocab.CbSuccess {
		c.storedToken = c.token
		c.put(markStored, true)
		if c.has(markDBAfter) {
			c.startDB(c.call)
		}
	}
	c.put(markDBAfter, false)
}

// openDB applies the database rule to accepted call call with token tok
// (spec 12, "Database"): the stored token's database opens at once, taking
// DBOpen, even offline; a first connect or a new token waits for the
// call's onSuccess (terminal). A profile without the callback (web) opens
// none.
func (c *Client) openDB(call, tok int32) {
	c.put(markDBAfter, false)
	if !c.profile().DBCallback {
		return
	}
	if c.has(markStored) && tok == c.storedToken || zoo.Is(zoo.DBFirstNewToken) {
		c.startDB(call)
		return
	}
	c.put(markDBAfter, true)
}

// startDB starts opening call's database: onDatabaseOpened DBOpen from now.
func (c *Client) startDB(call int32) {
	c.setIDs(append(c.idList(), call)) // dbPending
	c.drv.out = append(c.drv.out, Effect{Kind: EffTimer, Timer: TimerDB, At: c.drv.now + c.cfg.DBOpen, Call: call})
}

// dbOpened runs onDatabaseOpened for call if its database is opening. With
// probability Config.DBOpenError the open fails: the callback carries
// DATABASE_OPEN_ERROR (33002) and nothing else changes, the connection
// goes on (docs/model.md). The draw is taken only when that probability is
// above 0.
func (c *Client) dbOpened(call int32) {
	for i, id := range c.dbPending() {
		if id == call {
			// Element by element, and the length stored alone: the
			// list holds an id or two (slices.Delete calls memmove
			// and clears the freed entry).
			ids := *c.ids
			for j := int(c.nl) + i; j+1 < len(ids); j++ {
				ids[j] = ids[j+1]
			}
			*c.ids = ids[:len(ids)-1]
			code := OK // DATABASE_OPEN_SUCCESS
			if p := c.cfg.DBOpenError; p > 0 {
				if c.drv.rnd == nil {
					panic("fsm: --db-open-error draws: the driver must call Client.SetRand")
				}
				if c.drv.rnd.Float64() < p {
					code = DatabaseOpenError
				}
			}
			c.callback(call, vocab.CbDatabaseOpened, code)
			return
		}
	}
}
