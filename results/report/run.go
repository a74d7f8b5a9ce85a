package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"listetak/results"
)

// Run is what a report is made from: the tables of one run folder, read
// back from disk. Files a run did not write are left empty.
type Run struct {
	Dir      string
	Manifest *results.Manifest        // manifest.json (nil if absent)
	Summary  []results.SummaryRow     // summary.csv
	Dist     []results.DistRow        // distribution.csv
	Sens     []results.SensitivityRow // sensitivity.csv
	Fit      []results.FitRow         // fit.csv (a calibration's output), suppressed cells left out
	// Hindcast is hindcast.csv (listetak hindcast's output).
	Hindcast []results.HindcastRow
	// FitSuppressed counts fit.csv's suppressed small cells.
	FitSuppressed int
	// DesignPoints is the number of design points (design_points.csv),
	// 0 without a design.
	DesignPoints int
	// Factors are the design's factor names.
	Factors []string

	// Scenarios are the scenarios in run order (the manifest's, else the
	// summary's order of appearance), the first being the baseline; Diffs
	// the paired-difference rows' scenarios ("B-minus-A"), in order.
	Scenarios, Diffs []string
	// Years is the last year in summary.csv.
	Years int

	// AreaLabel names the area of a view made by Run.Area ("Drammen
	// (3301)"); empty for the national run.
	AreaLabel string

	// index holds the summary rows of design point 0.
	index map[rowKey]results.SummaryRow
}

type rowKey struct {
	scenario, metric string
	year             int
}

// Load reads the run folder dir: manifest.json, summary.csv,
// distribution.csv, sensitivity.csv, design_points.csv, fit.csv and
// hindcast.csv, each if present. It returns an error if a file present cannot be read (naming
// the file and line) or if dir has none of summary.csv, sensitivity.csv
// and fit.csv.
func Load(dir string) (*Run, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("report: %s is not a folder", dir)
	}
	r := &Run{Dir: dir}
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(dir, name))
		return err == nil
	}
	found := false
	if exists("manifest.json") {
		if r.Manifest, err = results.ReadManifest(filepath.Join(dir, "manifest.json")); err != nil {
			return nil, err
		}
	}
	if exists("summary.csv") {
		found = true
		if r.Summary, err = results.ReadSummaryCSV(filepath.Join(dir, "summary.csv")); err != nil {
			return nil, err
		}
	}
	if exists("distribution.csv") {
		if r.Dist, err = results.ReadDistributionCSV(filepath.Join(dir, "distribution.csv")); err != nil {
			return nil, err
		}
	}
	if exists("sensitivity.csv") {
		found = true
		if r.Sens, err = results.ReadSensitivityCSV(filepath.Join(dir, "sensitivity.csv")); err != nil {
			return nil, err
		}
	}
	if exists("design_points.csv") {
		var pts [][]float64
		if r.Factors, pts, err = results.ReadDesignPointsCSV(filepath.Join(dir, "design_points.csv")); err != nil {
			return nil, err
		}
		r.DesignPoints = len(pts)
	}
	if exists("fit.csv") {
		found = true
		fit, err := results.ReadFitCSV(filepath.Join(dir, "fit.csv"))
		if err != nil {
			return nil, err
		}
		for _, f := range fit {
			if f.Suppressed {
				r.FitSuppressed++ // small cells of register data: never shown
			} else {
				r.Fit = append(r.Fit, f)
			}
		}
	}
	if exists("hindcast.csv") {
		found = true
		if r.Hindcast, err = results.ReadHindcastCSV(filepath.Join(dir, "hindcast.csv")); err != nil {
			return nil, err
		}
	}
	if !found {
		return nil, fmt.Errorf("report: %s has none of summary.csv, sensitivity.csv, fit.csv and hindcast.csv: %w", dir, fs.ErrNotExist)
	}
	r.indexSummary()
	if len(r.Summary) == 0 && len(r.Sens) == 0 && len(r.Fit) == 0 && len(r.Hindcast) == 0 {
		return nil, errors.New("report: " + dir + ": the result files are empty")
	}
	return r, nil
}

