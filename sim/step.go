package sim

import (
	"math"
	"math/rand/v2"

	"listetak/agents"
	"listetak/demog"
	"listetak/finance"
	"listetak/rng"
)

// keys are one year's stream keys.
type keys struct {
	approval, exit, entry, churn, flows rng.Key
}

// Step runs one year t = s.Year+1 under the money rules in force (MODEL.md
// steps 1-9) and writes the year's outputs into rec (len NumMetrics) when
// rec is not nil.
func (s *State) Step(rules finance.Rules, rec []float64) {
	s.Year++
	t := s.Year
	ky := s.key.Named("year").Index(uint64(t))
	k := keys{
		approval: ky.Named("approval"), exit: ky.Named("exit"), entry: ky.Named("entry"),
		churn: ky.Named("churn"), flows: ky.Named("flows"),
	}
	s.count = counters{}
	s.resetFlows()
	s.pathGrowth(t) // v2: this year's population growth
	// Step 1: the scheme in force; the equalisation grant is fixed from the
	// start-of-year state.
	if s.cs != nil {
		s.compYear(rules, ky)
	}
	s.y.Reset(s.P, rules, t, s.classes())
	s.equalisation(rules)
	s.ceilings(k.approval) // steps 2 and 3
	s.exits(k.exit)        // step 4
	s.newSlots()           // step 5
	s.entry(k.entry)       // step 6
	if s.P.V1() {
		s.flows(k.churn, k.flows)
	} else {
		s.flowsV2(k.churn, k.flows)
	}
	// Step 8: realised income and hours, reference income, ageing,
	// population growth (newcomers were placed in step 7).
	if s.cs != nil {
		s.age() // persons move up a band before the year-end incomes
	}
	s.realise(true)
	for i := range s.Munis {
		s.Munis[i].Pop += s.Munis[i].Change
	}
	// Step 9.
	if rec != nil {
		s.rec = rec
		s.record()
	}
}

// hours returns the hours of slot i's current list (MODEL.md "Money and
// time"; with list composition, persons weighted by their hours factors).
func (s *State) hours(i int) float64 {
	sl := &s.Slots[i]
	_, hf := s.own(i)
	return s.y.Hours(float64(sl.List)*hf, s.Munis[sl.Muni].Extra)
}

// growth returns G_m = round(g_m * P_m), halves away from zero.
func growth(mu *Muni) int64 { return int64(math.Round(mu.Growth * float64(mu.Pop))) }

// ceilings runs steps 2 and 3: every self-employed GP picks C*; raises take
// effect at once, reductions need the municipality's approval.
func (s *State) ceilings(kApproval rng.Key) {
	p := s.P
	// Free places at the start of the step, per municipality (salaried
	// GPs included), and under v2 the persons a list can draw.
	free, reach := s.freeAndReach()
	for i := range s.Slots {
		sl := &s.Slots[i]
		if !sl.Held {
			continue
		}
		sl.Decision, sl.Chosen = DecisionKept, sl.Ceiling
		if sl.Salaried {
			continue
		}
		mu := &s.Munis[sl.Muni]
		g := s.y.Choose(s.chooser(i))
		if g == s.y.Nearest(float64(sl.Ceiling)) {
			continue // an off-grid ceiling stays while C* is its nearest grid point
		}
		c := int64(s.y.Grid[g])
		if reach != nil && c > sl.Ceiling {
			// v2: a raise goes only as far as the municipality can fill.
			c = max(sl.Ceiling, min(c, s.ceilingFor(float64(sl.List)+reach[sl.Muni])))
			if c == sl.Ceiling {
				continue
			}
		}
		sl.Chosen = c
		if c >= sl.Ceiling {
			s.count.dCeil += float64(c - sl.Ceiling)
			s.count.raised++
			sl.Decision = DecisionRaised
			sl.Ceiling = c
			continue
		}
		x := max(0, sl.List-c)
		if x > 0 {
			prob := p.ApproveLo
			if free[sl.Muni]-(sl.Ceiling-sl.List) >= x {
				prob = p.ApproveHi
			}
			if s.src.Reset(kApproval.Index(uint64(i))).Float64() >= prob {
				s.count.refused++
				sl.Decision = DecisionRefused
				continue
			}
		}
		s.count.dCeil += float64(c - sl.Ceiling)
		s.count.lowered++
		sl.Decision = DecisionLowered
		s.count.released += x
		sl.Ceiling = c
		sl.List -= x
		mu.Released += x
		s.release(i, x)
	}
}

