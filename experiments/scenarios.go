package experiments

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"listetak/finance"
	"listetak/sim"
)

// Phase is a capitation scheme in force from year From (1 = the first
// simulated year) until the next phase.
type Phase struct {
	From int
	Spec finance.Spec
	// RefRate, when > 0, is this phase's own reference rate (its money
	// year's flat rate), overriding the definition's: a replay that crosses
	// money years re-bases each part by its own year.
	RefRate float64
	// MoneyYear is the year of RefRate (0: the definition's).
	MoneyYear int
}

// Definition is a financing scenario as data.
type Definition struct {
	Name        string
	Description string
	// RefRate is the flat capitation of the money year the rates were
	// defined in (NOK per listed person per year); 0 means the rates are
	// the world's own and never re-based.
	RefRate float64
	// MoneyYear is the year whose money the rates are in (0: the world's).
	MoneyYear int
	// Phases are the schemes in force, by start year; empty means the
	// world's baseline scheme.
	Phases []Phase
	// Budget, when true, scales fee income by one factor solved so that
	// year-0 public spending on capitation and fees equals the baseline's
	// plus Extra (the report's "y" variants).
	Budget bool
	Extra  float64 // NOK per year in the money year (re-based with the rates)
	// Salaried sets the municipal salaried contract (model 3): an activity
	// bonus and the conversion of long-vacant slots. It applies wherever the
	// definition's phases do (from year 1 when it has none).
	Salaried finance.Salaried
	// Equalisation, when set, replaces the equalisation grant's rule in the
	// same years.
	Equalisation *finance.Equalisation
	// PhaseIn, when > 1, introduces the first phase linearly over that many
	// years: in its k-th year the capitation is (1-k/n) baseline + k/n reform.
	PhaseIn int
	// CapNeutral, when true, scales each phase's capitation rates so that
	// the static year-1 capitation total equals the baseline's (model 2:
	// "risk-adjusted at unchanged total").
	CapNeutral bool
}

// riskAdjRate is the national average capitation of the 2023
// patient-adjusted grant, NOK per average person per year (DOMAIN.md).
const riskAdjRate = finance.RiskAdjRate2023

// reportRate is the flat per-capita rate from 1 July 2019 (DOMAIN.md), the
// 2019 report's starting point.
const reportRate = finance.Rate2019

// billion is the "ii" variants' extra NOK 1 billion a year (2019 NOK).
const billion = 1e9

// breakpointVariants are the 2019 report's model-1 rates (DOMAIN.md, "Model
// 1 - breakpoint capitation"), NOK per listed person per year at list
// positions 0-500, 501-1,000 and 1,001+.
var breakpointVariants = []struct {
	name  string
	rates [3]float64
}{
	{"1aix", [3]float64{550, 550, 110}},
	{"1aiix", [3]float64{740, 740, 290}},
	{"1bix", [3]float64{580, 520, 100}},
	{"1biix", [3]float64{780, 690, 300}},
	{"1aiy", [3]float64{1050, 1050, 380}},
	{"1aiiy", [3]float64{1180, 1180, 420}},
	{"1biy", [3]float64{1050, 1000, 480}},
	{"1biiy", [3]float64{1210, 1100, 510}},
}

// variantSpec builds a variant's schedule: one breakpoint at 1,000 ("a") or
// two at 500 and 1,000 ("b").
func variantSpec(name string, r [3]float64) finance.Spec {
	if name[1] == 'a' {
		return finance.Spec{Breaks: []float64{1000}, Rates: []float64{r[0], r[2]}}
	}
	return finance.Spec{Breaks: []float64{500, 1000}, Rates: []float64{r[0], r[1], r[2]}}
}

