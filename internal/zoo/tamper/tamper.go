// Package tamper holds the bug zoo's mutants of the client core that only
// corrupt what the core emits: the core's state and decisions stay right,
// and one Step's effects come out wrong. They live here, applied by the
// drivers to each Step's effects, rather than as branches in fsm's
// handlers; the mutants that change what the core decides stay in fsm.
//
// A driver calls Effects only when zoo.Enabled, so a build without the
// `zoo` tag drops the call. The drivers that do are the ones the zoo runs
// through: sim's World (TestZoo) and the explorer (package explore,
// TestExhaustiveCatchesZoo).
package tamper

import (
	"slices"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

// Effects returns one Step's effects as the mutant switched on corrupts
// them (effs itself, unchanged, when it corrupts none). It may reorder effs
// in place and reallocate it.
func Effects(effs []fsm.Effect) []fsm.Effect {
	switch zoo.Active() {
	case zoo.StatusTwice:
		// CONNECTED is told twice (P7): the copy, with no code, follows
		// the change.
		for i := 0; i < len(effs); i++ {
			if e := effs[i]; e.Kind == fsm.EffStatus && e.To == fsm.Connected {
				effs = slices.Insert(effs, i+1, fsm.Effect{Kind: fsm.EffStatus, From: e.From, To: e.To})
				i++
			}
		}
	case zoo.DBAfterSuccess:
		// onSuccess runs before the onDatabaseOpened that the terminal
		// callback runs first (P4). Only the terminal callback puts the
		// two callbacks of one call side by side.
		for i := 1; i < len(effs); i++ {
			db, ok := &effs[i-1], &effs[i]
			if ok.Kind == fsm.EffCallback && ok.Name == vocab.CbSuccess &&
				db.Kind == fsm.EffCallback && db.Name == vocab.CbDatabaseOpened && db.Call == ok.Call {
				*db, *ok = *ok, *db
			}
		}
	case zoo.SuccessDropped:
		// A call that connects on a retry is not told its onSuccess
		// (P14): the Step of a successful attempt after the first (the
		// attempt effect carries its number) loses the callback.
		retry := slices.ContainsFunc(effs, func(e fsm.Effect) bool {
			return e.Kind == fsm.EffAttempt && e.Phase == vocab.PhaseOK && e.N > 1
		})
		if retry {
			effs = slices.DeleteFunc(effs, func(e fsm.Effect) bool {
				return e.Kind == fsm.EffCallback && e.Name == vocab.CbSuccess
			})
		}
	}
	return effs
}
