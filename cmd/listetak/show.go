package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"listetak/results"
	"listetak/results/report"
)

// areaFlags choose one area of a run's per-area results (show and plot).
type areaFlags struct {
	muni, county, centrality, size *string
}

// newAreaFlags declares the area flags on fs.
func newAreaFlags(fs *flag.FlagSet) *areaFlags {
	return &areaFlags{
		muni:       fs.String("municipality", "", "a municipality's code (3301) or name (Drammen)"),
		county:     fs.String("county", "", "a county's number (33) or name (Buskerud)"),
		centrality: fs.String("centrality", "", "a centrality class, 1-6"),
		size:       fs.String("size", "", "a size class: lt2k, 2k_5k, 5k_20k, 20k_50k or ge50k"),
	}
}

// get returns the level and key of the area chosen ("" when none); two
// areas at once are an error.
func (a *areaFlags) get() (level, key string, err error) {
	n := 0
	for _, c := range []struct {
		level string
		v     *string
		pre   string
	}{{results.LevelMunicipality, a.muni, ""}, {results.LevelCounty, a.county, ""},
		{results.LevelCentrality, a.centrality, "centrality_"}, {results.LevelSize, a.size, "size_"}} {
		if *c.v == "" {
			continue
		}
		n++
		level, key = c.level, *c.v
		if !strings.HasPrefix(key, c.pre) {
			key = c.pre + key
		}
	}
	if n > 1 {
		return "", "", errors.New("give one of -municipality, -county, -centrality and -size")
	}
	return level, key, nil
}

// showMetrics are the metrics show prints and draws by default.
var showMetrics = []string{"gps", "coverage", "orphans_on_vacant_lists", "mean_list"}

// showCmd is `listetak show RUN_DIR -municipality CODE`: one area's
// trajectory table and fan charts from a run's per-area results.
func showCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("show", stderr)
	area := newAreaFlags(fs)
	metric := fs.String("metric", strings.Join(showMetrics, ","), "comma-separated metrics of the table and the fan charts")
	scenario := fs.String("scenario", "", "comma-separated scenarios to show (default: all, and their paired differences)")
	format := fs.String("format", "png", "figure format: png, svg or pdf")
	lang := fs.String("lang", "en", "language of the figures' labels and numbers: en or nb")
	out := fs.String("out", "", "folder for the figures (default RUN_DIR/figures/LEVEL_CODE)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("show: want one run folder, got %d arguments", len(pos))
	}
	level, key, err := area.get()
	if err == nil && level == "" {
		err = errors.New("give -municipality, -county, -centrality or -size")
	}
	if err != nil {
		return fmt.Errorf("show: %w", err)
	}
	l, err := report.ParseLang(*lang)
	if err != nil {
		return fmt.Errorf("show: %w", err)
	}
	run, err := report.Load(pos[0])
	if err != nil {
		return err
	}
	a, code, label, err := run.Area(level, key)
	if err != nil {
		return err
	}
	metrics, scen := splitList(*metric), splitList(*scenario)
	if err := printArea(stdout, a, label, metrics, scen); err != nil {
		return fmt.Errorf("show: %w", err)
	}
	figs, err := report.Figures(a, report.Options{Lang: l, Scenarios: scen, Metrics: metrics})
	if err != nil {
		return err
	}
	nameFigures(figs, label)
	dir := *out
	if dir == "" {
		dir = filepath.Join(pos[0], "figures", level+"_"+code)
	}
	paths, err := report.WriteFigures(figs, dir, *format)
	if err != nil {
		return err
	}
	for i, p := range paths {
		fmt.Fprintf(stdout, "%s\t%s\n", p, figs[i].Caption)
	}
	return nil
}

// nameFigures puts the area's label before each figure's title and
// caption.
func nameFigures(figs []report.Figure, label string) {
	for i := range figs {
		figs[i].Plot.Title.Text = label + ": " + figs[i].Plot.Title.Text
		figs[i].Caption = label + ": " + figs[i].Caption
	}
}

// printArea prints the area's table for each scenario shown and, without
// a scenario list, each paired difference.
func printArea(w io.Writer, a *report.Run, label string, metrics, scen []string) error {
	shown := scen
	if len(shown) == 0 {
		shown = append(append(shown, a.Scenarios...), a.Diffs...)
	}
	for _, s := range shown {
		if !a.HasMetric(s, "gps") && !strings.Contains(s, "-minus-") {
			return fmt.Errorf("the run has no scenario %q (it has %s)", s, strings.Join(a.Scenarios, ", "))
		}
		if err := results.PrintSummaryBands(w, label, a.Summary, s, metrics, tableYears(a.Years)); err != nil {
			return err
		}
	}
	return nil
}
