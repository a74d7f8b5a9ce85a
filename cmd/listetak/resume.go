package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"listetak/results"
)

// flagsFile is the record a run from flags keeps in its folder
// (flags.json), so that -resume continues it only with the same settings
// and inputs.
const flagsFile = "flags.json"

// flagsRecord is a run's settings from flags and its inputs' digests
// (inputDigests). A resume compares every field.
type flagsRecord struct {
	World     string            `json:"world"` // -world as given
	Years     int               `json:"years"`
	Reps      int               `json:"reps"`
	Seed      uint64            `json:"seed"`
	Scenarios []string          `json:"scenarios"`
	DistYears []int             `json:"dist_years"`
	Rebase    bool              `json:"rebase"`
	Municipal bool              `json:"municipal"`
	Inputs    map[string]string `json:"inputs"` // world as read, parameters, version
}

// flagsRecord returns the run's record (a run from flags, inputs loaded).
func (r *runSpec) flagsRecord() flagsRecord {
	names := make([]string, len(r.st.Scenarios))
	for i, d := range r.st.Scenarios {
		names[i] = d.Name
	}
	return flagsRecord{World: *r.worldSpec, Years: r.st.Years, Reps: r.st.Reps, Seed: r.st.Seed, Scenarios: names,
		DistYears: r.st.DistYears, Rebase: r.st.Rebase, Municipal: r.st.Municipal, Inputs: r.inputs}
}

// saveFlags writes a new run's flags.json, or for a resume checks the
// folder's record against this run's and refuses, naming every setting
// that differs.
func (r *runSpec) saveFlags() error {
	rec := r.flagsRecord()
	path := filepath.Join(*r.out, flagsFile)
	if !r.plan.Resume {
		return results.WriteJSONAtomic(path, rec)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("run: -resume: %s has no %s: not a folder of a run from flags (an experiment's folder resumes with its experiment file)", *r.out, flagsFile)
	}
	if err != nil {
		return err
	}
	var old flagsRecord
	if err := json.Unmarshal(data, &old); err != nil {
		return fmt.Errorf("run: -resume: %s: %w", path, err)
	}
	if diff := rec.differs(old); len(diff) > 0 {
		return fmt.Errorf("run: -resume: %s holds units made with other settings or inputs: %s differ; give the same flags or choose another -out", *r.out, strings.Join(diff, ", "))
	}
	return nil
}

// differs names the fields of rec that differ from old (inputs by key).
func (rec flagsRecord) differs(old flagsRecord) []string {
	var diff []string
	a, b := reflect.ValueOf(rec), reflect.ValueOf(old)
	t := a.Type()
	for i := range t.NumField() {
		name := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
		if name == "inputs" {
			continue
		}
		if !reflect.DeepEqual(a.Field(i).Interface(), b.Field(i).Interface()) {
			diff = append(diff, name)
		}
	}
	for _, k := range changedInputs(rec.Inputs, old.Inputs) {
		diff = append(diff, "inputs."+k)
	}
	return diff
}
