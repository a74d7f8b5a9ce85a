package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An experiment file runs like the equivalent flags, check validates it, and
// flags that the file sets are refused.
func TestExperimentFile(t *testing.T) {
	dir := t.TempDir()
	world, err := filepath.Abs("testdata/world")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "e.yaml")
	text := "name: e\nworld: " + world + "\nyears: 4\nreplications: 5\nseed: 3\nscenarios: [baseline, 1aix]\nparams: {chi: 0.04}\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "check", file)
	if err != nil || !strings.Contains(out, "valid") || !strings.Contains(out, "runs         10") {
		t.Fatalf("check: %v\n%s", err, out)
	}
	pf := filepath.Join(dir, "p.yaml")
	if err := os.WriteFile(pf, []byte("chi: 0.04\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if _, _, err := runCLI(t, "run", file, "-out", a); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "run", "-world", world, "-years", "4", "-reps", "5", "-seed", "3", "-scenario", "baseline,1aix", "-params", pf, "-out", b); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"replications.csv", "summary.csv", "distribution.csv"} {
		if readFile(t, filepath.Join(a, f)) != readFile(t, filepath.Join(b, f)) {
			t.Errorf("%s: the experiment file and the flags give different results", f)
		}
	}
	if !strings.Contains(readFile(t, filepath.Join(a, "manifest.json")), `"experiment": {`) {
		t.Error("manifest.json does not store the resolved experiment")
	}
	if _, _, err := runCLI(t, "run", file, "-reps", "9", "-out", filepath.Join(dir, "c")); err == nil || !strings.Contains(err.Error(), "-reps") {
		t.Fatalf("flag clash: %v", err)
	}
}

// Parameter uncertainty: parameters.csv records the draws, and the results
// are the same bytes for any number of workers.
func TestUncertaintyRun(t *testing.T) {
	dir := t.TempDir()
	world, err := filepath.Abs("testdata/world")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "u.yaml")
	text := "world: " + world + "\nyears: 4\nreplications: 6\nscenarios: [baseline, 1aix]\nuncertainty:\n  eta: {dist: uniform, min: 0.1, max: 0.5}\n  chi: {dist: normal, mean: 0.05, sd: 0.01}\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if _, _, err := runCLI(t, "run", file, "-out", a, "-workers", "1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "run", file, "-out", b, "-workers", "3"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"replications.csv", "summary.csv", "distribution.csv", "parameters.csv"} {
		if readFile(t, filepath.Join(a, f)) != readFile(t, filepath.Join(b, f)) {
			t.Errorf("%s differs between 1 and 3 workers", f)
		}
	}
	pc := readFile(t, filepath.Join(a, "parameters.csv"))
	if !strings.HasPrefix(pc, "design_point,replication,parameter,value\n0,0,eta,") || strings.Count(pc, "\n") != 1+6*2 {
		t.Errorf("parameters.csv:\n%s", pc)
	}
}
