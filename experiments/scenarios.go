package experiments

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"listetak/finance"
	"listetak/sim"
)

// Phase is a capitation scheme in force from year From (1 = the first
// simulated year) until the next phase.
type Phase struct {
	From int
	Spec finance.Spec
	// MoneyYear is the year whose money this phase's rates are in (0: the
	// definition's MoneyYear): a replay that crosses years converts each
	// part from its own year.
	MoneyYear int
	// PhaseIn, when > 1, introduces the phase linearly over that many
	// years from the scheme in force before it (the previous phase's, or
	// the baseline's): in the phase's k-th year, k < PhaseIn, the
	// capitation is (1-k/n) before + k/n this phase.
	PhaseIn int
}

// How a definition's first phase meets its budget (Definition.Budget).
// The budget is static spending on capitation and fees on the world's
// starting lists: the baseline's plus Extra.
const (
	// BudgetNone keeps the rates as defined (converted to the world's
	// money) and fees as they are.
	BudgetNone = ""
	// BudgetFees keeps the rates and solves the fee scale.
	BudgetFees = "fees"
	// BudgetRates solves one factor on every rate, fees unchanged: the
	// report's x variants ("today's capitation/fee split").
	BudgetRates = "rates"
	// BudgetShare solves the factor and the fee scale jointly so that
	// capitation is CapShare of capitation + fees: the report's y variants.
	BudgetShare = "share"
)

// Definition is a financing scenario as data.
type Definition struct {
	Name        string
	Description string
	// MoneyYear is the year whose money the rates and Extra are in. Run
	// converts them to the world's money by the world's money index over
	// the year's (finance.MoneyIndex) unless -rebase=false. 0 means the
	// world's own money, never converted.
	MoneyYear int
	// Phases are the schemes in force, by start year; empty means the
	// world's baseline scheme.
	Phases []Phase
	// Budget is how the first phase meets its budget (BudgetNone,
	// BudgetFees, BudgetRates or BudgetShare), solved on the world's
	// starting lists by the static solver, guarantee included (the
	// report's guarantee variants keep the variant's total).
	Budget string
	// Extra is added to the baseline's spending, NOK per year in
	// MoneyYear's money (converted as the rates are).
	Extra float64
	// CapShare is BudgetShare's capitation share, in (0, 1).
	CapShare float64
	// Salaried sets the municipal salaried contract (model 3): an activity
	// bonus and the conversion of long-vacant slots. It applies wherever the
	// definition's phases do (from year 1 when it has none).
	Salaried finance.Salaried
	// Equalisation, when set, replaces the equalisation grant's rule in the
	// same years.
	Equalisation *finance.Equalisation
	// CapNeutral, when true, scales each phase's capitation rates so that
	// the static capitation total equals the baseline's (model 2:
	// "risk-adjusted at unchanged total").
	CapNeutral bool
}

// riskAdjRate is the national average capitation of the 2023
// patient-adjusted grant, NOK per average person per year.
const riskAdjRate = finance.RiskAdjRate2023

// reportRate is the flat per-capita rate from 1 July 2019, the 2019
// report's starting point.
const reportRate = finance.Rate2019

// billion is the "ii" variants' extra NOK 1 billion a year (2019 NOK).
const billion = 1e9

// reportShare is the y variants' capitation share: the report's "raised to
// about 50 %".
const reportShare = 0.5

// breakpointVariants are the 2019 report's model-1 rates (docs/money.md,
// "The 2019 report's model 1"), 2019 NOK per listed person per year at
// list positions 0-500, 501-1,000 and 1,001+.
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

