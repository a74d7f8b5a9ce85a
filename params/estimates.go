package params

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Transforms of estimated parameters: the scale on which a calibration
// searches, reports its covariance and on which experiments draw
// (multivariate normal). "log" is for positive parameters, "logit" for
// probabilities, "identity" for parameters on the whole real line (alpha0,
// a logit coefficient).
const (
	TransformLog      = "log"
	TransformLogit    = "logit"
	TransformIdentity = "identity"
)

// Forward maps a parameter value to the transformed scale.
func Forward(transform string, x float64) float64 {
	switch transform {
	case TransformLog:
		return math.Log(x)
	case TransformLogit:
		return math.Log(x / (1 - x))
	}
	return x
}

// Inverse maps a transformed value back to the parameter's scale.
func Inverse(transform string, z float64) float64 {
	switch transform {
	case TransformLog:
		return math.Exp(z)
	case TransformLogit:
		return 1 / (1 + math.Exp(-z))
	}
	return z
}

// InverseDerivative returns dx/dz at z (the delta method's factor from a
// standard error on the transformed scale to one on the parameter's scale).
func InverseDerivative(transform string, z float64) float64 {
	switch transform {
	case TransformLog:
		return math.Exp(z)
	case TransformLogit:
		x := 1 / (1 + math.Exp(-z))
		return x * (1 - x)
	}
	return 1
}

// Estimates is the `estimates:` section of an estimates file written by
// `listetak calibrate`. The file's top-level keys are ordinary parameter
// overrides (the point estimates and the fixed parameters the calibration
// used), so `listetak run -params estimates.yaml` runs the calibrated
// model; this section adds what a run does not need but an experiment
// drawing parameters per replication does (experiment key
// uncertainty_from): each estimated parameter's transform, standard error
// and bounds, and the covariance of the estimates on the transformed scale.
type Estimates struct {
	Method    string  `yaml:"method"`    // e.g. "smm (cmaes)"
	Register  string  `yaml:"register"`  // the register file fitted
	World     string  `yaml:"world"`     // the world simulated
	Objective float64 `yaml:"objective"` // the SMM criterion at the estimate
	Moments   int     `yaml:"moments"`   // moments used
	Reps      int     `yaml:"reps"`      // simulated panels per evaluation (S)
	// TargetsUntil is the last year of the public targets fitted when the
	// later years were held out (calibrate -targets-until); 0: all years.
	TargetsUntil int         `yaml:"targets_until,omitempty"`
	Parameters   []Estimated `yaml:"parameters"` // in the order of Covariance
	// Covariance of the estimates on the transformed scale (rows and
	// columns in Parameters order), from the SMM sandwich formula with the
	// (1 + 1/S) simulation factor.
	Covariance [][]float64 `yaml:"covariance"`
	Notes      []string    `yaml:"notes"` // identification warnings and the like
}

// Estimated is one estimated parameter.
type Estimated struct {
	Key       string  `yaml:"key"`       // a parameter key (listetak params)
	Value     float64 `yaml:"value"`     // the point estimate (2019 NOK for money)
	SE        float64 `yaml:"se"`        // standard error on the parameter's scale (delta method)
	Transform string  `yaml:"transform"` // log, logit or identity
	Lower     float64 `yaml:"lower"`     // search bounds on the parameter's scale
	Upper     float64 `yaml:"upper"`
	BootSE    float64 `yaml:"bootstrap_se,omitempty"` // parametric bootstrap standard error, when run
	// Source names the fit a parameter comes from when it is not the
	// section's own (method, register, world): a second-stage fit with the
	// others held at their estimates, whose covariance with them is then 0
	// (parameters of the same second stage share its covariance).
	// Empty for the section's own fit.
	Source string `yaml:"source,omitempty"`
}

