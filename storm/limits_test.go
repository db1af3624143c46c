package storm

import (
	"math"
	"strings"
	"testing"
)

// TestMaxClientsFitsIndexes: a client's index (event.cl), its Connect
// call id (index+1) and its device id in the property monitor are int32,
// so the largest storm's call ids must fit one; MaxClients itself is
// accepted and one more refused.
func TestMaxClientsFitsIndexes(t *testing.T) {
	if int64(MaxClients)+1 > math.MaxInt32 {
		t.Fatalf("MaxClients %d: call id MaxClients+1 overflows int32", MaxClients)
	}
	p := DefaultParams()
	p.Clients = MaxClients
	if err := p.Validate(); err != nil {
		t.Fatalf("--clients %d refused: %v", MaxClients, err)
	}
	p.Clients = MaxClients + 1
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "--clients must be between 1 and") {
		t.Fatalf("--clients %d: got %v, want the range error", MaxClients+1, err)
	}
}
