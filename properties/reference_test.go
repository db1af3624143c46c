package properties

// The batch checkers as they were before the streaming monitors (commit
// 99c358f), kept as the reference the monitors are tested against
// (TestMonitorMatchesReference). Test-only.

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

func refCheckP1(_ Config, recs []trace.Record) []Violation {
	type first struct {
		call int32
		idx  int
	}
	var buf [16]first
	seen := buf[:0]
	var out []Violation
	for i := range recs {
		r := &recs[i]
		if !isTerminal(r) {
			continue
		}
		j := len(seen) - 1
		for j >= 0 && seen[j].call != r.Call {
			j--
		}
		if j < 0 {
			seen = append(seen, first{r.Call, i})
			continue
		}
		f := seen[j].idx
		out = append(out, violation("P1", recs, i, fmt.Sprintf(
			"second terminal callback %s; the first was %s at record %d",
			describe(r), describe(&recs[f]), f)))
	}
	return out
}

func refCheckP2(_ Config, recs []trace.Record) []Violation {
	var cbuf [16]refCall
	calls := refConnectCalls(recs, cbuf[:0])
	reach := refTraceReach(recs)
	var out []Violation
	for _, c := range calls {
		if c.rejected || c.limit <= 0 {
			continue
		}
		out = refCheckLimit(out, recs, c, reach)
	}
	return out
}

func refCheckLimit(out []Violation, recs []trace.Record, c refCall, reach time.Duration) []Violation {
	due := c.t + c.limit
	terms := 0
	for j := c.idx + 1; j < len(recs); j++ {
		r := &recs[j]
		if r.Kind.Detail() {
			continue
		}
		if terms == 0 && r.Dev == c.dev && isDisconnect(r) && r.T <= due {
			return out // the app gave up first: no callback is owed
		}
		if !isTerminal(r) || r.Call != c.id {
			continue
		}
		terms++
		switch {
		case r.T > due:
			if terms == 1 {
				return append(out, violation("P2", recs, j, fmt.Sprintf(
					"%s at t=%s, after call %d's time limit ran out at t=%s",
					describe(r), seconds(r.T), c.id, seconds(due))))
			}
			return out
		case terms > 1:
			return append(out, violation("P2", recs, j, fmt.Sprintf(
				"second terminal callback %s within call %d's time limit", describe(r), c.id)))
		case r.Name == vocab.CbError && r.Code == fsm.ConnectTimeout && r.T != due:
			out = append(out, violation("P2", recs, j, fmt.Sprintf(
				"%s at t=%s, before call %d's time limit runs out at t=%s",
				describe(r), seconds(r.T), c.id, seconds(due))))
		}
	}
	if terms == 0 && reach >= due {
		out = append(out, violation("P2", recs, c.idx, fmt.Sprintf(
			"call %d (time limit %s) got no terminal callback by t=%s; %s",
			c.id, seconds(c.limit), seconds(due), refReachText(recs))))
	}
	return out
}

func refTraceReach(recs []trace.Record) time.Duration {
	endIdx, reason := refTraceEnd(recs)
	switch {
	case endIdx < 0:
		return refLastT(recs)
	case reason == vocab.EndIdle:
		return forever
	}
	return recs[endIdx].T
}

func refReachText(recs []trace.Record) string {
	if refTraceReach(recs) == forever {
		return "the trace ended idle at t=" + seconds(refLastT(recs)) + ": nothing more could happen"
	}
	return "the trace goes on to t=" + seconds(refTraceReach(recs))
}

func refCheckP3(_ Config, recs []trace.Record) []Violation {
	// silence is a device's state after a 34006. Invariant: reported
	// implies active.
	type silence struct {
		active, reported bool
		call             int32
		idx              int // the onError(34006) record
	}
	var cbuf [16]refCall
	calls := refConnectCalls(recs, cbuf[:0])
	var sbuf [8]silence
	devs := sbuf[:0]
	var out []Violation
	breach := func(s *silence, i int, what string) {
		out = append(out, violation("P3", recs, i, fmt.Sprintf(
			"%s after onError(34006) of call %d at record %d, with no Connect since",
			what, s.call, s.idx)))
		s.reported = true
	}
	for i := range recs {
		r := &recs[i]
		if r.Kind.Detail() {
			continue
		}
		if r.Kind == trace.KCallback {
			for d := range devs {
				if s := &devs[d]; s.active && !s.reported && s.call == r.Call {
					breach(s, i, describe(r))
				}
			}
		}
		if r.Dev < 0 {
			continue
		}
		devs = refAt(devs, r.Dev)
		s := &devs[r.Dev]
		switch {
		case refAccepted(calls, recs, i):
			*s = silence{}
		case r.Kind == trace.KCallback && r.Name == vocab.CbError && r.Code == fsm.ConnectTimeout:
			if !s.active {
				*s = silence{active: true, call: r.Call, idx: i}
			}
		case !s.active || s.reported:
		case isAttempt(r, vocab.PhaseStart):
			breach(s, i, describe(r))
		case r.Kind == trace.KStatus && (r.Status == fsm.Connecting || r.Status == fsm.Connected):
			breach(s, i, describe(r))
		}
	}
	return out
}

