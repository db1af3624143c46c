// Package param is the registry of a model's parameters. Each parameter is
// declared once, with its name, type, range, unit, JSON key, one-line doc
// and the profiles that change its default; the registry derives from that
// declaration:
//
//   - the command-line flags (cmd/internal/paramflag.AddFlags, since no
//     package below cmd imports a flag library), whose bad values fail at
//     parse time with "--NAME must be RANGE (got VALUE)";
//   - a scenario file's YAML params (model.ApplyYAML, since only the file
//     formats' parsers import YAML), whose errors read
//     "FILE:LINE: params.KEY: must be RANGE (got VALUE)";
//   - a partial result's params (Texts, FromTexts): every value as flag
//     text, rebuilt through the flags' own parsers;
//   - the --json "params" object and the sweep CSV columns (JSON);
//   - --help (Usage) and the parameter table of docs/cli.md (Markdown);
//   - the defaults of each profile (Defaults) and a range check (Check).
//
// The connsim model's registry is model.Registry (model/params.go).
//
// # Adding a parameter
//
// Add the field to model.Params (or the struct it belongs to), its default to
// model.DefaultParams, and one line to model.Registry, e.g.
//
//	param.Duration("dial-delay", "time before the first attempt", 0, MaxDuration, "", param.Millis,
//		func(p *Params) *time.Duration { return &p.Client.DialDelay }).JSON("dial_delay_ms"),
//
// For a value named by a string (an enum or a spec such as "expo:1s,2,60s"),
// use Enum with the type's parse and format functions; for a per-profile
// default add .Profile("ios", "30s"): the parameter marked
// .SelectsProfile() (--profile) names the profile, and Registry.Resolve
// builds a run's parameters as the profile's defaults, then a scenario
// file's params, then the flags given on the command line (the profile
// itself comes from the flags, else the file). Then run
//
//	go test ./cmd/sim -run TestDocTables -update
//
// to regenerate the docs' table (the test fails while it is stale).
// Every duration's maximum should be model.MaxDuration (30 days): virtual
// times are sums of a few durations and must never wrap.
//
// Adding a parameter adds a key to --json "params" and a column to the
// sweep CSV; outputs that did not set it stay byte-identical.
package param
