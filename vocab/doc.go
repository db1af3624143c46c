// Package vocab holds the names every world, trace and checker of connsim
// shares: call, environment, server and session ops, the reasons a session
// closes, attempt and lost reasons, callback names and end reasons.
//
// It is a leaf: it imports nothing of the module, so the client core (package fsm), the
// server's rules (package server), the trace format (package trace), the
// checkers (package properties) and every world (sim, storm, the explorer)
// name things the same way without importing each other. A name is defined
// here once; nothing re-exports it under another name.
package vocab
