// Package fsm is the client SDK's connection core: a pure, deterministic
// state machine over the statuses of spec section 3.
//
// The core follows etcd/raft's habit: it starts no goroutine and reads no
// clock. Every input (app call, timer expiry, received message, environment
// change) goes through Client.Step together with the current virtual time,
// and everything the core wants done (set a timer, send a message, run a
// callback, tell listeners of a status change) comes back as a slice of
// Effects. Drivers — the discrete-event simulator, the real-clock driver
// and the tests — carry the effects out.
//
// Random draws. Step draws in at most two places. First, when it schedules
// a retry wait (Client.wait, after a counted transient failure or a lost
// session) it asks the policy for the gap, Config.Backoff().Gap, which takes at most
// one uniform draw from the Uniform the driver gave with SetRand — one for
// a jittered policy (--policy-jitter full, equal or decorrelated, or an
// expo policy with a spread after its first gap), none for a deterministic
// one, which may have no Uniform at all. The draw stays inside Step because
// the gap depends on the core's own state (the failure's position in the
// streak and, for decorrelated jitter, the previous gap), which a driver
// would otherwise have to mirror; the driver owns the source (the trial's
// RNG stream), so a trial is still a function of its seed. Second, when a
// call's database opens (Client.dbOpened) and Config.DBOpenError > 0, one
// draw from the same Uniform decides whether the open fails
// (DATABASE_OPEN_ERROR); with DBOpenError 0 there is no draw, so traces
// without the feature are byte-identical. Nothing else in the package
// draws.
//
// Status moves go through the Table compiled from the looplab/fsm machine
// over Edges, so the core can only take published edges; an illegal move is
// a model bug and panics with the edge named. A Client holds only its
// Status, not a looplab machine: one compiled Table serves every client.
package fsm

import (
	"fmt"
	"slices"
	"time"

	"github.com/rcsim/connsim/vocab"
)

// Client is one device's SDK instance. The zero value is not usable; call
// NewClient. A Client is not safe for concurrent use: one driver owns it.
type Client struct {
	// The fields are in order of size (words, then 4-byte words, then
	// bytes), which leaves no padding: a storm holds a million clients.
	// Their groups, by what they are about:
	//
	// The current Connect call (call, token, pending, everConnected).
	// pending: accepted and no terminal callback yet (and not ended by
	// Disconnect). everConnected: the call has had a success, so the time
	// limit no longer applies and later attempts are automatic
	// reconnections.
	//
	// The database rule (docs/model.md, "The local database"): stored,
	// storedToken, dbAfter and the calls whose database is opening. stored:
	// the device has had a successful connect, with token storedToken. The
	// stored token survives Disconnect and Logout, as an app's saved token and
	// its user's database do; only Reset (a new trial, a fresh install)
	// forgets it. dbAfter: the current call's token is not the stored one, so
	// its database opens DBOpen after its onSuccess, and never if the call
	// fails or is disconnected first.
	//
	// Attempts (n, seq, inFlight, waiting, streak, lastGap). Invariant: in
	// an active status other than CONNECTED and NETWORK_UNAVAILABLE,
	// exactly one of inFlight and waiting holds.
	//
	// The attempt's anatomy (anatomy.go, AttemptFull). stepK, server and
	// round: the attempt in flight's step, the listed server its socket
	// goes to and that socket's round (0 socket, 1..TLS the TLS flights).
	// The navigation cache: an answer listing naviN servers for token
	// naviTok, fresh until naviUntil (markNavi: there is one). markCalled:
	// the device has had a Connect (a returning device holds its cache and
	// stored token from then on).
	//
	// The app lifecycle (docs/profiles.md). bgStopped: the SDK closed its
	// connection after BgDisconnectAfter in the background; frozen: the OS
	// froze the process after BgSuspendAfter. Either holds only in the
	// background, and while it holds no attempt, wait or heartbeat runs
	// (the invariant on inFlight and waiting above does not apply).
	//
	// The IPC process (Android; ipc.go). ipcDown: the link to the
	// connection process is down until TimerIPCBack. ipcOwed: a Connect
	// got IPC_DISCONNECT while it was down, and the SDK connects with its
	// token by itself when the link is back. noLib: the native library is
	// missing (Config.NativeLibMissing or SetNativeLibMissing), found at
	// Init: every Connect gets IPC_DISCONNECT. Invariant: ipcOwed implies
	// ipcDown and not noLib.
	//
	// Heartbeats (sessionSeq, awaitingPong, misses), while CONNECTED on
	// session sessionSeq.

	// cfg is shared: the client never writes it (Reset). Its status
	// machine is cfg.Table, or the profile's (table).
	cfg *Config
	// drv holds the uniform source and the effect buffer, the client's
	// own or shared with the driver's other clients (Share). Never nil
	// after Reset or SetRand.
	drv *Driver
	// ids holds the registered status listeners, ids[:nl], in
	// registration order, then the accepted calls whose database is
	// opening (a TimerDB is set) and whose onDatabaseOpened has not run
	// (dbPending): one slice, not two, since most clients have neither,
	// behind a pointer (8 B, not 24), nil until the client first has one
	// (or after Trim). Read and written through idList and setIDs.
	ids       *[]int32
	lastGap   time.Duration // the gap waited after the streak's previous failure (decorrelated jitter)
	naviUntil time.Duration

	appKey      int32
	call        int32
	token       int32
	storedToken int32
	n           int32  // attempts of the current call
	seq         uint32 // sequence number of the latest attempt, device-wide
	streak      int32  // counted transient failures since the last reset
	server      int32
	tries       int32 // sockets the attempt in flight has opened, the current one included
	sticky      int32 // StickyServer: 1 + the listed server that accepted the last auth; 0 none
	naviTok     int32
	naviN       int32
	sessionSeq  uint32
	nl          int32 // listeners registered: ids[:nl]
	// gens[k-TimerLimit] is the generation of the live timer of kind k; a
	// fired timer with another generation was cancelled or superseded.
	// TimerDB timers are never cancelled, and have none (nor has kind 0).
	gens [numTimers - TimerLimit]uint32

	dev int16
	// status is a status of tab; it only moves along tab's edges (fire).
	status Status
	stepK  uint8
	round  uint8 // at most MaxTLS+1
	misses uint8 // at most HBMisses, at most 100
	// marks holds fourteen flags (the mark bits): the struct is then 144
	// B, not 160, and the storm's client 192 B, not 208.
	marks    uint16
	pending  bool
	inFlight bool
	waiting  bool
	netUp    bool
}

