package rng

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// hgTestRand returns the fixed-seed generator used by every test here, so
// that the statistical tests are deterministic: a correct sampler passes them
// with the probabilities stated at each tolerance, and then always does.
func hgTestRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

// hyperParams is one parameter set (good, bad, sample).
type hyperParams struct{ good, bad, sample int64 }

func (p hyperParams) String() string {
	return fmt.Sprintf("good=%d,bad=%d,sample=%d", p.good, p.bad, p.sample)
}

// usesHRUA reports whether Hypergeometric takes the HRUA branch for p.
func (p hyperParams) usesHRUA() bool {
	total := p.good + p.bad
	return p.sample >= 10 && p.sample <= total-10 && p.good > 0 && p.bad > 0
}

// support returns the smallest and largest possible values.
func (p hyperParams) support() (lo, hi int64) {
	return max(0, p.sample-p.bad), min(p.sample, p.good)
}

// hgLogChoose returns log(n choose k).
func hgLogChoose(n, k int64) float64 {
	a, _ := math.Lgamma(float64(n) + 1)
	b, _ := math.Lgamma(float64(k) + 1)
	c, _ := math.Lgamma(float64(n-k) + 1)
	return a - b - c
}

// pmf returns the exact probabilities P(X = k) for k in [lo, hi].
func (p hyperParams) pmf() (lo int64, probs []float64) {
	lo, hi := p.support()
	total := p.good + p.bad
	den := hgLogChoose(total, p.sample)
	probs = make([]float64, hi-lo+1)
	for k := lo; k <= hi; k++ {
		probs[k-lo] = math.Exp(hgLogChoose(p.good, k) + hgLogChoose(p.bad, p.sample-k) - den)
	}
	return lo, probs
}

// analyticMoments returns the mean n*K/N and variance
// n*K/N*(N-K)/N*(N-n)/(N-1).
func (p hyperParams) analyticMoments() (mean, variance float64) {
	n, K, N := float64(p.sample), float64(p.good), float64(p.good+p.bad)
	mean = n * K / N
	variance = n * K / N * (N - K) / N * (N - n) / (N - 1)
	return mean, variance
}

// centralMoment4 returns E[(X-mean)^4] from the exact pmf.
func (p hyperParams) centralMoment4(mean float64) float64 {
	lo, probs := p.pmf()
	var m4 float64
	for i, pr := range probs {
		d := float64(lo+int64(i)) - mean
		m4 += pr * d * d * d * d
	}
	return m4
}

func TestHypergeometricEdgeCases(t *testing.T) {
	r := hgTestRand()
	cases := []struct {
		p    hyperParams
		want int64
	}{
		{hyperParams{0, 0, 0}, 0},          // empty urn
		{hyperParams{5, 7, 0}, 0},          // sample 0
		{hyperParams{5, 7, 12}, 5},         // sample = total: all good items
		{hyperParams{0, 7, 4}, 0},          // good 0
		{hyperParams{5, 0, 4}, 4},          // bad 0: all drawn are good
		{hyperParams{0, 1000, 500}, 0},     // good 0, HRUA-sized
		{hyperParams{1000, 0, 500}, 500},   // bad 0, HRUA-sized
		{hyperParams{600, 400, 1000}, 600}, // sample = total, HRUA-sized
		{hyperParams{1 << 40, 1 << 40, 0}, 0},
		{hyperParams{1 << 40, 1 << 40, 1 << 41}, 1 << 40},
	}
	for _, c := range cases {
		for range 10 {
			if got := Hypergeometric(r, c.p.good, c.p.bad, c.p.sample); got != c.want {
				t.Fatalf("Hypergeometric(%v) = %d, want %d", c.p, got, c.want)
			}
		}
	}
	// The smallest random case: both outcomes of a two-point support occur
	// (1,000 draws: each is missed with probability 2^-1000).
	seen := map[int64]bool{}
	for range 1000 {
		seen[Hypergeometric(r, 1, 1, 1)] = true
	}
	if !seen[0] || !seen[1] {
		t.Fatalf("Hypergeometric(1,1,1) never gave 0 or never gave 1: %v", seen)
	}
}

