package study

import (
	"context"
	"errors"
	"fmt"

	"listetak/calibrate"
	"listetak/experiments"
	"listetak/params"
	"listetak/results"
	"listetak/sim"
	"listetak/world"
)

// Study is what Execute runs: a world, the scenarios, the horizon, the
// replications and the seed, and optionally an experiment whose design
// points and parameter draws multiply them.
type Study struct {
	World *world.World
	// Params are the parameters of a study without an experiment (an
	// experiment's come from it, design point by design point).
	Params params.Params
	// Experiment is the experiment file (nil: one design point at Params,
	// no parameter draws).
	Experiment *experiments.Experiment
	// Scenarios are the scenario definitions, the baseline first: paired
	// differences are to it.
	Scenarios []experiments.Definition
	Years     int    // simulated years after year 0
	Reps      int    // replications per design point
	Seed      uint64 // master seed: every design point uses it (common random numbers)
	Rebase    bool   // convert scenarios' rates from their money year to the world's money (experiments.Resolve)
	// DistYears are the years of the dynamic distribution tables (with
	// more than one scenario).
	DistYears []int
	Workers   int // concurrent replications (0: the number of CPUs); results do not depend on it
	// Municipal adds the per-area outputs (Result.Areas): every
	// municipality, county, centrality and size class.
	Municipal bool
	// AreaReps, with Municipal, keeps every area's per-replication values
	// too (Result.AreaSeries): about 0.2 KB per area, year and replication
	// of each scenario (8 bytes for each of the 23 metrics).
	AreaReps bool
	// Trace lists replications whose every GP-year is recorded
	// (Result.Traces), for every scenario of design point 0. The
	// replications must run in this execution (no shards, resume or
	// merge), and the world may not be built from a register.
	Trace []int
	// SaveYears lists model years after which the state of each
	// replication in SaveReps is kept (Result.States), for every scenario
	// of design point 0; the same conditions as Trace apply.
	SaveYears []int
	// SaveReps are the replications whose states SaveYears keeps (nil:
	// replication 0).
	SaveReps []int
}

// Points returns the number of design points (1 without a design).
func (s *Study) Points() int {
	if s.Experiment == nil {
		return 1
	}
	return s.Experiment.Points()
}

// Plan says which units of a study this execution runs. A unit is one
// replication of one design point with every scenario; its run id is
// dp*Reps + rep.
type Plan struct {
	// Shard and Shards: run only the units whose run id modulo Shards is
	// Shard (Shards 0: every unit). A sharded execution summarises
	// nothing: merge does once every shard is done.
	Shard, Shards int
	// Resume skips the units the store already has.
	Resume bool
	// Merge runs no unit: every one must be in the store.
	Merge bool
}

// runs reports whether the plan runs unit (dp, rep) given the store.
func (p Plan) runs(s *Study, store Store, dp, rep int) bool {
	switch {
	case p.Merge:
		return false
	case p.Shards > 0 && (dp*s.Reps+rep)%p.Shards != p.Shard:
		return false
	case p.Resume:
		return !store.Has(dp, rep)
	}
	return true
}

// Observer receives what an execution reports while it runs; nil fields
// are not called.
type Observer struct {
	// Progress is called with the finished and total runs (scenario x
	// replication) of the design point after offset runs of earlier ones.
	Progress func(done, total int)
	// Note receives the notes of building the model and resolving the
	// scenarios (population path, list composition, re-basing).
	Note func(msg string)
}

// Result is an executed study: the series of every design point and
// scenario, their paired differences, the summary and distribution rows,
// the sensitivity indices of a sobol or morris design, and what the
// manifest records of the resolution.
type Result struct {
	Series, Diffs []*results.Series
	Rows          []results.SummaryRow
	Dist          []results.DistRow
	Sens          []results.SensitivityRow
	// Traces are the traced replications (Study.Trace), by replication
	// and then scenario.
	Traces []*calibrate.Trace
	// States are the saved states (Study.SaveYears), by replication, year
	// and then scenario.
	States []SavedState
	// Areas are the per-area summary rows with Study.Municipal (by
	// municipality, county, centrality and size class; scenarios, then
	// paired differences).
	Areas []results.AreaRow
	// AreaSeries are every area's per-replication values with
	// Study.AreaReps (by design point, then in the order of Areas).
	AreaSeries []results.AreaSeries
	// Names are the scenario names as the outputs carry them.
	Names []string
	// ScenarioInfo records each scenario's resolution
	// (experiments.Resolved.Record: every factor applied, fee scale,
	// static spending).
	ScenarioInfo []map[string]any
	// Unreached is the mean number of GPs per replication whose observed
	// ceiling was not reachable on the grid (design point 0).
	Unreached float64
	// ModelNotes are the model's notes at design point 0; Composition the
	// year-0 correction factors with list composition (nil without).
	ModelNotes  []string
	Composition map[string]any
	// Sharded is true when the plan ran one shard: then only the units
	// were stored and nothing is summarised.
	Sharded bool
}

