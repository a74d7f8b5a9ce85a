package study

import (
	"errors"
	"fmt"
	"math"

	"listetak/experiments"
	"listetak/experiments/design"
	"listetak/results"
	"listetak/rng"
)

// sensitivity computes the indices of a sobol or morris design for every
// scenario and every output named in the experiment's sensitivity block:
// the output at a design point is the metric in the year, averaged over
// replications. Grid and LHS designs have no indices.
func sensitivity(ex *experiments.Experiment, series []*results.Series) ([]results.SensitivityRow, error) {
	d := ex.Design
	if d.Kind != design.KindSobol && d.Kind != design.KindMorris {
		return nil, nil
	}
	var rows []results.SensitivityRow
	byScen := map[string][]*results.Series{}
	var order []string
	for _, s := range series {
		if byScen[s.Scenario] == nil {
			order = append(order, s.Scenario)
		}
		byScen[s.Scenario] = append(byScen[s.Scenario], s)
	}
	spec := ex.File.Sensitivity
	for _, scen := range order {
		ss := byScen[scen]
		if len(ss) != len(d.Points) {
			return nil, fmt.Errorf("sensitivity: scenario %s has %d design points, want %d", scen, len(ss), len(d.Points))
		}
		for _, metric := range spec.Metrics {
			m := ss[0].MetricIndex(metric)
			if m < 0 {
				return nil, fmt.Errorf("sensitivity: unknown metric %q", metric)
			}
			for _, year := range spec.Years {
				y := make([]float64, len(ss))
				for k, s := range ss {
					for r := range s.Reps {
						y[k] += s.At(r, year, m) / float64(s.Reps)
					}
				}
				add := func(factor, index string, est, lo, hi float64) {
					rows = append(rows, results.SensitivityRow{Scenario: scen, Metric: metric, Year: year,
						Factor: factor, Index: index, Estimate: est, Low: lo, High: hi})
				}
				nan := math.NaN()
				switch d.Kind {
				case design.KindSobol:
					r := rng.New(ex.File.Seed, 0).Named("bootstrap").Rand()
					idx, err := design.SobolIndices(d, y, spec.Boot, r)
					if errors.Is(err, design.ErrZeroVariance) {
						continue // the output does not vary (e.g. year 0)
					}
					if err != nil {
						return nil, fmt.Errorf("sensitivity of %s %s year %d: %w", scen, metric, year, err)
					}
					for _, x := range idx {
						add(x.Factor, "S1", x.S1, x.S1CI.Low, x.S1CI.High)
						add(x.Factor, "ST", x.ST, x.STCI.Low, x.STCI.High)
					}
				case design.KindMorris:
					idx, err := design.MorrisIndices(d, y)
					if err != nil {
						return nil, fmt.Errorf("sensitivity of %s %s year %d: %w", scen, metric, year, err)
					}
					for _, x := range idx {
						add(x.Factor, "mu", x.Mu, nan, nan)
						add(x.Factor, "mu_star", x.MuStar, nan, nan)
						add(x.Factor, "sigma", x.Sigma, nan, nan)
					}
				}
			}
		}
	}
	return rows, nil
}
