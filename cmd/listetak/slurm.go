package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"listetak/experiments"
	"listetak/results"
)

// slurmCmd is `listetak slurm FILE -shards N -out DIR`: write sbatch scripts
// for a Slurm job array (one shard per array task) and a merge job that
// runs after every task succeeded, print the command that submits them, and
// with -submit submit them.
func slurmCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("slurm", stderr)
	shards := fs.Int("shards", 0, "number of shards = array tasks (required)")
	out := fs.String("out", "", "results folder on a file system every node sees (required)")
	partition := fs.String("partition", "", "Slurm partition (default: the cluster's)")
	timeLimit := fs.String("time", "01:00:00", "time limit per task (HH:MM:SS)")
	mem := fs.String("mem", "2G", "memory per task")
	cpus := fs.Int("cpus", 2, "CPUs per task (the workers of each shard)")
	account := fs.String("account", "", "Slurm account (projects on HPC services usually need one)")
	binary := fs.String("binary", "", "listetak binary the jobs run (default: this one)")
	submit := fs.Bool("submit", false, "submit the jobs with sbatch")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("slurm: usage: listetak slurm FILE -shards N -out DIR [-partition P -time T -mem M -cpus C -account A] [-submit]")
	}
	var errs []error
	if *shards < 1 {
		errs = append(errs, fmt.Errorf("-shards: %d must be at least 1", *shards))
	}
	if *out == "" {
		errs = append(errs, errors.New("-out: required"))
	}
	if *cpus < 1 {
		errs = append(errs, fmt.Errorf("-cpus: %d must be at least 1", *cpus))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	file, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	if _, err := experiments.ReadFile(file); err != nil {
		return err
	}
	dir, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	bin := *binary
	if bin == "" {
		if bin, err = os.Executable(); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "slurm"), 0o755); err != nil {
		return err
	}
	header := func(name string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "#!/bin/bash\n#SBATCH --job-name=%s\n", name)
		if *partition != "" {
			fmt.Fprintf(&b, "#SBATCH --partition=%s\n", *partition)
		}
		if *account != "" {
			fmt.Fprintf(&b, "#SBATCH --account=%s\n", *account)
		}
		fmt.Fprintf(&b, "#SBATCH --time=%s\n#SBATCH --mem=%s\n#SBATCH --cpus-per-task=%d\n#SBATCH --ntasks=1\n", *timeLimit, *mem, *cpus)
		return b.String()
	}
	arrayScript := header("listetak") + fmt.Sprintf(`#SBATCH --array=0-%d
#SBATCH --output=%s/slurm/shard-%%a.out
# One shard of the experiment per array task; each writes its finished
# units into the shared folder, so a failed task can be rerun alone.
set -euo pipefail
exec %s run %s -out %s -shard "${SLURM_ARRAY_TASK_ID}/%d" -workers "${SLURM_CPUS_PER_TASK:-%d}" -progress never
`, *shards-1, q(dir), q(bin), q(file), q(dir), *shards, *cpus)
	mergeScript := header("listetak-merge") + fmt.Sprintf(`#SBATCH --output=%s/slurm/merge.out
# Runs after every array task succeeded: summaries identical to one process.
set -euo pipefail
exec %s merge %s
`, q(dir), q(bin), q(dir))
	arrayPath := filepath.Join(dir, "slurm", "array.sbatch")
	mergePath := filepath.Join(dir, "slurm", "merge.sbatch")
	for path, text := range map[string]string{arrayPath: arrayScript, mergePath: mergeScript} {
		if err := results.WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, text); return err }); err != nil {
			return err
		}
	}
	cmdline := fmt.Sprintf("jid=$(sbatch --parsable %s) && sbatch --dependency=afterok:${jid} %s", q(arrayPath), q(mergePath))
	fmt.Fprintf(stdout, "wrote %s and %s\nsubmit with:\n  %s\n", arrayPath, mergePath, cmdline)
	if !*submit {
		return nil
	}
	jid, err := exec.Command("sbatch", "--parsable", arrayPath).Output()
	if err != nil {
		return fmt.Errorf("sbatch %s: %w", arrayPath, err)
	}
	id := strings.TrimSpace(strings.Split(string(jid), ";")[0])
	if _, err := strconv.Atoi(id); err != nil {
		return fmt.Errorf("sbatch returned %q, not a job id", jid)
	}
	mid, err := exec.Command("sbatch", "--parsable", "--dependency=afterok:"+id, mergePath).Output()
	if err != nil {
		return fmt.Errorf("sbatch %s: %w", mergePath, err)
	}
	fmt.Fprintf(stdout, "submitted array job %s and merge job %s\n", id, strings.TrimSpace(string(mid)))
	return nil
}

// q quotes a path for bash.
func q(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