// Bits of Client.marks; the group comment above tells what the flags
// named for a field mean.
const (
	markNavi          uint16 = 1 << iota // a cached navigation answer
	markCalled                           // the device has had a Connect
	markNoLib                            // this device's library is missing (SetNativeLibMissing; kept by Reset's caller)
	markInited                           // Init has run
	markStored                           // stored
	markDBAfter                          // dbAfter
	markForeground                       // foreground
	markBgStopped                        // bgStopped
	markFrozen                           // frozen
	markIPCDown                          // ipcDown
	markIPCOwed                          // ipcOwed
	markNoLibFound                       // noLib: Init found the library missing
	markEverConnected                    // everConnected
	markAwaitingPong                     // awaitingPong: a ping waits for its pong
)

// has reports whether mark m is set.
func (c *Client) has(m uint16) bool { return c.marks&m != 0 }

// put sets mark m to on.
func (c *Client) put(m uint16, on bool) {
	if on {
		c.marks |= m
	} else {
		c.marks &^= m
	}
}

// NewClient returns a client for device dev, in status UNCONNECTED, network
// up, app in the foreground.
func NewClient(cfg Config, dev int16) *Client {
	c := &Client{}
	c.Reset(&cfg, dev)
	return c
}

// Reset returns the client to its initial state, keeping its allocations,
// so one Client can serve many trials. The client reads *cfg from then on
// and never writes it; *cfg must not change while the client uses it. A
// driver of many clients gives them all one Config, which then stays in
// the cache, and each client holds a pointer instead of a copy.
func (c *Client) Reset(cfg *Config, dev int16) {
	ids, drv := c.ids, c.drv
	if ids != nil {
		*ids = (*ids)[:0]
	}
	if drv == nil {
		drv = &Driver{}
	}
	*c = Client{} // then filled in place: see effect
	c.cfg, c.dev, c.ids, c.drv = cfg, dev, ids, drv
	c.status = Unconnected
	c.netUp = true
	c.put(markForeground, true)
}

// SetRand gives the client the driver's uniform source (the trial's RNG
// stream), from which a jittered reconnection policy draws one number per
// gap. Reset keeps it. A client whose policy draws (Config.Backoff) must
// have one.
func (c *Client) SetRand(u Uniform) {
	if c.drv == nil {
		c.drv = &Driver{}
	}
	c.drv.rnd = u
}

// Driver is what the clients of one driver may share instead of holding
// one each: the uniform source (SetRand), and the effect buffer and the
// time of the current Step. A client has its own unless it shares one (Share).
type Driver struct {
	// rnd is the driver's uniform source for a jittered policy's gaps
	// and the database's open error; a deterministic policy never reads
	// it.
	rnd Uniform
	// out collects the current Step's effects; between Steps it keeps
	// Step's buffer for reuse.
	out []Effect
	// now is the virtual time of the current Step; read only during one.
	now time.Duration
}

