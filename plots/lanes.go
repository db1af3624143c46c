package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file holds the small plotters the figures share: marker lines,
// shaded windows, attempt bars and labelled event marks.

// vline is a dashed vertical line across the data area at X, labelled at
// the bottom (or at the top with Top); Level staggers the labels of
// several lines.
type vline struct {
	X     float64
	Label string
	Level int
	Top   bool
}

var vlineStyle = draw.LineStyle{Color: Color(roleNeutral), Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}

func (m *vline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(m.X)
	if !c.ContainsX(x) {
		return
	}
	c.StrokeLine2(vlineStyle, x, c.Min.Y, x, c.Max.Y)
	if m.Label == "" {
		return
	}
	sty := textStyle(tickSize, false, Color(roleNeutral), draw.XLeft, draw.YBottom)
	step := vg.Length(m.Level) * sty.Height("0") * 1.4
	pt := vg.Point{X: x + vg.Points(3), Y: c.Min.Y + vg.Points(4) + step}
	if m.Top {
		sty.YAlign = draw.YTop
		pt.Y = c.Max.Y - vg.Points(3) - step
	}
	if x+sty.Width(m.Label)+vg.Points(6) > c.Max.X {
		sty.XAlign = draw.XRight
		pt.X = x - vg.Points(3)
	}
	drawHalo(c, sty, pt, m.Label)
}

func (m *vline) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	sty := vlineStyle
	sty.Dashes = []vg.Length{vg.Points(2.5), vg.Points(1.5)}
	c.StrokeLine2(sty, x, c.Min.Y-vg.Points(1), x, c.Max.Y+vg.Points(1))
}

var haloColor = translucent(color.White, 0.85)

// drawHalo draws txt on a white box, so it stays readable over lines.
func drawHalo(c draw.Canvas, sty text.Style, pt vg.Point, txt string) {
	r := sty.Rectangle(txt).Add(pt)
	pad := vg.Points(1.5)
	r.Min.X -= pad
	r.Min.Y -= pad
	r.Max.X += pad
	r.Max.Y += pad
	c.SetColor(haloColor)
	c.Fill(r.Path())
	c.FillText(sty, pt, txt)
}

// hline is a thin grey rule across the data area at Y.
type hline struct{ Y float64 }

func (h *hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.Y)
	c.StrokeLine2(draw.LineStyle{Color: grey, Width: vg.Points(0.8)}, c.Min.X, y, c.Max.X, y)
}

// offlineShade greys the periods with no network, across the whole data area.
type offlineShade struct{ Windows []window }

var shadeColor = translucent(color.Black, 0.09)

func (s *offlineShade) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, w := range s.Windows {
		x0, x1 := max(trX(w.T0), c.Min.X), min(trX(w.T1), c.Max.X)
		if x1 <= x0 {
			continue
		}
		c.SetColor(shadeColor)
		c.Fill(vg.Rectangle{Min: vg.Point{X: x0, Y: c.Min.Y}, Max: vg.Point{X: x1, Y: c.Max.Y}}.Path())
	}
}

func (s *offlineShade) Thumbnail(c *draw.Canvas) {
	c.SetColor(shadeColor)
	c.Fill(c.Rectangle.Path())
}

// spans draws each attempt in flight as a bar along its lane.
type spans struct {
	Spans []span
	laneY func(int) float64
}

var spanStyle = draw.LineStyle{Color: tint(Color(roleStart), 0.35), Width: spanWidth}

func (s *spans) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, sp := range s.Spans {
		y := trY(s.laneY(sp.Lane))
		x0, x1 := trX(sp.T0), trX(sp.T1)
		if x1-x0 < vg.Points(1) {
			x1 = x0 + vg.Points(1)
		}
		c.StrokeLine2(spanStyle, x0, y, x1, y)
	}
}

func (s *spans) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(spanStyle, c.Min.X, y, c.Max.X, y)
}

// strokeGlyph draws a cross (X) or a plus (+) with a line thick enough to
// see at a glance (gonum's are 0.5 pt).
type strokeGlyph struct{ plus bool }

func (g strokeGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.6)})
	r := sty.Radius
	a, b := vg.Point{X: r, Y: r}, vg.Point{X: r, Y: -r}
	if g.plus {
		a, b = vg.Point{X: 0, Y: r}, vg.Point{X: r, Y: 0}
	}
	for _, d := range []vg.Point{a, b} {
		var p vg.Path
		p.Move(pt.Sub(d))
		p.Line(pt.Add(d))
		c.Stroke(p)
	}
}

// ringGlyph and squareGlyph are outlines with a visible line.
type ringGlyph struct{}

