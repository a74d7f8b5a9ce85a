package main

import (
	"context"
	"errors"
	"flag"
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
	"listetak/params"
	"listetak/results"
	"listetak/world"
)

// calibrateFlags are the flags of `listetak calibrate`.
type calibrateFlags struct {
	fs                                            *flag.FlagSet
	register, munis, targets, worldSpec, counties *string
	free, bounds, out, paramsFile, scenario       *string
	method, progress, modelName                   *string
	fromRegister, twoStep, resume                 *bool
	reform, years, reps, omegaReps, lhs, maxIter  *int
	until                                         *int
	restarts, polish, bootstrap, minCell, workers *int
	seed                                          *uint64
	relSE, sharePP, durationSE, seScale           *float64
	set                                           map[string]bool // flags given on the command line
	args                                          []string
}

// newCalibrateFlags declares the flags.
func newCalibrateFlags(stderr io.Writer) *calibrateFlags {
	fs := newFlags("calibrate", stderr)
	c := &calibrateFlags{fs: fs}
	c.register = fs.String("register", "", "register panel (CSV, or Parquet by the .parquet extension); or -targets")
	c.munis = fs.String("municipalities", "", "optional municipality_years.csv (register mode)")
	c.targets = fs.String("targets", "", "public targets: an embedded name ("+strings.Join(calibrate.BuiltinTargetNames(), ", ")+") or a CSV file; or -register")
	c.worldSpec = fs.String("world", "", "world of the first year (register) or of the targets' model year 0: embedded name or folder (required)")
	c.counties = fs.String("counties", "", "comma-separated municipality-code prefixes of the world to keep")
	c.fromRegister = fs.Bool("world-from-register", false, "slots from the register's first year (and -municipalities); -world gives the municipalities")
	c.years = fs.Int("years", 0, "simulated years after the world's year (targets mode; default: to the targets' last year)")
	c.until = fs.Int("targets-until", 0, "targets: fit only the rows of years up to this one (later years held out; 0: all)")
	c.relSE = fs.Float64("target-rel-se", calibrate.DefaultTargetRelSE, "targets: relative standard error of counts, means and ratios (given: every se by the rule)")
	c.sharePP = fs.Float64("target-pp-se", calibrate.DefaultTargetSharePP, "targets: standard error of shares in percentage points (given: every se by the rule)")
	c.durationSE = fs.Float64("target-duration-rel-se", calibrate.DefaultTargetDurationSE, "targets: relative standard error of median durations (given: every se by the rule)")
	c.seScale = fs.Float64("target-se-scale", 1, "targets: multiply every standard error by this factor (sensitivity)")
	c.free = fs.String("params-free", "", "comma-separated parameters to estimate (required)")
	c.bounds = fs.String("bounds", "", "comma-separated key=lo:hi bounds (defaults per parameter)")
	c.out = fs.String("out", "", "output folder (required)")
	c.paramsFile = fs.String("params", "", "YAML file with the fixed parameters (and the search's start)")
	c.modelName = fs.String("model", "", "rule set: v2 (default) or reference-v1 (the v1 reference model with the reference-2019 parameters); a params file's model key overrides it")
	c.scenario = fs.String("scenario", "baseline", "built-in scenario in force from -reform-year (baseline: none)")
	c.reform = fs.Int("reform-year", 0, "register (or calendar) year the scenario starts")
	c.reps = fs.Int("reps", 6, "simulated panels per evaluation (common random numbers)")
	c.omegaReps = fs.Int("omega-reps", 64, "simulated panels for the moments' covariance")
	c.seed = fs.Uint64("seed", 1, "master seed of the simulations")
	c.lhs = fs.Int("lhs", 0, "Latin hypercube screening points (default 10 per parameter; -1: none)")
	c.method = fs.String("method", "cmaes", "search: cmaes or neldermead")
	c.maxIter = fs.Int("max-iter", 100, "major iterations of the search")
	c.restarts = fs.Int("restarts", 3, "local searches, each from one of the best starting candidates")
	c.polish = fs.Int("polish", 8, "Gauss-Newton steps after the search, averaged over their second half (-1: none)")
	c.twoStep = fs.Bool("two-step", false, "re-estimate with the efficient weighting matrix")
	c.bootstrap = fs.Int("bootstrap", 0, "parametric bootstrap replicates (0: none)")
	c.minCell = fs.Int("min-cell", 5, "small-cell threshold: moments from fewer GPs are neither fitted nor written (>= 3)")
	c.workers = fs.Int("workers", runtime.NumCPU(), "concurrent evaluations")
	c.resume = fs.Bool("resume", false, "continue an interrupted calibration in -out (replays its journal)")
	c.progress = fs.String("progress", "auto", "progress bar: auto, always or never")
	return c
}

