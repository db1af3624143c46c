// Package sim runs the model: one trial in virtual time. The model's
// parameters and scenarios are package model's; runs of many trials and
// their statistics are package run's. It holds these concerns, each in
// its own files:
//
//   - The kernel (world.go, queue.go, transport.go, budget.go, checked.go): a World is
//     one trial's universe, the devices' client cores (package fsm), the
//     network (package netmodel), the IM server (package server) and the
//     script, driven by a binary-heap event queue ordered by due time,
//     scripted actions first, then scheduling order. Nothing waits: effects become queued timers and
//     message deliveries. A trial may run at most model.Params.MaxEvents events.
//     inject.go lets a test drive a trial incrementally (Hold, Inject,
//     RunBefore, Release), as the rapid suite of package properties does.
//   - Carrying out a scenario (script.go, netquality.go, quirks.go): the
//     script's actions of a model.Scenario at their times.
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
