package results

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSummaryRoundTrip(t *testing.T) {
	rows := []SummaryRow{
		{Scenario: "baseline", Year: 0, Metric: "gps", Mean: 5763, Q05: 5763, Q25: 5763, Q50: 5763, Q75: 5763, Q95: 5763},
		{Scenario: "reform, B", DesignPoint: 3, Year: 1, Metric: "orphans", Mean: 1.5, SD: 0.25, Q05: 1, Q25: 1.2, Q50: 1.5, Q75: 1.7, Q95: math.NaN()},
	}
	var buf bytes.Buffer
	if err := WriteSummaryCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	got, err := ParseSummaryCSV(&buf, "summary.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Scenario != "reform, B" || got[1].DesignPoint != 3 || got[1].SD != 0.25 || !math.IsNaN(got[1].Q95) || got[0] != rows[0] {
		t.Errorf("read back %+v", got)
	}
}

func TestDistributionAndSensitivityRoundTrip(t *testing.T) {
	d := []DistRow{{Scenario: "r-minus-b", Mode: "dynamic", Year: 5, GroupBy: "sex", Group: "F", Statistic: "mean_net_change",
		Summary: SummaryRow{Mean: -100, Q05: -300, Q25: -200, Q50: -100, Q75: 0, Q95: 100}}}
	var buf bytes.Buffer
	if err := WriteDistributionCSV(&buf, d); err != nil {
		t.Fatal(err)
	}
	gd, err := ParseDistributionCSV(&buf, "distribution.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(gd) != 1 || gd[0].Group != "F" || gd[0].Year != 5 || gd[0].Summary.Q05 != -300 || gd[0].Summary.Metric != "mean_net_change" {
		t.Errorf("distribution read back %+v", gd)
	}
	s := []SensitivityRow{{Scenario: "baseline", Metric: "capacity", Year: 10, Factor: "eta", Index: "ST", Estimate: 0.4, Low: 0.3, High: math.NaN()}}
	buf.Reset()
	if err := WriteSensitivityCSV(&buf, s); err != nil {
		t.Fatal(err)
	}
	gs, err := ParseSensitivityCSV(&buf, "sensitivity.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].Factor != "eta" || gs[0].Estimate != 0.4 || !math.IsNaN(gs[0].High) {
		t.Errorf("sensitivity read back %+v", gs)
	}
}

// TestReadErrors: bad input names the file, the line and the column.
func TestReadErrors(t *testing.T) {
	for _, c := range []struct {
		name, text string
		parse      func(string) error
		want       []string
	}{
		{"summary.csv", "scenario,year\n", func(s string) error { _, err := ParseSummaryCSV(strings.NewReader(s), "summary.csv"); return err },
			[]string{"summary.csv:1", "header"}},
		{"summary.csv", SummaryHeader + "\nb,0,0,gps,1,0,1,1,1,1,1,4,0\nb,0,1,gps,1,0,1,x,1,1,1,4,0\n",
			func(s string) error { _, err := ParseSummaryCSV(strings.NewReader(s), "summary.csv"); return err },
			[]string{"summary.csv:3", "q25", `"x"`}},
		{"summary.csv", SummaryHeader + "\nb,0,1.5,gps,1,0,1,1,1,1,1,4,0\n",
			func(s string) error { _, err := ParseSummaryCSV(strings.NewReader(s), "summary.csv"); return err },
			[]string{"summary.csv:2", "year"}},
		{"summary.csv", SummaryHeader + "\nb,0,1,gps,1,0,1,1,1\n",
			func(s string) error { _, err := ParseSummaryCSV(strings.NewReader(s), "summary.csv"); return err },
			[]string{"summary.csv:2:", "row has 9 fields, the header has 13"}},
		{"distribution.csv", DistHeader + "\nr,0,later,1,all,all,gps,1,0,1,1,1,1,1\n",
			func(s string) error {
				_, err := ParseDistributionCSV(strings.NewReader(s), "distribution.csv")
				return err
			},
			[]string{"distribution.csv:2", "mode", "later"}},
		{"sensitivity.csv", SensitivityHeader + "\nb,capacity,5,eta,S1,abc,0,1\n",
			func(s string) error {
				_, err := ParseSensitivityCSV(strings.NewReader(s), "sensitivity.csv")
				return err
			},
			[]string{"sensitivity.csv:2", "estimate"}},
		{"fit.csv", "moment,observed,simulated,se,weight\n",
			func(s string) error { _, err := ParseFitCSV(strings.NewReader(s), "fit.csv"); return err },
			[]string{"fit.csv:1", `"group"`}},
		{"fit.csv", FitHeader + "\nmean_list,,950,960,-1,1\n",
			func(s string) error { _, err := ParseFitCSV(strings.NewReader(s), "fit.csv"); return err },
			[]string{"fit.csv:2", "se"}},
		{"fit.csv", "",
			func(s string) error { _, err := ParseFitCSV(strings.NewReader(s), "fit.csv"); return err },
			[]string{"fit.csv", "empty"}},
	} {
		err := c.parse(c.text)
		if err == nil {
			t.Errorf("%s %q: no error", c.name, c.text)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not name %q", err, w)
			}
		}
	}
}