func refCheckP4(cfg Config, recs []trace.Record) []Violation {
	var cbuf [16]refCall
	calls := refConnectCalls(recs, cbuf[:0])
	var out []Violation
	for _, c := range calls {
		tok, stored := refStoredToken(cfg, recs, calls, c.dev, c.idx)
		out = refCheckDatabase(out, cfg, recs, c, !stored || tok != recs[c.idx].Token)
	}
	return out
}

// refStoredToken returns the token of the device's stored token before
// record i: the token of the call record of the last onSuccess before i of
// an accepted call made on dev; else, with cfg.Returning, the token of the
// device's first connect call record; false when there is none.
func refStoredToken(cfg Config, recs []trace.Record, calls []refCall, dev int32, i int) (int32, bool) {
	for j := i - 1; j >= 0; j-- {
		r := &recs[j]
		if r.Kind != trace.KCallback || r.Name != vocab.CbSuccess {
			continue
		}
		for k := len(calls) - 1; k >= 0; k-- {
			if c := calls[k]; c.id == r.Call && c.idx < j {
				if c.dev == dev && !c.rejected {
					return recs[c.idx].Token, true
				}
				break
			}
		}
	}
	for _, c := range calls {
		if cfg.Returning && c.dev == dev {
			return recs[c.idx].Token, true
		}
	}
	return 0, false
}

// refCheckDatabase checks P4 for call c; after: its token is not the
// stored one, so its database opens only after its onSuccess.
func refCheckDatabase(out []Violation, cfg Config, recs []trace.Record, c refCall, after bool) []Violation {
	due, since := c.t+cfg.DBOpen, "its Connect"
	db, term, succ := -1, -1, false
	for j := c.idx + 1; j < len(recs); j++ {
		r := &recs[j]
		if r.Kind != trace.KCallback || r.Call != c.id {
			continue
		}
		switch {
		case r.Name == vocab.CbDatabaseOpened && c.rejected:
			return append(out, violation("P4", recs, j, fmt.Sprintf(
				"onDatabaseOpened of call %d, which was rejected", c.id)))
		case r.Name == vocab.CbDatabaseOpened && db >= 0:
			out = append(out, violation("P4", recs, j, fmt.Sprintf(
				"second onDatabaseOpened of call %d; the first was record %d", c.id, db)))
		case r.Name == vocab.CbDatabaseOpened && after && !succ:
			what := "before its onSuccess"
			if term >= 0 {
				what = "after its onError"
			}
			return append(out, violation("P4", recs, j, fmt.Sprintf(
				"onDatabaseOpened of call %d %s; its token is not the device's stored one, so its database opens only after a success", c.id, what)))
		case r.Name == vocab.CbDatabaseOpened:
			db = j
			if cfg.DBOpen >= 0 && r.T > due {
				out = append(out, violation("P4", recs, j, fmt.Sprintf(
					"onDatabaseOpened of call %d at t=%s, later than db-open (%s) after %s",
					c.id, seconds(r.T), seconds(cfg.DBOpen), since)))
			}
		case isTerminal(r) && term < 0 && !c.rejected:
			term = j
			switch {
			case after && r.Name == vocab.CbSuccess:
				succ, due, since = true, r.T+cfg.DBOpen, "its onSuccess"
			case !after && db < 0:
				out = append(out, violation("P4", recs, j, fmt.Sprintf(
					"%s before onDatabaseOpened of call %d (its token is the device's stored one)", describe(r), c.id)))
			}
		}
	}
	missing := db < 0 && !c.rejected && cfg.DBOpen >= 0 && (after && succ || !after && term < 0)
	if missing && refTraceReach(recs) > due {
		out = append(out, violation("P4", recs, c.idx, fmt.Sprintf(
			"call %d got no onDatabaseOpened by t=%s (db-open %s after %s); %s",
			c.id, seconds(due), seconds(cfg.DBOpen), since, refReachText(recs))))
	}
	return out
}

