package world

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	"listetak/finance"
	"listetak/internal/csvtable"
)

// File names of a world folder (DATA.md section 1).
const (
	MunicipalitiesFile = "municipalities.csv"
	SlotsFile          = "slots.csv"
	MetaFile           = "world.yaml"
)

// ReferenceRate is the flat capitation (2019 NOK per listed person per year)
// of a world folder without a baseline scheme: r_flat of the reference
// parameters (MODEL.md "Reference parameters").
const ReferenceRate = 499

// Columns of municipalities.csv (DATA.md section 1). The column imputed (0/1,
// default 0) is an addition of this package: it carries Municipality.Imputed
// so that a written world reads back identical.
var (
	muniRequired = []string{"code", "population", "centrality"}
	muniColumns  = []string{"code", "name", "population", "centrality", "growth", "extra_hours", "min_gps", "imputed"}
)

// Columns of slots.csv (DATA.md section 1). ceiling, age and sex are
// required for held slots only.
var (
	slotRequired = []string{"slot_id", "municipality", "status", "list_length"}
	slotColumns  = []string{"slot_id", "municipality", "status", "list_length", "ceiling", "age", "sex",
		"specialist", "contract", "contract_years",
		"leisure_value", "loss_aversion", "staff_step", "reference_income"}
	// slotStateColumns are the columns of a saved simulation state
	// (docs/formats.md "A saved state"), written only when some slot
	// carries one.
	slotStateColumns = []string{"last_income", "appeal", "vacant_years"}
	// allSlotColumns are every column slots.csv may hold.
	allSlotColumns = slices.Concat(slotColumns, slotStateColumns)
)

// ReadDir reads the world folder dir: municipalities.csv, slots.csv and the
// optional world.yaml (DATA.md section 1), CompositionFile and
// PopulationFile.
//
// Column order is free; an unknown column of municipalities.csv or slots.csv
// is ignored and reported in World.Notes (in CompositionFile and
// PopulationFile it is an error). Every problem is reported at once (up to 50, joined with
// errors.Join), each naming file, line and column as in
//
//	dir/slots.csv:12: column "ceiling": list_length 1300 exceeds ceiling 1200
//
// and no World is returned when there is any. world.yaml holds the keys
// name, year, source, nok_index (default 1, > 0), baseline (a finance.Spec)
// and notes, decoded strictly: an unknown key is an error. Without world.yaml,
// or where it leaves them out, the name is the folder's base name, the money
// index 1 and the baseline flat ReferenceRate.
func ReadDir(dir string) (*World, error) {
	name := filepath.Base(dir)
	if abs, err := filepath.Abs(dir); err == nil {
		name = filepath.Base(abs)
	}
	return readWorld(dir, name, os.ReadFile)
}