// reportVariant is a model-1 variant as the report defines it: the rates'
// shape, and a level that meets the total (i: unchanged, ii: + NOK 1
// billion in 2019 money) with today's fees (x) or a capitation share of
// 50 % (y), solved on the world's starting lists.
func reportVariant(name string, r [3]float64) Definition {
	d := Definition{Name: name, MoneyYear: 2019, Budget: BudgetRates,
		Phases: []Phase{{From: 1, Spec: variantSpec(name, r)}}}
	total, split := "total unchanged", "today's fees"
	if strings.Contains(name, "ii") {
		d.Extra, total = billion, "total + NOK 1 billion (2019 money)"
	}
	if strings.HasSuffix(name, "y") {
		d.Budget, d.CapShare, split = BudgetShare, reportShare, "capitation share 50 %, fees scaled"
	}
	ab := map[byte]string{'a': "one breakpoint at 1,000", 'b': "breakpoints at 500 and 1,000"}[name[1]]
	d.Description = fmt.Sprintf("report model %s: %s, rates %g/%g/%g in shape, level solved on the world's lists: %s, %s",
		name, ab, r[0], r[1], r[2], total, split)
	return d
}

// Builtins returns the built-in scenarios, baseline first.
func Builtins() []Definition {
	defs := []Definition{
		{Name: "baseline", Description: "the world's own current scheme (norway-2025: risk-adjusted NOK 841.80 per average person; norway-2011: flat NOK 390)"},
		{Name: "baseline-2019", Description: "flat NOK 499 per listed person (2019 money), the 2019 report's starting point", MoneyYear: 2019,
			Phases: []Phase{{From: 1, Spec: finance.Spec{Rate: reportRate}}}},
	}
	for _, v := range breakpointVariants {
		d := reportVariant(v.name, v.rates)
		defs = append(defs, d)
		// The report's 400-person guarantee and the 2020 reform's 500.
		for _, persons := range []float64{400, 500} {
			g := d
			g.Name += fmt.Sprintf("+g%g", persons)
			g.Description += fmt.Sprintf(", guarantee %g within the total", persons)
			g.Phases = []Phase{{From: 1, Spec: withGuarantee(d.Phases[0].Spec, finance.GuaranteeSpec{Persons: persons})}}
			defs = append(defs, g)
		}
	}
	phased := defs[slices.IndexFunc(defs, func(d Definition) bool { return d.Name == "1aix" })]
	phased.Name = "1aix-phased"
	phased.Description = "1aix (level solved as 1aix's) phased in linearly over 3 years: 1/3 in year 1, 2/3 in year 2, in full from year 3"
	phased.Phases = []Phase{{From: 1, Spec: phased.Phases[0].Spec, PhaseIn: 3}}
	defs = append(defs, phased)
	defs = append(defs, Definition{
		Name:        "model3",
		Description: "today's capitation; municipalities convert self-employed slots vacant for 2 whole years to salaried ones (model 3, no activity bonus)",
		Salaried:    finance.Salaried{ConvertAfter: 2},
	})
	bp := Definition{
		Name: "breakpoint-2020",
		Description: "the 2020 reform as it ran, each year in its own money: 577/499 at 1,000 in year 1 (2020), 642/526 in year 2 (2021), " +
			"675/544 from year 3 (2022); guarantee 500 for new contracts (< 2 years, ceiling >= 500)",
		MoneyYear: 2020,
	}
	for i, year := range []int{2020, 2021, 2022} {
		spec, _ := finance.Breakpoint2020(year)
		bp.Phases = append(bp.Phases, Phase{From: i + 1, Spec: spec, MoneyYear: year})
	}
	defs = append(defs, bp,
		Definition{
			Name:        "model2",
			Description: "report model 2: risk-adjusted capitation by sex and age at an unchanged static capitation total",
			MoneyYear:   2019, CapNeutral: true,
			Phases: []Phase{{From: 1, Spec: finance.Spec{Rate: reportRate, RiskAdjusted: true}}},
		},
		Definition{
			Name:        "riskadj-2023",
			Description: "the 2023 patient-adjusted capitation: risk-adjusted by sex and age, NOK 841.80 per average person (2023 money)",
			MoneyYear:   2023,
			Phases:      []Phase{{From: 1, Spec: finance.Spec{Rate: riskAdjRate, RiskAdjusted: true}}},
		})
	replay := bp
	replay.Name = "replay-2020"
	replay.Description = "breakpoint-2020 for three years (2020, 2021, 2022 money), then riskadj-2023 from year 4 (2023 money)"
	replay.Phases = append(slices.Clone(bp.Phases), Phase{From: 4, MoneyYear: 2023,
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
	add := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s.%s", d.Name, fmt.Sprintf(format, a...)))
	}
	if d.Name == "" {
		errs = append(errs, errors.New("name: empty"))
	}
	for i, p := range d.Phases {
		if err := p.Spec.Validate(fmt.Sprintf("%s.phases[%d]", d.Name, i)); err != nil {
			errs = append(errs, err)
		}
		if p.From < 1 {
			add("phases[%d].from: %d must be >= 1", i, p.From)
		}
		if i > 0 && p.From <= d.Phases[i-1].From {
			add("phases[%d].from: %d does not follow %d", i, p.From, d.Phases[i-1].From)
		}
		if p.PhaseIn < 0 {
			add("phases[%d].phase_in: %d is negative", i, p.PhaseIn)
		}
		if err := validMoneyYear(p.MoneyYear); err != nil {
			add("phases[%d].money_year: %v", i, err)
		}
	}
	if err := validMoneyYear(d.MoneyYear); err != nil {
		add("money_year: %v", err)
	}
	if d.Salaried.ConvertAfter < 0 {
		add("salaried.convert_after: %d is negative", d.Salaried.ConvertAfter)
	}
	if b := d.Salaried.Bonus; !(b >= 0) || math.IsInf(b, 0) {
		add("salaried.bonus: %v is not a finite amount >= 0", b)
	}
	switch d.Budget {
	case BudgetNone, BudgetFees, BudgetRates, BudgetShare:
	default:
		add("budget: %q is not %q, %q or %q", d.Budget, BudgetFees, BudgetRates, BudgetShare)
	}
	if d.Budget != BudgetNone && len(d.Phases) == 0 {
		add("budget: %s needs a phase to solve", d.Budget)
	}
	if c := d.CapShare; (d.Budget == BudgetShare) != (c > 0) || !(c >= 0 && c < 1) {
		add("cap_share: %v must be in (0, 1) with budget %q and 0 otherwise", c, BudgetShare)
	}
	if math.IsNaN(d.Extra) || math.IsInf(d.Extra, 0) {
		add("extra: %v is not a finite amount", d.Extra)
	}
	return errors.Join(errs...)
}

// validMoneyYear reports a money year the money index does not cover (0,
// the world's own money, is valid).
func validMoneyYear(y int) error {
	if y == 0 {
		return nil
	}
	_, err := finance.MoneyIndex(y)
	return err
}

// ResolvedPhase is a phase as resolved on a world: the factor on its
// defined rates and where it came from.
type ResolvedPhase struct {
	From      int          `json:"from"`
	MoneyYear int          `json:"money_year"`   // 0: the world's money
	Money     float64      `json:"money_factor"` // world's money index over the money year's (1: not converted)
	Level     float64      `json:"level_factor"` // solved on top of Money (budget, cap_neutral; 1: none)
	Factor    float64      `json:"factor"`       // Money * Level: multiplies the defined rates
	PhaseIn   int          `json:"phase_in,omitempty"`
	Spec      finance.Spec `json:"scheme"` // the resolved rates
}

// Static is spending on the world's starting lists with no behavioural
// response, NOK per year in the world's money.
type Static struct {
	Capitation float64 `json:"capitation"`
	Fees       float64 `json:"fees"`
	Spending   float64 `json:"spending"` // capitation + fees
	Share      float64 `json:"capitation_share"`
}

// Resolved is a scenario resolved against a model: the rules of every year.
type Resolved struct {
	Def Definition
	// Rebase is the factor on the first phase's defined rates (1 without
	// phases); Phases has every phase's.
	Rebase   float64
	FeeScale float64 // fee scale of the budget variants (1 otherwise)
	// Extra is Definition.Extra in the world's money (NOK per year).
	Extra  float64
	Phases []ResolvedPhase
	// Converted reports whether money years were converted (-rebase).
	Converted bool
	baseline  finance.Rules
	start     sim.Static
}

var _ sim.Scenario = (*Resolved)(nil)

// Name returns the scenario's name.
func (r *Resolved) Name() string { return r.Def.Name }

// phaseAt returns the index of the phase in force in year t (-1: none).
func (r *Resolved) phaseAt(t int) int {
	k := -1
	for i, p := range r.Phases {
		if p.From <= t {
			k = i
		}
	}
	return k
}

// phaseRules returns phase k's rules in full (before any phase-in).
func (r *Resolved) phaseRules(k int) finance.Rules {
	if k < 0 {
		return r.baseline
	}
	return r.Phases[k].Spec.Rules(r.baseline.Equalisation, r.FeeScale)
}

// Rules returns the rules in force in year t.
func (r *Resolved) Rules(t int) finance.Rules {
	k := r.phaseAt(t)
	if k < 0 && len(r.Phases) > 0 {
		return r.baseline
	}
	rules := r.baseline
	if k >= 0 {
		rules = r.phaseRules(k)
		p := r.Phases[k]
		if step := t - p.From + 1; p.PhaseIn > 1 && step < p.PhaseIn {
			rules.Capitation = finance.Blend{A: r.phaseRules(k - 1).Capitation, B: rules.Capitation,
				Theta: float64(step) / float64(p.PhaseIn)}
		}
	}
	rules.Salaried = r.Def.Salaried
	if r.Def.Equalisation != nil {
		rules.Equalisation = *r.Def.Equalisation
	}
	return rules
}

// Static returns the static spending of year t's rules on the starting
// lists.
func (r *Resolved) Static(t int) Static { return staticOf(r.start, r.Rules(t)) }

// BaselineStatic returns the baseline's static spending.
func (r *Resolved) BaselineStatic() Static { return staticOf(r.start, r.baseline) }

func staticOf(st sim.Static, rules finance.Rules) Static {
	c, f := st.Capitation(rules), st.Fees(rules)
	return Static{Capitation: c, Fees: f, Spending: c + f, Share: c / (c + f)}
}

// Record is what a run's manifest stores of the resolution: every factor
// applied, the fee scale, and year 1's static spending against the
// baseline's.
func (r *Resolved) Record() map[string]any {
	return map[string]any{"name": r.Def.Name, "description": r.Def.Description,
		"money_year": r.Def.MoneyYear, "rebase": r.Converted, "rebase_factor": r.Rebase,
		"fee_scale": r.FeeScale, "budget": r.Def.Budget, "extra": r.Extra, "phases": r.Phases,
		"static_year1": r.Static(1), "static_baseline": r.BaselineStatic()}
}

// Notes returns one line per factor the resolution applied, for the
// run's output.
func (r *Resolved) Notes() []string {
	var out []string
	for _, p := range r.Phases {
		if p.Money != 1 {
			out = append(out, fmt.Sprintf("scenario %s: phase from year %d: rates in %d money converted by the money index, x%.4f",
				r.Def.Name, p.From, p.MoneyYear, p.Money))
		}
		if p.Level != 1 {
			out = append(out, fmt.Sprintf("scenario %s: phase from year %d: rate level solved on the starting lists, x%.4f (total factor %.4f)",
				r.Def.Name, p.From, p.Level, p.Factor))
		}
	}
	if r.FeeScale != 1 {
		out = append(out, fmt.Sprintf("scenario %s: fees scaled by %.4f to meet its budget", r.Def.Name, r.FeeScale))
	}
	return out
}

// Resolve prices a definition on a model's starting state: it converts
// each phase's rates from its money year to the world's money (when
// rebase is true), solves the first phase's budget (Definition.Budget) and
// scales cap_neutral phases. With rebase false no money year is
// converted: rates and Extra are used as the world's money.
func Resolve(d Definition, m *sim.Model, rebase bool) (*Resolved, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	r := &Resolved{Def: d, Rebase: 1, FeeScale: 1, Converted: rebase, baseline: m.Baseline, start: m.Start()}
	money := func(y int) float64 {
		if !rebase || y == 0 {
			return 1
		}
		idx, _ := finance.MoneyIndex(y) // Validate checked the year
		return m.World.Money() / idx
	}
	r.Extra = d.Extra * money(d.MoneyYear)
	for i, p := range d.Phases {
		if p.MoneyYear == 0 {
			p.MoneyYear = d.MoneyYear
		}
		if err := r.checkPhase(i, p, m); err != nil {
			return nil, err
		}
		f := money(p.MoneyYear)
		rp := ResolvedPhase{From: p.From, MoneyYear: p.MoneyYear, Money: f, Level: 1, Factor: f, PhaseIn: p.PhaseIn, Spec: scaleSpec(p.Spec, f)}
		if d.CapNeutral {
			rp.setLevel(p.Spec, r.start.Capitation(m.Baseline)/r.start.Capitation(rp.Spec.Rules(m.Baseline.Equalisation, 1)))
		}
		r.Phases = append(r.Phases, rp)
	}
	if err := r.solveBudget(m); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", d.Name, err)
	}
	if len(r.Phases) > 0 {
		r.Rebase = r.Phases[0].Factor
	}
	return r, nil
}

