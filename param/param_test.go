package param

import (
	"strings"
	"testing"
	"time"
)

type model struct {
	Loss  float64
	Limit time.Duration
	N     int
	Mode  string
	Tags  []string
}

func testRegistry() *Registry[model] {
	return NewRegistry(func() model { return model{Limit: 5 * time.Second, N: 2, Mode: "a"} },
		Float("loss", "loss", 0, 1, func(m *model) *float64 { return &m.Loss }).JSON("loss"),
		Duration("time-limit", "limit", 0, time.Hour, "no limit", Seconds, func(m *model) *time.Duration { return &m.Limit }).JSON("time_limit_s").Profile("ios", "10s"),
		Int("n", "count", 1, 10, func(m *model) *int { return &m.N }).JSON("n"),
		Enum("mode", "mode", "", []string{"a", "b"}, func(s string) (string, error) {
			if s != "a" && s != "b" {
				return "", errBad
			}
			return s, nil
		}, func(s string) string { return s }, func(m *model) *string { return &m.Mode }),
		Custom("tag", "tags", "names", "names", "any names", Ops[model]{
			Set:   func(m *model, s string) error { m.Tags = append(m.Tags, s); return nil },
			Get:   func(m *model) string { return strings.Join(m.Tags, ",") },
			JSON:  func(m *model) (any, bool) { return m.Tags, len(m.Tags) > 0 },
			Copy:  func(d, s *model) { d.Tags = s.Tags },
			Reset: func(m *model) { m.Tags = nil },
			Slice: func(m *model) []string { return m.Tags },
		}).JSON("tags"),
	)
}

type strErr string

func (e strErr) Error() string { return string(e) }

const errBad = strErr("bad")

func TestDefaultsJSONCopy(t *testing.T) {
	r := testRegistry()
	d, err := r.Defaults("ios")
	if err != nil || d.Limit != 10*time.Second {
		t.Fatalf("ios defaults %+v, %v", d, err)
	}
	if got := r.Profiles(); len(got) != 1 || got[0] != "ios" {
		t.Errorf("profiles %v", got)
	}
	m := model{Loss: 0.5, Limit: 1500 * time.Millisecond, N: 3}
	kv := r.JSON(&m)
	if len(kv) != 3 || kv[0].Key != "loss" || kv[1].Value != 1.5 || kv[2].Value != 3 {
		t.Errorf("JSON %v", kv)
	}
	var dst model
	r.CopyChanged(&dst, &m, func(n string) bool { return n == "n" })
	if dst.N != 3 || dst.Loss != 0 {
		t.Errorf("CopyChanged %+v", dst)
	}
	if err := r.Check(&model{N: 0, Mode: "a"}); err == nil || err.Error() != "--n must be between 1 and 10 (got 0)" {
		t.Errorf("Check: %v", err)
	}
	if md := r.Markdown(); !strings.Contains(md, "| `--time-limit` | `time_limit` | `time_limit_s` | duration | `5s`; ios: `10s` |") {
		t.Errorf("Markdown:\n%s", md)
	}
}

func TestNewRegistryPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a default out of range")
		}
	}()
	NewRegistry(func() model { return model{N: 0} }, Int("n", "n", 1, 2, func(m *model) *int { return &m.N }))
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0", 720 * time.Hour: "720h", 10 * time.Minute: "10m", 90 * time.Second: "1m30s", time.Millisecond: "1ms"} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

type pmodel struct {
	Profile string
	Limit   time.Duration
	N       int
}

// Resolve: the profile's defaults, then the file, then the flags; the
// profile comes from the flags, else the file.
func TestResolve(t *testing.T) {
	r := NewRegistry(func() pmodel { return pmodel{Profile: "android", Limit: 5 * time.Second, N: 1} },
		Enum("profile", "platform", "", []string{"android", "ios"}, func(s string) (string, error) {
			if s != "android" && s != "ios" {
				return "", errBad
			}
			return s, nil
		}, func(s string) string { return s }, func(m *pmodel) *string { return &m.Profile }).SelectsProfile(),
		Duration("time-limit", "limit", 0, time.Hour, "", Seconds, func(m *pmodel) *time.Duration { return &m.Limit }).Profile("ios", "0"),
		Int("n", "n", 1, 10, func(m *pmodel) *int { return &m.N }).Profile("ios", "3"),
	)
	file := func(set map[string]string) func(*pmodel) error {
		return func(m *pmodel) error {
			for k, v := range set {
				if err := r.Lookup(k).Set(m, v); err != nil {
					return err
				}
			}
			return nil
		}
	}
	for _, c := range []struct {
		flags map[string]string
		file  map[string]string
		want  pmodel
	}{
		{nil, nil, pmodel{"android", 5 * time.Second, 1}},
		{map[string]string{"profile": "ios"}, nil, pmodel{"ios", 0, 3}},
		{map[string]string{"profile": "ios", "n": "4"}, nil, pmodel{"ios", 0, 4}},
		{nil, map[string]string{"profile": "ios"}, pmodel{"ios", 0, 3}},
		{map[string]string{"n": "5"}, map[string]string{"profile": "ios", "n": "2"}, pmodel{"ios", 0, 5}},
		{map[string]string{"profile": "android"}, map[string]string{"profile": "ios", "time-limit": "1s"}, pmodel{"android", time.Second, 1}},
	} {
		var flags pmodel
		for k, v := range c.flags {
			if err := r.Lookup(k).Set(&flags, v); err != nil {
				t.Fatal(err)
			}
		}
		got, err := r.Resolve(&flags, func(n string) bool { _, ok := c.flags[n]; return ok }, file(c.file))
		if err != nil || got != c.want {
			t.Errorf("flags %v, file %v: %+v, %v; want %+v", c.flags, c.file, got, err, c.want)
		}
	}
}