// Builtins returns the built-in scenarios, baseline first.
func Builtins() []Definition {
	defs := []Definition{
		{Name: "baseline", Description: "the world's own current scheme (norway-2025: risk-adjusted NOK 841.80 per average person; norway-2011: flat NOK 390)"},
		{Name: "baseline-2019", Description: "flat NOK 499 per listed person, the 2019 report's starting point", RefRate: reportRate, MoneyYear: 2019,
			Phases: []Phase{{From: 1, Spec: finance.Spec{Rate: reportRate}}}},
	}
	for _, v := range breakpointVariants {
		spec := variantSpec(v.name, v.rates)
		ab := map[byte]string{'a': "one breakpoint at 1,000", 'b': "breakpoints at 500 and 1,000"}[v.name[1]]
		total := "total unchanged"
		extra := 0.0
		if strings.Contains(v.name, "ii") {
			total, extra = "total + NOK 1 billion", billion
		}
		budget := strings.HasSuffix(v.name, "y")
		split := "today's capitation/fee split"
		if budget {
			split = "capitation share about 50 %, fees scaled to the budget"
		}
		rates := fmt.Sprintf("%g/%g/%g", v.rates[0], v.rates[1], v.rates[2])
		d := Definition{Name: v.name, RefRate: reportRate, MoneyYear: 2019, Phases: []Phase{{From: 1, Spec: spec}}, Budget: budget, Extra: extra,
			Description: fmt.Sprintf("report model %s: %s, rates %s, %s, %s", v.name, ab, rates, total, split)}
		if !budget {
			d.Extra = 0 // x variants: the report's rates already carry the budget
		}
		defs = append(defs, d)
		// The report's 400-person guarantee and the 2020 reform's 500.
		for _, persons := range []float64{400, 500} {
			g := d
			g.Name += fmt.Sprintf("+g%g", persons)
			g.Description += fmt.Sprintf(", guarantee %g", persons)
			g.Phases = []Phase{{From: 1, Spec: withGuarantee(spec, finance.GuaranteeSpec{Persons: persons})}}
			defs = append(defs, g)
		}
	}
	defs = append(defs, Definition{
		Name:        "model3",
		Description: "today's capitation; municipalities convert self-employed slots vacant for 2 whole years to salaried ones (model 3, no activity bonus)",
		Salaried:    finance.Salaried{ConvertAfter: 2},
	})
	g2020 := finance.GuaranteeSpec{Persons: 500, MinCeiling: true, MaxContractYears: 2}
	defs = append(defs, Definition{
		Name:        "breakpoint-2020",
		Description: "the 2020 reform as it ran: 577/499 at 1,000 in year 1, 642/526 in year 2, 675/544 from year 3; guarantee 500 for new contracts (< 2 years, ceiling >= 500)",
		RefRate:     reportRate, MoneyYear: 2020,
		Phases: []Phase{
			{From: 1, Spec: finance.Spec{Breaks: []float64{1000}, Rates: []float64{577, 499}, Guarantee: g2020}},
			{From: 2, Spec: finance.Spec{Breaks: []float64{1000}, Rates: []float64{642, 526}, Guarantee: g2020}},
			{From: 3, Spec: finance.Spec{Breaks: []float64{1000}, Rates: []float64{675, 544}, Guarantee: g2020}},
		},
	})
	defs = append(defs,
		Definition{
			Name:        "model2",
			Description: "report model 2: risk-adjusted capitation by sex and age at an unchanged static capitation total",
			RefRate:     reportRate, MoneyYear: 2019, CapNeutral: true,
			Phases: []Phase{{From: 1, Spec: finance.Spec{Rate: reportRate, RiskAdjusted: true}}},
		},
		Definition{
			Name:        "riskadj-2023",
			Description: "the 2023 patient-adjusted capitation: risk-adjusted by sex and age, NOK 841.80 per average person",
			RefRate:     riskAdjRate, MoneyYear: 2023,
			Phases: []Phase{{From: 1, Spec: finance.Spec{Rate: riskAdjRate, RiskAdjusted: true}}},
		})
	replay := defs[slices.IndexFunc(defs, func(d Definition) bool { return d.Name == "breakpoint-2020" })]
	replay.Name = "replay-2020"
	replay.Description = "breakpoint-2020 for three years, then riskadj-2023 from year 4"
	replay.Phases = append(slices.Clone(replay.Phases), Phase{From: 4, RefRate: riskAdjRate, MoneyYear: 2023,
		Spec: finance.Spec{Rate: riskAdjRate, RiskAdjusted: true}})
	return append(defs, replay)
}