// parse parses args and checks the flags' combinations.
func (c *calibrateFlags) parse(args []string) error {
	c.args = args
	pos, err := parseInterspersed(c.fs, args)
	if err != nil {
		return err
	}
	c.set = map[string]bool{}
	c.fs.Visit(func(f *flag.Flag) { c.set[f.Name] = true })
	var errs []error
	if len(pos) > 0 {
		errs = append(errs, fmt.Errorf("calibrate: unexpected arguments %q", pos))
	}
	switch {
	case *c.register == "" && *c.targets == "":
		errs = append(errs, errors.New("-register or -targets: one is required"))
	case *c.register != "" && *c.targets != "":
		errs = append(errs, errors.New("-register and -targets: give one, not both"))
	}
	for _, r := range []struct{ name, v string }{{"-world", *c.worldSpec}, {"-params-free", *c.free}, {"-out", *c.out}} {
		if r.v == "" {
			errs = append(errs, fmt.Errorf("%s: required", r.name))
		}
	}
	errs = append(errs, c.modeErrors()...)
	if *c.progress != "auto" && *c.progress != "always" && *c.progress != "never" {
		errs = append(errs, fmt.Errorf("-progress: %q is not auto, always or never", *c.progress))
	}
	return errors.Join(errs...)
}

// registerOnly and targetsOnly are the flags of one mode.
var (
	registerOnly = []string{"municipalities", "world-from-register", "min-cell"}
	targetsOnly  = []string{"years", "targets-until", "target-rel-se", "target-pp-se", "target-duration-rel-se", "target-se-scale"}
)

// modeErrors reports flags of the other mode.
func (c *calibrateFlags) modeErrors() []error {
	var errs []error
	other, mode := targetsOnly, "-register"
	if *c.targets != "" {
		other, mode = registerOnly, "-targets"
	}
	for _, n := range other {
		if c.set[n] {
			errs = append(errs, fmt.Errorf("-%s: not used with %s", n, mode))
		}
	}
	if c.set["years"] && *c.years < 1 {
		errs = append(errs, fmt.Errorf("-years: %d must be at least 1", *c.years))
	}
	return errs
}

// calibrationData is what a calibration fits: the setup, the source of
// its observed moments, and what the log, terminal and files say of it.
type calibrationData struct {
	setup    *calibrate.Setup
	src      calibrate.Source
	log      []string // lines for log.txt
	notes    []string // lines for the terminal and log.txt
	info     calibrate.EstimatesInfo
	manifest map[string]any
}

// calibrateCmd is `listetak calibrate`: the simulated method of moments
// against a register panel or public targets.
func calibrateCmd(args []string, stdout, stderr io.Writer) error {
	c := newCalibrateFlags(stderr)
	if err := c.parse(args); err != nil {
		return err
	}
	if !*c.resume {
		if err := checkOutDir(*c.out); err != nil {
			return err
		}
	}
	frees, err := calibrate.ParseFree(*c.free, *c.bounds)
	if err != nil {
		return err
	}
	base, err := loadParams(*c.paramsFile, *c.modelName)
	if err != nil {
		return err
	}
	w, err := loadCalibrationWorld(*c.worldSpec, *c.counties)
	if err != nil {
		return err
	}
	var data *calibrationData
	if *c.targets != "" {
		data, err = c.targetsData(w, base)
	} else {
		data, err = c.registerData(w, base)
	}
	if err != nil {
		return err
	}
	// Every input is checked; only now is anything written.
	return c.estimate(data, frees, base, stdout, stderr)
}