// chooser returns what the ceiling choice of step 2 needs of slot i's GP.
func (s *State) chooser(i int) agents.Chooser {
	sl := &s.Slots[i]
	mu := &s.Munis[sl.Muni]
	return agents.Chooser{
		W: agents.EffectiveLeisure(s.P, sl.W, sl.Last), Lambda: sl.Lambda, Ref: sl.Ref,
		Sigma: sl.Sigma, Eq: mu.Eq, ContractAge: sl.ContractAge, Class: mu.Class, F: s.avg(sl.Muni),
	}
}

// freeBuf returns a zeroed per-municipality buffer.
func (s *State) freeBuf() []int64 { return zeroed(&s.free, len(s.Munis)) }

// zeroed returns *buf resized to n zeros, reusing its array.
func zeroed(buf *[]int64, n int) []int64 {
	if cap(*buf) < n {
		*buf = make([]int64, n)
	}
	*buf = (*buf)[:n]
	clear(*buf)
	return *buf
}

// exits runs step 4: retirement first, then other exits; the slot becomes
// vacant and keeps its list as an orphan list.
func (s *State) exits(kExit rng.Key) {
	if !s.P.V1() {
		s.sizeTerm = s.sizeTerm[:0]
		for m := range s.Munis {
			s.sizeTerm = append(s.sizeTerm, agents.SizeTerm(s.P, float64(s.Munis[m].Pop)))
		}
	}
	s.Exits = s.Exits[:0]
	for i := range s.Slots {
		sl := &s.Slots[i]
		if !sl.Held {
			continue
		}
		r := s.src.Reset(kExit.Index(uint64(i)))
		u1, u2 := r.Float64(), r.Float64()
		g := s.groups(sl.Muni)
		s.count.heldStart[g[0]]++
		s.count.heldStart[g[1]]++
		retired := u1 < s.M.retire[min(max(sl.Age, 0), maxAge)]
		switch {
		case retired:
			s.count.exitsRet++
		case u2 < s.quitProb(i):
			s.count.exitsOther++
		default:
			continue
		}
		s.Exits = append(s.Exits, Exit{GP: sl.GP, Slot: int32(i), Retired: retired})
		s.count.exitsBy[g[0]]++
		s.count.exitsBy[g[1]]++
		s.countFlow(sl.Muni, flowExits)
		s.count.dExit -= float64(sl.Ceiling)
		sl.Held = false
		sl.Orig = false
		sl.GP = 0
		sl.vacated = true
	}
}

// newSlots runs step 5: municipalities below their coverage target or the
// duty-rota minimum create new self-employed vacant slots with empty lists.
func (s *State) newSlots() {
	p := s.P
	for m := range s.Munis {
		mu := &s.Munis[m]
		var planned float64
		for _, j := range mu.Slots {
			if sl := &s.Slots[j]; sl.Held {
				planned += float64(sl.Ceiling)
			} else {
				planned += p.PlanCeiling
			}
		}
		slots := len(mu.Slots)
		need := math.Ceil((p.Kappa*float64(s.planPop(mu)) - planned) / p.PlanCeiling)
		need = math.Max(math.Max(need, float64(mu.MinGPs-slots)), 0)
		n := int(math.Min(need, math.Max(1, math.Ceil(p.NewSlotShare*float64(slots)))))
		for range n {
			mu.Slots = append(mu.Slots, int32(len(s.Slots)))
			s.Slots = append(s.Slots, Slot{Muni: int32(m), Appeal: s.newAppeal(len(s.Slots), int32(m))})
			if s.cs != nil {
				s.cs.slots = append(s.cs.slots, demog.Comp{})
			}
		}
		s.count.newSlots += n
		s.muniFlows[m*numFlows+flowNew] += int32(n)
	}
}

