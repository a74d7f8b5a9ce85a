package world

import (
	"io/fs"
	"math"
	"path/filepath"
	"reflect"
	"testing"
)

// checkAccepted asserts the invariants of a world ReadDir accepted: the
// consistency rules of DATA.md section 1, checked here directly rather than
// only through Validate (which shares its code with ReadDir), and an exact
// round trip through WriteDir.
func checkAccepted(t *testing.T, w *World) {
	t.Helper()
	if err := w.Validate(); err != nil {
		t.Fatalf("accepted world does not validate: %v", err)
	}
	if !(w.NokIndex > 0) {
		t.Fatalf("nok_index %v", w.NokIndex)
	}
	codes := map[string]bool{}
	for _, m := range w.Municipalities {
		if codes[m.Code] || m.Code == "" || m.Population < 0 || m.Centrality < 1 || m.Centrality > 6 {
			t.Fatalf("bad municipality %+v", m)
		}
		codes[m.Code] = true
	}
	ids := map[string]bool{}
	listed := make([]float64, len(w.Municipalities))
	for _, s := range w.Slots {
		if ids[s.ID] || s.ID == "" || s.Muni < 0 || s.Muni >= len(w.Municipalities) || s.List < 0 {
			t.Fatalf("bad slot %+v", s)
		}
		ids[s.ID] = true
		if s.Held && (!s.Ceiling.OK || s.List > s.Ceiling.V || s.Age < 18 || s.Age > 100) {
			t.Fatalf("bad held slot %+v", s)
		}
		if s.LossAversion.OK && !(s.LossAversion.V >= 1) || s.StaffStep.OK && !(s.StaffStep.V > 0) ||
			s.LeisureValue.OK && !(s.LeisureValue.V >= 0) {
			t.Fatalf("bad agent values %+v", s)
		}
		listed[s.Muni] += float64(s.List)
	}
	for i, m := range w.Municipalities {
		if listed[i] > float64(m.Population) {
			t.Fatalf("%s: %v listed, population %d", m.Code, listed[i], m.Population)
		}
	}
	files, err := w.files()
	if err != nil {
		t.Fatalf("encoding an accepted world: %v", err)
	}
	got, err := readWorld("again", "again", memFiles(files))
	if err != nil {
		t.Fatalf("ReadDir of a written world: %v", err)
	}
	// Warnings are about the files read (an unknown column), not the world:
	// the written files have none.
	want := *w
	want.Warnings = nil
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("round trip differs:\ngot  %#v\nwant %#v", got, &want)
	}
}

// memFiles reads files from memory by base name, for readWorld: the fuzz
// targets run ReadDir's code without touching the disk.
func memFiles(files map[string][]byte) func(string) ([]byte, error) {
	return func(path string) ([]byte, error) {
		b, ok := files[filepath.Base(path)]
		if !ok {
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		}
		return b, nil
	}
}

// fuzzRead reads the three files (nil: absent) as ReadDir does and checks
// that it does not panic and either fails or returns a world that keeps the
// invariants.
func fuzzRead(t *testing.T, munis, slots, yml []byte) {
	files := map[string][]byte{}
	for name, b := range map[string][]byte{MunicipalitiesFile: munis, SlotsFile: slots, MetaFile: yml} {
		if b != nil {
			files[name] = b
		}
	}
	w, err := readWorld("fuzz", "fuzz", memFiles(files))
	if err != nil {
		if w != nil {
			t.Fatal("a world came with the error")
		}
		return
	}
	checkAccepted(t, w)
}

const fuzzSlots = "slot_id,municipality,status,list_length,ceiling,age,sex\n" +
	"a,0301,held,10,20,50,F\n" +
	"b,0301,vacant,5,,,\n"

func addSeeds(f *testing.F, add func(string)) {
	for _, s := range []string{
		baseMunis,
		"code,population,centrality,growth,extra_hours,min_gps,imputed,name\n0301,100,3,0.007,300,2,1,\"a, b\"\n",
		"\ufeff centrality , population,code , colour\n 3, 100 ,  0301 ,red\n",
		"code,population,centrality\n0301,1e3,3\n",
		"code,population,centrality\n0301,NaN,3\n0301,-1,7\n",
		"code,population\n0301,100\n",
		"code,population,centrality\n\"0301\n\",100,3\n",
		"",
	} {
		add(s)
	}
}

