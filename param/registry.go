package param

import (
	"fmt"
	"slices"
	"strings"
)

// Registry is the ordered list of a model's parameters. Its order is the
// order of --help, the parameter table of docs/cli.md, --json "params" and the sweep CSV.
type Registry[P any] struct {
	list     []*Param[P]
	defaults func() P
}

// NewRegistry returns the registry of params; defaults returns the model
// defaults (the default profile's). It panics on a duplicate name, a
// default out of range or a profile default that does not parse: those
// are programming errors, and the package's tests build every registry.
func NewRegistry[P any](defaults func() P, params ...*Param[P]) *Registry[P] {
	r := &Registry[P]{list: params, defaults: defaults}
	seen := map[string]bool{}
	d := defaults()
	for _, q := range params {
		if seen[q.Name] || seen[q.Key()] {
			panic("param: duplicate parameter " + q.Name)
		}
		seen[q.Name], seen[q.Key()] = true, true
		if err := q.Check(&d); err != nil {
			panic(fmt.Sprintf("param: default of %s: %v", q.Name, err))
		}
	}
	for _, prof := range r.Profiles() {
		if _, err := r.Defaults(prof); err != nil {
			panic(fmt.Sprintf("param: profile %s: %v", prof, err))
		}
	}
	return r
}

// All returns the parameters in order.
func (r *Registry[P]) All() []*Param[P] { return r.list }

// Lookup returns the parameter with this command-line name or YAML key.
func (r *Registry[P]) Lookup(name string) *Param[P] {
	for _, q := range r.list {
		if q.Name == name || q.Key() == name {
			return q
		}
	}
	return nil
}

// Profiles returns the profile names some parameter's default depends
// on, in order of first mention.
func (r *Registry[P]) Profiles() []string {
	var out []string
	for _, q := range r.list {
		for _, pd := range q.profiles {
			if !slices.Contains(out, pd.profile) {
				out = append(out, pd.profile)
			}
		}
	}
	return out
}

// Defaults returns the defaults of profile ("" is the base defaults): the
// base defaults with the profile's declared values applied.
func (r *Registry[P]) Defaults(profile string) (P, error) {
	p := r.defaults()
	for _, q := range r.list {
		for _, pd := range q.profiles {
			if pd.profile != profile {
				continue
			}
			if q.Repeatable() {
				q.ops.Reset(&p)
			}
			if err := q.Set(&p, pd.value); err != nil {
				return p, fmt.Errorf("%s: %v", q.Name, err)
			}
		}
	}
	return p, nil
}

// Resolve returns the parameters of a run: the defaults of its profile,
// then what file sets (a scenario file's params; nil for none), then the
// parameters given on the command line (changed(name) is true) taken from
// flags. The profile is the one the flags name, else the file, else the
// default: the parameter marked SelectsProfile.
func (r *Registry[P]) Resolve(flags *P, changed func(name string) bool, file func(*P) error) (P, error) {
	build := func(base P) (P, error) {
		if file != nil {
			if err := file(&base); err != nil {
				return base, err
			}
		}
		r.CopyChanged(&base, flags, changed)
		return base, nil
	}
	p, err := build(r.defaults())
	if err != nil {
		return p, err
	}
	for _, q := range r.list {
		if !q.selects {
			continue
		}
		prof := q.Get(&p)
		base, err := r.Defaults(prof)
		if err != nil {
			return p, &FieldError{Field: "--" + q.Name, Err: err}
		}
		return build(base)
	}
	return p, nil
}

// Check returns the first parameter of p out of range as
// "--NAME must be ... (got ...)", or nil.
func (r *Registry[P]) Check(p *P) error {
	for _, q := range r.list {
		if err := q.Check(p); err != nil {
			return &FieldError{Field: "--" + q.Name, Err: err}
		}
	}
	return nil
}

// CopyChanged copies into dst every parameter for which changed(name) is
// true (e.g. pflag's FlagSet.Changed: the flags given on the command line).
func (r *Registry[P]) CopyChanged(dst, src *P, changed func(name string) bool) {
	for _, q := range r.list {
		if changed(q.Name) {
			q.Copy(dst, src)
		}
	}
}

// FieldError is a bad value of one field: Field is the field as the user
// wrote it ("--loss", "scenario.yaml:3: params.loss:"), Err says what is
// accepted. Its text is one line.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + " " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// Usage is the --help line of q: its doc, its range and the profiles that
// change its default.
func (r *Registry[P]) Usage(q *Param[P]) string {
	s := q.Doc + "; " + q.Accepted
	if len(q.profiles) > 0 {
		var ps []string
		for _, pd := range q.profiles {
			ps = append(ps, pd.profile+" "+pd.value)
		}
		s += "; default with --profile " + strings.Join(ps, ", ")
	}
	return s
}

// KV is one key and value of --json "params".
type KV struct {
	Key   string
	Value any
}

// JSON returns p's parameters that have a JSON key, in order; omitted
// values are left out.
func (r *Registry[P]) JSON(p *P) []KV {
	var out []KV
	for _, q := range r.list {
		if q.jsonKey == "" {
			continue
		}
		if v, ok := q.Value(p); ok {
			out = append(out, KV{q.jsonKey, v})
		}
	}
	return out
}

// JSONKeys returns every JSON key, in order (the sweep CSV columns).
func (r *Registry[P]) JSONKeys() []string {
	var out []string
	for _, q := range r.list {
		if q.jsonKey != "" {
			out = append(out, q.jsonKey)
		}
	}
	return out
}

// Markdown returns the docs' table of the parameters: flag, YAML key,
// unit, default (and per-profile defaults), accepted range, meaning.
func (r *Registry[P]) Markdown() string {
	var b strings.Builder
	b.WriteString("| flag | YAML `params` key | JSON key | unit | default | accepted | meaning |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
	d := r.defaults()
	for _, q := range r.list {
		show := q.Get(&d)
		if q.ops.Show != nil {
			show = q.ops.Show(&d)
		}
		def := "`" + show + "`"
		for _, pd := range q.profiles {
			def += fmt.Sprintf("; %s: `%s`", pd.profile, pd.value)
		}
		js := "-"
		if q.jsonKey != "" {
			js = "`" + q.jsonKey + "`"
		}
		fmt.Fprintf(&b, "| `--%s` | `%s` | %s | %s | %s | %s | %s |\n", q.Name, q.Key(), js, q.Unit, def,
			strings.ReplaceAll(q.Accepted, "|", `\|`), strings.ReplaceAll(q.Doc, "|", `\|`))
	}
	return b.String()
}