func TestHypergeometricSupport(t *testing.T) {
	// Random parameters over both branches, including extreme ones: the
	// result must always lie in the support.
	r := hgTestRand()
	for range 20000 {
		var p hyperParams
		switch r.IntN(3) {
		case 0: // small urns, mostly the sequential branch
			p.good, p.bad = r.Int64N(30), r.Int64N(30)
		case 1: // medium
			p.good, p.bad = r.Int64N(5000), r.Int64N(5000)
		default: // huge, HRUA with Lgamma log-factorials
			p.good, p.bad = r.Int64N(1<<50), r.Int64N(1<<50)
		}
		p.sample = r.Int64N(p.good + p.bad + 1)
		lo, hi := p.support()
		if x := Hypergeometric(r, p.good, p.bad, p.sample); x < lo || x > hi {
			t.Fatalf("Hypergeometric(%v) = %d outside [%d, %d]", p, x, lo, hi)
		}
	}
}

func TestHypergeometricDeterministic(t *testing.T) {
	r1, r2 := hgTestRand(), hgTestRand()
	for i := range 1000 {
		a := Hypergeometric(r1, 1200, 50000, 9000)
		b := Hypergeometric(r2, 1200, 50000, 9000)
		if a != b {
			t.Fatalf("draw %d: %d != %d with the same seed", i, a, b)
		}
	}
}

// hyperMomentCases cover both branches and every symmetry used by HRUA.
var hyperMomentCases = []hyperParams{
	{5, 7, 4},             // sequential
	{20, 15, 30},          // sequential, complement (sample > total-10)
	{10, 10, 10},          // HRUA at its smallest: sample = 10 = total-10
	{30, 970, 500},        // HRUA, good < bad, sample = total/2
	{970, 30, 600},        // HRUA, good > bad (counts bad), sample > total/2
	{40000, 30000, 55000}, // HRUA, good > bad, sample > total/2, large
	{1200, 50000, 9000},   // HRUA, good < bad, sample < total/2
}

func TestHypergeometricMeanVariance(t *testing.T) {
	// draws per parameter set: with 200,000 draws the standard error of the
	// mean is sd/447, tight enough to catch a bias of a few percent of sd.
	const draws = 200_000
	// tolSE: tolerance in standard errors. For a correct sampler each
	// check fails with probability about 6e-5 (two-sided normal tail at 4).
	const tolSE = 4.0
	r := hgTestRand()
	for _, p := range hyperMomentCases {
		t.Run(p.String(), func(t *testing.T) {
			mean, variance := p.analyticMoments()
			// Cross-check the analytic formulas against the exact pmf
			// (relative 1e-9: rounding in exp/Lgamma over many terms).
			lo, probs := p.pmf()
			var pm, pv float64
			for i, pr := range probs {
				pm += pr * float64(lo+int64(i))
			}
			for i, pr := range probs {
				d := float64(lo+int64(i)) - pm
				pv += pr * d * d
			}
			if math.Abs(pm-mean) > 1e-9*math.Max(1, mean) || math.Abs(pv-variance) > 1e-9*math.Max(1, variance) {
				t.Fatalf("pmf moments (%g, %g) != analytic (%g, %g)", pm, pv, mean, variance)
			}

			xs := make([]float64, draws)
			lo, hi := p.support()
			for i := range xs {
				x := Hypergeometric(r, p.good, p.bad, p.sample)
				if x < lo || x > hi {
					t.Fatalf("draw %d outside [%d, %d]", x, lo, hi)
				}
				xs[i] = float64(x)
			}
			var sum float64
			for _, x := range xs {
				sum += x
			}
			m := sum / draws
			var ss float64
			for _, x := range xs {
				ss += (x - m) * (x - m)
			}
			v := ss / (draws - 1)

			// Standard error of the sample mean: sqrt(var/n).
			seMean := math.Sqrt(variance / draws)
			if d := math.Abs(m - mean); d > tolSE*seMean {
				t.Errorf("mean %g, want %g: off by %.2f standard errors", m, mean, d/seMean)
			}
			// Standard error of the sample variance:
			// sqrt((mu4 - sigma^4*(n-3)/(n-1)) / n), mu4 from the exact pmf.
			mu4 := p.centralMoment4(mean)
			seVar := math.Sqrt((mu4 - variance*variance*(draws-3)/(draws-1)) / draws)
			if d := math.Abs(v - variance); d > tolSE*seVar {
				t.Errorf("variance %g, want %g: off by %.2f standard errors", v, variance, d/seVar)
			}
			t.Logf("branch HRUA=%v mean %g (want %g), var %g (want %g)", p.usesHRUA(), m, mean, v, variance)
		})
	}
}

