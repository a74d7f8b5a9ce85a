package calibrate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"listetak/experiments/design"
	"listetak/params"
	"listetak/rng"
)

// Options configure the simulated-method-of-moments estimator. The zero
// value of every field except Free means its documented default.
type Options struct {
	Free []Free // the parameters to estimate (required)

	// Reps is S, the simulated panels per evaluation (default 6). The same
	// replications 0..S-1 of Seed are used in every evaluation (common
	// random numbers), which makes the criterion a deterministic function
	// of the parameters; the estimate's variance carries the factor
	// (1 + 1/S) for the simulation noise (Gourieroux and Monfort 1996,
	// Simulation-Based Econometric Methods, ch. 2).
	Reps int
	Seed uint64 // master seed of the simulations (default 1)
	// OmegaReps are the independent simulated panels (replications 100,
	// 101, ... of Seed) behind the moments' covariance: the weights, the
	// fit's standard errors and the sandwich formula (default 64).
	OmegaReps int
	// JacobianReps are the panels (replications 0.. of Seed, the common
	// random numbers) of each point of the numerical Jacobian (default 2S).
	JacobianReps int
	// Step is the Jacobian's central-difference step on the transformed
	// scale (default 0.1: 10 % on a log scale). Large enough to average over
	// the steps a simulated criterion has, small against the bounds.
	Step float64
	// LHS is the number of Latin hypercube points screened before the
	// local search (default 10 per parameter; -1: none).
	LHS int
	// Method is "cmaes" (default: CMA-ES with a Cholesky update, gonum
	// optimize.CmaEsChol) or "neldermead".
	Method string
	// MaxIter bounds the search's major iterations (CMA-ES generations;
	// default 100).
	MaxIter int
	// Population is the CMA-ES population (default 4 + 3 ln d).
	Population int
	// InitStep is the initial step (CMA-ES sigma, Nelder-Mead simplex
	// size) in the search's unit box, where every parameter's bounds are
	// -1 and 1 on its transformed scale (default 0.05).
	InitStep float64
	// Restarts is the number of local searches, each from one of the best
	// starting candidates (the start and the screening's points, by
	// criterion); the best result is kept (default 3).
	Restarts int
	// Stall stops the search when the best criterion has not improved by a
	// relative 1e-4 in this many major iterations (default 25).
	Stall int
	// TwoStep re-estimates with the efficient weighting matrix: the inverse
	// of the moments' covariance at the first-step estimate, shrunk halfway
	// to its diagonal (OmegaReps is usually far below the number of
	// moments, so the raw covariance is singular).
	TwoStep bool
	// Polish is the number of Gauss-Newton steps after the search (default
	// 8; -1: none). Each linearises the simulated moments around the
	// current point with the numerical Jacobian (step Step, JacobianReps
	// panels) and moves to the minimum of the linearised criterion, within
	// a trust region; the estimate is the mean of the second half of the
	// steps' points. The search minimises a rugged criterion (agents are
	// discrete, so even with common random numbers it has small steps and
	// dips), and its best point sits in one such dip; the Jacobian's
	// differences span many of them, so the polished estimate is nearer the
	// minimum of the smooth criterion the standard errors describe.
	Polish int
	// Bootstrap is the number of parametric bootstrap replicates: registers
	// simulated at the estimate (replications 200, 201, ... of Seed), each
	// re-estimated from the estimate; 0: none.
	Bootstrap int
	// MinCell is the small-cell threshold: moments from fewer GPs are
	// neither fitted nor written (default 5; at least 3, DATA.md).
	MinCell int
	// Workers is the number of concurrent evaluations (default 1).
	Workers int
	// Start is the transformed-scale starting point; nil: the setup's base
	// parameters, clamped into the bounds.
	Start []float64
	// Journal, when set, is the file of finished evaluations: each is
	// appended as it finishes, and a rerun with the same setup and options
	// replays them instead of simulating again (resume after an
	// interruption).
	Journal string
	// Progress, when set, is told the stage and the evaluations done.
	Progress func(stage string, done int)
	// Logf, when set, receives one line per stage (no register records).
	Logf func(format string, args ...any)
}

