package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

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
// per cell and statistic); and "#unreached" (GPs whose observed ceiling was
// not reachable).

const (
	distSuffix    = "#dist"
	unreachedName = "#unreached"
)

func unitPath(dir string, dp, rep int) string {
	return filepath.Join(dir, "units", fmt.Sprintf("dp-%04d", dp), fmt.Sprintf("rep-%06d.parquet", rep))
}

// writeUnit writes replication rep of outs (design point dp).
func writeUnit(dir string, dp, rep int, outs []*sim.Output) error {
	path := unitPath(dir, dp, rep)
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
			metrics := make([]string, n)
			for i := range metrics {
				metrics[i] = strconv.Itoa(i)
			}
			ss = append(ss, &results.Series{Scenario: o.Scenario + distSuffix, DesignPoint: dp, Metrics: metrics, Years: 1, Reps: 1,
				Values: o.Dist[rep*n : (rep+1)*n]})
		}
	}
	ss = append(ss, &results.Series{Scenario: unreachedName, DesignPoint: dp, Metrics: []string{"gps"}, Years: 1, Reps: 1,
		Values: []float64{float64(outs[0].Unreached[rep])}})
	return results.WriteParquet(path, ss, dp)
}

// loadUnit fills replication rep of outs from its unit file; ok is false
// when there is none.
func loadUnit(dir string, dp, rep int, outs []*sim.Output) (ok bool, err error) {
	path := unitPath(dir, dp, rep)
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
	for _, o := range outs {
		s := by[o.Scenario]
		if s == nil || s.Years != o.Years || len(s.Metrics) != nm {
			return false, fmt.Errorf("%s: no matching results for scenario %s (a different experiment?)", path, o.Scenario)
		}
		copy(o.Values[rep*o.Years*nm:(rep+1)*o.Years*nm], s.Values)
		if o.Dist != nil {
			d := by[o.Scenario+distSuffix]
			n := len(o.Dist) / o.Reps
			if d == nil || len(d.Values) != n {
				return false, fmt.Errorf("%s: no distribution tables for scenario %s", path, o.Scenario)
			}
			copy(o.Dist[rep*n:(rep+1)*n], d.Values)
		}
	}
	if u := by[unreachedName]; u != nil && len(u.Values) == 1 {
		outs[0].Unreached[rep] = int(u.Values[0])
	}
	return true, nil
}
