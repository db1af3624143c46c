package infile

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestFIFOWithoutWriterReadsEmpty: a FIFO nobody writes to opens at once
// and reads as empty (os.Open would block for ever); one with a writer
// reads its data.
func TestFIFOWithoutWriterReadsEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan []byte, 1)
	go func() {
		f, err := Open(path)
		if err != nil {
			t.Error(err)
			done <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		done <- b
	}()
	select {
	case b := <-done:
		if len(b) != 0 {
			t.Errorf("read %q from a FIFO without writer", b)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Open blocked on a FIFO without writer")
	}

	// With a writer: its bytes.
	go func() {
		w, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.Write([]byte("hello"))
		w.Close()
	}()
	for range 100 { // wait until the writer has the FIFO open
		f, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f)
		f.Close()
		if string(b) == "hello" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Error("never read the writer's bytes")
}
