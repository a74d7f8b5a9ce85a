package calibrate

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"listetak/params"
	"listetak/sim"
	"listetak/world"
)

// check2011 is the check of norway-2011 simulated for 8 years (2012-2019).
var check2011 = TargetCheck{WorldYear: 2011, Years: 8}

// TestShippedTargets reads the embedded targets, checks the rows the
// calibration issue asks for and that the se column is the default rule.
func TestShippedTargets(t *testing.T) {
	if !slices.Contains(BuiltinTargetNames(), "norway-2011-2019") {
		t.Fatalf("embedded targets: %v", BuiltinTargetNames())
	}
	tg, err := LoadTargets("norway-2011-2019", check2011)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]Target{}
	for _, r := range tg.Rows {
		byKey[r.Key()] = r
		if r.Source == "" {
			t.Errorf("line %d: no source", r.Line)
		}
	}
	want := map[string]float64{
		"n_gps[all@2019]": 4858, "n_gps[all@2013]": 4387, "n_lists_with_gp[all@2016]": 4668,
		"n_lists_without_gp[all@2019]": 126, "listed_inhabitants_without_gp[all@2018]": 55042,
		"mean_list_length_lists_with_gp[all@2019]": 1088, "mean_listetak_minus_mean_list_length[all@2019]": 35,
		"pct_salaried_of_lists_with_gp[all@2019]": 14, "pct_gps_female[all@2012]": 37.6,
		"gps_per_10k_inhabitants[size_lt2k@2018]": 13.2, "gps_per_10k_inhabitants[size_ge50k@2018]": 8,
		"gps_per_10k_inhabitants[all@2018]": 9, "pct_gps_age_over_60[all@2017]": 24,
		"median_agreement_years[all@2014]": 5.91, "median_agreement_years[size_lt2k@2014]": 2.75,
		"median_agreement_years[size_ge50k@2014]": 8.37,
	}
	for k, v := range want {
		if r, ok := byKey[k]; !ok || r.Value != v {
			t.Errorf("%s = %+v, want %v", k, r, v)
		}
	}
	if r := byKey["n_gps[all@2019]"]; r.Source != "HDIR_AR2023_T8_1" {
		t.Errorf("2019 source %s", r.Source)
	}
	rule := &Targets{Name: tg.Name, Rows: slices.Clone(tg.Rows)}
	if err := rule.ApplySERule(DefaultSERule()); err != nil {
		t.Fatal(err)
	}
	for i, r := range rule.Rows {
		if math.Abs(r.SE-tg.Rows[i].SE) > 1e-9*r.SE {
			t.Errorf("line %d (%s): se %v, the default rule gives %v", r.Line, r.Key(), tg.Rows[i].SE, r.SE)
		}
	}
}

// TestSERule checks the rule's kinds and floors.
func TestSERule(t *testing.T) {
	r := DefaultSERule()
	for _, c := range []struct {
		moment string
		value  float64
		want   float64
	}{
		// A difference of two means: 2 % of their level, 1,100 persons.
		{"n_gps", 4858, 97.16}, {"n_lists_without_gp", 10, 0.5}, {"pct_gps_female", 44.4, 1},
		{"mean_listetak_minus_mean_list_length", 35, 22}, {"mean_listetak_minus_mean_list_length", 0, 22}, {"median_agreement_years", 5.91, 0.591},
		{"gps_per_10k_inhabitants", 1, 0.05}, {"mean_ceiling", 1200, 24},
	} {
		got, err := r.SE(c.moment, c.value)
		if err != nil || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("SE(%s, %v) = %v, %v; want %v", c.moment, c.value, got, err, c.want)
		}
	}
	if _, err := r.SE("gps", 0); err == nil {
		t.Error("a sim metric of value 0: want an error (se 0)")
	}
	if err := (&Targets{}).ApplySERule(SERule{Rel: -1}); err == nil {
		t.Error("negative rule constant accepted")
	}
	// A row printed as "about 50" (rounding unit 20) keeps half its unit,
	// 10, above the rule's max(0.5, 2 % x 50 = 1); a row without its own
	// rounding gets the rule's 2.
	tg := &Targets{Rows: []Target{
		{Moment: "n_lists_without_gp", Year: 2015, Group: "all", Value: 50, SE: 1, Rounding: 20},
		{Moment: "n_lists_without_gp", Year: 2018, Group: "all", Value: 100, SE: 1},
	}}
	if err := tg.ApplySERule(r); err != nil || tg.Rows[0].SE != 10 || tg.Rows[1].SE != 2 {
		t.Errorf("rounding floor: se %v and %v, %v; want 10 and 2", tg.Rows[0].SE, tg.Rows[1].SE, err)
	}
}

