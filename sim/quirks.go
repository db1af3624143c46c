package sim

import (
	"fmt"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// strandedDevice returns the first device that ends the trial stranded by
// the ignore-timeout quirk: in TIMEOUT (the SDK stopped after 34006 and
// will not reconnect until the app calls Connect) while its network is up
// and loses less than every message, so that an app calling Connect again,
// or a call with no time limit, would get online.
func (w *World) strandedDevice() (bool, int16) {
	for i, c := range w.clients {
		l := &w.net.Links[i]
		if c.CurrentStatus() == fsm.Timeout && l.Up && !w.net.AlwaysLost(i) {
			return true, int16(i)
		}
	}
	return false, -1
}

// offlineViolation reports the ignore-timeout hazard of the trial just run
// as a violation of P8 (eventually connected) at the app level, blamed on
// the end record. P8 proper exempts calls with timeLimit > 0, because the
// SDK may stop after 34006; the quirk shows what the exemption costs an app
// that does not call Connect again.
func (w *World) offlineViolation() (properties.Violation, bool) {
	if !w.res.Offline || len(w.Recs) == 0 {
		return properties.Violation{}, false
	}
	dev := w.res.offlineDev
	since := "34006"
	for i := len(w.Recs) - 1; i >= 0; i-- {
		r := &w.Recs[i]
		if r.Kind == trace.KCallback && r.Dev == int32(dev) && r.Name == vocab.CbError && r.Code == fsm.ConnectTimeout {
			since = fmt.Sprintf("onError(34006) of call %d at t=%gs", r.Call, r.T.Seconds())
			break
		}
	}
	end := len(w.Recs) - 1
	return properties.Violation{Property: "P8", Index: end, T: w.Recs[end].T, Dev: int32(dev), Msg: fmt.Sprintf(
		"app level (quirk ignore-timeout): dev%d ends in TIMEOUT since %s with no Connect since, though its network is up (loss %s): the app ignored 34006 and stays offline",
		dev, since, w.net.LossText(int(dev)))}, true
}
