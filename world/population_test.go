package world

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"listetak/internal/csvtable"
)

// testPopulation is a population table with a blank figure, a zero, a code
// that is not in testWorld and years beyond the world's.
func testPopulation() *PopulationTable {
	return &PopulationTable{Rows: []PopulationRow{
		{Code: "0301", Year: 2025, Persons: Some[int64](9900)},
		{Code: "0301", Year: 2026, Persons: Some[int64](10000)},
		{Code: "0301", Year: 2027, Persons: Some[int64](10100)},
		{Code: "1101", Year: 2025},
		{Code: "1101", Year: 2026, Persons: Some[int64](5000)},
		{Code: "9999", Year: 1990, Persons: Some[int64](0)},
		{Code: "x", Year: 2026, Persons: Some[int64](1)},
	}}
}

// A world with a population table writes population.csv and reads back
// equal; Clone copies the table.
func TestPopulationRoundTrip(t *testing.T) {
	w := testWorld()
	w.Population = testPopulation()
	dir := filepath.Join(t.TempDir(), "w")
	if err := WriteDir(dir, w); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, PopulationFile))
	if err != nil {
		t.Fatal(err)
	}
	want := "kommune_nr,year,population_1jan\n0301,2025,9900\n0301,2026,10000\n0301,2027,10100\n" +
		"1101,2025,\n1101,2026,5000\n9999,1990,0\nx,2026,1\n"
	if string(data) != want {
		t.Errorf("%s =\n%s\nwant\n%s", PopulationFile, data, want)
	}
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, w) {
		t.Errorf("round trip differs:\ngot  %+v\nwant %+v", got.Population, w.Population)
	}

	c := w.Clone()
	c.Population.Rows[0].Persons.V = 1
	if w.Population.Rows[0].Persons.V != 9900 {
		t.Error("Clone shares the population table")
	}
	if n, ok := w.Population.Lookup("0301", 2027); !ok || n != 10100 {
		t.Errorf("Lookup(0301, 2027) = %d, %v", n, ok)
	}
	for _, k := range []struct {
		code string
		year int
	}{{"1101", 2025}, {"1101", 2024}, {"0302", 2025}} {
		if _, ok := w.Population.Lookup(k.code, k.year); ok {
			t.Errorf("Lookup(%s, %d) has a figure", k.code, k.year)
		}
	}
	// A world without a table writes no population.csv.
	if err := WriteDir(filepath.Join(t.TempDir(), "v"), testWorld()); err != nil {
		t.Fatal(err)
	}
}

// The shipped data file, CRLF line ends, names and notes included, is a
// valid population.csv and reads as the shipped table.
func TestPopulationFileIsShippedFormat(t *testing.T) {
	data, err := dataFS.ReadFile("data/" + filePopPath)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ReadDir(writeFiles(t, map[string]string{
		MunicipalitiesFile: baseMunis, SlotsFile: baseSlots, PopulationFile: string(data)}))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := shippedPopulation()
	if err != nil {
		t.Fatal(err)
	}
	read := w.Population.Clone()
	mergedFigures(read) // the shipped table blanks Ålesund's merged years
	if !reflect.DeepEqual(read, ix.tab) {
		t.Error("population.csv read as the shipped file differs from the shipped table")
	}
	if n := len(w.Population.Rows); n != 14637 {
		t.Errorf("%d rows, want 14637", n)
	}
}

