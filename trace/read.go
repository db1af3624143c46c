package trace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
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

// wireRecord is one JSON line as written by AppendJSON. Pointers mark the
// fields whose absence matters.
type wireRecord struct {
	T         *json.Number `json:"t"`
	Kind      *string      `json:"kind"`
	Dev       *int32       `json:"dev"`
	Op        string       `json:"op"`
	Name      string       `json:"name"`
	Phase     string       `json:"phase"`
	Reason    string       `json:"reason"`
	Msg       string       `json:"msg"`
	Timer     string       `json:"timer"`
	Platform  string       `json:"platform"`
	Call      int32        `json:"call"`
	Token     int32        `json:"token"`
	TimeLimit *json.Number `json:"time_limit"`
	Push      bool         `json:"push"`
	Listener  int32        `json:"listener"`
	Listeners int32        `json:"listeners"`
	Code      fsm.Code     `json:"code"`
	Status    *string      `json:"status"`
	Value     *json.Number `json:"value"`
	From      *string      `json:"from"`
	FromValue *json.Number `json:"from_value"`
	N         int32        `json:"n"`
	Streak    int32        `json:"streak"`
	Auto      bool         `json:"auto"`
	Seq       uint32       `json:"seq"`
	User      int32        `json:"user"`
	At        *json.Number `json:"at"`
}

// ReadJSONL reads a JSON Lines trace: the output of a Writer made by
// NewJSONWriter, or a real SDK log converted by hand to the same fields.
//
// Blank lines are skipped and unknown fields ignored. A line that is not a
// JSON object, lacks "t" or "kind", names an unknown kind or status, or has
// a "t" smaller than the previous record's is an error of type *ParseError
// ("line N: ..."); reading stops there. Only the fields AppendJSON writes for
// a record's kind are read, so AppendJSON(ReadJSONL(x)) is canonical. A
// missing "dev" means -1 (a server record). ReadJSONL never panics.
func ReadJSONL(r io.Reader) ([]Record, error) {
	br := bufio.NewReader(r)
	var recs []Record
	var prev time.Duration
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return recs, err
		}
		if t := bytes.TrimSpace(b); len(t) > 0 {
			rec, perr := parseLine(t)
			if perr != nil {
				perr.Line = line
				return recs, perr
			}
			if len(recs) > 0 && rec.T < prev {
				return recs, &ParseError{Line: line, Msg: "t=" + string(appendSeconds(nil, rec.T)) +
					" is before the previous record's t=" + string(appendSeconds(nil, prev))}
			}
			prev = rec.T
			recs = append(recs, rec)
		}
		if err != nil {
			return recs, nil
		}
	}
}

// parseLine decodes one non-blank line.
func parseLine(b []byte) (Record, *ParseError) {
	var w wireRecord
	if err := json.Unmarshal(b, &w); err != nil {
		return Record{}, &ParseError{Msg: "bad JSON: " + err.Error(), Err: err}
	}
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
	var err error
	if r.T, err = parseSeconds(string(*w.T)); err != nil {
		return Record{}, &ParseError{Msg: `bad "t": ` + err.Error()}
	}
	if w.Dev != nil && *w.Dev >= 0 {
		r.Dev = *w.Dev
	}
	if perr := w.fill(&r); perr != nil {
		return Record{}, perr
	}
	return r, nil
}

