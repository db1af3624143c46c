// Package paramflag binds a parameter registry (package param) to
// command-line flags: one pflag flag per parameter, parsed by the
// parameter's own parser, so a flag and its YAML key are one definition.
// It lives under cmd, since nothing below cmd imports a command-line
// library (internal/doccheck's TestImports).
package paramflag

import (
	"slices"

	"github.com/spf13/pflag"

	"github.com/rcsim/connsim/param"
)

// AddFlags registers one flag per parameter of r on fs, bound to p,
// except the names in skip. A bad value fails at parse time with a
// *param.FieldError that names the flag.
func AddFlags[P any](fs *pflag.FlagSet, r *param.Registry[P], p *P, skip ...string) {
	for _, q := range r.All() {
		if slices.Contains(skip, q.Name) {
			continue
		}
		var v pflag.Value = flagValue[P]{q, p}
		if q.Repeatable() {
			v = sliceValue[P]{flagValue[P]{q, p}}
		}
		fs.Var(v, q.Name, r.Usage(q))
	}
}

type flagValue[P any] struct {
	q *param.Param[P]
	p *P
}

func (v flagValue[P]) String() string {
	if v.p == nil {
		return ""
	}
	return v.q.Get(v.p)
}

func (v flagValue[P]) Set(s string) error {
	if err := v.q.Set(v.p, s); err != nil {
		return &param.FieldError{Field: "--" + v.q.Name, Err: err}
	}
	return nil
}

func (v flagValue[P]) Type() string { return v.q.Type }

// sliceValue is a repeatable flag; replay commands list one flag per value.
type sliceValue[P any] struct{ flagValue[P] }

func (v sliceValue[P]) GetSlice() []string    { return v.q.Slice(v.p) }
func (v sliceValue[P]) Append(s string) error { return v.Set(s) }
func (v sliceValue[P]) Replace(ss []string) error {
	v.q.Reset(v.p)
	for _, s := range ss {
		if err := v.Set(s); err != nil {
			return err
		}
	}
	return nil
}

// AddNamed registers the flags of the parameters of r named in names
// alone, in that order, bound to p (a command that takes a few of a
// model's parameters). It panics on a name r does not have.
func AddNamed[P any](fs *pflag.FlagSet, r *param.Registry[P], p *P, names ...string) {
	for _, name := range names {
		q := r.Lookup(name)
		if q == nil {
			panic("paramflag: no parameter " + name)
		}
		fs.Var(flagValue[P]{q, p}, q.Name, r.Usage(q))
	}
}
