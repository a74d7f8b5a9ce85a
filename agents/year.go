package agents

import (
	"math"

	"listetak/finance"
	"listetak/params"
)

// Year is what a GP faces in one simulated year, precomputed on the ceiling
// grid so that the ceiling choice costs a few operations per grid point:
// capitation (with and without the guarantee), fees net of variable costs,
// and, for each class of extra public-duty hours, the disutility shape
// Href/(1+gamma) * (H(C)/Href)^(1+gamma) of a full list.
//
// A Year is reused from year to year with Reset; it is not safe for
// concurrent use while being Reset.
type Year struct {
	P     *params.Params // money-scaled parameters
	Rules finance.Rules
	T     int     // year index: 0 is the starting state
	H     float64 // h_t: hours per listed person in this year

	Grid     []float64   // ceilings Cmin, Cmin+dC, ..., Cmax (persons)
	capPlain []float64   // cap(C) without guarantee
	capGuar  []float64   // cap(C) for a guarantee-eligible young contract
	feeNet   []float64   // (f*feeScale - c) * C
	classes  []Class     // the hours classes
	shape    [][]float64 // [class][grid point] disutility per unit leisure value
	fee      float64     // f * feeScale
	// kinks are the grid indexes where the capitation's marginal rate rises
	// (U is concave between them and the staff-step boundaries).
	kinksPlain, kinksGuar []int
	concave               bool // income non-decreasing in C and the disutility convex
	scratch               []float64
	gamma1                float64 // 1 + gamma
}

// Class is a group of GPs whose lists need the same hours: the extra
// public-duty hours E (hours/year) and the hours factor of a listed person
// (hours per person relative to h; 0 means 1). Without list composition sim
// makes one class per distinct E_m; with it one per municipality, whose
// average person sets the factor (MODEL.md "Extensions").
type Class struct {
	Extra, Hours float64
}

// hours returns the class's hours factor (1 when unset).
func (c Class) hours() float64 { return or1(c.Hours) }

func or1(x float64) float64 {
	if x == 0 {
		return 1
	}
	return x
}

// Factors scale a list's capitation and fee income relative to a list of
// as many average persons (population mean 1): Cap is the list's correction
// factor under risk-adjusted capitation, Fee its mean fee factor. The zero
// value means 1 for both.
type Factors struct {
	Cap, Fee float64
}

// Reset recomputes the year's tables for year t (t = 1 is the first
// simulated year), the money rules in force and the hours classes (sim maps
// each municipality to one class).
func (y *Year) Reset(p *params.Params, rules finance.Rules, t int, classes []Class) {
	y.P, y.Rules, y.T = p, rules, t
	y.H = p.HoursPerPerson * math.Pow(1+p.HoursGrowth, float64(t))
	n := p.GridSize()
	y.Grid = resize(y.Grid, n)
	y.capPlain = resize(y.capPlain, n)
	y.capGuar = resize(y.capGuar, n)
	y.feeNet = resize(y.feeNet, n)
	y.fee = p.Fee * rules.Fees()
	y.gamma1 = 1 + p.Gamma
	for g := range n {
		c := p.CeilingMin + float64(g)*p.CeilingStep
		y.Grid[g] = c
		y.capPlain[g] = rules.Capitation.Capitation(c)
		y.capGuar[g] = rules.Cap(c, c, 0)
		y.feeNet[g] = (y.fee - p.CostPerPerson) * c
	}
	y.kinksPlain = kinksOf(y.kinksPlain[:0], y.capPlain)
	y.kinksGuar = kinksOf(y.kinksGuar[:0], y.capGuar)
	y.concave = p.Gamma >= 0
	for g := 1; g < n; g++ {
		if y.capPlain[g]+y.feeNet[g] < y.capPlain[g-1]+y.feeNet[g-1] || y.capGuar[g]+y.feeNet[g] < y.capGuar[g-1]+y.feeNet[g-1] {
			y.concave = false
		}
	}
	y.classes = append(y.classes[:0], classes...)
	if cap(y.shape) < len(classes) {
		y.shape = make([][]float64, len(classes))
	}
	y.shape = y.shape[:len(classes)]
	for k, cl := range classes {
		y.shape[k] = resize(y.shape[k], n)
		hf := cl.hours()
		for g, c := range y.Grid {
			y.shape[k][g] = y.disutilityShape(p.FixedHours + cl.Extra + y.H*hf*c)
		}
	}
}

