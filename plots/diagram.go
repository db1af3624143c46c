package plots

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/rcsim/connsim/fsm"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Arrow is one arrow of the state diagram: event Event moves the machine
// from each status of Srcs to Dst. Src names the arrow's tail: a status,
// or "ACTIVE" / "STOPPED" when Srcs is exactly the group of active
// (fsm.Status.Active) or stopped statuses, drawn from that group's box.
type Arrow struct {
	Event string
	Src   string
	Srcs  []fsm.Status
	Dst   fsm.Status
}

// Diagram is the state diagram of the connection statuses, drawn with
// gonum's vg canvas on a fixed layout (no Graphviz needed).
type Diagram struct {
	Arrows  []Arrow
	Caption string
}

// DiagramArrows returns the arrows of the state diagram of edges (a
// machine such as fsm.Edges), in table order: one per
// (event, source) edge, except that an event whose sources are exactly
// the active or exactly the stopped statuses becomes one arrow from that
// group. Expanding each arrow's Srcs gives back every edge of the table.
func DiagramArrows(edges []fsm.Edge) ([]Arrow, error) {
	var active, stopped []fsm.Status
	for _, s := range fsm.AllStatuses {
		if s.Active() {
			active = append(active, s)
		} else {
			stopped = append(stopped, s)
		}
	}
	sameSet := func(a, b []fsm.Status) bool {
		if len(a) != len(b) || len(a) < 2 {
			return false
		}
		for _, s := range a {
			if !slices.Contains(b, s) {
				return false
			}
		}
		return true
	}
	var out []Arrow
	for _, e := range edges {
		dst, ok := fsm.ParseStatus(e.To)
		if !ok {
			return nil, fmt.Errorf("plots: event %s: unknown status %q", e.Event, e.To)
		}
		var srcs []fsm.Status
		for _, n := range e.From {
			s, ok := fsm.ParseStatus(n)
			if !ok {
				return nil, fmt.Errorf("plots: event %s: unknown status %q", e.Event, n)
			}
			srcs = append(srcs, s)
		}
		switch {
		case sameSet(srcs, active):
			out = append(out, Arrow{Event: e.Event, Src: groupActive, Srcs: srcs, Dst: dst})
		case sameSet(srcs, stopped):
			out = append(out, Arrow{Event: e.Event, Src: groupStopped, Srcs: srcs, Dst: dst})
		default:
			for _, s := range srcs {
				out = append(out, Arrow{Event: e.Event, Src: s.String(), Srcs: []fsm.Status{s}, Dst: dst})
			}
		}
	}
	return out, nil
}

// StateDiagram returns the state diagram of edges (normally fsm.Edges):
// every status as a box with its name and its listener value (spec section
// 3), the statuses of the connection mechanism in an upper group, the
// stopped ones in a lower group, and every edge as a labelled arrow. An
// arrow from a group's border stands for one edge from each status in
// the group. Arrows are coloured by what moves the machine: app calls
// (Connect, Disconnect/Logout), errors and kicks that stop the SDK, and
// moves of the connection mechanism itself.
func StateDiagram(edges []fsm.Edge, caption string) (*Diagram, error) {
	arrows, err := DiagramArrows(edges)
	if err != nil {
		return nil, err
	}
	return &Diagram{Arrows: arrows, Caption: caption}, nil
}

// Save writes the diagram to path (.png or .svg), atomically.
func (d *Diagram) Save(path string) error {
	return save(d, diagramW*vg.Inch, diagramH*vg.Inch, path)
}

// Render writes the diagram in format ("png" or "svg") to w.
func (d *Diagram) Render(w io.Writer, format string) error {
	return render(d, diagramW*vg.Inch, diagramH*vg.Inch, format, w)
}

// arrowColor is the colour of an arrow: app calls, errors that stop the
// SDK, moves inside the connection mechanism.
func arrowColor(a Arrow) color.Color {
	switch {
	case a.Src == groupActive || a.Src == groupStopped:
		return Color(roleScripted)
	case !a.Dst.Active():
		return Color(roleFail)
	}
	return Color(roleStart)
}

