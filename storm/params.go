package storm

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/netmodel"
)

// OutageKind says what goes away during the outage.
type OutageKind uint8

// Outage kinds.
const (
	OutageNone    OutageKind = iota // no outage
	OutageServer                    // the server restarts: sessions closed, attempts refused or dropped
	OutageNetwork                   // every client loses its network
)

var outageNames = [...]string{"none", "server", "network"}

func (k OutageKind) String() string {
	if int(k) < len(outageNames) {
		return outageNames[k]
	}
	return "?"
}

// ParseOutageKind parses "server" or "network".
func ParseOutageKind(s string) (OutageKind, error) {
	switch s {
	case "server":
		return OutageServer, nil
	case "network":
		return OutageNetwork, nil
	}
	return OutageNone, fmt.Errorf("--outage-kind must be server or network (got %q)", s)
}

// ServiceDist is the shape of the auth service time.
type ServiceDist uint8

// Service time shapes.
const (
	ServiceExp   ServiceDist = iota // exponential with mean Service (M/M/K-like)
	ServiceConst                    // always exactly Service
)

var serviceNames = [...]string{"exponential", "constant"}

func (d ServiceDist) String() string {
	if int(d) < len(serviceNames) {
		return serviceNames[d]
	}
	return "?"
}

// ParseServiceDist parses "exponential" or "constant".
func ParseServiceDist(s string) (ServiceDist, error) {
	for i, n := range serviceNames {
		if s == n {
			return ServiceDist(i), nil
		}
	}
	return 0, fmt.Errorf("--service-dist must be exponential or constant (got %q)", s)
}

// Limits of the storm's inputs. They bound memory and work: a million
// clients at about 0.5 KB each, and time bins that fit in memory.
const (
	MaxClients = 1_000_000
	MaxWorkers = 1_000_000
	MaxQueue   = 10_000_000
	MaxRate    = 1e9
	// MaxHorizon is sim's: 30 days of virtual time.
	MaxHorizon = 30 * 24 * time.Hour
	// MaxBins bounds the time series: Horizon/Bin rows at most.
	MaxBins = 1_000_000
	// MaxService bounds the mean auth service time.
	MaxService = time.Hour
)

// Params describe one storm.
type Params struct {
	Clients     int           // clients, one device per user, 1..MaxClients
	LoginSpread time.Duration // client i logs in at a uniform random time in [0, LoginSpread)
	TimeLimit   time.Duration // Connect's timeLimit of every login; 0: no limit
	Horizon     time.Duration // the storm ends then
	Seed        uint64

	OutageKind OutageKind
	OutageFrom time.Duration
	OutageTo   time.Duration // > OutageFrom
	// OutageDrop: during a server outage, Auths and pings get no answer
	// (the host is gone) instead of being refused at once (the process is
	// restarting and the host answers with a reset).
	OutageDrop bool

	Workers     int           // concurrent handshakes
	Queue       int           // accept queue length; 0: no queue
	Rate        float64       // admissions per second; 0: no rate limit
	Burst       int           // token bucket depth (Rate > 0); 0: one second of Rate
	Service     time.Duration // mean auth service time
	ServiceDist ServiceDist

	Net    netmodel.Params
	Client fsm.Config

	// Bin is the width of a time-series row.
	Bin time.Duration
	// TraceClient is the client whose full trace is kept, or -1.
	TraceClient int
}

// DefaultParams returns the storm defaults; README's "Reconnect storms"
// gives the reasoning for the server's numbers:
//   - 64 workers and a 2 ms mean service time (exponential): an auth tier
//     that admits about 32,000 handshakes a second, a token check being a
//     cache lookup and a signature check;
//   - a 4,096-deep accept queue: Linux's default somaxconn;
//   - no rate limit, so that the queue alone pushes back.
func DefaultParams() Params {
	return Params{
		Clients:     10_000,
		LoginSpread: 10 * time.Second,
		Horizon:     5 * time.Minute,
		Seed:        1,
		OutageKind:  OutageServer,
		OutageFrom:  30 * time.Second,
		OutageTo:    150 * time.Second,
		Workers:     64,
		Queue:       4096,
		Service:     2 * time.Millisecond,
		ServiceDist: ServiceExp,
		Net:         netmodel.DefaultParams(),
		Client:      fsm.DefaultConfig(),
		Bin:         100 * time.Millisecond,
		TraceClient: -1,
	}
}

// Validate returns a one-line error naming the flag and its accepted
// range, or nil.
func (p Params) Validate() error {
	if err := p.Net.Validate(); err != nil {
		return err
	}
	if err := p.Client.Validate(); err != nil {
		return err
	}
	switch {
	case p.Clients < 1 || p.Clients > MaxClients:
		return fmt.Errorf("--clients must be between 1 and %d (got %d)", MaxClients, p.Clients)
	case p.Horizon <= 0 || p.Horizon > MaxHorizon:
		return fmt.Errorf("--horizon must be between 1ns and %v (got %v)", MaxHorizon, p.Horizon)
	case p.LoginSpread < 0 || p.LoginSpread > p.Horizon:
		return fmt.Errorf("--login-spread must be between 0 and the horizon %v (got %v)", p.Horizon, p.LoginSpread)
	case p.TimeLimit < 0 || p.TimeLimit > MaxHorizon:
		return fmt.Errorf("--time-limit must be between 0 (no limit) and %v (got %v)", MaxHorizon, p.TimeLimit)
	case p.OutageKind != OutageNone && (p.OutageFrom < 0 || p.OutageTo <= p.OutageFrom || p.OutageTo > p.Horizon):
		return fmt.Errorf("--outage must be FROM:TO with 0 <= FROM < TO <= the horizon %v (got %v:%v)", p.Horizon, p.OutageFrom, p.OutageTo)
	case p.Workers < 1 || p.Workers > MaxWorkers:
		return fmt.Errorf("--server-workers must be between 1 and %d (got %d)", MaxWorkers, p.Workers)
	case p.Queue < 0 || p.Queue > MaxQueue:
		return fmt.Errorf("--server-queue must be between 0 and %d (got %d)", MaxQueue, p.Queue)
	case !(p.Rate >= 0 && p.Rate <= MaxRate):
		return fmt.Errorf("--server-rate must be between 0 (no limit) and %g per second (got %g)", MaxRate, p.Rate)
	case p.Burst < 0 || p.Burst > MaxQueue:
		return fmt.Errorf("--server-burst must be between 0 (one second of --server-rate) and %d (got %d)", MaxQueue, p.Burst)
	case p.Service < 0 || p.Service > MaxService:
		return fmt.Errorf("--service-time must be between 0 and %v (got %v)", MaxService, p.Service)
	case int(p.ServiceDist) >= len(serviceNames):
		return fmt.Errorf("--service-dist must be exponential or constant")
	case p.Bin <= 0 || p.Horizon/p.Bin >= MaxBins:
		return fmt.Errorf("--bin must be > 0 and at least horizon/%d = %v (got %v)", MaxBins, p.Horizon/MaxBins+1, p.Bin)
	case p.TraceClient < -1 || p.TraceClient >= p.Clients:
		return fmt.Errorf("--trace-client must be between 0 and clients-1 = %d, or -1 for none (got %d)", p.Clients-1, p.TraceClient)
	}
	return nil
}

// burst is the token bucket's depth.
func (p Params) burst() float64 {
	if p.Burst > 0 {
		return float64(p.Burst)
	}
	return max(1, p.Rate)
}