// feeNetFor returns (f*feeScale*fee - c)*C on the grid for a fee factor
// other than 1, in a scratch table.
func (y *Year) feeNetFor(fee float64) []float64 {
	y.scratch = resize(y.scratch, len(y.Grid))
	fnet := y.fee*fee - y.P.CostPerPerson
	for g, c := range y.Grid {
		y.scratch[g] = fnet * c
	}
	return y.scratch
}

// kinksOf appends the indexes g where cap's increment rises: cap[g+1]-cap[g]
// exceeds cap[g]-cap[g-1] (beyond rounding). A new concave piece starts at g.
func kinksOf(dst []int, capt []float64) []int {
	for g := 1; g+1 < len(capt); g++ {
		d0, d1 := capt[g]-capt[g-1], capt[g+1]-capt[g]
		if d1 > d0+1e-9*math.Max(1, math.Abs(d0)) {
			dst = append(dst, g)
		}
	}
	return dst
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// disutilityShape is D(H)/w = Href/(1+gamma) * (H/Href)^(1+gamma).
func (y *Year) disutilityShape(h float64) float64 {
	r := h / y.P.RefHours
	var pw float64
	if y.P.Gamma == 2 {
		pw = r * r * r
	} else {
		pw = math.Pow(r, y.gamma1)
	}
	return y.P.RefHours / y.gamma1 * pw
}

// Hours returns H(L) = H0 + E + h_t*L (hours/year).
func (y *Year) Hours(l, extra float64) float64 { return y.P.FixedHours + extra + y.H*l }

// Disutility returns D(H) = w*Href/(1+gamma)*(H/Href)^(1+gamma) (NOK/year)
// for an effective leisure value w (NOK/hour).
func (y *Year) Disutility(w, hours float64) float64 { return w * y.disutilityShape(hours) }

// Income is a self-employed GP's income for a list, by component (NOK/year).
type Income struct {
	Capitation, Fees, Equalisation, Cost float64
}

// Gross is capitation + fees + equalisation grant.
func (in Income) Gross() float64 { return in.Capitation + in.Fees + in.Equalisation }

// Net is gross income less practice costs.
func (in Income) Net() float64 { return in.Gross() - in.Cost }

// Income returns the income of a self-employed GP with a list of l average
// persons, the given ceiling, contract age (years; negative = long), staff
// step sigma (persons) and equalisation grant eq (NOK/year). Practice cost is
// K(L) = F + c*L + S*floor(L/sigma) (MODEL.md "Money and time").
func (y *Year) Income(l, ceiling float64, contractAge int, sigma, eq float64) Income {
	return y.IncomeF(l, ceiling, contractAge, sigma, eq, Factors{})
}

// IncomeF is Income for a list whose capitation and fees are scaled by f
// (list composition, MODEL.md "Extensions"). Costs depend on persons only.
func (y *Year) IncomeF(l, ceiling float64, contractAge int, sigma, eq float64, f Factors) Income {
	return Income{
		Capitation:   y.Rules.Cap(l, ceiling, contractAge) * or1(f.Cap),
		Fees:         y.fee * or1(f.Fee) * l,
		Equalisation: eq,
		Cost:         y.P.FixedCost + y.P.CostPerPerson*l + y.P.StaffCost*staffSteps(l, sigma),
	}
}

// Net returns the net income N(L) of Income.
func (y *Year) Net(l, ceiling float64, contractAge int, sigma, eq float64) float64 {
	return y.Income(l, ceiling, contractAge, sigma, eq).Net()
}

// NetF returns the net income of IncomeF.
func (y *Year) NetF(l, ceiling float64, contractAge int, sigma, eq float64, f Factors) float64 {
	return y.IncomeF(l, ceiling, contractAge, sigma, eq, f).Net()
}

// EffectiveLeisure returns w_t = w * (max(N, 0.1*Nbar)/Nbar)^eta, the
// leisure value after the income effect, N being last year's net income.
func EffectiveLeisure(p *params.Params, w, lastNet float64) float64 {
	if p.Eta == 0 {
		return w
	}
	n := math.Max(lastNet, 0.1*p.RefIncome) / p.RefIncome
	return w * math.Pow(n, p.Eta)
}

// Chooser holds what the ceiling choice needs of one GP.
type Chooser struct {
	W           float64 // effective leisure value w_t (NOK/hour)
	Lambda      float64 // loss aversion (1 = none)
	Ref         float64 // reference net income R (NOK/year)
	Sigma       float64 // staff step (persons)
	Eq          float64 // equalisation grant (NOK/year)
	ContractAge int     // years; negative = long
	Class       int     // hours class (index into the classes of Reset)
	// F scales capitation and fees for the persons the GP expects: with
	// list composition, the municipality's average person (zero: 1).
	F Factors
}

// young reports whether the guarantee's contract-age limit lets the GP in.
func (y *Year) young(contractAge int) bool {
	return y.Rules.Guarantee.Eligible(math.Inf(1), contractAge)
}

// Choose returns the grid index of C* = argmax over the grid of
// U(C) = N(C) - D(H(C)) - (lambda-1)*max(0, R - N(C)), planning for a full
// list (L = C), ties to the smaller C (MODEL.md step 2).
func (y *Year) Choose(c Chooser) int {
	capt, kinks := y.capPlain, y.kinksPlain
	if y.young(c.ContractAge) {
		capt, kinks = y.capGuar, y.kinksGuar
	}
	if !y.concave || y.fee*or1(c.F.Fee) < y.P.CostPerPerson {
		return y.chooseScan(c, capt)
	}
	// Between two staff-step boundaries (and the points where the capitation's
	// marginal rate rises: a guarantee threshold) U is concave in C: income is
	// concave and non-decreasing, the loss-aversion term a concave,
	// non-decreasing function of income, and the disutility convex. So each
	// piece is scanned only until U falls; the next piece starts afresh.
	// TestChooseMatchesOracle checks this against the full scan.
	shape := y.shape[c.Class]
	la := c.Lambda - 1
	p := y.P
	capF := or1(c.F.Cap)
	feeNet := y.feeNet
	if c.F.Fee != 0 && c.F.Fee != 1 {
		feeNet = y.feeNetFor(c.F.Fee)
	}
	best, bestU := 0, math.Inf(-1)
	n := len(y.Grid)
	g, k := 0, 0
	for g < n {
		// The piece runs from g to end (exclusive): the next staff boundary
		// or capitation kink after g.
		steps := staffSteps(y.Grid[g], c.Sigma)
		end := int(math.Ceil(((steps+1)*c.Sigma - p.CeilingMin) / p.CeilingStep))
		end = min(max(end, g+1), n)
		// Guard against rounding at the boundary.
		for end < n && staffSteps(y.Grid[end], c.Sigma) == steps {
			end++
		}
		for end > g+1 && staffSteps(y.Grid[end-1], c.Sigma) != steps {
			end--
		}
		for k < len(kinks) && kinks[k] <= g {
			k++
		}
		if k < len(kinks) && kinks[k] < end {
			end = kinks[k]
		}
		end = min(end, n)
		base := c.Eq - p.FixedCost - p.StaffCost*steps
		prev := math.Inf(-1)
		for ; g < end; g++ {
			nn := capF*capt[g] + feeNet[g] + base
			u := nn - c.W*shape[g]
			if la > 0 && nn < c.Ref {
				u -= la * (c.Ref - nn)
			}
			if u > bestU {
				best, bestU = g, u
			}
			if u < prev {
				g = end
				break
			}
			prev = u
		}
	}
	return best
}

// chooseScan is Choose by a full scan of the grid, for rules under which U
// need not be concave between staff steps.
func (y *Year) chooseScan(c Chooser, capt []float64) int {
	shape := y.shape[c.Class]
	la := c.Lambda - 1
	capF := or1(c.F.Cap)
	fnet := y.fee*or1(c.F.Fee) - y.P.CostPerPerson
	best, bestU := 0, math.Inf(-1)
	for g, cc := range y.Grid {
		nn := capF*capt[g] + fnet*cc + c.Eq - y.P.FixedCost - y.P.StaffCost*staffSteps(cc, c.Sigma)
		u := nn - c.W*shape[g]
		if la > 0 && nn < c.Ref {
			u -= la * (c.Ref - nn)
		}
		if u > bestU {
			best, bestU = g, u
		}
	}
	return best
}

// staffSteps returns floor(L/sigma), the staff steps of a list.
func staffSteps(l, sigma float64) float64 { return math.Floor(l / sigma) }

// Utility returns U(C) at grid index g for a GP (the full-scan oracle of
// Choose; used in tests and the starting-state draws).
func (y *Year) Utility(c Chooser, g int) float64 {
	a, d := y.parts(c, g)
	return a - c.W*d
}

// parts returns U(C_g) = a - w*d: a = N - (lambda-1)max(0, R-N) and d the
// disutility shape.
func (y *Year) parts(c Chooser, g int) (a, d float64) {
	capt := y.capPlain
	if y.young(c.ContractAge) {
		capt = y.capGuar
	}
	cc := y.Grid[g]
	n := or1(c.F.Cap)*capt[g] + (y.fee*or1(c.F.Fee)-y.P.CostPerPerson)*cc + c.Eq - y.P.FixedCost - y.P.StaffCost*staffSteps(y.Grid[g], c.Sigma)
	a = n
	if la := c.Lambda - 1; la > 0 && n < c.Ref {
		a -= la * (c.Ref - n)
	}
	return a, y.shape[c.Class][g]
}

// LeisureInterval returns the interval [lo, hi) of effective leisure values
// w_t (NOK/hour, c.W ignored) for which grid index k is the argmax of Choose,
// and whether it is non-empty. Since U(C) = a(C) - w*d(C) with d increasing
// in C, index k wins against every smaller index j for w < (a_k-a_j)/(d_k-d_j)
// (strictly: ties go to the smaller C) and against every larger index j for
// w >= (a_j-a_k)/(d_j-d_k) (MODEL.md "Starting state", step 3).
func (y *Year) LeisureInterval(c Chooser, k int) (lo, hi float64, ok bool) {
	ak, dk := y.parts(c, k)
	lo, hi = 0, math.Inf(1)
	for j := range y.Grid {
		if j == k {
			continue
		}
		aj, dj := y.parts(c, j)
		if j < k {
			if b := (ak - aj) / (dk - dj); b < hi {
				hi = b
			}
		} else if b := (aj - ak) / (dj - dk); b > lo {
			lo = b
		}
	}
	return lo, hi, lo < hi
}

// Nearest returns the grid index nearest to a ceiling, ties to the larger,
// clamped to the grid (MODEL.md step 3).
func (y *Year) Nearest(ceiling float64) int {
	return NearestIndex(y.P, ceiling)
}

// Up returns the index of the smallest grid ceiling >= x, clamped to the
// grid (docs/model.md "Ceilings": the ceiling a list of x persons needs).
func (y *Year) Up(x float64) int {
	g := math.Ceil((x - y.P.CeilingMin) / y.P.CeilingStep)
	switch n := len(y.Grid); {
	case !(g < float64(n-1)): // above the grid, +Inf or NaN
		return n - 1
	case g < 0:
		return 0
	default:
		return int(g)
	}
}

// NearestIndex is Year.Nearest without a Year.
func NearestIndex(p *params.Params, ceiling float64) int {
	g := int(math.Floor((ceiling-p.CeilingMin)/p.CeilingStep + 0.5))
	if g < 0 {
		return 0
	}
	if n := p.GridSize(); g >= n {
		return n - 1
	}
	return g
}
