// Package infile opens the files the commands read without blocking on a
// FIFO: opening a named pipe that no process writes to blocks until one
// does, so an input such as --scenario FIFO would hang for ever. Open
// opens it non-blocking instead: a FIFO with a writer is read as usual
// (Go's poller waits for its data), one without reads as empty at once.
package infile

import (
	"os"
	"syscall"
)

// Open opens path for reading like os.Open, but does not wait for a
// writer when path is a FIFO. Regular files and devices read as with
// os.Open.
func Open(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
