package trace

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/rcsim/connsim/fsm"
)

// wireRecord is one JSON line as written by AppendJSON. Pointers mark the
// fields whose absence matters. Every field has its case in
// wireDecoder.field, or the fast path would skip its key
// (TestWireFastPathEveryField).
type wireRecord struct {
	T         *rawNum  `json:"t"`
	Kind      *string  `json:"kind"`
	Dev       *int32   `json:"dev"`
	Op        string   `json:"op"`
	Name      string   `json:"name"`
	Phase     string   `json:"phase"`
	Reason    string   `json:"reason"`
	Msg       string   `json:"msg"`
	Timer     string   `json:"timer"`
	Platform  string   `json:"platform"`
	Call      int32    `json:"call"`
	Token     int32    `json:"token"`
	TimeLimit *rawNum  `json:"time_limit"`
	Push      bool     `json:"push"`
	Listener  int32    `json:"listener"`
	Listeners int32    `json:"listeners"`
	Code      fsm.Code `json:"code"`
	Status    *string  `json:"status"`
	Value     *rawNum  `json:"value"`
	From      *string  `json:"from"`
	FromValue *rawNum  `json:"from_value"`
	N         int32    `json:"n"`
	Streak    int32    `json:"streak"`
	Auto      bool     `json:"auto"`
	Seq       uint32   `json:"seq"`
	User      int32    `json:"user"`
	At        *rawNum  `json:"at"`
	ID        uint32   `json:"id"`
	Conv      int32    `json:"conv"`
}

// rawNum is a JSON value as written, for a field that must be a number (a
// string is flagged, not decoded), so that a quoted number is refused
// rather than accepted. b may alias the line it was read from: it is valid
// only while that line is.
type rawNum struct {
	b      []byte
	quoted bool
}

func (n *rawNum) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		n.quoted = true
	}
	n.b = append([]byte(nil), b...)
	return nil
}

// wireDecoder decodes lines into a wireRecord. Its fast path reads the
// lines a simulator or a careful converter writes without encoding/json;
// anything else goes to encoding/json, so both give the same wireRecord
// and every error is encoding/json's.
type wireDecoder struct {
	w wireRecord
	// Storage the fast path points w's pointer fields at.
	t, timeLimit, value, fromValue, at rawNum
	kind, status, from                 string
	dev                                int32
	// names interns the strings of the lines read (ops, reasons, status
	// names), so that a record's strings do not allocate after their
	// first appearance; it holds at most maxNames strings.
	names  map[string]string
	recent [256]string
	words  wordCache // the Words of the names (wireRecord.fill)
}

// maxNames bounds a wireDecoder's interned strings: a trace's names are a
// few dozen, and a hostile one's distinct reasons are allocated each time
// rather than kept.
const maxNames = 4096

// decode decodes line b (non-empty, trimmed of white space) into d.w,
// valid until the next decode; the error is encoding/json's.
func (d *wireDecoder) decode(b []byte) error {
	if d.fast(b) {
		return nil
	}
	d.w = wireRecord{}
	return json.Unmarshal(b, &d.w)
}

// fast decodes b into d.w as json.Unmarshal would, and reports whether it
// could: b must be one object whose keys are plain (no escape, lower-case
// ASCII: encoding/json would match no other key to a known field
// case-insensitively) and whose values are strings without escapes,
// numbers or booleans, each of its field's JSON type, an unknown field's
// not an object or an array. Anything else, including every malformed
// line, reports false and leaves d.w to be overwritten.
func (d *wireDecoder) fast(b []byte) bool {
	d.w = wireRecord{}
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i+1 == len(b)
	}
	for {
		key, j, ok := plainString(b, i)
		if !ok {
			return false
		}
		i = skipSpace(b, j)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		if i, ok = d.field(b, skipSpace(b, i+1), key); !ok {
			return false
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return i+1 == len(b)
		default:
			return false
		}
	}
}

// field decodes the value at b[i:] of field key into d.w and returns the
// index after it.
func (d *wireDecoder) field(b []byte, i int, key []byte) (int, bool) {
	w := &d.w
	switch string(key) {
	case "t":
		return d.num(b, i, &d.t, &w.T)
	case "time_limit":
		return d.num(b, i, &d.timeLimit, &w.TimeLimit)
	case "value":
		return d.num(b, i, &d.value, &w.Value)
	case "from_value":
		return d.num(b, i, &d.fromValue, &w.FromValue)
	case "at":
		return d.num(b, i, &d.at, &w.At)
	case "kind":
		return d.strPtr(b, i, &d.kind, &w.Kind)
	case "status":
		return d.strPtr(b, i, &d.status, &w.Status)
	case "from":
		return d.strPtr(b, i, &d.from, &w.From)
	case "dev":
		j, ok := int32Value(b, i, &d.dev)
		if ok {
			w.Dev = &d.dev
		}
		return j, ok
	case "op":
		return d.str(b, i, &w.Op)
	case "name":
		return d.str(b, i, &w.Name)
	case "phase":
		return d.str(b, i, &w.Phase)
	case "reason":
		return d.str(b, i, &w.Reason)
	case "msg":
		return d.str(b, i, &w.Msg)
	case "timer":
		return d.str(b, i, &w.Timer)
	case "platform":
		return d.str(b, i, &w.Platform)
	case "call":
		return int32Value(b, i, &w.Call)
	case "token":
		return int32Value(b, i, &w.Token)
	case "listener":
		return int32Value(b, i, &w.Listener)
	case "listeners":
		return int32Value(b, i, &w.Listeners)
	case "code":
		return int32Value(b, i, (*int32)(&w.Code))
	case "n":
		return int32Value(b, i, &w.N)
	case "streak":
		return int32Value(b, i, &w.Streak)
	case "user":
		return int32Value(b, i, &w.User)
	case "seq":
		return uint32Value(b, i, &w.Seq)
	case "id":
		return uint32Value(b, i, &w.ID)
	case "conv":
		return int32Value(b, i, &w.Conv)
	case "push":
		return boolValue(b, i, &w.Push)
	case "auto":
		return boolValue(b, i, &w.Auto)
	}
	for _, c := range key {
		if c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return 0, false // encoding/json might match it to a field
		}
	}
	return skipScalar(b, i)
}

