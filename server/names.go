package server

import (
	"errors"
	"strconv"
	"strings"
)

// nameOf returns names[i], or what(i) when i is out of range.
func nameOf(names []string, i int, what string) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return what + "(" + strconv.Itoa(i) + ")"
}

// parseName returns the index of s in names, or an error saying what must
// be one of names.
func parseName(names []string, s, what string) (int, error) {
	for i, n := range names {
		if n == s {
			return i, nil
		}
	}
	return 0, errors.New(what + " must be one of " + strings.Join(names, ", ") + " (got " + strconv.Quote(s) + ")")
}
