package server

import (
	"github.com/rcsim/connsim/internal/zoo"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// SessionEvent is a session opened or closed by the server. For an open,
// Reason is vocab.CloseNone and Push false; for a close, Reason says why
// and Push is the receivePush preference of a logout.
type SessionEvent struct {
	Open     bool
	Dev      int16
	User     int32
	Platform Platform
	Seq      uint32
	Reason   vocab.Close
	Push     bool
}

// Out collects what one server call says. The caller resets both lengths
// to 0 before each call; the server only appends, in the order things
// happen: Replies are server-to-client messages (answers and pushes to
// other devices), Sessions are session changes.
type Out struct {
	Replies  []fsm.Msg
	Sessions []SessionEvent
}

// slot returns the index of the (user, platform) of device dev in s.slots,
// or -1 for a device that shares no slot: a mobile device with
// MultiMobile.
func (s *Server) slot(dev int16) int {
	d := &s.Devices[dev]
	if s.MultiMobile && (d.Platform == Mobile || zoo.Is(zoo.MultiMobileAll)) { // bug zoo (P10): every class shares none
		return -1
	}
	return int(d.User)*NumPlatforms + int(d.Platform)
}

// setSlot records h (-1: none) as the holder of device dev's slot, if it
// has one.
func (s *Server) setSlot(dev, h int16) {
	if i := s.slot(dev); i >= 0 {
		s.slots[i] = h
	}
}

// event appends a session event of device dev.
func (s *Server) event(dev int16, open bool, seq uint32, reason vocab.Close, push bool, out *Out) {
	info := s.Devices[dev]
	out.Sessions = append(out.Sessions, SessionEvent{Open: open, Dev: dev, User: info.User, Platform: info.Platform, Seq: seq, Reason: reason, Push: push})
}

// open opens a session of device dev with seq (closing the device's own
// older live session first, "replaced"). The slot must be free of other
// devices.
func (s *Server) open(now time.Duration, dev int16, seq uint32, out *Out) {
	if old, replaced := s.devs[dev].Open(now, seq); replaced {
		s.event(dev, false, old, vocab.CloseReplaced, false, out)
	}
	s.setSlot(dev, dev)
	s.opened(dev)
	s.event(dev, true, seq, vocab.CloseNone, false, out)
}

// closed records that device dev's live session with seq closed for
// reason: the slot is freed and the event appended.
func (s *Server) closed(dev int16, seq uint32, reason vocab.Close, push bool, out *Out) {
	s.setSlot(dev, -1)
	s.event(dev, false, seq, reason, push, out)
}

// end closes device dev's live session for a reason the server decides
// and returns its seq.
func (s *Server) end(dev int16, reason vocab.Close, out *Out) uint32 {
	seq := s.devs[dev].End(reason)
	s.closed(dev, seq, reason, false, out)
	return seq
}

// pushClosed closes the live session of device dev and tells the device so
// with MsgClosed{code}.
func (s *Server) pushClosed(dev int16, reason vocab.Close, code fsm.Code, out *Out) {
	seq := s.end(dev, reason, out)
	out.Replies = append(out.Replies, fsm.Msg{Kind: fsm.MsgClosed, Dev: dev, Seq: seq, Code: code})
}

// Drop closes device dev's socket with no frame, if it holds a live
// session (a scripted server_close: a server restart or a balancer that
// drops one connection): the session ends (reason dropped) and the device
// learns it as MsgClosed{ClosedGone}, as after an idle close.
func (s *Server) Drop(dev int16, out *Out) {
	s.sync()
	if dev >= 0 && int(dev) < len(s.devs) && s.devs[dev].live {
		s.pushClosed(dev, vocab.CloseDropped, fsm.ClosedGone, out)
	}
}

// Live returns the seq of device dev's live session, if it holds one.
func (s *Server) Live(dev int16) (seq uint32, ok bool) {
	s.sync()
	if dev < 0 || int(dev) >= len(s.devs) {
		return 0, false
	}
	return s.devs[dev].Live()
}

// Holder returns the device holding the live session of (user, platform),
// if any.
func (s *Server) Holder(user int32, p Platform) (dev int16, ok bool) {
	s.sync()
	i := int(user)*NumPlatforms + int(p)
	if user < 0 || p >= NumPlatforms || i >= len(s.slots) || s.slots[i] < 0 {
		return -1, false
	}
	return s.slots[i], true
}
