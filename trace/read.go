package trace

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// ParseError is a JSON Lines trace that ReadJSONL rejects: Line is the
// 1-based line number (blank lines count), Msg says what is wrong.
type ParseError struct {
	Line int
	Msg  string
	Err  error // the underlying error, if any (e.g. from encoding/json)
}

func (e *ParseError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Msg }

// Unwrap returns the underlying error, if any.
func (e *ParseError) Unwrap() error { return e.Err }

// MaxLineBytes bounds a trace line (its newline excluded). A line of
// 'sim trace' is about 200 bytes; a converted log may add fields.
const MaxLineBytes = 64 << 10

// MaxT bounds every time in a trace ("t", "time_limit"): 30 days of
// virtual time, the simulator's longest horizon (model.MaxHorizon, which a
// test keeps within it). A timer's "at" may be up to MaxAt: a timer set
// at the horizon for at most the longest duration falls due after it
// (sim trace's own output must read back).
const (
	MaxT  = 30 * 24 * time.Hour
	MaxAt = 2 * MaxT
)

// ReadJSONL reads a whole JSON Lines trace (see Scanner for the rules): the
// output of a Writer made by NewJSONWriter, or a real SDK log converted by
// hand to the same fields. It returns the records read before the first
// error, and that error.
func ReadJSONL(r io.Reader) ([]Record, error) { return ReadJSONLProfile(r, nil) }

// ReadJSONLProfile is ReadJSONL of a trace whose statuses are published as
// profile p publishes them (nil: android; see Scanner.SetProfile).
func ReadJSONLProfile(r io.Reader, p *fsm.Profile) ([]Record, error) {
	sc := NewScanner(r)
	sc.SetProfile(p)
	var recs []Record
	for sc.Scan() {
		recs = append(recs, *sc.Record())
	}
	return recs, sc.Err()
}

// Scanner reads a JSON Lines trace one record at a time, so a trace of any
// length is read in constant memory:
//
//	sc := trace.NewScanner(r)
//	for sc.Scan() { use(sc.Record()) }
//	if err := sc.Err(); err != nil { ... }
//
// Blank lines are skipped and unknown fields ignored. A line is an error of
// type *ParseError ("line N: field: what is accepted") when it is longer
// than MaxLineBytes, is not a JSON object, lacks "t" or "kind", names an
// unknown kind, status, op (for kinds with a fixed set: call, env, server,
// session, heartbeat), callback name or attempt phase, lacks "dev" on a
// device's record (call, callback, status, attempt, lost, env, session,
// heartbeat), gives a time ("t", "time_limit", "at") as a string or outside
// [0, MaxT] (time_limit: [-MaxT, MaxT], since <= 0 means no limit; at: [0,
// MaxAt]), or has
// a "t" smaller than the previous record's. Reading stops at the first
// error. Only the fields AppendJSON writes for a record's kind are read, so
// AppendJSON(ReadJSONL(x)) is canonical. A missing or negative "dev" on
// another record means -1 (a server record). A Scanner never panics.
//
// The names it accepts whatever they are (reasons, platforms, the msg and
// timer detail records' names, app_key:STATE) become vocab.Words, like
// every other name: a process reads at most vocab.MaxExtra distinct names
// outside the vocabulary, and a line that brings one more is an error
// ("reason: ... is a name outside the vocabulary").
type Scanner struct {
	br   *bufio.Reader
	line int // lines read
	n    int // records read
	prev time.Duration
	rec  Record
	err  error
	// prof publishes the statuses (nil: android); last holds each
	// device's last status, for a "from" published alike (web
	// DISCONNECTED).
	prof *fsm.Profile
	last lastStatuses
	dec  wireDecoder
}

// SetProfile makes s read statuses as profile p publishes them (nil:
// android). A status record's "code" tells apart the core statuses a
// profile publishes alike (web DISCONNECTED: 31010 kicked, 31004/31020
// token, 31009/31011 blocked, 2 the app's disconnect); a "from" published
// alike with the device's last status is that status.
func (s *Scanner) SetProfile(p *fsm.Profile) { s.prof = p }

