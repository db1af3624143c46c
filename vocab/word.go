package vocab

import (
	"strconv"
	"sync"
	"sync/atomic"
)

// Word is a name a trace record carries: an op, a callback name, an
// attempt phase or step, a reason, a platform class, a message kind or a
// timer name. A record's name fields are Words, not strings, so that a
// record is small and built by copying bytes, a checker compares a name
// in one instruction, and a table indexed by Word (an array of 256)
// replaces a map keyed by text.
//
// The vocabulary (the constants of this package, numFixed of them) names
// everything a world of connsim writes. Words equal as text are one Word:
// "connect" the op and "connect" the attempt reason are OpConnect, so
// Words compare exactly as their texts do. The zero Word, None, is the
// empty text (a record with no reason).
//
// A trace converted from a real SDK's logs may carry texts outside the
// vocabulary where the reader accepts any (reasons, the msg and timer
// detail records, a session's platform, app_key:STATE): Intern gives each
// such text an extra Word, the same one for the same text for the life of
// the process. There are MaxExtra of them; the reader refuses a text past
// that. No world writes one, so a simulated trace never uses them.
type Word uint8

// None is the empty text: no name.
const None Word = 0

// MaxExtra is how many texts outside the vocabulary a process can read
// (Intern): every Word the vocabulary leaves free.
const MaxExtra = 256 - int(numFixed)

// String returns w's text: the vocabulary's, an extra Word's text as
// Intern was given it, "word(N)" for a Word that names nothing.
func (w Word) String() string {
	if w < numFixed {
		return words[w]
	}
	if s := extra.text[w].Load(); s != nil {
		return *s
	}
	return "word(" + strconv.Itoa(int(w)) + ")"
}

// byText maps each text of the vocabulary to its Word.
var byText = func() map[string]Word {
	m := make(map[string]Word, numFixed)
	for w, s := range words {
		m[s] = Word(w)
	}
	return m
}()

// ParseWord returns the vocabulary's Word of text s ("" is None).
func ParseWord(s string) (Word, bool) {
	w, ok := byText[s]
	return w, ok
}

// extra holds the Words Intern gave texts outside the vocabulary: text
// is read without a lock (Word.String), written once per Word under mu.
var extra struct {
	mu     sync.Mutex
	byText map[string]Word
	text   [256]atomic.Pointer[string]
}

// Intern returns the Word of text s: its vocabulary Word, or else the
// extra Word this process gave s when it first met it. It reports false
// when s is outside the vocabulary and all MaxExtra extra Words are
// taken by other texts. It is safe for concurrent use.
func Intern(s string) (Word, bool) {
	if w, ok := byText[s]; ok {
		return w, true
	}
	extra.mu.Lock()
	defer extra.mu.Unlock()
	if w, ok := extra.byText[s]; ok {
		return w, true
	}
	n := len(extra.byText)
	if n >= MaxExtra {
		return None, false
	}
	if extra.byText == nil {
		extra.byText = map[string]Word{}
	}
	w := numFixed + Word(n)
	c := string(append([]byte(nil), s...)) // s may alias a reader's buffer
	extra.byText[c] = w
	extra.text[w].Store(&c)
	return w, true
}

// Words returns the vocabulary's Words, None excepted, in order.
func Words() []Word {
	ws := make([]Word, 0, numFixed-1)
	for w := Word(1); w < numFixed; w++ {
		ws = append(ws, w)
	}
	return ws
}
