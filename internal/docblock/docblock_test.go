package docblock

import (
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	text := "intro\n```\n$ sim run --loss 0.3 \\\n    --trials 10\nline 1\n...\nline 3\n```\n\n```sh\nsim run\n```\n" +
		"- item\n\n  ```\n  $ sim storm\n  out\n  ```\n```\n$ other\n```\n"
	b := parse("f.md", text, "sim ")
	if len(b) != 2 {
		t.Fatalf("%d blocks: %+v", len(b), b)
	}
	if b[0].Where() != "f.md:3" || !slices.Equal(b[0].Args, []string{"sim", "run", "--loss", "0.3", "--trials", "10"}) ||
		!slices.Equal(b[0].Want, []string{"line 1", "...", "line 3"}) {
		t.Errorf("first block %+v", b[0])
	}
	if b[1].Where() != "f.md:16" || !slices.Equal(b[1].Args, []string{"sim", "storm"}) || !slices.Equal(b[1].Want, []string{"out"}) {
		t.Errorf("indented block %+v", b[1])
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		want []string
		got  string
		ok   bool
	}{
		{[]string{"a", "b"}, "a\nb\n", true},
		{[]string{"a", "b"}, "a\nc\n", false},
		{[]string{"a"}, "a\nb\n", false},
		{[]string{"a", "b"}, "a\n", false},
		{[]string{"...", "c"}, "a\nb\nc\n", true},
		{[]string{"a", "...", "c"}, "a\nc\n", true},
		{[]string{"a", "...", "c"}, "a\nb\nd\n", false},
		{[]string{"a", "..."}, "a\nb\nd\n", true},
		{[]string{"...", "b", "...", "d"}, "a\nb\nc\nd\n", true},
		{nil, "", true},
	} {
		if ok, miss := Match(c.want, c.got); ok != c.ok {
			t.Errorf("Match(%q, %q) = %v (%q), want %v", c.want, c.got, ok, miss, c.ok)
		}
	}
}
