package finance

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
)

// Spec is a capitation scheme as data (YAML/JSON): a flat rate, or a
// breakpoint schedule, optionally with a guarantee. It is how world files and
// experiment files name a scheme.
type Spec struct {
	// Rate is the flat capitation (NOK per listed person per year), used when
	// Breaks is empty.
	Rate float64 `yaml:"rate,omitempty" json:"rate,omitempty"`
	// Breaks and Rates define a breakpoint schedule (see Breakpoint).
	Breaks []float64 `yaml:"breaks,omitempty" json:"breaks,omitempty"`
	Rates  []float64 `yaml:"rates,omitempty" json:"rates,omitempty"`
	// Guarantee is paid as in Guarantee; the zero value is none.
	Guarantee GuaranteeSpec `yaml:"guarantee,omitempty" json:"guarantee,omitempty"`
	// RiskAdjusted multiplies each list's capitation by its correction factor,
	// the mean capitation weight of its persons (model 2 of the 2019 report;
	// the 2023 patient-adjusted grant). Rates are then per average person.
	RiskAdjusted bool `yaml:"risk_adjusted,omitempty" json:"risk_adjusted,omitempty"`
}

// GuaranteeSpec is Guarantee as data.
type GuaranteeSpec struct {
	Persons          float64 `yaml:"persons,omitempty" json:"persons,omitempty"`
	MinCeiling       bool    `yaml:"min_ceiling,omitempty" json:"min_ceiling,omitempty"`
	MaxContractYears int     `yaml:"max_contract_years,omitempty" json:"max_contract_years,omitempty"`
}

// Scheme returns the capitation schedule the spec describes.
func (s Spec) Scheme() Scheme {
	if len(s.Breaks) == 0 && len(s.Rates) <= 1 {
		r := s.Rate
		if len(s.Rates) == 1 {
			r = s.Rates[0]
		}
		return Flat{Rate: r}
	}
	return Breakpoint{Breaks: s.Breaks, Rates: s.Rates}
}

// Validate reports every problem at once, each prefixed with its field path
// below prefix (e.g. "baseline").
func (s Spec) Validate(prefix string) error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s.%w", prefix, err))
		}
	}
	if len(s.Breaks) == 0 && len(s.Rates) <= 1 {
		r := s.Rate
		if len(s.Rates) == 1 {
			r = s.Rates[0]
		}
		if !(r >= 0) || math.IsInf(r, 0) {
			add(fmt.Errorf("rate: %v is not a finite rate >= 0", r))
		}
	} else {
		add(Breakpoint{Breaks: s.Breaks, Rates: s.Rates}.Validate())
	}
	if g := s.Guarantee; !(g.Persons >= 0) || math.IsInf(g.Persons, 0) {
		add(fmt.Errorf("guarantee.persons: %v is not a finite number of persons >= 0", g.Persons))
	}
	if s.Guarantee.MaxContractYears < 0 {
		add(fmt.Errorf("guarantee.max_contract_years: %d is negative", s.Guarantee.MaxContractYears))
	}
	return errors.Join(errs...)
}

// Rules returns the money rules of the spec with the given equalisation grant
// and fee scale (0 means 1).
func (s Spec) Rules(eq Equalisation, feeScale float64) Rules {
	return Rules{
		Capitation:   s.Scheme(),
		Guarantee:    Guarantee(s.Guarantee),
		FeeScale:     feeScale,
		Equalisation: eq,
		RiskAdjusted: s.RiskAdjusted,
	}
}

// namedSchemes are the schemes a world file may name instead of defining
// (world.yaml baseline: NAME), with the built-in scenarios of the same
// names: literal rates in their own year's money.
var namedSchemes = map[string]Spec{
	"baseline-2019": {Rate: Rate2019},
	"riskadj-2023":  {Rate: RiskAdjRate2023, RiskAdjusted: true},
}

// NamedScheme returns the scheme of a name (NamedSchemes) and whether it
// is one.
func NamedScheme(name string) (Spec, bool) {
	s, ok := namedSchemes[name]
	return s, ok
}

// NamedSchemes returns the names NamedScheme knows, sorted.
func NamedSchemes() []string { return slices.Sorted(maps.Keys(namedSchemes)) }
