package sim

import (
	"math"

	"listetak/agents"
	"listetak/demog"
	"listetak/rng"
)

// The v2 rules (docs/model.md). Each function here replaces or extends one
// step of the reference model when the parameters select model v2; with
// model reference-v1 none of them runs and the v1 steps run bit for bit.

// Starting ages (docs/model.md "Starting ages"): integer ages in
// [startAgeLo, startAgeHi], the builders' clip range.
const (
	startAgeLo = 28
	startAgeHi = 75
	// startAgeSexGap is how much younger women are on average (years), as
	// the embedded worlds' builders draw them (about 3 years, SSB).
	startAgeSexGap = 3.0
)

// startAgeCDFs returns the cumulative distributions of v2 starting ages for
// men ([0]) and women ([1]): P(a) proportional to the normal density
// (mean start_age_mean, shifted by sex, sd start_age_sd) times the
// probability of not having retired before a under the retirement hazard,
// S(a) = prod_{x < a} (1 - p_ret(x)) from startAgeLo. Without the survival
// weight the builders' normal puts GPs at ages they would almost surely
// have left, and they retire in a burst in year 1.
func startAgeCDFs(m *Model, femaleShare float64) [2][]float64 {
	p := &m.Params
	var out [2][]float64
	means := [2]float64{p.StartAgeMean + startAgeSexGap*femaleShare, p.StartAgeMean - startAgeSexGap*(1-femaleShare)}
	for sex := range out {
		cdf := make([]float64, startAgeHi-startAgeLo+1)
		surv, sum := 1.0, 0.0
		for a := startAgeLo; a <= startAgeHi; a++ {
			z := (float64(a) - means[sex]) / p.StartAgeSD
			sum += math.Exp(-z*z/2) * surv
			cdf[a-startAgeLo] = sum
			surv *= 1 - m.retire[a]
		}
		for i := range cdf {
			cdf[i] /= sum
		}
		out[sex] = cdf
	}
	return out
}

// drawStartAges gives every GP holding a slot a starting age drawn from the
// v2 distribution (stream "ages", per slot), when the world's ages are the
// builder's draws.
func (s *State) drawStartAges() {
	m := s.M
	if !m.World.AgesDrawn || m.ageCDF[0] == nil {
		return
	}
	k := s.key.Named("ages")
	for i := range s.Slots {
		sl := &s.Slots[i]
		if !sl.Held {
			continue
		}
		cdf := m.ageCDF[0]
		if sl.Female {
			cdf = m.ageCDF[1]
		}
		u := s.src.Reset(k.Index(uint64(i))).Float64()
		a := 0
		for a < len(cdf)-1 && cdf[a] <= u {
			a++
		}
		sl.Age = startAgeLo + a
	}
}

// resolvePath sets the v2 population growth per municipality and year from
// the world's population path (docs/model.md "Population"): observed
// ratios, the county's where a municipality has no figures, then the
// recent trend; an explicit growth column wins.
func (m *Model) resolvePath() error {
	pp, err := m.World.PopulationPath(pathYears)
	if err != nil {
		return err
	}
	m.path = make([][]float64, len(pp.Ratio))
	for i, rs := range pp.Ratio {
		m.path[i] = make([]float64, len(rs))
		for k, r := range rs {
			m.path[i][k] = r - 1 // NaN stays NaN: the default growth
		}
	}
	m.Notes = append(m.Notes, pp.Notes...)
	return nil
}

// pathGrowth sets every municipality's growth rate for model year t from
// the v2 population path.
func (s *State) pathGrowth(t int) {
	path := s.M.path
	if path == nil {
		return
	}
	for i := range s.Munis {
		g := path[i]
		if len(g) == 0 {
			continue
		}
		if r := g[min(t, len(g))-1]; !math.IsNaN(r) {
			s.Munis[i].Growth = r
		}
	}
}

