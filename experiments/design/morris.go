package design

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// MorrisLayout records the trajectories of a KindMorris design. With D
// factors, trajectory t occupies Points[t(D+1)] .. Points[t(D+1)+D]; between
// its step m and m+1 only factor Changed[t][m] moves, by Sign[t][m]*Delta
// in unit coordinates.
type MorrisLayout struct {
	// Levels is p, the number of grid levels per factor in unit
	// coordinates: 0, 1/(p-1), ..., 1.
	Levels int `json:"levels"`
	// Delta is the unit-coordinate step, p/(2(p-1)).
	Delta        float64 `json:"delta"`
	Trajectories int     `json:"trajectories"`
	// Changed[t] is a permutation of the factor indices: the order in which
	// trajectory t moves them.
	Changed [][]int `json:"changed"`
	// Sign[t][m] is +1 when the factor moves up, -1 when it moves down.
	Sign [][]int `json:"sign"`
}

// Index returns the index in Points of step m (0..D) of trajectory t.
func (l MorrisLayout) Index(t, m int) int { return t*(len(l.Changed[t])+1) + m }

// Morris returns r elementary-effects trajectories (M. D. Morris,
// "Factorial sampling plans for preliminary computational experiments",
// Technometrics 33(2), 1991, 161-174) on a grid of p = levels values per
// factor in unit coordinates, with step Delta = p/(2(p-1)), i.e. p/2 grid
// intervals; p must be even (Morris's recommendation, which puts Delta on
// the grid and makes every level equally likely) and at least 2.
//
// Each trajectory is Morris's randomised orientation B*: a random base
// point on the levels from which a step of +Delta stays inside [0, 1], a
// random direction (up or down) per factor, and a random order in which
// the factors move one at a time, giving D+1 points. The size is r(D+1).
//
// This is Morris's random sampling; the trajectory selection of Campolongo
// et al. (2007) for better spread is not applied.
func Morris(factors []Factor, trajectories, levels int, r *rand.Rand) (*Design, error) {
	if err := validateFactors(factors); err != nil {
		return nil, err
	}
	if err := checkRand(r); err != nil {
		return nil, fmt.Errorf("design: morris: %w", err)
	}
	dim := len(factors)
	if levels < 2 || levels%2 != 0 {
		return nil, fmt.Errorf("design: morris: levels = %d, need an even number >= 2", levels)
	}
	if trajectories < 1 || trajectories > MaxPoints/(dim+1) {
		return nil, fmt.Errorf("design: morris: trajectories = %d, need 1..%d", trajectories, MaxPoints/(dim+1))
	}
	h := levels / 2 // grid intervals per step
	p1 := float64(levels - 1)
	l := MorrisLayout{
		Levels:       levels,
		Delta:        float64(levels) / (2 * p1),
		Trajectories: trajectories,
		Changed:      make([][]int, trajectories),
		Sign:         make([][]int, trajectories),
	}
	unit := make([]Point, 0, trajectories*(dim+1))
	idx := make([]int, dim) // current grid index per factor
	for t := range trajectories {
		sign := make([]int, dim)
		for i := range dim {
			base := r.IntN(levels - h) // 0 .. p-1-h: base+h stays on the grid
			if r.IntN(2) == 0 {
				sign[i] = 1
				idx[i] = base
			} else {
				sign[i] = -1
				idx[i] = base + h
			}
		}
		order := r.Perm(dim)
		l.Changed[t] = order
		l.Sign[t] = make([]int, dim)
		unit = append(unit, gridPoint(idx, p1))
		for m, i := range order {
			idx[i] += sign[i] * h
			l.Sign[t][m] = sign[i]
			unit = append(unit, gridPoint(idx, p1))
		}
	}
	d := &Design{Kind: KindMorris, Factors: cloneFactors(factors), Unit: unit, Morris: &l}
	d.fromUnit()
	return d, nil
}