// Validate reports every problem of the section, each naming its field path
// under estimates.
func (e *Estimates) Validate() error {
	var errs []error
	n := len(e.Parameters)
	if n == 0 {
		errs = append(errs, errors.New("estimates.parameters: empty"))
	}
	seen := map[string]bool{}
	for i, p := range e.Parameters {
		at := fmt.Sprintf("estimates.parameters[%d]", i)
		q := HandSetV2()
		if err := q.Set(p.Key, p.Value); err != nil {
			errs = append(errs, fmt.Errorf("%s.key/value: %w", at, err))
		}
		if seen[p.Key] {
			errs = append(errs, fmt.Errorf("%s.key: %q estimated twice", at, p.Key))
		}
		seen[p.Key] = true
		switch p.Transform {
		case TransformLog:
			if !(p.Value > 0) {
				errs = append(errs, fmt.Errorf("%s.value: %v must be > 0 for a log transform", at, p.Value))
			}
		case TransformLogit:
			if !(p.Value > 0 && p.Value < 1) {
				errs = append(errs, fmt.Errorf("%s.value: %v must be in (0, 1) for a logit transform", at, p.Value))
			}
		case TransformIdentity:
		default:
			errs = append(errs, fmt.Errorf("%s.transform: %q is not log, logit or identity", at, p.Transform))
		}
		if !(p.SE >= 0) || math.IsInf(p.SE, 0) {
			errs = append(errs, fmt.Errorf("%s.se: %v is not a finite number >= 0", at, p.SE))
		}
	}
	if len(e.Covariance) != n {
		errs = append(errs, fmt.Errorf("estimates.covariance: %d rows, want %d (one per parameter)", len(e.Covariance), n))
	} else {
		for i, row := range e.Covariance {
			if len(row) != n {
				errs = append(errs, fmt.Errorf("estimates.covariance[%d]: %d columns, want %d", i, len(row), n))
				continue
			}
			for j, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					errs = append(errs, fmt.Errorf("estimates.covariance[%d][%d]: not a finite number", i, j))
				} else if j < i && math.Abs(v-e.Covariance[j][i]) > 1e-9*(math.Abs(v)+1e-300) {
					errs = append(errs, fmt.Errorf("estimates.covariance[%d][%d]: not symmetric", i, j))
				}
			}
			if row[i] < 0 {
				errs = append(errs, fmt.Errorf("estimates.covariance[%d][%d]: negative variance", i, i))
			}
		}
	}
	return errors.Join(errs...)
}

// Keys returns the estimated parameters' keys in order.
func (e *Estimates) Keys() []string {
	k := make([]string, len(e.Parameters))
	for i, p := range e.Parameters {
		k[i] = p.Key
	}
	return k
}

// maxDrawTries bounds the redraws of a vector with a value the parameters
// reject (a drawn probability of exactly 1, say).
const maxDrawTries = 100

// Draw returns p with the estimated parameters drawn from the multivariate
// normal distribution of the estimates on the transformed scale (mean: the
// transformed point estimates; covariance: Covariance) and mapped back. A
// covariance that is not positive definite (an unidentified direction) is
// factorised after adding 1e-12 times its largest diagonal element to the
// diagonal; draws the parameters reject are redrawn (up to 100 tries).
func (e *Estimates) Draw(p Params, r *rand.Rand) (Params, error) {
	n := len(e.Parameters)
	cov := mat.NewSymDense(n, nil)
	var maxDiag float64
	for i := range n {
		maxDiag = math.Max(maxDiag, e.Covariance[i][i])
		for j := i; j < n; j++ {
			cov.SetSym(i, j, e.Covariance[i][j])
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		for i := range n {
			cov.SetSym(i, i, cov.At(i, i)+1e-12*maxDiag+1e-300)
		}
		if !ch.Factorize(cov) {
			return p, errors.New("estimates.covariance: not positive semi-definite")
		}
	}
	var l mat.TriDense
	ch.LTo(&l)
	z := make([]float64, n)
	var err error
	for range maxDrawTries {
		for i := range z {
			z[i] = r.NormFloat64()
		}
		q := p
		err = nil
		for i, ep := range e.Parameters {
			v := Forward(ep.Transform, ep.Value)
			for j := 0; j <= i; j++ {
				v += l.At(i, j) * z[j]
			}
			if err = q.Set(ep.Key, Inverse(ep.Transform, v)); err != nil {
				break
			}
		}
		if err == nil {
			return q, nil
		}
	}
	return p, fmt.Errorf("estimates: no valid draw in %d tries: %w", maxDrawTries, err)
}

// fileDoc is a parameter file: overrides at the top level and, in an
// estimates file, an estimates section.
type fileDoc struct {
	Params    `yaml:",inline"`
	Estimates *Estimates `yaml:"estimates"`
}

// LoadEstimates reads an estimates file (or any parameter file) on top of
// p: the top-level overrides as Load does, and the estimates section, nil
// when the file has none. A path that names no file but an embedded
// estimated set (EstimatedNames) returns that set.
func LoadEstimates(p Params, path string) (Params, *Estimates, error) {
	if _, err := os.Stat(path); err != nil && slices.Contains(EstimatedNames(), path) {
		return EmbeddedEstimates(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return p, nil, err
	}
	defer f.Close()
	est, err := p.decode(f, path)
	return p, est, err
}

// String summarises the estimates, one parameter a line.
func (e *Estimates) String() string {
	var b strings.Builder
	for _, p := range e.Parameters {
		fmt.Fprintf(&b, "%s = %g (se %g, %s scale)\n", p.Key, p.Value, p.SE, p.Transform)
	}
	return b.String()
}
