package study

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"listetak/results"
	"listetak/sim"
)

// A unit is one replication of one design point with every scenario: the
// engine's unit of work (scenarios of a replication share their random
// streams and are compared GP by GP). Its run id is dp*reps + rep. Each
// finished unit is written at once to DIR/units/dp-NNNN/rep-NNNNNN.parquet,
// so an interrupted run loses at most the units in flight, -resume skips
// the units already there, and merge rebuilds the results from them.
//
// A unit file holds, as Series of one replication: each scenario's yearly
// metrics; "<scenario>#dist" with the distribution-table cells (one metric
// per cell and statistic, named mode:year:group_by:group:statistic, which
// loading checks); and "#unreached" (GPs whose observed ceiling was
// not reachable).

const (
	distSuffix    = "#dist"
	muniSuffix    = "#municipal"
	unreachedName = "#unreached"
)

// Store keeps a study's finished units, so that a study can be split
// into shards, resumed and merged. Execute saves each unit as soon as it is
// done and loads those it skips.
type Store interface {
	// Has reports whether the unit (design point dp, replication rep) is
	// stored.
	Has(dp, rep int) bool
	// Save stores replication rep of outs as the unit of design point dp.
	// Execute calls it from its workers, concurrently for different units.
	Save(dp, rep int, outs []*sim.Output) error
	// Load fills replication rep of outs from the stored unit; ok is false
	// when there is none.
	Load(dp, rep int, outs []*sim.Output) (ok bool, err error)
}

// distNames names the cells and statistics of a unit's distribution
// tables, in Output.Dist's order: mode:year:group_by:group:statistic.
func distNames(years []int) []string {
	var names []string
	for _, c := range sim.DistCells(years) {
		for _, st := range sim.DistStats {
			names = append(names, fmt.Sprintf("%s:%d:%s:%s:%s", c.Mode, c.Year, c.GroupBy, c.Group, st))
		}
	}
	return names
}

// DirStore stores units as Parquet files under DIR/units (the string is
// DIR).
type DirStore string

var _ Store = DirStore("")

// UnitPath returns the file of unit (dp, rep) under DIR/units.
func (d DirStore) UnitPath(dp, rep int) string {
	return filepath.Join(string(d), "units", fmt.Sprintf("dp-%04d", dp), fmt.Sprintf("rep-%06d.parquet", rep))
}

// Has implements Store.
func (d DirStore) Has(dp, rep int) bool {
	_, err := os.Stat(d.UnitPath(dp, rep))
	return err == nil
}

// Save implements Store: the unit's file, written atomically.
func (d DirStore) Save(dp, rep int, outs []*sim.Output) error {
	path := d.UnitPath(dp, rep)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	names := sim.MetricNames()
	nm := len(names)
	var ss []*results.Series
	for _, o := range outs {
		off := rep * o.Years * nm
		ss = append(ss, &results.Series{Scenario: o.Scenario, DesignPoint: dp, Metrics: names, Years: o.Years, Reps: 1,
			Values: o.Values[off : off+o.Years*nm]})
		if o.Dist != nil {
			n := len(o.Dist) / o.Reps
			metrics := distNames(o.DistYears)
			ss = append(ss, &results.Series{Scenario: o.Scenario + distSuffix, DesignPoint: dp, Metrics: metrics, Years: 1, Reps: 1,
				Values: o.Dist[rep*n : (rep+1)*n]})
		}
	}
	var cells []string // the municipal cells' names, made once
	for _, o := range outs {
		if o.Muni != nil {
			if cells == nil {
				cells = muniNames(o.Munis)
			}
			ss = append(ss, muniSeries(o, dp, rep, cells))
		}
	}
	ss = append(ss, &results.Series{Scenario: unreachedName, DesignPoint: dp, Metrics: []string{"gps"}, Years: 1, Reps: 1,
		Values: []float64{float64(outs[0].Unreached[rep])}})
	return results.WriteParquet(path, ss, dp)
}

