package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"listetak/study"
)

// TestResumeFromFlags checks that a run from flags resumes: with two of
// its units removed, run -resume with the same flags recomputes them and
// writes summary.csv and municipalities.parquet byte for byte as before;
// other flags, or a folder without flags.json, are refused naming why.
func TestResumeFromFlags(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"run", "-world", "testdata/world", "-scenario", "baseline,1aix", "-reps", "4", "-years", "3", "-progress", "never", "-out", dir}
	if _, _, err := runCLI(t, args...); err != nil {
		t.Fatal(err)
	}
	files := []string{"summary.csv", "municipalities.parquet", "replications.csv"}
	before := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		before[f] = b
		os.Remove(filepath.Join(dir, f))
	}
	for _, rep := range []int{1, 3} {
		if err := os.Remove(study.DirStore(dir).UnitPath(0, rep)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := runCLI(t, append(args, "-resume")...); err != nil {
		t.Fatalf("resume: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, before[f]) {
			t.Errorf("%s after the resume differs from the single run", f)
		}
	}
	for _, c := range []struct {
		extra []string
		want  string
	}{
		{[]string{"-seed", "2"}, "seed differ"},
		{[]string{"-scenario", "baseline"}, "scenarios differ"},
		{[]string{"-municipal=false"}, "municipal differ"},
	} {
		a := append(append([]string{}, args...), "-resume")
		a = append(a, c.extra...)
		if _, _, err := runCLI(t, a...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("resume with %v: %v, want %q", c.extra, err, c.want)
		}
	}
	empty := t.TempDir()
	if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-reps", "2", "-years", "2", "-out", empty, "-resume"); err == nil || !strings.Contains(err.Error(), "no flags.json") {
		t.Errorf("resume of a folder without flags.json: %v", err)
	}
}

// An interrupted run from flags keeps its units and says how to resume;
// the resume with the same flags completes byte-identical to an
// uninterrupted run.
func TestResumeFromFlagsAfterInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	out := filepath.Join(dir, "out")
	flags := []string{"run", "-world", "norway-2011", "-years", "20", "-reps", "200", "-seed", "7", "-municipal=false", "-progress", "never"}
	stderr := interruptRun(t, bin, out, append(flags, "-out", out, "-workers", "2")...)
	if want := "-out " + out + " -resume"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if _, _, err := runCLI(t, append(flags, "-out", out, "-resume")...); err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "single")
	if _, _, err := runCLI(t, append(flags, "-out", single)...); err != nil {
		t.Fatal(err)
	}
	if readFile(t, filepath.Join(out, "summary.csv")) != readFile(t, filepath.Join(single, "summary.csv")) {
		t.Error("summary.csv: the resumed run differs from an uninterrupted one")
	}
}
