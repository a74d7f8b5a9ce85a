package experiments

import (
	"path/filepath"
	"strings"
	"testing"
)

const goodFile = `
name: demo
world: norway-2011
years: 10
replications: 50
seed: 7
scenarios:
  - baseline
  - 1aix
  - name: steep
    description: a steeper breakpoint
    money_year: 2019
    phases:
      - from: 2
        scheme: {breaks: [800], rates: [700, 200], guarantee: {persons: 400}}
      - from: 5
        money_year: 2021
        phase_in: 3
        scheme: {breaks: [800], rates: [750, 210]}
    phase_in: 2
    salaried: {bonus: 50, convert_after: 3}
params:
  model: reference-v1
  chi: 0.04
  extra_hours: [300, 300, 300, 450, 600, 700]
`

func TestDecodeExperiment(t *testing.T) {
	ex, err := Decode(strings.NewReader(goodFile), "demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if ex.World != "norway-2011" || ex.File.Years != 10 || ex.File.Replications != 50 || ex.File.Seed != 7 || !ex.Rebase {
		t.Errorf("resolved %+v", ex.File)
	}
	if len(ex.Definitions) != 3 || ex.Definitions[2].Name != "steep" || ex.Definitions[2].Phases[0].From != 2 ||
		ex.Definitions[2].Salaried.ConvertAfter != 3 || ex.Definitions[2].Phases[0].Spec.Guarantee.Persons != 400 ||
		ex.Definitions[2].MoneyYear != 2019 || ex.Definitions[2].Phases[0].PhaseIn != 2 ||
		ex.Definitions[2].Phases[1].MoneyYear != 2021 || ex.Definitions[2].Phases[1].PhaseIn != 3 {
		t.Errorf("definitions %+v", ex.Definitions)
	}
	if ex.Params.Chi != 0.04 || ex.Params.ExtraHours[5] != 700 || ex.Params.Psi != 0.5 {
		t.Errorf("params %+v", ex.Params)
	}
}

