package param

import (
	"encoding/json"
	"testing"
	"time"
)

type inner struct{ D time.Duration }

type outer struct {
	In inner
	N  int
}

func TestLiftKeepsDeclaration(t *testing.T) {
	q := Duration("delay", "a delay", 0, time.Hour, "none", Millis, func(p *inner) *time.Duration { return &p.D }).JSON("delay_ms").Profile("ios", "5s")
	l := Lift(q, func(p *outer) *inner { return &p.In })
	if l.Name != q.Name || l.Doc != q.Doc || l.Accepted != q.Accepted || l.JSONKey() != "delay_ms" || len(l.profiles) != 1 {
		t.Fatalf("lifted declaration differs: %+v", l)
	}
	var o outer
	if err := l.Set(&o, "250ms"); err != nil || o.In.D != 250*time.Millisecond {
		t.Fatalf("Set: %v, %v", err, o.In.D)
	}
	if v, ok := l.Value(&o); !ok || v != 250.0 {
		t.Fatalf("Value = %v, %v", v, ok)
	}
	var dst outer
	l.Copy(&dst, &o)
	if dst.In.D != o.In.D || l.Get(&dst) != q.Get(&o.In) {
		t.Fatalf("Copy/Get: %v %q", dst.In.D, l.Get(&dst))
	}
	if err := l.Set(&o, "2h"); err == nil {
		t.Fatal("Set accepted 2h beyond the range")
	}
}

func TestObjectKeepsOrder(t *testing.T) {
	b, err := json.Marshal(Object{{"z", 1}, {"a", "x"}, {"m", []int{2}}})
	if err != nil || string(b) != `{"z":1,"a":"x","m":[2]}` {
		t.Fatalf("got %s, %v", b, err)
	}
}
