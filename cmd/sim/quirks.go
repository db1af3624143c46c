package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/rcsim/connsim/fsm"
	"github.com/spf13/pflag"
)

// quirkExamples gives, for each quirk, a command line that shows its
// hazard as property violations in the summary (docs/properties.md "Quirks").
var quirkExamples = map[string]string{
	"connect-before-init-silent": "sim run --quirk connect-before-init-silent --no-init",
	"status-lag":                 "sim run --quirk status-lag --time-limit 0 --net-off 1s:10s --status-at 5s",
	"multi-connect-clears":       "sim run --quirk multi-connect-clears --second-connect-at 50ms --loss 0.3",
	"ignore-timeout":             "sim run --quirk ignore-timeout --net-off 0s:10s",
}

// sliceFlag is a repeatable registry flag.
type sliceFlag interface {
	pflag.Value
	pflag.SliceValue
}

// quirkList wraps the registry's --quirk flag: the name "list" asks for
// the list of quirks instead of naming one.
type quirkList struct {
	sliceFlag
	list *bool
}

func (v quirkList) Set(s string) error {
	var names []string
	for _, name := range strings.Split(s, ",") {
		if strings.TrimSpace(name) == "list" {
			*v.list = true
			continue
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return nil
	}
	return v.sliceFlag.Set(strings.Join(names, ","))
}

func (v quirkList) Append(s string) error { return v.Set(s) }

// writeQuirkList prints every quirk with its hazard and a command that
// shows it.
func writeQuirkList(w io.Writer) error {
	var b strings.Builder
	b.WriteString("Quirks: the documented hazards of spec section 9, off by default; switch one on with --quirk NAME\n(run and trace; repeatable or comma-separated). Each shows up as property violations in `sim run`.\n\n")
	for _, qi := range fsm.QuirkList {
		fmt.Fprintf(&b, "  %-28s %s\n", qi.Name, qi.Hazard)
		fmt.Fprintf(&b, "  %-28s e.g. %s\n", "", quirkExamples[qi.Name])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// quirkVal is the --quirk flag: quirk names, repeatable or separated by
// commas; "list" asks for the list of quirks.
type quirkVal struct {
	q    *fsm.Quirks
	list *bool
}

func (v quirkVal) String() string {
	if v.q == nil {
		return ""
	}
	return v.q.String()
}

func (v quirkVal) Set(s string) error {
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if name == "list" {
			*v.list = true
			continue
		}
		q, err := fsm.ParseQuirk(name)
		if err != nil {
			return fmt.Errorf("unknown quirk %q", name)
		}
		*v.q |= q
	}
	return nil
}

func (quirkVal) Type() string { return "names" }

// GetSlice makes replayArgs print one --quirk per quirk.
func (v quirkVal) GetSlice() []string { return v.q.Names() }

// Append, Replace: the rest of pflag.SliceValue.
func (v quirkVal) Append(s string) error { return v.Set(s) }

func (v quirkVal) Replace(ss []string) error {
	*v.q = 0
	for _, s := range ss {
		if err := v.Set(s); err != nil {
			return err
		}
	}
	return nil
}