// Draw draws the diagram on c, whose size should be diagramW x diagramH
// inches (it is centred otherwise).
func (d *Diagram) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	off := vg.Point{
		X: c.Min.X + (c.Size().X-diagramW*vg.Inch)/2,
		Y: c.Min.Y + (c.Size().Y-diagramH*vg.Inch)/2,
	}
	at := func(q pt) vg.Point {
		return vg.Point{X: off.X + vg.Length(q.X)*vg.Inch, Y: off.Y + vg.Length(q.Y)*vg.Inch}
	}

	// Title.
	c.FillText(textStyle(titleSize+1, true, color.Black, draw.XCenter, draw.YTop),
		at(pt{diagramW / 2, diagramH - 0.12}), "Connection status machine (fsm.Edges)")

	// Group boxes.
	groupLine := draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	for _, g := range []struct {
		b    [2]pt
		note string
		fill color.Color
		xa   text.XAlignment
	}{{activeBox, activeNote, tint(Color(roleStart), 0.06), draw.XRight}, {stoppedBox, stoppedNote, tint(color.Black, 0.04), draw.XLeft}} {
		r := vg.Rectangle{Min: at(g.b[0]), Max: at(g.b[1])}
		path := roundRect(r, vg.Points(10))
		c.SetColor(g.fill)
		c.Fill(path)
		c.SetLineStyle(groupLine)
		c.Stroke(path)
		sty := textStyle(captionSize+0.5, false, grey, g.xa, draw.YTop)
		x := g.b[0].X + 0.15
		y := g.b[1].Y - 0.1
		if g.xa == draw.XRight {
			x = g.b[1].X - 0.15
		} else {
			sty.YAlign = draw.YBottom
			y = g.b[0].Y + 0.08
		}
		c.FillText(sty, at(pt{x, y}), g.note)
	}

	// Arrows, under the nodes.
	type lab struct {
		at  pt
		txt string
		col color.Color
	}
	var labels []lab
	converge := map[fsm.Status][]string{}
	for _, a := range d.Arrows {
		rt, ok := routes[a.Src+">"+a.Dst.String()]
		if !ok {
			rt = fallbackRoute(a)
		}
		col := arrowColor(a)
		drawArrow(c, at, rt, col, a.Src == groupActive || a.Src == groupStopped)
		switch {
		case rt.label != nil:
			labels = append(labels, lab{*rt.label, a.Event, col})
		case !slices.Contains(converge[a.Dst], a.Event):
			converge[a.Dst] = append(converge[a.Dst], a.Event)
		}
	}
	for _, s := range fsm.AllStatuses {
		if evs := converge[s]; len(evs) > 0 {
			_, hh := halfSize(s)
			q := nodeAt[s].add(pt{0, hh + 0.22})
			labels = append(labels, lab{q, strings.Join(evs, ", "), Color(roleFail)})
		}
	}

	// Nodes.
	for _, s := range fsm.AllStatuses {
		drawNode(c, at, s)
	}

	// Edge labels, on top.
	for _, l := range labels {
		sty := textStyle(9.5, true, shade(l.col, 0.15), draw.XCenter, draw.YCenter)
		drawHalo(c, sty, at(l.at), l.txt)
	}

	// Key and caption.
	key := []struct {
		col color.Color
		txt string
	}{
		{Color(roleScripted), "app call (Connect, Disconnect, Logout)"},
		{Color(roleFail), "error or kick: the SDK stops"},
		{Color(roleStart), "the SDK moves by itself"},
	}
	x := 0.45
	for _, k := range key {
		drawArrow(c, at, route{from: pt{x, 0.72}, to: pt{x + 0.45, 0.72}}, k.col, false)
		sty := textStyle(legendSize, false, color.Black, draw.XLeft, draw.YCenter)
		c.FillText(sty, at(pt{x + 0.55, 0.72}), k.txt)
		x += 0.55 + float64(sty.Width(k.txt)/vg.Inch) + 0.4
	}
	drawDot(c, at(pt{x + 0.05, 0.72}), Color(roleScripted))
	c.FillText(textStyle(legendSize, false, color.Black, draw.XLeft, draw.YCenter), at(pt{x + 0.2, 0.72}),
		"from a box's border: from each status in the box")
	cap := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: at(pt{0.35, 0.08}), Max: at(pt{diagramW - 0.35, 0.5})}}
	drawCaption(cap, d.Caption)
}

// fallbackRoute draws an arrow the layout does not know: straight, from
// border to border.
func fallbackRoute(a Arrow) route {
	dst := nodeAt[a.Dst]
	var from pt
	switch a.Src {
	case groupStopped:
		from = pt{dst.X, stoppedBox[1].Y}
	case groupActive:
		from = pt{dst.X, activeBox[0].Y}
	default:
		from = borderTowardPt(a.Srcs[0], dst)
	}
	to := borderTowardPt(a.Dst, from)
	m := lerp(from, to, 0.5)
	return route{from: from, to: to, label: &m}
}

// borderTowardPt returns the point of s's border on the line from its
// centre to o.
func borderTowardPt(s fsm.Status, o pt) pt {
	c := nodeAt[s]
	hw, hh := halfSize(s)
	d := o.sub(c)
	t := math.Inf(1)
	if d.X != 0 {
		t = hw / math.Abs(d.X)
	}
	if d.Y != 0 {
		t = math.Min(t, hh/math.Abs(d.Y))
	}
	if math.IsInf(t, 1) {
		return c
	}
	return c.add(d.scale(t))
}

const (
	headLen   = 8 * vg.Length(1)   // arrowhead length, points
	headHalfW = 3.4 * vg.Length(1) // arrowhead half width, points
)

