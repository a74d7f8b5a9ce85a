package plot

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/vg"

	"listetak/results"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// Figure size of the golden images.
const (
	goldenW = 16 * vg.Centimeter
	goldenH = 10 * vg.Centimeter
)

// synthBands returns deterministic fans: a baseline and a reform with
// counts in the millions that spread out over the years.
func synthBands() []Band {
	mk := func(name string, level, slope, spread float64) Band {
		b := Band{Scenario: name}
		for y := range 11 {
			t := float64(y)
			m := level + slope*t + 40000*math.Sin(t/2)
			s := spread * math.Sqrt(t+0.5)
			b.Years = append(b.Years, t)
			b.Q05 = append(b.Q05, m-1.645*s)
			b.Q25 = append(b.Q25, m-0.674*s)
			b.Q50 = append(b.Q50, m)
			b.Q75 = append(b.Q75, m+0.674*s)
			b.Q95 = append(b.Q95, m+1.645*s)
		}
		return b
	}
	return []Band{
		mk("baseline", 5_400_000, 25_000, 30_000),
		mk("reform", 5_400_000, 60_000, 45_000),
	}
}

// synthDiff returns a paired reform-minus-baseline difference fan that
// crosses zero.
func synthDiff() []Band {
	b := Band{Scenario: "reform - baseline"}
	for y := range 11 {
		t := float64(y)
		m := -3000 + 1500*t
		s := 2500 * math.Sqrt(t+1)
		b.Years = append(b.Years, t)
		b.Q05 = append(b.Q05, m-1.645*s)
		b.Q25 = append(b.Q25, m-0.674*s)
		b.Q50 = append(b.Q50, m)
		b.Q75 = append(b.Q75, m+0.674*s)
		b.Q95 = append(b.Q95, m+1.645*s)
	}
	return []Band{b}
}

// checkGolden saves p to testdata/name.png and .svg and compares them with
// testdata/name_golden.png and .svg, or with -update rewrites those.
func checkGolden(t *testing.T, name string, render func() error) {
	t.Helper()
	for _, ext := range []string{"png", "svg"} {
		got := filepath.Join("testdata", name+"."+ext)
		golden := filepath.Join("testdata", name+"_golden."+ext)
		if err := render2(render, got); err != nil {
			t.Fatal(err)
		}
		gb, err := os.ReadFile(got)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(golden, gb, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		wb, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create the goldens)", err)
		}
		ok, err := cmpimg.Equal(ext, gb, wb)
		if err != nil {
			t.Fatalf("comparing %s with %s: %v", got, golden, err)
		}
		if !ok {
			t.Errorf("%s differs from %s", got, golden)
		}
	}
}

// renderTarget is the path the next render writes to.
var renderTarget string

func render2(render func() error, path string) error {
	renderTarget = path
	return render()
}

func TestGoldenFanChart(t *testing.T) {
	checkGolden(t, "fan", func() error {
		p, err := FanChart(synthBands(), "Listed persons", "persons", false)
		if err != nil {
			return err
		}
		return Save(p, renderTarget, goldenW, goldenH)
	})
}

func TestGoldenFanChartDiff(t *testing.T) {
	checkGolden(t, "fan_diff", func() error {
		p, err := FanChart(synthDiff(), "Orphans, reform minus baseline", "persons", true)
		if err != nil {
			return err
		}
		return Save(p, renderTarget, goldenW, goldenH)
	})
}

func TestGoldenHistogram(t *testing.T) {
	labels := []string{"<800", "800-1,000", "1,000-1,200", "1,200-1,400", "1,400-1,600", "1,600-1,800", ">1,800"}
	series := map[string][]float64{
		"baseline": {310, 905, 1480, 1320, 640, 210, 85},
		"reform":   {420, 1210, 1650, 1030, 420, 150, 20},
	}
	checkGolden(t, "histogram", func() error {
		p, err := Histogram(labels, series, []string{"baseline", "reform"}, "GPs per list length", "GPs")
		if err != nil {
			return err
		}
		return Save(p, renderTarget, goldenW, goldenH)
	})
}

