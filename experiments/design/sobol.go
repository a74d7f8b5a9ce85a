package design

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// SobolLayout records where the Saltelli matrices sit in a KindSobol
// design's Points. With N base rows and D factors, the design is made of
// consecutive blocks of N rows:
//
//	A        rows [0, N)
//	B        rows [N, 2N)
//	AB_i     rows [(2+i)N, (3+i)N)      i = 0..D-1: A with column i from B
//	BA_i     rows [(2+D+i)N, (3+D+i)N)  i = 0..D-1: B with column i from A
//	                                    (only when SecondOrder)
//
// Row j of every block derives from base row j of A and B.
type SobolLayout struct {
	N           int  `json:"n"`
	D           int  `json:"d"`
	SecondOrder bool `json:"second_order"`
}

// A returns the index in Points of row j of matrix A.
func (l SobolLayout) A(j int) int { return j }

// B returns the index in Points of row j of matrix B.
func (l SobolLayout) B(j int) int { return l.N + j }

// AB returns the index in Points of row j of A_B^(i), A with column i taken
// from B.
func (l SobolLayout) AB(i, j int) int { return (2+i)*l.N + j }

// BA returns the index in Points of row j of B_A^(i), B with column i taken
// from A, or -1 when the design has no second-order blocks.
func (l SobolLayout) BA(i, j int) int {
	if !l.SecondOrder {
		return -1
	}
	return (2+l.D+i)*l.N + j
}

// Size is the number of points: N(D+2), or N(2D+2) with second order.
func (l SobolLayout) Size() int {
	if l.SecondOrder {
		return l.N * (2*l.D + 2)
	}
	return l.N * (l.D + 2)
}

// Sobol returns the Saltelli design for variance-based sensitivity
// analysis (A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto,
// S. Tarantola, "Variance based sensitivity analysis of model output.
// Design and estimator for the total sensitivity index", Computer Physics
// Communications 181(2), 2010, 259-270; second-order blocks after
// A. Saltelli, "Making best use of model evaluations to compute sensitivity
// indices", Computer Physics Communications 145(2), 2002, 280-297).
//
// Base matrices: A and B are the two halves of one n x 2D Latin hypercube
// on the unit cube (columns 0..D-1 give A, D..2D-1 give B), drawn from r.
// This is not the quasi-random (Sobol' sequence) base of Saltelli 2010: it
// keeps every estimator unbiased, stratifies each column of A and B, and
// needs no direction-number tables, at the price of Monte Carlo rather than
// quasi-Monte Carlo convergence (error ~ n^(-1/2)); the bootstrap intervals
// of SobolIndices report that error.
//
// The layout is described by SobolLayout; the size is n(D+2), or n(2D+2)
// with secondOrder. n must be at least 2.
func Sobol(factors []Factor, n int, secondOrder bool, r *rand.Rand) (*Design, error) {
	if err := validateFactors(factors); err != nil {
		return nil, err
	}
	if err := checkRand(r); err != nil {
		return nil, fmt.Errorf("design: sobol: %w", err)
	}
	dim := len(factors)
	l := SobolLayout{N: n, D: dim, SecondOrder: secondOrder}
	if n < 2 || n > MaxPoints/(2*dim+2) {
		return nil, fmt.Errorf("design: sobol: n = %d, need 2..%d for %d factors", n, MaxPoints/(2*dim+2), dim)
	}
	base := unitLHS(n, 2*dim, r)
	unit := make([]Point, l.Size())
	for j, row := range base {
		a, b := row[:dim], row[dim:]
		unit[l.A(j)] = slices.Clone(a)
		unit[l.B(j)] = slices.Clone(b)
		for i := range dim {
			ab := slices.Clone(a)
			ab[i] = b[i]
			unit[l.AB(i, j)] = ab
			if secondOrder {
				ba := slices.Clone(b)
				ba[i] = a[i]
				unit[l.BA(i, j)] = ba
			}
		}
	}
	d := &Design{Kind: KindSobol, Factors: cloneFactors(factors), Unit: unit, Sobol: &l}
	d.fromUnit()
	return d, nil
}

// Interval is a confidence interval [Low, High].
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Contains reports whether x lies in [Low, High].
func (iv Interval) Contains(x float64) bool { return iv.Low <= x && x <= iv.High }