// NewScanner returns a Scanner reading from r.
func NewScanner(r io.Reader) *Scanner {
	return &Scanner{br: bufio.NewReaderSize(r, MaxLineBytes+2)}
}

// Scan reads the next record; it returns false at the end of the input or
// at the first error (see Err).
func (s *Scanner) Scan() bool {
	for s.err == nil {
		b, err := s.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			s.line++
			s.err = &ParseError{Line: s.line, Msg: "line longer than " + strconv.Itoa(MaxLineBytes) +
				" bytes; accepted: one JSON object of at most " + strconv.Itoa(MaxLineBytes) + " bytes per line"}
			return false
		}
		if err != nil && !errors.Is(err, io.EOF) {
			s.err = err
			return false
		}
		if len(b) == 0 && err != nil {
			s.err = io.EOF
			return false
		}
		s.line++
		if len(bytes.TrimRight(b, "\r\n")) > MaxLineBytes {
			s.err = &ParseError{Line: s.line, Msg: "line longer than " + strconv.Itoa(MaxLineBytes) +
				" bytes; accepted: one JSON object of at most " + strconv.Itoa(MaxLineBytes) + " bytes per line"}
			return false
		}
		if err != nil {
			s.err = io.EOF // the last line, with no newline: handle it, then stop
		}
		t := bytes.TrimSpace(b)
		if len(t) == 0 {
			continue
		}
		rec, perr := s.dec.parseLine(t, s.prof)
		if perr == nil && s.n > 0 && rec.T < s.prev {
			perr = &ParseError{Msg: "t=" + string(appendSeconds(nil, rec.T)) +
				" is before the previous record's t=" + string(appendSeconds(nil, s.prev))}
		}
		if perr != nil {
			perr.Line = s.line
			s.err = perr
			return false
		}
		if rec.Kind == KStatus {
			if l, ok := s.last.get(rec.Dev); ok && s.prof.StatusName(l) == s.prof.StatusName(rec.From) {
				rec.From = l
			}
			s.last.set(rec.Dev, rec.Status)
		}
		s.prev, s.rec = rec.T, rec
		s.n++
		return true
	}
	return false
}

// Record returns the record Scan read; it is overwritten by the next Scan.
func (s *Scanner) Record() *Record { return &s.rec }

// Line returns the 1-based line number of the record Scan read (blank
// lines count).
func (s *Scanner) Line() int { return s.line }

// Err returns the error that stopped Scan, nil at the end of the input.
func (s *Scanner) Err() error {
	if errors.Is(s.err, io.EOF) {
		return nil
	}
	return s.err
}

// parseLine decodes one non-blank line.
func (d *wireDecoder) parseLine(b []byte, p *fsm.Profile) (Record, *ParseError) {
	if err := d.decode(b); err != nil {
		return Record{}, &ParseError{Msg: "bad JSON: " + err.Error(), Err: err}
	}
	w := &d.w
	if w.T == nil {
		return Record{}, &ParseError{Msg: `missing "t"`}
	}
	if w.Kind == nil {
		return Record{}, &ParseError{Msg: `missing "kind"`}
	}
	k, ok := ParseKind(*w.Kind)
	if !ok {
		return Record{}, &ParseError{Msg: "unknown kind " + strconv.Quote(*w.Kind)}
	}
	r := Record{Kind: k, Dev: -1}
	var perr *ParseError
	if r.T, perr = timeField("t", w.T, 0, MaxT); perr != nil {
		return Record{}, perr
	}
	switch {
	case w.Dev != nil && *w.Dev >= 0:
		r.Dev = *w.Dev
	case needsDev(k):
		return Record{}, &ParseError{Msg: `dev: missing or negative; accepted: a ` + k.String() +
			` record names its device, 0 to ` + strconv.Itoa(math.MaxInt32)}
	}
	if !KnownOp(k, w.Op) {
		return Record{}, &ParseError{Msg: "op: unknown " + k.String() + " op " + strconv.Quote(w.Op) +
			"; accepted: " + strings.Join(OpNames(k), ", ")}
	}
	if perr := w.fill(&r, p, &d.words); perr != nil {
		return Record{}, perr
	}
	return r, nil
}

