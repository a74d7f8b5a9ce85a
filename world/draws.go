package world

import (
	"math"
	"math/rand/v2"
	"slices"
)

// The rules by which the builders draw what the public data do not show
// (MODEL.md "The embedded worlds", norway-2025; norway-2011 draws "as for
// norway-2025").
const (
	// Age: Normal(47, 10.5) clipped to [28, 75] and rounded, women about 3
	// years younger than men on average.
	ageMean   = 47.0
	ageSD     = 10.5
	ageLow    = 28
	ageHigh   = 75
	ageSexGap = 3.0

	// Specialist in general practice: P(specialist | age a) =
	// 1 / (1 + exp(-(specB0 + specB1 * (a - 47)))). The slope (0.10 per year:
	// about 25 % at 30, 64 % at 47, 87 % at 60) reflects that the
	// specialisation takes at least five years of practice; the intercept is
	// chosen so that the mean over the age distribution above is 62 %, the
	// 2019 register share (it is 62.0 % for a female share of 36-50 %).
	specB0 = 0.59
	specB1 = 0.10

	// seedHi is the first word of every builder seed; the second is a hash of
	// a label naming the world and the unit drawn for (municipality or GP),
	// so each unit's draws do not depend on the order of the others.
	seedHi = 0x6c69737465746b21 // "listetk!"
)

// salariedByClass is the probability that a slot is salaried by centrality
// class 1-6 (about 20 % nationally in 2025; MODEL.md).
var salariedByClass = [maxCentrality + 1]float64{1: 0.05, 2: 0.09, 3: 0.16, 4: 0.26, 5: 0.41, 6: 0.61}

// stream is one generator reseeded for each unit drawn for (a
// municipality, a GP) from the fixed seedHi and the FNV-1a hash of a label
// naming the world and the unit: deterministic, independent of any global
// state, and cheap (reseeding a PCG allocates nothing).
type stream struct {
	pcg rand.PCG
	r   *rand.Rand
}

func newStream() *stream {
	s := &stream{}
	s.r = rand.New(&s.pcg)
	return s
}

// reset reseeds the stream from the label made of parts joined by "/" and
// returns it.
func (s *stream) reset(parts ...string) *rand.Rand {
	h := uint64(14695981039346656037)
	for k, p := range parts {
		if k > 0 {
			h ^= '/'
			h *= 1099511628211
		}
		for i := 0; i < len(p); i++ {
			h ^= uint64(p[i])
			h *= 1099511628211
		}
	}
	s.pcg.Seed(seedHi, h)
	return s.r
}

// ageModel draws GP ages: Normal(mean by sex, ageSD) clipped to
// [ageLow, ageHigh] and rounded. The sex-specific means are 47 - 3(1-pF) for
// women and 47 + 3pF for men, where pF is the female share of the world's GPs:
// women are 3 years younger and the mean before clipping is 47 overall (with
// pF = 0.50 in 2025: 45.5 and 48.5; with pF = 0.36 in 2011: 45.1 and 48.1).
type ageModel struct{ meanF, meanM float64 }

func newAgeModel(femaleShare float64) ageModel {
	return ageModel{
		meanF: ageMean - ageSexGap*(1-femaleShare),
		meanM: ageMean + ageSexGap*femaleShare,
	}
}

func (a ageModel) draw(r *rand.Rand, female bool) int {
	mu := a.meanM
	if female {
		mu = a.meanF
	}
	x := mu + ageSD*r.NormFloat64()
	return int(math.Round(min(max(x, ageLow), ageHigh)))
}

// drawSpecialist draws the specialist flag for a GP of the given age.
func drawSpecialist(r *rand.Rand, age int) bool {
	p := 1 / (1 + math.Exp(-(specB0 + specB1*float64(age-int(ageMean)))))
	return r.Float64() < p
}

// drawSalaried draws the contract of a slot in centrality class c, with the
// class probabilities scaled by scale (1 for 2025, 0.6 for 2011).
func drawSalaried(r *rand.Rand, c int, scale float64) bool {
	return r.Float64() < scale*salariedByClass[c]
}

// apportion splits total into integers proportional to weights that sum to
// exactly total, by largest remainder (ties to the lower index). Zero or
// non-finite weights throughout mean equal shares.
func apportion(weights []float64, total int64) []int64 {
	n := len(weights)
	out := make([]int64, n)
	if n == 0 {
		return out
	}
	var sum float64
	for _, w := range weights {
		sum += w
	}
	if !(sum > 0) || math.IsInf(sum, 0) {
		return evenSplit(total, int64(n))
	}
	frac := make([]float64, n)
	var given int64
	for i, w := range weights {
		q := w / sum * float64(total)
		f := math.Floor(q)
		out[i] = int64(f)
		frac[i] = q - f
		given += out[i]
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	// Largest remainders first; a stable sort keeps ties in index order.
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case frac[a] > frac[b]:
			return -1
		case frac[a] < frac[b]:
			return 1
		}
		return 0
	})
	// Rounding error in the quotas can leave the floors a unit off either
	// way; the loops below fix the sum in both directions.
	for k := 0; given < total; k = (k + 1) % n {
		out[order[k]]++
		given++
	}
	for k := n - 1; given > total; k = (k - 1 + n) % n {
		if out[order[k]] > 0 {
			out[order[k]]--
			given--
		}
	}
	return out
}

// evenSplit splits total over n parts as evenly as integers allow, the larger
// parts first.
func evenSplit(total, n int64) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = total / n
		if int64(i) < total%n {
			out[i]++
		}
	}
	return out
}
