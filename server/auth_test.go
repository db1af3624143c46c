package server

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

func TestAuthCodes(t *testing.T) {
	tests := []struct {
		name        string
		setup       func(*Server)
		now         time.Duration
		unavailable bool
		msg         func(fsm.Msg) fsm.Msg // edits the Auth of device 0, seq 1
		want        fsm.Code
	}{
		{name: "ok", want: fsm.OK},
		{name: "proxy unavailable", setup: func(s *Server) { s.ProxyUnavailable = true }, want: fsm.ConnProxyUnavailable},
		{name: "proxy beats unavailable", setup: func(s *Server) { s.ProxyUnavailable = true }, unavailable: true, want: fsm.ConnProxyUnavailable},
		{name: "unavailable", unavailable: true, want: fsm.ReplyUnavailable},
		{name: "unavailable beats wrong app key", setup: func(s *Server) { s.AppKeys[0] = AppWrong }, unavailable: true, want: fsm.ReplyUnavailable},
		{name: "app key wrong", setup: func(s *Server) { s.AppKeys[0] = AppWrong }, want: fsm.ConnIDReject},
		{name: "app key out of range", msg: func(m fsm.Msg) fsm.Msg { m.AppKey = 5; return m }, want: fsm.ConnIDReject},
		{name: "app key negative", msg: func(m fsm.Msg) fsm.Msg { m.AppKey = -1; return m }, want: fsm.ConnIDReject},
		{name: "app key unknown state", setup: func(s *Server) { s.AppKeys[0] = 9 }, want: fsm.ConnIDReject},
		{name: "app key blocked", setup: func(s *Server) { s.AppKeys[0] = AppBlocked }, want: fsm.ConnAppBlockedOrDeleted},
		{name: "app key deleted", setup: func(s *Server) { s.AppKeys[0] = AppDeleted }, want: fsm.ConnAppBlockedOrDeleted},
		{name: "app key blocked beats verification", setup: func(s *Server) { s.AppKeys[0] = AppBlocked; s.VerificationFails = true }, want: fsm.ConnAppBlockedOrDeleted},
		{name: "verification fails", setup: func(s *Server) { s.VerificationFails = true }, want: fsm.ConnNotAuthorized},
		{name: "verification beats bad token", setup: func(s *Server) { s.VerificationFails = true }, msg: func(m fsm.Msg) fsm.Msg { m.Token = 99; return m }, want: fsm.ConnNotAuthorized},
		{name: "token out of range", msg: func(m fsm.Msg) fsm.Msg { m.Token = 99; return m }, want: fsm.ConnTokenIncorrect},
		{name: "token negative", msg: func(m fsm.Msg) fsm.Msg { m.Token = -1; return m }, want: fsm.ConnTokenIncorrect},
		{name: "token invalidated", setup: func(s *Server) { s.InvalidateToken(0) }, want: fsm.ConnTokenIncorrect},
		{name: "token of another app key", setup: func(s *Server) { s.AddAppKey(AppValid); s.Tokens[0].AppKey = 1 }, want: fsm.ConnTokenIncorrect},
		{name: "client app key differs from token's", setup: func(s *Server) { s.AddAppKey(AppValid) }, msg: func(m fsm.Msg) fsm.Msg { m.AppKey = 1; return m }, want: fsm.ConnTokenIncorrect},
		{name: "token of another user", msg: func(m fsm.Msg) fsm.Msg { m.Token = 1; return m }, want: fsm.ConnTokenIncorrect},
		{name: "invalidated beats expired", setup: func(s *Server) { s.InvalidateToken(0); s.ExpireToken(time.Second, 0) }, now: 2 * time.Second, want: fsm.ConnTokenIncorrect},
		{name: "token expired", setup: func(s *Server) { s.Tokens[0].ExpiresAt = time.Second }, now: 2 * time.Second, want: fsm.ConnTokenExpire},
		{name: "token expires at ExpiresAt", setup: func(s *Server) { s.Tokens[0].ExpiresAt = time.Second }, now: time.Second, want: fsm.ConnTokenExpire},
		{name: "token not yet expired", setup: func(s *Server) { s.Tokens[0].ExpiresAt = time.Second }, now: time.Second - 1, want: fsm.OK},
		{name: "token never expires (negative)", setup: func(s *Server) { s.Tokens[0].ExpiresAt = -1 }, now: time.Hour, want: fsm.OK},
		{name: "expired beats user blocked", setup: func(s *Server) { s.Tokens[0].ExpiresAt = 1; s.UserBlocked[0] = true }, now: 5, want: fsm.ConnTokenExpire},
		{name: "user blocked", setup: func(s *Server) { s.UserBlocked[0] = true }, want: fsm.ConnUserBlocked},
		{name: "other user blocked", setup: func(s *Server) { s.UserBlocked[1] = true }, want: fsm.OK},
		{name: "manual auth ok", msg: func(m fsm.Msg) fsm.Msg { m.Auto = false; return m }, want: fsm.OK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if tt.setup != nil {
				tt.setup(&w.s)
			}
			m := authMsg(0, 1, true)
			if tt.msg != nil {
				m = tt.msg(m)
			}
			w.out.Replies, w.out.Sessions = w.out.Replies[:0], w.out.Sessions[:0]
			w.s.Handle(tt.now, m, tt.unavailable, &w.out)
			var sessions []SessionEvent
			live := map[int16]uint32{}
			if tt.want == fsm.OK {
				sessions = []SessionEvent{openEv(&w.s, 0, 1)}
				live[0] = 1
			}
			checkOut(t, w.out, []fsm.Msg{authReply(0, 1, tt.want)}, sessions)
			checkLive(t, &w.s, live)
		})
	}
}

// A failed Auth leaves the device's live session alone; a later valid Auth
// replaces it.
func TestAuthFailureKeepsSession(t *testing.T) {
	w := newWorld(t)
	w.connect(t, 0, 1)
	w.s.UserBlocked[0] = true // blocked without BlockUser: nothing closed
	o := w.handle(0, authMsg(0, 2, true))
	checkOut(t, o, []fsm.Msg{authReply(0, 2, fsm.ConnUserBlocked)}, nil)
	checkLive(t, &w.s, map[int16]uint32{0: 1})
	w.s.UnblockUser(0)
	o = w.handle(0, authMsg(0, 3, true))
	checkOut(t, o, []fsm.Msg{okReply(0, 3)}, []SessionEvent{closeEv(&w.s, 0, 1, vocab.CloseReplaced, false), openEv(&w.s, 0, 3)})
}

// An unavailable answer opens nothing and does not make the seq stale.
func TestAuthUnavailableThenRetry(t *testing.T) {
	w := newWorld(t)
	w.out.Replies = w.out.Replies[:0]
	w.s.Handle(0, authMsg(0, 1, false), true, &w.out)
	checkOut(t, w.out, []fsm.Msg{authReply(0, 1, fsm.ReplyUnavailable)}, nil)
	w.connect(t, 0, 2)
	checkLive(t, &w.s, map[int16]uint32{0: 2})
}
