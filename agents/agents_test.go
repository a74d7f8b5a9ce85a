package agents

import (
	"math"
	"math/rand/v2"
	"testing"

	"listetak/finance"
	"listetak/params"
)

// smallYear returns a Year on the grid {1000, 1100, 1200} with the reference
// parameters, flat capitation 499 and one extra-hours class of 300 hours.
func smallYear(t *testing.T) (*Year, *params.Params) {
	t.Helper()
	p := params.Reference2019()
	p.CeilingMin, p.CeilingStep, p.CeilingMax = 1000, 100, 1200
	y := new(Year)
	y.Reset(&p, finance.Rules{Capitation: finance.Flat{Rate: 499}}, 1, []Class{{Extra: 300}})
	return y, &p
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// Hand-computed with sigma = 1000: N(C) = 499C + 1400C - 500,000 - 100C -
// 150,000*floor(C/1000); H(C) = 400 + 300 + 1.9C; D/w = 2300/3*(H/2300)^3.
var handN = []float64{1_149_000, 1_328_900, 1_508_800}
var handD = []float64{1107.4984247006928, 1368.471266540643, 1667.5231253938252}

func TestIncomeAndDisutility(t *testing.T) {
	y, _ := smallYear(t)
	for g, c := range y.Grid {
		if n := y.Net(c, c, -1, 1000, 0); !near(n, handN[g], 1e-12) {
			t.Errorf("N(%v) = %v, want %v", c, n, handN[g])
		}
		h := y.Hours(c, 300)
		if d := y.Disutility(1, h); !near(d, handD[g], 1e-12) {
			t.Errorf("D(H(%v))/w = %v, want %v", c, d, handD[g])
		}
	}
	in := y.Income(1000, 1000, -1, 1000, 50_000)
	if in.Capitation != 499_000 || in.Fees != 1_400_000 || in.Equalisation != 50_000 || in.Cost != 750_000 {
		t.Errorf("income components %+v", in)
	}
	// Staff steps rise at multiples of sigma: 999 persons need none, 1000 one.
	if a, b := y.Income(999, 1000, -1, 1000, 0).Cost, y.Income(1000, 1000, -1, 1000, 0).Cost; b-a != 150_100 {
		t.Errorf("cost step at sigma: %v", b-a)
	}
}

func TestChooseHand(t *testing.T) {
	y, _ := smallYear(t)
	cases := []struct {
		name string
		c    Chooser
		want int
	}{
		// w = 600: U = 484,501 / 507,817 / 508,286 -> 1,200.
		{"w600", Chooser{W: 600, Lambda: 1, Sigma: 1000}, 2},
		// w = 700: U = 373,751 / 370,970 / 341,534 -> 1,000.
		{"w700", Chooser{W: 700, Lambda: 1, Sigma: 1000}, 0},
		// w = 690 without loss aversion: U = 384,826 / 384,655 / 358,209 -> 1,000.
		// With lambda = 3 and R = 1,400,000 the two smaller ceilings fall short
		// of R and pay 2*(R-N): U = -117,174 / 242,455 / 358,209 -> 1,200.
		{"kink", Chooser{W: 690, Lambda: 3, Ref: 1_400_000, Sigma: 1000}, 2},
		{"nokink", Chooser{W: 690, Lambda: 1, Ref: 1_400_000, Sigma: 1000}, 0},
	}
	for _, tc := range cases {
		if got := y.Choose(tc.c); got != tc.want {
			t.Errorf("%s: Choose = %d (%v), want %d", tc.name, got, y.Grid[got], tc.want)
		}
	}
}

func TestChooseTiesToSmaller(t *testing.T) {
	p := params.Reference2019()
	// Everything that varies with C is zero: every ceiling has the same
	// utility, and the smallest must win.
	p.Fee, p.CostPerPerson, p.StaffCost, p.HoursPerPerson = 0, 0, 0, 0
	y := new(Year)
	y.Reset(&p, finance.Rules{Capitation: finance.Flat{Rate: 0}}, 1, []Class{{Extra: 300}})
	if got := y.Choose(Chooser{W: 700, Lambda: 3, Ref: 1e6, Sigma: 1000}); got != 0 {
		t.Fatalf("tie: Choose = %d, want 0 (the smallest ceiling)", got)
	}
}

// TestChooseMatchesOracle compares Choose with a full scan of Utility on
// random GPs under flat, breakpoint and guarantee rules.
func TestChooseMatchesOracle(t *testing.T) {
	p := params.Reference2019()
	r := rand.New(rand.NewPCG(1, 2))
	rules := []finance.Rules{
		{Capitation: finance.Flat{Rate: 499}},
		{Capitation: finance.Breakpoint{Breaks: []float64{500, 1000}, Rates: []float64{580, 520, 100}}},
		{Capitation: finance.Flat{Rate: 499}, Guarantee: finance.Guarantee{Persons: 500, MaxContractYears: 2}},
	}
	for _, ru := range rules {
		y := new(Year)
		// Classes 3 and 4 carry hours factors of a municipality's average
		// person (list composition).
		y.Reset(&p, ru, 3, []Class{{Extra: 300}, {Extra: 450}, {Extra: 600}, {Extra: 300, Hours: 0.85}, {Extra: 450, Hours: 1.2}})
		for k := range 30000 {
			c := Chooser{
				W: 200 + 1500*r.Float64(), Lambda: 1 + 3*r.Float64(), Ref: 5e5 + 2e6*r.Float64(),
				Sigma: DrawStaffStep(r, &p), Eq: 2e5 * r.Float64(), ContractAge: r.IntN(4), Class: r.IntN(5),
			}
			if k%2 == 1 { // capitation and fee factors as with composition
				c.F = Factors{Cap: 0.8 + 0.4*r.Float64(), Fee: 0.8 + 0.4*r.Float64()}
			}
			got := y.Choose(c)
			best, bu := 0, math.Inf(-1)
			for g := range y.Grid {
				if u := y.Utility(c, g); u > bu {
					best, bu = g, u
				}
			}
			if got != best {
				t.Fatalf("%+v: Choose %d, oracle %d", c, got, best)
			}
		}
	}
}

func TestLeisureInterval(t *testing.T) {
	p := params.Reference2019()
	y := new(Year)
	y.Reset(&p, finance.Rules{Capitation: finance.Flat{Rate: 499}}, 1, []Class{{Extra: 300}})
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		c := Chooser{Lambda: 1 + 2*r.Float64(), Ref: 1e6 + 5e5*r.Float64(), Sigma: DrawStaffStep(r, &p)}
		k := r.IntN(len(y.Grid))
		lo, hi, ok := y.LeisureInterval(c, k)
		if !ok {
			continue
		}
		// Inside the interval k is chosen; just outside it is not.
		for _, w := range []float64{lo * (1 + 1e-9), (lo + math.Min(hi, lo+1e4)) / 2} {
			c.W = w
			if w > 0 && y.Choose(c) != k {
				t.Fatalf("w=%v in [%v,%v): Choose %d, want %d", w, lo, hi, y.Choose(c), k)
			}
		}
		if !math.IsInf(hi, 1) {
			c.W = hi * (1 + 1e-9)
			if y.Choose(c) == k {
				t.Fatalf("w just above hi=%v still chooses %d", hi, k)
			}
		}
	}
}

