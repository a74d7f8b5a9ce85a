package world

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"listetak/internal/csvtable"
)

// PopulationFile is the optional world file of population on 1 January by
// municipality and year, in the format of the shipped
// population_kommune2024_1986_2026.csv (data/SOURCES.md, file 4): columns
// kommune_nr, year and population_1jan (persons; a blank cell means no
// figure), and optionally kommune_name and note, which are read and ignored.
// Any other column is an error. Years and municipalities beyond the world's
// are allowed. When present it replaces the shipped data for that world's
// population path (World.PopulationPath).
const PopulationFile = "population.csv"

// Columns of PopulationFile.
var (
	popRequired = []string{"kommune_nr", "year", "population_1jan"}
	popColumns  = []string{"kommune_nr", "kommune_name", "year", "population_1jan", "note"}
	popWritten  = popRequired // what WriteDir writes: names and notes are not kept
)

// Bounds of a population table's years.
const (
	minPopYear = 1
	maxPopYear = 9999
)

// trendYears is the span of the recent trend: the geometric mean yearly
// ratio over the last trendYears years of the population data.
const trendYears = 5

// PopulationTable is the population on 1 January by municipality code and
// calendar year: a world folder's PopulationFile, or the shipped data.
type PopulationTable struct {
	// Rows are sorted by code, then year, with no (code, year) twice.
	Rows []PopulationRow
}

// PopulationRow is one row of a PopulationTable.
type PopulationRow struct {
	Code    string     // municipality code (kommune_nr)
	Year    int        // calendar year, 1..9999
	Persons Opt[int64] // population on 1 January (>= 0); absent: no figure
}

// Clone returns a deep copy of t (nil for nil).
func (t *PopulationTable) Clone() *PopulationTable {
	if t == nil {
		return nil
	}
	return &PopulationTable{Rows: slices.Clone(t.Rows)}
}

// Lookup returns the population of the municipality on 1 January of the
// year, and false when the table has no figure for it. The table must be
// sorted as documented on Rows.
func (t *PopulationTable) Lookup(code string, year int) (int64, bool) {
	i, ok := slices.BinarySearchFunc(t.Rows, PopulationRow{Code: code, Year: year}, comparePopRows)
	if !ok || !t.Rows[i].Persons.OK {
		return 0, false
	}
	return t.Rows[i].Persons.V, true
}

func comparePopRows(a, b PopulationRow) int {
	return cmp.Or(strings.Compare(a.Code, b.Code), cmp.Compare(a.Year, b.Year))
}

// problems returns what is wrong with the table, at most maxErrors problems:
// the rules the reader enforces, so that a table WriteDir writes reads back.
func (t *PopulationTable) problems() []error {
	var errs []error
	add := func(i int, format string, args ...any) {
		if len(errs) < maxErrors {
			r := t.Rows[i]
			errs = append(errs, fmt.Errorf("population: row %d (%q, %d): %s", i, r.Code, r.Year, fmt.Sprintf(format, args...)))
		}
	}
	if len(t.Rows) == 0 {
		return []error{errors.New("population: the table has no rows")}
	}
	for i, r := range t.Rows {
		switch {
		case r.Code == "":
			add(i, "missing kommune_nr")
		case strings.TrimSpace(r.Code) != r.Code:
			add(i, "kommune_nr %q has leading or trailing space", r.Code)
		}
		if r.Year < minPopYear || r.Year > maxPopYear {
			add(i, "year %d is outside %d..%d", r.Year, minPopYear, maxPopYear)
		}
		if r.Persons.OK && r.Persons.V < 0 {
			add(i, "population_1jan %d is negative", r.Persons.V)
		}
		if i > 0 {
			switch c := comparePopRows(t.Rows[i-1], r); {
			case c == 0:
				add(i, "given twice (also row %d)", i-1)
			case c > 0:
				add(i, "not sorted by kommune_nr, then year")
			}
		}
	}
	return errs
}

// readPopulation reads the optional PopulationFile of a world folder into
// w.Population. Problems name file, line and column.
func readPopulation(dir string, readFile func(string) ([]byte, error), w *World, errs *errList) {
	path := filepath.Join(dir, PopulationFile)
	if _, err := readFile(path); errors.Is(err, fs.ErrNotExist) {
		return
	}
	t := readTable(path, readFile, popColumns, popRequired, errs)
	w.Population = parsePopulation(t, errs)
}

