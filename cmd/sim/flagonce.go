package main

import (
	"fmt"
	"strings"

	"github.com/rcsim/connsim/param"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// One rule for repeats, in every command: a flag that takes a list
// (--net-off, --kick-at, --quirk, --loss-model, ...) may be repeated and
// adds to it; any other flag given twice is refused, rather than the last
// value silently winning (issue 19: --outage, --disconnect-at,
// --logout-at, --policy). A flag that names a file refuses an empty
// name rather than meaning "none".

// fileFlags are the flags whose value is a file or directory name.
var fileFlags = []string{"scenario", "net-trace", "out", "plot", "cdf", "series"}

// onceValue is a flag's value that may be set once.
type onceValue struct {
	pflag.Value
	name string
	set  bool
	file bool
}

func (o *onceValue) Set(s string) error {
	if o.set {
		return &param.FieldError{Field: "--" + o.name, Err: fmt.Errorf("is given more than once (got %q after %q); it takes one value: repeat only a flag that takes a list, such as --net-off or --kick-at", s, o.Value.String())}
	}
	if o.file && strings.TrimSpace(s) == "" {
		return &param.FieldError{Field: "--" + o.name, Err: fmt.Errorf("needs a file name (got an empty one)")}
	}
	o.set = true
	return o.Value.Set(s)
}

// repeatable reports whether a flag's value is a list that repeats add to.
func repeatable(f *pflag.Flag) bool {
	if _, ok := f.Value.(pflag.SliceValue); ok {
		return true
	}
	switch f.Value.(type) {
	case durList, windowList, *onceValue:
		return true // *onceValue: wrapped already
	}
	return false
}

// onceOnly wraps every flag of c that does not take a list in onceValue.
func onceOnly(c *cobra.Command) {
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if repeatable(f) {
			return
		}
		f.Value = &onceValue{Value: f.Value, name: f.Name, file: contains(fileFlags, f.Name)}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
