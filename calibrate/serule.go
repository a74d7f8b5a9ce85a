package calibrate

import (
	"errors"
	"fmt"
	"math"
)

// SERule gives published aggregates, which carry no standard errors, one:
//
//	se = max(unit / 2, spread)
//
// with unit the published figure's rounding unit (a figure printed as
// 1,088 is known to +-0.5 at best) and spread by the moment's kind:
// Rel x |value| for counts, means and ratios (and for a sim metric used as
// a moment, whose unit is taken as 0), SharePoints percentage points for
// shares in percent, DurationRel x value for the median agreement
// durations, and Rel x the means' level for a difference of two means
// (the mean ceiling minus the mean list: 2 % of 1,100 persons, 22, where 2
// % of the difference itself, 35, would claim the model knows the means
// to 0.06 %). The national counts are full registers, so the spread is not
// sampling error: it stands for the revisions between published tables,
// the gaps between their definitions and the model's (persons against
// lists, October 2011 as 31 December), and what the model leaves out.
type SERule struct {
	// Rel is the relative standard error of counts, means and ratios
	// (default 0.02: the tables' 2019 revisions differ by up to 0.4 %
	// (mean list 1,088 against 1,084) and persons differ from lists by
	// 0.5 %; 2 % leaves room for the model's simplifications).
	Rel float64
	// SharePoints is the standard error of a share in percentage points
	// (default 1: shares are printed as whole percents (salaried 14 %), and
	// their numerators and denominators come from different counts).
	SharePoints float64
	// DurationRel is the relative standard error of the median agreement
	// durations (default 0.10: Kaplan-Meier medians of 7,359 agreements
	// over 2001-2014, a different period and definition than the model's
	// slot turnover of the simulated years).
	DurationRel float64
}

// Defaults of the standard-error rule (see SERule's fields).
const (
	DefaultTargetRelSE      = 0.02
	DefaultTargetSharePP    = 1.0
	DefaultTargetDurationSE = 0.10
)

// DefaultSERule returns the rule with its default constants.
func DefaultSERule() SERule {
	return SERule{Rel: DefaultTargetRelSE, SharePoints: DefaultTargetSharePP, DurationRel: DefaultTargetDurationSE}
}

// Validate reports every constant that is negative or not finite.
func (r SERule) Validate() error {
	var errs []error
	for _, c := range []struct {
		name string
		v    float64
	}{{"rel", r.Rel}, {"share_points", r.SharePoints}, {"duration_rel", r.DurationRel}} {
		if !(c.v >= 0) || math.IsInf(c.v, 0) {
			errs = append(errs, fmt.Errorf("se rule %s: %v is not a finite number >= 0", c.name, c.v))
		}
	}
	return errors.Join(errs...)
}

// SE returns the rule's standard error of a moment's published value
// (same unit). An error when the result is not above 0 (a sim metric's
// value 0 under the relative rule).
func (r SERule) SE(moment string, value float64) (float64, error) { return r.se(moment, value, 0) }

// se is SE with the figure's own rounding unit where it is coarser than
// the moment's (Target.Rounding; 0: the moment's).
func (r SERule) se(moment string, value, rounding float64) (float64, error) {
	d, ok := targetDefs[moment]
	if !ok {
		d = targetDef{kind: kindMean} // a sim metric: relative, unit unknown
	}
	var spread float64
	switch d.kind {
	case kindShare:
		spread = r.SharePoints
	case kindDuration:
		spread = r.DurationRel * math.Abs(value)
	case kindDifference:
		spread = r.Rel * d.level
	default:
		spread = r.Rel * math.Abs(value)
	}
	se := math.Max(math.Max(d.unit, rounding)/2, spread)
	if !(se > 0) || math.IsInf(se, 0) {
		return 0, fmt.Errorf("moment %s: the standard-error rule gives %v for value %v", moment, se, value)
	}
	return se, nil
}

// ApplySERule replaces every row's standard error by the rule's, with
// the row's own rounding unit where it has one. An
// error (naming the row's line) when the rule gives none above 0; t is
// unchanged then.
func (t *Targets) ApplySERule(r SERule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	se := make([]float64, len(t.Rows))
	for i, row := range t.Rows {
		v, err := r.se(row.Moment, row.Value, row.Rounding)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", t.Name, row.Line, err)
		}
		se[i] = v
	}
	for i := range t.Rows {
		t.Rows[i].SE = se[i]
	}
	return nil
}

// ScaleSE multiplies every row's standard error by k (> 0): the
// sensitivity of the estimates to the standard errors.
func (t *Targets) ScaleSE(k float64) error {
	if !(k > 0) || math.IsInf(k, 0) {
		return fmt.Errorf("se scale %v is not a finite number above 0", k)
	}
	for i := range t.Rows {
		t.Rows[i].SE *= k
	}
	return nil
}
