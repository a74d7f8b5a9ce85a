package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The sbatch scripts, run as Slurm would run them (each array task with its
// SLURM_ARRAY_TASK_ID, then the merge job), give the results of a single
// process. The binary is built from this package.
func TestSlurmScripts(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	file := writeExperiment(t, dir, "e.yaml", "years: 4\nreplications: 9\nseed: 2\nscenarios: [baseline, 1aix]\n")
	out := filepath.Join(dir, "res")
	stdout, _, err := runCLI(t, "slurm", file, "-shards", "4", "-out", out, "-binary", bin, "-partition", "normal", "-account", "nn1234k")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "sbatch --dependency=afterok:") {
		t.Errorf("no submit command:\n%s", stdout)
	}
	array := readFile(t, filepath.Join(out, "slurm", "array.sbatch"))
	for _, s := range []string{"#SBATCH --array=0-3", "#SBATCH --partition=normal", "#SBATCH --account=nn1234k", "#SBATCH --cpus-per-task=2", `-shard "${SLURM_ARRAY_TASK_ID}/4"`} {
		if !strings.Contains(array, s) {
			t.Errorf("array.sbatch lacks %q:\n%s", s, array)
		}
	}
	for i := range 4 {
		cmd := exec.Command("bash", filepath.Join(out, "slurm", "array.sbatch"))
		cmd.Env = append(os.Environ(), "SLURM_ARRAY_TASK_ID="+string(rune('0'+i)), "SLURM_CPUS_PER_TASK=1")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("task %d: %v\n%s", i, err, b)
		}
	}
	if b, err := exec.Command("bash", filepath.Join(out, "slurm", "merge.sbatch")).CombinedOutput(); err != nil {
		t.Fatalf("merge: %v\n%s", err, b)
	}
	single := filepath.Join(dir, "single")
	if _, _, err := runCLI(t, "run", file, "-out", single); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"replications.csv", "summary.csv", "distribution.csv"} {
		if readFile(t, filepath.Join(out, f)) != readFile(t, filepath.Join(single, f)) {
			t.Errorf("%s: the Slurm scripts' results differ from a single run", f)
		}
	}
}
