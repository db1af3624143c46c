package sim

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/zoo"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

// TestOpeningSameTrace: a trial Run restores from the World's opening
// (opening.go), on a server Run copies from the template only after a
// trial used it (World.srvUsed), has the trace, the result and the event
// count the same trial has when run step by step from Begin, which never
// uses the opening and always copies the server: for every scenario of
// testdata/scenarios, as written, at loss 0.3, and at loss 0.3 with the
// wrapper API or with each quirk, trials 0 to 39 on one World (the first
// records the opening, the second goes on into the Connect after it, the
// others restore that).
func TestOpeningSameTrace(t *testing.T) {
	needOpening(t)
	restored, inConn, tail := 0, 0, 0
	datadriven.Walk(t, "testdata/scenarios", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			_, p, sc := parseScenarioCase(t, d)
			for v, p := range variants(p,
				func(p *model.Params) {},
				func(p *model.Params) { p.Net.Loss = 0.3 },
				func(p *model.Params) { p.Net.Loss, p.Client.API = 0.3, fsm.APIWrapper },
				// the Connect's first message (auth) reaches the server as
				// the attempt timer set after it fires (5 s): a tie, the
				// session's record before the attempt's failure
				func(p *model.Params) {
					p.Net.Loss, p.Net.Latency, p.TimeLimit, p.Client.Attempt = 0.3, 5*time.Second, 0, fsm.AttemptAuth
				},
			) {
				run, stepped := NewWorld(p, sc), NewWorld(p, sc)
				for k := range 40 {
					res := run.Run(1, k)
					stepped.Begin(1, k)
					for stepped.Step() {
					}
					if !slices.Equal(run.Recs, stepped.Recs) || !reflect.DeepEqual(res, stepped.Result()) || run.Events() != stepped.Events() {
						t.Fatalf("%s: variant %d, trial %d: Run and Begin/Step differ:\n%v\n%v", d.Pos, v, k, run.Recs, stepped.Recs)
					}
				}
				if run.op.state == openReady {
					restored++
				}
				if run.op.inConn {
					inConn++
				}
				if run.op.inConn && run.op.tail {
					tail++
				}
			}
			return d.Expected
		})
	})
	if restored == 0 || inConn == 0 || tail == 0 {
		t.Errorf("%d scenario runs restored an opening, %d into a Connect, %d past its sends' quiet effects: the test tests too little", restored, inConn, tail)
	}
	t.Logf("%d scenario runs restored an opening, %d into a Connect, %d past its sends' quiet effects", restored, inConn, tail)
}

// variants returns p changed by each of vary, then at loss 0.3 with each
// quirk: those that validate.
func variants(p model.Params, vary ...func(p *model.Params)) []model.Params {
	for _, q := range fsm.QuirkList {
		vary = append(vary, func(p *model.Params) { p.Net.Loss, p.Client.Quirks = 0.3, q.Quirk })
	}
	var out []model.Params
	for _, f := range vary {
		p := p
		f(&p)
		if p.Validate() == nil {
			out = append(out, p)
		}
	}
	return out
}

// TestCheckFromOpeningSameVerdicts: RunCheckedRange, whose Monitor
// resumes each trace from the World's opening (checkFromOpening), gives
// each trial the violations that checking its trace from the start gives
// (properties.Check, and P8's offline one), message for message: for
// every scenario of testdata/scenarios at loss 0.3, and with each quirk,
// trials 0 to 149 in two ranges.
func TestCheckFromOpeningSameVerdicts(t *testing.T) {
	needOpening(t)
	given, trials := 0, 0
	datadriven.Walk(t, "testdata/scenarios", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			_, p, sc := parseScenarioCase(t, d)
			for v, p := range variants(p, func(p *model.Params) { p.Net.Loss = 0.3 }) {
				pcfg := properties.ConfigFor(p, sc)
				w, ref := NewWorld(p, sc), NewWorld(p, sc)
				outs := make([]TrialOutcome, 150)
				n := w.RunCheckedRange(1, 0, 70, pcfg, outs)
				n += w.RunCheckedRange(1, 70, len(outs), pcfg, outs[70:])
				if len(w.mon.Prefix()) > 0 {
					given++
				}
				for k, o := range outs[:n] {
					var rt ranTrial
					ref.runOne(1, k, &rt, new(Result))
					if o.Err != nil || rt.err != nil {
						break
					}
					want := properties.Check(pcfg, ref.Recs)
					if rt.hasOff {
						want = append(want, rt.offline)
					}
					if o.NViolations != len(want) || !slices.Equal(o.Violations, want[:min(len(want), MaxViolationsKept)]) {
						t.Fatalf("%s: variant %d, trial %d: %d violations %v, from the start %d %v", d.Pos, v, k, o.NViolations, o.Violations, len(want), want)
					}
					trials++
				}
			}
			return d.Expected
		})
	})
	if given == 0 {
		t.Error("no World gave its Monitor an opening: the test tests nothing")
	}
	t.Logf("%d trials, %d Worlds gave their Monitor an opening", trials, given)
}