// fill copies the fields meaningful for r.Kind (see AppendJSON) into r.
func (w *wireRecord) fill(r *Record) *ParseError {
	var err error
	switch r.Kind {
	case KCall:
		r.Op = w.Op
		switch w.Op {
		case opConnect:
			r.Call, r.Token = w.Call, w.Token
			if w.TimeLimit != nil {
				if r.TimeLimit, err = parseSeconds(string(*w.TimeLimit)); err != nil {
					return &ParseError{Msg: `bad "time_limit": ` + err.Error()}
				}
			}
		case opDisconnect, opLogout:
			r.Push = w.Push
		case opAddListener, opRemoveListener:
			r.Listeners = w.Listener
		}
	case KCallback:
		if w.Name == "" {
			return &ParseError{Msg: `callback without "name"`}
		}
		r.Name, r.Code, r.Call = w.Name, w.Code, w.Call
	case KStatus:
		var perr *ParseError
		if r.Status, perr = parseStatus(w.Status, w.Value, "status", "value"); perr != nil {
			return perr
		}
		if r.From, perr = parseStatus(w.From, w.FromValue, "from", "from_value"); perr != nil {
			return perr
		}
		r.Listeners = w.Listeners
	case KAttempt:
		r.N, r.Phase, r.Reason, r.Streak, r.Auto, r.Seq, r.Code = w.N, w.Phase, w.Reason, w.Streak, w.Auto, w.Seq, w.Code
	case KLost, KEnd:
		r.Reason = w.Reason
	case KEnv:
		r.Op = w.Op
		if w.Op == opLoss {
			if r.Value, err = parseValue(w.Value); err != nil {
				return &ParseError{Msg: `bad "value": ` + err.Error()}
			}
		}
	case KServer:
		r.Op = w.Op
		if tokenOp(w.Op) {
			r.Token = w.Token
		}
		if userOp(w.Op) {
			r.User = w.User
		}
		if r.Value, err = parseValue(w.Value); err != nil {
			return &ParseError{Msg: `bad "value": ` + err.Error()}
		}
	case KSession:
		r.Op, r.User, r.Platform, r.Seq, r.Reason = w.Op, w.User, w.Platform, w.Seq, w.Reason
		if sessionPush(r) {
			r.Push = w.Push
		}
	case KMsg:
		r.Op, r.Msg, r.Seq, r.Code, r.Reason = w.Op, w.Msg, w.Seq, w.Code, w.Reason
	case KTimer:
		r.Op, r.Timer = w.Op, w.Timer
		if w.Op == opSet && w.At != nil {
			if r.At, err = parseSeconds(string(*w.At)); err != nil {
				return &ParseError{Msg: `bad "at": ` + err.Error()}
			}
		}
	case KHeartbeat:
		r.Op, r.Seq = w.Op, w.Seq
	}
	return nil
}

// parseStatus resolves a status from its name (preferred) and/or its
// published value; at least one must be present and they must agree.
func parseStatus(name *string, value *json.Number, nameKey, valueKey string) (fsm.Status, *ParseError) {
	var s fsm.Status
	if name != nil {
		var ok bool
		if s, ok = fsm.ParseStatus(*name); !ok {
			return 0, &ParseError{Msg: "unknown " + nameKey + " " + strconv.Quote(*name)}
		}
	}
	if value == nil {
		if name == nil {
			return 0, &ParseError{Msg: `status record without "` + nameKey + `" or "` + valueKey + `"`}
		}
		return s, nil
	}
	v, err := strconv.Atoi(string(*value))
	vs := fsm.Status(v)
	if err != nil || v != int(vs) || !knownStatus(vs) {
		return 0, &ParseError{Msg: "unknown " + valueKey + " " + string(*value)}
	}
	if name != nil && vs != s {
		return 0, &ParseError{Msg: nameKey + " " + strconv.Quote(*name) + " disagrees with " + valueKey + " " + string(*value)}
	}
	return vs, nil
}

func knownStatus(s fsm.Status) bool {
	for _, k := range fsm.AllStatuses {
		if k == s {
			return true
		}
	}
	return false
}

// parseValue returns the float in v, 0 when v is absent or null.
func parseValue(v *json.Number) (float64, error) {
	if v == nil {
		return 0, nil
	}
	return strconv.ParseFloat(string(*v), 64)
}

var errRange = errors.New("out of range")

// maxWholeSeconds bounds the integer part of a time in seconds (int64 ns).
const maxWholeSeconds = uint64(1<<63) / 1_000_000_000

// parseSeconds parses a JSON number of seconds into a duration. Plain
// decimals ("-12.345") are parsed exactly, digits beyond the nanosecond
// rounded half up, so it inverts appendSeconds; anything else (an exponent)
// goes through strconv.ParseFloat.
func parseSeconds(s string) (time.Duration, error) {
	p, neg := strings.CutPrefix(s, "-")
	intPart, frac, _ := strings.Cut(p, ".")
	if intPart == "" || !digits(intPart) || !digits(frac) || (frac == "" && len(intPart) != len(p)) {
		return secondsFloat(s)
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

// digits reports whether s holds ASCII digits only.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
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
