package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"listetak/results/report"
)

// reportCmd is `listetak report RUN_DIR`: the run's report as one
// self-contained HTML page and as Markdown with PNG figures; with an area
// flag (-municipality 3301, as show's) the report of that area.
func reportCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", stderr)
	lang := fs.String("lang", "en", "language: en (English) or nb (Norwegian bokmål, with Norwegian number format)")
	out := fs.String("out", "", "the HTML file (default RUN_DIR/report.html, or report.nb.html with -lang nb); the Markdown version and its figure folder go beside it")
	scenario := fs.String("scenario", "", "comma-separated scenarios to show (default: all)")
	year := fs.Int("year", 0, "year of the list-length histogram and dynamic distribution figures (default: the last)")
	years := fs.String("years", "1,5,10,20", "years of the key tables (year 0 and the last year are added)")
	area := newAreaFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("report: want one run folder, got %d arguments", len(pos))
	}
	l, err := report.ParseLang(*lang)
	if err != nil {
		return err
	}
	var tableYears []int
	for _, s := range splitList(*years) {
		y, err := strconv.Atoi(s)
		if err != nil || y < 0 {
			return fmt.Errorf("report: -years: %q is not a year", s)
		}
		tableYears = append(tableYears, y)
	}
	start := time.Now()
	level, key, err := area.get()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	run, err := report.Load(pos[0])
	if err != nil {
		return err
	}
	name := "report"
	if level != "" {
		var code string
		if run, code, _, err = run.Area(level, key); err != nil {
			return err
		}
		name = "report-" + level + "-" + code
	}
	o := report.Options{Lang: l, Scenarios: splitList(*scenario), Year: *year, TableYears: tableYears}
	rep, err := report.Build(run, o, Version)
	if err != nil {
		return err
	}
	htmlPath := *out
	if htmlPath == "" {
		if l == report.Norwegian {
			name += ".nb"
		}
		htmlPath = filepath.Join(pos[0], name+".html")
	}
	mdPath, figDir, err := rep.Write(htmlPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s, %s and %d figure(s) in %s (%.1f s)\n", htmlPath, mdPath, len(rep.Figures()), figDir, time.Since(start).Seconds())
	return nil
}
