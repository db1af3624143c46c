package review

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rcsim/connsim/explore"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/storm"
)

// Spec is a review file: the question, the alternatives to compare, the
// experiments that compare them and the assumptions whose sensitivity the
// report checks.
type Spec struct {
	File         string // the file's name, for messages
	Title        string
	Question     string
	Seed         uint64
	Alternatives []Alternative
	Experiments  []Experiment
	Sensitivity  []Sensitivity
}

// Alternative is a named parameter set, applied over each experiment's
// own parameters.
type Alternative struct {
	Name   string
	params *yaml.Node
	line   int
}

// Kind is what an experiment runs.
type Kind string

// The experiment kinds.
const (
	KindRun     Kind = "run"     // sim run: Trials trials of the default scenario or of Scenario
	KindStorm   Kind = "storm"   // sim storm: Clients clients through an outage
	KindTrace   Kind = "trace"   // sim trace: trial Trial of Scenario (and Trials-1 more for the measures)
	KindSweep   Kind = "sweep"   // sim sweep: Trials trials at every point of a grid over one or two parameters
	KindExplore Kind = "explore" // sim explore: the exhaustive search of the client core to Depth moves
)

// kinds lists the experiment kinds, for messages.
const kinds = "run, storm, trace, sweep or explore"

// Experiment is one experiment, run once per alternative.
type Experiment struct {
	Name     string
	Kind     Kind
	Trials   int // run; trace: trials Trial..Trial+Trials-1 feed the measures
	Trial    int // trace: the trial whose timeline the report shows
	Depth    int // explore: moves per path
	Scenario string
	Measures []string
	params   *yaml.Node
	line     int
	axes     []Axis // sweep
	// The scenario file (run, trace): its path as the report shows it
	// (relative to where sim review runs), its scenario, its params and
	// the file (for the lines of checks against a run's parameters).
	scenarioShown string
	scenario      *model.Scenario
	fileParams    *model.FileParams
	file          *model.File
}

// Sensitivity varies one parameter of one experiment over Values, for
// every alternative, and says whether the verdict and the headline hold.
type Sensitivity struct {
	Experiment string
	Param      string
	Values     []string
	line       int
}

// Limits of a review file, checked before any work.
const (
	MaxAlternatives = 8
	MaxExperiments  = 8
	MaxValues       = 8
	MaxTrials       = 1000000
	MaxTraceTrials  = 10000 // a trace experiment's trials run one by one, with records
	MaxExploreDepth = 9     // explore.DefaultDepth: a few seconds; sim explore goes deeper
	MaxReviewBytes  = 1 << 20
)

type fileSpec struct {
	Title        string `yaml:"title"`
	Question     string `yaml:"question"`
	Seed         *uint64
	Alternatives []struct {
		Name   string    `yaml:"name"`
		Params yaml.Node `yaml:"params"`
	} `yaml:"alternatives"`
	Experiments []struct {
		Name     string    `yaml:"name"`
		Kind     string    `yaml:"kind"`
		Trials   int       `yaml:"trials"`
		Trial    int       `yaml:"trial"`
		Depth    int       `yaml:"depth"`
		Scenario string    `yaml:"scenario"`
		Measures []string  `yaml:"measures"`
		Params   yaml.Node `yaml:"params"`
		Axes     yaml.Node `yaml:"axes"`
	} `yaml:"experiments"`
	Sensitivity []struct {
		Experiment string   `yaml:"experiment"`
		Param      string   `yaml:"param"`
		Values     []string `yaml:"values"`
	} `yaml:"sensitivity"`
}

// FieldError is a review file's error: "FILE:LINE: field: what is wrong".
type FieldError struct{ Msg string }

func (e *FieldError) Error() string { return e.Msg }

// Parse reads and validates a review file: every alternative's and
// experiment's parameters are applied to the registries (so an unknown
// parameter or a value out of range is named with its line) before any
// work starts. A scenario file an experiment names is read relative to
// the review file's directory.
func Parse(file string, data []byte) (*Spec, error) { return ParseAs(file, file, data) }

