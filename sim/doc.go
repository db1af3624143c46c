// Package sim runs the model: one trial in virtual time, and runs of many
// independent trials with their summary. It holds six concerns, each in
// its own files:
//
//   - The kernel (world.go, queue.go, transport.go, budget.go): a World is
//     one trial's universe, the devices' client cores (package fsm), the
//     network (package netmodel), the IM server (package server) and the
//     script, driven by a binary-heap event queue ordered by due time,
//     scripted actions first, then scheduling order. Nothing waits: effects become queued timers and
//     message deliveries. A trial may run at most Params.MaxEvents events.
//     inject.go lets a test drive a trial incrementally (Hold, Inject,
//     RunBefore, Release), as the rapid suite of package properties does.
//   - The scenario language (scenario.go, scenario_file.go,
//     scenario_check.go, script.go, knobs.go, nettrace.go, profile.go,
//     limits.go): devices, tokens, app keys and a timed script, from the
//     command-line knobs or a YAML file, validated against Limits.
//   - The parameters (params.go, quirks.go): Params and Registry, the one
//     declaration of every model parameter (package param), from which
//     flags, scenario-file params, --json params, sweep CSV columns and the
//     table of docs/cli.md are derived.
//   - The runner and its statistics (runner.go, result.go, acc.go,
//     stream.go, summary.go): trials on parallel workers, each outcome
//     checked against the property catalogue (package properties) and
//     folded into an accumulator whose memory does not grow with the
//     number of trials; RunSummary keeps quantiles exact past KeepTrials by
//     re-running trials.
//   - Partial results (partial.go): an accumulator's JSON, what a shard of
//     `sim run --shard K/N` writes and `sim merge` adds up.
//   - The real-time driver (realtime.go): Play steps the same kernel and
//     waits on a clock.Clock between events, for `sim trace --realtime`.
//
// Determinism is the contract: trial K of a run is a pure function of
// (seed, K, parameters). Each trial has its own PCG stream seeded by
// splitmix64 from (seed, K) (netmodel.TrialSeed); events due at the same
// instant run in a fixed order (above); no map order, goroutine timing or
// wall clock reaches the simulated path. So a trial's trace is the same whichever
// worker runs it, and a run's output does not depend on --workers.
//
// The transcripts of testdata/scenarios (TestScenarios, cockroachdb's
// datadriven; -rewrite regenerates them) are the model's documented
// behaviours, one scenario file and its timeline each.
package sim
