package vocab

import (
	"strconv"
	"testing"
)

// TestWordsFit: the vocabulary fits a byte (Word) and leaves at least 100
// extra Words for the names of converted logs; its size is the figure the
// package doc and docs/properties.md give (105 Words besides None, 150
// extra).
func TestWordsFit(t *testing.T) {
	if MaxExtra != 256-int(numFixed) || MaxExtra < 100 {
		t.Fatalf("the vocabulary has %d words: a byte leaves %d extra, want at least 100", numFixed, MaxExtra)
	}
	if numFixed-1 != 105 || MaxExtra != 150 {
		t.Errorf("the vocabulary has %d words and %d extra: update the package doc and docs/properties.md (105 and 150)", numFixed-1, MaxExtra)
	}
}

// TestWordsRoundTrip: every Word has a text, no two Words share one, and
// ParseWord and Intern invert String.
func TestWordsRoundTrip(t *testing.T) {
	seen := map[string]Word{}
	for w := None; w < numFixed; w++ {
		s := w.String()
		if s == "" && w != None {
			t.Errorf("word %d has no text", w)
		}
		if o, ok := seen[s]; ok {
			t.Errorf("words %d and %d are both %q", o, w, s)
		}
		seen[s] = w
		if p, ok := ParseWord(s); !ok || p != w {
			t.Errorf("ParseWord(%q) = %d, %v; want %d", s, p, ok, w)
		}
		if p, ok := Intern(s); !ok || p != w {
			t.Errorf("Intern(%q) = %d, %v; want %d", s, p, ok, w)
		}
	}
	if _, ok := ParseWord("no such word"); ok {
		t.Error("ParseWord accepted a text outside the vocabulary")
	}
	if len(Words()) != int(numFixed)-1 {
		t.Errorf("Words() has %d words, want %d", len(Words()), numFixed-1)
	}
}

// TestInternConcurrent (before TestIntern takes every extra Word):
// goroutines interning the same texts get one Word
// each, and String reads it while others intern (go test -race).
func TestInternConcurrent(t *testing.T) {
	const n = 8
	got := make([][]Word, n)
	done := make(chan int)
	for g := range n {
		go func() {
			for i := range 20 {
				w, _ := Intern("concurrent " + strconv.Itoa(i))
				_ = w.String()
				got[g] = append(got[g], w)
			}
			done <- g
		}()
	}
	for range n {
		<-done
	}
	if got[0][0] == None {
		t.Fatal("no extra Word for a new text")
	}
	for g := 1; g < n; g++ {
		for i := range got[g] {
			if got[g][i] != got[0][i] {
				t.Fatalf("goroutines %d and 0 got words %d and %d for one text", g, got[g][i], got[0][i])
			}
		}
	}
}

// TestIntern: a text outside the vocabulary gets an extra Word, the same
// each time, whose String is the text; past MaxExtra texts Intern refuses.
func TestIntern(t *testing.T) {
	a, ok := Intern("a reason of a converted log")
	if !ok || a < numFixed {
		t.Fatalf("Intern gave %d, %v", a, ok)
	}
	if b, _ := Intern("a reason of a converted log"); b != a {
		t.Errorf("the same text got %d, then %d", a, b)
	}
	if a.String() != "a reason of a converted log" {
		t.Errorf("String() = %q", a.String())
	}
	for i := 0; ; i++ {
		w, ok := Intern("extra " + strconv.Itoa(i))
		if !ok {
			if i == 0 {
				t.Fatal("no extra Word left")
			}
			break
		}
		if w.String() != "extra "+strconv.Itoa(i) {
			t.Fatalf("word %d is %q", w, w.String())
		}
	}
	if w, ok := Intern("a reason of a converted log"); !ok || w != a {
		t.Error("a text met before is refused once the extra Words are taken")
	}
	if w, ok := Intern(OpConnect.String()); !ok || w != OpConnect {
		t.Error("a vocabulary text is refused once the extra Words are taken")
	}
}

// TestCloseWords: every close reason's Word reads back as the reason.
func TestCloseWords(t *testing.T) {
	for c := CloseLogout; c < numClose; c++ {
		if got, ok := CloseOf(c.Word()); !ok || got != c {
			t.Errorf("CloseOf(%v.Word()) = %v, %v", c, got, ok)
		}
		if got, ok := ParseClose(c.String()); !ok || got != c {
			t.Errorf("ParseClose(%q) = %v, %v", c.String(), got, ok)
		}
	}
	if _, ok := CloseOf(None); ok {
		t.Error("CloseOf(None) is a reason")
	}
	if _, ok := CloseOf(OpConnect); ok {
		t.Error("CloseOf(OpConnect) is a reason")
	}
}
