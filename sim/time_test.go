package sim

import (
	"math"
	"testing"

	"github.com/rcsim/connsim/model"
)

func TestAddTimeSaturates(t *testing.T) {
	if got := addTime(math.MaxInt64-5, 10); got != maxTime {
		t.Errorf("addTime near the top = %v", got)
	}
	if got := addTime(5, 10); got != 15 {
		t.Errorf("addTime(5, 10) = %v", got)
	}
	if got := addTime(model.MaxDuration, model.MaxDuration); got != 2*model.MaxDuration {
		t.Errorf("two maximal durations = %v", got)
	}
}
