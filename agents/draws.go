package agents

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"listetak/params"
)

// LeisureMedian returns the median leisure value (NOK/hour) for a sex.
func LeisureMedian(p *params.Params, female bool) float64 {
	if female {
		return p.LeisureFemale
	}
	return p.LeisureMale
}

// DrawLeisure draws w ~ LogNormal(median by sex, sigma) (NOK/hour).
func DrawLeisure(r *rand.Rand, p *params.Params, female bool) float64 {
	return LeisureMedian(p, female) * math.Exp(p.LeisureSigma*r.NormFloat64())
}

// DrawLossAversion draws lambda = 1 + LogNormal(median, sigma) (Holte et al.,
// Health Economics 2016: median lambda about 3).
func DrawLossAversion(r *rand.Rand, p *params.Params) float64 {
	return 1 + p.LossMedian*math.Exp(p.LossSigma*r.NormFloat64())
}

// DrawStaffStep draws sigma ~ Uniform[staff_step_min, staff_step_max] (persons).
func DrawStaffStep(r *rand.Rand, p *params.Params) float64 {
	return p.StaffStepMin + (p.StaffStepMax-p.StaffStepMin)*r.Float64()
}

// DrawEntrantAge draws round(Normal(36, 4)) clipped to [28, 60] (MODEL.md step 6).
func DrawEntrantAge(r *rand.Rand, p *params.Params) int {
	a := math.Round(p.EntrantAgeMean + p.EntrantAgeSD*r.NormFloat64())
	return int(math.Max(p.EntrantAgeMin, math.Min(p.EntrantAgeMax, a)))
}

// Candidate is a GP drawn for a vacant slot (MODEL.md step 6).
type Candidate struct {
	Age    int
	Female bool
	W      float64 // leisure value, NOK/hour
	Lambda float64 // loss aversion
	Sigma  float64 // staff step, persons
}

// DrawCandidate draws a candidate's characteristics in a fixed order: age,
// sex, leisure value, loss aversion, staff step. Candidates are never
// specialists.
func DrawCandidate(r *rand.Rand, p *params.Params) Candidate {
	var c Candidate
	c.Age = DrawEntrantAge(r, p)
	c.Female = r.Float64() < p.PFemale
	c.W = DrawLeisure(r, p, c.Female)
	c.Lambda = DrawLossAversion(r, p)
	c.Sigma = DrawStaffStep(r, p)
	return c
}

// DrawLeisureTruncated draws w from its LogNormal distribution truncated to
// [lo, hi) (NOK/hour; lo >= 0, hi may be +Inf) by inversion of the normal
// CDF. Where the interval carries no representable probability (far in a
// tail) it returns the point of the interval nearest the median in log
// scale, so the result always lies in the interval.
func DrawLeisureTruncated(r *rand.Rand, p *params.Params, female bool, lo, hi float64) float64 {
	m := math.Log(LeisureMedian(p, female))
	s := p.LeisureSigma
	zlo, zhi := math.Inf(-1), math.Inf(1)
	if lo > 0 {
		zlo = (math.Log(lo) - m) / s
	}
	if !math.IsInf(hi, 1) {
		zhi = (math.Log(hi) - m) / s
	}
	u := r.Float64()
	var z float64
	if zlo > 0 {
		// Upper tail: work with survival probabilities for accuracy.
		a, b := distuv.UnitNormal.Survival(zhi), distuv.UnitNormal.Survival(zlo)
		if !(b > a) {
			return nearestPoint(lo, hi, math.Exp(m))
		}
		z = -distuv.UnitNormal.Quantile(a + u*(b-a))
	} else {
		a, b := distuv.UnitNormal.CDF(zlo), distuv.UnitNormal.CDF(zhi)
		if !(b > a) {
			return nearestPoint(lo, hi, math.Exp(m))
		}
		z = distuv.UnitNormal.Quantile(a + u*(b-a))
	}
	w := math.Exp(m + s*z)
	if w < lo || w >= hi || math.IsNaN(w) {
		// Rounding at the interval's edge.
		return nearestPoint(lo, hi, w)
	}
	return w
}

// nearestPoint returns x clamped into [lo, hi), stepping just inside hi.
func nearestPoint(lo, hi, x float64) float64 {
	if !(x >= lo) {
		x = lo
	}
	if x >= hi {
		x = math.Nextafter(hi, lo)
		if x < lo {
			x = lo
		}
	}
	return x
}
