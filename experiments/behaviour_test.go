package experiments

import (
	"fmt"
	"math"
	"testing"

	"listetak/agents"
	"listetak/finance"
	"listetak/params"
	"listetak/sim"
	"listetak/world"
)

// reformWorld is one municipality with 200 GPs at ceiling 600 and 200 at
// 1,500, every list full, and 100,000 unlisted residents seeking a GP, under
// flat capitation 499 (the 2019 report's starting point, so no re-basing).
func reformWorld() *world.World {
	w := &world.World{Name: "reform", NokIndex: 1, Baseline: finance.Spec{Rate: 499}}
	var listed int64
	for i := range 400 {
		c := 600
		if i%2 == 1 {
			c = 1500
		}
		w.Slots = append(w.Slots, world.Slot{ID: fmt.Sprint(i), Held: true, List: c, Ceiling: world.Some(c), Age: 45, Female: i%4 < 2})
		listed += int64(c)
	}
	w.Municipalities = []world.Municipality{{Code: "0001", Population: listed + 100_000, Centrality: 1, Growth: world.Some(0.0)}}
	return w
}

// firstYear runs year 1 of scenario name for reps replications and returns
// the mean ceiling change of the original GPs with starting ceiling 600 and
// 1,500, and the mean capacity change from ceiling choices.
func firstYear(t *testing.T, p params.Params, name string, reps int) (low, high, dCeil float64) {
	t.Helper()
	m, err := sim.NewModel(reformWorld(), p)
	if err != nil {
		t.Fatal(err)
	}
	defs, err := Lookup([]string{name})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Resolve(defs[0], m, true)
	if err != nil {
		t.Fatal(err)
	}
	st := sim.NewState(m)
	rec := make([]float64, sim.NumMetrics)
	var nLow, nHigh int
	for rep := range reps {
		st.Reset(1, rep, nil)
		start := make([]int64, len(st.Slots))
		for i, s := range st.Slots {
			start[i] = s.Ceiling
		}
		st.Step(sc.Rules(1), rec)
		dCeil += rec[sim.CapacityChangeCeilings] / float64(reps)
		for i := range start {
			s := st.Slots[i]
			if !s.Held || s.ContractAge <= 1 { // left, or a new GP in the slot (contract age 1 after step 8)
				continue
			}
			d := float64(s.Ceiling - start[i])
			if start[i] == 600 {
				low += d
				nLow++
			} else {
				high += d
				nHigh++
			}
		}
	}
	return low / float64(nLow), high / float64(nHigh), dCeil
}

// Under 1aix (marginal capitation 550 below 1,000 and 110 above, against 499
// today) GPs well below the breakpoint raise their ceilings and GPs well
// above it lower them. The changes are averaged over 400 GPs x 5
// replications; a direction is required to exceed 10 persons per GP, well
// above the noise of zero-mean changes (the baseline moves them by less
// than 1, see TestNoReformNoMove).
func TestBreakpointDirections(t *testing.T) {
	p := params.Reference2019()
	p.ApproveHi, p.ApproveLo = 1, 1
	low, high, _ := firstYear(t, p, "1aix", 5)
	if low <= 10 {
		t.Errorf("GPs at 600 change their ceilings by %.1f on average; want a rise", low)
	}
	if high >= -10 {
		t.Errorf("GPs at 1,500 change their ceilings by %.1f on average; want a fall", high)
	}
}

// Without a reform nobody moves in year 1: the starting-state draws make
// every observed ceiling optimal.
func TestNoReformNoMove(t *testing.T) {
	p := params.Reference2019()
	low, high, d := firstYear(t, p, "baseline", 3)
	if math.Abs(low) > 1 || math.Abs(high) > 1 || math.Abs(d) > 100 {
		t.Errorf("baseline year 1 moves ceilings: %.2f / %.2f, capacity %v", low, high, d)
	}
}

// Loss aversion damps the first-year reductions under 1aix: with lambda = 3
// for everyone capacity falls less than with lambda = 1.
func TestLossAversionDampsReductions(t *testing.T) {
	p := params.Reference2019()
	p.ApproveHi, p.ApproveLo = 1, 1
	p.LossSigma = 0
	p.LossMedian = 0 // lambda = 1
	_, high1, _ := firstYear(t, p, "1aix", 5)
	p.LossMedian = 2 // lambda = 3
	_, high3, _ := firstYear(t, p, "1aix", 5)
	if !(high3 > high1) || high1 >= 0 {
		t.Errorf("mean change at 1,500: lambda=3 %.1f, lambda=1 %.1f; want smaller reductions with loss aversion", high3, high1)
	}
}

