package properties

import (
	"fmt"

	"github.com/rcsim/connsim/trace"
)

// CheckP10 checks P10 (one session per user and platform) across devices:
// a session open record while another session of the same (user, platform)
// is open, of another device or of the same one, is a violation. A close
// record closes the open session with the same user, platform, device and
// seq (a close that matches none changes nothing).
func CheckP10(_ Config, recs []trace.Record) []Violation {
	type session struct {
		user     int32
		platform string
		dev      int16
		seq      uint32
		idx      int // its open record
	}
	var sbuf [8]session
	open := sbuf[:0]
	var out []Violation
	for i := range recs {
		r := &recs[i]
		if r.Kind != trace.KSession {
			continue
		}
		switch r.Op {
		case opOpen:
			for _, s := range open {
				if s.user == r.User && s.platform == r.Platform {
					out = append(out, violation("P10", recs, i, fmt.Sprintf(
						"second live session of user %d on %s: dev%d seq %d, opened at record %d, is still open",
						r.User, r.Platform, s.dev, s.seq, s.idx)))
					break
				}
			}
			open = append(open, session{r.User, r.Platform, r.Dev, r.Seq, i})
		case opClose:
			for j, s := range open {
				if s.user == r.User && s.platform == r.Platform && s.dev == r.Dev && s.seq == r.Seq {
					open = append(open[:j], open[j+1:]...)
					break
				}
			}
		}
	}
	return out
}
