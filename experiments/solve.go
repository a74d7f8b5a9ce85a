package experiments

import (
	"gonum.org/v1/gonum/stat"

	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"listetak/finance"
	"listetak/sim"
)

// Solve modes.
const (
	// ModeStatic prices the starting lists with no behavioural response
	// (what the 2019 report did).
	ModeStatic = "static"
	// ModeDynamic simulates the behavioural response and matches spending
	// in one simulated year.
	ModeDynamic = "dynamic"
)

// Defaults of SolveSpec's dynamic settings.
const (
	DefaultSolveYear = 1
	DefaultSolveTol  = 1e-4
	// maxSolveRuns bounds the simulation runs of one dynamic solve
	// (the baseline run not counted).
	maxSolveRuns = 60
)

// SolveSpec is a budget question: which factor on a scheme's rates (and,
// with CapShare, which fee scale) makes public spending on capitation and
// fees equal to the baseline's plus Extra.
type SolveSpec struct {
	// Shape gives the breakpoints and the relative rates (or a flat Rate)
	// and any guarantee; the solver multiplies every rate by one factor.
	Shape finance.Spec
	// Extra is added to the baseline's spending (NOK/year in the world's
	// money year).
	Extra float64
	// CapShare 0 keeps fee income as it is (fee scale 1). In (0, 1) the fee
	// scale is solved too, so that capitation/(capitation + fees) = CapShare.
	CapShare float64
	// Mode is ModeStatic ("" means static) or ModeDynamic.
	Mode string
	// Year is the simulated year whose spending must match (dynamic; 0
	// means DefaultSolveYear).
	Year int
	// Reps, Seed and Workers are the dynamic Monte Carlo settings
	// (Reps >= 1; Workers 0 means one per CPU). Every evaluation uses the
	// same seed, so the baseline and every trial share their draws.
	Reps    int
	Seed    uint64
	Workers int
	// Tol is the dynamic tolerance: spending within Tol*target of the
	// target and, with CapShare, the capitation share within Tol of it
	// (0 means DefaultSolveTol).
	Tol float64
}

// SolveResult is a solved scheme and what it achieves. Money is NOK/year in
// the world's money year; dynamic amounts are means over replications in
// year Year.
type SolveResult struct {
	Mode     string
	Spec     finance.Spec // the solved scheme: Shape with every rate times Factor
	Factor   float64      // k: multiplies the shape's rates
	FeeScale float64      // s: multiplies fee income (1 without CapShare)
	Rates    []float64    // the solved rates (one for a flat scheme)

	Target     float64 // baseline spending + Extra
	Achieved   float64 // spending under the solved scheme
	Capitation float64 // its capitation part
	Fees       float64 // its fee part

	// Dynamic only (0 in static mode).
	Year int
	Reps int
	// MCError is the standard error of Achieved over replications
	// (sd/sqrt(reps)); NaN with one replication.
	MCError float64
	// TargetError is the standard error of the baseline's mean spending,
	// the Monte Carlo part of Target.
	TargetError float64
	// DiffError is the standard error of the mean paired difference
	// (solved - baseline, replication by replication): with common random
	// numbers the relevant error of Achieved - Target.
	DiffError float64
	// Iterations counts the simulation runs of the solved scheme (the
	// baseline run not counted).
	Iterations int
}

// Validate reports every problem of the spec at once, each naming its field.
func (s SolveSpec) Validate() error {
	var errs []error
	if err := s.Shape.Validate("shape"); err != nil {
		errs = append(errs, err)
	} else if !slices.ContainsFunc(shapeRates(s.Shape), func(r float64) bool { return r > 0 }) {
		errs = append(errs, errors.New("shape: every rate is 0, so no factor can change spending"))
	}
	if math.IsNaN(s.Extra) || math.IsInf(s.Extra, 0) {
		errs = append(errs, fmt.Errorf("extra: %v is not a finite amount", s.Extra))
	}
	if !(s.CapShare >= 0 && s.CapShare < 1) {
		errs = append(errs, fmt.Errorf("cap_share: %v is not in [0, 1)", s.CapShare))
	}
	switch s.Mode {
	case "", ModeStatic:
	case ModeDynamic:
		if s.Year < 0 {
			errs = append(errs, fmt.Errorf("year: %d must be >= 1", s.Year))
		}
		if s.Reps < 1 {
			errs = append(errs, fmt.Errorf("reps: %d must be >= 1", s.Reps))
		}
		if s.Workers < 0 {
			errs = append(errs, fmt.Errorf("workers: %d is negative", s.Workers))
		}
		if !(s.Tol >= 0 && s.Tol < 1) {
			errs = append(errs, fmt.Errorf("tol: %v is not in [0, 1)", s.Tol))
		}
	default:
		errs = append(errs, fmt.Errorf("mode: %q is not %s or %s", s.Mode, ModeStatic, ModeDynamic))
	}
	return errors.Join(errs...)
}