// TestCheckBegunOnlyRestored: check skips comparing a trace's first
// records with the Monitor's prefix (CheckBegun) only for a trial that
// Run restored from the opening the World gave the Monitor. Trials 1 to
// 64 of the checked World, run as RunCheckedRange runs them: the first
// records the opening and the second, restored from it, keeps it again
// further into the Connect (the prefix given); each of those two has a
// status record of its trace's first records changed between its run and
// its check, and must get the changed trace's verdict from the start
// (properties.Check), which resuming from the prefix's state misses. The
// others were restored from the prefix given, and take the skip.
func TestCheckBegunOnlyRestored(t *testing.T) {
	needOpening(t)
	w, pcfg := checkedWorld()
	w.setChecks(&pcfg)
	const from, k = 1, 64
	w.ran.batch = make([]ranTrial, k)
	outs := make([]TrialOutcome, k)
	if ran := w.runBatch(1, from, k, outs); ran != k {
		t.Fatalf("ran %d trials, want %d", ran, k)
	}
	w.checkFromOpening()
	pre := w.mon.Prefix()
	if len(pre) == 0 || !w.op.inConn {
		t.Fatalf("prefix of %d records, inConn %v: want the opening kept again into the Connect", len(pre), w.op.inConn)
	}
	st := slices.IndexFunc(pre, func(r trace.Record) bool { return r.Kind == trace.KStatus })
	if st < 0 {
		t.Fatal("no status record in the prefix")
	}
	want := make([][]properties.Violation, k)
	for i := range 2 {
		r := w.ran.batch[i].recs
		if !slices.Equal(r[:len(pre)], pre) {
			t.Fatalf("trial %d does not begin with the prefix", from+i)
		}
		before := properties.Check(pcfg, r)
		r[st].Listeners++ // P7: the listeners told are not those registered
		if want[i] = properties.Check(pcfg, r); slices.Equal(want[i], before) {
			t.Fatalf("trial %d: the changed record changes no verdict", from+i)
		}
	}
	skipped := 0
	for i := 2; i < k; i++ {
		if w.ran.batch[i].began == w.monGen {
			skipped++
		}
	}
	if skipped != k-2 {
		t.Errorf("%d of %d trials restored from the prefix given take the skip", skipped, k-2)
	}
	if n, stop := w.checkBatched(1, from, k, outs); n != k || stop {
		t.Fatalf("checked %d, stop %v", n, stop)
	}
	for i := range 2 {
		if o := &outs[i]; o.NViolations != len(want[i]) || !slices.Equal(o.Violations, want[i][:min(len(want[i]), MaxViolationsKept)]) {
			t.Errorf("trial %d (not restored from the prefix given): %d violations %v, from the start %v", from+i, o.NViolations, o.Violations, want[i])
		}
	}
}

// TestOpeningRecordsKept: a trial Run restores keeps the opening's records
// where its trace buffer already holds them (World.recsGen) and has the
// trace Begin/Step gives: on the checked World, over batches of
// RunCheckedRange's runs (each trace taking another trial's buffer), with
// a trial by Begin/Step, RunChecked's trials (one replayed, P11) and Runs
// in between. Before every run, each buffer that claims no opening's
// records (its recsGen not the opening's gen) has its records overwritten,
// and so has the trace of the trial Begin started, which claims nothing:
// a run that trusts such a buffer shows in its trace.
func TestOpeningRecordsKept(t *testing.T) {
	needOpening(t)
	w, pcfg := checkedWorld()
	ref := NewWorld(w.p, w.sc)
	w.setChecks(&pcfg)
	const k = 16
	w.ran.batch = make([]ranTrial, k)
	outs := make([]TrialOutcome, k)
	scribble := func(recs []trace.Record) {
		recs = recs[:cap(recs)]
		for i := range recs {
			recs[i] = trace.Record{T: -1, Kind: trace.KEnv}
		}
	}
	untrusted := func() {
		if w.recsGen != w.op.gen {
			scribble(w.Recs)
		}
		for i := range w.ran.batch {
			if b := &w.ran.batch[i]; b.recsGen != w.op.gen {
				scribble(b.recs)
			}
		}
	}
	same := func(how string, trial int, recs []trace.Record) {
		t.Helper()
		ref.Begin(1, trial)
		for ref.Step() {
		}
		if !slices.Equal(recs, ref.Recs) {
			t.Fatalf("trial %d (%s): its trace differs from Begin/Step's:\n%v\n%v", trial, how, recs, ref.Recs)
		}
	}
	kept, trial := 0, 0
	for round := range 9 {
		untrusted()
		for i := range w.ran.batch {
			if w.ran.batch[i].recsGen == w.op.gen && w.op.gen != 0 {
				kept++ // the buffer the next trial of the batch swaps in
			}
		}
		if ran := w.runBatch(1, trial, k, outs); ran != k {
			t.Fatalf("ran %d trials, want %d", ran, k)
		}
		for i := range k {
			same("runBatch", trial+i, w.ran.batch[i].recs)
		}
		trial += k
		untrusted()
		switch round % 3 {
		case 0:
			w.Begin(1, trial)
			for w.Step() {
			}
			same("Begin/Step", trial, w.Recs)
			scribble(w.Recs)
		case 1:
			trial = (trial/determinismEvery + 1) * determinismEvery // replayed
			if w.recsGen == w.op.gen {
				kept++
			}
			if o := w.RunChecked(1, trial, pcfg); o.Err != nil || o.NViolations != 0 {
				t.Fatalf("trial %d (RunChecked): %v %v", trial, o.Err, o.Violations)
			}
			same("RunChecked", trial, w.Recs)
		default:
			if w.recsGen == w.op.gen {
				kept++
			}
			w.Run(1, trial)
			same("Run", trial, w.Recs)
		}
		trial++
	}
	if kept < k {
		t.Errorf("%d runs found the opening's records in place: the test tests too little", kept)
	}
	t.Logf("%d runs found the opening's records in place", kept)
}

// needOpening skips a test of the opening in a build with the bug zoo
// (-tags zoo), where a World records no opening (recordOpening: the
// zoo's mutants tamper with effects), so there is nothing to compare and
// the tests' checks that they tested something would fail.
func needOpening(t *testing.T) {
	t.Helper()
	if zoo.Enabled {
		t.Skip("a build with the bug zoo records no opening")
	}
}