// setLevel multiplies the phase's resolved rates by level and records it.
func (p *ResolvedPhase) setLevel(defined finance.Spec, level float64) {
	p.Level *= level
	p.Factor = p.Money * p.Level
	p.Spec = scaleSpec(defined, p.Factor)
}

// checkPhase reports a phase the model cannot run: risk adjustment without
// list composition, or a phase-in between a risk-adjusted and a flat
// scheme.
func (r *Resolved) checkPhase(i int, p Phase, m *sim.Model) error {
	if p.Spec.RiskAdjusted && !m.Demography() {
		return fmt.Errorf("scenario %s: phases[%d] is risk-adjusted, which needs list composition "+
			"(a world with a population composition and demography 1)", r.Def.Name, i)
	}
	before := m.Baseline.RiskAdjusted
	if i > 0 {
		before = r.Def.Phases[i-1].Spec.RiskAdjusted
	}
	if p.PhaseIn > 1 && before != p.Spec.RiskAdjusted {
		return fmt.Errorf("scenario %s: phases[%d].phase_in: a risk-adjusted scheme cannot be phased in over a flat one or the reverse", r.Def.Name, i)
	}
	return nil
}

// solveBudget meets the first phase's budget (Definition.Budget) on the
// starting lists: static spending equal to the baseline's plus Extra.
func (r *Resolved) solveBudget(m *sim.Model) error {
	d := r.Def
	switch d.Budget {
	case BudgetNone:
		return nil
	case BudgetFees:
		p := &r.Phases[0]
		target := r.start.Spending(m.Baseline) + r.Extra
		fees := r.start.Fees(m.Baseline)
		if !(fees > 0) {
			return errors.New("the world has no fee income to scale")
		}
		r.FeeScale = (target - r.start.Capitation(p.Spec.Rules(m.Baseline.Equalisation, 1))) / fees
		if r.FeeScale < 0 {
			return fmt.Errorf("capitation alone exceeds the budget (fee scale %.3f)", r.FeeScale)
		}
		return nil
	}
	defined := d.Phases[0].Spec
	res, err := solveStatic(m, SolveSpec{Shape: defined, Extra: r.Extra, CapShare: d.CapShare})
	if err != nil {
		return err
	}
	p := &r.Phases[0]
	p.setLevel(defined, res.Factor/p.Factor)
	r.FeeScale = res.FeeScale
	return nil
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
