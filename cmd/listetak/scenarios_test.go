package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"listetak/finance"
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

// scenarios -world prints every built-in resolved on the world: rates,
// fee scale, share and budget, and the scenarios the world cannot run.
func TestScenariosWorldGolden(t *testing.T) {
	out, _, err := runCLI(t, "scenarios", "-world", "norway-2011")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"1aiiy+g500", "replay-2020: not available on this world", "fee scale", "cap share"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	golden(t, "scenarios-norway-2011.golden", out)
}

// The manifest records every phase's factors: breakpoint-2020 on a world
// in 2019 money (testdata/world, index 1) divides each year's rates by its
// year's money index; with -rebase=false every factor is 1.
func TestRunManifestPhaseFactors(t *testing.T) {
	for _, rebase := range []bool{true, false} {
		dir := filepath.Join(t.TempDir(), "out")
		if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-scenario", "baseline,breakpoint-2020", "-reps", "1", "-years", "3",
			"-rebase="+strconv.FormatBool(rebase), "-out", dir, "-progress", "never"); err != nil {
			t.Fatal(err)
		}
		var man struct {
			Extra struct {
				Scenarios []struct {
					Name   string
					Phases []struct {
						MoneyYear int     `json:"money_year"`
						Factor    float64 `json:"factor"`
					}
				}
			} `json:"extra"`
		}
		if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "manifest.json"))), &man); err != nil {
			t.Fatal(err)
		}
		sc := man.Extra.Scenarios
		if len(sc) != 2 || sc[1].Name != "breakpoint-2020" || len(sc[1].Phases) != 3 {
			t.Fatalf("manifest scenarios %+v", sc)
		}
		for i, p := range sc[1].Phases {
			want := 1.0
			if rebase {
				idx, _ := finance.MoneyIndex(2020 + i)
				want = 1 / idx
			}
			if p.MoneyYear != 2020+i || math.Abs(p.Factor-want) > 1e-12 {
				t.Errorf("rebase %v, phase %d: money year %d, factor %v, want %v", rebase, i, p.MoneyYear, p.Factor, want)
			}
		}
	}
}

// A world folder whose world.yaml says baseline: riskadj-2023 runs when it
// has its list composition (norway-2025 exported), and without
// composition.csv fails saying so.
func TestRunRiskAdjBaselineWithComposition(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "w")
	if _, _, err := runCLI(t, "world", "-export", "norway-2025", dir); err != nil {
		t.Fatal(err)
	}
	meta := filepath.Join(dir, "world.yaml")
	var kept []string
	skip := false
	for _, l := range strings.Split(readFile(t, meta), "\n") {
		switch {
		case strings.HasPrefix(l, "baseline:"):
			kept, skip = append(kept, "baseline: riskadj-2023"), true
		case skip && strings.HasPrefix(l, " "):
		default:
			skip = false
			kept = append(kept, l)
		}
	}
	if err := os.WriteFile(meta, []byte(strings.Join(kept, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "run", "-world", dir, "-years", "1", "-reps", "1", "-out", filepath.Join(t.TempDir(), "r"), "-progress", "never")
	if err != nil || !strings.Contains(out, "wrote") {
		t.Fatalf("with composition: %v\n%s", err, out)
	}
	if err := os.Remove(filepath.Join(dir, "composition.csv")); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCLI(t, "run", "-world", dir, "-years", "1", "-reps", "1", "-out", filepath.Join(t.TempDir(), "r"), "-progress", "never")
	if err == nil || !strings.Contains(err.Error(), "no list composition (composition.csv)") {
		t.Errorf("without composition: %v", err)
	}
}
