// Package outfile writes the CLI's output files safely: atomically, through
// symlinks, never over something that is not a regular file, and with
// errors that name the path the user gave (never a temporary file).
//
// The rules, for an output path P:
//   - P may be absent, a regular file, or a symlink (chain) to either: the
//     link is followed and its target is replaced atomically (a temporary
//     file in the target's directory, renamed over it); the link stays.
//   - P (or its target) that exists and is not a regular file (a
//     directory, FIFO, device or socket) is refused: replacing it would
//     unlink a device node, or leave a FIFO's reader waiting forever.
//   - The directory of P (or of its target) must exist.
//
// Check applies the rules before a command does any work; Batch writes
// several files so that either all are replaced or none is.
package outfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrUsage marks the errors of Check that are the user's input (a path
// that is not a regular file, a directory that does not exist): the CLI
// exits 2 on them.
var ErrUsage = errors.New("bad output path")

// usage wraps a message as an ErrUsage error.
type usage struct{ msg string }

func (u usage) Error() string        { return u.msg }
func (u usage) Is(target error) bool { return target == ErrUsage }

// maxLinks bounds the symlink hops Target follows (as Linux's ELOOP does).
const maxLinks = 40

// Target returns the file that writing path replaces: path itself, or the
// end of its chain of symlinks (which need not exist yet).
func Target(path string) (string, error) {
	p := path
	for range maxLinks {
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", usage{fmt.Sprintf("cannot read the symlink %s: %v", p, errText(err))}
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(p), link)
		}
		p = link
	}
	return "", usage{"too many levels of symlinks"}
}

// Check reports whether path can be written by Write: its target is absent
// or a regular file, and the target's directory exists and is a directory.
// The message does not repeat path; callers prefix the flag and path.
func Check(path string) error {
	if path == "" {
		return usage{"empty file name"}
	}
	t, err := Target(path)
	if err != nil {
		return err
	}
	fi, err := os.Stat(t)
	switch {
	case err == nil && fi.IsDir():
		return usage{"is a directory; want a file"}
	case err == nil && !fi.Mode().IsRegular():
		return usage{fmt.Sprintf("is not a regular file (%s); refusing to replace it", kind(fi.Mode()))}
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return usage{fmt.Sprintf("cannot stat: %v", errText(err))}
	}
	dir := filepath.Dir(t)
	if di, err := os.Stat(dir); err != nil || !di.IsDir() {
		return usage{fmt.Sprintf("directory %s does not exist", dir)}
	}
	return nil
}

