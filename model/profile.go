package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/server"
)

// validateProfile checks the parameters against the profile's API.
func (p Params) validateProfile() error {
	prof := p.Client.Profile.Or()
	if !prof.TimeLimit && p.TimeLimit > 0 {
		return fmt.Errorf("--time-limit must be 0 with --profile %s: its connect takes no timeLimit (got %v)", prof.Name, p.TimeLimit)
	}
	if prof == fsm.ProfileWeb && p.KickPolicy != server.PolicyDefault {
		return fmt.Errorf("--kick-policy must be default with --profile web: web SDKs cannot set the reconnection kick (got %s)", p.KickPolicy)
	}
	return nil
}

// ForProfile adapts a scenario built by the knobs to profile prof: a web
// profile's devices are web clients (platform class web on the server).
func (s *Scenario) ForProfile(prof *fsm.Profile) {
	if prof.Or() != fsm.ProfileWeb {
		return
	}
	for i := range s.Devices {
		s.Devices[i].Platform = server.Web
	}
}

// profileParam is --profile: it selects the profile whose declared
// defaults apply (Registry.Resolve: --policy web, --time-limit 0 for web;
// --bg-disconnect-after 2m for ios) and sets the profile.
var profileParam = param.Custom("profile", "the platform SDK to model (docs/profiles.md): its status names and values, status machine and defaults",
	"string", "name", param.OneOf(profileNames()), param.Ops[Params]{
		Set: func(p *Params, s string) error {
			prof, err := fsm.ParseProfile(strings.TrimSpace(s))
			if err != nil {
				return errors.New("must be " + param.OneOf(profileNames()) + " (got " + strconv.Quote(s) + ")")
			}
			setProfile(p, prof)
			return nil
		},
		Get:  func(p *Params) string { return p.Client.Profile.Or().Name },
		JSON: func(p *Params) (any, bool) { return p.Client.Profile.Or().Name, true },
		Copy: func(dst, src *Params) { dst.Client.Profile = src.Client.Profile },
	}).JSON("profile").Profile("ios", "ios").Profile("web", "web").SelectsProfile()

// setProfile makes p model prof; the default profile is a nil pointer, so
// android parameters are what they were before profiles existed.
func setProfile(p *Params, prof *fsm.Profile) {
	p.Client.Profile = prof
	if prof.Or() == fsm.ProfileAndroid {
		p.Client.Profile = nil
	}
}

func profileNames() []string {
	out := make([]string, len(fsm.Profiles))
	for i, p := range fsm.Profiles {
		out[i] = p.Name
	}
	return out
}
