package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
	"listetak/calibrate"
	"listetak/experiments"
	"listetak/params"
	"listetak/results"
	"listetak/sim"
	"listetak/study"
	"listetak/world"
)

// runCmd is `listetak run`.
func runCmd(args []string, stdout, stderr io.Writer) error {
	return runWith(args, append([]string{"listetak", "run"}, args...), stdout, stderr, false, nil)
}

// runFlags are the flags of `listetak run`.
type runFlags struct {
	fs                                         *flag.FlagSet
	worldSpec, out, paramsFile, modelName      *string
	progress, scenarioList, distYears, shardFl *string
	trace, saveState, saveReps                 *string
	years, reps, workers                       *int
	seed                                       *uint64
	rebase, resume, municipal, areaReps        *bool
}

// newRunFlags declares the flags.
func newRunFlags(stderr io.Writer) *runFlags {
	fs := newFlags("run", stderr)
	return &runFlags{fs: fs,
		worldSpec:    fs.String("world", "norway-2025", "embedded world name or world folder"),
		years:        fs.Int("years", sim.DefaultYears, "simulated years after year 0"),
		reps:         fs.Int("reps", sim.DefaultReps, "Monte Carlo replications"),
		seed:         fs.Uint64("seed", 1, "master seed"),
		workers:      fs.Int("workers", runtime.NumCPU(), "parallel workers"),
		out:          fs.String("out", "", "output folder (default runs/<timestamp>)"),
		paramsFile:   fs.String("params", "", "YAML file overriding parameters"),
		modelName:    fs.String("model", "", "rule set: v2 (default) or reference-v1 (the v1 reference model with the reference-2019 parameters); a params file's model key overrides it"),
		progress:     fs.String("progress", "auto", "progress bar: auto, always or never"),
		scenarioList: fs.String("scenario", "baseline", "comma-separated scenarios (see listetak scenarios); differences are to the first"),
		distYears:    fs.String("dist-years", "1,5,10", "years of the dynamic distribution tables (with several scenarios)"),
		rebase:       fs.Bool("rebase", true, "convert scenarios' rates from their money year to the world's money (docs/money.md)"),
		shardFl:      fs.String("shard", "", "i/n: run only the units whose run id modulo n is i (0-based; needs an experiment file and -out)"),
		resume:       fs.Bool("resume", false, "skip the units already complete in -out: with the experiment file, or the same flags, it was made with"),
		trace:        fs.String("trace", "", "comma-separated replications to trace GP by GP (trace/SCENARIO/rep-N.csv)"),
		areaReps:     fs.Bool("area-reps", false, "with -municipal: also write every area's per-replication values (areas_replications.parquet)"),
		saveState:    fs.String("save-state", "", "comma-separated model years after which to save the state of -save-reps as world folders (states/SCENARIO/rep-N-year-Y)"),
		saveReps:     fs.String("save-reps", "0", "comma-separated replications whose states -save-state saves"),
		municipal:    fs.Bool("municipal", true, "also write per-area results: municipalities.parquet, counties.csv, groups.csv (centrality and size classes)"),
	}
}

// runSpec is a parsed run: the study (its world still to load), the plan,
// the experiment (nil: flags only) and the flags' values.
type runSpec struct {
	*runFlags
	st     *study.Study
	plan   study.Plan
	ex     *experiments.Experiment
	inputs map[string]string // inputDigests of the loaded inputs
}

