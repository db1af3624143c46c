package server

import "github.com/rcsim/connsim/vocab"

// Platform is a device's platform class. The server keeps at most one live
// session per (user, platform class) (spec section 7), except for mobile
// devices when Server.MultiMobile is on.
type Platform uint8

// The platform classes the vendor's docs name (docs/profiles.md, "What
// reaches the app"). NumPlatforms is their count.
const (
	Mobile Platform = iota
	Desktop
	Web
	MiniProgram
	NumPlatforms = 4
)

// platformWords are the classes' names (a session record's platform).
var platformWords = [NumPlatforms]vocab.Word{vocab.PlatformMobile, vocab.PlatformDesktop, vocab.PlatformWeb, vocab.PlatformMiniProgram}

var platformNames = func() []string {
	s := make([]string, len(platformWords))
	for i, w := range platformWords {
		s[i] = w.String()
	}
	return s
}()

// PlatformNames is "mobile, desktop, web or mini-program", for errors.
const PlatformNames = "mobile, desktop, web or mini-program"

// String returns "mobile", "desktop", "web" or "mini-program".
func (p Platform) String() string { return nameOf(platformNames, int(p), "platform") }

// Word returns the class's name as a session record carries it
// (vocab.None out of range).
func (p Platform) Word() vocab.Word {
	if p < NumPlatforms {
		return platformWords[p]
	}
	return vocab.None
}

// ParsePlatform returns the platform class named s.
func ParsePlatform(s string) (Platform, error) {
	i, err := parseName(platformNames, s, "platform")
	return Platform(i), err
}
