package design

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func testFactors() []Factor {
	return []Factor{
		{Name: "capitation", Min: 400, Max: 800, Levels: 3},
		{Name: "fee_share", Min: 0.2, Max: 0.8, Levels: 4},
		{Name: "churn", Min: 0.001, Max: 0.1, Levels: 2, Log: true},
	}
}

// checkInRange checks every point against its factor's range and its unit
// coordinates against [0, 1], and that Points derive from Unit.
func checkInRange(t *testing.T, d *Design) {
	t.Helper()
	if len(d.Unit) != len(d.Points) {
		t.Fatalf("%s: %d unit points for %d points", d.Kind, len(d.Unit), len(d.Points))
	}
	for k, p := range d.Points {
		if len(p) != len(d.Factors) {
			t.Fatalf("%s: point %d has %d values", d.Kind, k, len(p))
		}
		for i, f := range d.Factors {
			if !(p[i] >= f.Min && p[i] <= f.Max) {
				t.Fatalf("%s: point %d factor %s = %v outside [%v, %v]", d.Kind, k, f.Name, p[i], f.Min, f.Max)
			}
			if u := d.Unit[k][i]; !(u >= 0 && u <= 1) || f.Value(u) != p[i] {
				t.Fatalf("%s: point %d factor %s unit %v does not give %v", d.Kind, k, f.Name, u, p[i])
			}
		}
	}
}

func TestGrid(t *testing.T) {
	fs := testFactors()
	d, err := Grid(fs)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != KindGrid || len(d.Points) != 3*4*2 {
		t.Fatalf("grid kind %q size %d, want 24", d.Kind, len(d.Points))
	}
	checkInRange(t, d)
	// Row-major: the last factor varies fastest.
	want := [][]float64{{400, 0.2, 0.001}, {400, 0.2, 0.1}, {400, 0.4, 0.001}}
	for k, w := range want {
		for i := range w {
			// 1e-12 relative: level values go through u*(max-min) and exp/log.
			if math.Abs(d.Points[k][i]-w[i]) > 1e-12*math.Abs(w[i]) {
				t.Errorf("point %d = %v, want %v", k, d.Points[k], w)
			}
		}
	}
	// Every combination of levels appears exactly once.
	seen := map[[3]float64]bool{}
	for _, p := range d.Points {
		seen[[3]float64(p)] = true
	}
	if len(seen) != 24 {
		t.Errorf("%d distinct grid points, want 24", len(seen))
	}
	// Every level of every factor appears size/levels times.
	for i, f := range fs {
		count := map[float64]int{}
		for _, p := range d.Points {
			count[p[i]]++
		}
		if len(count) != f.Levels {
			t.Errorf("factor %s: %d levels, want %d", f.Name, len(count), f.Levels)
		}
		for v, c := range count {
			if c != 24/f.Levels {
				t.Errorf("factor %s level %v appears %d times", f.Name, v, c)
			}
		}
	}
	bad := testFactors()
	bad[1].Levels = 1
	if _, err := Grid(bad); err == nil {
		t.Error("grid with 1 level accepted")
	}
	huge := []Factor{{Name: "a", Min: 0, Max: 1, Levels: 1 << 13}, {Name: "b", Min: 0, Max: 1, Levels: 1 << 13}}
	if _, err := Grid(huge); err == nil {
		t.Error("grid beyond MaxPoints accepted")
	}
}