// Execute runs the units plan selects, saving each to store as it is done,
// and unless the plan is one shard, loads the rest from store and
// summarises every design point: per-scenario series and summaries, paired
// differences to the first scenario (common random numbers), distribution
// tables and the sensitivity indices. It stops at ctx's cancellation (the
// units done are stored).
func Execute(ctx context.Context, s *Study, store Store, plan Plan, obs Observer) (*Result, error) {
	if s.World == nil || len(s.Scenarios) == 0 {
		return nil, errors.New("study: no world or no scenarios")
	}
	if err := s.checkTrace(plan); err != nil {
		return nil, err
	}
	if err := s.checkStates(plan); err != nil {
		return nil, err
	}
	res := &Result{Sharded: plan.Shards > 0}
	for dp := range s.Points() {
		if err := s.point(ctx, dp, store, plan, obs, res); err != nil {
			return nil, err
		}
	}
	if !res.Sharded && s.Experiment != nil && s.Experiment.Design != nil {
		var err error
		if res.Sens, err = sensitivity(s.Experiment, res.Series); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// point runs and summarises design point dp into res.
func (s *Study) point(ctx context.Context, dp int, store Store, plan Plan, obs Observer, res *Result) error {
	p := s.Params
	if ex := s.Experiment; ex != nil {
		var err error
		if p, err = ex.PointParams(dp); err != nil {
			return err
		}
	}
	model, scens, err := s.resolve(p)
	if err != nil {
		return err
	}
	if dp == 0 {
		s.describe(model, scens, obs, res)
	}
	cfg := sim.Config{Model: model, Scenarios: scens, Years: s.Years, Reps: s.Reps, Seed: s.Seed, Workers: s.Workers,
		Municipal: s.Municipal}
	if len(scens) > 1 {
		cfg.DistYears = s.DistYears
	}
	if ex := s.Experiment; ex != nil && ex.Uncertain() {
		cfg.Replicate = func(rep int) (*sim.Model, []sim.Scenario, error) {
			q, err := ex.Draw(p, rep)
			if err != nil {
				return nil, nil, err
			}
			return s.resolve(q)
		}
	}
	cfg.Skip = func(rep int) bool { return !plan.runs(s, store, dp, rep) }
	if dp == 0 && len(s.Trace) > 0 {
		if err := s.traces(&cfg, res); err != nil {
			return err
		}
	}
	if dp == 0 && len(s.SaveYears) > 0 {
		s.states(&cfg, res)
	}
	cfg.OnRep = func(rep int, outs []*sim.Output) error { return store.Save(dp, rep, outs) }
	if obs.Progress != nil {
		offset := dp * s.Reps * len(scens)
		total := s.Points() * s.Reps * len(scens)
		cfg.Progress = func(done, _ int) { obs.Progress(offset+done, total) }
	}
	outs, err := sim.Run(ctx, cfg)
	if err != nil || res.Sharded {
		return err
	}
	for rep := range s.Reps {
		if !cfg.Skip(rep) {
			continue
		}
		ok, err := store.Load(dp, rep, outs)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%v: unit of design point %d, replication %d is missing (run id %d): run the remaining shards or resume", store, dp, rep, dp*s.Reps+rep)
		}
	}
	if err := collect(dp, outs, cfg.DistYears, res); err != nil {
		return err
	}
	if s.Municipal {
		var keep *[]results.AreaSeries
		if s.AreaReps {
			keep = &res.AreaSeries
		}
		rows, err := areaRows(dp, outs, s.World, keep)
		if err != nil {
			return err
		}
		res.Areas = append(res.Areas, rows...)
	}
	return nil
}

// recordsGPs refuses an output that records single GPs or their state
// (what: "a trace", "saving states") when the plan does not run its
// replications in this execution, or on a world built from a register.
func (s *Study) recordsGPs(what string, plan Plan) error {
	if plan.Merge || plan.Resume || plan.Shards > 0 {
		return fmt.Errorf("study: %s needs its replications run in this execution: not with shards, resume or merge", what)
	}
	if s.World.PersonalData {
		return fmt.Errorf("study: world %s: %s: %w", s.World.Name, what, calibrate.ErrPersonalData)
	}
	return nil
}

// checkTrace refuses a trace the plan cannot make: its replications would
// not run, or out of range.
func (s *Study) checkTrace(plan Plan) error {
	if len(s.Trace) == 0 {
		return nil
	}
	if err := s.recordsGPs("a trace", plan); err != nil {
		return err
	}
	for _, r := range s.Trace {
		if r < 0 || r >= s.Reps {
			return fmt.Errorf("study: trace replication %d outside 0..%d", r, s.Reps-1)
		}
	}
	return nil
}

// traces adds the traces of s.Trace to res and an observer filling them
// to cfg. Each trace is filled by the one worker running its replication
// and scenario.
func (s *Study) traces(cfg *sim.Config, res *Result) error {
	by := map[[2]int]*calibrate.Trace{}
	for _, rep := range s.Trace {
		for si, d := range s.Scenarios {
			if by[[2]int{rep, si}] != nil {
				continue
			}
			t, err := calibrate.NewTrace(s.World, d.Name, rep)
			if err != nil {
				return err
			}
			by[[2]int{rep, si}] = t
			res.Traces = append(res.Traces, t)
		}
	}
	cfg.Observe = func(rep, si, year int, st *sim.State) {
		if t := by[[2]int{rep, si}]; t != nil {
			t.Observe(year, st)
		}
	}
	return nil
}

// resolve builds the model of parameters p on the study's world and
// resolves the scenarios on it.
func (s *Study) resolve(p params.Params) (*sim.Model, []sim.Scenario, error) {
	m, err := sim.NewModel(s.World, p)
	if err != nil {
		return nil, nil, fmt.Errorf("world %s: %w", s.World.Name, err)
	}
	var sc []sim.Scenario
	for _, d := range s.Scenarios {
		r, err := experiments.Resolve(d, m, s.Rebase)
		if err != nil {
			return nil, nil, err
		}
		sc = append(sc, r)
	}
	return m, sc, nil
}

// describe records and reports design point 0's model notes, list
// composition and scenario resolutions.
func (s *Study) describe(m *sim.Model, scens []sim.Scenario, obs Observer, res *Result) {
	note := func(format string, a ...any) {
		if obs.Note != nil {
			obs.Note(fmt.Sprintf(format, a...))
		}
	}
	res.ModelNotes = m.Notes
	for _, n := range m.Notes {
		note("%s", n)
	}
	if m.Demography() {
		res.Composition = correctionFactors(m, s.Seed)
		note("list composition by sex and age tracked; year-0 correction factors (replication 0): min %.3f, max %.3f, %.1f %% of lists within +/-10 %%",
			res.Composition["min"], res.Composition["max"], res.Composition["percent_within_10"])
	}
	for i := range s.Scenarios {
		r := scens[i].(*experiments.Resolved)
		res.ScenarioInfo = append(res.ScenarioInfo, r.Record())
		for _, n := range r.Notes() {
			note("%s", n)
		}
	}
}

// collect adds design point dp's outputs to res: series, summaries,
// paired differences and distribution rows.
func collect(dp int, outs []*sim.Output, distYears []int, res *Result) error {
	ps := toSeries(outs)
	for _, s := range ps {
		s.DesignPoint = dp
		res.Rows = append(res.Rows, results.Summarise(s)...)
	}
	for _, s := range ps[1:] {
		d, err := results.Difference(ps[0], s)
		if err != nil {
			return err
		}
		res.Diffs = append(res.Diffs, d)
		res.Rows = append(res.Rows, results.Summarise(d)...)
	}
	for _, r := range distRows(outs, distYears) {
		r.DesignPoint = dp
		res.Dist = append(res.Dist, r)
	}
	res.Series = append(res.Series, ps...)
	if dp == 0 {
		res.Names = scenarioNames(outs)
		for _, u := range outs[0].Unreached {
			res.Unreached += float64(u) / float64(len(outs[0].Unreached))
		}
	}
	return nil
}