func FuzzReadMunicipalities(f *testing.F) {
	addSeeds(f, func(s string) { f.Add([]byte(s)) })
	f.Fuzz(func(t *testing.T, munis []byte) {
		fuzzRead(t, munis, []byte(fuzzSlots), nil)
	})
}

func FuzzReadSlots(f *testing.F) {
	for _, s := range []string{
		fuzzSlots,
		baseSlots,
		"slot_id,municipality,status,list_length,ceiling,age,sex,specialist,contract,contract_years," +
			"leisure_value,loss_aversion,staff_step,reference_income\n" +
			"a,0301,held,10,20,50,F,1,salaried,3,800.5,2.5,1000,1e6\n" +
			"b,1101,vacant,5,7,40,F,0,self,,,,,\n",
		"slot_id,municipality,status,list_length\n" + "a,0301,held,10\n",
		"slot_id,municipality,status,list_length,ceiling,age,sex\n" + "a,0301,held,30,20,50,F\n" + "a,0301,vacant,5,,,\n",
		"slot_id,municipality,status,list_length,ceiling,age,sex\na,9999,held,10,20,50,X\n",
		"slot_id,municipality,status,list_length,loss_aversion\na,0301,vacant,10,inf\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, slots []byte) {
		fuzzRead(t, []byte(baseMunis), slots, nil)
	})
}

func FuzzReadDir(f *testing.F) {
	addSeeds(f, func(s string) {
		f.Add([]byte(s), []byte(fuzzSlots), []byte("name: x\nyear: 2011\nnok_index: 0.85\nbaseline:\n  rate: 390\n"))
	})
	for _, y := range []string{
		"", "name: x\ncolour: red\n", "baseline:\n  breaks: [800]\n  rates: [1, 2]\n  guarantee:\n    persons: 500\n",
		"notes: [a, b]\nsource: \"x\\ny\"\n", "nok_index: -1\n", "year: 2011.5\n", "- a\n", "name: [\n",
	} {
		f.Add([]byte(baseMunis), []byte(baseSlots), []byte(y))
	}
	f.Fuzz(func(t *testing.T, munis, slots, yml []byte) {
		fuzzRead(t, munis, slots, yml)
	})
}

// FuzzReadPopulation feeds arbitrary population.csv files to the reader of a
// valid world: it must not panic, and an accepted world keeps the
// invariants (checkAccepted: it validates and round-trips) with a sorted
// table of figures >= 0, and a population path that is NaN (None) or finite
// and > 0 in every year.
func FuzzReadPopulation(f *testing.F) {
	for _, s := range []string{
		"kommune_nr,year,population_1jan\n0301,2011,100\n0301,2012,\n1101,2012,50\n",
		"kommune_nr,kommune_name,year,population_1jan,note\r\n0301,Oslo,2026,10,\r\n1101,\"E, s\",2025,0,x\r\n",
		"year,population_1jan,kommune_nr\n 2012 , 7 , 0301\n2012,8,0301\n",
		"kommune_nr,year,population_1jan\n0301,-1,5\n0301,2011,-5\n,2011,1\n0301,1e3,1\n",
		"kommune_nr,year,population_1jan,colour\n0301,2011,1,red\n",
		"kommune_nr,year,population_1jan\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, pop []byte) {
		files := map[string][]byte{MunicipalitiesFile: []byte(baseMunis), SlotsFile: []byte(fuzzSlots), PopulationFile: pop}
		w, err := readWorld("fuzz", "fuzz", memFiles(files))
		if err != nil {
			if w != nil {
				t.Fatal("a world came with the error")
			}
			return
		}
		checkAccepted(t, w)
		if w.Population == nil || len(w.Population.Rows) == 0 {
			t.Fatal("accepted population.csv without a table")
		}
		if p := w.Population.problems(); len(p) > 0 {
			t.Fatalf("accepted table has problems: %v", p)
		}
		path, err := w.PopulationPath(3)
		if err != nil {
			t.Fatalf("PopulationPath of an accepted world: %v", err)
		}
		for m, rs := range path.Ratio {
			for k, r := range rs {
				s := path.Source[m][k]
				if (s == PathNone) != math.IsNaN(r) || s != PathNone && !(r > 0 && !math.IsInf(r, 0)) {
					t.Fatalf("municipality %d year %d: ratio %v, source %v", m, k+1, r, s)
				}
			}
		}
	})
}
