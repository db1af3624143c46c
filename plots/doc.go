// Package plots draws the figures design reviews read, with
// gonum.org/v1/plot: every figure has a title, axis labels with units, a
// grid, a legend beside the data when it has more than one series, and a
// caption under it giving the parameters and seed that made it. Series i
// of any figure is drawn in Color(i); the timeline and the state diagram
// use the same palette for fixed roles (green ok, vermillion failure,
// blue attempt, purple scripted or app call, orange lost).
//
// The figures:
//
//	TTCCDF             time to connect as a CDF, one curve per run, time limits marked
//	SuccessVsLoss      success within the time limit against loss, one curve per
//	                   time limit, 95% band, optional dashed overlay (analytic)
//	Timeline           one trial from its trace records: status steps, attempts,
//	                   lost messages, callbacks, heartbeats, scripted events
//	AttemptsHistogram  attempts per trial
//	StateDiagram       the status machine of fsm.Edges, laid out by hand and drawn
//	                   on gonum's vg canvas (no Graphviz); DOT and Mermaid give the
//	                   same machine as text through looplab/fsm's visualizers
//
// Each figure function returns a *Figure (a *Diagram for the state
// diagram) whose Save(path) writes PNG or SVG according to the extension
// (see Formats), atomically (WriteFileAtomic: a temporary file in the same
// directory, renamed into place), and whose Render writes to an
// io.Writer. Output depends only on the data: no clock, no map order.
// PNGs are PNGDPI dots per inch; fonts are the Liberation fonts shipped
// with gonum/plot, so a PNG looks the same on every machine (tests compare
// data and SVG text, not PNG bytes).
//
// The data helpers behind the figures are exported for tests and other
// tools: CDFPoints, AttemptCounts, DiagramArrows.
//
// The CLI writes these figures with `sim run --plot DIR`, `sim trace
// --plot FILE`, `sim fsm --format svg|png` and `sim sweep --plot|--cdf FILE`.
package plots
