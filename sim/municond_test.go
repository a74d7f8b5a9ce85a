package sim

import (
	"math"
	"testing"

	"listetak/world"
)

// One slot with entry logit 2 and exit probability 0.1, no appeal spread:
// q = logistic(2) = 0.8807971, and the stationary chance of being vacant is
// 0.1 (1 - q) / (0.1 (1 - q) + q) = 0.01192029 / 0.89271736 = 0.01335281.
func TestStationaryVacant(t *testing.T) {
	if got := stationaryVacant([]float64{2}, []float64{0.1}, 0, 0, 0); math.Abs(got-0.01335281) > 1e-8 {
		t.Fatalf("lambda %.8f, want 0.01335281", got)
	}
	// Shifting the logit by v is the same as a logit of 2 + v.
	if a, b := stationaryVacant([]float64{2}, []float64{0.1}, -1.5, 0, 0), stationaryVacant([]float64{0.5}, []float64{0.1}, 0, 0, 0); a != b {
		t.Fatalf("shifted %v, want %v", a, b)
	}
	// With appeal sd 0.8 the 5-point Gauss-Hermite rule against the
	// trapezoid rule on [-8 sd, 8 sd] (step 1e-4 sd): the integrand is
	// smooth, 1e-4 relative is well above both rules' errors here.
	var want float64
	const dz = 1e-4
	for z := -8.0; z <= 8; z += dz {
		q := 1 / (1 + math.Exp(-(2 + 0.8*z)))
		want += dz * math.Exp(-z*z/2) / math.Sqrt(2*math.Pi) * 0.1 * (1 - q) / (0.1*(1-q) + q)
	}
	if got := stationaryVacant([]float64{2}, []float64{0.1}, 0, 0.8, 0); math.Abs(got/want-1) > 1e-3 {
		t.Fatalf("lambda with appeal spread %.6f, quadrature %.6f", got, want)
	}
}

// The mode solves lambda(v) = k + v / sd^2: with ten slots of logit 3 and
// exit 0.1, lambda(0) is 10 x 0.1 x 0.0474 / (0.00474 + 0.9526) = 0.0495;
// five vacancies are far more than expected, so v < 0; none is fewer, so
// v > 0, and less far from 0, since k = 0 is close to lambda(0).
func TestMuniMode(t *testing.T) {
	x := []float64{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}
	h := []float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}
	for _, c := range []struct{ k, sd float64 }{{5, 1}, {5, 3}, {0, 1}, {1, 0.5}} {
		v := muniMode(x, h, c.k, 0, c.sd, 0)
		if r := stationaryVacant(x, h, v, 0, 0) - c.k - v/(c.sd*c.sd); math.Abs(r) > 1e-9 {
			t.Errorf("k %v, sd %v: residual %v at v %v", c.k, c.sd, r, v)
		}
	}
	bad, none := muniMode(x, h, 5, 0, 1, 0), muniMode(x, h, 0, 0, 1, 0)
	if !(bad < 0 && none > 0 && -bad > none) {
		t.Fatalf("v with 5 vacancies %v, with none %v", bad, none)
	}
	// A wider prior believes the count more: a larger shift.
	if wide := muniMode(x, h, 5, 0, 3, 0); !(wide < bad) {
		t.Fatalf("sd 3: v %v, want below %v", wide, bad)
	}
}

// In a world of two municipalities, one with half its slots vacant and
// one with all held, muni_sd 1 gives the first worse conditions (v < 0)
// and the second better (v > 0); every slot's appeal, and a new slot's,
// carries its municipality's v (appeal_sd 0, so appeal = v, minus nothing
// for a vacancy). With muni_sd 0 the appeals are all 0, as before the rule.
func TestMuniConditions(t *testing.T) {
	w := oneMuni(20_000)
	w.Municipalities = append(w.Municipalities, world.Municipality{Code: "0002", Population: 11_000, Centrality: 1, Growth: world.Some(0.0)})
	for i := range 10 {
		a := gp(1000, 1100, 45, 700)
		if i%2 == 0 {
			a = vacant(1000, 1100)
		}
		a.Muni = 0
		b := gp(1000, 1100, 45, 700)
		b.Muni = 1
		w.Slots = append(w.Slots, a, b)
	}
	for i := range w.Slots {
		w.Slots[i].ID = string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	p := v2()
	p.AppealSD, p.MuniSD = 0, 1
	s := newState(t, w, p, 0)
	va, vb := s.muniShift(0), s.muniShift(1)
	if !(va < 0 && vb > 0) {
		t.Fatalf("v %v and %v, want < 0 and > 0", va, vb)
	}
	for i, sl := range s.Slots {
		if want := s.muniShift(sl.Muni); sl.Appeal != want {
			t.Fatalf("slot %d: appeal %v, want its municipality's %v", i, sl.Appeal, want)
		}
	}
	s.Year = 1
	if got := s.newAppeal(len(s.Slots), 1); got != vb {
		t.Fatalf("new slot's appeal %v, want %v", got, vb)
	}
	p.MuniSD = 0
	s = newState(t, w, p, 0)
	for i, sl := range s.Slots {
		if sl.Appeal != 0 || s.muniShift(sl.Muni) != 0 {
			t.Fatalf("muni_sd 0: slot %d appeal %v", i, sl.Appeal)
		}
	}
}
