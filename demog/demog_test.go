package demog

import (
	"math"
	"math/rand/v2"
	"testing"

	"listetak/params"
)

// pop2025 is Norway's population on 1 January 2025 by cell (the sums of
// population_kommune_sex_ageband_2025.csv).
var pop2025 = Comp{
	161962, 310464, 473452, 739369, 591001, 341694, 126155, 31046,
	170549, 328954, 501018, 770971, 608964, 325405, 98798, 14538,
}

func TestCells(t *testing.T) {
	if Cell(true, 0) != 0 || Cell(false, 7) != 15 || CellName(8) != "M 0-5" || CellName(7) != "F 90+" {
		t.Fatalf("cell order: %d %d %q %q", Cell(true, 0), Cell(false, 7), CellName(8), CellName(7))
	}
}

// TestDefaultWeights checks the documented default table: population mean 1
// after normalisation, from about 0.14 (girls 0-5) to about 2.5 (men 90+).
func TestDefaultWeights(t *testing.T) {
	p := params.Reference2019()
	w := Normalise(p.Weights, &pop2025)
	if m := pop2025.Factor(&w); math.Abs(m-1) > 1e-12 {
		t.Errorf("population mean weight %v, want 1", m)
	}
	// "about": within 0.01 of the figures.
	if math.Abs(w[Cell(true, 0)]-0.14) > 0.01 || math.Abs(w[Cell(false, 7)]-2.5) > 0.01 {
		t.Errorf("girls 0-5 %.3f (want about 0.14), men 90+ %.3f (want about 2.5)", w[Cell(true, 0)], w[Cell(false, 7)])
	}
	for c, x := range w {
		if c > 0 && c != Bands && x < w[0] {
			t.Errorf("%s weight %.3f below girls 0-5", CellName(c), x)
		}
	}
	// Deaths on the 2025 population: 43,816 died in 2024 (SSB); the table
	// is an approximation, so within 5 %.
	var deaths float64
	for c, n := range pop2025 {
		deaths += float64(n) * p.DeathProb[c]
	}
	if math.Abs(deaths/43816-1) > 0.05 {
		t.Errorf("expected deaths %.0f, want within 5 %% of 43,816", deaths)
	}
}

// TestCorrectionFactors computes correction factors of constructed lists by
// hand from the normalised weights.
func TestCorrectionFactors(t *testing.T) {
	p := params.Reference2019()
	w := Normalise(p.Weights, &pop2025)
	m := pop2025.Factor(&p.Weights) // the normalising mean, 0.99726
	if math.Abs(m-0.99726) > 1e-4 {
		t.Fatalf("normalising mean %v", m)
	}
	// Only small children: 500 girls and 500 boys aged 0-5.
	kids := Comp{}
	kids[Cell(true, 0)], kids[Cell(false, 0)] = 500, 500
	if got, want := kids.Factor(&w), (0.14+0.16)/2/m; math.Abs(got-want) > 1e-12 {
		t.Errorf("children only: %v, want %v", got, want)
	}
	// Only persons over 80: 300 women 80-89, 100 women 90+, 200 men 80-89,
	// 50 men 90+.
	old := Comp{}
	old[Cell(true, 6)], old[Cell(true, 7)], old[Cell(false, 6)], old[Cell(false, 7)] = 300, 100, 200, 50
	want := (300*2.15 + 100*2.35 + 200*2.30 + 50*2.50) / 650 / m
	if got := old.Factor(&w); math.Abs(got-want) > 1e-12 {
		t.Errorf("over 80 only: %v, want %v", got, want)
	}
	// A list mirroring the population: factor 1.
	mirror := Apportion(&pop2025, 1000)
	if mirror.Sum() != 1000 {
		t.Fatalf("apportioned %d", mirror.Sum())
	}
	// Rounding 5.6 million to 1,000 persons moves the factor by at most
	// 16 cells x 0.5 person x 2.5 / 1000 = 0.02.
	if got := mirror.Factor(&w); math.Abs(got-1) > 0.02 {
		t.Errorf("mirroring list: %v, want 1 within 0.02", got)
	}
	if got := pop2025.Factor(&w); math.Abs(got-1) > 1e-12 {
		t.Errorf("the population itself: %v", got)
	}
	var empty Comp
	if empty.Factor(&w) != 1 {
		t.Error("empty list factor is not 1")
	}
}

func TestApportion(t *testing.T) {
	shares := Comp{1, 1, 1}
	got := Apportion(&shares, 10)
	if got.Sum() != 10 || got[0] != 4 || got[1] != 3 || got[2] != 3 {
		t.Errorf("Apportion(1,1,1; 10) = %v", got[:3])
	}
}