// readWorld reads a world folder through readFile (os.ReadFile, or an
// in-memory map in the fuzz tests); dir prefixes the file names in messages
// and name is the world's default name.
func readWorld(dir, name string, readFile func(path string) ([]byte, error)) (*World, error) {
	var errs errList
	w := &World{Name: name, NokIndex: 1, Baseline: finance.Spec{Rate: ReferenceRate}}

	readMeta(filepath.Join(dir, MetaFile), readFile, w, &errs)

	mt := readTable(filepath.Join(dir, MunicipalitiesFile), readFile, muniColumns, muniRequired, &errs)
	st := readTable(filepath.Join(dir, SlotsFile), readFile, allSlotColumns, slotRequired, &errs)
	for i, t := range []*table{mt, st} {
		known := [][]string{muniColumns, allSlotColumns}[i]
		for _, c := range t.unknown {
			note := fmt.Sprintf("%s: column %q is unknown and was ignored", t.path, c)
			if near := nearest(c, known); near != "" {
				note += fmt.Sprintf(" (did you mean %q?)", near)
			}
			w.Notes = append(w.Notes, note)
			w.Warnings = append(w.Warnings, note)
		}
	}

	mp := &parser{t: mt, failed: map[cellKey]bool{}}
	codes := map[string]int{}
	w.Municipalities = make([]Municipality, len(mt.rows))
	for i := range mt.rows {
		w.Municipalities[i] = mp.municipality(i)
		if c := w.Municipalities[i].Code; c != "" {
			if _, dup := codes[c]; !dup {
				codes[c] = i
			}
		}
	}
	sp := &parser{t: st, failed: map[cellKey]bool{}}
	if mt.ok && len(mt.rows) == 0 && len(mt.errs) == 0 {
		errs.add(fmt.Errorf("%s:%d: no municipality rows (only the header)", mt.path, mt.headerLine+1))
	}
	if len(mt.rows) == 0 || len(mt.errs) > 0 {
		// The municipalities are not all known (no rows, or a row the CSV
		// reader could not read, such as a stray quote): files that refer
		// to them are not checked, so the cause is reported alone.
		mt.ok = false
	}
	if !mt.ok {
		codes = nil // municipality codes are unknown: do not report every slot
	}
	w.Slots = make([]Slot, len(st.rows))
	for i := range st.rows {
		w.Slots[i] = sp.slot(i, codes)
	}

	if mt.ok {
		readComposition(dir, readFile, w, codes, &errs)
		if st.ok && len(st.errs) == 0 {
			readListComposition(dir, readFile, w, &errs)
		}
	}
	readPopulation(dir, readFile, w, &errs)

	skip := func(slot bool, row int, col string) bool {
		if slot {
			return sp.failed[cellKey{row, col}]
		}
		return mp.failed[cellKey{row, col}]
	}
	for _, is := range checkWorld(w, skip) {
		p := mp
		if is.slot {
			p = sp
		}
		msg := is.msg
		if is.first >= 0 {
			msg += fmt.Sprintf(" (first on line %d)", p.t.lines[is.first])
		}
		p.errs = append(p.errs, csvtable.Problem{Line: p.t.lines[is.row], Col: is.col, Msg: msg})
	}
	for _, p := range []*parser{mp, sp} {
		p.errs = append(p.errs, p.t.errs...)
		// In line order, and within a line in column order.
		colPos := func(col string) int {
			if j, ok := p.t.idx[col]; ok {
				return j
			}
			return -1
		}
		slices.SortStableFunc(p.errs, func(a, b csvtable.Problem) int {
			return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(colPos(a.Col), colPos(b.Col)))
		})
		for _, e := range p.errs {
			errs.add(e.In(p.t.path))
		}
	}
	if errs.len() > 0 {
		return nil, errs.err()
	}
	return w, nil
}

// table is a CSV file read into memory (csvtable.Read): the header, the
// data rows and their line numbers, and the problems found while reading.
type table struct {
	path       string
	ok         bool // the file was read and its header has the required columns
	headerLine int
	idx        map[string]int // column name -> field index
	unknown    []string
	rows       [][]string
	lines      []int
	errs       []csvtable.Problem
	missing    map[string]bool // columns already reported missing
}

// readTable reads a CSV file with csvtable.Read. A missing file is an
// error in errs; the file's own problems are in the table's errs, and
// columns not in known are listed in unknown.
func readTable(path string, readFile func(string) ([]byte, error), known, required []string, errs *errList) *table {
	t := &table{path: path, idx: map[string]int{}, missing: map[string]bool{}, headerLine: 1}
	data, err := readFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			errs.addf("%s: file missing", path)
		} else {
			errs.add(err)
		}
		return t
	}
	ct := csvtable.Read(data, required)
	t.ok, t.headerLine, t.rows, t.lines, t.errs = ct.Usable, ct.HeaderLine, ct.Rows, ct.Lines, ct.Problems
	if ct.Index != nil {
		t.idx = ct.Index
	}
	for _, c := range ct.Missing {
		t.missing[c] = true
	}
	for _, c := range ct.Names {
		if _, ok := t.idx[c]; ok && !slices.Contains(known, c) && !slices.Contains(t.unknown, c) {
			t.unknown = append(t.unknown, c)
		}
	}
	return t
}

// cellKey names a cell by row index and column.
type cellKey struct {
	row int
	col string
}

// parser turns the rows of a table into Municipality and Slot values,
// recording the cells that fail to parse so that the shared checks
// (checkWorld) skip them.
type parser struct {
	t      *table
	errs   []csvtable.Problem
	failed map[cellKey]bool
}

// cell returns the trimmed value of a column in row i ("" when the column is
// absent) and whether the column exists.
func (p *parser) cell(i int, col string) (string, bool) {
	j, ok := p.t.idx[col]
	if !ok {
		return "", false
	}
	return p.t.rows[i][j], true
}

