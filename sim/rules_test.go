package sim

import (
	"context"
	"math"
	"testing"

	"listetak/finance"
	"listetak/params"
	"listetak/world"
)

// gp returns a held self-employed slot with every agent value given, so
// the starting state draws nothing.
func gp(list, ceiling, age int, w float64) world.Slot {
	return world.Slot{
		Held: true, List: list, Ceiling: world.Some(ceiling), Age: age,
		LeisureValue: world.Some(w), LossAversion: world.Some(1.0),
		StaffStep: world.Some(1000.0), ReferenceIncome: world.Some(1e6),
	}
}

func oneMuni(pop int64, slots ...world.Slot) *world.World {
	w := &world.World{Name: "t", NokIndex: 1, Baseline: finance.Spec{Rate: 499}}
	w.Municipalities = []world.Municipality{{Code: "0001", Population: pop, Centrality: 1, Growth: world.Some(0.0)}}
	for i := range slots {
		slots[i].ID = string(rune('a' + i%26))
	}
	w.Slots = slots
	return w
}

func newState(t *testing.T, w *world.World, p params.Params, rep int) *State {
	t.Helper()
	m, err := NewModel(w, p)
	if err != nil {
		t.Fatal(err)
	}
	s := NewState(m)
	s.Reset(1, rep, nil)
	return s
}

// prepare runs step 1 of year 1 so that a single step can be tested.
func prepare(s *State) keys {
	s.Year = 1
	s.y.Reset(s.P, s.M.Baseline, 1, s.M.Classes)
	s.equalisation(s.M.Baseline)
	ky := s.key.Named("year").Index(1)
	return keys{approval: ky.Named("approval"), exit: ky.Named("exit"), entry: ky.Named("entry"), churn: ky.Named("churn"), flows: ky.Named("flows")}
}

// A GP with a very high leisure value wants the smallest ceiling (300); 700
// persons would leave its list. Approval has probability pi_hi when the
// other GPs' free places can take them, pi_lo otherwise (MODEL.md step 3).
func TestApprovalFriction(t *testing.T) {
	p := params.Reference2019()
	p.ApproveHi, p.ApproveLo = 1, 0
	other := func(list, ceiling int) world.Slot {
		s := gp(list, ceiling, 45, 700)
		s.Salaried = true
		return s
	}
	// Room for all 700 with the other GP (1,000 free places): always granted.
	s := newState(t, oneMuni(3000, gp(1000, 1000, 45, 1e6), other(500, 1500)), p, 0)
	s.ceilings(prepare(s).approval)
	if sl := s.Slots[0]; sl.Ceiling != 300 || sl.List != 300 || s.Munis[0].Released != 700 {
		t.Fatalf("granted: ceiling %d, list %d, released %d; want 300, 300, 700", sl.Ceiling, sl.List, s.Munis[0].Released)
	}
	// Only 500 free places elsewhere: refused, nothing changes.
	s = newState(t, oneMuni(3000, gp(1000, 1000, 45, 1e6), other(1000, 1500)), p, 0)
	s.ceilings(prepare(s).approval)
	if sl := s.Slots[0]; sl.Ceiling != 1000 || sl.List != 1000 || s.Munis[0].Released != 0 || s.count.refused != 1 {
		t.Fatalf("refused: ceiling %d, list %d, released %d", sl.Ceiling, sl.List, s.Munis[0].Released)
	}
	// X = 0 (the list already fits under the new ceiling): granted at once.
	s = newState(t, oneMuni(3000, gp(250, 1000, 45, 1e6), other(1000, 1000)), p, 0)
	s.ceilings(prepare(s).approval)
	if sl := s.Slots[0]; sl.Ceiling != 300 || sl.List != 250 {
		t.Fatalf("X = 0: ceiling %d, list %d", sl.Ceiling, sl.List)
	}
}