// With approval probabilities 0 no ceiling falls below its list and no
// person is released by a ceiling change.
func TestNoApprovalNoRelease(t *testing.T) {
	p := params.Reference2019()
	p.ApproveHi, p.ApproveLo = 0, 0
	p.Q0, p.RetireAge50 = 0, 1000 // no exits, so no entrant releases persons either
	m, err := sim.NewModel(reformWorld(), p)
	if err != nil {
		t.Fatal(err)
	}
	defs, _ := Lookup([]string{"1aix"})
	sc, _ := Resolve(defs[0], m, true)
	st := sim.NewState(m)
	rec := make([]float64, sim.NumMetrics)
	for rep := range 3 {
		st.Reset(1, rep, nil)
		st.Step(sc.Rules(1), rec)
		if rec[sim.PersonsReleased] != 0 || rec[sim.CeilingsLowered] != 0 {
			t.Fatalf("released %v persons, lowered %v ceilings", rec[sim.PersonsReleased], rec[sim.CeilingsLowered])
		}
		if rec[sim.CeilingsRefused] == 0 {
			t.Fatal("no application was refused: the test does not exercise the friction")
		}
		for _, s := range st.Slots {
			if s.Held && s.List > s.Ceiling {
				t.Fatalf("list %d above ceiling %d", s.List, s.Ceiling)
			}
		}
	}
}

// The income effect: with eta > 0 a GP whose last-year income rose chooses a
// lower ceiling (leisure is worth more); with eta = 0 the same ceiling.
func TestIncomeEffect(t *testing.T) {
	for _, eta := range []float64{0.3, 0} {
		p := params.Reference2019()
		p.Eta = eta
		y := new(agents.Year)
		y.Reset(&p, finance.Rules{Capitation: finance.Flat{Rate: 499}}, 1, []agents.Class{{Extra: 300}})
		c := agents.Chooser{Lambda: 1, Sigma: 1e9} // no staff step within the grid
		c.W = agents.EffectiveLeisure(&p, 740, 1.0e6)
		before := y.Choose(c)
		c.W = agents.EffectiveLeisure(&p, 740, 1.6e6)
		after := y.Choose(c)
		switch {
		case eta > 0 && !(after < before):
			t.Errorf("eta %v: ceiling %v after an income rise, %v before; want lower", eta, y.Grid[after], y.Grid[before])
		case eta == 0 && after != before:
			t.Errorf("eta 0: ceiling moved from %v to %v", y.Grid[before], y.Grid[after])
		}
	}
}

// Model 3: a self-employed slot left vacant for two whole years is
// converted to a salaried one in the third year's entry step, and a
// salaried GP's pay is the salary plus the activity bonus per listed person.
func TestSalariedModel(t *testing.T) {
	p := params.Reference2019()
	p.Alpha0 = -1000 // no candidate ever takes a slot
	p.Kappa = 0      // no new slots
	w := &world.World{Name: "m3", NokIndex: 1, Baseline: finance.Spec{Rate: 499}}
	w.Municipalities = []world.Municipality{{Code: "0001", Population: 2000, Centrality: 6, Growth: world.Some(0.0)}}
	sal := world.Slot{ID: "s", Held: true, List: 800, Ceiling: world.Some(800), Age: 40, Salaried: true}
	w.Slots = []world.Slot{{ID: "v", List: 500}, sal}
	m, err := sim.NewModel(w, p)
	if err != nil {
		t.Fatal(err)
	}
	rules := m.Baseline
	rules.Salaried = finance.Salaried{ConvertAfter: 2, Bonus: 100}
	st := sim.NewState(m)
	st.Reset(1, 0, nil)
	rec := make([]float64, sim.NumMetrics)
	for year, want := range []float64{0, 0, 1, 0} {
		st.Step(rules, rec)
		if rec[sim.SlotsConverted] != want {
			t.Fatalf("year %d: %v slots converted, want %v", year+1, rec[sim.SlotsConverted], want)
		}
	}
	if !st.Slots[0].Salaried {
		t.Fatal("the vacant slot was not converted")
	}
	if s := st.Slots[1]; s.Held && s.Net != p.Salary+100*float64(s.List) {
		t.Fatalf("salaried pay %v, want %v", s.Net, p.Salary+100*float64(s.List))
	}
}
