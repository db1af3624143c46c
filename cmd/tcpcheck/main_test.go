package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadInputIsOneLineExit2(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "f.png")
	for _, args := range [][]string{
		{"--loss", "0.1,x"}, {"--loss", "1.5"}, {"--latency", "-1s"}, {"--latency", "1s"},
		{"--trials", "0"}, {"--workers", "0"}, {"--out", filepath.Join(dir, "f.pdf")},
		{"--nope"}, {"extra"}, {"--loss-model", "ge:0.1,0.5"}, {"--loss-model", "bernoulli"},
		{"--loss-model", "ge:0,0,1,0"}, {"--loss", "0.1", "--loss-model", "ge:0.1,0.5,1,0"}, {"--trials", "5", "--loss", "nan", "--out", out},
	} {
		var so, se bytes.Buffer
		if code := Main(args, &so, &se); code != 2 || so.Len() != 0 || strings.Count(se.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, so.String(), se.String())
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a file was written on bad input")
	}
}

func TestSmallRunWritesFigure(t *testing.T) {
	out := filepath.Join(t.TempDir(), "f.svg")
	var so, se bytes.Buffer
	if code := Main([]string{"--trials", "20", "--loss", "0,0.3", "--out", out}, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	want := "\n0      gVisor  20 (100.00%)         0.200s    0.200s    0.200s    0.200s   0.0000 at 0.200s (gVisor 1.0000, model 1.0000): ok\n" +
		"0      model   20 (100.00%)         0.200s    0.200s    0.200s    0.200s\n"
	if !strings.Contains(so.String(), want) {
		t.Errorf("loss 0 line missing or wrong:\n%s", so.String())
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		t.Errorf("figure not written: %v", err)
	}
}

func TestGilbertElliottRun(t *testing.T) {
	var so, se bytes.Buffer
	if code := Main([]string{"--trials", "10", "--loss-model", "ge:0,1,1,0"}, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	// P = 0: the chain never leaves the good state, which loses nothing.
	if !strings.Contains(so.String(), " gVisor  10 (100.00%)         0.200s    0.200s    0.200s    0.200s") {
		t.Errorf("ge run without loss:\n%s", so.String())
	}
}

func TestHelpOnceExit0(t *testing.T) {
	var so, se bytes.Buffer
	if code := Main([]string{"--help"}, &so, &se); code != 0 || se.Len() != 0 || strings.Count(so.String(), "Usage:") != 1 || !strings.Contains(so.String(), "--loss-model") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, so.String(), se.String())
	}
}