// drawAppeal gives every slot its persistent appeal u ~ Normal(0, sd_u)
// (stream "appeal", per slot). A slot vacant in the starting state is a
// draw from the year-end stock of vacancies: slots that failed to fill in
// every year since they fell vacant. With a yearly fill probability
// q(u) = logistic(b + u), the stock's appeal has density
// f(u) sum_k (1 - q(u))^k = f(u) (1 - q(u)) / q(u) = f(u) e^-(b+u), f the
// Normal(0, sd_u^2) density: the normal shifted by -sd_u^2, whatever b
// (docs/model.md "Recruitment"). The shift is exact when b is constant in
// time; the slot's income term varies a little from year to year.
func (s *State) drawAppeal() {
	p := s.P
	if p.AppealSD <= 0 && p.MuniSD <= 0 {
		return
	}
	k, kt := s.key.Named("appeal"), s.key.Named("appeal-transit")
	var lo, full []int64
	var vac []int32
	if p.Transit > 0 {
		lo, vac, full = s.muniCounts()
	}
	for i := range s.Slots {
		sl := &s.Slots[i]
		u := p.AppealSD * s.src.Reset(k.Index(uint64(i))).NormFloat64()
		if !sl.Held && !s.startTransit(kt, i, lo, vac, full) {
			u -= p.AppealSD * p.AppealSD
		}
		u += s.muniShift(sl.Muni)
		if g := s.M.given[i].appeal; !math.IsNaN(g) {
			u = g // a saved state's appeal
		}
		sl.Appeal = u
	}
}

// startTransit reports whether starting vacancy i is drawn as one in
// transit (State.inTransit), whose appeal is not conditioned on failed
// draws (kt: stream "appeal-transit", per slot; lo, vac and full from
// muniCounts). With transit share tau, a slot vacated in a year spends in
// expectation tau + e^-(b+u) year-ends in the vacancy stock (transit, then
// 1/q - 1 failed draws a year; q = logistic(b + u)), so the stock's appeal
// is a mixture: Normal(0, sd^2) with weight tau and the normal shifted by
// -sd^2 with weight e^-b E[e^-u] = e^(-b + sd^2/2). b is the slot's
// year-1 entry logit as a vacancy (vacancyLogit) plus its municipality's
// conditions.
func (s *State) startTransit(kt rng.Key, i int, lo []int64, vac []int32, full []int64) bool {
	p := s.P
	if p.Transit <= 0 {
		return false
	}
	sl := &s.Slots[i]
	mu := &s.Munis[sl.Muni]
	b := s.vacancyLogit(i, float64(mu.Pop-lo[sl.Muni]-sl.List), vac[sl.Muni], full[sl.Muni]) + s.muniShift(sl.Muni)
	pt := p.Transit / (p.Transit + math.Exp(-b+p.AppealSD*p.AppealSD/2))
	return s.src.Reset(kt.Index(uint64(i))).Float64() < pt
}

// newAppeal returns the appeal of a slot created this year with index i in
// municipality m (stream "appeal-new", per year and slot): unconditional,
// plus the municipality's recruitment conditions.
func (s *State) newAppeal(i int, m int32) float64 {
	if s.P.V1() || s.P.AppealSD <= 0 {
		return s.muniShift(m)
	}
	k := s.key.Named("appeal-new").Index(uint64(s.Year))
	return s.P.AppealSD*s.src.Reset(k.Index(uint64(i))).NormFloat64() + s.muniShift(m)
}

// entryProb returns the probability that a candidate expecting net income
// expNet takes a vacant slot: agents.EntryProb under v1, with the slot's
// appeal and this year's trend shift under v2.
func (s *State) entryProb(expNet float64, centrality int, appeal float64) float64 {
	if s.P.V1() {
		return agents.EntryProb(s.P, expNet, centrality)
	}
	return agents.EntryProbV2(s.P, expNet, centrality, appeal+s.trendShift(centrality))
}

// trendShift returns the v2 entry logit's shift in the current year in a
// municipality of the given centrality class c (docs/model.md
// "Recruitment"): alpha_trend x (clamp(Y, Y0, Y1) - Y0) + (alpha_trend_late
// - alpha_c_trend_late x (c - 1)) x (clamp(Y, Y1, Y2) - Y1), Y the calendar
// year (world year + model year) and Y0, Y1, Y2 alpha_trend_from,
// alpha_trend_to and alpha_trend_late_to: 0 until Y0, piecewise linear to
// Y2, constant after.
func (s *State) trendShift(c int) float64 { return s.trendShiftAt(s.Year, c) }