// hgChiSquareGOF draws n variates and returns the chi-square statistic against
// the exact pmf and the number of cells. Adjacent outcomes are pooled from
// the left until a cell expects at least minExpected; a too-small remainder
// at the right end joins the last cell.
func hgChiSquareGOF(r *rand.Rand, p hyperParams, n int) (stat float64, cells int) {
	// minExpected: the usual rule of thumb for the chi-square
	// approximation to hold (Cochran): at least 5 expected per cell.
	const minExpected = 5.0
	lo, probs := p.pmf()
	counts := make([]float64, len(probs))
	for range n {
		counts[Hypergeometric(r, p.good, p.bad, p.sample)-lo]++
	}
	var obsCells, expCells []float64
	var obs, exp float64
	for i, pr := range probs {
		obs += counts[i]
		exp += pr * float64(n)
		if exp >= minExpected {
			obsCells = append(obsCells, obs)
			expCells = append(expCells, exp)
			obs, exp = 0, 0
		}
	}
	last := len(obsCells) - 1
	obsCells[last] += obs
	expCells[last] += exp
	for i := range obsCells {
		d := obsCells[i] - expCells[i]
		stat += d * d / expCells[i]
	}
	return stat, len(obsCells)
}

func TestHypergeometricChiSquare(t *testing.T) {
	// draws: 100,000 gives cells with large expected counts, so the test
	// has power against small errors in the pmf.
	const draws = 100_000
	// minPValue: the test fails if P(chi2 >= stat) is below this; a
	// correct sampler fails with probability 1e-4 per case.
	const minPValue = 1e-4
	r := hgTestRand()
	for _, p := range []hyperParams{
		{5, 7, 4},             // sequential branch
		{30, 970, 500},        // HRUA branch, small counts
		{40000, 30000, 55000}, // HRUA branch with both symmetries used
	} {
		stat, cells := hgChiSquareGOF(r, p, draws)
		df := float64(cells - 1)
		pValue := distuv.ChiSquared{K: df}.Survival(stat)
		t.Logf("%v: HRUA=%v chi2 = %.2f on %g df, p = %.3g", p, p.usesHRUA(), stat, df, pValue)
		if pValue < minPValue {
			t.Errorf("%v: chi2 = %.2f on %g df, p = %.3g < %g", p, stat, df, pValue, minPValue)
		}
	}
}

func TestHypergeometricPanics(t *testing.T) {
	r := hgTestRand()
	for _, p := range []hyperParams{
		{-1, 5, 2},
		{5, -1, 2},
		{5, 5, -1},
		{5, 5, 11},
		{math.MaxInt64, 1, 0},
	} {
		if !hgPanics(func() { Hypergeometric(r, p.good, p.bad, p.sample) }) {
			t.Errorf("Hypergeometric(%v) did not panic", p)
		}
	}
}

func hgPanics(f func()) (did bool) {
	defer func() { did = recover() != nil }()
	f()
	return false
}

