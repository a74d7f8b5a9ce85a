package calibrate

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"listetak/params"
	"listetak/world"
)

// targetsTruth are the known parameters of the synthetic target sets: the
// free set of the shipped estimate (params/estimated), each 15-20 % from
// the hand-set v2 value the search starts from (params.HandSetV2: psi 0.1,
// chi 0.03, alpha0 3.6, alpha_c 0.35, q0 0.1, beta_size 0.2, convert_rate
// 0.4, start_age_mean 50, appeal_sd 2), except the two whose hand-set
// value is a reference point: the trend of the entry logit from 0 to -0.2
// a year (2015-2019: a shift of -0.8, about the shipped estimate's
// -1.2), kappa from 1.02 to 1.0 (a fifth of its bounds' width).
var targetsTruth = []struct {
	key string
	v   float64
}{
	{"psi", 0.12}, {"chi", 0.036}, {"alpha0", 3.0}, {"alpha_c", 0.42},
	{"q0", 0.085}, {"beta_size", 0.24}, {"convert_rate", 0.32},
	{"start_age_mean", 58}, {"appeal_sd", 1.6}, {"alpha_trend", -0.2}, {"kappa", 1.0},
}

// targetsBounds are the shipped estimate's bounds where they differ from
// the defaults (calibrate -bounds).
const targetsBounds = "start_age_mean=40:80,appeal_sd=0.2:4,alpha0=-4:8"

// targetsCounties is the recovery world: Vestland and Trøndelag of
// norway-2011 (2024 county codes 46 and 50: 902 slots, 81 municipalities,
// 18 below 2,000 residents and 2 of 50,000 or more), so every group of the
// shipped targets has municipalities.
var targetsCounties = []string{"46", "50"}

// TestRecoveryTargets estimates the eleven parameters of model v2 that the
// shipped estimate frees back from
// three synthetic target sets: the rows of the shipped norway-2011-2019
// targets (same moments, years and groups), their values one replication
// of the model at targetsTruth (seeds 101, 102, 103) on targetsCounties,
// their standard errors the default rule applied to those values. Every
// true value must lie within 2.5 standard errors of its estimate. The
// identification report at each estimate is logged, so a parameter these
// aggregates do not identify shows as such (with a large standard error)
// rather than passing unseen. It runs only with LISTETAK_RECOVERY=1 (a few
// minutes on two cores).
func TestRecoveryTargets(t *testing.T) {
	if os.Getenv("LISTETAK_RECOVERY") == "" && os.Getenv("LISTETAK_RECOVERY_TARGETS") == "" {
		t.Skip("set LISTETAK_RECOVERY=1 (or LISTETAK_RECOVERY_TARGETS=1 for this one alone) to run the targets-mode parameter recovery (minutes)")
	}
	w0, err := world.Embedded("norway-2011")
	if err != nil {
		t.Fatal(err)
	}
	w, err := SubsetWorld(w0, targetsCounties)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := LoadTargets("norway-2011-2019", TargetCheck{WorldYear: w.Year, Years: 8})
	if err != nil {
		t.Fatal(err)
	}
	base := params.HandSetV2()
	truth := base
	var keys []string
	for _, p := range targetsTruth {
		if err := truth.Set(p.key, p.v); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, p.key)
	}
	free, err := ParseFree(strings.Join(keys, ","), targetsBounds)
	if err != nil {
		t.Fatal(err)
	}
	setup := &Setup{World: w, Base: base, Years: 8}
	var b strings.Builder
	fmt.Fprintf(&b, "world %s: %d slots, %d municipalities; %d targets; %d workers\n", w.Name, len(w.Slots), len(w.Municipalities), len(tmpl.Rows), runtime.NumCPU())
	start := time.Now()
	sum := make([]float64, len(targetsTruth))
	for _, seed := range recoverySeeds {
		for i, v := range recoverTargets(t, &b, setup, tmpl, truth, free, seed) {
			sum[i] += v / float64(len(recoverySeeds))
		}
	}
	fmt.Fprintf(&b, "mean over %d seeds (not a criterion: the aggregates identify some parameters weakly):\n", len(recoverySeeds))
	for i, p := range targetsTruth {
		fmt.Fprintf(&b, "  %-14s true %10.4g mean %10.4g (%+.1f %%)\n", p.key, p.v, sum[i], 100*(sum[i]/p.v-1))
	}
	fmt.Fprintf(&b, "wall time %.1f s\n", time.Since(start).Seconds())
	t.Log("\n" + b.String())
	if path := os.Getenv("LISTETAK_RECOVERY_OUT"); path != "" {
		os.WriteFile(path, []byte(b.String()), 0o644)
	}
}

// recoverTargets estimates one synthetic target set of seed and appends
// its table (true, estimate, se, z) and identification report to b; it
// returns the estimates.
func recoverTargets(t *testing.T, b *strings.Builder, setup *Setup, tmpl *Targets, truth params.Params, free []Free, seed uint64) []float64 {
	t0 := time.Now()
	gen := *setup
	gen.Workers = runtime.NumCPU()
	syn, err := SimulatedRows(context.Background(), tmpl, &gen, truth, seed, 0, DefaultSERule())
	if err != nil {
		t.Fatal(err)
	}
	src, err := NewTargetSource(syn, setup)
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Free: free, Workers: runtime.NumCPU(), Reps: envInt("LISTETAK_RECOVERY_REPS"),
		Restarts: cmp.Or(envInt("LISTETAK_RECOVERY_RESTARTS"), recoveryRestarts), Polish: cmp.Or(envInt("LISTETAK_RECOVERY_POLISH"), recoveryPolish)}
	if os.Getenv("LISTETAK_RECOVERY_LOG") != "" {
		opt.Logf = func(format string, args ...any) { t.Logf("seed %d: "+format, append([]any{seed}, args...)...) }
	}
	e, err := NewEstimatorFor(setup, src, opt)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Estimate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(b, "synthetic seed %d: criterion %.4g, %d evaluations, %.1f s\n", seed, res.Objective, res.Evals, time.Since(t0).Seconds())
	fmt.Fprintf(b, "  %-14s %10s %10s %10s %7s  %s\n", "parameter", "true", "estimate", "se", "z", "identification")
	for i, p := range targetsTruth {
		z := (res.Values[i] - p.v) / res.SE[i]
		flag := "identified"
		if res.Ident.Flag[i] != "" {
			flag = res.Ident.Flag[i]
		}
		fmt.Fprintf(b, "  %-14s %10.4g %10.4g %10.3g %7.2f  %s\n", p.key, p.v, res.Values[i], res.SE[i], z, flag)
		if !(math.Abs(z) <= recoveryZ) {
			t.Errorf("seed %d: %s = %.4g (se %.3g), true %.4g: %.2f standard errors off (at most %.1f)", seed, p.key, res.Values[i], res.SE[i], p.v, z, recoveryZ)
		}
	}
	fmt.Fprintf(b, "  rank %d, condition number %.3g, singular values %.3g\n", res.Ident.Rank, res.Ident.Condition, res.Ident.Singular)
	return res.Values
}

// recoveryPolish is the Gauss-Newton polish of the targets recovery: six
// steps (the shipped fits use twelve; -polish 12), so that the test
// estimates as the shipped estimator does, polish and its guard included.
// Without it, seed 102 on the ceiling-reach model put alpha0 2.56 standard
// errors off, from the search's Jacobian; with it alpha0 is 1.15 off
// there, and the test passed in 68 s.
const recoveryPolish = 6
