package server

import (
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
)

func TestTokenExpiryWhileConnected(t *testing.T) {
	w := newWorld(t)
	w.connect(t, 0, 1)
	w.s.ExpireToken(10*time.Second, 0)
	if got := w.s.Tokens[0].ExpiresAt; got != 10*time.Second {
		t.Fatalf("ExpiresAt = %v", got)
	}
	// The session stays: heartbeats still answered.
	o := w.handle(20*time.Second, pingMsg(0, 1))
	checkOut(t, o, []fsm.Msg{{Kind: fsm.MsgPong, Dev: 0, Seq: 1}}, nil)
	checkLive(t, &w.s, map[int16]uint32{0: 1})
	// The next attempt is checked again.
	o = w.handle(20*time.Second, authMsg(0, 2, true))
	checkOut(t, o, []fsm.Msg{authReply(0, 2, fsm.ConnTokenExpire)}, nil)
	checkLive(t, &w.s, map[int16]uint32{0: 1})
}

func TestInvalidateWhileConnected(t *testing.T) {
	w := newWorld(t)
	w.connect(t, 0, 1)
	w.s.InvalidateToken(0)
	checkLive(t, &w.s, map[int16]uint32{0: 1})
	o := w.handle(time.Second, authMsg(0, 2, true))
	checkOut(t, o, []fsm.Msg{authReply(0, 2, fsm.ConnTokenIncorrect)}, nil)
}

func TestNewTokenDoesNotInvalidateOld(t *testing.T) {
	w := newWorld(t)
	newTok := w.s.AddToken(Token{User: 0})
	if newTok != 2 {
		t.Fatalf("AddToken = %d, want 2", newTok)
	}
	w.connect(t, 0, 1) // old token 0
	m := authMsg(1, 1, false)
	m.Token = newTok
	o := w.handle(0, m)
	if o.Replies[len(o.Replies)-1] != okReply(1, 1) {
		t.Fatalf("new token: %+v", o.Replies)
	}
	w.connect(t, 0, 2) // old token still accepted
	if w.s.Tokens[0].Invalidated {
		t.Fatal("old token invalidated")
	}
}

func TestExpireTokenAtZero(t *testing.T) {
	w := newWorld(t)
	w.s.ExpireToken(0, 0)
	if !w.s.Tokens[0].Expired(time.Nanosecond) {
		t.Fatal("token expired at 0 is not expired at 1ns")
	}
	o := w.handle(time.Millisecond, authMsg(0, 1, false))
	checkOut(t, o, []fsm.Msg{authReply(0, 1, fsm.ConnTokenExpire)}, nil)
}

func TestTokenExpired(t *testing.T) {
	tests := []struct {
		at, now time.Duration
		want    bool
	}{
		{0, time.Hour, false},
		{-5, time.Hour, false},
		{time.Second, 0, false},
		{time.Second, time.Second - 1, false},
		{time.Second, time.Second, true},
		{time.Second, time.Hour, true},
	}
	for _, tt := range tests {
		tok := Token{ExpiresAt: tt.at}
		if got := tok.Expired(tt.now); got != tt.want {
			t.Errorf("Token{ExpiresAt: %v}.Expired(%v) = %v, want %v", tt.at, tt.now, got, tt.want)
		}
	}
}

// The navigation's check: 31004 for every token the auth refuses as
// incorrect or expired (the navigation has one token error), OK for a
// valid one, whatever the sessions; it changes nothing.
func TestNaviCheck(t *testing.T) {
	w := newWorld(t)
	navi := func(dev int16, tok int32) *fsm.Msg {
		m := authMsg(dev, 1, false)
		m.Kind, m.Token = fsm.MsgNavi, tok
		return &m
	}
	if got := w.s.NaviCheck(0, navi(0, 0)); got != fsm.OK {
		t.Fatalf("valid token: %v", got)
	}
	for _, tc := range []struct {
		name string
		m    *fsm.Msg
	}{
		{"unknown token", navi(0, 99)},
		{"another user's token", navi(0, 1)},
	} {
		if got := w.s.NaviCheck(0, tc.m); got != fsm.ConnTokenIncorrect {
			t.Errorf("%s: %v, want 31004", tc.name, got)
		}
	}
	w.s.ExpireToken(time.Second, 0)
	if got := w.s.NaviCheck(time.Second, navi(0, 0)); got != fsm.ConnTokenIncorrect {
		t.Errorf("expired token: %v, want 31004 (the auth says 31020)", got)
	}
	w.s.InvalidateToken(0)
	if got := w.s.NaviCheck(0, navi(0, 0)); got != fsm.ConnTokenIncorrect {
		t.Errorf("invalidated token: %v, want 31004", got)
	}
	checkLive(t, &w.s, map[int16]uint32{})
}
