package tcpcheck

import (
	"math/rand/v2"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/header"
	"gvisor.dev/gvisor/pkg/tcpip/link/channel"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
)

const (
	nicID      = 1
	mtu        = 1500
	serverPort = 443
	naviPort   = 80 // the navigation service's listener (Params.Navi)
	// queueLen is the channel link's outbound queue. A handful of segments
	// is ever in flight; a full queue would drop silently, so it is large.
	queueLen = 256
)

var (
	clientAddr = tcpip.AddrFrom4([4]byte{10, 0, 0, 1})
	serverAddr = tcpip.AddrFrom4([4]byte{10, 0, 0, 2})
)

// host is one gVisor stack with a single NIC on an in-memory channel link.
type host struct {
	s    *stack.Stack
	link *channel.Endpoint
}

// newHost builds a stack with gVisor's default IPv4 and TCP settings (but
// RACK off when noTLP), driven by clk. Its RNGs (ISNs, ephemeral ports,
// processor hashing) are seeded from rng so that a trial is reproducible;
// none of them changes timing.
func newHost(clk tcpip.Clock, addr tcpip.Address, rng *rand.Rand, noTLP bool) (*host, error) {
	s := stack.New(stack.Options{
		NetworkProtocols:   []stack.NetworkProtocolFactory{ipv4.NewProtocol},
		TransportProtocols: []stack.TransportProtocolFactory{tcp.NewProtocol},
		Clock:              clk,
		RandSource:         &pcgSource{rng.Uint64()},
		SecureRNG:          rand.NewChaCha8(seed32(rng)),
	})
	if noTLP {
		off := tcpip.TCPRecovery(0)
		if err := s.SetTransportProtocolOption(tcp.ProtocolNumber, &off); err != nil {
			s.Destroy()
			return nil, errorf("TCPRecovery: %s", err)
		}
	}
	link := channel.New(queueLen, mtu, "")
	if err := s.CreateNIC(nicID, link); err != nil {
		s.Destroy()
		return nil, errorf("CreateNIC: %s", err)
	}
	pa := tcpip.ProtocolAddress{Protocol: ipv4.ProtocolNumber, AddressWithPrefix: addr.WithPrefix()}
	if err := s.AddProtocolAddress(nicID, pa, stack.AddressProperties{}); err != nil {
		s.Destroy()
		return nil, errorf("AddProtocolAddress: %s", err)
	}
	s.SetRouteTable([]tcpip.Route{{Destination: header.IPv4EmptySubnet, NIC: nicID}})
	return &host{s: s, link: link}, nil
}

// settle returns once the stack's TCP processor goroutines have handled
// every queued segment. Pause is gVisor's own quiescence point (used for
// save/restore): each processor acknowledges it only with an empty queue.
func (h *host) settle() {
	h.s.Pause()
	h.s.Resume()
}

// close tears the stack down, ending its goroutines.
func (h *host) close() {
	h.link.Close()
	h.s.Close()
	h.s.Wait()
	h.s.Destroy()
}

// pcgSource adapts a splitmix64 stream to math/rand's Source, which gVisor's
// stack.Options.RandSource wants.
type pcgSource struct{ x uint64 }

func (p *pcgSource) Int63() int64    { return int64(p.Uint64() >> 1) }
func (p *pcgSource) Seed(seed int64) { p.x = uint64(seed) }
func (p *pcgSource) Uint64() uint64 {
	p.x += 0x9e3779b97f4a7c15
	z := p.x
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func seed32(rng *rand.Rand) (s [32]byte) {
	for i := 0; i < 32; i += 8 {
		v := rng.Uint64()
		for j := range 8 {
			s[i+j] = byte(v >> (8 * j))
		}
	}
	return s
}