// The retired ref_rate key is an error naming it and pointing to
// money_year; a money year the index does not cover is an error too.
func TestDecodeRetiredRefRate(t *testing.T) {
	doc := "scenarios:\n  - name: old\n    ref_rate: 499\n    phases:\n      - {from: 1, ref_rate: 499, scheme: {rate: 500}}\n" +
		"  - name: far\n    money_year: 1990\n    phases:\n      - {from: 1, scheme: {rate: 500}}\n"
	_, err := Decode(strings.NewReader(doc), "old.yaml")
	for _, want := range []string{"old.yaml:2: scenarios[0]: ref_rate is no longer read", "phases[0].ref_rate", "money_year",
		"old.yaml:6: scenarios[1]: far.money_year: money year 1990: the money index covers 2011-2025 only"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

func TestDecodeDesign(t *testing.T) {
	doc := "design:\n  kind: sobol\n  n: 16\n  factors:\n    - {name: eta, min: 0, max: 0.6}\n    - {name: \"extra_hours[5]\", min: 500, max: 800}\n"
	ex, err := Decode(strings.NewReader(doc), "d.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if ex.Points() != 16*(2+2) {
		t.Fatalf("%d design points, want 64", ex.Points())
	}
	p, err := ex.PointParams(5)
	if err != nil {
		t.Fatal(err)
	}
	if pt := ex.Design.Points[5]; p.Eta != pt[0] || p.ExtraHours[5] != pt[1] {
		t.Fatalf("design point 5 %v not applied: eta %v, extra_hours[5] %v", pt, p.Eta, p.ExtraHours[5])
	}
	again, _ := Decode(strings.NewReader(doc), "d.yaml")
	if again.Design.Points[7][0] != ex.Design.Points[7][0] {
		t.Fatal("the design is not deterministic")
	}
}

func TestDecodeDefaults(t *testing.T) {
	ex, err := Decode(strings.NewReader("description: defaults only\n"), "dir/min.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if ex.File.Name != "min" || ex.World != "norway-2025" || ex.File.Years != 20 || ex.File.Replications != 200 ||
		ex.File.Seed != 1 || len(ex.Definitions) != 1 || ex.Definitions[0].Name != "baseline" {
		t.Errorf("defaults %+v %+v", ex.File, ex.Definitions)
	}
	// A key given as 0 is 0, not the default: seed 0 is seed 0 (as -seed 0).
	ex, err = Decode(strings.NewReader("seed: 0\n"), "s.yaml")
	if err != nil || ex.File.Seed != 0 {
		t.Errorf("seed: 0 gives seed %d, %v", ex.File.Seed, err)
	}
}

// Each kind of error names the file, the line and the key path, and all
// problems come at once.
func TestDecodeExperimentErrors(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want []string
	}{
		{"yeers: 10\n", []string{"x.yaml:1:1: yeers: unknown key"}},
		{"scenarios:\n  - name: a\n    phases:\n      - from: 1\n        scheme: {rate: 500, colour: red}\n", []string{"x.yaml:5:", "scenarios[0].phases[0].scheme.colour: unknown key"}},
		{"params:\n  chi: 0.04\n  psii: 1\n", []string{"x.yaml:3:3: params.psii: unknown key"}},
		{"years: ten\n", []string{"x.yaml:1:8: years", "not a whole number"}},
		{"sensitivity: {metrics: [capacty]}\n", []string{"x.yaml:1: sensitivity.metrics[0]", `"capacty" is not a metric`}},
		{"replications: 2.5\n", []string{"x.yaml:1:15: replications", `"2.5" is not a whole number`}},
		{"replications: 0\n", []string{"x.yaml:1: replications: 0 must be at least 1"}},
		{"years: 0\n", []string{"x.yaml:1: years: 0 is not in 1..200"}},
		{"years: 0\nreplications: -3\n", []string{"x.yaml:2: replications"}},
		{"years: 500\n", []string{"x.yaml:1: years"}},
		{"scenarios: [baseline, 1zix, baseline]\n", []string{"1zix", "named twice"}},
		{"scenarios:\n  - name: bad\n    phases:\n      - from: 1\n        scheme: {breaks: [1000, 500], rates: [1, 2, -3]}\n", []string{"x.yaml:2: scenarios[0]", "breaks[1]", "rates[2]"}},
		{"params:\n  chi: 2\n", []string{"chi", "probability"}},
		{"dist_years: [1, 30]\nyears: 10\n", []string{"dist_years[1]"}},
		{"a: [\n", []string{"x.yaml"}},
		{"uncertainty:\n  eta: {dist: gamma}\n", []string{"x.yaml:1: uncertainty.eta", "gamma"}},
		{"uncertainty:\n  etaa: {dist: fixed, value: 1}\n", []string{"uncertainty.etaa", "unknown parameter"}},
		{"uncertainty:\n  eta: {dist: uniform, min: 1, max: 0}\n", []string{"uncertainty.eta", "min"}},
		{"uncertainty:\n  eta: {dist: normal, mean: 0.3, sdd: 1}\n", []string{"x.yaml:2:", "uncertainty.eta.sdd: unknown key"}},
		{"design: {kind: lhs, n: 4, factors: [{name: eta, min: 0, max: 1}]}\nuncertainty:\n  eta: {dist: fixed, value: 0.3}\n", []string{"also a design factor"}},
		{"design:\n  kind: cube\n  n: 4\n  factors: [{name: eta, min: 0, max: 1}]\n", []string{"x.yaml:1: design", "cube"}},
		{"design:\n  kind: lhs\n  n: 4\n  factors: [{name: etta, min: 0, max: 1}]\n", []string{"x.yaml:1: design", "etta", "unknown parameter"}},
		{"design:\n  kind: lhs\n  n: 4\n  factors: [{name: chi, min: 0, max: 3}]\n", []string{"design", "chi"}},
		{"design:\n  kind: lhs\n  factors: [{name: eta, min: 0, max: 1, lvls: 3}]\n", []string{"x.yaml:3:", "design.factors[0].lvls: unknown key"}},
	} {
		_, err := Decode(strings.NewReader(c.doc), "x.yaml")
		if err == nil {
			t.Errorf("%q accepted", c.doc)
			continue
		}
		for _, s := range c.want {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%q: error %q lacks %q", c.doc, err, s)
			}
		}
	}
}

func FuzzDecodeExperiment(f *testing.F) {
	f.Add(goodFile)
	f.Add("scenarios: [baseline]\n")
	f.Fuzz(func(t *testing.T, doc string) {
		ex, err := Decode(strings.NewReader(doc), "f.yaml")
		if err != nil {
			return
		}
		if err := ex.Params.Validate(); err != nil {
			t.Fatalf("accepted invalid params: %v", err)
		}
		for _, d := range ex.Definitions {
			if err := d.Validate(); err != nil {
				t.Fatalf("accepted invalid scenario: %v", err)
			}
		}
	})
}

// Every example experiment decodes and validates.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob("examples/*.yaml")
	if err != nil || len(files) < 3 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, f := range files {
		if _, err := ReadFile(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// Parameters drawn per replication: deterministic in (seed, replication),
// within their distributions and valid ranges, the same in every design
// point for the keys that are not factors.
func TestUncertaintyDraws(t *testing.T) {
	doc := `seed: 4
uncertainty:
  eta: {dist: uniform, min: 0.1, max: 0.5}
  chi: {dist: normal, mean: 0.01, sd: 0.02}
  leisure_sigma: {dist: lognormal, median: 0.3, sigma: 0.2}
  q0: {dist: fixed, value: 0.03}
`
	ex, err := Decode(strings.NewReader(doc), "u.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var etaSum float64
	const reps = 2000
	for rep := range reps {
		p, err := ex.Draw(ex.Params, rep)
		if err != nil {
			t.Fatal(err)
		}
		q, _ := ex.Draw(ex.Params, rep)
		if p != q {
			t.Fatal("draws are not deterministic")
		}
		if p.Eta < 0.1 || p.Eta >= 0.5 || p.Chi < 0 || p.Chi > 1 || p.LeisureSigma <= 0 || p.Q0 != 0.03 {
			t.Fatalf("rep %d: eta %v chi %v sigma %v q0 %v", rep, p.Eta, p.Chi, p.LeisureSigma, p.Q0)
		}
		etaSum += p.Eta
	}
	// Mean of U(0.1, 0.5) is 0.3; 4 standard errors = 4*0.1155/sqrt(2000) = 0.0103.
	if m := etaSum / reps; m < 0.3-0.0103 || m > 0.3+0.0103 {
		t.Errorf("mean eta %v, want 0.3 ± 0.0103", m)
	}
}