// Share makes the client use d's uniform source, effect buffer and step
// time (16, 24 and 8 B a storm's million clients need not keep each), before Reset and
// SetRand, which keep it. Clients that share a Driver must not step
// while another's Step effects are in use: a driver that steps them one
// at a time, as the storm does (with Step, into the Driver's buffer, which
// is then the only one), never does.
func (c *Client) Share(d *Driver) { c.drv = d }

// profile is the client's profile: cfg.Profile, or Android.
func (c *Client) profile() *Profile { return c.cfg.Profile.Or() }

// CurrentStatus is the SDK's CurrentStatus(): the last status delivered.
func (c *Client) CurrentStatus() Status { return c.status }

// QueryStatus is the app's status query (Android
// getCurrentConnectionStatus, iOS getConnectionStatus, web
// getConnectionStatus): the last status delivered. With QuirkStatusLag it
// answers CONNECTED during an automatic reconnection (the call has
// connected and the client is active but not connected), as the docs warn
// it may.
func (c *Client) QueryStatus() Status {
	if c.cfg.Quirks.Has(QuirkStatusLag) && c.has(markEverConnected) && c.status != Connected && c.status.Active() {
		return Connected
	}
	return c.status
}

// Listeners returns the registered status listeners, in registration order.
func (c *Client) Listeners() []int32 { return c.idList()[:c.nl:c.nl] }

// NumListeners returns how many status listeners are registered:
// len(Listeners()), read without building the slice.
func (c *Client) NumListeners() int32 { return c.nl }

// dbPending returns the accepted calls whose database is opening.
func (c *Client) dbPending() []int32 { return c.idList()[c.nl:] }

// idList returns the listeners and the opening databases' calls (ids).
func (c *Client) idList() []int32 {
	if c.ids == nil {
		return nil
	}
	return *c.ids
}

// setIDs makes s the listeners and the opening databases' calls (ids).
func (c *Client) setIDs(s []int32) {
	if c.ids == nil {
		c.ids = new([]int32)
	}
	*c.ids = s
}

// table returns the status machine: cfg.Table, or the profile's (p, the
// client's profile, which the caller has at hand).
func (c *Client) table(p *Profile) *Table {
	if t := c.cfg.Table; t != nil {
		return t
	}
	return p.Table()
}

// Pending reports whether the current call awaits its terminal callback.
func (c *Client) Pending() bool { return c.pending }

// OpeningDB reports whether some accepted call's database is still
// opening: a driver that ends a trial once every call has settled waits
// for these onDatabaseOpened callbacks too.
func (c *Client) OpeningDB() bool { return len(c.idList()) > int(c.nl) }

// TimerLive reports whether a timer that fires with (kind, gen) is still
// wanted. TimerDB timers are never cancelled.
func (c *Client) TimerLive(kind TimerKind, gen uint32) bool {
	return kind == TimerDB || *c.gen(kind) == gen
}

// Trim drops the buffer of an empty list of listeners and opening
// databases: a driver that holds many clients for long (a storm) calls it
// after a step, so that its clients, each of which had a database open
// once, hold no allocation each; a driver that reuses a client for many
// trials does not, and keeps the buffer for the next.
func (c *Client) Trim() {
	if c.ids != nil && len(*c.ids) == 0 {
		c.ids = nil
	}
}

// TimerGen returns the generation of the live timer of kind k (not
// TimerDB): a timer that fires with another was cancelled or superseded.
func (c *Client) TimerGen(k TimerKind) uint32 { return *c.gen(k) }

// gen returns the generation of timer kind k (not TimerDB).
func (c *Client) gen(k TimerKind) *uint32 { return &c.gens[k-TimerLimit] }

// Step feeds one input at virtual time now and returns the effects, in the
// order they happen. The returned slice is reused by the next Step.
func (c *Client) Step(now time.Duration, in Input) []Effect {
	d := c.drv
	d.out = d.out[:0]
	c.step(now, &in)
	return d.out
}

// StepRef is Step with the input passed by reference: a driver that
// builds its input in place saves copying it (88 bytes, whose copy's
// wide loads wait for the narrow stores that built it).
func (c *Client) StepRef(now time.Duration, in *Input) []Effect {
	d := c.drv
	d.out = d.out[:0]
	c.step(now, in)
	return d.out
}

// LastEffects returns the effects of the client's last Step or StepRef
// (not StepInto's), valid until its next step: a driver that records a
// step to replay it (package sim's trial opening) reads them there.
func (c *Client) LastEffects() []Effect { return c.drv.out }

// StepInto is Step appending the effects to buf instead of the client's own
// buffer, and returning the extended buf. A driver of many clients shares
// one buffer among them, so that no client keeps an effect buffer of its
// own (see BenchmarkClientBytes).
func (c *Client) StepInto(buf []Effect, now time.Duration, in Input) []Effect {
	d := c.drv
	own := d.out
	d.out = buf
	c.step(now, &in)
	buf = d.out
	d.out = own
	return buf
}

