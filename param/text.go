// Parameters as text: what a partial result of a shard stores (format 3)
// and `sim merge` rebuilds, through each parameter's own flag parser.

package param

import (
	"fmt"
	"slices"
	"sort"
)

// Texts returns every parameter of p as its flag text (Get), by name.
func (r *Registry[P]) Texts(p *P) map[string]string {
	out := make(map[string]string, len(r.list))
	for _, q := range r.list {
		out[q.Name] = q.Get(p)
	}
	return out
}

// FromTexts rebuilds the parameters Texts gave: from the base defaults,
// each parameter in registry order set from its text where the text
// differs from the value so far (a repeatable one cleared first), so
// that every value goes through the flag's own parser and range check.
// An error names the parameter ("NAME: must be ..."); a name that is no
// parameter is an error too. A parameter missing from texts keeps its
// default: texts written before it was added (a committed partial) stay
// readable, since a new parameter's default leaves the model as it was.
func (r *Registry[P]) FromTexts(texts map[string]string) (P, error) {
	p := r.defaults()
	var unknown []string
	for name := range texts {
		if !slices.ContainsFunc(r.list, func(q *Param[P]) bool { return q.Name == name }) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return p, fmt.Errorf("%s: not a parameter", unknown[0])
	}
	for _, q := range r.list {
		v, ok := texts[q.Name]
		if !ok {
			continue // a parameter newer than the text keeps its default
		}
		if q.Get(&p) == v {
			continue
		}
		q.Reset(&p)
		if err := q.Set(&p, v); err != nil {
			return p, fmt.Errorf("%s: %v", q.Name, err)
		}
	}
	return p, nil
}
