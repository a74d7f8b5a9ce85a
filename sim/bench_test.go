package sim

import (
	"context"
	"fmt"
	"testing"

	"listetak/params"
	"listetak/world"
)

// BenchmarkNational runs whole replications (starting-state draws and 20
// yearly steps) of the national default world and reports GP-years per
// second: GPs holding slots summed over the 20 simulated years, for each
// model (v2, the default, and the reference model v1). demography=1
// tracks list composition by sex and age (the default on norway-2025).
func BenchmarkNational(b *testing.B) {
	type arm struct {
		model               params.Model
		demography, workers int
	}
	var arms []arm
	for _, m := range []params.Model{params.ModelV2, params.ModelV1} {
		for _, c := range []struct{ demography, workers int }{{0, 1}, {0, 2}, {1, 1}, {1, 2}} {
			arms = append(arms, arm{m, c.demography, c.workers})
		}
	}
	for _, c := range arms {
		name := fmt.Sprintf("model=%s/demography=%d/workers=%d", c.model, c.demography, c.workers)
		workers := c.workers
		b.Run(name, func(b *testing.B) {
			w, err := world.Embedded(world.DefaultName)
			if err != nil {
				b.Fatal(err)
			}
			p, err := params.ForModel(string(c.model))
			if err != nil {
				b.Fatal(err)
			}
			p.Demography = c.demography
			m, err := NewModel(w, p)
			if err != nil {
				b.Fatal(err)
			}
			const reps = 8 // a batch per iteration, so both workers stay busy
			var gpYears float64
			b.ResetTimer()
			for b.Loop() {
				outs, err := Run(context.Background(), Config{Model: m, Years: 20, Reps: reps, Seed: 1, Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
				o := outs[0]
				for rep := range o.Reps {
					for y := 1; y < o.Years; y++ {
						gpYears += o.Values[(rep*o.Years+y)*int(NumMetrics)+int(GPs)]
					}
				}
			}
			b.ReportMetric(gpYears/b.Elapsed().Seconds(), "GP-years/s")
		})
	}
}
