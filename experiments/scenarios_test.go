package experiments

import (
	"context"
	"math"
	"strings"
	"testing"

	"listetak/finance"
	"listetak/params"
	"listetak/sim"
	"listetak/world"
)

// The rate table of DOMAIN.md ("Model 1 - breakpoint capitation"): NOK per
// listed person at positions 0-500, 501-1,000 and 1,001+.
var domainRates = map[string][3]float64{
	"1aix": {550, 550, 110}, "1aiix": {740, 740, 290}, "1bix": {580, 520, 100}, "1biix": {780, 690, 300},
	"1aiy": {1050, 1050, 380}, "1aiiy": {1180, 1180, 420}, "1biy": {1050, 1000, 480}, "1biiy": {1210, 1100, 510},
}

func TestVariantRates(t *testing.T) {
	for name, r := range domainRates {
		for _, n := range []string{name, name + "+g400", name + "+g500"} {
			defs, err := Lookup([]string{n})
			if err != nil {
				t.Fatal(err)
			}
			sch := defs[0].Phases[0].Spec.Scheme()
			// The marginal rate at positions 250, 750 and 1,500.
			for i, pos := range []float64{250, 750, 1500} {
				if got := sch.Capitation(pos+1) - sch.Capitation(pos); math.Abs(got-r[i]) > 1e-9 {
					t.Errorf("%s: rate at position %v = %v, want %v", n, pos, got, r[i])
				}
			}
			g := defs[0].Phases[0].Spec.Guarantee.Persons
			want := 0.0
			switch {
			case strings.HasSuffix(n, "+g400"):
				want = 400
			case strings.HasSuffix(n, "+g500"):
				want = 500
			}
			if g != want {
				t.Errorf("%s: guarantee %v", n, g)
			}
			if d := defs[0]; d.MoneyYear != 2019 || (d.Budget != BudgetRates && d.Budget != BudgetShare) {
				t.Errorf("%s: money year %d, budget %q", n, d.MoneyYear, d.Budget)
			}
		}
	}
}

// breakpoint-2020 runs each year's nominal rates: literal with -rebase=false,
// and on a world in 2019 money (index 1) divided by its year's index.
func TestBreakpoint2020Timeline(t *testing.T) {
	defs, err := Lookup([]string{"breakpoint-2020"})
	if err != nil {
		t.Fatal(err)
	}
	m := model(t, 499)
	lit, err := Resolve(defs[0], m, false)
	if err != nil {
		t.Fatal(err)
	}
	conv, err := Resolve(defs[0], m, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		year, money int
		lo, hi      float64
	}{{1, 2020, 577, 499}, {2, 2021, 642, 526}, {3, 2022, 675, 544}, {12, 2022, 675, 544}} {
		idx, _ := finance.MoneyIndex(c.money)
		for _, v := range []struct {
			r *Resolved
			f float64
		}{{lit, 1}, {conv, 1 / idx}} {
			ru := v.r.Rules(c.year)
			if lo := ru.Capitation.Capitation(1); math.Abs(lo-c.lo*v.f) > 1e-9 {
				t.Errorf("year %d: rate below 1,000 = %v, want %v", c.year, lo, c.lo*v.f)
			}
			if hi := ru.Capitation.Capitation(1201) - ru.Capitation.Capitation(1200); math.Abs(hi-c.hi*v.f) > 1e-9 {
				t.Errorf("year %d: rate above 1,000 = %v, want %v", c.year, hi, c.hi*v.f)
			}
			if g := ru.Guarantee; g.Persons != 500 || !g.MinCeiling || g.MaxContractYears != 2 {
				t.Errorf("year %d: guarantee %+v", c.year, g)
			}
		}
	}
	for i, p := range lit.Phases {
		if p.Factor != 1 || p.Money != 1 || p.Level != 1 {
			t.Errorf("-rebase=false: phase %d factors %+v", i, p)
		}
	}
}