// indexSummary indexes the summary rows of design point 0 and finds the
// run's scenarios and paired differences.
func (r *Run) indexSummary() {
	r.index = make(map[rowKey]results.SummaryRow, len(r.Summary))
	var seen []string
	for _, s := range r.Summary {
		if s.DesignPoint != 0 {
			continue
		}
		r.index[rowKey{s.Scenario, s.Metric, s.Year}] = s
		r.Years = max(r.Years, s.Year)
		if !slices.Contains(seen, s.Scenario) {
			seen = append(seen, s.Scenario)
		}
	}
	for _, sc := range seen {
		if strings.Contains(sc, "-minus-") {
			r.Diffs = append(r.Diffs, sc)
		}
	}
	if r.Manifest != nil && len(r.Manifest.Scenarios) > 0 {
		r.Scenarios = slices.Clone(r.Manifest.Scenarios)
	} else {
		for _, sc := range seen {
			if !strings.Contains(sc, "-minus-") {
				r.Scenarios = append(r.Scenarios, sc)
			}
		}
	}
	// Keep only scenarios the summary has (a manifest may list more than a
	// partial folder holds).
	if len(r.Summary) > 0 {
		r.Scenarios = slices.DeleteFunc(r.Scenarios, func(s string) bool { return !slices.Contains(seen, s) })
	}
}

// Area returns a view of the run for one area: its summary is the area's
// per-area rows (results.ReadAreas and results.SelectArea; level
// results.LevelMunicipality and so on, key a code or name), and the
// national tables (distribution, sensitivity, fit, hindcast) are left out.
// code is the area's code and label names it ("Drammen (3301)").
func (r *Run) Area(level, key string) (area *Run, code, label string, err error) {
	rows, err := results.ReadAreas(r.Dir, level)
	if err != nil {
		return nil, "", "", err
	}
	sel, err := results.SelectArea(rows, level, key)
	if err != nil {
		return nil, "", "", fmt.Errorf("report: %s: %w", r.Dir, err)
	}
	a := &Run{Dir: r.Dir, Manifest: r.Manifest, DesignPoints: r.DesignPoints, Factors: r.Factors}
	a.Summary = make([]results.SummaryRow, len(sel))
	for i := range sel {
		a.Summary[i] = sel[i].SummaryRow
	}
	a.indexSummary()
	code, label = sel[0].Code, sel[0].Code
	if n := sel[0].Name; n != "" && n != code {
		label = n + " (" + code + ")"
	}
	a.AreaLabel = label
	return a, code, label, nil
}

// Row returns the summary row of a scenario's metric in year (design point
// 0) and whether there is one.
func (r *Run) Row(scenario, metric string, year int) (results.SummaryRow, bool) {
	s, ok := r.index[rowKey{scenario, metric, year}]
	return s, ok
}

// HasMetric reports whether the summary has metric for scenario in year 0.
func (r *Run) HasMetric(scenario, metric string) bool {
	_, ok := r.index[rowKey{scenario, metric, 0}]
	return ok
}

// Baseline returns the first scenario, the one differences refer to, or ""
// without scenarios.
func (r *Run) Baseline() string {
	if len(r.Scenarios) == 0 {
		return ""
	}
	return r.Scenarios[0]
}

// diffName returns the paired-difference scenario of reform against the
// baseline.
func (r *Run) diffName(reform string) string {
	return reform + "-minus-" + r.Baseline()
}

// reformOf returns the reform of a difference name ("1aix-minus-baseline"
// -> "1aix").
func reformOf(diff string) string {
	if i := strings.Index(diff, "-minus-"); i >= 0 {
		return diff[:i]
	}
	return diff
}

// ReportYears returns the years of the key tables: 0, then those of want
// that the run has, then the last year if it is not among them.
func (r *Run) ReportYears(want []int) []int {
	ys := []int{0}
	for _, y := range want {
		if y > 0 && y <= r.Years && !slices.Contains(ys, y) {
			ys = append(ys, y)
		}
	}
	if r.Years > 0 && !slices.Contains(ys, r.Years) {
		ys = append(ys, r.Years)
	}
	slices.Sort(ys)
	return ys
}

// dist returns the distribution row of a reform's difference at mode and
// year for a group and statistic (design point 0).
func (r *Run) dist(diff, mode string, year int, groupBy, group, stat string) (results.SummaryRow, bool) {
	for _, d := range r.Dist {
		if d.DesignPoint == 0 && d.Scenario == diff && d.Mode == mode && d.Year == year &&
			d.GroupBy == groupBy && d.Group == group && d.Statistic == stat {
			return d.Summary, true
		}
	}
	return results.SummaryRow{}, false
}

// distYears returns the dynamic years of distribution.csv, ascending.
func (r *Run) distYears() []int {
	var ys []int
	for _, d := range r.Dist {
		if d.Mode == "dynamic" && !slices.Contains(ys, d.Year) {
			ys = append(ys, d.Year)
		}
	}
	slices.Sort(ys)
	return ys
}

// distScenarios returns the difference scenarios of distribution.csv in
// order of appearance.
func (r *Run) distScenarios() []string {
	var out []string
	for _, d := range r.Dist {
		if !slices.Contains(out, d.Scenario) {
			out = append(out, d.Scenario)
		}
	}
	return out
}
