package world

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strconv"

	"listetak/demog"
)

// ListCompositionFile is the optional world file of each list's persons by
// sex and age band (columns slot_id, sex F/M, age_band as demog.BandNames,
// persons), written with a saved simulation state (docs/formats.md "A
// saved state"). It needs CompositionFile with counts that sum to each
// municipality's population. A slot with rows has all 16 cells, summing to
// its list; a slot without rows has its list drawn from its
// municipality's persons at the start.
const ListCompositionFile = "list_composition.csv"

// SavedFrom says where a saved simulation state comes from (world.yaml
// saved_from): the simulated year of a replication of a scenario, in a run
// of a world under a seed.
type SavedFrom struct {
	World       string `yaml:"world"`       // the run's world
	Scenario    string `yaml:"scenario"`    // the scenario whose state this is
	Replication int    `yaml:"replication"` // 0-based
	Year        int    `yaml:"year"`        // model year of the run (1..years)
	Seed        uint64 `yaml:"seed"`        // the run's master seed
	Model       string `yaml:"model"`       // the parameter set's model (v2, reference-v1)
	// StartComposition is the national persons by sex x age band (demog
	// cell order) at the start of the run the state comes from, when it
	// tracked list composition: the per-cell capitation, fee and hours
	// tables are normalised over it, as in that run (docs/model.md "List
	// composition"), so that the tables do not jump when the state is
	// continued. Empty without list composition.
	StartComposition []int64 `yaml:"start_composition,flow,omitempty"`
}

// HasListComposition reports whether some slot carries its list's
// composition.
func (w *World) HasListComposition() bool {
	for i := range w.Slots {
		if w.Slots[i].Composition != nil {
			return true
		}
	}
	return false
}

// readListComposition reads the optional ListCompositionFile into w's
// slots (after the municipalities' compositions). Problems name file,
// line and column.
func readListComposition(dir string, readFile func(string) ([]byte, error), w *World, errs *errList) {
	path := filepath.Join(dir, ListCompositionFile)
	if _, err := readFile(path); errors.Is(err, fs.ErrNotExist) {
		return
	}
	ids := make(map[string]int, len(w.Slots))
	for i, s := range w.Slots {
		if _, dup := ids[s.ID]; !dup && s.ID != "" {
			ids[s.ID] = i
		}
	}
	ct := readCells(path, readFile, "slot_id", "slot_id", SlotsFile, ids, len(w.Slots), errs)
	if ct.clean() {
		checkListComposition(w, ct)
	}
	ct.report(errs)
	for i, c := range ct.comps {
		w.Slots[i].Composition = c
	}
}

// checkListComposition adds to ct the problems of the lists' compositions
// against their slots and municipalities.
func checkListComposition(w *World, ct *cellTable) {
	if !w.HasComposition() {
		ct.headerProblem("slot_id", "list compositions need %s", CompositionFile)
		return
	}
	used := make([]demog.Comp, len(w.Municipalities))
	for i, c := range ct.comps {
		if c == nil {
			continue
		}
		s := &w.Slots[i]
		switch {
		case ct.cells[i] != demog.Cells:
			ct.headerProblem("age_band", "slot %s has %d of the 16 sex x age band cells", s.ID, ct.cells[i])
		case c.Sum() != int64(s.List):
			ct.headerProblem("persons", "slot %s: cells sum to %d persons, its list_length is %d", s.ID, c.Sum(), s.List)
		}
		if s.Muni >= 0 && s.Muni < len(used) {
			used[s.Muni].Add(c)
		}
	}
	for m := range w.Municipalities {
		mu := &w.Municipalities[m]
		if used[m].Sum() == 0 {
			continue
		}
		if mu.Composition.Sum() != mu.Population {
			ct.headerProblem("slot_id", "municipality %s: with list compositions, its %s counts must sum to its population %d (they sum to %d)",
				mu.Code, CompositionFile, mu.Population, mu.Composition.Sum())
			continue
		}
		for c := range used[m] {
			if used[m][c] > mu.Composition[c] {
				ct.headerProblem("persons", "municipality %s: its lists hold %d persons in cell %s, its %s has %d",
					mu.Code, used[m][c], demog.CellName(c), CompositionFile, mu.Composition[c])
			}
		}
	}
}

// listCompositionCSV encodes the lists' compositions (nil when no slot
// has one).
func (w *World) listCompositionCSV() ([]byte, error) {
	if !w.HasListComposition() {
		return nil, nil
	}
	rows := [][]string{cellColumns("slot_id")}
	for _, s := range w.Slots {
		if s.Composition == nil {
			continue
		}
		for c, n := range s.Composition {
			rows = append(rows, []string{s.ID, cellSex(c), demog.BandNames[c%demog.Bands], strconv.FormatInt(n, 10)})
		}
	}
	return csvBytes(rows)
}

// cellSex returns the sex column of cell c: F or M.
func cellSex(c int) string {
	if c >= demog.Bands {
		return "M"
	}
	return "F"
}
