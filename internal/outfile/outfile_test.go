package outfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func write(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// A symlink is followed: the target gets the new content, the link stays.
func TestWriteFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.txt")
	os.WriteFile(target, []byte("old"), 0o644)
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink("real.txt", link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, write("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target holds %q, want new", b)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link became a %v", fi.Mode())
	}
	// A dangling link creates its target.
	dl := filepath.Join(dir, "dangling")
	os.Symlink(filepath.Join(dir, "later.txt"), dl)
	if err := Write(dl, write("x")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "later.txt")); string(b) != "x" {
		t.Errorf("dangling link's target holds %q", b)
	}
	// A loop of links is refused.
	os.Symlink("b", filepath.Join(dir, "a"))
	os.Symlink("a", filepath.Join(dir, "b"))
	if err := Write(filepath.Join(dir, "a"), write("x")); !errors.Is(err, ErrUsage) {
		t.Errorf("link loop: %v, want ErrUsage", err)
	}
}

// What is not a regular file is refused (and left as it was), as is a
// directory that does not exist.
func TestCheckRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no mkfifo:", err)
	}
	link := filepath.Join(dir, "tofifo")
	os.Symlink(fifo, link)
	for path, want := range map[string]string{
		fifo:                              "is not a regular file (a FIFO)",
		link:                              "is not a regular file (a FIFO)",
		"/dev/null":                       "is not a regular file (a character device)",
		dir:                               "is a directory",
		filepath.Join(dir, "no", "x.txt"): "directory " + filepath.Join(dir, "no") + " does not exist",
		filepath.Join(fifo + "/x"):        "directory",
	} {
		err := Write(path, write("x"))
		if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want ErrUsage with %q", path, err, want)
		}
	}
	if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced by a %v", fi.Mode())
	}
}

// A batch is all or nothing: a failing file leaves every path as it was,
// no temporary file remains, and the error names no temporary file.
func TestBatchAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	os.WriteFile(a, []byte("old a"), 0o644)
	boom := errors.New("boom")
	var batch Batch
	batch.AddBytes("--out a.txt", a, []byte("new a"))
	batch.Add("--plot b.txt", b, func(w io.Writer) error { io.WriteString(w, "half"); return boom })
	err := batch.Commit()
	if !errors.Is(err, boom) || err.Error() != "--plot b.txt: boom" {
		t.Fatalf("Commit: %v, want \"--plot b.txt: boom\"", err)
	}
	if got, _ := os.ReadFile(a); string(got) != "old a" {
		t.Errorf("a.txt holds %q after a failed batch, want its old content", got)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("left %d entries, want only a.txt", len(ents))
	}
	// A directory that cannot be written: the error names no temp file.
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o555)
	if os.Getuid() != 0 {
		err := Write(filepath.Join(ro, "x.txt"), write("x"))
		if err == nil || strings.Contains(err.Error(), ".tmp-") || strings.Contains(err.Error(), "*") {
			t.Errorf("read-only dir: %v, want an error without a temporary file's name", err)
		}
	}
}
