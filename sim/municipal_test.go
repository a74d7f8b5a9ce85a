package sim

import (
	"context"
	"os"
	"strconv"
	"testing"

	"listetak/internal/csvtable"
	"listetak/params"
	"listetak/world"
)

// year0Munis returns norway-2025 and one replication of one year of it
// with municipal records.
func year0Munis(t *testing.T) (*world.World, *Output) {
	t.Helper()
	w, err := world.Embedded("norway-2025")
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(w, params.Default())
	if err != nil {
		t.Fatal(err)
	}
	outs, err := Run(context.Background(), Config{Model: m, Years: 1, Reps: 1, Seed: 1, Workers: 1, Municipal: true})
	if err != nil {
		t.Fatal(err)
	}
	return w, outs[0]
}

// TestMuniYear0EqualsWorld checks that year 0's per-municipality counts
// are the built world's for every municipality of norway-2025: GPs, lists
// without a GP, persons on lists with and without a GP, total ceilings;
// and the population the world's plus the persons the spin-up year left
// waiting (State.Reset), which are the year's only persons on no list.
func TestMuniYear0EqualsWorld(t *testing.T) {
	w, o := year0Munis(t)
	want := make([][NumMuniMetrics]float64, len(w.Municipalities))
	for _, sl := range w.Slots {
		d := &want[sl.Muni]
		if !sl.Held {
			if sl.List > 0 {
				d[MuniListsWithoutGP]++
			}
			d[MuniOnListsWithoutGP] += float64(sl.List)
			continue
		}
		d[MuniGPs]++
		d[MuniListed] += float64(sl.List)
		d[MuniCapacity] += float64(sl.Ceiling.V)
	}
	for i, mu := range w.Municipalities {
		got := o.MuniAt(0, 0, i)
		for _, k := range []MuniMetric{MuniGPs, MuniListsWithoutGP, MuniListed, MuniOnListsWithoutGP, MuniCapacity} {
			if float64(got[k]) != want[i][k] {
				t.Errorf("%s %s: year 0 %s = %v, world %v", mu.Code, mu.Name, k, got[k], want[i][k])
			}
		}
		if float64(got[MuniPopulation]) != float64(mu.Population)+float64(got[MuniUnassigned]) {
			t.Errorf("%s: population %v, world %d + waiting %v", mu.Code, got[MuniPopulation], mu.Population, got[MuniUnassigned])
		}
	}
}

// muniSums are the national metrics each per-municipality count sums to.
var muniSums = map[MuniMetric][]Metric{
	MuniPopulation: {Population}, MuniGPs: {GPs}, MuniSalaried: {GPsSalaried},
	MuniVacantSlots: {VacantSlots}, MuniListsWithoutGP: {ListsWithoutGP},
	MuniUnfilledNewPositions: {UnfilledNewPositions}, MuniNewSlots: {NewSlots},
	MuniCapacity: {Capacity}, MuniListed: {Listed}, MuniOnListsWithoutGP: {OrphansOnVacantLists},
	MuniUnassigned: {OrphansUnlisted}, MuniGPsAge67Plus: {GPsAge67Plus},
	MuniEntries: {Entries}, MuniExits: {ExitsRetirement, ExitsOther},
}

// TestMuniSumsEqualNational checks, every year of every replication and
// scenario, that the municipalities' counts sum exactly to the national
// metrics (a count with no national twin, GPs aged 62+, lies between the
// 67+ count and all GPs).
func TestMuniSumsEqualNational(t *testing.T) {
	years := 20
	if testing.Short() {
		years = 5
	}
	for _, name := range []string{"norway-2011", "norway-2025"} {
		o := defaultRun(t, name, Config{Years: years, Reps: 3, Seed: 7, Workers: 2, Municipal: true})
		if len(muniSums) != int(NumMuniMetrics)-1 {
			t.Fatalf("muniSums covers %d of %d counts", len(muniSums), NumMuniMetrics)
		}
		for rep := range o.Reps {
			for y := range o.Years {
				var sum [NumMuniMetrics]float64
				for m := range o.Munis {
					for k, v := range o.MuniAt(rep, y, m) {
						sum[k] += float64(v)
					}
				}
				nat := o.Values[(rep*o.Years+y)*int(NumMetrics):]
				for k, ms := range muniSums {
					var want float64
					for _, m := range ms {
						want += nat[m]
					}
					if sum[k] != want {
						t.Errorf("%s rep %d year %d: municipalities' %s sum to %v, national %v", name, rep, y, k, sum[k], want)
					}
				}
				if g := sum[MuniGPsAge62Plus]; g < sum[MuniGPsAge67Plus] || g > sum[MuniGPs] {
					t.Errorf("%s rep %d year %d: %v GPs aged 62+ outside [%v, %v]", name, rep, y, g, sum[MuniGPsAge67Plus], sum[MuniGPs])
				}
			}
		}
	}
}

