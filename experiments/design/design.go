package design

import (
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/spatial/r1"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"

	"errors"
	"fmt"
	"math/rand/v2"
)

// Design kinds, the values of Design.Kind.
const (
	KindGrid   = "grid"
	KindLHS    = "lhs"
	KindSobol  = "sobol"
	KindMorris = "morris"
)

// MaxPoints bounds the size of any design, so that a mistyped level count or
// sample size fails fast instead of exhausting memory.
const MaxPoints = 1 << 24

// Point is one run of a design: a value per factor, in factor order, in the
// factors' own units.
type Point []float64

// Design is an ordered set of points over named factors, with the metadata
// its kind needs for sensitivity analysis. The model is run once per point;
// the outputs, in the same order, go to SobolIndices or MorrisIndices.
type Design struct {
	// Kind is one of KindGrid, KindLHS, KindSobol, KindMorris.
	Kind    string   `json:"kind"`
	Factors []Factor `json:"factors"`
	// Points are the runs, values in the factors' units.
	Points []Point `json:"points"`
	// Unit holds the same points in unit-cube coordinates (see
	// Factor.Value); Points[k][i] == Factors[i].Value(Unit[k][i]).
	Unit []Point `json:"unit"`
	// Sobol describes the block layout of a KindSobol design; nil otherwise.
	Sobol *SobolLayout `json:"sobol,omitempty"`
	// Morris describes the trajectories of a KindMorris design; nil
	// otherwise.
	Morris *MorrisLayout `json:"morris,omitempty"`
}

// Named returns point k as a map from factor name to value.
func (d *Design) Named(k int) map[string]float64 {
	m := make(map[string]float64, len(d.Factors))
	for i, f := range d.Factors {
		m[f.Name] = d.Points[k][i]
	}
	return m
}

// fromUnit builds the design's Points from its Unit coordinates.
func (d *Design) fromUnit() {
	d.Points = make([]Point, len(d.Unit))
	for k, u := range d.Unit {
		p := make(Point, len(d.Factors))
		for i, f := range d.Factors {
			p[i] = f.Value(u[i])
		}
		d.Points[k] = p
	}
}

// Grid returns the full factorial design over factors, each taking
// f.Levels evenly spaced values (on the log scale for Log factors) from Min
// to Max inclusive. Its size is the product of the level counts. Points are
// in row-major order: the last factor varies fastest.
func Grid(factors []Factor) (*Design, error) {
	if err := validateFactors(factors); err != nil {
		return nil, err
	}
	size := 1
	var errs []error
	for _, f := range factors {
		if f.Levels < 2 {
			errs = append(errs, fmt.Errorf("design: grid: factor %q: levels %d, need at least 2", f.Name, f.Levels))
			continue
		}
		if size > MaxPoints/f.Levels {
			return nil, fmt.Errorf("design: grid: more than %d points", MaxPoints)
		}
		size *= f.Levels
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	d := &Design{Kind: KindGrid, Factors: cloneFactors(factors), Unit: make([]Point, size)}
	idx := make([]int, len(factors))
	for k := range size {
		u := make(Point, len(factors))
		for i, f := range factors {
			u[i] = float64(idx[i]) / float64(f.Levels-1)
		}
		d.Unit[k] = u
		for i := len(idx) - 1; i >= 0; i-- { // odometer, last factor fastest
			idx[i]++
			if idx[i] < factors[i].Levels {
				break
			}
			idx[i] = 0
		}
	}
	d.fromUnit()
	return d, nil
}

// LHS returns a Latin hypercube design of n points: in unit coordinates
// each factor's [0, 1] is cut into n equal strata and every stratum holds
// exactly one point, at a uniformly random position within it; strata are
// paired across factors by independent random permutations, drawn from r.
func LHS(factors []Factor, n int, r *rand.Rand) (*Design, error) {
	if err := validateFactors(factors); err != nil {
		return nil, err
	}
	if err := checkRand(r); err != nil {
		return nil, fmt.Errorf("design: lhs: %w", err)
	}
	if n < 1 || n > MaxPoints {
		return nil, fmt.Errorf("design: lhs: n = %d, need 1..%d", n, MaxPoints)
	}
	d := &Design{Kind: KindLHS, Factors: cloneFactors(factors), Unit: unitLHS(n, len(factors), r)}
	d.fromUnit()
	return d, nil
}

// unitLHS draws an n x dim Latin hypercube on the unit cube. It is the
// algorithm of gonum's samplemv.LatinHypercube with a unit-uniform
// distmv quantile (per column, a random permutation assigns stratum j to
// row perm[j], and the value is (j + U)/n with U uniform on [0, 1)),
// written out here because importing stat/samplemv pulls in
// stat/distmv, which needs golang.org/x/tools, a module listetak's go.mod
// does not carry.
func unitLHS(n, dim int, r *rand.Rand) []Point {
	// gonum's Latin hypercube over the unit cube: one point per stratum per
	// dimension, drawn from r (never a nil Src).
	bounds := make([]r1.Interval, dim)
	for i := range bounds {
		bounds[i] = r1.Interval{Min: 0, Max: 1}
	}
	src := randSource{r}
	u := distmv.NewUniform(bounds, src)
	batch := mat.NewDense(n, dim, nil)
	samplemv.LatinHypercube{Q: u, Src: src}.Sample(batch)
	pts := make([]Point, n)
	for k := range pts {
		pts[k] = Point(mat.Row(nil, k, batch))
	}
	return pts
}

// randSource adapts a *rand.Rand to the rand.Source gonum takes.
type randSource struct{ r *rand.Rand }

func (s randSource) Uint64() uint64 { return s.r.Uint64() }

func checkRand(r *rand.Rand) error {
	if r == nil {
		return errors.New("nil *rand.Rand (randomness must be explicit)")
	}
	return nil
}

func cloneFactors(f []Factor) []Factor { return append([]Factor(nil), f...) }
