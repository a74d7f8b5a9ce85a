package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"listetak/experiments"
	"listetak/params"
	"listetak/sim"
	"listetak/world"
)

// Setup is what a register panel is simulated from: the world of its first
// year, the parameters held fixed, the panel's years and the financing
// rules in force. The zero values of Years, Scenario and ReformYear mean a
// one-year panel under the world's baseline.
//
// Years: the world's starting state (model year 0) is register year
// FirstYear (default World.Year), and model year t is register year
// FirstYear + t. A register year Y holds values at 31 December Y; the model
// records its state at the end of a contract year (30 June), and DATA.md
// maps register year Y to the model year that ends in June of Y+1, so the
// model's record is half a year later than the register's date (a documented
// approximation: the register has no mid-year values). A reform in register
// year R is in force from model year R - FirstYear (the contract year that
// starts on 1 July R).
type Setup struct {
	World      *world.World
	Base       params.Params // parameters held fixed (2019 NOK)
	FirstYear  int           // register year of the starting state; 0: World.Year
	Years      int           // simulated years after the first (panel years - 1)
	Scenario   string        // built-in scenario in force from ReformYear ("" or "baseline": none)
	ReformYear int           // register year the scenario starts
	NoRebase   bool          // use the scenario's literal rates (default: re-based, as run does)
	Workers    int           // goroutines per simulation (default 1)
}

// Validate reports every problem of the setup, each naming its field.
func (s *Setup) Validate() error {
	var errs []error
	if s.World == nil {
		errs = append(errs, errors.New("world: none"))
	}
	if s.Years < 1 {
		errs = append(errs, fmt.Errorf("years: %d must be at least 1", s.Years))
	}
	if err := s.Base.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("base: %w", err))
	}
	if s.Scenario != "" && s.Scenario != "baseline" {
		if _, err := experiments.Lookup([]string{s.Scenario}); err != nil {
			errs = append(errs, fmt.Errorf("scenario: %w", err))
		}
		if f := s.first(); s.ReformYear <= f || s.ReformYear > f+s.Years {
			errs = append(errs, fmt.Errorf("reform_year: %d is not a simulated register year (%d..%d)", s.ReformYear, f+1, f+s.Years))
		}
	}
	return errors.Join(errs...)
}

func (s *Setup) first() int {
	if s.FirstYear != 0 {
		return s.FirstYear
	}
	return s.World.Year
}

// reformYear returns the reform's register year, 0 without one.
func (s *Setup) reformYear() int {
	if s.Scenario == "" || s.Scenario == "baseline" {
		return 0
	}
	return s.ReformYear
}

// MomentSpec returns the moment spec matching the setup's reform.
func (s *Setup) MomentSpec() MomentSpec { return MomentSpec{ReformYear: s.reformYear()} }

// scenario returns the rules of the register years resolved on model m:
// the baseline until the reform year, then the built-in scenario.
func (s *Setup) scenario(m *sim.Model) (sim.Scenario, error) {
	if s.reformYear() == 0 {
		return m.BaselineScenario(), nil
	}
	defs, err := experiments.Lookup([]string{s.Scenario})
	if err != nil {
		return nil, err
	}
	d := defs[0]
	shift := s.ReformYear - s.first() - 1 // phases From 1 start in model year ReformYear - first
	d.Name = "register"
	d.Phases = slices.Clone(d.Phases)
	for i := range d.Phases {
		d.Phases[i].From += shift
	}
	if len(d.Phases) == 0 { // a scheme-less scenario (model3): salaried rules from year 1 only
		return nil, fmt.Errorf("scenario %s has no phases to start in %d", s.Scenario, s.ReformYear)
	}
	return experiments.Resolve(d, m, !s.NoRebase)
}

// Sim is one simulated register: a panel and its municipality years.
type Sim struct {
	Panel *Panel
	Munis *MuniYears
}

// Simulate runs replications first, ..., first+n-1 of the model with
// parameters p under seed and returns each as a register panel in the
// format of DATA.md section 2 (ids are the engine's GP ids). Each
// replication's draws come from its own streams, so the panels do not
// depend on Workers.
func (s *Setup) Simulate(ctx context.Context, p params.Params, seed uint64, first, n int) ([]Sim, error) {
	m, sc, err := s.model(p)
	if err != nil {
		return nil, err
	}
	y0 := s.first()
	out := make([]Sim, n)
	for i := range out {
		out[i].Panel = &Panel{FirstYear: y0, LastYear: y0 + s.Years, HasIncome: true}
		out[i].Munis = &MuniYears{ByKey: map[MuniYearKey]MuniYear{}}
		out[i].Panel.Munis = make([]string, len(s.World.Municipalities))
		for j, wm := range s.World.Municipalities {
			out[i].Panel.Munis[j] = wm.Code
		}
	}
	workers := max(s.Workers, 1)
	cfg := sim.Config{
		Model: m, Scenarios: []sim.Scenario{sc}, Years: s.Years, Reps: first + n, Seed: seed, Workers: workers,
		Skip: func(rep int) bool { return rep < first },
		Observe: func(rep, _, t int, st *sim.State) {
			o := &out[rep-first]
			observe(o, s.World, y0+t, st)
		},
	}
	if _, err := sim.Run(ctx, cfg); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Panel.finish()
	}
	return out, nil
}

