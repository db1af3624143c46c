package sim

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"gopkg.in/yaml.v3"
)

// File is a scenario file (YAML). Every section is optional; what is
// missing comes from the default scenario (one mobile device of user 0, a
// valid token and app key). Params overrides model parameters; flags given
// on the command line override Params in turn.
type File struct {
	Description       string       `yaml:"description"`
	Devices           []fileDevice `yaml:"devices"`
	Tokens            []fileToken  `yaml:"tokens"`
	AppKeys           []string     `yaml:"app_keys"`
	VerificationFails bool         `yaml:"verification_fails"`
	ProxyUnavailable  bool         `yaml:"proxy_unavailable"`
	BlockedUsers      []int        `yaml:"blocked_users"`
	Params            FileParams   `yaml:"params"`
	Script            []fileAction `yaml:"script"`
}

type fileDevice struct {
	User     int    `yaml:"user"`
	Platform string `yaml:"platform"`
}

type fileToken struct {
	User    int      `yaml:"user"`
	AppKey  int      `yaml:"app_key"`
	Expires Duration `yaml:"expires"`
}

// FileParams is a scenario file's params section: a mapping of
// parameter keys (Registry: the flag names with underscores) to values in
// flag syntax, such as {loss: 0.3, time_limit: 5s}.
type FileParams struct {
	file string
	node yaml.Node
}

// UnmarshalYAML keeps the node: Apply decodes it through the registry, so
// that errors name FILE:LINE and the key.
func (fp *FileParams) UnmarshalYAML(n *yaml.Node) error {
	fp.node = *n
	return nil
}

type fileAction struct {
	At        Duration  `yaml:"at"`
	Dev       *int      `yaml:"dev"`
	Do        string    `yaml:"do"`
	Token     *int      `yaml:"token"`
	TimeLimit *Duration `yaml:"time_limit"`
	Push      *bool     `yaml:"push"`
	Listener  int       `yaml:"listener"`
	Value     float64   `yaml:"value"`
	User      int       `yaml:"user"`
	State     string    `yaml:"state"`
}

// Duration is a time.Duration written in Go syntax ("250ms", "5s") in YAML.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string; a bare 0 is allowed.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Value == "0" {
		*d = 0
		return nil
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration (use Go syntax such as 250ms or 5s)", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// LoadFile reads and validates a scenario file.
func LoadFile(path string) (*File, Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, Scenario{}, fmt.Errorf("--scenario: %v", err)
	}
	return ParseFile(path, b)
}

// ParseFile parses a scenario file's bytes; name is used in errors.
func ParseFile(name string, b []byte) (*File, Scenario, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, Scenario{}, fmt.Errorf("%s: %v", name, oneLine(err.Error()))
	}
	f.Params.file = name
	sc, err := f.Scenario()
	if err != nil {
		return nil, sc, fmt.Errorf("%s: %v", name, err)
	}
	return &f, sc, nil
}

func oneLine(s string) string {
	return string(bytes.ReplaceAll([]byte(s), []byte("\n"), []byte("; ")))
}

// Scenario converts the file to a scenario.
func (f *File) Scenario() (Scenario, error) {
	sc := DefaultScenario()
	sc.Script = nil
	if len(f.Devices) > 0 {
		sc.Devices = sc.Devices[:0]
		for _, d := range f.Devices {
			p := d.Platform
			if p == "" {
				p = "mobile"
			}
			sc.Devices = append(sc.Devices, DeviceSpec{User: d.User, Platform: p})
		}
	}
	if len(f.AppKeys) > 0 {
		sc.AppKeys = f.AppKeys
	}
	if len(f.Tokens) > 0 {
		sc.Tokens = nil
		for _, t := range f.Tokens {
			sc.Tokens = append(sc.Tokens, TokenSpec{User: t.User, AppKey: t.AppKey, ExpiresAt: time.Duration(t.Expires)})
		}
	}
	// Every device without a token of its own gets a valid one for its user.
	for i := len(sc.Tokens); i < len(sc.Devices); i++ {
		sc.Tokens = append(sc.Tokens, TokenSpec{User: sc.Devices[i].User})
	}
	sc.VerificationFails = f.VerificationFails
	sc.ProxyUnavailable = f.ProxyUnavailable
	sc.BlockedUsers = f.BlockedUsers
	for i, a := range f.Script {
		op, err := ParseOp(a.Do)
		if err != nil {
			return sc, fmt.Errorf("script[%d].do: %v", i, err)
		}
		act := Action{At: time.Duration(a.At), Op: op, Token: -1, Listener: a.Listener, Value: a.Value, User: a.User, State: a.State}
		if a.Dev != nil {
			act.Dev = *a.Dev
		} else if !op.device() {
			act.Dev = -1
		}
		if a.Token != nil {
			act.Token = *a.Token
		}
		if a.TimeLimit != nil {
			act.TimeLimit, act.HasLimit = time.Duration(*a.TimeLimit), true
		}
		act.Push = op == OpDisconnect
		if a.Push != nil {
			act.Push = *a.Push
		}
		sc.Script = append(sc.Script, act)
	}
	return sc, sc.Validate()
}

// Apply sets the parameters the file names in p; errors read
// "FILE:LINE: params.KEY: must be ...".
func (fp FileParams) Apply(p *Params) error {
	return Registry.ApplyYAML(p, fp.file, &fp.node)
}
