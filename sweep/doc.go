// Package sweep runs a grid of runs (`sim sweep`): a Plan is the base
// parameters and scenario, the grid's axes (losses, time limits, loss
// models, transports, the model-parameter axes of grid.ParamAxes and the
// reconnection policies) and the trials per point; Plan.Run gives one Row
// per grid point, in row order, each the run.Summary of `sim run` with the
// point's parameters and the same seed, and the closed form where it
// applies.
//
//   - grid.go: Plan, Row, Run, Points (the row order), and the errors of a
//     point (PointError: bad parameters or a bad partial; TrialError: a
//     trial that did not finish, for the command to word its replay).
//   - axes.go, paramaxes.go: the network and model-parameter axes, their
//     labels and replay flags.
//   - csv.go: WriteCSV (one row per point, every field of `sim run
//     --json` a column) and WriteTable (the short table on stdout).
//   - shard.go: RunShard, one shard's partial result (package run's
//     format) with every point's accumulators; partial.go: the plan's
//     axes in a partial (Plan.Grid) and the plan rebuilt from one
//     (FromPartial); merge.go: Merged, the shards' partials read one
//     point at a time, and Plan.Merge.
//
// Rows depend only on the plan, never on Workers. The package parses no
// flag: cmd/sim maps `sim sweep`'s flags to a Plan and writes the files.
package sweep
