package experiments

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"listetak/finance"
	"listetak/params"
	"listetak/sim"
	"listetak/world"
)

// smallWorld is one municipality of 10,000 with four self-employed GPs
// (lists 400, 800, 1,200, 1,600) and one salaried GP (700): 4,700 listed,
// flat baseline NOK 499, money index 1 (fee NOK 1,400 per listed person).
//
// Baseline spending on the starting lists: (499 + 1,400) * 4,700 =
// 8,925,300. Capitation of the shape 5 up to 1,000 and 1 above:
// 2,000 + 4,000 + 5,200 + 5,600 + 3,500 = 20,300 per unit factor.
func smallWorld() *world.World {
	gp := func(list, ceiling, age int, female bool) world.Slot {
		return world.Slot{Held: true, List: list, Ceiling: world.Some(ceiling), Age: age, Female: female}
	}
	sal := gp(700, 800, 50, true)
	sal.Salaried = true
	w := &world.World{Name: "small", Year: 2019, NokIndex: 1, Baseline: finance.Spec{Rate: 499}}
	w.Municipalities = []world.Municipality{{Code: "0001", Population: 10_000, Centrality: 1, Growth: world.Some(0.0)}}
	w.Slots = []world.Slot{gp(400, 600, 35, true), gp(800, 1000, 45, false), gp(1200, 1200, 52, true), gp(1600, 1800, 60, false), sal}
	for i := range w.Slots {
		w.Slots[i].ID = string(rune('a' + i))
	}
	return w
}

const (
	smallListed   = 4700.0
	smallBaseline = (499 + 1400) * smallListed
	smallShape    = 20300.0 // capitation of breakpointShape on the starting lists
)

var breakpointShape = finance.Spec{Breaks: []float64{1000}, Rates: []float64{5, 1}}

func solveModel(t *testing.T, w *world.World, p params.Params) *sim.Model {
	t.Helper()
	m, err := sim.NewModel(w, p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func solve(t *testing.T, m *sim.Model, spec SolveSpec) *SolveResult {
	t.Helper()
	r, err := Solve(context.Background(), m, spec)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func near(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b)) }

// Static mode against hand-computed answers on the small world.
func TestSolveStatic(t *testing.T) {
	m := solveModel(t, smallWorld(), params.Reference2019())
	fees := 1400 * smallListed
	for _, c := range []struct {
		name       string
		spec       SolveSpec
		k, s       float64
		rates      []float64
		capitation float64
	}{
		// The flat shape with rate 1 recovers the baseline rate.
		{"flat", SolveSpec{Shape: finance.Spec{Rate: 1}}, 499, 1, []float64{499}, 499 * smallListed},
		// A one-rate Rates list is flat too.
		{"flat rates", SolveSpec{Shape: finance.Spec{Rates: []float64{2}}}, 249.5, 1, []float64{499}, 499 * smallListed},
		// k * 20,300 = 499 * 4,700.
		{"breakpoint", SolveSpec{Shape: breakpointShape}, 499 * smallListed / smallShape, 1,
			[]float64{5 * 499 * smallListed / smallShape, 499 * smallListed / smallShape}, 499 * smallListed},
		// Extra 203,000 adds 203,000 / 20,300 = 10 to k.
		{"extra", SolveSpec{Shape: breakpointShape, Extra: 203_000}, 499*smallListed/smallShape + 10, 1, nil, 499*smallListed + 203_000},
		// A guarantee of 500 pays the 400-list as 500: 20,300 + 5*100.
		{"guarantee", SolveSpec{Shape: withGuarantee(breakpointShape, finance.GuaranteeSpec{Persons: 500})},
			499 * smallListed / 20800, 1, nil, 499 * smallListed},
		// Capitation share 1/2: capitation = fees = target/2.
		{"share", SolveSpec{Shape: breakpointShape, CapShare: 0.5, Extra: 74_700},
			(smallBaseline + 74_700) / 2 / smallShape, (smallBaseline + 74_700) / 2 / fees, nil, (smallBaseline + 74_700) / 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := solve(t, m, c.spec)
			target := smallBaseline + c.spec.Extra
			if !near(r.Factor, c.k, 1e-12) || !near(r.FeeScale, c.s, 1e-12) {
				t.Errorf("factor %v, fee scale %v; want %v, %v", r.Factor, r.FeeScale, c.k, c.s)
			}
			if !near(r.Target, target, 1e-12) || !near(r.Achieved, target, 1e-12) {
				t.Errorf("target %v, achieved %v; want %v", r.Target, r.Achieved, target)
			}
			if !near(r.Capitation, c.capitation, 1e-12) || !near(r.Fees, target-c.capitation, 1e-12) {
				t.Errorf("capitation %v, fees %v; want %v, %v", r.Capitation, r.Fees, c.capitation, target-c.capitation)
			}
			for i, want := range c.rates {
				if len(r.Rates) != len(c.rates) || !near(r.Rates[i], want, 1e-12) {
					t.Fatalf("rates %v, want %v", r.Rates, c.rates)
				}
			}
			if r.Mode != ModeStatic || r.Iterations != 0 || r.MCError != 0 {
				t.Errorf("mode %q, iterations %d, MC error %v", r.Mode, r.Iterations, r.MCError)
			}
			// The solved spec, priced on its own, gives the same spending.
			if got := m.Start().Spending(r.Spec.Rules(m.Baseline.Equalisation, r.FeeScale)); !near(got, target, 1e-12) {
				t.Errorf("solved spec spends %v, want %v", got, target)
			}
		})
	}
	// The shape is not modified.
	if breakpointShape.Rates[0] != 5 || breakpointShape.Rates[1] != 1 {
		t.Fatalf("shape modified: %v", breakpointShape.Rates)
	}
}

