package design

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Ishigami function (T. Ishigami, T. Homma, "An importance quantification
// technique in uncertainty analysis for computer models", ISUMA 1990) with
// a = 7, b = 0.1, inputs uniform on [-pi, pi].
const ishA, ishB = 7.0, 0.1

func ishigami(x []float64) float64 {
	s1 := math.Sin(x[0])
	s2 := math.Sin(x[1])
	x3 := x[2] * x[2]
	return s1 + ishA*s2*s2 + ishB*x3*x3*s1
}

// ishigamiTruth returns the analytic indices: V = a^2/8 + b pi^4/5 +
// b^2 pi^8/18 + 1/2, V1 = 1/2 (1 + b pi^4/5)^2, V2 = a^2/8, V3 = 0,
// V13 = 8 b^2 pi^8 / 225, all other partial variances zero.
func ishigamiTruth() (s1, st [3]float64, s13 float64) {
	pi4 := math.Pow(math.Pi, 4)
	pi8 := pi4 * pi4
	v := ishA*ishA/8 + ishB*pi4/5 + ishB*ishB*pi8/18 + 0.5
	v1 := 0.5 * (1 + ishB*pi4/5) * (1 + ishB*pi4/5)
	v2 := ishA * ishA / 8
	v13 := 8 * ishB * ishB * pi8 / 225
	return [3]float64{v1 / v, v2 / v, 0}, [3]float64{(v1 + v13) / v, v2 / v, v13 / v}, v13 / v
}

func ishigamiFactors() []Factor {
	return []Factor{
		{Name: "x1", Min: -math.Pi, Max: math.Pi},
		{Name: "x2", Min: -math.Pi, Max: math.Pi},
		{Name: "x3", Min: -math.Pi, Max: math.Pi},
	}
}

func evaluate(d *Design, f func([]float64) float64) []float64 {
	y := make([]float64, len(d.Points))
	for k, p := range d.Points {
		y[k] = f(p)
	}
	return y
}

func TestIshigamiTruth(t *testing.T) {
	s1, st, _ := ishigamiTruth()
	want1 := [3]float64{0.3139, 0.4424, 0}
	wantT := [3]float64{0.5576, 0.4424, 0.2437}
	for i := range 3 {
		// The literature quotes four decimals: agree to rounding.
		if math.Abs(s1[i]-want1[i]) > 5e-5 || math.Abs(st[i]-wantT[i]) > 5e-5 {
			t.Errorf("x%d: analytic S1 %.5f ST %.5f, literature %v %v", i+1, s1[i], st[i], want1[i], wantT[i])
		}
	}
}

// Tolerances for N = 8192 base rows. Over 200 seeds (a one-off run, not
// kept) the Saltelli/Jansen estimators on this LHS base showed no bias
// beyond 0.001 and sampling standard deviations of 0.010 (S1_1), 0.009
// (S1_2), 0.010 (S1_3), 0.013 (ST_1), 0.007 (ST_2), 0.004 (ST_3), and
// 0.015, 0.016, 0.012 for S2_12, S2_13, S2_23. A tolerance of 0.04 is
// three or more standard deviations for every first-order and total index,
// 0.05 is three for the second-order ones. The 95 % bootstrap intervals
// covered the truth in 93-98 % of those seeds per index.
const (
	ishN     = 8192
	ishBoot  = 500
	tolS1ST  = 0.04
	tolS2    = 0.05
	maxWidth = 0.12 // about twice the widest 95 % interval expected (2 x 1.96 x 0.016 = 0.063; seen up to 0.08), so coverage cannot come from vacuous intervals
)

func checkIndex(t *testing.T, name string, est float64, ci Interval, truth, tol float64) {
	t.Helper()
	t.Logf("%-6s %.4f  95%% CI [%.4f, %.4f]  true %.4f", name, est, ci.Low, ci.High, truth)
	if math.Abs(est-truth) > tol {
		t.Errorf("%s = %.4f, want %.4f +- %v", name, est, truth, tol)
	}
	if !ci.Contains(truth) {
		t.Errorf("%s: interval [%.4f, %.4f] misses %.4f", name, ci.Low, ci.High, truth)
	}
	if !ci.Contains(est) || !(ci.High-ci.Low < maxWidth) {
		t.Errorf("%s: interval [%.4f, %.4f] around %.4f implausible", name, ci.Low, ci.High, est)
	}
}

func TestSobolIndicesIshigami(t *testing.T) {
	d, err := Sobol(ishigamiFactors(), ishN, false, rand.New(rand.NewPCG(2024, 1)))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := SobolIndices(d, evaluate(d, ishigami), ishBoot, rand.New(rand.NewPCG(2024, 2)))
	if err != nil {
		t.Fatal(err)
	}
	s1, st, _ := ishigamiTruth()
	for i, ix := range idx {
		if ix.Factor != d.Factors[i].Name || ix.S2 != nil || ix.S2CI != nil {
			t.Errorf("index %d: factor %q, S2 %v", i, ix.Factor, ix.S2)
		}
		checkIndex(t, "S1_"+ix.Factor, ix.S1, ix.S1CI, s1[i], tolS1ST)
		checkIndex(t, "ST_"+ix.Factor, ix.ST, ix.STCI, st[i], tolS1ST)
	}
}

func TestSobolIndicesIshigamiSecondOrder(t *testing.T) {
	d, err := Sobol(ishigamiFactors(), ishN, true, rand.New(rand.NewPCG(2025, 1)))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := SobolIndices(d, evaluate(d, ishigami), ishBoot, rand.New(rand.NewPCG(2025, 2)))
	if err != nil {
		t.Fatal(err)
	}
	s1, st, s13 := ishigamiTruth()
	s2 := [3][3]float64{{0, 0, s13}, {0, 0, 0}, {s13, 0, 0}}
	for i, ix := range idx {
		checkIndex(t, "S1_"+ix.Factor, ix.S1, ix.S1CI, s1[i], tolS1ST)
		checkIndex(t, "ST_"+ix.Factor, ix.ST, ix.STCI, st[i], tolS1ST)
		if len(ix.S2) != 3 || len(ix.S2CI) != 3 || !math.IsNaN(ix.S2[i]) {
			t.Fatalf("%s: S2 %v", ix.Factor, ix.S2)
		}
		for k := i + 1; k < 3; k++ {
			if ix.S2[k] != idx[k].S2[i] || ix.S2CI[k] != idx[k].S2CI[i] {
				t.Errorf("S2 not symmetric at %d,%d", i, k)
			}
			checkIndex(t, "S2_"+ix.Factor+idx[k].Factor, ix.S2[k], ix.S2CI[k], s2[i][k], tolS2)
		}
	}
}

// TestSobolIndicesLinear checks an additive function with a large offset:
// y = 1e6 + 2 x1 + x2 on [0, 1]^2 (plus an inert x3) has S = ST =
// (4/5, 1/5, 0). With no interactions the Jansen total for x3 is exactly
// zero (f(A) == f(A_B^3) bit for bit), and so is the first-order numerator.
func TestSobolIndicesLinear(t *testing.T) {
	fs := []Factor{{Name: "a", Min: 0, Max: 1}, {Name: "b", Min: 0, Max: 1}, {Name: "c", Min: 0, Max: 1}}
	d, err := Sobol(fs, 4096, false, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	y := evaluate(d, func(x []float64) float64 { return 1e6 + 2*x[0] + x[1] })
	idx, err := SobolIndices(d, y, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.8, 0.2, 0}
	for i, ix := range idx {
		// 0.06: over 200 seeds (a one-off run) the largest error at
		// N = 4096 was 0.043 (S1 of a, standard deviation about 0.014),
		// so 0.06 is about four standard deviations; the offset 1e6 would
		// swamp S1 without the centring SobolIndices applies.
		if math.Abs(ix.S1-want[i]) > 0.06 || math.Abs(ix.ST-want[i]) > 0.06 {
			t.Errorf("%s: S1 %.4f ST %.4f, want %.1f", ix.Factor, ix.S1, ix.ST, want[i])
		}
		if !math.IsNaN(ix.S1CI.Low) || !math.IsNaN(ix.STCI.High) {
			t.Errorf("%s: intervals without bootstrap: %v %v", ix.Factor, ix.S1CI, ix.STCI)
		}
	}
	if idx[2].ST != 0 || idx[2].S1 != 0 {
		t.Errorf("inert factor: S1 %v ST %v, want exactly 0", idx[2].S1, idx[2].ST)
	}
}

func TestSobolIndicesErrors(t *testing.T) {
	d, err := Sobol(ishigamiFactors(), 16, false, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	y := evaluate(d, ishigami)
	r := rand.New(rand.NewPCG(1, 2))
	if _, err := SobolIndices(d, y[:len(y)-1], 10, r); err == nil || !strings.Contains(err.Error(), "outputs") {
		t.Errorf("short y: %v", err)
	}
	yn := append([]float64(nil), y...)
	yn[7] = math.NaN()
	if _, err := SobolIndices(d, yn, 10, r); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN y: %v", err)
	}
	yn[7] = math.Inf(-1)
	if _, err := SobolIndices(d, yn, 10, r); err == nil {
		t.Error("infinite y accepted")
	}
	if _, err := SobolIndices(d, make([]float64, len(y)), 10, r); !errors.Is(err, ErrZeroVariance) {
		t.Errorf("constant y: %v", err)
	}
	if _, err := SobolIndices(d, y, 10, nil); err == nil {
		t.Error("bootstrap with nil rand accepted")
	}
	if _, err := SobolIndices(d, y, -1, r); err == nil {
		t.Error("negative nBoot accepted")
	}
	lhs, _ := LHS(ishigamiFactors(), len(y), rand.New(rand.NewPCG(1, 1)))
	if _, err := SobolIndices(lhs, y, 0, nil); err == nil {
		t.Error("LHS design accepted")
	}
}
