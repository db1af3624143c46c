package trace

import (
	"testing"
	"unsafe"
)

// TestRecordSize: a record packs into 88 bytes (its names are one-byte
// vocab.Words, its fields ordered by size); a trial appends a dozen.
func TestRecordSize(t *testing.T) {
	if s := unsafe.Sizeof(Record{}); s != 88 {
		t.Errorf("a Record is %d bytes, want 88", s)
	}
}
