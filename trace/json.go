package trace

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// tokenOp reports whether server op carries a token index (token_expire,
// token_invalidate).
func tokenOp(op string) bool { return len(op) > 6 && op[:6] == "token_" }

// userOp reports whether server op carries a user index (block_user,
// unblock_user).
func userOp(op string) bool { return len(op) > 5 && op[len(op)-5:] == "_user" }

// messageBody reports whether a message record of op carries the
// message's conversation and kind (send, show).
func messageBody(op vocab.Word) bool { return op == vocab.MessageSend || op == vocab.MessageShow }

// messageReason reports whether a message record of op carries a reason
// (show: the path; drop: why).
func messageReason(op vocab.Word) bool { return op == vocab.MessageShow || op == vocab.MessageDrop }

// sessionPush reports whether a session record carries the receivePush
// preference: a close whose reason CarriesPush (logout, background).
func sessionPush(r *Record) bool {
	if r.Op != vocab.SessClose {
		return false
	}
	c, ok := vocab.CloseOf(r.Reason)
	return ok && c.CarriesPush()
}

// AppendJSON appends the JSON encoding of r to dst and returns the extended
// slice: one object, no trailing newline.
//
// Invariants: the bytes depend on r alone (fixed field order, no maps), so
// equal records encode to equal bytes, and ReadJSONL gives r back. "t" and
// "kind" always come first, then "dev" (omitted when Dev < 0), then only the
// fields meaningful for r.Kind, in this order:
//
//	call       op; connect: call, token, time_limit, code (the wrapper
//	           API's return code, when != 0); disconnect, logout: push;
//	           add_listener, remove_listener: listener (from Listeners);
//	           status: status (name), value (the query's answer)
//	callback   name, code, call
//	status     status (name), value, from (name), from_value, listeners
//	attempt    n, phase, reason, streak, auto, seq, code (when != 0)
//	lost       reason
//	env        op, value (op loss only)
//	server     op, token (token_* ops), user (*_user ops),
//	           value (when != 0, always for op unavailable)
//	session    op, user, platform, seq, reason (when != ""),
//	           push (op close with reason logout or background only)
//	msg        op, msg, seq, code (when != 0), reason (when != "")
//	timer      op, timer, at (op set only)
//	heartbeat  op, seq
//	end        reason
//
// Times ("t", "time_limit", "at") are seconds written as exact decimals:
// the same bytes as strconv.AppendFloat(float64(d)/1e9, 'f', -1, 64) for
// every |d| below 2^23 s (97 days), and still exact to the nanosecond beyond.
func AppendJSON(dst []byte, r *Record) []byte { return AppendJSONProfile(dst, r, nil) }

