package sim

// Observer sees the state of one replication of one scenario after year 0
// (the starting state, after Reset) and after every simulated year's
// record (step 9), from the worker goroutine that runs it. scenario is the
// scenario's index in Config.Scenarios. Calls for different replications
// may run concurrently; calls for one replication and scenario come in year
// order. The observer must not modify st or keep it after returning (the
// worker reuses it); what it records it must store by (rep, scenario, year),
// never in arrival order, so that results stay bit-identical for any number
// of workers. Calibration uses it to read GP-level panels (package
// calibrate).
type Observer func(rep, scenario, year int, st *State)

// observe calls the configured observer, if any, for scenario sc.
func (cfg Config) observe(rep int, sc Scenario, year int, st *State) {
	if cfg.Observe == nil {
		return
	}
	idx := 0
	for i, s := range cfg.Scenarios {
		if s.Name() == sc.Name() { // names are unique within a run
			idx = i
			break
		}
	}
	cfg.Observe(rep, idx, year, st)
}

// assignGP gives the GP now holding slot sl the next stable id
// (Slot.GP): a year-0 holder at Reset, an entrant in step 6. Vacant slots
// get 0. Ids depend only on the order of slots and entries, both fixed by
// the replication's own draws, so they are the same for any number of
// workers.
func (s *State) assignGP(sl *Slot) {
	if !sl.Held {
		sl.GP = 0
		return
	}
	s.nextGP++
	sl.GP = s.nextGP
}
