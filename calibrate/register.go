package calibrate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
	"listetak/internal/csvtable"
)

// Columns of a register panel (DATA.md section 2).
var (
	registerRequired = []string{"gp_id", "year", "municipality", "centrality", "sex", "birth_year", "contract", "ceiling", "list_length"}
	registerColumns  = append(slices.Clone(registerRequired), "specialist", "capitation_income", "fee_income", "exit")
	muniYearRequired = []string{"municipality", "year", "population", "orphans", "vacant_slots"}
)

// Bounds of register values. A GP younger than MinAge or older than MaxAge
// in a register year is impossible (medical school ends at 24 at the
// earliest; the oldest Norwegian GPs are in their late 70s), so such a row is
// an error, as are years outside MinYear..MaxYear.
const (
	MinAge  = 20
	MaxAge  = 90
	MinYear = 1900
	MaxYear = 2200
	// maxErrors caps the problems reported at once; the rest are counted.
	maxErrors = 50
	// maxCount bounds ceilings, lists and municipality counts (persons):
	// far above any real value, small enough for int32 sums.
	maxCount = 100_000_000
)

// errList collects errors up to maxErrors and counts the rest.
type errList struct {
	errs []error
	more int
}

func (e *errList) addf(format string, args ...any) {
	if len(e.errs) < maxErrors {
		e.errs = append(e.errs, fmt.Errorf(format, args...))
		return
	}
	e.more++
}

func (e *errList) err() error {
	errs := e.errs
	if e.more > 0 {
		errs = append(slices.Clip(errs), fmt.Errorf("... and %d more problems", e.more))
	}
	return errors.Join(errs...)
}

// source is a table read from CSV or Parquet: a header and rows of cells as
// text, each with a position for messages ("file:line" for CSV, "file: row
// n" for Parquet).
type source struct {
	name  string
	idx   map[string]int
	rows  [][]string
	where func(i int) string
}

// cell returns row i's value of col and whether the column exists.
func (s *source) cell(i int, col string) (string, bool) {
	j, ok := s.idx[col]
	if !ok {
		return "", false
	}
	return s.rows[i][j], true
}

// ReadRegister reads a register panel (DATA.md section 2) from a CSV file or,
// when the name ends in .parquet, a Parquet file with the same column names.
// Column order is free. Every problem is reported at once (up to 50), each
// naming the file, the line (CSV) or row (Parquet) and the column, and no
// Panel is returned when there is any: a missing required column, a value
// that does not parse, a year outside MinYear..MaxYear, an age (year -
// birth_year) outside MinAge..MaxAge, a centrality outside 1..6, sex other
// than F/M, contract other than self/salaried, specialist or exit other than
// 0/1, a negative ceiling, list or income, a gp_id twice in one year, a GP
// whose sex or birth year changes between years, a municipality with two
// centralities in one year, and an exit column contradicting presence (exit
// 1 with the GP in the panel the next year, or 0 with the GP absent the next
// year before the last panel year). A list above its ceiling is kept and
// counted in Panel.Warnings, as are unknown columns. Messages never quote a
// cell's value or a gp_id: a register is personal data.
func ReadRegister(path string) (*Panel, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(filepath.Ext(path), ".parquet") {
		return readRegisterParquet(path, data)
	}
	return readRegisterCSV(path, data)
}

// readRegisterCSV parses CSV bytes; name prefixes messages.
func readRegisterCSV(name string, data []byte) (*Panel, error) {
	src, errs := csvSource(name, data, registerRequired)
	if src == nil {
		return nil, errs.err()
	}
	return parseRegister(src, errs)
}

// csvSource reads CSV bytes into a source (csvtable.Read: header, rows
// with the header's field count, trimmed cells, line numbers). A header
// problem or a missing required column is an error and src is nil; a row
// the reader cannot use is an error and the rest are still read.
func csvSource(name string, data []byte, required []string) (*source, *errList) {
	errs := &errList{}
	t := csvtable.Read(data, required)
	headerBad := !t.Usable
	for _, p := range t.Problems {
		if p.Line <= t.HeaderLine {
			headerBad = true
		}
		errs.addf("%v", p.In(name))
	}
	if headerBad {
		return nil, errs
	}
	lines := t.Lines
	src := &source{name: name, idx: t.Index, rows: t.Rows,
		where: func(i int) string { return fmt.Sprintf("%s:%d", name, lines[i]) }}
	return src, errs
}