// parsePopulation turns a table read by readTable into a PopulationTable,
// adding its problems (by file, line and column) to errs: an unknown
// column, a missing kommune_nr or year, a year that is not an integer in
// 1..9999, a population that is not an integer >= 0, a (kommune_nr, year)
// given twice, no rows. It returns nil when there is any problem.
func parsePopulation(t *table, errs *errList) *PopulationTable {
	for _, c := range t.unknown {
		t.errs = append(t.errs, csvtable.Problem{Line: t.headerLine, Col: c, Msg: "unknown column"})
	}
	p := &parser{t: t, failed: map[cellKey]bool{}}
	var rows []PopulationRow
	if t.ok {
		rows = make([]PopulationRow, 0, len(t.rows))
		type key struct {
			code string
			year int
		}
		seen := make(map[key]int, len(t.rows)) // -> line
		for i := range t.rows {
			code := p.str(i, "kommune_nr", true)
			year, okYear := p.int(i, "year", true)
			if okYear && (year < minPopYear || year > maxPopYear) {
				p.fail(i, "year", "year %d is outside %d..%d", year, minPopYear, maxPopYear)
				okYear = false
			}
			n, okN := p.int64(i, "population_1jan", false)
			if okN && n < 0 {
				p.fail(i, "population_1jan", "%d is negative", n)
			}
			if code == "" || !okYear || p.failed[cellKey{i, "population_1jan"}] {
				continue
			}
			if first, dup := seen[key{code, year}]; dup {
				p.fail(i, "year", "kommune_nr %s year %d given twice (first on line %d)", code, year, first)
				continue
			}
			seen[key{code, year}] = t.lines[i]
			rows = append(rows, PopulationRow{Code: code, Year: year, Persons: Opt[int64]{V: n, OK: okN}})
		}
		if len(t.rows) == 0 && len(t.errs) == 0 {
			p.errs = append(p.errs, csvtable.Problem{Line: t.headerLine, Msg: "no rows"})
		}
	}
	problems := append(t.errs, p.errs...)
	for _, e := range problems {
		errs.add(e.In(t.path))
	}
	if len(problems) > 0 || !t.ok {
		return nil
	}
	slices.SortFunc(rows, comparePopRows)
	return &PopulationTable{Rows: rows}
}

// populationCSV encodes w.Population (nil when the world has none).
func (w *World) populationCSV() ([]byte, error) {
	if w.Population == nil {
		return nil, nil
	}
	rows := make([][]string, 0, len(w.Population.Rows)+1)
	rows = append(rows, popWritten)
	for _, r := range w.Population.Rows {
		n := ""
		if r.Persons.OK {
			n = strconv.FormatInt(r.Persons.V, 10)
		}
		rows = append(rows, []string{r.Code, strconv.Itoa(r.Year), n})
	}
	return csvBytes(rows)
}

// shippedPopulation is the embedded population_kommune2024_1986_2026.csv,
// parsed and indexed once per process.
var shippedPopulation = sync.OnceValues(func() (*popIndex, error) {
	read := func(string) ([]byte, error) { return dataFS.ReadFile("data/" + filePopPath) }
	var errs errList
	t := readTable(filePopPath, read, popColumns, popRequired, &errs)
	tab := parsePopulation(t, &errs)
	if errs.len() > 0 {
		return nil, errs.err()
	}
	mergedFigures(tab)
	return newPopIndex(tab), nil
})

// mergedFigures blanks the shipped figures that include another
// municipality: 1508 Ålesund on 1 January 2020-2023 includes 1580 Haram
// (merged 2020, split again 2024; Haram is 0 in those years), so both
// take their county's ratio there instead of a jump of +18 % and -13 %
// (data/SOURCES.md, file 4).
func mergedFigures(tab *PopulationTable) {
	for i := range tab.Rows {
		if r := &tab.Rows[i]; r.Code == "1508" && r.Year >= 2020 && r.Year <= 2023 {
			r.Persons = Opt[int64]{}
		}
	}
}

