package sim

import (
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

// TestScenarios runs the transcripts in testdata/scenarios: one case per
// documented behaviour (spec sections 2-8), each a scenario file and the
// text timeline it produces.
//
// Command:
//
//	run [detail] [violations-ok]
//	<scenario YAML, as for sim run --scenario>
//	----
//	<the timeline: trace.FormatText of each record>
//
// The scenario's params are applied onto DefaultParams (a params.profile
// first brings that profile's defaults, and the timeline then shows the
// profile's status names and values); trial 0 of seed 1
// is run. Detail records (messages, timers) are shown only with `detail`.
// Every case is also checked against the property catalogue
// (properties.Check); a violation fails the test unless the case says
// `violations-ok`, in which case the violations are printed after the
// timeline so that the transcript shows them.
//
// Regenerate the expected output with
//
//	go test ./sim -run TestScenarios -rewrite
//
// and read the diff: every line is a claim about the model.
func TestScenarios(t *testing.T) {
	datadriven.Walk(t, "testdata/scenarios", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "run":
				return runScenarioCase(t, d)
			default:
				d.Fatalf(t, "unknown command %q", d.Cmd)
				return ""
			}
		})
	})
}

// parseScenarioCase returns a case's scenario file, its params resolved
// onto DefaultParams (not validated; Detail as the case says) and its
// scenario.
func parseScenarioCase(t *testing.T, d *datadriven.TestData) (*model.File, model.Params, model.Scenario) {
	f, sc, err := model.ParseFile(d.Pos, []byte(d.Input))
	if err != nil {
		d.Fatalf(t, "%v", err)
	}
	p, err := f.Params.Resolve()
	if err != nil {
		d.Fatalf(t, "%v", err)
	}
	p.Detail = d.HasArg("detail")
	return f, p, sc
}

func runScenarioCase(t *testing.T, d *datadriven.TestData) string {
	for _, a := range d.CmdArgs {
		switch a.Key {
		case "detail", "violations-ok":
		default:
			d.Fatalf(t, "unknown argument %q (want detail, violations-ok)", a.Key)
		}
	}
	f, p, sc := parseScenarioCase(t, d)
	if err := p.Validate(); err != nil {
		d.Fatalf(t, "%v", err)
	}
	w := NewWorld(p, sc)
	w.Run(1, 0)

	var b strings.Builder
	for i := range w.Recs {
		r := &w.Recs[i]
		if r.Kind.Detail() && !p.Detail {
			continue
		}
		b.Write(trace.AppendTextProfile(nil, r, p.Client.Profile))
		b.WriteByte('\n')
	}
	vs := properties.Check(properties.ConfigFor(p, sc), w.Recs)
	if d.HasArg("violations-ok") {
		for _, v := range vs {
			b.WriteString("violation: " + v.String() + "\n")
		}
	} else if len(vs) > 0 {
		var msg strings.Builder
		for _, v := range vs {
			msg.WriteString("\n  " + v.String())
		}
		t.Errorf("%s: %q: property violations:%s\ntimeline:\n%s", d.Pos, f.Description, msg.String(), b.String())
	}
	return b.String()
}