// TestMunicipalLeavesNationalUnchanged checks that recording the
// municipalities changes no national value (the same draws).
func TestMunicipalLeavesNationalUnchanged(t *testing.T) {
	a := defaultRun(t, "norway-2011", Config{Years: 5, Reps: 2, Seed: 3, Workers: 2})
	b := defaultRun(t, "norway-2011", Config{Years: 5, Reps: 2, Seed: 3, Workers: 1, Municipal: true})
	for i := range a.Values {
		if a.Values[i] != b.Values[i] && !(a.Values[i] != a.Values[i] && b.Values[i] != b.Values[i]) {
			t.Fatalf("value %d: %v without municipal records, %v with", i, a.Values[i], b.Values[i])
		}
	}
	if a.Muni != nil || b.Muni == nil || b.Munis != 356 {
		t.Errorf("Muni: %d values without, %d with (%d municipalities)", len(a.Muni), len(b.Muni), b.Munis)
	}
}

// TestMuniYear0EqualsRegister checks norway-2025's year-0 counts against
// the register statistics (SSB table 12005 at 31.12.2025, the file the
// world is built from) in every municipality the builder did not adjust:
// GPs, persons on lists with a GP, lists without a GP and the persons on
// them, and total ceilings. The adjustments (world/build.go) are the six
// imputed municipalities, persons on lists with a GP where no GP holds a
// slot, persons on lists without a GP and no such list, lists without a GP
// that hold nobody, and total ceilings below the persons listed; the test
// skips a municipality with any of them and requires that at least 270 of
// the 357 are compared (274 are: most of the others have total ceilings
// below their lists in the register).
func TestMuniYear0EqualsRegister(t *testing.T) {
	data, err := os.ReadFile("../world/data/ssb12005_fastlege_kommune_2025.csv")
	if err != nil {
		t.Fatal(err)
	}
	tab := csvtable.Read(data, nil)
	if len(tab.Problems) > 0 {
		t.Fatal(tab.Problems[0].In("ssb12005"))
	}
	w, o := year0Munis(t)
	index := map[string]int{}
	for i, mu := range w.Municipalities {
		index[mu.Code] = i
	}
	num := func(row int, col string) float64 {
		s, _ := tab.Cell(row, col)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("ssb12005 line %d column %s: %q", tab.Lines[row], col, s)
		}
		return v
	}
	compared := 0
	for row := range tab.Rows {
		code, _ := tab.Cell(row, "kommune_nr")
		i, ok := index[code]
		if !ok || w.Municipalities[i].Imputed {
			continue
		}
		held, listed := num(row, "n_agreements_with_gp"), num(row, "patients_on_lists_with_gp")
		vacant, orphans := num(row, "n_lists_without_gp"), num(row, "patients_on_lists_without_gp")
		capacity := num(row, "capacity_sum_listetak")
		if (held == 0 && listed > 0) || (vacant == 0 && orphans > 0) || (vacant > 0 && orphans == 0) || capacity < listed {
			continue
		}
		got := o.MuniAt(0, 0, i)
		for k, want := range map[MuniMetric]float64{MuniGPs: held, MuniListed: listed, MuniListsWithoutGP: vacant,
			MuniOnListsWithoutGP: orphans, MuniCapacity: capacity} {
			if float64(got[k]) != want {
				t.Errorf("%s: year 0 %s = %v, register %v", code, k, got[k], want)
			}
		}
		compared++
	}
	if compared < 270 {
		t.Errorf("%d municipalities compared, want at least 270", compared)
	}
	t.Logf("%d of %d municipalities equal the register", compared, len(w.Municipalities))
}
