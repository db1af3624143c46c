package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/infile"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/server"
	"github.com/rcsim/connsim/vocab"

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

	dir string // the file's directory: net_trace paths are relative to it
	src []byte // the file's bytes, for the lines of later errors (FitsRun)
}

type fileDevice struct {
	User     int    `yaml:"user"`
	Platform string `yaml:"platform"`
	// ReconnectKick is the device's own reconnection-kick setting
	// (setReconnectKickEnable); unset: the run's kick_policy.
	ReconnectKick *bool `yaml:"reconnect_kick"`
	// NativeLib is present (the default) or missing: the SDK's native
	// library for the device's CPU cannot be loaded (Android only).
	NativeLib string `yaml:"native_lib"`
	// NetTrace is a network trace file replayed on this device
	// (netmodel.ParseTrace), relative to the scenario file's directory.
	NetTrace string `yaml:"net_trace"`
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
	Until     *Duration `yaml:"until"`  // net_off: the network comes back then (a window)
	To        *int      `yaml:"to"`     // message: the user
	Kind      string    `yaml:"kind"`   // message: normal (default) or status
	Conv      int       `yaml:"conv"`   // message: the conversation
	Server    *int      `yaml:"server"` // server_down, server_up: the listed server
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

// LoadFile reads and validates a scenario file. It reads at most
// MaxScenarioBytes: a larger file (or /dev/zero) fails at once.
func LoadFile(path string) (*File, Scenario, error) {
	fh, err := infile.Open(path)
	if err != nil {
		return nil, Scenario{}, fmt.Errorf("--scenario: %v", err)
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err == nil && fi.IsDir() {
		return nil, Scenario{}, fmt.Errorf("--scenario %s: is a directory; want a YAML file", path)
	}
	b, err := io.ReadAll(io.LimitReader(fh, MaxScenarioBytes+1))
	if err != nil {
		return nil, Scenario{}, fmt.Errorf("--scenario %s: %v", path, err)
	}
	if len(b) > MaxScenarioBytes {
		return nil, Scenario{}, fmt.Errorf("--scenario %s: larger than %d bytes (1 MiB), the most a scenario file may hold", path, MaxScenarioBytes)
	}
	return ParseFile(path, b)
}

// ParseFile parses a scenario file's bytes; name is used in errors, which
// read "NAME:LINE: FIELD: must be ...".
func ParseFile(name string, b []byte) (*File, Scenario, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Scenario{}, fmt.Errorf("%s: the file is empty; a scenario is a YAML mapping with devices, tokens, params and script (docs/cli.md \"Scenario knobs\")", name)
		}
		return nil, Scenario{}, yamlError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, Scenario{}, fmt.Errorf("%s:%d: a second YAML document; a scenario file holds one", name, extra.Line)
	} else if !errors.Is(err, io.EOF) {
		return nil, Scenario{}, yamlError(name, err)
	}
	f.Params.file = name
	f.dir = filepath.Dir(name)
	f.src = b
	sc, err := f.Scenario()
	if err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			var root yaml.Node
			_ = yaml.Unmarshal(b, &root)
			if line := fieldLine(&root, fe.Path); line > 0 {
				return nil, sc, fmt.Errorf("%s:%d: %s: %s", name, line, fe.Path, fe.Msg)
			}
			return nil, sc, fmt.Errorf("%s: %s: %s", name, fe.Path, fe.Msg)
		}
		return nil, sc, fmt.Errorf("%s: %v", name, err)
	}
	return &f, sc, nil
}

// yamlLine matches the "line N: " that yaml.v3 puts before its messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// yamlError turns a decoding error into one line: "NAME:LINE: message"
// (the first message when there are several).
func yamlError(name string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s:%s: %s", name, m[1], oneLine(msg[len(m[0]):]))
	}
	return fmt.Errorf("%s: %s", name, oneLine(msg))
}

// FitsRun checks what of the script depends on the run's parameters p,
// which the command line (or a review alternative, or a sweep point) may
// set after the file was read, each refusal as "FILE:LINE: field: ...":
//   - a server index (server_down, server_up) the navigation answer does
//     not list: "script[i].server: must be between 0 and N-1, a listed
//     server (--servers N) (got I)";
//   - a Connect's positive time_limit under a profile whose connect takes
//     none (web), as --time-limit is refused there: "script[i].time_limit:
//     must be 0 or less with --profile web: its connect takes no timeLimit
//     (got D)".
func (f *File) FitsRun(p Params) error {
	prof := p.Client.Profile.Or()
	for i, a := range f.Script {
		if a.Server != nil && *a.Server >= p.Client.Servers { // a negative index is Validate's
			return f.lineErr(fmt.Sprintf("script[%d].server", i),
				fmt.Sprintf("must be between 0 and %d, a listed server (--servers %d) (got %d)", p.Client.Servers-1, p.Client.Servers, *a.Server))
		}
		if !prof.TimeLimit && a.Do == "connect" && a.TimeLimit != nil && *a.TimeLimit > 0 {
			return f.lineErr(fmt.Sprintf("script[%d].time_limit", i),
				fmt.Sprintf("must be 0 or less with --profile %s: its connect takes no timeLimit (got %v)", prof.Name, time.Duration(*a.TimeLimit)))
		}
	}
	return nil
}