// SobolIndex holds the variance-based sensitivity indices of one factor.
// Confidence intervals are 95 % percentile-bootstrap intervals; they are
// NaN when SobolIndices was called with nBoot = 0.
type SobolIndex struct {
	Factor string `json:"factor"`
	// S1 is the first-order index: the share of output variance explained
	// by the factor alone.
	S1   float64  `json:"s1"`
	S1CI Interval `json:"s1_ci"`
	// ST is the total index: the share of output variance involving the
	// factor, alone or in interaction.
	ST   float64  `json:"st"`
	STCI Interval `json:"st_ci"`
	// S2[j] is the second-order index of this factor with factor j (NaN
	// for j equal to this factor). S2 and S2CI are nil unless the design
	// has second-order blocks.
	S2   []float64  `json:"s2,omitempty"`
	S2CI []Interval `json:"s2_ci,omitempty"`
}

// ErrZeroVariance is returned when the outputs of a design's A and B rows
// are all equal, so that variance-based indices are undefined.
var ErrZeroVariance = errors.New("design: output variance is zero")

// SobolIndices estimates Sobol' indices from the outputs y of a KindSobol
// design, y[k] being the model output at d.Points[k].
//
// With f_A, f_B, f_ABi the outputs of the A, B and A_B^(i) rows and V the
// variance of the 2N outputs of A and B:
//
//	first order (Saltelli et al. 2010, Table 2 (b)):
//	    S_i  = (1/N) sum_j f_B(j) (f_ABi(j) - f_A(j)) / V
//	total (M. J. W. Jansen, "Analysis of variance designs for model output",
//	Computer Physics Communications 117(1-2), 1999, 35-43; Saltelli 2010
//	Table 2 (f)):
//	    ST_i = (1/2N) sum_j (f_A(j) - f_ABi(j))^2 / V
//	second order, when the design has B_A^(i) blocks (Saltelli 2002):
//	    S_ik = (1/N) sum_j (f_BAi(j) f_ABk(j) - f_A(j) f_B(j)) / V - S_i - S_k
//
// Outputs are centred on the mean of the A and B outputs before the
// products are formed; this leaves the estimators' expectations unchanged
// and removes the variance a large output mean would add.
//
// Confidence intervals come from a percentile bootstrap: nBoot times, N base
// rows are resampled with replacement (row j carrying all its blocks), the
// indices are recomputed, and the 2.5 % and 97.5 % quantiles of the
// replicates bound the interval. nBoot = 0 skips the bootstrap (intervals
// NaN); r may then be nil.
//
// It fails when d is not a consistent Sobol design, when len(y) differs
// from len(d.Points), when y holds a NaN or an infinity, and with
// ErrZeroVariance when the A and B outputs are constant.
func SobolIndices(d *Design, y []float64, nBoot int, r *rand.Rand) ([]SobolIndex, error) {
	if d == nil || d.Kind != KindSobol || d.Sobol == nil {
		return nil, errors.New("design: sobol indices need a sobol design")
	}
	l := *d.Sobol
	if l.D != len(d.Factors) || l.N < 2 || l.Size() != len(d.Points) {
		return nil, fmt.Errorf("design: sobol layout (N=%d, D=%d, second order %v) does not match %d factors and %d points",
			l.N, l.D, l.SecondOrder, len(d.Factors), len(d.Points))
	}
	if err := checkOutputs(d, y); err != nil {
		return nil, err
	}
	if nBoot < 0 {
		return nil, fmt.Errorf("design: nBoot = %d is negative", nBoot)
	}
	if nBoot > 0 {
		if err := checkRand(r); err != nil {
			return nil, fmt.Errorf("design: sobol bootstrap: %w", err)
		}
	}

	dim := l.D
	e := newSobolEstimate(dim, l.SecondOrder)
	rows := make([]int, l.N)
	for j := range rows {
		rows[j] = j
	}
	if !e.compute(l, y, rows) {
		return nil, ErrZeroVariance
	}
	out := make([]SobolIndex, dim)
	nan := Interval{math.NaN(), math.NaN()}
	for i := range out {
		out[i] = SobolIndex{Factor: d.Factors[i].Name, S1: e.s1[i], ST: e.st[i], S1CI: nan, STCI: nan}
		if l.SecondOrder {
			out[i].S2 = slices.Clone(e.s2[i])
			out[i].S2CI = make([]Interval, dim)
			for k := range dim {
				out[i].S2CI[k] = nan
			}
		}
	}
	if nBoot == 0 {
		return out, nil
	}

	// Bootstrap replicates, one slice per statistic.
	s1b := make([][]float64, dim)
	stb := make([][]float64, dim)
	var s2b [][][]float64
	for i := range dim {
		s1b[i] = make([]float64, 0, nBoot)
		stb[i] = make([]float64, 0, nBoot)
	}
	if l.SecondOrder {
		s2b = make([][][]float64, dim)
		for i := range dim {
			s2b[i] = make([][]float64, dim)
			for k := i + 1; k < dim; k++ {
				s2b[i][k] = make([]float64, 0, nBoot)
			}
		}
	}
	be := newSobolEstimate(dim, l.SecondOrder)
	for range nBoot {
		for j := range rows {
			rows[j] = r.IntN(l.N)
		}
		if !be.compute(l, y, rows) {
			continue // degenerate resample: all outputs equal; skip it
		}
		for i := range dim {
			s1b[i] = append(s1b[i], be.s1[i])
			stb[i] = append(stb[i], be.st[i])
			for k := i + 1; k < dim && l.SecondOrder; k++ {
				s2b[i][k] = append(s2b[i][k], be.s2[i][k])
			}
		}
	}
	for i := range dim {
		out[i].S1CI = percentile95(s1b[i])
		out[i].STCI = percentile95(stb[i])
		for k := i + 1; k < dim && l.SecondOrder; k++ {
			ci := percentile95(s2b[i][k])
			out[i].S2CI[k], out[k].S2CI[i] = ci, ci
		}
	}
	return out, nil
}

