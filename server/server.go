package server

import (
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/smallslice"
)

// Device is one client device: it belongs to one user and one platform class.
type Device struct {
	User     int32
	Platform Platform
	Kick     KickChoice // its own reconnection-kick setting (never KickOn for web)
}

// Server is the IM server of one trial. The zero value is an empty server;
// Reset empties it again while keeping slice capacity, so that one Server
// serves many trials without allocating.
//
// The exported fields are the scripted configuration and may be set
// directly; per-device and per-slot state is kept in step with Devices and
// UserBlocked.
type Server struct {
	Policy            KickPolicy
	MultiMobile       bool          // mobile devices of a user may be online together (no mobile slot)
	IdleTimeout       time.Duration // a live session silent this long is closed (idle); <= 0: never
	MultiDeviceSync   bool          // every device gets every message (else one device per message)
	Retention         time.Duration // the offline store keeps a message this long; <= 0: forever
	AppKeys           []AppKeyState // by app key index
	VerificationFails bool          // every Auth that gets this far gets 31005
	ProxyUnavailable  bool          // every Auth gets 31028
	Tokens            []Token       // by token index
	UserBlocked       []bool        // by user index; its length is the number of users
	Devices           []Device      // by device index

	devs  []Session  // parallel to Devices: each device's session rules
	slots []int16    // by user*NumPlatforms+platform: device holding the live session, or -1 (mobile: always -1 with MultiMobile)
	users []userMsgs // by user: messages (messages.go)
	dmsg  []devMsgs  // parallel to Devices: messages
}

// Reset empties the server (policy default, one mobile device online, no app keys, users, tokens or
// devices, flags off), keeping slice capacity.
func (s *Server) Reset() {
	s.Policy = PolicyDefault
	s.MultiMobile = false
	s.IdleTimeout = 0
	s.MultiDeviceSync = false
	s.Retention = 0
	s.VerificationFails = false
	s.ProxyUnavailable = false
	s.AppKeys = s.AppKeys[:0]
	s.Tokens = s.Tokens[:0]
	s.UserBlocked = s.UserBlocked[:0]
	s.Devices = s.Devices[:0]
	s.devs = s.devs[:0]
	s.slots = s.slots[:0]
	s.users = s.users[:0]
	s.dmsg = s.dmsg[:0]
}

// ResetTo makes s a copy of t, keeping s's slice capacity: t is a server
// configured for a trial and never used since (a template), so a driver
// that starts every trial from the same scenario builds t once and copies
// it, instead of adding its app keys, users, tokens and devices anew.
// Every field is t's (a field added to Server is copied by the first
// assignment); every slice is s's own (TestResetToCopies).
func (s *Server) ResetTo(t *Server) {
	// s's slices, kept aside in locals rather than in a copy of all of s
	// (a copy of the struct costs as much as the rest).
	ak, tk, ub, dv := s.AppKeys, s.Tokens, s.UserBlocked, s.Devices
	devs, slots, users, dmsg := s.devs, s.slots, s.users, s.dmsg
	*s = *t
	s.AppKeys = smallslice.CopyInto(ak, t.AppKeys)
	s.Tokens = smallslice.CopyInto(tk, t.Tokens)
	s.UserBlocked = smallslice.CopyInto(ub, t.UserBlocked)
	s.Devices = smallslice.CopyInto(dv, t.Devices)
	s.devs = smallslice.CopyInto(devs, t.devs)
	s.slots = smallslice.CopyInto(slots, t.slots)
	s.users, s.dmsg = users[:0], dmsg[:0]
	s.growMsgs() // t's message state is empty: fresh logs, on s's memory
}

// AddAppKey registers an app key in state st and returns its index.
func (s *Server) AddAppKey(st AppKeyState) int32 {
	s.AppKeys = append(s.AppKeys, st)
	return int32(len(s.AppKeys) - 1)
}

// AddUser registers an unblocked user and returns its index.
func (s *Server) AddUser() int32 {
	s.UserBlocked = append(s.UserBlocked, false)
	s.sync()
	return int32(len(s.UserBlocked) - 1)
}

// AddDevice registers a device and returns its index. It panics if the
// platform is not one of Mobile, Desktop, Web or the user is negative.
func (s *Server) AddDevice(d Device) int16 {
	if d.Platform >= NumPlatforms || d.User < 0 {
		panic("server: AddDevice: invalid device " + d.Platform.String())
	}
	s.Devices = append(s.Devices, d)
	s.sync()
	return int16(len(s.Devices) - 1)
}

// sync grows the per-device and per-slot state to match Devices and
// UserBlocked (which may have been appended to directly).
func (s *Server) sync() {
	s.growSlots(len(s.UserBlocked))
	for len(s.devs) < len(s.Devices) {
		s.devs = append(s.devs, Session{})
		s.growSlots(int(s.Devices[len(s.devs)-1].User) + 1)
	}
	for len(s.UserBlocked) < len(s.slots)/NumPlatforms {
		s.UserBlocked = append(s.UserBlocked, false)
	}
	s.growMsgs()
}

// growSlots makes room for the slots of users [0, users).
func (s *Server) growSlots(users int) {
	for len(s.slots) < users*NumPlatforms {
		s.slots = append(s.slots, -1)
	}
}

// blocked reports whether user is blocked; unknown users are not.
func (s *Server) blocked(user int32) bool {
	return user >= 0 && int(user) < len(s.UserBlocked) && s.UserBlocked[user]
}

// Handle processes one client-to-server message m that arrives at virtual
// time now, appending what the server says to out. unavailable is the
// caller's draw for an Auth (ignored for other kinds). Messages of
// server-to-client kinds are ignored.
func (s *Server) Handle(now time.Duration, m fsm.Msg, unavailable bool, out *Out) {
	s.sync()
	if m.Kind.ToServer() {
		s.devs[m.Dev].Heard(now, m)
	}
	switch m.Kind {
	case fsm.MsgAuth:
		s.auth(now, m, unavailable, out)
	case fsm.MsgPing:
		s.ping(m, out)
	case fsm.MsgClose:
		s.close(m, out)
	case fsm.MsgAck:
		s.ack(m)
	}
}
