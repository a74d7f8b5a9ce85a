package world

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"

	"listetak/demog"
	"listetak/internal/csvtable"
)

// DefaultName is the embedded world a run uses when it names none
// (MODEL.md "The embedded worlds").
const DefaultName = "norway-2025"

// Names of the embedded worlds.
const (
	Norway2025 = "norway-2025"
	Norway2011 = "norway-2011"
)

//go:embed data/*.csv
var dataFS embed.FS

// Data returns the embedded data files, copies of files in the project's
// shared data folder (their sources are in data/SOURCES.md): kommuner_2024.csv,
// ssb12005_fastlege_kommune_2025.csv, gp_lists_2011_10.csv,
// population_kommune_sex_ageband_2025.csv (population by municipality, sex
// and age band on 1 January 2025, for list composition) and
// population_kommune2024_1986_2026.csv (population on 1 January by
// municipality, 1986-2026, for the population path).
func Data() fs.FS {
	sub, err := fs.Sub(dataFS, "data")
	if err != nil {
		panic(err) // "data" is a valid path: cannot happen
	}
	return sub
}

// embedded maps each embedded world's name to its memoised builder: a world
// is built once per process, on first use.
var embedded = map[string]func() (*World, error){
	Norway2025: sync.OnceValues(func() (*World, error) { return buildWith(build2025) }),
	Norway2011: sync.OnceValues(func() (*World, error) { return buildWith(build2011) }),
}

func buildWith(build func(*sources) (*World, error)) (*World, error) {
	src, err := loadSources()
	if err != nil {
		return nil, err
	}
	return build(src)
}

// EmbeddedNames returns the names of the embedded worlds, the default first.
func EmbeddedNames() []string { return []string{Norway2025, Norway2011} }

// Embedded returns the embedded world of the given name ("" means
// DefaultName), built from the embedded data by deterministic code with fixed
// seeds (MODEL.md "The embedded worlds"): every call returns an identical
// world. The first call builds it (a few milliseconds); later calls return a
// fresh deep copy of the cached world, which the caller may modify.
func Embedded(name string) (*World, error) {
	if name == "" {
		name = DefaultName
	}
	build, ok := embedded[name]
	if !ok {
		return nil, fmt.Errorf("world: no embedded world %q (have %s)", name, strings.Join(EmbeddedNames(), ", "))
	}
	w, err := build()
	if err != nil {
		return nil, fmt.Errorf("world: building %s: %w", name, err)
	}
	return w.Clone(), nil
}

// Clone returns a deep copy of w.
func (w *World) Clone() *World {
	c := *w
	c.Baseline.Breaks = slices.Clone(w.Baseline.Breaks)
	c.Baseline.Rates = slices.Clone(w.Baseline.Rates)
	c.Municipalities = slices.Clone(w.Municipalities)
	c.Slots = slices.Clone(w.Slots)
	c.Notes = slices.Clone(w.Notes)
	c.Population = w.Population.Clone()
	return &c
}

// The embedded data, parsed once per process.

// kommune is a row of kommuner_2024.csv.
type kommune struct {
	code, name string
	class      int   // centrality_class
	pop2026    int64 // population 1 January 2026
}

// register is a row of ssb12005_fastlege_kommune_2025.csv (SSB table 12005
// at 31.12.2025).
type register struct {
	held     int64 // n_agreements_with_gp
	listed   int64 // patients_on_lists_with_gp
	vacant   int64 // n_lists_without_gp
	orphans  int64 // patients_on_lists_without_gp
	open     int64 // n_open_lists
	female   int64 // n_female_gps
	capacity int64 // capacity_sum_listetak
}

// list2011 is a row of gp_lists_2011_10.csv.
type list2011 struct {
	listID, gpID string
	muni         string // kommune_nr_2024; "" for the lists without an address
	vacant       bool
	female       bool
	shared       bool
	size         int64 // list_size
	implied      int64 // listetak_implied, -1 when unknown (a full list)
}

// sources holds the parsed embedded data.
type sources struct {
	kommuner []kommune // sorted by code
	ssb      map[string]register
	lists    []list2011             // in file order
	pop      map[string]*demog.Comp // population 1 Jan 2025 by municipality, sex and age band
}

const (
	fileKommuner = "kommuner_2024.csv"
	fileSSB      = "ssb12005_fastlege_kommune_2025.csv"
	fileLists    = "gp_lists_2011_10.csv"
	filePop      = "population_kommune_sex_ageband_2025.csv"
	filePopPath  = "population_kommune2024_1986_2026.csv"
)

var loadSources = sync.OnceValues(loadSourcesUncached)

