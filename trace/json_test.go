package trace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// everyKind has one record of every kind and op variant, with exactly the
// fields AppendJSON writes for it set (so that a round trip must be exact).
var everyKind = []Record{
	{T: 0, Kind: KCall, Dev: 0, Op: vocab.OpInit},
	{T: 0, Kind: KCall, Dev: 0, Op: vocab.OpAddListener, Listeners: 7},
	{T: 0, Kind: KCall, Dev: 1, Op: vocab.OpRemoveListener, Listeners: 2},
	{T: 0, Kind: KCall, Dev: 0, Op: vocab.OpConnect, Call: 1, Token: 3, TimeLimit: 5 * time.Second},
	{T: 0, Kind: KCall, Dev: 0, Op: vocab.OpConnect, Call: 2, Token: 0, TimeLimit: -1500 * time.Millisecond},
	{T: 1, Kind: KStatus, Dev: 0, Status: fsm.Connecting, From: fsm.Unconnected, Listeners: 1},
	{T: 1, Kind: KAttempt, Dev: 0, N: 1, Phase: vocab.PhaseStart, Reason: vocab.ReasonConnect, Seq: 1},
	{T: 20 * time.Millisecond, Kind: KCallback, Dev: 0, Name: vocab.CbDatabaseOpened, Code: 0, Call: 1},
	{T: 20 * time.Millisecond, Kind: KCallback, Dev: 0, Name: vocab.CbError, Code: fsm.ConnectionExist, Call: 2},
	{T: 50 * time.Millisecond, Kind: KMsg, Dev: 0, Op: vocab.MsgSend, Msg: vocab.MsgAuth, Seq: 1},
	{T: 50 * time.Millisecond, Kind: KMsg, Dev: 0, Op: vocab.MsgDrop, Msg: vocab.MsgAuthReply, Seq: 1, Code: fsm.ConnTokenIncorrect, Reason: vocab.EnvLoss},
	{T: 60 * time.Millisecond, Kind: KTimer, Dev: 0, Op: vocab.TimerSet, Timer: vocab.TimerAttempt, At: 5060 * time.Millisecond},
	{T: 60 * time.Millisecond, Kind: KTimer, Dev: 0, Op: vocab.TimerFire, Timer: vocab.TimerRetry},
	{T: 5 * time.Second, Kind: KAttempt, Dev: 0, N: 1, Phase: vocab.PhaseFail, Reason: vocab.ReasonAttemptTimeout, Streak: 1, Seq: 1},
	{T: 5 * time.Second, Kind: KAttempt, Dev: 0, N: 2, Phase: vocab.PhaseFail, Reason: vocab.ReasonError, Seq: 2, Code: fsm.ConnTokenExpire, Auto: true},
	{T: 6 * time.Second, Kind: KSession, Dev: 0, Op: vocab.SessOpen, User: 1, Platform: vocab.PlatformMobile, Seq: 2},
	{T: 6 * time.Second, Kind: KSession, Dev: 0, Op: vocab.SessClose, User: 1, Platform: vocab.PlatformMobile, Seq: 2, Reason: vocab.ReasonReplaced},
	{T: 6 * time.Second, Kind: KSession, Dev: 0, Op: vocab.SessClose, User: 1, Platform: vocab.PlatformMobile, Seq: 3, Reason: vocab.ReasonLogout, Push: true},
	{T: 7 * time.Second, Kind: KHeartbeat, Dev: 0, Op: vocab.HbPing, Seq: 3},
	{T: 7 * time.Second, Kind: KMessage, Dev: -1, Op: vocab.MessageSend, User: 1, ID: 4, Conv: 2, Msg: vocab.MessageNormal},
	{T: 7 * time.Second, Kind: KMessage, Dev: 0, Op: vocab.MessageShow, User: 1, ID: 4, Conv: 2, Msg: vocab.MessageNormal, Reason: vocab.PathPull},
	{T: 7 * time.Second, Kind: KMessage, Dev: 0, Op: vocab.MessagePush, User: 1, ID: 5},
	{T: 7 * time.Second, Kind: KLost, Dev: 0, Reason: vocab.ReasonHeartbeat},
	{T: 7 * time.Second, Kind: KEnv, Dev: 1, Op: vocab.EnvNetOff},
	{T: 7 * time.Second, Kind: KEnv, Dev: 1, Op: vocab.EnvLoss, Value: 0.25},
	{T: 7 * time.Second, Kind: KServer, Dev: -1, Op: vocab.SrvTokenExpire, Token: 2},
	{T: 7 * time.Second, Kind: KServer, Dev: -1, Op: vocab.SrvBlockUser, User: 1},
	{T: 7 * time.Second, Kind: KServer, Dev: -1, Op: vocab.SrvUnavailable},
	{T: 7 * time.Second, Kind: KServer, Dev: -1, Op: vocab.SrvAppKeyBlocked},
	{T: 8 * time.Second, Kind: KCall, Dev: 0, Op: vocab.OpDisconnect, Push: true},
	{T: 8 * time.Second, Kind: KCall, Dev: 0, Op: vocab.OpLogout},
	{T: 8 * time.Second, Kind: KStatus, Dev: 0, Status: fsm.SignOut, From: fsm.Suspend},
	{T: 8*time.Second + 1, Kind: KEnd, Dev: -1, Reason: vocab.EndHorizon},
}

