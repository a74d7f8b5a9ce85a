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
// second: GPs holding slots summed over the 20 simulated years. The
// demography=0 runs are the reference model; demography=1 tracks list
// composition by sex and age (the default on norway-2025).
func BenchmarkNational(b *testing.B) {
	for _, c := range []struct{ demography, workers int }{{0, 1}, {0, 2}, {1, 1}, {1, 2}} {
		name := fmt.Sprintf("demography=%d/workers=%d", c.demography, c.workers)
		workers := c.workers
		b.Run(name, func(b *testing.B) {
			w, err := world.Embedded(world.DefaultName)
			if err != nil {
				b.Fatal(err)
			}
			p := params.Reference2019()
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