// sobolEstimate holds one set of index estimates and its scratch space.
type sobolEstimate struct {
	s1, st []float64
	s2     [][]float64 // symmetric, NaN diagonal; nil without second order
	// per-factor accumulators
	sumS1, sumST []float64
	sumS2        [][]float64
}

func newSobolEstimate(dim int, second bool) *sobolEstimate {
	e := &sobolEstimate{
		s1: make([]float64, dim), st: make([]float64, dim),
		sumS1: make([]float64, dim), sumST: make([]float64, dim),
	}
	if second {
		e.s2 = make([][]float64, dim)
		e.sumS2 = make([][]float64, dim)
		for i := range dim {
			e.s2[i] = make([]float64, dim)
			e.sumS2[i] = make([]float64, dim)
		}
	}
	return e
}

// compute evaluates the estimators over the base rows listed in rows
// (repeats allowed). It reports false when the output variance is zero.
func (e *sobolEstimate) compute(l SobolLayout, y []float64, rows []int) bool {
	n := float64(len(rows))
	var mean float64
	for _, j := range rows {
		mean += y[l.A(j)] + y[l.B(j)]
	}
	mean /= 2 * n
	var v float64
	for _, j := range rows {
		a, b := y[l.A(j)]-mean, y[l.B(j)]-mean
		v += a*a + b*b
	}
	v /= 2 * n
	if !(v > 0) {
		return false
	}
	clear(e.sumS1)
	clear(e.sumST)
	for i := range e.sumS2 {
		clear(e.sumS2[i])
	}
	var sumAB float64 // sum of f_A f_B, for second order
	for _, j := range rows {
		fa, fb := y[l.A(j)]-mean, y[l.B(j)]-mean
		sumAB += fa * fb
		for i := range l.D {
			fab := y[l.AB(i, j)] - mean
			e.sumS1[i] += fb * (fab - fa)
			diff := fa - fab
			e.sumST[i] += diff * diff
			if l.SecondOrder {
				fba := y[l.BA(i, j)] - mean
				for k := i + 1; k < l.D; k++ {
					e.sumS2[i][k] += fba * (y[l.AB(k, j)] - mean)
				}
			}
		}
	}
	for i := range l.D {
		e.s1[i] = e.sumS1[i] / n / v
		e.st[i] = e.sumST[i] / (2 * n) / v
	}
	if l.SecondOrder {
		for i := range l.D {
			e.s2[i][i] = math.NaN()
			for k := i + 1; k < l.D; k++ {
				s := (e.sumS2[i][k]-sumAB)/n/v - e.s1[i] - e.s1[k]
				e.s2[i][k], e.s2[k][i] = s, s
			}
		}
	}
	return true
}

// percentile95 returns the 2.5 % and 97.5 % empirical quantiles of x
// (sorted in place), linearly interpolated; NaN when x is empty.
func percentile95(x []float64) Interval {
	if len(x) == 0 {
		return Interval{math.NaN(), math.NaN()}
	}
	slices.Sort(x)
	return Interval{
		Low:  stat.Quantile(0.025, stat.LinInterp, x, nil),
		High: stat.Quantile(0.975, stat.LinInterp, x, nil),
	}
}

// checkOutputs checks y against d: one finite value per point.
func checkOutputs(d *Design, y []float64) error {
	if len(y) != len(d.Points) {
		return fmt.Errorf("design: %d outputs for %d points", len(y), len(d.Points))
	}
	for k, v := range y {
		if math.IsNaN(v) {
			return fmt.Errorf("design: output %d is NaN", k)
		}
		if math.IsInf(v, 0) {
			return fmt.Errorf("design: output %d is %v", k, v)
		}
	}
	return nil
}
