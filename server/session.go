package server

import "github.com/rcsim/connsim/fsm"

// Reasons for closing a session, as carried by SessionEvent.Reason.
const (
	ReasonKicked     = "kicked"     // another device of the user and platform took over, or the reconnect-kick policy
	ReasonReplaced   = "replaced"   // a newer session of the same device replaced it silently
	ReasonBlocked    = "blocked"    // the user was blocked
	ReasonLogout     = "logout"     // the client closed it (Close with Code == fsm.OK: Disconnect/Logout)
	ReasonAbandoned  = "abandoned"  // the client closed it with Close and a nonzero Code (timeout, late answer)
	ReasonBackground = "background" // the SDK closed it after a while in the background (Close with fsm.CloseBackground; push allowed)
)

// SessionEvent is a session opened or closed by the server. For an open,
// Reason is "" and Push false; for a close, Reason is one of the Reason
// constants and Push is the receivePush preference of a logout.
type SessionEvent struct {
	Open     bool
	Dev      int16
	User     int32
	Platform Platform
	Seq      uint32
	Reason   string
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

// devState is the server's memory of one device.
type devState struct {
	live bool   // the device holds a live session
	seq  uint32 // the live session's seq

	// floor: an Auth with seq <= floor is stale and ignored. It is the
	// highest seq abandoned by a Close or opened as a session.
	hasFloor bool
	floor    uint32

	closedSeq    uint32 // seq of the device's last closed session
	closedReason string // its close reason; "" if none was closed
}

func (d *devState) raiseFloor(seq uint32) {
	if !d.hasFloor || seq > d.floor {
		d.floor = seq
	}
	d.hasFloor = true
}

func (d *devState) stale(seq uint32) bool { return d.hasFloor && seq <= d.floor }

// slot returns the index of the (user, platform) of device dev in s.slots.
func (s *Server) slot(dev int16) int {
	d := &s.Devices[dev]
	return int(d.User)*NumPlatforms + int(d.Platform)
}

// open opens a session of device dev with seq. The slot must be free.
func (s *Server) open(dev int16, seq uint32, out *Out) {
	d := &s.devs[dev]
	d.live, d.seq = true, seq
	d.raiseFloor(seq)
	s.slots[s.slot(dev)] = dev
	info := s.Devices[dev]
	out.Sessions = append(out.Sessions, SessionEvent{Open: true, Dev: dev, User: info.User, Platform: info.Platform, Seq: seq})
}

// closeLive closes the live session of device dev and returns its seq.
func (s *Server) closeLive(dev int16, reason string, push bool, out *Out) uint32 {
	d := &s.devs[dev]
	seq := d.seq
	d.live, d.seq = false, 0
	d.closedSeq, d.closedReason = seq, reason
	s.slots[s.slot(dev)] = -1
	info := s.Devices[dev]
	out.Sessions = append(out.Sessions, SessionEvent{Dev: dev, User: info.User, Platform: info.Platform, Seq: seq, Reason: reason, Push: push})
	return seq
}

// pushClosed closes the live session of device dev and tells the device so
// with MsgClosed{code}.
func (s *Server) pushClosed(dev int16, reason string, code fsm.Code, out *Out) {
	seq := s.closeLive(dev, reason, false, out)
	out.Replies = append(out.Replies, fsm.Msg{Kind: fsm.MsgClosed, Dev: dev, Seq: seq, Code: code})
}

// Live returns the seq of device dev's live session, if it holds one.
func (s *Server) Live(dev int16) (seq uint32, ok bool) {
	s.sync()
	if dev < 0 || int(dev) >= len(s.devs) || !s.devs[dev].live {
		return 0, false
	}
	return s.devs[dev].seq, true
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
