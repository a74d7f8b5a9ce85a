package sim

import (
	"context"
	"testing"

	"listetak/params"
)

// TestObserveGPIDs checks the observer hook and the stable GP ids: the
// records are the same with and without an observer, ids are unique among
// the GPs of a year, a GP keeps its id and its slot from year to year, and
// an id never returns after its GP left.
func TestObserveGPIDs(t *testing.T) {
	m, err := NewModel(testWorld(6, 3), params.Reference2019())
	if err != nil {
		t.Fatal(err)
	}
	const reps, years = 3, 8
	type seen struct{ slot, year int }
	ids := make([]map[int64]seen, reps)
	for i := range ids {
		ids[i] = map[int64]seen{}
	}
	errs := make(chan string, 100)
	cfg := Config{Model: m, Years: years, Reps: reps, Seed: 5, Workers: 2,
		Observe: func(rep, scenario, year int, st *State) {
			byYear := map[int64]bool{}
			for j := range st.Slots {
				sl := &st.Slots[j]
				if !sl.Held {
					if sl.GP != 0 {
						errs <- "vacant slot with an id"
					}
					continue
				}
				if byYear[sl.GP] || sl.GP == 0 {
					errs <- "duplicate or zero id"
				}
				byYear[sl.GP] = true
				if s, ok := ids[rep][sl.GP]; ok && (s.slot != j || s.year != year-1) {
					errs <- "an id moved slot or came back after a gap"
				}
				ids[rep][sl.GP] = seen{j, year}
			}
		}}
	with, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	cfg.Observe = nil
	without, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range with[0].Values {
		if v != without[0].Values[i] && !(v != v && without[0].Values[i] != without[0].Values[i]) {
			t.Fatalf("value %d differs with an observer: %v vs %v", i, v, without[0].Values[i])
		}
	}
}
