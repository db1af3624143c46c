package server

import (
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/vocab"
)

// auth handles an Auth (one attempt's handshake). The first rule that
// applies decides:
//
//  0. stale (seq at or below one abandoned by Close or already opened for
//     the device): ignored, no reply, no session;
//  1. to 8. credential checks, see check: reply with the error code;
//  9. sessions: see admit.
func (s *Server) auth(now time.Duration, m fsm.Msg, unavailable bool, out *Out) {
	if s.devs[m.Dev].Stale(m.Seq) {
		return
	}
	if code := s.check(now, m, unavailable); code != fsm.OK {
		s.reply(m, code, out)
		return
	}
	s.admit(now, m, out)
}

// check returns the answer to an Auth before sessions are considered, in
// this order: 31028 proxy unavailable; ReplyUnavailable; 31002 app key
// unknown or wrong; 31008 app key blocked or deleted; 31005 verification
// failed; 31004 token unknown, invalidated, made for another app key or for
// another user than the device's; 31020 token expired; 31009 user blocked;
// else OK.
func (s *Server) check(now time.Duration, m fsm.Msg, unavailable bool) fsm.Code {
	if s.ProxyUnavailable {
		return fsm.ConnProxyUnavailable
	}
	if unavailable {
		return fsm.ReplyUnavailable
	}
	if m.AppKey < 0 || int(m.AppKey) >= len(s.AppKeys) {
		return fsm.ConnIDReject
	}
	switch s.AppKeys[m.AppKey] {
	case AppValid:
	case AppBlocked, AppDeleted:
		return fsm.ConnAppBlockedOrDeleted
	default:
		return fsm.ConnIDReject
	}
	if s.VerificationFails {
		return fsm.ConnNotAuthorized
	}
	if code := s.tokenCheck(now, &m); code != fsm.OK {
		return code
	}
	if s.blocked(s.Tokens[m.Token].User) {
		return fsm.ConnUserBlocked
	}
	return fsm.OK
}

// tokenCheck returns 31004 for a token that is unknown, invalidated, made
// for another app key or for another user than the device's, 31020 for an
// expired one, else OK.
func (s *Server) tokenCheck(now time.Duration, m *fsm.Msg) fsm.Code {
	if m.Token < 0 || int(m.Token) >= len(s.Tokens) {
		return fsm.ConnTokenIncorrect
	}
	t := &s.Tokens[m.Token]
	if t.Invalidated || t.AppKey != m.AppKey || t.User != s.Devices[m.Dev].User {
		return fsm.ConnTokenIncorrect
	}
	if t.Expired(now) {
		return fsm.ConnTokenExpire
	}
	return fsm.OK
}

// NaviCheck is the navigation service's check of a navigation request m
// (MsgNavi: Dev, Token, AppKey) at now: 31004 for a token the auth would
// refuse as incorrect or expired, else OK. The navigation has one token
// error (the web engine maps its HTTP 401/403 to 31004; the mobile SDKs'
// connect codes have no navigation token code of their own and name an
// expired token as a cause of 31004: docs/profiles.md), so an expired
// token is 31004 here and 31020 only at the auth. It reads the tokens and
// the devices only; nothing changes.
func (s *Server) NaviCheck(now time.Duration, m *fsm.Msg) fsm.Code {
	if s.tokenCheck(now, m) != fsm.OK {
		return fsm.ConnTokenIncorrect
	}
	return fsm.OK
}

// admit applies the session rules to a valid Auth. If another device D
// holds the live session of the (user, platform): with m.Auto and the
// reconnection kick on for the device (KickPolicy.Kicked: its own choice,
// else the server's policy; never on web) the reply is ReplyKicked and nothing opens (the
// requesting device holds no live session then: D holds the slot, P10);
// otherwise D's session is closed ("kicked") and D is pushed MsgClosed
// {ClosedKicked}. A live older session of the requesting device itself is
// closed silently ("replaced"). Then the new session opens and the reply
// is OK. Session events: closes first, then the open.
func (s *Server) admit(now time.Duration, m fsm.Msg, out *Out) {
	if i := s.slot(m.Dev); i >= 0 && s.slots[i] >= 0 && s.slots[i] != m.Dev {
		h := s.slots[i]
		if d := s.Devices[m.Dev]; m.Auto && s.Policy.Kicked(d.Kick, d.Platform) {
			s.reply(m, fsm.ReplyKicked, out)
			return
		}
		if !zoo.Is(zoo.TwoSessions) { // bug zoo (P10): the holder stays online
			s.pushClosed(h, vocab.CloseKicked, fsm.ClosedKicked, out)
		}
	}
	s.open(now, m.Dev, m.Seq, out)
	s.reply(m, fsm.OK, out)
}

// reply appends the AuthReply to m with code.
func (s *Server) reply(m fsm.Msg, code fsm.Code, out *Out) {
	out.Replies = append(out.Replies, fsm.Msg{Kind: fsm.MsgAuthReply, Dev: m.Dev, Seq: m.Seq, Code: code})
}
