// Package model holds what a trial is made of, before any trial runs: the
// model's parameters and the scenario that a trial plays.
//
//   - The parameters (params.go, msgparams.go, profile.go, budget.go):
//     Params and Registry, the one declaration of every model parameter
//     (package param), from which flags, scenario-file params, --json
//     params, sweep CSV columns and the table of docs/cli.md are derived;
//     Validate checks a whole set, the profile's constraints included.
//   - The scenario language (scenario.go, scenario_file.go,
//     scenario_check.go, knobs.go, nettrace.go, limits.go): devices,
//     tokens, app keys and a timed script, from the command-line knobs or
//     a YAML file (errors name FILE:LINE: field), validated against the
//     limits (MaxDevices and the rest).
//
// It runs nothing: package sim's kernel plays a Scenario with Params, and
// package storm takes its network and client parameters from Params. It
// imports no checker and no world, so every world can import it.
package model