// trendShiftAt returns trendShift for model year t and centrality class c.
func (s *State) trendShiftAt(t, c int) float64 {
	p := s.P
	if p.AlphaTrend == 0 && p.AlphaTrendLate == 0 && p.AlphaCTrendLate == 0 {
		return 0
	}
	y := s.M.World.Year + t
	early := min(max(y, p.TrendFrom), p.TrendTo) - p.TrendFrom
	late := p.AlphaTrendLate - p.AlphaCTrendLate*float64(c-1)
	return p.AlphaTrend*float64(early) + late*s.lateYears(t)
}

// lateYears returns the years of the late segment that model year t's
// calendar year Y (world year + t) has run: clamp(Y, Y1, Y2) - Y1, with Y1
// and Y2 alpha_trend_to and alpha_trend_late_to.
func (s *State) lateYears(t int) float64 {
	p := s.P
	y := s.M.World.Year + t
	return float64(min(max(y, p.TrendTo), p.TrendLateTo) - p.TrendTo)
}

// leisureShift returns the factor on the leisure value of the candidates
// drawn in model year t under v2 (docs/model.md "Recruitment"):
// exp(leisure_trend_late x lateYears(t)), 1 until alpha_trend_to and
// constant after alpha_trend_late_to; 1 under v1.
func (s *State) leisureShift(t int) float64 {
	if s.P.V1() || s.P.LeisureTrendLate == 0 {
		return 1
	}
	return math.Exp(s.P.LeisureTrendLate * s.lateYears(t))
}

// quitProb returns slot i's yearly probability of leaving for other
// reasons: the v1 hazard, or under v2 the hazard with the municipality-size
// term (agents.QuitProbV2).
func (s *State) quitProb(i int) float64 {
	sl := &s.Slots[i]
	if s.P.V1() {
		return agents.QuitProb(s.P, s.hours(i), sl.Last)
	}
	return agents.QuitProbSized(s.P, s.hours(i), sl.Last, s.sizeTerm[sl.Muni])
}

// convert runs the v2 municipal response for a vacant self-employed slot
// that has stayed vacant a whole year: it is offered as a salaried
// contract with probability convert_rate (stream "convert", per slot). It
// reports whether it converted.
func (s *State) convert(kEntry rng.Key, i int) bool {
	sl := &s.Slots[i]
	if s.P.V1() || sl.Salaried || sl.VacantYears < 1 || s.P.ConvertRate <= 0 {
		return false
	}
	if s.src.Reset(kEntry.Named("convert").Index(uint64(i))).Float64() >= s.P.ConvertRate {
		return false
	}
	sl.Salaried = true
	return true
}

// inTransit reports whether vacant slot i is in transit this year under v2
// (docs/model.md "Recruitment"), and clears the slot's mark of step 4: a
// slot its holder left in this year's step 4 has with probability
// vacancy_transit (stream "transit", per slot) a successor who starts only
// after the year's end, so it gets no entry draw this year and is a list
// without a GP at the year's end.
func (s *State) inTransit(kEntry rng.Key, i int) bool {
	sl := &s.Slots[i]
	vacated := sl.vacated
	sl.vacated = false
	if !vacated || s.P.V1() || s.P.Transit <= 0 {
		return false
	}
	return s.src.Reset(kEntry.Named("transit").Index(uint64(i))).Float64() < s.P.Transit
}

// entrantCeiling returns the ceiling a self-employed entrant with chosen
// ceiling c takes: c under v1 (persons above it are released); under v2 a
// GP who takes over a list takes it with at least its length as ceiling
// (docs/model.md "Recruitment"): a lower ceiling needs the municipality's
// consent, which it may apply for from the next year (step 3).
func (s *State) entrantCeiling(sl *Slot, c int64, reach float64) int64 {
	if s.P.V1() {
		return c
	}
	return max(min(c, s.ceilingFor(reach)), sl.List)
}