func loadSourcesUncached() (*sources, error) {
	src := &sources{ssb: map[string]register{}}

	err := scanCSV(fileKommuner, []string{"kommune_nr", "kommune_name", "centrality_class", "pop_2026"}, func(t *csvRow) {
		k := kommune{code: t.str("kommune_nr"), name: t.str("kommune_name")}
		k.class = int(t.int("centrality_class"))
		k.pop2026 = t.int("pop_2026")
		if k.class < minCentrality || k.class > maxCentrality {
			t.failf("centrality_class", "%d is outside 1..6", k.class)
		}
		src.kommuner = append(src.kommuner, k)
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(src.kommuner, func(a, b kommune) int { return strings.Compare(a.code, b.code) })
	known := make(map[string]string, len(src.kommuner)) // code -> the same code, to share one string
	for _, k := range src.kommuner {
		known[k.code] = k.code
	}

	err = scanCSV(fileSSB, []string{"kommune_nr", "n_agreements_with_gp", "patients_on_lists_with_gp",
		"n_lists_without_gp", "patients_on_lists_without_gp", "n_open_lists", "n_female_gps", "capacity_sum_listetak"},
		func(t *csvRow) {
			code := t.str("kommune_nr")
			if known[code] == "" {
				t.failf("kommune_nr", "%q is not in %s", code, fileKommuner)
			}
			src.ssb[code] = register{
				held:     t.int("n_agreements_with_gp"),
				listed:   t.int("patients_on_lists_with_gp"),
				vacant:   t.int("n_lists_without_gp"),
				orphans:  t.int("patients_on_lists_without_gp"),
				open:     t.int("n_open_lists"),
				female:   t.int("n_female_gps"),
				capacity: t.int("capacity_sum_listetak"),
			}
		})
	if err != nil {
		return nil, err
	}

	src.pop = map[string]*demog.Comp{}
	band := map[string]int{}
	for b, name := range demog.BandNames {
		band[name] = b
	}
	err = scanCSV(filePop, []string{"kommune_nr", "sex", "age_band", "population"}, func(t *csvRow) {
		code := known[t.raw("kommune_nr")]
		if code == "" {
			t.failf("kommune_nr", "%q is not in %s", t.raw("kommune_nr"), fileKommuner)
			return
		}
		b, ok := band[t.raw("age_band")]
		if !ok {
			t.failf("age_band", "%q is not a known band", t.raw("age_band"))
			return
		}
		sex := t.raw("sex")
		if sex != "F" && sex != "M" {
			t.failf("sex", "%q is not F or M", sex)
			return
		}
		c := src.pop[code]
		if c == nil {
			c = &demog.Comp{}
			src.pop[code] = c
		}
		c[demog.Cell(sex == "F", b)] += t.int("population")
	})
	if err != nil {
		return nil, err
	}

	src.lists = make([]list2011, 0, 4274) // the rows of the file
	err = scanCSV(fileLists, []string{"list_id", "gp_id", "vacant_list", "gp_sex", "shared_list",
		"kommune_nr_2024", "list_size", "listetak_implied"}, func(t *csvRow) {
		l := list2011{
			listID:  t.str("list_id"),
			gpID:    t.str("gp_id"),
			muni:    known[t.raw("kommune_nr_2024")],
			vacant:  t.raw("vacant_list") == "1",
			shared:  t.raw("shared_list") == "1",
			size:    t.int("list_size"),
			implied: -1,
		}
		if t.raw("listetak_implied") != "" {
			l.implied = t.int("listetak_implied")
		}
		switch sex := t.raw("gp_sex"); {
		case sex == "F":
			l.female = true
		case sex != "M" && !l.vacant:
			t.failf("gp_sex", "%q is not F or M for a list with a GP", sex)
		}
		if m := t.raw("kommune_nr_2024"); m != "" && l.muni == "" {
			t.failf("kommune_nr_2024", "%q is not in %s", m, fileKommuner)
		}
		src.lists = append(src.lists, l)
	})
	if err != nil {
		return nil, err
	}
	return src, nil
}

// csvRow is the current row of an embedded CSV file being scanned; its
// accessors record the first bad cell in err, naming file, line and column.
type csvRow struct {
	name string
	idx  map[string]int
	rec  []string
	line int
	err  error
}

// scanCSV calls fn for each row of an embedded data file that must have the
// given columns, and returns the first problem fn recorded.
func scanCSV(name string, cols []string, fn func(*csvRow)) error {
	f, err := dataFS.Open("data/" + name) // reads the embedded bytes without a copy
	if err != nil {
		return err
	}
	defer f.Close()
	sc := csvtable.NewScanner(f)
	_, idx, _, probs, _ := sc.Header()
	if len(probs) > 0 {
		return probs[0].In(name)
	}
	t := &csvRow{name: name, idx: idx}
	for _, c := range cols {
		if _, ok := t.idx[c]; !ok {
			return fmt.Errorf("%s:1: column %q: required column missing", name, c)
		}
	}
	for t.err == nil && sc.Scan() {
		if p := sc.Problem(); p != nil {
			return p.In(name)
		}
		t.rec, t.line = sc.Record(), sc.Line()
		fn(t)
	}
	if p := sc.Err(); p != nil && t.err == nil {
		return p.In(name)
	}
	return t.err
}

// raw returns a cell of the current row, sharing the record's memory.
func (t *csvRow) raw(col string) string { return t.rec[t.idx[col]] }

// str returns a cell of the current row as a string of its own, so that
// what the sources keep does not hold on to whole records.
func (t *csvRow) str(col string) string { return strings.Clone(t.raw(col)) }

// int parses a cell that must hold an integer >= 0.
func (t *csvRow) int(col string) int64 {
	s := t.raw(col)
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		t.failf(col, "%q is not an integer >= 0", s)
		return 0
	}
	return v
}

func (t *csvRow) failf(col, format string, args ...any) {
	if t.err == nil {
		t.err = fmt.Errorf("%s:%d: column %q: %s", t.name, t.line, col, fmt.Sprintf(format, args...))
	}
}
