package world

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// tinyPathWorld is a world of year 2020 (model year t runs from 1 January
// 2020+t to 2021+t) whose population table ends on 1 January 2023, so its
// trend runs from 1 January 2018 to 2023. County 01 has three
// municipalities, 0102 without figures for 2021-2022; county 02 has 0201,
// with an explicit growth rate, and 0202, at 0 in 2021 and blank in 2018;
// 0301 is in the table with blanks only; 9999 is not in it.
func tinyPathWorld() *World {
	row := func(code string, year int, n int64) PopulationRow {
		r := PopulationRow{Code: code, Year: year}
		if n >= 0 {
			r.Persons = Some(n)
		}
		return r
	}
	const blank = -1
	rows := []PopulationRow{
		row("0101", 2018, 1000), row("0101", 2019, 1030), row("0101", 2020, 1060),
		row("0101", 2021, 1100), row("0101", 2022, 1210), row("0101", 2023, 1331),
		row("0102", 2018, 500), row("0102", 2021, blank), row("0102", 2022, blank), row("0102", 2023, 600),
		row("0103", 2018, 100), row("0103", 2021, 200), row("0103", 2022, 250), row("0103", 2023, 300),
		row("0201", 2018, 380), row("0201", 2021, 400), row("0201", 2022, 440), row("0201", 2023, 460),
		row("0202", 2018, blank), row("0202", 2021, 0), row("0202", 2022, 700), row("0202", 2023, 710),
		row("0301", 2021, blank), row("0301", 2022, blank),
		row("0401", 2023, 10), // another county: not in the world, no effect
	}
	w := &World{Name: "tiny", Year: 2020, Population: &PopulationTable{Rows: rows}}
	for _, c := range []string{"0101", "0102", "0103", "0201", "0202", "9999", "0301"} {
		w.Municipalities = append(w.Municipalities, Municipality{Code: c, Population: 100, Centrality: 3})
	}
	w.Municipalities[3].Growth = Some(0.01)
	return w
}

// TestPopulationPathRules checks every rule on tinyPathWorld against ratios
// computed by hand.
func TestPopulationPathRules(t *testing.T) {
	w := tinyPathWorld()
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	p, err := w.PopulationPath(4)
	if err != nil {
		t.Fatal(err)
	}
	const (
		O, C, T, G, N = PathObserved, PathCounty, PathTrend, PathGiven, PathNone
	)
	nan := math.NaN()
	// County 01, model years 1 (2021->2022) and 2 (2022->2023): the sums
	// over 0101 and 0103, which have both years.
	c1, c2 := (1210.0+250)/(1100+200), (1331.0+300)/(1210+250)
	for _, c := range []struct {
		code  string
		ratio []float64
		src   []PathSource
	}{
		// Observed, then (no 2024 anywhere) the own trend (1331/1000)^(1/5).
		{"0101", []float64{1.1, 1.1, math.Pow(1.331, 0.2), math.Pow(1.331, 0.2)}, []PathSource{O, O, T, T}},
		// No figures for 2021-2022: the county's ratio; then its own trend.
		{"0102", []float64{c1, c2, math.Pow(1.2, 0.2), math.Pow(1.2, 0.2)}, []PathSource{C, C, T, T}},
		{"0103", []float64{1.25, 1.2, math.Pow(3, 0.2), math.Pow(3, 0.2)}, []PathSource{O, O, T, T}},
		// The explicit growth wins over the figures.
		{"0201", []float64{1.01, 1.01, 1.01, 1.01}, []PathSource{G, G, G, G}},
		// 0 in 2021 is no figure: the county's ratio 440/400 (0201's figures
		// count in the county's sums); no 2018 figure: the county's trend
		// (460/380)^(1/5).
		{"0202", []float64{1.1, 710.0 / 700, math.Pow(460.0/380, 0.2), math.Pow(460.0/380, 0.2)}, []PathSource{C, O, T, T}},
		{"9999", []float64{nan, nan, nan, nan}, []PathSource{N, N, N, N}},
		{"0301", []float64{nan, nan, nan, nan}, []PathSource{N, N, N, N}},
	} {
		m := slices.IndexFunc(w.Municipalities, func(m Municipality) bool { return m.Code == c.code })
		if !slices.Equal(p.Source[m], c.src) {
			t.Errorf("%s: sources %v, want %v", c.code, p.Source[m], c.src)
		}
		for k, want := range c.ratio {
			got := p.Ratio[m][k]
			if math.IsNaN(want) != math.IsNaN(got) || !math.IsNaN(want) && math.Abs(got-want) > 1e-12 {
				t.Errorf("%s, model year %d: ratio %v, want %v", c.code, k+1, got, want)
			}
		}
	}
	for _, want := range []string{
		"population path: model year 0 is 1 January 2021, model year t ends on 1 January 2021+t (t = 1..4); " +
			"ratios of populations on 1 January from the world's population.csv (figures 2018-2023); 5 of 28 municipality-years observed",
		"1 municipality with an explicit growth rate",
		"2 municipalities with the county ratio (sums over the county's municipalities with figures) in 3 municipality-years without own figures: 0102, 0202",
		"3 municipalities with the municipal trend (geometric mean yearly ratio, 1 January 2018 to 2023) in 6 municipality-years without own or county figures: 0101, 0102, 0103",
		"1 municipality with the county trend (1 January 2018 to 2023; no own figures for those years) in 2 municipality-years without own or county figures: 0202",
		"1 municipality not in the population data: no ratio (NaN), the simulation uses its default growth: 9999",
		"1 municipality without a ratio (NaN) in 4 municipality-years (no own or county figures, no trend): the simulation uses its default growth: 0301",
	} {
		if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.HasPrefix(n, want) }) {
			t.Errorf("no note starting %q in\n%s", want, strings.Join(p.Notes, "\n"))
		}
	}

	// No years: empty rows, no error.
	if p, err := w.PopulationPath(0); err != nil || len(p.Ratio) != len(w.Municipalities) || len(p.Ratio[0]) != 0 {
		t.Errorf("PopulationPath(0) = %v, %v", p, err)
	}
}