func TestMultiHypergeometricEdgeCases(t *testing.T) {
	r := hgTestRand()
	// No groups, nothing drawn.
	MultiHypergeometric(r, nil, 0, nil)

	counts := []int64{5, 0, 100, 3000, 42, 7}
	out := make([]int64, len(counts))
	for i := range out {
		out[i] = -99 // must all be overwritten
	}
	MultiHypergeometric(r, counts, 0, out)
	for i, x := range out {
		if x != 0 {
			t.Fatalf("sample 0: out[%d] = %d", i, x)
		}
	}
	MultiHypergeometric(r, counts, 3154, out) // the whole urn
	for i, x := range out {
		if x != counts[i] {
			t.Fatalf("sample = total: out[%d] = %d, want %d", i, x, counts[i])
		}
	}
	one := []int64{17}
	o1 := make([]int64, 1)
	MultiHypergeometric(r, one, 9, o1)
	if o1[0] != 9 {
		t.Fatalf("single group: got %d, want 9", o1[0])
	}

	for _, f := range []func(){
		func() { MultiHypergeometric(r, counts, 1, out[:2]) },        // len mismatch
		func() { MultiHypergeometric(r, []int64{3, -1}, 1, o1[:1]) }, // len mismatch
		func() { MultiHypergeometric(r, []int64{3, -1}, 1, make([]int64, 2)) },
		func() { MultiHypergeometric(r, counts, 3155, out) }, // > total
		func() { MultiHypergeometric(r, counts, -1, out) },
		func() { MultiHypergeometric(r, []int64{math.MaxInt64, 1}, 0, make([]int64, 2)) },
	} {
		if !hgPanics(f) {
			t.Error("MultiHypergeometric did not panic on invalid input")
		}
	}
}

func TestMultiHypergeometricInvariantsAndMeans(t *testing.T) {
	// draws: 100,000 draws give marginal means to within a few thousandths
	// of their standard deviation.
	const draws = 100_000
	// tolSE: tolerance in standard errors of the sample mean (see
	// TestHypergeometricMeanVariance).
	const tolSE = 4.0
	r := hgTestRand()
	src, root := NewSource(), New(1, 0)
	type multiCase struct {
		counts  []int64
		sample  int64
		streams bool // MultiHypergeometricStreams, a key per draw
	}
	var cases []multiCase
	for _, streams := range []bool{false, true} {
		cases = append(cases,
			multiCase{[]int64{5, 0, 100, 3000, 42, 7}, 1000, streams}, // mixes both branches
			multiCase{[]int64{3, 4, 2, 1}, 6, streams},                // small: sequential only
			multiCase{[]int64{800, 1200, 950, 1100, 0, 700}, 2500, streams})
	}
	for _, tc := range cases {
		var total int64
		for _, c := range tc.counts {
			total += c
		}
		out := make([]int64, len(tc.counts))
		sums := make([]float64, len(tc.counts))
		for d := range draws {
			if tc.streams {
				MultiHypergeometricStreams(src, root.Index(uint64(d)), tc.counts, tc.sample, out)
			} else {
				MultiHypergeometric(r, tc.counts, tc.sample, out)
			}
			var s int64
			for i, x := range out {
				if x < 0 || x > tc.counts[i] {
					t.Fatalf("%v: out[%d] = %d outside [0, %d]", tc.counts, i, x, tc.counts[i])
				}
				s += x
				sums[i] += float64(x)
			}
			if s != tc.sample {
				t.Fatalf("%v: sum(out) = %d, want %d", tc.counts, s, tc.sample)
			}
		}
		N, n := float64(total), float64(tc.sample)
		for i, c := range tc.counts {
			// Marginal of group i: Hypergeometric(counts[i], total-counts[i], sample).
			pi := float64(c) / N
			mean := n * pi
			variance := n * pi * (1 - pi) * (N - n) / (N - 1)
			m := sums[i] / draws
			if variance == 0 {
				if m != mean {
					t.Errorf("%v group %d: mean %g, want exactly %g", tc.counts, i, m, mean)
				}
				continue
			}
			se := math.Sqrt(variance / draws)
			if d := math.Abs(m - mean); d > tolSE*se {
				t.Errorf("%v group %d: mean %g, want %g (%.2f standard errors)", tc.counts, i, m, mean, d/se)
			}
		}
	}
}