// planPop returns the population a municipality plans its slots for in
// step 5: the population at the start of the year under v1; under v2 the
// population after this year's growth (docs/model.md "New positions": the
// municipality sees the year's newcomers coming, so they do not wait a
// year for the positions their arrival calls for).
func (s *State) planPop(mu *Muni) int64 {
	if s.P.V1() {
		return mu.Pop
	}
	return mu.Pop + max(growth(mu), 0)
}

// entry runs step 6: a candidate is drawn for every vacant slot in slot
// order and takes it with probability q.
func (s *State) entry(kEntry rng.Key) {
	p := s.P
	// Per-municipality listed persons (GPs holding slots) and vacant slots,
	// kept current as entrants arrive, and (v2) the persons on full lists at
	// the start of the step.
	listed, vacant, full := s.muniCounts()
	wShift := s.leisureShift(s.Year)
	for i := range s.Slots {
		sl := &s.Slots[i]
		if sl.Held {
			continue
		}
		if s.inTransit(kEntry, i) {
			sl.VacantYears++
			continue
		}
		mu := &s.Munis[sl.Muni]
		if k := s.y.Rules.Salaried.ConvertAfter; k > 0 && !sl.Salaried && sl.VacantYears >= k {
			sl.Salaried = true // the municipality converts a long-vacant slot (model 3)
			s.count.converted++
		} else if s.convert(kEntry, i) {
			s.count.converted++ // v2: the municipal response
		}
		others := float64(mu.Pop - listed[sl.Muni] - sl.List)
		demand := s.demand(mu, full[sl.Muni])
		r := s.src.Reset(kEntry.Index(uint64(i)))
		cand := agents.DrawCandidate(r, p)
		cand.W *= wShift // v2: the entering cohort's leisure value
		var ceiling int64
		var expNet float64
		// The expected list before the ceiling caps it (expectedList).
		reach := s.expectedList(sl, math.Inf(1), others, vacant[sl.Muni], demand)
		if sl.Salaried {
			ceiling = sl.Ceiling
			if ceiling == 0 {
				ceiling = int64(p.PlanCeiling)
			}
			ceiling = s.entrantCeiling(sl, ceiling, reach)
			expNet = s.y.Rules.Salaried.Salary(p.Salary, math.Min(float64(ceiling), reach))
		} else {
			avg := s.avg(sl.Muni)
			g := s.y.Choose(agents.Chooser{W: cand.W, Lambda: 1, Sigma: cand.Sigma, Eq: mu.Eq, ContractAge: 0, Class: mu.Class, F: avg})
			ceiling = s.entrantCeiling(sl, int64(s.y.Grid[g]), reach)
			expNet = s.y.NetF(math.Min(float64(ceiling), reach), float64(ceiling), 0, cand.Sigma, mu.Eq, avg)
		}
		if r.Float64() >= s.entryProb(expNet, mu.Centrality, sl.Appeal) {
			sl.VacantYears++
			continue
		}
		sl.VacantYears = 0
		vacant[sl.Muni]--
		sl.Held = true
		s.assignGP(sl)
		sl.Ceiling = ceiling
		sl.Decision, sl.Chosen = DecisionKept, ceiling
		sl.Female, sl.Specialist, sl.Age, sl.ContractAge = cand.Female, false, cand.Age, 0
		sl.W, sl.Lambda, sl.Sigma = cand.W, cand.Lambda, cand.Sigma
		sl.Ref, sl.Last = expNet, expNet
		if x := sl.List - ceiling; x > 0 {
			sl.List = ceiling
			mu.Released += x
			s.count.released += x
			s.release(i, x)
		}
		listed[sl.Muni] += sl.List
		s.count.entries++
		s.countFlow(sl.Muni, flowEntries)
		s.count.dEntry += float64(ceiling)
	}
}

