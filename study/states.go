package study

import (
	"errors"
	"fmt"
	"slices"

	"listetak/params"
	"listetak/sim"
	"listetak/world"
)

// SavedState is one replication's simulated state after a model year
// under one scenario, as a world (sim.State.Snapshot; docs/formats.md "A
// saved state").
type SavedState struct {
	Scenario string
	Rep      int
	Year     int
	World    *world.World
}

// saveReps returns the replications whose states are saved.
func (s *Study) saveReps() []int {
	if s.SaveReps == nil {
		return []int{0}
	}
	return s.SaveReps
}

// checkStates refuses saved states the plan cannot make: as a trace, their
// replications must run in this execution, on a world not built from a
// register, and years and replications must be in range.
func (s *Study) checkStates(plan Plan) error {
	if len(s.SaveYears) == 0 {
		return nil
	}
	if err := s.recordsGPs("saving states", plan); err != nil {
		return err
	}
	var errs []error
	for _, y := range s.SaveYears {
		if y < 1 || y > s.Years {
			errs = append(errs, fmt.Errorf("study: save-state year %d outside 1..%d", y, s.Years))
		}
	}
	for _, r := range s.saveReps() {
		if r < 0 || r >= s.Reps {
			errs = append(errs, fmt.Errorf("study: save-state replication %d outside 0..%d", r, s.Reps-1))
		}
	}
	return errors.Join(errs...)
}

// states adds the saved states of s.SaveYears and s.SaveReps to res and an
// observer filling them to cfg (after any observer already there). Each
// state is filled by the one worker running its replication and scenario,
// into its own place.
func (s *Study) states(cfg *sim.Config, res *Result) {
	reps, years := s.saveReps(), slices.Sorted(slices.Values(s.SaveYears))
	years = slices.Compact(years)
	at := map[[3]int]int{} // (rep, year, scenario) -> index in res.States
	for _, rep := range reps {
		for _, y := range years {
			for si, d := range s.Scenarios {
				k := [3]int{rep, y, si}
				if _, dup := at[k]; dup {
					continue
				}
				at[k] = len(res.States)
				res.States = append(res.States, SavedState{Scenario: d.Name, Rep: rep, Year: y})
			}
		}
	}
	prev := cfg.Observe
	cfg.Observe = func(rep, si, year int, st *sim.State) {
		if prev != nil {
			prev(rep, si, year, st)
		}
		i, ok := at[[3]int{rep, year, si}]
		if !ok {
			return
		}
		model := st.P.Model
		if model == "" {
			model = params.ModelV2
		}
		ss := &res.States[i]
		ss.World = st.Snapshot(world.SavedFrom{World: s.World.Name, Scenario: ss.Scenario, Replication: rep, Year: year,
			Seed: s.Seed, Model: string(model)})
	}
}
