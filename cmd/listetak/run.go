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
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"listetak/experiments"
	"listetak/params"
	"listetak/results"
	"listetak/sim"
)

// runCmd is `listetak run`.
func runCmd(args []string, stdout, stderr io.Writer) error {
	return runWith(args, stdout, stderr, false, nil)
}

// runWith runs or, with mergeOnly, merges the unit files of an earlier
// (sharded) run without computing anything.
func runWith(args []string, stdout, stderr io.Writer, mergeOnly bool, pre *experiments.Experiment) (err error) {
	fs := newFlags("run", stderr)
	worldSpec := fs.String("world", "norway-2025", "embedded world name or world folder")
	years := fs.Int("years", 20, "simulated years after year 0")
	reps := fs.Int("reps", 200, "Monte Carlo replications")
	seed := fs.Uint64("seed", 1, "master seed")
	workers := fs.Int("workers", runtime.NumCPU(), "parallel workers")
	out := fs.String("out", "", "output folder (default runs/<timestamp>)")
	paramsFile := fs.String("params", "", "YAML file overriding parameters")
	modelName := fs.String("model", "", "rule set: v2 (default) or reference-v1 (the v1 reference model with the reference-2019 parameters); a params file's model key overrides it")
	progress := fs.String("progress", "auto", "progress bar: auto, always or never")
	scenarioList := fs.String("scenario", "baseline", "comma-separated scenarios (see listetak scenarios); differences are to the first")
	distYears := fs.String("dist-years", "1,5,10", "years of the dynamic distribution tables (with several scenarios)")
	rebase := fs.Bool("rebase", true, "re-base built-in scenarios' rates to the world's baseline capitation")
	shardFlag := fs.String("shard", "", "i/n: run only the units whose run id modulo n is i (0-based; needs an experiment file and -out)")
	resume := fs.Bool("resume", false, "skip the units already complete in -out (needs an experiment file)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	ex := pre
	switch len(pos) {
	case 0:
	case 1:
		// An experiment file says what the flags would: they may not be
		// given as well.
		var clash []string
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "world", "years", "reps", "seed", "params", "model", "scenario", "dist-years", "rebase":
				clash = append(clash, "-"+f.Name)
			}
		})
		if len(clash) > 0 {
			return fmt.Errorf("run: %s come from the experiment file %s; change them there", strings.Join(clash, ", "), pos[0])
		}
		if ex, err = experiments.ReadFile(pos[0]); err != nil {
			return err
		}
	default:
		return fmt.Errorf("run: unexpected arguments %q", pos[1:])
	}
	if ex != nil {
		*worldSpec, *years, *reps, *seed, *rebase = ex.World, ex.File.Years, ex.File.Replications, ex.File.Seed, ex.Rebase
	}
	var errs []error
	if *years < 1 {
		errs = append(errs, fmt.Errorf("-years: %d must be at least 1", *years))
	}
	if *reps < 1 {
		errs = append(errs, fmt.Errorf("-reps: %d must be at least 1", *reps))
	}
	if *workers < 1 {
		errs = append(errs, fmt.Errorf("-workers: %d must be at least 1", *workers))
	}
	if *progress != "auto" && *progress != "always" && *progress != "never" {
		errs = append(errs, fmt.Errorf("-progress: %q is not auto, always or never", *progress))
	}
	var defs []experiments.Definition
	var dyears []int
	if ex != nil {
		defs, dyears = ex.Definitions, ex.File.DistYears
	} else if defs, err = experiments.Lookup(strings.Split(*scenarioList, ",")); err != nil {
		errs = append(errs, fmt.Errorf("-scenario: %w", err))
	}
	for _, f := range strings.Split(*distYears, ",") {
		if ex != nil {
			break
		}
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		y, err := strconv.Atoi(f)
		if err != nil || y < 1 {
			errs = append(errs, fmt.Errorf("-dist-years: %q is not a year >= 1", f))
			continue
		}
		if y <= *years {
			dyears = append(dyears, y)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	shard, nShards, err := parseShard(*shardFlag)
	if err != nil {
		return err
	}
	sharded := nShards > 0
	if (sharded || *resume || mergeOnly) && (ex == nil || *out == "") {
		return errors.New("run: -shard and -resume need an experiment file and -out")
	}
	started := time.Now()
	if _, statErr := os.Stat(*out); !sharded && (*out == "" || os.IsNotExist(statErr)) {
		// Not for a shard: the other shards may be writing into the folder.
		defer removeUnfinished(out, &err) // runs after the lock's release
	}
	if *out == "" {
		if *out, err = newRunDir(filepath.Join("runs", started.Format("20060102-150405"))); err != nil {
			return err
		}
	}
	if !sharded && !*resume && !mergeOnly {
		if err := checkOutDir(*out); err != nil {
			return err
		}
	}
	if !sharded && !mergeOnly {
		release, err := lockOutDir(*out)
		if err != nil {
			return err
		}
		defer release()
	}
	p, err := loadParams(*paramsFile, *modelName)
	if err != nil {
		return err
	}
	if ex != nil {
		p = ex.Params
	}
	w, err := loadWorld(*worldSpec)
	if err != nil {
		return err
	}
	warnWorld(stderr, w)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if ex != nil && !mergeOnly {
		if err := saveExperiment(*out, ex); err != nil {
			return err
		}
	}
	baseParams := p
	points := 1
	if ex != nil {
		points = ex.Points()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var bar *mpb.Bar
	var prog *mpb.Progress
	if showProgress(*progress, stderr) {
		prog = mpb.New(mpb.WithOutput(stderr), mpb.WithWidth(48), mpb.WithAutoRefresh())
		bar = prog.AddBar(int64(points**reps*len(defs)),
			mpb.PrependDecorators(decor.Name("runs "), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.AverageSpeed(0, " %.1f/s "), decor.AverageETA(decor.ET_STYLE_GO)))
	}
	var (
		series, diffs []*results.Series
		rows          []results.SummaryRow
		dist          []results.DistRow
		scenInfo      []map[string]any
		names         []string
		unreached     float64
		modelNotes    []string
		composition   map[string]any
	)
	for dp := range points {
		if ex != nil {
			if p, err = ex.PointParams(dp); err != nil {
				return err
			}
		}
		model, err := sim.NewModel(w, p)
		if err != nil {
			return fmt.Errorf("world %s: %w", w.Name, err)
		}
		if dp == 0 {
			modelNotes = model.Notes
			for _, n := range model.Notes {
				fmt.Fprintf(stdout, "note: %s\n", n)
			}
			if model.Demography() {
				composition = correctionFactors(model, *seed)
				fmt.Fprintf(stdout, "list composition by sex and age tracked; year-0 correction factors (replication 0): "+
					"min %.3f, max %.3f, %.1f %% of lists within +/-10 %%\n",
					composition["min"], composition["max"], composition["percent_within_10"])
			}
		}
		var scens []sim.Scenario
		for _, d := range defs {
			r, err := experiments.Resolve(d, model, *rebase)
			if err != nil {
				return err
			}
			scens = append(scens, r)
			if dp > 0 {
				continue
			}
			scenInfo = append(scenInfo, map[string]any{"name": d.Name, "description": d.Description,
				"rebase_factor": r.Rebase, "fee_scale": r.FeeScale, "money_year": d.MoneyYear, "ref_rate": d.RefRate})
			if r.Rebase != 1 {
				fmt.Fprintf(stdout, "scenario %s: rates defined at flat NOK %g re-based by %.4f to this world's baseline capitation\n", d.Name, d.RefRate, r.Rebase)
			}
			if r.FeeScale != 1 {
				fmt.Fprintf(stdout, "scenario %s: fees scaled by %.4f to meet its budget\n", d.Name, r.FeeScale)
			}
		}
		// Every design point uses the same seed: common random numbers
		// across the design as across scenarios.
		cfg := sim.Config{Model: model, Scenarios: scens, Years: *years, Reps: *reps, Seed: *seed, Workers: *workers}
		if len(scens) > 1 {
			cfg.DistYears = dyears
		}
		if ex != nil && ex.Uncertain() {
			pointParams := p
			cfg.Replicate = func(rep int) (*sim.Model, []sim.Scenario, error) {
				q, err := ex.Draw(pointParams, rep)
				if err != nil {
					return nil, nil, err
				}
				m, err := sim.NewModel(w, q)
				if err != nil {
					return nil, nil, err
				}
				var sc []sim.Scenario
				for _, d := range defs {
					r, err := experiments.Resolve(d, m, *rebase)
					if err != nil {
						return nil, nil, err
					}
					sc = append(sc, r)
				}
				return m, sc, nil
			}
		}
		cfg.Skip = func(rep int) bool {
			if mergeOnly {
				return true
			}
			if id := dp**reps + rep; sharded && id%nShards != shard {
				return true
			}
			if *resume {
				_, err := os.Stat(unitPath(*out, dp, rep))
				return err == nil
			}
			return false
		}
		cfg.OnRep = func(rep int, outs []*sim.Output) error { return writeUnit(*out, dp, rep, outs) }
		if bar != nil {
			offset := int64(dp * *reps * len(scens))
			cfg.Progress = func(done, total int) { bar.SetCurrent(offset + int64(done)) }
		}
		outs, err := sim.Run(ctx, cfg)
		if err != nil {
			if prog != nil {
				bar.Abort(false)
				prog.Wait()
			}
			return err
		}
		if sharded {
			continue // merge summarises once every shard is done
		}
		for rep := range *reps {
			if cfg.Skip(rep) {
				ok, err := loadUnit(*out, dp, rep, outs)
				if err != nil {
					return err
				}
				if !ok {
					return fmt.Errorf("%s: unit of design point %d, replication %d is missing (run id %d): run the remaining shards or -resume", *out, dp, rep, dp**reps+rep)
				}
			}
		}
		ps := toSeries(outs)
		for _, s := range ps {
			s.DesignPoint = dp
			rows = append(rows, results.Summarise(s)...)
		}
		// Paired differences to the first scenario (common random numbers).
		for _, s := range ps[1:] {
			d, err := results.Difference(ps[0], s)
			if err != nil {
				return err
			}
			diffs = append(diffs, d)
			rows = append(rows, results.Summarise(d)...)
		}
		for _, r := range distRows(outs, cfg.DistYears) {
			r.DesignPoint = dp
			dist = append(dist, r)
		}
		series = append(series, ps...)
		if dp == 0 {
			names = scenarioNames(outs)
			for _, u := range outs[0].Unreached {
				unreached += float64(u) / float64(len(outs[0].Unreached))
			}
		}
	}
	if prog != nil {
		prog.Wait()
	}
	if sharded {
		fin := time.Now()
		rec := map[string]any{"shard": shard, "shards": nShards, "started": started, "finished": fin,
			"wall_seconds": fin.Sub(started).Seconds(), "version": Version, "git_describe": gitDescribe(),
			"command": append([]string{"listetak", "run"}, args...)}
		path := filepath.Join(*out, "shards", fmt.Sprintf("shard-%d-of-%d.json", shard, nShards))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := results.WriteJSONAtomic(path, rec); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "shard %d/%d done in %.1f s; when every shard is done: listetak merge %s\n", shard, nShards, fin.Sub(started).Seconds(), *out)
		return nil
	}
	var sens []results.SensitivityRow
	if ex != nil && ex.Design != nil {
		if sens, err = sensitivity(ex, series); err != nil {
			return err
		}
	}
	finished := time.Now()
	man := results.Manifest{
		Tool: "listetak", Version: Version, GitDescribe: gitDescribe(),
		Command: append([]string{"listetak", "run"}, args...),
		Seed:    *seed, World: w.Name, Scenarios: names,
		Years: *years, Reps: *reps, Workers: *workers,
		Params:     paramsRecord(baseParams, w.Money(), *paramsFile),
		WorldNotes: w.Notes,
		Started:    started, Finished: finished, WallSeconds: finished.Sub(started).Seconds(),
		Extra: map[string]any{
			"world_year": w.Year, "nok_index": w.Money(), "baseline": w.Baseline,
			"world_source":                   w.Source,
			"scenarios":                      scenInfo,
			"experiment":                     experimentRecord(ex),
			"mean_gps_ceiling_not_reachable": unreached,
			"design_points":                  points,
			"shards":                         shardRecords(*out),
			"metric_units":                   "persons; NOK/year in the world's money year; hours/year; shares",
			"model_notes":                    modelNotes,
			"list_composition":               composition,
		},
	}
	if err := writeRun(*out, series, rows, dist, ex, sens, man); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "world %s (%d), seed %d\n", w.Name, w.Year, *seed)
	for _, s := range append(series, diffs...) {
		if s.DesignPoint > 0 {
			continue // the terminal shows design point 0; the files hold all
		}
		if err := results.PrintBands(stdout, s, []string{"gps", "capacity", "orphans", "mean_list"}, tableYears(*years)); err != nil {
			return err
		}
	}
	printDist(stdout, dist)
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}