func TestSolveErrors(t *testing.T) {
	m := solveModel(t, smallWorld(), params.Reference2019())
	// Every problem at once, each naming its field.
	err := SolveSpec{Shape: finance.Spec{Breaks: []float64{1000}, Rates: []float64{1}}, Extra: math.NaN(), CapShare: 1, Mode: "fast"}.Validate()
	for _, f := range []string{"shape.rates", "extra", "cap_share", "mode"} {
		if err == nil || !strings.Contains(err.Error(), f) {
			t.Errorf("error %v does not name %s", err, f)
		}
	}
	err = SolveSpec{Shape: finance.Spec{Rate: 1}, Mode: ModeDynamic, Year: -1, Workers: -2, Tol: 1}.Validate()
	for _, f := range []string{"year", "reps", "workers", "tol"} {
		if err == nil || !strings.Contains(err.Error(), f) {
			t.Errorf("error %v does not name %s", err, f)
		}
	}
	if err := (SolveSpec{Shape: finance.Spec{Rate: 0}}).Validate(); err == nil || !strings.Contains(err.Error(), "shape") {
		t.Errorf("zero shape: %v", err)
	}
	// Fees alone exceed the target: no positive factor.
	if _, err := Solve(context.Background(), m, SolveSpec{Shape: finance.Spec{Rate: 1}, Extra: -499 * smallListed}); err == nil {
		t.Error("target at the fees accepted")
	}
	// A shape that pays nothing on these lists (rate only above 5,000).
	if _, err := Solve(context.Background(), m, SolveSpec{Shape: finance.Spec{Breaks: []float64{5000}, Rates: []float64{0, 1}}}); err == nil {
		t.Error("shape paying nothing accepted")
	}
}

// frozenParams switch off everything that moves lists: no churn, no
// seekers, no retirements or quits, no new slots, and reductions of
// ceilings always refused (raised ceilings do not fill without seekers).
// Spending then equals static spending every year.
func frozenParams() params.Params {
	p := params.Reference2019()
	p.Chi, p.Psi = 0, 0
	p.ApproveHi, p.ApproveLo = 0, 0
	p.RetireAge50, p.Q0 = 1000, 0
	p.Kappa, p.MinGPsSmall, p.MinGPsOther = 0, 0, 0
	p.Growth = 0
	return p
}

// Dynamic mode on the frozen small world equals static mode to 1e-9,
// also when started far from the answer (which exercises the root finder
// and the share iteration on a linear problem).
func TestSolveDynamicFrozen(t *testing.T) {
	m := solveModel(t, smallWorld(), frozenParams())
	for _, shape := range []finance.Spec{breakpointShape, {Rate: 1}} {
		for _, share := range []float64{0, 0.4} {
			for _, perturb := range []float64{1, 1.7, 0.3} {
				spec := SolveSpec{Shape: shape, Extra: 150_000, CapShare: share, Mode: ModeDynamic, Year: 3, Reps: 3, Seed: 5, Tol: 1e-11}
				st := solve(t, m, SolveSpec{Shape: shape, Extra: 150_000, CapShare: share})
				dy, err := solveDynamic(context.Background(), m, spec, st.Factor*perturb, st.FeeScale/perturb)
				if err != nil {
					t.Fatal(err)
				}
				if perturb == 1 {
					if viaSolve := solve(t, m, spec); viaSolve.Factor != dy.Factor || viaSolve.FeeScale != dy.FeeScale {
						t.Errorf("Solve and solveDynamic from the static answer differ: %+v, %+v", viaSolve, dy)
					}
				}
				if !near(dy.Factor, st.Factor, 1e-9) || !near(dy.FeeScale, st.FeeScale, 1e-9) ||
					!near(dy.Achieved, st.Achieved, 1e-9) || !near(dy.Target, st.Target, 1e-9) || !near(dy.Capitation, st.Capitation, 1e-9) {
					t.Errorf("shape %v share %v start x%v: dynamic k %v s %v (target %v achieved %v), static k %v s %v (target %v achieved %v)",
						shape, share, perturb, dy.Factor, dy.FeeScale, dy.Target, dy.Achieved, st.Factor, st.FeeScale, st.Target, st.Achieved)
				}
				if perturb == 1 && dy.Iterations != 1 {
					t.Errorf("started at the answer: %d runs, want 1", dy.Iterations)
				}
				if dy.MCError != 0 || dy.TargetError != 0 || dy.Year != 3 || dy.Reps != 3 {
					t.Errorf("frozen: MC error %v, target error %v, year %d, reps %d", dy.MCError, dy.TargetError, dy.Year, dy.Reps)
				}
				t.Logf("shape %v share %v start x%v: %d runs", shape, share, perturb, dy.Iterations)
			}
		}
	}
}

