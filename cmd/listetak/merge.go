package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"listetak/experiments"
	"listetak/results"
)

// experimentCopy is DIR/experiment.json: the experiment file a run or its
// shards were started from, so merge can rebuild the plan.
type experimentCopy struct {
	Path string `json:"path"` // absolute path of the original (relative worlds resolve from it)
	YAML string `json:"yaml"` // its contents
}

// saveExperiment records the experiment in dir; a different experiment
// already recorded there is an error (shards of one experiment share dir).
func saveExperiment(dir string, ex *experiments.Experiment) error {
	data, err := os.ReadFile(ex.Path)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(ex.Path)
	if err != nil {
		return err
	}
	rec := experimentCopy{Path: abs, YAML: string(data)}
	path := filepath.Join(dir, "experiment.json")
	if old, err := loadExperimentCopy(dir); err == nil {
		if old.YAML != rec.YAML {
			return fmt.Errorf("%s holds results of another experiment (%s); choose another -out", dir, old.Path)
		}
		return nil
	}
	return results.WriteJSONAtomic(path, rec)
}

func loadExperimentCopy(dir string) (experimentCopy, error) {
	var rec experimentCopy
	data, err := os.ReadFile(filepath.Join(dir, "experiment.json"))
	if err != nil {
		return rec, err
	}
	return rec, json.Unmarshal(data, &rec)
}

// mergeCmd is `listetak merge DIR`: the results of a sharded run, from its
// unit files, identical to a single-process run.
func mergeCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", stderr)
	workers := fs.Int("workers", 1, "parallel workers (merging computes nothing; summaries only)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("merge: usage: listetak merge DIR")
	}
	dir := pos[0]
	rec, err := loadExperimentCopy(dir)
	if err != nil {
		return fmt.Errorf("merge: %s: no experiment.json (not a run folder?): %w", dir, err)
	}
	// The recorded text, with relative world paths resolved from the
	// original file's folder.
	ex, err := experiments.Decode(strings.NewReader(rec.YAML), rec.Path)
	if err != nil {
		return err
	}
	return runWith([]string{"-out", dir, "-workers", fmt.Sprint(*workers), "-progress", "never"}, stdout, stderr, true, ex)
}
