// Package storm simulates a reconnection storm: up to ten million clients of
// one IM server, in one virtual-time world, through a server restart or a
// regional network outage.
//
// Each client runs the same pure client core as sim (fsm.Client) over its
// own link of the network model (netmodel). The server is the part that
// differs from sim's: it validates nothing (every client holds a valid
// token of its own user, one device per user) but has finite capacity, as
// a real one has:
//
//   - an admission token bucket (Params.Rate per second, Params.Burst deep;
//     off when Rate is 0): an Auth that finds the bucket empty is refused
//     at once with the transient "unavailable";
//   - Params.Workers concurrent handshakes, each holding a worker for an
//     auth service time drawn from Params.Service;
//   - a FIFO accept queue of at most Params.Queue waiting Auths; an Auth
//     that finds every worker busy and the queue full is refused.
//
// A handshake served for an attempt the client has already given up on
// (its attempt timer fired, it moved on, or its network went away) is
// wasted server work and is counted.
//
// Outages: a "server" outage (a restart) closes every session at its
// start, pushing MsgClosed to each connected client, and loses the queue
// and the handshakes in service; until it ends, Auths and pings are
// refused at once (the process restarts and the host answers with a
// reset), or, for a "server-silent" outage, get no answer (the host is
// gone; clients notice by their timeouts). A "network" outage takes
// every client's network away at its start and gives it back at its end.
// A "navi" outage (with --attempt full) takes the navigation service away:
// a navigation request is refused at once, so only an attempt that needs
// one (a first visit, or a cache older than --navi-ttl) fails; the IM
// server and its sessions are untouched.
//
// Determinism: the world is one goroutine with one PCG stream seeded from
// the seed alone; every draw happens in event order, and events due at the
// same instant run in the order they were scheduled. So the output is a
// function of the parameters and the seed. Several policies compared in
// one run are independent worlds on the same seed, run on their own
// goroutines and reported in the order given.
//
// Why a kernel of its own. sim's World is built for many small, independent
// trials: a binary heap of a few queued events, one *fsm.Client per device,
// the scenario script, the full server of package server (app keys,
// tokens, blocked users, kicks between devices) and the trial's whole
// trace kept in World.Recs for the checkers and the transcripts. A storm
// has the opposite shape: one world of up to ten million clients whose
// events crowd into the same few seconds. A heap of that size costs more
// per event than this package's calendar queue (BenchmarkStorm reports the
// ratio to a bare container/heap loop: below 1 at a million clients), and
// a kept trace at 192 B a record would be gigabytes. So storm has its own
// loop: a calendar queue of 1 ms buckets of 8-event blocks (calendar.go),
// each client's state side by side in one flat struct, a server whose own
// concern is capacity (server.go: workers, accept queue, token bucket), and
// records that go to one streaming monitor (properties.Monitor) and to
// counters, never kept. It shares with sim what must be the same for the
// two to be compared: the client core (fsm.Client, one shared
// fsm.Config), the network's rules (netmodel), sim run's parameters
// (model.Params, lifted into Registry), the session rules (a
// server.Session beside each client; server.go is only the capacity in
// front of them) and, with --msg-rate, the message rules (a server.Solo
// and an inbox.Inbox beside each client; messages.go). validity_test.go checks that an unloaded storm's times
// to connect have sim run's distribution.
//
// Memory: what a client needs beyond its core is kept in flat per-client
// arrays (phase, session, reconnection times); records are aggregated
// into counters and time bins, never kept, except for the one client
// that Params.TraceClient names.
package storm
