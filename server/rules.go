package server

import (
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// Session is the server's memory of one device, and the session rules of
// the simulated IM server written once: package server's multi-device
// Server, package storm's million-client world and the exhaustive explorer
// (package explore) all keep one Session per device and ask it for the
// verdicts Stale (on an Auth), Open, Close (on the client's Close), Ping
// and Idle; the server-side closes (kick, block, restart) are End.
//
// Invariants:
//
//   - Once hasFloor, an Auth with seq <= floor is stale and ignored: floor
//     is the highest seq the device abandoned with a Close or the server
//     opened.
//   - While live, seq is the live session's seq and the highest seq ever
//     opened for the device; heard is the last time the server heard a
//     message on it (Heard), or its opening.
//   - closedSeq and closed name the device's last closed session and why
//     (CloseNone: none was closed), so a ping on it learns why it is gone.
//
// The zero value is a device that never connected. A Session is 24 bytes
// and never allocates.
type Session struct {
	heard     time.Duration
	seq       uint32
	floor     uint32
	closedSeq uint32
	hasFloor  bool
	live      bool
	closed    vocab.Close
}

func (s *Session) raiseFloor(seq uint32) {
	if !s.hasFloor || seq > s.floor {
		s.floor = seq
	}
	s.hasFloor = true
}

// Live returns the live session's seq, if there is one.
func (s *Session) Live() (seq uint32, ok bool) { return s.seq, s.live }

// Heard records that message m of the device reached the server at now.
// Liveness is the session's, as a server tracks it per connection: only a
// message on the live session itself (a ping, an ack, a pull, a close of
// its seq) counts. An Auth opens a new connection: if the server accepts
// it, Open replaces the session; if it refuses it (unavailable, a full
// queue), the old session is still silent and falls idle in time. The
// idle timeout counts from the last message heard.
func (s *Session) Heard(now time.Duration, m fsm.Msg) {
	if s.live && m.Kind != fsm.MsgAuth && m.Seq == s.seq {
		s.heard = now
	}
}

// Stale reports whether an Auth with seq must be ignored: its attempt was
// abandoned by a Close, or a session with that seq or a later one was
// already opened.
func (s *Session) Stale(seq uint32) bool { return s.hasFloor && seq <= s.floor }

// Open opens a session with seq (an Auth the server accepted; it must not
// be stale). A live older session of the device is closed first, silently
// (CloseReplaced): then replaced is true and old is its seq.
func (s *Session) Open(now time.Duration, seq uint32) (old uint32, replaced bool) {
	if s.live {
		old, replaced = s.End(vocab.CloseReplaced), true
	}
	s.live, s.seq, s.heard = true, seq, now
	s.raiseFloor(seq)
	return old, replaced
}

// End closes the live session for reason (a close the server decides:
// replaced, kicked, blocked, restart, idle) and returns its seq. The
// device must hold a live session.
func (s *Session) End(reason vocab.Close) uint32 {
	seq := s.seq
	s.live, s.seq = false, 0
	s.closedSeq, s.closed = seq, reason
	return seq
}

// Close is the verdict on the client's Close of every attempt and session
// up to seq: later Auths with seq or below are stale, and the live session,
// if its seq <= seq, closes (closed is true) with the reason the code
// gives: CloseLogout for fsm.OK (Disconnect, Logout), CloseBackground for
// fsm.CloseBackground (the SDK disconnected after a while in the
// background), CloseAbandoned for any other code (34006 after a timeout, a
// late answer). No reply is sent.
func (s *Session) Close(m fsm.Msg) (seq uint32, reason vocab.Close, closed bool) {
	s.raiseFloor(m.Seq)
	if !s.live || s.seq > m.Seq {
		return 0, vocab.CloseNone, false
	}
	reason = vocab.CloseAbandoned
	switch m.Code {
	case fsm.OK:
		reason = vocab.CloseLogout
	case fsm.CloseBackground:
		reason = vocab.CloseBackground
	}
	return s.End(reason), reason, true
}

// Ping is the answer to a heartbeat on session seq: MsgPong if it is the
// live session; otherwise MsgClosed whose Code says why the session is
// gone: ClosedKicked or ClosedBlocked if it is the last closed session and
// was closed for that reason, else ClosedGone. So a device whose kick push
// was lost learns of the kick at its next heartbeat. The reply's Dev is
// left to the caller.
func (s *Session) Ping(seq uint32) fsm.Msg {
	if s.live && s.seq == seq {
		return fsm.Msg{Kind: fsm.MsgPong, Seq: seq}
	}
	code := fsm.ClosedGone
	if s.closed != vocab.CloseNone && s.closedSeq == seq {
		switch s.closed {
		case vocab.CloseKicked:
			code = fsm.ClosedKicked
		case vocab.CloseBlocked:
			code = fsm.ClosedBlocked
		}
	}
	return fsm.Msg{Kind: fsm.MsgClosed, Seq: seq, Code: code}
}

// IdleAt returns when the live session falls idle under timeout: the last
// time the server heard from the device plus timeout. ok is false when no
// session is live or timeout <= 0 (the server never closes idle sessions).
func (s *Session) IdleAt(timeout time.Duration) (at time.Duration, ok bool) {
	if !s.live || timeout <= 0 {
		return 0, false
	}
	return s.heard + timeout, true
}

// Idle is the verdict of an idle check at now: if the live session has
// been silent for timeout or longer, it closes (CloseIdle) and its seq is
// returned with closed true. A world schedules the check at IdleAt and
// asks again, since the device may have been heard in between.
func (s *Session) Idle(now, timeout time.Duration) (seq uint32, closed bool) {
	at, ok := s.IdleAt(timeout)
	if !ok || now < at {
		return 0, false
	}
	return s.End(vocab.CloseIdle), true
}

// SessionState is everything a Session remembers but the time it last
// heard the device: what the exhaustive explorer (which has no time)
// hashes into its canonical state key.
type SessionState struct {
	Live, HasFloor        bool
	Seq, Floor, ClosedSeq uint32
	Closed                vocab.Close
}

// State returns what s remembers, time aside.
func (s *Session) State() SessionState {
	return SessionState{Live: s.live, HasFloor: s.hasFloor, Seq: s.seq, Floor: s.floor, ClosedSeq: s.closedSeq, Closed: s.closed}
}
