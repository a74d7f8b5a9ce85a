package world

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"listetak/demog"
)

// A world with compositions writes composition.csv and reads back equal.
func TestCompositionRoundTrip(t *testing.T) {
	w := testWorld()
	for i := range w.Municipalities {
		c := demog.Comp{}
		for k := range c {
			c[k] = int64(10*i + k + 1)
		}
		w.Municipalities[i].Composition = &c
	}
	dir := filepath.Join(t.TempDir(), "w")
	if err := WriteDir(dir, w); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, w) || !got.HasComposition() {
		t.Errorf("round trip differs")
	}
}

// compFiles is a valid two-municipality world plus a composition file
// built from rows (header added).
func compFiles(rows string) map[string]string {
	return map[string]string{
		MunicipalitiesFile: "code,population,centrality\n0301,100,1\n1101,50,4\n",
		SlotsFile:          "slot_id,municipality,status,list_length,ceiling,age,sex\na,0301,held,10,20,50,F\n",
		CompositionFile:    "municipality,sex,age_band,persons\n" + rows,
	}
}

// fullRows returns all 16 rows of a municipality, persons n each.
func fullRows(code string, n int) string { return cellRows(code, demog.Cells, n) }

// cellRows returns key's 16 rows of a cell file: n persons in each of the
// first k cells, 0 in the rest.
func cellRows(key string, k, n int) string {
	var b strings.Builder
	for c := range demog.Cells {
		v := 0
		if c < k {
			v = n
		}
		fmt.Fprintf(&b, "%s,%s,%s,%d\n", key, cellSex(c), demog.BandNames[c%demog.Bands], v)
	}
	return b.String()
}

func TestCompositionErrors(t *testing.T) {
	ok := fullRows("0301", 5) + fullRows("1101", 3)
	w, err := ReadDir(writeFiles(t, compFiles(ok)))
	if err != nil {
		t.Fatal(err)
	}
	if !w.HasComposition() || w.Municipalities[1].Composition[15] != 3 {
		t.Fatalf("composition not read: %+v", w.Municipalities[1].Composition)
	}
	for _, c := range []struct{ name, rows, want string }{
		{"unknown municipality", ok + "9999,F,0-5,1\n", `composition.csv:34: column "municipality": unknown municipality code "9999"`},
		{"bad band", ok + "0301,F,5-9,1\n", `composition.csv:34: column "age_band": "5-9" is not one of`},
		{"bad sex", ok + "0301,X,0-5,1\n", `composition.csv:34: column "sex": "X" is not one of F, M`},
		{"negative", strings.Replace(ok, "0301,F,0-5,5", "0301,F,0-5,-5", 1), `composition.csv:2: column "persons": -5 is negative`},
		{"not a number", strings.Replace(ok, "0301,F,0-5,5", "0301,F,0-5,five", 1), `composition.csv:2: column "persons"`},
		{"twice", ok + "0301,M,90+,1\n", `composition.csv:34: column "age_band": 0301 M 90+ given twice (first on line 17)`},
		{"missing cells", fullRows("0301", 5) + strings.Join(strings.Split(fullRows("1101", 3), "\n")[:10], "\n") + "\n", `municipality 1101 has 10 of the 16`},
		{"missing municipality", fullRows("0301", 5), `municipality 1101 has no rows`},
		{"empty", fullRows("0301", 5) + fullRows("1101", 0), `municipality 1101 has no persons`},
		{"unknown column", "", `column "extra": unknown column`},
	} {
		files := compFiles(c.rows)
		if c.name == "unknown column" {
			files[CompositionFile] = strings.Replace("municipality,sex,age_band,persons,extra\n"+ok, "\n", ",x\n", -1)
			files[CompositionFile] = strings.Replace(files[CompositionFile], "persons,extra,x", "persons,extra", 1)
		}
		_, err := ReadDir(writeFiles(t, files))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// FuzzReadComposition feeds arbitrary composition files to the reader of a
// valid world: it must not panic, and an accepted world keeps the
// invariants with a composition of non-negative counts for every
// municipality.
func FuzzReadComposition(f *testing.F) {
	ok := fullRows("0301", 5) + fullRows("1101", 3)
	f.Add("municipality,sex,age_band,persons\n" + ok)
	f.Add("municipality,sex,age_band,persons\n" + fullRows("0301", 5))
	f.Add("municipality,sex,age_band,persons\n0301,F,0-5,\"1\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, comp string) {
		files := compFiles("")
		mem := map[string][]byte{}
		for k, v := range files {
			mem[k] = []byte(v)
		}
		mem[CompositionFile] = []byte(comp)
		w, err := readWorld("fuzz", "fuzz", memFiles(mem))
		if err != nil {
			return
		}
		checkAccepted(t, w)
		if !w.HasComposition() {
			t.Fatal("accepted a composition file without every municipality")
		}
		for _, m := range w.Municipalities {
			for _, x := range m.Composition {
				if x < 0 {
					t.Fatal("negative count accepted")
				}
			}
		}
	})
}