// fullBuf returns a zeroed per-municipality buffer.
func (s *State) fullBuf() []int64 { return zeroed(&s.full, len(s.Munis)) }

// idxBuf returns a zeroed per-municipality counter buffer.
func (s *State) idxBuf() []int32 {
	if cap(s.idx) < len(s.Munis) {
		s.idx = make([]int32, len(s.Munis))
	}
	s.idx = s.idx[:len(s.Munis)]
	clear(s.idx)
	return s.idx
}

// flows runs step 7 in every municipality: (with list composition) deaths,
// population decline (if any), churn, and the placement of seekers into free
// places.
func (s *State) flows(kChurn, kFlows rng.Key) {
	p := s.P
	cs := s.cs
	for m := range s.Munis {
		mu := &s.Munis[m]
		gm := growth(mu)
		mu.Change = gm
		newcomers := max(gm, 0)
		var like demog.Comp
		if cs != nil {
			// Deaths are replaced by newcomers, so the population still
			// changes by G_m (MODEL.md "Extensions").
			newcomers += s.die(m)
			like = s.muniComp(m)
		}
		kM := kFlows.Index(uint64(m)) // the municipality's flow streams
		r := s.src.Reset(kM)
		if gm < 0 {
			s.decline(r, m, -gm)
		}
		// Churners leave their lists first (per-GP streams).
		var churn, free int64
		var othersComp demog.Comp // with composition: the non-orphan seekers by cell
		for _, j := range mu.Slots {
			sl := &s.Slots[j]
			if !sl.Held {
				continue
			}
			var x int64
			if cs == nil {
				s.src.Reset(kChurn.Index(uint64(j)))
				x = rng.Binomial(s.src.Rand, sl.List, p.Chi)
			} else {
				// Each person churns independently: a binomial per cell.
				moved := demog.Leave(cs.src.Reset(kChurn.Index(uint64(j))), &cs.slots[j], cs.churn)
				othersComp.Add(&moved)
				x = moved.Sum()
			}
			sl.List -= x
			churn += x
			free += sl.Ceiling - sl.List
		}
		// Seeker groups: one per orphan list (each drawn from its own
		// stream), then everyone else.
		kSeek := kM.Named("seek")
		counts := s.counts[:0]
		var orphanSeekers int64
		if cs != nil {
			cs.groups = cs.groups[:0]
		}
		for _, j := range mu.Slots {
			if sl := &s.Slots[j]; !sl.Held {
				var x int64
				r := s.src.Reset(kSeek.Index(uint64(j)))
				if cs == nil {
					x = rng.Binomial(r, sl.List, p.Psi)
				} else {
					g := demog.Leave(r, &cs.slots[j], cs.seek)
					cs.groups = append(cs.groups, g)
					x = g.Sum()
				}
				counts = append(counts, x)
				orphanSeekers += x
			}
		}
		var unlistedSeekers int64
		r = s.src.Reset(kSeek.Named("unlisted"))
		if cs == nil {
			unlistedSeekers = rng.Binomial(r, mu.Unlisted, p.Psi)
		} else {
			moved := demog.Leave(r, &cs.unlisted[m], cs.seek)
			unlistedSeekers = moved.Sum()
			othersComp.Add(&moved)
			rc := cs.src.Reset(cs.who.Named("seekers").Index(uint64(m)))
			othersComp.Add(&cs.released[m])
			cs.released[m] = demog.Comp{}
			born, b := demog.Newcomers(rc, newcomers, p.BirthShare, p.BirthMale, &like)
			cs.births += b
			othersComp.Add(&born)
			cs.groups = append(cs.groups, othersComp)
			s.beforePlacement(mu)
		}
		others := churn + mu.Released + newcomers + unlistedSeekers
		counts = append(counts, others)
		s.counts = counts
		seekers := orphanSeekers + others
		// The placement of the seekers; under v1 no list is marked full at
		// the start (wasFull), so there is no refill round.
		out := s.placeNeeders(mu, kM, counts, seekers, free)
		k := len(out) - 1 // everyone but the orphan-list seekers
		if cs != nil {
			s.placeComp(m, out)
		}
		mu.Unlisted += churn + mu.Released + newcomers - out[k]
		mu.Released = 0
	}
}