// shapeRates returns the spec's rates (its flat rate alone when flat).
func shapeRates(s finance.Spec) []float64 {
	if len(s.Breaks) == 0 && len(s.Rates) <= 1 {
		if len(s.Rates) == 1 {
			return []float64{s.Rates[0]}
		}
		return []float64{s.Rate}
	}
	return s.Rates
}

// Solve finds the factor on spec.Shape's rates (and with CapShare the fee
// scale) that meets the budget on model m.
//
// Static mode prices the starting lists (m.Start()): capitation is linear in
// the factor k and fees in the fee scale s, so the answer is closed-form.
// The target is the baseline's spending on the starting lists plus Extra.
//
// Dynamic mode runs the model from year 0 with the solved scheme in force
// from year 1 and matches mean spending over replications in year Year to
// the baseline scenario's mean in that year plus Extra. Every run uses the
// same seed (common random numbers), so the spending function is
// deterministic in (k, s). Without CapShare k is found by a bracketing
// root finder (false position with the Illinois modification, safeguarded
// by bisection) started from the static solution; with CapShare k and s are
// updated proportionally (capitation and fees towards their targets, with
// step halving when the miss grows). Spending jumps where a GP's ceiling
// choice flips, so on a small world the tolerance may be unreachable: the
// error then says so.
func Solve(ctx context.Context, m *sim.Model, spec SolveSpec) (*SolveResult, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if spec.Shape.RiskAdjusted && !m.Demography() {
		return nil, errors.New("a risk-adjusted shape needs list composition (a world with a population composition and demography 1)")
	}
	st, err := solveStatic(m, spec)
	if spec.Mode != ModeDynamic {
		return st, err
	}
	if err != nil {
		return nil, fmt.Errorf("starting point (static solution): %w", err)
	}
	return solveDynamic(ctx, m, spec, st.Factor, st.FeeScale)
}

// scaledRules returns the rules of the shape scaled by k with fee scale s;
// everything else (equalisation grant, salaried contract) is the baseline's.
func scaledRules(m *sim.Model, shape finance.Spec, k, s float64) (finance.Spec, finance.Rules) {
	sp := scaleSpec(shape, k)
	rules := sp.Rules(m.Baseline.Equalisation, s)
	rules.Salaried = m.Baseline.Salaried
	return sp, rules
}

// solveStatic is Solve in static mode.
func solveStatic(m *sim.Model, spec SolveSpec) (*SolveResult, error) {
	start := m.Start()
	_, shapeRules := scaledRules(m, spec.Shape, 1, 1)
	capShape := start.Capitation(shapeRules)
	fees0 := start.Spending(shapeRules) - capShape
	target := start.Spending(m.Baseline) + spec.Extra
	if !(capShape > 0) {
		return nil, errors.New("shape: pays no capitation on the starting lists")
	}
	if !(target > 0) {
		return nil, fmt.Errorf("extra: the target %.0f NOK is not positive", target)
	}
	k, s := (target-fees0)/capShape, 1.0
	if c := spec.CapShare; c > 0 {
		if !(fees0 > 0) {
			return nil, errors.New("cap_share: the world has no fee income to scale")
		}
		k, s = c*target/capShape, (1-c)*target/fees0
	} else if !(k > 0) {
		return nil, fmt.Errorf("fees alone (%.0f NOK) meet the target (%.0f NOK): no positive factor", fees0, target)
	}
	sp, rules := scaledRules(m, spec.Shape, k, s)
	capit := start.Capitation(rules)
	achieved := start.Spending(rules)
	return &SolveResult{
		Mode: ModeStatic, Spec: sp, Factor: k, FeeScale: s, Rates: shapeRates(sp),
		Target: target, Achieved: achieved, Capitation: capit, Fees: achieved - capit,
	}, nil
}

// point is one dynamic evaluation: per-replication spending, capitation and
// fees in the matched year, and their means.
type point struct {
	k, s            float64
	spend, cap, fee []float64
	mSpend, mCap    float64
	mFee            float64
}

// dynamic holds what the evaluations of one dynamic solve share.
type dynamic struct {
	ctx  context.Context
	m    *sim.Model
	spec SolveSpec
	year int
	runs int
}

