package plots

import (
	"image/color"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// PaletteSize is the number of distinct series colours: Color(i) and
// Color(i+PaletteSize) are the same, so a figure with more series than
// this repeats colours.
const PaletteSize = 7

// palette is the Okabe-Ito colour-blind-safe palette without its yellow,
// which is unreadable on white. Every colour of every figure comes from
// Color, so a colour means the same thing wherever it appears: series i of
// any figure is Color(i), and the timeline and the state diagram use the
// named roles below.
var palette = [PaletteSize]color.RGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // 0 blue
	{0xD5, 0x5E, 0x00, 0xFF}, // 1 vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // 2 bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // 3 reddish purple
	{0xE6, 0x9F, 0x00, 0xFF}, // 4 orange
	{0x56, 0xB4, 0xE9, 0xFF}, // 5 sky blue
	{0x00, 0x00, 0x00, 0xFF}, // 6 black
}

// Color returns colour i of the figures' palette, wrapping around; series i
// of every figure is drawn in Color(i).
func Color(i int) color.Color {
	n := len(palette)
	return palette[((i%n)+n)%n]
}

// Colour roles of the timeline and the state diagram, as palette indices.
const (
	roleStart    = 0 // attempt start; moves inside the connection mechanism
	roleFail     = 1 // attempt failure, onError, missed pong; errors that stop the SDK
	roleOK       = 2 // attempt ok, onSuccess
	roleScripted = 3 // scripted events; app calls in the state diagram
	roleLost     = 4 // lost messages and lost connections
	roleInfo     = 5 // onDatabaseOpened
	roleNeutral  = 6 // heartbeats, time limits, text
)

// tint returns c mixed with white: a = 0 gives white, 1 gives c.
func tint(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8(255 - a*(255-float64(v>>8))) }
	return color.RGBA{mix(r), mix(g), mix(b), 0xFF}
}

// shade returns c mixed with black: a = 0 gives c, 1 gives black.
func shade(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8((1 - a) * float64(v>>8)) }
	return color.RGBA{mix(r), mix(g), mix(b), 0xFF}
}

// translucent returns c with alpha a (0..1), premultiplied.
func translucent(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	return color.RGBA{uint8(a * float64(r>>8)), uint8(a * float64(g>>8)), uint8(a * float64(b>>8)), uint8(a * 255)}
}

var (
	grey      = color.Gray{0x66}
	lightGrey = color.Gray{0xDD}
	gridGrey  = color.Gray{0xE4}
)

// sans returns Liberation Sans (shipped with gonum/plot, so every machine
// renders the same glyphs) at size points.
func sans(size float64, bold bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(size)}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return f
}