// TestPick checks conservation and the hypergeometric means of both draw
// methods (person by person and multivariate hypergeometric).
func TestPick(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := Comp{29, 55, 85, 132, 106, 61, 23, 6, 30, 59, 90, 138, 109, 58, 18, 3}
	n := base.Sum()
	for _, k := range []int64{0, 1, 40, smallPick, 300, n - 20, n, n + 5} {
		const draws = 4000
		var sum [Cells]float64
		for range draws {
			c := base
			var out Comp
			Pick(r, &c, k, &out)
			got := out.Sum()
			if got != min(k, n) || c.Sum()+got != n {
				t.Fatalf("k=%d: picked %d, left %d", k, got, c.Sum())
			}
			for i := range out {
				if out[i] < 0 || c[i] < 0 {
					t.Fatalf("k=%d: negative cell", k)
				}
				sum[i] += float64(out[i])
			}
		}
		kk := float64(min(k, n))
		for i, b := range base {
			mean := kk * float64(b) / float64(n)
			// Hypergeometric variance; 5 standard errors of the mean.
			v := kk * float64(b) / float64(n) * (1 - float64(b)/float64(n)) * (float64(n) - kk) / math.Max(float64(n)-1, 1)
			if se := math.Sqrt(v / draws); math.Abs(sum[i]/draws-mean) > 5*se+1e-9 {
				t.Errorf("k=%d cell %d: mean %.3f, want %.3f (se %.3f)", k, i, sum[i]/draws, mean, se)
			}
		}
	}
}

// TestRatesDraw compares the tabulated binomial with its exact mean and
// variance (5 standard errors) in and beyond the table.
func TestRatesDraw(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var p [Cells]float64
	p[0], p[1], p[2] = 0.0006, 0.1, 0.21
	rt := NewRates(p)
	for _, c := range []int{0, 1, 2} {
		for _, n := range []int64{1, 60, 500, 5000} {
			const draws = 20000
			var s, s2 float64
			for range draws {
				x := float64(rt.Draw(r, c, n))
				s += x
				s2 += x * x
			}
			mean, v := float64(n)*p[c], float64(n)*p[c]*(1-p[c])
			if m := s / draws; math.Abs(m-mean) > 5*math.Sqrt(v/draws)+1e-12 {
				t.Errorf("p=%v n=%d: mean %.4f, want %.4f", p[c], n, m, mean)
			}
			if vv := s2/draws - (s/draws)*(s/draws); v > 0 && math.Abs(vv/v-1) > 0.1 {
				// The sample variance's relative error is about
				// sqrt(2/draws) = 1 %; 10 % is generous for skewed cases.
				t.Errorf("p=%v n=%d: variance %.4f, want %.4f", p[c], n, vv, v)
			}
		}
	}
}

// TestLifeTable runs deaths and ageing on a constructed cohort and compares
// the mean counts by band with the Markov chain's exact expectation: a
// person in band b dies with probability d_b, else moves up with
// probability 1/width_b.
func TestLifeTable(t *testing.T) {
	var d [Cells]float64
	for c := range d {
		d[c] = []float64{0.001, 0.001, 0.002, 0.003, 0.01, 0.03, 0.1, 0.3}[c%Bands]
	}
	rates := NewRates(d)
	start := Comp{}
	start[Cell(true, 4)], start[Cell(false, 5)] = 1000, 800 // women 50-66, men 67-79
	const years, reps = 15, 400
	var sum [Cells]float64
	var deaths float64
	r := rand.New(rand.NewPCG(5, 6))
	for range reps {
		c := start
		for range years {
			dead := Leave(r, &c, rates)
			deaths += float64(dead.Sum())
			Age(r, &c)
		}
		for i := range c {
			sum[i] += float64(c[i])
		}
	}
	// Exact expectation.
	exp := [Cells]float64{}
	for i, x := range start {
		exp[i] = float64(x)
	}
	var expDeaths float64
	for range years {
		var next [Cells]float64
		for i, x := range exp {
			alive := x * (1 - d[i])
			expDeaths += x * d[i]
			up := 0.0
			if w := Widths[i%Bands]; w > 0 {
				up = alive / float64(w)
			}
			next[i] += alive - up
			if up > 0 {
				next[i+1] += up
			}
		}
		exp = next
	}
	for i := range exp {
		// Counts are sums of at most 1,800 Bernoulli-like outcomes, so the
		// standard error of the mean over reps is below sqrt(exp/reps);
		// 5 of those plus 0.05 persons.
		if got := sum[i] / reps; math.Abs(got-exp[i]) > 5*math.Sqrt(exp[i]/reps)+0.05 {
			t.Errorf("%s after %d years: mean %.2f, want %.2f", CellName(i), years, got, exp[i])
		}
	}
	if got := deaths / reps; math.Abs(got-expDeaths) > 5*math.Sqrt(expDeaths/reps) {
		t.Errorf("deaths: mean %.2f, want %.2f", got, expDeaths)
	}
}

