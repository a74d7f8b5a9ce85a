package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Shards merged give the same files as one process, and a run resumed after
// an interruption (here: only one shard's units present) completes with
// identical results.
func TestShardMergeResume(t *testing.T) {
	dir := t.TempDir()
	world, err := filepath.Abs("testdata/world")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "s.yaml")
	text := "world: " + world + "\nyears: 5\nreplications: 7\nseed: 9\nscenarios: [baseline, 1aix]\n" +
		"design: {kind: lhs, n: 2, factors: [{name: eta, min: 0.1, max: 0.5}]}\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "single")
	if _, _, err := runCLI(t, "run", file, "-out", single, "-workers", "2"); err != nil {
		t.Fatal(err)
	}
	sharded := filepath.Join(dir, "sharded")
	for i := range 3 {
		if _, _, err := runCLI(t, "run", file, "-out", sharded, "-shard", []string{"0/3", "1/3", "2/3"}[i]); err != nil {
			t.Fatal(err)
		}
	}
	// merge before every shard is done fails; after, it matches.
	partial := filepath.Join(dir, "partial")
	if _, _, err := runCLI(t, "run", file, "-out", partial, "-shard", "1/2"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "merge", partial); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("merge of an incomplete run: %v", err)
	}
	if _, _, err := runCLI(t, "merge", sharded); err != nil {
		t.Fatal(err)
	}
	if m := readFile(t, filepath.Join(sharded, "manifest.json")); !strings.Contains(m, "\"listetak\",\n    \"merge\",\n    \""+sharded+"\"") {
		t.Errorf("the merged manifest does not record listetak merge %s", sharded)
	}
	// Resume the incomplete one: it runs the other shard's units.
	if _, _, err := runCLI(t, "run", file, "-out", partial, "-resume"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"replications.csv", "summary.csv", "distribution.csv", "design_points.csv", "counties.csv", "groups.csv", "municipalities.parquet"} {
		want := readFile(t, filepath.Join(single, f))
		if got := readFile(t, filepath.Join(sharded, f)); got != want {
			t.Errorf("%s: shards + merge differ from a single run", f)
		}
		if got := readFile(t, filepath.Join(partial, f)); got != want {
			t.Errorf("%s: the resumed run differs from a single run", f)
		}
	}
	// A shard with other per-area settings may not add to the folder.
	if _, _, err := runCLI(t, "run", file, "-out", sharded, "-shard", "0/3", "-municipal=false"); err == nil || !strings.Contains(err.Error(), "-municipal=true") {
		t.Errorf("a shard with -municipal=false joined a -municipal=true folder: %v", err)
	}
	// Another experiment may not write into the same folder.
	other := filepath.Join(dir, "o.yaml")
	if err := os.WriteFile(other, []byte(strings.Replace(text, "seed: 9", "seed: 10", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "run", other, "-out", sharded, "-shard", "0/2"); err == nil {
		t.Fatal("a second experiment wrote into the first one's folder")
	}
}

// A run killed part-way (SIGKILL, no chance to clean up) resumes and
// completes with the results of an uninterrupted run.
func TestResumeAfterKill(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	// Enough work that the kill lands mid-run: 400 replications x 2 scenarios.
	file := writeExperiment(t, dir, "k.yaml", "years: 20\nreplications: 400\nseed: 6\nscenarios: [baseline, 1aix]\n")
	out := filepath.Join(dir, "out")
	cmd := exec.Command(bin, "run", file, "-out", out, "-workers", "2", "-progress", "never")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForUnits(out, 20) // kill once some units are on disk
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	units, _ := filepath.Glob(filepath.Join(out, "units", "dp-0000", "*.parquet"))
	if _, err := os.Stat(filepath.Join(out, "summary.csv")); err == nil || len(units) == 0 || len(units) >= 400 {
		t.Skipf("the kill did not land mid-run (%d units); nothing to resume", len(units))
	}
	if _, _, err := runCLI(t, "run", file, "-out", out, "-resume"); err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "single")
	if _, _, err := runCLI(t, "run", file, "-out", single); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"replications.csv", "summary.csv", "distribution.csv"} {
		if readFile(t, filepath.Join(out, f)) != readFile(t, filepath.Join(single, f)) {
			t.Errorf("%s: the resumed run differs from an uninterrupted one", f)
		}
	}
}

// A run resumed, or merged, after its world's files changed is refused
// naming the world, and adds no unit.
func TestResumeRefusesChangedWorld(t *testing.T) {
	dir := t.TempDir()
	wdir := filepath.Join(dir, "w")
	if err := os.CopyFS(wdir, os.DirFS("testdata/world")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "e.yaml")
	os.WriteFile(file, []byte("world: "+wdir+"\nyears: 3\nreplications: 4\nseed: 2\n"), 0o644)
	out := filepath.Join(dir, "out")
	if _, _, err := runCLI(t, "run", file, "-out", out, "-shard", "0/2"); err != nil {
		t.Fatal(err)
	}
	units, _ := filepath.Glob(filepath.Join(out, "units", "*", "*.parquet"))
	addColumn(t, filepath.Join(wdir, "municipalities.csv"), "growth", "0.02")
	for _, args := range [][]string{{"run", file, "-out", out, "-resume"}, {"merge", out}} {
		_, _, err := runCLI(t, args...)
		if err == nil || !strings.Contains(err.Error(), "other inputs: world changed") {
			t.Errorf("%v: %v", args, err)
		}
	}
	if after, _ := filepath.Glob(filepath.Join(out, "units", "*", "*.parquet")); len(after) != len(units) {
		t.Errorf("%d units before, %d after the refused resume", len(units), len(after))
	}
}

// An interrupt (Ctrl-C) stops a run with the command that resumes it;
// temporary files a killed write left are removed by the resume, which
// completes byte-identical to an uninterrupted run.
func TestResumeAfterInterrupt(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	file := writeExperiment(t, dir, "i.yaml", "years: 20\nreplications: 400\nseed: 7\n")
	out := filepath.Join(dir, "out")
	stderr := interruptRun(t, bin, out, "run", file, "-out", out, "-workers", "2", "-progress", "never")
	if want := "listetak run " + file + " -out " + out + " -resume"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	stale := filepath.Join(out, ".replications.csv.tmp-12345")
	os.WriteFile(stale, []byte("half"), 0o644)
	if _, _, err := runCLI(t, "run", file, "-out", out, "-resume"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("the resume left a killed write's temporary file")
	}
	single := filepath.Join(dir, "single")
	if _, _, err := runCLI(t, "run", file, "-out", single); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"replications.csv", "summary.csv"} {
		if readFile(t, filepath.Join(out, f)) != readFile(t, filepath.Join(single, f)) {
			t.Errorf("%s: the resumed run differs from an uninterrupted one", f)
		}
	}
}

// interruptRun starts bin with args, interrupts it (SIGINT) once 20 units
// of design point 0 are in out and returns its standard error; it skips
// the test when the run finished first.
func interruptRun(t *testing.T, bin, out string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitForUnits(out, 20)
	_ = cmd.Process.Signal(os.Interrupt)
	_ = cmd.Wait()
	if _, err := os.Stat(filepath.Join(out, "summary.csv")); err == nil {
		t.Skip("the run finished before the interrupt")
	}
	return stderr.String()
}

// waitForUnits waits until out holds n unit files of design point 0, or 20
// seconds have passed.
func waitForUnits(out string, n int) {
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if units, _ := filepath.Glob(filepath.Join(out, "units", "dp-0000", "*.parquet")); len(units) >= n {
			return
		}
	}
}