// TestMultiHypergeometricStreamsSynchronised checks what the streams are
// for: the same key with a sample one larger moves the draw by little,
// while one stream for all groups redraws every group after the first whose
// draw changed. Over 2,000 keys, the mean total change |out(n+1) - out(n)|
// summed over 40 groups of 50 free places (a municipality's GPs, 600 of
// 2,000 places taken) is compared: at least one (the extra item) and, with
// synchronised streams, below a third of the single stream's (measured:
// 6.2 against 26.6; the ratio-of-uniforms sampler still rejects a different
// candidate now and then, which redraws one group).
func TestMultiHypergeometricStreamsSynchronised(t *testing.T) {
	const keys, groups = 2000, 40
	counts := make([]int64, groups)
	for i := range counts {
		counts[i] = 50
	}
	const n = 600
	a, b := make([]int64, groups), make([]int64, groups)
	src := NewSource()
	var sync, single float64
	for k := range keys {
		key := New(7, k)
		MultiHypergeometricStreams(src, key, counts, n, a)
		MultiHypergeometricStreams(src, key, counts, n+1, b)
		for i := range a {
			sync += math.Abs(float64(a[i] - b[i]))
		}
		MultiHypergeometric(key.Rand(), counts, n, a)
		MultiHypergeometric(key.Rand(), counts, n+1, b)
		for i := range a {
			single += math.Abs(float64(a[i] - b[i]))
		}
	}
	sync, single = sync/keys, single/keys
	t.Logf("mean total change: %.2f with a stream per group, %.2f with one stream", sync, single)
	if sync < 1 || sync > single/3 {
		t.Errorf("mean total change %.2f with a stream per group, %.2f with one: want at least 1 and below a third", sync, single)
	}
}

func TestHypergeometricNoAllocs(t *testing.T) {
	r := hgTestRand()
	counts := []int64{5, 0, 100, 3000, 42, 7}
	out := make([]int64, len(counts))
	// runs: enough calls to exercise both branches and rejections.
	const runs = 1000
	for _, p := range hyperMomentCases {
		if a := testing.AllocsPerRun(runs, func() { Hypergeometric(r, p.good, p.bad, p.sample) }); a != 0 {
			t.Errorf("Hypergeometric(%v) allocates %g times per call", p, a)
		}
	}
	if a := testing.AllocsPerRun(runs, func() { MultiHypergeometric(r, counts, 1000, out) }); a != 0 {
		t.Errorf("MultiHypergeometric allocates %g times per call", a)
	}
	src, key := NewSource(), New(1, 0)
	if a := testing.AllocsPerRun(runs, func() { MultiHypergeometricStreams(src, key, counts, 1000, out) }); a != 0 {
		t.Errorf("MultiHypergeometricStreams allocates %g times per call", a)
	}
}

func BenchmarkHypergeometric(b *testing.B) {
	for _, p := range []hyperParams{
		{5, 7, 4},             // sequential
		{30, 970, 500},        // HRUA, table log-factorials
		{1200, 50000, 9000},   // HRUA, Lgamma log-factorials
		{40000, 30000, 55000}, // HRUA, large
	} {
		b.Run(p.String(), func(b *testing.B) {
			r := hgTestRand()
			var sink int64
			for b.Loop() {
				sink += Hypergeometric(r, p.good, p.bad, p.sample)
			}
			_ = sink
		})
	}
}

func BenchmarkMultiHypergeometric(b *testing.B) {
	// A municipality with 12 GPs' free places, 300 placed seekers.
	counts := []int64{12, 40, 0, 3, 150, 75, 9, 22, 60, 1, 33, 18}
	out := make([]int64, len(counts))
	r := hgTestRand()
	for b.Loop() {
		MultiHypergeometric(r, counts, 300, out)
	}
}

func TestHyperLogFactorialSeries(t *testing.T) {
	for _, k := range []int64{255, 256, 257, 300, 1000, 54321, 1 << 30} {
		want, _ := math.Lgamma(float64(k) + 1)
		if got := hyperLogFactorial(k); math.Abs(got-want) > 4e-16*math.Abs(want) {
			t.Errorf("log(%d!) = %v, want %v", k, got, want)
		}
	}
}
