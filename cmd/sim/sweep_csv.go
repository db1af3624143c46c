// The sweep's outputs: the CSV (one row per grid point) and the short
// table on stdout.

package main

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/run"
)

// The CSV has one column per field of `sim run --json` (its "params"
// first, then the summary), in the order of the JSON, then
// analytic_success. The columns come from the types, so that a field added
// to the JSON output becomes a column of every sweep; each row is the
// point's `sim run --json` object, decoded and flattened:
//
//   - a nested object becomes one column per field, named PARENT_FIELD,
//     with a unit suffix kept last (ttc_ms.p50 is ttc_p50_ms);
//   - a map (errors, violations_by_property) is KEY:VALUE pairs sorted by
//     key and joined by ";", such as 34006:5141 (empty when empty);
//   - a list (failing_trials) is its compact JSON (empty when empty);
//   - numbers are written in full, never with an exponent.
type csvColumn struct {
	name  string
	path  []int                             // reflect field index path in jsonSummary, or
	param func(r *sweepRow) (string, error) // the value of a params column
}

var sweepColumns = func() []csvColumn {
	cols := []csvColumn{{name: "seed", param: func(r *sweepRow) (string, error) { return strconv.FormatUint(r.seed, 10), nil }}}
	for _, q := range model.Registry.All() {
		if q.JSONKey() == "" {
			continue
		}
		cols = append(cols, csvColumn{name: q.JSONKey(), param: func(r *sweepRow) (string, error) {
			v, ok := q.Value(&r.p)
			if !ok {
				return "", nil
			}
			return csvValue(reflect.ValueOf(v))
		}})
	}
	return append(cols, walkColumns(reflect.TypeFor[jsonSummary](), "", nil)...)
}()

// msgColumns are the columns of the message measures (the "messages"
// object of `sim run --json`, named messages_FIELD), paths in
// run.MsgSummary. A sweep has them only when some point carried messages,
// so that the CSV of a sweep without messages is what it was before them.
var msgColumns = walkColumns(reflect.TypeFor[run.MsgSummary](), "messages_", nil)

// walkColumns returns the columns of struct type t's JSON fields, named
// prefix+tag, a nested struct's fields PARENT_FIELD; it leaves out the
// params and the message measures (a pointer: msgColumns).
func walkColumns(t reflect.Type, prefix string, path []int) []csvColumn {
	var cols []csvColumn
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" || !f.IsExported() || tag == "params" || f.Type.Kind() == reflect.Pointer {
			continue
		}
		p := append(slices.Clone(path), i)
		if f.Anonymous {
			cols = append(cols, walkColumns(f.Type, prefix, p)...)
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		if f.Type.Kind() == reflect.Struct {
			cols = append(cols, walkColumns(f.Type, prefix+tag+"_", p)...)
			continue
		}
		name := prefix + tag
		for _, unit := range []string{"_ms_", "_s_"} {
			if a, b, ok := strings.Cut(prefix, unit); ok && b == "" {
				name = a + "_" + tag + unit[:len(unit)-1]
			}
		}
		cols = append(cols, csvColumn{name: name, path: p})
	}
	return cols
}

// csvFloat formats without exponent, shortest exact form.
func csvFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// csvValue encodes one field.
func csvValue(v reflect.Value) (string, error) {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return csvFloat(v.Float()), nil
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			if a.CanInt() && b.CanInt() {
				return cmp.Compare(a.Int(), b.Int())
			}
			return cmp.Compare(fmt.Sprint(a.Interface()), fmt.Sprint(b.Interface()))
		})
		var parts []string
		for _, k := range keys {
			kv, vv := k.Interface(), v.MapIndex(k).Interface()
			if k.CanInt() {
				kv = k.Int() // the number, not a String() method
			}
			parts = append(parts, fmt.Sprintf("%v:%v", kv, vv))
		}
		return strings.Join(parts, ";"), nil
	case reflect.Slice, reflect.Array, reflect.Struct, reflect.Interface, reflect.Pointer:
		if v.Kind() == reflect.Slice && v.Len() == 0 || v.Kind() == reflect.Pointer && v.IsNil() {
			return "", nil
		}
		b, err := json.Marshal(v.Interface())
		return string(b), err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), nil
	default:
		return fmt.Sprint(v.Interface()), nil
	}
}