// parse parses args (an experiment file or flags; pre: an experiment given
// by merge) and checks every flag at once.
func (f *runFlags) parse(args []string, pre *experiments.Experiment, mergeOnly bool) (*runSpec, error) {
	pos, err := parseInterspersed(f.fs, args)
	if err != nil {
		return nil, err
	}
	r := &runSpec{runFlags: f, ex: pre, st: &study.Study{}}
	switch len(pos) {
	case 0:
	case 1:
		// An experiment file says what the flags would: they may not be
		// given as well.
		var clash []string
		f.fs.Visit(func(fl *flag.Flag) {
			switch fl.Name {
			case "world", "years", "reps", "seed", "params", "model", "scenario", "dist-years", "rebase":
				clash = append(clash, "-"+fl.Name)
			}
		})
		if len(clash) > 0 {
			return nil, fmt.Errorf("run: %s come from the experiment file %s; change them there", strings.Join(clash, ", "), pos[0])
		}
		if r.ex, err = experiments.ReadFile(pos[0]); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("run: unexpected arguments %q", pos[1:])
	}
	if ex := r.ex; ex != nil {
		*f.worldSpec, *f.years, *f.reps, *f.seed, *f.rebase = ex.World, ex.File.Years, ex.File.Replications, ex.File.Seed, ex.Rebase
		r.st.Scenarios, r.st.DistYears = ex.Definitions, ex.File.DistYears
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	shard, n, err := parseShard(*f.shardFl)
	if err != nil {
		return nil, err
	}
	r.plan = study.Plan{Shard: shard, Shards: n, Resume: *f.resume, Merge: mergeOnly}
	if (n > 0 || mergeOnly) && (r.ex == nil || *f.out == "") {
		return nil, errors.New("run: -shard needs an experiment file and -out")
	}
	if *f.resume && *f.out == "" {
		return nil, errors.New("run: -resume needs -out, the folder to continue")
	}
	st := r.st
	st.Experiment, st.Years, st.Reps, st.Seed, st.Rebase, st.Workers = r.ex, *f.years, *f.reps, *f.seed, *f.rebase, *f.workers
	st.Municipal, st.AreaReps = *f.municipal, *f.areaReps
	return r, nil
}

// check reports every bad flag at once and resolves the flags' scenarios
// and distribution years.
func (r *runSpec) check() error {
	var errs []error
	if *r.years < 1 {
		errs = append(errs, fmt.Errorf("-years: %d must be at least 1", *r.years))
	}
	if *r.reps < 1 {
		errs = append(errs, fmt.Errorf("-reps: %d must be at least 1", *r.reps))
	}
	if *r.workers < 1 {
		errs = append(errs, fmt.Errorf("-workers: %d must be at least 1", *r.workers))
	}
	if p := *r.progress; p != "auto" && p != "always" && p != "never" {
		errs = append(errs, fmt.Errorf("-progress: %q is not auto, always or never", p))
	}
	var bad []error
	r.st.Trace, bad = intList("trace", "replication", *r.trace, 0, *r.reps-1)
	errs = append(errs, bad...)
	if *r.areaReps && !*r.municipal {
		errs = append(errs, errors.New("-area-reps: needs -municipal"))
	}
	if *r.saveState != "" {
		r.st.SaveYears, bad = intList("save-state", "year", *r.saveState, 1, *r.years)
		errs = append(errs, bad...)
		r.st.SaveReps, bad = intList("save-reps", "replication", *r.saveReps, 0, *r.reps-1)
		errs = append(errs, bad...)
	}
	if r.ex != nil {
		return errors.Join(errs...)
	}
	var err error
	if r.st.Scenarios, err = experiments.Lookup(strings.Split(*r.scenarioList, ",")); err != nil {
		errs = append(errs, fmt.Errorf("-scenario: %w", err))
	}
	for _, f := range strings.Split(*r.distYears, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		y, err := strconv.Atoi(f)
		if err != nil || y < 1 {
			errs = append(errs, fmt.Errorf("-dist-years: %q is not a year >= 1", f))
			continue
		}
		if y <= *r.years {
			r.st.DistYears = append(r.st.DistYears, y)
		}
	}
	return errors.Join(errs...)
}

// intList parses flag's comma-separated list of distinct whole numbers
// (each a what in lo..hi), returning every bad entry's error.
func intList(flag, what, list string, lo, hi int) (vals []int, errs []error) {
	for _, f := range splitList(list) {
		v, err := strconv.Atoi(f)
		if err != nil || v < lo || v > hi {
			errs = append(errs, fmt.Errorf("-%s: %q is not a %s %d..%d", flag, f, what, lo, hi))
			continue
		}
		if !slices.Contains(vals, v) {
			vals = append(vals, v)
		}
	}
	return vals, errs
}

// runWith runs or, with mergeOnly, merges the unit files of an earlier
// (sharded) run without computing anything; command is the command line
// the manifest records (as typed: listetak run ... or listetak merge DIR).
func runWith(args, command []string, stdout, stderr io.Writer, mergeOnly bool, pre *experiments.Experiment) (err error) {
	r, err := newRunFlags(stderr).parse(args, pre, mergeOnly)
	if err != nil {
		return err
	}
	started := time.Now()
	sharded := r.plan.Shards > 0
	interrupted := false // a run from flags keeps its units only when interrupted
	clean := outCleanup(*r.out, sharded, r.plan.Resume)
	release, err := r.claimOut(started)
	if err != nil {
		return err // a run refused the folder (its lock) leaves it alone
	}
	defer func() {
		release()
		if err != nil {
			removeUnfinished(*r.out, clean, r.ex == nil && !interrupted)
		}
	}()
	if err := r.load(stderr); err != nil {
		return err
	}
	res, err := r.execute(stdout, stderr)
	if errors.Is(err, context.Canceled) {
		if r.ex == nil {
			interrupted = true
			return fmt.Errorf("run: interrupted; the finished units are in %s. Continue with the same flags and:\n  -out %s -resume", *r.out, *r.out)
		}
		return fmt.Errorf("run: interrupted; the finished units are in %s. Continue with:\n  listetak run %s -out %s -resume", *r.out, r.ex.Path, *r.out)
	}
	if err != nil {
		return err
	}
	if sharded {
		return r.writeShard(command, started, stdout)
	}
	if err := writeRun(*r.out, res, r.ex, r.manifest(command, res, started)); err != nil {
		return err
	}
	return r.print(stdout, res)
}

// claimOut makes the output folder (runs/<timestamp> by default), checks
// that a new run's is empty and takes its lock (not for a shard or a
// merge); release removes the lock.
func (r *runSpec) claimOut(started time.Time) (release func(), err error) {
	sharded, fresh := r.plan.Shards > 0, r.plan.Shards == 0 && !r.plan.Resume && !r.plan.Merge
	if *r.out == "" {
		if *r.out, err = newRunDir(filepath.Join("runs", started.Format("20060102-150405"))); err != nil {
			return nil, err
		}
	}
	if fresh {
		if err := checkOutDir(*r.out); err != nil {
			return nil, err
		}
	}
	if sharded || r.plan.Merge {
		return func() {}, os.MkdirAll(*r.out, 0o755)
	}
	release, err = lockOutDir(*r.out)
	if err == nil && r.plan.Resume {
		removeTemporaries(*r.out)
	}
	return release, err
}

// removeTemporaries removes the temporary files an atomic write left in
// dir or its units when its process was killed (".NAME.tmp-*"); a resume
// holds the folder's lock, so no writer owns them.
func removeTemporaries(dir string) {
	for _, pattern := range []string{".*.tmp-*", "units/*/.*.tmp-*"} {
		names, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, n := range names {
			os.Remove(n)
		}
	}
}

// load reads the parameters and the world into the study, digests them
// (r.inputs) and saves the experiment's copy or the flags' record into the
// output folder.
func (r *runSpec) load(stderr io.Writer) error {
	p, err := loadParams(*r.paramsFile, *r.modelName)
	if err != nil {
		return err
	}
	if r.ex != nil {
		p = r.ex.Params
	}
	w, err := loadWorld(*r.worldSpec)
	if err != nil {
		return err
	}
	warnWorld(stderr, w)
	r.st.World, r.st.Params = w, p
	var est *params.Estimates
	if r.ex != nil {
		est = r.ex.Estimates
	}
	if r.inputs, err = inputDigests(w, p, est); err != nil {
		return err
	}
	if r.ex != nil {
		return saveExperiment(*r.out, r.ex, r.inputs, r.plan.Merge, r.st.Municipal)
	}
	return r.saveFlags()
}

// execute runs the study into the output folder's units with a progress
// bar on stderr (-progress) and the notes on stdout.
func (r *runSpec) execute(stdout, stderr io.Writer) (*study.Result, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	obs := study.Observer{Note: func(msg string) { fmt.Fprintf(stdout, "note: %s\n", msg) }}
	var bar *mpb.Bar
	var prog *mpb.Progress
	if showProgress(*r.progress, stderr) {
		prog = mpb.New(mpb.WithOutput(stderr), mpb.WithWidth(48), mpb.WithAutoRefresh())
		bar = prog.AddBar(int64(r.st.Points()*r.st.Reps*len(r.st.Scenarios)),
			mpb.PrependDecorators(decor.Name("runs "), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.AverageSpeed(0, " %.1f/s "), decor.AverageETA(decor.ET_STYLE_GO)))
		obs.Progress = func(done, _ int) { bar.SetCurrent(int64(done)) }
	}
	res, err := study.Execute(ctx, r.st, study.DirStore(*r.out), r.plan, obs)
	if prog != nil {
		if err != nil {
			bar.Abort(false)
		}
		prog.Wait()
	}
	return res, err
}

// writeShard records a finished shard's timing in DIR/shards for merge.
func (r *runSpec) writeShard(command []string, started time.Time, stdout io.Writer) error {
	fin := time.Now()
	shard, n := r.plan.Shard, r.plan.Shards
	rec := map[string]any{"shard": shard, "shards": n, "started": started, "finished": fin,
		"wall_seconds": fin.Sub(started).Seconds(), "version": Version, "git_describe": gitDescribe(),
		"command": command}
	path := filepath.Join(*r.out, "shards", fmt.Sprintf("shard-%d-of-%d.json", shard, n))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := results.WriteJSONAtomic(path, rec); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "shard %d/%d done in %.1f s; when every shard is done: listetak merge %s\n", shard, n, fin.Sub(started).Seconds(), *r.out)
	return nil
}