// TestNewcomers checks counts, the birth share and that non-births follow
// the composition.
func TestNewcomers(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	like := Comp{}
	like[Cell(true, 3)], like[Cell(false, 3)] = 300, 100
	const draws = 2000
	var births, boys, women, men float64
	for range draws {
		out, b := Newcomers(r, 100, 0.6, 0.5, &like)
		if out.Sum() != 100 {
			t.Fatalf("newcomers %d", out.Sum())
		}
		births += float64(b)
		boys += float64(out[Cell(false, 0)])
		women += float64(out[Cell(true, 3)])
		men += float64(out[Cell(false, 3)])
	}
	// Binomial means with 5 standard errors.
	check := func(name string, got, n, p float64) {
		if se := math.Sqrt(n * p * (1 - p) / draws); math.Abs(got/draws-n*p) > 5*se {
			t.Errorf("%s: mean %.3f, want %.3f", name, got/draws, n*p)
		}
	}
	check("births", births, 100, 0.6)
	check("boys", boys, 100, 0.3)
	check("women 30-49", women, 100, 0.4*0.75)
	check("men 30-49", men, 100, 0.4*0.25)
	var empty Comp
	if out, b := Newcomers(r, 10, 0, 0.5, &empty); out.Sum() != 10 || b != 10 {
		t.Errorf("without a composition every newcomer is a birth: %v, %d", out, b)
	}
}

// TestRatesPMF compares the frequencies of Rates.Draw with the exact
// binomial pmf, cell by cell of the outcome (5 standard errors each), for a
// small and a large probability.
func TestRatesPMF(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, c := range []struct {
		n int64
		p float64
	}{{40, 0.3}, {300, 0.05}, {7, 0.9}, {200, 0.5}} {
		var ps [Cells]float64
		ps[3] = c.p
		rt := NewRates(ps)
		const draws = 200000
		freq := make([]float64, c.n+1)
		for range draws {
			freq[rt.Draw(r, 3, c.n)]++
		}
		for x := int64(0); x <= c.n; x++ {
			lc, _ := math.Lgamma(float64(c.n + 1))
			la, _ := math.Lgamma(float64(x + 1))
			lb, _ := math.Lgamma(float64(c.n - x + 1))
			pmf := math.Exp(lc - la - lb + float64(x)*math.Log(c.p) + float64(c.n-x)*math.Log1p(-c.p))
			se := math.Sqrt(pmf * (1 - pmf) / draws)
			if got := freq[x] / draws; math.Abs(got-pmf) > 5*se+1e-6 {
				t.Errorf("n=%d p=%v: P(%d) = %.5f, want %.5f", c.n, c.p, x, got, pmf)
			}
		}
	}
}

// TestDeal checks that dealing conserves persons and gives each recipient
// the hypergeometric mean of every cell.
func TestDeal(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	base := Comp{29, 55, 85, 132, 106, 61, 23, 6, 30, 59, 90, 138, 109, 58, 18, 3}
	n := float64(base.Sum())
	sizes := []int64{100, 7, 300, 0, 250}
	var d Dealer
	const draws = 3000
	sum := make([]Comp, len(sizes))
	for range draws {
		pool := base
		out := make([]*Comp, len(sizes))
		for k := range out {
			out[k] = new(Comp)
		}
		d.Deal(r, &pool, sizes, out)
		total := pool.Sum()
		for k, o := range out {
			if o.Sum() != sizes[k] {
				t.Fatalf("recipient %d got %d persons, want %d", k, o.Sum(), sizes[k])
			}
			total += o.Sum()
			sum[k].Add(o)
		}
		if total != base.Sum() {
			t.Fatalf("persons not conserved: %d", total)
		}
	}
	for k, s := range sizes {
		for c, b := range base {
			mean := float64(s) * float64(b) / n
			v := mean * (1 - float64(b)/n) * (n - float64(s)) / (n - 1)
			if got := float64(sum[k][c]) / draws; math.Abs(got-mean) > 5*math.Sqrt(v/draws)+1e-9 {
				t.Errorf("recipient %d cell %d: mean %.3f, want %.3f", k, c, got, mean)
			}
		}
	}
}
