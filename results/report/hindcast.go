package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"listetak/results"
	lplot "listetak/results/plot"
)

// Texts of the hindcast section.
func init() {
	for k, v := range map[string][2]string{
		"hindcast": {"Hindcast: model against the published figures", "Tilbakeprognose: modellen mot publiserte tall"},
		"hindcast intro": {
			"Each fit's parameters run the world forward year by year; the bands are Monte Carlo 90 % bands over replications (parameters fixed at the fit's estimate, so parameter uncertainty is not in them). A target passes when the observed value is inside the band, or the model mean is within 10 % of it (2 percentage points for shares). In-sample targets were used in the fit's estimate; out-of-sample ones were not.",
			"Hver tilpasnings parametre kjører verdenen fram år for år; intervallene er Monte Carlo-intervaller (90 %) over replikasjoner (parametrene holdt faste på estimatet, så parameterusikkerhet er ikke med). Et mål består når observert verdi ligger i intervallet, eller modellens gjennomsnitt er innen 10 % av den (2 prosentpoeng for andeler). Mål i utvalget ble brukt i estimeringen; mål utenfor utvalget ble ikke det.",
		},
		"cap hindcast":     {"%s: every target, observed and simulated (mean and 90 %% band).", "%s: alle mål, observert og simulert (gjennomsnitt og 90 %% intervall)."},
		"cap hindcast oos": {"Out of sample: the years %s held out of its estimate, beside %s.", "Utenfor utvalget: årene %s holdt utenfor estimeringen, ved siden av %s."},
		"target":           {"target", "mål"},
		"model mean":       {"model mean", "modell, snitt"},
		"band 90":          {"90 % band", "90 % intervall"},
		"error":            {"error", "avvik"},
		"sample":           {"sample", "utvalg"},
		"pass":             {"passes", "består"},
		"in":               {"in", "i"},
		"out":              {"out", "utenfor"},
		"yes":              {"yes", "ja"},
		"no":               {"no", "nei"},
		"hindcast band":    {"lines: medians; shading: 90 % Monte Carlo bands", "linjer: medianer; skravering: 90 % Monte Carlo-intervaller"},
		"fig hindcast":     {"%s, model (median and 90 %% band per fit) and published figures (points, ± 1.96 SE).", "%s, modell (median og 90 %% intervall per tilpasning) og publiserte tall (punkter, ± 1,96 SE)."},
		"sum hindcast":     {"%s: %d of %d targets pass (%d of %d in 2016-%d).", "%s: %d av %d mål består (%d av %d i 2016-%d)."},
	} {
		texts[k] = v
	}
}

// hindcastKey identifies a series of hindcast.csv.
type hindcastKey struct{ moment, group string }

// label names the series for people: "moment (group)" or the moment.
func (k hindcastKey) label() string {
	if k.group == "" || k.group == "all" {
		return k.moment
	}
	return k.moment + " (" + k.group + ")"
}

// hindcastFits returns the fits of rows in order of appearance.
func hindcastFits(rows []results.HindcastRow) []string {
	var fits []string
	for _, r := range rows {
		if !slices.Contains(fits, r.Fit) {
			fits = append(fits, r.Fit)
		}
	}
	return fits
}