// manifest returns the run's manifest.
func (r *runSpec) manifest(command []string, res *study.Result, started time.Time) results.Manifest {
	w, finished := r.st.World, time.Now()
	return results.Manifest{
		Tool: "listetak", Version: Version, GitDescribe: gitDescribe(),
		Command: command,
		Seed:    r.st.Seed, World: w.Name, Scenarios: res.Names,
		Years: r.st.Years, Reps: r.st.Reps, Workers: r.st.Workers,
		Params:     paramsRecord(r.st.Params, w.Money(), *r.paramsFile),
		WorldNotes: w.Notes,
		Started:    started, Finished: finished, WallSeconds: finished.Sub(started).Seconds(),
		Extra: map[string]any{
			"world_year": w.Year, "nok_index": w.Money(), "baseline": w.Baseline,
			"world_source":                   w.Source,
			"scenarios":                      res.ScenarioInfo,
			"experiment":                     experimentRecord(r.ex),
			"mean_gps_ceiling_not_reachable": res.Unreached,
			"design_points":                  r.st.Points(),
			"shards":                         shardRecords(*r.out),
			"metric_units":                   "persons; NOK/year in the world's money year; hours/year; shares",
			"model_notes":                    res.ModelNotes,
			"list_composition":               res.Composition,
			"municipal":                      r.st.Municipal,
			"trace":                          r.st.Trace,
			"saved_states":                   stateRecords(res.States),
			"area_reps":                      r.st.AreaReps,
			"inputs":                         r.inputs,
		},
	}
}

