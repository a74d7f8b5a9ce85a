package sim

import (
	"context"
	"errors"
	"fmt"
	"listetak/world"
	"runtime"
	"slices"
	"sync"

	"listetak/agents"
	"listetak/finance"
)

// Scenario gives the money rules in force in each simulated year.
type Scenario interface {
	// Name identifies the scenario in outputs.
	Name() string
	// Rules returns the rules in force in year t >= 1.
	Rules(t int) finance.Rules
}

// Fixed is a scenario whose rules never change.
type Fixed struct {
	Label string
	R     finance.Rules
}

var _ Scenario = Fixed{}

// Name returns the label.
func (f Fixed) Name() string { return f.Label }

// Rules returns the fixed rules.
func (f Fixed) Rules(int) finance.Rules { return f.R }

// Config is one Monte Carlo run: every scenario x replication.
type Config struct {
	Model     *Model
	Scenarios []Scenario // nil: the world's baseline only, named "baseline"
	Years     int        // simulated years after year 0 (default 20)
	Reps      int        // replications (default 200)
	Seed      uint64     // master seed
	Workers   int        // goroutines (default runtime.NumCPU())
	// Progress, when set, is called after each finished replication of a
	// scenario with the number finished so far (from several goroutines;
	// calls are serialised).
	Progress func(done, total int)
	// DistYears, when set and there are several scenarios, records
	// distribution tables (see DistCells) comparing each scenario with the
	// first for the same GPs: the static year 1 and these dynamic years.
	DistYears []int
	// Replicate, when set, gives each replication its own model and
	// scenarios (parameters drawn per replication: parameter uncertainty).
	// It must be deterministic in rep, keep the world, and return scenarios
	// named as Scenarios, in the same order.
	Replicate func(rep int) (*Model, []Scenario, error)
	// Skip, when set, leaves out the replications it returns true for
	// (already done, or another shard's); their values stay zero.
	Skip func(rep int) bool
	// OnRep, when set, is called once every scenario of a replication has
	// finished (from a worker goroutine; calls for different replications
	// may run concurrently). An error fails the run.
	OnRep func(rep int, outs []*Output) error
	// Check verifies the state's invariants after every year and fails the
	// run when one breaks (for tests; it costs time).
	Check bool
	// Observe, when set, is called with the state after year 0 and after
	// each simulated year's record (see observe.go).
	Observe Observer
	// Municipal records each municipality's counts every year
	// (Output.Muni, State.RecordMunis).
	Municipal bool
}

// Output is one scenario's per-year records of every replication.
type Output struct {
	Scenario string
	Years    int // recorded years including year 0
	Reps     int
	Values   []float64 // Values[(rep*Years+year)*NumMetrics+metric]
	// Dist holds the distribution tables against the first scenario (nil
	// for the first scenario or without Config.DistYears):
	// Dist[(rep*len(cells)+cell)*len(DistStats)+stat], cells as DistCells.
	Dist []float64
	// DistYears are the dynamic years of Dist's cells (DistCells).
	DistYears []int
	// Unreached counts, per replication, the GPs whose observed ceiling
	// could not be made their optimum in the starting-state draws.
	Unreached []int
	// Muni holds each municipality's counts with Config.Municipal (else
	// nil): Muni[((rep*Years+year)*Munis+m)*NumMuniMetrics+k], municipalities
	// in the world's order. Counts are whole numbers, exact in float32 up
	// to 2^24 (16,777,216) per municipality.
	Muni  []float32
	Munis int // municipalities in Muni
}

// MuniAt returns municipality m's counts in year of replication rep (len
// NumMuniMetrics; nil without Config.Municipal).
func (o *Output) MuniAt(rep, year, m int) []float32 {
	if o.Muni == nil {
		return nil
	}
	nk := int(NumMuniMetrics)
	off := ((rep*o.Years+year)*o.Munis + m) * nk
	return o.Muni[off : off+nk]
}

// MuniRep returns replication rep's counts, every year and municipality
// (nil without Config.Municipal).
func (o *Output) MuniRep(rep int) []float32 {
	if o.Muni == nil {
		return nil
	}
	n := o.Years * o.Munis * int(NumMuniMetrics)
	return o.Muni[rep*n : (rep+1)*n]
}

