// Package vocab holds the names every world, trace and checker of connsim
// shares: call, environment, server and session ops, the reasons a session
// closes, attempt phases, steps and reasons, lost and end reasons,
// callback names, heartbeat and message ops, platform classes, message
// kinds and timer names.
//
// Each name is a Word: one byte, whose text is its String. A trace record
// (package trace) and an effect of the client core (package fsm) carry
// Words, not strings, so that building and copying them moves bytes, a
// checker compares a name in one instruction and indexes tables by it,
// and a record is 88 bytes (it was 200 with seven strings). The
// vocabulary is every name a world writes, 105 Words; texts equal as text
// are one Word (the op "connect" and the attempt reason "connect" are
// OpConnect), so Words compare exactly as their texts. A converted log
// may carry names of its own where the trace reader accepts any (reasons,
// platforms, msg and timer detail records, app_key:STATE): Intern gives
// each such text one of the MaxExtra Words the byte leaves free, for the
// life of the process (see Word).
//
// It is a leaf: it imports nothing of the module, so the client core
// (package fsm), the server's rules (package server), the trace format
// (package trace), the checkers (package properties) and every world
// (sim, storm, the explorer) name things the same way without importing
// each other. A name is defined here once; nothing re-exports it under
// another name.
package vocab