// popIndex is a PopulationTable indexed for the population path.
type popIndex struct {
	tab    *PopulationTable
	rows   map[string][]PopulationRow   // a code's rows, sorted by year
	county map[string][][]PopulationRow // county -> the rows of each of its municipalities in the table
	first  int                          // the first year with a figure > 0
	last   int                          // the last year with a figure > 0 (0: none)
}

// newPopIndex indexes a table whose rows are sorted and unique.
func newPopIndex(tab *PopulationTable) *popIndex {
	ix := &popIndex{tab: tab, rows: map[string][]PopulationRow{}, county: map[string][][]PopulationRow{}}
	for i := 0; i < len(tab.Rows); {
		j := i + 1
		for j < len(tab.Rows) && tab.Rows[j].Code == tab.Rows[i].Code {
			j++
		}
		code := tab.Rows[i].Code
		ix.rows[code] = tab.Rows[i:j:j]
		ix.county[countyOf(code)] = append(ix.county[countyOf(code)], tab.Rows[i:j:j])
		for _, r := range tab.Rows[i:j] {
			if r.Persons.OK && r.Persons.V > 0 {
				if ix.last == 0 || r.Year > ix.last {
					ix.last = r.Year
				}
				if ix.first == 0 || r.Year < ix.first {
					ix.first = r.Year
				}
			}
		}
		i = j
	}
	return ix
}

// get returns the population on 1 January of the year from a
// municipality's rows (sorted by year), and false when it has no figure or
// the figure is 0 (a zero counts as missing).
func get(rs []PopulationRow, year int) (float64, bool) {
	if len(rs) == 0 || year < rs[0].Year || year > rs[len(rs)-1].Year {
		return 0, false
	}
	// The years are usually consecutive: try the direct position first.
	i, ok := year-rs[0].Year, false
	if i >= 0 && i < len(rs) && rs[i].Year == year {
		ok = true
	} else {
		i, ok = slices.BinarySearchFunc(rs, year, func(r PopulationRow, y int) int { return cmp.Compare(r.Year, y) })
	}
	if !ok || !rs[i].Persons.OK || rs[i].Persons.V <= 0 {
		return 0, false
	}
	return float64(rs[i].Persons.V), true
}

// pair returns the populations on 1 January of years a and b from a
// municipality's rows, and false unless it has figures > 0 for both.
func pair(rs []PopulationRow, a, b int) (pa, pb float64, ok bool) {
	pa, okA := get(rs, a)
	pb, okB := get(rs, b)
	return pa, pb, okA && okB
}

// countyPair returns the sums of the populations on 1 January of years a
// and b over the county's municipalities that have figures > 0 for both,
// and false when there is none.
func (ix *popIndex) countyPair(county string, a, b int) (sa, sb float64, ok bool) {
	for _, rs := range ix.county[county] {
		if pa, pb, okP := pair(rs, a, b); okP {
			sa += pa
			sb += pb
			ok = true
		}
	}
	return sa, sb, ok
}

// countyOf returns the county of a municipality code: its first two
// characters (the whole code when it is shorter).
func countyOf(code string) string {
	if len(code) < 2 {
		return code
	}
	return code[:2]
}

// County returns the county a municipality code belongs to, its first two
// digits, and the county's name in the 2024 division (SSB's classification
// of counties, Klass 104, valid from 1 January 2024; the embedded worlds
// number municipalities as on that date, kommuner_2024.csv). name is ""
// for a number that is not a 2024 county.
func County(code string) (number, name string) {
	number = countyOf(code)
	return number, counties2024[number]
}

// counties2024 are the 15 counties from 1 January 2024 by number (SSB Klass
// 104), with their Norwegian names.
var counties2024 = map[string]string{
	"03": "Oslo", "11": "Rogaland", "15": "Møre og Romsdal", "18": "Nordland",
	"31": "Østfold", "32": "Akershus", "33": "Buskerud", "34": "Innlandet",
	"39": "Vestfold", "40": "Telemark", "42": "Agder", "46": "Vestland",
	"50": "Trøndelag", "55": "Troms", "56": "Finnmark",
}