// MuniYear returns every municipality's counts in year of replication rep
// (len Munis x NumMuniMetrics; nil without Config.Municipal).
func (o *Output) MuniYear(rep, year int) []float32 {
	if o.Muni == nil {
		return nil
	}
	n := o.Munis * int(NumMuniMetrics)
	off := (rep*o.Years + year) * n
	return o.Muni[off : off+n]
}

// BaselineScenario returns the scenario of the model's own baseline rules.
func (m *Model) BaselineScenario() Scenario { return Fixed{Label: "baseline", R: m.Baseline} }

// Run runs every scenario x replication on a bounded pool of workers and
// returns the outputs by scenario. Jobs are identified by (scenario,
// replication) and results stored by that index, and every draw comes from
// the replication's own streams, so the result does not depend on Workers.
func Run(ctx context.Context, cfg Config) ([]*Output, error) {
	if cfg.Model == nil {
		return nil, errors.New("sim: no model")
	}
	if cfg.Years == 0 {
		cfg.Years = DefaultYears
	}
	if cfg.Reps == 0 {
		cfg.Reps = DefaultReps
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Years < 0 || cfg.Reps < 0 {
		return nil, fmt.Errorf("sim: years %d and reps %d must be positive", cfg.Years, cfg.Reps)
	}
	scen := cfg.Scenarios
	if len(scen) == 0 {
		scen = []Scenario{cfg.Model.BaselineScenario()}
	}
	if err := checkSize(cfg, len(scen)); err != nil {
		return nil, err
	}
	if err := cfg.Model.checkPopulation(cfg.Years); err != nil {
		return nil, err
	}
	years := cfg.Years + 1
	dist := len(cfg.DistYears) > 0 && len(scen) > 1
	if err := checkDistYears(cfg.DistYears, cfg.Years); err != nil {
		return nil, err
	}
	nCells := len(DistCells(cfg.DistYears))
	outs := make([]*Output, len(scen))
	for i, sc := range scen {
		outs[i] = &Output{
			Scenario: sc.Name(), Years: years, Reps: cfg.Reps,
			Values:    make([]float64, cfg.Reps*years*int(NumMetrics)),
			Unreached: make([]int, cfg.Reps),
		}
		if cfg.Municipal {
			outs[i].Munis = len(cfg.Model.munis)
			outs[i].Muni = make([]float32, cfg.Reps*years*outs[i].Munis*int(NumMuniMetrics))
		}
		if dist && i > 0 {
			outs[i].Dist = make([]float64, cfg.Reps*nCells*len(DistStats))
			outs[i].DistYears = cfg.DistYears
		}
	}
	total := len(scen) * cfg.Reps
	njobs := total
	if dist {
		njobs = cfg.Reps // a job runs every scenario of one replication
	}
	jobs := make(chan int)
	repDone := make([]int, cfg.Reps)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		done     int
		errMu    sync.Mutex
		firstErr error
	)
	failed := func() bool { errMu.Lock(); defer errMu.Unlock(); return firstErr != nil }
	fail := func(err error) {
		errMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		errMu.Unlock()
	}
	workers := min(cfg.Workers, total)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := NewState(cfg.Model)
			var dw *distWork
			if dist {
				dw = newDistWork(cfg.Model, len(scen), len(cfg.DistYears))
			}
			for job := range jobs {
				if dist {
					err := dw.run(st, cfg, scen, outs, job, func() {
						if cfg.Progress != nil {
							mu.Lock()
							done++
							cfg.Progress(done, total)
							mu.Unlock()
						}
					})
					if err == nil && cfg.OnRep != nil {
						err = cfg.OnRep(job, outs)
					}
					if err != nil {
						fail(err)
					}
					continue
				}
				si, rep := job/cfg.Reps, job%cfg.Reps
				sc, err := cfg.replicate(st, scen, rep)
				if err == nil {
					err = runOne(st, cfg, sc[si], outs[si], rep, nil)
				}
				if err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				repDone[rep]++
				complete := repDone[rep] == len(scen)
				if cfg.Progress != nil {
					done++
					cfg.Progress(done, total)
				}
				mu.Unlock()
				if complete && cfg.OnRep != nil {
					if err := cfg.OnRep(rep, outs); err != nil {
						fail(err)
					}
				}
			}
		}()
	}
