package param

// Lift returns parameter q of a model Q as a parameter of a model P that
// holds a Q (get returns it): the same name, doc, range, unit, JSON key
// and profile defaults, so a second command (sim storm) reuses the first
// model's declarations instead of repeating them.
func Lift[P, Q any](q *Param[Q], get func(*P) *Q) *Param[P] {
	o := q.ops
	ops := Ops[P]{
		Set:   func(p *P, s string) error { return o.Set(get(p), s) },
		Check: func(p *P) error { return o.Check(get(p)) },
		Get:   func(p *P) string { return o.Get(get(p)) },
		Copy:  func(dst, src *P) { o.Copy(get(dst), get(src)) },
	}
	if o.Show != nil {
		ops.Show = func(p *P) string { return o.Show(get(p)) }
	}
	if o.JSON != nil {
		ops.JSON = func(p *P) (any, bool) { return o.JSON(get(p)) }
	}
	if o.Reset != nil {
		ops.Reset = func(p *P) { o.Reset(get(p)) }
		ops.Slice = func(p *P) []string { return o.Slice(get(p)) }
	}
	return &Param[P]{Name: q.Name, Doc: q.Doc, Type: q.Type, Unit: q.Unit, Accepted: q.Accepted,
		jsonKey: q.jsonKey, profiles: q.profiles, ops: ops}
}
