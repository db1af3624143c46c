package storm

import (
	"fmt"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/param"
)

// OutageKind says what goes away during the outage.
type OutageKind uint8

// Outage kinds.
const (
	OutageNone         OutageKind = iota // no outage
	OutageServer                         // the server restarts: sessions closed, attempts refused at once
	OutageServerSilent                   // the server's host is gone: sessions lost, attempts and pings unanswered
	OutageNetwork                        // every client loses its network
	OutageNavi                           // the navigation service is down (--attempt full): navigation requests are refused
)

var outageNames = [...]string{"none", "server", "server-silent", "network", "navi"}

func (k OutageKind) String() string { return nameOf(outageNames[:], k) }

// ParseOutageKind parses an outage kind's name.
func ParseOutageKind(s string) (OutageKind, error) { return parseName[OutageKind](outageNames[:], s) }

// server reports whether the outage takes the server away.
func (k OutageKind) server() bool { return k == OutageServer || k == OutageServerSilent }

// ServiceDist is the shape of the auth service time.
type ServiceDist uint8

// Service time shapes.
const (
	ServiceExp   ServiceDist = iota // exponential with mean Service (M/M/K-like)
	ServiceConst                    // always exactly Service
)

var serviceNames = [...]string{"exponential", "constant"}

func (d ServiceDist) String() string { return nameOf(serviceNames[:], d) }

// ParseServiceDist parses "exponential" or "constant".
func ParseServiceDist(s string) (ServiceDist, error) {
	return parseName[ServiceDist](serviceNames[:], s)
}

// nameOf returns names[v], or "?" for a value with no name.
func nameOf[T ~uint8](names []string, v T) string {
	if int(v) < len(names) {
		return names[v]
	}
	return "?"
}

// parseName returns the value whose name is s.
func parseName[T ~uint8](names []string, s string) (T, error) {
	for i, n := range names {
		if s == n {
			return T(i), nil
		}
	}
	return 0, fmt.Errorf("unknown name %q (want one of %s)", s, strings.Join(names, ", "))
}

// Limits of the storm's inputs. They bound memory and work, and time bins
// that fit in memory. MaxClients is ten million: about 1.1 KB of resident
// memory per client, so that the largest storm fits a 24 GB machine
// (measured: docs/storm.md, "How large a storm fits"); client indexes,
// Connect call ids (index+1) and the monitor's device ids are int32.
const (
	MaxClients = 10_000_000
	MaxWorkers = 1_000_000
	MaxQueue   = 10_000_000
	MaxRate    = 1e9
	// MaxBins bounds the time series: Horizon/Bin rows at most.
	MaxBins = 1_000_000
	// MaxService bounds the mean auth service time.
	MaxService = time.Hour
	// DefaultMaxEvents is the default event budget of one storm: about
	// ten minutes of CPU on these machines (500-650 ns per event); the
	// million-client storm of docs/performance.md needs 6% of it.
	DefaultMaxEvents = 1_000_000_000
	MaxMaxEvents     = 100_000_000_000
)

// Params describe one storm.
type Params struct {
	// Model holds the network and client parameters, as sim run has them
	// (its flags are lifted into Registry), with the storm's TimeLimit
	// (Connect's timeLimit of every login; 0: no limit) and Horizon.
	Model model.Params

	Clients     int           // clients, one device per user, 1..MaxClients
	LoginSpread time.Duration // client i logs in at a uniform random time in [0, LoginSpread)
	Seed        uint64

	OutageKind OutageKind
	OutageFrom time.Duration
	OutageTo   time.Duration // > OutageFrom

	Workers     int           // concurrent handshakes
	Queue       int           // accept queue length; 0: no queue
	Rate        float64       // admissions per second; 0: no rate limit
	Burst       int           // token bucket depth (Rate > 0); 0: one second of Rate
	Service     time.Duration // mean auth service time
	ServiceDist ServiceDist

	// Policies are the reconnection policies to compare: one storm each,
	// on the same seed (Runs). Model.Client's policy is the first one's.
	Policies []fsm.PolicyChoice

	// Bin is the width of a time-series row.
	Bin time.Duration
	// MaxEvents is the event budget: a storm that needs more stops.
	MaxEvents int
	// TraceClient is the client whose full trace is kept, or -1.
	TraceClient int
}

// DefaultParams returns the storm defaults; docs/storm.md
// gives the reasoning for the server's numbers:
//   - 64 workers and a 2 ms mean service time (exponential): an auth tier
//     that admits about 32,000 handshakes a second, a token check being a
//     cache lookup and a signature check;
//   - a 4,096-deep accept queue: Linux's default somaxconn;
//   - no rate limit, so that the queue alone pushes back.
func DefaultParams() Params {
	m := model.DefaultParams()
	m.TimeLimit = 0
	m.Horizon = 5 * time.Minute
	return Params{
		Model:       m,
		Clients:     10_000,
		LoginSpread: 10 * time.Second,
		Seed:        1,
		OutageKind:  OutageServer,
		OutageFrom:  30 * time.Second,
		OutageTo:    150 * time.Second,
		Workers:     64,
		Queue:       4096,
		Service:     2 * time.Millisecond,
		ServiceDist: ServiceExp,
		Policies:    []fsm.PolicyChoice{{Policy: fsm.RC}},
		Bin:         100 * time.Millisecond,
		MaxEvents:   DefaultMaxEvents,
		TraceClient: -1,
	}
}