// readRegisterParquet parses a Parquet file whose columns carry the CSV
// names. Numbers may be stored as INT32, INT64, FLOAT or DOUBLE, text as
// BYTE_ARRAY; nulls are empty cells. Row numbers in messages count from 1.
func readRegisterParquet(name string, data []byte) (p *Panel, err error) {
	src, errs := parquetSource(name, data, registerRequired)
	if src == nil {
		return nil, errs.err()
	}
	return parseRegister(src, errs)
}

// parquetSource reads a flat Parquet file into a source (cells as text).
func parquetSource(name string, data []byte, required []string) (src *source, errs *errList) {
	errs = &errList{}
	defer func() {
		if r := recover(); r != nil { // parquet-go panics on some corrupt files
			src = nil
			errs.addf("%s: not a readable Parquet file: %v", name, r)
		}
	}()
	pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		errs.addf("%s: not a readable Parquet file: %v", name, err)
		return nil, errs
	}
	src = &source{name: name, idx: map[string]int{}}
	cols := pf.Schema().Columns()
	for j, path := range cols {
		if len(path) != 1 {
			errs.addf("%s: column %q: nested columns are not supported", name, strings.Join(path, "."))
			continue
		}
		src.idx[path[0]] = j
	}
	for _, c := range required {
		if _, ok := src.idx[c]; !ok {
			errs.addf("%s: column %q: required column missing", name, c)
		}
	}
	if len(errs.errs) > 0 {
		return nil, errs
	}
	rd := parquet.NewReader(pf)
	defer rd.Close()
	buf := make([]parquet.Row, 1024)
	for {
		n, err := rd.ReadRows(buf)
		for _, row := range buf[:n] {
			rec := make([]string, len(cols))
			for _, v := range row {
				c := v.Column()
				if c < 0 || c >= len(rec) || v.IsNull() {
					continue
				}
				switch v.Kind() {
				case parquet.Int32:
					rec[c] = strconv.FormatInt(int64(v.Int32()), 10)
				case parquet.Int64:
					rec[c] = strconv.FormatInt(v.Int64(), 10)
				case parquet.Float:
					rec[c] = strconv.FormatFloat(float64(v.Float()), 'g', -1, 32)
				case parquet.Double:
					rec[c] = strconv.FormatFloat(v.Double(), 'g', -1, 64)
				case parquet.Boolean:
					rec[c] = map[bool]string{false: "0", true: "1"}[v.Boolean()]
				default:
					rec[c] = strings.TrimSpace(string(v.ByteArray()))
				}
			}
			src.rows = append(src.rows, rec)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			errs.addf("%s: row %d: %v", name, len(src.rows)+1, err)
			return nil, errs
		}
		if n == 0 {
			break
		}
	}
	src.where = func(i int) string { return fmt.Sprintf("%s: row %d", name, i+1) }
	return src, errs
}