// AppendJSONProfile is AppendJSON with the statuses written as profile p
// publishes them (nil: android, the core's own names and values), and a
// status record's code (web) after its listeners when it is not 0.
func AppendJSONProfile(dst []byte, r *Record, p *fsm.Profile) []byte {
	dst = append(dst, `{"t":`...)
	dst = appendSeconds(dst, r.T)
	dst = append(dst, `,"kind":`...)
	dst = appendString(dst, r.Kind.String())
	if r.Dev >= 0 {
		dst = appendInt(dst, "dev", int64(r.Dev))
	}
	switch r.Kind {
	case KCall:
		dst = appendWord(dst, "op", r.Op)
		switch r.Op {
		case vocab.OpConnect:
			dst = appendInt(dst, "call", int64(r.Call))
			dst = appendInt(dst, "token", int64(r.Token))
			dst = append(dst, `,"time_limit":`...)
			dst = appendSeconds(dst, r.TimeLimit)
			if r.Code != 0 {
				dst = appendInt(dst, "code", int64(r.Code)) // the wrapper API's return code
			}
		case vocab.OpDisconnect, vocab.OpLogout:
			dst = appendBool(dst, "push", r.Push)
		case vocab.OpAddListener, vocab.OpRemoveListener:
			dst = appendInt(dst, "listener", int64(r.Listeners))
		case vocab.OpStatus:
			dst = appendStr(dst, "status", p.StatusName(r.Status))
			dst = appendInt(dst, "value", int64(p.StatusValue(r.Status)))
		}
	case KCallback:
		dst = appendWord(dst, "name", r.Name)
		dst = appendInt(dst, "code", int64(r.Code))
		dst = appendInt(dst, "call", int64(r.Call))
	case KStatus:
		dst = appendStr(dst, "status", p.StatusName(r.Status))
		dst = appendInt(dst, "value", int64(p.StatusValue(r.Status)))
		dst = appendStr(dst, "from", p.StatusName(r.From))
		dst = appendInt(dst, "from_value", int64(p.StatusValue(r.From)))
		dst = appendInt(dst, "listeners", int64(r.Listeners))
		if r.Code != 0 {
			dst = appendInt(dst, "code", int64(r.Code))
		}
	case KAttempt:
		dst = appendInt(dst, "n", int64(r.N))
		dst = appendWord(dst, "phase", r.Phase)
		dst = appendWord(dst, "reason", r.Reason)
		dst = appendInt(dst, "streak", int64(r.Streak))
		dst = appendBool(dst, "auto", r.Auto)
		dst = appendInt(dst, "seq", int64(r.Seq))
		if r.Code != 0 {
			dst = appendInt(dst, "code", int64(r.Code))
		}
	case KLost, KEnd:
		dst = appendWord(dst, "reason", r.Reason)
	case KEnv:
		dst = appendWord(dst, "op", r.Op)
		if r.Op == vocab.EnvLoss {
			dst = appendFloat(dst, "value", r.Value)
		}
	case KServer:
		dst = appendWord(dst, "op", r.Op)
		if tokenOp(r.Op.String()) {
			dst = appendInt(dst, "token", int64(r.Token))
		}
		if userOp(r.Op.String()) {
			dst = appendInt(dst, "user", int64(r.User))
		}
		if r.Value != 0 || r.Op == vocab.SrvUnavailable || serverOp(r.Op) {
			dst = appendFloat(dst, "value", r.Value)
		}
	case KSession:
		dst = appendWord(dst, "op", r.Op)
		dst = appendInt(dst, "user", int64(r.User))
		dst = appendWord(dst, "platform", r.Platform)
		dst = appendInt(dst, "seq", int64(r.Seq))
		if r.Reason != vocab.None {
			dst = appendWord(dst, "reason", r.Reason)
		}
		if sessionPush(r) {
			dst = appendBool(dst, "push", r.Push)
		}
	case KMsg:
		dst = appendWord(dst, "op", r.Op)
		dst = appendWord(dst, "msg", r.Msg)
		dst = appendInt(dst, "seq", int64(r.Seq))
		if r.Code != 0 {
			dst = appendInt(dst, "code", int64(r.Code))
		}
		if r.Reason != vocab.None {
			dst = appendWord(dst, "reason", r.Reason)
		}
	case KTimer:
		dst = appendWord(dst, "op", r.Op)
		dst = appendWord(dst, "timer", r.Timer)
		if r.Op == vocab.TimerSet {
			dst = append(dst, `,"at":`...)
			dst = appendSeconds(dst, r.At)
		}
	case KHeartbeat:
		dst = appendWord(dst, "op", r.Op)
		dst = appendInt(dst, "seq", int64(r.Seq))
	case KMessage:
		dst = appendWord(dst, "op", r.Op)
		dst = appendInt(dst, "user", int64(r.User))
		dst = appendInt(dst, "id", int64(r.ID))
		if messageBody(r.Op) {
			dst = appendInt(dst, "conv", int64(r.Conv))
			dst = appendWord(dst, "msg", r.Msg)
		}
		if messageReason(r.Op) {
			dst = appendWord(dst, "reason", r.Reason)
		}
	}
	return append(dst, '}')
}

func appendKey(dst []byte, key string) []byte {
	dst = append(dst, ',', '"')
	dst = append(dst, key...)
	return append(dst, '"', ':')
}

func appendStr(dst []byte, key, v string) []byte {
	return appendString(appendKey(dst, key), v)
}

func appendWord(dst []byte, key string, w vocab.Word) []byte {
	return appendString(appendKey(dst, key), w.String())
}

func appendInt(dst []byte, key string, v int64) []byte {
	return strconv.AppendInt(appendKey(dst, key), v, 10)
}

func appendBool(dst []byte, key string, v bool) []byte {
	return strconv.AppendBool(appendKey(dst, key), v)
}

// appendFloat writes v as the shortest decimal that parses back to v, or
// null when v is not finite (JSON has no NaN or infinity).
func appendFloat(dst []byte, key string, v float64) []byte {
	dst = appendKey(dst, key)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(dst, "null"...)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}

// appendSeconds writes d in seconds as an exact decimal with no trailing
// zeros ("0", "0.05", "-1.5", "5").
func appendSeconds(dst []byte, d time.Duration) []byte {
	u := uint64(d)
	if d < 0 {
		dst = append(dst, '-')
		u = -u // also right for math.MinInt64
	}
	dst = strconv.AppendUint(dst, u/1e9, 10)
	frac := u % 1e9
	if frac == 0 {
		return dst
	}
	var b [10]byte
	b[0] = '.'
	for i := 9; i >= 1; i-- {
		b[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := len(b)
	for b[n-1] == '0' {
		n--
	}
	return append(dst, b[:n]...)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string. Quotes, backslashes, control
// characters, U+2028 and U+2029 are escaped; invalid UTF-8 becomes U+FFFD
// (as encoding/json does), so the output is always valid JSON.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