func TestAppendJSONGolden(t *testing.T) {
	for _, tc := range []struct {
		r    Record
		want string
	}{
		{Record{T: 50 * time.Millisecond, Kind: KAttempt, Dev: 0, N: 1, Phase: vocab.PhaseStart, Reason: vocab.ReasonConnect, Seq: 1},
			`{"t":0.05,"kind":"attempt","dev":0,"n":1,"phase":"start","reason":"connect","streak":0,"auto":false,"seq":1}`},
		{Record{T: 120 * time.Millisecond, Kind: KStatus, Dev: 0, Status: fsm.Connected, From: fsm.Connecting, Listeners: 1},
			`{"t":0.12,"kind":"status","dev":0,"status":"CONNECTED","value":0,"from":"CONNECTING","from_value":1,"listeners":1}`},
		{Record{T: 5 * time.Second, Kind: KCallback, Dev: 0, Name: vocab.CbError, Code: fsm.ConnectTimeout, Call: 1},
			`{"t":5,"kind":"callback","dev":0,"name":"onError","code":34006,"call":1}`},
		{Record{Kind: KCall, Dev: 2, Op: vocab.OpConnect, Call: 3, Token: 1},
			`{"t":0,"kind":"call","dev":2,"op":"connect","call":3,"token":1,"time_limit":0}`},
		{Record{T: time.Hour + 1, Kind: KEnd, Dev: -1, Reason: vocab.EndHorizon},
			`{"t":3600.000000001,"kind":"end","reason":"horizon"}`},
		{Record{Kind: KServer, Dev: -1, Op: vocab.SrvUnavailable, Value: 0.5},
			`{"t":0,"kind":"server","op":"unavailable","value":0.5}`},
		{Record{Kind: KSession, Dev: 1, Op: vocab.SessClose, User: 0, Platform: vocab.PlatformMobile, Seq: 4, Reason: vocab.ReasonLogout},
			`{"t":0,"kind":"session","dev":1,"op":"close","user":0,"platform":"mobile","seq":4,"reason":"logout","push":false}`},
		// The iOS background close states push (issue 20); an idle close does not.
		{Record{Kind: KSession, Dev: 0, Op: vocab.SessClose, User: 0, Platform: vocab.PlatformMobile, Seq: 1, Reason: vocab.ReasonBackground, Push: true},
			`{"t":0,"kind":"session","dev":0,"op":"close","user":0,"platform":"mobile","seq":1,"reason":"background","push":true}`},
		{Record{Kind: KSession, Dev: 0, Op: vocab.SessClose, User: 0, Platform: vocab.PlatformMobile, Seq: 1, Reason: vocab.ReasonIdle, Push: true},
			`{"t":0,"kind":"session","dev":0,"op":"close","user":0,"platform":"mobile","seq":1,"reason":"idle"}`},
		{Record{Kind: KLost, Dev: 0, Reason: extraWord("a\"b\\c\n\x01\u2028\xff")},
			`{"t":0,"kind":"lost","dev":0,"reason":"a\"b\\c\n\u0001\u2028\ufffd"}`},
	} {
		if got := string(AppendJSON(nil, &tc.r)); got != tc.want {
			t.Errorf("AppendJSON:\n got %s\nwant %s", got, tc.want)
		}
	}
}

// extraWord returns the Word of text s, an extra Word (vocab.Intern) if s
// is outside the vocabulary: the reason of a converted log.
func extraWord(s string) vocab.Word {
	w, ok := vocab.Intern(s)
	if !ok {
		panic("no extra Word left for " + s)
	}
	return w
}

