package trace

import (
	"strconv"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// Column widths of the text timeline.
const (
	timeWidth = 11 // "   0.050000" then "s"
	devWidth  = 6  // "dev0  ", "dev12 ", "srv   "
	kindWidth = 11 // "heartbeat  "
)

// FormatText returns the one-line text form of r (no newline), e.g.
//
//	0.120000s  dev0  status     CONNECTING(1) -> CONNECTED(0)  [1 listener]
func FormatText(r *Record) string { return string(AppendText(nil, r)) }

// AppendText appends the one-line text form of r to dst (no newline): a
// fixed-width time column in seconds with 6 decimals (rounded to the
// microsecond), the device ("srv" for server records), the kind, then the
// kind's fields with error codes named. The form is for people: it is not
// parsed back, and JSON Lines is the exchange format.
func AppendText(dst []byte, r *Record) []byte { return AppendTextProfile(dst, r, nil) }

// AppendTextProfile is AppendText with the statuses as profile p publishes
// them (nil: android) and a status record's code (web) after the new status.
func AppendTextProfile(dst []byte, r *Record, p *fsm.Profile) []byte {
	var tb [32]byte
	t := appendMicros(tb[:0], r.T)
	for i := len(t); i < timeWidth; i++ {
		dst = append(dst, ' ')
	}
	dst = append(dst, t...)
	dst = append(dst, "s  "...)

	start := len(dst)
	if r.Dev < 0 {
		dst = append(dst, "srv"...)
	} else {
		dst = append(dst, "dev"...)
		dst = strconv.AppendInt(dst, int64(r.Dev), 10)
	}
	dst = padRight(dst, start, devWidth)

	start = len(dst)
	dst = append(dst, r.Kind.String()...)
	dst = padRight(dst, start, kindWidth)

	switch r.Kind {
	case KCall:
		dst = append(dst, r.Op.String()...)
		switch r.Op {
		case vocab.OpConnect:
			dst = append(dst, " call="...)
			dst = strconv.AppendInt(dst, int64(r.Call), 10)
			dst = append(dst, " token="...)
			dst = strconv.AppendInt(dst, int64(r.Token), 10)
			if r.TimeLimit > 0 {
				dst = append(dst, " time_limit="...)
				dst = appendSeconds(dst, r.TimeLimit)
				dst = append(dst, 's')
			} else {
				dst = append(dst, " no time limit"...)
			}
			if r.Code != 0 {
				dst = append(dst, " returned"...)
				dst = appendCode(dst, r.Code)
			}
		case vocab.OpDisconnect, vocab.OpLogout:
			dst = append(dst, " push="...)
			dst = strconv.AppendBool(dst, r.Push)
		case vocab.OpAddListener, vocab.OpRemoveListener:
			dst = append(dst, " id="...)
			dst = strconv.AppendInt(dst, int64(r.Listeners), 10)
		case vocab.OpStatus:
			dst = append(dst, " -> "...)
			dst = appendStatus(dst, p, r.Status)
		}
	case KCallback:
		dst = append(dst, r.Name.String()...)
		switch {
		case r.Name == vocab.CbDatabaseOpened && r.Code == 0:
			dst = append(dst, " DATABASE_OPEN_SUCCESS"...)
		case r.Name == vocab.CbDatabaseOpened && r.Code == fsm.DatabaseOpenError:
			dst = append(dst, " DATABASE_OPEN_ERROR"...)
		case r.Code != 0 || r.Name == vocab.CbError:
			dst = appendCode(dst, r.Code)
		}
		dst = append(dst, " call="...)
		dst = strconv.AppendInt(dst, int64(r.Call), 10)
	case KStatus:
		dst = appendStatus(dst, p, r.From)
		dst = append(dst, " -> "...)
		dst = appendStatus(dst, p, r.Status)
		if r.Code != 0 {
			dst = append(dst, " code="...)
			dst = strconv.AppendInt(dst, int64(r.Code), 10)
		}
		dst = append(dst, "  ["...)
		dst = strconv.AppendInt(dst, int64(r.Listeners), 10)
		if r.Listeners == 1 {
			dst = append(dst, " listener]"...)
		} else {
			dst = append(dst, " listeners]"...)
		}
	case KAttempt:
		dst = append(dst, '#')
		dst = strconv.AppendInt(dst, int64(r.N), 10)
		dst = append(dst, ' ')
		dst = append(dst, r.Phase.String()...)
		if r.Reason != vocab.None {
			dst = append(dst, " ("...)
			dst = append(dst, r.Reason.String()...)
			dst = append(dst, ')')
		}
		if r.Code != 0 {
			dst = appendCode(dst, r.Code)
		}
		dst = append(dst, " streak="...)
		dst = strconv.AppendInt(dst, int64(r.Streak), 10)
		dst = append(dst, " seq="...)
		dst = strconv.AppendUint(dst, uint64(r.Seq), 10)
		if r.Auto {
			dst = append(dst, " auto"...)
		}
	case KLost, KEnd:
		dst = append(dst, r.Reason.String()...)
	case KEnv:
		dst = append(dst, r.Op.String()...)
		if r.Op == vocab.EnvLoss {
			dst = append(dst, ' ')
			dst = strconv.AppendFloat(dst, r.Value, 'g', -1, 64)
		}
	case KServer:
		dst = append(dst, r.Op.String()...)
		if tokenOp(r.Op.String()) {
			dst = append(dst, " token="...)
			dst = strconv.AppendInt(dst, int64(r.Token), 10)
		}
		if userOp(r.Op.String()) {
			dst = append(dst, " user="...)
			dst = strconv.AppendInt(dst, int64(r.User), 10)
		}
		if r.Value != 0 || r.Op == vocab.SrvUnavailable || serverOp(r.Op) {
			dst = append(dst, ' ')
			dst = strconv.AppendFloat(dst, r.Value, 'g', -1, 64)
		}
	case KSession:
		dst = append(dst, r.Op.String()...)
		dst = append(dst, " user="...)
		dst = strconv.AppendInt(dst, int64(r.User), 10)
		dst = append(dst, ' ')
		dst = append(dst, r.Platform.String()...)
		dst = append(dst, " seq="...)
		dst = strconv.AppendUint(dst, uint64(r.Seq), 10)
		if r.Reason != vocab.None {
			dst = append(dst, " ("...)
			dst = append(dst, r.Reason.String()...)
			dst = append(dst, ')')
		}
		if sessionPush(r) {
			dst = append(dst, " push="...)
			dst = strconv.AppendBool(dst, r.Push)
		}
	case KMsg:
		dst = append(dst, r.Op.String()...)
		dst = append(dst, ' ')
		dst = append(dst, r.Msg.String()...)
		dst = append(dst, " seq="...)
		dst = strconv.AppendUint(dst, uint64(r.Seq), 10)
		if r.Code != 0 {
			dst = appendCode(dst, r.Code)
		}
		if r.Reason != vocab.None {
			dst = append(dst, " ("...)
			dst = append(dst, r.Reason.String()...)
			dst = append(dst, ')')
		}
	case KTimer:
		dst = append(dst, r.Op.String()...)
		dst = append(dst, ' ')
		dst = append(dst, r.Timer.String()...)
		if r.Op == vocab.TimerSet {
			dst = append(dst, " at="...)
			dst = appendMicros(dst, r.At)
			dst = append(dst, 's')
		}
	case KHeartbeat:
		dst = append(dst, r.Op.String()...)
		dst = append(dst, " seq="...)
		dst = strconv.AppendUint(dst, uint64(r.Seq), 10)
	case KMessage:
		dst = append(dst, r.Op.String()...)
		dst = append(dst, " user="...)
		dst = strconv.AppendInt(dst, int64(r.User), 10)
		dst = append(dst, " id="...)
		dst = strconv.AppendUint(dst, uint64(r.ID), 10)
		if messageBody(r.Op) {
			dst = append(dst, " conv="...)
			dst = strconv.AppendInt(dst, int64(r.Conv), 10)
			dst = append(dst, ' ')
			dst = append(dst, r.Msg.String()...)
		}
		if messageReason(r.Op) {
			dst = append(dst, " ("...)
			dst = append(dst, r.Reason.String()...)
			dst = append(dst, ')')
		}
	}
	return dst
}

// appendCode writes " 34006 RC_CONNECT_TIMEOUT".
func appendCode(dst []byte, c fsm.Code) []byte {
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(c), 10)
	dst = append(dst, ' ')
	return append(dst, c.String()...)
}

// appendStatus writes "CONNECTING(1)".
func appendStatus(dst []byte, p *fsm.Profile, s fsm.Status) []byte {
	dst = append(dst, p.StatusName(s)...)
	dst = append(dst, '(')
	dst = strconv.AppendInt(dst, int64(p.StatusValue(s)), 10)
	return append(dst, ')')
}

// appendMicros writes d in seconds with exactly 6 decimals, rounded half
// away from zero to the microsecond.
func appendMicros(dst []byte, d time.Duration) []byte {
	u := uint64(d)
	if d < 0 {
		dst = append(dst, '-')
		u = -u
	}
	us := u/1000 + (u%1000+500)/1000
	dst = strconv.AppendUint(dst, us/1e6, 10)
	var b [7]byte
	b[0] = '.'
	f := us % 1e6
	for i := 6; i >= 1; i-- {
		b[i] = byte('0' + f%10)
		f /= 10
	}
	return append(dst, b[:]...)
}

// padRight left-aligns dst[start:] in a field of width w, with at least one
// space after it (a longer value shifts the rest of the line).
func padRight(dst []byte, start, w int) []byte {
	dst = append(dst, ' ')
	for len(dst)-start < w {
		dst = append(dst, ' ')
	}
	return dst
}
