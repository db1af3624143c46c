package trace

import (
	"io"

	"github.com/rcsim/connsim/fsm"
)

// Writer writes records one at a time, one line each: JSON Lines (see
// NewJSONWriter) or a text timeline (see NewTextWriter). Each Write makes
// exactly one Write call on the underlying writer, so wrap files in a
// bufio.Writer (and flush it). A Writer is not safe for concurrent use.
type Writer struct {
	w    io.Writer
	text bool
	buf  []byte       // reused line buffer
	prof *fsm.Profile // how statuses are published; nil: android
}

// SetProfile makes w write statuses as profile p publishes them.
func (w *Writer) SetProfile(p *fsm.Profile) { w.prof = p }

// NewJSONWriter returns a Writer of JSON Lines: AppendJSON of each record,
// then "\n". ReadJSONL reads its output back.
func NewJSONWriter(w io.Writer) *Writer { return &Writer{w: w} }

// NewTextWriter returns a Writer of the readable timeline: AppendText of
// each record, then "\n".
func NewTextWriter(w io.Writer) *Writer { return &Writer{w: w, text: true} }

// Write writes r as one line.
func (w *Writer) Write(r *Record) error {
	if w.text {
		w.buf = AppendTextProfile(w.buf[:0], r, w.prof)
	} else {
		w.buf = AppendJSONProfile(w.buf[:0], r, w.prof)
	}
	w.buf = append(w.buf, '\n')
	_, err := w.w.Write(w.buf)
	return err
}

// WriteAll writes every record of recs, stopping at the first error.
func (w *Writer) WriteAll(recs []Record) error {
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			return err
		}
	}
	return nil
}
