package plots

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rcsim/connsim/internal/outfile"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PNGDPI is the resolution of PNG output: an 8 in wide figure is 1152 px.
const PNGDPI = 144

// Formats lists the file extensions Save understands.
//
// PDF is left out on purpose: gonum's PDF backend stamps the wall-clock
// creation date into the file, and figures must be reproducible.
var Formats = []string{".png", ".svg"}

// drawer is anything that draws itself on a canvas: a Figure or a Diagram.
type drawer interface{ Draw(draw.Canvas) }

// Save writes f to path in the format its extension names (.png or .svg),
// atomically: see WriteFileAtomic.
func (f *Figure) Save(path string) error { return save(f, f.Width, f.Height, path) }

// Render writes f in format ("png" or "svg") to w.
func (f *Figure) Render(w io.Writer, format string) error {
	return render(f, f.Width, f.Height, format, w)
}

func save(d drawer, width, height vg.Length, path string) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, func(w io.Writer) error { return render(d, width, height, format, w) })
}

// FormatOf returns the output format named by path's extension ("png" or
// "svg"), or an error naming the accepted extensions.
func FormatOf(path string) (string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range Formats {
		if ext == f {
			return ext[1:], nil
		}
	}
	return "", fmt.Errorf("plots: %s: unsupported file extension %q (want %s)", path, ext, strings.Join(Formats, ", "))
}

func render(d drawer, width, height vg.Length, format string, w io.Writer) error {
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(PNGDPI))}
	case "svg":
		c = vgsvg.New(width, height)
	default:
		return fmt.Errorf("plots: unsupported format %q (want png or svg)", format)
	}
	d.Draw(draw.New(c))
	_, err := c.WriteTo(w)
	return err
}

// WriteFileAtomic writes a file at path through write: into a temporary
// file in the same directory, which is renamed to path only once write and
// the close have succeeded. A reader never sees a partial file, and on any
// error path is left as it was (absent, or its old content) and the
// temporary file is removed. The file gets mode 0644. A symlink is
// followed (its target is replaced); a path that is not a regular file (a
// FIFO, a device) is refused. See package internal/outfile.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	return outfile.Write(path, write)
}
