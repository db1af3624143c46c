package trace

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

func TestFormatText(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		r    Record
		want string
	}{
		{Record{T: 50 * ms, Kind: KAttempt, Dev: 0, N: 1, Phase: vocab.PhaseStart, Reason: vocab.ReasonConnect, Seq: 1},
			"   0.050000s  dev0  attempt    #1 start (connect) streak=0 seq=1"},
		{Record{T: 120 * ms, Kind: KStatus, Dev: 0, Status: fsm.Connected, From: fsm.Connecting, Listeners: 1},
			"   0.120000s  dev0  status     CONNECTING(1) -> CONNECTED(0)  [1 listener]"},
		{Record{T: 120 * ms, Kind: KCallback, Dev: 0, Name: vocab.CbSuccess, Call: 1},
			"   0.120000s  dev0  callback   onSuccess call=1"},
		{Record{T: 5 * time.Second, Kind: KCallback, Dev: 0, Name: vocab.CbError, Code: fsm.ConnectTimeout, Call: 1},
			"   5.000000s  dev0  callback   onError 34006 RC_CONNECT_TIMEOUT call=1"},
		{Record{T: 20 * ms, Kind: KCallback, Dev: 3, Name: vocab.CbDatabaseOpened, Call: 2},
			"   0.020000s  dev3  callback   onDatabaseOpened DATABASE_OPEN_SUCCESS call=2"},
		{Record{T: 0, Kind: KCall, Dev: 0, Op: vocab.OpConnect, Call: 1, TimeLimit: 5 * time.Second},
			"   0.000000s  dev0  call       connect call=1 token=0 time_limit=5s"},
		{Record{T: 0, Kind: KCall, Dev: 11, Op: vocab.OpConnect, Call: 2, Token: 1},
			"   0.000000s  dev11 call       connect call=2 token=1 no time limit"},
		{Record{T: 3601 * time.Second, Kind: KStatus, Dev: 1, Status: fsm.SignOut, From: fsm.Suspend, Listeners: 2},
			"3601.000000s  dev1  status     SUSPEND(13) -> SIGN_OUT(12)  [2 listeners]"},
		{Record{T: 5 * time.Second, Kind: KAttempt, Dev: 0, N: 3, Phase: vocab.PhaseFail, Reason: vocab.ReasonError, Code: fsm.ConnTokenIncorrect, Seq: 3, Auto: true},
			"   5.000000s  dev0  attempt    #3 fail (error) 31004 RC_CONN_TOKEN_INCORRECT streak=0 seq=3 auto"},
		{Record{T: 1, Kind: KEnd, Dev: -1, Reason: vocab.EndHorizon},
			"   0.000000s  srv   end        horizon"},
		{Record{T: 1500, Kind: KSession, Dev: 0, Op: vocab.SessClose, User: 1, Platform: vocab.PlatformMobile, Seq: 2, Reason: vocab.OpLogout, Push: true},
			"   0.000002s  dev0  session    close user=1 mobile seq=2 (logout) push=true"},
		{Record{T: 7 * ms, Kind: KTimer, Dev: 0, Op: vocab.TimerSet, Timer: vocab.TimerAttempt, At: 5007 * ms},
			"   0.007000s  dev0  timer      set attempt at=5.007000s"},
		{Record{T: 7 * ms, Kind: KMsg, Dev: 0, Op: vocab.MsgDrop, Msg: vocab.MsgAuth, Seq: 1, Reason: vocab.EnvLoss},
			"   0.007000s  dev0  msg        drop auth seq=1 (loss)"},
		{Record{T: 7 * ms, Kind: KHeartbeat, Dev: 0, Op: vocab.HbMiss, Seq: 4},
			"   0.007000s  dev0  heartbeat  miss seq=4"},
		{Record{T: 7 * ms, Kind: KServer, Dev: -1, Op: vocab.SrvUnavailable, Value: 0.5},
			"   0.007000s  srv   server     unavailable 0.5"},
	} {
		if got := FormatText(&tc.r); got != tc.want {
			t.Errorf("FormatText:\n got %q\nwant %q", got, tc.want)
		}
	}
}

func TestTextWriter(t *testing.T) {
	var buf bytes.Buffer
	if err := NewTextWriter(&buf).WriteAll(everyKind); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(everyKind) {
		t.Fatalf("%d lines for %d records", len(lines), len(everyKind))
	}
	for i, l := range lines {
		if l != FormatText(&everyKind[i]) || l[12:14] != "  " || l[11] != 's' {
			t.Errorf("line %d: %q", i, l)
		}
	}
}
