package trace

import (
	"bytes"
	"hash/fnv"
	"testing"
)

func TestDigestIsFNVOfJSONLines(t *testing.T) {
	var buf bytes.Buffer
	if err := NewJSONWriter(&buf).WriteAll(everyKind); err != nil {
		t.Fatal(err)
	}
	h := fnv.New64a()
	h.Write(buf.Bytes())
	if got, want := Digest(everyKind), h.Sum64(); got != want {
		t.Errorf("Digest = %#x, FNV-1a of the JSON Lines = %#x", got, want)
	}
	changed := append([]Record(nil), everyKind...)
	changed[3].TimeLimit++
	if Digest(changed) == Digest(everyKind) {
		t.Error("a one-nanosecond change left the digest unchanged")
	}
	if n := testing.AllocsPerRun(100, func() { Digest(everyKind) }); n != 0 {
		t.Errorf("Digest allocates %v times", n)
	}
}
