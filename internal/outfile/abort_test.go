package outfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// Abort while a batch is staging (a signal mid-write): the staged file
// and the directory made for it are removed, the batch fails with
// ErrAborted, and a later write fails too.
func TestAbortLeavesNothing(t *testing.T) {
	defer func() { live.Lock(); live.aborted = false; live.Unlock() }()
	dir := t.TempDir()
	figs := filepath.Join(dir, "a", "b")
	var b Batch
	b.Mkdir("--plot "+figs, figs)
	b.AddBytes("--plot first", filepath.Join(figs, "first.png"), []byte("x"))
	b.Add("--plot second", filepath.Join(figs, "second.png"), func(w io.Writer) error {
		w.Write([]byte("partial"))
		Abort() // the signal arrives mid-write
		return nil
	})
	err := b.Commit()
	if !errors.Is(err, ErrAborted) {
		t.Fatalf("Commit after Abort: %v, want ErrAborted", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a")); !os.IsNotExist(err) {
		left, _ := filepath.Glob(filepath.Join(figs, "*"))
		t.Errorf("left %s (%v): %v", filepath.Join(dir, "a"), left, err)
	}
	if err := Write(filepath.Join(dir, "later"), func(w io.Writer) error { return nil }); !errors.Is(err, ErrAborted) {
		t.Errorf("Write after Abort: %v, want ErrAborted", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left %v", left)
	}
}