// print prints design point 0's bands of each scenario and difference,
// the distribution table and the folder.
func (r *runSpec) print(stdout io.Writer, res *study.Result) error {
	w := r.st.World
	fmt.Fprintf(stdout, "world %s (%d), seed %d\n", w.Name, w.Year, r.st.Seed)
	for _, s := range append(res.Series, res.Diffs...) {
		if s.DesignPoint > 0 {
			continue // the terminal shows design point 0; the files hold all
		}
		if err := results.PrintBands(stdout, s, []string{"gps", "capacity", "orphans", "mean_list"}, tableYears(r.st.Years)); err != nil {
			return err
		}
	}
	printDist(stdout, res.Dist)
	fmt.Fprintf(stdout, "wrote %s\n", *r.out)
	return nil
}

// showProgress reports whether to draw a progress bar.
func showProgress(mode string, stderr io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	f, ok := stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// tableYears returns the years shown in the terminal table.
func tableYears(years int) []int {
	if years <= 10 {
		ys := make([]int, years+1)
		for i := range ys {
			ys[i] = i
		}
		return ys
	}
	ys := []int{0, 1, 2, 3, 5}
	for y := 10; y <= years; y += 5 {
		ys = append(ys, y)
	}
	if ys[len(ys)-1] != years {
		ys = append(ys, years)
	}
	return ys
}

// paramsRecord is what the manifest stores of the parameters: the values in
// 2019 NOK as given, the money index and the override file.
func paramsRecord(p params.Params, index float64, file string) map[string]any {
	m := map[string]any{"nok_index": index}
	vals := map[string]any{}
	for _, e := range p.List() {
		vals[e.Key] = e.Value
	}
	m["values_2019_nok"] = vals
	if file != "" {
		m["file"] = file
	}
	return m
}

// checkOutDir fails early when the output folder exists and is not empty.
func checkOutDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("-out %s: %w", dir, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("-out %s: folder exists and is not empty; choose another", dir)
	}
	return nil
}