func refCheckP5(_ Config, recs []trace.Record) []Violation {
	// stop is a device's stop state. Invariant: reported implies stopped.
	type stop struct {
		stopped, reported, noLib bool
		idx                      int // the record that stopped the device
	}
	var cbuf [16]refCall
	calls := refConnectCalls(recs, cbuf[:0])
	var sbuf [8]stop
	devs := sbuf[:0]
	var out []Violation
	for i := range recs {
		r := &recs[i]
		if !deviceRec(r) {
			continue
		}
		devs = refAt(devs, r.Dev)
		s := &devs[r.Dev]
		switch {
		case r.Kind == trace.KEnv && r.Op == vocab.EnvNoNativeLib:
			*s = stop{stopped: true, noLib: true, idx: i}
		case refAccepted(calls, recs, i):
			if !s.noLib {
				*s = stop{}
			}
		case Stops(r):
			*s = stop{stopped: true, noLib: s.noLib, idx: i}
		case isAttempt(r, vocab.PhaseStart) && s.stopped && !s.reported:
			msg := fmt.Sprintf("%s after %s at record %d, with no Connect since", describe(r), describe(&recs[s.idx]), s.idx)
			if s.noLib {
				msg = fmt.Sprintf("%s on a device without its native library (%s at record %d): every Connect gets -2", describe(r), describe(&recs[s.idx]), s.idx)
			}
			out = append(out, violation("P5", recs, i, msg))
			s.reported = true
		}
	}
	return out
}

type refBackoff struct {
	streak  int           // counted transient failures since the last reset
	waiting bool          // a counted failure awaits its scheduled attempt
	due     time.Duration // the earliest time that attempt may start
	dueHi   time.Duration // the latest
	failIdx int           // the record of that failure
	offline bool          // the network is off: env net_off, no net_on since
	reset   bool          // a reset has happened (resetT is meaningful)
	resetT  time.Duration // time of the last reset that may start an attempt at once
	frozen  bool          // env os_suspend, no foreground since
	noLib   bool          // env native_lib_missing
	ipcOwed bool          // an onError(-2) owes an attempt at the next env ipc_back
}

func refCheckP6(cfg Config, recs []trace.Record) []Violation {
	if cfg.Policy == nil {
		return nil
	}
	var cbuf [16]refCall
	calls := refConnectCalls(recs, cbuf[:0])
	var bbuf [8]refBackoff
	devs := bbuf[:0]
	var out []Violation
	for i := range recs {
		r := &recs[i]
		if r.Kind.Detail() {
			continue
		}
		for d := range devs {
			if int(r.Dev) == d && isAttempt(r, vocab.PhaseStart) {
				continue // a late start: b.start says how late
			}
			if b := &devs[d]; b.waiting && r.T > b.dueHi {
				_, hi := cfg.gap(b.streak)
				by := "at"
				if b.due != b.dueHi {
					by = "by"
				}
				msg := fmt.Sprintf("dev%d: no attempt started %s t=%s, %s after counted failure %d (%s at record %d)",
					d, by, seconds(b.dueHi), seconds(hi), b.streak,
					describe(&recs[b.failIdx]), b.failIdx)
				if b.streak == 0 {
					msg = fmt.Sprintf("dev%d: no attempt started at t=%s, when the IPC link came back (%s at record %d)",
						d, seconds(b.dueHi), describe(&recs[b.failIdx]), b.failIdx)
				}
				out = append(out, violation("P6", recs, i, msg))
				b.waiting = false
			}
		}
		if r.Dev < 0 {
			continue
		}
		devs = refAt(devs, r.Dev)
		b := &devs[r.Dev]
		switch r.Kind {
		case trace.KCall:
			if refAccepted(calls, recs, i) {
				b.streak, b.waiting = 0, false
			} else if isDisconnect(r) {
				b.stop()
			}
		case trace.KCallback, trace.KStatus:
			if Stops(r) {
				b.stop()
			}
			if r.Kind == trace.KCallback && r.Name == vocab.CbError && r.Code == fsm.IPCDisconnect && !b.noLib {
				b.ipcOwed = true
			}
		case trace.KEnv:
			switch r.Op {
			case vocab.EnvOSSuspend:
				b.waiting, b.frozen = false, true
			case vocab.EnvForeground:
				b.frozen = false
			case vocab.EnvNoNativeLib:
				b.noLib = true
			case vocab.EnvIPCBack:
				// The link is back: an owed or waiting SDK attempts at once.
				if (b.ipcOwed || b.waiting) && !b.offline && !b.frozen {
					b.restart(r)
					b.waiting, b.due, b.dueHi, b.failIdx = true, r.T, r.T, i
				}
				b.ipcOwed = false
			}
			switch {
			case r.Op == vocab.EnvNetOff:
				b.waiting, b.offline = false, true
			case r.Op == vocab.EnvNetOn && b.offline, r.Op == vocab.EnvNetChange && !b.offline, r.Op == vocab.EnvForeground:
				b.restart(r)
			}
			if r.Op == vocab.EnvNetOn {
				b.offline = false
			}
		case trace.KLost:
			switch r.Reason {
			case vocab.ReasonHeartbeat, vocab.ReasonIPC, vocab.ReasonGone:
				b.streak = 0
				b.fail(cfg, r, i)
			case vocab.ReasonNetworkChange:
				b.restart(r)
			default: // network-down pauses; an unknown reason expects nothing
				b.waiting = false
			}
		case trace.KAttempt:
			switch r.Phase {
			case vocab.PhaseOK:
				b.streak, b.waiting = 0, false
			case vocab.PhaseFail:
				switch r.Reason {
				case vocab.ReasonAttemptTimeout, vocab.ReasonUnavailable, vocab.ReasonIPC:
					b.fail(cfg, r, i)
				case vocab.ReasonNetworkChange:
					b.restart(r)
				default: // network-down, cancelled, error, kicked, unknown
					b.waiting = false
				}
			case vocab.PhaseStart:
				if msg := b.start(r); msg != "" {
					out = append(out, violation("P6", recs, i, msg))
				}
				b.waiting = false
			}
		}
	}
	return out
}

