package results

import "time"

// ToolName is the value of Manifest.Tool.
const ToolName = "listetak"

// Manifest is the content of manifest.json: what was run, how and when, so
// that a results directory can be traced back to the command, code and
// parameters that made it and re-run bit-identically.
type Manifest struct {
	// Tool is always ToolName ("listetak").
	Tool string `json:"tool"`
	// Version is the program's version (module version or build setting).
	Version string `json:"version"`
	// GitDescribe is `git describe --always --dirty` of the source tree
	// the binary was built from, or "" if unknown.
	GitDescribe string `json:"git_describe"`
	// Command is the command line, program name first (os.Args).
	Command []string `json:"command"`
	// Seed is the master seed from which every replication's random
	// streams are derived.
	Seed uint64 `json:"seed"`
	// World names the starting world (municipalities, GPs, slots): a file
	// path or the name of a built-in world.
	World string `json:"world"`
	// Scenarios are the scenario names, in the order they were run and
	// written; the first is the baseline that differences refer to.
	Scenarios []string `json:"scenarios"`
	// Years is the number of simulated years (year 0, the starting state,
	// not counted: a Series has Years+1 recorded years).
	Years int `json:"years"`
	// Reps is the number of replications per scenario.
	Reps int `json:"reps"`
	// Workers is the number of parallel workers used; results do not
	// depend on it.
	Workers int `json:"workers"`
	// Params are the model parameters in force (the resolved parameter
	// set, scenario overrides included), as the params package encodes
	// them.
	Params any `json:"params"`
	// WorldNotes are notes from building the world: assumptions made,
	// values imputed, records dropped.
	WorldNotes []string `json:"world_notes"`
	// Started and Finished are the wall-clock times the run began and
	// ended.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// WallSeconds is Finished - Started in seconds.
	WallSeconds float64 `json:"wall_seconds"`
	// Extra holds anything else worth recording (e.g. calibration targets
	// or timings); omitted when empty.
	Extra map[string]any `json:"extra,omitempty"`
}