// modelParams are the parameters of sim run that a storm takes as they
// are: the network, the client, Connect's time limit, the horizon and the
// messages (not --multi-device-sync: a storm's users have one device).
var modelParams = []string{"loss", "loss-model", "loss-up", "loss-down", "latency", "jitter", "jitter-dist",
	"time-limit", "attempt-timeout", "db-open", "hb-interval", "hb-timeout", "hb-misses", "server-idle-timeout", "horizon", "policy-jitter",
	"msg-rate", "offline-retention", "push-latency", "push-latency-dist",
	"attempt", "navi-timeout", "navi-ttl", "tls", "servers", "visit"}

// MaxPolicies bounds --policy's list: each is a storm of its own.
const MaxPolicies = 16

// policyParam is --policy: one policy, or a list to compare side by side.
var policyParam = param.Custom("policy", "reconnection policy of every client, or a comma-separated list of policies to compare, one storm each on the same seed; POLICY/JITTER sets an entry's jitter (else --policy-jitter's)",
	"policies", "names", "up to 16 of "+fsm.PolicyForms+", each optionally /none, /full, /equal or /decorrelated", param.Ops[Params]{
		Set: func(p *Params, s string) error {
			cs, err := fsm.ParsePolicyList(s, MaxPolicies)
			if err != nil {
				return fmt.Errorf("must be up to %d policies (%s), each optionally /JITTER: %v", MaxPolicies, fsm.PolicyForms, err)
			}
			p.Policies = cs
			p.Model.Client.Policy = cs[0].Policy
			return nil
		},
		Get: func(p *Params) string { return strings.Join(p.policyNames(), ",") },
		JSON: func(p *Params) (any, bool) {
			return p.policyNames(), true
		},
		Copy: func(dst, src *Params) {
			dst.Policies = src.Policies
			dst.Model.Client.Policy = src.Model.Client.Policy
		},
	}).JSON("policy")

func (p *Params) policyNames() []string {
	out := make([]string, len(p.Policies))
	for i, c := range p.Policies {
		out[i] = c.String()
	}
	return out
}

// Runs returns the storms that p asks for: one per policy, each with that
// policy (and its jitter) in Model.Client and Policies holding it alone,
// and the label of each ("" for a single storm).
func (p Params) Runs() ([]Params, []string) {
	var ps []Params
	var labels []string
	for _, c := range p.Policies {
		q := p
		q.Policies = []fsm.PolicyChoice{c}
		q.Model.Client.Policy = c.Policy
		if c.JitterSet {
			q.Model.Client.Jitter = c.Jitter
		}
		ps = append(ps, q)
		label := ""
		if len(p.Policies) > 1 {
			label = "policy " + q.Model.Client.Backoff().String()
		}
		labels = append(labels, label)
	}
	return ps, labels
}

func lifted() []*param.Param[Params] {
	var out []*param.Param[Params]
	for _, name := range modelParams {
		q := model.Registry.Lookup(name)
		if q == nil {
			panic("storm: model.Registry has no parameter " + name)
		}
		out = append(out, param.Lift(q, func(p *Params) *model.Params { return &p.Model }))
	}
	return out
}

// outageParam is --outage: FROM:TO in virtual time, or none.
var outageParam = param.Custom("outage", "the outage's window FROM:TO in virtual time (Go durations), or none",
	"window", "duration", "FROM:TO with 0 <= FROM < TO <= the horizon, or none", param.Ops[Params]{
		Set: func(p *Params, s string) error {
			s = strings.TrimSpace(s)
			if s == "none" {
				p.OutageFrom, p.OutageTo = 0, 0
				return nil
			}
			a, b, ok := strings.Cut(s, ":")
			from, err1 := param.ParseDuration(a)
			to, err2 := param.ParseDuration(b)
			if !ok || err1 != nil || err2 != nil || from < 0 || to <= from || to > model.MaxHorizon {
				return fmt.Errorf("must be FROM:TO with 0 <= FROM < TO <= %v, e.g. 30s:150s, or none (got %q)", model.MaxHorizon, s)
			}
			p.OutageFrom, p.OutageTo = from, to
			return nil
		},
		Get: func(p *Params) string {
			if p.OutageTo <= p.OutageFrom {
				return "none"
			}
			return param.FormatDuration(p.OutageFrom) + ":" + param.FormatDuration(p.OutageTo)
		},
		JSON: func(p *Params) (any, bool) {
			if p.OutageTo <= p.OutageFrom {
				return nil, false
			}
			return []float64{p.OutageFrom.Seconds(), p.OutageTo.Seconds()}, true
		},
		Copy: func(dst, src *Params) { dst.OutageFrom, dst.OutageTo = src.OutageFrom, src.OutageTo },
	}).JSON("outage_s")

