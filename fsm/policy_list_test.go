package fsm

import (
	"strings"
	"testing"
)

func TestParsePolicyList(t *testing.T) {
	got, err := ParsePolicyList("rc, rc/full,grpc,expo:1s,2,64s/equal,list:1s,2s,fixed:3s", 10)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range got {
		names = append(names, c.String())
	}
	want := "rc|rc/full|grpc|expo:1s,2,1m4s/equal|list:1s,2s|fixed:3s"
	if s := strings.Join(names, "|"); s != want {
		t.Fatalf("got %s, want %s", s, want)
	}
	for _, bad := range []string{"", "rc/wobbly", "expo:1s,2", "nope", "2s", "rc,rc,rc"} {
		if _, err := ParsePolicyList(bad, 2); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}