// hindcastSeries returns the series of rows in order of appearance.
func hindcastSeries(rows []results.HindcastRow) []hindcastKey {
	var keys []hindcastKey
	for _, r := range rows {
		if k := (hindcastKey{r.Moment, r.Group}); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// hindcastTables returns one table per fit of its target rows and, for a
// fit with out-of-sample rows, their table beside the first in-sample fit.
func hindcastTables(rows []results.HindcastRow, l Lang) []Table {
	nf := l.Numbers()
	num := func(v float64) string { return nf.Auto(v) }
	yes := map[bool]string{true: l.t("yes"), false: l.t("no")}
	cells := func(r results.HindcastRow) []Cell {
		return []Cell{{Main: num(r.Mean)}, {Main: l.tf("range", num(r.Q05), num(r.Q95))}, {Main: nf.Signed(100*(r.Mean/r.Observed-1), 1) + " %"}}
	}
	var tables []Table
	byKey := map[string]results.HindcastRow{}
	for _, r := range rows {
		byKey[r.Fit+"|"+r.Moment+"|"+r.Group+"|"+strconv.Itoa(r.Year)] = r
	}
	fits := hindcastFits(rows)
	for _, f := range fits {
		t := Table{Section: "hindcast", Caption: l.tf("cap hindcast", f),
			Head: []string{l.t("target"), l.t("year"), l.t("observed col"), l.t("model mean"), l.t("band 90"), l.t("error"), l.t("sample"), l.t("pass")}}
		for _, r := range rows {
			if r.Fit != f || r.Sample == "" {
				continue
			}
			row := []Cell{{Main: hindcastKey{r.Moment, r.Group}.label()}, {Main: strconv.Itoa(r.Year)}, {Main: num(r.Observed)}}
			row = append(row, cells(r)...)
			t.Rows = append(t.Rows, append(row, Cell{Main: l.t(r.Sample)}, Cell{Main: yes[r.Pass]}))
		}
		tables = append(tables, t)
	}
	for _, f := range fits {
		var out []results.HindcastRow
		var years []int
		for _, r := range rows {
			if r.Fit == f && r.Sample == "out" {
				out = append(out, r)
				if !slices.Contains(years, r.Year) {
					years = append(years, r.Year)
				}
			}
		}
		ref := ""
		for _, g := range fits {
			if g != f && ref == "" {
				ref = g
			}
		}
		if len(out) == 0 || ref == "" {
			continue
		}
		ys := ""
		for i, y := range years {
			if i > 0 {
				ys += ", "
			}
			ys += strconv.Itoa(y)
		}
		t := Table{Section: "hindcast", Caption: l.tf("cap hindcast oos", ys, ref),
			Head: []string{l.t("target"), l.t("year"), l.t("observed col"), f, l.t("band 90"), l.t("error"), ref, l.t("band 90"), l.t("error")}}
		for _, r := range out {
			row := append([]Cell{{Main: hindcastKey{r.Moment, r.Group}.label()}, {Main: strconv.Itoa(r.Year)}, {Main: num(r.Observed)}}, cells(r)...)
			if s, ok := byKey[ref+"|"+r.Moment+"|"+r.Group+"|"+strconv.Itoa(r.Year)]; ok {
				row = append(row, cells(s)...)
			}
			t.Rows = append(t.Rows, row)
		}
		tables = append(tables, t)
	}
	return tables
}

// hindcastFigures returns one figure per series: each fit's median and 90
// % band by year, and the published values with ±1.96 SE whiskers.
func hindcastFigures(rows []results.HindcastRow, l Lang) ([]Figure, error) {
	var figs []Figure
	for _, k := range hindcastSeries(rows) {
		var bands []lplot.Band
		var obs lplot.Observed
		for _, f := range hindcastFits(rows) {
			b := lplot.Band{Scenario: f}
			for _, r := range rows {
				if r.Fit != f || r.Moment != k.moment || r.Group != k.group {
					continue
				}
				// No 50 % band is computed: the inner band is the median.
				b.Years = append(b.Years, float64(r.Year))
				b.Q05, b.Q25, b.Q50, b.Q75, b.Q95 = append(b.Q05, r.Q05), append(b.Q25, r.Q50), append(b.Q50, r.Q50), append(b.Q75, r.Q50), append(b.Q95, r.Q95)
				if len(bands) == 0 && !math.IsNaN(r.Observed) {
					obs.X, obs.Y, obs.SE = append(obs.X, float64(r.Year)), append(obs.Y, r.Observed), append(obs.SE, r.SE)
				}
			}
			bands = append(bands, b)
		}
		p, err := lplot.FanChartWith(bands, lplot.FanOptions{Title: k.label(), XLabel: l.t("year"), BandNote: l.t("hindcast band"), Numbers: l.Numbers()})
		if err != nil {
			return nil, fmt.Errorf("report: hindcast figure of %s: %w", k.label(), err)
		}
		if len(obs.X) > 0 {
			obs.Label = l.t("observed")
			if err := lplot.AddObserved(p, obs); err != nil {
				return nil, fmt.Errorf("report: hindcast figure of %s: %w", k.label(), err)
			}
		}
		name := "hindcast_" + k.moment
		if k.group != "" && k.group != "all" {
			name += "_" + k.group
		}
		figs = append(figs, Figure{Name: name, Section: "hindcast", Caption: l.tf("fig hindcast", k.label()), Plot: p, Width: lplot.Width, Height: lplot.Height})
	}
	return figs, nil
}

// hindcastSummary returns a sentence per fit: how many targets pass, in
// all and in the years from 2016 (the criterion's years).
func hindcastSummary(rows []results.HindcastRow, l Lang) []string {
	var paras []string
	last := 0
	for _, r := range rows {
		last = max(last, r.Year)
	}
	for _, f := range hindcastFits(rows) {
		var n, pass, nLate, passLate int
		for _, r := range rows {
			if r.Fit != f || r.Sample == "" {
				continue
			}
			n++
			if r.Pass {
				pass++
			}
			if r.Year >= 2016 {
				nLate++
				if r.Pass {
					passLate++
				}
			}
		}
		paras = append(paras, l.tf("sum hindcast", f, pass, n, passLate, nLate, last))
	}
	return paras
}