func TestPopulationErrors(t *testing.T) {
	const head = "kommune_nr,year,population_1jan\n"
	ok := head + "0301,2011,100\n0301,2012,\n1101,2012,50\n"
	if _, err := ReadDir(writeFiles(t, map[string]string{
		MunicipalitiesFile: baseMunis, SlotsFile: baseSlots, PopulationFile: ok})); err != nil {
		t.Fatalf("valid file: %v", err)
	}
	for _, c := range []struct{ name, file, want string }{
		{"not an integer", head + "0301,2011,100\n0301,2012,12x\n",
			`population.csv:3: column "population_1jan": "12x" is not an integer`},
		{"fractional", head + "0301,2011,100.5\n",
			`population.csv:2: column "population_1jan": "100.5" is not an integer`},
		{"negative", head + "0301,2011,100\n1101,2011,-5\n",
			`population.csv:3: column "population_1jan": -5 is negative`},
		{"duplicate", head + "0301,2011,100\n1101,2011,5\n0301,2011,101\n",
			`population.csv:4: column "year": kommune_nr 0301 year 2011 given twice (first on line 2)`},
		{"unknown column", "kommune_nr,year,population_1jan,colour\n0301,2011,100,red\n",
			`population.csv:1: column "colour": unknown column`},
		{"missing column", "kommune_nr,population_1jan\n0301,100\n",
			`population.csv:1: column "year": required column missing`},
		{"year not an integer", head + "0301,soon,100\n",
			`population.csv:2: column "year": "soon" is not an integer`},
		{"year missing", head + "0301,,100\n",
			`population.csv:2: column "year": missing value`},
		{"year out of range", head + "0301,0,100\n",
			`population.csv:2: column "year": year 0 is outside 1..9999`},
		{"code missing", head + "0301,2011,100\n,2011,100\n",
			`population.csv:3: column "kommune_nr": missing value`},
		{"field count", head + "0301,2011\n",
			`population.csv:2: row has 2 fields, the header has 3`},
		{"no rows", head,
			`population.csv:1: no rows`},
		{"empty", "",
			`population.csv:1: empty file: no header row`},
		{"bad quote", head + "0301,20\"11,100\n",
			`population.csv:2: column 8: bare " in non-quoted-field`},
	} {
		_, err := ReadDir(writeFiles(t, map[string]string{
			MunicipalitiesFile: baseMunis, SlotsFile: baseSlots, PopulationFile: c.file}))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// Validate checks a table built in code as the reader would, so WriteDir
// writes only tables that read back.
func TestPopulationValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*PopulationTable)
		want string
	}{
		{"unsorted", func(p *PopulationTable) { p.Rows[0], p.Rows[1] = p.Rows[1], p.Rows[0] },
			`population: row 1 ("0301", 2025): not sorted by kommune_nr, then year`},
		{"twice", func(p *PopulationTable) { p.Rows[1].Year = 2025 },
			`population: row 1 ("0301", 2025): given twice (also row 0)`},
		{"negative", func(p *PopulationTable) { p.Rows[2].Persons.V = -1 },
			`population: row 2 ("0301", 2027): population_1jan -1 is negative`},
		{"year", func(p *PopulationTable) { p.Rows[5].Year = 0 },
			`population: row 5 ("9999", 0): year 0 is outside 1..9999`},
		{"no code", func(p *PopulationTable) { p.Rows[0].Code = "" },
			`population: row 0 ("", 2025): missing kommune_nr`},
		{"space", func(p *PopulationTable) { p.Rows[6].Code = "x " },
			`population: row 6 ("x ", 2026): kommune_nr "x " has leading or trailing space`},
		{"empty", func(p *PopulationTable) { p.Rows = nil },
			`population: the table has no rows`},
	} {
		w := testWorld()
		w.Population = testPopulation()
		c.edit(w.Population)
		err := w.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
		if err := WriteDir(filepath.Join(t.TempDir(), "w"), w); err == nil {
			t.Errorf("%s: WriteDir wrote an invalid table", c.name)
		}
	}
}

// TestCounty checks the 2024 county of every norway-2025 municipality
// against kommuner_2024.csv's fylke_nr_2024, and that each has a name.
func TestCounty(t *testing.T) {
	w, err := Embedded(Norway2025)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("data/kommuner_2024.csv")
	if err != nil {
		t.Fatal(err)
	}
	tab := csvtable.Read(data, []string{"kommune_nr", "fylke_nr_2024"})
	want := map[string]string{}
	for i := range tab.Rows {
		code, _ := tab.Cell(i, "kommune_nr")
		want[code], _ = tab.Cell(i, "fylke_nr_2024")
	}
	names := map[string]bool{}
	for _, m := range w.Municipalities {
		num, name := County(m.Code)
		if num != want[m.Code] || name == "" {
			t.Errorf("%s %s: county %q %q, kommuner_2024.csv %q", m.Code, m.Name, num, name, want[m.Code])
		}
		names[name] = true
	}
	if len(names) != 15 {
		t.Errorf("%d counties, want the 15 of 2024", len(names))
	}
	if num, name := County("0001"); num != "00" || name != "" {
		t.Errorf("County(0001) = %q, %q", num, name)
	}
}
