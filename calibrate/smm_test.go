package calibrate

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"listetak/params"
)

// smallOptions are quick settings for the tests on Finnmark (119 GPs):
// few panels and iterations, enough to exercise every stage.
func smallOptions(t *testing.T, keys string, workers int) Options {
	free, err := ParseFree(keys, "")
	if err != nil {
		t.Fatal(err)
	}
	return Options{Free: free, Reps: 2, OmegaReps: 8, JacobianReps: 2, LHS: 4, MaxIter: 3, Workers: workers}
}

// TestUnidentifiedFlagged checks that the identification report flags a
// parameter no moment responds to: entrant_age_max, the upper clip of
// entrants' ages Normal(36, 4), binds only beyond 4.75 standard deviations
// when it is 55 or more, while q0 and alpha0 move exit and entry moments.
func TestUnidentifiedFlagged(t *testing.T) {
	s, sm := synthPanel(t, 6)
	opt := smallOptions(t, "q0,alpha0", 2)
	opt.Free = append(opt.Free, Free{Key: "entrant_age_max", Transform: params.TransformLog, Lower: 55, Upper: 70})
	e, err := NewEstimator(s, ObservedFrom(s, sm.Panel, sm.Munis), opt)
	if err != nil {
		t.Fatal(err)
	}
	id, err := e.Identify(context.Background(), e.ZOf(s.Base))
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + id.Report())
	if !id.Flagged("entrant_age_max") {
		t.Error("entrant_age_max is not flagged")
	}
	for _, k := range []string{"q0", "alpha0"} {
		if id.Flagged(k) {
			t.Errorf("%s is flagged: %s", k, id.Flag[0])
		}
	}
	if id.Rank != 2 || !math.IsInf(id.Condition, 1) {
		t.Errorf("rank %d, condition %v; want rank 2 of 3 and an infinite condition number", id.Rank, id.Condition)
	}
}

// TestEstimateDeterministic checks that an estimate does not depend on the
// number of concurrent evaluations and that a rerun replays its journal to
// the same result without simulating the search again.
func TestEstimateDeterministic(t *testing.T) {
	s, sm := synthPanel(t, 6)
	obs := ObservedFrom(s, sm.Panel, sm.Munis)
	journal := filepath.Join(t.TempDir(), "evaluations.journal")
	var results []*Result
	for _, workers := range []int{1, 2, 2} {
		opt := smallOptions(t, "q0,alpha0", workers)
		if workers == 2 {
			opt.Journal = journal
		}
		e, err := NewEstimator(s, obs, opt)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Estimate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(results) == 2 && e.jr.replayed == 0 {
			t.Error("the rerun did not replay the journal")
		}
		results = append(results, res)
	}
	for i, r := range results[1:] {
		if fmt.Sprint(r.Values, r.Objective, r.SE) != fmt.Sprint(results[0].Values, results[0].Objective, results[0].SE) {
			t.Errorf("run %d: %v %v %v, want %v %v %v", i+1, r.Values, r.Objective, r.SE, results[0].Values, results[0].Objective, results[0].SE)
		}
	}
}

// TestSmoothedQuantile checks the band mean: on 0..99 the 0.5 band covers
// values 45..54 (mean 49.5); a constant sample gives the constant.
func TestSmoothedQuantile(t *testing.T) {
	xs := make([]float64, 100)
	for i := range xs {
		xs[i] = float64(i)
	}
	if q := quantile(xs, 0.5); math.Abs(q-49.5) > 1e-12 {
		t.Errorf("q50 = %v, want 49.5", q)
	}
	if q := quantile([]float64{7, 7, 7}, 0.25); q != 7 {
		t.Errorf("constant q25 = %v", q)
	}
	if !math.IsNaN(quantile(nil, 0.5)) {
		t.Error("empty sample: want NaN")
	}
}

// TestMomentsByHand checks exit, entry and ceiling-change moments on the
// small register of testdata.
func TestMomentsByHand(t *testing.T) {
	p, err := ReadRegister("testdata/register_ok.csv")
	if err != nil {
		t.Fatal(err)
	}
	ms := map[string]Moment{}
	for _, m := range Moments(p, nil, MomentSpec{}) {
		ms[m.Key()] = m
	}
	// At risk: a (40 in 2020, 41 in 2021; exits after 2021), b (60, 61).
	if m := ms["exit_rate[age=<45]"]; m.Value != 0.5 || m.GPs != 1 {
		t.Errorf("exit_rate <45 = %+v, want 0.5 from 1 GP", m)
	}
	// Ceiling changes of self-employed GPs, all from lists above 1,000:
	// a 2020->2021 (none), b 2020->2021 (down 100), b 2021->2022 (none).
	if m := ms["ceiling_down[list=long,period=all]"]; math.Abs(m.Value-1.0/3) > 1e-15 || m.GPs != 2 {
		t.Errorf("ceiling_down long = %+v, want 1/3 from 2 GPs", m)
	}
	if m := ms["ceiling_cut[period=all]"]; m.Value != 100 {
		t.Errorf("ceiling_cut = %+v, want 100", m)
	}
	// One entrant (c, 2022) among 4 GP-years after the first year.
	if m := ms["entry_rate[period=all]"]; m.Value != 0.25 {
		t.Errorf("entry_rate = %+v, want 0.25", m)
	}
}

