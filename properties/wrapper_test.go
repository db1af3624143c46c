package properties

import (
	"strings"
	"testing"

	"github.com/rcsim/connsim/trace"
)

// P19 (a refused call stays silent): under the wrapper API a connect call
// record that carries a non-zero return code is refused at once; any
// callback of that call is a violation, and the refusal is no P9 matter
// (no rejection callback is due). A call that returned 0 is an ordinary
// call.
func TestP19(t *testing.T) {
	const base = `{"t":0,"kind":"call","dev":0,"op":"init"}
{"t":0,"kind":"call","dev":0,"op":"connect","call":1,"token":0,"time_limit":0}
{"t":0,"kind":"status","dev":0,"status":"CONNECTING","value":1,"from":"UNCONNECTED","from_value":2,"listeners":0}
{"t":0,"kind":"attempt","dev":0,"n":1,"phase":"start","reason":"connect","streak":0,"auto":false,"seq":1}
{"t":0.05,"kind":"session","dev":0,"op":"open","user":0,"platform":"mobile","seq":1}
{"t":0.1,"kind":"attempt","dev":0,"n":1,"phase":"ok","reason":"","streak":0,"auto":false,"seq":1}
{"t":0.1,"kind":"status","dev":0,"status":"CONNECTED","value":0,"from":"CONNECTING","from_value":1,"listeners":0}
{"t":0.1,"kind":"callback","dev":0,"name":"onSuccess","code":0,"call":1}
{"t":0.12,"kind":"callback","dev":0,"name":"onDatabaseOpened","code":0,"call":1}
{"t":1,"kind":"call","dev":0,"op":"connect","call":2,"token":0,"time_limit":0,"code":34001}
`
	for _, c := range []struct {
		name, tail string
		want       string // "" = no violation at all
	}{
		{"silent", `{"t":2,"kind":"end","reason":"settled"}`, ""},
		{"callback after a non-zero return", `{"t":1,"kind":"callback","dev":0,"name":"onError","code":34001,"call":2}
{"t":2,"kind":"end","reason":"settled"}`, "P19"},
	} {
		recs, err := trace.ReadJSONL(strings.NewReader(base + c.tail))
		if err != nil {
			t.Fatal(err)
		}
		vs := Check(DefaultConfig(), recs)
		var got []string
		for _, v := range vs {
			got = append(got, v.Property)
		}
		if c.want == "" && len(vs) != 0 || c.want != "" && (len(vs) != 1 || vs[0].Property != c.want) {
			t.Errorf("%s: violations %v, want %q:\n%v", c.name, got, c.want, vs)
		}
	}
}