// parseRegister turns a source into a Panel with every check of ReadRegister.
func parseRegister(src *source, errs *errList) (*Panel, error) {
	p := &Panel{}
	for c := range src.idx {
		if !slices.Contains(registerColumns, c) {
			p.Warnings.UnknownColumns = append(p.Warnings.UnknownColumns, c)
		}
	}
	slices.Sort(p.Warnings.UnknownColumns)
	_, hasCap := src.idx["capitation_income"]
	_, hasFee := src.idx["fee_income"]
	p.HasIncome = hasCap && hasFee
	_, hasExit := src.idx["exit"]
	ids := map[string]int32{}
	munis := map[string]int32{}
	given := make([]int8, len(src.rows)) // the exit column as given, -1 absent
	bad := func(i int, col, msg string) { errs.addf("%s: column %q: %s", src.where(i), col, msg) }
	intCell := func(i int, col string, lo, hi int64, what string) (int64, bool) {
		s, _ := src.cell(i, col)
		if s == "" {
			bad(i, col, "empty (required)")
			return 0, false
		}
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			// Parquet doubles and CSV "12.0" are accepted when whole.
			f, ferr := strconv.ParseFloat(s, 64)
			if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
				bad(i, col, "not an integer")
				return 0, false
			}
			v = int64(f)
		}
		if v < lo || v > hi {
			bad(i, col, fmt.Sprintf("%s outside %d..%d", what, lo, hi))
			return 0, false
		}
		return v, true
	}
	floatCell := func(i int, col string) float64 {
		s, ok := src.cell(i, col)
		if !ok || s == "" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			bad(i, col, "not a finite number")
			return math.NaN()
		}
		if v < 0 {
			bad(i, col, "negative income")
			return math.NaN()
		}
		return v
	}
	choice := func(i int, col string, required bool, values ...string) int {
		s, ok := src.cell(i, col)
		if !ok || s == "" {
			if required {
				bad(i, col, "empty (required)")
			}
			return -1
		}
		for k, v := range values {
			if s == v {
				return k
			}
		}
		bad(i, col, "not one of "+strings.Join(values, ", "))
		return -1
	}
	p.Rows = make([]Row, 0, len(src.rows))
	rowOf := make([]int, 0, len(src.rows)) // source row of each panel row
	for i := range src.rows {
		var r Row
		ok := true
		id, _ := src.cell(i, "gp_id")
		if id == "" {
			bad(i, "gp_id", "empty (required)")
			ok = false
		}
		code, _ := src.cell(i, "municipality")
		if code == "" {
			bad(i, "municipality", "empty (required)")
			ok = false
		}
		year, ok1 := intCell(i, "year", MinYear, MaxYear, "year")
		cent, ok2 := intCell(i, "centrality", 1, 6, "centrality (unknown class)")
		birth, ok3 := intCell(i, "birth_year", MinYear-MaxAge, MaxYear, "birth year")
		ceil, ok4 := intCell(i, "ceiling", 0, maxCount, "ceiling")
		list, ok5 := intCell(i, "list_length", 0, maxCount, "list length")
		ok = ok && ok1 && ok2 && ok3 && ok4 && ok5
		if ok1 && ok3 {
			if a := year - birth; a < MinAge || a > MaxAge {
				bad(i, "birth_year", fmt.Sprintf("impossible age: year - birth_year outside %d..%d", MinAge, MaxAge))
				ok = false
			}
		}
		sex := choice(i, "sex", true, "M", "F")
		contract := choice(i, "contract", true, "self", "salaried")
		spec := choice(i, "specialist", false, "0", "1")
		given[i] = int8(choice(i, "exit", false, "0", "1"))
		r.Capitation, r.Fees = floatCell(i, "capitation_income"), floatCell(i, "fee_income")
		if !p.HasIncome {
			r.Capitation, r.Fees = math.NaN(), math.NaN()
		}
		if sex < 0 || contract < 0 {
			ok = false
		}
		if !ok {
			continue
		}
		gp, seen := ids[id]
		if !seen {
			gp = int32(len(p.IDs))
			ids[id] = gp
			p.IDs = append(p.IDs, id)
		}
		m, seen := munis[code]
		if !seen {
			m = int32(len(p.Munis))
			munis[code] = m
			p.Munis = append(p.Munis, code)
		}
		r.GP, r.Year, r.Muni, r.Centrality = gp, int32(year), m, int8(cent)
		r.Female, r.Salaried, r.Specialist = sex == 1, contract == 1, int8(spec)
		r.BirthYear, r.Ceiling, r.List = int32(birth), int32(ceil), int32(list)
		if r.List > r.Ceiling {
			p.Warnings.ListAboveCeiling++
		}
		p.Rows = append(p.Rows, r)
		rowOf = append(rowOf, i)
	}
	if len(src.rows) == 0 {
		errs.addf("%s: no data rows", src.name)
	}
	if len(errs.errs) > 0 {
		return nil, errs.err()
	}
	// Cross-row checks on the rows sorted by GP and year.
	order := make([]int, len(p.Rows))
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(a, b int) int {
		ra, rb := &p.Rows[a], &p.Rows[b]
		if ra.GP != rb.GP {
			return int(ra.GP - rb.GP)
		}
		if ra.Year != rb.Year {
			return int(ra.Year - rb.Year)
		}
		return a - b
	})
	type my struct {
		muni int32
		year int32
	}
	centOf := map[my]int{}
	for k, o := range order {
		r := &p.Rows[o]
		i := rowOf[o]
		key := my{r.Muni, r.Year}
		if first, seen := centOf[key]; seen {
			if p.Rows[first].Centrality != r.Centrality {
				bad(i, "centrality", fmt.Sprintf("the municipality has another centrality in the same year at %s", src.where(rowOf[first])))
			}
		} else {
			centOf[key] = o
		}
		if k == 0 {
			continue
		}
		prev := &p.Rows[order[k-1]]
		if prev.GP != r.GP {
			continue
		}
		pi := rowOf[order[k-1]]
		switch {
		case prev.Year == r.Year:
			bad(i, "gp_id", fmt.Sprintf("duplicate gp_id and year (also at %s)", src.where(pi)))
		case prev.Female != r.Female:
			bad(i, "sex", fmt.Sprintf("the GP's sex differs from its row at %s", src.where(pi)))
		case prev.BirthYear != r.BirthYear:
			bad(i, "birth_year", fmt.Sprintf("the GP's birth year differs from its row at %s", src.where(pi)))
		}
	}
	if len(errs.errs) > 0 {
		return nil, errs.err()
	}
	// Keep the source row of every panel row through the sort in finish.
	srcRow := make(map[[2]int32]int, len(p.Rows))
	for k, r := range p.Rows {
		srcRow[[2]int32{r.GP, r.Year}] = rowOf[k]
	}
	p.finish()
	if hasExit {
		for k := range p.Rows {
			r := &p.Rows[k]
			i := srcRow[[2]int32{r.GP, r.Year}]
			g := given[i]
			if g < 0 || r.Exit < 0 {
				continue // not given, or the last year (censored)
			}
			if g == 1 && r.Exit == 0 {
				bad(i, "exit", "exit 1 but the GP is in the panel the next year")
			}
			if g == 0 && r.Exit == 1 {
				bad(i, "exit", "exit 0 but the GP is not in the panel the next year")
			}
		}
		if len(errs.errs) > 0 {
			return nil, errs.err()
		}
	}
	return p, nil
}

