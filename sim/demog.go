package sim

import (
	"fmt"
	"math"
	"slices"

	"listetak/agents"
	"listetak/demog"
	"listetak/finance"
	"listetak/rng"
)

// demography is the model's list-composition setup (MODEL.md "Extensions"),
// nil when the model does not track composition.
type demography struct {
	// weights, fees and hours are the per-cell tables normalised to mean 1
	// over the world's starting population.
	weights, fees, hours [demog.Cells]float64
	deaths               *demog.Rates
	munis                []demog.Comp // each municipality's persons by cell, summing to its population
	nat                  demog.Comp   // the persons the tables are normalised over (the starting national persons)
	// lists are the slots' given list compositions (a saved state's,
	// world.ListCompositionFile), nil for a slot whose list is drawn.
	lists []*demog.Comp
}

// newDemography resolves the world's population compositions: each
// municipality's shares applied to its population (largest remainder), and
// the tables normalised over the national total.
func newDemography(m *Model) (*demography, error) {
	d := &demography{munis: make([]demog.Comp, len(m.munis)), deaths: demog.NewRates(m.Params.DeathProb)}
	var nat demog.Comp
	for i, wm := range m.World.Municipalities {
		if wm.Composition.Sum() <= 0 {
			return nil, fmt.Errorf("municipality %s: population composition has no persons", wm.Code)
		}
		d.munis[i] = demog.Apportion(wm.Composition, m.munis[i].Pop)
		nat.Add(&d.munis[i])
	}
	if m.World.HasListComposition() {
		if err := d.givenLists(m); err != nil {
			return nil, err
		}
	}
	if sf := m.World.SavedFrom; sf != nil && len(sf.StartComposition) == demog.Cells {
		// A saved state: normalise over its run's starting persons.
		copy(nat[:], sf.StartComposition)
	}
	d.nat = nat
	d.weights = demog.Normalise(m.Params.Weights, &nat)
	d.fees = demog.Normalise(m.Params.FeeFactors, &nat)
	d.hours = demog.Normalise(m.Params.HoursFactors, &nat)
	return d, nil
}

// givenLists takes the world's given list compositions, checking that
// each municipality's persons hold them.
func (d *demography) givenLists(m *Model) error {
	d.lists = make([]*demog.Comp, len(m.slots))
	left := slices.Clone(d.munis)
	for i, ws := range m.World.Slots {
		c := ws.Composition
		if c == nil {
			continue
		}
		if c.Sum() != m.slots[i].List {
			return fmt.Errorf("slot %s: list composition of %d persons, list of %d", ws.ID, c.Sum(), m.slots[i].List)
		}
		d.lists[i] = c
		left[ws.Muni].Sub(c)
	}
	for i := range left {
		for c, n := range left[i] {
			if n < 0 {
				return fmt.Errorf("municipality %s: its lists hold %d more persons in cell %s than it has", m.World.Municipalities[i].Code, -n, demog.CellName(c))
			}
		}
	}
	return nil
}

// Demography reports whether the model tracks list composition by sex and
// age (the world has a population composition and demography is 1).
func (m *Model) Demography() bool { return m.demog != nil }

// Weights returns the normalised capitation weights by cell (nil without
// demography).
func (m *Model) Weights() *[demog.Cells]float64 {
	if m.demog == nil {
		return nil
	}
	return &m.demog.weights
}

// MuniComposition returns municipality i's starting persons by cell (zero
// without demography).
func (m *Model) MuniComposition(i int) demog.Comp {
	if m.demog == nil {
		return demog.Comp{}
	}
	return m.demog.munis[i]
}

// compState is one replication's composition state.
type compState struct {
	slots     []demog.Comp // per slot: its list (orphan list if vacant)
	unlisted  []demog.Comp // per municipality: persons on no list
	released  []demog.Comp // per municipality: released this year, seeking in step 7
	classes   []agents.Class
	avg       []agents.Factors // per municipality: the average person's factors this year
	groups    []demog.Comp     // step 7 scratch: seeker groups
	deaths    int64            // this year's deaths
	births    int64            // this year's births
	who, dead rng.Key          // this year's streams: which persons move; deaths and ageing
	src       *rng.Source      // composition draws, apart from the reference model's
	churn     *demog.Rates     // chi in every cell
	seek      *demog.Rates     // psi in every cell
	chi, psi  float64          // the parameters of churn and seek
	wscale    float64          // capitation weights' scale: national mean 1 now
	before    []int64          // step 7 scratch: lists before placement
	sizes     []int64          // step 7 scratch: persons each GP receives
	to        []*demog.Comp    // step 7 scratch: the receiving lists
	dealer    demog.Dealer
}