// fill copies the fields meaningful for r.Kind (see AppendJSON) into r.
// Its names become Words (see word) after every other check of the line,
// so a line's first error is the same whatever names it carries.
func (w *wireRecord) fill(r *Record, p *fsm.Profile, c *wordCache) *ParseError {
	var err error
	switch r.Kind {
	case KCall:
		r.Op = c.vocab(w.Op)
		switch r.Op {
		case vocab.OpConnect:
			r.Call, r.Token, r.Code = w.Call, w.Token, w.Code
			if w.TimeLimit != nil {
				var perr *ParseError
				if r.TimeLimit, perr = timeField("time_limit", w.TimeLimit, -MaxT, MaxT); perr != nil {
					return perr
				}
			}
		case vocab.OpDisconnect, vocab.OpLogout:
			r.Push = w.Push
		case vocab.OpAddListener, vocab.OpRemoveListener:
			r.Listeners = w.Listener
		case vocab.OpStatus:
			var perr *ParseError
			if r.Status, perr = parseStatus(p, 0, w.Status, w.Value, "status", "value"); perr != nil {
				return perr
			}
		}
	case KCallback:
		if !slices.Contains(CallbackNames, w.Name) {
			return &ParseError{Msg: "name: unknown callback " + strconv.Quote(w.Name) + "; accepted: " + strings.Join(CallbackNames, ", ")}
		}
		r.Name, r.Code, r.Call = c.vocab(w.Name), w.Code, w.Call
	case KStatus:
		var perr *ParseError
		if r.Status, perr = parseStatus(p, w.Code, w.Status, w.Value, "status", "value"); perr != nil {
			return perr
		}
		// The code belongs to the new status; a "from" published alike
		// with others is resolved by the Scanner from the device's last
		// status.
		if r.From, perr = parseStatus(p, 0, w.From, w.FromValue, "from", "from_value"); perr != nil {
			return perr
		}
		r.Listeners, r.Code = w.Listeners, w.Code
	case KAttempt:
		if !slices.Contains(Phases, w.Phase) {
			return &ParseError{Msg: "phase: unknown attempt phase " + strconv.Quote(w.Phase) + "; accepted: " + strings.Join(Phases, ", ")}
		}
		r.N, r.Phase, r.Streak, r.Auto, r.Seq, r.Code = w.N, c.vocab(w.Phase), w.Streak, w.Auto, w.Seq, w.Code
		return c.word(&r.Reason, "reason", w.Reason)
	case KLost, KEnd:
		return c.word(&r.Reason, "reason", w.Reason)
	case KEnv:
		r.Op = c.vocab(w.Op)
		if r.Op == vocab.EnvLoss {
			if r.Value, err = parseValue(w.Value); err != nil {
				return &ParseError{Msg: `bad "value": ` + err.Error()}
			}
		}
	case KServer:
		if tokenOp(w.Op) {
			r.Token = w.Token
		}
		if userOp(w.Op) {
			r.User = w.User
		}
		if r.Value, err = parseValue(w.Value); err != nil {
			return &ParseError{Msg: `bad "value": ` + err.Error()}
		}
		return c.word(&r.Op, "op", w.Op) // app_key:STATE may be any STATE
	case KSession:
		r.Op, r.User, r.Seq = c.vocab(w.Op), w.User, w.Seq
		if perr := c.word(&r.Platform, "platform", w.Platform); perr != nil {
			return perr
		}
		if perr := c.word(&r.Reason, "reason", w.Reason); perr != nil {
			return perr
		}
		if sessionPush(r) {
			r.Push = w.Push
		}
	case KMsg:
		r.Seq, r.Code = w.Seq, w.Code
		if perr := c.word(&r.Op, "op", w.Op); perr != nil {
			return perr
		}
		if perr := c.word(&r.Msg, "msg", w.Msg); perr != nil {
			return perr
		}
		return c.word(&r.Reason, "reason", w.Reason)
	case KTimer:
		if w.Op == vocab.TimerSet.String() && w.At != nil {
			var perr *ParseError
			if r.At, perr = timeField("at", w.At, 0, MaxAt); perr != nil {
				return perr
			}
		}
		if perr := c.word(&r.Op, "op", w.Op); perr != nil {
			return perr
		}
		return c.word(&r.Timer, "timer", w.Timer)
	case KHeartbeat:
		r.Op, r.Seq = c.vocab(w.Op), w.Seq
	case KMessage:
		r.Op, r.User, r.ID = c.vocab(w.Op), w.User, w.ID
		if messageBody(r.Op) {
			r.Conv = w.Conv
			if perr := c.word(&r.Msg, "msg", w.Msg); perr != nil {
				return perr
			}
		}
		if messageReason(r.Op) {
			return c.word(&r.Reason, "reason", w.Reason)
		}
	}
	return nil
}

