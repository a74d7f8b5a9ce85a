package study

import (
	"math"

	"listetak/results"
	"listetak/sim"
	"listetak/world"
)

// Per-area outputs (docs/model.md "Outputs by area"): every
// municipality, county, centrality class and size class gets the
// municipalities' counts summed (sim.MuniMetric) and the ratios formed from
// those sums, summarised over replications like the national metrics, with
// paired differences to the first scenario.

// areaRatios are the per-area metrics formed from an area's counts, after
// the counts; each is num / den (x scale), NaN when den is 0.
var areaRatios = []struct {
	name     string
	num, den sim.MuniMetric
	scale    float64
}{
	{"coverage", sim.MuniCapacity, sim.MuniPopulation, 1},
	{"orphan_list_share", sim.MuniOnListsWithoutGP, sim.MuniPopulation, 1},
	{"mean_list", sim.MuniListed, sim.MuniGPs, 1},
	{"mean_ceiling", sim.MuniCapacity, sim.MuniGPs, 1},
	{"salaried_share", sim.MuniSalaried, sim.MuniGPs, 1},
	{"gps_per_10k", sim.MuniGPs, sim.MuniPopulation, 1e4},
}

// AreaMetricNames returns the per-area metrics in output order: the counts
// (sim.MuniMetricNames), orphans (residents not on a GP's list:
// population - listed, the national orphans), orphan_share (orphans /
// population) and the ratios.
func AreaMetricNames() []string {
	names := append(sim.MuniMetricNames(), "orphans", "orphan_share")
	for _, r := range areaRatios {
		names = append(names, r.name)
	}
	return names
}

// areaValues writes an area's metrics (AreaMetricNames order) from its
// summed counts.
func areaValues(dst []float64, sum []float64) {
	nk := int(sim.NumMuniMetrics)
	copy(dst, sum[:nk])
	pop := sum[sim.MuniPopulation]
	dst[nk] = pop - sum[sim.MuniListed]
	dst[nk+1] = ratio(dst[nk], pop)
	for i, r := range areaRatios {
		dst[nk+2+i] = ratio(r.scale*sum[r.num], sum[r.den])
	}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// grouping assigns municipalities to the areas of one level: group
// returns municipality m's area in a replication-year given its counts
// (-1: none).
type grouping struct {
	level        string
	codes, names []string
	group        func(m int, counts []float32) int
}

// groupings returns the county, centrality and size levels of world w.
func groupings(w *world.World) []grouping {
	county := grouping{level: results.LevelCounty}
	idx := map[string]int{}
	ofMuni := make([]int, len(w.Municipalities))
	for m, mu := range w.Municipalities {
		num, name := world.County(mu.Code)
		g, ok := idx[num]
		if !ok {
			g = len(county.codes)
			idx[num] = g
			county.codes, county.names = append(county.codes, num), append(county.names, name)
		}
		ofMuni[m] = g
	}
	county.group = func(m int, _ []float32) int { return ofMuni[m] }
	// The classes are named by their codes.
	cent, size := sim.GroupNames[:sim.NumCentralityGroups], sim.GroupNames[sim.NumCentralityGroups:]
	return []grouping{county,
		{level: results.LevelCentrality, codes: cent, names: cent,
			group: func(m int, _ []float32) int { return w.Municipalities[m].Centrality - 1 }},
		{level: results.LevelSize, codes: size, names: size,
			group: func(_ int, c []float32) int { return sim.SizeGroup(int64(c[sim.MuniPopulation])) }},
	}
}

// areaRows summarises design point dp's per-municipality counts (outs
// from a run with sim.Config.Municipal) by municipality, county,
// centrality and size class: one row per area, scenario (and paired
// difference), year and metric.
// With keep, each area's per-replication series are appended to *keep.
func areaRows(dp int, outs []*sim.Output, w *world.World, keep *[]results.AreaSeries) ([]results.AreaRow, error) {
	o0 := outs[0]
	nk := int(sim.NumMuniMetrics)
	var rows []results.AreaRow
	// Municipalities: each one's counts directly.
	sum := make([]float64, nk)
	for m, mu := range w.Municipalities {
		r, err := summariseArea(dp, outs, results.LevelMunicipality, mu.Code, mu.Name, keep, func(si, rep, year int) []float64 {
			for k, v := range outs[si].MuniAt(rep, year, m) {
				sum[k] = float64(v)
			}
			return sum
		})
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	// The other levels: every municipality's counts added to its area's.
	for _, g := range groupings(w) {
		ng := len(g.codes)
		sums := make([][]float64, len(outs)) // [scenario][((rep*Years+year)*ng+group)*nk+k]
		for si, o := range outs {
			sums[si] = make([]float64, o0.Reps*o0.Years*ng*nk)
			for rep := range o.Reps {
				for y := range o.Years {
					base := (rep*o.Years + y) * ng * nk
					for m := range o.Munis {
						c := o.MuniAt(rep, y, m)
						a := g.group(m, c)
						if a < 0 || a >= ng {
							continue
						}
						s := sums[si][base+a*nk : base+(a+1)*nk]
						for k, v := range c {
							s[k] += float64(v)
						}
					}
				}
			}
		}
		for a := range ng {
			r, err := summariseArea(dp, outs, g.level, g.codes[a], g.names[a], keep, func(si, rep, year int) []float64 {
				off := ((rep*o0.Years+year)*ng + a) * nk
				return sums[si][off : off+nk]
			})
			if err != nil {
				return nil, err
			}
			rows = append(rows, r...)
		}
	}
	return rows, nil
}

// summariseArea builds one area's series for every scenario from counts
// (its summed counts in scenario si's replication-year), and summarises
// them and then their paired differences to the first scenario, in the
// order of the national summary. With keep, the scenarios' series are
// appended to *keep.
func summariseArea(dp int, outs []*sim.Output, level, code, name string, keep *[]results.AreaSeries, counts func(si, rep, year int) []float64) ([]results.AreaRow, error) {
	metrics := AreaMetricNames()
	nm := len(metrics)
	var rows []results.AreaRow
	add := func(s *results.Series) {
		for _, r := range results.Summarise(s) {
			rows = append(rows, results.AreaRow{Level: level, Code: code, Name: name, SummaryRow: r})
		}
	}
	series := make([]*results.Series, len(outs))
	for si, o := range outs {
		s := &results.Series{Scenario: o.Scenario, DesignPoint: dp, Metrics: metrics, Years: o.Years, Reps: o.Reps,
			Values: make([]float64, o.Reps*o.Years*nm)}
		for rep := range o.Reps {
			for y := range o.Years {
				off := (rep*o.Years + y) * nm
				areaValues(s.Values[off:off+nm], counts(si, rep, y))
			}
		}
		series[si] = s
		add(s)
	}
	if keep != nil {
		*keep = append(*keep, results.AreaSeries{Level: level, Code: code, Name: name, Series: series})
	}
	for _, s := range series[1:] {
		d, err := results.Difference(series[0], s)
		if err != nil {
			return nil, err
		}
		add(d)
	}
	return rows, nil
}