// resetComp partitions each municipality's persons among its lists and the
// unlisted by a multivariate hypergeometric draw per list in slot order
// (stream "composition"): list compositions start from their municipality's.
func (s *State) resetComp() {
	d := s.M.demog
	if d == nil {
		s.cs = nil
		return
	}
	if s.cs == nil {
		s.cs = &compState{src: rng.NewSource()}
	}
	if c := s.cs; c.churn == nil || c.chi != s.P.Chi || c.psi != s.P.Psi {
		// The tables follow the parameters (a state may run models with
		// other parameters: designs, parameter uncertainty).
		var chi, psi [demog.Cells]float64
		for i := range chi {
			chi[i], psi[i] = s.P.Chi, s.P.Psi
		}
		c.chi, c.psi = s.P.Chi, s.P.Psi
		c.churn, c.seek = demog.NewRates(chi), demog.NewRates(psi)
	}
	c := s.cs
	c.slots = resizeComp(c.slots, len(s.Slots))
	c.unlisted = resizeComp(c.unlisted, len(s.Munis))
	c.released = resizeComp(c.released, len(s.Munis))
	if cap(c.classes) < len(s.Munis) {
		c.classes = make([]agents.Class, len(s.Munis))
		c.avg = make([]agents.Factors, len(s.Munis))
	}
	c.classes, c.avg = c.classes[:len(s.Munis)], c.avg[:len(s.Munis)]
	k := s.key.Named("composition")
	for m := range s.Munis {
		mu := &s.Munis[m]
		mu.Class = m
		left := d.munis[m]
		if d.lists != nil {
			for _, j := range mu.Slots {
				if g := d.lists[j]; g != nil {
					c.slots[j] = *g
					left.Sub(g)
				}
			}
		}
		r := c.src.Reset(k.Index(uint64(m)))
		for _, j := range mu.Slots {
			if d.lists == nil || d.lists[j] == nil {
				demog.Pick(r, &left, s.Slots[j].List, &c.slots[j])
			}
		}
		c.unlisted[m] = left
	}
}

func resizeComp(c []demog.Comp, n int) []demog.Comp {
	if cap(c) < n {
		return make([]demog.Comp, n)
	}
	c = c[:n]
	clear(c)
	return c
}

// muniComp returns municipality m's persons by cell now.
func (s *State) muniComp(m int) demog.Comp {
	c := s.cs
	t := c.unlisted[m]
	t.Add(&c.released[m])
	for _, j := range s.Munis[m].Slots {
		t.Add(&c.slots[j])
	}
	return t
}

// compYear sets this year's classes and average-person factors from the
// current compositions (step 1) and the year's streams.
func (s *State) compYear(rules finance.Rules, ky rng.Key) {
	c, d := s.cs, s.M.demog
	c.who, c.dead = ky.Named("who"), ky.Named("deaths")
	c.deaths, c.births = 0, 0
	s.weightScale()
	for m := range s.Munis {
		t := s.muniComp(m)
		c.classes[m] = agents.Class{Extra: s.Munis[m].Extra, Hours: t.Factor(&d.hours)}
		c.avg[m] = agents.Factors{Cap: 1, Fee: t.Factor(&d.fees)}
		if rules.RiskAdjusted {
			c.avg[m].Cap = t.Factor(&d.weights) * c.wscale
		}
	}
}

// weightScale sets the capitation weights' scale so that their mean over
// the current national population is 1: like the real index, risk
// adjustment redistributes a rate per average person of today's population,
// and an ageing population does not raise it. (Fee and hours factors stay
// fixed: an older population does bring more fees and need more hours.)
func (s *State) weightScale() {
	c, d := s.cs, s.M.demog
	var w, n float64
	for i := range c.slots {
		w += c.slots[i].Dot(&d.weights)
		n += float64(c.slots[i].Sum())
	}
	for m := range c.unlisted {
		w += c.unlisted[m].Dot(&d.weights) + c.released[m].Dot(&d.weights)
		n += float64(c.unlisted[m].Sum() + c.released[m].Sum())
	}
	c.wscale = 1
	if w > 0 {
		c.wscale = n / w
	}
}

// classes returns the hours classes in use: per municipality with
// composition, else the model's.
func (s *State) classes() []agents.Class {
	if s.cs != nil {
		return s.cs.classes
	}
	return s.M.Classes
}

// avg returns the factors a GP of municipality m plans with.
func (s *State) avg(m int32) agents.Factors {
	if s.cs == nil {
		return agents.Factors{}
	}
	return s.cs.avg[m]
}

// own returns slot i's own capitation and fee factors under this year's
// rules, and its hours factor.
func (s *State) own(i int) (agents.Factors, float64) {
	return s.ownUnder(i, s.y.Rules.RiskAdjusted)
}

