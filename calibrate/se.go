package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"listetak/params"
	"listetak/rng"
)

// jacobian returns G, the derivative of the fitted moments' expectation
// with respect to the transformed parameters at z: central differences of
// step Options.Step (one-sided at a bound), each point the mean of
// JacobianReps panels with the common random numbers. An empty simulated
// moment contributes 0.
func (e *Estimator) jacobian(ctx context.Context, z []float64) (*mat.Dense, error) {
	d, k := len(z), len(e.used)
	G := mat.NewDense(k, d, nil)
	for j, f := range e.opt.Free {
		lo, hi := f.zBounds()
		zp, zm := slices.Clone(z), slices.Clone(z)
		zp[j] = math.Min(z[j]+e.opt.Step, hi)
		zm[j] = math.Max(z[j]-e.opt.Step, lo)
		rp, err := e.simulate(ctx, zp, 0, e.opt.JacobianReps, e.opt.Workers)
		if err != nil {
			return nil, err
		}
		rm, err := e.simulate(ctx, zm, 0, e.opt.JacobianReps, e.opt.Workers)
		if err != nil {
			return nil, err
		}
		mp, mm := colMeans(rp, k), colMeans(rm, k)
		for i := range k {
			g := (mp[i] - mm[i]) / (zp[j] - zm[j])
			if math.IsNaN(g) {
				g = 0
			}
			G.Set(i, j, g)
		}
	}
	return G, nil
}

// weights returns the criterion's weighting matrix.
func (e *Estimator) weights() mat.Symmetric {
	if e.wFull != nil {
		return e.wFull
	}
	k := len(e.w)
	w := mat.NewSymDense(k, nil)
	for i, v := range e.w {
		w.SetSym(i, i, v)
	}
	return w
}

// sandwich returns the SMM covariance of the transformed estimate,
// (G'WG)^-1 G'W Omega W G (G'WG)^-1 (Gourieroux and Monfort 1996), with
// Omega = M + (1 + 1/S) V: V the covariance of one simulation's moments
// (estimated from the OmegaReps independent panels at the estimate; the
// observed moments are one realisation and the simulated ones the mean of
// S), M the diagonal of the observed moments' measurement-error variances
// (0 for a register, se squared for published targets).
func (e *Estimator) sandwich(G *mat.Dense, omega *mat.SymDense) (*mat.SymDense, error) {
	f := 1 + 1/float64(e.opt.Reps)
	if slices.ContainsFunc(e.meas, func(v float64) bool { return v != 0 }) {
		k := omega.SymmetricDim()
		full := mat.NewSymDense(k, nil)
		for i := range k {
			for j := i; j < k; j++ {
				full.SetSym(i, j, f*omega.At(i, j))
			}
			full.SetSym(i, i, full.At(i, i)+e.meas[i])
		}
		omega, f = full, 1
	}
	W := e.weights()
	var WG, A, B, tmp, V mat.Dense
	WG.Mul(W, G)
	A.Mul(G.T(), &WG)
	var Ainv mat.Dense
	if err := Ainv.Inverse(&A); err != nil {
		return nil, errors.New("standard errors: G'WG is singular (a parameter is not identified; see the identification report)")
	}
	tmp.Mul(omega, &WG)
	B.Mul(WG.T(), &tmp)
	tmp.Reset()
	tmp.Mul(&Ainv, &B)
	V.Mul(&tmp, Ainv.T())
	d, _ := V.Dims()
	out := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			out.SetSym(i, j, f*(V.At(i, j)+V.At(j, i))/2)
		}
	}
	return out, nil
}

// Identification is the local identification report at a parameter point:
// the Jacobian of the moments, standardised by the moments' standard
// deviations (so an entry is the change of a moment, in its own standard
// deviations, per unit change of a transformed parameter), its singular
// values, rank and condition number, and which moments each parameter
// moves (Canova and Sala 2009, "Back to square one: identification issues
// in DSGE models", J. Monetary Economics).
type Identification struct {
	Keys        []string
	Moments     []string     // moment keys, rows of Std
	Std         *mat.Dense   // standardised Jacobian (moments x parameters)
	Singular    []float64    // singular values, largest first
	Rank        int          // singular values above RankTol times the largest
	Condition   float64      // largest over smallest singular value (+Inf when rank deficient)
	Sensitivity []float64    // per parameter: norm of its standardised column
	Moves       [][]Movement // per parameter: the moments it moves most, largest first
	Flag        []string     // per parameter: why it is not (well) identified, "" when it is
}

