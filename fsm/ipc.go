package fsm

// The IPC process (Android, Profile.IPCProcess): the SDK's connection runs
// in a process of its own that the app's process binds over IPC and that
// loads the SDK's native library. IPC_DISCONNECT (-2) reaches a Connect
// from here only (docs/profiles.md, "What reaches the app"):
//
//   - the link breaks (ipc_disconnect): a live connection is lost and an
//     attempt in flight fails (both transient). With Config.IPCDownFor > 0
//     the link stays down that long: an attempt fails at once, and a
//     Connect the SDK would accept gets onError(-2) at once; the SDK keeps
//     its token and, when the link is back (ipc_back), connects by itself.
//     The class stays transient: the SDK does not leave the mechanism.
//   - the native library is missing: every Connect the SDK would accept
//     gets onError(-2) at once, for good; nothing else happens.
//
// Sources: the seed's table of connection codes (IPC_DISCONNECT's two
// causes) and the Android IMLib's RongIMClient (connectServer: a binder
// call that fails gives the connect callback IPC_DISCONNECT at once; the
// rebind, AidlConnection.onServiceConnected, connects with the kept token).

import (
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

// SetNativeLibMissing marks this device's native library missing (a
// scenario device's native_lib). Reset forgets it: a driver calls it after
// every Reset.
func (c *Client) SetNativeLibMissing() { c.marks |= markNoLib }

// initIPC runs at Init: an SDK with an IPC process finds out whether its
// native library loads.
func (c *Client) initIPC() {
	if !c.profile().IPCProcess || c.has(markNoLibFound) || !(c.cfg.NativeLibMissing || c.marks&markNoLib != 0) {
		return
	}
	c.put(markNoLibFound, true)
	c.drv.out = append(c.drv.out, Effect{Kind: EffEnv, Phase: vocab.EnvNoNativeLib})
}

// ipcDisconnect: the link to the connection process breaks.
func (c *Client) ipcDisconnect() {
	switch {
	case c.status == Connected:
		c.lost(vocab.ReasonIPC)
	case c.status == Connecting && c.inFlight:
		c.failTransient(vocab.ReasonIPC)
		if zoo.Is(zoo.IPCBreakReachesCall) && c.pending && !c.has(markEverConnected) {
			c.terminal(vocab.CbError, IPCDisconnect) // bug zoo (P22): the SDK goes on all the same
		}
	}
	if d := c.cfg.IPCDownFor; d > 0 && c.profile().IPCProcess {
		c.put(markIPCDown, true)
		c.setTimer(TimerIPCBack, d) // a break while down starts the wait again
	}
}

// ipcRefused answers accepted Connect in at once with IPC_DISCONNECT: the
// SDK cannot hand it to its connection process. The call ends like any
// accepted call (its stored token's database first); no status changes.
// With the link down the SDK keeps the token and connects by itself when
// the link is back (ipcBack); with the library missing, never.
func (c *Client) ipcRefused(in *Input) {
	c.accept(in)
	c.terminal(vocab.CbError, IPCDisconnect)
	c.put(markIPCOwed, !c.has(markNoLibFound) && !zoo.Is(zoo.IPCErrorForgets)) // bug zoo (P6): forgotten
}

// ipcBack: the link to the connection process is back (the SDK has bound
// it again). The SDK connects at once: with the token a Connect got -2
// for, or, waiting in the schedule, with the connection's own (a reset of
// the schedule). A frozen or background-stopped SDK moves to CONNECTING
// and attempts on the foreground, as a Connect does.
func (c *Client) ipcBack() {
	c.put(markIPCDown, false)
	c.drv.out = append(c.drv.out, Effect{Kind: EffEnv, Phase: vocab.EnvIPCBack})
	owed := c.has(markIPCOwed)
	c.put(markIPCOwed, false)
	switch {
	case owed:
		c.put(markEverConnected, true) // the SDK's own connection (a reconnect): no callback, no time limit
		c.n, c.streak = 0, 0
		if !c.netUp {
			c.fire(evConnectOffline) // the attempt starts when the network is back
			return
		}
		c.fire(evConnect)
		if c.has(markFrozen) || c.has(markBgStopped) {
			return
		}
		c.startAttempt(vocab.ReasonIPCBack)
	case c.waiting && !c.has(markFrozen) && !c.has(markBgStopped):
		c.reset(vocab.ReasonIPCBack, false)
	}
}