func TestHazards(t *testing.T) {
	p := params.Reference2019()
	if got := RetireProb(&p, 68); got != 0.5 {
		t.Errorf("p_ret(68) = %v, want 0.5", got)
	}
	// 1/(1+exp(-1)) = 0.7310585786300049.
	if got := RetireProb(&p, 70); !near(got, 0.7310585786300049, 1e-15) {
		t.Errorf("p_ret(70) = %v", got)
	}
	// At H = Href and N = Nbar the other-exit hazard is q0.
	if got := QuitProb(&p, p.RefHours, p.RefIncome); !near(got, 0.02, 1e-15) {
		t.Errorf("p_quit at reference = %v, want 0.02", got)
	}
	// 0.02*exp(1.5*0.2)*exp(-1*(-0.5)) = 0.02*exp(0.8) = 0.04451081856984935.
	if got := QuitProb(&p, 1.2*p.RefHours, 0.5*p.RefIncome); !near(got, 0.04451081856984935, 1e-14) {
		t.Errorf("p_quit = %v", got)
	}
	if got := QuitProb(&p, 100*p.RefHours, 0); got != 1 {
		t.Errorf("p_quit is capped at 1, got %v", got)
	}
	// q at Nexp = Yout in class 1 is logistic(0.5) = 0.6224593312018546;
	// in class 6 logistic(0.5 - 5*0.35) = logistic(-1.25) = 0.22270013882530884.
	if got := EntryProb(&p, p.OutsideIncome, 1); !near(got, 0.6224593312018546, 1e-15) {
		t.Errorf("q class 1 = %v", got)
	}
	if got := EntryProb(&p, p.OutsideIncome, 6); !near(got, 0.22270013882530884, 1e-14) {
		t.Errorf("q class 6 = %v", got)
	}
}

