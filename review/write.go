package review

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"

	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/viewer"
)

//go:embed report.html
var reportHTML string

var report = template.Must(template.New("report").Funcs(template.FuncMap{
	"val":      func(v Value, unit string) string { return fmtVal(v, unit) },
	"ci":       fmtCI,
	"alt":      func(r *Result, i int) string { return r.Alternatives[i] },
	"plus1":    func(i int) int { return i + 1 },
	"figs":     figsOf,
	"tracesOf": func(r *Result, name string) []Trace { return tracesOf(r, name) },
	"looks":    looks,
	"best":     func(m MeasureResult, i int) bool { return m.Ranking[0] == i },
	"same":     same,
	"pct":      func(v *float64) string { return fmtVal(Value{Est: *v}, "%") },
	"sameText": sameText,
}).Parse(reportHTML))

// Figure is one figure of the report: its file name (PNG, for the
// Markdown report), its inline SVG (for the HTML one; none for a trace's
// timeline, which the HTML report shows as the interactive page) and the
// commands that make its data.
type Figure struct {
	Exp      int // the experiment it belongs to
	Name     string
	Title    string
	SVG      template.HTML
	PNG      []byte
	Commands []string
}

// Figures renders the report's figures: per run experiment, the time to
// connect of each alternative; per storm, the connected share; per trace,
// each alternative's timeline (PNG only).
func Figures(r *Result) ([]Figure, error) {
	var out []Figure
	for xi, x := range r.Experiments {
		caption := fmt.Sprintf("Review %q, experiment %q, seed %d.", r.Title, x.Name, r.Seed)
		if x.Kind == KindTrace {
			for ai, t := range tracesOf(r, x.Name) {
				fig, err := plots.Timeline(t.recs, fmt.Sprintf("%s Alternative %q, trial %d.\n%s", caption, t.Alternative, t.Trial, t.Command))
				if err != nil {
					return nil, fmt.Errorf("figure of %q: %v", x.Name, err)
				}
				var png bytes.Buffer
				if err := fig.Render(&png, "png"); err != nil {
					return nil, err
				}
				out = append(out, Figure{Exp: xi, Name: fmt.Sprintf("figure-%d-%d.png", xi+1, ai+1), Title: x.Name + ": " + t.Alternative,
					PNG: png.Bytes(), Commands: []string{t.Command}})
			}
			continue
		}
		if x.Kind == KindExplore {
			continue // its numbers are the result; its findings are pages
		}
		var fig *plots.Figure
		var err error
		switch x.Kind {
		case KindSweep:
			if fig, err = sweepFigure(r, xi, caption); fig == nil && err == nil {
				continue // no loss axis: the tables are the result
			}
		case KindRun:
			var series []plots.TTCSeries
			for ai, u := range r.units[xi] {
				d := u.run
				ttc := make([]time.Duration, len(d.ttc))
				for i, v := range d.ttc {
					ttc[i] = time.Duration(v)
				}
				series = append(series, plots.TTCSeries{Label: r.Alternatives[ai], TTC: ttc, Trials: d.sum.Trials})
			}
			fig, err = plots.TTCCDFTitled("Time to connect: "+x.Name, series, caption)
		case KindStorm:
			var series []plots.StormSeries
			var o plots.Outage
			for ai, u := range r.units[xi] {
				d := u.storm
				p := d.r.Params
				s := plots.StormSeries{Label: r.Alternatives[ai], Clients: p.Clients, Bin: p.Bin}
				for _, row := range d.r.Rows {
					s.T = append(s.T, row.T)
					s.Connected = append(s.Connected, row.Connected)
					s.Attempts = append(s.Attempts, row.Attempts)
				}
				series = append(series, s)
				if p.OutageTo > p.OutageFrom {
					o = plots.Outage{From: p.OutageFrom, To: p.OutageTo}
				}
			}
			fig, err = plots.StormConnected(series, o, caption)
		}
		if err != nil {
			return nil, fmt.Errorf("figure of %q: %v", x.Name, err)
		}
		var svg, png bytes.Buffer
		if err := fig.Render(&svg, "svg"); err != nil {
			return nil, err
		}
		if err := fig.Render(&png, "png"); err != nil {
			return nil, err
		}
		out = append(out, Figure{Exp: xi, Name: FigureName(xi), Title: x.Name,
			SVG: template.HTML(stripXMLHeader(svg.String())), PNG: png.Bytes(), Commands: x.Commands})
	}
	return out, nil
}

// FigureName is the PNG file of experiment i's figure (a run or a storm).
func FigureName(i int) string { return fmt.Sprintf("figure-%d.png", i+1) }

