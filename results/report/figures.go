package report

import (
	"listetak/sim"

	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	lplot "listetak/results/plot"
)

// Figure is one figure of a report: a file name stem (fan_capacity), the
// section it belongs to (a texts key), its caption and the plot, to be
// drawn Width by Height.
type Figure struct {
	Name    string
	Section string
	Caption string
	Plot    *plot.Plot
	Width   vg.Length
	Height  vg.Length
}

// Options select what a report or a set of figures shows.
type Options struct {
	Lang Lang
	// Metrics are the metrics of the fan charts and paired-difference fan
	// charts (nil: FanMetrics).
	Metrics []string
	// Scenarios restricts the scenarios shown (nil: all); the baseline
	// (the run's first scenario) is always kept for differences.
	Scenarios []string
	// Year is the year of the list-length histogram and of the dynamic
	// distribution figures (0: the last year of the run, and the last
	// year of distribution.csv).
	Year int
	// TableYears are the years of the key tables (nil: 1, 5, 10, 20).
	TableYears []int
}

// FanMetrics are the metrics of a report's fan charts, and DiffMetrics
// those of its paired-difference fan charts, where the run has them.
var (
	FanMetrics  = []string{"capacity", "orphans", "gps", "mean_net_income"}
	DiffMetrics = []string{"capacity", "orphans", "gps"}
	// TableMetrics are the rows of the key tables.
	TableMetrics = []string{"capacity", "orphans", "gps", "entries", "exits_retirement", "exits_other"}
	// DiffTableMetrics are the rows of the paired-difference tables.
	DiffTableMetrics = []string{"capacity", "orphans", "gps", "entries", "exits_retirement", "exits_other", "mean_net_income", "public_spending"}

	// The same for an area's report (Run.Area): its per-area counts and
	// ratios (docs/model.md "Outputs by area") hold no incomes.
	AreaFanMetrics       = []string{"capacity", "orphans", "gps", "coverage"}
	AreaDiffMetrics      = []string{"capacity", "orphans", "gps"}
	AreaTableMetrics     = []string{"population", "capacity", "coverage", "orphans", "lists_without_gp", "gps", "gps_age_67_plus", "salaried_share", "entries", "exits"}
	AreaDiffTableMetrics = []string{"capacity", "coverage", "orphans", "lists_without_gp", "gps", "entries", "exits"}
)

// metricSets returns the fan, difference, table and difference-table
// metrics of r's report: the national ones, or an area's.
func (r *Run) metricSets() (fan, diff, table, diffTable []string) {
	if r.AreaLabel != "" {
		return AreaFanMetrics, AreaDiffMetrics, AreaTableMetrics, AreaDiffTableMetrics
	}
	return FanMetrics, DiffMetrics, TableMetrics, DiffTableMetrics
}

// listBins are the list-length bins' labels (sim.ListBins).
var listBins = sim.ListBinLabels()

// binLabel formats a bin name ("1001_1200" -> "1,001–1,200", "1801_plus"
// -> "1,801+") in l's number format.
func (l Lang) binLabel(bin string) string {
	nf := l.Numbers()
	lo, hi, _ := strings.Cut(bin, "_")
	a, err1 := strconv.Atoi(lo)
	if err1 != nil {
		return bin
	}
	if hi == "plus" {
		return nf.Format(float64(a), 0) + "+"
	}
	b, err2 := strconv.Atoi(hi)
	if err2 != nil {
		return bin
	}
	return nf.Format(float64(a), 0) + "–" + nf.Format(float64(b), 0)
}

// scenarios returns the run's scenarios selected by o.
func (o Options) scenarios(r *Run) []string {
	if len(o.Scenarios) == 0 {
		return r.Scenarios
	}
	var out []string
	for _, s := range r.Scenarios {
		if slices.Contains(o.Scenarios, s) {
			out = append(out, s)
		}
	}
	return out
}

// reforms returns the selected scenarios after the baseline that have
// paired differences in the summary.
func (o Options) reforms(r *Run) []string {
	var out []string
	for _, s := range o.scenarios(r) {
		if s != r.Baseline() && slices.Contains(r.Diffs, r.diffName(s)) {
			out = append(out, s)
		}
	}
	return out
}

// displayDiff names a difference for people: "1aix − baseline".
func displayDiff(diff string) string {
	return strings.Replace(diff, "-minus-", " − ", 1)
}

