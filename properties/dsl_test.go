package properties

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// parseTrace builds a trace from a compact transcript, one record a line:
//
//	<t seconds> <d0|d1|...|srv> <kind> <args...>   # comment
//
//	call init | connect <id> [limit=<s>] [token=<n>] [returned=<code>] | disconnect [push] | logout
//	     | add_listener <id> | remove_listener <id>
//	cb   db <call> [code] | ok <call> | err <call> <code>
//	status <NAME> [from=<NAME>] [listeners=<n>]   (from and listeners default to
//	                                              the device's previous status and
//	                                              registered-listener count)
//	attempt start|ok|fail [reason] [code=<n>]
//	lost <reason>          env <op> [value]       server <op>
//	session open|close <user> <platform> <seq> [reason]
//	msg <op> <msg>         timer <op> <timer>     heartbeat <op> <seq>
//	message send|store|push|show|dup|drop <user> <id> [conv=<n>] [status] [live|pull|push]
//	                       (session close ... logout takes [push=true|false])
//	end <reason>
//
// Blank lines and lines starting with # are skipped; a record's index is
// its position among the records.
func parseTrace(tb testing.TB, src string) []trace.Record {
	tb.Helper()
	status := map[int32]fsm.Status{}
	listeners := map[int32]map[int32]bool{}
	var recs []trace.Record
	for ln, line := range strings.Split(src, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		fail := func(why string) { tb.Fatalf("trace line %d %q: %s", ln+1, line, why) }
		if len(f) < 3 {
			fail("want <t> <dev> <kind> ...")
		}
		sec, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			fail(err.Error())
		}
		r := trace.Record{T: time.Duration(sec*1e9 + 0.5), Dev: -1}
		if f[1] != "srv" {
			d, err := strconv.Atoi(strings.TrimPrefix(f[1], "d"))
			if err != nil {
				fail("bad device")
			}
			r.Dev = int32(d)
		}
		// Positional args and key=value options.
		var args []string
		opts := map[string]string{}
		for _, a := range f[3:] {
			if k, v, ok := strings.Cut(a, "="); ok {
				opts[k] = v
			} else {
				args = append(args, a)
			}
		}
		arg := func(i int) string {
			if i < len(args) {
				return args[i]
			}
			return ""
		}
		num := func(s string) int64 {
			if s == "" {
				return 0
			}
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				fail(err.Error())
			}
			return n
		}
		dur := func(s string) time.Duration {
			if s == "" {
				return 0
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				fail(err.Error())
			}
			return time.Duration(v*1e9 + 0.5)
		}
		word := func(s string) vocab.Word {
			w, ok := vocab.Intern(s)
			if !ok {
				fail("no Word left for " + s)
			}
			return w
		}
		switch f[2] {
		case "call":
			r.Kind, r.Op = trace.KCall, word(arg(0))
			switch r.Op {
			case vocab.OpConnect:
				r.Call, r.TimeLimit, r.Token = int32(num(arg(1))), dur(opts["limit"]), int32(num(opts["token"]))
				r.Code = fsm.Code(num(opts["returned"])) // the wrapper API's return code
			case vocab.OpDisconnect:
				r.Push = arg(1) == "push"
			case vocab.OpAddListener, vocab.OpRemoveListener:
				r.Listeners = int32(num(arg(1)))
				if listeners[r.Dev] == nil {
					listeners[r.Dev] = map[int32]bool{}
				}
				if r.Op == vocab.OpAddListener {
					listeners[r.Dev][r.Listeners] = true
				} else {
					delete(listeners[r.Dev], r.Listeners)
				}
			}
		case "cb":
			r.Kind, r.Call, r.Code = trace.KCallback, int32(num(arg(1))), fsm.Code(num(arg(2)))
			r.Name = map[string]vocab.Word{"db": vocab.CbDatabaseOpened, "ok": vocab.CbSuccess, "err": vocab.CbError}[arg(0)]
			if r.Name == vocab.None {
				fail("cb db|ok|err")
			}
		case "status":
			r.Kind = trace.KStatus
			var ok bool
			if r.Status, ok = fsm.ParseStatus(arg(0)); !ok {
				fail("unknown status")
			}
			prev, seen := status[r.Dev]
			if !seen {
				prev = fsm.Unconnected
			}
			r.From = prev
			if s, has := opts["from"]; has {
				if r.From, ok = fsm.ParseStatus(s); !ok {
					fail("unknown from status")
				}
			}
			r.Listeners = int32(len(listeners[r.Dev]))
			if n, has := opts["listeners"]; has {
				r.Listeners = int32(num(n))
			}
			status[r.Dev] = r.Status
		case "attempt":
			r.Kind, r.Phase, r.Reason, r.Code = trace.KAttempt, word(arg(0)), word(arg(1)), fsm.Code(num(opts["code"]))
		case "lost":
			r.Kind, r.Reason = trace.KLost, word(arg(0))
		case "env":
			r.Kind, r.Op = trace.KEnv, word(arg(0))
			if arg(1) != "" {
				r.Value, _ = strconv.ParseFloat(arg(1), 64)
			}
		case "server":
			r.Kind, r.Op = trace.KServer, word(arg(0))
		case "session":
			r.Kind, r.Op, r.User, r.Platform = trace.KSession, word(arg(0)), int32(num(arg(1))), word(arg(2))
			r.Seq, r.Reason = uint32(num(arg(3))), word(arg(4))
			r.Push = opts["push"] == "true"
		case "message":
			r.Kind, r.Op, r.User, r.ID = trace.KMessage, word(arg(0)), int32(num(arg(1))), uint32(num(arg(2)))
			r.Conv = int32(num(opts["conv"]))
			if r.Op == vocab.MessageSend || r.Op == vocab.MessageShow {
				r.Msg = vocab.MessageNormal
			}
			for _, a := range args[min(3, len(args)):] {
				switch a {
				case "status":
					r.Msg = vocab.MessageStatus
				default:
					r.Reason = word(a)
				}
			}
		case "msg":
			r.Kind, r.Op, r.Msg = trace.KMsg, word(arg(0)), word(arg(1))
		case "timer":
			r.Kind, r.Op, r.Timer = trace.KTimer, word(arg(0)), word(arg(1))
		case "heartbeat":
			r.Kind, r.Op, r.Seq = trace.KHeartbeat, word(arg(0)), uint32(num(arg(1)))
		case "end":
			r.Kind, r.Reason = trace.KEnd, word(arg(0))
		default:
			fail("unknown kind")
		}
		recs = append(recs, r)
	}
	return recs
}