// The approval probability pi_hi = 0.9 over 4,000 independent replications:
// the share granted lies within 4 standard errors (4*sqrt(0.09/4000) = 0.019).
func TestApprovalProbability(t *testing.T) {
	p := params.Reference2019()
	w := oneMuni(3000, gp(1000, 1000, 45, 1e6), func() world.Slot { s := gp(500, 1500, 45, 700); s.Salaried = true; return s }())
	m, err := NewModel(w, p)
	if err != nil {
		t.Fatal(err)
	}
	s := NewState(m)
	const n = 4000
	granted := 0
	for rep := range n {
		s.Reset(1, rep, nil)
		s.ceilings(prepare(s).approval)
		if s.Slots[0].Ceiling == 300 {
			granted++
		}
	}
	if f := float64(granted) / n; math.Abs(f-0.9) > 0.019 {
		t.Fatalf("granted share %v, want 0.9 ± 0.019", f)
	}
}

// Placement: with enough seekers every free place is filled; with too few,
// every seeker is placed and no list passes its ceiling (MODEL.md step 7).
func TestPlacement(t *testing.T) {
	p := params.Reference2019()
	p.Chi, p.Psi = 0, 1 // every unlisted person seeks, nobody churns
	lists := []world.Slot{gp(500, 1000, 45, 700), gp(900, 1000, 45, 700), gp(100, 1200, 45, 700)}
	// 2,600 free places... no: 500+100+1,100 = 1,700 free; 3,000 unlisted.
	s := newState(t, oneMuni(1500+3000, lists...), p, 0)
	k := prepare(s)
	s.flows(k.churn, k.flows)
	for i, sl := range s.Slots {
		if sl.List != sl.Ceiling {
			t.Fatalf("enough seekers: GP %d list %d, ceiling %d", i, sl.List, sl.Ceiling)
		}
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	// 100 unlisted persons for 1,700 free places.
	for rep := range 50 {
		s = newState(t, oneMuni(1500+100, append([]world.Slot(nil), lists...)...), p, rep)
		k = prepare(s)
		s.flows(k.churn, k.flows)
		var listed int64
		for _, sl := range s.Slots {
			listed += sl.List
		}
		if listed != 1600 || s.Munis[0].Unlisted != 0 {
			t.Fatalf("few seekers: listed %d (want 1,600), unlisted %d", listed, s.Munis[0].Unlisted)
		}
		if err := s.Check(); err != nil {
			t.Fatal(err)
		}
	}
}

// Entry: with alpha0 = alphaY = alphaC = 0 a vacant slot is filled with
// probability 1/2; 4,000 vacant slots give 2,000 ± 4*sqrt(1,000) = 126.
func TestEntryProbability(t *testing.T) {
	p := params.Reference2019()
	p.Alpha0, p.AlphaY, p.AlphaC = 0, 0, 0
	p.Kappa = 0 // no new slots
	var slots []world.Slot
	for range 4000 {
		slots = append(slots, world.Slot{List: 10})
	}
	s := newState(t, oneMuni(40_000, slots...), p, 0)
	rec := make([]float64, NumMetrics)
	s.Step(s.M.Baseline, rec)
	if e := rec[Entries]; math.Abs(e-2000) > 126 {
		t.Fatalf("entries %v, want 2,000 ± 126", e)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

// Exits: 4,000 GPs aged 68 retire with probability 1/2 (2,000 ± 126); GPs
// aged 30 with q0 = 0.1 and beta_H = beta_Y = 0 leave with probability
// 0.1 + p_ret(30) (400 ± 4*sqrt(4000*0.09) = 76).
func TestExitHazards(t *testing.T) {
	for _, c := range []struct {
		age       int
		q0        float64
		retire    float64
		other     float64
		tolRetire float64
		tolOther  float64
	}{
		{68, 0, 2000, 0, 126, 0},
		{30, 0.1, 0, 400, 1, 76},
	} {
		p := params.Reference2019()
		p.Q0, p.BetaH, p.BetaY = c.q0, 0, 0
		var slots []world.Slot
		for range 4000 {
			s := gp(1000, 1000, c.age, 700)
			s.Salaried = true
			slots = append(slots, s)
		}
		s := newState(t, oneMuni(4_000_000, slots...), p, 0)
		k := prepare(s)
		s.count = counters{}
		s.exits(k.exit)
		if r := float64(s.count.exitsRet); math.Abs(r-c.retire) > c.tolRetire {
			t.Errorf("age %d: retirements %v, want %v ± %v", c.age, r, c.retire, c.tolRetire)
		}
		if o := float64(s.count.exitsOther); math.Abs(o-c.other) > c.tolOther {
			t.Errorf("age %d: other exits %v, want %v ± %v", c.age, o, c.other, c.tolOther)
		}
	}
}

// Runs are bit-identical for any number of workers and for the same seed;
// another seed differs.
func TestWorkersAndSeeds(t *testing.T) {
	m, err := NewModel(testWorld(20, 2), params.Reference2019())
	if err != nil {
		t.Fatal(err)
	}
	run := func(workers int, seed uint64) []float64 {
		outs, err := Run(context.Background(), Config{Model: m, Years: 10, Reps: 12, Seed: seed, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return outs[0].Values
	}
	a, b, c := run(1, 5), run(4, 5), run(3, 6)
	same := func(x, y []float64) bool {
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return false
			}
		}
		return true
	}
	if !same(a, b) {
		t.Fatal("1 and 4 workers differ")
	}
	if same(a, c) {
		t.Fatal("seeds 5 and 6 give identical results")
	}
}

// The embedded worlds start in their observed state: every invariant holds
// every year, and in the baseline year 1 the ceiling choices alone move
// capacity by less than 0.5 % (no start-up jump).
func TestEmbeddedWorlds(t *testing.T) {
	for _, name := range world.EmbeddedNames() {
		w, err := world.Embedded(name)
		if err != nil {
			t.Fatal(err)
		}
		m, err := NewModel(w, params.Reference2019())
		if err != nil {
			t.Fatal(err)
		}
		outs, err := Run(context.Background(), Config{Model: m, Years: 20, Reps: 2, Seed: 1, Check: true})
		if err != nil {
			t.Fatal(err)
		}
		o := outs[0]
		for rep := range o.Reps {
			y1 := o.Values[(rep*o.Years+1)*int(NumMetrics):][:NumMetrics]
			y0 := o.Values[rep*o.Years*int(NumMetrics):][:NumMetrics]
			if share := math.Abs(y1[CapacityChangeCeilings]) / y0[Capacity]; share >= 0.005 {
				t.Errorf("%s rep %d: year-1 capacity change from ceilings %v (%.3f %% of capacity)", name, rep, y1[CapacityChangeCeilings], 100*share)
			}
			t.Logf("%s rep %d year 1: capacity %v; change from ceilings %v, exits %v, entries %v; new slots %v; unreached %d",
				name, rep, y0[Capacity], y1[CapacityChangeCeilings], y1[CapacityChangeExits], y1[CapacityChangeEntries], y1[NewSlots], o.Unreached[rep])
		}
	}
}

// Shrinking municipalities (G_m < 0) remove persons from lists, orphan lists
// and the unlisted; persons stay conserved and the population falls by
// exactly round(g*P) a year.
func TestDecline(t *testing.T) {
	w := testWorld(8, 5)
	for i := range w.Municipalities {
		w.Municipalities[i].Growth = world.Some(-0.03)
	}
	m, err := NewModel(w, params.Reference2019())
	if err != nil {
		t.Fatal(err)
	}
	st := NewState(m)
	st.Reset(1, 0, nil)
	for range 10 {
		before := make([]int64, len(st.Munis))
		for i, mu := range st.Munis {
			before[i] = mu.Pop
		}
		st.Step(m.Baseline, nil)
		if err := st.Check(); err != nil {
			t.Fatal(err)
		}
		for i, mu := range st.Munis {
			if want := before[i] + int64(math.Round(-0.03*float64(before[i]))); mu.Pop != want {
				t.Fatalf("municipality %d: population %d, want %d", i, mu.Pop, want)
			}
		}
	}
}
