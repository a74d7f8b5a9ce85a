package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"listetak/params"
	"listetak/sim"
)

// TargetSource is a targets file as an Estimator's Source: each row is an
// observed moment with measurement variance se squared, simulated from
// the national engine's yearly records (Setup.RunMetrics) of the same
// model year (calendar year minus the setup's first year).
type TargetSource struct {
	targets *Targets
	all     []Moment
	rows    []resolvedTarget
}

// resolvedTarget is a row's simulation: the metric's index, the model
// year and how the metric becomes the moment.
type resolvedTarget struct {
	metric   int
	t        int // model year (1..Years)
	scale    float64
	duration bool
}

// NewTargetSource checks targets against the setup (every row's year is a
// simulated model year, every metric it needs is one the simulation
// records, looked up by name) and returns the source. Errors name the
// targets file and line.
func NewTargetSource(t *Targets, s *Setup) (*TargetSource, error) {
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("%s: no target rows", t.Name)
	}
	idx := map[string]int{}
	for i, n := range sim.MetricNames() {
		idx[n] = i
	}
	first := s.first()
	src := &TargetSource{targets: t}
	var errs []error
	for _, r := range t.Rows {
		rt := resolvedTarget{t: r.Year - first, scale: 1}
		name := r.Moment
		if d, ok := targetDefs[r.Moment]; ok {
			name, rt.scale, rt.duration = d.groups[r.Group], d.scale, d.duration
		}
		m, ok := idx[name]
		switch {
		case name == "":
			errs = append(errs, fmt.Errorf("%s:%d: moment %s has no group %q", t.Name, r.Line, r.Moment, r.Group))
		case !ok:
			errs = append(errs, fmt.Errorf("%s:%d: moment %s (group %s) needs the simulation metric %q, which this model does not record", t.Name, r.Line, r.Moment, r.Group, name))
		case rt.t < 1 || rt.t > s.Years:
			errs = append(errs, fmt.Errorf("%s:%d: year %d is model year %d, not one of the simulated 1..%d (first year %d)", t.Name, r.Line, r.Year, rt.t, s.Years, first))
		case !(r.SE > 0):
			errs = append(errs, fmt.Errorf("%s:%d: standard error %v is not above 0", t.Name, r.Line, r.SE))
		}
		rt.metric = m
		src.rows = append(src.rows, rt)
		src.all = append(src.all, r.moment())
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return src, nil
}

// Targets returns the source's targets.
func (ts *TargetSource) Targets() *Targets { return ts.targets }

// Observed implements Source: the rows as moments (name the target
// moment, group "year=Y" or "group=G,year=Y"; GPs 0).
func (ts *TargetSource) Observed() []Moment { return ts.all }

// Fitted implements Source: every target is fitted (public aggregates
// have no small cells).
func (ts *TargetSource) Fitted(int, int) bool { return true }

// MeasurementVar implements Source: the row's se squared.
func (ts *TargetSource) MeasurementVar(i int) float64 {
	se := ts.targets.Rows[i].SE
	return se * se
}

// Simulate implements Source: one national run of the replications and,
// per replication, each row's metric in its model year (scaled), or for a
// duration the median of the mean yearly hazard over model years 1..t.
func (ts *TargetSource) Simulate(ctx context.Context, s *Setup, p params.Params, seed uint64, first, n int) ([][]float64, error) {
	out, err := s.RunMetrics(ctx, p, seed, first, n)
	if err != nil {
		return nil, err
	}
	rows := make([][]float64, n)
	for k := range rows {
		rows[k] = ts.values(out, first+k)
	}
	return rows, nil
}

// values returns replication rep's simulated value of every row.
func (ts *TargetSource) values(out *sim.Output, rep int) []float64 {
	at := func(t, metric int) float64 {
		return out.Values[(rep*out.Years+t)*int(sim.NumMetrics)+metric]
	}
	row := make([]float64, len(ts.rows))
	for i, rt := range ts.rows {
		if !rt.duration {
			row[i] = rt.scale * at(rt.t, rt.metric)
			continue
		}
		h := make([]float64, rt.t)
		for t := 1; t <= rt.t; t++ {
			h[t-1] = at(t, rt.metric)
		}
		row[i] = durationOf(nanMean(h))
	}
	return row
}

// SimulatedRows returns targets like t (same moments, years, groups,
// sources and notes) with the values of one replication (rep) of the
// setup at parameters p under seed, and the standard errors of rule
// applied to them: synthetic targets with known parameters. The note of
// each row says how it was made; the name stays t's.
func SimulatedRows(ctx context.Context, t *Targets, s *Setup, p params.Params, seed uint64, rep int, rule SERule) (*Targets, error) {
	ts, err := NewTargetSource(t, s)
	if err != nil {
		return nil, err
	}
	rows, err := ts.Simulate(ctx, s, p, seed, rep, 1)
	if err != nil {
		return nil, err
	}
	out := &Targets{Name: t.Name, Rows: slices.Clone(t.Rows)}
	for i := range out.Rows {
		v := rows[0][i]
		if math.IsNaN(v) {
			return nil, fmt.Errorf("%s:%d: moment %s (group %s, %d) is empty in the simulation", t.Name, t.Rows[i].Line, t.Rows[i].Moment, t.Rows[i].Group, t.Rows[i].Year)
		}
		out.Rows[i].Value = v
		out.Rows[i].Note = fmt.Sprintf("simulated: seed %d, replication %d", seed, rep)
	}
	if err := out.ApplySERule(rule); err != nil {
		return nil, err
	}
	return out, nil
}
