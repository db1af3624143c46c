package grid

import (
	"slices"
	"testing"
	"time"
)

func TestParseGrids(t *testing.T) {
	l, err := Losses("0:0.9:0.1")
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}; !slices.Equal(l, want) {
		t.Errorf("0:0.9:0.1 = %v", l)
	}
	if l, _ := Losses("0.5, 0, 1"); !slices.Equal(l, []float64{0.5, 0, 1}) {
		t.Errorf("list = %v", l)
	}
	if l, _ := Losses("0:1:0.3"); !slices.Equal(l, []float64{0, 0.3, 0.6, 0.9}) {
		t.Errorf("0:1:0.3 = %v", l)
	}
	d, err := Limits("2s,5s,10s,0")
	if err != nil || !slices.Equal(d, []time.Duration{2 * time.Second, 5 * time.Second, 10 * time.Second, 0}) {
		t.Errorf("2s,5s,10s,0 = %v, %v", d, err)
	}
	d, err = Limits("1s:2s:500ms")
	if err != nil || !slices.Equal(d, []time.Duration{time.Second, 1500 * time.Millisecond, 2 * time.Second}) {
		t.Errorf("1s:2s:500ms = %v, %v", d, err)
	}
}
