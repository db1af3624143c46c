package outfile

import (
	"errors"
	"os"
	"sync"
)

// A process that must stop at once (a signal, with the command still
// working) calls Abort: every temporary file still staged is removed, and
// so is every directory a Batch made for files not yet in place; from then
// on no file is staged and no rename is done. So no stray ".NAME.tmp-*"
// or empty directory is left, whatever the command was doing.

// ErrAborted is the error of a write after Abort.
var ErrAborted = errors.New("stopped: the command was interrupted")

var live struct {
	sync.Mutex
	aborted bool
	temps   map[string]bool // staged temporary files
	dirs    map[string]bool // directories made for a batch still committing
}

// track records a staged temporary file, or fails after Abort.
func track(path string) error {
	live.Lock()
	defer live.Unlock()
	if live.aborted {
		return ErrAborted
	}
	if live.temps == nil {
		live.temps = map[string]bool{}
	}
	live.temps[path] = true
	return nil
}

// mkdirLive makes directory path and its parents, and records the ones it
// makes (missing), unless Abort came first.
func mkdirLive(path string, missing []string) error {
	live.Lock()
	defer live.Unlock()
	if live.aborted {
		return ErrAborted
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return err
	}
	if live.dirs == nil {
		live.dirs = map[string]bool{}
	}
	for _, m := range missing {
		live.dirs[m] = true
	}
	return nil
}

// untrack forgets paths: renamed into place, removed, or committed.
func untrack(paths ...string) {
	live.Lock()
	defer live.Unlock()
	for _, p := range paths {
		delete(live.temps, p)
		delete(live.dirs, p)
	}
}

// renameLive renames a staged file into place unless Abort came first.
func renameLive(tmp, target string) error {
	live.Lock()
	defer live.Unlock()
	if live.aborted {
		return ErrAborted
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	delete(live.temps, tmp)
	return nil
}

// Abort removes every staged temporary file and every directory made for
// a batch not yet committed (if empty), and makes every later write fail
// with ErrAborted. It is for a process about to exit.
func Abort() {
	live.Lock()
	defer live.Unlock()
	live.aborted = true
	for p := range live.temps {
		os.Remove(p)
	}
	var dirs []string
	for d := range live.dirs {
		dirs = append(dirs, d)
	}
	// Deepest first: a longer path cannot be an ancestor of a shorter.
	for len(dirs) > 0 {
		i := 0
		for j, d := range dirs {
			if len(d) > len(dirs[i]) {
				i = j
			}
		}
		os.Remove(dirs[i])
		dirs = append(dirs[:i], dirs[i+1:]...)
	}
	live.temps, live.dirs = nil, nil
}