feed:
	for job := range njobs {
		if cfg.Skip != nil {
			rep := job
			if !dist {
				rep = job % cfg.Reps
			}
			if cfg.Skip(rep) {
				continue
			}
		}
		select {
		case <-ctx.Done():
			break feed
		case jobs <- job:
		}
		if failed() {
			break
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return outs, nil
}

// runOne runs one replication of one scenario into its slice of out.
// after, when set, is called after Reset (year 0) and after every year.
func runOne(st *State, cfg Config, sc Scenario, out *Output, rep int, after func(year int)) error {
	nm := int(NumMetrics)
	base := rep * out.Years * nm
	out.Unreached[rep] = st.Reset(cfg.Seed, rep, out.Values[base:base+nm])
	if out.Muni != nil {
		st.RecordMunis(out.MuniYear(rep, 0))
	}
	cfg.observe(rep, sc, 0, st)
	if after != nil {
		after(0)
	}
	if cfg.Check {
		if err := st.Check(); err != nil {
			return fmt.Errorf("scenario %s, replication %d, year 0: %w", sc.Name(), rep, err)
		}
	}
	for t := 1; t < out.Years; t++ {
		off := base + t*nm
		st.Step(sc.Rules(t), out.Values[off:off+nm])
		if out.Muni != nil {
			st.RecordMunis(out.MuniYear(rep, t))
		}
		cfg.observe(rep, sc, t, st)
		if after != nil {
			after(t)
		}
		if cfg.Check {
			if err := st.Check(); err != nil {
				return fmt.Errorf("scenario %s, replication %d, year %d: %w", sc.Name(), rep, t, err)
			}
		}
	}
	return nil
}

// distWork is a worker's buffers for distribution tables.
type distWork struct {
	groups [][]int      // per year-0 slot, its group indexes (nil: vacant)
	snaps  [][]snapshot // [scenario][0 static, 1.. dynamic years]
	y      agents.Year  // scratch tables for the static incomes
}

func newDistWork(m *Model, nScen, nYears int) *distWork {
	dw := &distWork{snaps: make([][]snapshot, nScen)}
	for i := range dw.snaps {
		dw.snaps[i] = make([]snapshot, nYears+1)
	}
	st := NewState(m)
	st.Slots = append(st.Slots[:0], m.slots...)
	st.Munis = m.munis
	dw.groups = make([][]int, len(m.slots))
	for i := range m.slots {
		if m.slots[i].Held {
			dw.groups[i] = st.groupsOf(&m.slots[i], make([]int, 0, len(distGroups)))
		}
	}
	return dw
}

// run runs every scenario of replication rep and records its tables.
func (dw *distWork) run(st *State, cfg Config, scen []Scenario, outs []*Output, rep int, progress func()) error {
	n := len(cfg.Model.slots)
	scen, err := cfg.replicate(st, scen, rep)
	if err != nil {
		return err
	}
	for si, sc := range scen {
		snaps := dw.snaps[si]
		err := runOne(st, cfg, sc, outs[si], rep, func(t int) {
			if t == 0 {
				snaps[0].static(st, sc.Rules(1), &dw.y)
				return
			}
			for k, y := range cfg.DistYears {
				if y == t {
					snaps[k+1].take(st, n)
				}
			}
		})
		if err != nil {
			return err
		}
		progress()
	}
	ns := len(DistStats)
	ng := numGroups()
	for si := 1; si < len(scen); si++ {
		for k := range dw.snaps[si] {
			off := ((rep*len(dw.snaps[si]) + k) * ng) * ns
			compare(&dw.snaps[0][k], &dw.snaps[si][k], dw.groups, outs[si].Dist[off:off+ng*ns])
		}
	}
	return nil
}

// replicate points the state at replication rep's model and returns its
// scenarios (the configured ones without Replicate).
func (cfg Config) replicate(st *State, scen []Scenario, rep int) ([]Scenario, error) {
	if cfg.Replicate == nil {
		st.Use(cfg.Model)
		return scen, nil
	}
	m, sc, err := cfg.Replicate(rep)
	if err != nil {
		return nil, fmt.Errorf("replication %d: %w", rep, err)
	}
	if len(m.slots) != len(cfg.Model.slots) || len(m.munis) != len(cfg.Model.munis) {
		return nil, fmt.Errorf("replication %d: Replicate changed the world", rep)
	}
	if len(sc) != len(scen) {
		return nil, fmt.Errorf("replication %d: %d scenarios, want %d", rep, len(sc), len(scen))
	}
	for i := range sc {
		if sc[i].Name() != scen[i].Name() {
			return nil, fmt.Errorf("replication %d: scenario %q, want %q", rep, sc[i].Name(), scen[i].Name())
		}
	}
	st.Use(m)
	return sc, nil
}

// Defaults of a run: the horizon and replications of Config's zero value,
// of listetak run's flags and of an experiment file without the keys (the
// one place they are set).
const (
	DefaultYears = 20 // years simulated after year 0: the 5-20 year questions of the projections
	// DefaultReps replications estimate a normal output's 5 % and 95 %
	// quantiles with a standard error of about 0.15 sd,
	// sqrt(0.05 x 0.95 / 200) / phi(1.645): under 5 % of the 90 % band's
	// width (3.29 sd).
	DefaultReps = 200
)

// Limits of a run (Run refuses more, before allocating anything).
const (
	// MaxYears is the longest horizon: the population paths and the money
	// indices are not meant for more than a century.
	MaxYears = 200
	// MaxResultBytes bounds the yearly records a run holds in memory (8 GiB:
	// a third of a 24 GiB machine), replications x (years + 1) x scenarios
	// x (metrics x 8 bytes, plus municipalities x counts x 4 bytes with
	// Config.Municipal).
	MaxResultBytes = 8 << 30
	// MaxMuniPopulation bounds any municipality's population over the run:
	// the bound a world's starting population has (world.MaxPopulation).
	MaxMuniPopulation = world.MaxPopulation
)

// checkSize refuses a run whose records would not fit MaxResultBytes or
// whose horizon exceeds MaxYears, with the numbers in the message.
func checkSize(cfg Config, scenarios int) error {
	if cfg.Years > MaxYears {
		return fmt.Errorf("sim: %d years: at most %d", cfg.Years, MaxYears)
	}
	perYear := float64(NumMetrics) * 8
	if cfg.Municipal {
		perYear += float64(len(cfg.Model.munis)) * float64(NumMuniMetrics) * 4
	}
	per := float64(cfg.Years+1) * perYear * float64(scenarios)
	if need := float64(cfg.Reps) * per; need > MaxResultBytes {
		return fmt.Errorf("sim: %d replications x %d years x %d scenarios need %.3g GiB of yearly records in memory; at most %d replications fit in %d GiB (shard the experiment)",
			cfg.Reps, cfg.Years, scenarios, need/(1<<30), int64(MaxResultBytes/per), MaxResultBytes>>30)
	}
	return nil
}

// checkPopulation follows every municipality's population through years
// by the growth rule alone (the world's growth, or v2's population path;
// a decline removes persons the same way) and refuses a run that would
// take one above MaxMuniPopulation, naming the municipality and year.
func (m *Model) checkPopulation(years int) error {
	s := &State{M: m, P: &m.Params, Munis: slices.Clone(m.munis)}
	for t := 1; t <= years; t++ {
		s.pathGrowth(t)
		for i := range s.Munis {
			mu := &s.Munis[i]
			mu.Pop += growth(mu)
			if mu.Pop > MaxMuniPopulation {
				w := m.World.Municipalities[i]
				return fmt.Errorf("sim: municipality %s (%s) would reach %d persons in year %d at growth %g a year: check its growth (0.05 is 5 %%)", w.Code, w.Name, mu.Pop, t, mu.Growth)
			}
		}
	}
	return nil
}
