package trace

import (
	"strings"

	"github.com/rcsim/connsim/vocab"
)

// The names a trace uses, defined once: the simulator writes them, the
// reader accepts exactly these, the checkers and figures read them.
// Callback names, attempt phases, attempt and lost reasons and heartbeat
// ops are the client core's (package fsm, which emits them); the others
// are the trace's own.

// opWords lists, per kind, the ops a record of that kind may have; a kind
// with none listed takes any op (msg and timer detail records are read by
// no checker and stay open to converters). A server record's op may also
// be app_key:STATE, any STATE (vocab.SrvAppKeyOps are the simulator's). It
// is an array by kind, not a map: the reader asks it for every record.
var opWords = [...][]vocab.Word{
	KCall: {vocab.OpInit, vocab.OpConnect, vocab.OpDisconnect, vocab.OpLogout, vocab.OpAddListener, vocab.OpRemoveListener, vocab.OpStatus},
	KEnv:  {vocab.EnvNetOff, vocab.EnvNetOn, vocab.EnvNetChange, vocab.EnvBackground, vocab.EnvForeground, vocab.EnvIPCDisconnect, vocab.EnvLoss, vocab.EnvOSSuspend, vocab.EnvIPCBack, vocab.EnvNoNativeLib, vocab.EnvBgDisconnect},
	KServer: {vocab.SrvTokenExpire, vocab.SrvTokenInvalidate, vocab.SrvBlockUser, vocab.SrvUnblockUser, vocab.SrvAppKey, vocab.SrvUnavailable, vocab.SrvMark,
		vocab.SrvServerDown, vocab.SrvServerUp, vocab.SrvNaviDown, vocab.SrvNaviUp, vocab.SrvServerClose},
	KSession:   {vocab.SessOpen, vocab.SessClose},
	KHeartbeat: {vocab.HbPing, vocab.HbPong, vocab.HbMiss},
	KMessage:   {vocab.MessageSend, vocab.MessageStore, vocab.MessagePush, vocab.MessageShow, vocab.MessageDup, vocab.MessageDrop},
}

// opNames are opWords' texts, for the reader's messages; app_key is
// written app_key:STATE.
var opNames = func() (names [len(opWords)][]string) {
	for k, ws := range opWords {
		for _, w := range ws {
			s := w.String()
			if w == vocab.SrvAppKey {
				s += ":STATE"
			}
			names[k] = append(names[k], s)
		}
	}
	return names
}()

// Names lists the accepted values of a field: callback names and attempt
// phases.
var (
	CallbackNames = texts(vocab.CbDatabaseOpened, vocab.CbSuccess, vocab.CbError)
	Phases        = texts(vocab.PhaseStart, vocab.PhaseOK, vocab.PhaseFail, vocab.PhaseStep)
)

func texts(ws ...vocab.Word) []string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = w.String()
	}
	return s
}

// KnownOp reports whether op is an op of kind k (for kinds with a fixed
// set; any op is known for the others).
func KnownOp(k Kind, op string) bool {
	ops := OpNames(k)
	if ops == nil {
		return true
	}
	if k == KServer {
		if state, ok := strings.CutPrefix(op, appKeyPrefix); ok {
			return state != ""
		}
	}
	for _, o := range ops {
		if o == op {
			return true
		}
	}
	return false
}

// appKeyPrefix begins a server record's app_key:STATE op.
var appKeyPrefix = vocab.SrvAppKey.String() + ":"

// OpNames returns the ops of kind k, nil for a kind that takes any op.
func OpNames(k Kind) []string {
	if int(k) < len(opNames) {
		return opNames[k]
	}
	return nil
}

// needsDev reports whether records of kind k belong to a device (their
// "dev" is required).
func needsDev(k Kind) bool {
	switch k {
	case KCall, KCallback, KStatus, KAttempt, KLost, KEnv, KSession, KHeartbeat:
		return true
	}
	return false
}

// serverOp reports whether server op op names a listed server (in Value):
// server_down, server_up.
func serverOp(op vocab.Word) bool { return op == vocab.SrvServerDown || op == vocab.SrvServerUp }
