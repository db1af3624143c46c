package properties

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/vocab"
)

// TestSessionTableModel: opens and closes of a few users, platforms,
// devices and seqs, across resets, leave the table's oldest open session
// of every key as a plain list of open sessions says (a close closes the
// oldest open session with its key, device and seq).
func TestSessionTableModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var tab sessionTable
		if rapid.Bool().Draw(t, "reserve") {
			tab.reserve(rapid.IntRange(0, 8).Draw(t, "users"))
		}
		type open struct {
			k   sessKey
			dev int32
			seq uint32
			idx int
		}
		var model []open
		plats := []vocab.Word{vocab.PlatformMobile, vocab.PlatformWeb, vocab.PlatformDesktop}
		key := func() sessKey {
			return sessKey{rapid.Int32Range(-1, 3).Draw(t, "user"), rapid.SampledFrom(plats).Draw(t, "platform")}
		}
		for i := range rapid.IntRange(1, 200).Draw(t, "steps") {
			switch rapid.IntRange(0, 9).Draw(t, "op") {
			case 0:
				tab.reset()
				model = model[:0]
			case 1, 2, 3, 4:
				k := key()
				o := open{k, rapid.Int32Range(0, 2).Draw(t, "dev"), uint32(rapid.IntRange(1, 3).Draw(t, "seq")), i}
				tab.open(k, sess{dev: o.dev, seq: o.seq, idx: rec(i)})
				model = append(model, o)
			default:
				k := key()
				dev, seq := rapid.Int32Range(0, 2).Draw(t, "dev"), uint32(rapid.IntRange(1, 3).Draw(t, "seq"))
				tab.close(k, dev, seq)
				for j, o := range model {
					if o.k == k && o.dev == dev && o.seq == seq {
						model = append(model[:j], model[j+1:]...)
						break
					}
				}
			}
			for _, user := range []int32{-1, 0, 1, 2, 3} {
				for _, p := range plats {
					k := sessKey{user, p}
					got, ok := tab.oldest(k)
					want := -1
					for _, o := range model {
						if o.k == k {
							want = o.idx
							break
						}
					}
					if ok != (want >= 0) || ok && int(got.idx) != want {
						t.Fatalf("oldest of %v: got %v (open %v), want record %d", k, got.idx, ok, want)
					}
				}
			}
		}
	})
}

// The trace name P10 exempts with MultiMobile is the server's mobile class.
func TestMobileName(t *testing.T) {
	if mobile != server.Mobile.Word() {
		t.Errorf("mobile = %q, server.Mobile = %q", mobile, server.Mobile.Word())
	}
}