// behaviourWorld is a world of 240 GPs in three municipalities, with the
// default behaviour: lists move every year.
func behaviourWorld() *world.World {
	w := &world.World{Name: "behaviour", Year: 2019, NokIndex: 1, Baseline: finance.Spec{Rate: 499}}
	var listed [3]int64
	for i := range 240 {
		mu := i % 3
		ceiling := 600 + 50*((i*37)%29)
		list := ceiling - 10*((i*13)%17)
		s := world.Slot{ID: "g" + string(rune('A'+i/26)) + string(rune('a'+i%26)), Muni: mu, Held: true, List: list, Ceiling: world.Some(ceiling),
			Age: 30 + (i*7)%35, Female: i%5 < 3, Specialist: i%4 != 0, Salaried: i%10 == 0}
		w.Slots = append(w.Slots, s)
		listed[mu] += int64(list)
	}
	for mu := range 3 {
		w.Municipalities = append(w.Municipalities, world.Municipality{
			Code: "000" + string(rune('1'+mu)), Population: listed[mu] * 105 / 100, Centrality: 1 + 2*mu})
	}
	return w
}

// Dynamic mode with behaviour: the baseline's own scheme as the shape (flat
// rate 1) recovers the baseline rate. With common random numbers the
// baseline and the trial at k = 499 run identical rules on identical
// draws, so their spending is identical; the static start is 499 up to
// rounding and the first run meets the target. Started 40 % off, the root
// finder stops within the tolerance, which bounds |k/499 - 1| by about
// tol * target / capitation.
func TestSolveDynamicRecoversBaseline(t *testing.T) {
	m := solveModel(t, behaviourWorld(), params.Reference2019())
	spec := SolveSpec{Shape: finance.Spec{Rate: 1}, Mode: ModeDynamic, Year: 2, Reps: 6, Seed: 3}
	r := solve(t, m, spec)
	if !near(r.Factor, 499, 1e-9) || r.Iterations != 1 || r.DiffError > 1e-9*r.Target {
		t.Errorf("factor %v after %d runs (paired error %v), want 499 after 1", r.Factor, r.Iterations, r.DiffError)
	}
	if !(r.MCError > 0) || !(r.TargetError > 0) {
		t.Errorf("MC errors %v, %v: want positive", r.MCError, r.TargetError)
	}
	r, err := solveDynamic(context.Background(), m, spec, 1.4*499, 1)
	if err != nil {
		t.Fatal(err)
	}
	bound := 2 * DefaultSolveTol * r.Target / r.Capitation
	if math.Abs(r.Achieved-r.Target) > DefaultSolveTol*r.Target || math.Abs(r.Factor/499-1) > bound {
		t.Errorf("started at 1.4x: factor %v (|k/499-1| %.2g, bound %.2g), achieved %v, target %v",
			r.Factor, math.Abs(r.Factor/499-1), bound, r.Achieved, r.Target)
	}
	t.Logf("started at 1.4x: factor %v after %d runs", r.Factor, r.Iterations)
}

