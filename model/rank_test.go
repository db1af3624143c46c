package model

import (
	"testing"

	"gonum.org/v1/gonum/stat"
)

// EmpiricalRank picks the sample gonum's empirical quantile picks.
func TestEmpiricalRank(t *testing.T) {
	for n := 1; n < 300; n++ {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i)
		}
		for _, p := range []float64{0.5, 0.9, 0.99, 0.01, 1} {
			if got, want := EmpiricalRank(p, n), int(stat.Quantile(p, stat.Empirical, x, nil)); got != want {
				t.Fatalf("n %d p %g: rank %d, gonum %d", n, p, got, want)
			}
		}
	}
}
