package model

import (
	"time"

	"github.com/rcsim/connsim/vocab"
)

// MsgResult is what one trial measured of its messages (docs/messages.md).
// A latency runs from the message reaching the server to the app of one
// device being shown it; one message shown on two devices counts twice.
type MsgResult struct {
	Sent     int // messages that reached the server (normal and status)
	Stored   int // normal messages stored for a device with no live session
	Shown    int // (message, device) pairs shown to an app
	Pushes   int // push notifications that reached a device
	PushedOn int // ... of which reached a device that was in fact CONNECTED
	// Ghosts counts normal messages the server delivered only to sessions
	// it believed live while no such device was connected on them: written
	// into dead sockets, neither pushed nor shown until a pull.
	Ghosts  int
	Dropped int // stored messages dropped after the retention
	Dups    int // duplicates the SDK dropped
	Pulls   int // pulls the SDKs sent (retries included)
	// Latency by path: Live (on the socket), Pull (pulled after a
	// (re)connect or a gap), Push (pulled after a push reached the device).
	Live, Pull, Push []time.Duration
}

// Show counts a message shown to an app after lat on path (vocab.PathLive,
// PathPull or PathPush).
func (r *MsgResult) Show(path vocab.Word, lat time.Duration) {
	r.Shown++
	switch path {
	case vocab.PathLive:
		r.Live = append(r.Live, lat)
	case vocab.PathPull:
		r.Pull = append(r.Pull, lat)
	default:
		r.Push = append(r.Push, lat)
	}
}
