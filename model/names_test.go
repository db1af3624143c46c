package model

import (
	"testing"

	"github.com/rcsim/connsim/trace"
)

// Every scripted op is written under a name the trace reader accepts
// (trace.KnownOp), so that 'sim check' reads every 'sim trace'.
func TestOpNamesKnownToTrace(t *testing.T) {
	for o := Op(1); o < numOps; o++ {
		name := o.String()
		if o == OpAppKey {
			name += ":wrong"
		}
		if o == OpMessage {
			continue // written as a message record, op send (TestScenarios/messages)
		}
		kinds := []trace.Kind{trace.KServer}
		if o.device() && o != OpServerClose { // server_close: a server record naming its device
			kinds = []trace.Kind{trace.KCall, trace.KEnv}
		}
		ok := false
		for _, k := range kinds {
			if trace.KnownOp(k, name) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("op %q: no %v record takes it; add it to trace/names.go", name, kinds)
		}
	}
}
