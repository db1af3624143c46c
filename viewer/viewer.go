// Package viewer writes a trace as one self-contained HTML page: an
// interactive timeline with one lane per device, statuses as bands and
// attempts, messages, heartbeats and callbacks as marks; hover shows a
// record, the wheel and the keyboard zoom and pan, a search box finds
// records by text, and property violations are listed, each linked to
// its record and highlighted on the timeline.
//
// The page loads nothing: its script, style and data are inline, so it
// opens from a file:// URL with no network at all. The records are
// embedded as the trace's own JSON Lines (trace.AppendJSON), so the page
// shows exactly what `sim check` reads. The timeline is drawn on a canvas
// and only what is in view is drawn, so a 100,000-record trace stays
// responsive.
//
// Page is deterministic: the same records and violations give the same
// bytes.
package viewer

import (
	_ "embed"
	"encoding/json"
	"html/template"
	"io"
	"strings"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

//go:embed page.html
var pageHTML string

var page = template.Must(template.New("page").Parse(pageHTML))

// MaxRecords bounds a page's records: 200,000 records make a page of
// about 30 MB that a browser opens in a few seconds; a longer trace is cut
// first, or drawn with sim plot.
const MaxRecords = 200000

// Page is what one viewer page shows.
type Page struct {
	Title      string
	Records    []trace.Record
	Violations []properties.Violation
	Profile    *fsm.Profile // how statuses are named (nil: android)
}

// violation is a Violation as the page's script reads it.
type violation struct {
	Property string  `json:"property"`
	Name     string  `json:"name"`
	Index    int     `json:"index"`
	Msg      string  `json:"msg"`
	T        float64 `json:"t"`
	Dev      int32   `json:"dev"`
	Text     string  `json:"text"`
}

// Write writes p as HTML to w.
func Write(w io.Writer, p Page) error {
	var recs strings.Builder
	recs.WriteByte('[')
	var buf []byte
	for i := range p.Records {
		if i > 0 {
			recs.WriteByte(',')
		}
		buf = trace.AppendJSONProfile(buf[:0], &p.Records[i], p.Profile)
		recs.Write(buf)
	}
	recs.WriteByte(']')
	vs := make([]violation, 0, len(p.Violations))
	for _, v := range p.Violations {
		vs = append(vs, violation{Property: v.Property, Name: properties.Name(v.Property), Index: v.Index,
			Msg: v.Msg, T: v.T.Seconds(), Dev: v.Dev, Text: v.String()})
	}
	vj, err := json.Marshal(vs)
	if err != nil {
		return err
	}
	return page.Execute(w, struct {
		Title      string
		Records    template.JS
		Violations template.JS
		Count      int
	}{p.Title, template.JS(scriptSafe(recs.String())), template.JS(scriptSafe(string(vj))), len(p.Records)})
}

// scriptSafe escapes what could end or confuse an inline script: "</"
// (a closing tag) and the HTML comment openers; JSON stays valid since
// "\/" is "/" and "\u003c" is "<".
func scriptSafe(s string) string {
	return strings.NewReplacer("</", `<\/`, "<!--", `\u003c!--`, "<script", `\u003cscript`).Replace(s)
}
