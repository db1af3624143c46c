package plots

import "github.com/rcsim/connsim/fsm"

// The state diagram's fixed layout, in inches from the bottom-left corner
// of a diagramW x diagramH canvas. The statuses of the connection
// mechanism (fsm.Status.Active) sit in the upper box, the statuses in
// which the SDK has stopped in a row in the lower box; a Connect call
// leaves the lower box, Disconnect leaves the upper one.

const (
	diagramW = 12.5
	diagramH = 9.0
)

// pt is a point of the layout, in inches.
type pt struct{ X, Y float64 }

func (a pt) add(b pt) pt               { return pt{a.X + b.X, a.Y + b.Y} }
func (a pt) scale(f float64) pt        { return pt{a.X * f, a.Y * f} }
func lerp(a, b pt, t float64) pt       { return a.add(b.add(a.scale(-1)).scale(t)) }
func (a pt) sub(b pt) pt               { return pt{a.X - b.X, a.Y - b.Y} }
func box(x0, y0, x1, y1 float64) [2]pt { return [2]pt{{x0, y0}, {x1, y1}} }

// Rows and node sizes (half width, half height).
const (
	activeY, suspendY    = 5.45, 6.8
	stoppedY             = 1.95
	activeHW, activeHH   = 0.875, 0.36
	stoppedHW, stoppedHH = 0.74, 0.40
)

// Group boxes and their captions.
var (
	activeBox   = box(0.35, 4.5, 12.15, 8.3)
	stoppedBox  = box(0.35, 1.05, 12.15, 2.95)
	activeNote  = "active: the SDK connects, or reconnects by itself"
	stoppedNote = "stopped: only a Connect call leaves these"
)

// nodeAt places every status.
var nodeAt = map[fsm.Status]pt{
	fsm.NetworkUnavailable: {2.0, activeY},
	fsm.Connecting:         {5.3, activeY},
	fsm.Connected:          {8.6, activeY},
	fsm.Suspend:            {6.95, suspendY},
	fsm.Timeout:            {2.8, stoppedY},
	fsm.Unconnected:        {4.5, stoppedY},
	fsm.TokenIncorrect:     {6.2, stoppedY},
	fsm.KickedOffline:      {7.9, stoppedY},
	fsm.UserBlocked:        {9.6, stoppedY},
	fsm.SignOut:            {11.3, stoppedY},
}

// halfSize returns a node's half width and half height.
func halfSize(s fsm.Status) (float64, float64) {
	if s.Active() {
		return activeHW, activeHH
	}
	return stoppedHW, stoppedHH
}

// side returns the point of s's border on side 'N', 'S', 'E' or 'W', at
// fraction f (-1..1) along it (left to right, or bottom to top).
func side(s fsm.Status, dir byte, f float64) pt {
	c := nodeAt[s]
	hw, hh := halfSize(s)
	switch dir {
	case 'N':
		return pt{c.X + f*hw, c.Y + hh}
	case 'S':
		return pt{c.X + f*hw, c.Y - hh}
	case 'E':
		return pt{c.X + hw, c.Y + f*hh}
	default:
		return pt{c.X - hw, c.Y + f*hh}
	}
}

// route is how one arrow is drawn: from, to, and for a curve two cubic
// Bézier control points; label is where its event name is centred (none
// for arrows into a stopped status: the name is written once above that
// status, where its arrows converge).
type route struct {
	from, to pt
	c1, c2   *pt
	label    *pt
}

func p(x, y float64) *pt { return &pt{x, y} }

// Group ends of arrows.
const (
	groupActive  = "ACTIVE"
	groupStopped = "STOPPED"
)

