package calibrate

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"listetak/params"
	"listetak/world"
)

// recoveryTruth are the known parameters of the synthetic registers: each
// moved 8-25 % away from MODEL.md's reference values (the search starts
// from those), so recovering them is not an artefact of the start.
var recoveryTruth = []struct {
	key string
	v   float64
}{
	{"leisure_median_male", 800}, {"leisure_median_female", 950}, {"eta", 0.4},
	{"loss_aversion_median", 1.6}, {"q0", 0.025}, {"alpha0", 0.8}, {"chi", 0.06},
}

// Recovery criteria of the calibration issue.
const (
	recoveryZ    = 2.5  // every true value within 2.5 standard errors of its estimate
	recoveryBias = 0.15 // the mean estimate over the seeds within 15 % of the truth
	// recoveryYears: a 20-year register (19 simulated years; the scheme
	// and its register date from 2001, so panels such as 2005-2024 exist),
	// the reform (1aix, which cuts income above 1,000 listed persons) in
	// force from its 11th year, so 10 years before it and 10 under it. With
	// 13 years the standard errors of chi and loss aversion at the truth
	// were 17 % and 14 % of their values; with 20, 11 % each.
	recoveryYears  = 19
	recoveryReform = 10
)

// recoveryRestarts is the number of local searches of the recovery runs:
// one, where the estimator's default is three, keeps the county run near
// two minutes on two cores for CI; the Gauss-Newton polish after the
// search moves the estimate off the dip the search ends in, which the
// restarts were first added for. With three searches the recovery passes
// as well (LISTETAK_RECOVERY_RESTARTS=3; README).
const recoveryRestarts = 1

// recoverySeeds are the synthetic registers' seeds (the estimator's own
// simulations use seed 1, so no register shares a random stream with them).
var recoverySeeds = []uint64{101, 102, 103}

// recoverTruth estimates the truth back from synthetic registers on world w and
// returns the table it logs.
func recoverTruth(t *testing.T, w *world.World) string {
	// The reference model without list composition: the test is about the
	// estimator, and composition costs five times the simulation time.
	truth := params.Reference2019()
	truth.Demography = 0
	base := params.Reference2019()
	base.Demography = 0
	var keys []string
	for _, p := range recoveryTruth {
		if err := truth.Set(p.key, p.v); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, p.key)
	}
	free, err := ParseFree(strings.Join(keys, ","), "")
	if err != nil {
		t.Fatal(err)
	}
	setup := &Setup{World: w, Base: base, Years: recoveryYears, Scenario: "1aix", ReformYear: w.Year + recoveryReform}
	var b strings.Builder
	fmt.Fprintf(&b, "world %s: %d slots, %d municipalities; %d workers\n", w.Name, len(w.Slots), len(w.Municipalities), runtime.NumCPU())
	sum := make([]float64, len(keys))
	start := time.Now()
	seeds := recoverySeeds
	if s := os.Getenv("LISTETAK_RECOVERY_SEEDS"); s != "" { // a subset, for diagnosis
		seeds = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.ParseUint(f, 10, 64)
			if err != nil {
				t.Fatalf("LISTETAK_RECOVERY_SEEDS: %v", err)
			}
			seeds = append(seeds, n)
		}
	}
	for _, seed := range seeds {
		t0 := time.Now()
		gen := *setup
		gen.Base, gen.Workers = truth, runtime.NumCPU()
		sims, err := gen.Simulate(context.Background(), truth, seed, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		obs := ObservedFrom(setup, sims[0].Panel, sims[0].Munis)
		e, err := NewEstimator(setup, obs, Options{Free: free, Workers: runtime.NumCPU(), Reps: envInt("LISTETAK_RECOVERY_REPS"), Restarts: cmp.Or(envInt("LISTETAK_RECOVERY_RESTARTS"), recoveryRestarts), Polish: envInt("LISTETAK_RECOVERY_POLISH")})
		if err != nil {
			t.Fatal(err)
		}
		if os.Getenv("LISTETAK_RECOVERY_LOG") != "" {
			e.opt.Logf = func(format string, args ...any) { t.Logf("seed %d: "+format, append([]any{seed}, args...)...) }
		}
		res, err := e.Estimate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "synthetic seed %d: criterion %.4g, %d evaluations, %.1f s\n", seed, res.Objective, res.Evals, time.Since(t0).Seconds())
		fmt.Fprintf(&b, "  %-24s %10s %10s %10s %7s\n", "parameter", "true", "estimate", "se", "z")
		for i, p := range recoveryTruth {
			z := (res.Values[i] - p.v) / res.SE[i]
			fmt.Fprintf(&b, "  %-24s %10.4g %10.4g %10.3g %7.2f\n", p.key, p.v, res.Values[i], res.SE[i], z)
			if !(math.Abs(z) <= recoveryZ) {
				t.Errorf("seed %d: %s = %.4g (se %.3g), true %.4g: %.2f standard errors off (at most %.1f)", seed, p.key, res.Values[i], res.SE[i], p.v, z, recoveryZ)
			}
			sum[i] += res.Values[i]
		}
	}
	fmt.Fprintf(&b, "mean over %d seeds:\n", len(seeds))
	for i, p := range recoveryTruth {
		m := sum[i] / float64(len(seeds))
		rel := m/p.v - 1
		fmt.Fprintf(&b, "  %-24s true %10.4g mean %10.4g (%+.1f %%)\n", p.key, p.v, m, 100*rel)
		if !(math.Abs(rel) <= recoveryBias) {
			t.Errorf("%s: mean estimate %.4g is %.1f %% from the truth %.4g (at most %.0f %%)", p.key, m, 100*rel, p.v, 100*recoveryBias)
		}
	}
	fmt.Fprintf(&b, "wall time %.1f s\n", time.Since(start).Seconds())
	t.Log("\n" + b.String())
	if path := os.Getenv("LISTETAK_RECOVERY_OUT"); path != "" {
		os.WriteFile(path, []byte(b.String()), 0o644)
	}
	return b.String()
}

// TestRecovery estimates seven behavioural parameters back from synthetic
// registers of a county-size world (Vestland, county 46: 745 slots, 43
// municipalities) with a reform part-way, for three synthetic seeds.
// It takes about two minutes on two cores and runs only with
// LISTETAK_RECOVERY=1 (CI sets it).
func TestRecovery(t *testing.T) {
	if os.Getenv("LISTETAK_RECOVERY") == "" {
		t.Skip("set LISTETAK_RECOVERY=1 to run the parameter recovery (minutes)")
	}
	recoverTruth(t, county(t, "46"))
}

// TestRecoveryNational is the national-size recovery (every municipality of
// norway-2025); it runs only with LISTETAK_RECOVERY_NATIONAL=1.
func TestRecoveryNational(t *testing.T) {
	if os.Getenv("LISTETAK_RECOVERY_NATIONAL") == "" {
		t.Skip("set LISTETAK_RECOVERY_NATIONAL=1 to run the national recovery")
	}
	w, err := world.Embedded("norway-2025")
	if err != nil {
		t.Fatal(err)
	}
	recoverTruth(t, w)
}

// envInt reads an integer option of the recovery runs from the environment
// (0, the estimator's default, when unset): LISTETAK_RECOVERY_REPS is S, the
// simulated panels per evaluation; LISTETAK_RECOVERY_RESTARTS the number of
// local searches; LISTETAK_RECOVERY_POLISH the Gauss-Newton steps.
// LISTETAK_RECOVERY_SEEDS (comma separated) runs a subset of the seeds and
// LISTETAK_RECOVERY_LOG=1 logs the estimator's stages.
func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return n
}
