package server

import (
	"reflect"
	"testing"

	"github.com/rcsim/connsim/fsm"
)

func TestReset(t *testing.T) {
	w := newWorld(t)
	w.connect(t, 0, 5)
	w.handle(0, closeMsg(1, 9, false))
	w.s.Policy = PolicyReconnectKicked
	w.s.VerificationFails = true
	w.s.ProxyUnavailable = true
	w.s.Reset()
	if w.s.Policy != PolicyDefault || w.s.VerificationFails || w.s.ProxyUnavailable ||
		len(w.s.AppKeys)+len(w.s.Tokens)+len(w.s.UserBlocked)+len(w.s.Devices) != 0 {
		t.Fatalf("Reset left %+v", w.s)
	}
	if cap(w.s.Devices) == 0 || cap(w.s.slots) == 0 {
		t.Fatal("Reset dropped capacity")
	}
	// Rebuilt from scratch: no memory of the old live session, Close or seqs.
	w.s.AddAppKey(AppValid)
	u := w.s.AddUser()
	d0 := w.s.AddDevice(Device{User: u, Platform: Mobile})
	d1 := w.s.AddDevice(Device{User: u, Platform: Mobile})
	w.s.AddToken(Token{User: u})
	if d0 != 0 || d1 != 1 || u != 0 {
		t.Fatalf("indices after Reset: %d %d %d", u, d0, d1)
	}
	checkLive(t, &w.s, nil)
	w.connect(t, 1, 1) // seq 1 was abandoned before Reset; not now
	o := w.handle(0, pingMsg(0, 5))
	checkOut(t, o, []fsm.Msg{closedMsg(0, 5, fsm.ClosedGone)}, nil)
}

// Fields appended to directly (not via Add*) are picked up.
func TestDirectFieldSetup(t *testing.T) {
	var s Server
	s.AppKeys = append(s.AppKeys, AppValid)
	s.Devices = append(s.Devices, Device{User: 4, Platform: Web})
	s.Tokens = append(s.Tokens, Token{User: 4})
	var out Out
	s.Handle(0, fsm.Msg{Kind: fsm.MsgAuth, Dev: 0, Seq: 1}, false, &out)
	if len(out.Replies) != 1 || out.Replies[0] != okReply(0, 1) {
		t.Fatalf("replies %+v", out.Replies)
	}
	if d, ok := s.Holder(4, Web); !ok || d != 0 {
		t.Fatalf("Holder(4, web) = %d, %v", d, ok)
	}
}

func TestAddDeviceRejectsBadPlatform(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("AddDevice with platform NumPlatforms did not panic")
		}
	}()
	var s Server
	s.AddDevice(Device{User: 0, Platform: NumPlatforms})
}

// TestResetToCopies: ResetTo makes a used server a copy of a template:
// the template's fields, every slice the server's own (writing the copy
// leaves the template as built), and the copy behaves as a fresh server.
func TestResetToCopies(t *testing.T) {
	tmpl := newWorld(t).s
	tmpl.Policy, tmpl.IdleTimeout = PolicyReconnectKicked, 7
	w := newWorld(t)
	w.connect(t, 0, 5)
	w.handle(0, closeMsg(1, 9, false))
	w.s.ResetTo(&tmpl)
	if w.s.Policy != PolicyReconnectKicked || w.s.IdleTimeout != 7 {
		t.Fatalf("ResetTo left policy %v, idle timeout %v", w.s.Policy, w.s.IdleTimeout)
	}
	sv, tv := reflect.ValueOf(&w.s).Elem(), reflect.ValueOf(&tmpl).Elem()
	for i := range sv.NumField() {
		if f := sv.Field(i); f.Kind() == reflect.Slice {
			if f.Len() != tv.Field(i).Len() {
				t.Errorf("%s: %d entries, the template %d", sv.Type().Field(i).Name, f.Len(), tv.Field(i).Len())
			}
			if f.Len() > 0 && f.Pointer() == tv.Field(i).Pointer() {
				t.Errorf("%s shares the template's memory", sv.Type().Field(i).Name)
			}
		}
	}
	checkLive(t, &w.s, nil)
	w.connect(t, 1, 1) // seq 1 was abandoned before ResetTo; not now
	o := w.handle(0, pingMsg(0, 5))
	checkOut(t, o, []fsm.Msg{closedMsg(0, 5, fsm.ClosedGone)}, nil)
	if want := newWorld(t).s; !reflect.DeepEqual(tmpl.devs, want.devs) || !reflect.DeepEqual(tmpl.slots, want.slots) {
		t.Errorf("using the copy changed the template: %+v, %+v", tmpl.devs, tmpl.slots)
	}
}
