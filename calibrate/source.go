package calibrate

import (
	"context"
	"fmt"
	"math"

	"listetak/params"
)

// Source is what an Estimator fits: the observed moments with the
// variance of their measurement error, and the simulation of the same
// moments from the model. Two implement it: a register panel's moments
// (NewEstimator) and public national targets (NewTargetSource).
type Source interface {
	// Observed returns every observed moment, in the order of Simulate's
	// row entries.
	Observed() []Moment
	// Fitted reports whether observed moment i enters the criterion, given
	// the small-cell threshold minCell (GPs).
	Fitted(i, minCell int) bool
	// MeasurementVar returns the variance of observed moment i's
	// measurement error, in the moment's unit squared: 0 for a register
	// (it is the population of GPs), se squared for a published figure.
	MeasurementVar(i int) float64
	// Simulate returns one row per replication first..first+n-1 of s at
	// parameters p under seed, each with the simulated value of every
	// observed moment (NaN where the simulated cell is empty). Rows must
	// not depend on s.Workers.
	Simulate(ctx context.Context, s *Setup, p params.Params, seed uint64, first, n int) ([][]float64, error)
}

// Compile-time checks of the two sources.
var (
	_ Source = (*registerSource)(nil)
	_ Source = (*TargetSource)(nil)
)

// registerSource is a register panel's moments: simulated panels are
// summarised into the same moments (Moments) as the register.
type registerSource struct {
	all   []Moment
	myKey bool // the observed moments include municipality-year moments
}

// RegisterSource returns a register's observed moments as a Source (what
// NewEstimator fits).
func RegisterSource(obs Observed) Source { return newRegisterSource(obs) }

// newRegisterSource wraps a register's observed moments.
func newRegisterSource(obs Observed) *registerSource {
	r := &registerSource{all: obs.Moments}
	for _, m := range obs.Moments {
		if m.Name == "orphan_share" {
			r.myKey = true
		}
	}
	return r
}

// Observed implements Source.
func (r *registerSource) Observed() []Moment { return r.all }

// Fitted implements Source: moments from at least minCell GPs and not
// empty (small-cell suppression).
func (r *registerSource) Fitted(i, minCell int) bool {
	m := r.all[i]
	return m.GPs >= minCell && !math.IsNaN(m.Value)
}

// MeasurementVar implements Source: a register has no measurement error.
func (r *registerSource) MeasurementVar(int) float64 { return 0 }

// Simulate implements Source: it simulates register panels and computes
// their moments, which must be the register's, in its order.
func (r *registerSource) Simulate(ctx context.Context, s *Setup, p params.Params, seed uint64, first, n int) ([][]float64, error) {
	sims, err := s.Simulate(ctx, p, seed, first, n)
	if err != nil {
		return nil, err
	}
	rows := make([][]float64, n)
	spec := s.MomentSpec()
	for k, sm := range sims {
		my := sm.Munis
		if !r.myKey {
			my = nil
		}
		ms := Moments(sm.Panel, my, spec)
		if len(ms) != len(r.all) {
			return nil, fmt.Errorf("calibrate: simulated panels give %d moments, the register %d: the register's columns or years differ from the setup's", len(ms), len(r.all))
		}
		row := make([]float64, len(ms))
		for i := range ms {
			if ms[i].Key() != r.all[i].Key() {
				return nil, fmt.Errorf("calibrate: moment %d is %s in the simulation, %s in the register", i, ms[i].Key(), r.all[i].Key())
			}
			row[i] = ms[i].Value
		}
		rows[k] = row
	}
	return rows, nil
}
