package demog

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"listetak/rng"
)

// BenchmarkPick compares the person-by-person draw with the multivariate
// hypergeometric one for a list of about 1,000 persons, to set smallPick.
func BenchmarkPick(b *testing.B) {
	base := Comp{29, 55, 85, 132, 106, 61, 23, 6, 30, 59, 90, 138, 109, 58, 18, 3}
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int64{16, 32, 64, 128, 256} {
		b.Run("each/k="+strconv.Itoa(int(k)), func(b *testing.B) {
			var out Comp
			for b.Loop() {
				out = Comp{}
				pickEach(r, &base, base.Sum(), k, &out)
			}
		})
		b.Run("hyper/k="+strconv.Itoa(int(k)), func(b *testing.B) {
			var out Comp
			for b.Loop() {
				rng.MultiHypergeometric(r, base[:], k, out[:])
			}
		})
	}
}

// pickEachPlain is pickEach scanning cells in index order (the benchmark's
// reference for scanOrder).
func pickEachPlain(r *rand.Rand, c *Comp, n, k int64, out *Comp) {
	left := *c
	for range k {
		u := r.Int64N(n)
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

func BenchmarkPickOrder(b *testing.B) {
	base := Comp{29, 55, 85, 132, 106, 61, 23, 6, 30, 59, 90, 138, 109, 58, 18, 3}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3 {
		b.Run("ordered", func(b *testing.B) {
			var out Comp
			for b.Loop() {
				pickEach(r, &base, base.Sum(), 64, &out)
			}
		})
		b.Run("plain", func(b *testing.B) {
			var out Comp
			for b.Loop() {
				pickEachPlain(r, &base, base.Sum(), 64, &out)
			}
		})
	}
}