// Replication offsets of the simulations that are not the common random
// numbers: the covariance panels and the bootstrap registers.
const (
	omegaOffset = 100
	bootOffset  = 200
	maxReps     = 100 // bound of Reps and JacobianReps (below omegaOffset)
)

func (o *Options) defaults() {
	if o.Reps == 0 {
		o.Reps = 6
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.OmegaReps == 0 {
		o.OmegaReps = 64
	}
	if o.JacobianReps == 0 {
		o.JacobianReps = min(2*o.Reps, maxReps)
	}
	if o.Step == 0 {
		o.Step = 0.1
	}
	if o.LHS == 0 {
		o.LHS = 10 * len(o.Free)
	}
	if o.Method == "" {
		o.Method = "cmaes"
	}
	if o.MaxIter == 0 {
		o.MaxIter = 100
	}
	if o.InitStep == 0 {
		o.InitStep = 0.05
	}
	if o.Restarts == 0 {
		o.Restarts = 3
	}
	if o.Stall == 0 {
		o.Stall = 25
	}
	if o.Polish == 0 {
		o.Polish = 8
	}
	if o.MinCell == 0 {
		o.MinCell = 5
	}
	if o.Workers == 0 {
		o.Workers = 1
	}
}

// Validate reports every problem of the options (after defaults), each
// naming its field.
func (o *Options) Validate() error {
	var errs []error
	if len(o.Free) == 0 {
		errs = append(errs, errors.New("free: no parameter to estimate"))
	}
	if err := validateFree(o.Free); err != nil {
		errs = append(errs, err)
	}
	if o.Restarts < 1 {
		errs = append(errs, fmt.Errorf("restarts: %d is below 1", o.Restarts))
	}
	if o.Reps < 1 || o.Reps > maxReps {
		errs = append(errs, fmt.Errorf("reps: %d not in 1..%d", o.Reps, maxReps))
	}
	if o.JacobianReps < 1 || o.JacobianReps > maxReps {
		errs = append(errs, fmt.Errorf("jacobian_reps: %d not in 1..%d", o.JacobianReps, maxReps))
	}
	if o.OmegaReps < 2 || o.OmegaReps > bootOffset-omegaOffset {
		errs = append(errs, fmt.Errorf("omega_reps: %d not in 2..%d", o.OmegaReps, bootOffset-omegaOffset))
	}
	if !(o.Step > 0 && o.Step < 1) {
		errs = append(errs, fmt.Errorf("step: %v not in (0, 1)", o.Step))
	}
	if o.Method != "cmaes" && o.Method != "neldermead" {
		errs = append(errs, fmt.Errorf("method: %q is not cmaes or neldermead", o.Method))
	}
	if o.Polish < -1 {
		errs = append(errs, fmt.Errorf("polish: %d is below -1", o.Polish))
	}
	if o.MaxIter < 1 || o.Stall < 1 || o.Population < 0 || o.Bootstrap < 0 || o.Workers < 1 {
		errs = append(errs, fmt.Errorf("max_iter %d, stall %d, population %d, bootstrap %d, workers %d: need max_iter, stall, workers >= 1 and population, bootstrap >= 0",
			o.MaxIter, o.Stall, o.Population, o.Bootstrap, o.Workers))
	}
	if !(o.InitStep > 0 && o.InitStep <= 2) {
		errs = append(errs, fmt.Errorf("init_step: %v not in (0, 2]", o.InitStep))
	}
	if o.MinCell < 3 {
		errs = append(errs, fmt.Errorf("min_cell: %d is below 3 (DATA.md: never below 3)", o.MinCell))
	}
	if o.Start != nil && len(o.Start) != len(o.Free) {
		errs = append(errs, fmt.Errorf("start: %d values for %d parameters", len(o.Start), len(o.Free)))
	}
	return errors.Join(errs...)
}

// Observed is what a register gives the estimator: its moments.
type Observed struct {
	Moments []Moment
}

// ObservedFrom computes the moments of a register panel (and its
// municipality years, which may be nil) under the setup's periods.
func ObservedFrom(s *Setup, p *Panel, my *MuniYears) Observed {
	return Observed{Moments: Moments(p, my, s.MomentSpec())}
}

// Estimator fits a setup's free parameters to the observed moments of a
// Source.
type Estimator struct {
	setup *Setup
	opt   Options
	src   Source
	all   []Moment // every observed moment
	used  []int    // indexes into all of the fitted moments
	obs   []float64
	meas  []float64     // measurement-error variance of the fitted moments (0 for a register)
	w     []float64     // diagonal weights
	wFull *mat.SymDense // efficient weights (two-step), nil otherwise
	mid   []float64     // transformed-scale centre of the bounds
	half  []float64     // transformed-scale half-width
	jr    *journal
	evals int
	mu    sync.Mutex
	hist  []HistoryRow
}

// HistoryRow is one major iteration of a search (or a screening point):
// the best criterion so far and where it is.
type HistoryRow struct {
	Stage       string
	Iteration   int
	Evaluations int
	Objective   float64
	Values      []float64 // parameter scale
}

// NewEstimator prepares an estimator of a register's moments: it
// validates the setup and options and drops observed moments that are
// empty or from fewer than MinCell GPs (small-cell suppression; they are
// neither fitted nor written).
func NewEstimator(s *Setup, obs Observed, opt Options) (*Estimator, error) {
	return NewEstimatorFor(s, newRegisterSource(obs), opt)
}

// NewEstimatorFor prepares an estimator of the moments of any Source (a
// register's, or public targets' from NewTargetSource): it validates the
// setup and options and keeps the moments the source says are fitted.
func NewEstimatorFor(s *Setup, src Source, opt Options) (*Estimator, error) {
	opt.defaults()
	if err := errors.Join(s.Validate(), opt.Validate()); err != nil {
		return nil, err
	}
	e := &Estimator{setup: s, opt: opt, src: src, all: src.Observed()}
	for i, m := range e.all {
		if src.Fitted(i, opt.MinCell) {
			e.used = append(e.used, i)
			e.obs = append(e.obs, m.Value)
			e.meas = append(e.meas, src.MeasurementVar(i))
		}
	}
	if len(e.used) < len(opt.Free) {
		return nil, fmt.Errorf("calibrate: %d usable moments for %d parameters", len(e.used), len(opt.Free))
	}
	for _, f := range opt.Free {
		lo, hi := f.zBounds()
		e.mid = append(e.mid, (lo+hi)/2)
		e.half = append(e.half, (hi-lo)/2)
	}
	return e, nil
}

// SetProgress sets the progress callback (see Options.Progress).
func (e *Estimator) SetProgress(fn func(stage string, done int)) { e.opt.Progress = fn }

// Suppressed returns the number of observed moments left out because their
// cell had fewer than MinCell GPs (or was empty).
func (e *Estimator) Suppressed() int { return len(e.all) - len(e.used) }

// toZ maps the unit box to the transformed scale.
func (e *Estimator) toZ(u []float64) []float64 {
	z := make([]float64, len(u))
	for i := range u {
		z[i] = e.mid[i] + e.half[i]*u[i]
	}
	return z
}

func (e *Estimator) toU(z []float64) []float64 {
	u := make([]float64, len(z))
	for i := range z {
		u[i] = (z[i] - e.mid[i]) / e.half[i]
	}
	return u
}

// paramsAt returns the base parameters with the free ones at transformed z.
func (e *Estimator) paramsAt(z []float64) (params.Params, error) {
	p := e.setup.Base
	for i, f := range e.opt.Free {
		if err := p.Set(f.Key, params.Inverse(f.Transform, z[i])); err != nil {
			return p, err
		}
	}
	return p, nil
}

// natural maps transformed values to the parameters' scale.
func (e *Estimator) natural(z []float64) []float64 {
	x := make([]float64, len(z))
	for i, f := range e.opt.Free {
		x[i] = params.Inverse(f.Transform, z[i])
	}
	return x
}

// simulate returns the per-replication moments (rows) of the fitted moments
// for replications first..first+n-1 at transformed z.
func (e *Estimator) simulate(ctx context.Context, z []float64, first, n, workers int) ([][]float64, error) {
	p, err := e.paramsAt(z)
	if err != nil {
		return nil, err
	}
	s := *e.setup
	s.Workers = workers
	full, err := e.src.Simulate(ctx, &s, p, e.opt.Seed, first, n)
	if err != nil {
		return nil, err
	}
	rows := make([][]float64, n)
	for r, fr := range full {
		if len(fr) != len(e.all) {
			return nil, fmt.Errorf("calibrate: a simulation gives %d moments for %d observed", len(fr), len(e.all))
		}
		row := make([]float64, len(e.used))
		for k, i := range e.used {
			row[k] = fr[i]
		}
		rows[r] = row
	}
	return rows, nil
}

// colMeans returns the NaN-aware mean of each column.
func colMeans(rows [][]float64, k int) []float64 {
	m := make([]float64, k)
	col := make([]float64, len(rows))
	for j := range k {
		for r := range rows {
			col[r] = rows[r][j]
		}
		m[j] = nanMean(col)
	}
	return m
}

// missingPenalty is the criterion's charge for a moment the simulation
// leaves empty in every replication: as if it missed by 5 standard
// deviations (5^2), so an empty cell is never better than a poor fit.
const missingPenalty = 25

// boundPenalty scales the quadratic charge for leaving the unit box (the
// point is evaluated clamped to the box): 1e3 per unit squared, steep
// against criterion differences near the optimum.
const boundPenalty = 1e3

// polishBetter reports whether the polish's point zp is at least as good
// as the search's zs, each judged by the criterion on the same
// JacobianReps common-random-number panels (fp <= fs). The search's own
// criterion, on Reps panels, is where it ended because it is low there: a
// dip of those few panels the averaged polish leaves. On the many panels
// both points are judged without that selection, so the polish is kept
// unless it is worse on them, as it can be when its steps wander on a
// rugged criterion (docs/model.md "Estimation").
func (e *Estimator) polishBetter(ctx context.Context, zs, zp []float64) (better bool, fs, fp float64, err error) {
	rs, err := e.simulate(ctx, zs, 0, e.opt.JacobianReps, e.opt.Workers)
	if err != nil {
		return false, 0, 0, err
	}
	rp, err := e.simulate(ctx, zp, 0, e.opt.JacobianReps, e.opt.Workers)
	if err != nil {
		return false, 0, 0, err
	}
	fs, fp = e.criterion(rs), e.criterion(rp)
	return fp <= fs, fs, fp, nil
}

// criterion returns the weighted distance between observed and simulated
// moments, corrected for the simulation noise of the mean of S panels:
// E[(m_obs - mbar)^2] = (m_obs - mu)^2 + var/S, and var/S depends on the
// parameters (more churn, more variable lists), so the plain distance
// favours parameters whose moments vary less; subtracting the unbiased
// estimate tr(W C)/S (C the covariance over the S panels) removes that
// small-S bias of SMM with common random numbers.
func (e *Estimator) criterion(rows [][]float64) float64 {
	sim := colMeans(rows, len(e.used))
	f := e.distance(sim)
	if len(rows) < 2 {
		return f
	}
	c := covariance(rows, len(e.used))
	s := float64(len(rows))
	if e.wFull != nil {
		var tr float64
		for i := range len(e.used) {
			for j := range len(e.used) {
				tr += e.wFull.At(i, j) * c.At(j, i)
			}
		}
		return f - tr/s
	}
	for k, w := range e.w {
		if !math.IsNaN(e.obs[k]) && !math.IsNaN(sim[k]) {
			f -= w * c.At(k, k) / s
		}
	}
	return f
}

// distance returns the weighted distance between observed and simulated
// moments.
func (e *Estimator) distance(sim []float64) float64 {
	d := make([]float64, len(sim))
	var f float64
	for k := range sim {
		if math.IsNaN(e.obs[k]) {
			continue // a bootstrap register's empty cell
		}
		if math.IsNaN(sim[k]) {
			f += missingPenalty
			continue
		}
		d[k] = e.obs[k] - sim[k]
	}
	if e.wFull != nil {
		v := mat.NewVecDense(len(d), d)
		return f + mat.Inner(v, e.wFull, v)
	}
	for k := range d {
		f += e.w[k] * d[k] * d[k]
	}
	return f
}

// eval returns the criterion at unit-box point u (clamped, with the bound
// penalty), from the journal when it holds it.
func (e *Estimator) eval(ctx context.Context, stage string, u []float64) float64 {
	key := e.jr.key(stage, u)
	if f, ok := e.jr.lookup(key); ok {
		e.count(stage)
		return f
	}
	uc := make([]float64, len(u))
	var pen float64
	for i, x := range u {
		uc[i] = math.Max(-1, math.Min(1, x))
		pen += boundPenalty * (x - uc[i]) * (x - uc[i])
	}
	rows, err := e.simulate(ctx, e.toZ(uc), 0, e.opt.Reps, 1)
	if err != nil {
		if ctx.Err() == nil && e.opt.Logf != nil {
			e.opt.Logf("evaluation failed (criterion +Inf): %v", err)
		}
		return math.Inf(1)
	}
	f := e.criterion(rows) + pen
	e.jr.record(key, f)
	e.count(stage)
	return f
}

func (e *Estimator) count(stage string) {
	e.mu.Lock()
	e.evals++
	n := e.evals
	e.mu.Unlock()
	if e.opt.Progress != nil {
		e.opt.Progress(stage, n)
	}
}

// omega returns the per-replication moments of OmegaReps independent
// panels at z and their means and variances.
func (e *Estimator) omega(ctx context.Context, z []float64) (rows [][]float64, mean, vr []float64, err error) {
	rows, err = e.simulate(ctx, z, omegaOffset, e.opt.OmegaReps, e.opt.Workers)
	if err != nil {
		return nil, nil, nil, err
	}
	k := len(e.used)
	mean = colMeans(rows, k)
	vr = make([]float64, k)
	for j := range k {
		var s, n float64
		for _, r := range rows {
			if !math.IsNaN(r[j]) {
				d := r[j] - mean[j]
				s += d * d
				n++
			}
		}
		vr[j] = math.NaN()
		if n > 1 {
			vr[j] = s / (n - 1)
		}
	}
	return rows, mean, vr, nil
}

// varianceFloor is the smallest standard deviation a moment is given, as a
// share of its observed value: 1 %. A quantile stuck on a grid point (or a
// share that never moves) in every simulated panel has variance 0, which
// would give it infinite weight.
const varianceFloor = 0.01

// floorVar returns the variance used for moment k.
func (e *Estimator) floorVar(k int, v float64) float64 {
	f := varianceFloor * math.Abs(e.obs[k])
	f = math.Max(f*f, 1e-12)
	if math.IsNaN(v) || v < f {
		return f
	}
	return v
}

// momentVar returns the variance of observed - simulated moment k that
// the weights use: the measurement error's (0 for a register) plus one
// simulated realisation's, floored (floorVar). A register is one
// realisation of the model; so, under the model, is a national aggregate,
// whose published value has in addition its measurement error.
func (e *Estimator) momentVar(k int, v float64) float64 {
	return e.meas[k] + e.floorVar(k, v)
}

// setDiagWeights sets W = diag(1 / (measurement variance + var)).
func (e *Estimator) setDiagWeights(vr []float64) {
	e.w = make([]float64, len(vr))
	for k, v := range vr {
		e.w[k] = 1 / e.momentVar(k, v)
	}
	e.wFull = nil
}

// twoStepShrink is the weight of the diagonal in the two-step covariance
// (a fixed linear shrinkage, Ledoit and Wolf 2004): with far fewer
// covariance panels than moments the sample covariance is singular.
const twoStepShrink = 0.5

// setFullWeights sets W = (shrunk Omega)^-1 from per-replication moments.
func (e *Estimator) setFullWeights(rows [][]float64, vr []float64) error {
	k := len(vr)
	cov := covariance(rows, k)
	s := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			v := (1 - twoStepShrink) * cov.At(i, j)
			if i == j {
				v = e.momentVar(i, vr[i])
			}
			s.SetSym(i, j, v)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(s) {
		return errors.New("calibrate: two-step covariance is not positive definite")
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return err
	}
	e.wFull = &inv
	return nil
}

// covariance returns the sample covariance of the rows' columns (NaNs
// replaced by the column mean).
func covariance(rows [][]float64, k int) *mat.SymDense {
	mean := colMeans(rows, k)
	c := mat.NewSymDense(k, nil)
	n := float64(len(rows))
	for i := range k {
		for j := i; j < k; j++ {
			var s float64
			for _, r := range rows {
				a, b := r[i], r[j]
				if math.IsNaN(a) {
					a = mean[i]
				}
				if math.IsNaN(b) {
					b = mean[j]
				}
				s += (a - mean[i]) * (b - mean[j])
			}
			c.SetSym(i, j, s/math.Max(n-1, 1))
		}
	}
	return c
}

// Result is an estimate with its uncertainty and fit.
type Result struct {
	Free      []Free
	Z         []float64 // transformed-scale estimate
	Values    []float64 // parameter-scale estimate
	Objective float64   // criterion at the estimate
	CovZ      *mat.SymDense
	SEZ, SE   []float64 // standard errors, transformed and parameter scale
	BootSE    []float64 // parametric bootstrap standard errors (nil unless run)
	Moments   []FitRow  // every observed moment with its simulated counterpart
	Ident     *Identification
	History   []HistoryRow
	Evals     int
	Reps      int
	Wall      time.Duration
	Notes     []string
}

// FitRow is one line of fit.csv. Suppressed rows carry no values.
type FitRow struct {
	Moment
	Simulated  float64 // mean over the S common-random-number panels
	SE         float64 // standard error of observed - simulated: sqrt(measurement variance + (1 + 1/S) var)
	Weight     float64 // diagonal weight in the criterion (0: not fitted)
	Suppressed bool
}

// Estimate runs the whole estimation: screening, search, weights,
// standard errors, identification and (optionally) bootstrap.
func (e *Estimator) Estimate(ctx context.Context) (*Result, error) {
	start := time.Now()
	o := &e.opt
	logf := func(format string, args ...any) {
		if o.Logf != nil {
			o.Logf(format, args...)
		}
	}
	var err error
	if e.jr, err = openJournal(o.Journal, e.fingerprint()); err != nil {
		return nil, err
	}
	defer e.jr.close()
	if e.jr.replayed > 0 {
		logf("journal %s: %d finished evaluations to replay", o.Journal, e.jr.replayed)
	}
	d := len(o.Free)
	// Starting point and the pilot weights.
	z0 := o.Start
	if z0 == nil {
		z0 = make([]float64, d)
		for i, f := range o.Free {
			x := math.Max(f.Lower, math.Min(f.Upper, value(e.setup.Base, f.Key)))
			z0[i] = params.Forward(f.Transform, x)
		}
	}
	_, _, vr, err := e.omega(ctx, z0)
	if err != nil {
		return nil, err
	}
	e.setDiagWeights(vr)
	logf("%d moments fitted, %d suppressed (cells with fewer than %d GPs or empty); pilot weights from %d panels at the start", len(e.used), e.Suppressed(), o.MinCell, o.OmegaReps)
	best := e.toU(z0)
	bestF := e.eval(ctx, "start", best)
	e.history("start", 0, bestF, best)
	// Candidate starting points of the local searches, with criteria.
	type cand struct {
		u []float64
		f float64
	}
	cands := []cand{{best, bestF}}
	// Latin hypercube screening over the unit box.
	if o.LHS > 0 {
		factors := make([]design.Factor, d)
		for i, f := range o.Free {
			factors[i] = design.Factor{Name: f.Key, Min: -1, Max: 1}
		}
		des, err := design.LHS(factors, o.LHS, rng.New(o.Seed, 0).Named("calibrate-lhs").Rand())
		if err != nil {
			return nil, err
		}
		fs := make([]float64, len(des.Points))
		e.parallel(len(des.Points), func(i int) { fs[i] = e.eval(ctx, "lhs", des.Points[i]) })
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i, f := range fs {
			cands = append(cands, cand{slices.Clone(des.Points[i]), f})
			if f < bestF {
				bestF, best = f, slices.Clone(des.Points[i])
			}
		}
		e.history("lhs", 1, bestF, best)
		logf("screening: %d Latin hypercube points, best criterion %.4g", len(fs), bestF)
	}
	// Weights at the screening's best point, then the search.
	if _, _, vr, err = e.omega(ctx, e.toZ(best)); err != nil {
		return nil, err
	}
	e.setDiagWeights(vr)
	// Local searches from the Restarts best candidates: a simulated
	// criterion is rugged (agents are discrete, so common random numbers do
	// not make it smooth), and a single search tends to stall near its
	// start; the recovery tests showed weakly identified parameters (chi)
	// anchored at the starting value with one search.
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(a.f, b.f) })
	var u []float64
	f := math.Inf(1)
	for k := range min(o.Restarts, len(cands)) {
		stage := "search"
		if k > 0 {
			stage = fmt.Sprintf("search%d", k+1)
		}
		c := cands[k].u
		cf := e.eval(ctx, stage, c) // the criterion under the new weights
		uk, fk, err := e.search(ctx, stage, c, o.InitStep, o.MaxIter)
		if err != nil {
			return nil, err
		}
		if cf <= fk { // the search never samples its start again
			uk, fk = c, cf
		}
		logf("search %d of %d (%s): criterion %.4g after %d evaluations", k+1, o.Restarts, o.Method, fk, e.evals)
		if fk < f {
			u, f = uk, fk
		}
	}
	var rows [][]float64
	var mean []float64
	if rows, mean, vr, err = e.omega(ctx, e.toZ(u)); err != nil {
		return nil, err
	}
	_ = mean
	if o.TwoStep {
		if err := e.setFullWeights(rows, vr); err != nil {
			return nil, err
		}
		u1, f1 := u, e.eval(ctx, "two-step", u)
		if u, f, err = e.search(ctx, "two-step", u, o.InitStep/3, o.MaxIter); err != nil {
			return nil, err
		}
		if f1 <= f {
			u, f = u1, f1
		}
		logf("two-step search with efficient weights: criterion %.4g", f)
		if rows, _, vr, err = e.omega(ctx, e.toZ(u)); err != nil {
			return nil, err
		}
	}
	// Gauss-Newton polish; the standard errors use its last Jacobian.
	z, G, G0, steps, err := e.polish(ctx, e.toZ(u), true)
	if err != nil {
		return nil, err
	}
	if steps > 0 {
		better, fs, fp, err := e.polishBetter(ctx, e.toZ(u), z)
		if err != nil {
			return nil, err
		}
		if better {
			u = e.toU(z)
			f = e.eval(ctx, "polish", u)
			logf("polish: %d Gauss-Newton steps, criterion %.4g (%.4g against the search's %.4g on %d panels)", steps, f, fp, fs, o.JacobianReps)
		} else {
			z, G = e.toZ(u), G0 // the polish started at the search's point
			logf("polish: %d Gauss-Newton steps ended at %.4g on %d panels, above the search's %.4g; the search's point is kept", steps, fp, o.JacobianReps, fs)
		}
		if rows, _, vr, err = e.omega(ctx, z); err != nil {
			return nil, err
		}
	}
	e.stageProgress("standard errors")
	res := &Result{Free: o.Free, Z: z, Objective: f, Reps: o.Reps}
	res.Values = e.natural(res.Z)
	// Standard errors: sandwich with the numerical Jacobian.
	omegaCov := covariance(rows, len(e.used))
	res.CovZ, err = e.sandwich(G, omegaCov)
	if err != nil {
		res.Notes = append(res.Notes, err.Error())
	}
	res.SEZ, res.SE = make([]float64, d), make([]float64, d)
	for i, fr := range o.Free {
		res.SEZ[i] = math.NaN()
		if res.CovZ != nil {
			res.SEZ[i] = math.Sqrt(math.Max(res.CovZ.At(i, i), 0))
		}
		res.SE[i] = res.SEZ[i] * params.InverseDerivative(fr.Transform, res.Z[i])
	}
	res.Ident = e.identify(G)
	res.Notes = append(res.Notes, res.Ident.Flags()...)
	// The fit at the estimate (common random numbers).
	simRows, err := e.simulate(ctx, res.Z, 0, o.Reps, o.Workers)
	if err != nil {
		return nil, err
	}
	sim := colMeans(simRows, len(e.used))
	k := 0
	for i, m := range e.all {
		fr := FitRow{Moment: m, Simulated: math.NaN(), SE: math.NaN()}
		if k < len(e.used) && e.used[k] == i {
			fr.Simulated = sim[k]
			fr.SE = math.Sqrt(e.meas[k] + (1+1/float64(o.Reps))*e.floorVar(k, vr[k]))
			if e.wFull == nil {
				fr.Weight = e.w[k]
			} else {
				fr.Weight = e.wFull.At(k, k)
			}
			k++
		} else {
			fr.Suppressed = true
		}
		res.Moments = append(res.Moments, fr)
	}
	if o.Bootstrap > 0 {
		if res.BootSE, err = e.bootstrap(ctx, u); err != nil {
			return nil, err
		}
	}
	res.History = e.hist
	res.Evals = e.evals
	res.Wall = time.Since(start)
	return res, nil
}

