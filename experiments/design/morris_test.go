package design

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// morrisModel: y = 1 + 0*x0 + 3*x1 + x2^2 + 5 ln x3 with
// x0 in [0, 10] (no effect), x1 in [2, 7] (linear), x2 in [-1, 1]
// (quadratic), x3 log-scaled on [1, e^2].
func morrisFactors() []Factor {
	return []Factor{
		{Name: "inert", Min: 0, Max: 10},
		{Name: "linear", Min: 2, Max: 7},
		{Name: "square", Min: -1, Max: 1},
		{Name: "loglin", Min: 1, Max: math.Exp(2), Log: true},
	}
}

func morrisModel(x []float64) float64 {
	return 1 + 3*x[1] + x[2]*x[2] + 5*math.Log(x[3])
}

func TestMorrisIndices(t *testing.T) {
	d, err := Morris(morrisFactors(), 30, 4, rand.New(rand.NewPCG(42, 1)))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := MorrisIndices(d, evaluate(d, morrisModel))
	if err != nil {
		t.Fatal(err)
	}
	for _, ix := range idx {
		t.Logf("%-7s mu %8.4f  mu* %8.4f  sigma %8.4f  (%d effects)", ix.Factor, ix.Mu, ix.MuStar, ix.Sigma, ix.Effects)
		if ix.Effects != 30 {
			t.Errorf("%s: %d effects, want 30", ix.Factor, ix.Effects)
		}
	}
	// No effect: y is bit-for-bit unchanged when only x0 moves, so every
	// elementary effect, and so mu, mu* and sigma, is exactly 0.
	if in := idx[0]; in.Mu != 0 || in.MuStar != 0 || in.Sigma != 0 {
		t.Errorf("inert factor: %+v, want exact zeros", in)
	}
	// Linear: every elementary effect is coefficient x range = 3 x 5 = 15
	// (output change per unit-cube step). The factor values carry rounding
	// of a few ulps (~1e-15 on values near 7), which the division by delta
	// = 2/3 keeps far below the 1e-12 relative tolerance.
	const relTol = 1e-12
	if lin := idx[1]; math.Abs(lin.MuStar-15) > relTol*15 || math.Abs(lin.Mu-15) > relTol*15 || lin.Sigma > relTol*15 {
		t.Errorf("linear factor: %+v, want mu = mu* = 15, sigma 0", lin)
	}
	// Quadratic on p = 4 levels {-1, -1/3, 1/3, 1}: the only steps of
	// delta are -1 <-> 1/3 and -1/3 <-> 1, with effects -4/3 and +4/3, so
	// mu* is exactly 4/3 (to rounding) and sigma is positive.
	if sq := idx[2]; math.Abs(sq.MuStar-4.0/3) > relTol || !(sq.Sigma > 0.5) || math.Abs(sq.Mu) >= sq.MuStar {
		t.Errorf("quadratic factor: %+v, want mu* = 4/3, sigma > 0.5, |mu| < mu*", sq)
	}
	// Log factor: 5 ln x is linear on the log scale, whose range is
	// ln(e^2) - ln 1 = 2, so every effect is 10; exp/log rounding is a few
	// ulps, within the same 1e-12 relative tolerance.
	if lg := idx[3]; math.Abs(lg.MuStar-10) > relTol*10 || lg.Sigma > relTol*10 {
		t.Errorf("log factor: %+v, want mu* = 10, sigma 0", lg)
	}
}

func TestMorrisIndicesErrors(t *testing.T) {
	d, err := Morris(morrisFactors(), 3, 4, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	y := evaluate(d, morrisModel)
	if _, err := MorrisIndices(d, y[1:]); err == nil || !strings.Contains(err.Error(), "outputs") {
		t.Errorf("short y: %v", err)
	}
	yn := append([]float64(nil), y...)
	yn[2] = math.NaN()
	if _, err := MorrisIndices(d, yn); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN y: %v", err)
	}
	g, _ := Grid([]Factor{{Name: "a", Min: 0, Max: 1, Levels: 12}})
	if _, err := MorrisIndices(g, make([]float64, 12)); err == nil {
		t.Error("grid design accepted")
	}
	// A corrupted layout (a factor moved twice) is rejected.
	d.Morris.Changed[1] = []int{0, 0, 1, 2}
	if _, err := MorrisIndices(d, y); err == nil {
		t.Error("corrupted trajectory accepted")
	}
	// One trajectory: sigma is undefined.
	d1, _ := Morris(morrisFactors(), 1, 4, rand.New(rand.NewPCG(1, 1)))
	idx, err := MorrisIndices(d1, evaluate(d1, morrisModel))
	if err != nil || !math.IsNaN(idx[1].Sigma) || math.Abs(idx[1].MuStar-15) > 1e-12*15 {
		t.Errorf("single trajectory: %+v, %v", idx, err)
	}
}
