package sim

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"listetak/params"
	"listetak/world"
)

// snapshots runs reps replications of model m for years years and returns
// their outputs and each replication's state after year at as a world.
func snapshots(t *testing.T, m *Model, reps, years, at int) (*Output, []*world.World) {
	t.Helper()
	ws := make([]*world.World, reps)
	var mu sync.Mutex
	cfg := Config{Model: m, Years: years, Reps: reps, Seed: 1, Workers: 2, Check: true,
		Observe: func(rep, _, year int, st *State) {
			if year != at {
				return
			}
			w := st.Snapshot(world.SavedFrom{World: m.World.Name, Scenario: "baseline", Replication: rep, Year: year, Seed: 1, Model: string(m.Params.Model)})
			mu.Lock()
			ws[rep] = w
			mu.Unlock()
		}}
	outs, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return outs[0], ws
}

// value returns metric k of replication rep in year of o.
func value(o *Output, rep, year int, k Metric) float64 {
	return o.Values[(rep*o.Years+year)*int(NumMetrics)+int(k)]
}

// TestSnapshotRestartsExactly saves a state after year 5 of norway-2025
// (model v2, list composition), writes it as a world folder and reads it
// back, and checks that a model of it starts (year 0) with exactly the
// saved year's stocks, and incomes within 0.1 % (measured: capitation
// exact, mean net income -0.03 %: the restart's year 0 computes the
// equalisation grant from the year-end state, the saved year from the
// year's start).
func TestSnapshotRestartsExactly(t *testing.T) {
	m := defaultModel(t, "norway-2025")
	w, p := m.World, params.Default()
	const at = 5
	o, ws := snapshots(t, m, 1, at, at)
	dir := filepath.Join(t.TempDir(), "state")
	if err := world.WriteDir(dir, ws[0]); err != nil {
		t.Fatal(err)
	}
	back, err := world.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.Year != w.Year+at || back.AgesDrawn || back.SavedFrom == nil || back.SavedFrom.Year != at {
		t.Fatalf("read back: year %d, ages drawn %v, saved from %+v", back.Year, back.AgesDrawn, back.SavedFrom)
	}
	if !reflect.DeepEqual(back.Slots, ws[0].Slots) || !reflect.DeepEqual(back.Municipalities, ws[0].Municipalities) {
		t.Fatal("the saved state does not read back identical")
	}
	m2, err := NewModel(back, p)
	if err != nil {
		t.Fatal(err)
	}
	o2, err := Run(context.Background(), Config{Model: m2, Years: 1, Reps: 1, Seed: 7, Workers: 1, Check: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []Metric{Population, GPs, GPsFemale, GPsSalaried, GPsSpecialist, GPsAge67Plus, VacantSlots,
		Capacity, Listed, OrphansOnVacantLists, OrphansUnlisted, ListsWithoutGP, UnfilledNewPositions, OpenLists} {
		if got, want := value(o2[0], 0, 0, k), value(o, 0, at, k); got != want {
			t.Errorf("%s: restarted year 0 %v, saved year %d %v", k, got, at, want)
		}
	}
	for _, k := range []Metric{MeanNetIncome, MeanCapitation, CapitationTotal, MeanCorrectionFactor} {
		got, want := value(o2[0], 0, 0, k), value(o, 0, at, k)
		if math.Abs(got/want-1) > 0.001 {
			t.Errorf("%s: restarted year 0 %v, saved year %d %v (%.2f %%)", k, got, at, want, 100*(got/want-1))
		}
	}
}

// TestSnapshotContinuesInDistribution checks that a state saved at year 10
// and run 10 more years gives the year-20 national values of the straight
// 20-year run in distribution: norway-2025, model v2 with list
// composition, 40 replications. Each replication's restart runs on its own
// seed, so the pair (straight, restarted) shares the year-10 state and
// differs in years 11-20. For each metric the paired differences' mean
// must be within 4 standard errors of 0 (with 39 degrees of freedom a
// two-sided t of 4 has probability 3e-4; about 3e-3 over the 10 metrics)
// and the two standard deviations within a factor 1.65 of each other (the
// 99.9 % range of a variance ratio F(39, 39) for independent samples is
// about 0.37-2.7, so 0.61-1.64 in sd; the pairs are positively
// correlated, which narrows it).
func TestSnapshotContinuesInDistribution(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical test (about 20 s)")
	}
	m := defaultModel(t, "norway-2025")
	p := params.Default()
	const reps, half = 40, 10
	o, ws := snapshots(t, m, reps, 2*half, half)
	metrics := []Metric{GPs, Capacity, Listed, ListsWithoutGP, OrphansOnVacantLists, OrphansUnlisted,
		MeanNetIncome, GPsShareAge60Plus, Entries, ExitsOther}
	straight := make([][]float64, len(metrics))
	restarted := make([][]float64, len(metrics))
	for rep, sw := range ws {
		m2, err := NewModel(sw, p)
		if err != nil {
			t.Fatal(err)
		}
		o2, err := Run(context.Background(), Config{Model: m2, Years: half, Reps: 1, Seed: 1000 + uint64(rep), Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		for i, k := range metrics {
			straight[i] = append(straight[i], value(o, rep, 2*half, k))
			restarted[i] = append(restarted[i], value(o2[0], 0, half, k))
		}
	}
	for i, k := range metrics {
		a, b := straight[i], restarted[i]
		d := make([]float64, reps)
		for r := range d {
			d[r] = a[r] - b[r]
		}
		md, sd := meanSD(d)
		ma, sa := meanSD(a)
		mb, sb := meanSD(b)
		z := md / (sd / math.Sqrt(reps))
		t.Logf("%-26s straight %12.4g (sd %9.3g)  restarted %12.4g (sd %9.3g)  paired t %5.2f", k, ma, sa, mb, sb, z)
		if sd > 0 && math.Abs(z) > 4 {
			t.Errorf("%s: year-20 mean %v straight, %v restarted: paired t %.2f", k, ma, mb, z)
		}
		if sa > 0 && sb > 0 && (sa/sb > 1.65 || sb/sa > 1.65) {
			t.Errorf("%s: year-20 sd %v straight, %v restarted", k, sa, sb)
		}
	}
}

// meanSD returns the mean and sample standard deviation of x.
func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(x)-1))
}
