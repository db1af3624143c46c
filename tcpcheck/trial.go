package tcpcheck

import (
	"bytes"
	"container/heap"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/waiter"

	"github.com/rcsim/connsim/netmodel"
)

// Params are the parameters of a measurement.
type Params struct {
	// Net is the network between the two stacks: Loss (per packet, each
	// direction independently), Latency (one way) and Jitter, with exactly
	// the simulator's rules (netmodel.Net.Send). ServerUnavailable is unused.
	Net netmodel.Params
	// Horizon is the virtual time after which a trial that has not read its
	// reply counts as failed (Result.OK false). Zero means DefaultHorizon.
	Horizon time.Duration
	// RequestBytes and ReplyBytes are the sizes of the auth request and of
	// its answer. Zero means DefaultRequestBytes, DefaultReplyBytes. Both
	// fit in one segment.
	RequestBytes, ReplyBytes int
	// NoTailLossProbe switches gVisor's RACK loss detection off
	// (tcpip.TCPRecovery 0), and with it the tail loss probe, so that a lost
	// segment is resent by the RFC 6298 retransmission timer alone. It is a
	// diagnosis knob: the default, false, is gVisor as shipped.
	NoTailLossProbe bool
	// Navi, Exchanges: the attempt's steps (netmodel.Params.AttemptTCP).
	// With Navi the client first opens a connection to a second listener
	// (the navigation service) for one request and its answer; then it
	// opens the IM server's connection and runs Exchanges requests, each
	// written once the answer before it is read (the TLS flights, then
	// auth). Zero Exchanges means 1: a connect, a request, its answer.
	Navi      bool
	Exchanges int
}

// Defaults of Params.
const (
	// DefaultHorizon is past every give-up of gVisor's TCP: the handshake's
	// (127 s: initial RTO 1 s doubled until it would exceed MaxRTO 120 s)
	// plus a data segment's (15 retransmissions, RTO capped at 120 s: under
	// 20 min). A trial therefore ends answered or with its connection
	// dead, never cut short, like netmodel.FirstAnswerTCP, which has no
	// application timeout.
	DefaultHorizon      = 30 * time.Minute
	DefaultRequestBytes = 200
	DefaultReplyBytes   = 100
	// MaxExchanges bounds Params.Exchanges: auth after the most TLS
	// round trips the model allows (fsm.MaxTLS is 4).
	MaxExchanges = 8
)

func (p Params) withDefaults() Params {
	if p.Horizon <= 0 {
		p.Horizon = DefaultHorizon
	}
	if p.RequestBytes <= 0 {
		p.RequestBytes = DefaultRequestBytes
	}
	if p.ReplyBytes <= 0 {
		p.ReplyBytes = DefaultReplyBytes
	}
	if p.Exchanges <= 0 {
		p.Exchanges = 1
	}
	return p
}

// Validate rejects parameters the measurement cannot honour.
func (p Params) Validate() error {
	if err := p.Net.Validate(); err != nil {
		return err
	}
	p = p.withDefaults()
	if p.RequestBytes > 1000 || p.ReplyBytes > 1000 {
		return errors.New("tcpcheck: request and reply must fit one segment (<= 1000 bytes)")
	}
	if p.Exchanges > MaxExchanges {
		return fmt.Errorf("tcpcheck: at most %d exchanges (got %d)", MaxExchanges, p.Exchanges)
	}
	return nil
}

// Result is the outcome of one trial.
type Result struct {
	// OK is true when the client read the whole reply within the horizon.
	OK bool
	// Time is the virtual time from the client's Connect to the moment the
	// last byte of the reply was readable; meaningful only when OK.
	Time time.Duration
	// End is the virtual time at which the trial stopped: Time when OK,
	// else when the client's connection failed or the horizon was reached.
	End time.Duration
	// Sent and Lost count IP packets put on the link and dropped by it.
	Sent, Lost int
}

