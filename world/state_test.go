package world

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"listetak/demog"
)

// A saved state (slot state columns, list compositions, saved_from)
// writes and reads back equal.
func TestSavedStateRoundTrip(t *testing.T) {
	w := testWorld()
	for i := range w.Municipalities {
		shares := demog.Comp{1, 2, 3, 4, 5, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2, 1}
		c := demog.Apportion(&shares, w.Municipalities[i].Population)
		if c.Sum() == 0 {
			c = shares // an empty municipality keeps shares
		}
		w.Municipalities[i].Composition = &c
	}
	for i := range w.Slots {
		s := &w.Slots[i]
		s.Appeal = Some(-0.25 * float64(i))
		if s.Held {
			s.LastIncome = Some(1.5e6 + float64(i))
		} else {
			s.VacantYears = Some(i)
		}
		if s.List > 0 {
			c := demog.Apportion(&demog.Comp{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, int64(s.List))
			s.Composition = &c
		}
	}
	w.SavedFrom = &SavedFrom{World: "norway-2025", Scenario: "baseline", Replication: 3, Year: 10, Seed: 1, Model: "v2",
		StartComposition: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}
	dir := filepath.Join(t.TempDir(), "w")
	if err := WriteDir(dir, w); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, w) || !got.HasListComposition() {
		t.Errorf("round trip differs:\n%+v\n%+v", got.Slots, w.Slots)
	}
}

// listFiles is compFiles' world (0301 of 96 persons with slot a's list of
// 10, 1101 of 48) with exact compositions and a list composition file
// built from rows (header added).
func listFiles(rows string) map[string]string {
	f := compFiles(fullRows("0301", 6) + fullRows("1101", 3))
	f[MunicipalitiesFile] = "code,population,centrality\n0301,96,1\n1101,48,4\n"
	f[ListCompositionFile] = "slot_id,sex,age_band,persons\n" + rows
	return f
}

// listRows returns slot a's 16 rows: n persons in each of the first k
// cells, 0 in the rest.
func listRows(n, k int) string { return cellRows("a", k, n) }

func TestListCompositionErrors(t *testing.T) {
	w, err := ReadDir(writeFiles(t, listFiles(listRows(1, 10))))
	if err != nil {
		t.Fatal(err)
	}
	if c := w.Slots[0].Composition; c == nil || c.Sum() != 10 {
		t.Fatalf("list composition not read: %v", c)
	}
	for _, c := range []struct{ name, rows, want string }{
		{"sum", listRows(2, 10), `list_composition.csv:1: column "persons": slot a: cells sum to 20 persons, its list_length is 10`},
		{"cell above", listRows(10, 1), `municipality 0301: its lists hold 10 persons in cell F 0-5, its composition.csv has 6`},
		{"unknown slot", listRows(1, 10) + "b,F,0-5,1\n", `list_composition.csv:18: column "slot_id": unknown slot_id "b" (not in slots.csv)`},
		{"missing cells", strings.Join(strings.Split(listRows(1, 10), "\n")[:12], "\n") + "\n", `slot a has 12 of the 16`},
		{"twice", listRows(1, 10) + "a,F,0-5,1\n", `given twice (first on line 2)`},
	} {
		_, err := ReadDir(writeFiles(t, listFiles(c.rows)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
	f := listFiles(listRows(1, 10))
	f[MunicipalitiesFile] = "code,population,centrality\n0301,100,1\n1101,48,4\n"
	if _, err := ReadDir(writeFiles(t, f)); err == nil || !strings.Contains(err.Error(), "must sum to its population 100 (they sum to 96)") {
		t.Errorf("inexact municipal composition: got %v", err)
	}
	delete(f, CompositionFile)
	if _, err := ReadDir(writeFiles(t, f)); err == nil || !strings.Contains(err.Error(), "list compositions need composition.csv") {
		t.Errorf("no municipal composition: got %v", err)
	}
}

// FuzzReadListComposition feeds arbitrary list composition files to the
// reader of a valid world with exact compositions: it must not panic, and
// an accepted file gives slot a a composition of non-negative counts that
// sum to its list and fit its municipality's.
func FuzzReadListComposition(f *testing.F) {
	f.Add("slot_id,sex,age_band,persons\n" + listRows(1, 10))
	f.Add("slot_id,sex,age_band,persons\n" + listRows(10, 1))
	f.Add("slot_id,sex,age_band,persons\na,F,0-5,\"1\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, lists string) {
		mem := map[string][]byte{}
		for k, v := range listFiles("") {
			mem[k] = []byte(v)
		}
		mem[ListCompositionFile] = []byte(lists)
		w, err := readWorld("fuzz", "fuzz", memFiles(mem))
		if err != nil {
			return
		}
		checkAccepted(t, w)
		c := w.Slots[0].Composition
		if c == nil {
			return // a file of only a header
		}
		if c.Sum() != int64(w.Slots[0].List) {
			t.Fatalf("accepted a list composition of %d persons for a list of %d", c.Sum(), w.Slots[0].List)
		}
		for k, x := range c {
			if x < 0 || x > w.Municipalities[0].Composition[k] {
				t.Fatalf("cell %d: %d accepted", k, x)
			}
		}
	})
}