// Figures returns the figures of r that o selects, in report order: fan
// charts, paired-difference fan charts, the list-length histogram, the
// distribution bar charts, sensitivity bars and the calibration fit, each
// where the run has the data. Unknown metrics or scenarios in o are
// errors.
func Figures(r *Run, o Options) ([]Figure, error) {
	l := o.Lang
	if l == "" {
		l = English
	}
	nf := l.Numbers()
	for _, s := range o.Scenarios {
		if !slices.Contains(r.Scenarios, s) {
			return nil, fmt.Errorf("report: the run has no scenario %q (it has %s)", s, strings.Join(r.Scenarios, ", "))
		}
	}
	metrics := o.Metrics
	explicit := metrics != nil
	fanMetrics, diffMetrics, _, _ := r.metricSets()
	if !explicit {
		metrics = fanMetrics
	}
	scen := o.scenarios(r)
	var figs []Figure
	add := func(name, section, caption string, p *plot.Plot, w, h vg.Length) {
		figs = append(figs, Figure{Name: name, Section: section, Caption: caption, Plot: p, Width: w, Height: h})
	}
	// Fan charts.
	for _, m := range metrics {
		if len(scen) == 0 || !r.HasMetric(scen[0], m) {
			if explicit {
				return nil, fmt.Errorf("report: the run has no metric %q", m)
			}
			continue
		}
		var bands []lplot.Band
		for _, b := range lplot.BandsFromSummary(r.Summary, m, 0) {
			if slices.Contains(scen, b.Scenario) {
				bands = append(bands, b)
			}
		}
		label, unit := l.metricLabel(m)
		p, err := lplot.FanChartWith(bands, lplot.FanOptions{Title: label, XLabel: l.t("year"), YLabel: unit,
			BandNote: l.t("band note"), Numbers: nf})
		if err != nil {
			return nil, fmt.Errorf("report: figure of %s: %w", m, err)
		}
		add("fan_"+m, "capacity", l.tf("fig fan", label), p, lplot.Width, lplot.Height)
	}
	// Paired differences.
	reforms := o.reforms(r)
	if explicit {
		diffMetrics = metrics
	}
	if len(reforms) > 0 {
		for _, m := range diffMetrics {
			var bands []lplot.Band
			all := lplot.BandsFromSummary(r.Summary, m, 0)
			for _, ref := range reforms {
				for _, b := range all {
					if b.Scenario == r.diffName(ref) {
						b.Scenario = displayDiff(b.Scenario)
						bands = append(bands, b)
					}
				}
			}
			if len(bands) == 0 {
				continue
			}
			label, unit := l.metricLabel(m)
			p, err := lplot.FanChartWith(bands, lplot.FanOptions{Title: l.tf("title diff", label, r.Baseline()),
				XLabel: l.t("year"), YLabel: unit, ZeroLine: true, BandNote: l.t("band note"), Numbers: nf})
			if err != nil {
				return nil, fmt.Errorf("report: difference figure of %s: %w", m, err)
			}
			add("diff_"+m, "effects", l.tf("fig diff", label, r.Baseline()), p, lplot.Width, lplot.Height)
		}
	}
	if explicit {
		return figs, nil
	}
	// List lengths before and after.
	if len(scen) > 0 && r.HasMetric(scen[0], "list_bin_"+listBins[0]) {
		year := o.Year
		if year <= 0 || year > r.Years {
			year = r.Years
		}
		cats := make([]string, len(listBins))
		for i, b := range listBins {
			cats[i] = l.binLabel(b)
		}
		series := []lplot.Bars{barsOf(r, scen[0], "list_bin_", listBins, 0, l.t("start"))}
		for _, s := range scen {
			series = append(series, barsOf(r, s, "list_bin_", listBins, year, s+", "+l.t("year")+" "+strconv.Itoa(year)))
		}
		p, err := lplot.GroupedBars(cats, series, lplot.BarOptions{Title: l.t("title lists"), CategoryLabel: l.t("list bin now"),
			ValueLabel: l.t("GPs"), Note: l.t("bar note"), Numbers: nf})
		if err != nil {
			return nil, fmt.Errorf("report: list-length figure: %w", err)
		}
		add(fmt.Sprintf("lists_year%d", year), "lists", l.tf("fig lists", year), p, lplot.Width, lplot.Height)
	}
	// Distribution.
	if len(r.Dist) > 0 {
		dfigs, err := distFigures(r, o, l)
		if err != nil {
			return nil, err
		}
		figs = append(figs, dfigs...)
	}
	// Sensitivity.
	sfigs, err := sensFigures(r, l)
	if err != nil {
		return nil, err
	}
	figs = append(figs, sfigs...)
	// Calibration.
	if len(r.Fit) > 0 {
		f, err := fitFigure(r.Fit, l)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	return figs, nil
}

// barsOf returns the medians and 90 % bands of the metrics prefix+bin of a
// scenario in year, as a bar series named name.
func barsOf(r *Run, scenario, prefix string, bins []string, year int, name string) lplot.Bars {
	b := lplot.Bars{Name: name}
	for _, bin := range bins {
		s, ok := r.Row(scenario, prefix+bin, year)
		if !ok {
			s.Q50, s.Q05, s.Q95 = math.NaN(), math.NaN(), math.NaN()
		}
		b.Values = append(b.Values, s.Q50)
		b.Low = append(b.Low, s.Q05)
		b.High = append(b.High, s.Q95)
	}
	return b
}

// distGroup is a group of a distribution figure or table: its grouping,
// its label in distribution.csv, and its display label.
type distGroup struct{ by, group, label string }

// distGroups returns the groups of the distribution tables in l, in
// order, and the three figure panels (list length, GP groups, centrality).
func (l Lang) distGroups() (all []distGroup, panels [3][]distGroup) {
	for _, b := range listBins {
		panels[0] = append(panels[0], distGroup{"list_bin", b, l.binLabel(b)})
	}
	panels[1] = []distGroup{
		{"sex", "F", l.t("women")}, {"sex", "M", l.t("men")},
		{"specialist", "yes", l.t("specialists")}, {"specialist", "no", l.t("nonspecialists")},
		{"age", "lt50", l.t("under50")}, {"age", "ge50", l.t("over50")},
	}
	for c := 1; c <= 6; c++ {
		panels[2] = append(panels[2], distGroup{"centrality", strconv.Itoa(c), strconv.Itoa(c)})
	}
	all = append(all, distGroup{"all", "all", l.t("all groups")})
	all = append(all, panels[1]...)
	for _, g := range panels[0] {
		all = append(all, distGroup{g.by, g.group, l.tf("list n", g.label)})
	}
	for _, g := range panels[2] {
		all = append(all, distGroup{g.by, g.group, l.tf("centrality n", g.label)})
	}
	return all, panels
}

// distFigures returns the distribution bar charts: mean change in net
// income per GP by list length, GP group and centrality, for the static
// year 1 and the chosen dynamic year, one series per reform.
func distFigures(r *Run, o Options, l Lang) ([]Figure, error) {
	var diffs []string
	for _, d := range r.distScenarios() {
		if len(o.Scenarios) == 0 || slices.Contains(o.Scenarios, reformOf(d)) {
			diffs = append(diffs, d)
		}
	}
	if len(diffs) == 0 {
		return nil, nil
	}
	type when struct {
		mode string
		year int
	}
	whens := []when{{"static", 1}}
	if ys := r.distYears(); len(ys) > 0 {
		y := ys[len(ys)-1]
		if o.Year > 0 && slices.Contains(ys, o.Year) {
			y = o.Year
		}
		whens = append(whens, when{"dynamic", y})
	}
	_, panels := l.distGroups()
	axis := [3]string{l.t("list bin"), l.t("gp group"), l.t("centrality")}
	by := [3]string{l.t("by list"), l.t("by group"), l.t("by central")}
	names := [3]string{"list", "group", "centrality"}
	var figs []Figure
	for _, w := range whens {
		whenText := l.t("static")
		if w.mode == "dynamic" {
			whenText = l.tf("dynamic", w.year)
		}
		for k, panel := range panels {
			cats := make([]string, len(panel))
			for i, g := range panel {
				cats[i] = g.label
			}
			var series []lplot.Bars
			for _, d := range diffs {
				b := lplot.Bars{Name: reformOf(d)}
				for _, g := range panel {
					s, ok := r.dist(d, w.mode, w.year, g.by, g.group, "mean_net_change")
					if !ok {
						s.Q50, s.Q05, s.Q95 = math.NaN(), math.NaN(), math.NaN()
					}
					b.Values = append(b.Values, s.Q50)
					b.Low = append(b.Low, s.Q05)
					b.High = append(b.High, s.Q95)
				}
				series = append(series, b)
			}
			p, err := lplot.GroupedBars(cats, series, lplot.BarOptions{
				Title:         l.tf("title dist", whenText),
				CategoryLabel: axis[k], ValueLabel: l.t("NOK/year"),
				Note: l.t("bar note"), Numbers: l.Numbers(),
			})
			if err != nil {
				// A panel without a finite value (no GP in any group) is
				// left out rather than failing the report.
				if strings.Contains(err.Error(), "no finite value") {
					continue
				}
				return nil, fmt.Errorf("report: distribution figure: %w", err)
			}
			name := fmt.Sprintf("dist_%s_%s%d", names[k], w.mode, w.year)
			figs = append(figs, Figure{Name: name, Section: "distribution",
				Caption: l.tf("fig dist", r.Baseline(), whenText, by[k]), Plot: p, Width: lplot.Width, Height: lplot.Height})
		}
	}
	return figs, nil
}

// sensKey identifies one output of sensitivity.csv.
type sensKey struct {
	scenario, metric string
	year             int
}

// sensOutputs returns the outputs of sensitivity.csv in file order.
func sensOutputs(r *Run) []sensKey {
	var keys []sensKey
	for _, s := range r.Sens {
		k := sensKey{s.Scenario, s.Metric, s.Year}
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// sensFigures returns a tornado chart per output of sensitivity.csv: Sobol
// ST and S1 with intervals, or Morris μ* and σ, factors sorted by the
// first index, largest at the top.
func sensFigures(r *Run, l Lang) ([]Figure, error) {
	var figs []Figure
	for _, k := range sensOutputs(r) {
		idx := map[string]map[string][3]float64{} // index -> factor -> estimate, low, high
		var factors []string
		for _, s := range r.Sens {
			if s.Scenario != k.scenario || s.Metric != k.metric || s.Year != k.year {
				continue
			}
			if idx[s.Index] == nil {
				idx[s.Index] = map[string][3]float64{}
			}
			idx[s.Index][s.Factor] = [3]float64{s.Estimate, s.Low, s.High}
			if !slices.Contains(factors, s.Factor) {
				factors = append(factors, s.Factor)
			}
		}
		sobol := idx["ST"] != nil
		keys := [2]string{"mu_star", "sigma"}
		names := [2]string{l.t("mu_star"), l.t("sigma")}
		if sobol {
			keys = [2]string{"ST", "S1"}
			names = [2]string{l.t("total ST"), l.t("first S1")}
		}
		if idx[keys[0]] == nil {
			continue
		}
		slices.SortStableFunc(factors, func(a, b string) int {
			x, y := idx[keys[0]][a][0], idx[keys[0]][b][0]
			switch {
			case x > y:
				return -1
			case x < y:
				return 1
			}
			return 0
		})
		var series []lplot.Bars
		for j, key := range keys {
			b := lplot.Bars{Name: names[j]}
			hasCI := false
			for _, f := range factors {
				v, ok := idx[key][f]
				if !ok {
					v = [3]float64{math.NaN(), math.NaN(), math.NaN()}
				}
				b.Values = append(b.Values, v[0])
				b.Low = append(b.Low, v[1])
				b.High = append(b.High, v[2])
				hasCI = hasCI || !math.IsNaN(v[1])
			}
			if !hasCI {
				b.Low, b.High = nil, nil
			}
			series = append(series, b)
		}
		label, unit := l.metricLabel(k.metric)
		o := lplot.BarOptions{Horizontal: true, Numbers: l.Numbers()}
		var caption string
		if sobol {
			o.Title = l.tf("title sobol", label, k.year)
			o.ValueLabel = l.t("variance")
			o.Note = l.t("boot note")
			caption = l.tf("fig sobol", label, k.year, k.scenario)
		} else {
			o.Title = l.tf("title morris", label, k.year)
			o.ValueLabel = unit
			caption = l.tf("fig morris", label, k.year, k.scenario)
		}
		p, err := lplot.GroupedBars(factors, series, o)
		if err != nil {
			if strings.Contains(err.Error(), "no finite value") {
				continue
			}
			return nil, fmt.Errorf("report: sensitivity figure of %s year %d: %w", k.metric, k.year, err)
		}
		h := max(lplot.Height, vg.Length(len(factors))*1.4*vg.Centimeter+3*vg.Centimeter)
		figs = append(figs, Figure{Name: fmt.Sprintf("sens_%s_%s_year%d", k.scenario, k.metric, k.year), Section: "sensitivity",
			Caption: caption, Plot: p, Width: lplot.Width, Height: h})
	}
	return figs, nil
}
