package world

import (
	"encoding/csv"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"
)

// readData reads an embedded data file as maps from column to value, by an
// independent route from the builders' (encoding/csv on Data()).
func readData(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := Data().Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		m := map[string]string{}
		for j, c := range recs[0] {
			m[c] = r[j]
		}
		out = append(out, m)
	}
	return out
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustEmbedded(t *testing.T, name string) *World {
	t.Helper()
	w, err := Embedded(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Validate(); err != nil {
		t.Fatalf("%s does not validate: %v", name, err)
	}
	return w
}

func TestEmbeddedNames(t *testing.T) {
	if got := EmbeddedNames(); !reflect.DeepEqual(got, []string{"norway-2025", "norway-2011"}) || got[0] != DefaultName {
		t.Errorf("EmbeddedNames() = %v", got)
	}
	if _, err := Embedded("norway-1999"); err == nil {
		t.Error("unknown name accepted")
	}
	d, err := Embedded("")
	if err != nil || d.Name != DefaultName {
		t.Errorf("Embedded(\"\") = %v, %v", d, err)
	}
	for _, f := range []string{fileKommuner, fileSSB, fileLists, "population_kommune_sex_ageband_2025.csv", filePopPath} {
		if _, err := fs.Stat(Data(), f); err != nil {
			t.Errorf("data file %s: %v", f, err)
		}
	}
	if n := len(readData(t, "population_kommune_sex_ageband_2025.csv")); n != 5712 {
		t.Errorf("age-band file has %d rows, want 5712", n)
	}
}

// TestNorway2025Register checks year 0 of norway-2025 against SSB 12005 per
// municipality under the rules of MODEL.md "The embedded worlds".
func TestNorway2025Register(t *testing.T) {
	w := mustEmbedded(t, Norway2025)
	if w.Year != 2025 || w.NokIndex != 1.25 || w.Baseline.Rate != 841.80 || len(w.Baseline.Breaks) != 0 {
		t.Errorf("money: year %d, index %v, baseline %+v", w.Year, w.NokIndex, w.Baseline)
	}
	kommuner := readData(t, fileKommuner)
	if len(w.Municipalities) != 357 || len(kommuner) != 357 {
		t.Fatalf("%d municipalities, want 357", len(w.Municipalities))
	}
	byCode := map[string]map[string]string{}
	for _, k := range kommuner {
		byCode[k["kommune_nr"]] = k
	}
	reg := map[string]map[string]string{}
	for _, r := range readData(t, fileSSB) {
		reg[r["kommune_nr"]] = r
	}
	slotsOf := make([][]Slot, len(w.Municipalities))
	for _, s := range w.Slots {
		slotsOf[s.Muni] = append(slotsOf[s.Muni], s)
	}

	// Mean list with a GP by centrality class in 2025, for the imputed ones.
	var clsListed, clsHeld [7]int64
	for code, r := range reg {
		c := atoi(t, byCode[code]["centrality_class"])
		clsListed[c] += atoi(t, r["patients_on_lists_with_gp"])
		clsHeld[c] += atoi(t, r["n_agreements_with_gp"])
	}

	var held, vacant, listed, orphans, impGPs int64
	var imputed []string
	for mi, m := range w.Municipalities {
		k := byCode[m.Code]
		if k == nil {
			t.Fatalf("municipality %s not in %s", m.Code, fileKommuner)
		}
		if m.Name != k["kommune_name"] || int64(m.Centrality) != atoi(t, k["centrality_class"]) {
			t.Errorf("%s: name %q class %d, want %q %s", m.Code, m.Name, m.Centrality, k["kommune_name"], k["centrality_class"])
		}
		if mi > 0 && w.Municipalities[mi-1].Code >= m.Code {
			t.Errorf("municipalities not in code order at %s", m.Code)
		}
		if m.Growth.OK || m.ExtraHours.OK || m.MinGPs.OK {
			t.Errorf("%s: growth, extra hours or minimum GPs set", m.Code)
		}
		var h, v, hl, vl, ceil, fem, withFree int64
		var vacLists, free []int64
		for j, s := range slotsOf[mi] {
			if want := m.Code + "-" + leftPad(j+1); s.ID != want {
				t.Errorf("slot ID %q, want %q", s.ID, want)
			}
			if s.ContractYears.OK || s.LeisureValue.OK || s.LossAversion.OK || s.StaffStep.OK || s.ReferenceIncome.OK {
				t.Errorf("%s: agent values set", s.ID)
			}
			if !s.Held {
				v++
				vl += int64(s.List)
				vacLists = append(vacLists, int64(s.List))
				if s.Ceiling.OK || s.Age != 0 || s.Female || s.Specialist {
					t.Errorf("%s: vacant slot with GP values %+v", s.ID, s)
				}
				continue
			}
			if v > 0 {
				t.Errorf("%s: held slot after a vacant one", s.ID)
			}
			h++
			hl += int64(s.List)
			ceil += int64(s.Ceiling.V)
			if s.Female {
				fem++
			}
			if d := int64(s.Ceiling.V - s.List); d > 0 {
				withFree++
				free = append(free, d)
			}
			if s.Age < 28 || s.Age > 75 {
				t.Errorf("%s: age %d outside [28, 75]", s.ID, s.Age)
			}
		}
		if m.Imputed {
			imputed = append(imputed, m.Code)
			pop := atoi(t, k["pop_2026"])
			c := m.Centrality
			wantGPs := int64(math.Ceil(float64(pop) / (float64(clsListed[c]) / float64(clsHeld[c]))))
			if m.Population != pop || h != wantGPs || v != 0 || hl != pop || ceil != hl {
				t.Errorf("imputed %s: P %d GPs %d vacant %d listed %d ceilings %d; want P %d GPs %d, all listed, ceilings = lists",
					m.Code, m.Population, h, v, hl, ceil, pop, wantGPs)
			}
			impGPs += h
			continue
		}
		r := reg[m.Code]
		if r == nil {
			t.Fatalf("%s: not imputed but no register row", m.Code)
		}
		rh, rl := atoi(t, r["n_agreements_with_gp"]), atoi(t, r["patients_on_lists_with_gp"])
		rv, ro := atoi(t, r["n_lists_without_gp"]), atoi(t, r["patients_on_lists_without_gp"])
		open, capacity := atoi(t, r["n_open_lists"]), atoi(t, r["capacity_sum_listetak"])
		if h != rh || v != rv || hl != rl || vl != ro || fem != atoi(t, r["n_female_gps"]) {
			t.Errorf("%s: held %d vacant %d listed %d orphans %d women %d; register %d %d %d %d %s",
				m.Code, h, v, hl, vl, fem, rh, rv, rl, ro, r["n_female_gps"])
		}
		if m.Population != rl+ro {
			t.Errorf("%s: population %d, want %d", m.Code, m.Population, rl+ro)
		}
		if want := max(capacity, rl); ceil != want {
			t.Errorf("%s: total ceilings %d, want max(%d, %d)", m.Code, ceil, capacity, rl)
		}
		// The free places sit on min(n_open_lists, held) lists (all lists
		// when n_open_lists is 0), as evenly as integers allow.
		k2 := min(open, h)
		if open == 0 {
			k2 = h
		}
		if want := min(k2, ceil-hl); withFree != want {
			t.Errorf("%s: %d lists with free places, want %d", m.Code, withFree, want)
		}
		if len(free) > 0 && slices.Max(free)-slices.Min(free) > 1 {
			t.Errorf("%s: free places %v not spread evenly", m.Code, free)
		}
		if len(vacLists) > 0 && slices.Max(vacLists)-slices.Min(vacLists) > 1 {
			t.Errorf("%s: orphan lists %v not even", m.Code, vacLists)
		}
		held += h
		vacant += v
		listed += hl
		orphans += vl
	}
	if held != 5747 || vacant != 197 || listed != 5504387 || orphans != 117899 {
		t.Errorf("national totals %d held / %d vacant / %d listed / %d orphans, want 5747 / 197 / 5504387 / 117899",
			held, vacant, listed, orphans)
	}
	if want := []string{"1853", "3336", "4220", "5514", "5518", "5528"}; !reflect.DeepEqual(imputed, want) {
		t.Errorf("imputed %v, want %v", imputed, want)
	}
	if impGPs != 16 {
		t.Errorf("imputed GPs %d, want 16 (3+3+3+3+2+2)", impGPs)
	}
}

func leftPad(j int) string {
	s := strconv.Itoa(j)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

// TestDrawnShares checks the drawn attributes against MODEL.md's targets.
// Each world is one realisation: the expected women-men age gap after
// clipping is about -2.9 years with a standard error of about 0.35, and
// norway-2011's realised gap is -2.0, hence the loose bound.
func TestDrawnShares(t *testing.T) {
	for _, c := range []struct {
		name              string
		salLo, salHi      float64
		specLo, specHi    float64
		womenYoungerBelow float64
	}{
		{Norway2025, 0.17, 0.23, 0.59, 0.65, -1.5},
		{Norway2011, 0.09, 0.15, 0.59, 0.65, -1.5},
	} {
		w := mustEmbedded(t, c.name)
		var n, sal, spec, nF, nM, ageF, ageM float64
		for _, s := range w.Slots {
			if !s.Held {
				continue
			}
			n++
			if s.Salaried {
				sal++
			}
			if s.Specialist {
				spec++
			}
			if s.Female {
				nF++
				ageF += float64(s.Age)
			} else {
				nM++
				ageM += float64(s.Age)
			}
		}
		mean := (ageF + ageM) / n
		gap := ageF/nF - ageM/nM
		t.Logf("%s: salaried %.3f specialist %.3f mean age %.2f women-men %.2f", c.name, sal/n, spec/n, mean, gap)
		if s := sal / n; s < c.salLo || s > c.salHi {
			t.Errorf("%s: salaried share %.3f outside [%v, %v]", c.name, s, c.salLo, c.salHi)
		}
		if s := spec / n; s < c.specLo || s > c.specHi {
			t.Errorf("%s: specialist share %.3f outside [%v, %v]", c.name, s, c.specLo, c.specHi)
		}
		if mean < 46.3 || mean > 47.7 || gap > c.womenYoungerBelow || gap < -4 {
			t.Errorf("%s: mean age %.2f, women-men %.2f", c.name, mean, gap)
		}
	}
}

func TestNorway2011(t *testing.T) {
	w := mustEmbedded(t, Norway2011)
	if w.Year != 2011 || w.NokIndex != 0.85 || w.Baseline.Rate != 390 {
		t.Errorf("money: year %d, index %v, baseline %+v", w.Year, w.NokIndex, w.Baseline)
	}
	rows := readData(t, fileLists)
	if len(rows) != 4274 {
		t.Fatalf("%d lists in the data, want 4274", len(rows))
	}
	// The lists with a municipality, in the builder's order: by municipality
	// code, then file order.
	var kept []map[string]string
	for _, r := range rows {
		if r["kommune_nr_2024"] != "" {
			kept = append(kept, r)
		}
	}
	slices.SortStableFunc(kept, func(a, b map[string]string) int {
		switch {
		case a["kommune_nr_2024"] < b["kommune_nr_2024"]:
			return -1
		case a["kommune_nr_2024"] > b["kommune_nr_2024"]:
			return 1
		}
		return 0
	})
	if len(w.Slots) != 4274-3 || len(kept) != len(w.Slots) {
		t.Fatalf("%d slots, want %d", len(w.Slots), 4274-3)
	}
	var held, vacant, persons int64
	pop := make([]int64, len(w.Municipalities))
	gpSlot := map[string]Slot{}
	twice := 0
	for i, s := range w.Slots {
		r := kept[i]
		m := w.Municipalities[s.Muni]
		if m.Code != r["kommune_nr_2024"] || s.List != int(atoi(t, r["list_size"])) || s.Held != (r["vacant_list"] == "0") {
			t.Fatalf("slot %s (%s, %d, held %v) does not match list %s", s.ID, m.Code, s.List, s.Held, r["list_id"])
		}
		want := r["listetak_implied"]
		if want == "" {
			want = r["list_size"]
		}
		if !s.Ceiling.OK || s.Ceiling.V != int(atoi(t, want)) {
			t.Errorf("%s: ceiling %+v, want %s", s.ID, s.Ceiling, want)
		}
		pop[s.Muni] += int64(s.List)
		persons += int64(s.List)
		if !s.Held {
			vacant++
			continue
		}
		held++
		if s.Female != (r["gp_sex"] == "F") {
			t.Errorf("%s: female %v, data %q", s.ID, s.Female, r["gp_sex"])
		}
		if o, ok := gpSlot[r["gp_id"]]; ok {
			twice++
			if o.Age != s.Age || o.Specialist != s.Specialist || o.Female != s.Female {
				t.Errorf("GP %s: two agents differ: %+v, %+v", r["gp_id"], o, s)
			}
		}
		gpSlot[r["gp_id"]] = s
	}
	for mi, m := range w.Municipalities {
		if m.Population != pop[mi] {
			t.Errorf("%s: population %d, want persons on its lists %d", m.Code, m.Population, pop[mi])
		}
		if m.Code == "3336" {
			t.Error("Rollag has no list but is in the world")
		}
	}
	if len(w.Municipalities) != 356 || held != 4214 || vacant != 57 || persons != 4976878 || twice != 21 {
		t.Errorf("%d municipalities, %d held, %d vacant, %d persons, %d GPs twice; want 356, 4214, 57, 4976878, 21",
			len(w.Municipalities), held, vacant, persons, twice)
	}
}

func TestEmbeddedDeterministicAndCopied(t *testing.T) {
	src, err := loadSourcesUncached()
	if err != nil {
		t.Fatal(err)
	}
	for name, build := range map[string]func(*sources) (*World, error){Norway2025: build2025, Norway2011: build2011} {
		a, err := build(src)
		if err != nil {
			t.Fatal(err)
		}
		b, err := build(src)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two builds differ", name)
		}
		c := mustEmbedded(t, name)
		if !reflect.DeepEqual(a, c) {
			t.Errorf("%s: Embedded differs from a fresh build", name)
		}
		// The caller may edit the world it got.
		c.Slots[0].List = -7
		c.Municipalities[0].Code = "edited"
		c.Notes[0] = "edited"
		if d := mustEmbedded(t, name); !reflect.DeepEqual(a, d) {
			t.Errorf("%s: editing a returned world changed the cache", name)
		}
	}
}

// TestEmbeddedRoundTrip checks that an exported embedded world reads back
// identical (DATA.md: "a world read back runs exactly as the embedded one").
func TestEmbeddedRoundTrip(t *testing.T) {
	for _, name := range EmbeddedNames() {
		w := mustEmbedded(t, name)
		dir := filepath.Join(t.TempDir(), name)
		if err := WriteDir(dir, w); err != nil {
			t.Fatal(err)
		}
		got, err := ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: read back differs", name)
		}
	}
}