// lineErr is the error "FILE:LINE: path: msg" of the field at path.
func (f *File) lineErr(path, msg string) error {
	var root yaml.Node
	_ = yaml.Unmarshal(f.src, &root)
	if line := fieldLine(&root, path); line > 0 {
		return fmt.Errorf("%s:%d: %s: %s", f.Params.file, line, path, msg)
	}
	return fmt.Errorf("%s: %s: %s", f.Params.file, path, msg)
}

// fieldLine returns the line of the field at path ("script[3].at") in a
// parsed document, or of its closest ancestor present; 0 if none.
func fieldLine(doc *yaml.Node, path string) int {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, seg := range strings.Split(path, ".") {
		key, idx := seg, -1
		if i := strings.IndexByte(seg, '['); i >= 0 && strings.HasSuffix(seg, "]") {
			key = seg[:i]
			if v, err := strconv.Atoi(seg[i+1 : len(seg)-1]); err == nil {
				idx = v
			}
		}
		if n.Kind != yaml.MappingNode {
			return line
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = n.Content[i+1]
				line = n.Content[i].Line
			}
		}
		if next == nil {
			return line
		}
		n = next
		if idx >= 0 {
			if n.Kind != yaml.SequenceNode || idx >= len(n.Content) {
				return line
			}
			n = n.Content[idx]
		}
		line = n.Line
	}
	return line
}

func oneLine(s string) string {
	return string(bytes.ReplaceAll([]byte(s), []byte("\n"), []byte("; ")))
}

