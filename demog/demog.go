package demog

import (
	"math"
	"math/rand/v2"

	"listetak/rng"
)

// Cells is the number of sex x age band cells; Bands the bands per sex.
const (
	Cells = 16
	Bands = 8
)

// BandNames are the age bands (years).
var BandNames = [Bands]string{"0-5", "6-15", "16-29", "30-49", "50-66", "67-79", "80-89", "90+"}

// Widths are the bands' widths in years; survivors of band b move up with
// probability 1/Widths[b] a year (MODEL.md "Extensions"). The last band is
// open (0).
var Widths = [Bands]int{6, 10, 14, 20, 17, 13, 10, 0}

// Cell returns the cell of a sex and band.
func Cell(female bool, band int) int {
	if female {
		return band
	}
	return Bands + band
}

// CellName returns e.g. "F 0-5" or "M 90+".
func CellName(c int) string {
	s := "F "
	if c >= Bands {
		s = "M "
	}
	return s + BandNames[c%Bands]
}

// Comp is a composition: persons per cell.
type Comp [Cells]int64

// Sum returns the persons in the composition.
func (c *Comp) Sum() int64 {
	var n int64
	for _, x := range c {
		n += x
	}
	return n
}

// Add adds o cell by cell.
func (c *Comp) Add(o *Comp) {
	for i := range c {
		c[i] += o[i]
	}
}

// Sub subtracts o cell by cell.
func (c *Comp) Sub(o *Comp) {
	for i := range c {
		c[i] -= o[i]
	}
}

// Dot returns sum over cells of c[i]*t[i] (e.g. the weighted persons).
func (c *Comp) Dot(t *[Cells]float64) float64 {
	var s float64
	for i, x := range c {
		s += float64(x) * t[i]
	}
	return s
}

// Factor returns the mean of table t over the composition's persons (the
// correction factor of a list when t holds capitation weights); 1 for an
// empty composition.
func (c *Comp) Factor(t *[Cells]float64) float64 {
	n := c.Sum()
	if n == 0 {
		return 1
	}
	return c.Dot(t) / float64(n)
}

// Normalise returns t scaled so that its mean over the population pop is 1.
// With an empty population or a zero mean it returns t unchanged.
func Normalise(t [Cells]float64, pop *Comp) [Cells]float64 {
	m := pop.Factor(&t)
	if pop.Sum() == 0 || !(m > 0) {
		return t
	}
	for i := range t {
		t[i] /= m
	}
	return t
}

// Apportion returns integer cell counts summing to n in proportion to shares
// (largest remainder, ties to the lower cell). With no shares (a zero sum)
// all n persons go to cell 0; callers check the shares first.
func Apportion(shares *Comp, n int64) Comp {
	var out Comp
	total := shares.Sum()
	if total <= 0 || n <= 0 {
		if n > 0 {
			out[0] = n
		}
		return out
	}
	var rem [Cells]float64
	var given int64
	for i, s := range shares {
		x := float64(s) * float64(n) / float64(total)
		out[i] = int64(math.Floor(x))
		rem[i] = x - float64(out[i])
		given += out[i]
	}
	for ; given < n; given++ {
		best := 0
		for i := 1; i < Cells; i++ {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
	return out
}

// Leave draws the persons of c who leave (die, churn, seek: each
// independently with its cell's probability in prob), removes them and
// returns them.
func Leave(r *rand.Rand, c *Comp, prob *Rates) (dead Comp) {
	for i, x := range c {
		if x > 0 {
			d := prob.Draw(r, i, x)
			dead[i] = d
			c[i] -= d
		}
	}
	return dead
}

// ageRates are the ageing draws.
var ageRates = AgeRates()

// Age moves each person of c up one band with probability 1/width of its
// band (MODEL.md "Extensions"); the open last band keeps its persons.
func Age(r *rand.Rand, c *Comp) {
	for sex := 0; sex < 2; sex++ {
		// From the top band down so that a person moves at most one band.
		for b := Bands - 2; b >= 0; b-- {
			i := sex*Bands + b
			if c[i] > 0 {
				m := ageRates.Draw(r, i, c[i])
				c[i] -= m
				c[i+1] += m
			}
		}
	}
}

// Newcomers draws n newcomers: each is a birth (into band 0-5, a boy with
// probability boys) with probability births, otherwise a person drawn from
// the composition like (multinomial in its cell shares; with like empty, a
// birth). It returns the newcomers and the number of births.
func Newcomers(r *rand.Rand, n int64, births, boys float64, like *Comp) (out Comp, b int64) {
	if n <= 0 {
		return out, 0
	}
	total := like.Sum()
	if total <= 0 {
		b = n // no composition to draw from: births
	} else {
		b = rng.Binomial(r, n, births)
	}
	m := rng.Binomial(r, b, boys)
	out[Cell(true, 0)] += b - m
	out[Cell(false, 0)] += m
	rest := n - b
	if rest == 0 {
		return out, b
	}
	// Multinomial by conditional binomials.
	left := total
	for i, x := range like {
		if rest == 0 {
			break
		}
		if x == 0 {
			continue
		}
		k := rest
		if left > x {
			k = rng.Binomial(r, rest, float64(x)/float64(left))
		}
		out[i] += k
		rest -= k
		left -= x
	}
	return out, b
}