// run simulates one scenario and collects the matched year's values.
func (d *dynamic) run(sc sim.Scenario, k, s float64) (*point, error) {
	outs, err := sim.Run(d.ctx, sim.Config{
		Model: d.m, Scenarios: []sim.Scenario{sc}, Years: d.year,
		Reps: d.spec.Reps, Seed: d.spec.Seed, Workers: d.spec.Workers,
	})
	if err != nil {
		return nil, err
	}
	o := outs[0]
	nm := int(sim.NumMetrics)
	p := &point{k: k, s: s, spend: make([]float64, o.Reps), cap: make([]float64, o.Reps), fee: make([]float64, o.Reps)}
	for rep := range o.Reps {
		rec := o.Values[(rep*o.Years+d.year)*nm:][:nm]
		p.spend[rep], p.cap[rep], p.fee[rep] = rec[sim.PublicSpending], rec[sim.CapitationTotal], rec[sim.FeesTotal]
	}
	p.mSpend, p.mCap, p.mFee = mean(p.spend), mean(p.cap), mean(p.fee)
	return p, nil
}

// eval runs the shape scaled by k with fee scale s.
func (d *dynamic) eval(k, s float64) (*point, error) {
	if d.runs >= maxSolveRuns {
		return nil, errTooManyRuns
	}
	d.runs++
	_, rules := scaledRules(d.m, d.spec.Shape, k, s)
	return d.run(sim.Fixed{Label: "solve", R: rules}, k, s)
}

var errTooManyRuns = fmt.Errorf("no convergence within %d simulation runs", maxSolveRuns)

// solveDynamic is Solve in dynamic mode, started from (k0, s0).
func solveDynamic(ctx context.Context, m *sim.Model, spec SolveSpec, k0, s0 float64) (*SolveResult, error) {
	d := &dynamic{ctx: ctx, m: m, spec: spec, year: spec.Year}
	if d.year == 0 {
		d.year = DefaultSolveYear
	}
	tol := spec.Tol
	if tol == 0 {
		tol = DefaultSolveTol
	}
	base, err := d.run(m.BaselineScenario(), 0, 0)
	if err != nil {
		return nil, err
	}
	target := base.mSpend + spec.Extra
	if !(target > 0) {
		return nil, fmt.Errorf("extra: the target %.0f NOK in year %d is not positive", target, d.year)
	}
	var p *point
	if c := spec.CapShare; c > 0 {
		p, err = solveShare(d.eval, k0, s0, target, c, tol)
	} else {
		p, err = solveFactor(d.eval, k0, target, tol)
	}
	if err != nil {
		return nil, fmt.Errorf("dynamic solve, year %d, %d replications: %w", d.year, spec.Reps, err)
	}
	sp, _ := scaledRules(m, spec.Shape, p.k, p.s)
	diff := make([]float64, len(p.spend))
	for i := range diff {
		diff[i] = p.spend[i] - base.spend[i]
	}
	return &SolveResult{
		Mode: ModeDynamic, Spec: sp, Factor: p.k, FeeScale: p.s, Rates: shapeRates(sp),
		Target: target, Achieved: p.mSpend, Capitation: p.mCap, Fees: p.mFee,
		Year: d.year, Reps: spec.Reps,
		MCError: stdErr(p.spend), TargetError: stdErr(base.spend), DiffError: stdErr(diff),
		Iterations: d.runs,
	}, nil
}

