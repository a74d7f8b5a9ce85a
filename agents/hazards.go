package agents

import (
	"math"

	"listetak/params"
)

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// RetireProb returns p_ret(a) = 1/(1+exp(-(a-a50)/s_a)), the yearly
// probability that a GP aged a retires (MODEL.md step 4).
func RetireProb(p *params.Params, age float64) float64 {
	return logistic((age - p.RetireAge50) / p.RetireScale)
}

// QuitProb returns p_quit = min(1, q0*exp(beta_H*(H/Href-1))*exp(-beta_Y*(N/Nbar-1))),
// the yearly probability that a GP working hours H with last year's net
// income N leaves for other reasons (MODEL.md step 4).
func QuitProb(p *params.Params, hours, lastNet float64) float64 {
	q := p.Q0 * math.Exp(p.BetaH*(hours/p.RefHours-1)-p.BetaY*(lastNet/p.RefIncome-1))
	return math.Min(1, q)
}

// EntryProb returns q = 1/(1+exp(-(alpha0 + alphaY*(Nexp/Yout-1) - alphaC*(c-1)))),
// the probability that a vacant slot in a municipality of centrality class
// c is filled by a candidate expecting net income Nexp (MODEL.md step 6).
func EntryProb(p *params.Params, expNet float64, centrality int) float64 {
	return logistic(EntryLogit(p, expNet, centrality))
}

// SizeRef is the municipality size at which the v2 exit hazard equals the
// v1 one (persons; docs/model.md "Exits"): 10,000 residents, near the
// median municipality's population weighted by GPs.
const SizeRef = 10_000

// QuitProbV2 returns the v2 yearly probability of leaving a slot for other
// reasons than retirement (which includes moving to another municipality's
// list): min(1, q0 * (P/SizeRef)^(-beta_P) * exp(beta_H*(H/Href-1)) *
// exp(-beta_Y*(N/Nbar-1))), P the municipality's population (docs/model.md
// "Exits"). Agreement durations fall with municipality size (median 2.75
// years under 2,000 residents, 8.37 over 50,000; Abelsen et al. 2015).
func QuitProbV2(p *params.Params, hours, lastNet, pop float64) float64 {
	return QuitProbSized(p, hours, lastNet, SizeTerm(p, pop))
}

// SizeTerm returns the municipality-size term of the v2 exit hazard's
// exponent, -beta_P ln(max(P, 1)/SizeRef): the same for every GP of a
// municipality in a year, so the engine computes it once per municipality.
func SizeTerm(p *params.Params, pop float64) float64 {
	return -p.BetaSize * math.Log(math.Max(pop, 1)/SizeRef)
}

// QuitProbSized is QuitProbV2 with the size term given (SizeTerm);
// QuitProbV2(p, h, n, P) == QuitProbSized(p, h, n, SizeTerm(p, P)) exactly.
func QuitProbSized(p *params.Params, hours, lastNet, sizeTerm float64) float64 {
	q := p.Q0 * math.Exp(sizeTerm+p.BetaH*(hours/p.RefHours-1)-p.BetaY*(lastNet/p.RefIncome-1))
	return math.Min(1, q)
}

// EntryProbV2 is EntryProb with the slot's persistent appeal u added to the
// logit (docs/model.md "Recruitment"): unobserved features of the slot
// (the practice, the location within the municipality) that make some
// slots stay vacant year after year.
func EntryProbV2(p *params.Params, expNet float64, centrality int, appeal float64) float64 {
	return logistic(EntryLogit(p, expNet, centrality) + appeal)
}

// EntryLogit is the entry logit of EntryProb: alpha0 + alphaY (Nexp/Yout -
// 1) - alphaC (centrality - 1).
func EntryLogit(p *params.Params, expNet float64, centrality int) float64 {
	return p.Alpha0 + p.AlphaY*(expNet/p.OutsideIncome-1) - p.AlphaC*float64(centrality-1)
}
