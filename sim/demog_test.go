package sim

import (
	"context"
	"math"
	"testing"

	"listetak/demog"
	"listetak/finance"
	"listetak/params"
	"listetak/world"
)

// compWorld is testWorld with a population composition in every
// municipality: young ones (many children) and old ones (many over 67), and
// a third of them shrinking.
func compWorld() *world.World {
	w := testWorld(9, 5)
	young := demog.Comp{90, 120, 150, 200, 120, 60, 20, 4, 95, 125, 160, 210, 115, 55, 15, 2}
	old := demog.Comp{20, 50, 70, 120, 160, 180, 90, 30, 22, 55, 80, 130, 170, 170, 70, 15}
	for i := range w.Municipalities {
		c := &young
		if i%2 == 1 {
			c = &old
		}
		w.Municipalities[i].Composition = c
		if i%3 == 2 {
			w.Municipalities[i].Growth = world.Some(-0.02)
		}
	}
	return w
}

// riskAdjusted is a flat rate paid per average person, risk-adjusted.
func riskAdjusted(rate float64) finance.Rules {
	return finance.Rules{Capitation: finance.Flat{Rate: rate}, RiskAdjusted: true,
		Equalisation: finance.Equalisation{Rate: 499, MaxPopulation: 5000, RefList: 1200}}
}