// wordCache gives the Words of the names a Scanner reads: a
// direct-mapped cache of recent names, indexed by their length and ends
// (as wireDecoder.intern's), in front of vocab.Intern, so that most names
// cost a comparison of strings that are most often the same string.
type wordCache struct {
	s [64]string
	w [64]vocab.Word
}

// get returns the Word of text s (see vocab.Intern).
func (c *wordCache) get(s string) (vocab.Word, bool) {
	if s == "" {
		return vocab.None, true
	}
	h := (len(s)*31 + int(s[0])*7 + int(s[len(s)-1])) % len(c.s)
	if c.s[h] == s {
		return c.w[h], true
	}
	w, ok := vocab.Intern(s)
	if ok {
		c.s[h], c.w[h] = s, w
	}
	return w, ok
}

// vocab returns the Word of name s, which the reader has checked is one
// of the vocabulary's (an op of a kind with a fixed set, a callback name,
// a phase).
func (c *wordCache) vocab(s string) vocab.Word {
	w, _ := c.get(s)
	return w
}

// word sets *dst to the Word of text s of field key: the vocabulary's, or
// an extra Word (vocab.Intern) for a text a converted log carries. It
// fails once the process has read vocab.MaxExtra texts outside the
// vocabulary: a trace with that many distinct names of its own is no
// trace of this model's.
func (c *wordCache) word(dst *vocab.Word, key, s string) *ParseError {
	w, ok := c.get(s)
	if !ok {
		return &ParseError{Msg: key + ": " + strconv.Quote(clipString(s)) + " is a name outside the vocabulary, and this process has read " +
			strconv.Itoa(vocab.MaxExtra) + " others; accepted: the names 'sim trace' writes and at most " + strconv.Itoa(vocab.MaxExtra) + " others"}
	}
	*dst = w
	return nil
}

// timeField parses time field key (seconds), which must be a number in
// [lo, hi].
func timeField(key string, v *rawNum, lo, hi time.Duration) (time.Duration, *ParseError) {
	accepted := func() string {
		return "; accepted: a number of seconds from " + string(appendSeconds(nil, lo)) + " to " +
			string(appendSeconds(nil, hi)) + " (" + strconv.Itoa(int(hi/(24*time.Hour))) + " days)"
	}
	if v.quoted {
		return 0, &ParseError{Msg: key + ": " + clipText(v.b) + " is a string" + accepted()}
	}
	d, err := parseSeconds(v.b)
	if err != nil && !errors.Is(err, errRange) {
		return 0, &ParseError{Msg: key + ": " + err.Error() + accepted(), Err: err}
	}
	if err != nil || d < lo || d > hi {
		return 0, &ParseError{Msg: key + ": " + clipText(v.b) + " is out of range" + accepted()}
	}
	return d, nil
}