// num reads a JSON number into *n (aliasing b) and points *p at it.
func (d *wireDecoder) num(b []byte, i int, n *rawNum, p **rawNum) (int, bool) {
	j, _, ok := number(b, i)
	if !ok {
		return 0, false
	}
	*n = rawNum{b: b[i:j]}
	*p = n
	return j, true
}

// str reads a JSON string into *s.
func (d *wireDecoder) str(b []byte, i int, s *string) (int, bool) {
	v, j, ok := plainString(b, i)
	if ok {
		*s = d.intern(v)
	}
	return j, ok
}

// strPtr reads a JSON string into *s and points *p at it.
func (d *wireDecoder) strPtr(b []byte, i int, s *string, p **string) (int, bool) {
	j, ok := d.str(b, i, s)
	if ok {
		*p = s
	}
	return j, ok
}

// intern returns string(v), the same string each time while there is
// room. A direct-mapped cache of recent strings, indexed by their length
// and ends, answers most lines before the map is asked.
func (d *wireDecoder) intern(v []byte) string {
	h := 0
	if len(v) > 0 {
		h = (len(v)*31 + int(v[0])*7 + int(v[len(v)-1])) % len(d.recent)
	}
	if s := d.recent[h]; s == string(v) {
		return s
	}
	s, ok := d.names[string(v)]
	if !ok {
		s = string(v)
		if d.names == nil {
			d.names = map[string]string{}
		}
		if len(d.names) < maxNames {
			d.names[s] = s
		}
	}
	d.recent[h] = s
	return s
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// plainString reads the JSON string at b[i:] if it has no escape and is
// valid UTF-8 (so encoding/json would give its bytes unchanged): its
// contents and the index after its closing quote.
func plainString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	ascii := true
	for j := i + 1; j < len(b); j++ {
		switch strClass[b[j]] {
		case plain:
		case quote:
			v := b[i+1 : j]
			return v, j + 1, ascii || utf8.Valid(v)
		case special:
			return nil, 0, false
		case nonASCII:
			ascii = false
		}
	}
	return nil, 0, false
}

// The classes of a byte inside a JSON string.
const (
	plain    = iota
	quote    // its end
	special  // a backslash or a control character: an escape or an error
	nonASCII // part of a UTF-8 sequence
)

// strClass classifies every byte inside a JSON string (one load per byte).
var strClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c == '"':
			t[c] = quote
		case c == '\\' || c < 0x20:
			t[c] = special
		case c >= utf8.RuneSelf:
			t[c] = nonASCII
		}
	}
	return t
}()

// number reads the JSON number at b[i:]: the index after it, and whether
// it is an integer (no fraction, no exponent).
func number(b []byte, i int) (end int, integer, ok bool) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return 0, false, false
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		i = skipDigits(b, i+1)
	default:
		return 0, false, false
	}
	integer = true
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return 0, false, false
		}
		i, integer = j, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return 0, false, false
		}
		i, integer = j, false
	}
	return i, integer, true
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// int32Value reads a JSON integer that fits an int32 into *v.
func int32Value(b []byte, i int, v *int32) (int, bool) {
	j, integer, ok := number(b, i)
	if !ok || !integer {
		return 0, false
	}
	n, ok := atoi(b[i:j])
	if !ok || n < -1<<31 || n > 1<<31-1 {
		return 0, false
	}
	*v = int32(n)
	return j, true
}

// uint32Value reads a JSON integer that fits a uint32 (no sign, which
// encoding/json refuses even on "-0") into *v.
func uint32Value(b []byte, i int, v *uint32) (int, bool) {
	j, integer, ok := number(b, i)
	if !ok || !integer || b[i] == '-' {
		return 0, false
	}
	n, ok := atoi(b[i:j])
	if !ok || n > 1<<32-1 {
		return 0, false
	}
	*v = uint32(n)
	return j, true
}

// boolValue reads true or false into *v.
func boolValue(b []byte, i int, v *bool) (int, bool) {
	switch {
	case hasLiteral(b, i, "true"):
		*v = true
		return i + 4, true
	case hasLiteral(b, i, "false"):
		*v = false
		return i + 5, true
	}
	return 0, false
}

func hasLiteral(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}

// skipScalar skips the string, number, boolean or null at b[i:].
func skipScalar(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		_, j, ok := plainString(b, i)
		return j, ok
	case 't':
		return i + 4, hasLiteral(b, i, "true")
	case 'f':
		return i + 5, hasLiteral(b, i, "false")
	case 'n':
		return i + 4, hasLiteral(b, i, "null")
	}
	j, _, ok := number(b, i)
	return j, ok
}

// atoi parses an optionally negative decimal integer as strconv.Atoi does
// (no '+': JSON has none), refusing values beyond an int64.
func atoi(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	switch {
	case neg && u <= 1<<63:
		return -int64(u), true
	case !neg && u < 1<<63:
		return int64(u), true
	}
	return 0, false
}