// drawArrow strokes rt and puts a filled head at its end; fromGroup marks
// the tail with a dot on the group's border.
func drawArrow(c draw.Canvas, at func(pt) vg.Point, rt route, col color.Color, fromGroup bool) {
	a, b := at(rt.from), at(rt.to)
	var tan vg.Point // direction of travel at the head
	var path vg.Path
	path.Move(a)
	if rt.c1 != nil {
		c1, c2 := at(*rt.c1), at(*rt.c2)
		tan = b.Sub(c2)
		// End the curve where the head starts.
		path.CubeTo(c1, c2, b.Sub(unit(tan).Scale(headLen*0.7)))
	} else {
		tan = b.Sub(a)
		path.Line(b.Sub(unit(tan).Scale(headLen * 0.7)))
	}
	c.SetLineStyle(draw.LineStyle{Color: col, Width: vg.Points(1.4)})
	c.Stroke(path)
	u := unit(tan)
	n := vg.Point{X: -u.Y, Y: u.X}
	base := b.Sub(u.Scale(headLen))
	var head vg.Path
	head.Move(b)
	head.Line(base.Add(n.Scale(headHalfW)))
	head.Line(base.Sub(n.Scale(headHalfW)))
	head.Close()
	c.SetColor(col)
	c.Fill(head)
	if fromGroup {
		drawDot(c, a, col)
	}
}

func drawDot(c draw.Canvas, p vg.Point, col color.Color) {
	var dot vg.Path
	r := vg.Points(3.2)
	dot.Move(vg.Point{X: p.X + r, Y: p.Y})
	dot.Arc(p, r, 0, 2*math.Pi)
	dot.Close()
	c.SetColor(col)
	c.Fill(dot)
}

func unit(v vg.Point) vg.Point {
	l := vg.Length(math.Hypot(float64(v.X), float64(v.Y)))
	if l == 0 {
		return vg.Point{X: 1}
	}
	return vg.Point{X: v.X / l, Y: v.Y / l}
}

// drawNode draws status s: a rounded box with its name (split at an
// underscore when too wide) and its value.
func drawNode(c draw.Canvas, at func(pt) vg.Point, s fsm.Status) {
	ctr := nodeAt[s]
	hw, hh := halfSize(s)
	r := vg.Rectangle{Min: at(ctr.sub(pt{hw, hh})), Max: at(ctr.add(pt{hw, hh}))}
	path := roundRect(r, vg.Points(7))
	fill := tint(Color(roleStart), 0.16)
	if !s.Active() {
		fill = tint(Color(roleFail), 0.12)
	}
	c.SetColor(fill)
	c.Fill(path)
	c.SetLineStyle(draw.LineStyle{Color: shade(grey, 0.3), Width: vg.Points(1)})
	c.Stroke(path)
	name := textStyle(9.5, true, color.Black, draw.XCenter, draw.YCenter)
	val := textStyle(8.5, false, shade(grey, 0.2), draw.XCenter, draw.YCenter)
	lines := splitName(name, s.String(), vg.Length(2*hw)*vg.Inch-vg.Points(10))
	lines = append(lines, "value "+strconv.Itoa(int(s)))
	lh := name.Height("A") * 1.25
	top := at(ctr).Y + lh*vg.Length(len(lines)-1)/2
	for i, l := range lines {
		sty := name
		if i == len(lines)-1 {
			sty = val
		}
		c.FillText(sty, vg.Point{X: at(ctr).X, Y: top - lh*vg.Length(i)}, l)
	}
}

// splitName splits a status name at the underscore closest to its middle
// when it is wider than w.
func splitName(sty text.Style, n string, w vg.Length) []string {
	if sty.Width(n) <= w {
		return []string{n}
	}
	best := -1
	for i := range len(n) {
		if n[i] == '_' && (best < 0 || abs(i-len(n)/2) < abs(best-len(n)/2)) {
			best = i
		}
	}
	if best < 0 {
		return []string{n}
	}
	return []string{n[:best+1], n[best+1:]}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// roundRect returns the path of r with corners of radius rad.
func roundRect(r vg.Rectangle, rad vg.Length) vg.Path {
	var p vg.Path
	x0, y0, x1, y1 := r.Min.X, r.Min.Y, r.Max.X, r.Max.Y
	p.Move(vg.Point{X: x0 + rad, Y: y0})
	p.Line(vg.Point{X: x1 - rad, Y: y0})
	p.Arc(vg.Point{X: x1 - rad, Y: y0 + rad}, rad, -math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: x1, Y: y1 - rad})
	p.Arc(vg.Point{X: x1 - rad, Y: y1 - rad}, rad, 0, math.Pi/2)
	p.Line(vg.Point{X: x0 + rad, Y: y1})
	p.Arc(vg.Point{X: x0 + rad, Y: y1 - rad}, rad, math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: x0, Y: y0 + rad})
	p.Arc(vg.Point{X: x0 + rad, Y: y0 + rad}, rad, math.Pi, math.Pi/2)
	p.Close()
	return p
}
