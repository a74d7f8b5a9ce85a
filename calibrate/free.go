package calibrate

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"listetak/params"
)

// Free is a parameter to estimate: its key (listetak params), the scale the
// search runs on and its bounds on the parameter's own scale.
type Free struct {
	Key       string
	Transform string  // params.TransformLog, TransformLogit or TransformIdentity
	Lower     float64 // bounds on the parameter's scale (money in 2019 NOK)
	Upper     float64
}

// defaultFree are the transforms and bounds of the behavioural parameters
// calibration is meant for: wide enough to hold any plausible value
// (MODEL.md's reference values in the middle, on the transformed scale),
// narrow enough that the model stays sensible at every corner.
var defaultFree = map[string]Free{
	"leisure_median_male":   {Transform: params.TransformLog, Lower: 300, Upper: 2000},
	"leisure_median_female": {Transform: params.TransformLog, Lower: 300, Upper: 2000},
	"leisure_sigma":         {Transform: params.TransformLog, Lower: 0.05, Upper: 1},
	"eta":                   {Transform: params.TransformLog, Lower: 0.02, Upper: 2},
	"loss_aversion_median":  {Transform: params.TransformLog, Lower: 0.1, Upper: 10},
	"loss_aversion_sigma":   {Transform: params.TransformLog, Lower: 0.05, Upper: 1.5},
	"q0":                    {Transform: params.TransformLog, Lower: 0.002, Upper: 0.2},
	"beta_h":                {Transform: params.TransformLog, Lower: 0.1, Upper: 10},
	"beta_y":                {Transform: params.TransformLog, Lower: 0.1, Upper: 10},
	"alpha0":                {Transform: params.TransformIdentity, Lower: -4, Upper: 4},
	"alpha_y":               {Transform: params.TransformLog, Lower: 0.1, Upper: 20},
	"alpha_c":               {Transform: params.TransformLog, Lower: 0.01, Upper: 3},
	"chi":                   {Transform: params.TransformLogit, Lower: 0.005, Upper: 0.3},
	"psi":                   {Transform: params.TransformLogit, Lower: 0.02, Upper: 0.98},
	"approve_hi":            {Transform: params.TransformLogit, Lower: 0.05, Upper: 0.99},
	"approve_lo":            {Transform: params.TransformLogit, Lower: 0.01, Upper: 0.95},
	"rho":                   {Transform: params.TransformLogit, Lower: 0.02, Upper: 0.98},
	// Model v2: the elasticity of other exits in municipality size (either
	// sign; 0 is no size effect) on the identity scale, and the yearly
	// probability that a long-vacant slot is converted to a salaried one.
	"beta_size":    {Transform: params.TransformIdentity, Lower: -1, Upper: 1},
	"convert_rate": {Transform: params.TransformLogit, Lower: 0.001, Upper: 0.8},
	// The share of vacated slots still in transit at the year's end.
	"vacancy_transit": {Transform: params.TransformLogit, Lower: 0.001, Upper: 0.6},
	// The spread of municipalities' recruitment conditions (logit; 0 is
	// none, which a log scale cannot reach: off is the default, not a
	// bound).
	"muni_sd": {Transform: params.TransformLog, Lower: 0.05, Upper: 5},
	// The yearly change of the entry logit (either sign: recruitment
	// getting harder is negative).
	"alpha_trend": {Transform: params.TransformIdentity, Lower: -0.5, Upper: 0.5},
	// The late segment's level: -1 a year for its six years is -6 logit.
	"alpha_trend_late": {Transform: params.TransformIdentity, Lower: -1, Upper: 1},
	// The yearly change of the entering GPs' log leisure value (either
	// sign; 0.2 a year is a factor 3.3 over the six years of the segment).
	"leisure_trend_late": {Transform: params.TransformIdentity, Lower: -0.2, Upper: 0.2},
	// The yearly change of the entry logit's centrality slope (either
	// sign; -0.3 a year for six years turns 1.17 a class into -0.63).
	"alpha_c_trend_late": {Transform: params.TransformIdentity, Lower: -0.3, Upper: 0.3},
	// The coverage a municipality plans new positions for, in units of its
	// population: from 5 % short to 10 % above it.
	"kappa": {Transform: params.TransformIdentity, Lower: 0.95, Upper: 1.1},
}