func TestLHS(t *testing.T) {
	const n = 50
	d, err := LHS(testFactors(), n, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != KindLHS || len(d.Points) != n {
		t.Fatalf("lhs kind %q size %d, want %d", d.Kind, len(d.Points), n)
	}
	checkInRange(t, d)
	// Exactly one point per stratum per dimension, in unit coordinates
	// (for the log factor, strata are equal on the log scale).
	for i := range d.Factors {
		strata := make([]int, n)
		for _, u := range d.Unit {
			strata[min(int(u[i]*n), n-1)]++
		}
		for s, c := range strata {
			if c != 1 {
				t.Fatalf("factor %d stratum %d holds %d points", i, s, c)
			}
		}
	}
	if _, err := LHS(testFactors(), 0, rand.New(rand.NewPCG(1, 2))); err == nil {
		t.Error("n = 0 accepted")
	}
	if _, err := LHS(testFactors(), 5, nil); err == nil {
		t.Error("nil rand accepted")
	}
}

func TestSobolDesign(t *testing.T) {
	fs := testFactors()
	const n, dim = 64, 3
	for _, second := range []bool{false, true} {
		d, err := Sobol(fs, n, second, rand.New(rand.NewPCG(3, 4)))
		if err != nil {
			t.Fatal(err)
		}
		want := n * (dim + 2)
		if second {
			want = n * (2*dim + 2)
		}
		if d.Kind != KindSobol || len(d.Points) != want || d.Sobol.Size() != want {
			t.Fatalf("second order %v: size %d, want %d", second, len(d.Points), want)
		}
		checkInRange(t, d)
		l := d.Sobol
		for j := range n {
			a, b := d.Unit[l.A(j)], d.Unit[l.B(j)]
			for i := range dim {
				ab := d.Unit[l.AB(i, j)]
				for k := range dim {
					if (k == i && ab[k] != b[k]) || (k != i && ab[k] != a[k]) {
						t.Fatalf("AB_%d row %d = %v from A %v, B %v", i, j, ab, a, b)
					}
				}
				if !second {
					if l.BA(i, j) != -1 {
						t.Fatal("BA index without second order")
					}
					continue
				}
				ba := d.Unit[l.BA(i, j)]
				for k := range dim {
					if (k == i && ba[k] != a[k]) || (k != i && ba[k] != b[k]) {
						t.Fatalf("BA_%d row %d = %v from A %v, B %v", i, j, ba, a, b)
					}
				}
			}
		}
		// A and B come from one LHS: one base row per stratum in each of
		// the 2D columns.
		for c := range 2 * dim {
			seen := make([]bool, n)
			for j := range n {
				u := d.Unit[l.A(j)]
				if c >= dim {
					u = d.Unit[l.B(j)]
				}
				s := min(int(u[c%dim]*n), n-1)
				if seen[s] {
					t.Fatalf("base column %d: stratum %d twice", c, s)
				}
				seen[s] = true
			}
		}
	}
	if _, err := Sobol(fs, 1, false, rand.New(rand.NewPCG(3, 4))); err == nil {
		t.Error("n = 1 accepted")
	}
}

func TestMorrisDesign(t *testing.T) {
	fs := testFactors()
	const r, p, dim = 20, 4, 3
	d, err := Morris(fs, r, p, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	l := d.Morris
	if d.Kind != KindMorris || len(d.Points) != r*(dim+1) {
		t.Fatalf("morris size %d, want %d", len(d.Points), r*(dim+1))
	}
	if l.Delta != 4.0/6 {
		t.Fatalf("delta %v, want p/(2(p-1)) = 2/3", l.Delta)
	}
	checkInRange(t, d)
	for tr := range r {
		if !slices.Equal(slices.Sorted(slices.Values(l.Changed[tr])), []int{0, 1, 2}) {
			t.Fatalf("trajectory %d changes %v, not a permutation", tr, l.Changed[tr])
		}
		for m, i := range l.Changed[tr] {
			before, after := d.Unit[l.Index(tr, m)], d.Unit[l.Index(tr, m+1)]
			for k := range dim {
				diff := after[k] - before[k]
				switch {
				case k == i:
					// Levels are k/(p-1); a difference of two such
					// quotients is within a few ulps of delta.
					if math.Abs(diff-float64(l.Sign[tr][m])*l.Delta) > 1e-12 {
						t.Fatalf("trajectory %d step %d: factor %d moves %v, want %+d*%v", tr, m, i, diff, l.Sign[tr][m], l.Delta)
					}
				case diff != 0:
					t.Fatalf("trajectory %d step %d: factor %d moves too", tr, m, k)
				}
			}
		}
		// Every point lies on the p-level grid.
		for m := range dim + 1 {
			for _, u := range d.Unit[l.Index(tr, m)] {
				lv := u * (p - 1)
				if math.Abs(lv-math.Round(lv)) > 1e-12 { // rounding of k/(p-1)*(p-1)
					t.Fatalf("unit value %v off the grid", u)
				}
			}
		}
	}
	for _, bad := range []int{0, 1, 3} {
		if _, err := Morris(fs, r, bad, rand.New(rand.NewPCG(5, 6))); err == nil {
			t.Errorf("levels %d accepted", bad)
		}
	}
	// p = 2: delta 1, every factor jumps between its bounds.
	d2, err := Morris(fs, 3, 2, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	checkInRange(t, d2)
}

func TestDeterminism(t *testing.T) {
	fs := testFactors()
	build := map[string]func(seed uint64) (*Design, error){
		KindLHS:    func(s uint64) (*Design, error) { return LHS(fs, 30, rand.New(rand.NewPCG(s, 9))) },
		KindSobol:  func(s uint64) (*Design, error) { return Sobol(fs, 16, true, rand.New(rand.NewPCG(s, 9))) },
		KindMorris: func(s uint64) (*Design, error) { return Morris(fs, 10, 4, rand.New(rand.NewPCG(s, 9))) },
	}
	for kind, b := range build {
		d1, err1 := b(7)
		d2, err2 := b(7)
		d3, err3 := b(8)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatal(err1, err2, err3)
		}
		if !reflect.DeepEqual(d1, d2) {
			t.Errorf("%s: same seed, different designs", kind)
		}
		if reflect.DeepEqual(d1.Points, d3.Points) {
			t.Errorf("%s: different seeds, same points", kind)
		}
	}
}

func TestDesignJSONRoundTrip(t *testing.T) {
	d, err := Morris(testFactors(), 4, 4, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back Design
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d, &back) {
		t.Error("design changed through JSON")
	}
	if m := d.Named(0); len(m) != 3 || m["churn"] != d.Points[0][2] {
		t.Errorf("Named(0) = %v", m)
	}
}
