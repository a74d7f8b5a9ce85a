package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"listetak/world"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"listetak/experiments"
	"listetak/params"
	"listetak/results"
)

// experimentCopy is DIR/experiment.json: the experiment file a run or its
// shards were started from, so merge can rebuild the plan.
type experimentCopy struct {
	Path string `json:"path"` // absolute path of the original (relative worlds resolve from it)
	YAML string `json:"yaml"` // its contents
	// Inputs are digests of what the units were made from besides the
	// file's text (the world as read, the resolved parameters and
	// estimates, the listetak version): a resume or merge with any of them
	// changed is refused.
	Inputs map[string]string `json:"inputs,omitempty"`
	// Municipal tells whether the units hold per-municipality records
	// (run -municipal); absent in folders from before the flag (they do
	// not).
	Municipal bool `json:"municipal,omitempty"`
}

// inputDigests returns the digests of a run's inputs (experimentCopy,
// flags.json and the manifest's "inputs"): the world as read, the
// parameters and the estimates (nil: none, no digest) as JSON, and the
// listetak version. A check compares the keys it returns.
func inputDigests(w *world.World, p params.Params, est *params.Estimates) (map[string]string, error) {
	wd, err := w.Digest()
	if err != nil {
		return nil, err
	}
	in := map[string]string{"world": wd, "version": Version}
	values := map[string]any{"parameters": p}
	if est != nil {
		values["estimates"] = est
	}
	for name, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		in[name] = hex.EncodeToString(sum[:])
	}
	return in, nil
}

// changedInputs returns the sorted keys of now whose digest differs in
// old: a check compares the keys inputDigests computes for this run, so a
// folder recorded with more keys (older versions) still matches.
func changedInputs(now, old map[string]string) []string {
	var diff []string
	for _, k := range slices.Sorted(maps.Keys(now)) {
		if old[k] != now[k] {
			diff = append(diff, k)
		}
	}
	return diff
}

// saveExperiment records the experiment and its input digests
// (inputDigests) in dir; a
// different experiment or changed inputs recorded there are an error
// (shards of one experiment share dir, and resume and merge add to it).
func saveExperiment(dir string, ex *experiments.Experiment, inputs map[string]string, merge, municipal bool) error {
	old, oldErr := loadExperimentCopy(dir)
	if merge { // the experiment is the copy's own text
		if oldErr != nil {
			return oldErr
		}
		return old.check(dir, ex, old.YAML, inputs, municipal)
	}
	data, err := os.ReadFile(ex.Path)
	if err != nil {
		return err
	}
	if oldErr == nil {
		return old.check(dir, ex, string(data), inputs, municipal)
	}
	abs, err := filepath.Abs(ex.Path)
	if err != nil {
		return err
	}
	return results.WriteJSONAtomic(filepath.Join(dir, "experiment.json"), experimentCopy{Path: abs, YAML: string(data), Inputs: inputs, Municipal: municipal})
}

// check refuses to add units to dir, whose copy is old, when the
// experiment's text or any input digest differs, naming what differs.
func (old experimentCopy) check(dir string, ex *experiments.Experiment, text string, inputs map[string]string, municipal bool) error {
	if text != old.YAML {
		return fmt.Errorf("%s holds results of another experiment (%s); choose another -out", dir, old.Path)
	}
	if municipal != old.Municipal {
		return fmt.Errorf("%s holds units made with -municipal=%v; give the same -municipal or choose another -out", dir, old.Municipal)
	}
	if diff := changedInputs(inputs, old.Inputs); len(diff) > 0 {
		return fmt.Errorf("%s holds units made from other inputs: %s changed since (world %s); restore them or choose another -out", dir, strings.Join(diff, ", "), ex.World)
	}
	return nil
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
	return runWith([]string{"-out", dir, "-workers", fmt.Sprint(*workers), "-progress", "never", fmt.Sprintf("-municipal=%v", rec.Municipal)},
		append([]string{"listetak", "merge"}, args...), stdout, stderr, true, ex)
}