// ceilingFor returns the smallest grid ceiling that holds a list of x
// persons (agents.Year.Up; docs/model.md "Ceilings").
func (s *State) ceilingFor(x float64) int64 { return int64(s.y.Grid[s.y.Up(x)]) }

// demand returns the v2 yearly inflow of persons a municipality's vacant
// lists can count on (docs/model.md "Recruitment"): its newcomers and the
// switch demand on its full lists (chi times the persons on lists with no
// free place, who can only move where a place is free).
func (s *State) demand(mu *Muni, fullPersons int64) float64 {
	return float64(max(growth(mu), 0)) + s.P.Chi*float64(fullPersons)
}

// freeAndReach returns, per municipality at the start of step 2, the free
// places on the lists of GPs holding slots (salaried GPs included) and,
// under v2 (nil under v1), the persons a list can draw over the entry
// horizon, per slot (docs/model.md "Ceilings"): (O_m + H_e A_m) / S_m, with
// O_m the persons without a GP (on lists without a GP or waiting), A_m the
// yearly demand (State.demand) and S_m the municipality's slots.
func (s *State) freeAndReach() ([]int64, []float64) {
	free := s.freeBuf()
	v2 := !s.P.V1()
	var reach []float64
	var full []int64
	if v2 {
		if cap(s.reach) < len(s.Munis) {
			s.reach = make([]float64, len(s.Munis))
		}
		reach, full = s.reach[:len(s.Munis)], s.fullBuf()
		for m := range reach {
			reach[m] = float64(s.Munis[m].Pop)
		}
	}
	for i := range s.Slots {
		sl := &s.Slots[i]
		if !sl.Held {
			continue
		}
		free[sl.Muni] += sl.Ceiling - sl.List
		if v2 {
			reach[sl.Muni] -= float64(sl.List)
			if sl.List >= sl.Ceiling {
				full[sl.Muni] += sl.List
			}
		}
	}
	for m := range reach {
		mu := &s.Munis[m]
		reach[m] = (max(reach[m], 0) + s.P.EntryHorizon*s.demand(mu, full[m])) / float64(max(len(mu.Slots), 1))
	}
	return free, reach
}

// expectedList returns a candidate's expected list for vacant slot sl
// (ceiling c): the v1 rule min(c, L_v + O'/V) where O' are the persons in
// the municipality without a GP other than on this list and V its vacant
// slots, and under v2 also entry_horizon years of the municipality's
// demand shared among its vacant slots.
func (s *State) expectedList(sl *Slot, c float64, others float64, vacant int32, demand float64) float64 {
	share := others
	if !s.P.V1() {
		share += s.P.EntryHorizon * demand
	}
	return math.Min(c, float64(sl.List)+share/float64(vacant))
}

// flowsV2 runs step 7 under v2 in every municipality (docs/model.md
// "Patient flows"): persons who need a GP (newcomers, persons released,
// persons waiting for assignment, orphan-list persons who seek) are placed
// first; those not placed are assigned to a list without a GP where one
// has room, else they wait; then persons who want another GP switch into
// the free places left, and only there.
func (s *State) flowsV2(kChurn, kFlows rng.Key) {
	for m := range s.Munis {
		s.flowsMuniV2(m, kChurn, kFlows)
	}
}

