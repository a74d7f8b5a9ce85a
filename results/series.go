package results

import (
	"errors"
	"fmt"
	"slices"
)

// Series holds one scenario's per-year outputs for every replication.
//
// Values is a flat array in replication-major order: the value of metric m in
// year y of replication r is Values[(r*Years+y)*len(Metrics)+m]. Year 0 is the
// starting state. Replications are numbered from 0, as the random streams are.
type Series struct {
	Scenario    string    // scenario name, e.g. "baseline"
	DesignPoint int       // design point of an experiment's design (0 without one)
	Metrics     []string  // metric names, in column order
	Years       int       // recorded years including year 0
	Reps        int       // number of replications
	Values      []float64 // flat: Values[(rep*Years+year)*len(Metrics)+metric]
}

// NewSeries returns a Series of the given shape with all values zero. The
// metrics slice is copied.
func NewSeries(scenario string, metrics []string, years, reps int) *Series {
	if years < 0 || reps < 0 {
		panic(fmt.Sprintf("results.NewSeries: negative shape (years=%d, reps=%d)", years, reps))
	}
	return &Series{
		Scenario: scenario,
		Metrics:  slices.Clone(metrics),
		Years:    years,
		Reps:     reps,
		Values:   make([]float64, reps*years*len(metrics)),
	}
}

// index returns the position of (rep, year, metric) in Values, panicking if
// any index is out of range.
func (s *Series) index(rep, year, metric int) int {
	if uint(rep) >= uint(s.Reps) || uint(year) >= uint(s.Years) || uint(metric) >= uint(len(s.Metrics)) {
		panic(fmt.Sprintf("results.Series %q: index (rep=%d, year=%d, metric=%d) out of range (reps=%d, years=%d, metrics=%d)",
			s.Scenario, rep, year, metric, s.Reps, s.Years, len(s.Metrics)))
	}
	return (rep*s.Years+year)*len(s.Metrics) + metric
}

// At returns the value of metric in year of replication rep. It panics if an
// index is out of range.
func (s *Series) At(rep, year, metric int) float64 {
	return s.Values[s.index(rep, year, metric)]
}

// Set stores v as the value of metric in year of replication rep. It panics
// if an index is out of range.
func (s *Series) Set(rep, year, metric int, v float64) {
	s.Values[s.index(rep, year, metric)] = v
}

// Row returns the metrics of one replication and year, in Metrics order, as
// a subslice of Values (writes through). It panics if an index is out of
// range.
func (s *Series) Row(rep, year int) []float64 {
	if len(s.Metrics) == 0 {
		return s.Values[:0:0]
	}
	i := s.index(rep, year, 0)
	return s.Values[i : i+len(s.Metrics) : i+len(s.Metrics)]
}

// MetricIndex returns the column of the named metric, or -1 if there is none.
func (s *Series) MetricIndex(name string) int {
	return slices.Index(s.Metrics, name)
}

// Validate reports whether the Series is well formed: non-negative shape,
// len(Values) == Reps*Years*len(Metrics), and no duplicate metric names.
func (s *Series) Validate() error {
	if s == nil {
		return errors.New("results: nil Series")
	}
	if s.Years < 0 || s.Reps < 0 {
		return fmt.Errorf("results: series %q has a negative shape (years=%d, reps=%d)", s.Scenario, s.Years, s.Reps)
	}
	if want := s.Reps * s.Years * len(s.Metrics); len(s.Values) != want {
		return fmt.Errorf("results: series %q has %d values, want reps*years*metrics = %d*%d*%d = %d",
			s.Scenario, len(s.Values), s.Reps, s.Years, len(s.Metrics), want)
	}
	seen := make(map[string]bool, len(s.Metrics))
	for _, m := range s.Metrics {
		if seen[m] {
			return fmt.Errorf("results: series %q has metric %q twice", s.Scenario, m)
		}
		seen[m] = true
	}
	return nil
}

// Difference returns the paired per-replication difference other - base:
// replication r of the result is replication r of other minus replication r
// of base, year by year and metric by metric. With common random numbers
// this is the reform effect with the shared noise removed. The result's
// scenario is "<other>-minus-<base>". It is an error if either series is
// malformed or the two differ in years, replications or metrics (names and
// order).
func Difference(base, other *Series) (*Series, error) {
	if err := base.Validate(); err != nil {
		return nil, err
	}
	if err := other.Validate(); err != nil {
		return nil, err
	}
	if base.Years != other.Years || base.Reps != other.Reps {
		return nil, fmt.Errorf("results: cannot difference %q (years=%d, reps=%d) and %q (years=%d, reps=%d): shapes differ",
			other.Scenario, other.Years, other.Reps, base.Scenario, base.Years, base.Reps)
	}
	if !slices.Equal(base.Metrics, other.Metrics) {
		return nil, fmt.Errorf("results: cannot difference %q and %q: metrics differ", other.Scenario, base.Scenario)
	}
	d := &Series{
		Scenario:    other.Scenario + "-minus-" + base.Scenario,
		DesignPoint: other.DesignPoint,
		Metrics:     slices.Clone(base.Metrics),
		Years:       base.Years,
		Reps:        base.Reps,
		Values:      make([]float64, len(base.Values)),
	}
	for i, b := range base.Values {
		d.Values[i] = other.Values[i] - b
	}
	return d, nil
}