func (p *parser) fail(i int, col, format string, args ...any) {
	p.failed[cellKey{i, col}] = true
	p.errs = append(p.errs, csvtable.Problem{Line: p.t.lines[i], Col: col, Msg: fmt.Sprintf(format, args...)})
}

// require reports a missing value of a column that row i needs: once at the
// header when the whole column is absent, else at the row. held tells that
// the column is required for held slots only.
func (p *parser) require(i int, col string, held bool) {
	p.failed[cellKey{i, col}] = true
	if _, ok := p.t.idx[col]; ok {
		msg := "missing value"
		if held {
			msg += ", required for a held slot"
		}
		p.errs = append(p.errs, csvtable.Problem{Line: p.t.lines[i], Col: col, Msg: msg})
		return
	}
	if !p.t.missing[col] {
		p.t.missing[col] = true
		msg := "required column missing"
		if held {
			msg = "column missing, required for held slots"
		}
		p.errs = append(p.errs, csvtable.Problem{Line: p.t.headerLine, Col: col, Msg: msg})
	}
}

// str returns a string cell; a required one must not be empty.
func (p *parser) str(i int, col string, required bool) string {
	s, _ := p.cell(i, col)
	if s == "" && required {
		p.require(i, col, false)
	}
	return s
}

// int64 parses an integer cell; ok is false when the cell is empty or bad.
func (p *parser) int64(i int, col string, required bool) (v int64, ok bool) {
	s, _ := p.cell(i, col)
	if s == "" {
		if required {
			p.require(i, col, false)
		}
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			p.fail(i, col, "%q is out of range", s)
		} else {
			p.fail(i, col, "%q is not an integer", s)
		}
		return 0, false
	}
	return v, true
}

// int parses an integer cell that must fit an int.
func (p *parser) int(i int, col string, required bool) (int, bool) {
	v, ok := p.int64(i, col, required)
	if ok && (v < math.MinInt || v > math.MaxInt) {
		p.fail(i, col, "%d is out of range", v)
		return 0, false
	}
	return int(v), ok
}

func (p *parser) optInt(i int, col string) Opt[int] {
	v, ok := p.int(i, col, false)
	return Opt[int]{V: v, OK: ok}
}

// optFloat parses an optional finite number.
func (p *parser) optFloat(i int, col string) Opt[float64] {
	s, _ := p.cell(i, col)
	if s == "" {
		return Opt[float64]{}
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		p.fail(i, col, "%q is out of range", s)
	case err != nil:
		p.fail(i, col, "%q is not a number", s)
	case !finite(v):
		p.fail(i, col, "%q is not a finite number", s)
	default:
		return Some(v)
	}
	return Opt[float64]{}
}

// choice returns the index of the cell's value in values, -1 when empty or
// bad.
func (p *parser) choice(i int, col string, values ...string) int {
	s, _ := p.cell(i, col)
	if s == "" {
		return -1
	}
	if k := slices.Index(values, s); k >= 0 {
		return k
	}
	p.fail(i, col, "%q is not one of %s", s, strings.Join(values, ", "))
	return -1
}

// municipality parses row i of municipalities.csv.
func (p *parser) municipality(i int) Municipality {
	m := Municipality{
		Code:       p.str(i, "code", true),
		Name:       p.str(i, "name", false),
		Growth:     p.optFloat(i, "growth"),
		ExtraHours: p.optFloat(i, "extra_hours"),
		MinGPs:     p.optInt(i, "min_gps"),
		Imputed:    p.choice(i, "imputed", "0", "1") == 1,
	}
	m.Population, _ = p.int64(i, "population", true)
	if c, ok := p.int(i, "centrality", true); ok {
		m.Centrality = c
	}
	return m
}

