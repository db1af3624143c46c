package fsm

import (
	"fmt"
	"strings"
)

// PolicyChoice is one entry of a list of policies to compare: a policy
// and the jitter on top of it.
type PolicyChoice struct {
	Policy Policy
	Jitter Jitter
	// JitterSet: the entry named its jitter ("expo:1s,2,64s/full");
	// otherwise the command's --policy-jitter applies.
	JitterSet bool
}

// String is the entry as ParsePolicyList reads it.
func (c PolicyChoice) String() string {
	if c.JitterSet {
		return c.Policy.String() + "/" + c.Jitter.String()
	}
	return c.Policy.String()
}

// ParsePolicyList parses a comma-separated list of policies to compare,
// each optionally followed by /JITTER, e.g. "rc,rc/full,grpc,expo:1s,2,64s/full".
// The commas inside a list: or expo: spec belong to it: a comma starts a
// new entry only where what follows starts like a policy (a name, or
// fixed:, list:, expo:). At most max entries.
func ParsePolicyList(s string, max int) ([]PolicyChoice, error) {
	var items []string
	for _, tok := range strings.Split(s, ",") {
		t := strings.TrimSpace(tok)
		if len(items) == 0 || startsPolicy(t) {
			items = append(items, t)
			continue
		}
		items[len(items)-1] += "," + t
	}
	if len(items) > max {
		return nil, fmt.Errorf("at most %d policies (got %d)", max, len(items))
	}
	out := make([]PolicyChoice, 0, len(items))
	for _, it := range items {
		spec, jit, hasJit := strings.Cut(it, "/")
		p, err := ParsePolicy(spec)
		if err != nil {
			return nil, fmt.Errorf("%q: %v", it, err)
		}
		c := PolicyChoice{Policy: p, JitterSet: hasJit}
		if hasJit {
			if c.Jitter, err = ParseJitter(jit); err != nil {
				return nil, fmt.Errorf("%q: jitter must be one of %s", it, strings.Join(JitterNames(), ", "))
			}
			if _, err := NewBackoff(p, c.Jitter); err != nil {
				return nil, fmt.Errorf("%q: %v", it, err)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// startsPolicy reports whether t starts a policy entry.
func startsPolicy(t string) bool {
	name, _, _ := strings.Cut(t, "/")
	switch name {
	case "rc", "rc-legacy", "web", "grpc":
		return true
	}
	for _, k := range []string{"fixed:", "list:", "expo:"} {
		if strings.HasPrefix(t, k) {
			return true
		}
	}
	return false
}