func withGuarantee(s finance.Spec, g finance.GuaranteeSpec) finance.Spec {
	s.Breaks, s.Rates = slices.Clone(s.Breaks), slices.Clone(s.Rates)
	s.Guarantee = g
	return s
}

// Lookup returns the built-in scenarios with the given names, in order; an
// unknown name is an error listing the known ones.
func Lookup(names []string) ([]Definition, error) {
	all := Builtins()
	var out []Definition
	var errs []error
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if seen[n] {
			errs = append(errs, fmt.Errorf("scenario %q named twice", n))
			continue
		}
		seen[n] = true
		i := slices.IndexFunc(all, func(d Definition) bool { return d.Name == n })
		if i < 0 {
			known := make([]string, len(all))
			for j, d := range all {
				known[j] = d.Name
			}
			errs = append(errs, fmt.Errorf("unknown scenario %q (known: %s)", n, strings.Join(known, ", ")))
			continue
		}
		out = append(out, all[i])
	}
	return out, errors.Join(errs...)
}

// Validate reports every problem of a definition at once.
func (d Definition) Validate() error {
	var errs []error
	if d.Name == "" {
		errs = append(errs, errors.New("name: empty"))
	}
	for i, p := range d.Phases {
		if err := p.Spec.Validate(fmt.Sprintf("%s.phases[%d]", d.Name, i)); err != nil {
			errs = append(errs, err)
		}
		if p.From < 1 {
			errs = append(errs, fmt.Errorf("%s.phases[%d].from: %d must be >= 1", d.Name, i, p.From))
		}
		if i > 0 && p.From <= d.Phases[i-1].From {
			errs = append(errs, fmt.Errorf("%s.phases[%d].from: %d does not follow %d", d.Name, i, p.From, d.Phases[i-1].From))
		}
	}
	if d.Salaried.ConvertAfter < 0 {
		errs = append(errs, fmt.Errorf("%s.salaried.convert_after: %d is negative", d.Name, d.Salaried.ConvertAfter))
	}
	if b := d.Salaried.Bonus; !(b >= 0) || math.IsInf(b, 0) {
		errs = append(errs, fmt.Errorf("%s.salaried.bonus: %v is not a finite amount >= 0", d.Name, b))
	}
	if d.PhaseIn < 0 {
		errs = append(errs, fmt.Errorf("%s.phase_in: %d is negative", d.Name, d.PhaseIn))
	}
	if !(d.RefRate >= 0) || math.IsInf(d.RefRate, 0) {
		errs = append(errs, fmt.Errorf("%s.ref_rate: %v", d.Name, d.RefRate))
	}
	for i, p := range d.Phases {
		if !(p.RefRate >= 0) || math.IsInf(p.RefRate, 0) {
			errs = append(errs, fmt.Errorf("%s.phases[%d].ref_rate: %v", d.Name, i, p.RefRate))
		}
	}
	return errors.Join(errs...)
}

// Resolved is a scenario resolved against a model: the rules of every year.
type Resolved struct {
	Def      Definition
	Rebase   float64 // factor applied to the definition's rates (1: none)
	FeeScale float64 // fee scale of the budget variants (1 otherwise)
	baseline finance.Rules
	phases   []Phase // re-based
}

var _ sim.Scenario = (*Resolved)(nil)

// Name returns the scenario's name.
func (r *Resolved) Name() string { return r.Def.Name }