func (b *refBackoff) fail(cfg Config, r *trace.Record, i int) {
	b.streak++
	lo, hi := cfg.gap(b.streak)
	b.waiting, b.due, b.dueHi, b.failIdx = true, r.T+lo, r.T+hi, i
}

func (b *refBackoff) restart(r *trace.Record) {
	b.streak, b.waiting = 0, false
	b.reset, b.resetT = true, r.T
}

func (b *refBackoff) stop() { b.streak, b.waiting, b.ipcOwed = 0, false, false }

func (b *refBackoff) start(r *trace.Record) string {
	atReset := b.reset && b.resetT == r.T
	switch r.Reason {
	case vocab.ReasonConnect:
		return ""
	case vocab.ReasonSchedule:
		if !b.waiting {
			return "attempt start (schedule) with no counted failure waiting for it"
		}
		if r.T < b.due || r.T > b.dueHi {
			if b.due != b.dueHi {
				return fmt.Sprintf("attempt start (schedule) at t=%s; counted failure %d at record %d makes it due between t=%s and t=%s",
					seconds(r.T), b.streak, b.failIdx, seconds(b.due), seconds(b.dueHi))
			}
			return fmt.Sprintf("attempt start (schedule) at t=%s; counted failure %d at record %d makes it due at t=%s",
				seconds(r.T), b.streak, b.failIdx, seconds(b.due))
		}
		return ""
	case vocab.ReasonNetworkUp, vocab.ReasonNetworkChange, vocab.ReasonForeground, vocab.ReasonIPCBack:
		if atReset {
			return ""
		}
	}
	if b.waiting && r.T < b.due {
		return fmt.Sprintf("%s at t=%s, before t=%s when counted failure %d at record %d makes the next attempt due",
			describe(r), seconds(r.T), seconds(b.due), b.streak, b.failIdx)
	}
	return ""
}