// Scenario converts the file to a scenario.
func (f *File) Scenario() (Scenario, error) {
	sc := DefaultScenario()
	sc.Script = nil
	if len(f.Devices) > MaxDevices {
		return sc, fieldErr("devices", "must list at most %d devices (got %d)", MaxDevices, len(f.Devices))
	}
	// A device's platform class defaults to the profile's: web for the
	// web profile, mobile otherwise.
	platform := server.Mobile
	if f.Params.Profile() == fsm.ProfileWeb.Name {
		platform = server.Web
		sc.Devices[0].Platform = platform
	}
	if len(f.Devices) > 0 {
		sc.Devices = sc.Devices[:0]
		for i, d := range f.Devices {
			p := platform
			if d.Platform != "" {
				var err error
				if p, err = server.ParsePlatform(d.Platform); err != nil {
					return sc, fieldErr(fmt.Sprintf("devices[%d].platform", i), "must be %s (got %q)", server.PlatformNames, d.Platform)
				}
			}
			spec := DeviceSpec{User: d.User, Platform: p}
			if d.ReconnectKick != nil {
				if p == server.Web {
					return sc, fieldErr(fmt.Sprintf("devices[%d].reconnect_kick", i), webKickRefused)
				}
				spec.Kick = server.KickOff
				if *d.ReconnectKick {
					spec.Kick = server.KickOn
				}
			}
			if d.NativeLib != "" {
				path := fmt.Sprintf("devices[%d].native_lib", i)
				missing, err := parseMissing(d.NativeLib)
				if err != nil {
					return sc, fieldErr(path, "%s", err.Error())
				}
				if prof := f.Params.Profile(); missing && prof != "" && prof != fsm.ProfileAndroid.Name {
					return sc, fieldErr(path, "must be present or left out for profile %s: only Android's SDK loads a native library in a process of its own (got %q)", prof, d.NativeLib)
				}
				spec.NoNativeLib = missing
			}
			sc.Devices = append(sc.Devices, spec)
		}
	}
	if len(f.AppKeys) > 0 {
		sc.AppKeys = nil
		for i, k := range f.AppKeys {
			st, err := server.ParseAppKeyState(k)
			if err != nil {
				return sc, fieldErr(fmt.Sprintf("app_keys[%d]", i), "must be valid, wrong, blocked or deleted (got %q)", k)
			}
			sc.AppKeys = append(sc.AppKeys, st)
		}
	}
	if len(f.Tokens) > 0 {
		sc.Tokens = nil
		for i, t := range f.Tokens {
			if t.Expires < 0 {
				return sc, checkTime(fmt.Sprintf("tokens[%d].expires", i), time.Duration(t.Expires), "never")
			}
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
	if len(f.Script) > MaxScriptActions {
		return sc, fieldErr("script", "must list at most %d actions (got %d)", MaxScriptActions, len(f.Script))
	}
	windows := map[int][]int(nil) // device -> script indexes of its net_off windows
	var untils []time.Duration    // script index -> its until (0: none)
	for i, a := range f.Script {
		op, err := ParseOp(a.Do)
		if err != nil {
			return sc, fieldErr(fmt.Sprintf("script[%d].do", i), "must be an op such as init, connect, net_off (docs/cli.md \"Scenario knobs\") (got %q)", a.Do)
		}
		act := Action{At: time.Duration(a.At), Op: op, Token: -1, Listener: a.Listener, Value: a.Value, User: a.User}
		if op == OpMessage {
			if a.To != nil {
				act.User = *a.To
			}
			act.Conv = a.Conv
			switch a.Kind {
			case "", vocab.MessageNormal.String():
			case vocab.MessageStatus.String():
				act.Status = true
			default:
				return sc, fieldErr(fmt.Sprintf("script[%d].kind", i), "must be normal or status (got %q)", a.Kind)
			}
		} else if a.To != nil || a.Kind != "" || a.Conv != 0 {
			return sc, fieldErr(fmt.Sprintf("script[%d].to", i), "to, kind and conv are only for do: message (got do: %s)", a.Do)
		}
		if a.Server != nil {
			if op != OpServerDown && op != OpServerUp {
				return sc, fieldErr(fmt.Sprintf("script[%d].server", i), "is only for do: server_down or server_up (got do: %s)", a.Do)
			}
			act.Server = *a.Server
		}
		if op == OpAppKey {
			if act.State, err = server.ParseAppKeyState(a.State); err != nil {
				return sc, fieldErr(fmt.Sprintf("script[%d].state", i), "must be valid, wrong, blocked or deleted (got %q)", a.State)
			}
		}
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
		if a.Until != nil {
			path := fmt.Sprintf("script[%d].until", i)
			until := time.Duration(*a.Until)
			switch {
			case op != OpNetOff:
				return sc, fieldErr(path, "is only for net_off (got do: %s)", a.Do)
			case until <= act.At || until > MaxDuration:
				return sc, fieldErr(path, "must be after at (%v) and at most %s (got %v)", act.At, param.FormatDuration(MaxDuration), until)
			}
			if windows == nil {
				windows = map[int][]int{}
			}
			windows[act.Dev] = append(windows[act.Dev], len(sc.Script))
			untils = append(untils, until)
		} else {
			untils = append(untils, 0)
		}
		sc.Script = append(sc.Script, act)
	}
	// The script's own order is checked before the windows' ends and the
	// traces join it.
	if err := sc.Validate(); err != nil {
		return sc, err
	}
	mergeFileWindows(&sc, windows, untils)
	return sc, f.addNetTraces(&sc)
}

// mergeFileWindows turns the script's net_off windows (net_off with
// until) into the union of each device's windows, as --net-off does: one
// net_off where a merged window starts (the others are dropped) and one
// net_on where it ends, after the actions of that instant. An explicit
// net_on is an instant and still turns the network on.
func mergeFileWindows(sc *Scenario, windows map[int][]int, untils []time.Duration) {
	if len(windows) == 0 {
		return
	}
	drop := make([]bool, len(sc.Script))
	var ons []Action
	for dev := range len(sc.Devices) {
		idx := windows[dev]
		if len(idx) == 0 {
			continue
		}
		var ws []Window
		for _, i := range idx {
			ws = append(ws, Window{From: sc.Script[i].At, To: untils[i]})
			drop[i] = true
		}
		for _, w := range MergeWindows(ws) {
			for _, i := range idx { // keep the first net_off at the window's start
				if sc.Script[i].At == w.From {
					drop[i] = false
					break
				}
			}
			ons = append(ons, Action{At: w.To, Dev: dev, Op: OpNetOn})
		}
	}
	out := sc.Script[:0]
	for i, a := range sc.Script {
		if !drop[i] {
			out = append(out, a)
		}
	}
	sc.Script = append(out, ons...)
	sortScript(sc.Script)
}

// addNetTraces puts each device's net_trace, if any, in the script, ahead
// of the actions at the same time. Each file is read once, however many
// devices name it, and the actions the traces add are counted against
// MaxScriptActions before any is built.
func (f *File) addNetTraces(sc *Scenario) error {
	type loaded struct {
		rows []netmodel.TraceRow
		acts int // actions the trace makes on one device
		devs int // devices that replay it
	}
	traces := map[string]*loaded{}
	var order []string // the files in the order the devices name them
	first := -1        // the first device with a trace
	paths := make([]string, len(f.Devices))
	for i, d := range f.Devices {
		if d.NetTrace == "" {
			continue
		}
		path := d.NetTrace
		if !filepath.IsAbs(path) {
			path = filepath.Join(f.dir, path)
		}
		paths[i] = path
		if first < 0 {
			first = i
		}
		l := traces[path]
		if l == nil {
			rows, err := netmodel.LoadTrace(path)
			if err != nil {
				return fmt.Errorf("devices[%d].net_trace: %v", i, err)
			}
			l = &loaded{rows: rows, acts: len(TraceActions(0, rows))}
			traces[path] = l
			order = append(order, path)
		}
		l.devs++
	}
	total := len(sc.Script)
	for _, path := range order {
		total += traces[path].acts * traces[path].devs
	}
	if total > MaxScriptActions {
		var parts []string
		for _, path := range order {
			l := traces[path]
			parts = append(parts, fmt.Sprintf("%d devices replay %s (%d rows, %d actions each)", l.devs, path, len(l.rows), l.acts))
		}
		return fieldErr(fmt.Sprintf("devices[%d].net_trace", first), "%s: with the script's %d actions that makes %d script actions, more than the %d a scenario may hold",
			strings.Join(parts, "; "), len(sc.Script), total, MaxScriptActions)
	}
	var acts []Action
	for i, path := range paths {
		if path != "" {
			acts = append(acts, TraceActions(i, traces[path].rows)...)
		}
	}
	if len(acts) > 0 {
		sc.Script = append(acts, sc.Script...)
		sortScript(sc.Script)
	}
	return nil
}

// Apply sets the parameters the file names in p; errors read
// "FILE:LINE: params.KEY: must be ...".
func (fp FileParams) Apply(p *Params) error {
	return ApplyYAML(Registry, p, fp.file, &fp.node)
}

// KeyLine returns the line of the params' key (a flag name with
// underscores), or 0 when the file does not set it.
func (fp FileParams) KeyLine(key string) int {
	n := &fp.node
	if n.Kind != yaml.MappingNode {
		return 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return 0
}

// Blame rewords err, a check's error about flag --NAME, as the file's:
// "FILE:LINE: params.NAME ..." when the file sets NAME; err otherwise.
// A value the file gave is the file's fault, not the flag's. Another
// parameter the text names as --OTHER (a rule between two parameters)
// becomes params.OTHER too when the file set it and the command line did
// not (cli reports the flags given on the command line), so a file's
// error names only the file's keys and the command line's flags.
func (fp FileParams) Blame(err error, cli func(flag string) bool) error {
	msg := err.Error()
	name, rest, ok := strings.Cut(strings.TrimPrefix(msg, "--"), " ")
	if !ok || !strings.HasPrefix(msg, "--") {
		return err
	}
	key := strings.ReplaceAll(name, "-", "_")
	line := fp.KeyLine(key)
	if line == 0 {
		return err
	}
	return fmt.Errorf("%s:%d: params.%s %s", fp.file, line, key, fp.keysOf(rest, cli))
}

// keysOf rewrites each "--NAME" in text whose parameter the file set and
// the command line did not as "params.NAME" (underscores).
func (fp FileParams) keysOf(text string, cli func(flag string) bool) string {
	var b strings.Builder
	for {
		i := strings.Index(text, "--")
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		text = text[i+2:]
		j := 0
		for j < len(text) && (text[j] == '-' || text[j] >= 'a' && text[j] <= 'z' || text[j] >= '0' && text[j] <= '9') {
			j++
		}
		flag := strings.TrimRight(text[:j], "-")
		key := strings.ReplaceAll(flag, "-", "_")
		if flag != "" && !cli(flag) && fp.KeyLine(key) > 0 {
			b.WriteString("params." + key)
		} else {
			b.WriteString("--" + flag)
		}
		text = text[len(flag):]
	}
}

// Profile returns the value of the params' profile key, or "".
func (fp FileParams) Profile() string {
	n := &fp.node
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "profile" {
			return n.Content[i+1].Value
		}
	}
	return ""
}

// Resolve returns the parameters of a run of the file alone: its profile's
// defaults, then its params.
func (fp FileParams) Resolve() (Params, error) {
	d := DefaultParams()
	return Registry.Resolve(&d, func(string) bool { return false }, fp.Apply)
}