func TestApportion(t *testing.T) {
	for _, c := range []struct {
		w     []float64
		total int64
		want  []int64
	}{
		{[]float64{1, 1, 1}, 10, []int64{4, 3, 3}},
		{[]float64{0, 0}, 5, []int64{3, 2}},
		{[]float64{1, 2, 3}, 0, []int64{0, 0, 0}},
		{[]float64{0.1, 0.2, 0.7}, 7, []int64{1, 1, 5}},
		{nil, 5, []int64{}},
	} {
		if got := apportion(c.w, c.total); !reflect.DeepEqual(got, c.want) {
			t.Errorf("apportion(%v, %d) = %v, want %v", c.w, c.total, got, c.want)
		}
	}
	// Exact sums for awkward weights.
	r := newStream().reset("test")
	for range 1000 {
		n := 1 + r.IntN(40)
		w := make([]float64, n)
		for i := range w {
			w[i] = r.ExpFloat64() * math.Pow(10, float64(r.IntN(12)-6))
		}
		total := r.Int64N(3_000_000)
		var sum int64
		for _, x := range apportion(w, total) {
			if x < 0 {
				t.Fatalf("negative part for %v", w)
			}
			sum += x
		}
		if sum != total {
			t.Fatalf("apportion(%v, %d) sums to %d", w, total, sum)
		}
	}
}