// ParseFree resolves the parameters to estimate: keys from a comma
// separated list, each with the default transform and bounds of its kind
// (defaultFree) unless bounds gives "key=lo:hi" (comma separated). A key
// without a default needs bounds; its transform is logit when both bounds
// lie in (0, 1) and the key is a probability, log when the lower bound is
// positive, identity otherwise.
func ParseFree(keys, bounds string) ([]Free, error) {
	var errs []error
	given := map[string][2]float64{}
	for _, b := range strings.Split(bounds, ",") {
		if b = strings.TrimSpace(b); b == "" {
			continue
		}
		k, v, ok := strings.Cut(b, "=")
		lo, hi, ok2 := strings.Cut(v, ":")
		l, err1 := strconv.ParseFloat(lo, 64)
		h, err2 := strconv.ParseFloat(hi, 64)
		if !ok || !ok2 || err1 != nil || err2 != nil || !(l < h) {
			errs = append(errs, fmt.Errorf("-bounds: %q is not key=lo:hi with lo < hi", b))
			continue
		}
		given[strings.TrimSpace(k)] = [2]float64{l, h}
	}
	var out []Free
	seen := map[string]bool{}
	for _, k := range strings.Split(keys, ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		if seen[k] {
			errs = append(errs, fmt.Errorf("-params-free: %q named twice", k))
			continue
		}
		seen[k] = true
		p := params.Default()
		if err := p.Set(k, 0.5); err != nil && strings.Contains(err.Error(), "unknown") {
			errs = append(errs, fmt.Errorf("-params-free: %w", err))
			continue
		}
		f, ok := defaultFree[k]
		f.Key = k
		if b, has := given[k]; has {
			f.Lower, f.Upper = b[0], b[1]
			if !ok {
				switch {
				case b[0] > 0 && b[1] < 1 && isProbability(k):
					f.Transform = params.TransformLogit
				case b[0] > 0:
					f.Transform = params.TransformLog
				default:
					f.Transform = params.TransformIdentity
				}
			}
		} else if !ok {
			errs = append(errs, fmt.Errorf("-params-free: %s has no default bounds; give -bounds %s=lo:hi", k, k))
			continue
		}
		out = append(out, f)
	}
	for k := range given {
		if !seen[k] {
			errs = append(errs, fmt.Errorf("-bounds: %s is not estimated (not in -params-free)", k))
		}
	}
	if len(out) == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("-params-free: no parameter to estimate"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, validateFree(out)
}

// isProbability reports whether the parameter's unit is a probability.
func isProbability(key string) bool {
	p := params.Default()
	for _, e := range p.List() {
		if e.Key == key {
			return e.Unit == "probability"
		}
	}
	return false
}

// validateFree checks bounds against transforms.
func validateFree(fs []Free) error {
	var errs []error
	for i, f := range fs {
		at := fmt.Sprintf("free[%d] (%s)", i, f.Key)
		if !(f.Lower < f.Upper) || math.IsInf(f.Lower, 0) || math.IsInf(f.Upper, 0) {
			errs = append(errs, fmt.Errorf("%s: bounds %v..%v: need finite lower < upper", at, f.Lower, f.Upper))
		}
		switch f.Transform {
		case params.TransformLog:
			if !(f.Lower > 0) {
				errs = append(errs, fmt.Errorf("%s.lower: %v must be > 0 on a log scale", at, f.Lower))
			}
		case params.TransformLogit:
			if !(f.Lower > 0 && f.Upper < 1) {
				errs = append(errs, fmt.Errorf("%s: bounds %v..%v must lie in (0, 1) on a logit scale", at, f.Lower, f.Upper))
			}
		case params.TransformIdentity:
		default:
			errs = append(errs, fmt.Errorf("%s.transform: %q is not log, logit or identity", at, f.Transform))
		}
	}
	return errors.Join(errs...)
}

// zBounds returns the bounds on the transformed scale.
func (f Free) zBounds() (lo, hi float64) {
	return params.Forward(f.Transform, f.Lower), params.Forward(f.Transform, f.Upper)
}

// value returns parameter key's value in p.
func value(p params.Params, key string) float64 {
	for _, e := range p.List() {
		if e.Key == key {
			switch v := e.Value.(type) {
			case float64:
				return v
			case int:
				return float64(v)
			}
		}
	}
	return math.NaN()
}
