package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"listetak/results/report"
)

// plotCmd is `listetak plot RUN_DIR`: it writes the figures of a run folder
// as files, the report's standard set or fan charts of chosen metrics.
func plotCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("plot", stderr)
	metric := fs.String("metric", "", "comma-separated metrics: fan and paired-difference charts of these only (default: the report's figures)")
	scenario := fs.String("scenario", "", "comma-separated scenarios to show (default: all)")
	format := fs.String("format", "png", "figure format: png, svg or pdf")
	year := fs.Int("year", 0, "year of the list-length histogram and dynamic distribution figures (default: the last)")
	lang := fs.String("lang", "en", "language of labels and numbers: en or nb")
	out := fs.String("out", "", "folder for the figures (default RUN_DIR/figures)")
	area := newAreaFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("plot: want one run folder, got %d arguments", len(pos))
	}
	l, err := report.ParseLang(*lang)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	switch strings.ToLower(*format) {
	case "png", "svg", "pdf":
	default:
		return fmt.Errorf("plot: -format %q: want png, svg or pdf", *format)
	}
	run, err := report.Load(pos[0])
	if err != nil {
		return err
	}
	level, key, err := area.get()
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	label := ""
	if level != "" {
		if run, _, label, err = run.Area(level, key); err != nil {
			return err
		}
	}
	o := report.Options{Lang: l, Scenarios: splitList(*scenario), Metrics: splitList(*metric), Year: *year}
	figs, err := report.Figures(run, o)
	if err != nil {
		return err
	}
	if len(figs) == 0 {
		return fmt.Errorf("plot: %s has nothing to plot for these options", pos[0])
	}
	if label != "" {
		nameFigures(figs, label)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(pos[0], "figures")
	}
	paths, err := report.WriteFigures(figs, dir, *format)
	if err != nil {
		return err
	}
	for i, p := range paths {
		fmt.Fprintf(stdout, "%s\t%s\n", p, figs[i].Caption)
	}
	fmt.Fprintf(stdout, "wrote %s figures to %s\n", strconv.Itoa(len(paths)), dir)
	return nil
}

// splitList splits a comma-separated flag value, dropping empty items;
// nil for an empty value.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
