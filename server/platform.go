package server

// Platform is a device's platform class. The server keeps at most one live
// session per (user, platform class) (spec section 7).
type Platform uint8

// The platform classes. NumPlatforms is their count.
const (
	Mobile Platform = iota
	Desktop
	Web
	NumPlatforms = 3
)

var platformNames = []string{"mobile", "desktop", "web"}

// String returns "mobile", "desktop" or "web".
func (p Platform) String() string { return nameOf(platformNames, int(p), "platform") }

// ParsePlatform returns the platform class named s.
func ParsePlatform(s string) (Platform, error) {
	i, err := parseName(platformNames, s, "platform")
	return Platform(i), err
}