func (ringGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.1)})
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.Stroke(p)
}

type squareGlyph struct{}

func (squareGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.1)})
	r := sty.Radius * 0.85
	c.Stroke(vg.Rectangle{Min: vg.Point{X: pt.X - r, Y: pt.Y - r}, Max: vg.Point{X: pt.X + r, Y: pt.Y + r}}.Path())
}

// markStyles gives each kind of mark its glyph, colour and legend text;
// dy shifts the glyph off its lane (ping above, pong below, so a pong right
// after its ping stays visible).
var markStyles = [nMarkKinds]struct {
	legend string
	glyph  draw.GlyphStyle
	dy     vg.Length
}{
	mkAttemptStart: {"attempt start (#n)", draw.GlyphStyle{Color: Color(roleStart), Radius: markRadius, Shape: draw.PyramidGlyph{}}, 0},
	mkAttemptOK:    {"attempt ok", draw.GlyphStyle{Color: Color(roleOK), Radius: markRadius, Shape: draw.CircleGlyph{}}, 0},
	mkAttemptFail:  {"attempt failed", draw.GlyphStyle{Color: Color(roleFail), Radius: markRadius * 1.1, Shape: strokeGlyph{}}, 0},
	mkDrop:         {"message lost (kind)", draw.GlyphStyle{Color: Color(roleLost), Radius: markRadius * 0.8, Shape: draw.BoxGlyph{}}, 0},
	mkDBOpened:     {"onDatabaseOpened", draw.GlyphStyle{Color: Color(roleInfo), Radius: markRadius, Shape: squareGlyph{}}, 0},
	mkSuccess:      {"onSuccess", draw.GlyphStyle{Color: Color(roleOK), Radius: markRadius, Shape: draw.CircleGlyph{}}, 0},
	mkError:        {"onError (code)", draw.GlyphStyle{Color: Color(roleFail), Radius: markRadius, Shape: draw.BoxGlyph{}}, 0},
	mkPing:         {"heartbeat ping", draw.GlyphStyle{Color: Color(roleNeutral), Radius: markRadius * 0.8, Shape: draw.PyramidGlyph{}}, 3},
	mkPong:         {"heartbeat pong", draw.GlyphStyle{Color: Color(roleNeutral), Radius: markRadius * 0.8, Shape: ringGlyph{}}, -3},
	mkMiss:         {"missed pong", draw.GlyphStyle{Color: Color(roleFail), Radius: markRadius * 1.1, Shape: strokeGlyph{}}, 0},
	mkLost:         {"connection lost (reason)", draw.GlyphStyle{Color: Color(roleLost), Radius: markRadius * 1.3, Shape: strokeGlyph{plus: true}}, 0},
	mkScripted:     {"scripted event", draw.GlyphStyle{Color: Color(roleScripted), Radius: markRadius, Shape: draw.PyramidGlyph{}}, 0},
}

// markThumb is the legend thumbnail of a kind of mark.
type markThumb markKind

func (k markThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(markStyles[k].glyph, c.Center())
}

// marks draws the event marks of the lanes, and their labels above them:
// each label goes on the lowest of maxLevels text rows where it does not
// overlap an earlier label, and is left out if there is none (its mark
// stays).
type marks struct {
	Marks []mark
	laneY func(int) float64
}

func (m *marks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, mk := range m.Marks {
		st := &markStyles[mk.Kind]
		c.DrawGlyph(st.glyph, vg.Point{X: trX(mk.T), Y: trY(m.laneY(mk.Lane)) + st.dy})
	}
	type key struct{ lane, level int }
	right := map[key]vg.Length{} // right edge of the last label of a text row
	for _, mk := range m.Marks {
		if mk.Label == "" {
			continue
		}
		sty := textStyle(markLabelSize, false, shade(markStyles[mk.Kind].glyph.Color, 0.25), draw.XLeft, draw.YBottom)
		x, y := trX(mk.T), trY(m.laneY(mk.Lane))
		w := sty.Width(mk.Label)
		x0, x1 := x-markRadius/2, x-markRadius/2+w
		if x1 > c.Max.X {
			// Near the right edge: end the label at the mark.
			x0, x1 = x+markRadius/2-w, x+markRadius/2
		}
		for lv := range maxLevels {
			r, used := right[key{mk.Lane, lv}]
			if used && x0 < r+labelGapX {
				continue
			}
			right[key{mk.Lane, lv}] = x1
			base := y + markRadius + vg.Points(3.5) + vg.Length(lv)*sty.Height("0")*1.15
			drawHalo(c, sty, vg.Point{X: x0, Y: base}, mk.Label)
			break
		}
	}
}