// CheckWritable is Check, then a probe that a file can be created in the
// target's directory (a temporary file, removed at once).
func CheckWritable(path string) error {
	if err := Check(path); err != nil {
		return err
	}
	t, _ := Target(path)
	f, err := os.CreateTemp(filepath.Dir(t), ".sim-probe-*")
	if err != nil {
		return usage{fmt.Sprintf("cannot write in %s: %v", filepath.Dir(t), errText(err))}
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// errText is err without the file names of *fs.PathError and
// *os.LinkError (a temporary file's name means nothing to the user).
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// clean shows err without file names (see errText) and unwraps to it.
type clean struct{ err error }

func (c clean) Error() string { return errText(c.err) }
func (c clean) Unwrap() error { return c.err }

// Write writes path atomically through write (see the package rules): a
// reader never sees a partial file, and on any error path is left as it was
// and no temporary file remains. The file gets mode 0644.
func Write(path string, write func(io.Writer) error) error {
	var b Batch
	b.Add("", path, write)
	return b.Commit()
}

// Batch is a set of files written together: Commit creates and fills every
// temporary file first, and renames them over their targets only once all
// succeeded, so a failure (a figure that cannot be rendered, a full disk)
// leaves every path as it was.
type Batch struct {
	files []pending
	dirs  []pendingDir
}

type pendingDir struct{ label, path string }

// Mkdir queues directory path (and its parents), created by Commit before
// the files and removed again if Commit fails: a directory of figures is
// made only when its figures are written (an interrupted or failed command
// leaves no empty one).
func (b *Batch) Mkdir(label, path string) {
	b.dirs = append(b.dirs, pendingDir{label, path})
}

// mkdirs creates dirs and returns the directories it created, deepest
// first, for removal on failure.
func mkdirs(dirs []pendingDir) (created []string, err error) {
	for _, d := range dirs {
		var missing []string
		for p := filepath.Clean(d.path); ; p = filepath.Dir(p) {
			if _, err := os.Lstat(p); err == nil || p == filepath.Dir(p) {
				break
			}
			missing = append(missing, p)
		}
		if err := mkdirLive(d.path, missing); err != nil {
			if errors.Is(err, ErrAborted) {
				return created, fmt.Errorf("%s: %w", d.label, err)
			}
			return created, fmt.Errorf("%s: %w", d.label, clean{err})
		}
		created = append(created, missing...)
	}
	return created, nil
}

type pending struct {
	label string // names the file in errors, e.g. "--plot fig.png"
	path  string
	write func(io.Writer) error
}

// Add queues path, written by write; label names it in errors (for
// instance "--out sweep.csv"; the path when empty).
func (b *Batch) Add(label, path string, write func(io.Writer) error) {
	if label == "" {
		label = path
	}
	b.files = append(b.files, pending{label, path, write})
}

// AddBytes queues path with content data.
func (b *Batch) AddBytes(label, path string, data []byte) {
	b.Add(label, path, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// Paths lists the queued paths in order.
func (b *Batch) Paths() []string {
	out := make([]string, len(b.files))
	for i, f := range b.files {
		out[i] = f.path
	}
	return out
}

// Commit writes the queued files. An error starts with the file's label
// and names no temporary file; Check's errors match ErrUsage.
func (b *Batch) Commit() (err error) {
	type staged struct{ tmp, target, path string }
	var done []staged
	created, err := mkdirs(b.dirs)
	defer func() {
		if err != nil {
			for _, s := range done {
				os.Remove(s.tmp)
				untrack(s.tmp)
			}
			for _, d := range created { // deepest first; only if still empty
				os.Remove(d)
			}
		}
		untrack(created...)
	}()
	if err != nil {
		return err
	}
	for _, f := range b.files {
		if err := Check(f.path); err != nil {
			return fmt.Errorf("%s: %w", f.label, err)
		}
		target, _ := Target(f.path)
		tmp, err := stage(target, f.write)
		if err != nil {
			return fmt.Errorf("%s: %w", f.label, err)
		}
		done = append(done, staged{tmp, target, f.label})
	}
	for i, s := range done {
		if err := renameLive(s.tmp, s.target); err != nil {
			for _, r := range done[i:] {
				os.Remove(r.tmp)
				untrack(r.tmp)
			}
			done, created = nil, nil // the files renamed so far stay, in their directory
			if errors.Is(err, ErrAborted) {
				return fmt.Errorf("%s: %w", s.path, err)
			}
			return fmt.Errorf("%s: %w", s.path, clean{err})
		}
	}
	return nil
}

// stage writes a temporary file beside target and returns its name; on
// error nothing is left. The error text names no file.
func stage(target string, write func(io.Writer) error) (name string, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return "", clean{err}
	}
	if err := track(tmp.Name()); err != nil { // Abort came first
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			untrack(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err = write(bw); err != nil {
		return "", clean{err}
	}
	if err = bw.Flush(); err != nil {
		return "", clean{err}
	}
	if err = tmp.Chmod(0o644); err != nil {
		return "", clean{err}
	}
	if err = tmp.Sync(); err != nil {
		return "", clean{err}
	}
	if err = tmp.Close(); err != nil {
		return "", clean{err}
	}
	return tmp.Name(), nil
}

// Render returns what write writes, for a Batch entry that must be
// rendered before any output (a figure rendered before stdout is written).
func Render(write func(io.Writer) error) ([]byte, error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