// Dynamic mode with behaviour on a breakpoint shape: the answer meets the
// tolerance, an independent run of the solved scheme reproduces the
// reported totals, and the share variant meets both conditions.
func TestSolveDynamicBreakpoint(t *testing.T) {
	m := solveModel(t, behaviourWorld(), params.Reference2019())
	for _, share := range []float64{0, 0.5} {
		spec := SolveSpec{Shape: finance.Spec{Breaks: []float64{1000}, Rates: []float64{550, 110}}, Extra: 2e6, CapShare: share,
			Mode: ModeDynamic, Year: 2, Reps: 8, Seed: 11, Tol: 1e-3, Workers: 2}
		r := solve(t, m, spec)
		if math.Abs(r.Achieved-r.Target) > spec.Tol*r.Target {
			t.Errorf("share %v: achieved %v, target %v", share, r.Achieved, r.Target)
		}
		if share > 0 && math.Abs(r.Capitation/r.Achieved-share) > spec.Tol {
			t.Errorf("share %v: capitation share %v", share, r.Capitation/r.Achieved)
		}
		if share == 0 && r.FeeScale != 1 {
			t.Errorf("fee scale %v without a share", r.FeeScale)
		}
		outs, err := sim.Run(context.Background(), sim.Config{Model: m, Scenarios: []sim.Scenario{
			m.BaselineScenario(), sim.Fixed{Label: "check", R: r.Spec.Rules(m.Baseline.Equalisation, r.FeeScale)}},
			Years: 2, Reps: 8, Seed: 11})
		if err != nil {
			t.Fatal(err)
		}
		var base, got float64
		for rep := range 8 {
			base += outs[0].Values[(rep*3+2)*int(sim.NumMetrics)+int(sim.PublicSpending)] / 8
			got += outs[1].Values[(rep*3+2)*int(sim.NumMetrics)+int(sim.PublicSpending)] / 8
		}
		if !near(got, r.Achieved, 1e-12) || !near(base+spec.Extra, r.Target, 1e-12) {
			t.Errorf("share %v: independent run spends %v (target %v), solver reported %v (target %v)", share, got, base+spec.Extra, r.Achieved, r.Target)
		}
		if !(r.DiffError > 0 && r.MCError > 0) {
			t.Errorf("MC errors %v, paired %v", r.MCError, r.DiffError)
		}
		t.Logf("share %v: k %v s %v rates %v after %d runs; achieved %.0f ± %.0f (paired ± %.0f), target %.0f ± %.0f",
			share, r.Factor, r.FeeScale, r.Rates, r.Iterations, r.Achieved, r.MCError, r.DiffError, r.Target, r.TargetError)
	}
}

// fakeEval prices spending(k, s) = cap(k, s) + fees(k, s) for the root
// finders without simulation.
func fakeEval(capit, fees func(k, s float64) float64, runs *int) func(k, s float64) (*point, error) {
	return func(k, s float64) (*point, error) {
		*runs++
		if *runs > 200 {
			return nil, errors.New("too many runs")
		}
		c, f := capit(k, s), fees(k, s)
		return &point{k: k, s: s, mSpend: c + f, mCap: c, mFee: f}, nil
	}
}

func TestSolveFactorRootFinder(t *testing.T) {
	// Nonlinear and increasing: 1,000 + 10 k^3 = 1,080 at k = 2, from both sides.
	for _, k0 := range []float64{0.5, 1.9, 2.1, 40} {
		runs := 0
		p, err := solveFactor(fakeEval(func(k, _ float64) float64 { return 10 * k * k * k }, func(float64, float64) float64 { return 1000 }, &runs), k0, 1080, 1e-10)
		if err != nil || !near(p.k, 2, 1e-9) {
			t.Errorf("k0 %v: k %v, err %v", k0, p, err)
		}
		t.Logf("k0 %v: %d runs", k0, runs)
	}
	// A jump across the target: a clear error.
	runs := 0
	_, err := solveFactor(fakeEval(func(k, _ float64) float64 { return 100 * math.Floor(k) }, func(float64, float64) float64 { return 1000 }, &runs), 1.2, 1250, 1e-6)
	if err == nil || !strings.Contains(err.Error(), "jumps") {
		t.Errorf("jump: %v", err)
	}
	// Fees alone exceed the target.
	runs = 0
	_, err = solveFactor(fakeEval(func(k, _ float64) float64 { return 10 * k }, func(float64, float64) float64 { return 1000 }, &runs), 1, 900, 1e-6)
	if err == nil || !strings.Contains(err.Error(), "without any capitation") {
		t.Errorf("fees above target: %v", err)
	}
}

func TestSolveShareIteration(t *testing.T) {
	// Lists respond: L = 1,000 (k/500)^0.3 s^0.2; capitation k L, fees 1,400 s L.
	list := func(k, s float64) float64 { return 1000 * math.Pow(k/500, 0.3) * math.Pow(s, 0.2) }
	capit := func(k, s float64) float64 { return k * list(k, s) }
	fees := func(k, s float64) float64 { return 1400 * s * list(k, s) }
	runs := 0
	const target, share = 2e6, 0.5
	p, err := solveShare(fakeEval(capit, fees, &runs), 500, 1, target, share, 1e-10)
	if err != nil {
		t.Fatal(err)
	}
	if tot := p.mCap + p.mFee; !near(tot, target, 1e-9) || math.Abs(p.mCap/tot-share) > 1e-9 {
		t.Errorf("total %v, share %v after %d runs", tot, p.mCap/tot, runs)
	}
	t.Logf("%d runs: k %v s %v", runs, p.k, p.s)
}