// OutputNames lists the files a review of s writes into its directory
// whatever its results: the report, review.json, review.md, the figures
// and the trace experiments' pages (the pages of trials worth a look
// depend on the results).
func OutputNames(s *Spec) []string {
	names := []string{"index.html", "review.json", "review.md"}
	for xi, x := range s.Experiments {
		if x.Kind == KindExplore {
			continue
		}
		if x.Kind != KindTrace {
			names = append(names, FigureName(xi))
			continue
		}
		for ai := range s.Alternatives {
			names = append(names, fmt.Sprintf("figure-%d-%d.png", xi+1, ai+1), traceFile(xi, ai, WhyTimeline))
		}
	}
	return names
}

// tracesOf returns the timelines of trace experiment name, by alternative.
func tracesOf(r *Result, name string) []Trace {
	var out []Trace
	for _, t := range r.Traces {
		if t.Experiment == name && t.Why == WhyTimeline {
			out = append(out, t)
		}
	}
	return out
}

// looks returns the trials worth a look (the traces that are not a trace
// experiment's timeline).
func looks(r *Result) []Trace {
	var out []Trace
	for _, t := range r.Traces {
		if t.Why != WhyTimeline {
			out = append(out, t)
		}
	}
	return out
}

// figsOf returns experiment xi's figures.
func figsOf(figs []Figure, xi int) []Figure {
	var out []Figure
	for _, f := range figs {
		if f.Exp == xi {
			out = append(out, f)
		}
	}
	return out
}

// stripXMLHeader drops the <?xml ...?> line an SVG file starts with, so
// the SVG can stand inline in HTML.
func stripXMLHeader(s string) string {
	if strings.HasPrefix(s, "<?xml") {
		if i := strings.Index(s, "?>"); i >= 0 {
			s = s[i+2:]
		}
	}
	return strings.TrimSpace(s)
}

// WriteTrace writes trace page t (Result.Traces) as an interactive
// timeline (package viewer).
func WriteTrace(w io.Writer, t Trace) error {
	return viewer.Write(w, viewer.Page{Title: t.Why + ": " + t.Command, Records: t.recs, Violations: t.violations, Profile: t.params.Client.Profile})
}

