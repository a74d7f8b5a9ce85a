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

// scanOrder lists the cells from the most to the least populous in Norway
// (2025), so that the person-by-person search stops after about four cells
// on average. The order does not change the distribution of a draw.
var scanOrder = [Cells]uint8{11, 3, 12, 4, 10, 2, 5, 13, 9, 1, 8, 0, 6, 14, 7, 15}

// pickEach draws k of the n persons of c one at a time into out (c is left
// as it was).
func pickEach(r *rand.Rand, c *Comp, n, k int64, out *Comp) {
	var left [Cells]int64 // in scan order
	for j, i := range scanOrder {
		left[j] = c[i]
	}
	var got [Cells]int64
	for range k {
		// Lemire's multiply-high maps a uniform 64-bit draw to [0, n) with
		// a bias below n/2^64 (no rejection step).
		hi, _ := bits.Mul64(r.Uint64(), uint64(n))
		u := int64(hi)
		j := 0
		for u >= left[j] {
			u -= left[j]
			j++
		}
		left[j]--
		got[j]++
		n--
	}
	for j, i := range scanOrder {
		out[i] += got[j]
	}
}

// tableSize bounds the tabulated list sizes of Rates.
const tableSize = 512

// Rates draws per-cell binomials for fixed probabilities (deaths, ageing,
// churn, seeking) by inversion from the mode ("chop-down" search in both
// directions) with the probability at the mode tabulated for n < 512: most
// cells of a list hold fewer persons, so a draw costs one uniform and about
// sqrt(n p) steps of a few multiplications. Other cases use rng.Binomial.
type Rates struct {
	p, ratio, inv [Cells]float64   // p, p/(1-p), (1-p)/p
	mode          [Cells][]float64 // mode[c][n] = P(X = floor((n+1)p)) for X ~ Binomial(n, p_c)
}

// NewRates precomputes the draws for probabilities p by cell.
func NewRates(p [Cells]float64) *Rates {
	t := &Rates{p: p}
	for c, pc := range p {
		if !(pc > 0 && pc < 1) {
			continue
		}
		q := 1 - pc
		t.ratio[c], t.inv[c] = pc/q, q/pc
		t.mode[c] = make([]float64, tableSize)
		lp, lq := math.Log(pc), math.Log1p(-pc)
		for n := range t.mode[c] {
			m := modeOf(int64(n), pc)
			ln, _ := math.Lgamma(float64(n) + 1)
			lm, _ := math.Lgamma(float64(m) + 1)
			lr, _ := math.Lgamma(float64(int64(n)-m) + 1)
			t.mode[c][n] = math.Exp(ln - lm - lr + float64(m)*lp + float64(int64(n)-m)*lq)
		}
	}
	return t
}

// modeOf returns the mode floor((n+1)p) of Binomial(n, p), at most n.
func modeOf(n int64, p float64) int64 { return min(int64(float64(n+1)*p), n) }

// reciprocals[x] = 1/x for the search steps.
var reciprocals = func() (t [tableSize + 1]float64) {
	for x := 1; x <= tableSize; x++ {
		t[x] = 1 / float64(x)
	}
	return t
}()

// Draw returns a Binomial(n, p_c) draw.
func (t *Rates) Draw(r *rand.Rand, c int, n int64) int64 {
	p := t.p[c]
	if n <= 0 || !(p > 0) {
		return 0
	}
	if p >= 1 {
		return n
	}
	if n >= tableSize {
		return rng.Binomial(r, n, p)
	}
	m := modeOf(n, p)
	pm := t.mode[c][n]
	u := r.Float64()
	if u < pm {
		return m
	}
	u -= pm
	lo, hi, plo, phi := m, m, pm, pm
	ratio, inv := t.ratio[c], t.inv[c]
	for lo > 0 || hi < n {
		if lo > 0 {
			// P(lo-1) = P(lo) * lo / (n-lo+1) * (1-p)/p
			plo *= float64(lo) * reciprocals[n-lo+1] * inv
			lo--
			if u < plo {
				return lo
			}
			u -= plo
		}
		if hi < n {
			// P(hi+1) = P(hi) * (n-hi) / (hi+1) * p/(1-p)
			phi *= float64(n-hi) * reciprocals[hi+1] * ratio
			hi++
			if u < phi {
				return hi
			}
			u -= phi
		}
	}
	// Rounding left u above the total mass (a few ulps): draw afresh.
	return rng.Binomial(r, n, p)
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

// Dealer deals persons of a composition out to several recipients in
// random order (a random partition: each recipient's share is a
// multivariate hypergeometric draw given the earlier ones). It shuffles the
// persons' cell labels (Fisher-Yates) instead of searching cells person by
// person, which makes a placement about three times cheaper. Its buffer is
// reused; a Dealer is not safe for concurrent use.
type Dealer struct {
	labels []uint8
}

// Deal removes sum(sizes) persons from pool, in random order, and adds
// sizes[j] of them to out[j] for each j. sum(sizes) must not exceed
// pool.Sum(); len(out) must equal len(sizes).
func (d *Dealer) Deal(r *rand.Rand, pool *Comp, sizes []int64, out []*Comp) {
	var total int64
	for _, s := range sizes {
		total += s
	}
	n := pool.Sum()
	if total > n || len(out) != len(sizes) {
		panic("demog.Deal: more persons dealt than the pool holds, or sizes and out differ in length")
	}
	if total == 0 {
		return
	}
	d.labels = d.labels[:0]
	for c, x := range pool {
		for range x {
			d.labels = append(d.labels, uint8(c))
		}
	}
	lab := d.labels
	// Partial Fisher-Yates: positions 0..total-1 get a uniform sample
	// without replacement, in random order.
	for i := int64(0); i < total; i++ {
		hi, _ := bits.Mul64(r.Uint64(), uint64(n-i))
		j := i + int64(hi)
		lab[i], lab[j] = lab[j], lab[i]
	}
	pos := 0
	for k, s := range sizes {
		o := out[k]
		for _, c := range lab[pos : pos+int(s)] {
			o[c]++
			pool[c]--
		}
		pos += int(s)
	}
}