func BenchmarkEmbeddedFirstCall(b *testing.B) {
	for b.Loop() {
		src, err := loadSourcesUncached()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := build2025(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEmbeddedCached(b *testing.B) {
	for b.Loop() {
		if _, err := Embedded(DefaultName); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPopulationData repeats the checks data/SOURCES.md states for
// population_kommune2024_1986_2026.csv (file 4).
func TestPopulationData(t *testing.T) {
	rows := readData(t, filePopPath)
	if len(rows) != 357*41 {
		t.Fatalf("%d rows, want %d", len(rows), 357*41)
	}
	pop := map[string]map[int]string{}
	for _, r := range rows {
		if pop[r["kommune_nr"]] == nil {
			pop[r["kommune_nr"]] = map[int]string{}
		}
		pop[r["kommune_nr"]][int(atoi(t, r["year"]))] = r["population_1jan"]
	}
	split := []string{"1806", "1875", "5055", "5056", "5059"}
	var blanks, zeros []string
	for code, py := range pop {
		if len(py) != 41 {
			t.Errorf("%s: %d years, want 41", code, len(py))
		}
		for y := 1986; y <= 2026; y++ {
			v, ok := py[y]
			switch {
			case !ok:
				t.Errorf("%s: no row for %d", code, y)
			case v == "":
				blanks = append(blanks, code)
				if !slices.Contains(split, code) || y >= 2020 {
					t.Errorf("%s %d: blank", code, y)
				}
			case v == "0":
				zeros = append(zeros, fmt.Sprint(code, " ", y))
			}
		}
	}
	if len(blanks) != 170 {
		t.Errorf("%d blanks, want 170", len(blanks))
	}
	slices.Sort(zeros)
	if want := []string{"1580 2020", "1580 2021", "1580 2022", "1580 2023"}; !slices.Equal(zeros, want) {
		t.Errorf("zeros %v, want %v", zeros, want)
	}
	kommuner := readData(t, fileKommuner)
	if len(kommuner) != len(pop) {
		t.Errorf("%d municipalities, %s has %d", len(pop), fileKommuner, len(kommuner))
	}
	for _, k := range kommuner {
		for _, y := range []int{2012, 2020, 2024, 2025, 2026} {
			if got, want := pop[k["kommune_nr"]][y], k[fmt.Sprint("pop_", y)]; got != want {
				t.Errorf("%s %d: %q, %s has %q", k["kommune_nr"], y, got, fileKommuner, want)
			}
		}
	}
}