// TestReadTargetsErrors checks that every kind of bad input is an error
// naming file, line and column, and that problems are all reported.
func TestReadTargetsErrors(t *testing.T) {
	const h = "moment,year,group,value,se\n"
	for _, c := range []struct{ name, text, want string }{
		{"unknown moment", h + "n_doctors,2019,all,1,1\n", `t.csv:2:1: column "moment": unknown moment "n_doctors"`},
		{"unknown group", h + "n_gps,2019,size_lt2k,1,1\n", `t.csv:2:3: column "group": moment n_gps has no group "size_lt2k"`},
		{"metric group", h + "mean_list,2019,women,1,1\n", `t.csv:2:3: column "group": moment mean_list has no group "women"`},
		{"year after", h + "n_gps,2020,all,1,1\n", `t.csv:2:2: column "year": 2020 is not a simulated year (world year 2011 and 8 simulated years: 2012..2019)`},
		{"world year", h + "n_gps,2011,all,1,1\n", `t.csv:2:2: column "year": 2011 is not a simulated year`},
		{"year text", h + "n_gps,2019-12-31,all,1,1\n", `t.csv:2:2: column "year": not an integer year`},
		{"negative se", h + "n_gps,2019,all,4858,-3\n", `t.csv:2:5: column "se": standard error -3 is not above 0`},
		{"zero se", h + "n_gps,2019,all,4858,0\n", `t.csv:2:5: column "se": standard error 0 is not above 0`},
		{"value text", h + "n_gps,2019,all,many,1\n", `t.csv:2:4: column "value": not a finite number`},
		{"value NaN", h + "n_gps,2019,all,NaN,1\n", `t.csv:2:4: column "value": not a finite number`},
		{"negative rounding", "moment,year,group,value,se,rounding\nn_gps,2019,all,4858,97,-10\n", `t.csv:2:6: column "rounding": rounding unit -10 is negative`},
		{"rounding text", "moment,year,group,value,se,rounding\nn_gps,2019,all,4858,97,ten\n", `t.csv:2:6: column "rounding": not a finite number`},
		{"se empty", h + "n_gps,2019,all,1,\n", `t.csv:2:5: column "se": not a finite number`},
		{"duplicate", h + "n_gps,2019,all,1,1\nn_gps,2018,all,1,1\nn_gps,2019,all,2,1\n", `t.csv:4:1: column "moment": duplicate row: moment n_gps, year 2019, group all already on line 2`},
		{"missing column", "moment,year,group,value\nn_gps,2019,all,1\n", `t.csv:1: column "se": required column missing`},
		{"unknown column", "moment,year,group,value,se,weight\nn_gps,2019,all,1,1,2\n", `t.csv:1:6: column "weight": unknown column`},
		{"field count", h + "n_gps,2019,all,1\n", `t.csv:2: row has 4 fields, the header has 5`},
		{"empty", "", `t.csv:1: empty file`},
		{"no rows", h, `t.csv:2: no target rows`},
	} {
		_, err := ParseTargets("t.csv", []byte(c.text), check2011)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
	}
	// Every problem at once, in column order within a row.
	_, err := ParseTargets("t.csv", []byte(h+"x,1,all,a,-1\n"), check2011)
	if err == nil || strings.Count(err.Error(), "t.csv:2:") != 4 {
		t.Errorf("several problems: %v", err)
	}
}