// slot parses row i of slots.csv; codes maps municipality codes to indices
// (nil when municipalities.csv could not be read).
func (p *parser) slot(i int, codes map[string]int) Slot {
	s := Slot{
		ID:              p.str(i, "slot_id", true),
		Muni:            -1,
		Specialist:      p.choice(i, "specialist", "0", "1") == 1,
		Salaried:        p.choice(i, "contract", "self", "salaried") == 1,
		ContractYears:   p.optInt(i, "contract_years"),
		LeisureValue:    p.optFloat(i, "leisure_value"),
		LossAversion:    p.optFloat(i, "loss_aversion"),
		StaffStep:       p.optFloat(i, "staff_step"),
		ReferenceIncome: p.optFloat(i, "reference_income"),
		LastIncome:      p.optFloat(i, "last_income"),
		Appeal:          p.optFloat(i, "appeal"),
		VacantYears:     p.optInt(i, "vacant_years"),
	}
	if code := p.str(i, "municipality", true); code != "" {
		if m, ok := codes[code]; ok {
			s.Muni = m
		} else {
			if codes != nil {
				p.fail(i, "municipality", "unknown municipality code %q (not in %s)", code, MunicipalitiesFile)
			}
			p.failed[cellKey{i, "municipality"}] = true
		}
	} else {
		p.failed[cellKey{i, "municipality"}] = true
	}
	if v, _ := p.cell(i, "status"); v == "" {
		p.require(i, "status", false)
	}
	s.Held = p.choice(i, "status", "held", "vacant") == 0
	if l, ok := p.int(i, "list_length", true); ok {
		s.List = l
	}
	if c, ok := p.int(i, "ceiling", false); ok {
		s.Ceiling = Some(c)
	} else if s.Held && !p.failed[cellKey{i, "ceiling"}] {
		p.require(i, "ceiling", true)
	}
	if a, ok := p.int(i, "age", false); ok {
		s.Age = a
	} else if s.Held && !p.failed[cellKey{i, "age"}] {
		p.require(i, "age", true)
	}
	switch p.choice(i, "sex", "F", "M") {
	case 0:
		s.Female = true
	case -1:
		if v, _ := p.cell(i, "sex"); v == "" && s.Held {
			p.require(i, "sex", true)
		}
	}
	return s
}

// baselineSpec is world.yaml's baseline: a scheme's definition (a
// mapping, finance.Spec) or the name of a published one
// (finance.NamedSchemes: baseline-2019, riskadj-2023), read as its
// definition.
type baselineSpec struct{ finance.Spec }

// UnmarshalYAML decodes a name or a definition.
func (b *baselineSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		s, ok := finance.NamedScheme(n.Value)
		if !ok {
			return fmt.Errorf("line %d: %q is not a scheme name (%s) or a scheme definition", n.Line, n.Value, strings.Join(finance.NamedSchemes(), ", "))
		}
		b.Spec = s
		return nil
	}
	// Node.Decode does not inherit the file decoder's strictness: check
	// the keys here, in the decoder's words, so a misspelt key is an error.
	if err := knownKeys(n, reflect.TypeOf(finance.Spec{})); err != nil {
		return err
	}
	return n.Decode(&b.Spec)
}

// knownKeys reports the first key of mapping n (and of its nested
// mappings) that struct type t has no yaml field for, as the YAML decoder
// words it ("line N: field K not found in type T").
func knownKeys(n *yaml.Node, t reflect.Type) error {
	if n.Kind != yaml.MappingNode || t.Kind() != reflect.Struct {
		return nil
	}
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		if tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]; tag != "" && tag != "-" {
			fields[tag] = t.Field(i).Type
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ft, ok := fields[k.Value]
		if !ok {
			return fmt.Errorf("line %d: field %s not found in type %s", k.Line, k.Value, t)
		}
		if err := knownKeys(n.Content[i+1], ft); err != nil {
			return err
		}
	}
	return nil
}

// MarshalYAML writes the definition.
func (b baselineSpec) MarshalYAML() (any, error) { return b.Spec, nil }

// metaFile is world.yaml (DATA.md section 1). Notes is an addition of this
// package, so that a written world reads back with its notes.
type metaFile struct {
	Name      string        `yaml:"name,omitempty"`
	Year      int           `yaml:"year,omitempty"`
	Source    string        `yaml:"source,omitempty"`
	NokIndex  *float64      `yaml:"nok_index,omitempty"`
	Baseline  *baselineSpec `yaml:"baseline,omitempty"`
	AgesDrawn bool          `yaml:"ages_drawn,omitempty"`
	// PersonalData marks a world built from a register (World.PersonalData).
	PersonalData bool       `yaml:"personal_data,omitempty"`
	SavedFrom    *SavedFrom `yaml:"saved_from,omitempty"`
	Notes        []string   `yaml:"notes,omitempty"`
}

var (
	yamlLineRe    = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	yamlUnknownRe = regexp.MustCompile(`^field (.+) not found in type .*$`)
)