// beforePlacement remembers the lists of municipality mu's GPs before the
// placement (list composition).
func (s *State) beforePlacement(mu *Muni) {
	cs := s.cs
	cs.before = cs.before[:0]
	for _, j := range mu.Slots {
		cs.before = append(cs.before, s.Slots[j].List)
	}
}

// placeComp moves the placed seekers' persons (out per seeker group, as in
// flows) by cell: which persons of each group are placed, and which of them
// each GP receives (multivariate hypergeometric draws); unplaced orphan
// seekers stay on their orphan list and the others join the unlisted.
func (s *State) placeComp(m int, out []int64) {
	cs := s.cs
	mu := &s.Munis[m]
	r := cs.src.Reset(cs.who.Named("place").Index(uint64(m)))
	var pool, moved demog.Comp
	k := 0
	for _, j := range mu.Slots {
		if !s.Slots[j].Held {
			demog.Pick(r, &cs.groups[k], out[k], &moved)
			pool.Add(&moved)
			cs.slots[j].Add(&cs.groups[k]) // unplaced: back on the orphan list
			k++
		}
	}
	demog.Pick(r, &cs.groups[k], out[k], &moved)
	pool.Add(&moved)
	cs.unlisted[m].Add(&cs.groups[k])
	cs.sizes, cs.to = cs.sizes[:0], cs.to[:0]
	for i, j := range mu.Slots {
		if add := s.Slots[j].List - cs.before[i]; s.Slots[j].Held && add > 0 {
			cs.sizes = append(cs.sizes, add)
			cs.to = append(cs.to, &cs.slots[j])
		}
	}
	cs.dealer.Deal(r, &pool, cs.sizes, cs.to)
}

func (s *State) outBuf(n int) []int64 {
	if cap(s.out) < n {
		s.out = make([]int64, n)
	}
	s.out = s.out[:n]
	return s.out
}

// decline removes n persons from a shrinking municipality m (G_m < 0): a
// multivariate hypergeometric draw over GPs' lists, orphan lists and the
// persons on no list (unlisted or released this year). Removed persons are
// not seekers.
func (s *State) decline(r *rand.Rand, m int, n int64) {
	mu := &s.Munis[m]
	counts := s.counts[:0]
	for _, j := range mu.Slots {
		counts = append(counts, s.Slots[j].List)
	}
	counts = append(counts, mu.Unlisted+mu.Released)
	s.counts = counts
	var total int64
	for _, c := range counts {
		total += c
	}
	n = min(n, total)
	out := s.outBuf(len(counts))
	rng.MultiHypergeometric(r, counts, n, out)
	for k, j := range mu.Slots {
		s.Slots[j].List -= out[k]
	}
	off := out[len(mu.Slots)]
	fromReleased := rng.Hypergeometric(r, mu.Released, mu.Unlisted, off)
	mu.Released -= fromReleased
	mu.Unlisted -= off - fromReleased
	mu.Change = -n
	if cs := s.cs; cs != nil {
		rc := cs.src.Reset(cs.who.Named("decline").Index(uint64(m)))
		var gone demog.Comp
		for k, j := range mu.Slots {
			demog.Pick(rc, &cs.slots[j], out[k], &gone)
		}
		demog.Pick(rc, &cs.released[m], fromReleased, &gone)
		demog.Pick(rc, &cs.unlisted[m], off-fromReleased, &gone)
	}
}
