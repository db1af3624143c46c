package sim

import (
	"context"
	"errors"
	"math"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// The mock clock fires a timer synchronously inside Add, but the goroutine
// running Play needs a moment to wake up and emit. Tests therefore poll,
// for a bounded time only.

// eventually polls cond for at most about a second of real time.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 1000 {
		if cond() {
			return
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// settle gives a goroutine that is not supposed to run a few chances to
// run anyway.
func settle() {
	for range 3 {
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

// player is Play running on its own goroutine, collecting what it emits.
type player struct {
	mu   sync.Mutex
	recs []trace.Record

	done chan struct{}
	res  Result
	err  error
}

func (p *player) emit(r *trace.Record) error {
	p.mu.Lock()
	p.recs = append(p.recs, *r) // r points into w.Recs: copy it
	p.mu.Unlock()
	return nil
}

func (p *player) records() []trace.Record {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.recs)
}

func (p *player) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.recs)
}

func (p *player) finished() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func startPlay(ctx context.Context, clk clock.Clock, w *World, seed uint64, trial int, speed float64) *player {
	p := &player{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.res, p.err = Play(ctx, clk, w, seed, trial, speed, p.emit)
	}()
	return p
}

// wait returns Play's result once it has returned.
func (p *player) wait(t *testing.T) (Result, error) {
	t.Helper()
	eventually(t, "Play to return", p.finished)
	return p.res, p.err
}

// runTrial is the reference: the trial as the virtual-time kernel runs it.
func runTrial(p model.Params, sc model.Scenario, seed uint64, trial int) ([]trace.Record, Result) {
	w := NewWorld(p, sc)
	res := w.Run(seed, trial)
	return slices.Clone(w.Recs), res
}

func lossParams() model.Params {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	return p
}

func noLimitParams() model.Params {
	p := lossParams()
	p.TimeLimit = 0
	p.Detail = true
	return p
}

// dueBy returns how many of recs fall due at or before wall offset e.
func dueBy(recs []trace.Record, speed float64, e time.Duration) int {
	n := 0
	for n < len(recs) && time.Duration(float64(recs[n].T)/speed) <= e {
		n++
	}
	return n
}

// pacer moves a mock clock on under a running Play and checks what it shows.
//
// Every move lands exactly on a due time (or just before one) and only
// once Play has caught up and is blocked on its timer. Mock.Timer(d) sets
// the timer d after the mock's time at the call, so moving the clock past
// a due time while Play is between reading the clock and setting its timer
// would set that timer late; with a real clock that gap is microseconds,
// with a mock it is the whole move.
type pacer struct {
	t     *testing.T
	mock  *clock.Mock
	start time.Time
	pl    *player
	want  []trace.Record
	speed float64
}

// to moves the mock to wall offset e and checks that exactly the records
// due by then have been shown, and no more.
func (p *pacer) to(e time.Duration) {
	p.t.Helper()
	p.mock.Add(e - p.mock.Since(p.start))
	n := dueBy(p.want, p.speed, e)
	eventually(p.t, "records due by "+e.String(), func() bool { return p.pl.count() >= n })
	settle()
	if got := p.pl.records(); !reflect.DeepEqual(got, p.want[:n]) {
		p.t.Fatalf("at wall +%v: shown %d records, want the %d due by then:\ngot  %+v\nwant %+v", e, len(got), n, got, p.want[:n])
	}
}

// dues returns the distinct wall offsets at which the records fall due.
func (p *pacer) dues() []time.Duration {
	var ds []time.Duration
	for _, r := range p.want {
		ds = append(ds, time.Duration(float64(r.T)/p.speed))
	}
	return slices.Compact(ds)
}

// TestPlayPacesOnMockClock advances the mock clock to just before and then
// exactly to each due time, and checks that the records shown are exactly
// the ones due so far.
func TestPlayPacesOnMockClock(t *testing.T) {
	cases := []struct {
		name   string
		p      model.Params
		seed   uint64
		trial  int
		speed  float64
		minDue int // at least this many distinct due times, so the case means something
	}{
		{"default", model.DefaultParams(), 1, 0, 1, 4},
		{"no-limit", noLimitParams(), 1, 0, 4, 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := model.DefaultScenario()
			want, wantRes := runTrial(tc.p, sc, tc.seed, tc.trial)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			mock := clock.NewMock()
			pc := &pacer{t: t, mock: mock, start: mock.Now(), want: want, speed: tc.speed}
			dues := pc.dues()
			if len(dues) < tc.minDue {
				t.Fatalf("trial has %d distinct due times, want at least %d", len(dues), tc.minDue)
			}
			pc.pl = startPlay(ctx, mock, NewWorld(tc.p, sc), tc.seed, tc.trial, tc.speed)

			pc.to(0) // the t=0 records, and nothing else
			sawDB := false
			for _, due := range dues[1:] {
				if due-time.Nanosecond > mock.Since(pc.start) {
					pc.to(due - time.Nanosecond)
					if pc.pl.finished() {
						t.Fatalf("Play returned before its last due time %v", dues[len(dues)-1])
					}
				}
				pc.to(due)
				// The default trial's first Connect gets onDatabaseOpened
				// 20ms after its onSuccess at 300ms (navigation, socket,
				// auth): pc.to showed it at wall +320ms exactly, not before.
				got := pc.pl.records()
				if last := got[len(got)-1]; last.Name == vocab.CbDatabaseOpened || len(got) > 1 && got[len(got)-2].Name == vocab.CbDatabaseOpened {
					sawDB = sawDB || due == 320*time.Millisecond
				}
			}
			if tc.name == "default" && !sawDB {
				t.Errorf("onDatabaseOpened was not among the records shown at wall +320ms")
			}
			res, err := pc.pl.wait(t)
			if err != nil {
				t.Fatal(err)
			}
			if res != wantRes {
				t.Fatalf("result %+v, want %+v", res, wantRes)
			}
		})
	}
}

