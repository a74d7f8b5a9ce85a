package rng

import (
	"math/rand/v2"
)

// Key identifies a random stream. The zero Key is valid but only New should
// create roots.
type Key struct{ a, b uint64 }

// mix is the splitmix64 finaliser (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014): a bijection on 64-bit words
// with good avalanche.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// fnv64 is FNV-1a over a string (stable across platforms and Go versions).
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// New returns the root key of replication rep under the master seed.
func New(seed uint64, rep int) Key {
	a := mix(seed ^ 0x6a09e667f3bcc908)
	b := mix(a ^ mix(uint64(rep)+0x3c6ef372fe94f82b))
	return Key{a: mix(a + b), b: mix(b ^ 0xa54ff53a5f1d36f1)}
}

// Named derives the sub-stream key for a stream name.
func (k Key) Named(name string) Key {
	return k.Index(fnv64(name))
}

// Index derives the sub-stream key for an index (a year, a slot, a
// municipality).
func (k Key) Index(i uint64) Key {
	a := mix(k.a ^ mix(i+0x9e3779b97f4a7c15))
	b := mix(k.b + a + 0x243f6a8885a308d3)
	return Key{a: a, b: b}
}

// Seed reseeds p so that it produces this key's stream.
func (k Key) Seed(p *rand.PCG) { p.Seed(k.a, k.b) }

// Rand returns a new generator for this key's stream. It allocates; hot
// paths keep one Source and reseed it with Seed.
func (k Key) Rand() *rand.Rand { return rand.New(rand.NewPCG(k.a, k.b)) }

// Source is a reusable generator: a PCG and the *rand.Rand that reads it.
// Reseeding it with Reset does not allocate.
type Source struct {
	PCG  *rand.PCG
	Rand *rand.Rand
}

// NewSource returns a Source seeded with the zero key.
func NewSource() *Source {
	p := rand.NewPCG(0, 0)
	return &Source{PCG: p, Rand: rand.New(p)}
}

// Reset reseeds s to the stream of k and returns its *rand.Rand.
func (s *Source) Reset(k Key) *rand.Rand {
	k.Seed(s.PCG)
	return s.Rand
}
