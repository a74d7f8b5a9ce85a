package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"listetak/results"
)

// writeSyntheticRun writes a run folder like `listetak run -scenario
// baseline,r1 -years 10` would, with deterministic made-up numbers:
// manifest.json, summary.csv (with r1-minus-baseline rows),
// distribution.csv and, with fit, a calibration's fit.csv.
func writeSyntheticRun(t *testing.T, dir string, fit bool) {
	t.Helper()
	metricsAt := map[string]func(y float64) float64{
		"capacity":         func(y float64) float64 { return 5648721 + 30000*y },
		"orphans":          func(y float64) float64 { return 117899 + 8000*y },
		"gps":              func(y float64) float64 { return 5763 + 40*y },
		"entries":          func(y float64) float64 { return 250 + y },
		"exits_retirement": func(y float64) float64 { return 180 - 2*y },
		"exits_other":      func(y float64) float64 { return 95.9 + y },
		"mean_net_income":  func(y float64) float64 { return 1.2e6 + 5000*y },
		"public_spending":  func(y float64) float64 { return 9e9 + 1e8*y },
	}
	for i, b := range listBins {
		metricsAt["list_bin_"+b] = func(y float64) float64 { return float64(1400-180*i) + 10*y*float64(3-i) }
	}
	var rows []results.SummaryRow
	add := func(sc string, y int, m string, v, spread float64) {
		rows = append(rows, results.SummaryRow{Scenario: sc, Year: y, Metric: m, Mean: v, SD: spread,
			Q05: v - 1.645*spread, Q25: v - 0.674*spread, Q50: v, Q75: v + 0.674*spread, Q95: v + 1.645*spread})
	}
	for _, sc := range []string{"baseline", "r1", "r1-minus-baseline"} {
		for y := range 11 {
			for _, m := range []string{"capacity", "orphans", "gps", "entries", "exits_retirement", "exits_other", "mean_net_income", "public_spending",
				"list_bin_0_500", "list_bin_501_800", "list_bin_801_1000", "list_bin_1001_1200", "list_bin_1201_1500", "list_bin_1501_1800", "list_bin_1801_plus"} {
				v := metricsAt[m](float64(y))
				spread := 0.01 * v * math.Sqrt(float64(y))
				switch sc {
				case "r1":
					v *= 1 + 0.01*float64(y)
				case "r1-minus-baseline":
					v *= 0.01 * float64(y)
					spread = math.Abs(v)/2 + float64(y)
				}
				add(sc, y, m, v, spread)
			}
		}
	}
	if err := results.WriteFileAtomic(filepath.Join(dir, "summary.csv"), func(w io.Writer) error { return results.WriteSummaryCSV(w, rows) }); err != nil {
		t.Fatal(err)
	}
	var dist []results.DistRow
	groups, _ := English.distGroups()
	for _, when := range []struct {
		mode string
		year int
	}{{"static", 1}, {"dynamic", 1}, {"dynamic", 5}, {"dynamic", 10}} {
		for gi, g := range groups {
			for _, st := range []string{"gps", "dropout_share", "mean_gross_change", "mean_net_change", "share_gain_5pct", "share_lose_5pct"} {
				v := 20000 - 3000*float64(gi)
				if strings.HasPrefix(st, "share") {
					v = 0.1 + 0.01*float64(gi)
				}
				s := results.SummaryRow{Mean: v, Q05: v - 2000, Q25: v - 1000, Q50: v, Q75: v + 1000, Q95: v + 2000}
				if strings.HasPrefix(st, "share") {
					s.Q05, s.Q95 = v, v
				}
				dist = append(dist, results.DistRow{Scenario: "r1-minus-baseline", Mode: when.mode, Year: when.year,
					GroupBy: g.by, Group: g.group, Statistic: st, Summary: s})
			}
		}
	}
	if err := results.WriteFileAtomic(filepath.Join(dir, "distribution.csv"), func(w io.Writer) error { return results.WriteDistributionCSV(w, dist) }); err != nil {
		t.Fatal(err)
	}
	m := results.Manifest{Tool: results.ToolName, Version: "test", GitDescribe: "abc123", Command: []string{"listetak", "run", "-scenario", "baseline,r1"},
		Seed: 7, World: "testland", Scenarios: []string{"baseline", "r1"}, Years: 10, Reps: 20, Workers: 2,
		Params:     map[string]any{"nok_index": 1.25, "values_2019_nok": map[string]any{"chi": 0.05, "salary": 1100000, "extra_hours": []any{300, 450}}},
		WorldNotes: []string{"a hand-made world"}, WallSeconds: 1.5}
	if err := results.WriteJSONAtomic(filepath.Join(dir, "manifest.json"), m); err != nil {
		t.Fatal(err)
	}
	if fit {
		text := results.FitHeader + "\nmean_list,,1097.5,1102.1,4.2,1\nexit_rate,women,0.052,0.049,0.003,2\n"
		if err := os.WriteFile(filepath.Join(dir, "fit.csv"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReportStructure builds the report of a two-scenario run in both
// languages and checks its sections, tables, embedded figures, number
// format and that it needs nothing outside the file.
func TestReportStructure(t *testing.T) {
	dir := t.TempDir()
	writeSyntheticRun(t, dir, true)
	run, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Scenarios) != 2 || len(run.Diffs) != 1 || run.Years != 10 {
		t.Fatalf("run: scenarios %v, diffs %v, years %d", run.Scenarios, run.Diffs, run.Years)
	}
	// Figures: 4 fans, 3 differences, 1 histogram, 2 x 3 distribution
	// panels and the calibration fit.
	const wantFigures = 4 + 3 + 1 + 6 + 1
	for _, l := range []Lang{English, Norwegian} {
		t.Run(string(l), func(t *testing.T) {
			rep, err := Build(run, Options{Lang: l}, "test")
			if err != nil {
				t.Fatal(err)
			}
			if n := len(rep.Figures()); n != wantFigures {
				t.Errorf("%d figures, want %d", n, wantFigures)
			}
			var buf bytes.Buffer
			if err := rep.WriteHTML(&buf); err != nil {
				t.Fatal(err)
			}
			h := buf.String()
			for _, id := range []string{"run", "summary", "capacity", "effects", "lists", "distribution", "calibration", "parameters"} {
				if !strings.Contains(h, `<section id="`+id+`">`) {
					t.Errorf("no section %q", id)
				}
			}
			if n := strings.Count(h, "<figure "); n != wantFigures {
				t.Errorf("%d <figure> elements, want %d", n, wantFigures)
			}
			if n := strings.Count(h, "<svg "); n != wantFigures {
				t.Errorf("%d inline <svg> figures, want %d", n, wantFigures)
			}
			if n := strings.Count(h, "<figcaption"); n != wantFigures {
				t.Errorf("%d captions, want %d", n, wantFigures)
			}
			// Tables: the run, 2 scenarios, 1 difference, 2 distribution
			// tables, the calibration fit and the parameters.
			if n := strings.Count(h, "<table"); n != 1+2+1+2+1+1 {
				t.Errorf("%d tables, want 8", n)
			}
			if strings.Count(h, "font-weight:normal;src:url(data:font/ttf;base64,") != 1 {
				t.Error("the figures' font is not embedded exactly once")
			}
			for _, bad := range []string{"<script", "<link", `src="http`, `href="http`, "url(http", "<img"} {
				if strings.Contains(h, bad) {
					t.Errorf("the page has an external resource or script: %q", bad)
				}
			}
			nbsp := "\u00a0"
			switch l {
			case English:
				for _, s := range []string{"5,648,721", "95.9", "Residents without a GP", "Figure 15:", "Table 6:", "r1 − baseline", "1,097.5"} {
					if !strings.Contains(h, s) {
						t.Errorf("English report lacks %q", s)
					}
				}
			case Norwegian:
				for _, s := range []string{"5" + nbsp + "648" + nbsp + "721", "95,9", "Innbyggere uten fastlege", "Figur 15:", "Tabell 6:",
					"1" + nbsp + "097,5", "\u2212", `lang="nb"`, "90" + nbsp + "%"} {
					if !strings.Contains(h, s) {
						t.Errorf("Norwegian report lacks %q", s)
					}
				}
				if m := regexp.MustCompile(`.{30}\d,\d{3},\d{3}.{10}`).FindString(stripSVG(h)); m != "" {
					t.Errorf("Norwegian report text has an English thousands separator: %q", m)
				}
			}
			// The summary paragraph speaks of the numbers.
			if len(rep.Summary) < 3 {
				t.Errorf("summary: %q", rep.Summary)
			}
		})
	}
}

// stripSVG removes inline SVG figures (their coordinates have commas)
// from a page.
func stripSVG(h string) string {
	return regexp.MustCompile(`(?s)<svg .*?</svg>|<style>.*?</style>`).ReplaceAllString(h, "")
}

// TestReportWrite writes the HTML and Markdown files and the Markdown
// figures.
func TestReportWrite(t *testing.T) {
	dir := t.TempDir()
	writeSyntheticRun(t, dir, false)
	run, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Build(run, Options{Lang: Norwegian, TableYears: []int{1, 5}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "rapport.html")
	md, figDir, err := rep.Write(out)
	if err != nil {
		t.Fatal(err)
	}
	if md != strings.TrimSuffix(out, ".html")+".md" || figDir != strings.TrimSuffix(out, ".html")+"_figures" {
		t.Errorf("paths %s, %s", md, figDir)
	}
	text, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	pngs, _ := filepath.Glob(filepath.Join(figDir, "*.png"))
	if len(pngs) != len(rep.Figures()) || len(pngs) == 0 {
		t.Errorf("%d PNG figures for %d figures", len(pngs), len(rep.Figures()))
	}
	for _, p := range pngs {
		ref := "](rapport_figures/" + filepath.Base(p) + ")"
		if !strings.Contains(string(text), ref) {
			t.Errorf("report.md does not show %s", ref)
		}
	}
	if !strings.Contains(string(text), "| år 1 | år 5 | år 10 |") {
		t.Error("report.md lacks the table years 1, 5 and the last year")
	}
}

// TestLoadErrors: a folder without results, or with a bad table, is an
// error naming the file and line.
func TestLoadErrors(t *testing.T) {
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "summary.csv") {
		t.Errorf("empty folder: %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "summary.csv"), []byte(results.SummaryHeader+"\nb,0,0,gps,1,0,1,1,one,1,1,4,0\n"), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "summary.csv:2") {
		t.Errorf("bad summary: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "summary.csv")); err == nil {
		t.Error("a file as run folder: no error")
	}
}

// TestFiguresOptions: explicit metrics and scenarios select figures; an
// unknown one is an error.
func TestFiguresOptions(t *testing.T) {
	dir := t.TempDir()
	writeSyntheticRun(t, dir, false)
	run, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := Figures(run, Options{Metrics: []string{"orphans"}})
	if err != nil || len(figs) != 2 || figs[0].Name != "fan_orphans" || figs[1].Name != "diff_orphans" {
		t.Fatalf("figures %v, %v", names(figs), err)
	}
	figs, err = Figures(run, Options{Scenarios: []string{"baseline"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if strings.HasPrefix(f.Name, "diff_") || strings.HasPrefix(f.Name, "dist_") {
			t.Errorf("baseline only: figure %s", f.Name)
		}
	}
	if _, err := Figures(run, Options{Metrics: []string{"nonsense"}}); err == nil {
		t.Error("unknown metric: no error")
	}
	if _, err := Figures(run, Options{Scenarios: []string{"r9"}}); err == nil {
		t.Error("unknown scenario: no error")
	}
}

func names(figs []Figure) []string {
	var out []string
	for _, f := range figs {
		out = append(out, f.Name)
	}
	return out
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"en": English, "NB": Norwegian, "no": Norwegian} {
		if got, err := ParseLang(in); err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseLang("de"); err == nil {
		t.Error("ParseLang(de): no error")
	}
}

func ExampleLang_Numbers() {
	fmt.Printf("%q\n", Norwegian.Numbers().Format(1097.5, 1))
	fmt.Printf("%q\n", English.Numbers().Signed(-2500, 0))
	// Output:
	// "1\u00a0097,5"
	// "−2,500"
}

func TestPercentSpace(t *testing.T) {
	for in, want := range map[string]string{
		"90 % band":    "90\u00a0% band",
		"(90 %% band)": "(90\u00a0%% band)",
		"I %s går":     "I %s går",
		"lose > 5 %":   "lose > 5\u00a0%",
		"share (5 %).": "share (5\u00a0%).",
	} {
		if got := percentSpace.ReplaceAllString(in, "\u00a0$1"); got != want {
			t.Errorf("%q -> %q, want %q", in, got, want)
		}
	}
}