// newRunDir creates and returns a new folder named base, or base-2,
// base-3, ... when it exists: os.Mkdir is atomic, so two runs started in
// the same second get two folders.
func newRunDir(base string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return "", err
	}
	for i := 1; i < 1000; i++ {
		dir := base
		if i > 1 {
			dir = fmt.Sprintf("%s-%d", base, i)
		}
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("run: no free folder name like %s", base)
}

// lockFile is the file a run holds in its output folder while it writes.
const lockFile = ".listetak.lock"

// lockOutDir creates dir and takes its lock: lockFile, created
// exclusively, holding this process's id. A second writer into the same
// folder is refused while the first runs; a lock left by a process that is
// gone (killed) is taken over. release removes the lock.
func lockOutDir(dir string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, lockFile)
	for range 2 {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		data, _ := os.ReadFile(path)
		pid, perr := strconv.Atoi(strings.TrimSpace(string(data)))
		if perr == nil && processAlive(pid) {
			return nil, fmt.Errorf("-out %s: another listetak process (pid %d) is writing into it; wait for it or choose another folder", dir, pid)
		}
		os.Remove(path) // a stale lock: its process is gone
	}
	return nil, fmt.Errorf("-out %s: cannot take the lock %s", dir, path)
}

// writeAreas writes the per-area rows (none without -municipal): the
// municipalities as Parquet, counties and the centrality and size classes
// as CSV.
func writeAreas(dir string, rows []results.AreaRow) error {
	if len(rows) == 0 {
		return nil
	}
	var munis, counties, groups []results.AreaRow
	for _, r := range rows {
		switch r.Level {
		case results.LevelMunicipality:
			munis = append(munis, r)
		case results.LevelCounty:
			counties = append(counties, r)
		default:
			groups = append(groups, r)
		}
	}
	if err := results.WriteAreaParquet(filepath.Join(dir, "municipalities.parquet"), munis); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		rows []results.AreaRow
	}{{"counties.csv", counties}, {"groups.csv", groups}} {
		if err := results.WriteFileAtomic(filepath.Join(dir, f.name), func(w io.Writer) error {
			return results.WriteAreaCSV(w, f.rows)
		}); err != nil {
			return err
		}
	}
	return nil
}

