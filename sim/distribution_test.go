package sim

import (
	"context"
	"math"
	"testing"

	"listetak/finance"
	"listetak/params"
)

// A scenario compared with itself changes nobody's income and drops nobody;
// a richer flat rate raises every self-employed GP's static income by the
// rate difference times its list; the tables do not depend on workers.
func TestDistribution(t *testing.T) {
	m, err := NewModel(testWorld(10, 4), params.Reference2019())
	if err != nil {
		t.Fatal(err)
	}
	base := m.BaselineScenario()
	richer := Fixed{Label: "richer", R: finance.Rules{Capitation: finance.Flat{Rate: 599}, Equalisation: m.Baseline.Equalisation}}
	run := func(workers int) []*Output {
		outs, err := Run(context.Background(), Config{Model: m, Scenarios: []Scenario{base, base, richer}, Years: 6, Reps: 4, Seed: 2, Workers: workers, DistYears: []int{1, 5}})
		if err != nil {
			t.Fatal(err)
		}
		return outs
	}
	outs := run(1)
	cells := DistCells([]int{1, 5})
	ns := len(DistStats)
	for i, x := range outs[1].Dist {
		stat := DistStats[i%ns]
		if stat != "gps" && stat != "dropout_share" && !math.IsNaN(x) && x != 0 {
			t.Fatalf("baseline vs itself: cell %+v %s = %v", cells[(i/ns)%len(cells)], stat, x)
		}
	}
	// Static year 1, group "all": mean gross change = 100 * mean list of
	// self-employed GPs, and no salaried GP changes.
	var sum, n float64
	for _, s := range m.slots {
		if s.Held && !s.Salaried {
			sum += 100 * float64(s.List)
		}
		if s.Held {
			n++
		}
	}
	if got := outs[2].Dist[2]; math.Abs(got-sum/n) > 1e-6 {
		t.Fatalf("static mean gross change %v, want %v", got, sum/n)
	}
	again := run(3)
	for i := range outs[2].Dist {
		if math.Float64bits(outs[2].Dist[i]) != math.Float64bits(again[2].Dist[i]) {
			t.Fatal("distribution tables depend on the number of workers")
		}
	}
}
