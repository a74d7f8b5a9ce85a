package report

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"listetak/results"
)

// summaryText returns the report's summary paragraphs, generated from the
// numbers: the run, the baseline's capacity, orphans and GPs from year 0 to
// the last year, each reform's paired effect on orphans and capacity in
// the last year with whether its band excludes zero, the static income
// change by list length, the most influential factor of a design, and the
// calibration fit.
func summaryText(r *Run, o Options, l Lang) []string {
	nf := l.Numbers()
	var paras []string
	scen := o.scenarios(r)
	band := func(s results.SummaryRow, f func(float64) string) string {
		return l.tf("range", f(s.Q05), f(s.Q95))
	}
	if r.Manifest != nil && len(scen) > 0 && len(r.Summary) > 0 {
		m := r.Manifest
		var which string
		if len(scen) == 1 {
			which = l.tf("sum one", scen[0])
		} else {
			which = l.tf("sum many", len(scen), strings.Join(scen, ", "), scen[0])
		}
		paras = append(paras, l.tf("sum run", r.Years, m.World, which, nf.Format(float64(m.Reps), 0), m.Seed))
	}
	y := r.Years
	if len(scen) > 0 {
		base := scen[0]
		c0, ok1 := r.Row(base, "capacity", 0)
		c1, ok2 := r.Row(base, "capacity", y)
		o0, ok3 := r.Row(base, "orphans", 0)
		o1, ok4 := r.Row(base, "orphans", y)
		g0, ok5 := r.Row(base, "gps", 0)
		g1, ok6 := r.Row(base, "gps", y)
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && y > 0 {
			f := func(v float64) string { return nf.Format(v, 0) }
			paras = append(paras, l.tf("sum base", base, f(c0.Q50), f(c1.Q50), y, band(c1, f),
				f(o0.Q50), f(o1.Q50), band(o1, f), f(g0.Q50), f(g1.Q50), band(g1, f)))
		}
	}
	var reformLines []string
	for _, ref := range o.reforms(r) {
		d := r.diffName(ref)
		od, ok1 := r.Row(d, "orphans", y)
		cd, ok2 := r.Row(d, "capacity", y)
		if !ok1 || !ok2 || y == 0 {
			continue
		}
		f := func(v float64) string { return nf.Signed(v, 0) }
		reformLines = append(reformLines, l.tf("sum reform", r.Baseline(), ref, y, f(od.Q50), band(od, f), zeroWord(od, l),
			f(cd.Q50), band(cd, f), zeroWord(cd, l)))
		// The static income change at the list-length extremes.
		all, okA := r.dist(d, "static", 1, "all", "all", "mean_net_change")
		lo, okL := r.dist(d, "static", 1, "list_bin", listBins[1], "mean_net_change")
		hi, okH := r.dist(d, "static", 1, "list_bin", listBins[5], "mean_net_change")
		if okA && okL && okH && !math.IsNaN(lo.Q50) && !math.IsNaN(hi.Q50) {
			reformLines = append(reformLines, l.tf("sum static", ref, f(all.Q50), f(lo.Q50), l.binLabel(listBins[1]),
				f(hi.Q50), l.binLabel(listBins[5])))
		}
	}
	if len(reformLines) > 0 {
		paras = append(paras, strings.Join(reformLines, " "))
	}
	// The design's most influential factor of each sensitivity output's
	// first metric and last year.
	if keys := sensOutputs(r); len(keys) > 0 {
		k := keys[0]
		for _, kk := range keys {
			if kk.scenario == k.scenario && kk.metric == k.metric && kk.year > k.year {
				k = kk
			}
		}
		best, bestV, idx := "", math.Inf(-1), ""
		for _, s := range r.Sens {
			if s.Scenario == k.scenario && s.Metric == k.metric && s.Year == k.year && (s.Index == "ST" || s.Index == "mu_star") && s.Estimate > bestV {
				best, bestV, idx = s.Factor, s.Estimate, s.Index
			}
		}
		if best != "" {
			label, _ := l.metricLabel(k.metric)
			paras = append(paras, l.tf("sum sens", lowerFirst(label), k.year, best, idx, nf.Format(bestV, sensDecimals(bestV))))
		}
	}
	if len(r.Fit) > 0 {
		in := 0
		for _, f := range r.Fit {
			if math.Abs(f.Simulated-f.Observed) <= 1.96*f.SE {
				in++
			}
		}
		paras = append(paras, l.tf("sum fit", len(r.Fit), in))
	}
	return paras
}

// zeroWord says where a difference's 90 % band lies relative to zero.
func zeroWord(s results.SummaryRow, l Lang) string {
	switch {
	case s.Q95 < 0:
		return l.t("below zero")
	case s.Q05 > 0:
		return l.t("above zero")
	}
	return l.t("spans zero")
}

// lowerFirst returns s with its first letter in lower case ("Capacity
// (sum of list ceilings)" -> "capacity (sum of list ceilings)").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
