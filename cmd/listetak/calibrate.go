package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"listetak/calibrate"
	"listetak/results"
	"listetak/world"
)

// calibrateCmd is `listetak calibrate`: the simulated method of moments
// against a register panel.
func calibrateCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calibrate", stderr)
	register := fs.String("register", "", "register panel (CSV, or Parquet by the .parquet extension; required)")
	munis := fs.String("municipalities", "", "optional municipality_years.csv")
	worldSpec := fs.String("world", "", "world of the register's first year: embedded name or folder (required)")
	counties := fs.String("counties", "", "comma-separated municipality-code prefixes of the world to keep")
	fromRegister := fs.Bool("world-from-register", false, "slots from the register's first year (and -municipalities); -world gives the municipalities")
	free := fs.String("params-free", "", "comma-separated parameters to estimate (required)")
	bounds := fs.String("bounds", "", "comma-separated key=lo:hi bounds (defaults per parameter)")
	out := fs.String("out", "", "output folder (required)")
	paramsFile := fs.String("params", "", "YAML file with the fixed parameters (and the search's start)")
	modelName := fs.String("model", "", "rule set: v2 (default) or reference-v1 (the v1 reference model with the reference-2019 parameters); a params file's model key overrides it")
	scenario := fs.String("scenario", "baseline", "built-in scenario in force from -reform-year (baseline: none)")
	reform := fs.Int("reform-year", 0, "register year the scenario starts")
	reps := fs.Int("reps", 6, "simulated panels per evaluation (common random numbers)")
	omegaReps := fs.Int("omega-reps", 64, "simulated panels for the moments' covariance")
	seed := fs.Uint64("seed", 1, "master seed of the simulations")
	lhs := fs.Int("lhs", 0, "Latin hypercube screening points (default 10 per parameter; -1: none)")
	method := fs.String("method", "cmaes", "search: cmaes or neldermead")
	maxIter := fs.Int("max-iter", 100, "major iterations of the search")
	restarts := fs.Int("restarts", 3, "local searches, each from one of the best starting candidates")
	polish := fs.Int("polish", 8, "Gauss-Newton steps after the search, averaged over their second half (-1: none)")
	twoStep := fs.Bool("two-step", false, "re-estimate with the efficient weighting matrix")
	bootstrap := fs.Int("bootstrap", 0, "parametric bootstrap replicates (0: none)")
	minCell := fs.Int("min-cell", 5, "small-cell threshold: moments from fewer GPs are neither fitted nor written (>= 3)")
	workers := fs.Int("workers", runtime.NumCPU(), "concurrent evaluations")
	resume := fs.Bool("resume", false, "continue an interrupted calibration in -out (replays its journal)")
	progress := fs.String("progress", "auto", "progress bar: auto, always or never")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	var errs []error
	if len(pos) > 0 {
		errs = append(errs, fmt.Errorf("calibrate: unexpected arguments %q", pos))
	}
	for _, r := range []struct{ name, v string }{{"-register", *register}, {"-world", *worldSpec}, {"-params-free", *free}, {"-out", *out}} {
		if r.v == "" {
			errs = append(errs, fmt.Errorf("%s: required", r.name))
		}
	}
	if *progress != "auto" && *progress != "always" && *progress != "never" {
		errs = append(errs, fmt.Errorf("-progress: %q is not auto, always or never", *progress))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if !*resume {
		if err := checkOutDir(*out); err != nil {
			return err
		}
	}
	frees, err := calibrate.ParseFree(*free, *bounds)
	if err != nil {
		return err
	}
	base, err := loadParams(*paramsFile, *modelName)
	if err != nil {
		return err
	}
	w, err := loadCalibrationWorld(*worldSpec, *counties)
	if err != nil {
		return err
	}
	panel, err := calibrate.ReadRegister(*register)
	if err != nil {
		return err
	}
	var my *calibrate.MuniYears
	if *munis != "" {
		if my, err = calibrate.ReadMunicipalityYears(*munis); err != nil {
			return err
		}
	}
	if *fromRegister {
		if w, err = calibrate.WorldFromRegister(w, panel, my); err != nil {
			return err
		}
	}
	setup := &calibrate.Setup{World: w, Base: base, FirstYear: panel.FirstYear, Years: panel.LastYear - panel.FirstYear,
		Scenario: *scenario, ReformYear: *reform}
	if err := setup.Validate(); err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	logFile, err := os.OpenFile(filepath.Join(*out, "log.txt"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	started := time.Now()
	var logMu sync.Mutex
	logf := func(format string, a ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintf(logFile, "%s %6.1fs %s\n", time.Now().Format(time.RFC3339), time.Since(started).Seconds(), fmt.Sprintf(format, a...))
	}
	logf("listetak calibrate %s", strings.Join(args, " "))
	logf("register: %d GP-years, %d GPs, years %d-%d (register year Y = model year Y - %d)", len(panel.Rows), countGPs(panel), panel.FirstYear, panel.LastYear, panel.FirstYear)
	for _, wn := range panel.Warnings.Strings() {
		logf("register warning: %s", wn)
		fmt.Fprintf(stdout, "register warning: %s\n", wn)
	}
	if note := consistency(panel, w); note != "" {
		logf("%s", note)
		fmt.Fprintln(stdout, note)
	}
	obs := calibrate.ObservedFrom(setup, panel, my)
	opt := calibrate.Options{Free: frees, Reps: *reps, OmegaReps: *omegaReps, Seed: *seed, LHS: *lhs, Method: *method,
		MaxIter: *maxIter, Restarts: *restarts, Polish: *polish, TwoStep: *twoStep, Bootstrap: *bootstrap, MinCell: *minCell, Workers: *workers,
		Journal: filepath.Join(*out, "evaluations.journal"), Logf: logf}
	if !*resume {
		os.Remove(opt.Journal)
	}
	est, err := calibrate.NewEstimator(setup, obs, opt)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// A spinner with the stage and the evaluations so far (the number a
	// search needs is not known in advance), stopped before the results
	// are printed.
	stopProgress := func() {}
	if showProgress(*progress, stderr) {
		prog := mpb.New(mpb.WithOutput(stderr), mpb.WithWidth(1), mpb.WithAutoRefresh())
		var stage string
		var mu sync.Mutex
		bar := prog.AddSpinner(0, mpb.PrependDecorators(decor.Any(func(decor.Statistics) string {
			mu.Lock()
			defer mu.Unlock()
			return "calibrate " + stage
		})), mpb.AppendDecorators(decor.CurrentNoUnit("%d evaluations "), decor.AverageSpeed(0, " %.1f/s")))
		est.SetProgress(func(s string, done int) {
			mu.Lock()
			stage = s
			mu.Unlock()
			bar.SetCurrent(int64(done))
		})
		stopProgress = func() {
			bar.Abort(false)
			prog.Wait()
		}
	}
	res, err := est.Estimate(ctx)
	stopProgress()
	if err != nil {
		if ctx.Err() != nil {
			logf("interrupted: rerun with -resume to continue")
			return fmt.Errorf("calibrate: interrupted; rerun the same command with -resume to continue from %s", opt.Journal)
		}
		return err
	}
	info := calibrate.EstimatesInfo{Register: *register, World: w.Name}
	e := res.Estimates(info, *method, len(obs.Moments)-est.Suppressed())
	if err := results.WriteFileAtomic(filepath.Join(*out, "estimates.yaml"), func(wr io.Writer) error {
		return calibrate.WriteEstimates(wr, base, e)
	}); err != nil {
		return err
	}
	if err := results.WriteFileAtomic(filepath.Join(*out, "fit.csv"), func(wr io.Writer) error {
		return calibrate.WriteFit(wr, res.Moments)
	}); err != nil {
		return err
	}
	if err := results.WriteFileAtomic(filepath.Join(*out, "optimisation.csv"), func(wr io.Writer) error {
		return calibrate.WriteHistory(wr, frees, res.History)
	}); err != nil {
		return err
	}
	if err := results.WriteFileAtomic(filepath.Join(*out, "identification.txt"), func(wr io.Writer) error {
		_, err := io.WriteString(wr, res.Ident.Report())
		return err
	}); err != nil {
		return err
	}
	if err := results.WriteFileAtomic(filepath.Join(*out, "identification.csv"), func(wr io.Writer) error {
		return calibrate.WriteIdentificationCSV(wr, res.Ident)
	}); err != nil {
		return err
	}
	man := map[string]any{
		"tool": "listetak calibrate", "version": Version, "git_describe": gitDescribe(),
		"command": append([]string{"listetak", "calibrate"}, args...), "register": *register, "municipalities": *munis,
		"world": w.Name, "first_year": panel.FirstYear, "last_year": panel.LastYear, "scenario": *scenario, "reform_year": *reform,
		"seed": *seed, "reps": *reps, "omega_reps": *omegaReps, "method": *method, "evaluations": res.Evals,
		"moments_fitted": len(obs.Moments) - est.Suppressed(), "moments_suppressed": est.Suppressed(), "min_cell": *minCell,
		"objective": res.Objective, "wall_seconds": time.Since(started).Seconds(), "notes": res.Notes,
	}
	if err := results.WriteJSONAtomic(filepath.Join(*out, "manifest.json"), man); err != nil {
		return err
	}
	logf("done: criterion %.6g, %d evaluations", res.Objective, res.Evals)
	fmt.Fprintf(stdout, "%d moments fitted (%d suppressed: cells with fewer than %d GPs), %d evaluations, criterion %.4g, %.1f s\n",
		len(obs.Moments)-est.Suppressed(), est.Suppressed(), *minCell, res.Evals, res.Objective, time.Since(started).Seconds())
	fmt.Fprintf(stdout, "%-24s %12s %12s\n", "parameter", "estimate", "se")
	for i, f := range frees {
		fmt.Fprintf(stdout, "%-24s %12.5g %12.4g\n", f.Key, res.Values[i], res.SE[i])
	}
	for _, n := range res.Notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	fmt.Fprintf(stdout, "wrote %s (estimates.yaml, fit.csv, identification.txt, optimisation.csv, log.txt)\n", *out)
	return nil
}

// countGPs returns the number of distinct GPs in a panel.
func countGPs(p *calibrate.Panel) int {
	n := 0
	last := int32(-1)
	for _, r := range p.Rows {
		if r.GP != last {
			n++
			last = r.GP
		}
	}
	return n
}

// consistency compares the register's first year with the world (counts
// only): the world must be that year's state.
func consistency(p *calibrate.Panel, w *world.World) string {
	first, h := 0, 0
	for _, r := range p.Rows {
		if int(r.Year) == p.FirstYear {
			first++
		}
	}
	for _, s := range w.Slots {
		if s.Held {
			h++
		}
	}
	if first != h {
		return fmt.Sprintf("note: the register has %d GPs in %d, the world %d held slots; the world should be the register's first year (DATA.md)", first, p.FirstYear, h)
	}
	return ""
}
