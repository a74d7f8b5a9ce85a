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
			if defs[0].RefRate != 499 {
				t.Errorf("%s: reference rate %v, want 499", n, defs[0].RefRate)
			}
		}
	}
}

func TestBreakpoint2020Timeline(t *testing.T) {
	defs, err := Lookup([]string{"breakpoint-2020"})
	if err != nil {
		t.Fatal(err)
	}
	m := model(t, 499)
	r, err := Resolve(defs[0], m, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		year     int
		lo, hi   float64
		guarKAge int
	}{{1, 577, 499, 2}, {2, 642, 526, 2}, {3, 675, 544, 2}, {12, 675, 544, 2}} {
		ru := r.Rules(c.year)
		if lo := ru.Capitation.Capitation(1); math.Abs(lo-c.lo) > 1e-9 {
			t.Errorf("year %d: rate below 1,000 = %v, want %v", c.year, lo, c.lo)
		}
		if hi := ru.Capitation.Capitation(1201) - ru.Capitation.Capitation(1200); math.Abs(hi-c.hi) > 1e-9 {
			t.Errorf("year %d: rate above 1,000 = %v, want %v", c.year, hi, c.hi)
		}
		if g := ru.Guarantee; g.Persons != 500 || !g.MinCeiling || g.MaxContractYears != c.guarKAge {
			t.Errorf("year %d: guarantee %+v", c.year, g)
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

func TestRebase(t *testing.T) {
	defs, _ := Lookup([]string{"1aix"})
	m := model(t, 841.80)
	r, err := Resolve(defs[0], m, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := 841.80 / 499; math.Abs(r.Rebase-want) > 1e-12 {
		t.Errorf("rebase factor %v, want %v", r.Rebase, want)
	}
	if got := r.Rules(1).Capitation.Capitation(1); math.Abs(got-550*841.80/499) > 1e-9 {
		t.Errorf("re-based first rate %v", got)
	}
	lit, _ := Resolve(defs[0], m, false)
	if lit.Rebase != 1 || lit.Rules(1).Capitation.Capitation(1) != 550 {
		t.Errorf("-rebase=false changed the rates")
	}
}

// The y variants scale fees so that year-0 spending equals the baseline's
// (i) or the baseline's + NOK 1 billion (ii).
func TestBudgetVariants(t *testing.T) {
	m := model(t, 499)
	base := m.Start().Spending(m.Baseline)
	for _, c := range []struct {
		name  string
		extra float64
	}{{"1aiy", 0}, {"1biy+g500", 0}, {"1aiiy", 1e9}} {
		defs, _ := Lookup([]string{c.name})
		r, err := Resolve(defs[0], m, true)
		if err != nil {
			if c.extra == 0 {
				t.Fatal(err)
			}
			continue
		}
		got := m.Start().Spending(r.Rules(1))
		if math.Abs(got-(base+c.extra)) > 1e-6*base {
			t.Errorf("%s: spending %v, want %v", c.name, got, base+c.extra)
		}
		if r.FeeScale >= 1 && c.extra == 0 {
			t.Errorf("%s: fee scale %v should fall below 1 when capitation rises", c.name, r.FeeScale)
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

func TestPhaseIn(t *testing.T) {
	m := model(t, 499)
	d := Definition{Name: "p", Phases: []Phase{{From: 2, Spec: finance.Spec{Rate: 599}}}, PhaseIn: 4}
	r, err := Resolve(d, m, true)
	if err != nil {
		t.Fatal(err)
	}
	for year, want := range map[int]float64{1: 499, 2: 524, 3: 549, 4: 574, 5: 599, 9: 599} {
		if got := r.Rules(year).Capitation.Capitation(1); math.Abs(got-want) > 1e-9 {
			t.Errorf("year %d: rate %v, want %v", year, got, want)
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

// riskadj-2023 on norway-2025 (whose baseline is the same grant) needs no
// re-basing: its rate stays 841.80 and it prices the lists as the baseline
// does; replay-2020 runs breakpoint-2020's re-based rates for three years
// and then riskadj-2023.
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
	if math.Abs(ra.Rebase-1) > 1e-12 || ra.Rules(1).Capitation.Capitation(1) != 841.80 {
		t.Errorf("riskadj-2023: rebase %v, rate %v", ra.Rebase, ra.Rules(1).Capitation.Capitation(1))
	}
	st := m.Start()
	if a, b := st.Capitation(ra.Rules(1)), st.Capitation(m.Baseline); math.Abs(a/b-1) > 1e-12 {
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
	if math.Abs(bp.Rebase-841.80/499) > 1e-9 {
		t.Errorf("breakpoint-2020 rebase %v, want 841.80/499", bp.Rebase)
	}
	for year := 1; year <= 3; year++ {
		a, b := replay.Rules(year), bp.Rules(year)
		if a.RiskAdjusted || a.Capitation.Capitation(1200) != b.Capitation.Capitation(1200) || a.Guarantee != b.Guarantee {
			t.Errorf("replay-2020 year %d differs from breakpoint-2020", year)
		}
	}
	for _, year := range []int{4, 10} {
		a := replay.Rules(year)
		if !a.RiskAdjusted || a.Capitation.Capitation(1) != 841.80 || a.Guarantee.Persons != 0 {
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
