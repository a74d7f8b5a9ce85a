package sim

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

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
	// Check verifies the state's invariants after every year and fails the
	// run when one breaks (for tests; it costs time).
	Check bool
}

// Output is one scenario's per-year records of every replication.
type Output struct {
	Scenario string
	Years    int // recorded years including year 0
	Reps     int
	Values   []float64 // Values[(rep*Years+year)*NumMetrics+metric]
	// Unreached counts, per replication, the GPs whose observed ceiling
	// could not be made their optimum in the starting-state draws.
	Unreached []int
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
		cfg.Years = 20
	}
	if cfg.Reps == 0 {
		cfg.Reps = 200
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
	years := cfg.Years + 1
	outs := make([]*Output, len(scen))
	for i, sc := range scen {
		outs[i] = &Output{
			Scenario: sc.Name(), Years: years, Reps: cfg.Reps,
			Values:    make([]float64, cfg.Reps*years*int(NumMetrics)),
			Unreached: make([]int, cfg.Reps),
		}
	}
	total := len(scen) * cfg.Reps
	jobs := make(chan int)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		done     int
		errMu    sync.Mutex
		firstErr error
	)
	failed := func() bool { errMu.Lock(); defer errMu.Unlock(); return firstErr != nil }
	workers := min(cfg.Workers, total)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := NewState(cfg.Model)
			for job := range jobs {
				si, rep := job/cfg.Reps, job%cfg.Reps
				if err := runOne(st, cfg, scen[si], outs[si], rep); err != nil {
					errMu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					errMu.Unlock()
					continue
				}
				if cfg.Progress != nil {
					mu.Lock()
					done++
					cfg.Progress(done, total)
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for job := range total {
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
func runOne(st *State, cfg Config, sc Scenario, out *Output, rep int) error {
	nm := int(NumMetrics)
	base := rep * out.Years * nm
	out.Unreached[rep] = st.Reset(cfg.Seed, rep, out.Values[base:base+nm])
	if cfg.Check {
		if err := st.Check(); err != nil {
			return fmt.Errorf("scenario %s, replication %d, year 0: %w", sc.Name(), rep, err)
		}
	}
	for t := 1; t < out.Years; t++ {
		off := base + t*nm
		st.Step(sc.Rules(t), out.Values[off:off+nm])
		if cfg.Check {
			if err := st.Check(); err != nil {
				return fmt.Errorf("scenario %s, replication %d, year %d: %w", sc.Name(), rep, t, err)
			}
		}
	}
	return nil
}
