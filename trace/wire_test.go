package trace

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"github.com/rcsim/connsim/fsm"
)

// TestWireFastPath: every line AppendJSON writes, for every profile, is
// decoded without encoding/json, and to what encoding/json decodes.
func TestWireFastPath(t *testing.T) {
	var d wireDecoder
	for _, p := range []*fsm.Profile{nil, fsm.ProfileIOS, fsm.ProfileWeb} {
		for i := range everyKind {
			line := AppendJSONProfile(nil, &everyKind[i], p)
			if !d.fast(line) {
				t.Errorf("%s: not decoded by the fast path", line)
				continue
			}
			checkWireOracle(t, line, &d.w)
		}
	}
}

// TestWireFallsBack lists lines the fast path leaves to encoding/json: its
// decoding or its error is the reader's.
func TestWireFallsBack(t *testing.T) {
	for _, line := range []string{
		`{"T":1,"kind":"end"}`,                           // matched case-insensitively
		`{"t":1,"kind":"end","\u0074":2}`,                // an escaped key
		`{"t":1,"kind":"e\nd"}`,                          // an escape
		`{"t":1,"kind":null}`,                            // null clears a pointer
		`{"t":"1","kind":"end"}`,                         // a quoted number
		`{"t":1,"kind":"end","dev":1.5}`,                 // a type error
		`{"t":1,"kind":"end","seq":-0}`,                  // encoding/json refuses a sign on an unsigned field
		`{"t":1,"kind":"end","extra":{"a":[1]}}`,         // an unknown field holding an object
		`{"t":1,"kind":"end"} x`,                         // trailing data
		`{"t":01,"kind":"end"}`,                          // not a JSON number
		`{"t":1,"kind":"end",}`,                          // a trailing comma
		"{\"t\":1,\"kind\":\"end\",\"reason\":\"\xff\"}", // invalid UTF-8: encoding/json replaces it
	} {
		var d wireDecoder
		if d.fast([]byte(line)) {
			t.Errorf("%s: decoded by the fast path", line)
		}
	}
}

// FuzzWireDecoder checks the fast path against encoding/json, the oracle:
// whatever it decodes, encoding/json decodes without error to the same
// fields.
func FuzzWireDecoder(f *testing.F) {
	for i := range everyKind {
		f.Add(string(AppendJSONProfile(nil, &everyKind[i], fsm.ProfileWeb)))
	}
	f.Add(`{"t":1,"kind":"end","x":true,"y":null,"z":-0.5e+3,"w":"é"}`)
	f.Add(`{ "t" : 1 , "kind" : "end" , "dev" : -2147483648 }`)
	f.Add(`{"t":1,"kind":"end","seq":4294967295,"n":2147483648}`)
	f.Add(`{"t":1,"t":2,"kind":"a","kind":"b"}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, line string) {
		var d wireDecoder
		if d.fast([]byte(line)) {
			checkWireOracle(t, []byte(line), &d.w)
		}
	})
}

// checkWireOracle fails unless encoding/json decodes line to got.
func checkWireOracle(t *testing.T, line []byte, got *wireRecord) {
	t.Helper()
	var want wireRecord
	if err := json.Unmarshal(line, &want); err != nil {
		t.Fatalf("%s: the fast path decoded it, encoding/json says %v", line, err)
	}
	if g, w := wireText(got), wireText(&want); g != w {
		t.Fatalf("%s:\nfast path    %s\nencoding/json %s", line, g, w)
	}
}

// wireText prints w with its pointers followed, for comparing.
func wireText(w *wireRecord) string {
	num := func(n *rawNum) string {
		if n == nil {
			return "-"
		}
		return fmt.Sprintf("%q/%v", n.b, n.quoted)
	}
	str := func(s *string) string {
		if s == nil {
			return "-"
		}
		return strconv.Quote(*s)
	}
	dev := "-"
	if w.Dev != nil {
		dev = strconv.Itoa(int(*w.Dev))
	}
	c := *w
	c.T, c.Kind, c.Dev, c.TimeLimit, c.Value, c.FromValue, c.At, c.Status, c.From = nil, nil, nil, nil, nil, nil, nil, nil, nil
	return fmt.Sprintf("t=%s kind=%s dev=%s time_limit=%s value=%s from_value=%s at=%s status=%s from=%s %+v",
		num(w.T), str(w.Kind), dev, num(w.TimeLimit), num(w.Value), num(w.FromValue), num(w.At), str(w.Status), str(w.From), c)
}

// TestWireFastPathEveryField: the fast path decodes every field of
// wireRecord, as encoding/json does (a field added to wireRecord and not
// to the fast path fails here: the fast path would skip its key).
func TestWireFastPathEveryField(t *testing.T) {
	var d wireDecoder
	rt := reflect.TypeOf(wireRecord{})
	for i := range rt.NumField() {
		f := rt.Field(i)
		v := `"x"`
		switch k := f.Type.Kind(); {
		case f.Type == reflect.TypeOf(&rawNum{}):
			v = "1.5"
		case k == reflect.Int32, k == reflect.Uint32, k == reflect.Pointer && f.Type.Elem().Kind() == reflect.Int32:
			v = "7"
		case k == reflect.Bool:
			v = "true"
		}
		line := []byte(`{"` + f.Tag.Get("json") + `":` + v + `}`)
		if !d.fast(line) {
			t.Errorf("%s: not decoded by the fast path", line)
			continue
		}
		checkWireOracle(t, line, &d.w)
	}
}