func scenarioNames(outs []*sim.Output) []string {
	n := make([]string, len(outs))
	for i, o := range outs {
		n[i] = o.Scenario
	}
	return n
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

// toSeries wraps the engine's outputs as result series.
func toSeries(outs []*sim.Output) []*results.Series {
	names := sim.MetricNames()
	s := make([]*results.Series, len(outs))
	for i, o := range outs {
		s[i] = &results.Series{Scenario: o.Scenario, Metrics: names, Years: o.Years, Reps: o.Reps, Values: o.Values}
	}
	return s
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

// processAlive reports whether a process with this id runs (signal 0; a
// system that cannot tell counts it as alive).
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, os.ErrPermission) || !errors.Is(err, os.ErrProcessDone)
}

// writeRun writes the run's result files into dir (which holds the units
// already), each atomically (temp file + rename), so a reader never sees a
// half-written file.
func writeRun(dir string, series []*results.Series, rows []results.SummaryRow, dist []results.DistRow,
	ex *experiments.Experiment, sens []results.SensitivityRow, man results.Manifest) error {
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

// correctionFactors summarises the lists' year-0 correction factors (mean
// capitation weight) in replication 0 of a model with list composition.
func correctionFactors(m *sim.Model, seed uint64) map[string]any {
	st := sim.NewState(m)
	st.Reset(seed, 0, nil)
	n, lo, hi, within := st.CorrectionSummary()
	return map[string]any{"lists": n, "min": lo, "max": hi, "percent_within_10": within}
}

// removeUnfinished removes the output folder *dir that this run created
// when the run failed (*err != nil) before writing any unit (dir/units
// absent): a refused or failed run leaves nothing behind, while a run
// stopped part-way keeps its units for -resume.
func removeUnfinished(dir *string, err *error) {
	if *err == nil || *dir == "" {
		return
	}
	if _, e := os.Stat(filepath.Join(*dir, "units")); os.IsNotExist(e) {
		os.RemoveAll(*dir)
	}
}