// TestTargetsRoundTrip checks that written targets read back identical,
// source and note (with commas and quotes) included.
func TestTargetsRoundTrip(t *testing.T) {
	in := &Targets{Name: "x.csv", Rows: []Target{
		{Moment: "n_gps", Year: 2019, Group: "all", Value: 4858, SE: 97.16, Rounding: 10, Source: "A", Note: `a, "b"`, Line: 2},
		{Moment: "gps_per_10k_inhabitants", Year: 2018, Group: "size_lt2k", Value: 13.2, SE: 0.1 + 0.2, Line: 3},
	}}
	var b bytes.Buffer
	if err := WriteTargets(&b, in); err != nil {
		t.Fatal(err)
	}
	out, err := ParseTargets("x.csv", b.Bytes(), check2011)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.Rows, in.Rows) {
		t.Errorf("read back %+v, want %+v", out.Rows, in.Rows)
	}
}

// FuzzReadTargets checks that the reader never panics, and that what it
// accepts is valid and reads back identical after writing.
func FuzzReadTargets(f *testing.F) {
	data, err := targetsFS.ReadFile("targets/norway-2011-2019.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("moment,year,group,value,se\nn_gps,2019,all,1,1\n"))
	f.Add([]byte("se,value,group,year,moment,note\n1e-300,-0,size_ge50k,2018,gps_per_10k_inhabitants,\"a\nb\"\n"))
	f.Add([]byte("\ufeffmoment,year,group,value,se\nmean_list,2012,all,0x1p-2,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tg, err := ParseTargets("f.csv", data, check2011)
		if err != nil {
			if !strings.Contains(err.Error(), "f.csv") {
				t.Errorf("error without the file name: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range tg.Rows {
			if !(r.SE > 0) || math.IsInf(r.SE, 0) || math.IsNaN(r.Value) || math.IsInf(r.Value, 0) ||
				r.Year <= check2011.WorldYear || r.Year > check2011.WorldYear+check2011.Years || seen[r.Key()] {
				t.Fatalf("accepted an invalid row %+v", r)
			}
			seen[r.Key()] = true
		}
		var b bytes.Buffer
		if err := WriteTargets(&b, tg); err != nil {
			t.Fatal(err)
		}
		back, err := ParseTargets("f.csv", b.Bytes(), check2011)
		if err != nil {
			t.Fatalf("written targets do not read back: %v\n%s", err, b.String())
		}
		if len(back.Rows) != len(tg.Rows) {
			t.Fatalf("read back %d rows, want %d", len(back.Rows), len(tg.Rows))
		}
		for i, r := range back.Rows {
			w := tg.Rows[i]
			// Lines differ where a quoted cell held line breaks.
			if r.Moment != w.Moment || r.Year != w.Year || r.Group != w.Group || r.Value != w.Value || r.SE != w.SE ||
				r.Source != w.Source || r.Note != w.Note {
				t.Fatalf("row %d read back %+v, want %+v", i, r, w)
			}
		}
	})
}

// TestDurationOf checks the median of a geometric duration.
func TestDurationOf(t *testing.T) {
	if d := durationOf(0.5); math.Abs(d-1) > 1e-12 {
		t.Errorf("h 0.5: %v, want 1", d)
	}
	if d := durationOf(1 - math.Pow(0.5, 0.1)); math.Abs(d-10) > 1e-9 {
		t.Errorf("half-life 10: %v", d)
	}
	for _, h := range []float64{0, 1, -0.1, math.NaN()} {
		if !math.IsNaN(durationOf(h)) {
			t.Errorf("h %v: want NaN", h)
		}
	}
}

// county2011 returns a 3-year setup on counties of norway-2011 (2024
// county codes) with the model without list composition.
func county2011(t testing.TB, prefixes ...string) *Setup {
	w0, err := world.Embedded("norway-2011")
	if err != nil {
		t.Fatal(err)
	}
	w, err := SubsetWorld(w0, prefixes)
	if err != nil {
		t.Fatal(err)
	}
	// The hand-set v2 values: the tests' synthetic truths are set against
	// them (under the estimated alpha_c, 0.82, Finnmark's slots barely
	// fill at the test's alpha0 and its entry terms are flat).
	base := params.HandSetV2()
	base.Demography = 0
	return &Setup{World: w, Base: base, Years: 3}
}

// TestTargetSourceValues checks that simulated target rows are the sim
// metrics of their model year (scaled), and the duration rule.
func TestTargetSourceValues(t *testing.T) {
	s := county2011(t, "56")
	text := "moment,year,group,value,se\n" +
		"n_gps,2013,all,90,2\nmean_list,2012,all,1000,20\n" +
		"gps_per_10k_inhabitants,2014,size_lt2k,13,0.3\nmedian_agreement_years,2014,all,6,0.6\n"
	tg, err := ParseTargets("t.csv", []byte(text), TargetCheck{WorldYear: 2011, Years: 3})
	if err != nil {
		t.Fatal(err)
	}
	names := sim.MetricNames()
	for _, r := range tg.Rows {
		d, ok := targetDefs[r.Moment]
		if ok && !slices.Contains(names, d.groups[r.Group]) {
			t.Skipf("this model records no %s yet", d.groups[r.Group])
		}
	}
	ts, err := NewTargetSource(tg, s)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ts.Simulate(context.Background(), s, s.Base, 7, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.RunMetrics(context.Background(), s.Base, 7, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	idx := func(n string) int { return slices.Index(names, n) }
	at := func(rep, year int, m string) float64 {
		return out.Values[(rep*out.Years+year)*int(sim.NumMetrics)+idx(m)]
	}
	for k, rep := range []int{1, 2} {
		h := (at(rep, 1, "slot_turnover") + at(rep, 2, "slot_turnover") + at(rep, 3, "slot_turnover")) / 3
		want := []float64{at(rep, 2, "gps"), at(rep, 1, "mean_list"), at(rep, 3, "gps_per_10k_size_lt2k"), math.Log(0.5) / math.Log(1-h)}
		for i, w := range want {
			if math.Abs(rows[k][i]-w) > 1e-9*math.Abs(w) {
				t.Errorf("replication %d, row %d: %v, want %v", rep, i, rows[k][i], w)
			}
		}
	}
}

// TestTargetSourceChecks checks the setup-dependent checks: a metric the
// model does not record and a year beyond the setup's horizon.
func TestTargetSourceChecks(t *testing.T) {
	s := county2011(t, "56")
	tg := &Targets{Name: "t.csv", Rows: []Target{
		{Moment: "no_such_metric", Year: 2012, Group: GroupAll, Value: 1, SE: 1, Line: 2},
		{Moment: "gps", Year: 2019, Group: GroupAll, Value: 1, SE: 1, Line: 3},
	}}
	_, err := NewTargetSource(tg, s)
	if err == nil || !strings.Contains(err.Error(), `t.csv:2: moment no_such_metric (group all) needs the simulation metric "no_such_metric"`) ||
		!strings.Contains(err.Error(), "t.csv:3: year 2019 is model year 8, not one of the simulated 1..3") {
		t.Errorf("got %v", err)
	}
}

// TestTargetsEstimate runs the whole targets path quickly on Finnmark:
// synthetic targets at known q0 and
// alpha0, an estimate with standard errors, the fit rows with their
// measurement error, and the identification report.
func TestTargetsEstimate(t *testing.T) {
	s := county2011(t, "56")
	s.Years = 4
	text := "moment,year,group,value,se\n" +
		"n_gps,2013,all,1,1\nn_gps,2015,all,1,1\nn_lists_without_gp,2015,all,1,1\nlisted_inhabitants_without_gp,2014,all,1,1\n" +
		"listed_inhabitants_without_gp,2015,all,1,1\nmean_list_length_lists_with_gp,2014,all,1,1\nmean_list_length_lists_with_gp,2015,all,1,1\n" +
		"pct_salaried_of_lists_with_gp,2015,all,1,1\nmedian_agreement_years,2015,all,1,1\n"
	truth := s.Base
	truth.Set("q0", 0.03)
	truth.Set("alpha0", 0.5)
	syn, ts := syntheticTargets(t, s, text, truth)
	opt := smallOptions(t, "q0,alpha0", 2)
	e, err := NewEstimatorFor(s, ts, opt)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Estimate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("estimates %v, se %v\n%s", res.Values, res.SE, res.Ident.Report())
	if len(res.Moments) != len(syn.Rows) {
		t.Fatalf("%d fit rows for %d targets", len(res.Moments), len(syn.Rows))
	}
	for i, m := range res.Moments {
		se := syn.Rows[i].SE
		if m.Suppressed || !(m.SE >= se) || m.Weight <= 0 || m.Weight > 1/(se*se) || m.Group != "year="+[]string{"2013", "2015", "2015", "2014", "2015", "2014", "2015", "2015", "2015"}[i] {
			t.Errorf("fit row %d: %+v (target se %v)", i, m, se)
		}
	}
	for i, v := range res.SE {
		if !(v > 0) {
			t.Errorf("%s: se %v", res.Free[i].Key, v)
		}
	}
}

// TestBoundedStep checks the polish's active set: a parameter at its upper
// bound whose Gauss-Newton step points out of the box is held, and the
// other's step is the least-squares step without it.
func TestBoundedStep(t *testing.T) {
	free := []Free{{Key: "a", Transform: params.TransformIdentity, Lower: -1, Upper: 1},
		{Key: "b", Transform: params.TransformIdentity, Lower: -1, Upper: 1}}
	e := &Estimator{opt: Options{Free: free}, w: []float64{1, 1, 1}, obs: []float64{2, 1, 1}}
	G := mat.NewDense(3, 2, []float64{1, 1, 1, 0, 0, 1})
	sim := []float64{0, 0, 0}
	free0, ok := e.boundedStep(G, sim, []float64{0, 0})
	want, _ := e.gaussNewton(G, sim)
	if !ok || !slices.Equal(free0, want) {
		t.Errorf("inside the box: %v, want gaussNewton's %v", free0, want)
	}
	held, ok := e.boundedStep(G, sim, []float64{1, 0})
	// Without a: b's least-squares step on residuals (2, 1, 1) along (1, 0, 1) is 1.5.
	if !ok || held[0] != 0 || math.Abs(held[1]-1.5) > 1e-12 {
		t.Errorf("a at its upper bound: %v, want [0 1.5]", held)
	}
	if inward, _ := e.boundedStep(G, []float64{4, 2, 2}, []float64{1, 0}); !(inward[0] < 0) {
		t.Errorf("a step back into the box is not held: %v", inward)
	}
}

// The guard after the polish judges the search's and the polish's points
// on the same many panels: the point at the synthetic targets' truth beats
// one far from it, whichever of the two the polish ended at, and a tie
// keeps the polish.
func TestPolishBetter(t *testing.T) {
	s := county2011(t, "56")
	s.Years = 3
	text := "moment,year,group,value,se\n" +
		"n_gps,2013,all,1,1\nn_lists_without_gp,2014,all,1,1\nmedian_agreement_years,2014,all,1,1\n"
	truth, off := s.Base, s.Base
	truth.Set("q0", 0.03)
	off.Set("q0", 0.2)
	_, ts := syntheticTargets(t, s, text, truth)
	opt := smallOptions(t, "q0", 2)
	opt.JacobianReps = 4
	e, err := NewEstimatorFor(s, ts, opt)
	if err != nil {
		t.Fatal(err)
	}
	e.setDiagWeights([]float64{1, 1, 1})
	zt, zo := e.ZOf(truth), e.ZOf(off)
	ctx := context.Background()
	if better, fs, fp, err := e.polishBetter(ctx, zt, zo); err != nil || better {
		t.Errorf("polish far off (%.4g) kept against the truth (%.4g), err %v", fp, fs, err)
	}
	if better, fs, fp, err := e.polishBetter(ctx, zo, zt); err != nil || !better {
		t.Errorf("polish at the truth (%.4g) not kept against a point far off (%.4g), err %v", fp, fs, err)
	}
	if better, _, _, err := e.polishBetter(ctx, zt, zt); err != nil || !better {
		t.Errorf("a tie does not keep the polish (err %v)", err)
	}
}

// syntheticTargets returns the targets of the template text simulated on s
// at truth (seed 101, the default se rule) and their source.
func syntheticTargets(t *testing.T, s *Setup, text string, truth params.Params) (*Targets, *TargetSource) {
	t.Helper()
	tmpl, err := ParseTargets("t.csv", []byte(text), TargetCheck{WorldYear: 2011, Years: s.Years})
	if err != nil {
		t.Fatal(err)
	}
	syn, err := SimulatedRows(context.Background(), tmpl, s, truth, 101, 0, DefaultSERule())
	if err != nil {
		t.Fatal(err)
	}
	ts, err := NewTargetSource(syn, s)
	if err != nil {
		t.Fatal(err)
	}
	return syn, ts
}