// parallel runs fn(0..n-1) on Workers goroutines; results go by index.
func (e *Estimator) parallel(n int, fn func(i int)) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(e.opt.Workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				fn(i)
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

func (e *Estimator) history(stage string, it int, f float64, u []float64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.hist = append(e.hist, HistoryRow{Stage: stage, Iteration: it, Evaluations: e.evals, Objective: f, Values: e.natural(e.toZ(u))})
}

// recorder logs major iterations and stops the search on cancellation.
type recorder struct {
	e     *Estimator
	ctx   context.Context
	stage string
}

// Init implements optimize.Recorder.
func (r *recorder) Init() error { return nil }

// Record implements optimize.Recorder: it keeps the search history.
func (r *recorder) Record(l *optimize.Location, op optimize.Operation, st *optimize.Stats) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if op == optimize.MajorIteration {
		r.e.history(r.stage, st.MajorIterations, l.F, l.X)
	}
	return nil
}

// relTol is the relative improvement below which a major iteration counts
// as a stall (the criterion is a sum of squares of order the number of
// moments; 1e-4 of it is far below its simulation noise).
const relTol = 1e-4

// search runs the local search from u with the given initial step and
// returns the best point and criterion. Deterministic for any Workers:
// CMA-ES draws its population in a fixed order from its own seeded source
// and updates once per generation, the runs stop at major iterations only.
func (e *Estimator) search(ctx context.Context, stage string, u []float64, step float64, maxIter int) ([]float64, float64, error) {
	d := len(u)
	prob := optimize.Problem{Func: func(x []float64) float64 { return e.eval(ctx, stage, x) }}
	settings := &optimize.Settings{
		MajorIterations: maxIter,
		Concurrent:      e.opt.Workers,
		Converger:       &optimize.FunctionConverge{Relative: relTol, Iterations: e.opt.Stall},
		Recorder:        &recorder{e: e, ctx: ctx, stage: stage},
	}
	var method optimize.Method
	switch e.opt.Method {
	case "neldermead":
		method = &optimize.NelderMead{SimplexSize: step}
		settings.Concurrent = 0
	default:
		k := rng.New(e.opt.Seed, 0).Named("calibrate-cmaes-" + stage)
		r := k.Rand()
		// gonum's CmaEsChol samples from the Cholesky factor it carries,
		// so the initial step enters through InitCholesky (step^2 I).
		var c0 mat.Cholesky
		diag := mat.NewDiagDense(d, nil)
		for i := range d {
			diag.SetDiag(i, step*step)
		}
		if !c0.Factorize(diag) {
			return nil, 0, errors.New("calibrate: initial CMA-ES covariance")
		}
		method = &optimize.CmaEsChol{
			InitStepSize: step, Population: e.opt.Population, InitCholesky: &c0,
			Src: rand.NewPCG(r.Uint64(), r.Uint64()),
			// Stop when the search distribution's scale falls to 1e-3 of the
			// unit box in every direction: far below any standard error.
			StopLogDet: float64(d) * math.Log(1e-6),
		}
	}
	res, err := optimize.Minimize(prob, slices.Clone(u), settings, method)
	if err != nil && ctx.Err() != nil {
		return nil, 0, ctx.Err()
	}
	if res == nil {
		return nil, 0, fmt.Errorf("calibrate: %s: %w", stage, err)
	}
	uc := make([]float64, d)
	for i, x := range res.X {
		uc[i] = math.Max(-1, math.Min(1, x))
	}
	return uc, res.F, nil
}