// step takes input in at time now, appending its effects to c.drv.out
// (Step's own buffer, or StepInto's buf).
func (c *Client) step(now time.Duration, in *Input) {
	c.drv.now = now
	switch in.Kind {
	case InInit:
		c.put(markInited, true)
		c.appKey = in.AppKey
		c.initIPC()
	case InConnect:
		c.connect(in)
	case InDisconnect:
		c.disconnect(in.Push)
	case InAddListener:
		for _, l := range c.Listeners() {
			if l == in.Listener {
				return
			}
		}
		c.setIDs(slices.Insert(c.idList(), int(c.nl), in.Listener))
		c.nl++
	case InRemoveListener:
		for i, l := range c.Listeners() {
			if l == in.Listener {
				c.setIDs(slices.Delete(c.idList(), i, i+1))
				c.nl--
				break
			}
		}
	case InTimer:
		if c.has(markFrozen) && in.Timer != TimerLimit && in.Timer != TimerDB && in.Timer != TimerIPCBack {
			return // a frozen process runs no timer; see thaw
		}
		c.timer(in)
	case InRecv:
		if !c.has(markFrozen) {
			c.recv(&in.Msg)
		}
	case InNetDown:
		if c.has(markFrozen) || c.has(markBgStopped) {
			c.netUp = false // reconciled on foreground
			break
		}
		c.netDown()
	case InNetUp:
		if c.has(markFrozen) || c.has(markBgStopped) {
			c.netUp = true
			break
		}
		c.netUpIn()
	case InNetChange:
		switch {
		case c.has(markFrozen) || c.has(markBgStopped):
		case c.profile().FollowsEnvironment:
			c.netChange()
		default:
			c.socketNetChange()
		}
	case InForeground:
		c.foregroundIn()
	case InBackground:
		c.backgroundIn()
	case InIPCDisconnect:
		if !c.has(markFrozen) && !c.has(markBgStopped) {
			c.ipcDisconnect()
		}
	default:
		panic(fmt.Sprintf("fsm: unknown input kind %d", in.Kind))
	}
}

// fire moves the status along the edge of event ev. The compiled machine
// decides the destination; an event with no edge from the current status
// means the core asked for an edge that is not published, a model bug.
func (c *Client) fire(ev Event) { c.fireCode(ev, 0) }

// fireCode is fire telling listeners code with the status, for a profile
// whose listener gets one (web); others get no code.
func (c *Client) fireCode(ev Event, code Code) {
	p := c.profile()
	if !p.Codes {
		code = 0
	}
	from := c.status
	to, ok := c.table(p).Next(from, ev)
	if !ok {
		panic(fmt.Sprintf("fsm: illegal move %q from %s: no such edge in the status machine", ev.String(), from))
	}
	c.status = to
	if c.sticky != 0 && !to.Active() {
		c.sticky = 0 // StickyServer: disconnected, the weights are gone
	}
	e := c.effect(EffStatus)
	e.From, e.To, e.Code = from, to, code
}

// effect appends an effect of kind k and returns it for the caller to fill
// in, field by field: building an effect on the stack and copying it costs
// more than its size says (the copy's wide loads wait for the narrow
// stores that built it), and a trial's steps make a few of them each.
func (c *Client) effect(k EffectKind) *Effect {
	d := c.drv
	n := len(d.out)
	d.out = append(d.out, Effect{})
	e := &d.out[n]
	e.Kind = k
	return e
}

func (c *Client) setTimer(k TimerKind, d time.Duration) {
	g := c.gen(k)
	*g++
	e := c.effect(EffTimer)
	e.Timer, e.Gen, e.At, e.Call = k, *g, c.drv.now+d, c.call
}

func (c *Client) cancel(k TimerKind) { *c.gen(k)++ }

// send appends the send of a message of kind k with seq from this device
// and returns the message for the caller to fill in, in place (see effect).
func (c *Client) send(k MsgKind, seq uint32) *Msg {
	m := &c.effect(EffSend).Msg
	m.Kind, m.Dev, m.Seq = k, c.dev, seq
	return m
}

func (c *Client) callback(call int32, name vocab.Word, code Code) {
	e := c.effect(EffCallback)
	e.Call, e.Name, e.Code = call, name, code
}

// AttemptSeq returns the sequence number of the client's latest attempt
// (its EffAttempt's Seq), 0 before its first.
func (c *Client) AttemptSeq() uint32 { return c.seq }

// Session returns the session the client is connected on: its seq, and
// whether the status is CONNECTED.
func (c *Client) Session() (seq uint32, connected bool) {
	return c.sessionSeq, c.status == Connected
}