// solveFactor finds k with mean spending(k, 1) = target within tol*target.
// Spending is taken to increase with k. Before a bracket is found it steps
// by secants (the first step uses the slope capitation/k of fixed lists);
// inside a bracket it uses false position with the Illinois modification
// and bisects whenever the bracket failed to halve over two steps.
func solveFactor(eval func(k, s float64) (*point, error), k0, target, tol float64) (*point, error) {
	abs := tol * target
	p0, err := eval(k0, 1)
	if err != nil {
		return nil, err
	}
	g0 := p0.mSpend - target
	if math.Abs(g0) <= abs {
		return p0, nil
	}
	// Find a bracket [a, b] with g(a) < 0 < g(b).
	var a, b *point
	var ga, gb float64
	// try evaluates spending at factor k: its miss g and whether it is
	// within the tolerance.
	try := func(k float64) (p *point, g float64, done bool, err error) {
		if p, err = eval(k, 1); err != nil {
			return nil, 0, false, bracketErr(err, a, b, target)
		}
		g = p.mSpend - target
		return p, g, math.Abs(g) <= abs, nil
	}
	set := func(p *point, g float64) {
		if g < 0 {
			a, ga = p, g
		} else {
			b, gb = p, g
		}
	}
	set(p0, g0)
	prev, gPrev := p0, g0
	slope := p0.mCap / k0
	if !(slope > 0) {
		slope = target / k0
	}
	for a == nil || b == nil {
		k := prev.k - gPrev/slope
		switch {
		case gPrev > 0 && !(k > 0):
			k = 0 // fees alone; bracketed below unless they exceed the target
		case gPrev < 0 && !(k > prev.k):
			k = 2 * prev.k
		case gPrev < 0:
			k = min(k, 4*prev.k) // bounded expansion
		}
		p, g, done, err := try(k)
		if err != nil || done {
			return p, err
		}
		if k == 0 && g > 0 {
			return nil, fmt.Errorf("spending without any capitation (%.0f NOK) exceeds the target (%.0f NOK): no factor meets it", p.mSpend, target)
		}
		if s := (g - gPrev) / (k - prev.k); s > 0 && !math.IsInf(s, 0) {
			slope = s
		}
		set(p, g)
		prev, gPrev = p, g
	}
	if a.k > b.k {
		return nil, fmt.Errorf("spending falls as the factor rises (%.0f NOK at factor %.6g, %.0f at %.6g): the solver needs it to rise", a.mSpend, a.k, b.mSpend, b.k)
	}
	side := 0
	widths := []float64{b.k - a.k}
	for {
		ka, kb := a.k, b.k
		k := (ka*gb - kb*ga) / (gb - ga)
		if n := len(widths); (n >= 3 && widths[n-1] > widths[n-3]/2) || !(k > ka && k < kb) {
			k = ka + (kb-ka)/2
		}
		if !(k > ka && k < kb) {
			return nil, jumpErr(a, b, target, abs)
		}
		p, g, done, err := try(k)
		if err != nil || done {
			return p, err
		}
		if g < 0 {
			a, ga = p, g
			if side == -1 {
				gb /= 2
			}
			side = -1
		} else {
			b, gb = p, g
			if side == 1 {
				ga /= 2
			}
			side = 1
		}
		widths = append(widths, b.k-a.k)
		if b.k-a.k <= 1e-12*b.k {
			return nil, jumpErr(a, b, target, abs)
		}
	}
}

// bracketErr adds the current bracket to an evaluation error.
func bracketErr(err error, a, b *point, target float64) error {
	if a != nil && b != nil {
		return fmt.Errorf("%w (target %.0f NOK between factor %.6g: %.0f and %.6g: %.0f)", err, target, a.k, a.mSpend, b.k, b.mSpend)
	}
	return err
}

// jumpErr reports a bracket that cannot shrink further: spending jumps
// across the target.
func jumpErr(a, b *point, target, abs float64) error {
	return fmt.Errorf("spending jumps across the target %.0f NOK between factors %.12g (%.0f) and %.12g (%.0f), "+
		"more than the tolerance %.0f NOK: no factor meets it (use more replications or a larger tolerance)",
		target, a.k, a.mSpend, b.k, b.mSpend, abs)
}

// solveShare finds (k, s) with mean capitation = c*target and mean fees =
// (1-c)*target: it scales k by the capitation's and s by the fees' ratio to
// their targets (one step is exact when lists do not respond), halving the
// step (in logs) while the miss grows.
func solveShare(eval func(k, s float64) (*point, error), k0, s0, target, c, tol float64) (*point, error) {
	miss := func(p *point) float64 {
		tot := p.mCap + p.mFee
		return math.Max(math.Abs(tot-target)/target, math.Abs(p.mCap/tot-c))
	}
	p, err := eval(k0, s0)
	if err != nil {
		return nil, err
	}
	r := miss(p)
	for r > tol {
		if !(p.mCap > 0 && p.mFee > 0) {
			return nil, fmt.Errorf("factor %.6g and fee scale %.6g give capitation %.0f and fees %.0f NOK: cannot scale", p.k, p.s, p.mCap, p.mFee)
		}
		dk, ds := math.Log(c*target/p.mCap), math.Log((1-c)*target/p.mFee)
		step := 1.0
		for {
			q, err := eval(p.k*math.Exp(step*dk), p.s*math.Exp(step*ds))
			if err != nil {
				return nil, fmt.Errorf("%w (best: factor %.6g, fee scale %.6g, capitation %.0f, fees %.0f, target %.0f NOK)", err, p.k, p.s, p.mCap, p.mFee, target)
			}
			if rq := miss(q); rq < r {
				p, r = q, rq
				break
			}
			if step < 1.0/16 {
				return nil, fmt.Errorf("no progress from factor %.6g, fee scale %.6g (capitation %.0f, fees %.0f NOK; target %.0f, share %g): spending jumps more than the tolerance %g allows (use more replications or a larger tolerance)",
					p.k, p.s, p.mCap, p.mFee, target, c, tol)
			}
			step /= 2
		}
	}
	return p, nil
}

func mean(xs []float64) float64 { return stat.Mean(xs, nil) }

// stdErr returns sd/sqrt(n) with the n-1 standard deviation; NaN for n < 2.
func stdErr(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	return stat.StdErr(stat.StdDev(xs, nil), float64(len(xs)))
}