// model builds a small world with a flat baseline rate.
func model(t *testing.T, rate float64) *sim.Model {
	t.Helper()
	w := &world.World{Name: "t", NokIndex: 1, Baseline: finance.Spec{Rate: rate}}
	w.Municipalities = []world.Municipality{{Code: "0001", Population: 10_000, Centrality: 2}}
	for i, l := range []int{400, 800, 1000, 1200, 1500, 2000} {
		w.Slots = append(w.Slots, world.Slot{ID: string(rune('a' + i)), Held: true, List: l, Ceiling: world.Some(l + 50), Age: 50})
	}
	m, err := sim.NewModel(w, params.Reference2019())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// baseline-2019 (flat 499 in 2019 money) on a world in 2025 money (index
// 1.25) pays 499 x 1.25 = 623.75; with -rebase=false exactly 499.
func TestRebase(t *testing.T) {
	defs, _ := Lookup([]string{"baseline-2019"})
	m := model(t, 841.80)
	m.World.NokIndex = 1.25
	r, err := Resolve(defs[0], m, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rebase != 1.25 || r.Rules(1).Capitation.Capitation(1) != 623.75 {
		t.Errorf("rebase factor %v, rate %v", r.Rebase, r.Rules(1).Capitation.Capitation(1))
	}
	lit, _ := Resolve(defs[0], m, false)
	if lit.Rebase != 1 || lit.Rules(1).Capitation.Capitation(1) != 499 {
		t.Errorf("-rebase=false changed the rates")
	}
}

// The report's variants meet their budget on the starting lists: x keeps
// the fees (fee scale 1), y has a capitation share of 50 %; i spends the
// baseline's, ii NOK 1 billion (2019) more, in the world's money (index
// 1.25 here, so 1.25 billion; 1 billion with -rebase=false).
func TestBudgetVariants(t *testing.T) {
	m := model(t, 499)
	m.World.NokIndex = 1.25
	st := m.Start()
	base := st.Spending(m.Baseline)
	for _, c := range []struct {
		name   string
		rebase bool
		extra  float64
	}{{"1aix", true, 0}, {"1aiy", true, 0}, {"1biy+g500", true, 0}, {"1aiiy", true, 1.25e9}, {"1biix+g400", true, 1.25e9}, {"1aiiy", false, 1e9}} {
		defs, _ := Lookup([]string{c.name})
		r, err := Resolve(defs[0], m, c.rebase)
		if err != nil {
			t.Fatal(err)
		}
		s := r.Static(1)
		if math.Abs(s.Spending-(base+c.extra)) > 1e-6*base {
			t.Errorf("%s: spending %v, want %v", c.name, s.Spending, base+c.extra)
		}
		y := strings.Contains(c.name, "y")
		if y && math.Abs(s.Share-0.5) > 1e-12 || !y && r.FeeScale != 1 {
			t.Errorf("%s: share %v, fee scale %v", c.name, s.Share, r.FeeScale)
		}
		if p := r.Phases[0]; math.Abs(p.Money*p.Level-p.Factor) > 1e-12 || p.Money != map[bool]float64{true: 1.25, false: 1}[c.rebase] {
			t.Errorf("%s: factors %+v", c.name, p)
		}
	}
}

func TestLookupErrors(t *testing.T) {
	_, err := Lookup([]string{"baseline", "1zix", "baseline"})
	if err == nil || !strings.Contains(err.Error(), `"1zix"`) || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("error %v", err)
	}
	bad := Definition{Name: "bad", Phases: []Phase{{From: 1, Spec: finance.Spec{Breaks: []float64{1000, 500}, Rates: []float64{1, -2, 3}}}}}
	err = bad.Validate()
	if err == nil || !strings.Contains(err.Error(), "breaks[1]") || !strings.Contains(err.Error(), "rates[1]") {
		t.Fatalf("error %v", err)
	}
}

// phase_in blends a phase with the scheme before it: the first phase with
// the baseline (499), a later phase with the phase before (599).
func TestPhaseIn(t *testing.T) {
	m := model(t, 499)
	d := Definition{Name: "p", Phases: []Phase{{From: 2, Spec: finance.Spec{Rate: 599}, PhaseIn: 4},
		{From: 7, Spec: finance.Spec{Rate: 699}, PhaseIn: 2}}}
	r, err := Resolve(d, m, true)
	if err != nil {
		t.Fatal(err)
	}
	for year, want := range map[int]float64{1: 499, 2: 524, 3: 549, 4: 574, 5: 599, 6: 599, 7: 649, 8: 699, 20: 699} {
		if got := r.Rules(year).Capitation.Capitation(1); math.Abs(got-want) > 1e-9 {
			t.Errorf("year %d: rate %v, want %v", year, got, want)
		}
	}
	defs, _ := Lookup([]string{"1aix-phased", "1aix"})
	ph, err := Resolve(defs[0], m, true)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := Resolve(defs[1], m, true)
	for year, theta := range map[int]float64{1: 1.0 / 3, 2: 2.0 / 3, 3: 1, 9: 1} {
		want := (1-theta)*499*1200 + theta*full.Rules(1).Capitation.Capitation(1200)
		if got := ph.Rules(year).Capitation.Capitation(1200); math.Abs(got-want) > 1e-6 {
			t.Errorf("1aix-phased year %d: capitation of 1,200 persons %v, want %v", year, got, want)
		}
	}
}

// nationalModel is norway-2025 with the given baseline scheme.
func nationalModel(t *testing.T, base finance.Spec) *sim.Model {
	t.Helper()
	w, err := world.Embedded(world.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	w = w.Clone()
	w.Baseline = base
	m, err := sim.NewModel(w, params.Reference2019())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// model2 at year 1 (static): the national capitation total is unchanged
// and each list's capitation moves by its correction factor (relative to
// the listed persons' mean, one constant for all lists).
func TestModel2Static(t *testing.T) {
	m := nationalModel(t, finance.Spec{Rate: 841.80})
	defs, err := Lookup([]string{"model2"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resolve(defs[0], m, true)
	if err != nil {
		t.Fatal(err)
	}
	st := m.Start()
	rules := r.Rules(1)
	if !rules.RiskAdjusted {
		t.Fatal("model2 is not risk-adjusted")
	}
	base, reform := st.Capitation(m.Baseline), st.Capitation(rules)
	if math.Abs(reform/base-1) > 1e-12 {
		t.Errorf("static capitation total %v, baseline %v", reform, base)
	}
	var k float64 // the common constant: reform/base per list over its factor
	for i := range m.Slots() {
		b := st.ListCapitation(i, m.Baseline)
		if b == 0 {
			continue
		}
		ratio := st.ListCapitation(i, rules) / b / st.CorrectionFactor(i)
		if k == 0 {
			k = ratio
		}
		if math.Abs(ratio/k-1) > 1e-12 {
			t.Fatalf("slot %d: capitation moves by %v x its factor, others by %v", i, ratio, k)
		}
	}
	// The constant undoes the listed persons' mean factor (0.9994 on the
	// 2025 lists): within 0.5 % of 1.
	if math.Abs(k-1) > 0.005 {
		t.Errorf("constant %v", k)
	}
}

// riskadj-2023 on norway-2025 is the 2023 grant in 2025 money: 841.80 x
// 1.25 / MoneyIndex(2023) = 841.80 x 1.25^(1/3); the world's own baseline
// takes the 2023 nominal rate as 2025's, so the scenario pays 7.7 % more.
// replay-2020 runs breakpoint-2020's rates for three years and then
// riskadj-2023.
func TestRiskAdj2023AndReplay(t *testing.T) {
	w, err := world.Embedded(world.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	if !w.Baseline.RiskAdjusted || w.Baseline.Rate != 841.80 {
		t.Fatalf("norway-2025 baseline %+v", w.Baseline)
	}
	m, err := sim.NewModel(w, params.Reference2019())
	if err != nil {
		t.Fatal(err)
	}
	defs, err := Lookup([]string{"riskadj-2023", "replay-2020", "breakpoint-2020"})
	if err != nil {
		t.Fatal(err)
	}
	ra, err := Resolve(defs[0], m, true)
	if err != nil {
		t.Fatal(err)
	}
	want := 841.80 * math.Cbrt(1.25)
	if math.Abs(ra.Rebase-math.Cbrt(1.25)) > 1e-12 || math.Abs(ra.Rules(1).Capitation.Capitation(1)-want) > 1e-9 {
		t.Errorf("riskadj-2023: rebase %v, rate %v, want %v", ra.Rebase, ra.Rules(1).Capitation.Capitation(1), want)
	}
	st := m.Start()
	if a, b := st.Capitation(ra.Rules(1)), st.Capitation(m.Baseline); math.Abs(a/b-math.Cbrt(1.25)) > 1e-12 {
		t.Errorf("riskadj-2023 capitation %v, baseline %v", a, b)
	}
	replay, err := Resolve(defs[1], m, true)
	if err != nil {
		t.Fatal(err)
	}
	bp, err := Resolve(defs[2], m, true)
	if err != nil {
		t.Fatal(err)
	}
	for year := 1; year <= 3; year++ {
		a, b := replay.Rules(year), bp.Rules(year)
		if a.RiskAdjusted || a.Capitation.Capitation(1200) != b.Capitation.Capitation(1200) || a.Guarantee != b.Guarantee {
			t.Errorf("replay-2020 year %d differs from breakpoint-2020", year)
		}
	}
	for _, year := range []int{4, 10} {
		a := replay.Rules(year)
		if !a.RiskAdjusted || math.Abs(a.Capitation.Capitation(1)-want) > 1e-9 || a.Guarantee.Persons != 0 {
			t.Errorf("replay-2020 year %d: %+v", year, a)
		}
	}
	// Without list composition a risk-adjusted scenario is an error.
	p := params.Reference2019()
	p.Demography = 0
	m0, err := sim.NewModel(w, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Resolve(defs[0], m0, true); err == nil || !strings.Contains(err.Error(), "list composition") {
		t.Errorf("risk-adjusted without composition: %v", err)
	}
	if m0.Baseline.RiskAdjusted || len(m0.Notes) == 0 {
		t.Errorf("demography 0: baseline %+v, notes %v", m0.Baseline, m0.Notes)
	}
}

// Static solve of a risk-adjusted flat shape against a flat baseline: the
// rate that keeps spending makes the risk-adjusted capitation total equal
// the flat one, i.e. the flat rate over the listed persons' mean factor.
func TestSolveRiskAdjusted(t *testing.T) {
	m := nationalModel(t, finance.Spec{Rate: 841.80})
	r, err := Solve(context.Background(), m, SolveSpec{Shape: finance.Spec{Rate: 1, RiskAdjusted: true}})
	if err != nil {
		t.Fatal(err)
	}
	st := m.Start()
	var weighted, listed float64
	for i := range m.Slots() {
		if c := st.ListCapitation(i, m.Baseline); c > 0 {
			weighted += c / 841.80 * st.CorrectionFactor(i)
			listed += c / 841.80
		}
	}
	if want := 841.80 * listed / weighted; math.Abs(r.Rates[0]/want-1) > 1e-9 {
		t.Errorf("solved rate %v, want %v", r.Rates[0], want)
	}
	p := params.Reference2019()
	p.Demography = 0
	w, _ := world.Embedded(world.DefaultName)
	m0, err := sim.NewModel(w, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Solve(context.Background(), m0, SolveSpec{Shape: finance.Spec{Rate: 1, RiskAdjusted: true}}); err == nil {
		t.Error("risk-adjusted shape without composition solved")
	}
}
