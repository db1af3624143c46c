package model

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// A params section of YAML sets the registry's parameters by key, each
// through its flag's parser; a mistake is one FILE:LINE: params.KEY error.
func TestApplyYAML(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"{loss: 0.3, time_limit: 0, quirk: [ignore-timeout, status-lag]}", ""},
		{"", ""},
		{"{loss: 2}", "f.yaml:1: params.loss: must be between 0 and 1 (got 2)"},
		{"\n\nx: 1", "f.yaml:3: params.x: unknown parameter; known: profile, loss,"},
		{"{time-limit: 1s}", "params.time-limit: unknown parameter"},
		{"{loss: 0.1, loss: 0.2}", "f.yaml:1: params.loss: given twice"},
		{"{loss: [1]}", "params.loss: must be "},
		{"[1]", "f.yaml:1: params: must be a mapping"},
	} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(c.doc), &n); err != nil {
			t.Fatal(err)
		}
		var node *yaml.Node
		if len(n.Content) > 0 {
			node = n.Content[0]
		}
		p := DefaultParams()
		err := ApplyYAML(Registry, &p, "f.yaml", node)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if c.want == "" && err != nil || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%q: error %q, want %q", c.doc, got, c.want)
		}
		if c.want == "" && c.doc != "" && (p.Net.Loss != 0.3 || p.TimeLimit != 0 || p.Client.Quirks == 0) {
			t.Errorf("%q: params %+v not set", c.doc, p)
		}
	}
}
