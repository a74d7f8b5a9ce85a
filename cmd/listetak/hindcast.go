package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"listetak/calibrate"
	"listetak/params"
	"listetak/results"
	"listetak/results/report"
)

// hindcastCmd is `listetak hindcast`: the past rerun from a world with
// one or more parameter sets, every target series year by year beside the
// published values, written as hindcast.csv with its report.
func hindcastCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("hindcast", stderr)
	targets := fs.String("targets", "norway-2011-2019", "targets: an embedded name ("+strings.Join(calibrate.BuiltinTargetNames(), ", ")+") or a CSV file")
	worldSpec := fs.String("world", "norway-2011", "world of model year 0: embedded name or folder")
	fits := fs.String("fits", strings.Join(params.EstimatedNames(), ","), "comma-separated parameter sets: embedded names or estimates files (their estimates section gives the years they were fitted on)")
	years := fs.Int("years", 0, "simulated years (default: to the targets' last year)")
	reps := fs.Int("reps", 20, "replications")
	seed := fs.Uint64("seed", 1, "master seed (every fit uses the same streams)")
	workers := fs.Int("workers", 0, "concurrent replications (default: number of CPUs)")
	out := fs.String("out", "", "output folder (required; must not exist or be empty)")
	lang := fs.String("lang", "en", "report language: en or nb")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	var errs []error
	if len(pos) > 0 {
		errs = append(errs, fmt.Errorf("hindcast: unexpected arguments %q", pos))
	}
	if *out == "" {
		errs = append(errs, errors.New("-out: required"))
	}
	if *reps < 2 || *reps > 10_000 {
		errs = append(errs, fmt.Errorf("-reps: %d is not in 2..10000", *reps))
	}
	l, err := report.ParseLang(*lang)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := checkOutDir(*out); err != nil {
		return err
	}
	w, err := loadWorld(*worldSpec)
	if err != nil {
		return err
	}
	t, err := calibrate.LoadTargets(*targets, calibrate.TargetCheck{WorldYear: w.Year, Years: *years})
	if err != nil {
		return err
	}
	if *years == 0 {
		*years = t.LastYear() - w.Year
	}
	hf, err := hindcastFits(splitList(*fits))
	if err != nil {
		return err
	}
	setup := &calibrate.Setup{World: w, Base: hf[0].Params, Years: *years, Workers: *workers}
	if err := setup.Validate(); err != nil {
		return err
	}
	start := time.Now()
	rows, err := calibrate.Hindcast(context.Background(), t, setup, hf, *reps, *seed)
	if err != nil {
		return err
	}
	if err := writeHindcast(*out, rows, hindcastManifest(args, w.Name, w.Year, t.Name, hf, *reps, *seed, *years, start)); err != nil {
		return err
	}
	printHindcast(stdout, rows)
	run, err := report.Load(*out)
	if err != nil {
		return err
	}
	rep, err := report.Build(run, report.Options{Lang: l}, Version)
	if err != nil {
		return err
	}
	html := filepath.Join(*out, "report.html")
	if l == report.Norwegian {
		html = filepath.Join(*out, "report.nb.html")
	}
	md, figDir, err := rep.Write(html)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: hindcast.csv, %s, %s and %d figure(s) in %s (%.1f s)\n", *out, filepath.Base(html), filepath.Base(md), len(rep.Figures()), figDir, time.Since(start).Seconds())
	return nil
}

// hindcastFits resolves the -fits list: each an embedded estimated set
// or an estimates file, labelled by its name (a file by its base name
// without extension), with the last target year its estimate used.
func hindcastFits(specs []string) ([]calibrate.HindcastFit, error) {
	if len(specs) == 0 {
		return nil, errors.New("-fits: none")
	}
	var fits []calibrate.HindcastFit
	for _, s := range specs {
		p, est, err := params.LoadEstimates(params.Default(), s)
		if err != nil {
			return nil, fmt.Errorf("-fits %s: %w", s, err)
		}
		f := calibrate.HindcastFit{Label: strings.TrimSuffix(filepath.Base(s), filepath.Ext(s)), Params: p}
		if est != nil {
			f.Until = est.TargetsUntil
		}
		fits = append(fits, f)
	}
	return fits, nil
}

// hindcastManifest returns the hindcast's manifest.
func hindcastManifest(args []string, world string, worldYear int, targets string, fits []calibrate.HindcastFit, reps int, seed uint64, years int, start time.Time) *results.Manifest {
	m := &results.Manifest{Tool: results.ToolName, Version: Version, GitDescribe: gitDescribe(),
		Command: append([]string{"listetak", "hindcast"}, args...), World: world, Years: years,
		Reps: reps, Seed: seed, Started: start, Finished: time.Now()}
	m.WallSeconds = m.Finished.Sub(start).Seconds()
	until := map[string]int{}
	for _, f := range fits {
		m.Scenarios = append(m.Scenarios, f.Label)
		until[f.Label] = f.Until
	}
	m.Params = fits[0].Params
	m.Extra = map[string]any{"command": "hindcast", "targets": targets, "first_year": worldYear,
		"calendar_year": fmt.Sprintf("calendar year Y (31 December) is model year Y - %d", worldYear),
		"targets_until": until, "bands": "Monte Carlo 90 % bands over replications, parameters fixed at each fit's estimate"}
	return m
}

// writeHindcast writes hindcast.csv and manifest.json into out.
func writeHindcast(out string, rows []results.HindcastRow, m *results.Manifest) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := results.WriteFileAtomic(filepath.Join(out, "hindcast.csv"), func(w io.Writer) error {
		return results.WriteHindcastCSV(w, rows)
	}); err != nil {
		return err
	}
	return results.WriteJSONAtomic(filepath.Join(out, "manifest.json"), m)
}

// printHindcast prints every target row: observed, the fit's mean and 90 %
// band, the error and whether it passes.
func printHindcast(w io.Writer, rows []results.HindcastRow) {
	num := results.ASCIINumbers.Auto
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "fit\tmoment\tgroup\tyear\tobserved\tmodel mean [90 % band]\terror\tsample\tpass\t")
	for _, r := range rows {
		if r.Sample == "" {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s [%s, %s]\t%+.1f %%\t%s\t%v\t\n", r.Fit, r.Moment, r.Group, r.Year,
			num(r.Observed), num(r.Mean), num(r.Q05), num(r.Q95),
			100*(r.Mean/r.Observed-1), r.Sample, r.Pass)
	}
	tw.Flush()
}
