package world

import (
	"io"

	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"listetak/internal/atomicfile"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// WriteDir writes w as a world folder (DATA.md section 1): municipalities.csv,
// slots.csv and world.yaml, and CompositionFile and PopulationFile when the
// world has them, such that ReadDir(dir) returns a World equal to w
// (with a NokIndex of 0 written as 1 and an empty Name read back as the
// folder's name). Numbers are written exactly (floats in the shortest form
// that parses back to the same value), absent optional values as empty cells.
//
// The folder is created if needed; each file is written to a temporary file
// in dir and renamed into place, so a reader never sees half a file. A world
// that does not validate (Validate) is not written.
func WriteDir(dir string, w *World) error {
	if err := w.Validate(); err != nil {
		return fmt.Errorf("world %q not written: %w", w.Name, err)
	}
	files, err := w.files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range []string{MunicipalitiesFile, SlotsFile, MetaFile, CompositionFile, ListCompositionFile, PopulationFile} {
		if _, ok := files[name]; !ok {
			continue
		}
		if err := writeAtomic(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	return nil
}

// files returns the contents of the files of w's folder by name.
func (w *World) files() (map[string][]byte, error) {
	files := map[string][]byte{}
	for name, enc := range map[string]func() ([]byte, error){
		MunicipalitiesFile:  w.municipalitiesCSV,
		SlotsFile:           w.slotsCSV,
		MetaFile:            w.metaYAML,
		CompositionFile:     w.compositionCSV,
		ListCompositionFile: w.listCompositionCSV,
		PopulationFile:      w.populationCSV,
	} {
		data, err := enc()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if data != nil { // an optional file the world does not need
			files[name] = data
		}
	}
	return files, nil
}

// Digest returns a SHA-256 of the world as its folder's files would hold
// it (names and contents, in name order): two worlds with one digest run
// alike. Resumed and merged runs compare it with the units' own.
func (w *World) Digest() (string, error) {
	files, err := w.files()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(h, "%s %d\n", name, len(files[name]))
		h.Write(files[name])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeAtomic writes data to path atomically (internal/atomicfile).
func writeAtomic(path string, data []byte) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

func (w *World) municipalitiesCSV() ([]byte, error) {
	rows := [][]string{muniColumns}
	for _, m := range w.Municipalities {
		rows = append(rows, []string{
			m.Code, m.Name, strconv.FormatInt(m.Population, 10), strconv.Itoa(m.Centrality),
			optFloat(m.Growth), optFloat(m.ExtraHours), optInt(m.MinGPs), bit(m.Imputed),
		})
	}
	return csvBytes(rows)
}

func (w *World) slotsCSV() ([]byte, error) {
	state := w.hasSlotState()
	header := slotColumns
	if state {
		header = allSlotColumns
	}
	rows := [][]string{header}
	for _, s := range w.Slots {
		status, age, sex, contract := "vacant", "", "", "self"
		if s.Held {
			status = "held"
		}
		if s.Held || s.Age != 0 {
			age = strconv.Itoa(s.Age)
		}
		switch {
		case s.Female:
			sex = "F"
		case s.Held:
			sex = "M"
		}
		if s.Salaried {
			contract = "salaried"
		}
		row := []string{
			s.ID, w.Municipalities[s.Muni].Code, status, strconv.Itoa(s.List), optInt(s.Ceiling),
			age, sex, bit(s.Specialist), contract, optInt(s.ContractYears),
			optFloat(s.LeisureValue), optFloat(s.LossAversion), optFloat(s.StaffStep), optFloat(s.ReferenceIncome),
		}
		if state {
			row = append(row, optFloat(s.LastIncome), optFloat(s.Appeal), optInt(s.VacantYears))
		}
		rows = append(rows, row)
	}
	return csvBytes(rows)
}

// hasSlotState reports whether some slot carries a saved state's value
// (slotStateColumns).
func (w *World) hasSlotState() bool {
	for i := range w.Slots {
		if s := &w.Slots[i]; s.LastIncome.OK || s.Appeal.OK || s.VacantYears.OK {
			return true
		}
	}
	return false
}

func (w *World) metaYAML() ([]byte, error) {
	nok, base := w.Money(), baselineSpec{w.Baseline}
	m := metaFile{Name: w.Name, Year: w.Year, Source: w.Source, NokIndex: &nok, Baseline: &base, AgesDrawn: w.AgesDrawn, PersonalData: w.PersonalData, SavedFrom: w.SavedFrom, Notes: w.Notes}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&m); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func csvBytes(rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.WriteAll(rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// formatFloat writes a float so that strconv.ParseFloat gives it back exactly.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func optFloat(o Opt[float64]) string {
	if !o.OK {
		return ""
	}
	return formatFloat(o.V)
}

func optInt(o Opt[int]) string {
	if !o.OK {
		return ""
	}
	return strconv.Itoa(o.V)
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
