package trace

// FNV-1a 64 parameters.
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// Digest returns the FNV-1a 64 hash of the JSON Lines encoding of recs
// (AppendJSON of each record followed by "\n"), so it equals the FNV-1a 64
// of the file a JSON Writer writes. Equal traces have equal digests; it is
// the cheap determinism check (P11) for runs too large to keep traces.
// It does not allocate for records up to 512 bytes of JSON.
func Digest(recs []Record) uint64 {
	var buf [512]byte
	h := uint64(fnvOffset64)
	for i := range recs {
		b := AppendJSON(buf[:0], &recs[i])
		for _, c := range b {
			h ^= uint64(c)
			h *= fnvPrime64
		}
		h ^= '\n'
		h *= fnvPrime64
	}
	return h
}
