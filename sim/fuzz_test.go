package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"listetak/finance"
	"listetak/params"
	"listetak/world"
)

// fuzzWorld builds a small world from a seed and shape bytes: up to 8
// municipalities of 0-12 slots, some vacant (with or without persons), lists
// of 0-2,000 at or below their ceilings, populations equal to the lists (so
// v2 spins up the persons waiting) or above them, and growth from -20 % to
// +20 % a year.
func fuzzWorld(seed uint64, munis, slots, vacant, extra uint8) *world.World {
	r := rand.New(rand.NewPCG(seed, 7))
	w := &world.World{Name: "fuzz", Year: 2019, NokIndex: 1, Baseline: finance.Spec{Rate: 499}}
	for m := range 1 + int(munis)%8 {
		var pop int64
		for k := range int(slots) % 13 {
			s := world.Slot{ID: fmt.Sprintf("%d-%d", m, k), Muni: m, List: r.IntN(2001)}
			if r.IntN(10) < int(vacant)%11 {
				if r.IntN(2) == 0 {
					s.List = 0 // a new position
				}
			} else {
				s.Held = true
				s.Ceiling = world.Some(s.List + r.IntN(400))
				s.Age, s.Female = 30+r.IntN(40), r.IntN(2) == 0
				s.Salaried = r.IntN(10) == 0
			}
			pop += int64(s.List)
			w.Slots = append(w.Slots, s)
		}
		if extra%2 == 1 {
			pop += int64(r.IntN(300))
		}
		w.Municipalities = append(w.Municipalities, world.Municipality{
			Code: fmt.Sprintf("%04d", 9001+m), Population: pop, Centrality: 1 + r.IntN(6),
			Growth: world.Some(float64(r.IntN(41)-20) / 100),
		})
	}
	return w
}

// FuzzRun runs arbitrary small worlds (fuzzWorld) under v2 and v1 for
// three years with the invariants checked every year (Config.Check): a run
// must not panic, and one NewModel accepts must keep its invariants.
func FuzzRun(f *testing.F) {
	f.Add(uint64(1), uint8(3), uint8(6), uint8(1), uint8(0), false)
	f.Add(uint64(2), uint8(0), uint8(0), uint8(0), uint8(1), true)
	f.Add(uint64(3), uint8(7), uint8(12), uint8(10), uint8(0), false)
	f.Add(uint64(4), uint8(1), uint8(1), uint8(5), uint8(1), false)
	f.Fuzz(func(t *testing.T, seed uint64, munis, slots, vacant, extra uint8, v1 bool) {
		p := v2()
		if v1 {
			p = params.Reference2019()
		}
		m, err := NewModel(fuzzWorld(seed, munis, slots, vacant, extra), p)
		if err != nil {
			return // refused with a message: fine
		}
		if _, err := Run(context.Background(), Config{Model: m, Years: 3, Reps: 2, Seed: seed, Workers: 2, Check: true}); err != nil {
			t.Fatalf("run: %v", err)
		}
	})
}
