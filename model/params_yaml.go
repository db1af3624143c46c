// A registry's parameters from YAML: the params section of a scenario
// file (and of a review file, package review), each value through its
// flag's own parser. YAML is model's to read: below cmd, only the file
// formats' parsers import it (internal/doccheck's TestImports).

package model

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rcsim/connsim/param"
)

// ApplyYAML sets the parameters of registry r that a YAML mapping names
// (a scenario file's or a review's params section) in p. file names the file in errors, which read
// "FILE:LINE: params.KEY: must be ...". A nil or empty node sets nothing.
func ApplyYAML[P any](r *param.Registry[P], p *P, file string, n *yaml.Node) error {
	if n == nil || n.Kind == 0 {
		return nil
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	at := func(n *yaml.Node, field string) string { return fmt.Sprintf("%s:%d: %s:", file, n.Line, field) }
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return &param.FieldError{Field: at(n, "params"), Err: errors.New("must be a mapping of parameter names to values, such as {loss: 0.3, time_limit: 5s}")}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		field := "params." + k.Value
		q := r.Lookup(k.Value)
		if q == nil || q.Key() != k.Value {
			return &param.FieldError{Field: at(k, field), Err: fmt.Errorf("unknown parameter; known: %s", strings.Join(yamlKeys(r), ", "))}
		}
		if seen[k.Value] {
			return &param.FieldError{Field: at(k, field), Err: errors.New("given twice")}
		}
		seen[k.Value] = true
		if v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		switch {
		case v.Kind == yaml.ScalarNode:
			q.Reset(p)
			if err := q.Set(p, v.Value); err != nil {
				return &param.FieldError{Field: at(v, field), Err: err}
			}
		case v.Kind == yaml.SequenceNode && q.Repeatable():
			q.Reset(p)
			for _, e := range v.Content {
				if e.Kind != yaml.ScalarNode {
					return &param.FieldError{Field: at(e, field), Err: fmt.Errorf("must be a list of %s", q.Accepted)}
				}
				if err := q.Set(p, e.Value); err != nil {
					return &param.FieldError{Field: at(e, field), Err: err}
				}
			}
		default:
			return &param.FieldError{Field: at(v, field), Err: fmt.Errorf("must be %s (got a %s)", q.Accepted, kindName(v.Kind))}
		}
	}
	return nil
}

// yamlKeys are the registry's YAML keys, in order.
func yamlKeys[P any](r *param.Registry[P]) []string {
	var ks []string
	for _, q := range r.All() {
		ks = append(ks, q.Key())
	}
	return ks
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "YAML node"
}
