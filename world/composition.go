package world

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"

	"listetak/demog"
	"listetak/internal/csvtable"
)

// CompositionFile is the optional world file of population by municipality,
// sex and age band (columns municipality, sex F/M, age_band as
// demog.BandNames, persons). When present it gives every municipality all 16
// cells; the model then tracks list composition (MODEL.md "Extensions").
const CompositionFile = "composition.csv"

// cellColumns are the columns of a file of persons by key (column key),
// sex and age band: CompositionFile's and ListCompositionFile's.
func cellColumns(key string) []string { return []string{key, "sex", "age_band", "persons"} }

// HasComposition reports whether every municipality has a population
// composition (and there is at least one municipality).
func (w *World) HasComposition() bool {
	for _, m := range w.Municipalities {
		if m.Composition == nil {
			return false
		}
	}
	return len(w.Municipalities) > 0
}

// readComposition reads the optional composition file of a world folder into
// w's municipalities (codes must be read first). Problems name file, line and
// column.
func readComposition(dir string, readFile func(string) ([]byte, error), w *World, codes map[string]int, errs *errList) {
	path := filepath.Join(dir, CompositionFile)
	if _, err := readFile(path); errors.Is(err, fs.ErrNotExist) {
		return
	}
	ct := readCells(path, readFile, "municipality", "municipality code", MunicipalitiesFile, codes, len(w.Municipalities), errs)
	if ct.clean() {
		for m, c := range ct.comps {
			code := w.Municipalities[m].Code
			switch {
			case c == nil:
				ct.headerProblem("municipality", "municipality %s has no rows (every municipality needs all 16 cells)", code)
			case ct.cells[m] != demog.Cells:
				ct.headerProblem("age_band", "municipality %s has %d of the 16 sex x age band cells", code, ct.cells[m])
			case c.Sum() == 0:
				ct.headerProblem("persons", "municipality %s has no persons", code)
			}
		}
	}
	ct.report(errs)
	for m, c := range ct.comps {
		w.Municipalities[m].Composition = c
	}
}

// cellTable is a file of persons by key (a municipality or a slot), sex and
// age band, parsed: CompositionFile and ListCompositionFile.
type cellTable struct {
	t     *table
	p     *parser
	comps []*demog.Comp // by key index; nil: no rows
	cells []int         // cells given, by key index
}

// readCells reads a cell file whose key column keyCol holds codes (keyDesc
// in messages) of keys (an index each; nil when they are unknown) from
// keyFile, into n
// compositions. A cell given twice, an unknown key, sex or band, or a
// negative count is a problem naming line and column.
func readCells(path string, readFile func(string) ([]byte, error), keyCol, keyDesc, keyFile string, keys map[string]int, n int, errs *errList) *cellTable {
	cols := cellColumns(keyCol)
	t := readTable(path, readFile, cols, cols, errs)
	for _, c := range t.unknown {
		t.errs = append(t.errs, csvtable.Problem{Line: t.headerLine, Col: c, Msg: "unknown column"})
	}
	ct := &cellTable{t: t, p: &parser{t: t, failed: map[cellKey]bool{}}, comps: make([]*demog.Comp, n), cells: make([]int, n)}
	if !t.ok {
		return ct
	}
	p := ct.p
	band := map[string]int{}
	for b, name := range demog.BandNames {
		band[name] = b
	}
	seen := map[[2]int]int{} // (key, cell) -> line
	for i := range t.rows {
		code := p.str(i, keyCol, true)
		k, ok := keys[code]
		if code != "" && !ok && keys != nil {
			p.fail(i, keyCol, "unknown %s %q (not in %s)", keyDesc, code, keyFile)
		}
		p.str(i, "sex", true)
		sex := p.choice(i, "sex", "F", "M")
		bs, _ := p.cell(i, "age_band")
		b, okBand := band[bs]
		if !okBand {
			p.fail(i, "age_band", "%q is not one of %v", bs, demog.BandNames)
		}
		v, okN := p.int64(i, "persons", true)
		if okN && v < 0 {
			p.fail(i, "persons", "%d is negative", v)
			okN = false
		}
		if !ok || sex < 0 || !okBand || !okN {
			continue
		}
		cell := demog.Cell(sex == 0, b)
		if first, dup := seen[[2]int{k, cell}]; dup {
			p.fail(i, "age_band", "%s %s %s given twice (first on line %d)", code, []string{"F", "M"}[sex], bs, first)
			continue
		}
		seen[[2]int{k, cell}] = t.lines[i]
		if ct.comps[k] == nil {
			ct.comps[k] = &demog.Comp{}
		}
		ct.comps[k][cell] = v
		ct.cells[k]++
	}
	return ct
}

// clean reports whether the file was read without a problem so far.
func (ct *cellTable) clean() bool { return ct.t.ok && len(ct.p.errs)+len(ct.t.errs) == 0 }

// headerProblem adds a problem of the whole file, on its header line.
func (ct *cellTable) headerProblem(col, format string, a ...any) {
	ct.p.errs = append(ct.p.errs, csvtable.Problem{Line: ct.t.headerLine, Col: col, Msg: fmt.Sprintf(format, a...)})
}

// report adds the file's problems to errs, naming the file.
func (ct *cellTable) report(errs *errList) {
	for _, e := range append(ct.t.errs, ct.p.errs...) {
		errs.add(e.In(ct.t.path))
	}
}

// compositionCSV encodes the municipalities' compositions (nil when the
// world has none).
func (w *World) compositionCSV() ([]byte, error) {
	if !w.HasComposition() {
		return nil, nil
	}
	rows := [][]string{cellColumns("municipality")}
	for _, m := range w.Municipalities {
		for c, n := range m.Composition {
			rows = append(rows, []string{m.Code, cellSex(c), demog.BandNames[c%demog.Bands], strconv.FormatInt(n, 10)})
		}
	}
	return csvBytes(rows)
}
