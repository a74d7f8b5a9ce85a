package design

import (
	"errors"
	"fmt"
	"math"
)

// Factor is one parameter varied by a design.
type Factor struct {
	// Name identifies the parameter; names are unique within a design.
	Name string `json:"name"`
	// Min and Max bound the range, in the parameter's own units; Min < Max.
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Levels is the number of evenly spaced values a Grid takes (>= 2);
	// the other design kinds ignore it.
	Levels int `json:"levels,omitempty"`
	// Log samples the factor evenly on a logarithmic scale (Min > 0).
	Log bool `json:"log,omitempty"`
}

// Validate reports every problem with f, each error naming the factor.
func (f Factor) Validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("factor %q: "+format, append([]any{f.Name}, a...)...))
	}
	if f.Name == "" {
		bad("name is empty")
	}
	finite := true
	if math.IsNaN(f.Min) || math.IsInf(f.Min, 0) {
		bad("min %v is not finite", f.Min)
		finite = false
	}
	if math.IsNaN(f.Max) || math.IsInf(f.Max, 0) {
		bad("max %v is not finite", f.Max)
		finite = false
	}
	if finite && !(f.Min < f.Max) {
		bad("min %v is not below max %v", f.Min, f.Max)
	}
	if f.Log && !(f.Min > 0) {
		bad("log scale needs min > 0, have %v", f.Min)
	}
	if f.Levels < 0 {
		bad("levels %d is negative", f.Levels)
	}
	return errors.Join(errs...)
}

// Value maps a unit-cube coordinate u in [0, 1] to the factor's range:
// Min + u(Max-Min), or exp(ln Min + u(ln Max - ln Min)) for a Log factor.
// u is clamped to [0, 1], and the endpoints map exactly to Min and Max.
func (f Factor) Value(u float64) float64 {
	switch {
	case u <= 0:
		return f.Min
	case u >= 1:
		return f.Max
	}
	var x float64
	if f.Log {
		lo, hi := math.Log(f.Min), math.Log(f.Max)
		x = math.Exp(lo + u*(hi-lo))
	} else {
		x = f.Min + u*(f.Max-f.Min)
	}
	return min(max(x, f.Min), f.Max)
}

// Unit is the inverse of Value: the unit-cube coordinate of x, clamped to
// [0, 1].
func (f Factor) Unit(x float64) float64 {
	var u float64
	if f.Log {
		lo, hi := math.Log(f.Min), math.Log(f.Max)
		u = (math.Log(x) - lo) / (hi - lo)
	} else {
		u = (x - f.Min) / (f.Max - f.Min)
	}
	return min(max(u, 0), 1)
}

// validateFactors checks a factor list: non-empty, every factor valid, names
// unique.
func validateFactors(factors []Factor) error {
	if len(factors) == 0 {
		return errors.New("design: no factors")
	}
	var errs []error
	seen := make(map[string]int, len(factors))
	for i, f := range factors {
		if err := f.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("design: factor %d: %w", i, err))
		}
		if j, dup := seen[f.Name]; dup && f.Name != "" {
			errs = append(errs, fmt.Errorf("design: factor %q appears at %d and %d", f.Name, j, i))
		} else {
			seen[f.Name] = i
		}
	}
	return errors.Join(errs...)
}