// Movement is one moment's standardised derivative.
type Movement struct {
	Moment string
	Effect float64
}

// Thresholds of the identification report.
const (
	// RankTol: singular values below RankTol times the largest count as
	// zero for the rank (numerical zero of a finite-difference Jacobian).
	RankTol = 1e-6
	// IdentMin: a parameter (or a direction of parameters) whose unit change
	// on the transformed scale (a factor e on a log scale) moves the
	// moments by less than one standard deviation in all (norm of the
	// standardised Jacobian column, or singular value) is not identified by
	// these moments at this point.
	IdentMin = 1.0
	// loadingMin: a parameter loading at least this much on a weak singular
	// direction is named in that direction's flag.
	loadingMin = 0.3
	// topMoves is the number of moments listed per parameter.
	topMoves = 5
)

// identify builds the report from the Jacobian G of the fitted moments.
func (e *Estimator) identify(G *mat.Dense) *Identification {
	k, d := G.Dims()
	id := &Identification{Std: mat.NewDense(k, d, nil)}
	for _, f := range e.opt.Free {
		id.Keys = append(id.Keys, f.Key)
	}
	for _, i := range e.used {
		id.Moments = append(id.Moments, e.all[i].Key())
	}
	for i := range k {
		s := math.Sqrt(e.w[i])
		for j := range d {
			id.Std.Set(i, j, G.At(i, j)*s)
		}
	}
	var svd mat.SVD
	id.Flag = make([]string, d)
	if svd.Factorize(id.Std, mat.SVDThin) {
		id.Singular = svd.Values(nil)
		var v mat.Dense
		svd.VTo(&v)
		smax := id.Singular[0]
		for _, s := range id.Singular {
			if s > RankTol*smax {
				id.Rank++
			}
		}
		id.Condition = math.Inf(1)
		if id.Rank == d && id.Singular[d-1] > 0 {
			id.Condition = smax / id.Singular[d-1]
		}
		for c, s := range id.Singular {
			if s >= IdentMin && s > RankTol*smax {
				continue
			}
			var names []string
			for j := range d {
				if math.Abs(v.At(j, c)) >= loadingMin {
					names = append(names, id.Keys[j])
				}
			}
			for j := range d {
				if math.Abs(v.At(j, c)) >= loadingMin && id.Flag[j] == "" && len(names) > 1 {
					id.Flag[j] = fmt.Sprintf("weakly identified: a direction mixing %s moves the moments by %.3g standard deviations per unit", strings.Join(names, ", "), s)
				}
			}
		}
	}
	id.Sensitivity = make([]float64, d)
	id.Moves = make([][]Movement, d)
	for j := range d {
		id.Sensitivity[j] = mat.Norm(id.Std.ColView(j), 2)
		if id.Sensitivity[j] < IdentMin {
			id.Flag[j] = fmt.Sprintf("not identified: a unit change on its %s scale moves the moments by %.3g standard deviations in all", e.opt.Free[j].Transform, id.Sensitivity[j])
		}
		var mv []Movement
		for i := range k {
			if x := id.Std.At(i, j); x != 0 {
				mv = append(mv, Movement{id.Moments[i], x})
			}
		}
		sort.SliceStable(mv, func(a, b int) bool { return math.Abs(mv[a].Effect) > math.Abs(mv[b].Effect) })
		id.Moves[j] = mv[:min(len(mv), topMoves)]
	}
	return id
}

// Flags returns a sentence per parameter that is not (well) identified.
func (id *Identification) Flags() []string {
	var s []string
	for j, f := range id.Flag {
		if f != "" {
			s = append(s, id.Keys[j]+": "+f)
		}
	}
	return s
}

// Flagged reports whether the parameter key is flagged.
func (id *Identification) Flagged(key string) bool {
	i := slices.Index(id.Keys, key)
	return i >= 0 && id.Flag[i] != ""
}