// clipString cuts s for a message.
func clipString(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// clipText cuts s for a message.
func clipText(s []byte) string {
	if len(s) > 40 {
		return string(s[:40]) + "..."
	}
	return string(s)
}

// parseStatus resolves a status from its name (preferred) and/or its
// published value; at least one must be present and they must agree.
func parseStatus(p *fsm.Profile, code fsm.Code, name *string, value *rawNum, nameKey, valueKey string) (fsm.Status, *ParseError) {
	var s fsm.Status
	if name != nil {
		var ok bool
		if s, ok = p.ParseStatus(*name, code); !ok {
			return 0, &ParseError{Msg: "unknown " + nameKey + " " + strconv.Quote(*name)}
		}
	}
	if value == nil {
		if name == nil {
			return 0, &ParseError{Msg: `status record without "` + nameKey + `" or "` + valueKey + `"`}
		}
		return s, nil
	}
	v, isInt := atoi(value.b)
	vs, ok := p.ParseStatusValue(int(v), code)
	if !isInt || value.quoted || !ok {
		return 0, &ParseError{Msg: "unknown " + valueKey + " " + clipText(value.b)}
	}
	if name != nil && vs != s {
		return 0, &ParseError{Msg: nameKey + " " + strconv.Quote(*name) + " disagrees with " + valueKey + " " + string(value.b)}
	}
	return vs, nil
}

// parseValue returns the float in v, 0 when v is absent or null.
func parseValue(v *rawNum) (float64, error) {
	if v == nil || string(v.b) == "null" {
		return 0, nil
	}
	if v.quoted {
		return 0, errors.New("a string, not a number")
	}
	return strconv.ParseFloat(string(v.b), 64)
}

var errRange = errors.New("out of range")

// maxWholeSeconds bounds the integer part of a time in seconds (int64 ns).
const maxWholeSeconds = uint64(1<<63) / 1_000_000_000

// parseSeconds parses a JSON number of seconds into a duration. Plain
// decimals ("-12.345") are parsed exactly, digits beyond the nanosecond
// rounded half up, so it inverts appendSeconds; anything else (an exponent)
// goes through strconv.ParseFloat.
func parseSeconds(s []byte) (time.Duration, error) {
	p, neg := s, len(s) > 0 && s[0] == '-'
	if neg {
		p = s[1:]
	}
	dot := -1
	for i, c := range p {
		switch {
		case c == '.' && dot < 0:
			dot = i
		case c < '0' || c > '9':
			return secondsFloat(string(s))
		}
	}
	intPart, frac := p, p[:0]
	if dot >= 0 {
		intPart, frac = p[:dot], p[dot+1:]
	}
	if len(intPart) == 0 || (dot >= 0 && len(frac) == 0) {
		return secondsFloat(string(s))
	}
	var u uint64
	for i := 0; i < len(intPart); i++ {
		u = u*10 + uint64(intPart[i]-'0')
		if u > maxWholeSeconds {
			return 0, errRange
		}
	}
	u *= 1e9
	var f uint64
	for i := range 9 {
		f *= 10
		if i < len(frac) {
			f += uint64(frac[i] - '0')
		}
	}
	if len(frac) > 9 && frac[9] >= '5' {
		f++
	}
	u += f
	if (!neg && u > math.MaxInt64) || u > 1<<63 {
		return 0, errRange
	}
	if neg {
		return time.Duration(-u), nil
	}
	return time.Duration(u), nil
}

// secondsFloat parses s with strconv.ParseFloat and rounds to the nanosecond.
func secondsFloat(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, errors.New("not a number: " + strconv.Quote(s))
	}
	ns := math.Round(f * 1e9)
	if math.IsNaN(ns) || ns >= math.MaxInt64 || ns < math.MinInt64 {
		return 0, errRange
	}
	return time.Duration(ns), nil
}

// lastStatuses maps a device to its last status: a slice by device for
// the first maxDenseDevices devices (a simulator numbers them from 0), a
// map beyond, so that a trace of a million devices costs a byte each and
// no hashing.
type lastStatuses struct {
	dense  []fsm.Status // dense[d]: device d's last status, noStatus if none
	sparse map[int32]fsm.Status
}

// maxDenseDevices bounds lastStatuses' slice (1 MB).
const maxDenseDevices = 1 << 20

// noStatus marks a device with no status yet; no Status has this value.
const noStatus fsm.Status = -128

func (l *lastStatuses) get(dev int32) (fsm.Status, bool) {
	if uint(dev) < uint(len(l.dense)) {
		return l.dense[dev], l.dense[dev] != noStatus
	}
	s, ok := l.sparse[dev]
	return s, ok
}

func (l *lastStatuses) set(dev int32, s fsm.Status) {
	if uint(dev) < maxDenseDevices {
		for int(dev) >= len(l.dense) {
			l.dense = append(l.dense, noStatus)
		}
		l.dense[dev] = s
		return
	}
	if l.sparse == nil {
		l.sparse = map[int32]fsm.Status{}
	}
	l.sparse[dev] = s
}