// registerData reads and checks the register (and municipality years).
func (c *calibrateFlags) registerData(w *world.World, base params.Params) (*calibrationData, error) {
	panel, err := calibrate.ReadRegister(*c.register)
	if err != nil {
		return nil, err
	}
	var my *calibrate.MuniYears
	if *c.munis != "" {
		if my, err = calibrate.ReadMunicipalityYears(*c.munis); err != nil {
			return nil, err
		}
	}
	if *c.fromRegister {
		if w, err = calibrate.WorldFromRegister(w, panel, my); err != nil {
			return nil, err
		}
	}
	setup := &calibrate.Setup{World: w, Base: base, FirstYear: panel.FirstYear, Years: panel.LastYear - panel.FirstYear,
		Scenario: *c.scenario, ReformYear: *c.reform}
	if err := setup.Validate(); err != nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	d := &calibrationData{setup: setup, info: calibrate.EstimatesInfo{Register: *c.register, World: w.Name}}
	obs := calibrate.ObservedFrom(setup, panel, my)
	d.src = calibrate.RegisterSource(obs)
	d.log = append(d.log, fmt.Sprintf("register: %d GP-years, %d GPs, years %d-%d (register year Y = model year Y - %d)",
		len(panel.Rows), countGPs(panel), panel.FirstYear, panel.LastYear, panel.FirstYear))
	for _, wn := range panel.Warnings.Strings() {
		d.notes = append(d.notes, "register warning: "+wn)
	}
	if note := consistency(panel, w); note != "" {
		d.notes = append(d.notes, note)
	}
	d.manifest = map[string]any{"register": *c.register, "municipalities": *c.munis,
		"first_year": panel.FirstYear, "last_year": panel.LastYear, "min_cell": *c.minCell}
	return d, nil
}

// targetsData reads and checks the targets against the world and horizon
// and applies the standard-error flags.
func (c *calibrateFlags) targetsData(w *world.World, base params.Params) (*calibrationData, error) {
	check := calibrate.TargetCheck{WorldYear: w.Year, Years: *c.years}
	t, err := calibrate.LoadTargets(*c.targets, check)
	if err != nil {
		return nil, err
	}
	years := *c.years
	if years == 0 {
		years = t.LastYear() - w.Year
	}
	if *c.until != 0 {
		if t, err = t.Until(*c.until); err != nil {
			return nil, fmt.Errorf("-targets-until: %w", err)
		}
	}
	rule := calibrate.SERule{Rel: *c.relSE, SharePoints: *c.sharePP, DurationRel: *c.durationSE}
	ruled := c.set["target-rel-se"] || c.set["target-pp-se"] || c.set["target-duration-rel-se"]
	if ruled {
		if err := t.ApplySERule(rule); err != nil {
			return nil, err
		}
	}
	if err := t.ScaleSE(*c.seScale); err != nil {
		return nil, fmt.Errorf("-target-se-scale: %w", err)
	}
	setup := &calibrate.Setup{World: w, Base: base, Years: years, Scenario: *c.scenario, ReformYear: *c.reform}
	if err := setup.Validate(); err != nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	src, err := calibrate.NewTargetSource(t, setup)
	if err != nil {
		return nil, err
	}
	seText := "the file's se column"
	if ruled {
		seText = fmt.Sprintf("the rule (rel %g, shares %g points, durations rel %g)", rule.Rel, rule.SharePoints, rule.DurationRel)
	}
	d := &calibrationData{setup: setup, src: src, info: calibrate.EstimatesInfo{Targets: t.Name, World: w.Name, Until: *c.until}}
	d.log = append(d.log, fmt.Sprintf("targets %s: %d rows, years %d-%d (calendar year Y, at 31 December, = model year Y - %d; the world's state is taken as 31 December %d); standard errors from %s, times %g",
		t.Name, len(t.Rows), w.Year+1, w.Year+years, w.Year, w.Year, seText, *c.seScale))
	d.manifest = map[string]any{"targets": t.Name, "first_year": w.Year, "last_year": w.Year + years,
		"target_se": seText, "target_se_scale": *c.seScale, "targets_until": *c.until}
	return d, nil
}

