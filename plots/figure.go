package plots

import (
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure is a finished figure: a gonum plot, its legend drawn in a column
// to the right of the plot (so it never hides data), and a caption under
// it giving the parameters and seed that made it.
//
// Callers may adjust Plot (axis ranges, extra plotters) before saving.
type Figure struct {
	Plot    *plot.Plot
	Legend  *plot.Legend // nil or empty: no legend column
	Caption string       // wrapped to the figure's width; "\n" starts a new line
	Width   vg.Length    // of the whole figure, caption and legend included
	Height  vg.Length
}

// Default figure size.
const (
	defaultWidth  = 8 * vg.Inch
	defaultHeight = 5 * vg.Inch
)

// Text sizes, in points.
const (
	titleSize   = 13
	labelSize   = 11
	tickSize    = 9.5
	legendSize  = 9.5
	captionSize = 9
)

// margin is the blank border around a figure.
const margin = 8 * vg.Millimeter / 2

// newPlot returns a plot with the figures' fonts, a title, axis labels and
// a light grid behind the data.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = sans(titleSize, true)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(labelSize, false)
		a.Tick.Label.Font = sans(tickSize, false)
		a.Label.Padding = vg.Points(4)
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = niceTicks{}, niceTicks{}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = gridGrey, gridGrey
	g.Vertical.Width, g.Horizontal.Width = vg.Points(0.6), vg.Points(0.6)
	p.Add(g)
	return p
}

// newLegend returns an empty legend in the figures' style, laid out top to
// bottom with icons on the left.
func newLegend() *plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = sans(legendSize, false)
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(22)
	l.Padding = vg.Points(3)
	return &l
}

func textStyle(size float64, bold bool, c color.Color, xa text.XAlignment, ya text.YAlignment) text.Style {
	return text.Style{Color: c, Font: sans(size, bold), XAlign: xa, YAlign: ya, Handler: plot.DefaultTextHandler}
}

// Draw draws the figure on c: caption at the bottom, legend column on the
// right, the plot in the rest.
func (f *Figure) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, margin, -margin, margin/2, -margin)
	c = drawCaption(c, f.Caption)
	if f.Legend != nil && hasEntries(f.Legend) {
		w := f.Legend.Rectangle(c).Size().X + 3*margin
		lc := draw.Crop(c, c.Size().X-w+2*margin, 0, 0, 0)
		if f.Plot.Title.Text != "" {
			// Line the legend up with the top of the data area.
			lc = draw.Crop(lc, 0, 0, 0, -(f.Plot.Title.TextStyle.Rectangle(f.Plot.Title.Text).Size().Y + f.Plot.Title.Padding + vg.Points(4)))
		}
		f.Legend.Draw(lc)
		c = draw.Crop(c, 0, -w, 0, 0)
	}
	f.Plot.Draw(c)
}

// hasEntries reports whether l has at least one entry (an empty legend's
// Rectangle is degenerate).
func hasEntries(l *plot.Legend) bool {
	return l.Rectangle(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: 100, Y: 100}}}).Size().Y > 0
}

// drawCaption draws caption, wrapped to c's width, at the bottom of c and
// returns the rest of c.
func drawCaption(c draw.Canvas, caption string) draw.Canvas {
	if strings.TrimSpace(caption) == "" {
		return c
	}
	sty := textStyle(captionSize, false, grey, draw.XLeft, draw.YBottom)
	lines := wrap(sty, caption, c.Size().X)
	txt := strings.Join(lines, "\n")
	h := sty.Height(txt)
	c.FillText(sty, vg.Point{X: c.Min.X, Y: c.Min.Y}, txt)
	return draw.Crop(c, 0, 0, h+vg.Points(10), 0)
}

// wrap splits s into lines no wider than w, at spaces; "\n" in s always
// starts a new line.
func wrap(sty text.Style, s string, w vg.Length) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && sty.Width(try) > w {
				out = append(out, line)
				line = word
				continue
			}
			line = try
		}
		out = append(out, line)
	}
	return out
}