// Trial runs trial number trial of a measurement with the given seed: a
// client stack connects to a server stack, writes a request, the server
// answers, and the trial ends when the client has read the answer (with
// Params.Navi and Exchanges: every connection's every answer, in turn).
// The same (p, seed, trial) always gives the same Result.
func Trial(p Params, seed uint64, trial int) (Result, error) {
	return runTrial(p, seed, trial, nil, nil)
}

// runTrial is Trial with two test hooks: w, when not nil, receives one
// line per packet put on the link; drop, when not nil, replaces the loss
// model (see driver.drop).
func runTrial(p Params, seed uint64, trial int, w io.Writer, drop func(int) bool) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	p = p.withDefaults()
	st := netmodel.NewStream(rand.NewPCG(trialSeed(seed, trial)))
	rng := st.R
	// The stacks' own RNGs get a separate stream so that the loss draws
	// depend on the packets only.
	srng := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
	clk := &eventClock{}
	cli, err := newHost(clk, clientAddr, srng, p.NoTailLossProbe)
	if err != nil {
		return Result{}, err
	}
	defer cli.close()
	srv, err := newHost(clk, serverAddr, srng, p.NoTailLossProbe)
	if err != nil {
		return Result{}, err
	}
	defer srv.close()
	d := &driver{p: p, st: st, clk: clk, cli: cli, srv: srv}
	d.net.Reset(p.Net, 1)
	d.drop = drop
	if w != nil {
		d.trace = func(at time.Duration, from *host, data []byte, lost bool) {
			dir := "c>s"
			if from == srv {
				dir = "s>c"
			}
			fate := ""
			if lost {
				fate = " LOST"
			}
			fmt.Fprintf(w, "%8v %s %s%s\n", at, dir, describe(data), fate)
		}
	}
	d.conns = append(d.conns, &conn{port: serverPort, exchanges: p.Exchanges})
	if p.Navi {
		d.conns = slices.Insert(d.conns, 0, &conn{port: naviPort, exchanges: 1})
	}
	defer d.close()
	if err := d.start(); err != nil {
		return Result{}, err
	}
	return d.run()
}

// delivery is a packet in flight on the link.
type delivery struct {
	at   time.Duration
	seq  uint64
	to   *host
	data []byte // the IPv4 packet
}

// driver runs one trial: it owns the link, the clock and both applications.
type driver struct {
	p        Params
	st       netmodel.Stream // the loss and jitter draws
	net      netmodel.Net
	clk      *eventClock
	cli, srv *host
	flight   flightHeap
	seq      uint64
	res      Result
	// trace, when set, sees every packet put on the link.
	trace func(at time.Duration, from *host, data []byte, lost bool)
	// drop, when set, replaces the loss model (tests): packet i (from 0,
	// in the order packets are put on the link) is lost when drop(i).
	drop func(i int) bool

	// conns are the trial's connections, opened one after the other;
	// cur is the one in use (len(conns) once every one is done).
	conns []*conn
	cur   int
}

// conn is one connection of a trial and its applications' progress.
type conn struct {
	port          uint16
	exchanges     int            // request/answer pairs to run
	done          int            // pairs answered
	cep, lep, sep tcpip.Endpoint // client, listener, accepted server endpoint
	cwq, lwq      waiter.Queue
	reqSent       bool
	reqGot        int
	repSent       bool
	repGot        int
}

// start binds every connection's listener and connects the first.
func (d *driver) start() error {
	for _, c := range d.conns {
		var err tcpip.Error
		if c.lep, err = d.srv.s.NewEndpoint(tcp.ProtocolNumber, ipv4.ProtocolNumber, &c.lwq); err != nil {
			return errorf("server NewEndpoint: %s", err)
		}
		if err := c.lep.Bind(tcpip.FullAddress{Port: c.port}); err != nil {
			return errorf("Bind: %s", err)
		}
		if err := c.lep.Listen(8); err != nil {
			return errorf("Listen: %s", err)
		}
	}
	return d.connect()
}