func TestParseFitCSV(t *testing.T) {
	// Columns in another order, an extra column and a byte-order mark.
	text := "\ufeffgroup,moment,simulated,observed,weight,se,note\n,mean_list,960,950,1,12,x\nurban,exit_rate,0.031,0.03,2,0.002,\n"
	rows, err := ParseFitCSV(strings.NewReader(text), "fit.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []FitRow{{"mean_list", "", 950, 960, 12, 1, false}, {"exit_rate", "urban", 0.03, 0.031, 0.002, 2, false}}
	if len(rows) != 2 || rows[0] != want[0] || rows[1] != want[1] {
		t.Errorf("rows = %+v, want %+v", rows, want)
	}
	// A suppressed small cell (calibrate writes its name, no values).
	rows, err = ParseFitCSV(strings.NewReader("moment,group,observed,simulated,se,weight\nincome_mean,x,,,,0\n"), "fit.csv")
	if err != nil || len(rows) != 1 || !rows[0].Suppressed || !math.IsNaN(rows[0].Observed) {
		t.Errorf("suppressed row: %+v, %v", rows, err)
	}
	if _, err := ParseFitCSV(strings.NewReader("moment,group,observed,simulated,se,weight\nm,,,1,1,0\n"), "fit.csv"); err == nil {
		t.Error("a row with only the observed value missing was accepted")
	}
}

func TestReadFilesAndManifest(t *testing.T) {
	dir := t.TempDir()
	m := Manifest{Tool: ToolName, Version: "v", Seed: 7, World: "w", Scenarios: []string{"a", "b"}, Years: 5, Reps: 3}
	if err := WriteJSONAtomic(filepath.Join(dir, "manifest.json"), m); err != nil {
		t.Fatal(err)
	}
	got, err := ReadManifest(filepath.Join(dir, "manifest.json"))
	if err != nil || got.Seed != 7 || got.Reps != 3 || len(got.Scenarios) != 2 {
		t.Fatalf("manifest %+v, %v", got, err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"seed\": 1,\n  oops\n}\n"), 0o644)
	if _, err := ReadManifest(bad); err == nil || !strings.Contains(err.Error(), "bad.json:3") {
		t.Errorf("bad manifest: %v", err)
	}
	if _, err := ReadSummaryCSV(filepath.Join(dir, "none.csv")); err == nil || !strings.Contains(err.Error(), "none.csv") {
		t.Errorf("missing file: %v", err)
	}
	dp := filepath.Join(dir, "design_points.csv")
	os.WriteFile(dp, []byte("design_point,eta,chi\n0,0.1,0.02\n1,0.5,0.04\n"), 0o644)
	f, p, err := ReadDesignPointsCSV(dp)
	if err != nil || len(f) != 2 || f[1] != "chi" || len(p) != 2 || p[1][0] != 0.5 {
		t.Errorf("design points %v %v %v", f, p, err)
	}
}
