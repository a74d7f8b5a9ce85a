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

var (
	compColumns  = []string{"municipality", "sex", "age_band", "persons"}
	compRequired = compColumns
)

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
	t := readTable(path, readFile, compColumns, compRequired, errs)
	for _, c := range t.unknown {
		t.errs = append(t.errs, csvtable.Problem{Line: t.headerLine, Col: c, Msg: "unknown column"})
	}
	p := &parser{t: t, failed: map[cellKey]bool{}}
	band := map[string]int{}
	for b, name := range demog.BandNames {
		band[name] = b
	}
	comps := make([]*demog.Comp, len(w.Municipalities))
	seen := map[[2]int]int{} // (municipality, cell) -> line
	if t.ok {
		for i := range t.rows {
			code := p.str(i, "municipality", true)
			m, ok := codes[code]
			if code != "" && !ok && codes != nil {
				p.fail(i, "municipality", "unknown municipality code %q (not in %s)", code, MunicipalitiesFile)
			}
			p.str(i, "sex", true)
			sex := p.choice(i, "sex", "F", "M")
			bs, _ := p.cell(i, "age_band")
			b, okBand := band[bs]
			if !okBand {
				p.fail(i, "age_band", "%q is not one of %v", bs, demog.BandNames)
			}
			n, okN := p.int64(i, "persons", true)
			if okN && n < 0 {
				p.fail(i, "persons", "%d is negative", n)
				okN = false
			}
			if !ok || sex < 0 || !okBand || !okN {
				continue
			}
			cell := demog.Cell(sex == 0, b)
			if first, dup := seen[[2]int{m, cell}]; dup {
				p.fail(i, "age_band", "%s %s %s given twice (first on line %d)", code, []string{"F", "M"}[sex], bs, first)
				continue
			}
			seen[[2]int{m, cell}] = t.lines[i]
			if comps[m] == nil {
				comps[m] = &demog.Comp{}
			}
			comps[m][cell] = n
		}
	}
	if len(p.errs)+len(t.errs) == 0 && t.ok {
		for m, c := range comps {
			code := w.Municipalities[m].Code
			switch {
			case c == nil:
				p.errs = append(p.errs, csvtable.Problem{Line: t.headerLine, Col: "municipality", Msg: fmt.Sprintf("municipality %s has no rows (every municipality needs all 16 cells)", code)})
			case len(seenCells(seen, m)) != demog.Cells:
				p.errs = append(p.errs, csvtable.Problem{Line: t.headerLine, Col: "age_band", Msg: fmt.Sprintf("municipality %s has %d of the 16 sex x age band cells", code, len(seenCells(seen, m)))})
			case c.Sum() == 0:
				p.errs = append(p.errs, csvtable.Problem{Line: t.headerLine, Col: "persons", Msg: fmt.Sprintf("municipality %s has no persons", code)})
			}
		}
	}
	for _, e := range append(t.errs, p.errs...) {
		errs.add(e.In(path))
	}
	for m, c := range comps {
		w.Municipalities[m].Composition = c
	}
}

func seenCells(seen map[[2]int]int, m int) []int {
	var cells []int
	for k := range seen {
		if k[0] == m {
			cells = append(cells, k[1])
		}
	}
	return cells
}

// compositionCSV encodes the municipalities' compositions (nil when the
// world has none).
func (w *World) compositionCSV() ([]byte, error) {
	if !w.HasComposition() {
		return nil, nil
	}
	rows := [][]string{compColumns}
	for _, m := range w.Municipalities {
		for c, n := range m.Composition {
			sex := "F"
			if c >= demog.Bands {
				sex = "M"
			}
			rows = append(rows, []string{m.Code, sex, demog.BandNames[c%demog.Bands], strconv.FormatInt(n, 10)})
		}
	}
	return csvBytes(rows)
}