func TestPopulationPathErrors(t *testing.T) {
	w := tinyPathWorld()
	if _, err := w.PopulationPath(-1); err == nil {
		t.Error("negative years accepted")
	}
	w.Municipalities[3].Growth = Some(-1.0)
	if _, err := w.PopulationPath(2); err == nil || !strings.Contains(err.Error(), `municipality 3 ("0201"): growth -1 gives the ratio 0`) {
		t.Errorf("growth -1: %v", err)
	}
	w = tinyPathWorld()
	w.Population.Rows[0].Year = 2030
	if _, err := w.PopulationPath(2); err == nil || !strings.Contains(err.Error(), "not sorted") {
		t.Errorf("unsorted table: %v", err)
	}
}

// TestPopulationPath2011 recomputes the path of norway-2011 from the data
// file, by an independent route (encoding/csv on Data()).
func TestPopulationPath2011(t *testing.T) {
	w := mustEmbedded(t, Norway2011)
	// 357 municipalities less 3336 Rollag, which had no list in 2011.
	if w.Year != 2011 || len(w.Municipalities) != 356 {
		t.Fatalf("norway-2011: year %d, %d municipalities", w.Year, len(w.Municipalities))
	}
	pop := map[string]map[int]float64{} // code -> year -> persons > 0
	for _, r := range readData(t, filePopPath) {
		if r["population_1jan"] == "" || r["population_1jan"] == "0" {
			continue
		}
		if pop[r["kommune_nr"]] == nil {
			pop[r["kommune_nr"]] = map[int]float64{}
		}
		pop[r["kommune_nr"]][int(atoi(t, r["year"]))] = float64(atoi(t, r["population_1jan"]))
	}
	const years = 20 // 1 January 2012 to 2032
	p, err := w.PopulationPath(years)
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for m, mu := range w.Municipalities {
		idx[mu.Code] = m
	}
	for y := 2020; y <= 2023; y++ {
		delete(pop["1508"], y) // Ålesund's figures include Haram then (mergedFigures)
	}

	// Year 1: the national ratio over the world's municipalities with data
	// is pop 2013 / pop 2012.
	var s12, s13, weighted float64
	for code, py := range pop {
		a, okA := py[2012]
		b, okB := py[2013]
		m, inWorld := idx[code]
		if !okA || !okB || !inWorld {
			continue
		}
		s12, s13 = s12+a, s13+b
		if p.Source[m][0] != PathObserved {
			t.Errorf("%s: year 1 from %v", code, p.Source[m][0])
		}
		weighted += a * p.Ratio[m][0]
	}
	if got, want := weighted/s12, s13/s12; math.Abs(got-want) > 1e-9 {
		t.Errorf("national year-1 ratio %v, want %v", got, want)
	}

	// The county's ratio, recomputed, for the municipalities split in 2020
	// before 2020, and for Haram while it was part of Ålesund.
	county := func(code string, a, b int) float64 {
		var sa, sb float64
		for c, py := range pop {
			pa, okA := py[a]
			pb, okB := py[b]
			if c[:2] == code[:2] && okA && okB {
				sa, sb = sa+pa, sb+pb
			}
		}
		return sb / sa
	}
	check := func(code string, k int, src PathSource, want float64) {
		t.Helper()
		m := idx[code]
		if p.Source[m][k] != src || math.Abs(p.Ratio[m][k]-want) > 1e-12 {
			t.Errorf("%s, model year %d: %v from %v, want %v from %v", code, k+1, p.Ratio[m][k], p.Source[m][k], want, src)
		}
	}
	trend := func(py map[int]float64) float64 { return math.Pow(py[2026]/py[2021], 0.2) }
	for code, name := range map[string]string{"1806": "Narvik", "1875": "Hamarøy", "5055": "Heim", "5056": "Hitra", "5059": "Orkland"} {
		if !strings.Contains(w.Municipalities[idx[code]].Name, name) {
			t.Errorf("%s is %q, want %s", code, w.Municipalities[idx[code]].Name, name)
		}
		for k := range years {
			from := 2012 + k // model year k+1 runs from 1 January 2012+k
			switch {
			case from < 2020:
				check(code, k, PathCounty, county(code, from, from+1))
			case from < 2026:
				check(code, k, PathObserved, pop[code][from+1]/pop[code][from])
			default:
				check(code, k, PathTrend, trend(pop[code]))
			}
		}
	}
	for _, code := range []string{"1580", "1508"} { // Haram and Ålesund
		for k := range years {
			from := 2012 + k
			switch {
			case from >= 2019 && from < 2024: // no figure for 2020-2023
				check(code, k, PathCounty, county(code, from, from+1))
			case from >= 2026: // no 2021 figure: the county's trend
				check(code, k, PathTrend, math.Pow(county(code, 2021, 2026), 0.2))
			default:
				check(code, k, PathObserved, pop[code][from+1]/pop[code][from])
			}
		}
	}
	// Beyond 1 January 2026 (model year 15 on), every municipality follows
	// a trend, its own but for Haram and Ålesund.
	for _, mu := range w.Municipalities {
		for k := 14; k < years; k++ {
			if mu.Code != "1580" && mu.Code != "1508" {
				check(mu.Code, k, PathTrend, trend(pop[mu.Code]))
			}
		}
	}
	for _, want := range []string{
		"7 municipalities with the county ratio (sums over the county's municipalities with figures) in 50 municipality-years without own figures: 1508, 1580, 1806, 1875, 5055, 5056, 5059",
		"354 municipalities with the municipal trend (geometric mean yearly ratio, 1 January 2021 to 2026) in 2124 municipality-years",
		"2 municipalities with the county trend (1 January 2021 to 2026; no own figures for those years) in 12 municipality-years without own or county figures: 1508, 1580",
	} {
		if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.HasPrefix(n, want) }) {
			t.Errorf("no note starting %q in\n%s", want, strings.Join(p.Notes, "\n"))
		}
	}
}

