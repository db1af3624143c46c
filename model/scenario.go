package model

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/vocab"
)

// Op is a scripted action: an app call on a device, a change of the
// device's environment, or a change on the server.
type Op uint8

// Scripted ops. The YAML name of each is in opNames.
const (
	OpInit Op = iota + 1
	OpConnect
	OpDisconnect
	OpLogout
	OpAddListener
	OpRemoveListener
	OpNetOff
	OpNetOn
	OpNetChange
	OpBackground
	OpForeground
	OpIPCDisconnect
	OpLoss            // set the loss of the device's link (Value; dev -1: every link)
	OpTokenExpire     // Token expires now
	OpTokenInvalidate // Token is invalidated now
	OpBlockUser       // User is blocked now; live sessions close
	OpUnblockUser
	OpAppKey      // the app key becomes State (valid|wrong|blocked|deleted)
	OpUnavailable // the server answers "unavailable" with probability Value
	OpMark        // does nothing; keeps the trial running until At
	OpMessage     // a message for User reaches the server now (Conv; Status: a status message)
	OpStatus      // the app queries the device's status; the call record carries the answer
	OpServerDown  // listed server Server goes down: refuses sockets and auths, its sessions are lost (the attempt's anatomy)
	OpServerUp    // listed server Server accepts again
	OpNaviDown    // the navigation service fails every request
	OpNaviUp      // the navigation service answers again
	OpServerClose // the server closes the device's socket with no frame; the device learns it as a lost connection
	numOps
)

// opNames are the ops' YAML names, which are also the ops of their trace
// records (trace/names.go defines them once).
var opNames = [...]vocab.Word{vocab.None, vocab.OpInit, vocab.OpConnect, vocab.OpDisconnect, vocab.OpLogout, vocab.OpAddListener, vocab.OpRemoveListener,
	vocab.EnvNetOff, vocab.EnvNetOn, vocab.EnvNetChange, vocab.EnvBackground, vocab.EnvForeground, vocab.EnvIPCDisconnect, vocab.EnvLoss,
	vocab.SrvTokenExpire, vocab.SrvTokenInvalidate, vocab.SrvBlockUser, vocab.SrvUnblockUser, vocab.SrvAppKey, vocab.SrvUnavailable, vocab.SrvMark, vocab.OpMessage, vocab.OpStatus,
	vocab.SrvServerDown, vocab.SrvServerUp, vocab.SrvNaviDown, vocab.SrvNaviUp, vocab.SrvServerClose}

// Word returns the op's name (vocab.MsgUnknown, "?", out of range): the
// op of its trace record, except app_key's (vocab.SrvAppKeyOps) and
// message's (a message record, op send).
func (o Op) Word() vocab.Word {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return vocab.MsgUnknown
}

func (o Op) String() string { return o.Word().String() }

// ParseOp returns the op named s.
func ParseOp(s string) (Op, error) {
	for i := 1; i < int(numOps); i++ {
		if opNames[i].String() == s {
			return Op(i), nil
		}
	}
	return 0, fmt.Errorf("unknown op %q", s)
}

// device reports whether the op acts on one device (as opposed to the server).
func (o Op) device() bool { return o <= OpLoss || o == OpStatus || o == OpServerClose }

// Device is device: whether the op acts on one device (its Dev names it).
func (o Op) Device() bool { return o.device() }

// Action is one scripted action. Fields other than At, Dev and Op matter
// only for the ops that name them.
type Action struct {
	At        time.Duration
	Dev       int
	Op        Op
	Token     int                // connect (-1: the device's own token), token_expire, token_invalidate
	TimeLimit time.Duration      // connect; <= 0 means no limit
	HasLimit  bool               // connect: TimeLimit was given; otherwise the run's --time-limit applies
	Push      bool               // disconnect
	Listener  int                // add_listener, remove_listener
	Value     float64            // loss, unavailable
	User      int                // block_user, unblock_user, message (to)
	Conv      int                // message: the conversation
	Status    bool               // message: a status message (never stored)
	State     server.AppKeyState // app_key
	Server    int                // server_down, server_up: the listed server's index
	// Quality marks a loss action made from a network trace row
	// (--net-trace): it sets Model (unless KindInherit) and Latency
	// (unless < 0) on device Dev's link; Value is Model's stationary loss,
	// for the trace record.
	Quality bool
	Model   netmodel.LossModel
	Latency time.Duration
}

// DeviceSpec describes one device: which user it belongs to and its
// platform class.
type DeviceSpec struct {
	User     int
	Platform server.Platform   // mobile (the zero value), desktop or web
	Kick     server.KickChoice // its own reconnection-kick setting (unset: --kick-policy)
	// NoNativeLib: the SDK's native library is missing on this device
	// (native_lib: missing; Android): every Connect gets -2 at once.
	NoNativeLib bool
}

// TokenSpec describes one token issued by the app server.
type TokenSpec struct {
	User      int
	AppKey    int           // index into Scenario.AppKeys
	ExpiresAt time.Duration // <= 0: never expires
}

// Scenario is the world of a trial: devices, users, tokens, app keys, the
// server's settings and the script. Device i uses token i unless an action
// names another one.
type Scenario struct {
	Devices           []DeviceSpec
	Tokens            []TokenSpec
	AppKeys           []server.AppKeyState // the devices Init with key InitKey
	InitKey           int                  // the app key index every device's Init uses
	VerificationFails bool                 // 31005
	ProxyUnavailable  bool                 // 31028
	BlockedUsers      []int                // blocked from the start
	Script            []Action             // in time order; ties run in list order
}

// Users returns the number of users the scenario mentions.
func (s *Scenario) Users() int {
	n := 1
	for _, d := range s.Devices {
		n = max(n, d.User+1)
	}
	for _, t := range s.Tokens {
		n = max(n, t.User+1)
	}
	for _, u := range s.BlockedUsers {
		n = max(n, u+1)
	}
	return n
}

// DefaultScenario is the scenario of a plain `sim run`: one mobile device
// of user 0 with a valid token and app key, one status listener, Init and
// Connect at t=0.
func DefaultScenario() Scenario {
	return Scenario{
		Devices: []DeviceSpec{{User: 0, Platform: server.Mobile}},
		Tokens:  []TokenSpec{{User: 0}},
		AppKeys: []server.AppKeyState{server.AppValid},
		Script: []Action{
			{Op: OpAddListener, Listener: 1},
			{Op: OpInit},
			{Op: OpConnect, Token: -1},
		},
	}
}