// ownUnder is own with capitation risk-adjusted or not.
func (s *State) ownUnder(i int, riskAdj bool) (agents.Factors, float64) {
	if s.cs == nil {
		return agents.Factors{}, 1
	}
	d := s.M.demog
	t := &s.cs.slots[i]
	f := agents.Factors{Cap: 1, Fee: t.Factor(&d.fees)}
	if riskAdj {
		f.Cap = t.Factor(&d.weights) * s.cs.wscale
	}
	return f, t.Factor(&d.hours)
}

// release moves x persons of slot i's list (drawn at random) to the
// municipality's released persons.
func (s *State) release(i int, x int64) {
	if s.cs == nil || x <= 0 {
		return
	}
	c := s.cs
	var moved demog.Comp
	demog.Pick(c.src.Reset(c.who.Named("release").Index(uint64(i))), &c.slots[i], x, &moved)
	c.released[s.Slots[i].Muni].Add(&moved)
}

// die runs this year's deaths in municipality m (start of step 7): on every
// list, among the unlisted and the released. It returns the deaths.
func (s *State) die(m int) int64 {
	c, d := s.cs, s.M.demog
	mu := &s.Munis[m]
	var n int64
	for _, j := range mu.Slots {
		dead := demog.Leave(c.src.Reset(c.dead.Index(uint64(j))), &c.slots[j], d.deaths)
		x := dead.Sum()
		s.Slots[j].List -= x
		n += x
	}
	r := c.src.Reset(c.dead.Named("muni").Index(uint64(m)))
	du := demog.Leave(r, &c.unlisted[m], d.deaths)
	dr := demog.Leave(r, &c.released[m], d.deaths)
	mu.Unlisted -= du.Sum()
	mu.Released -= dr.Sum()
	n += du.Sum() + dr.Sum()
	c.deaths += n
	return n
}

// age moves every person up a band with probability 1/band width (step 8,
// before the incomes).
func (s *State) age() {
	c := s.cs
	k := c.dead.Named("ageing")
	for i := range c.slots {
		demog.Age(c.src.Reset(k.Index(uint64(i))), &c.slots[i])
	}
	km := k.Named("muni")
	for m := range c.unlisted {
		demog.Age(c.src.Reset(km.Index(uint64(m))), &c.unlisted[m])
	}
}

// checkComp verifies that compositions match the counts.
func (s *State) checkComp() []error {
	var errs []error
	c := s.cs
	if len(c.slots) != len(s.Slots) {
		return []error{fmt.Errorf("composition: %d slot compositions for %d slots", len(c.slots), len(s.Slots))}
	}
	neg := func(t *demog.Comp) bool {
		for _, x := range t {
			if x < 0 {
				return true
			}
		}
		return false
	}
	for i := range s.Slots {
		if n := c.slots[i].Sum(); n != s.Slots[i].List || neg(&c.slots[i]) {
			errs = append(errs, fmt.Errorf("slot %d: composition %v sums to %d, list %d", i, c.slots[i], n, s.Slots[i].List))
		}
	}
	for m := range s.Munis {
		if n := c.unlisted[m].Sum(); n != s.Munis[m].Unlisted || neg(&c.unlisted[m]) {
			errs = append(errs, fmt.Errorf("municipality %d: unlisted composition sums to %d, unlisted %d", m, n, s.Munis[m].Unlisted))
		}
		if n := c.released[m].Sum(); n != s.Munis[m].Released || neg(&c.released[m]) {
			errs = append(errs, fmt.Errorf("municipality %d: released composition sums to %d, released %d", m, n, s.Munis[m].Released))
		}
	}
	return errs
}

// CorrectionFactors returns the correction factor (mean capitation weight)
// of every list of a GP holding a slot in the current state; nil without
// demography.
func (s *State) CorrectionFactors() []float64 {
	if s.cs == nil {
		return nil
	}
	var out []float64
	for i := range s.Slots {
		if s.Slots[i].Held {
			out = append(out, s.cs.slots[i].Factor(&s.M.demog.weights)*s.cs.wscale)
		}
	}
	return out
}

// CorrectionSummary summarises CorrectionFactors: the number of lists, the
// smallest and largest factor, and the percentage within +/-10 % of 1.
func (s *State) CorrectionSummary() (lists int, lo, hi, pctWithin10 float64) {
	cf := s.CorrectionFactors()
	lo, hi = math.Inf(1), math.Inf(-1)
	within := 0
	for _, x := range cf {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
		if math.Abs(x-1) <= 0.1 {
			within++
		}
	}
	return len(cf), lo, hi, 100 * float64(within) / float64(max(len(cf), 1))
}

// Composition returns slot i's list by cell (zero without demography).
func (s *State) Composition(i int) demog.Comp {
	if s.cs == nil {
		return demog.Comp{}
	}
	return s.cs.slots[i]
}
