package netmodel

import "testing"

func TestParseDist(t *testing.T) {
	tests := []struct {
		in      string
		want    Dist
		wantErr string
	}{
		{"uniform", DistUniform, ""},
		{"normal", DistNormal, ""},
		{"exponential", DistExponential, ""},
		{"x", 0, `--jitter-dist must be one of uniform, normal, exponential (got "x")`},
		{"", 0, `--jitter-dist must be one of uniform, normal, exponential (got "")`},
		{"Normal", 0, `--jitter-dist must be one of uniform, normal, exponential (got "Normal")`},
	}
	for _, tt := range tests {
		got, err := ParseDist(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseDist(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDist(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tt.in)
		}
	}
	if s := Dist(9).String(); s != "dist(9)" {
		t.Errorf("Dist(9).String() = %q", s)
	}
}