// TestAppendJSONValid checks every encoding is valid JSON whose strings
// decode to the record's strings.
func TestAppendJSONValid(t *testing.T) {
	for _, s := range []string{"", "plain", "quote\"back\\slash", "ctl\x00\x1f\t\r\n", "ünïcødé ✓", "\u2028\u2029", "<&>"} {
		r := Record{Kind: KLost, Dev: 0, Reason: extraWord(s)}
		b := AppendJSON(nil, &r)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%q: invalid JSON %s: %v", s, b, err)
		}
		if m["reason"] != s {
			t.Errorf("%q: decoded as %q", s, m["reason"])
		}
	}
}

// TestSecondsMatchAppendFloat checks the exact decimal writer gives the
// bytes strconv.AppendFloat(float64(d)/1e9, 'f', -1, 64) gives, below 2^23 s.
func TestSecondsMatchAppendFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(d time.Duration) {
		got := string(appendSeconds(nil, d))
		want := strconv.FormatFloat(float64(d)/1e9, 'f', -1, 64)
		if got != want {
			t.Fatalf("%d ns: got %s, AppendFloat gives %s", int64(d), got, want)
		}
	}
	for _, d := range []time.Duration{0, 1, -1, 999999999, 1e9, 50 * time.Millisecond, -5 * time.Second, 1<<23*time.Second - 1} {
		check(d)
	}
	for range 200000 {
		d := time.Duration(rng.Int64N(int64(1 << 23 * time.Second)))
		switch rng.IntN(4) {
		case 0:
			d -= d % time.Millisecond
		case 1:
			d -= d % time.Microsecond
		case 2:
			d = -d
		}
		check(d)
	}
}

func TestRoundTripEveryKind(t *testing.T) {
	seen := map[Kind]bool{}
	var buf bytes.Buffer
	w := NewJSONWriter(&buf)
	for i := range everyKind {
		seen[everyKind[i].Kind] = true
		if err := w.Write(&everyKind[i]); err != nil {
			t.Fatal(err)
		}
	}
	for k := KCall; k <= KEnd; k++ {
		if !seen[k] {
			t.Errorf("everyKind lacks kind %s", k)
		}
	}
	got, err := ReadJSONL(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(everyKind) {
		t.Fatalf("read %d records, wrote %d", len(got), len(everyKind))
	}
	for i := range got {
		if got[i] != everyKind[i] {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got[i], everyKind[i])
		}
	}
}

// TestRoundTripTimes checks exact nanosecond round trips over the whole range.
func TestRoundTripTimes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 100000 {
		d := time.Duration(rng.Uint64())
		if i == 0 {
			d = -1 << 63
		}
		got, err := parseSeconds(appendSeconds(nil, d))
		if err != nil || got != d {
			t.Fatalf("%d: got %d, %v", int64(d), int64(got), err)
		}
	}
}

func TestParseSeconds(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"0", 0, false},
		{"5", 5 * time.Second, false},
		{"0.05", 50 * time.Millisecond, false},
		{"-1.5", -1500 * time.Millisecond, false},
		{"1.0000000004", time.Second, false},
		{"1.0000000005", time.Second + 1, false},
		{"5e-2", 50 * time.Millisecond, false},
		{"1E3", 1000 * time.Second, false},
		{"9223372036.854775807", 1<<63 - 1, false},
		{"9223372036.854775808", 0, true},
		{"-9223372036.854775808", -1 << 63, false},
		{"99999999999999999999", 0, true},
		{"1e300", 0, true},
		{"abc", 0, true},
		{"", 0, true},
		{"-", 0, true},
	} {
		got, err := parseSeconds([]byte(tc.in))
		if (err != nil) != tc.err || (!tc.err && got != tc.want) {
			t.Errorf("parseSeconds(%q) = %d, %v; want %d, err %v", tc.in, int64(got), err, int64(tc.want), tc.err)
		}
	}
}

func TestEncodingDoesNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 1024)
	allocs := testing.AllocsPerRun(100, func() {
		for i := range everyKind {
			buf = AppendJSON(buf[:0], &everyKind[i])
			buf = AppendText(buf[:0], &everyKind[i])
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run of AppendJSON/AppendText", allocs)
	}
}

func BenchmarkAppendJSON(b *testing.B) {
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		for i := range everyKind {
			buf = AppendJSON(buf[:0], &everyKind[i])
		}
	}
}

func BenchmarkDigest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Digest(everyKind)
	}
}

func ExampleAppendJSON() {
	r := Record{T: 50 * time.Millisecond, Kind: KCallback, Dev: 0, Name: vocab.CbSuccess, Call: 1}
	fmt.Println(string(AppendJSON(nil, &r)))
	// Output: {"t":0.05,"kind":"callback","dev":0,"name":"onSuccess","code":0,"call":1}
}
