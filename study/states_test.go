package study

import (
	"context"
	"strings"
	"testing"

	"listetak/sim"
)

// TestStates checks that the saved states of a study (with a trace at the
// same time: both observers run) hold each chosen replication, year and
// scenario, that a saved state's year-0 stocks are the saved year's
// national values, and that out-of-range years and replications, a resume
// and a register world are refused.
func TestStates(t *testing.T) {
	s := finnmark(t)
	s.SaveYears, s.SaveReps, s.Trace = []int{3, 5, 3}, []int{1, 2}, []int{1}
	var outs []*sim.Output
	res, err := Execute(context.Background(), s, recordingStore{&outs}, Plan{}, Observer{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.States) != 2*2*2 || len(res.Traces) != 2 {
		t.Fatalf("%d states (want 8), %d traces (want 2)", len(res.States), len(res.Traces))
	}
	for _, ss := range res.States {
		if ss.World == nil || ss.World.SavedFrom.Replication != ss.Rep || ss.World.SavedFrom.Year != ss.Year || ss.World.Year != s.World.Year+ss.Year {
			t.Fatalf("state %s rep %d year %d: %+v", ss.Scenario, ss.Rep, ss.Year, ss.World)
		}
		m, err := sim.NewModel(ss.World, s.Params)
		if err != nil {
			t.Fatal(err)
		}
		o, err := sim.Run(context.Background(), sim.Config{Model: m, Years: 1, Reps: 1, Seed: 9, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		var src *sim.Output
		for _, x := range outs {
			if x.Scenario == ss.Scenario {
				src = x
			}
		}
		nm := int(sim.NumMetrics)
		for _, k := range []sim.Metric{sim.GPs, sim.Capacity, sim.Listed, sim.ListsWithoutGP, sim.OrphansOnVacantLists} {
			got, want := o[0].Values[k], src.Values[(ss.Rep*src.Years+ss.Year)*nm+int(k)]
			if got != want {
				t.Errorf("%s rep %d year %d: %s %v restarted, %v saved", ss.Scenario, ss.Rep, ss.Year, k, got, want)
			}
		}
	}
	for _, c := range []struct {
		years, reps []int
		want        string
	}{{[]int{6}, nil, "year 6 outside 1..5"}, {[]int{0}, nil, "year 0 outside"}, {[]int{2}, []int{4}, "replication 4 outside 0..3"}} {
		s.SaveYears, s.SaveReps, s.Trace = c.years, c.reps, nil
		if _, err := Execute(context.Background(), s, &MemStore{}, Plan{}, Observer{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("years %v reps %v: got %v, want %q", c.years, c.reps, err, c.want)
		}
	}
	s.SaveYears, s.SaveReps = []int{2}, nil
	if _, err := Execute(context.Background(), s, &MemStore{}, Plan{Resume: true}, Observer{}); err == nil {
		t.Error("saving states with resume: no error")
	}
	s.World.PersonalData = true
	if _, err := Execute(context.Background(), s, &MemStore{}, Plan{}, Observer{}); err == nil || !strings.Contains(err.Error(), "personal data") {
		t.Errorf("saving states of a register world: %v", err)
	}
}
