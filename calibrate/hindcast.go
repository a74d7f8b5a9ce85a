package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"listetak/params"
	"listetak/results"
)

// HindcastFit is one parameter set a hindcast shows: a label, the
// parameters, and the last target year its estimate used (0: all years;
// later years are then out of sample for it).
type HindcastFit struct {
	Label  string
	Params params.Params
	Until  int
}

// Hindcast tolerances (issue "model v2", hindcast criterion): a target
// passes when it lies inside the 90 % Monte Carlo band, or the mean is
// within 10 % of it (counts, means, ratios and durations) or within 2
// percentage points (shares in percent).
const (
	HindcastRelTol    = 0.10
	HindcastPointsTol = 2.0
)

// HindcastTolerance returns the tolerance of moment at observed value v,
// in the moment's unit: HindcastPointsTol for a share in percent, else
// HindcastRelTol x |v|.
func HindcastTolerance(moment string, v float64) float64 {
	if d, ok := targetDefs[moment]; ok && d.kind == kindShare {
		return HindcastPointsTol
	}
	return HindcastRelTol * math.Abs(v)
}

// Hindcast simulates every (moment, group) series of the targets t in
// every model year 1..s.Years for each fit, reps replications under seed
// (the same streams for every fit: common random numbers), and returns one
// row (hindcast.csv's) per fit, series and year, in the targets' series order. Durations
// are simulated at year t from the mean hazard of years 1..t, as when
// fitted.
func Hindcast(ctx context.Context, t *Targets, s *Setup, fits []HindcastFit, reps int, seed uint64) ([]results.HindcastRow, error) {
	if len(fits) == 0 {
		return nil, errors.New("hindcast: no fits")
	}
	if reps < 2 {
		return nil, fmt.Errorf("hindcast: %d replications; at least 2 make a band", reps)
	}
	grid := seriesGrid(t, s)
	src, err := NewTargetSource(grid, s)
	if err != nil {
		return nil, err
	}
	observed := map[string]Target{}
	for _, r := range t.Rows {
		observed[r.Key()] = r
	}
	var out []results.HindcastRow
	for _, f := range fits {
		sims, err := src.Simulate(ctx, s, f.Params, seed, 0, reps)
		if err != nil {
			return nil, fmt.Errorf("hindcast %s: %w", f.Label, err)
		}
		for i, g := range grid.Rows {
			out = append(out, hindcastRow(f, g, column(sims, i), observed))
		}
	}
	return out, nil
}

// seriesGrid returns targets with one row per (moment, group) series of t
// (in order of first appearance) and every simulated calendar year, value
// 0 and se 1: the grid a hindcast simulates.
func seriesGrid(t *Targets, s *Setup) *Targets {
	grid := &Targets{Name: t.Name + " (every year)"}
	seen := map[[2]string]bool{}
	first := s.first()
	for _, r := range t.Rows {
		k := [2]string{r.Moment, r.Group}
		if seen[k] {
			continue
		}
		seen[k] = true
		for y := 1; y <= s.Years; y++ {
			grid.Rows = append(grid.Rows, Target{Moment: r.Moment, Group: r.Group, Year: first + y, SE: 1})
		}
	}
	return grid
}

// column returns sims[k][i] over replications k.
func column(sims [][]float64, i int) []float64 {
	c := make([]float64, len(sims))
	for k := range sims {
		c[k] = sims[k][i]
	}
	return c
}

// hindcastRow summarises one grid row's replications xs for fit f and
// joins the observed target, if any.
func hindcastRow(f HindcastFit, g Target, xs []float64, observed map[string]Target) results.HindcastRow {
	r := results.HindcastRow{Fit: f.Label, Moment: g.Moment, Group: g.Group, Year: g.Year,
		Observed: math.NaN(), SE: math.NaN(), Mean: nanMean(xs)}
	finite := slices.DeleteFunc(slices.Clone(xs), func(x float64) bool { return math.IsNaN(x) })
	slices.Sort(finite)
	// The bands of run's summary.csv (type 7 quantiles).
	r.Q05, r.Q50, r.Q95 = results.Quantile7(finite, 0.05), results.Quantile7(finite, 0.5), results.Quantile7(finite, 0.95)
	o, ok := observed[g.Key()]
	if !ok {
		return r
	}
	r.Observed, r.SE = o.Value, o.SE
	r.Sample = "in"
	if f.Until != 0 && o.Year > f.Until {
		r.Sample = "out"
	}
	inBand := o.Value >= r.Q05 && o.Value <= r.Q95
	r.Pass = inBand || math.Abs(r.Mean-o.Value) <= HindcastTolerance(o.Moment, o.Value)
	return r
}