// ParseAs is Parse of the review file at path, named file in messages,
// commands and the report (the project's reviews are named from the
// module root while the tests read them from ../docs/reviews).
func ParseAs(path, file string, data []byte) (*Spec, error) {
	if len(data) > MaxReviewBytes {
		return nil, &FieldError{fmt.Sprintf("%s: larger than %d bytes", file, MaxReviewBytes)}
	}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f fileSpec
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &FieldError{fmt.Sprintf("%s: %v", file, strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	if err := dec.Decode(&f); err != nil {
		return nil, &FieldError{fmt.Sprintf("%s: %v", file, strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	at := func(line int, field, format string, a ...any) error {
		return &FieldError{fmt.Sprintf("%s:%d: %s: %s", file, line, field, fmt.Sprintf(format, a...))}
	}
	lines := fieldLines(&root)
	s := &Spec{File: file, Title: strings.TrimSpace(f.Title), Question: strings.TrimSpace(f.Question), Seed: 1}
	if f.Seed != nil {
		s.Seed = *f.Seed
	}
	if s.Title == "" {
		return nil, at(1, "title", "is missing: say what the review decides")
	}
	if len(f.Alternatives) < 2 || len(f.Alternatives) > MaxAlternatives {
		return nil, at(lines["alternatives"], "alternatives", "must list 2 to %d alternatives (got %d)", MaxAlternatives, len(f.Alternatives))
	}
	names := map[string]bool{}
	for i, a := range f.Alternatives {
		field := fmt.Sprintf("alternatives[%d]", i)
		line := lineOr(lines[field], lines["alternatives"])
		if a.Name == "" || names[a.Name] {
			return nil, at(line, field+".name", "must be a name of its own (got %q)", a.Name)
		}
		names[a.Name] = true
		p := a.Params
		s.Alternatives = append(s.Alternatives, Alternative{Name: a.Name, params: &p, line: line})
	}
	if len(f.Experiments) < 1 || len(f.Experiments) > MaxExperiments {
		return nil, at(lines["experiments"], "experiments", "must list 1 to %d experiments (got %d)", MaxExperiments, len(f.Experiments))
	}
	enames := map[string]bool{}
	for i, e := range f.Experiments {
		field := fmt.Sprintf("experiments[%d]", i)
		line := lineOr(lines[field], lines["experiments"])
		if e.Name == "" || enames[e.Name] {
			return nil, at(line, field+".name", "must be a name of its own (got %q)", e.Name)
		}
		enames[e.Name] = true
		x := Experiment{Name: e.Name, Kind: Kind(e.Kind), Trials: e.Trials, Trial: e.Trial, Depth: e.Depth, Scenario: e.Scenario, Measures: e.Measures, line: line}
		p := e.Params
		x.params = &p
		switch x.Kind {
		case KindRun:
			if x.Trials < 1 || x.Trials > MaxTrials {
				return nil, at(line, field+".trials", "must be between 1 and %d (got %d)", MaxTrials, x.Trials)
			}
		case KindStorm:
			if x.Trials != 0 {
				return nil, at(line, field+".trials", "is for kind run; a storm's size is params.clients")
			}
			if x.Scenario != "" {
				return nil, at(line, field+".scenario", "is for kinds run and trace; a storm's clients are params.clients")
			}
		case KindSweep:
			if x.Trials < 1 || x.Trials > MaxTrials {
				return nil, at(line, field+".trials", "must be between 1 and %d per point (got %d)", MaxTrials, x.Trials)
			}
			axes, err := parseAxes(&e.Axes)
			if err != nil {
				return nil, at(lineOr(e.Axes.Line, line), field+".axes", "%v", err)
			}
			x.axes = axes
			for _, ax := range axes {
				if setsParam(x.params, ax.Name) {
					return nil, at(line, field+".params", "sets %s, an axis of the sweep", ax.Name)
				}
			}
			for _, a := range s.Alternatives {
				for _, ax := range axes {
					if setsParam(a.params, ax.Name) {
						return nil, at(a.line, "alternatives", "%s sets %s, an axis of experiment %q", a.Name, ax.Name, x.Name)
					}
				}
			}
		case KindExplore:
			if x.Depth == 0 {
				x.Depth = explore.DefaultDepth
			}
			if x.Depth < 1 || x.Depth > MaxExploreDepth {
				return nil, at(line, field+".depth", "must be between 1 and %d (got %d)", MaxExploreDepth, x.Depth)
			}
			if x.Trials != 0 || x.Scenario != "" {
				return nil, at(line, field, "an explore experiment takes depth and the quirk parameter (the abstract world has no trials and no scenario)")
			}
		case KindTrace:
			if x.Trials == 0 {
				x.Trials = 1
			}
			if x.Trials < 1 || x.Trials > MaxTraceTrials {
				return nil, at(line, field+".trials", "must be between 1 and %d for a trace (got %d)", MaxTraceTrials, x.Trials)
			}
			if x.Trial < 0 || x.Trial > MaxTrials {
				return nil, at(line, field+".trial", "must be between 0 and %d (got %d)", MaxTrials, x.Trial)
			}
		default:
			return nil, at(line, field+".kind", "must be %s (got %q)", kinds, e.Kind)
		}
		if e.Axes.Kind != 0 && x.Kind != KindSweep {
			return nil, at(line, field+".axes", "is for kind sweep")
		}
		if x.Depth != 0 && x.Kind != KindExplore {
			return nil, at(line, field+".depth", "is for kind explore")
		}
		if x.Trial != 0 && x.Kind != KindTrace {
			return nil, at(line, field+".trial", "is for kind trace (the trial whose timeline is shown)")
		}
		if len(x.Measures) == 0 {
			x.Measures = defaultMeasures(x.Kind)
		}
		for _, m := range x.Measures {
			if _, err := measureOf(x.Kind, m); err != nil {
				return nil, at(line, field+".measures", "%v", err)
			}
		}
		if x.Scenario != "" {
			if err := x.loadScenario(path, file); err != nil {
				return nil, at(line, field+".scenario", "%v", err)
			}
		}
		for _, name := range x.Measures {
			if m := mustMeasure(x.Kind, name); x.Kind == KindTrace && m.dev >= len(x.scenarioOf().Devices) {
				return nil, at(line, field+".measures", "%s: the scenario has devices 0 to %d", name, len(x.scenarioOf().Devices)-1)
			}
		}
		s.Experiments = append(s.Experiments, x)
	}
	for i, v := range f.Sensitivity {
		field := fmt.Sprintf("sensitivity[%d]", i)
		line := lineOr(lines[field], lines["sensitivity"])
		x := s.experiment(v.Experiment)
		if x == nil {
			return nil, at(line, field+".experiment", "must name an experiment of this review (got %q)", v.Experiment)
		}
		if x.Kind == KindSweep {
			return nil, at(line, field+".experiment", "%q is a sweep: vary the parameter as one of its axes instead", v.Experiment)
		}
		if len(v.Values) < 1 || len(v.Values) > MaxValues {
			return nil, at(line, field+".values", "must list 1 to %d values (got %d)", MaxValues, len(v.Values))
		}
		s.Sensitivity = append(s.Sensitivity, Sensitivity{Experiment: v.Experiment, Param: v.Param, Values: v.Values, line: line})
	}
	// Every combination must build: checked now, not after an hour of work.
	for _, x := range s.Experiments {
		for _, a := range s.Alternatives {
			if _, err := s.build(x, a, "", ""); err != nil {
				return nil, err
			}
		}
	}
	for i, v := range s.Sensitivity {
		x := s.experiment(v.Experiment)
		for _, val := range v.Values {
			for _, a := range s.Alternatives {
				if _, err := s.build(*x, a, v.Param, val); err != nil {
					return nil, at(v.line, fmt.Sprintf("sensitivity[%d]", i), "%v", err)
				}
			}
		}
	}
	return s, nil
}

func lineOr(line, or int) int {
	if line > 0 {
		return line
	}
	return max(or, 1)
}

// fieldLines maps each top-level key to its line, and "key[i]" to the
// line of item i of a top-level list.
func fieldLines(root *yaml.Node) map[string]int {
	out := map[string]int{}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		m := root.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			out[k.Value] = k.Line
			if v.Kind == yaml.SequenceNode {
				for j, e := range v.Content {
					out[fmt.Sprintf("%s[%d]", k.Value, j)] = e.Line
				}
			}
		}
	}
	return out
}

func (s *Spec) experiment(name string) *Experiment {
	for i := range s.Experiments {
		if s.Experiments[i].Name == name {
			return &s.Experiments[i]
		}
	}
	return nil
}

// setsParam reports whether a params mapping sets key.
func setsParam(n *yaml.Node, key string) bool {
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// loadScenario reads the experiment's scenario file, relative to the
// review file at path (shown as file).
func (x *Experiment) loadScenario(path, file string) error {
	read, shown := x.Scenario, x.Scenario
	if !filepath.IsAbs(x.Scenario) {
		read = filepath.Join(filepath.Dir(path), x.Scenario)
		shown = filepath.Join(filepath.Dir(file), x.Scenario)
	}
	f, sc, err := model.LoadFile(read)
	if err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "--scenario: "))
	}
	x.scenarioShown, x.scenario, x.fileParams, x.file = shown, &sc, &f.Params, f
	return nil
}

// scenarioOf is the experiment's scenario: its file's, else the default.
func (x Experiment) scenarioOf() model.Scenario {
	if x.scenario != nil {
		return *x.scenario
	}
	return model.DefaultScenario()
}

// built is an experiment's parameters for one alternative.
type built struct {
	run   model.Params
	storm storm.Params
}

// build applies the experiment's parameters, then the alternative's, then
// (when param is set) one sensitivity value, and validates the result.
func (s *Spec) build(x Experiment, a Alternative, param, value string) (built, error) {
	var b built
	switch x.Kind {
	case KindRun, KindTrace, KindSweep, KindExplore:
		b.run = model.DefaultParams()
		if x.fileParams != nil {
			if err := x.fileParams.Apply(&b.run); err != nil {
				return b, err
			}
		}
		for _, n := range []*yaml.Node{x.params, a.params} {
			if err := model.ApplyYAML(model.Registry, &b.run, s.File, n); err != nil {
				return b, err
			}
		}
		if param != "" {
			q := model.Registry.Lookup(param)
			if q == nil {
				return b, fmt.Errorf("param: unknown parameter %q of a run", param)
			}
			if err := q.Set(&b.run, value); err != nil {
				return b, fmt.Errorf("%s: %v", param, err)
			}
		}
		if err := b.run.Validate(); err != nil {
			return b, fmt.Errorf("%s:%d: experiment %q with alternative %q: %v", s.File, x.line, x.Name, a.Name, err)
		}
		if x.scenario != nil {
			if err := x.scenario.FitsProfile(b.run); err != nil {
				return b, fmt.Errorf("%s:%d: experiment %q with alternative %q: %v", s.File, x.line, x.Name, a.Name, err)
			}
			if err := x.file.FitsRun(b.run); err != nil {
				return b, fmt.Errorf("%s:%d: experiment %q with alternative %q: %v", s.File, x.line, x.Name, a.Name, err)
			}
		}
		if x.Kind == KindSweep {
			ps, at, err := sweepPoints(x.axes, b.run)
			if err != nil {
				return b, fmt.Errorf("%s:%d: experiment %q with alternative %q: %v", s.File, x.line, x.Name, a.Name, err)
			}
			for i, p := range ps {
				if err := p.Validate(); err != nil {
					return b, fmt.Errorf("%s:%d: experiment %q with alternative %q at %s: %v", s.File, x.line, x.Name, a.Name, strings.Join(at[i], ", "), err)
				}
			}
		}
	case KindStorm:
		b.storm = storm.DefaultParams()
		for _, n := range []*yaml.Node{x.params, a.params} {
			if err := model.ApplyYAML(storm.Registry, &b.storm, s.File, n); err != nil {
				return b, err
			}
		}
		if param != "" {
			q := storm.Registry.Lookup(param)
			if q == nil {
				return b, fmt.Errorf("param: unknown parameter %q of a storm", param)
			}
			if err := q.Set(&b.storm, value); err != nil {
				return b, fmt.Errorf("%s: %v", param, err)
			}
		}
		if err := b.storm.Validate(); err != nil {
			return b, fmt.Errorf("%s:%d: experiment %q with alternative %q: %v", s.File, x.line, x.Name, a.Name, err)
		}
		if len(b.storm.Policies) > 1 {
			return b, errors.New("a storm alternative names one policy; compare policies as alternatives")
		}
	}
	return b, nil
}