func (s *State) flowsMuniV2(m int, kChurn, kFlows rng.Key) {
	p := s.P
	cs := s.cs
	mu := &s.Munis[m]
	for _, j := range mu.Slots {
		sl := &s.Slots[j]
		sl.wasFull = sl.Held && sl.List >= sl.Ceiling
	}
	gm := growth(mu)
	mu.Change = gm
	newcomers := max(gm, 0)
	var like demog.Comp
	if cs != nil {
		newcomers += s.die(m)
		like = s.muniComp(m)
	}
	kM := kFlows.Index(uint64(m))
	if gm < 0 {
		s.decline(s.src.Reset(kM), m, -gm)
	}
	// Needers: one group per orphan list (its seekers), then everyone
	// else (newcomers, the released, those waiting for assignment).
	kSeek := kM.Named("seek")
	counts := s.counts[:0]
	var orphanSeekers, free int64
	var othersComp demog.Comp
	if cs != nil {
		cs.groups = cs.groups[:0]
	}
	for _, j := range mu.Slots {
		sl := &s.Slots[j]
		if sl.Held {
			free += sl.Ceiling - sl.List
			continue
		}
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
	others := newcomers + mu.Released + mu.Unlisted
	if cs != nil {
		othersComp = cs.unlisted[m]
		othersComp.Add(&cs.released[m])
		cs.unlisted[m], cs.released[m] = demog.Comp{}, demog.Comp{}
		rc := cs.src.Reset(cs.who.Named("seekers").Index(uint64(m)))
		born, b := demog.Newcomers(rc, newcomers, p.BirthShare, p.BirthMale, &like)
		cs.births += b
		othersComp.Add(&born)
		cs.groups = append(cs.groups, othersComp)
		s.beforePlacement(mu)
	}
	mu.Unlisted, mu.Released = 0, 0
	counts = append(counts, others)
	s.counts = counts
	placed := s.placeNeeders(mu, kM, counts, orphanSeekers+others, free)
	left := others - placed[len(placed)-1]
	var rest demog.Comp
	if cs != nil {
		rest = s.placeCompV2(m, placed)
	}
	s.assignVacant(m, kM, left, &rest)
	s.switchers(m, kChurn, kM)
}

// placeNeeders places min(seekers, free) of the needers into the free
// places of municipality mu's GPs (all of them, or a uniformly random set:
// first of the places that opened this year on lists that were full, which
// their waiting lists refill, then of the others)
// and returns how many of each needer group were placed (its buffer). v1
// step 7 uses it too: without lists marked full (wasFull) it is v1's rule.
// Placed orphan-list seekers leave their orphan lists.
func (s *State) placeNeeders(mu *Muni, kM rng.Key, counts []int64, seekers, free int64) []int64 {
	placed := min(seekers, free)
	if seekers >= free {
		for _, j := range mu.Slots {
			if sl := &s.Slots[j]; sl.Held {
				sl.List = sl.Ceiling
			}
		}
	} else if placed > 0 {
		// First the places that opened this year on lists that were full
		// (deaths, departures): their waiting lists refill them.
		var gaps int64
		for _, j := range mu.Slots {
			if sl := &s.Slots[j]; sl.Held && sl.wasFull {
				gaps += sl.Ceiling - sl.List
			}
		}
		first := min(placed, gaps)
		s.fillPlaces(mu, kM.Named("refill"), first, true)
		s.fillPlaces(mu, kM.Named("places"), placed-first, false)
	}
	out := s.outBuf(len(counts))
	if placed == seekers {
		copy(out, counts)
	} else {
		rng.MultiHypergeometricStreams(s.src, kM.Named("which"), counts, placed, out)
	}
	k := 0
	for _, j := range mu.Slots {
		if sl := &s.Slots[j]; !sl.Held {
			sl.List -= out[k]
			k++
		}
	}
	return out
}

// fillPlaces places n persons into a uniformly random set of the free
// places of municipality mu's GPs: only those of lists that were full at
// the start of step 7 (refill), or all that are left.
func (s *State) fillPlaces(mu *Muni, k rng.Key, n int64, refill bool) {
	if n <= 0 {
		return
	}
	fr := s.free[:0]
	var total int64
	for _, j := range mu.Slots {
		if sl := &s.Slots[j]; sl.Held {
			f := sl.Ceiling - sl.List
			if refill && !sl.wasFull {
				f = 0
			}
			fr = append(fr, f)
			total += f
		}
	}
	s.free = fr
	out := s.outBuf(len(fr))
	if n >= total {
		copy(out, fr)
	} else {
		rng.MultiHypergeometricStreams(s.src, k, fr, n, out)
	}
	i := 0
	for _, j := range mu.Slots {
		if sl := &s.Slots[j]; sl.Held {
			sl.List += out[i]
			i++
		}
	}
}

// placeCompV2 is placeComp for v2: the placed needers' persons by cell go
// to the GPs, unplaced orphan seekers back to their lists, and it returns
// the other needers not placed (to be assigned or to wait).
func (s *State) placeCompV2(m int, out []int64) demog.Comp {
	cs := s.cs
	mu := &s.Munis[m]
	r := cs.src.Reset(cs.who.Named("place").Index(uint64(m)))
	var pool, moved demog.Comp
	k := 0
	for _, j := range mu.Slots {
		if !s.Slots[j].Held {
			demog.Pick(r, &cs.groups[k], out[k], &moved)
			pool.Add(&moved)
			cs.slots[j].Add(&cs.groups[k])
			k++
		}
	}
	demog.Pick(r, &cs.groups[k], out[k], &moved)
	pool.Add(&moved)
	cs.sizes, cs.to = cs.sizes[:0], cs.to[:0]
	for i, j := range mu.Slots {
		if add := s.Slots[j].List - cs.before[i]; s.Slots[j].Held && add > 0 {
			cs.sizes = append(cs.sizes, add)
			cs.to = append(cs.to, &cs.slots[j])
		}
	}
	cs.dealer.Deal(r, &pool, cs.sizes, cs.to)
	return cs.groups[k]
}

// vacantRoom returns how many more persons vacant slot sl takes by
// assignment: up to its last holder's ceiling, or the planning ceiling
// Cbar for a slot that never had one.
func (s *State) vacantRoom(sl *Slot) int64 {
	return max(int64(s.planCeiling(sl))-sl.List, 0)
}

// assignVacant assigns n needers not placed with a GP to the lists without
// a GP in municipality m (docs/model.md "Patient flows"): first up to each
// list's room (a uniformly random set of their places, stream "assign"),
// then, when every room is taken, the rest spread over the lists in
// proportion to their planning ceilings (largest remainder): Helfo assigns
// everyone who needs a GP to a list, with or without one. Only in a
// municipality without a list without a GP do they wait, unassigned, and
// seek first next year. rest holds their persons by cell with list
// composition.
func (s *State) assignVacant(m int, kM rng.Key, n int64, rest *demog.Comp) {
	mu := &s.Munis[m]
	if n <= 0 {
		if s.cs != nil {
			s.cs.unlisted[m].Add(rest)
		}
		return
	}
	rooms := s.free[:0]
	var total int64
	vacant := 0
	for _, j := range mu.Slots {
		if sl := &s.Slots[j]; !sl.Held {
			r := s.vacantRoom(sl)
			rooms = append(rooms, r)
			total += r
			vacant++
		}
	}
	s.free = rooms
	assigned := min(n, total)
	out := s.outBuf(len(rooms))
	if assigned == total {
		copy(out, rooms)
	} else if assigned > 0 {
		rng.MultiHypergeometricStreams(s.src, kM.Named("assign"), rooms, assigned, out)
	}
	if over := n - assigned; over > 0 && vacant > 0 {
		s.overflow(mu, over, out)
		assigned = n
	}
	cs := s.cs
	if cs != nil {
		cs.sizes, cs.to = cs.sizes[:0], cs.to[:0]
	}
	k := 0
	for _, j := range mu.Slots {
		if sl := &s.Slots[j]; !sl.Held {
			sl.List += out[k]
			if cs != nil && out[k] > 0 {
				cs.sizes = append(cs.sizes, out[k])
				cs.to = append(cs.to, &cs.slots[j])
			}
			k++
		}
	}
	mu.Unlisted = n - assigned
	if cs != nil {
		r := cs.src.Reset(cs.who.Named("assign").Index(uint64(m)))
		cs.dealer.Deal(r, rest, cs.sizes, cs.to)
		cs.unlisted[m].Add(rest)
	}
}

// overflow adds n persons to the lists without a GP of mu (out: their
// counts so far, in slot order) in proportion to each one's planning
// ceiling (the last holder's ceiling, or Cbar), by largest remainder with
// ties to the earlier slot: deterministic, so it needs no stream.
func (s *State) overflow(mu *Muni, n int64, out []int64) {
	var sum float64
	for _, j := range mu.Slots {
		if sl := &s.Slots[j]; !sl.Held {
			sum += s.planCeiling(sl)
		}
	}
	rem := s.remBuf(len(out))
	var given int64
	k := 0
	for _, j := range mu.Slots {
		if sl := &s.Slots[j]; !sl.Held {
			x := float64(n) * s.planCeiling(sl) / sum
			f := int64(math.Floor(x))
			out[k] += f
			rem[k] = x - float64(f)
			given += f
			k++
		}
	}
	for ; given < n; given++ {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out[best]++
		rem[best] = -1
	}
}

// planCeiling returns vacant slot sl's planning ceiling: its last holder's
// ceiling, or Cbar for a slot that never had a holder.
func (s *State) planCeiling(sl *Slot) float64 {
	if sl.Ceiling > 0 {
		return float64(sl.Ceiling)
	}
	return s.P.PlanCeiling
}

// switchers runs v2 switching in municipality m after the needers: each
// person on an open list (free places > 0) wants another GP with
// probability chi (per-GP streams); min(wanting, free places) of them move,
// which ones and into which free places uniformly at random (a switcher
// drawn into its own list's place stays). On a full list a person who
// leaves is replaced from the list's waiting list, a net zero the model
// does not simulate.
func (s *State) switchers(m int, kChurn, kM rng.Key) {
	p := s.P
	mu := &s.Munis[m]
	want := s.counts[:0]
	fr := s.free[:0]
	var x, f int64
	for _, j := range mu.Slots {
		sl := &s.Slots[j]
		if !sl.Held || sl.Ceiling <= sl.List {
			continue
		}
		s.src.Reset(kChurn.Index(uint64(j)))
		w := rng.Binomial(s.src.Rand, sl.List, p.Chi)
		want = append(want, w)
		fr = append(fr, sl.Ceiling-sl.List)
		x += w
		f += sl.Ceiling - sl.List
	}
	s.counts, s.free = want, fr
	moved := min(x, f)
	if moved == 0 {
		return
	}
	from := s.outBuf(len(want))
	if moved == x {
		copy(from, want)
	} else {
		rng.MultiHypergeometricStreams(s.src, kM.Named("switch-from"), want, moved, from)
	}
	to := s.out2Buf(len(fr))
	if moved == f {
		copy(to, fr)
	} else {
		rng.MultiHypergeometricStreams(s.src, kM.Named("switch-to"), fr, moved, to)
	}
	cs := s.cs
	var pool demog.Comp
	var r = s.src.Rand
	if cs != nil {
		r = cs.src.Reset(cs.who.Named("switch").Index(uint64(m)))
		cs.sizes, cs.to = cs.sizes[:0], cs.to[:0]
	}
	k := 0
	for _, j := range mu.Slots {
		sl := &s.Slots[j]
		if !sl.Held || sl.Ceiling <= sl.List {
			continue
		}
		if cs != nil {
			var out demog.Comp
			demog.Pick(r, &cs.slots[j], from[k], &out)
			pool.Add(&out)
			if to[k] > 0 {
				cs.sizes = append(cs.sizes, to[k])
				cs.to = append(cs.to, &cs.slots[j])
			}
		}
		k++
	}
	k = 0
	for _, j := range mu.Slots {
		sl := &s.Slots[j]
		if !sl.Held || sl.Ceiling <= sl.List {
			continue
		}
		sl.List += to[k] - from[k]
		k++
	}
	s.count.switched += moved
	if cs != nil {
		cs.dealer.Deal(r, &pool, cs.sizes, cs.to)
	}
}

// remBuf returns a float64 scratch buffer of length n.
func (s *State) remBuf(n int) []float64 {
	if cap(s.rem) < n {
		s.rem = make([]float64, n)
	}
	s.rem = s.rem[:n]
	return s.rem
}

func (s *State) out2Buf(n int) []int64 {
	if cap(s.out2) < n {
		s.out2 = make([]int64, n)
	}
	s.out2 = s.out2[:n]
	return s.out2
}