// routes gives the drawing of every arrow of fsm.Edges, keyed "SRC>DST"
// (SRC may be a group). An arrow missing here (after a change of
// fsm.Edges) is still drawn, straight from centre to centre; a test keeps
// the table complete.
var routes = func() map[string]route {
	NU, CI, CD, SU := fsm.NetworkUnavailable, fsm.Connecting, fsm.Connected, fsm.Suspend
	TO, UN, TI, KO, UB, SO := fsm.Timeout, fsm.Unconnected, fsm.TokenIncorrect, fsm.KickedOffline, fsm.UserBlocked, fsm.SignOut
	mid := func(a, b pt, dx, dy float64) *pt { m := lerp(a, b, 0.5).add(pt{dx, dy}); return &m }
	r := map[string]route{}
	add := func(src, dst string, rt route) { r[src+">"+dst] = rt }
	s := func(st fsm.Status) string { return st.String() }

	// Inside the connection mechanism.
	a, b := side(NU, 'E', 0.35), side(CI, 'W', 0.35)
	add(s(NU), s(CI), route{from: a, to: b, label: mid(a, b, 0, 0.16)})
	a, b = side(CI, 'W', -0.35), side(NU, 'E', -0.35)
	add(s(CI), s(NU), route{from: a, to: b, label: mid(a, b, 0, -0.17)})
	a, b = side(CI, 'E', 0), side(CD, 'W', 0)
	add(s(CI), s(CD), route{from: a, to: b, label: mid(a, b, 0, 0.16)})
	a, b = side(CD, 'N', -0.45), side(SU, 'S', 0.45)
	add(s(CD), s(SU), route{from: a, to: b, label: mid(a, b, 0.3, 0)})
	a, b = side(SU, 'S', -0.45), side(CI, 'N', 0.45)
	add(s(SU), s(CI), route{from: a, to: b, label: mid(a, b, -0.28, 0)})
	a, b = side(SU, 'W', 0), side(NU, 'N', 0.55)
	add(s(SU), s(NU), route{from: a, to: b, label: mid(a, b, -0.1, 0.17)})
	a, b = side(CD, 'N', 0.55), side(NU, 'N', -0.45)
	c1, c2 := pt{nodeAt[CD].X + 1.3, 8.5}, pt{nodeAt[NU].X - 1.0, 8.5}
	add(s(CD), s(NU), route{from: a, to: b, c1: &c1, c2: &c2, label: p(bezier(a, c1, c2, b, 0.5).X, bezier(a, c1, c2, b, 0.5).Y+0.13)})

	// Errors that stop the SDK: the name goes above the target.
	add(s(NU), s(TO), route{from: side(NU, 'S', 0.4), to: side(TO, 'N', -0.4)})
	add(s(CI), s(TO), route{from: side(CI, 'S', -0.8), to: side(TO, 'N', 0.4)})
	add(s(CI), s(UN), route{from: side(CI, 'S', -0.45), to: side(UN, 'N', 0)})
	add(s(CI), s(TI), route{from: side(CI, 'S', 0.35), to: side(TI, 'N', 0)})
	add(s(CI), s(KO), route{from: side(CI, 'S', 0.6), to: side(KO, 'N', -0.4)})
	add(s(CI), s(UB), route{from: side(CI, 'S', 0.85), to: side(UB, 'N', -0.4)})
	add(s(CD), s(KO), route{from: side(CD, 'S', -0.4), to: side(KO, 'N', 0.4)})
	add(s(CD), s(UB), route{from: side(CD, 'S', 0.4), to: side(UB, 'N', 0.4)})

	// App calls, from a whole group.
	x := nodeAt[NU].X - 0.5
	a, b = pt{x, stoppedBox[1].Y}, side(NU, 'S', -0.5/activeHW)
	add(groupStopped, s(NU), route{from: a, to: b, label: mid(a, b, 0, -0.15)})
	a, b = pt{nodeAt[CI].X, stoppedBox[1].Y}, side(CI, 'S', 0)
	add(groupStopped, s(CI), route{from: a, to: b, label: mid(a, b, 0, -0.15)})
	a, b = pt{nodeAt[SO].X, activeBox[0].Y}, side(SO, 'N', 0)
	add(groupActive, s(SO), route{from: a, to: b, label: mid(a, b, 0, 0.2)})
	return r
}()

// bezier returns the point at t of the cubic Bézier curve a, c1, c2, b.
func bezier(a, c1, c2, b pt, t float64) pt {
	u := 1 - t
	return a.scale(u * u * u).add(c1.scale(3 * u * u * t)).add(c2.scale(3 * u * t * t)).add(b.scale(t * t * t))
}
