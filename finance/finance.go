package finance

import (
	"errors"
	"fmt"
	"math"
)

// Scheme prices a list: Capitation returns the yearly capitation (NOK/year)
// paid for a list of l persons, before any guarantee.
//
// Implementations must be non-decreasing in l and safe for concurrent use.
type Scheme interface {
	Capitation(l float64) float64
}

var (
	_ Scheme = Flat{}
	_ Scheme = Breakpoint{}
)

// Flat is today's capitation: one rate per listed person.
type Flat struct {
	Rate float64 // NOK per listed person per year
}

// Capitation returns Rate*l.
func (f Flat) Capitation(l float64) float64 { return f.Rate * l }

// Breakpoint is a capitation schedule piecewise linear in list position
// (model 1 of the 2019 working-group report): the person at position x on the
// list brings Rates[k] where Breaks[k-1] < x <= Breaks[k], with Breaks[-1] = 0
// and Breaks[len(Breaks)] = +Inf. len(Rates) must be len(Breaks)+1 and Breaks
// strictly increasing.
type Breakpoint struct {
	Breaks []float64 // list positions (persons), strictly increasing
	Rates  []float64 // NOK per person per year, one more than Breaks
}

// Capitation integrates the rate schedule over list positions 0..l.
func (b Breakpoint) Capitation(l float64) float64 {
	var total, lo float64
	for k, hi := range b.Breaks {
		if l <= hi {
			return total + b.Rates[k]*(l-lo)
		}
		total += b.Rates[k] * (hi - lo)
		lo = hi
	}
	return total + b.Rates[len(b.Rates)-1]*(l-lo)
}

// Validate reports every problem with the schedule at once.
func (b Breakpoint) Validate() error {
	var errs []error
	if len(b.Rates) != len(b.Breaks)+1 {
		errs = append(errs, fmt.Errorf("rates: need %d rates for %d breakpoints, have %d", len(b.Breaks)+1, len(b.Breaks), len(b.Rates)))
	}
	for i, x := range b.Breaks {
		if !(x > 0) || math.IsInf(x, 0) {
			errs = append(errs, fmt.Errorf("breaks[%d]: %v is not a positive finite list position", i, x))
		}
		if i > 0 && !(x > b.Breaks[i-1]) {
			errs = append(errs, fmt.Errorf("breaks[%d]: %v does not exceed breaks[%d] = %v", i, x, i-1, b.Breaks[i-1]))
		}
	}
	for i, r := range b.Rates {
		if !(r >= 0) || math.IsInf(r, 0) {
			errs = append(errs, fmt.Errorf("rates[%d]: %v is not a finite rate >= 0", i, r))
		}
	}
	return errors.Join(errs...)
}

// Guarantee pays capitation as if the list had at least Persons persons
// (the 2020 "grunntilskudd": Persons 500, MinCeiling true, MaxContractYears 2).
// The zero value is no guarantee.
type Guarantee struct {
	Persons float64 // G: guaranteed list length (persons); 0 = no guarantee
	// MinCeiling limits the guarantee to GPs whose ceiling is at least Persons.
	MinCeiling bool
	// MaxContractYears, when > 0, limits the guarantee to GPs whose contract
	// age (years since taking the slot) is below it.
	MaxContractYears int
}

// Eligible reports whether a GP with the given ceiling and contract age gets
// the guarantee. A contract age < 0 means unknown, treated as long.
func (g Guarantee) Eligible(ceiling float64, contractAge int) bool {
	if g.Persons <= 0 {
		return false
	}
	if g.MinCeiling && ceiling < g.Persons {
		return false
	}
	if g.MaxContractYears > 0 && (contractAge < 0 || contractAge >= g.MaxContractYears) {
		return false
	}
	return true
}

// Equalisation is the equalisation grant (utjamningstilskudd): in a
// municipality with fewer than MaxPopulation inhabitants whose mean list is
// below RefList, every self-employed GP gets Rate*(RefList - mean list).
// Source: the official rule, reproduced in DOMAIN.md (2,000 inhabitants,
// 2/3/4 GPs give about NOK 100k/266k/350k at a rate of 500).
type Equalisation struct {
	Rate          float64 `yaml:"rate"`           // r_eq, NOK per person of shortfall per year
	MaxPopulation float64 `yaml:"max_population"` // persons; the grant applies below it (5,000)
	RefList       float64 `yaml:"ref_list"`       // reference list length (1,200 persons)
}

// Grant returns the grant per self-employed GP in a municipality of
// population p whose nGPs GPs holding slots have listed persons in total.
// No GP, no grant.
func (e Equalisation) Grant(p float64, nGPs int, listed float64) float64 {
	if nGPs == 0 || !(p < e.MaxPopulation) {
		return 0
	}
	mean := listed / float64(nGPs)
	if !(mean < e.RefList) {
		return 0
	}
	return e.Rate * (e.RefList - mean)
}

// Rules is everything about money in force in one year.
type Rules struct {
	Capitation   Scheme       // capitation schedule
	Guarantee    Guarantee    // zero value: none
	FeeScale     float64      // multiplies fee income f; 0 means 1
	Equalisation Equalisation // the equalisation grant
	// Salaried is what municipalities pay salaried GPs (model 3).
	Salaried Salaried
	// RiskAdjusted multiplies each list's capitation by the list's
	// correction factor (its persons' mean capitation weight; model 2). It
	// needs a model that tracks list composition.
	RiskAdjusted bool
}

// Salaried is the municipal salaried contract (model 3 of the 2019 report):
// the municipality sets the ceiling and pays a salary, optionally with an
// activity bonus per listed person; it may convert slots that stay vacant.
// The zero value is today's arrangement: no bonus, no conversion.
type Salaried struct {
	Bonus float64 `yaml:"bonus"` // NOK per listed person per year on top of the salary (default 0)
	// ConvertAfter, when > 0, converts a self-employed slot that has stayed
	// vacant for that many whole years to a salaried one (default: never).
	ConvertAfter int `yaml:"convert_after"`
}

// Salary returns a salaried GP's pay for a list of l persons, given the
// base salary (NOK/year).
func (s Salaried) Salary(base, l float64) float64 { return base + s.Bonus*l }

// Fees returns the fee scale factor (1 when unset).
func (r Rules) Fees() float64 {
	if r.FeeScale == 0 {
		return 1
	}
	return r.FeeScale
}

// Cap returns the capitation for a list of l persons for a GP with the given
// ceiling and contract age, applying the guarantee where the GP is eligible.
func (r Rules) Cap(l, ceiling float64, contractAge int) float64 {
	if r.Guarantee.Eligible(ceiling, contractAge) && l < r.Guarantee.Persons {
		l = r.Guarantee.Persons
	}
	return r.Capitation.Capitation(l)
}

// Blend is a scheme in transition: (1-Theta)*A + Theta*B, for a linear
// phase-in of B over A.
type Blend struct {
	A, B  Scheme
	Theta float64 // share of B, in [0, 1]
}

var _ Scheme = Blend{}

// Capitation returns the blended capitation.
func (b Blend) Capitation(l float64) float64 {
	return (1-b.Theta)*b.A.Capitation(l) + b.Theta*b.B.Capitation(l)
}