// driveMock moves the mock clock on, an hour at a time, until done is
// closed. Play then finds each due time already passed and catches up at
// once, so a whole trial costs a few milliseconds of real time.
func driveMock(mock *clock.Mock, done <-chan struct{}) {
	go func() {
		for {
			select {
			case <-done:
				return
			default:
				mock.Add(time.Hour)
			}
		}
	}()
}

// TestPlaySameTrialAsRun checks that Play shows exactly the trial that
// World.Run computes: the same records in the same order, and the same
// result. Play reuses one World across trials, as the CLI does.
func TestPlaySameTrialAsRun(t *testing.T) {
	cases := []struct {
		name string
		p    model.Params
	}{
		{"loss-0.3", lossParams()},
		{"loss-0.3-no-limit-detail", noLimitParams()},
	}
	const seed = 42
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := model.DefaultScenario()
			w := NewWorld(tc.p, sc)
			for trial := range 6 {
				want, wantRes := runTrial(tc.p, sc, seed, trial)
				mock := clock.NewMock()
				pl := startPlay(t.Context(), mock, w, seed, trial, 1)
				driveMock(mock, pl.done)
				res, err := pl.wait(t)
				if err != nil {
					t.Fatalf("trial %d: %v", trial, err)
				}
				if got := pl.records(); !reflect.DeepEqual(got, want) {
					t.Fatalf("trial %d: Play showed\n%+v\nRun computed\n%+v", trial, got, want)
				}
				if res != wantRes {
					t.Fatalf("trial %d: result %+v, want %+v", trial, res, wantRes)
				}
			}
		})
	}
}

// TestPlaySpeed checks that at speed 10 the same trial ends after a tenth of
// the wall time it takes at speed 1.
func TestPlaySpeed(t *testing.T) {
	p := noLimitParams()
	sc := model.DefaultScenario()
	const seed, trial = 1, 0
	want, wantRes := runTrial(p, sc, seed, trial)
	if wantRes.End < time.Second {
		t.Fatalf("trial ends at %v; pick a longer one", wantRes.End)
	}
	for _, speed := range []float64{1, 10} {
		mock := clock.NewMock()
		pc := &pacer{t: t, mock: mock, start: mock.Now(), want: want, speed: speed}
		pc.pl = startPlay(t.Context(), mock, NewWorld(p, sc), seed, trial, speed)
		finish := time.Duration(float64(wantRes.End) / speed)
		for _, due := range pc.dues() {
			if due < finish {
				pc.to(due)
			}
		}
		pc.to(finish - time.Microsecond)
		if pc.pl.finished() {
			t.Fatalf("speed %v: finished before wall +%v", speed, finish)
		}
		pc.to(finish)
		res, err := pc.pl.wait(t)
		if err != nil {
			t.Fatal(err)
		}
		if e := mock.Since(pc.start); e != finish {
			t.Fatalf("speed %v: finished at wall +%v, want +%v", speed, e, finish)
		}
		if res != wantRes {
			t.Fatalf("speed %v: result %+v, want %+v", speed, res, wantRes)
		}
	}
}

// TestPlayCancel checks that canceling ctx stops Play while it waits.
func TestPlayCancel(t *testing.T) {
	p, sc := model.DefaultParams(), model.DefaultScenario()
	want, _ := runTrial(p, sc, 1, 0)
	n0 := dueBy(want, 1, 0)

	ctx, cancel := context.WithCancel(t.Context())
	mock := clock.NewMock()
	pl := startPlay(ctx, mock, NewWorld(p, sc), 1, 0, 1)
	eventually(t, "the t=0 records", func() bool { return pl.count() >= n0 })
	settle()
	if pl.finished() {
		t.Fatal("Play returned without waiting for the clock")
	}
	cancel()
	if _, err := pl.wait(t); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	mock.Add(time.Hour) // nothing is left to fire
	settle()
	if got := pl.records(); !reflect.DeepEqual(got, want[:n0]) {
		t.Fatalf("shown %+v, want only the t=0 records", got)
	}
}

// TestPlayCancelUnpaced checks that cancellation is seen between events
// even when Play never waits (speed +Inf).
func TestPlayCancelUnpaced(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var n int
	_, err := Play(ctx, clock.NewMock(), NewWorld(model.DefaultParams(), model.DefaultScenario()), 1, 0, math.Inf(1),
		func(*trace.Record) error {
			n++
			cancel()
			return nil
		})
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Fatalf("err = %v after %d records, want context.Canceled after 1", err, n)
	}

	if _, err := Play(ctx, clock.NewMock(), NewWorld(model.DefaultParams(), model.DefaultScenario()), 1, 0, 1,
		func(*trace.Record) error { t.Fatal("emit called"); return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("already canceled: err = %v, want context.Canceled", err)
	}
}

// TestPlayErrors checks the argument check and that an emit error stops Play.
func TestPlayErrors(t *testing.T) {
	w := NewWorld(model.DefaultParams(), model.DefaultScenario())
	nop := func(*trace.Record) error { return nil }
	for _, speed := range []float64{0, -1, math.NaN()} {
		if _, err := Play(t.Context(), clock.NewMock(), w, 1, 0, speed, nop); err == nil {
			t.Errorf("speed %v accepted", speed)
		}
	}
	boom := errors.New("boom")
	var n int
	_, err := Play(t.Context(), clock.NewMock(), w, 1, 0, math.Inf(1), func(*trace.Record) error {
		n++
		return boom
	})
	if err != boom || n != 1 {
		t.Fatalf("err = %v after %d records, want boom after 1", err, n)
	}
}
