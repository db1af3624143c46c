package server

import (
	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// BlockUser blocks user: later Auths of the user get 31009, and every live
// session of the user is closed now (reason "blocked", in platform order
// mobile, desktop, web, mini-program; several mobile ones, with
// MultiMobile, in device order) with MsgClosed{ClosedBlocked, Seq: the session's
// seq} pushed to its device. An unknown user index is registered first.
func (s *Server) BlockUser(user int32, out *Out) {
	for int(user) >= len(s.UserBlocked) {
		s.UserBlocked = append(s.UserBlocked, false)
	}
	s.UserBlocked[user] = true
	s.sync()
	base := int(user) * NumPlatforms
	for p := range NumPlatforms {
		if Platform(p) == Mobile && s.MultiMobile {
			// No mobile slot: every live mobile session, by device.
			for d := range s.Devices {
				if dd := s.Devices[d]; dd.User == user && dd.Platform == Mobile && s.devs[d].live {
					s.pushClosed(int16(d), vocab.CloseBlocked, fsm.ClosedBlocked, out)
				}
			}
			continue
		}
		if h := s.slots[base+p]; h >= 0 {
			s.pushClosed(h, vocab.CloseBlocked, fsm.ClosedBlocked, out)
		}
	}
}

// UnblockUser unblocks user: its next Auth may succeed again. Sessions
// closed by the block stay closed.
func (s *Server) UnblockUser(user int32) {
	if int(user) < len(s.UserBlocked) {
		s.UserBlocked[user] = false
	}
}