// ReadMunicipalityYears reads municipality_years.csv (DATA.md section 2:
// municipality, year, population, orphans, vacant_slots; CSV or Parquet by
// extension). Counts must be whole numbers >= 0 with orphans <= population;
// a municipality twice in one year is an error. Every problem is reported
// at once, naming file, line or row and column.
func ReadMunicipalityYears(path string) (*MuniYears, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var src *source
	var errs *errList
	if strings.EqualFold(filepath.Ext(path), ".parquet") {
		src, errs = parquetSource(path, data, muniYearRequired)
	} else {
		src, errs = csvSource(path, data, muniYearRequired)
	}
	if src == nil {
		return nil, errs.err()
	}
	return parseMuniYears(src, errs)
}

func parseMuniYears(src *source, errs *errList) (*MuniYears, error) {
	out := &MuniYears{ByKey: map[MuniYearKey]MuniYear{}}
	where := map[MuniYearKey]int{}
	num := func(i int, col string, lo, hi int64) (int64, bool) {
		s, _ := src.cell(i, col)
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			errs.addf("%s: column %q: not an integer", src.where(i), col)
			return 0, false
		}
		if v < lo || v > hi {
			errs.addf("%s: column %q: outside %d..%d", src.where(i), col, lo, hi)
			return 0, false
		}
		return v, true
	}
	for i := range src.rows {
		code, _ := src.cell(i, "municipality")
		if code == "" {
			errs.addf("%s: column %q: empty (required)", src.where(i), "municipality")
		}
		y, ok1 := num(i, "year", MinYear, MaxYear)
		pop, ok2 := num(i, "population", 0, maxCount)
		orph, ok3 := num(i, "orphans", 0, maxCount)
		vac, ok4 := num(i, "vacant_slots", 0, maxCount)
		if code == "" || !(ok1 && ok2 && ok3 && ok4) {
			continue
		}
		if orph > pop {
			errs.addf("%s: column %q: more orphans than population", src.where(i), "orphans")
			continue
		}
		k := MuniYearKey{code, int(y)}
		if first, dup := where[k]; dup {
			errs.addf("%s: column %q: municipality twice in one year (also at %s)", src.where(i), "municipality", src.where(first))
			continue
		}
		where[k] = i
		out.ByKey[k] = MuniYear{Population: pop, Orphans: orph, Vacant: vac}
	}
	if len(src.rows) == 0 {
		errs.addf("%s: no data rows", src.name)
	}
	if len(errs.errs) > 0 {
		return nil, errs.err()
	}
	return out, nil
}