// WriteJSON writes review.json: every number of the report.
func WriteJSON(w io.Writer, r *Result) error {
	b, err := json.MarshalIndent(jsonSafe(r), "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// jsonSafe replaces the infinities of "never" (which JSON cannot hold) by
// -1; Never says which.
func jsonSafe(r *Result) *Result {
	c := *r
	fix := func(vs []Value) []Value {
		out := make([]Value, len(vs))
		for i, v := range vs {
			if math.IsInf(v.Est, 0) {
				v.Est, v.Lo, v.Hi = -1, -1, -1
			}
			out[i] = v
		}
		return out
	}
	fixAll := func(ms []MeasureResult) []MeasureResult {
		var out []MeasureResult
		for _, m := range ms {
			m.Values = fix(m.Values)
			out = append(out, m)
		}
		return out
	}
	c.Experiments = nil
	for _, x := range r.Experiments {
		y := x
		y.Measures = fixAll(x.Measures)
		y.Points = nil
		for _, p := range x.Points {
			p.Measures = fixAll(p.Measures)
			y.Points = append(y.Points, p)
		}
		c.Experiments = append(c.Experiments, y)
	}
	c.Sensitivity = nil
	for _, s := range r.Sensitivity {
		t := s
		t.Rows = nil
		for _, row := range s.Rows {
			row.Values = fix(row.Values)
			t.Rows = append(t.Rows, row)
		}
		c.Sensitivity = append(c.Sensitivity, t)
	}
	return &c
}

// WriteHTML writes index.html: one file, no network.
func WriteHTML(w io.Writer, r *Result, figs []Figure) error {
	return report.Execute(w, struct {
		R    *Result
		Figs []Figure
	}{r, figs})
}

func fmtCI(v Value, unit string) string {
	if v.Never {
		return ""
	}
	if v.Lo == v.Hi {
		return "none"
	}
	u := ""
	if unit == "%" {
		u = "%"
	}
	return fmt.Sprintf("%s–%s%s", strconvF(v.Lo), strconvF(v.Hi), u)
}

func strconvF(v float64) string { return fmt.Sprintf("%.*f", digits(v), v) }

// WriteMarkdown writes review.md (GitHub-flavoured, figures as the PNG
// files Figures names).
func WriteMarkdown(w io.Writer, r *Result, figs []Figure) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.Title)
	if r.Question != "" {
		fmt.Fprintf(&b, "%s\n\n", r.Question)
	}
	fmt.Fprintf(&b, "Review file `%s`, seed %d. Every number below is in `review.json`.\n\n", r.File, r.Seed)
	for xi, x := range r.Experiments {
		fmt.Fprintf(&b, "## %s\n\n", x.Name)
		for _, m := range x.Measures {
			fmt.Fprintf(&b, "- **%s**\n", m.Verdict)
		}
		for _, v := range x.Summary {
			fmt.Fprintf(&b, "- **%s**\n", v)
		}
		for i, v := range x.Properties {
			fmt.Fprintf(&b, "- Property verdict, %s: %s\n", r.Alternatives[i], v)
		}
		if x.Kind == KindSweep {
			writeSweepMarkdown(&b, r, x)
		} else {
			writeMeasuresMarkdown(&b, r, x)
		}
		if x.Kind == KindTrace {
			fmt.Fprintf(&b, "Trial %d of each alternative's timeline; the HTML report has them as interactive pages (%s).\n\n", tracesOf(r, x.Name)[0].Trial, strings.Join(traceFiles(tracesOf(r, x.Name)), ", "))
		}
		for _, f := range figsOf(figs, xi) {
			fmt.Fprintf(&b, "![%s](%s)\n\n", f.Title, f.Name)
		}
		b.WriteString("```sh\n")
		for _, c := range x.Commands {
			b.WriteString(c + "\n")
		}
		b.WriteString("```\n\n")
	}
	if len(r.Sensitivity) > 0 {
		b.WriteString("## Sensitivity\n\n")
		for _, s := range r.Sensitivity {
			fmt.Fprintf(&b, "- **%s** (%s, %s)\n", s.Verdict, s.Experiment, s.Measure)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func traceFiles(ts []Trace) []string {
	var out []string
	for _, t := range ts {
		out = append(out, "["+t.File+"]("+t.File+")")
	}
	return out
}

// writeMeasuresMarkdown writes an experiment's measures as one table:
// a row per measure, a column per alternative.
func writeMeasuresMarkdown(b *strings.Builder, r *Result, x ExpResult) {
	b.WriteString("\n| measure |")
	for _, a := range r.Alternatives {
		fmt.Fprintf(b, " %s |", a)
	}
	b.WriteString("\n| --- |" + strings.Repeat(" --- |", len(r.Alternatives)) + "\n")
	for _, m := range x.Measures {
		fmt.Fprintf(b, "| %s |", m.Label)
		for i, v := range m.Values {
			fmt.Fprintf(b, " %s |", mdCell(m, i, v))
		}
		b.WriteString("\n")
	}
	b.WriteString("\nBold: best; ≈: not significantly different from the best at 95%.\n\n")
}

// writeSweepMarkdown writes a sweep's measures, a table each: a row per
// point, a column per alternative; then the closed form, if any.
func writeSweepMarkdown(b *strings.Builder, r *Result, x ExpResult) {
	head := func() {
		b.WriteString("\n|")
		for _, a := range x.Axes {
			fmt.Fprintf(b, " %s |", a.Name)
		}
		for _, a := range r.Alternatives {
			fmt.Fprintf(b, " %s |", a)
		}
		b.WriteString("\n|" + strings.Repeat(" --- |", len(x.Axes)+len(r.Alternatives)) + "\n")
	}
	for mi, m0 := range x.Points[0].Measures {
		fmt.Fprintf(b, "\n**%s**\n", m0.Label)
		head()
		for _, p := range x.Points {
			m := p.Measures[mi]
			b.WriteString("|")
			for _, v := range p.At {
				fmt.Fprintf(b, " %s |", v)
			}
			for i, v := range m.Values {
				fmt.Fprintf(b, " %s |", mdCell(m, i, v))
			}
			b.WriteString("\n")
		}
	}
	if x.Points[0].ClosedForm != nil {
		b.WriteString("\n**closed form of the success share (package analytic)**\n")
		head()
		for _, p := range x.Points {
			b.WriteString("|")
			for _, v := range p.At {
				fmt.Fprintf(b, " %s |", v)
			}
			for _, v := range p.ClosedForm {
				cell := "none"
				if v != nil {
					cell = fmtVal(Value{Est: *v}, "%")
				}
				fmt.Fprintf(b, " %s |", cell)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\nBold: best at the point; ≈: not significantly different from the best at 95%.\n\n")
}

// mdCell is alternative i's value of m as a Markdown table cell.
func mdCell(m MeasureResult, i int, v Value) string {
	cell := fmtVal(v, m.Unit)
	if ci := fmtCI(v, m.Unit); ci != "" {
		cell += " (" + ci + ")"
	}
	if i == m.Ranking[0] {
		return "**" + cell + "**"
	}
	if same(m, i) {
		cell += " ≈"
	}
	return cell
}

// sameText says how alternative i, not significantly different from the
// best on m, compares: "equal" when both are exact (no interval: a
// storm, a trace, explore) and the same, else not significantly
// different.
func sameText(m MeasureResult, i int) string {
	v, b := m.Values[i], m.Values[m.Ranking[0]]
	if v.Lo == v.Hi && b.Lo == b.Hi && v.Est == b.Est && v.Never == b.Never {
		return "equal"
	}
	return "not significantly different (95%)"
}

// same reports whether alternative i is not significantly different from
// the best on m.
func same(m MeasureResult, i int) bool {
	for k, j := range m.Ranking {
		if j == i {
			return m.Same[k]
		}
	}
	return false
}
