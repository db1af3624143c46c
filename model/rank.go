package model

import "math"

// EmpiricalRank is the 0-based rank, in increasing order, of the
// empirical p-quantile of n values: the smallest sample whose CDF is >= p,
// exactly as gonum's stat.Quantile(p, stat.Empirical, ...) picks it.
func EmpiricalRank(p float64, n int) int {
	return max(int(math.Ceil(p*float64(n))), 1) - 1
}