// model returns the model of the setup's world at parameters p and the
// rules of its years.
func (s *Setup) model(p params.Params) (*sim.Model, sim.Scenario, error) {
	m, err := sim.NewModel(s.World, p)
	if err != nil {
		return nil, nil, err
	}
	sc, err := s.scenario(m)
	if err != nil {
		return nil, nil, err
	}
	return m, sc, nil
}

// RunMetrics runs replications first, ..., first+n-1 of the model with
// parameters p under seed (the national engine, sim.Run) and returns their
// yearly records: Values[(rep*Years+t)*sim.NumMetrics+metric] for model
// years t = 0..s.Years, replications before first left zero. Each
// replication draws from its own streams, so the records do not depend on
// Workers.
func (s *Setup) RunMetrics(ctx context.Context, p params.Params, seed uint64, first, n int) (*sim.Output, error) {
	m, sc, err := s.model(p)
	if err != nil {
		return nil, err
	}
	cfg := sim.Config{
		Model: m, Scenarios: []sim.Scenario{sc}, Years: s.Years, Reps: first + n, Seed: seed, Workers: max(s.Workers, 1),
		Skip: func(rep int) bool { return rep < first },
	}
	outs, err := sim.Run(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return outs[0], nil
}

// observe appends the GPs holding slots in year (a register year) and the
// municipalities' counts to o.
func observe(o *Sim, w *world.World, year int, st *sim.State) {
	listed := make([]int64, len(st.Munis))
	vacant := make([]int64, len(st.Munis))
	for i := range st.Slots {
		sl := &st.Slots[i]
		if !sl.Held {
			vacant[sl.Muni]++
			continue
		}
		listed[sl.Muni] += sl.List
		o.Panel.Rows = append(o.Panel.Rows, slotRow(sl, year, int8(w.Municipalities[sl.Muni].Centrality)))
	}
	for m := range st.Munis {
		mu := &st.Munis[m]
		o.Munis.ByKey[MuniYearKey{w.Municipalities[m].Code, year}] = MuniYear{
			Population: mu.Pop, Orphans: mu.Pop - listed[m], Vacant: vacant[m],
		}
	}
}

// slotRow is the register row of the GP holding slot sl in register year
// (exit still to be derived from presence).
func slotRow(sl *sim.Slot, year int, centrality int8) Row {
	spec := int8(0)
	if sl.Specialist {
		spec = 1
	}
	return Row{
		GP: int32(sl.GP), Year: int32(year), Muni: sl.Muni, Centrality: centrality,
		Female: sl.Female, Salaried: sl.Salaried, Specialist: spec,
		BirthYear: int32(year - sl.Age), Ceiling: int32(sl.Ceiling), List: int32(sl.List),
		Capitation: sl.Cap, Fees: sl.Fees,
	}
}

// SubsetWorld returns the part of w whose municipality codes start with one
// of the prefixes (a county: the first two digits of a municipality number,
// e.g. "46" for Vestland), named after them. Slots keep their order.
func SubsetWorld(w *world.World, prefixes []string) (*world.World, error) {
	c := w.Clone()
	keep := map[int]int{}
	c.Municipalities = c.Municipalities[:0]
	for i, m := range w.Municipalities {
		for _, p := range prefixes {
			if p != "" && strings.HasPrefix(m.Code, p) {
				keep[i] = len(c.Municipalities)
				c.Municipalities = append(c.Municipalities, m)
				break
			}
		}
	}
	if len(c.Municipalities) == 0 {
		return nil, fmt.Errorf("world %s: no municipality code starts with %s", w.Name, strings.Join(prefixes, " or "))
	}
	c.Slots = c.Slots[:0]
	for _, s := range w.Slots {
		if j, ok := keep[s.Muni]; ok {
			s.Muni = j
			c.Slots = append(c.Slots, s)
		}
	}
	c.Name = w.Name + "-" + strings.Join(prefixes, "-")
	c.Notes = append(c.Notes, fmt.Sprintf("subset of %s: municipalities whose code starts with %s", w.Name, strings.Join(prefixes, ", ")))
	return c, nil
}

// nanMean returns the mean of the non-NaN values (NaN when none).
func nanMean(xs []float64) float64 {
	var s, n float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / n
}
