package finance

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// The published examples (DOMAIN.md): 2,000 inhabitants, all listed, with
// 2/3/4 GPs give about NOK 100,000 / 266,667 / 350,000 per GP at rate 500.
func TestEqualisationPublishedExamples(t *testing.T) {
	e := Equalisation{Rate: 500, MaxPopulation: 5000, RefList: 1200}
	for _, c := range []struct {
		gps  int
		want float64
	}{{2, 100_000}, {3, 266_666.6666666667}, {4, 350_000}} {
		if got := e.Grant(2000, c.gps, 2000); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("%d GPs: grant %v, want %v", c.gps, got, c.want)
		}
	}
	if got := e.Grant(5000, 4, 2000); got != 0 {
		t.Errorf("5,000 inhabitants: grant %v, want 0", got)
	}
	if got := e.Grant(2000, 1, 2000); got != 0 {
		t.Errorf("mean list 2,000: grant %v, want 0", got)
	}
	if got := e.Grant(2000, 0, 0); got != 0 {
		t.Errorf("no GP: grant %v, want 0", got)
	}
}

func TestBreakpoint(t *testing.T) {
	b := Breakpoint{Breaks: []float64{500, 1000}, Rates: []float64{580, 520, 100}}
	for _, c := range []struct{ l, want float64 }{
		{0, 0}, {400, 232_000}, {500, 290_000}, {800, 290_000 + 300*520}, {1000, 550_000}, {1500, 600_000},
	} {
		if got := b.Capitation(c.l); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("cap(%v) = %v, want %v", c.l, got, c.want)
		}
	}
	if err := (Breakpoint{Breaks: []float64{1000, 500}, Rates: []float64{1}}).Validate(); err == nil {
		t.Error("bad schedule accepted")
	}
}

func TestGuarantee(t *testing.T) {
	r := Rules{Capitation: Flat{Rate: 499}, Guarantee: Guarantee{Persons: 500, MinCeiling: true, MaxContractYears: 2}}
	for _, c := range []struct {
		l, ceiling float64
		age        int
		want       float64
	}{
		{200, 600, 0, 499 * 500},  // young, ceiling >= 500: paid as for 500
		{200, 400, 0, 499 * 200},  // ceiling below 500
		{200, 600, 2, 499 * 200},  // contract too old
		{200, 600, -1, 499 * 200}, // unknown contract age: long
		{700, 800, 0, 499 * 700},  // list above the guarantee
	} {
		if got := r.Cap(c.l, c.ceiling, c.age); got != c.want {
			t.Errorf("Cap(%v, %v, %d) = %v, want %v", c.l, c.ceiling, c.age, got, c.want)
		}
	}
}

func ExampleEqualisation_Grant() {
	e := Equalisation{Rate: 500, MaxPopulation: 5000, RefList: 1200}
	for gps := 2; gps <= 4; gps++ {
		fmt.Printf("%d GPs: NOK %.0f per GP\n", gps, e.Grant(2000, gps, 2000))
	}
	// Output:
	// 2 GPs: NOK 100000 per GP
	// 3 GPs: NOK 266667 per GP
	// 4 GPs: NOK 350000 per GP
}

// The money index passes through its anchors and is geometric between
// them: 2022 is halfway from 2019 (1) to 2025 (1.25), so sqrt(1.25); 2015
// is halfway from 2011 (0.85) to 2019, so sqrt(0.85).
func TestMoneyIndex(t *testing.T) {
	for y, want := range map[int]float64{2011: 0.85, 2019: 1, 2025: 1.25, 2022: math.Sqrt(1.25), 2015: math.Sqrt(0.85),
		2023: math.Pow(1.25, 4.0/6)} {
		got, err := MoneyIndex(y)
		if err != nil || math.Abs(got-want) > 1e-12 {
			t.Errorf("MoneyIndex(%d) = %v, %v; want %v", y, got, err, want)
		}
	}
	for _, y := range []int{2010, 2026} {
		if _, err := MoneyIndex(y); err == nil || !strings.Contains(err.Error(), "2011-2025") {
			t.Errorf("MoneyIndex(%d): %v", y, err)
		}
	}
}

func TestBreakpoint2020(t *testing.T) {
	for y, want := range map[int][2]float64{2020: {577, 499}, 2021: {642, 526}, 2022: {675, 544}} {
		s, ok := Breakpoint2020(y)
		if !ok || s.Rates[0] != want[0] || s.Rates[1] != want[1] || s.Breaks[0] != 1000 || s.Guarantee.Persons != 500 {
			t.Errorf("%d: %+v", y, s)
		}
	}
	if _, ok := Breakpoint2020(2023); ok {
		t.Error("2023 has no breakpoint schedule")
	}
}