// TestPopulationPath2025: norway-2025 starts on 1 January 2026, the last
// year of the data, so every year follows a trend; explicit growth and an
// unknown code override it.
func TestPopulationPath2025(t *testing.T) {
	w := mustEmbedded(t, Norway2025)
	if w.Year != 2025 {
		t.Fatalf("year %d", w.Year)
	}
	w.Municipalities[0].Growth = Some(0.02)
	w.Municipalities[1].Code = "no-such-code"
	p, err := w.PopulationPath(3)
	if err != nil {
		t.Fatal(err)
	}
	oslo := slices.IndexFunc(w.Municipalities, func(m Municipality) bool { return m.Code == "0301" })
	for m := range w.Municipalities {
		for k := range 3 {
			want := PathTrend
			switch m {
			case 0:
				want = PathGiven
			case 1:
				want = PathNone
			}
			if p.Source[m][k] != want {
				t.Fatalf("%s, model year %d: from %v, want %v", w.Municipalities[m].Code, k+1, p.Source[m][k], want)
			}
		}
	}
	if oslo != 0 {
		t.Fatalf("Oslo is municipality %d, the test assumes 0", oslo)
	}
	if p.Ratio[0][2] != 1.02 || !math.IsNaN(p.Ratio[1][0]) {
		t.Errorf("given %v, unknown %v", p.Ratio[0][2], p.Ratio[1][0])
	}
	bergen := slices.IndexFunc(w.Municipalities, func(m Municipality) bool { return m.Code == "4601" })
	// Bergen: 285,601 on 1 January 2021, 294,860 on 1 January 2026.
	if got, want := p.Ratio[bergen][0], math.Pow(294860.0/285601, 0.2); math.Abs(got-want) > 1e-12 {
		t.Errorf("Bergen trend %v, want %v", got, want)
	}
}

// The population path of an embedded world takes well under a
// millisecond: the shipped file is parsed once per process.
func BenchmarkPopulationPath(b *testing.B) {
	w, err := Embedded(Norway2011)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := w.PopulationPath(1); err != nil { // parse the file
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := w.PopulationPath(30); err != nil {
			b.Fatal(err)
		}
	}
}