// With list composition every invariant holds every year (persons
// conserved by municipality and by cell: lists, orphan lists, unlisted),
// under the flat baseline and a risk-adjusted scheme, with deaths, ageing,
// newcomers and shrinking municipalities; and the population changes by
// exactly G_m a year, deaths being replaced by newcomers.
func TestDemographyInvariants(t *testing.T) {
	m, err := NewModel(compWorld(), params.Reference2019())
	if err != nil {
		t.Fatal(err)
	}
	if !m.Demography() {
		t.Fatal("the model does not track composition")
	}
	scen := []Scenario{m.BaselineScenario(), Fixed{Label: "riskadj", R: riskAdjusted(499)}}
	outs, err := Run(context.Background(), Config{Model: m, Scenarios: scen, Years: 15, Reps: 6, Seed: 3, Workers: 2, Check: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		for rep := range o.Reps {
			for y := 1; y < o.Years; y++ {
				v := o.Values[(rep*o.Years+y)*int(NumMetrics):][:NumMetrics]
				if v[Listed]+v[Orphans] != v[Population] {
					t.Fatalf("%s rep %d year %d: persons not conserved", o.Scenario, rep, y)
				}
				if v[Deaths] <= 0 || v[Births] <= 0 {
					t.Fatalf("%s rep %d year %d: deaths %v births %v", o.Scenario, rep, y, v[Deaths], v[Births])
				}
			}
		}
	}
	st := NewState(m)
	st.Reset(1, 0, nil)
	for range 8 {
		before := make([]int64, len(st.Munis))
		for i, mu := range st.Munis {
			before[i] = mu.Pop
		}
		st.Step(m.Baseline, nil)
		for i, mu := range st.Munis {
			if want := before[i] + int64(math.Round(mu.Growth*float64(before[i]))); mu.Pop != want {
				t.Fatalf("municipality %d: population %d, want %d", i, mu.Pop, want)
			}
			c := st.muniComp(i)
			if c.Sum() != mu.Pop {
				t.Fatalf("municipality %d: composition %d persons, population %d", i, c.Sum(), mu.Pop)
			}
		}
	}
}

// Switching demography off gives the reference model bit for bit: the same
// outputs as the world without any composition.
func TestDemographyOff(t *testing.T) {
	p := params.Reference2019()
	p.Demography = 0
	run := func(w *world.World) []float64 {
		m, err := NewModel(w, p)
		if err != nil {
			t.Fatal(err)
		}
		if m.Demography() {
			t.Fatal("demography 0 tracks composition")
		}
		outs, err := Run(context.Background(), Config{Model: m, Years: 8, Reps: 4, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		return outs[0].Values
	}
	// The same world without compositions (compWorld's growth differs from
	// testWorld's).
	w := compWorld()
	for i := range w.Municipalities {
		w.Municipalities[i].Composition = nil
	}
	a, b := run(compWorld()), run(w)
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("value %d (%s) differs: %v vs %v", i, Metric(i%int(NumMetrics)), a[i], b[i])
		}
	}
}

// Runs with composition are bit-identical for any number of workers.
func TestDemographyWorkers(t *testing.T) {
	m, err := NewModel(compWorld(), params.Reference2019())
	if err != nil {
		t.Fatal(err)
	}
	run := func(workers int) []float64 {
		outs, err := Run(context.Background(), Config{Model: m, Years: 6, Reps: 6, Seed: 4, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return outs[0].Values
	}
	a, b := run(1), run(3)
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("value %d differs between 1 and 3 workers", i)
		}
	}
}

// Under risk-adjusted capitation each list's capitation is the flat amount
// times its correction factor, computed by hand from its composition; fees
// and hours follow the fee and hours factors.
func TestRiskAdjustedIncome(t *testing.T) {
	m, err := NewModel(compWorld(), params.Reference2019())
	if err != nil {
		t.Fatal(err)
	}
	st := NewState(m)
	st.Reset(1, 0, nil)
	rules := riskAdjusted(600)
	st.y.Reset(st.P, rules, 1, st.classes())
	st.realise(false)
	d := m.demog
	for i := range st.Slots {
		sl := &st.Slots[i]
		if !sl.Held || sl.List == 0 {
			continue
		}
		c := st.Composition(i)
		cf := c.Dot(&d.weights) / float64(c.Sum())
		if want := 600 * float64(sl.List) * cf; math.Abs(sl.Cap-want) > 1e-6*want {
			t.Fatalf("slot %d: capitation %v, want %v (factor %v)", i, sl.Cap, want, cf)
		}
		fees := st.P.Fee * c.Dot(&d.fees)
		if math.Abs(sl.Fees-fees) > 1e-6*fees {
			t.Fatalf("slot %d: fees %v, want %v", i, sl.Fees, fees)
		}
		hours := st.P.FixedHours + st.Munis[sl.Muni].Extra + st.P.HoursPerPerson*c.Dot(&d.hours)
		if math.Abs(sl.Hours-hours) > 1e-9*hours {
			t.Fatalf("slot %d: hours %v, want %v", i, sl.Hours, hours)
		}
	}
}

// On the national world, year-1 deaths match the life table applied to the
// starting population and births are birth_share of the newcomers (growth
// plus deaths), within 5 standard errors over replications.
func TestNationalDemography(t *testing.T) {
	if testing.Short() {
		t.Skip("national world")
	}
	w, err := world.Embedded(world.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	p := params.Reference2019()
	m, err := NewModel(w, p)
	if err != nil {
		t.Fatal(err)
	}
	var expDeaths, growth float64
	for i := range w.Municipalities {
		c := m.MuniComposition(i)
		for k, n := range c {
			expDeaths += float64(n) * p.DeathProb[k]
		}
		growth += math.Max(0, math.Round(m.munis[i].Growth*float64(m.munis[i].Pop)))
	}
	outs, err := Run(context.Background(), Config{Model: m, Years: 1, Reps: 4, Seed: 1, Check: true})
	if err != nil {
		t.Fatal(err)
	}
	o := outs[0]
	var deaths, births float64
	for rep := range o.Reps {
		v := o.Values[(rep*o.Years+1)*int(NumMetrics):][:NumMetrics]
		deaths += v[Deaths] / float64(o.Reps)
		births += v[Births] / float64(o.Reps)
	}
	// Deaths are a sum of independent Bernoullis: variance below the mean.
	if se := math.Sqrt(expDeaths / float64(o.Reps)); math.Abs(deaths-expDeaths) > 5*se {
		t.Errorf("deaths %.0f, want %.0f (se %.0f)", deaths, expDeaths, se)
	}
	expBirths := p.BirthShare * (growth + deaths)
	if se := math.Sqrt(expBirths / float64(o.Reps)); math.Abs(births-expBirths) > 5*se {
		t.Errorf("births %.0f, want %.0f (se %.0f)", births, expBirths, se)
	}
	st := NewState(m)
	st.Reset(1, 0, nil)
	n, lo, hi, within := st.CorrectionSummary()
	// Lists start from their municipality's composition, so most factors lie
	// near 1: at least half within 10 % (94.6 % measured).
	if n != len(st.CorrectionFactors()) || lo > 1 || hi < 1 || within < 50 {
		t.Errorf("correction factors: %d lists, min %v, max %v, %.1f %% within 10 %%", n, lo, hi, within)
	}
	t.Logf("norway-2025 year 0: %d lists, correction factors min %.3f, max %.3f, %.1f %% within +/-10 %%; year-1 deaths %.0f (life table %.0f), births %.0f",
		n, lo, hi, within, deaths, expDeaths, births)
}