// writeTraces writes each trace as trace/SCENARIO/rep-NNNNNN.csv.
func writeTraces(dir string, traces []*calibrate.Trace) error {
	for _, t := range traces {
		sub := filepath.Join(dir, "trace", t.Scenario)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return err
		}
		path := filepath.Join(sub, fmt.Sprintf("rep-%06d.csv", t.Rep))
		if err := results.WriteFileAtomic(path, func(w io.Writer) error { return calibrate.WriteTraceCSV(w, t) }); err != nil {
			return err
		}
	}
	return nil
}

// statePath is a saved state's folder within the run's folder.
func statePath(ss study.SavedState) string {
	return filepath.Join("states", ss.Scenario, fmt.Sprintf("rep-%06d-year-%d", ss.Rep, ss.Year))
}

// writeStates writes each saved state as a world folder (statePath).
func writeStates(dir string, states []study.SavedState) error {
	for _, ss := range states {
		if err := world.WriteDir(filepath.Join(dir, statePath(ss)), ss.World); err != nil {
			return fmt.Errorf("saved state: %w", err)
		}
	}
	return nil
}

// stateRecords lists the saved states for the manifest: folder, scenario,
// replication and model year.
func stateRecords(states []study.SavedState) []map[string]any {
	var out []map[string]any
	for _, ss := range states {
		out = append(out, map[string]any{"path": statePath(ss), "scenario": ss.Scenario, "replication": ss.Rep, "year": ss.Year,
			"calendar_year": ss.World.Year})
	}
	return out
}

// processAlive reports whether a process with this id runs (signal 0; a
// system that cannot tell counts it as alive).
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	// Only "process done" proves it gone (nil and a permission error mean
	// it runs).
	return !errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone)
}

// writeRun writes the run's result files into dir (which holds the units
// already), each atomically (temp file + rename), so a reader never sees a
// half-written file.
func writeRun(dir string, res *study.Result, ex *experiments.Experiment, man results.Manifest) error {
	series, rows, dist, sens := res.Series, res.Rows, res.Dist, res.Sens
	// The manifest is encoded first: a value JSON cannot hold fails the run
	// before any result file is written.
	if _, err := json.Marshal(man); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	target := dir
	if err := results.WriteFileAtomic(filepath.Join(target, "replications.csv"), func(w io.Writer) error {
		return results.WriteReplicationsCSV(w, series...)
	}); err != nil {
		return err
	}
	if err := results.WriteFileAtomic(filepath.Join(target, "summary.csv"), func(w io.Writer) error {
		return results.WriteSummaryCSV(w, rows)
	}); err != nil {
		return err
	}
	if err := results.WriteParquet(filepath.Join(target, "replications.parquet"), series, 0); err != nil {
		return err
	}
	if err := writeAreas(target, res.Areas); err != nil {
		return err
	}
	if len(res.AreaSeries) > 0 {
		if err := results.WriteAreaReplicationsParquet(filepath.Join(target, "areas_replications.parquet"), res.AreaSeries); err != nil {
			return err
		}
	}
	if err := writeTraces(target, res.Traces); err != nil {
		return err
	}
	if err := writeStates(target, res.States); err != nil {
		return err
	}
	if len(dist) > 0 {
		if err := results.WriteFileAtomic(filepath.Join(target, "distribution.csv"), func(w io.Writer) error {
			return results.WriteDistributionCSV(w, dist)
		}); err != nil {
			return err
		}
	}
	if ex != nil && ex.Uncertain() {
		if err := results.WriteFileAtomic(filepath.Join(target, "parameters.csv"), func(w io.Writer) error {
			return writeDrawnParams(w, ex, man.Reps)
		}); err != nil {
			return err
		}
	}
	if ex != nil && ex.Design != nil {
		d := ex.Design
		names := make([]string, len(d.Factors))
		for i, f := range d.Factors {
			names[i] = f.Name
		}
		pts := make([][]float64, len(d.Points))
		for i, pt := range d.Points {
			pts[i] = pt
		}
		if err := results.WriteFileAtomic(filepath.Join(target, "design_points.csv"), func(w io.Writer) error {
			return results.WriteDesignPointsCSV(w, names, pts)
		}); err != nil {
			return err
		}
		if len(sens) > 0 {
			if err := results.WriteFileAtomic(filepath.Join(target, "sensitivity.csv"), func(w io.Writer) error {
				return results.WriteSensitivityCSV(w, sens)
			}); err != nil {
				return err
			}
		}
	}
	if err := results.WriteJSONAtomic(filepath.Join(target, "manifest.json"), man); err != nil {
		return err
	}
	return nil
}