// Report writes the report as text.
func (id *Identification) Report() string {
	var b strings.Builder
	d := len(id.Keys)
	fmt.Fprintf(&b, "Identification at the estimate: %d parameters, %d moments\n", d, len(id.Moments))
	fmt.Fprintf(&b, "Jacobian of the moments (standardised: moment SDs per unit of the transformed parameter)\n")
	fmt.Fprintf(&b, "rank %d of %d; condition number %.4g; singular values", id.Rank, d, id.Condition)
	for _, s := range id.Singular {
		fmt.Fprintf(&b, " %.4g", s)
	}
	b.WriteString("\n\n")
	for j, k := range id.Keys {
		status := "identified"
		if id.Flag[j] != "" {
			status = "FLAG: " + id.Flag[j]
		}
		fmt.Fprintf(&b, "%s: sensitivity %.4g; %s\n", k, id.Sensitivity[j], status)
		for _, m := range id.Moves[j] {
			fmt.Fprintf(&b, "    moves %-48s %+.3g\n", m.Moment, m.Effect)
		}
	}
	return b.String()
}

// Identify computes the identification report at the transformed point z
// without estimating anything: weights from OmegaReps panels at z, then the
// Jacobian. A parameter no moment responds to is flagged.
func (e *Estimator) Identify(ctx context.Context, z []float64) (*Identification, error) {
	_, _, vr, err := e.omega(ctx, z)
	if err != nil {
		return nil, err
	}
	e.setDiagWeights(vr)
	G, err := e.jacobian(ctx, z)
	if err != nil {
		return nil, err
	}
	return e.identify(G), nil
}

// ZOf returns the transformed values of the free parameters in p.
func (e *Estimator) ZOf(p params.Params) []float64 {
	z := make([]float64, len(e.opt.Free))
	for i, f := range e.opt.Free {
		z[i] = params.Forward(f.Transform, value(p, f.Key))
	}
	return z
}

// withMeasurementError returns bootstrap register b's moments with a
// normal measurement error of each moment's measurement variance added
// (none for a register), drawn from stream (Seed, bootOffset + b,
// "calibrate-bootstrap-measurement").
func (e *Estimator) withMeasurementError(m []float64, b int) []float64 {
	if !slices.ContainsFunc(e.meas, func(v float64) bool { return v != 0 }) {
		return m
	}
	r := rng.New(e.opt.Seed, bootOffset+b).Named("calibrate-bootstrap-measurement").Rand()
	out := slices.Clone(m)
	for k := range out {
		out[k] += math.Sqrt(e.meas[k]) * r.NormFloat64()
	}
	return out
}

// bootstrap re-estimates from u on Bootstrap registers simulated at the
// estimate and returns the standard deviation of each parameter's
// estimates (parameter scale).
func (e *Estimator) bootstrap(ctx context.Context, u []float64) ([]float64, error) {
	o := e.opt
	z := e.toZ(u)
	obs, err := e.simulate(ctx, z, bootOffset, o.Bootstrap, o.Workers)
	if err != nil {
		return nil, err
	}
	saved := e.obs
	defer func() { e.obs = saved }()
	d := len(u)
	est := make([][]float64, o.Bootstrap)
	for b := range o.Bootstrap {
		e.obs = e.withMeasurementError(obs[b], b)
		ub, _, err := e.search(ctx, fmt.Sprintf("bootstrap-%d", b), u, o.InitStep/2, max(o.MaxIter/2, 1))
		if err != nil {
			return nil, err
		}
		zb, _, _, _, err := e.polish(ctx, e.toZ(ub), false)
		if err != nil {
			return nil, err
		}
		est[b] = e.natural(zb)
		if o.Logf != nil {
			o.Logf("bootstrap %d/%d done", b+1, o.Bootstrap)
		}
	}
	se := make([]float64, d)
	for j := range d {
		var s, ss float64
		for b := range est {
			s += est[b][j]
		}
		m := s / float64(len(est))
		for b := range est {
			ss += (est[b][j] - m) * (est[b][j] - m)
		}
		se[j] = math.Sqrt(ss / math.Max(float64(len(est)-1), 1))
	}
	return se, nil
}
