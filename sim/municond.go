package sim

import (
	"math"
	"slices"

	"listetak/agents"
)

// muniConditions sets each municipality's recruitment conditions v_m, a
// persistent shift of the entry logit of all its slots (docs/model.md
// "Recruitment", municipal conditions), from the starting state. A priori
// v_m ~ Normal(0, muni_sd^2); the municipality's k_m vacant slots in the
// starting state are the evidence. Under the model the expected count of
// vacant slots at a year's end, in the steady state of each slot's
// two-state chain (held -> vacant with probability h (1 - q), vacant ->
// held with q), is
//
//	lambda_m(v) = sum over slots of E_u[h (1 - q) / (h (1 - q) + q)], q = logistic(x + u + v),
//
// x the slot's entry logit for year 1 as a vacancy (its list, its
// municipality, the trend), h its yearly exit probability and u its appeal
// (Normal(0, appeal_sd^2), by 5-point Gauss-Hermite). With k_m ~
// Poisson(lambda_m(v)) and the log-linear approximation d ln lambda / dv =
// -1 (exact as q -> 1), the posterior mode solves lambda_m(v) = k_m +
// v / muni_sd^2, whose left side falls and right side rises in v: one root,
// found by bisection on [-12, 12]. A municipality with more vacancies than
// the model expects gets worse conditions, one with fewer better, shrunk
// toward 0 by muni_sd. With muni_sd 0 every v_m is 0 (no state is kept).
func (s *State) muniConditions() {
	p := s.P
	s.muniV = s.muniV[:0]
	if p.MuniSD <= 0 {
		return
	}
	n := len(s.Munis)
	s.muniV = slices.Grow(s.muniV, n)[:n]
	lo, vac, full := s.muniCounts()
	hSum, hN := s.remBuf(n), s.out2Buf(n)
	clear(hSum)
	clear(hN)
	for i := range s.Slots {
		if sl := &s.Slots[i]; sl.Held {
			hSum[sl.Muni] += s.startExitProb(i)
			hN[sl.Muni]++
		}
	}
	x, h := s.muniX[:0], s.muniH[:0]
	for m := range s.Munis {
		mu := &s.Munis[m]
		hMean := 0.1 // a municipality with nobody holding a slot: a typical exit rate
		if hN[m] > 0 {
			hMean = hSum[m] / float64(hN[m])
		}
		x, h = x[:0], h[:0]
		for _, j := range mu.Slots {
			sl := &s.Slots[j]
			hi := hMean
			if sl.Held {
				hi = s.startExitProb(int(j))
			}
			x = append(x, s.vacancyLogit(int(j), float64(mu.Pop-lo[m]-sl.List), vac[m], full[m]))
			h = append(h, hi)
		}
		s.muniV[m] = muniMode(x, h, float64(vac[m]), p.AppealSD, p.MuniSD, p.Transit)
	}
	s.muniX, s.muniH = x, h
}

// muniCounts returns, per municipality in the current state, the persons
// on the lists of GPs holding slots, the vacant slots and the persons on
// full lists (in the shared per-municipality buffers freeBuf, idxBuf and
// fullBuf).
func (s *State) muniCounts() (lo []int64, vac []int32, full []int64) {
	lo, vac, full = s.freeBuf(), s.idxBuf(), s.fullBuf()
	for i := range s.Slots {
		sl := &s.Slots[i]
		if !sl.Held {
			vac[sl.Muni]++
			continue
		}
		lo[sl.Muni] += sl.List
		if sl.List >= sl.Ceiling {
			full[sl.Muni] += sl.List
		}
	}
	return lo, vac, full
}

// muniShift returns municipality m's recruitment conditions v_m (0 unless
// muni_sd > 0).
func (s *State) muniShift(m int32) float64 {
	if int(m) >= len(s.muniV) {
		return 0
	}
	return s.muniV[m]
}

// startExitProb returns held slot i's yearly probability of falling vacant
// in the starting state: retirement at its age, else another exit.
func (s *State) startExitProb(i int) float64 {
	sl := &s.Slots[i]
	mu := &s.Munis[sl.Muni]
	r := agents.RetireProb(s.P, float64(sl.Age))
	q := agents.QuitProbSized(s.P, s.hours(i), sl.Last, agents.SizeTerm(s.P, float64(mu.Pop)))
	return r + (1-r)*q
}

// vacancyLogit returns slot j's year-1 entry logit as a vacancy, without
// its appeal: a candidate of the mean staff step takes the list the slot
// has (and, for a vacant slot, its share of the persons without a GP and of
// the demand, State.expectedList) at the slot's ceiling or the planning
// ceiling, under the year-1 trend.
func (s *State) vacancyLogit(j int, others float64, vacant int32, fullPersons int64) float64 {
	p := s.P
	sl := &s.Slots[j]
	mu := &s.Munis[sl.Muni]
	c := float64(sl.Ceiling)
	if c <= 0 {
		c = p.PlanCeiling
	}
	l := float64(sl.List)
	if !sl.Held {
		l = s.expectedList(sl, c, others, vacant, s.demand(mu, fullPersons))
	}
	var net float64
	if sl.Salaried {
		net = s.y.Rules.Salaried.Salary(p.Salary, l)
	} else {
		net = s.y.NetF(l, c, 0, (p.StaffStepMin+p.StaffStepMax)/2, mu.Eq, s.avg(sl.Muni))
	}
	return agents.EntryLogit(p, net, mu.Centrality) + s.trendShiftAt(1, mu.Centrality)
}

// muniMode returns the posterior mode of muniConditions for one
// municipality: the root in [-12, 12] of lambda(v) - k - v / sd^2, lambda
// = stationaryVacant(x, h, v, appealSD, transit), by 60 bisections (to
// 24 / 2^60).
func muniMode(x, h []float64, k, appealSD, sd, transit float64) float64 {
	prec := 1 / (sd * sd)
	a, b := -12.0, 12.0
	for range 60 {
		v := (a + b) / 2
		if stationaryVacant(x, h, v, appealSD, transit)-k-v*prec > 0 {
			a = v
		} else {
			b = v
		}
	}
	return (a + b) / 2
}

// gaussHermite5 are the nodes (in standard deviations) and weights of the
// 5-point Gauss-Hermite rule for a standard normal expectation.
var gaussHermite5 = [2][5]float64{
	{-2.856970013872806, -1.355626179974266, 0, 1.355626179974266, 2.856970013872806},
	{0.011257411327721, 0.222075922005613, 0.533333333333333, 0.222075922005613, 0.011257411327721},
}

// stationaryVacant returns lambda(v) of muniConditions: the steady-state
// expected vacant slots of slots with entry logits x and exit
// probabilities h, shifted by v, appeal Normal(0, sd^2), a vacated slot in
// transit at the year's end with probability transit (State.inTransit):
// held -> vacant with probability h (1 - (1 - transit) q).
func stationaryVacant(x, h []float64, v, sd, transit float64) float64 {
	var sum float64
	for i := range x {
		for g, z := range gaussHermite5[0] {
			q := 1 / (1 + math.Exp(-(x[i] + v + sd*z)))
			out := h[i] * (1 - (1-transit)*q)
			if out+q > 0 {
				sum += gaussHermite5[1][g] * out / (out + q)
			}
		}
	}
	return sum
}
