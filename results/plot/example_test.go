package plot

import (
	"log"
	"math"

	"gonum.org/v1/plot"

	"listetak/results"
)

// The examples write their figures to testdata/NAME.png and .svg; the
// golden tests in plot_test.go run them and compare the files with
// testdata/NAME_golden.png and .svg (go test -update rewrites those).

// save writes p as testdata/name.png and testdata/name.svg.
func save(p *plot.Plot, name string) {
	for _, ext := range []string{".png", ".svg"} {
		if err := Save(p, "testdata/"+name+ext, Width, Height); err != nil {
			log.Fatal(err)
		}
	}
}

// ExampleGroupedBars draws the mean change in net income per GP by
// list-length bin for two reforms, with 90 % whiskers: a distribution
// figure of the report.
func ExampleGroupedBars() {
	bins := []string{"0–500", "501–800", "801–1,000", "1,001–1,200", "1,201–1,500", "1,501–1,800", "1,801+"}
	mean := [][]float64{
		{21000, 14000, 6000, -2500, -11000, -24000, -41000},
		{35000, 22000, 9000, -1000, -15000, -33000, -60000},
	}
	var series []Bars
	for i, name := range []string{"reform A", "reform B"} {
		b := Bars{Name: name, Values: mean[i]}
		for _, m := range mean[i] {
			b.Low = append(b.Low, m-4000-0.15*math.Abs(m))
			b.High = append(b.High, m+4000+0.15*math.Abs(m))
		}
		series = append(series, b)
	}
	p, err := GroupedBars(bins, series, BarOptions{
		Title:         "Change in net income per GP, year 1 (static)",
		CategoryLabel: "list length in year 0 (persons)",
		ValueLabel:    "NOK per year",
		Note:          "bars: medians; whiskers: 90 % bands",
	})
	if err != nil {
		log.Fatal(err)
	}
	save(p, "bars")
	// Output:
}

// ExampleGroupedBars_horizontal draws first-order and total Sobol indices
// with bootstrap intervals as a tornado chart, largest at the top.
func ExampleGroupedBars_horizontal() {
	factors := []string{"eta", "loss_aversion_median", "alpha0", "chi", "q0"}
	st := []float64{0.52, 0.23, 0.11, 0.05, 0.01}
	s1 := []float64{0.41, 0.17, 0.07, 0.02, math.NaN()}
	iv := func(xs []float64, d float64) []float64 {
		out := make([]float64, len(xs))
		for i, x := range xs {
			out[i] = x + d
		}
		return out
	}
	p, err := GroupedBars(factors, []Bars{
		{Name: "total (ST)", Values: st, Low: iv(st, -0.06), High: iv(st, 0.06)},
		{Name: "first order (S1)", Values: s1, Low: iv(s1, -0.08), High: iv(s1, 0.08)},
	}, BarOptions{
		Title:      "Sobol indices of capacity, year 10",
		ValueLabel: "share of variance",
		Horizontal: true,
		Note:       "whiskers: 95 % bootstrap intervals",
	})
	if err != nil {
		log.Fatal(err)
	}
	save(p, "sobol")
	// Output:
}

// ExampleFitChart draws a calibration fit: observed moments with 95 %
// whiskers and the simulated values, relative to the observed ones.
func ExampleFitChart() {
	points := []FitPoint{
		{Label: "mean list", Observed: 1097.5, Simulated: 1102.1, SE: 4.2},
		{Label: "mean ceiling", Observed: 1180, Simulated: 1150, SE: 9},
		{Label: "exit rate", Observed: 0.052, Simulated: 0.049, SE: 0.003},
		{Label: "share on lists > 1,500", Observed: 0.081, Simulated: 0.095, SE: 0.004},
		{Label: "orphans (urban)", Observed: 41000, Simulated: 39500, SE: 2500},
	}
	p, err := FitChart(points, FitOptions{
		Title:      "Calibration fit",
		ValueLabel: "relative to observed (observed = 1)",
		Relative:   true,
	})
	if err != nil {
		log.Fatal(err)
	}
	save(p, "fit")
	// Output:
}

// ExampleFanChartWith draws a fan chart with Norwegian texts and number
// format (no-break spaces between thousands, decimal comma, minus sign).
func ExampleFanChartWith() {
	var b Band
	b.Scenario = "1aix minus baseline"
	for y := range 21 {
		t := float64(y)
		m := -2500 + 400*t
		s := 1500 * math.Sqrt(t+1)
		b.Years = append(b.Years, t)
		b.Q05 = append(b.Q05, m-1.645*s)
		b.Q25 = append(b.Q25, m-0.674*s)
		b.Q50 = append(b.Q50, m)
		b.Q75 = append(b.Q75, m+0.674*s)
		b.Q95 = append(b.Q95, m+1.645*s)
	}
	p, err := FanChartWith([]Band{b}, FanOptions{
		Title:    "Innbyggere uten fastlege, reform minus dagens ordning",
		XLabel:   "år",
		YLabel:   "personer",
		ZeroLine: true,
		BandNote: "linjer: medianer; skravering: 50 % og 90 % intervaller",
		Numbers:  results.NorwegianNumbers,
	})
	if err != nil {
		log.Fatal(err)
	}
	save(p, "fan_nb")
	// Output:
}
