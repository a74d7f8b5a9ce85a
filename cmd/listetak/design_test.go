package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A Morris design runs every design point, writes design_points.csv and
// the Morris indices, and tags every output row with its design point.
func TestDesignRun(t *testing.T) {
	dir := t.TempDir()
	world, err := filepath.Abs("testdata/world")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "m.yaml")
	text := `world: ` + world + `
years: 3
replications: 4
seed: 5
scenarios: [baseline, 1aix]
design:
  kind: morris
  n: 3
  factors:
    - {name: eta, min: 0.1, max: 0.5}
    - {name: chi, min: 0.02, max: 0.08}
sensitivity:
  metrics: [capacity]
  years: [3]
`
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if _, _, err := runCLI(t, "run", file, "-out", out); err != nil {
		t.Fatal(err)
	}
	dp := readFile(t, filepath.Join(out, "design_points.csv"))
	if lines := strings.Count(dp, "\n"); lines != 1+9 { // 3 trajectories x (2 factors + 1)
		t.Errorf("design_points.csv has %d lines, want 10:\n%s", lines, dp)
	}
	if !strings.HasPrefix(dp, "design_point,eta,chi\n") {
		t.Errorf("design_points.csv header: %q", dp[:30])
	}
	sens := readFile(t, filepath.Join(out, "sensitivity.csv"))
	for _, s := range []string{"baseline,capacity,3,eta,mu_star,", "1aix,capacity,3,chi,sigma,"} {
		if !strings.Contains(sens, s) {
			t.Errorf("sensitivity.csv lacks %q:\n%s", s, sens)
		}
	}
	sum := readFile(t, filepath.Join(out, "summary.csv"))
	if !strings.Contains(sum, "\nbaseline,8,3,capacity,") || !strings.Contains(sum, "\n1aix-minus-baseline,8,3,capacity,") {
		t.Error("summary.csv lacks rows of design point 8")
	}
	out, _, err = runCLI(t, "check", file)
	if err != nil || !strings.Contains(out, "runs         72") {
		t.Errorf("check: %v\n%s", err, out)
	}
}
