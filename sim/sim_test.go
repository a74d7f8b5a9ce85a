package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"listetak/finance"
	"listetak/params"
	"listetak/world"
)

// testWorld builds a small world of nm municipalities with random lists.
func testWorld(nm int, seed uint64) *world.World {
	r := rand.New(rand.NewPCG(seed, 99))
	w := &world.World{Name: "test", Year: 2019, NokIndex: 1, Baseline: finance.Spec{Rate: 499}}
	for m := range nm {
		c := 1 + m%6
		var pop int64
		nSlots := 2 + r.IntN(20)
		first := len(w.Slots)
		for k := range nSlots {
			s := world.Slot{ID: fmt.Sprintf("%d-%d", m, k), Muni: m}
			s.List = 300 + r.IntN(1500)
			if r.Float64() < 0.05 {
				s.Held = false
			} else {
				s.Held = true
				s.Ceiling = world.Some(s.List + r.IntN(3)*r.IntN(200))
				s.Age = 30 + r.IntN(40)
				s.Female = r.Float64() < 0.45
				s.Specialist = r.Float64() < 0.6
				s.Salaried = r.Float64() < 0.1
			}
			pop += int64(s.List)
			w.Slots = append(w.Slots, s)
		}
		_ = first
		pop += int64(r.IntN(500))
		w.Municipalities = append(w.Municipalities, world.Municipality{
			Code: fmt.Sprintf("%04d", m+1), Population: pop, Centrality: c,
		})
	}
	return w
}

func TestRunInvariants(t *testing.T) {
	m, err := NewModel(testWorld(12, 1), params.Reference2019())
	if err != nil {
		t.Fatal(err)
	}
	outs, err := Run(context.Background(), Config{Model: m, Years: 20, Reps: 8, Seed: 3, Workers: 2, Check: true})
	if err != nil {
		t.Fatal(err)
	}
	o := outs[0]
	for rep := range o.Reps {
		for y := range o.Years {
			v := o.Values[(rep*o.Years+y)*int(NumMetrics):][:NumMetrics]
			if got := v[Listed] + v[Orphans]; got != v[Population] {
				t.Fatalf("rep %d year %d: listed+orphans %v != population %v", rep, y, got, v[Population])
			}
			if v[Listed] > v[Capacity] {
				t.Fatalf("rep %d year %d: listed above capacity", rep, y)
			}
			for i, x := range v {
				if math.IsInf(x, 0) {
					t.Fatalf("metric %s is Inf", Metric(i))
				}
			}
		}
	}
	v := o.Values[:NumMetrics]
	for i, x := range v {
		t.Logf("%s = %v", Metric(i), x)
	}
	v = o.Values[int(NumMetrics):][:NumMetrics]
	for i, x := range v {
		t.Logf("y1 %s = %v", Metric(i), x)
	}
}
