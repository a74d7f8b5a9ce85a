package report

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"listetak/results"
)

// Cell is one table cell: a main text (a median) and an optional band
// below it ("5,609,645 – 5,643,089").
type Cell struct {
	Main, Band string
}

// Table is one table of a report: its section (a texts key), caption,
// header and rows of cells. The first column is a row label.
type Table struct {
	Section string
	Caption string
	Head    []string
	Rows    [][]Cell
}

// bandCells returns the cell of a summary row: the median and the 90 %
// band, formatted by format.
func bandCell(s results.SummaryRow, ok bool, l Lang, format func(float64) string) Cell {
	if !ok || math.IsNaN(s.Q50) {
		return Cell{Main: "\u2013"}
	}
	c := Cell{Main: format(s.Q50)}
	if s.Q05 != s.Q95 {
		c.Band = l.tf("band format", format(s.Q05), format(s.Q95))
	}
	return c
}

// yearHead returns the header of a by-year table.
func yearHead(l Lang, first string, years []int) []string {
	h := []string{first}
	for _, y := range years {
		h = append(h, l.t("year")+" "+strconv.Itoa(y))
	}
	return h
}

// scenarioTables returns, per selected scenario, the key metrics (median
// and 90 % band) in the report years.
func scenarioTables(r *Run, o Options, l Lang, years []int) []Table {
	nf := l.Numbers()
	var out []Table
	for _, sc := range o.scenarios(r) {
		t := Table{Section: "capacity", Caption: l.tf("cap scenario", sc), Head: yearHead(l, l.t("metric"), years)}
		_, _, metrics, _ := r.metricSets()
		for _, m := range metrics {
			if !r.HasMetric(sc, m) {
				continue
			}
			label, _ := l.metricLabel(m)
			row := []Cell{{Main: label}}
			for _, y := range years {
				s, ok := r.Row(sc, m, y)
				row = append(row, bandCell(s, ok, l, nf.Auto))
			}
			t.Rows = append(t.Rows, row)
		}
		if len(t.Rows) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// diffTables returns, per reform, the paired differences to the baseline
// of the difference metrics in the report years (year 0 left out: every
// scenario starts alike).
func diffTables(r *Run, o Options, l Lang, years []int) []Table {
	nf := l.Numbers()
	ys := slices.DeleteFunc(slices.Clone(years), func(y int) bool { return y == 0 })
	var out []Table
	for _, ref := range o.reforms(r) {
		d := r.diffName(ref)
		t := Table{Section: "effects", Caption: l.tf("cap diff", ref, r.Baseline()), Head: yearHead(l, l.t("metric"), ys)}
		_, _, _, metrics := r.metricSets()
		for _, m := range metrics {
			if !r.HasMetric(d, m) {
				continue
			}
			label, unit := l.metricLabel(m)
			row := []Cell{{Main: label + " (" + unit + ")"}}
			for _, y := range ys {
				s, ok := r.Row(d, m, y)
				row = append(row, bandCell(s, ok, l, func(v float64) string { return nf.Signed(v, results.AutoDecimals(v)) }))
			}
			t.Rows = append(t.Rows, row)
		}
		if len(t.Rows) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// distTables returns, per reform in distribution.csv, the mean change in
// net income per GP by group (static year 1 and each dynamic year) and the
// shares gaining and losing more than 5 % of gross income.
func distTables(r *Run, o Options, l Lang) []Table {
	nf := l.Numbers()
	groups, _ := l.distGroups()
	dyn := r.distYears()
	var out []Table
	for _, d := range r.distScenarios() {
		ref := reformOf(d)
		if len(o.Scenarios) > 0 && !slices.Contains(o.Scenarios, ref) {
			continue
		}
		head := []string{l.t("group"), l.t("static")}
		for _, y := range dyn {
			head = append(head, l.tf("dynamic", y))
		}
		t := Table{Section: "distribution", Caption: l.tf("cap dist", ref, r.Baseline()), Head: head}
		sh := Table{Section: "distribution", Caption: l.tf("cap share", ref, r.Baseline()),
			Head: []string{l.t("group"), l.t("static") + ": " + l.t("gain5"), l.t("static") + ": " + l.t("lose5")}}
		last := 0
		if len(dyn) > 0 {
			last = dyn[len(dyn)-1]
			sh.Head = append(sh.Head, l.tf("dynamic", last)+": "+l.t("gain5"), l.tf("dynamic", last)+": "+l.t("lose5"))
		}
		for _, g := range groups {
			row := []Cell{{Main: g.label}}
			s, ok := r.dist(d, "static", 1, g.by, g.group, "mean_net_change")
			row = append(row, bandCell(s, ok, l, func(v float64) string { return nf.Signed(v, 0) }))
			for _, y := range dyn {
				s, ok := r.dist(d, "dynamic", y, g.by, g.group, "mean_net_change")
				row = append(row, bandCell(s, ok, l, func(v float64) string { return nf.Signed(v, 0) }))
			}
			t.Rows = append(t.Rows, row)
			srow := []Cell{{Main: g.label}}
			modes := []struct {
				mode string
				year int
			}{{"static", 1}}
			if len(dyn) > 0 {
				modes = append(modes, struct {
					mode string
					year int
				}{"dynamic", last})
			}
			for _, m := range modes {
				for _, stat := range []string{"share_gain_5pct", "share_lose_5pct"} {
					s, ok := r.dist(d, m.mode, m.year, g.by, g.group, stat)
					c := Cell{Main: "\u2013"}
					if ok && !math.IsNaN(s.Q50) {
						c.Main = nf.Percent(s.Q50, 1)
					}
					srow = append(srow, c)
				}
			}
			sh.Rows = append(sh.Rows, srow)
		}
		out = append(out, t, sh)
	}
	return out
}

// sensTables returns one table per scenario of sensitivity.csv: per output
// and factor, the two indices with their intervals.
func sensTables(r *Run, l Lang) []Table {
	nf := l.Numbers()
	var out []Table
	var scen []string
	for _, s := range r.Sens {
		if !slices.Contains(scen, s.Scenario) {
			scen = append(scen, s.Scenario)
		}
	}
	for _, sc := range scen {
		var indices []string
		for _, s := range r.Sens {
			if s.Scenario == sc && !slices.Contains(indices, s.Index) {
				indices = append(indices, s.Index)
			}
		}
		t := Table{Section: "sensitivity", Caption: l.tf("cap sens", sc),
			Head: append([]string{l.t("output"), l.t("factor")}, indices...)}
		for _, k := range sensOutputs(r) {
			if k.scenario != sc {
				continue
			}
			label, _ := l.metricLabel(k.metric)
			var factors []string
			cells := map[string]map[string]Cell{}
			for _, s := range r.Sens {
				if s.Scenario != sc || s.Metric != k.metric || s.Year != k.year {
					continue
				}
				if !slices.Contains(factors, s.Factor) {
					factors = append(factors, s.Factor)
					cells[s.Factor] = map[string]Cell{}
				}
				c := Cell{Main: nf.Format(s.Estimate, sensDecimals(s.Estimate))}
				if !math.IsNaN(s.Low) && !math.IsNaN(s.High) {
					c.Band = l.tf("band format", nf.Format(s.Low, sensDecimals(s.Low)), nf.Format(s.High, sensDecimals(s.High)))
				}
				cells[s.Factor][s.Index] = c
			}
			for _, f := range factors {
				row := []Cell{{Main: fmt.Sprintf("%s, %s %d", label, l.t("year"), k.year)}, {Main: f}}
				for _, ix := range indices {
					c, ok := cells[f][ix]
					if !ok {
						c = Cell{Main: "\u2013"}
					}
					row = append(row, c)
				}
				t.Rows = append(t.Rows, row)
			}
		}
		out = append(out, t)
	}
	return out
}

// sensDecimals is 3 for indices (shares of variance) and Auto's for
// larger Morris effects.
func sensDecimals(v float64) int {
	if math.Abs(v) < 10 {
		return 3
	}
	return results.AutoDecimals(v)
}

// fitTable returns the calibration moments table.
func fitTable(rows []results.FitRow, suppressed int, l Lang) Table {
	nf := l.Numbers()
	caption := l.t("cap fit")
	if suppressed > 0 {
		caption += " " + fmt.Sprintf(l.t("fit suppressed"), suppressed)
	}
	t := Table{Section: "calibration", Caption: caption,
		Head: []string{l.t("moment"), l.t("observed col"), l.t("simulated col"), l.t("difference"), "SE", "z", l.t("weight")}}
	for _, f := range rows {
		d := f.Simulated - f.Observed
		z := math.NaN()
		if f.SE > 0 {
			z = d / f.SE
		}
		exact := func(v float64) string { return scalar(v, nf) }
		t.Rows = append(t.Rows, []Cell{{Main: momentLabel(f)}, {Main: exact(f.Observed)}, {Main: exact(f.Simulated)},
			{Main: nf.Signed(d, min(exactDecimals(f.Observed), exactDecimals(f.Simulated)+0, 6))}, {Main: exact(f.SE)},
			{Main: nf.Signed(z, 2)}, {Main: exact(f.Weight)}})
	}
	return t
}

// runFacts returns the key facts of the run's manifest as label/value
// pairs.
func runFacts(r *Run, l Lang) [][2]string {
	nf := l.Numbers()
	m := r.Manifest
	var kv [][2]string
	if m == nil {
		return kv
	}
	kv = append(kv,
		[2]string{l.t("version"), m.Version},
		[2]string{l.t("git"), m.GitDescribe},
		[2]string{l.t("command"), strings.Join(m.Command, " ")},
		[2]string{l.t("world"), m.World},
		[2]string{l.t("scenarios"), strings.Join(m.Scenarios, ", ")},
		[2]string{l.t("years"), strconv.Itoa(m.Years)},
		[2]string{l.t("reps"), nf.Format(float64(m.Reps), 0)},
		[2]string{l.t("seed"), strconv.FormatUint(m.Seed, 10)},
	)
	if r.DesignPoints > 0 {
		kv = append(kv, [2]string{l.t("design"), nf.Format(float64(r.DesignPoints), 0) + " (" + strings.Join(r.Factors, ", ") + ")"})
	}
	if idx, ok := moneyIndex(m); ok {
		kv = append(kv, [2]string{l.t("money"), l.tf("money text", nf.Format(idx, results.AutoDecimals(idx)))})
	}
	if !m.Started.IsZero() {
		kv = append(kv, [2]string{l.t("started"), m.Started.UTC().Format(time.DateTime) + " UTC"})
	}
	if m.WallSeconds > 0 {
		kv = append(kv, [2]string{l.t("wall"), l.tf("seconds", nf.Format(m.WallSeconds, 1))})
	}
	return kv
}

// paramsOf returns the manifest's parameters as a flat, sorted list of
// name and value, and the money index if recorded.
func paramsOf(m *results.Manifest, l Lang) [][2]string {
	if m == nil || m.Params == nil {
		return nil
	}
	nf := l.Numbers()
	var out [][2]string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				name := k
				if prefix != "" && prefix != "values_2019_nok" {
					name = prefix + "." + k
				}
				walk(name, x[k])
			}
		case []any:
			parts := make([]string, len(x))
			for i, e := range x {
				parts[i] = scalar(e, nf)
			}
			out = append(out, [2]string{prefix, strings.Join(parts, "; ")})
		default:
			out = append(out, [2]string{prefix, scalar(x, nf)})
		}
	}
	// Params comes back from JSON as generic values; re-decode anything
	// else through JSON.
	var v any = m.Params
	if _, ok := v.(map[string]any); !ok {
		if b, err := json.Marshal(m.Params); err == nil {
			json.Unmarshal(b, &v)
		}
	}
	walk("", v)
	return out
}

// scalar formats one parameter value.
func scalar(v any, nf results.NumberFormat) string {
	switch x := v.(type) {
	case float64:
		// Parameters are shown exactly, with grouping for large values.
		return nf.Format(x, exactDecimals(x))
	case nil:
		return "\u2013"
	default:
		return fmt.Sprint(x)
	}
}

// exactDecimals is the number of decimals of v's shortest exact form,
// at most 6.
func exactDecimals(v float64) int {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return min(len(s)-i-1, 6)
	}
	return 0
}

// moneyIndex returns params.nok_index of the manifest.
func moneyIndex(m *results.Manifest) (float64, bool) {
	p, ok := m.Params.(map[string]any)
	if !ok {
		return 0, false
	}
	v, ok := p["nok_index"].(float64)
	return v, ok
}
