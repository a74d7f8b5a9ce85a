package calibrate

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// polishRadius is the Gauss-Newton trust region: the largest move of one
// step, in every coordinate of the search's unit box (0.1, a twentieth of
// a parameter's range: a few standard errors of the weakly identified
// parameters, tens of those of the well identified ones).
const polishRadius = 0.1

// polish runs Options.Polish Gauss-Newton steps from the transformed
// point z and returns the mean of the second half of the iterates, the
// Jacobian there when withJacobian (for the standard errors; nil
// otherwise), the Jacobian at z itself (nil without steps) and the number
// of steps taken. A step solves the
// linearised problem min_d (r - G d)' W (r - G d), r the observed minus the
// simulated moments (mean of the JacobianReps common-random-number panels)
// and G the numerical Jacobian, shortened to the trust region. Steps are
// not tested against the criterion: on a rugged criterion such a test
// keeps the point in the dip the search ended in. Near the minimum the
// iterates scatter around it (the simulated moments and the Jacobian
// change a little, discretely, from point to point), so their mean, as in
// Polyak-Ruppert averaging of stochastic approximation, is the estimate.
// The steps stop early when one moves no coordinate by more than polishTol
// of the unit box. Estimate keeps the search's point instead when the
// averaged point is worse on the many panels (polishBetter).
func (e *Estimator) polish(ctx context.Context, z []float64, withJacobian bool) (mean []float64, G, G0 *mat.Dense, steps int, err error) {
	if e.opt.Polish < 1 {
		if !withJacobian {
			return z, nil, nil, 0, nil
		}
		G, err := e.jacobian(ctx, z)
		return z, G, nil, 0, err
	}
	if G, err = e.jacobian(ctx, z); err != nil {
		return nil, nil, nil, 0, err
	}
	G0 = G
	var iterates [][]float64
	for range e.opt.Polish {
		e.stageProgress(fmt.Sprintf("polish %d/%d", len(iterates)+1, e.opt.Polish))
		rows, err := e.simulate(ctx, z, 0, e.opt.JacobianReps, e.opt.Workers)
		if err != nil {
			return nil, nil, nil, 0, err
		}
		d, ok := e.boundedStep(G, colMeans(rows, len(e.used)), z)
		if !ok {
			break
		}
		// The step in the unit box, shortened to the trust region.
		var m float64
		for i := range d {
			m = math.Max(m, math.Abs(d[i])/e.half[i])
		}
		if m > polishRadius {
			for i := range d {
				d[i] *= polishRadius / m
			}
		}
		z1 := make([]float64, len(z))
		for i := range z {
			lo, hi := e.opt.Free[i].zBounds()
			z1[i] = math.Max(lo, math.Min(hi, z[i]+d[i]))
		}
		z = z1
		iterates = append(iterates, z)
		if e.opt.Logf != nil {
			e.opt.Logf("polish step %d: largest move %.3g of the unit box, to %.4g", len(iterates), math.Min(m, polishRadius), e.natural(z))
		}
		e.history("polish", len(iterates), e.criterion(rows), e.toU(z))
		if m < polishTol || len(iterates) == e.opt.Polish {
			break
		}
		if G, err = e.jacobian(ctx, z); err != nil {
			return nil, nil, nil, 0, err
		}
	}
	if len(iterates) == 0 {
		return z, G, G0, 0, nil // the Jacobian at z
	}
	tail := iterates[len(iterates)/2:]
	mean = make([]float64, len(z))
	for _, it := range tail {
		for i := range it {
			mean[i] += it[i] / float64(len(tail))
		}
	}
	if !withJacobian {
		return mean, nil, G0, len(iterates), nil
	}
	if G, err = e.jacobian(ctx, mean); err != nil {
		return nil, nil, nil, 0, err
	}
	return mean, G, G0, len(iterates), nil
}

// polishTol ends the polish when a step moves every coordinate by less
// than this share of the unit box (0.005: a tenth of a standard error of
// the best identified parameters).
const polishTol = 0.005

// gaussNewton returns the Gauss-Newton step (G'WG)^-1 G'W r on the
// transformed scale, r the observed minus the simulated moments (moments
// empty in the simulation or the register are left out); false when G'WG
// is singular.
func (e *Estimator) gaussNewton(G *mat.Dense, sim []float64) ([]float64, bool) {
	k, d := G.Dims()
	r := mat.NewVecDense(k, nil)
	Gm := mat.DenseCopyOf(G) // rows of empty moments zeroed: left out
	for i := range k {
		if v := e.obs[i] - sim[i]; !math.IsNaN(v) {
			r.SetVec(i, v)
		} else {
			for j := range d {
				Gm.Set(i, j, 0)
			}
		}
	}
	G = Gm
	var WG, A mat.Dense
	WG.Mul(e.weights(), G)
	A.Mul(G.T(), &WG)
	var b, x mat.VecDense
	b.MulVec(WG.T(), r)
	if err := x.SolveVec(&A, &b); err != nil {
		return nil, false
	}
	out := make([]float64, d)
	for i := range d {
		out[i] = x.AtVec(i)
		if math.IsNaN(out[i]) || math.IsInf(out[i], 0) {
			return nil, false
		}
	}
	return out, true
}

// boundedStep returns the Gauss-Newton step from z with the parameters
// that sit at a bound and whose step would leave the box held there (an
// active set, re-solved until no further parameter is held): their move
// is 0 and the others' step is solved without them. Without it the others
// compensate for a move the bound then clips, and the polish drifts (seen
// on the national targets with alpha0 at its upper bound). With no
// parameter at a bound it is gaussNewton's step.
func (e *Estimator) boundedStep(G *mat.Dense, sim, z []float64) ([]float64, bool) {
	k, d := G.Dims()
	held := make([]bool, d)
	for {
		var cols []int
		for j := range d {
			if !held[j] {
				cols = append(cols, j)
			}
		}
		step := make([]float64, d)
		if len(cols) == 0 {
			return step, true
		}
		Gr := G
		if len(cols) < d {
			Gr = mat.NewDense(k, len(cols), nil)
			for c, j := range cols {
				for i := range k {
					Gr.Set(i, c, G.At(i, j))
				}
			}
		}
		dr, ok := e.gaussNewton(Gr, sim)
		if !ok {
			return nil, false
		}
		more := false
		for c, j := range cols {
			step[j] = dr[c]
			lo, hi := e.opt.Free[j].zBounds()
			eps := 1e-9 * (hi - lo)
			if (z[j] <= lo+eps && step[j] < 0) || (z[j] >= hi-eps && step[j] > 0) {
				held[j], more = true, true
			}
		}
		if !more {
			return step, true
		}
	}
}

// stageProgress tells the progress callback that a stage without
// criterion evaluations (a polish step, the standard errors) has begun.
func (e *Estimator) stageProgress(stage string) {
	if e.opt.Progress == nil {
		return
	}
	e.mu.Lock()
	n := e.evals
	e.mu.Unlock()
	e.opt.Progress(stage, n)
}