// Registry declares every storm parameter once: the storm's own, then
// sim run's network and client parameters, lifted from model.Registry.
var Registry = param.NewRegistry(DefaultParams, append([]*param.Param[Params]{
	param.Int("clients", "clients in the storm, one device per user, each with a valid token", 1, MaxClients,
		func(p *Params) *int { return &p.Clients }).JSON("clients").WithUnit("count"),
	param.Duration("login-spread", "clients log in at uniform random times in [0, D)", 0, model.MaxDuration, "all at once", param.Seconds,
		func(p *Params) *time.Duration { return &p.LoginSpread }).JSON("login_spread_s"),
	outageParam,
	param.Enum("outage-kind", "server: the server restarts (sessions pushed closed, attempts and pings refused at once); server-silent: its host is gone (nothing answered: clients notice by timeouts); network: every client loses its network; navi: the navigation service is down (needs --attempt full): a client with a fresh cached answer (--navi-ttl) does not notice, a first visit or an expired cache fails its navigation (30007) and retries on the schedule", "",
		outageNames[1:], ParseOutageKind, OutageKind.String,
		func(p *Params) *OutageKind { return &p.OutageKind }).JSON("outage_kind"),
	param.Int("server-workers", "handshakes the server serves at once", 1, MaxWorkers,
		func(p *Params) *int { return &p.Workers }).JSON("server_workers").WithUnit("count"),
	param.Int("server-queue", "accept queue: handshakes waiting for a worker; an attempt beyond it is refused (unavailable)", 0, MaxQueue,
		func(p *Params) *int { return &p.Queue }).JSON("server_queue").WithUnit("count"),
	param.Float("server-rate", "admissions per second of the server's token bucket; an attempt that finds it empty is refused (unavailable); 0: no limit", 0, MaxRate,
		func(p *Params) *float64 { return &p.Rate }).JSON("server_rate").WithUnit("per second"),
	param.Int("server-burst", "token bucket depth; 0: one second of --server-rate", 0, MaxQueue,
		func(p *Params) *int { return &p.Burst }).JSON("server_burst").WithUnit("count"),
	param.Duration("service-time", "mean auth service time of one handshake", 0, MaxService, "", param.Millis,
		func(p *Params) *time.Duration { return &p.Service }).JSON("service_time_ms"),
	param.Enum("service-dist", "service time distribution: exponential (an M/M/K server) or constant", "",
		serviceNames[:], ParseServiceDist, ServiceDist.String,
		func(p *Params) *ServiceDist { return &p.ServiceDist }).JSON("service_dist"),
	param.Duration("bin", "width of a time-series bin (--series, --plot, the peak attempt rate)", time.Microsecond, model.MaxDuration, "", param.Millis,
		func(p *Params) *time.Duration { return &p.Bin }).JSON("bin_ms"),
	policyParam,
	param.Int("max-events", "event budget: a storm that needs more events stops (exit 2); the default is about ten minutes of CPU", 1, MaxMaxEvents,
		func(p *Params) *int { return &p.MaxEvents }).WithUnit("count"),
}, lifted()...)...)

// Validate returns a one-line error naming the flag and its accepted
// range, or nil.
func (p Params) Validate() error {
	if err := Registry.Check(&p); err != nil {
		return err
	}
	runs, _ := p.Runs()
	for _, q := range runs {
		if err := q.Model.Validate(); err != nil {
			return err
		}
	}
	h := p.Model.Horizon
	switch {
	case p.Model.Net.Transport != 0:
		return fmt.Errorf("--transport must be message in a storm")
	case p.LoginSpread > h:
		return fmt.Errorf("--login-spread %v and --horizon %v: every client logs in within the horizon, so the spread must be at most the horizon (shorten one or lengthen the other)", p.LoginSpread, h)
	case p.OutageKind == OutageNavi && p.outage() && p.Model.Client.Attempt != fsm.AttemptFull:
		return fmt.Errorf("--outage-kind navi needs --attempt full: only then does an attempt ask the navigation service (got --attempt %v)", p.Model.Client.Attempt)
	case p.OutageKind != OutageNone && p.OutageTo > h:
		return fmt.Errorf("--outage %v:%v and --horizon %v: the outage must end by the horizon (move the outage or lengthen the horizon)", p.OutageFrom, p.OutageTo, h)
	case h/p.Bin >= MaxBins:
		return fmt.Errorf("--bin must be at least horizon/%d = %v (got %v)", MaxBins, h/MaxBins+1, p.Bin)
	case p.TraceClient < -1 || p.TraceClient >= p.Clients:
		return fmt.Errorf("--trace-client must be between 0 and clients-1 = %d, or -1 for none (got %d)", p.Clients-1, p.TraceClient)
	}
	return nil
}

// outage reports whether the storm has an outage.
func (p Params) outage() bool { return p.OutageKind != OutageNone && p.OutageTo > p.OutageFrom }

// burst is the token bucket's depth.
func (p Params) burst() float64 {
	if p.Burst > 0 {
		return float64(p.Burst)
	}
	return max(1, p.Rate)
}