// estimate runs the estimator on data and writes the results to -out.
func (c *calibrateFlags) estimate(data *calibrationData, frees []calibrate.Free, base params.Params, stdout, stderr io.Writer) error {
	out := *c.out
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	logFile, err := os.OpenFile(filepath.Join(out, "log.txt"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
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
	logf("listetak calibrate %s", strings.Join(c.args, " "))
	for _, l := range data.log {
		logf("%s", l)
	}
	for _, n := range data.notes {
		logf("%s", n)
		fmt.Fprintln(stdout, n)
	}
	opt := calibrate.Options{Free: frees, Reps: *c.reps, OmegaReps: *c.omegaReps, Seed: *c.seed, LHS: *c.lhs, Method: *c.method,
		MaxIter: *c.maxIter, Restarts: *c.restarts, Polish: *c.polish, TwoStep: *c.twoStep, Bootstrap: *c.bootstrap, MinCell: *c.minCell,
		Workers: *c.workers, Journal: filepath.Join(out, "evaluations.journal"), Logf: logf}
	if !*c.resume {
		os.Remove(opt.Journal)
	}
	est, err := calibrate.NewEstimatorFor(data.setup, data.src, opt)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	stopProgress := startProgress(est, *c.progress, stderr)
	res, err := est.Estimate(ctx)
	stopProgress()
	if err != nil {
		if ctx.Err() != nil {
			logf("interrupted: rerun with -resume to continue")
			return fmt.Errorf("calibrate: interrupted; rerun the same command with -resume to continue from %s", opt.Journal)
		}
		return err
	}
	fitted := len(data.src.Observed()) - est.Suppressed()
	if err := writeCalibration(out, data, res, base, *c.method, fitted); err != nil {
		return err
	}
	finished := time.Now()
	man := results.Manifest{Tool: results.ToolName, Version: Version, GitDescribe: gitDescribe(),
		Command: append([]string{"listetak", "calibrate"}, c.args...), Seed: *c.seed, World: data.setup.World.Name,
		Years: data.setup.Years, Reps: *c.reps, Workers: *c.workers, Params: base,
		Started: started, Finished: finished, WallSeconds: finished.Sub(started).Seconds(),
		Extra: map[string]any{"command": "calibrate", "scenario": *c.scenario, "reform_year": *c.reform,
			"omega_reps": *c.omegaReps, "method": *c.method, "evaluations": res.Evals,
			"moments_fitted": fitted, "moments_suppressed": est.Suppressed(),
			"objective": res.Objective, "notes": res.Notes}}
	for k, v := range data.manifest {
		man.Extra[k] = v
	}
	if err := results.WriteJSONAtomic(filepath.Join(out, "manifest.json"), man); err != nil {
		return err
	}
	logf("done: criterion %.6g, %d evaluations", res.Objective, res.Evals)
	what := fmt.Sprintf("%d moments fitted (%d suppressed: cells with fewer than %d GPs)", fitted, est.Suppressed(), *c.minCell)
	if *c.targets != "" {
		what = fmt.Sprintf("%d targets fitted", fitted)
	}
	printCalibration(stdout, out, res, frees, what, time.Since(started))
	return nil
}

// startProgress shows a spinner with the stage and the evaluations so far
// (the number a search needs is not known in advance) and returns the
// function that stops it, called before the results are printed.
func startProgress(est *calibrate.Estimator, mode string, stderr io.Writer) func() {
	if !showProgress(mode, stderr) {
		return func() {}
	}
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
	return func() {
		bar.Abort(false)
		prog.Wait()
	}
}

// writeCalibration writes estimates.yaml, fit.csv, optimisation.csv and
// the identification report (text and CSV) into out, each atomically.
func writeCalibration(out string, data *calibrationData, res *calibrate.Result, base params.Params, method string, fitted int) error {
	e := res.Estimates(data.info, method, fitted)
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"estimates.yaml", func(w io.Writer) error { return calibrate.WriteEstimates(w, base, e) }},
		{"fit.csv", func(w io.Writer) error { return calibrate.WriteFit(w, res.Moments) }},
		{"optimisation.csv", func(w io.Writer) error { return calibrate.WriteHistory(w, res.Free, res.History) }},
		{"identification.txt", func(w io.Writer) error { _, err := io.WriteString(w, res.Ident.Report()); return err }},
		{"identification.csv", func(w io.Writer) error { return calibrate.WriteIdentificationCSV(w, res.Ident) }},
	}
	for _, f := range files {
		if err := results.WriteFileAtomic(filepath.Join(out, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

// printCalibration prints the summary: what was fitted, the criterion, the estimates
// with their standard errors, the notes and the files written.
func printCalibration(stdout io.Writer, out string, res *calibrate.Result, frees []calibrate.Free, what string, wall time.Duration) {
	fmt.Fprintf(stdout, "%s, %d evaluations, criterion %.4g, %.1f s\n", what, res.Evals, res.Objective, wall.Seconds())
	fmt.Fprintf(stdout, "%-24s %12s %12s\n", "parameter", "estimate", "se")
	for i, f := range frees {
		fmt.Fprintf(stdout, "%-24s %12.5g %12.4g\n", f.Key, res.Values[i], res.SE[i])
	}
	for _, n := range res.Notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	fmt.Fprintf(stdout, "wrote %s (estimates.yaml, fit.csv, identification.txt, optimisation.csv, log.txt)\n", out)
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