// TestFillMomentsByHand checks fill_dispersion and fill_persistence on a
// constructed panel. Municipality 0: GPs 0-2, ceilings 1,000 throughout,
// lists 800/900/1,000 (2020), 900/1,000/950 (2021), 850/1,000/1,000
// (2022). Deviations from the municipality-year mean fill 0.95: 2021
// -0.05, 0.05, 0; 2022 -0.1, 0.05, 0.05. Dispersion: the root of the mean
// square, sqrt(0.02/6); persistence: sum(x y)/sum(x^2) = 0.0075/0.005 =
// 1.5. Municipality 1 (three full lists) and municipality 2 (two GPs) add
// nothing.
func TestFillMomentsByHand(t *testing.T) {
	p := &Panel{Munis: []string{"a", "b", "c"}}
	lists := map[int32][3]int32{0: {800, 900, 850}, 1: {900, 1000, 1000}, 2: {1000, 950, 1000},
		3: {1000, 1000, 1000}, 4: {1000, 1000, 1000}, 5: {1000, 1000, 1000},
		6: {500, 700, 900}, 7: {900, 800, 600}}
	muni := map[int32]int32{0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2}
	for gp, ls := range lists {
		for y, l := range ls {
			p.Rows = append(p.Rows, Row{GP: gp, Year: int32(2020 + y), Muni: muni[gp], Centrality: 1, BirthYear: 1970, Ceiling: 1000, List: l})
		}
	}
	p.finish()
	ms := map[string]Moment{}
	for _, m := range Moments(p, nil, MomentSpec{}) {
		ms[m.Key()] = m
	}
	if m := ms["fill_dispersion[]"]; math.Abs(m.Value-math.Sqrt(0.02/6)) > 1e-12 || m.GPs != 3 {
		t.Errorf("fill_dispersion = %+v, want %.6g from 3 GPs", m, math.Sqrt(0.02/6))
	}
	if m := ms["fill_persistence[]"]; math.Abs(m.Value-1.5) > 1e-12 || m.GPs != 3 {
		t.Errorf("fill_persistence = %+v, want 1.5 from 3 GPs", m)
	}
}

// TestGaussNewtonStep checks the polish's step on a linear problem: when
// the observed moments are the simulated ones plus G d0, the step is d0
// (W-weighted least squares with an exact fit), whatever the weights; an
// empty moment (NaN) is left out.
func TestGaussNewtonStep(t *testing.T) {
	G := mat.NewDense(4, 2, []float64{1, 0, 0, 2, 1, 1, 3, -1})
	d0 := []float64{0.3, -0.2}
	sim := []float64{10, 20, 30, math.NaN()}
	e := &Estimator{w: []float64{1, 4, 0.5, 2}}
	for i := range sim {
		e.obs = append(e.obs, sim[i]+G.At(i, 0)*d0[0]+G.At(i, 1)*d0[1])
	}
	d, ok := e.gaussNewton(G, sim)
	if !ok {
		t.Fatal("singular")
	}
	for i := range d0 {
		if math.Abs(d[i]-d0[i]) > 1e-12 {
			t.Errorf("step %v, want %v", d, d0)
		}
	}
	// A Jacobian without information on the second parameter: singular.
	G0 := mat.NewDense(4, 2, []float64{1, 0, 2, 0, 1, 0, 3, 0})
	if _, ok := e.gaussNewton(G0, sim); ok {
		t.Error("a zero Jacobian column gave a step")
	}
}

// TestEstimatorVariants runs the options the recovery tests do not: the
// two-step efficient weights, Nelder-Mead and the parametric bootstrap, on
// a small register (Finnmark, 6 years). Each must give estimates inside
// the bounds with finite standard errors, independent of the number of
// workers; the bootstrap must give a positive standard error per
// parameter.
func TestEstimatorVariants(t *testing.T) {
	s, sm := synthPanel(t, 6)
	obs := ObservedFrom(s, sm.Panel, sm.Munis)
	for _, tc := range []struct {
		name string
		set  func(o *Options)
	}{
		{"two-step", func(o *Options) { o.TwoStep = true }},
		{"neldermead", func(o *Options) { o.Method = "neldermead" }},
		{"bootstrap", func(o *Options) { o.Bootstrap = 2 }},
	} {
		var got []string
		for _, workers := range []int{1, 2} {
			opt := smallOptions(t, "q0,alpha0", workers)
			tc.set(&opt)
			e, err := NewEstimator(s, obs, opt)
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Estimate(context.Background())
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			for i, f := range opt.Free {
				if !(res.Values[i] >= f.Lower && res.Values[i] <= f.Upper) || !(res.SE[i] > 0) || math.IsInf(res.SE[i], 0) {
					t.Errorf("%s: %s = %v (se %v), bounds [%v, %v]", tc.name, f.Key, res.Values[i], res.SE[i], f.Lower, f.Upper)
				}
			}
			if tc.name == "two-step" && e.wFull == nil {
				t.Error("two-step: no efficient weights")
			}
			if tc.name == "bootstrap" {
				if len(res.BootSE) != 2 || !(res.BootSE[0] > 0) || !(res.BootSE[1] > 0) {
					t.Errorf("bootstrap standard errors %v", res.BootSE)
				}
			}
			got = append(got, fmt.Sprint(res.Values, res.SE, res.BootSE))
		}
		if got[0] != got[1] {
			t.Errorf("%s: 1 worker %s, 2 workers %s", tc.name, got[0], got[1])
		}
	}
}
