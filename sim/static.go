package sim

import "listetak/finance"

// Static prices the starting state's lists without any behavioural
// response: what the 2019 report's static calculations did. Totals are over
// GPs holding slots (salaried included, as in the outputs), NOK/year. With
// list composition, a list is priced at its expected composition, its
// municipality's (the draws of Reset scatter around it).
type Static struct{ m *Model }

// Start returns the static view of the model's starting state.
func (m *Model) Start() Static { return Static{m} }

// Listed returns the persons on lists of GPs holding slots.
func (s Static) Listed() float64 {
	var n float64
	for i := range s.m.slots {
		if sl := &s.m.slots[i]; sl.Held {
			n += float64(sl.List)
		}
	}
	return n
}

// factors returns the expected capitation and fee factors of a list in
// municipality mu (1 without composition).
func (s Static) factors(mu int32, riskAdj bool) (capF, feeF float64) {
	d := s.m.demog
	if d == nil {
		return 1, 1
	}
	c := &d.munis[mu]
	capF, feeF = 1, c.Factor(&d.fees)
	if riskAdj {
		capF = c.Factor(&d.weights)
	}
	return capF, feeF
}

// Capitation returns the capitation paid for the starting lists under rules.
func (s Static) Capitation(rules finance.Rules) float64 {
	var c float64
	for i := range s.m.slots {
		c += s.ListCapitation(i, rules)
	}
	return c
}

// ListCapitation returns the capitation paid for slot i's starting list
// under rules (0 for a vacant slot).
func (s Static) ListCapitation(i int, rules finance.Rules) float64 {
	sl := &s.m.slots[i]
	if !sl.Held {
		return 0
	}
	capF, _ := s.factors(sl.Muni, rules.RiskAdjusted)
	return rules.Cap(float64(sl.List), float64(sl.Ceiling), sl.ContractAge) * capF
}

// CorrectionFactor returns the expected correction factor of slot i's
// starting list: its municipality's mean capitation weight (1 without list
// composition).
func (s Static) CorrectionFactor(i int) float64 {
	capF, _ := s.factors(s.m.slots[i].Muni, true)
	return capF
}

// Fees returns the fee income of the starting lists under rules.
func (s Static) Fees(rules finance.Rules) float64 {
	var f float64
	for i := range s.m.slots {
		if sl := &s.m.slots[i]; sl.Held {
			_, feeF := s.factors(sl.Muni, false)
			f += float64(sl.List) * feeF
		}
	}
	return s.m.Params.Fee * rules.Fees() * f
}

// Spending returns public spending on capitation and fees for the starting
// lists under rules.
func (s Static) Spending(rules finance.Rules) float64 {
	return s.Capitation(rules) + s.Fees(rules)
}
