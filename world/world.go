package world

import (
	"listetak/demog"
	"listetak/finance"
)

// Opt is an optional value read from a world file: OK is false when the
// cell was empty or the column absent.
type Opt[T any] struct {
	V  T
	OK bool
}

// Some returns a given optional value.
func Some[T any](v T) Opt[T] { return Opt[T]{V: v, OK: true} }

// Municipality is one municipality's starting state (DATA.md section 1,
// municipalities.csv).
type Municipality struct {
	Code       string       // municipality number, e.g. "3005"
	Name       string       // optional
	Population int64        // P_m: persons at the start
	Centrality int          // c_m in 1..6, 1 = most central (SSB KLASS 128)
	Growth     Opt[float64] // g_m, yearly growth rate; absent: the parameter default
	ExtraHours Opt[float64] // E_m, hours/year per GP; absent: by centrality (MODEL.md)
	MinGPs     Opt[int]     // n_min,m; absent: MODEL.md rule
	Imputed    bool         // true when the builder imputed it (no register data)
	// Composition is the population by sex x age band (demog cell order),
	// nil when the world has none; shared between clones, never modified.
	// Its shares apply to Population (the counts need not sum to it).
	Composition *demog.Comp
}

// Slot is one GP contract (hjemmel), held by a GP or vacant (DATA.md section
// 1, slots.csv). For a vacant slot the GP fields are unused, List is the
// orphan list and Ceiling, when given, the last holder's ceiling.
type Slot struct {
	ID            string
	Muni          int      // index into World.Municipalities
	Held          bool     // false: vacant, list served by locums
	List          int      // L: persons on the list (orphans if vacant)
	Ceiling       Opt[int] // C: required for held slots
	Age           int      // years; held slots only
	Female        bool
	Specialist    bool
	Salaried      bool     // contract type; for a vacant slot the contract a new GP gets
	ContractYears Opt[int] // years since the GP took the slot; absent: long (no guarantee)

	// Agent values; absent ones are drawn at the start of each replication so
	// that the observed ceiling is the GP's optimum (MODEL.md "Starting state").
	LeisureValue    Opt[float64] // w_i, NOK/hour (in the world's money year)
	LossAversion    Opt[float64] // lambda_i >= 1
	StaffStep       Opt[float64] // sigma_i, persons per staff step
	ReferenceIncome Opt[float64] // R_i, NOK/year

	// State carried by a saved simulation state (docs/formats.md "A saved
	// state"); absent in a world built from observations.
	LastIncome  Opt[float64] // N_i, last year's net income, NOK/year; absent: this year's under the baseline
	Appeal      Opt[float64] // the slot's entry-logit shift (model v2); absent: drawn
	VacantYears Opt[int]     // whole years a vacant slot has stayed unfilled; absent: 0
	// Composition is the list's persons by sex x age band (demog cell
	// order), nil when not given: the list is then drawn from the
	// municipality's persons at the start (ListCompositionFile).
	Composition *demog.Comp
}

// World is an immutable starting state: read from a world folder or built
// from the embedded data. Code that runs a simulation clones what it needs.
type World struct {
	Name     string  // e.g. "norway-2025"
	Year     int     // the year of the starting state
	Source   string  // where the data come from
	NokIndex float64 // money index relative to 2019 NOK (MODEL.md); 0 means 1
	// Baseline is the world's own current capitation scheme.
	Baseline finance.Spec
	// Population is the world's own population on 1 January by
	// municipality and year (PopulationFile), nil when it has none: its
	// population path (PopulationPath) then uses the shipped data.
	Population *PopulationTable

	Municipalities []Municipality
	Slots          []Slot

	// AgesDrawn is true when the GPs' ages are the builder's draws, not
	// observations (both embedded worlds): the v2 model then draws each
	// replication's starting ages from a distribution consistent with the
	// exit hazards (docs/model.md "Starting ages"). world.yaml key
	// ages_drawn.
	AgesDrawn bool
	// PersonalData is true for a world built from a register
	// (calibrate.WorldFromRegister; world.yaml personal_data): its slots
	// are single GPs' records, so nothing that writes them one by one (a
	// trace) may run on it.
	PersonalData bool
	// SavedFrom is set on a simulated state saved by run -save-state: the
	// run, scenario, replication and year it comes from (world.yaml
	// saved_from).
	SavedFrom *SavedFrom

	// Notes lists every adjustment the builder or reader made (imputed
	// municipalities, dropped rows, raised ceilings, ...), for the manifest.
	Notes []string
	// Warnings are the notes a user should see at once (an unknown column,
	// likely a misspelt optional one); they are in Notes too.
	Warnings []string
}

// Money returns the money index (1 when unset).
func (w *World) Money() float64 {
	if w.NokIndex == 0 {
		return 1
	}
	return w.NokIndex
}