// Load implements Store.
func (d DirStore) Load(dp, rep int, outs []*sim.Output) (ok bool, err error) {
	path := d.UnitPath(dp, rep)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	rows, err := results.ReadParquet(path)
	if err != nil {
		return false, err
	}
	ss, err := results.SeriesFromRows(rows)
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	by := map[string]*results.Series{}
	for _, s := range ss {
		by[s.Scenario] = s
	}
	nm := int(sim.NumMetrics)
	var cells []string // the municipal cells' names, made once
	for _, o := range outs {
		s := by[o.Scenario]
		if s == nil || s.Years != o.Years || len(s.Metrics) != nm {
			return false, fmt.Errorf("%s: no matching results for scenario %s (a different experiment?)", path, o.Scenario)
		}
		copy(o.Values[rep*o.Years*nm:(rep+1)*o.Years*nm], s.Values)
		if o.Dist != nil {
			d := by[o.Scenario+distSuffix]
			n := len(o.Dist) / o.Reps
			if d == nil || len(d.Values) != n || !slices.Equal(d.Metrics, distNames(o.DistYears)) {
				return false, fmt.Errorf("%s: no distribution tables for scenario %s with these cells (a different experiment?)", path, o.Scenario)
			}
			copy(o.Dist[rep*n:(rep+1)*n], d.Values)
		}
		if o.Muni != nil {
			if cells == nil {
				cells = muniNames(o.Munis)
			}
			d := by[o.Scenario+muniSuffix]
			if d == nil || d.Years != o.Years || !slices.Equal(d.Metrics, cells) {
				return false, fmt.Errorf("%s: no per-municipality records for scenario %s (a run without municipal outputs?)", path, o.Scenario)
			}
			for i, v := range d.Values {
				o.MuniRep(rep)[i] = float32(v)
			}
		}
	}
	if u := by[unreachedName]; u != nil && len(u.Values) == 1 {
		outs[0].Unreached[rep] = int(u.Values[0])
	}
	return true, nil
}

// muniSeries returns replication rep's per-municipality counts of o as a
// one-replication series with metrics cells (muniNames).
func muniSeries(o *sim.Output, dp, rep int, cells []string) *results.Series {
	src := o.MuniRep(rep)
	vals := make([]float64, len(src))
	for i, v := range src {
		vals[i] = float64(v)
	}
	return &results.Series{Scenario: o.Scenario + muniSuffix, DesignPoint: dp, Metrics: cells,
		Years: o.Years, Reps: 1, Values: vals}
}

// muniNames names the per-municipality cells of a unit file:
// "INDEX.metric", municipalities by index in the world's order.
func muniNames(munis int) []string {
	names := make([]string, 0, munis*int(sim.NumMuniMetrics))
	for m := range munis {
		for _, k := range sim.MuniMetricNames() {
			names = append(names, fmt.Sprintf("%d.%s", m, k))
		}
	}
	return names
}

// MemStore keeps units in memory (a library user's study that needs no
// files, and the tests'). Its zero value is empty and ready; it is safe
// for concurrent use.
type MemStore struct {
	mu    sync.Mutex
	units map[[2]int][]memUnit
}

var _ Store = (*MemStore)(nil)

// memUnit is one scenario's replication: its yearly values, distribution
// cells and unreached count.
type memUnit struct {
	values, dist []float64
	muni         []float32
	unreached    int
}

// Has implements Store.
func (m *MemStore) Has(dp, rep int) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.units[[2]int{dp, rep}]
	return ok
}

// Save implements Store.
func (m *MemStore) Save(dp, rep int, outs []*sim.Output) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.units == nil {
		m.units = map[[2]int][]memUnit{}
	}
	nm := int(sim.NumMetrics)
	u := make([]memUnit, len(outs))
	for i, o := range outs {
		u[i].values = append([]float64(nil), o.Values[rep*o.Years*nm:(rep+1)*o.Years*nm]...)
		if o.Dist != nil {
			n := len(o.Dist) / o.Reps
			u[i].dist = append([]float64(nil), o.Dist[rep*n:(rep+1)*n]...)
		}
		if o.Muni != nil {
			u[i].muni = slices.Clone(o.MuniRep(rep))
		}
		u[i].unreached = o.Unreached[rep]
	}
	m.units[[2]int{dp, rep}] = u
	return nil
}

// Load implements Store.
func (m *MemStore) Load(dp, rep int, outs []*sim.Output) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.units[[2]int{dp, rep}]
	if !ok {
		return false, nil
	}
	if len(u) != len(outs) {
		return false, fmt.Errorf("study: unit (%d, %d) has %d scenarios, want %d", dp, rep, len(u), len(outs))
	}
	nm := int(sim.NumMetrics)
	for i, o := range outs {
		copy(o.Values[rep*o.Years*nm:(rep+1)*o.Years*nm], u[i].values)
		if o.Dist != nil {
			n := len(o.Dist) / o.Reps
			copy(o.Dist[rep*n:(rep+1)*n], u[i].dist)
		}
		if o.Muni != nil {
			if len(u[i].muni) != len(o.MuniRep(rep)) {
				return false, fmt.Errorf("study: unit (%d, %d) has no per-municipality records for scenario %s", dp, rep, o.Scenario)
			}
			copy(o.MuniRep(rep), u[i].muni)
		}
		o.Unreached[rep] = u[i].unreached
	}
	return true, nil
}
