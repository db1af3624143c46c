package paramflag

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/rcsim/connsim/param"
)

type model struct {
	Loss  float64
	Limit time.Duration
	N     int
	Mode  string
	Tags  []string
}

var errBad = errors.New("bad")

func testRegistry() *param.Registry[model] {
	return param.NewRegistry(func() model { return model{Limit: 5 * time.Second, N: 2, Mode: "a"} },
		param.Float("loss", "loss", 0, 1, func(m *model) *float64 { return &m.Loss }),
		param.Duration("time-limit", "limit", 0, time.Hour, "no limit", param.Seconds, func(m *model) *time.Duration { return &m.Limit }),
		param.Int("n", "count", 1, 10, func(m *model) *int { return &m.N }),
		param.Enum("mode", "mode", "", []string{"a", "b"}, func(s string) (string, error) {
			if s != "a" && s != "b" {
				return "", errBad
			}
			return s, nil
		}, func(s string) string { return s }, func(m *model) *string { return &m.Mode }),
		param.Custom("tag", "tags", "names", "names", "any names", param.Ops[model]{
			Set:   func(m *model, s string) error { m.Tags = append(m.Tags, s); return nil },
			Get:   func(m *model) string { return strings.Join(m.Tags, ",") },
			JSON:  func(m *model) (any, bool) { return m.Tags, len(m.Tags) > 0 },
			Copy:  func(d, s *model) { d.Tags = s.Tags },
			Reset: func(m *model) { m.Tags = nil },
			Slice: func(m *model) []string { return m.Tags },
		}),
	)
}

func TestFlags(t *testing.T) {
	r := testRegistry()
	for _, c := range []struct {
		args []string
		want string // error text, "" for none
	}{
		{[]string{"--loss", "0.3"}, ""},
		{[]string{"--loss", "1.5"}, "--loss must be between 0 and 1 (got 1.5)"},
		{[]string{"--loss", "NaN"}, `--loss must be a number between 0 and 1 (got "NaN")`},
		{[]string{"--time-limit", "2h"}, "--time-limit must be between 0 and 1h, 0 meaning no limit (got 2h0m0s)"},
		{[]string{"--time-limit", "x"}, `--time-limit must be a Go duration (such as 5s) between 0 and 1h, 0 meaning no limit (got "x")`},
		{[]string{"--n", "11"}, "--n must be between 1 and 10 (got 11)"},
		{[]string{"--n", "99999999999999999999"}, `--n must be an integer between 1 and 10 (got "99999999999999999999")`},
		{[]string{"--mode", "c"}, `--mode must be a or b (got "c")`},
		{[]string{"--tag", "x", "--tag", "y"}, ""},
	} {
		m := model{}
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		AddFlags(fs, r, &m)
		err := fs.Parse(c.args)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if c.want == "" && err != nil || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%v: error %q, want %q", c.args, got, c.want)
		}
	}
}