// writeSweepCSV writes the header and one row per point.
func writeSweepCSV(w io.Writer, rows []sweepRow) error {
	cw := csv.NewWriter(w)
	header := make([]string, 0, len(sweepColumns)+len(msgColumns)+1)
	for _, c := range sweepColumns {
		header = append(header, c.name)
	}
	msgs := slices.ContainsFunc(rows, func(r sweepRow) bool { return r.s.Msg != nil })
	if msgs {
		for _, c := range msgColumns {
			header = append(header, c.name)
		}
	}
	if err := cw.Write(append(header, "analytic_success")); err != nil {
		return err
	}
	for _, r := range rows {
		// The row is what `sim run --json` prints for the point.
		var buf bytes.Buffer
		if err := writeJSON(&buf, r.p, r.seed, r.s); err != nil {
			return err
		}
		var js jsonSummary
		if err := json.Unmarshal(buf.Bytes(), &js); err != nil {
			return err
		}
		jv := reflect.ValueOf(js)
		rec := make([]string, 0, len(header)+1)
		for _, c := range sweepColumns {
			var v string
			var err error
			if c.param != nil {
				v, err = c.param(&r)
			} else {
				v, err = csvValue(jv.FieldByIndex(c.path))
			}
			if err != nil {
				return err
			}
			rec = append(rec, v)
		}
		for _, c := range msgColumns {
			if !msgs {
				break
			}
			v := ""
			if js.Msg != nil {
				var err error
				if v, err = csvValue(reflect.ValueOf(*js.Msg).FieldByIndex(c.path)); err != nil {
					return err
				}
			}
			rec = append(rec, v)
		}
		an := ""
		if r.hasAnalytic {
			an = csvFloat(r.analytic)
		}
		if err := cw.Write(append(rec, an)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeSweepTable prints a short table of the sweep on stdout.
func writeSweepTable(w io.Writer, rows []sweepRow, byPolicy bool, axes []paramAxis) error {
	var b strings.Builder
	// Each model-parameter axis with several values has a column.
	var pcols []paramAxis
	var pwidth []int
	for _, a := range axes {
		if len(a.values) > 1 {
			wd := len(a.q.Name)
			for _, r := range rows {
				wd = max(wd, len(a.q.Get(&r.p)))
			}
			pcols, pwidth = append(pcols, a), append(pwidth, wd)
		}
	}
	// With several transports or loss models, each row starts with its own.
	net := false
	for _, r := range rows {
		net = net || r.p.Net.Transport != rows[0].p.Net.Transport || r.p.Net.LossModel != rows[0].p.Net.LossModel
	}
	width := 0
	if byPolicy {
		for _, r := range rows {
			width = max(width, len(r.policy))
		}
		fmt.Fprintf(&b, "%-*s ", width, "policy")
	}
	for i, a := range pcols {
		fmt.Fprintf(&b, "%-*s ", pwidth[i], a.q.Name)
	}
	if net {
		fmt.Fprintf(&b, "%-9s %-22s ", "transport", "loss model")
	}
	fmt.Fprintf(&b, "%-10s %-6s %-26s %s\n", "time limit", "loss", "success (95% CI)", "closed form")
	for _, r := range rows {
		an := "-"
		if r.hasAnalytic {
			an = fmt.Sprintf("%.2f%%", 100*r.analytic)
		}
		if byPolicy {
			fmt.Fprintf(&b, "%-*s ", width, r.policy)
		}
		for i, a := range pcols {
			fmt.Fprintf(&b, "%-*s ", pwidth[i], a.q.Get(&r.p))
		}
		if net {
			fmt.Fprintf(&b, "%-9s %-22s ", r.p.Net.Transport, formatModel(r.p.Net.LossModel))
		}
		fmt.Fprintf(&b, "%-10s %-6g %-26s %s\n", limitText(r.limit), r.loss,
			fmt.Sprintf("%.2f%% (%.2f%%-%.2f%%)", 100*r.s.SuccessRate, 100*r.s.CILow, 100*r.s.CIHigh), an)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
