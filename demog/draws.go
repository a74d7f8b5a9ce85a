package demog

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"listetak/rng"
)

// smallPick is the largest number of persons Pick draws one at a time
// (up to about 100 a person-by-person draw over 16 cells beats 15 hypergeometric
// draws; BenchmarkPick).
const smallPick = 96

// Pick draws which k persons of c move (without replacement: a multivariate
// hypergeometric draw) into out, and removes them from c. k is clamped to
// [0, c.Sum()].
func Pick(r *rand.Rand, c *Comp, k int64, out *Comp) {
	*out = Comp{}
	if k <= 0 {
		return
	}
	n := c.Sum()
	if k >= n {
		*out = *c
		*c = Comp{}
		return
	}
	switch {
	case k <= smallPick:
		pickEach(r, c, n, k, out)
		c.Sub(out)
	case n-k <= smallPick:
		// Draw the persons who stay.
		var stay Comp
		pickEach(r, c, n, n-k, &stay)
		*out = *c
		out.Sub(&stay)
		*c = stay
	default:
		rng.MultiHypergeometric(r, c[:], k, out[:])
		c.Sub(out)
	}
}

// pickEach draws k of the n persons of c one at a time into out (c is left
// as it was).
func pickEach(r *rand.Rand, c *Comp, n, k int64, out *Comp) {
	left := *c
	for range k {
		// Lemire's multiply-high maps a uniform 64-bit draw to [0, n) with
		// a bias below n/2^64 (no rejection step).
		hi, _ := bits.Mul64(r.Uint64(), uint64(n))
		u := int64(hi)
		i := 0
		for u >= left[i] {
			u -= left[i]
			i++
		}
		left[i]--
		out[i]++
		n--
	}
}

// tableSize bounds the precomputed powers (1-p)^n of Rates.
const tableSize = 512

// Rates draws per-cell binomials for fixed probabilities (deaths, ageing)
// by inversion from 0 with precomputed (1-p)^n: most cells of a list hold
// fewer than 512 persons with a small expected count, so a draw costs one
// uniform and a few multiplications. Other cases use rng.Binomial.
type Rates struct {
	p, ratio [Cells]float64
	pow      [Cells][]float64 // pow[c][n] = (1-p_c)^n for n < tableSize
}

// NewRates precomputes the draws for probabilities p by cell.
func NewRates(p [Cells]float64) *Rates {
	t := &Rates{p: p}
	for c, pc := range p {
		if !(pc > 0 && pc <= 0.5) {
			continue
		}
		q := 1 - pc
		t.ratio[c] = pc / q
		t.pow[c] = make([]float64, tableSize)
		lq := math.Log1p(-pc)
		for n := range t.pow[c] {
			t.pow[c][n] = math.Exp(float64(n) * lq)
		}
	}
	return t
}

// Draw returns a Binomial(n, p_c) draw.
func (t *Rates) Draw(r *rand.Rand, c int, n int64) int64 {
	p := t.p[c]
	if n <= 0 || !(p > 0) {
		return 0
	}
	if t.pow[c] == nil || n >= tableSize || float64(n)*p > 30 {
		return rng.Binomial(r, n, p)
	}
	px := t.pow[c][n]
	u := r.Float64()
	var x int64
	ratio := t.ratio[c]
	for u > px {
		x++
		if x > n { // rounding left u above the total mass: draw afresh
			return rng.Binomial(r, n, p)
		}
		u -= px
		px *= float64(n-x+1) / float64(x) * ratio
	}
	return x
}

// AgeRates returns the ageing probabilities by cell: 1/width of the band,
// 0 in the open last band (MODEL.md "Extensions").
func AgeRates() *Rates {
	var p [Cells]float64
	for c := range p {
		if w := Widths[c%Bands]; w > 0 {
			p[c] = 1 / float64(w)
		}
	}
	return NewRates(p)
}