// connect opens the client's side of the current connection.
func (d *driver) connect() error {
	c := d.conns[d.cur]
	var err tcpip.Error
	if c.cep, err = d.cli.s.NewEndpoint(tcp.ProtocolNumber, ipv4.ProtocolNumber, &c.cwq); err != nil {
		return errorf("client NewEndpoint: %s", err)
	}
	switch err := c.cep.Connect(tcpip.FullAddress{NIC: nicID, Addr: serverAddr, Port: c.port}); err.(type) {
	case *tcpip.ErrConnectStarted:
	default:
		return errorf("Connect: %v", err)
	}
	return nil
}

// close closes every endpoint the trial opened.
func (d *driver) close() {
	for _, c := range d.conns {
		for _, ep := range []tcpip.Endpoint{c.sep, c.cep, c.lep} {
			if ep != nil {
				ep.Close()
			}
		}
	}
}

// run is the event loop. Between two events both stacks settle, every
// packet they emitted goes on the link and both applications make what
// progress they can; then virtual time jumps to the next event: a packet
// arriving (first, on ties) or a stack timer firing.
func (d *driver) run() (Result, error) {
	for {
		if err := d.quiesce(); err != nil {
			return d.res, err
		}
		d.res.End = d.clk.elapsed()
		if d.cur == len(d.conns) {
			d.res.OK, d.res.Time = true, d.res.End
			return d.res, nil
		}
		if d.failed() {
			return d.res, nil
		}
		tt, okT := d.clk.next()
		if len(d.flight) > 0 && (!okT || d.flight[0].at <= tt) {
			f := heap.Pop(&d.flight).(*delivery)
			if f.at > d.p.Horizon {
				d.res.End = d.p.Horizon
				return d.res, nil
			}
			d.clk.advance(f.at)
			inject(f.to, f.data)
			continue
		}
		if !okT || tt > d.p.Horizon {
			d.res.End = d.p.Horizon
			return d.res, nil
		}
		d.clk.advance(tt)
		d.clk.fire()
	}
}

// failed reports whether the client's current connection is dead (SYN
// retries or data retransmissions exhausted, or reset).
func (d *driver) failed() bool {
	return tcp.EndpointState(d.conns[d.cur].cep.State()) == tcp.StateError
}

// quiesce alternates settling the stacks, moving their packets onto the
// link and stepping the applications until nothing changes.
func (d *driver) quiesce() error {
	for {
		d.cli.settle()
		d.srv.settle()
		moved := d.pump(d.cli, d.srv) + d.pump(d.srv, d.cli)
		progressed, err := d.apps()
		if err != nil {
			return err
		}
		if moved == 0 && !progressed {
			return nil
		}
	}
}

// pump moves every packet from's stack emitted onto the link towards to,
// deciding each one's fate with netmodel.Net.Send.
func (d *driver) pump(from, to *host) int {
	n := 0
	for {
		pkt := from.link.Read()
		if pkt == nil {
			return n
		}
		n++
		d.res.Sent++
		view := pkt.ToView()
		data := bytes.Clone(view.AsSlice())
		view.Release()
		pkt.DecRef()
		dir := netmodel.DirUp // client to server; each direction has its own loss model
		if from != d.cli {
			dir = netmodel.DirDown
		}
		v, delay, _ := d.net.Send(d.st, 0, dir)
		if d.drop != nil {
			v = netmodel.Pass
			if d.drop(d.res.Sent - 1) {
				v = netmodel.DropLoss
			}
		}
		if d.trace != nil {
			d.trace(d.clk.elapsed(), from, data, v != netmodel.Pass)
		}
		if v != netmodel.Pass {
			d.res.Lost++
			continue
		}
		d.seq++
		heap.Push(&d.flight, &delivery{at: d.clk.elapsed() + delay, seq: d.seq, to: to, data: data})
	}
}

// inject hands an IPv4 packet to h's NIC as if it came off the wire.
func inject(h *host, data []byte) {
	pkt := stack.NewPacketBuffer(stack.PacketBufferOptions{Payload: buffer.MakeWithData(data)})
	h.link.InjectInbound(ipv4.ProtocolNumber, pkt)
	pkt.DecRef()
}

