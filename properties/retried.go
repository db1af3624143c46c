package properties

// P22, a transient failure never reaches onError (spec section 4: a
// transient code "only moves the schedule on"): onError never carries a
// code of a failure the SDK retries by itself (retried), with one
// exception, by design (docs/profiles.md, the -2 row): IPC_DISCONNECT (-2)
// on a profile with an IPC process (android) as the answer to a Connect
// the SDK cannot hand to its connection process: at the Connect's own
// time, on a device whose native library is missing (env
// native_lib_missing) or whose IPC link is down (an env ipc_disconnect
// with no ipc_back since; a trace does not say how long a link with no
// ipc_back stays down, so it is taken as down until one comes).
//
// Why it is worth a property: the codes the web SDK reports with
// SUSPENDED are not in the SDK's table of ConnectCallback codes, so the
// other properties read such a code on onError as a terminal error (a
// stop): the real web engine's first connect, which gives up after one
// failed round with onError(35008) or onError(30007) (docs/profiles.md),
// keeps P5 and P8. Only P22 catches it.

import (
	"fmt"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
)

// retried reports whether the SDK retries a failure with code c (of
// class cl, c.Class()) by itself, so that c never reaches onError: the
// transient class of the code table (-2), and the codes the web SDK
// reports with SUSPENDED for a failed round or a lost connection (30007
// navigation, 30011 socket, 30012 heartbeats, 35008 every server failed;
// fsm's web codes).
func retried(c fsm.Code, cl fsm.Class) bool {
	switch c {
	case fsm.CodeNaviFailed, fsm.CodeSocketFailed, fsm.CodePingExceed, fsm.CodeServerUnavail:
		return true
	}
	return cl == fsm.ClassTransient
}

// retriedError checks P22 at onError r of device d.
func (m *Monitor) retriedError(d *devState, r *trace.Record) {
	if r.Code == fsm.IPCDisconnect && m.cfg.Profile.Or().IPCProcess && (d.has(dNoLib) || d.has(dIPCDown)) {
		if cs := m.call(r.Call); cs > 0 && m.calls.at(cs-1).idx.ok() && m.calls.at(cs-1).t == r.T {
			return // the Connect's own answer: the SDK could not hand it over
		}
	}
	why := "the SDK retries it by itself"
	if r.Code == fsm.IPCDisconnect {
		why = "-2 reaches only a Connect, at once, made while the IPC link is down or the native library missing (android)"
	}
	m.reportAt(22, "P22", r, fmt.Sprintf("%s: a transient failure never reaches onError (%s)", m.text(m.brief(r)), why))
}
