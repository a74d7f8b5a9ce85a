package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestScenariosGolden(t *testing.T) {
	out, _, err := runCLI(t, "scenarios")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "scenarios.golden", out)
}

// Several scenarios: paired difference rows in summary.csv and a
// distribution table; an unknown scenario is an error and writes nothing.
func TestRunScenarios(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	out, _, err := runCLI(t, "run", "-world", "testdata/world", "-scenario", "baseline,1aix,1aiiy", "-reps", "6", "-years", "6", "-out", dir)
	if err != nil {
		t.Fatal(err)
	}
	sum := readFile(t, filepath.Join(dir, "summary.csv"))
	for _, s := range []string{"\n1aix,0,1,capacity,", "\n1aix-minus-baseline,0,1,capacity,", "\n1aiiy-minus-baseline,0,6,orphans,"} {
		if !strings.Contains(sum, s) {
			t.Errorf("summary.csv lacks %q", s)
		}
	}
	dist := readFile(t, filepath.Join(dir, "distribution.csv"))
	for _, s := range []string{"scenario,design_point,mode,year,group_by,group,statistic,", "1aix-minus-baseline,0,static,1,list_bin,0_500,mean_net_change,", "1aiiy-minus-baseline,0,dynamic,5,sex,F,share_lose_5pct,"} {
		if !strings.Contains(dist, s) {
			t.Errorf("distribution.csv lacks %q", s)
		}
	}
	if !strings.Contains(out, "1aiiy: fees scaled by") {
		t.Errorf("the run does not say that fees were scaled:\n%s", out)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-scenario", "baseline,1zz", "-out", bad); err == nil || !strings.Contains(err.Error(), "1zz") {
		t.Fatalf("unknown scenario: %v", err)
	}
}