func TestBandsFromSummary(t *testing.T) {
	row := func(sc string, dp, y int, m string, q float64) results.SummaryRow {
		return results.SummaryRow{Scenario: sc, DesignPoint: dp, Year: y, Metric: m,
			Q05: q - 2, Q25: q - 1, Q50: q, Q75: q + 1, Q95: q + 2}
	}
	rows := []results.SummaryRow{
		row("reform", 0, 1, "gps", 11),
		row("baseline", 0, 1, "gps", 21),
		row("reform", 0, 0, "gps", 10),
		row("baseline", 0, 0, "gps", 20),
		row("baseline", 0, 0, "orphans", 99),
		row("baseline", 1, 0, "gps", 99),
	}
	bands := BandsFromSummary(rows, "gps", 0)
	if len(bands) != 2 || bands[0].Scenario != "reform" || bands[1].Scenario != "baseline" {
		t.Fatalf("bands = %+v", bands)
	}
	b := bands[1]
	if !equal(b.Years, []float64{0, 1}) || !equal(b.Q50, []float64{20, 21}) ||
		!equal(b.Q05, []float64{18, 19}) || !equal(b.Q95, []float64{22, 23}) {
		t.Errorf("baseline band = %+v", b)
	}
	if got := BandsFromSummary(rows, "none", 0); got != nil {
		t.Errorf("unknown metric: %+v", got)
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestThousands(t *testing.T) {
	for _, c := range []struct {
		v     float64
		label string
		want  string
	}{
		{5648721, "5648721", "5,648,721"},
		{5e6, "5e+06", "5,000,000"},
		{-12500.5, "-12500.5", "-12,500.5"},
		{999, "999", "999"},
		{1000, "1000", "1,000"},
		{0, "0", "0"},
		{math.Copysign(0, -1), "-0", "0"}, // a negative zero prints as 0
		{0.25, "0.25", "0.25"},
		{1e-7, "1e-07", "1e-07"},
	} {
		if got := groupLabel(c.v, c.label, results.ASCIINumbers); got != c.want {
			t.Errorf("groupLabel(%v, %q) = %q, want %q", c.v, c.label, got, c.want)
		}
	}
	for _, tk := range (Thousands{}).Ticks(0, 6e6) {
		if tk.Label != "" && tk.Value >= 1000 && !strings.Contains(tk.Label, ",") {
			t.Errorf("tick %v labelled %q", tk.Value, tk.Label)
		}
		if strings.Contains(tk.Label, " ") {
			t.Errorf("tick label %q has a space", tk.Label)
		}
	}
}

func TestFanChartErrors(t *testing.T) {
	if _, err := FanChart(nil, "", "", false); err == nil {
		t.Error("no bands: no error")
	}
	b := synthBands()[0]
	b.Q05 = b.Q05[:3]
	if _, err := FanChart([]Band{b}, "", "", false); err == nil {
		t.Error("unequal lengths: no error")
	}
	// A NaN year leaves a gap but is no error.
	b = synthBands()[0]
	b.Q50[4] = math.NaN()
	if _, err := FanChart([]Band{b}, "", "", false); err != nil {
		t.Errorf("NaN year: %v", err)
	}
}

func TestHistogramErrors(t *testing.T) {
	s := map[string][]float64{"a": {1, 2}}
	if _, err := Histogram([]string{"x"}, s, nil, "", ""); err == nil {
		t.Error("wrong length: no error")
	}
	if _, err := Histogram([]string{"x", "y"}, s, []string{"b"}, "", ""); err == nil {
		t.Error("unknown series: no error")
	}
	if _, err := Histogram(nil, s, nil, "", ""); err == nil {
		t.Error("no labels: no error")
	}
}

func TestSave(t *testing.T) {
	p, err := FanChart(synthBands(), "t", "persons", false)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	magic := map[string][]byte{
		"f.png": []byte("\x89PNG\r\n\x1a\n"),
		"f.svg": []byte("<?xml"),
		"f.PDF": []byte("%PDF-"),
	}
	for name, m := range magic {
		path := filepath.Join(dir, name)
		if err := Save(p, path, 8*vg.Centimeter, 6*vg.Centimeter); err != nil {
			t.Fatalf("Save %s: %v", name, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, m) {
			t.Errorf("%s starts with %q, want %q", name, b[:min(len(b), 8)], m)
		}
		if name == "f.svg" && !bytes.Contains(b, []byte("<svg")) {
			t.Errorf("%s has no <svg element", name)
		}
	}
	if err := Save(p, filepath.Join(dir, "f.gif"), 8*vg.Centimeter, 6*vg.Centimeter); err == nil {
		t.Error("Save .gif: no error")
	}
	if err := Save(p, filepath.Join(dir, "missing", "f.png"), 8*vg.Centimeter, 6*vg.Centimeter); err == nil {
		t.Error("Save into a missing directory: no error")
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if len(names) != len(magic) {
		t.Errorf("files after Save: %v, want only %d figures (no temp files)", names, len(magic))
	}
}

func TestWithZero(t *testing.T) {
	ticks := withZero{Thousands{}}.Ticks(-7000, 31000)
	n := 0
	for _, tk := range ticks {
		if tk.Value == 0 {
			n++
			if tk.Label != "0" {
				t.Errorf("tick at 0 labelled %q", tk.Label)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d ticks at 0 in %v", n, ticks)
	}
	// Out of range: unchanged.
	if got, want := len(withZero{Thousands{}}.Ticks(5, 10)), len((Thousands{}).Ticks(5, 10)); got != want {
		t.Errorf("%d ticks, want %d", got, want)
	}
}

// TestGoldenFanChartMany draws four scenarios, one with an undefined year,
// to show the palette and dashes and the gap a NaN leaves.
func TestGoldenFanChartMany(t *testing.T) {
	var bands []Band
	for i, name := range []string{"baseline", "reform A", "reform B", "reform C"} {
		b := Band{Scenario: name}
		for y := range 11 {
			tt := float64(y)
			m := 1200 + float64(i-1)*(8+3*float64(i))*tt
			s := 6 * math.Sqrt(tt+0.5)
			b.Years = append(b.Years, tt)
			b.Q05 = append(b.Q05, m-1.645*s)
			b.Q25 = append(b.Q25, m-0.674*s)
			b.Q50 = append(b.Q50, m)
			b.Q75 = append(b.Q75, m+0.674*s)
			b.Q95 = append(b.Q95, m+1.645*s)
		}
		bands = append(bands, b)
	}
	bands[3].Q50[6] = math.NaN()
	checkGolden(t, "fan_many", func() error {
		p, err := FanChart(bands, "Mean list length", "persons per GP", false)
		if err != nil {
			return err
		}
		return Save(p, renderTarget, goldenW, goldenH)
	})
}

// compareGolden compares testdata/name.png and .svg, written by an
// example, with their goldens, or with -update rewrites the goldens.
func compareGolden(t *testing.T, name string) {
	t.Helper()
	for _, ext := range []string{"png", "svg"} {
		got := filepath.Join("testdata", name+"."+ext)
		golden := filepath.Join("testdata", name+"_golden."+ext)
		gb, err := os.ReadFile(got)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(golden, gb, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		wb, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create the goldens)", err)
		}
		ok, err := cmpimg.Equal(ext, gb, wb)
		if err != nil {
			t.Fatalf("comparing %s with %s: %v", got, golden, err)
		}
		if !ok {
			t.Errorf("%s differs from %s", got, golden)
		}
	}
}

func TestGoldenGroupedBars(t *testing.T) {
	ExampleGroupedBars()
	compareGolden(t, "bars")
}

func TestGoldenSobol(t *testing.T) {
	ExampleGroupedBars_horizontal()
	compareGolden(t, "sobol")
}

func TestGoldenFit(t *testing.T) {
	ExampleFitChart()
	compareGolden(t, "fit")
}

func TestGoldenFanNorwegian(t *testing.T) {
	ExampleFanChartWith()
	compareGolden(t, "fan_nb")
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		{105000, 245000, []string{"125000", "150000", "175000", "200000", "225000"}},
		{0, 0.58, []string{"0.0", "0.1", "0.2", "0.3", "0.4", "0.5"}},
		{-7000, 31000, []string{"0", "10000", "20000", "30000"}},
		{1100, 1700, []string{"1200", "1400", "1600"}},
		{0, 7.5, []string{"0", "2", "4", "6"}},
	} {
		var got []string
		for _, tk := range (NiceTicks{}).Ticks(c.lo, c.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("NiceTicks(%v, %v) labels %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
}