func refCheckP7(_ Config, recs []trace.Record) []Violation {
	type listener struct {
		dev int32
		id  int32
	}
	var sbuf [8]fsm.Status
	cur := sbuf[:0]
	var lbuf [16]listener
	ls := lbuf[:0]
	find := func(dev int32, id int32) int {
		for j := range ls {
			if ls[j] == (listener{dev, id}) {
				return j
			}
		}
		return -1
	}
	var out []Violation
	for i := range recs {
		r := &recs[i]
		if !deviceRec(r) {
			continue
		}
		switch {
		case isCall(r, vocab.OpAddListener):
			if find(r.Dev, r.Listeners) < 0 {
				ls = append(ls, listener{r.Dev, r.Listeners})
			}
		case isCall(r, vocab.OpRemoveListener):
			if j := find(r.Dev, r.Listeners); j >= 0 {
				ls = append(ls[:j], ls[j+1:]...)
			}
		case isCall(r, vocab.OpStatus):
			for len(cur) <= int(r.Dev) {
				cur = append(cur, fsm.Unconnected)
			}
			if r.Status != cur[r.Dev] {
				out = append(out, violation("P7", recs, i, fmt.Sprintf("status query answered %s, but the listeners were last told %s", r.Status, cur[r.Dev])))
			}
		case r.Kind == trace.KStatus:
			for len(cur) <= int(r.Dev) {
				cur = append(cur, fsm.Unconnected)
			}
			n := int32(0)
			for _, l := range ls {
				if l.dev == r.Dev {
					n++
				}
			}
			if msg := refStatusFaults(cur[r.Dev], r, n); msg != "" {
				out = append(out, violation("P7", recs, i, msg))
			}
			cur[r.Dev] = r.Status
		}
	}
	return out
}

func refStatusFaults(prev fsm.Status, r *trace.Record, n int32) string {
	var faults []string
	if r.From != prev {
		faults = append(faults, fmt.Sprintf("from %s but the previous status was %s", r.From, prev))
	}
	if r.Status == prev {
		faults = append(faults, fmt.Sprintf("%s twice in a row", r.Status))
	} else if _, ok := fsm.EdgeEvent(r.From, r.Status); !ok {
		faults = append(faults, fmt.Sprintf("%s -> %s is not an edge of the state machine", r.From, r.Status))
	}
	if r.Listeners != n {
		faults = append(faults, fmt.Sprintf("told %d listeners, %d registered", r.Listeners, n))
	}
	if faults == nil {
		return ""
	}
	return "status " + r.Status.String() + ": " + strings.Join(faults, "; ")
}

func refCheckP9(_ Config, recs []trace.Record) []Violation {
	var cbuf [16]refCall
	calls := refConnectCalls(recs, cbuf[:0])
	endIdx, endReason := refTraceEnd(recs)
	var out []Violation
	for k := range calls {
		c := &calls[k]
		if !c.rejected {
			continue
		}
		out = refCheckRejected(out, recs, c)
		if endIdx < 0 || endReason == vocab.EndHorizon {
			continue
		}
		for p := range calls[:k] {
			pc := &calls[p]
			if pc.rejected || pc.reported || !refPendingAt(recs, pc, c.idx) {
				continue
			}
			if refPendingAt(recs, pc, len(recs)) && !refOfflineAtEnd(recs, pc.dev) {
				pc.reported = true
				out = append(out, violation("P9", recs, pc.idx, fmt.Sprintf(
					"call %d was pending when call %d was rejected (record %d) and never got a terminal callback; the trace ended (%s) at record %d",
					pc.id, c.id, c.idx, endReason, endIdx)))
			}
		}
	}
	return out
}

func refCheckRejected(out []Violation, recs []trace.Record, c *refCall) []Violation {
	if c.returned {
		return out // refused by its return code: P19's, not P9's
	}
	next := -1
	for j := c.idx + 1; j < len(recs); j++ {
		if r := &recs[j]; r.Dev == c.dev && !r.Kind.Detail() {
			next = j
			break
		}
	}
	if next >= 0 {
		r := &recs[next]
		own := r.Kind == trace.KCallback && r.Call == c.id
		var msg string
		switch {
		case !own:
			msg = fmt.Sprintf("%s came between connect call %d (record %d) and its rejection", describe(r), c.id, c.idx)
		case r.Name != vocab.CbError || r.Code.Class() != fsm.ClassMisuse:
			msg = fmt.Sprintf("%s is the first callback of call %d, which is rejected later", describe(r), c.id)
		case r.T != c.t:
			msg = fmt.Sprintf("%s at t=%s, not at once (the call was made at t=%s)", describe(r), seconds(r.T), seconds(c.t))
		}
		if msg != "" {
			out = append(out, violation("P9", recs, next, msg))
		}
		if !own {
			next = -1
		}
	}
	for j := c.idx + 1; j < len(recs); j++ {
		if r := &recs[j]; j != next && r.Kind == trace.KCallback && r.Call == c.id {
			return append(out, violation("P9", recs, j, fmt.Sprintf(
				"%s: a rejected call gets exactly one callback, at once", describe(r))))
		}
	}
	return out
}