// apps steps the client and server applications of the current connection
// once and reports whether either made progress. Client: once connected,
// write the request; then read the reply. Server: accept, read the
// request, write the reply. Once the reply is read the next exchange
// starts, and after the last one the next connection connects.
func (d *driver) apps() (bool, error) {
	if d.cur == len(d.conns) {
		return false, nil
	}
	c := d.conns[d.cur]
	progressed := false
	if !c.reqSent && tcp.EndpointState(c.cep.State()) == tcp.StateEstablished {
		if err := write(c.cep, d.p.RequestBytes); err != nil {
			return false, errorf("client Write: %s", err)
		}
		c.reqSent, progressed = true, true
	}
	if c.sep == nil {
		ep, _, err := c.lep.Accept(nil)
		switch err.(type) {
		case nil:
			c.sep, progressed = ep, true
		case *tcpip.ErrWouldBlock:
		default:
			return false, errorf("Accept: %s", err)
		}
	}
	if c.sep != nil && c.reqGot < d.p.RequestBytes {
		n, err := read(c.sep)
		if err != nil {
			return false, errorf("server Read: %s", err)
		}
		c.reqGot += n
		progressed = progressed || n > 0
	}
	if c.sep != nil && !c.repSent && c.reqGot >= d.p.RequestBytes {
		if err := write(c.sep, d.p.ReplyBytes); err != nil {
			return false, errorf("server Write: %s", err)
		}
		c.repSent, progressed = true, true
	}
	if c.reqSent && c.repGot < d.p.ReplyBytes {
		n, err := read(c.cep)
		if err != nil {
			return false, errorf("client Read: %s", err)
		}
		c.repGot += n
		progressed = progressed || n > 0
	}
	if c.repGot >= d.p.ReplyBytes {
		c.done++
		c.reqSent, c.reqGot, c.repSent, c.repGot = false, 0, false, 0
		if c.done == c.exchanges {
			if d.cur++; d.cur < len(d.conns) {
				if err := d.connect(); err != nil {
					return false, err
				}
			}
		}
		progressed = true
	}
	return progressed, nil
}

func write(ep tcpip.Endpoint, n int) tcpip.Error {
	var r bytes.Reader
	r.Reset(make([]byte, n))
	w, err := ep.Write(&r, tcpip.WriteOptions{})
	if err == nil && int(w) != n {
		return &tcpip.ErrWouldBlock{}
	}
	return err
}

// read drains what is readable; "nothing yet" is not an error, and neither
// is a connection that died (the trial's failure is seen by failed).
func read(ep tcpip.Endpoint) (int, tcpip.Error) {
	var b bytes.Buffer
	res, err := ep.Read(&b, tcpip.ReadOptions{})
	switch err.(type) {
	case nil:
		return res.Count, nil
	case *tcpip.ErrWouldBlock, *tcpip.ErrClosedForReceive, *tcpip.ErrConnectionReset,
		*tcpip.ErrTimeout, *tcpip.ErrConnectionAborted, *tcpip.ErrNotConnected:
		return 0, nil
	}
	return 0, err
}

// trialSeed mixes (seed, trial) into two PCG seed words (splitmix64), so
// that neighbouring trials get unrelated streams.
func trialSeed(seed uint64, trial int) (uint64, uint64) {
	s := pcgSource{seed}
	a := s.Uint64()
	s = pcgSource{a ^ uint64(trial)*0x632be59bd9b4e019}
	return a, s.Uint64()
}

type flightHeap []*delivery

func (h flightHeap) Len() int { return len(h) }
func (h flightHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].seq < h[j].seq
}
func (h flightHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *flightHeap) Push(x any)   { *h = append(*h, x.(*delivery)) }
func (h *flightHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func errorf(format string, a ...any) error {
	return fmt.Errorf("tcpcheck: "+format, a...)
}
