package model

// The attempt's anatomy's parameters (fsm/anatomy.go, docs/model.md "The
// attempt's anatomy"): what an attempt is (--attempt), its steps' knobs
// (--navi-timeout, --navi-ttl, --tls, --servers, --visit), and the world
// around them (--navi-unavailable, --server-down).

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/param"
)

// ServerDown is one --server-down window: listed server Server refuses
// every socket (and auth) from From until To.
type ServerDown struct {
	Server   int
	From, To time.Duration
}

// MaxServerDown bounds how many --server-down windows a run takes.
const MaxServerDown = 64

// ParseServerDown parses I:FROM:TO.
func ParseServerDown(s string) (ServerDown, error) {
	parts := strings.Split(s, ":")
	bad := fmt.Errorf("must be I:FROM:TO, a server index and two durations with FROM < TO (got %q)", s)
	if len(parts) != 3 {
		return ServerDown{}, bad
	}
	i, err := strconv.Atoi(parts[0])
	if err != nil || i < 0 || i >= fsm.MaxServers {
		return ServerDown{}, fmt.Errorf("must be I:FROM:TO with I between 0 and %d (got %q)", fsm.MaxServers-1, s)
	}
	from, err1 := param.ParseDuration(parts[1])
	to, err2 := param.ParseDuration(parts[2])
	if err1 != nil || err2 != nil || from < 0 || from >= to || to > MaxDuration {
		return ServerDown{}, fmt.Errorf("must be I:FROM:TO with 0 <= FROM < TO <= %s (got %q)", param.FormatDuration(MaxDuration), s)
	}
	return ServerDown{Server: i, From: from, To: to}, nil
}

func (d ServerDown) String() string {
	return strconv.Itoa(d.Server) + ":" + param.FormatDuration(d.From) + ":" + param.FormatDuration(d.To)
}

// serverDownParam is --server-down, repeatable.
var serverDownParam = param.Custom("server-down", "the attempt's anatomy: listed server I refuses sockets and auths from FROM to TO (repeatable; --attempt full tries the next listed server, --attempt auth knows server 0 only); the sessions it holds are lost at FROM (their sockets close)",
	"windows", "", "I:FROM:TO, a listed server (below --servers) and 0 <= FROM < TO", param.Ops[Params]{
		Set: func(p *Params, s string) error {
			for _, w := range strings.Split(s, ",") {
				d, err := ParseServerDown(strings.TrimSpace(w))
				if err != nil {
					return err
				}
				if len(p.ServerDown) >= MaxServerDown {
					return fmt.Errorf("takes at most %d windows", MaxServerDown)
				}
				p.ServerDown = append(p.ServerDown, d)
			}
			return nil
		},
		Get: func(p *Params) string { return strings.Join(p.serverDownNames(), ",") },
		JSON: func(p *Params) (any, bool) {
			return p.serverDownNames(), len(p.ServerDown) > 0
		},
		Copy:  func(dst, src *Params) { dst.ServerDown = append([]ServerDown(nil), src.ServerDown...) },
		Reset: func(p *Params) { p.ServerDown = nil },
		Slice: func(p *Params) []string { return p.serverDownNames() },
	})

func (p *Params) serverDownNames() []string {
	out := make([]string, 0, len(p.ServerDown))
	for _, d := range p.ServerDown {
		out = append(out, d.String())
	}
	return out
}

// parseVisit and formatVisit are --visit's: first, or returning (true).
var parseVisit, formatVisit = boolEnum("first", "returning")

// validateAnatomy checks what ties the anatomy's parameters to others.
func (p Params) validateAnatomy() error {
	for _, d := range p.ServerDown {
		if d.Server >= p.Client.Servers {
			return fmt.Errorf("--server-down %s: server %d is not listed (--servers %d lists 0 to %d)", d, d.Server, p.Client.Servers, p.Client.Servers-1)
		}
	}
	return nil
}

// NaviDown reports whether the navigation service fails a request now: u
// draws one uniform only when 0 < NaviUnavailable < 1 (as
// netmodel.Net.Unavailable), so a run without it draws nothing.
func (p *Params) NaviDown(u func() float64) bool {
	switch {
	case p.NaviUnavailable <= 0:
		return false
	case p.NaviUnavailable >= 1:
		return true
	}
	return u() < p.NaviUnavailable
}

// ServerDownAt reports whether a --server-down window holds listed server
// i down at t (From inclusive, To exclusive).
func (p *Params) ServerDownAt(i int, t time.Duration) bool {
	for _, d := range p.ServerDown {
		if d.Server == i && t >= d.From && t < d.To {
			return true
		}
	}
	return false
}