func TestEffectiveLeisure(t *testing.T) {
	p := params.Reference2019()
	if got := EffectiveLeisure(&p, 700, p.RefIncome); got != 700 {
		t.Errorf("w at Nbar = %v", got)
	}
	// Income floor at 0.1*Nbar: 700*0.1^0.3 = 350.8335...
	if got := EffectiveLeisure(&p, 700, -5e5); !near(got, 700*math.Pow(0.1, 0.3), 1e-15) {
		t.Errorf("w at negative income = %v", got)
	}
}

func TestDrawLeisureTruncated(t *testing.T) {
	p := params.Reference2019()
	r := rand.New(rand.NewPCG(5, 6))
	for _, iv := range [][2]float64{{0, 500}, {700, 800}, {3000, math.Inf(1)}, {1e6, 2e6}, {1e-9, 1e-8}} {
		for range 200 {
			w := DrawLeisureTruncated(r, &p, false, iv[0], iv[1])
			if w < iv[0] || w >= iv[1] {
				t.Fatalf("draw %v outside [%v, %v)", w, iv[0], iv[1])
			}
		}
	}
	// Untruncated, the median is 740: half the draws fall below it
	// (4 standard errors of a proportion over 20,000 draws = 0.014).
	below := 0
	const n = 20000
	for range n {
		if DrawLeisureTruncated(r, &p, false, 0, math.Inf(1)) < 740 {
			below++
		}
	}
	if f := float64(below) / n; math.Abs(f-0.5) > 0.014 {
		t.Errorf("share below the median %v", f)
	}
}

func TestDrawStartMakesCeilingOptimal(t *testing.T) {
	p := params.Reference2019()
	y := new(Year)
	y.Reset(&p, finance.Rules{Capitation: finance.Flat{Rate: 499}}, 1, []Class{{Extra: 300}, {Extra: 600}})
	r := rand.New(rand.NewPCG(7, 8))
	nan := math.NaN()
	reached := 0
	for i := range 1000 {
		ceiling := 600 + float64(r.IntN(1800))
		s := Start{List: ceiling - float64(r.IntN(100)), Ceiling: ceiling, Female: i%2 == 0, ContractAge: -1,
			Class: i % 2, W: nan, Lambda: nan, Sigma: nan, Ref: nan}
		v := y.DrawStart(r, s)
		c := Chooser{W: EffectiveLeisure(&p, v.W, v.Last), Lambda: v.Lambda, Ref: v.Ref, Sigma: v.Sigma, Class: s.Class, ContractAge: -1}
		if v.Reached {
			reached++
			if got, want := y.Choose(c), y.Nearest(ceiling); got != want {
				t.Fatalf("GP %d: optimum %v, observed ceiling %v", i, y.Grid[got], ceiling)
			}
		}
	}
	// Nearly every observed ceiling in the interior of the grid is reachable
	// with some staff step; allow 1 % failures.
	if reached < 990 {
		t.Errorf("only %d of 1000 ceilings reached", reached)
	}
}

func TestNearest(t *testing.T) {
	p := params.Reference2019()
	for _, c := range []struct {
		ceiling float64
		want    int
	}{{300, 0}, {100, 0}, {324, 0}, {325, 1}, {1030, 15}, {1025, 15}, {2600, 44}} {
		if got := NearestIndex(&p, c.ceiling); got != c.want {
			t.Errorf("Nearest(%v) = %d, want %d", c.ceiling, got, c.want)
		}
	}
}

// IncomeF scales capitation (after the guarantee) and fees by the list's
// factors; costs depend on persons only; zero factors mean 1.
func TestIncomeFactors(t *testing.T) {
	p := params.Reference2019()
	y := new(Year)
	rules := finance.Rules{Capitation: finance.Flat{Rate: 500}, Guarantee: finance.Guarantee{Persons: 800}}
	y.Reset(&p, rules, 1, []Class{{Extra: 300}})
	in := y.IncomeF(600, 1000, 0, 1e9, 0, Factors{Cap: 1.2, Fee: 0.9})
	// Guarantee: paid as 800 persons, times 1.2; fees 1,400 x 0.9 x 600.
	if in.Capitation != 500*800*1.2 || math.Abs(in.Fees-1400*0.9*600) > 1e-9 {
		t.Errorf("IncomeF = %+v", in)
	}
	if in.Cost != y.Income(600, 1000, 0, 1e9, 0).Cost {
		t.Errorf("cost depends on the factors")
	}
	if y.IncomeF(600, 1000, 0, 1e9, 0, Factors{}) != y.Income(600, 1000, 0, 1e9, 0) {
		t.Errorf("zero factors are not 1")
	}
}
