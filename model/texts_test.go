package model

import (
	"reflect"
	"testing"
)

// Registry.FromTexts(Registry.Texts(p)) gives p back (what sim merge
// rebuilds from a partial of format 3), over the defaults, each profile's
// defaults and values away from them, repeatable ones included.
func TestRegistryTextsRoundTrip(t *testing.T) {
	var cases []Params
	for _, prof := range append([]string{""}, Registry.Profiles()...) {
		p, err := Registry.Defaults(prof)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, p)
	}
	p := DefaultParams()
	for _, kv := range [][2]string{{"profile", "web"}, {"loss", "0.3"}, {"loss-model", "ge:0.1,0.5,0.9,0.1"}, {"transport", "tcp"}, {"time-limit", "0s"},
		{"jitter", "20ms"}, {"quirk", "ignore-timeout,status-lag"}, {"policy", "expo:1s,2,60s"}, {"policy-jitter", "full"}, {"msg-rate", "0.5"},
		{"servers", "2"}, {"server-down", "1:1s:2s,0:3s:4s"}, {"horizon", "1h0m0s"}} {
		if err := Registry.Lookup(kv[0]).Set(&p, kv[1]); err != nil {
			t.Fatalf("%s %s: %v", kv[0], kv[1], err)
		}
	}
	cases = append(cases, p)
	for i, p := range cases {
		got, err := Registry.FromTexts(Registry.Texts(&p))
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Errorf("case %d: FromTexts(Texts(p)) differs from p:\n%+v\n%+v", i, got, p)
		}
	}
	texts := Registry.Texts(&p)
	texts["loss"] = "2"
	if _, err := Registry.FromTexts(texts); err == nil || err.Error() != "loss: must be between 0 and 1 (got 2)" {
		t.Errorf("out of range: %v", err)
	}
	delete(texts, "loss")
	if got, err := Registry.FromTexts(texts); err != nil || got.Net.Loss != DefaultParams().Net.Loss {
		t.Errorf("a missing parameter: %v, loss %v; want its default", err, got.Net.Loss)
	}
	texts["bogus"] = "1"
	if _, err := Registry.FromTexts(texts); err == nil || err.Error() != "bogus: not a parameter" {
		t.Errorf("unknown: %v", err)
	}
}
