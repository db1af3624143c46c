package properties

import (
	"fmt"
	"slices"
	"testing"
)

// A trace that ended idle reaches forever: nothing was left to happen, so a
// terminal callback or onDatabaseOpened missing at its end never comes
// (the connect-before-init-silent quirk ends this way). A trace cut at the
// horizon before the call is due owes nothing.
func TestIdleEndReachesForever(t *testing.T) {
	for _, tc := range []struct {
		end  string
		want []string
	}{
		{"idle", []string{"P2", "P4"}},
		{"horizon", nil},
	} {
		recs := parseTrace(t, fmt.Sprintf("0 d0 call connect 1 limit=5\n0 srv end %s\n", tc.end))
		var got []string
		for _, v := range Check(fixtureConfig(), recs) {
			got = append(got, v.Property)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("end %s: violations %v, want %v", tc.end, got, tc.want)
		}
	}
}
