package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/rcsim/connsim/internal/outfile"
	"github.com/rcsim/connsim/plots"
)

// Output files. Every output path of every command is checked before any
// work and before anything goes to stdout (checkOut): a path whose
// directory does not exist, or that is a directory, a FIFO, a device or a
// socket, is bad input (exit 2). A symlink is followed and its target
// replaced atomically. A command's files are then written together
// (outfile.Batch): figures are rendered first, all files are staged, and
// only then renamed into place and stdout written, so a failing figure
// leaves neither half the files nor half the output. Errors name the
// flag and the path given, never a temporary file.

// checkOut validates an output path before any work; "" is no file.
//
// One convention for "-": it is standard input as an input file (check
// -, plot -, merge -) and standard output as a shard's partial (run or
// sweep --shard K/N --out -, as without --out); any other output is a
// file, and "-" there is refused rather than made a file named "-".
func checkOut(flag, path string) error {
	if path == "" {
		return nil
	}
	if path == "-" {
		return usageError{fmt.Errorf("%s -: this output is a file (its command writes its summary on standard output); name one, such as ./-", flag)}
	}
	if err := outfile.CheckWritable(path); err != nil {
		return outErr(flag+" "+path, err)
	}
	return nil
}

// distinctOutputs refuses two outputs that name the same file (sweep
// --plot p.png --cdf p.png lost a figure): outs are pairs of a flag and
// its path, "" for none.
func distinctOutputs(outs ...[2]string) error {
	seen := map[string]string{}
	for _, o := range outs {
		if o[1] == "" {
			continue
		}
		key, err := filepath.Abs(o[1])
		if err != nil {
			key = o[1]
		}
		if prev, ok := seen[key]; ok {
			return usageError{fmt.Errorf("%s %s: the same file as %s; each output needs a file of its own", o[0], o[1], prev)}
		}
		seen[key] = o[0]
	}
	return nil
}

// outErr is err about the file labelled label, exit 2 when it is the
// path's fault (outfile.ErrUsage), exit 1 (an I/O error) otherwise.
func outErr(label string, err error) error {
	e := fmt.Errorf("%s: %w", label, err)
	if errors.Is(err, outfile.ErrUsage) {
		return usageError{e}
	}
	return e
}

// commitOutputs writes the batch; its errors already start with the label.
func commitOutputs(b *outfile.Batch) error {
	err := b.Commit()
	if err != nil && errors.Is(err, outfile.ErrUsage) {
		return usageError{err}
	}
	return err
}

// addFigure renders fig in the format path's extension names and queues
// it; a figure that cannot be rendered fails here, before any output.
func addFigure(b *outfile.Batch, label, path string, fig interface {
	Render(io.Writer, string) error
}) error {
	format, err := plots.FormatOf(path)
	if err != nil {
		return usageError{fmt.Errorf("%s: want a file name ending in .png or .svg", label)}
	}
	data, err := outfile.Render(func(w io.Writer) error { return fig.Render(w, format) })
	if err != nil {
		return fmt.Errorf("%s: %v", label, err)
	}
	b.AddBytes(label, path, data)
	return nil
}