func gridPoint(idx []int, p1 float64) Point {
	u := make(Point, len(idx))
	for i, k := range idx {
		u[i] = float64(k) / p1
	}
	return u
}

// MorrisIndex holds the elementary-effects statistics of one factor, in
// output units per unit-cube step (see the package doc).
type MorrisIndex struct {
	Factor string `json:"factor"`
	// Mu is the mean elementary effect (Morris 1991); effects of opposite
	// sign cancel in it.
	Mu float64 `json:"mu"`
	// MuStar is the mean absolute elementary effect (F. Campolongo,
	// J. Cariboni, A. Saltelli, "An effective screening design for
	// sensitivity analysis of large models", Environmental Modelling &
	// Software 22(10), 2007, 1509-1518): the screening measure of overall
	// influence.
	MuStar float64 `json:"mu_star"`
	// Sigma is the sample standard deviation (n-1 denominator) of the
	// elementary effects: nonlinearity or interaction. NaN with a single
	// trajectory.
	Sigma float64 `json:"sigma"`
	// Effects is the number of elementary effects (trajectories).
	Effects int `json:"effects"`
}

// MorrisIndices computes mu, mu* and sigma per factor from the outputs y of
// a KindMorris design, y[k] being the model output at d.Points[k]. Each
// trajectory gives one elementary effect per factor,
//
//	EE_i = (y(after) - y(before)) / (sign * Delta),
//
// the output change per unit-coordinate step when factor i moves.
// It fails when d is not a consistent Morris design, when len(y) differs
// from len(d.Points), or when y holds a NaN or an infinity.
func MorrisIndices(d *Design, y []float64) ([]MorrisIndex, error) {
	if d == nil || d.Kind != KindMorris || d.Morris == nil {
		return nil, errors.New("design: morris indices need a morris design")
	}
	l := d.Morris
	dim := len(d.Factors)
	if l.Trajectories < 1 || len(l.Changed) != l.Trajectories || len(l.Sign) != l.Trajectories ||
		len(d.Points) != l.Trajectories*(dim+1) || !(l.Delta > 0) {
		return nil, fmt.Errorf("design: morris layout (%d trajectories, delta %v) does not match %d factors and %d points",
			l.Trajectories, l.Delta, dim, len(d.Points))
	}
	if err := checkOutputs(d, y); err != nil {
		return nil, err
	}
	ee := make([][]float64, dim)
	for i := range ee {
		ee[i] = make([]float64, 0, l.Trajectories)
	}
	for t := range l.Trajectories {
		if len(l.Changed[t]) != dim || len(l.Sign[t]) != dim {
			return nil, fmt.Errorf("design: morris trajectory %d does not move each of %d factors once", t, dim)
		}
		for m, i := range l.Changed[t] {
			if i < 0 || i >= dim || len(ee[i]) != t {
				return nil, fmt.Errorf("design: morris trajectory %d does not move each of %d factors once", t, dim)
			}
			s := float64(l.Sign[t][m])
			if s != 1 && s != -1 {
				return nil, fmt.Errorf("design: morris trajectory %d step %d: sign %v", t, m, s)
			}
			before, after := y[l.Index(t, m)], y[l.Index(t, m+1)]
			ee[i] = append(ee[i], (after-before)/(s*l.Delta))
		}
	}
	out := make([]MorrisIndex, dim)
	for i, e := range ee {
		n := float64(len(e))
		var mu, muStar float64
		for _, v := range e {
			mu += v
			muStar += math.Abs(v)
		}
		mu /= n
		muStar /= n
		sigma := math.NaN()
		if len(e) > 1 {
			var ss float64
			for _, v := range e {
				ss += (v - mu) * (v - mu)
			}
			sigma = math.Sqrt(ss / (n - 1))
		}
		out[i] = MorrisIndex{Factor: d.Factors[i].Name, Mu: mu, MuStar: muStar, Sigma: sigma, Effects: len(e)}
	}
	return out, nil
}