// Rules returns the rules in force in year t.
func (r *Resolved) Rules(t int) finance.Rules {
	k := -1
	for i, p := range r.phases {
		if p.From <= t {
			k = i
		}
	}
	if k < 0 && len(r.phases) > 0 {
		return r.baseline
	}
	rules := r.baseline
	if k >= 0 {
		rules = r.phases[k].Spec.Rules(r.baseline.Equalisation, r.FeeScale)
	}
	rules.Salaried = r.Def.Salaried
	if r.Def.Equalisation != nil {
		rules.Equalisation = *r.Def.Equalisation
	}
	if n := r.Def.PhaseIn; n > 1 && k == 0 {
		if step := t - r.phases[0].From + 1; step < n {
			rules.Capitation = finance.Blend{A: r.baseline.Capitation, B: rules.Capitation, Theta: float64(step) / float64(n)}
		}
	}
	return rules
}

// Resolve prices a definition on a model's starting state: it re-bases the
// rates by the world's baseline capitation per listed person over the
// definition's reference rate (when rebase is true and the definition has
// one), and solves the fee scale of budget variants.
func Resolve(d Definition, m *sim.Model, rebase bool) (*Resolved, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	r := &Resolved{Def: d, Rebase: 1, FeeScale: 1, baseline: m.Baseline}
	st := m.Start()
	if rebase && d.RefRate > 0 {
		r.Rebase = RebaseFactor(m, d.RefRate)
	}
	for i, p := range d.Phases {
		if p.Spec.RiskAdjusted && !m.Demography() {
			return nil, fmt.Errorf("scenario %s: phases[%d] is risk-adjusted, which needs list composition "+
				"(a world with a population composition and demography 1)", d.Name, i)
		}
		f := r.Rebase
		if rebase && p.RefRate > 0 {
			f = RebaseFactor(m, p.RefRate)
		}
		p.Spec = scaleSpec(p.Spec, f)
		if d.CapNeutral {
			p.Spec = scaleSpec(p.Spec, st.Capitation(m.Baseline)/st.Capitation(p.Spec.Rules(m.Baseline.Equalisation, 1)))
		}
		r.phases = append(r.phases, p)
	}
	sort.SliceStable(r.phases, func(i, j int) bool { return r.phases[i].From < r.phases[j].From })
	if d.Budget && len(r.phases) > 0 {
		rules := r.phases[0].Spec.Rules(m.Baseline.Equalisation, 1)
		target := st.Spending(m.Baseline) + d.Extra*r.Rebase
		capNew := st.Capitation(rules)
		fees := st.Spending(m.Baseline) - st.Capitation(m.Baseline)
		if fees <= 0 {
			return nil, fmt.Errorf("scenario %s: the world has no fee income to scale", d.Name)
		}
		r.FeeScale = (target - capNew) / fees
		if r.FeeScale < 0 {
			return nil, fmt.Errorf("scenario %s: capitation alone exceeds the budget (fee scale %.3f)", d.Name, r.FeeScale)
		}
	}
	return r, nil
}

// RebaseFactor returns the factor that re-bases rates defined in a money
// year whose flat reference rate was ref: the world's baseline capitation
// over what a flat ref would pay for the same starting lists (risk-adjusted
// as the baseline is). For a flat baseline it is the baseline rate over ref.
func RebaseFactor(m *sim.Model, ref float64) float64 {
	st := m.Start()
	flat := finance.Rules{Capitation: finance.Flat{Rate: ref}, RiskAdjusted: m.Baseline.RiskAdjusted}
	return st.Capitation(m.Baseline) / st.Capitation(flat)
}

// scaleSpec multiplies a spec's rates by f.
func scaleSpec(s finance.Spec, f float64) finance.Spec {
	s.Rate *= f
	s.Breaks = slices.Clone(s.Breaks)
	s.Rates = slices.Clone(s.Rates)
	for i := range s.Rates {
		s.Rates[i] *= f
	}
	return s
}
