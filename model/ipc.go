package model

import "fmt"

// The SDK's IPC process (Android): --ipc-down-for and --native-lib, and a
// scenario device's native_lib (docs/profiles.md, "What reaches the app").

// parseMissing parses --native-lib and a device's native_lib: present, or
// missing (true).
func parseMissing(s string) (bool, error) {
	switch s {
	case "present":
		return false, nil
	case "missing":
		return true, nil
	}
	return false, fmt.Errorf("must be present or missing (got %q)", s)
}

// formatMissing is --native-lib's text.
func formatMissing(missing bool) string {
	if missing {
		return "missing"
	}
	return "present"
}
