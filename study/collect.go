package study

import (
	"listetak/results"
	"listetak/sim"
)

// distRows summarises the engine's distribution tables over replications.
func distRows(outs []*sim.Output, years []int) []results.DistRow {
	cells := sim.DistCells(years)
	var rows []results.DistRow
	for _, o := range outs[1:] {
		if o.Dist == nil {
			continue
		}
		name := o.Scenario + "-minus-" + outs[0].Scenario
		results.SummariseCells(o.Dist, o.Reps, len(cells), len(sim.DistStats), func(c, k int, s results.SummaryRow) {
			cell := cells[c]
			rows = append(rows, results.DistRow{Scenario: name, Mode: cell.Mode, Year: cell.Year,
				GroupBy: cell.GroupBy, Group: cell.Group, Statistic: sim.DistStats[k], Summary: s})
		})
	}
	return rows
}

// toSeries wraps the engine's outputs as result series.
func toSeries(outs []*sim.Output) []*results.Series {
	names := sim.MetricNames()
	s := make([]*results.Series, len(outs))
	for i, o := range outs {
		s[i] = &results.Series{Scenario: o.Scenario, Metrics: names, Years: o.Years, Reps: o.Reps, Values: o.Values}
	}
	return s
}

// scenarioNames returns the outputs' scenario names in order.
func scenarioNames(outs []*sim.Output) []string {
	n := make([]string, len(outs))
	for i, o := range outs {
		n[i] = o.Scenario
	}
	return n
}

// correctionFactors summarises the year-0 capitation correction factors of
// replication 0 of model m under seed.
func correctionFactors(m *sim.Model, seed uint64) map[string]any {
	st := sim.NewState(m)
	st.Reset(seed, 0, nil)
	n, lo, hi, within := st.CorrectionSummary()
	return map[string]any{"lists": n, "min": lo, "max": hi, "percent_within_10": within}
}
