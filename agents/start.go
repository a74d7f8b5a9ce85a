package agents

import (
	"math"
	"math/rand/v2"
)

// Start is what the starting-state draws know of a GP holding a
// self-employed slot: its observed list and ceiling, and the agent values the
// world gives (NaN when absent).
type Start struct {
	List, Ceiling float64 // observed, persons
	Female        bool
	ContractAge   int     // years; negative = long
	Class         int     // hours class
	Own           Factors // the list's own capitation and fee factors (zero: 1)
	Avg           Factors // those of the persons the GP plans for (zero: 1)
	Eq            float64 // year-0 equalisation grant, NOK/year
	W             float64 // given leisure value (NOK/hour) or NaN
	Lambda        float64 // given loss aversion or NaN
	Sigma         float64 // given staff step (persons) or NaN
	Ref           float64 // given reference income (NOK/year) or NaN
}

// StartValues are a GP's drawn or given starting values.
type StartValues struct {
	W, Lambda, Sigma float64
	Ref              float64 // reference net income R (NOK/year)
	Last             float64 // last year's net income N (NOK/year)
	// Reached is false when no staff step made the observed ceiling an
	// optimum, so the GP got the leisure value of the nearest reachable
	// ceiling instead (or kept its given value) and will move in year 1.
	Reached bool
}

// DrawStart draws the values a GP lacks so that its observed ceiling is its
// own optimum under the baseline scheme in the year-1 decision (MODEL.md
// "Starting state consistent with what was observed"). y must hold the
// baseline rules for year 1 (h_1). The steps:
//  1. lambda from its distribution (unless given);
//  2. sigma from its distribution (unless given); the reference and last
//     year's income are the net income at the observed list length, which
//     depends on sigma through the staff steps, so they are set per draw;
//  3. the observed ceiling's grid point must be reachable: some leisure value
//     makes it the argmax; otherwise sigma is drawn again, up to
//     staff_redraws times;
//  4. w from its distribution truncated to the interval that makes the
//     ceiling optimal, converted from the effective value w_1 through the
//     income effect. Without success the last sigma is kept and w comes from
//     the interval of the nearest reachable grid point (ties to the larger).
//
// A given w is kept as it is; with it, sigma is redrawn until w lies in the
// interval (the draw is conditional on the given values).
func (y *Year) DrawStart(r *rand.Rand, s Start) StartValues {
	p := y.P
	var v StartValues
	v.Lambda = s.Lambda
	if math.IsNaN(v.Lambda) {
		v.Lambda = DrawLossAversion(r, p)
	}
	k := y.Nearest(s.Ceiling)
	tries := p.StaffRedraws
	if !math.IsNaN(s.Sigma) {
		tries = 1
	}
	var lo, hi, phi float64
	var c Chooser
	for range tries {
		v.Sigma = s.Sigma
		if math.IsNaN(v.Sigma) {
			v.Sigma = DrawStaffStep(r, p)
		}
		v.Last = y.NetF(s.List, s.Ceiling, s.ContractAge, v.Sigma, s.Eq, s.Own)
		v.Ref = s.Ref
		if math.IsNaN(v.Ref) {
			v.Ref = v.Last
		}
		phi = EffectiveLeisure(p, 1, v.Last)
		c = Chooser{Lambda: v.Lambda, Ref: v.Ref, Sigma: v.Sigma, Eq: s.Eq, ContractAge: s.ContractAge, Class: s.Class, F: s.Avg}
		var ok bool
		lo, hi, ok = y.LeisureInterval(c, k)
		if ok && !math.IsNaN(s.W) {
			ok = lo <= s.W*phi && s.W*phi < hi
		}
		if ok {
			v.Reached = true
			break
		}
	}
	switch {
	case !math.IsNaN(s.W):
		v.W = s.W
	case v.Reached:
		v.W = DrawLeisureTruncated(r, p, s.Female, lo/phi, hi/phi)
	default:
		lo, hi = y.nearestReachable(c, k)
		v.W = DrawLeisureTruncated(r, p, s.Female, lo/phi, hi/phi)
	}
	return v
}

// nearestReachable returns the leisure interval of the reachable grid point
// nearest to k (ties to the larger). Some grid point is always reachable.
func (y *Year) nearestReachable(c Chooser, k int) (lo, hi float64) {
	best := -1
	for g := range y.Grid {
		l, h, ok := y.LeisureInterval(c, g)
		if !ok {
			continue
		}
		if best < 0 || abs(g-k) <= abs(best-k) {
			best, lo, hi = g, l, h
		}
	}
	return lo, hi
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
