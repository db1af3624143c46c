package model

import (
	"strings"
	"testing"
)

// The reconnection kick is a per-device setting that web devices cannot
// make (issue 20; docs/profiles.md "What reaches the app"): a web device's
// reconnect_kick and --kick-policy reconnect-kicked with --profile web are
// refused with one line naming the field and why.
func TestWebRefusesReconnectKick(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"devices: [{user: 0, platform: web, reconnect_kick: false}]\nscript: [{at: 0s, do: init}]\n",
			"devices[0].reconnect_kick: must be left out for a web device: web SDKs cannot set the reconnection kick"},
		{"params: {profile: web}\ndevices: [{user: 0, reconnect_kick: true}]\nscript: [{at: 0s, do: init}]\n",
			"devices[0].reconnect_kick: must be left out for a web device"},
	} {
		_, _, err := ParseFile("t.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.yaml, err, c.want)
		}
	}
	p := DefaultParams()
	p.TimeLimit = 0 // web's connect takes none
	if err := Registry.Lookup("profile").Set(&p, "web"); err != nil {
		t.Fatal(err)
	}
	if err := Registry.Lookup("kick-policy").Set(&p, "reconnect-kicked"); err != nil {
		t.Fatal(err)
	}
	if err := p.validateProfile(); err == nil || !strings.Contains(err.Error(), "--kick-policy must be default with --profile web") {
		t.Errorf("web with reconnect-kicked: %v", err)
	}
	// A mobile device's own choice is taken.
	_, sc, err := ParseFile("t.yaml", []byte("devices: [{user: 0, reconnect_kick: true}, {user: 0, reconnect_kick: false}, {user: 0}]\nscript: [{at: 0s, do: init}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{sc.Devices[0].Kick.String(), sc.Devices[1].Kick.String(), sc.Devices[2].Kick.String()}; strings.Join(got, ",") != "on,off,unset" {
		t.Errorf("kick choices %v, want on, off, unset", got)
	}
}