// experimentRecord is what the manifest stores of an experiment file: its
// path and the resolved settings.
func experimentRecord(ex *experiments.Experiment) any {
	if ex == nil {
		return nil
	}
	return map[string]any{
		"file": ex.Path, "name": ex.File.Name, "description": ex.File.Description, "world": ex.World,
		"years": ex.File.Years, "replications": ex.File.Replications, "seed": ex.File.Seed,
		"rebase": ex.Rebase, "dist_years": ex.File.DistYears, "scenarios": ex.Definitions,
	}
}

// writeDrawnParams writes parameters.csv: the parameters drawn for every
// design point and replication (design_point,replication,parameter,value).
func writeDrawnParams(w io.Writer, ex *experiments.Experiment, reps int) error {
	keys := ex.UncertainKeys()
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "design_point,replication,parameter,value")
	for dp := range ex.Points() {
		base, err := ex.PointParams(dp)
		if err != nil {
			return err
		}
		for rep := range reps {
			q, err := ex.Draw(base, rep)
			if err != nil {
				return err
			}
			for _, e := range q.List() {
				for _, k := range keys {
					if k == e.Key || strings.HasPrefix(k, e.Key+"[") {
						fmt.Fprintf(bw, "%d,%d,%s,%s\n", dp, rep, e.Key, strings.ReplaceAll(params.FormatValue(e.Value, 'f'), ",", ";"))
						break
					}
				}
			}
		}
	}
	return bw.Flush()
}

// parseShard parses -shard i/n (0 <= i < n); "" means no sharding.
func parseShard(v string) (i, n int, err error) {
	if v == "" {
		return 0, 0, nil
	}
	a, b, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("-shard: %q is not i/n with 0 <= i < n", v)
	}
	return i, n, nil
}

// shardRecords returns the records (timings) the shards of a sharded run
// left in DIR/shards, for the merged manifest.
func shardRecords(dir string) []any {
	files, _ := filepath.Glob(filepath.Join(dir, "shards", "shard-*.json"))
	var recs []any
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var v any
		if json.Unmarshal(data, &v) == nil {
			recs = append(recs, v)
		}
	}
	return recs
}

// cleanup is what a failed run removes from its output folder.
type cleanup int

const (
	keepOut   cleanup = iota // nothing: a shard's folder (the other shards may be writing into it) or one with earlier results
	removeOut                // the folder, which this run creates
	emptyOut                 // what this run wrote into the empty folder it was given
)

// outCleanup returns what a failed run into dir removes, decided before
// the run creates or claims dir ("" for a new, named folder).
func outCleanup(dir string, sharded, resume bool) cleanup {
	_, statErr := os.Stat(dir)
	switch {
	case sharded:
		return keepOut
	case dir == "" || os.IsNotExist(statErr):
		return removeOut
	case !resume && isEmptyDir(dir):
		return emptyOut
	}
	return keepOut
}

// removeUnfinished applies clean to the output folder dir of a failed run
// when nothing in it can be resumed: no unit was written (dir/units
// absent), or all (a run from flags that failed rather than being
// interrupted: a resume would fail alike). A run stopped part-way keeps its
// units for -resume.
func removeUnfinished(dir string, clean cleanup, all bool) {
	if clean == keepOut || dir == "" {
		return
	}
	if _, e := os.Stat(filepath.Join(dir, "units")); !all && !os.IsNotExist(e) {
		return
	}
	if clean == removeOut {
		os.RemoveAll(dir)
		return
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// isEmptyDir reports whether dir is an existing folder with nothing in it.
func isEmptyDir(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) == 0
}