func refPendingAt(recs []trace.Record, p *refCall, at int) bool {
	for j := p.idx + 1; j < at; j++ {
		r := &recs[j]
		if (isTerminal(r) && r.Call == p.id) || (r.Dev == p.dev && isDisconnect(r)) {
			return false
		}
	}
	return true
}

func refOfflineAtEnd(recs []trace.Record, dev int32) bool {
	for j := len(recs) - 1; j >= 0; j-- {
		if r := &recs[j]; r.Dev == dev && r.Kind == trace.KEnv {
			switch r.Op {
			case vocab.EnvNetOff:
				return true
			case vocab.EnvNetOn:
				return false
			}
		}
	}
	return false
}

func refCheckP10(cfg Config, recs []trace.Record) []Violation {
	type session struct {
		user     int32
		platform vocab.Word
		dev      int32
		seq      uint32
		idx      int // its open record
	}
	var sbuf [8]session
	open := sbuf[:0]
	var out []Violation
	for i := range recs {
		r := &recs[i]
		if r.Kind != trace.KSession || cfg.MultiMobile && r.Platform == vocab.PlatformMobile {
			continue
		}
		switch r.Op {
		case vocab.SessOpen:
			for _, s := range open {
				if s.user == r.User && s.platform == r.Platform {
					out = append(out, violation("P10", recs, i, fmt.Sprintf(
						"second live session of user %d on %s: dev%d seq %d, opened at record %d, is still open",
						r.User, r.Platform, s.dev, s.seq, s.idx)))
					break
				}
			}
			open = append(open, session{r.User, r.Platform, r.Dev, r.Seq, i})
		case vocab.SessClose:
			for j, s := range open {
				if s.user == r.User && s.platform == r.Platform && s.dev == r.Dev && s.seq == r.Seq {
					open = append(open[:j], open[j+1:]...)
					break
				}
			}
		}
	}
	return out
}

func refAt[T any](s []T, d int32) []T {
	for len(s) <= int(d) {
		var zero T
		s = append(s, zero)
	}
	return s
}

type refCall struct {
	id       int32
	dev      int32
	idx      int           // index of its connect call record
	t        time.Duration // when it was made
	limit    time.Duration // its timeLimit; <= 0: none
	rejected bool          // it got onError 33001 or 34001, or returned a code (wrapper)
	returned bool          // its call record carries a non-zero return code (wrapper API)
	reported bool          // scratch for a checker: a violation was reported for this call
}

func refConnectCalls(recs []trace.Record, out []refCall) []refCall {
	for i := range recs {
		r := &recs[i]
		switch {
		case isCall(r, vocab.OpConnect):
			out = append(out, refCall{id: r.Call, dev: r.Dev, idx: i, t: r.T, limit: r.TimeLimit, rejected: r.Code != 0, returned: r.Code != 0})
		case r.Kind == trace.KCallback && r.Name == vocab.CbError && r.Code.Class() == fsm.ClassMisuse:
			if j := refFindCall(out, r.Call); j >= 0 {
				out[j].rejected = true
			}
		}
	}
	return out
}

func refFindCall(cs []refCall, id int32) int {
	for j := len(cs) - 1; j >= 0; j-- {
		if cs[j].id == id {
			return j
		}
	}
	return -1
}

func refAccepted(cs []refCall, recs []trace.Record, i int) bool {
	r := &recs[i]
	if !isCall(r, vocab.OpConnect) {
		return false
	}
	j := refFindCall(cs, r.Call)
	return j >= 0 && cs[j].idx == i && !cs[j].rejected
}

func refTraceEnd(recs []trace.Record) (int, vocab.Word) {
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Kind == trace.KEnd {
			return i, recs[i].Reason
		}
	}
	return -1, vocab.None
}

func refLastT(recs []trace.Record) time.Duration {
	if len(recs) == 0 {
		return 0
	}
	return recs[len(recs)-1].T
}

func refCheck(cfg Config, recs []trace.Record) []Violation {
	var out []Violation
	for _, c := range []Checker{refCheckP1, refCheckP2, refCheckP3, refCheckP4, refCheckP5, refCheckP6, refCheckP7, refCheckP9, refCheckP10} {
		out = append(out, c(cfg, recs)...)
	}
	if len(out) > 1 {
		slices.SortStableFunc(out, func(a, b Violation) int {
			if a.Index != b.Index {
				return a.Index - b.Index
			}
			return number(a.Property) - number(b.Property)
		})
	}
	return out
}
