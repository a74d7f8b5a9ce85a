package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunRefusesBeforeWriting checks that runs refused for their size, or
// for a world whose growth is a unit error, fail with a clear message and
// leave no output folder.
func TestRunRefusesBeforeWriting(t *testing.T) {
	tmp := t.TempDir()
	for _, reps := range []string{"2000000000000", "100000000"} {
		out := filepath.Join(tmp, "r"+reps)
		_, _, err := runCLI(t, "run", "-reps", reps, "-out", out, "-progress", "never")
		if err == nil || !strings.Contains(err.Error(), "shard the experiment") {
			t.Errorf("-reps %s: %v", reps, err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("-reps %s left %s", reps, out)
		}
	}
	wdir := export2011(t, tmp)
	munis := filepath.Join(wdir, "municipalities.csv")
	data, err := os.ReadFile(munis)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(data), "\n", 3)
	cols := strings.Split(lines[0], ",")
	cells := strings.Split(lines[1], ",")
	for i, c := range cols {
		if c == "growth" {
			cells[i] = "5"
		}
	}
	if !strings.Contains(lines[0], "growth") {
		cols, cells = append(cols, "growth"), append(cells, "5")
	}
	os.WriteFile(munis, []byte(strings.Join(cols, ",")+"\n"+strings.Join(cells, ",")+"\n"+lines[2]), 0o644)
	out := filepath.Join(tmp, "g")
	_, _, err = runCLI(t, "run", "-world", wdir, "-reps", "2", "-out", out, "-progress", "never")
	if err == nil || !strings.Contains(err.Error(), `municipalities.csv:2: column "growth": growth 5 is not a yearly rate`) {
		t.Errorf("growth 5: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("growth 5 left %s", out)
	}
}

// TestRunWarnsUnknownColumn checks that a misspelt optional column is
// warned about on stderr with the column it likely meant.
func TestRunWarnsUnknownColumn(t *testing.T) {
	tmp := t.TempDir()
	wdir := export2011(t, tmp)
	addColumn(t, filepath.Join(wdir, "municipalities.csv"), "growht", "0.01")
	_, stderr, err := runCLI(t, "run", "-world", wdir, "-years", "1", "-reps", "1", "-out", filepath.Join(tmp, "r"), "-progress", "never")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, `warning: `) || !strings.Contains(stderr, `column "growht" is unknown and was ignored (did you mean "growth"?)`) {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// TestGitDescribeOtherRepository checks that run from inside another git
// repository, the recorded revision is not that repository's.
func TestGitDescribeOtherRepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	own := gitDescribe()
	dir := t.TempDir()
	for _, args := range [][]string{{"init", "-q"}, {"-c", "user.email=a@b", "-c", "user.name=a", "commit", "-q", "--allow-empty", "-m", "other"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("git %v: %v %s", args, err, out)
		}
	}
	cmd := exec.Command("git", "rev-parse", "--short", "HEAD")
	cmd.Dir = dir
	other, _ := cmd.Output()
	t.Chdir(dir)
	got := gitDescribe()
	if o := strings.TrimSpace(string(other)); o != "" && strings.Contains(got, o) {
		t.Errorf("gitDescribe in another repository = %q, that repository's %s", got, o)
	}
	if got != "unknown" && got != own {
		t.Errorf("gitDescribe in another repository = %q, want listetak's %q or unknown", got, own)
	}
}

// addColumn appends a column named name with value in every row to the
// CSV file path.
func addColumn(t *testing.T, path, name, value string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	lines[0] += "," + name
	for i := 1; i < len(lines); i++ {
		lines[i] += "," + value
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRunNamedBaseline checks that a world folder whose world.yaml names
// its baseline scheme (baseline: baseline-2019) runs, and that
// riskadj-2023 on a world without list composition (norway-2011) fails
// saying so.
func TestRunNamedBaseline(t *testing.T) {
	for _, c := range []struct{ name, err string }{{"baseline-2019", ""}, {"riskadj-2023", "no list composition"}} {
		namedBaselineRun(t, c.name, c.err)
	}
}

// namedBaselineRun runs norway-2011 exported with baseline: name and
// checks the error contains wantErr ("" for none).
func namedBaselineRun(t *testing.T, name, wantErr string) {
	tmp := t.TempDir()
	wdir := export2011(t, tmp)
	meta := filepath.Join(wdir, "world.yaml")
	data, err := os.ReadFile(meta)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	skip := false
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "baseline:") {
			kept, skip = append(kept, "baseline: "+name), true
			continue
		}
		if skip && strings.HasPrefix(l, " ") {
			continue
		}
		skip = false
		kept = append(kept, l)
	}
	os.WriteFile(meta, []byte(strings.Join(kept, "\n")), 0o644)
	stdout, _, err := runCLI(t, "run", "-world", wdir, "-years", "1", "-reps", "1", "-out", filepath.Join(tmp, "r"), "-progress", "never")
	switch {
	case wantErr == "" && err != nil:
		t.Errorf("baseline %s: %v", name, err)
	case wantErr == "" && !strings.Contains(stdout, "wrote"):
		t.Errorf("baseline %s: stdout:\n%s", name, stdout)
	case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
		t.Errorf("baseline %s: %v, want %q", name, err, wantErr)
	}
}

// export2011 exports norway-2011 into dir/w and returns the folder.
func export2011(t *testing.T, dir string) string {
	t.Helper()
	wdir := filepath.Join(dir, "w")
	if _, _, err := runCLI(t, "world", "-export", "norway-2011", wdir); err != nil {
		t.Fatal(err)
	}
	return wdir
}
