// Package world owns the starting state of a simulation: the municipalities
// and the GP contracts (slots) in year 0, the world's money year and its
// baseline capitation scheme.
//
// A World comes from one of two places:
//
//   - a world folder (DATA.md section 1): municipalities.csv, slots.csv and an
//     optional world.yaml, plus the optional composition.csv
//     (CompositionFile), population.csv (below) and, in a saved simulation
//     state (docs/formats.md "A saved state"), list_composition.csv
//     (ListCompositionFile), read by ReadDir and
//     written by WriteDir so that a written world reads back identical;
//   - an embedded world (MODEL.md "The embedded worlds"): "norway-2025" (the
//     default) or "norway-2011", built at call time by deterministic code from
//     the public data files embedded from the data folder (see
//     data/SOURCES.md), returned by Embedded.
//
// Every adjustment a builder or the reader makes (imputed municipalities,
// dropped rows, raised ceilings, ignored columns, ...) is listed in
// World.Notes, one line per kind with counts, for the run manifest.
//
// The package does not draw the agent values that are not observed (leisure
// value, loss aversion, staff step, reference income): the simulation draws
// them per replication so that each GP's observed ceiling is its optimum
// (MODEL.md "Starting state consistent with what was observed"). The random
// draws the builders make (list lengths, ages, ...) are part of the world's
// definition and come from fixed seeds, never from global randomness.
//
// Units: persons for populations, lists and ceilings; years for ages and
// contract ages; hours per year for extra public-duty hours; NOK per year
// (NOK per hour for leisure values) in the world's money year, whose index
// relative to 2019 NOK is World.NokIndex.
//
// # Population on 1 January: population.csv
//
// A world folder may hold population.csv (PopulationFile): the population on
// 1 January by municipality and year, in the format of the shipped
// population_kommune2024_1986_2026.csv (data/SOURCES.md, file 4). Columns:
//
//	kommune_nr       string, required: municipality code
//	year             int 1..9999, required: calendar year
//	population_1jan  int >= 0 or blank (no figure): persons on 1 January
//	kommune_name     optional, read and ignored
//	note             optional, read and ignored
//
// Any other column, a (kommune_nr, year) given twice, a bad value or a file
// with no rows is an error naming file, line and column. Years and
// municipalities beyond the world's are allowed. The table (World.Population)
// replaces the shipped data in that world's population path
// (World.PopulationPath); WriteDir writes it back (the first three columns),
// so an exported world reads back identical. A world without the file uses
// the shipped data.
package world
