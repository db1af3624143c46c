package server

import "testing"

func TestNames(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) (uint8, error)
		str   func(uint8) string
		names []string
		bad   string
	}{
		{"platform", func(s string) (uint8, error) { p, err := ParsePlatform(s); return uint8(p), err },
			func(v uint8) string { return Platform(v).String() },
			[]string{"mobile", "desktop", "web", "mini-program"},
			`platform must be one of mobile, desktop, web, mini-program (got "tv")`},
		{"app key", func(s string) (uint8, error) { p, err := ParseAppKeyState(s); return uint8(p), err },
			func(v uint8) string { return AppKeyState(v).String() },
			[]string{"valid", "wrong", "blocked", "deleted"},
			`app key state must be one of valid, wrong, blocked, deleted (got "tv")`},
		{"kick policy", func(s string) (uint8, error) { p, err := ParseKickPolicy(s); return uint8(p), err },
			func(v uint8) string { return KickPolicy(v).String() },
			[]string{"default", "reconnect-kicked"},
			`kick policy must be one of default, reconnect-kicked (got "tv")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, n := range tt.names {
				v, err := tt.parse(n)
				if err != nil || int(v) != i {
					t.Errorf("parse(%q) = %d, %v; want %d", n, v, err, i)
				}
				if s := tt.str(uint8(i)); s != n {
					t.Errorf("String(%d) = %q, want %q", i, s, n)
				}
			}
			if _, err := tt.parse("tv"); err == nil || err.Error() != tt.bad {
				t.Errorf("parse(tv) error = %v, want %q", err, tt.bad)
			}
			if s := tt.str(200); s == "" {
				t.Error("String of an unknown value is empty")
			}
		})
	}
	if Mobile != 0 || Desktop != 1 || Web != 2 || PolicyDefault != 0 || AppValid != 0 {
		t.Error("zero values changed")
	}
}

// TestAppKeyOps: an app key's record op is app_key:STATE, STATE its name;
// a platform's Word is its name.
func TestAppKeyOps(t *testing.T) {
	for a := AppValid; a <= AppDeleted; a++ {
		if got, want := a.Op().String(), "app_key:"+a.String(); got != want {
			t.Errorf("%v: op %q, want %q", a, got, want)
		}
	}
	for p := Mobile; p < NumPlatforms; p++ {
		if p.Word().String() != p.String() {
			t.Errorf("platform %v: Word %q", p, p.Word())
		}
	}
}
