package sim

import (
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/vocab"
)

// Outcome is what became of a trial's first Connect call.
type Outcome uint8

// Outcomes.
const (
	OutcomeSuccess    Outcome = iota + 1 // onSuccess
	OutcomeError                         // onError(Code); 34006 is the timeout
	OutcomeStopped                       // Disconnect/Logout before any terminal callback
	OutcomeUnfinished                    // still connecting when the trial ended (horizon)
	OutcomeNoConnect                     // the script never called Connect
)

// Result is what one trial contributes to a run's summary.
type Result struct {
	Outcome   Outcome
	Code      fsm.Code      // OutcomeError: the code
	TTC       time.Duration // OutcomeSuccess: from Connect to onSuccess
	Attempts  int32         // attempts started in the trial, on every device
	End       time.Duration // virtual time the trial ended
	FirstCall int32         // id of the trial's first Connect call
	// Offline (ignore-timeout quirk only): a device ended the trial in
	// TIMEOUT on a working network; the app ignored 34006 and stays offline.
	Offline bool
	// NetSent, NetLost and NetBursts count, over every link and direction,
	// the messages (packets over TCP) that met the loss rule, those lost,
	// and the bursts of consecutive losses (netmodel.Net.Counts).
	NetSent, NetLost, NetBursts uint64
	// Msg holds the trial's message measures (spec section 12); nil when
	// the trial had no message traffic.
	Msg *model.MsgResult

	offlineDev int16

	connectAt time.Duration
	firstDev  int16
}

// callback accounts a ConnectCallback effect.
func (r *Result) callback(now time.Duration, e *fsm.Effect) {
	if e.Call != r.FirstCall || r.Outcome != 0 {
		return
	}
	switch e.Name {
	case vocab.CbSuccess:
		r.Outcome, r.TTC = OutcomeSuccess, now-r.connectAt
	case vocab.CbError:
		r.Outcome, r.Code = OutcomeError, e.Code
	}
}