// readMeta reads the optional world.yaml into w, strictly: unknown keys are
// errors naming the key and its line (yaml.v3 Decoder.KnownFields).
func readMeta(path string, readFile func(string) ([]byte, error), w *World, errs *errList) {
	data, err := readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		errs.add(err)
		return
	}
	// A bug in the YAML library must not crash the reader: report it as a
	// problem with the file.
	defer func() {
		if r := recover(); r != nil {
			errs.addf("%s: the YAML decoder failed: %v", path, r)
		}
	}()
	yamlErr := func(err error) {
		var te *yaml.TypeError
		msgs := []string{err.Error()}
		if errors.As(err, &te) {
			msgs = te.Errors
		}
		for _, m := range msgs {
			sub := yamlLineRe.FindStringSubmatch(m)
			if sub == nil {
				errs.addf("%s: %s", path, m)
				continue
			}
			msg := sub[2]
			if u := yamlUnknownRe.FindStringSubmatch(msg); u != nil {
				msg = fmt.Sprintf("key %q: unknown key", u[1])
			}
			errs.addf("%s:%s: %s", path, sub[1], msg)
		}
	}
	var doc yaml.Node // for the lines of keys
	if err := yaml.Unmarshal(data, &doc); err != nil {
		yamlErr(err)
		return
	}
	var mf metaFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&mf); err != nil && err != io.EOF {
		yamlErr(err)
		return
	} else if err == nil {
		var extra yaml.Node
		if dec.Decode(&extra) != io.EOF {
			errs.addf("%s: more than one YAML document", path)
			return
		}
	}
	// node returns the key and value nodes at a path of keys, nil when
	// absent.
	node := func(keys ...string) (key, val *yaml.Node) {
		if len(doc.Content) != 1 {
			return nil, nil
		}
		val = doc.Content[0]
		for _, name := range keys {
			if val.Kind != yaml.MappingNode {
				return nil, nil
			}
			var k, v *yaml.Node
			for j := 0; j+1 < len(val.Content); j += 2 {
				if val.Content[j].Value == name {
					k, v = val.Content[j], val.Content[j+1]
				}
			}
			if v == nil {
				return nil, nil
			}
			key, val = k, v
		}
		return key, val
	}
	keyLine := func(name string) int {
		if k, _ := node(name); k != nil {
			return k.Line
		}
		return 1
	}
	// yaml.v3 silently truncates a float such as 2011.5 into an int field.
	for _, keys := range [][]string{{"year"}, {"baseline", "guarantee", "max_contract_years"}, {"saved_from", "replication"}, {"saved_from", "year"}, {"saved_from", "seed"}} {
		if _, n := node(keys...); n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!int" {
			errs.addf("%s:%d: key %q: %q is not an integer", path, n.Line, strings.Join(keys, "."), n.Value)
		}
	}
	if mf.Name != "" {
		w.Name = mf.Name
	}
	w.Year = mf.Year
	w.Source = mf.Source
	w.AgesDrawn = mf.AgesDrawn
	w.PersonalData = mf.PersonalData
	w.SavedFrom = mf.SavedFrom
	if len(mf.Notes) > 0 {
		w.Notes = mf.Notes
	}
	if mf.NokIndex != nil {
		if v := *mf.NokIndex; !finite(v) || v <= 0 {
			errs.addf("%s:%d: key %q: %v is not a finite index > 0", path, keyLine("nok_index"), "nok_index", v)
		}
		w.NokIndex = *mf.NokIndex
	}
	if mf.Baseline != nil {
		if err := mf.Baseline.Validate("baseline"); err != nil {
			for _, e := range unjoin(err) {
				errs.addf("%s:%d: key %q: %v", path, keyLine("baseline"), "baseline", e)
			}
		}
		w.Baseline = mf.Baseline.Spec
		// An empty list is no list: "breaks: []" reads as an absent one, so
		// the world writes back the same (the writer omits empty lists).
		if len(w.Baseline.Breaks) == 0 {
			w.Baseline.Breaks = nil
		}
		if len(w.Baseline.Rates) == 0 {
			w.Baseline.Rates = nil
		}
	}
}

// nearest returns the name in names within two edits of s (the closest;
// "" when none is): the column a misspelt header meant.
func nearest(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(s, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
