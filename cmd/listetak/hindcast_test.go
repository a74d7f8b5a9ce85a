package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"listetak/results"
)

// TestHindcastCmd runs the shipped hindcast with two replications and
// checks its files: hindcast.csv with both embedded fits, the report
// with a figure per series, and the out-of-sample rows of the fit on the
// targets up to 2018.
func TestHindcastCmd(t *testing.T) {
	if testing.Short() {
		t.Skip("national runs")
	}
	out := filepath.Join(t.TempDir(), "h")
	stdout, _, err := runCLI(t, "hindcast", "-out", out, "-reps", "2", "-workers", "2")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := results.ReadHindcastCSV(filepath.Join(out, "hindcast.csv"))
	if err != nil {
		t.Fatal(err)
	}
	fits := map[string]bool{}
	var outOfSample int
	for _, r := range rows {
		fits[r.Fit] = true
		if r.Sample == "out" {
			outOfSample++
			if r.Fit != "estimated-2026-to2018" || r.Year != 2019 {
				t.Errorf("out-of-sample row %s %s %d", r.Fit, r.Moment, r.Year)
			}
		}
	}
	if !fits["estimated-2026"] || !fits["estimated-2026-to2018"] || outOfSample == 0 {
		t.Errorf("fits %v, %d out-of-sample rows", fits, outOfSample)
	}
	for _, f := range []string{"manifest.json", "report.html", "report.md", "report_figures/hindcast_n_gps.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(stdout, "listed_inhabitants_without_gp") {
		t.Errorf("stdout lacks the target table:\n%s", stdout)
	}
	// Bad flags write nothing.
	bad := filepath.Join(t.TempDir(), "bad")
	if _, _, err := runCLI(t, "hindcast", "-out", bad, "-reps", "1"); err == nil || !strings.Contains(err.Error(), "-reps") {
		t.Errorf("-reps 1: %v", err)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("-reps 1 wrote %s", bad)
	}
}
