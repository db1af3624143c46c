// Package run runs many independent trials of one scenario (package sim's
// World, one per worker) and folds them into a summary:
//
//   - The runner and its statistics (run.go, acc.go, msgacc.go,
//     stream.go, summary.go): trials on parallel workers, each outcome
//     checked against the property catalogue (package properties) and
//     folded into an accumulator whose memory does not grow with the
//     number of trials; Accumulate keeps quantiles exact past KeepTrials by
//     re-running trials.
//   - Partial results (partial.go, shard.go, partial_read.go): an
//     accumulator's JSON, what a shard of `sim run --shard K/N` writes and
//     `sim merge` adds up; the partial's header, digests and shard ranges;
//     and the reader that opens partials within bounds checked as they are
//     read, before anything is parsed.
//
// Outcomes returns every trial's outcome; Accumulate streams them into an
// Acc whose memory does not grow with the number of trials. Both depend
// only on (seed, trial, parameters), never on the number of workers.
package run
