package sim

import "listetak/finance"

// Static prices the starting state's lists without any behavioural
// response: what the 2019 report's static calculations did. Totals are over
// GPs holding slots (salaried included, as in the outputs), NOK/year.
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

// Capitation returns the capitation paid for the starting lists under rules.
func (s Static) Capitation(rules finance.Rules) float64 {
	var c float64
	for i := range s.m.slots {
		if sl := &s.m.slots[i]; sl.Held {
			c += rules.Cap(float64(sl.List), float64(sl.Ceiling), sl.ContractAge)
		}
	}
	return c
}

// Spending returns public spending on capitation and fees for the starting
// lists under rules.
func (s Static) Spending(rules finance.Rules) float64 {
	return s.Capitation(rules) + s.m.Params.Fee*rules.Fees()*s.Listed()
}

// CapitationPerListed returns the mean capitation per listed person under
// rules (the flat rate when the scheme is flat without guarantee).
func (s Static) CapitationPerListed(rules finance.Rules) float64 {
	return s.Capitation(rules) / s.Listed()
}
