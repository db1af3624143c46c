// The sweep's outputs: the CSV (one row per grid point) and the short
// table on stdout.

package sweep

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
	path  []int                        // reflect field index path in run.JSONSummary, or
	param func(r *Row) (string, error) // the value of a params column
}

var columns = func() []csvColumn {
	cols := []csvColumn{{name: "seed", param: func(r *Row) (string, error) { return strconv.FormatUint(r.Seed, 10), nil }}}
	for _, q := range model.Registry.All() {
		if q.JSONKey() == "" {
			continue
		}
		cols = append(cols, csvColumn{name: q.JSONKey(), param: func(r *Row) (string, error) {
			v, ok := q.Value(&r.Params)
			if !ok {
				return "", nil
			}
			return csvValue(reflect.ValueOf(v))
		}})
	}
	return append(cols, walkColumns(reflect.TypeFor[run.JSONSummary](), "", nil)...)
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

// WriteCSV writes the header and one row per point.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	header := names(columns)
	msgs := slices.ContainsFunc(rows, func(r Row) bool { return r.Summary.Msg != nil })
	if msgs {
		header = append(header, names(msgColumns)...)
	}
	if err := cw.Write(append(header, "analytic_success")); err != nil {
		return err
	}
	for _, r := range rows {
		// The row is what `sim run --json` prints for the point.
		var buf bytes.Buffer
		if err := run.WriteJSON(&buf, r.Params, r.Seed, r.Summary); err != nil {
			return err
		}
		var js run.JSONSummary
		if err := json.Unmarshal(buf.Bytes(), &js); err != nil {
			return err
		}
		jv := reflect.ValueOf(js)
		rec := make([]string, 0, len(header)+1)
		for _, c := range columns {
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
		if r.HasAnalytic {
			an = csvFloat(r.Analytic)
		}
		if err := cw.Write(append(rec, an)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable prints a short table of the sweep on stdout.
func WriteTable(w io.Writer, rows []Row, byPolicy bool, axes []ParamAxis) error {
	var b strings.Builder
	// Each model-parameter axis with several values has a column.
	var pcols []ParamAxis
	var pwidth []int
	for _, a := range axes {
		if len(a.Values) > 1 {
			wd := len(a.Q.Name)
			for _, r := range rows {
				wd = max(wd, len(a.Q.Get(&r.Params)))
			}
			pcols, pwidth = append(pcols, a), append(pwidth, wd)
		}
	}
	// With several transports or loss models, each row starts with its own.
	net := false
	for _, r := range rows {
		net = net || r.Params.Net.Transport != rows[0].Params.Net.Transport || r.Params.Net.LossModel != rows[0].Params.Net.LossModel
	}
	width := 0
	if byPolicy {
		for _, r := range rows {
			width = max(width, len(r.Policy))
		}
		fmt.Fprintf(&b, "%-*s ", width, "policy")
	}
	for i, a := range pcols {
		fmt.Fprintf(&b, "%-*s ", pwidth[i], a.Q.Name)
	}
	if net {
		fmt.Fprintf(&b, "%-9s %-22s ", "transport", "loss model")
	}
	fmt.Fprintf(&b, "%-10s %-6s %-26s %s\n", "time limit", "loss", "success (95% CI)", "closed form")
	for _, r := range rows {
		an := "-"
		if r.HasAnalytic {
			an = fmt.Sprintf("%.2f%%", 100*r.Analytic)
		}
		if byPolicy {
			fmt.Fprintf(&b, "%-*s ", width, r.Policy)
		}
		for i, a := range pcols {
			fmt.Fprintf(&b, "%-*s ", pwidth[i], a.Q.Get(&r.Params))
		}
		if net {
			fmt.Fprintf(&b, "%-9s %-22s ", r.Params.Net.Transport, FormatModel(r.Params.Net.LossModel))
		}
		fmt.Fprintf(&b, "%-10s %-6g %-26s %s\n", run.LimitText(r.Limit), r.Loss,
			fmt.Sprintf("%.2f%% (%.2f%%-%.2f%%)", 100*r.Summary.SuccessRate, 100*r.Summary.CILow, 100*r.Summary.CIHigh), an)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ColumnNames are the names of the CSV's columns before the message
// columns and analytic_success, in order; MsgColumnNames those of the
// message columns.
func ColumnNames() []string    { return names(columns) }
func MsgColumnNames() []string { return names(msgColumns) }

func names(cols []csvColumn) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}
