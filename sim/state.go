package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"listetak/agents"
	"listetak/demog"
	"listetak/finance"
	"listetak/params"
	"listetak/rng"
	"listetak/world"
)

// long is the contract age of a GP whose contract age is unknown: treated
// as long (no guarantee eligibility, MODEL.md "Starting state").
const long = 1 << 20

// maxAge bounds the retirement-hazard table; older GPs use its last entry.
const maxAge = 130

// Slot is one GP contract and the GP holding it (fields after Held are the
// GP's and meaningless for a vacant slot).
type Slot struct {
	Muni     int32
	Held     bool
	Salaried bool  // contract type (for a vacant slot: what a new GP gets)
	List     int64 // persons on the list (orphan list if vacant)
	Ceiling  int64 // ceiling; for a vacant slot the last holder's (0: none)

	Female, Specialist bool
	Age, ContractAge   int     // years; ContractAge >= long means unknown
	W                  float64 // leisure value, NOK/hour
	Lambda             float64 // loss aversion
	Sigma              float64 // staff step, persons
	Ref                float64 // reference net income R, NOK/year
	Last               float64 // last year's net income N, NOK/year

	// Appeal is the slot's persistent shift of the entry logit (v2; 0
	// under v1), drawn at the start of each replication or when the slot
	// is created.
	Appeal float64
	// VacantYears counts the whole years a vacant slot has stayed unfilled.
	VacantYears int
	// wasFull records, during v2's step 7, that the list was full before
	// this year's deaths and departures.
	wasFull bool
	// vacated records that the holder left in this year's step 4 (v2's
	// vacancies in transit, State.inTransit); step 6 clears it.
	vacated bool
	// Orig is true while the slot is held by the GP who held it in year 0.
	Orig bool
	// GP is the holder's stable id within a replication (see observe.go):
	// 1, 2, ... for the year-0 holders in slot order, then one new id per
	// entrant in order of entry; 0 for a vacant slot.
	GP int64

	// Decision is what the holder's ceiling choice did this year (step 3)
	// and Chosen the ceiling it chose (C*; the ceiling held unless the
	// choice was refused); an entrant's are DecisionKept and its ceiling.
	Decision Decision
	Chosen   int64

	// Realised in the last recorded year (step 8).
	Cap, Fees, Eq, Cost float64 // NOK/year; Cap and Fees are paid to the municipality for salaried GPs
	Gross, Net, Hours   float64 // salaried: Gross = Net = salary
}

// Muni is one municipality's state.
type Muni struct {
	Pop        int64   // P_m, persons
	Unlisted   int64   // persons on no list
	Released   int64   // persons released in steps 3 and 6 of this year, seeking in step 7
	Centrality int     // 1..6
	Class      int     // extra-hours class (index into Model.Classes)
	Extra      float64 // E_m, hours/year
	Growth     float64 // g_m
	MinGPs     int     // n_min,m
	Eq         float64 // this year's equalisation grant per self-employed GP
	Change     int64   // this year's population change G_m (persons actually added or removed)
	Slots      []int32 // slot indexes in slot order
}

// Model is a world resolved against parameters: the template every
// replication starts from. It is immutable once built and shared by workers.
type Model struct {
	Params   params.Params // money-scaled
	World    *world.World
	Baseline finance.Rules  // the world's own scheme (year-0 incomes)
	Classes  []agents.Class // one per distinct E_m (hours factor 1)
	// Notes lists what NewModel changed (e.g. a risk-adjusted baseline
	// without list composition), for the manifest.
	Notes  []string
	demog  *demography // list composition (nil: the reference model)
	slots  []Slot
	munis  []Muni
	given  []givenValues // per slot
	retire []float64     // p_ret by whole year of age
	ageCDF [2][]float64  // v2 starting ages of men and women (nil under v1)
	// path[m][t-1] is municipality m's population growth rate in model
	// year t under v2 (world.PopulationPath ratio - 1; NaN: the default
	// growth); years beyond its length use its last entry. nil under v1.
	path [][]float64
	// spinUp: v2 on a world with nobody waiting for assignment, so Reset
	// runs the spin-up year (docs/model.md "Start-up").
	spinUp bool
}

// pathYears is how many model years NewModel resolves the v2 population
// path for; beyond the data every ratio is a constant trend, so later
// years reuse the last.
const pathYears = 30

// givenValues are a slot's given agent and state values (NaN: drawn or
// computed at the start).
type givenValues struct{ w, lambda, sigma, ref, last, appeal float64 }

// NewModel resolves a world against parameters p (in 2019 NOK; they are
// scaled by the world's money index here): defaults for growth, extra hours
// and minimum GPs, and the baseline rules.
func NewModel(w *world.World, p params.Params) (*Model, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("params: %w", err)
	}
	p = p.Scale(w.Money())
	m := &Model{Params: p, World: w}
	eq := finance.Equalisation{Rate: p.EqRate, MaxPopulation: p.EqMaxPopulation, RefList: p.EqRefList}
	m.Baseline = w.Baseline.Rules(eq, 1)
	m.retire = make([]float64, maxAge+1)
	for a := range m.retire {
		m.retire[a] = agents.RetireProb(&p, float64(a))
	}
	class := map[float64]int{}
	m.munis = make([]Muni, len(w.Municipalities))
	for i, wm := range w.Municipalities {
		if wm.Centrality < 1 || wm.Centrality > 6 {
			return nil, fmt.Errorf("municipality %s: centrality %d outside 1..6", wm.Code, wm.Centrality)
		}
		mu := &m.munis[i]
		mu.Pop, mu.Centrality = wm.Population, wm.Centrality
		mu.Growth = p.Growth
		if wm.Growth.OK {
			mu.Growth = wm.Growth.V
		}
		mu.Extra = p.ExtraHours[wm.Centrality-1]
		if wm.ExtraHours.OK {
			mu.Extra = wm.ExtraHours.V
		}
		if c, ok := class[mu.Extra]; ok {
			mu.Class = c
		} else {
			mu.Class = len(m.Classes)
			class[mu.Extra] = mu.Class
			m.Classes = append(m.Classes, agents.Class{Extra: mu.Extra})
		}
		mu.MinGPs = int(p.MinGPsOther)
		if float64(wm.Population) < p.MinGPsThreshold {
			mu.MinGPs = int(p.MinGPsSmall)
		}
		if wm.MinGPs.OK {
			mu.MinGPs = wm.MinGPs.V
		}
		mu.Unlisted = wm.Population
	}
	m.slots = make([]Slot, len(w.Slots))
	m.given = make([]givenValues, len(w.Slots))
	nan := math.NaN()
	opt := func(o world.Opt[float64]) float64 {
		if o.OK {
			return o.V
		}
		return nan
	}
	for i, ws := range w.Slots {
		if ws.Muni < 0 || ws.Muni >= len(m.munis) {
			return nil, fmt.Errorf("slot %s: municipality index %d out of range", ws.ID, ws.Muni)
		}
		s := &m.slots[i]
		s.Muni, s.Held, s.Salaried = int32(ws.Muni), ws.Held, ws.Salaried
		s.List = int64(ws.List)
		if ws.Ceiling.OK {
			s.Ceiling = int64(ws.Ceiling.V)
		}
		if ws.Held {
			if !ws.Ceiling.OK || s.List > s.Ceiling {
				return nil, fmt.Errorf("slot %s: list %d above ceiling %d", ws.ID, s.List, s.Ceiling)
			}
			s.Female, s.Specialist, s.Age = ws.Female, ws.Specialist, ws.Age
			s.ContractAge = long
			if ws.ContractYears.OK {
				s.ContractAge = ws.ContractYears.V
			}
		}
		m.given[i] = givenValues{opt(ws.LeisureValue), opt(ws.LossAversion), opt(ws.StaffStep), opt(ws.ReferenceIncome),
			opt(ws.LastIncome), opt(ws.Appeal)}
		if ws.VacantYears.OK && !ws.Held {
			s.VacantYears = ws.VacantYears.V
		}
		mu := &m.munis[ws.Muni]
		mu.Slots = append(mu.Slots, int32(i))
		mu.Unlisted -= s.List
	}
	for i, mu := range m.munis {
		if mu.Unlisted < 0 {
			return nil, fmt.Errorf("municipality %s: lists sum to more than its population %d", w.Municipalities[i].Code, mu.Pop)
		}
	}
	if !p.V1() {
		m.spinUp = true
		for _, mu := range m.munis {
			m.spinUp = m.spinUp && mu.Unlisted == 0
		}
		var held, female int
		for _, s := range m.slots {
			if s.Held {
				held++
				if s.Female {
					female++
				}
			}
		}
		m.ageCDF = startAgeCDFs(m, float64(female)/float64(max(held, 1)))
	}
	if !p.V1() {
		if err := m.resolvePath(); err != nil {
			return nil, err
		}
	}
	if p.Demography == 1 && w.HasComposition() {
		d, err := newDemography(m)
		if err != nil {
			return nil, err
		}
		m.demog = d
	}
	if m.Baseline.RiskAdjusted && !w.HasComposition() {
		return nil, errors.New("the world's baseline is risk-adjusted (by sex and age), but the world has no list composition (composition.csv): give a flat baseline or add the composition")
	}
	if m.Baseline.RiskAdjusted && m.demog == nil {
		m.Baseline.RiskAdjusted = false
		m.Notes = append(m.Notes, "the world's risk-adjusted baseline runs as a flat rate per listed person: "+
			"list composition is off (demography 0 or no population composition)")
	}
	return m, nil
}

// Slots returns the number of slots at the start.
func (m *Model) Slots() int { return len(m.slots) }

// State is one replication's state. It is reused across replications by
// Reset, so a worker allocates it once.
type State struct {
	M     *Model
	P     *params.Params
	Slots []Slot
	Munis []Muni
	Year  int // the last completed year (0 after Reset)

	key       rng.Key
	src       *rng.Source
	cs        *compState  // list composition (nil: the reference model)
	nextGP    int64       // the id the next GP gets (assignGP)
	y         agents.Year // this year's precomputed tables
	rec       []float64   // this year's record (NumMetrics)
	count     counters
	muniFlows []int32 // this year's flows by municipality (municipal.go)
	// Exits are the GPs who left a slot this year (step 4), in slot order.
	Exits []Exit

	// scratch buffers (step 7 and checks)
	counts, out, out2 []int64
	idx               []int32
	free, full        []int64
	saved             startState   // the starting state while the spin-up year runs
	waiting           []int64      // per municipality: persons the spin-up year left waiting
	waitComp          []demog.Comp // and their composition
	sizeTerm          []float64    // v2: each municipality's exit size term this year (agents.SizeTerm)
	muniV             []float64    // v2: each municipality's recruitment conditions (muniConditions; empty when muni_sd is 0)
	muniX, muniH      []float64    // muniConditions' buffers: one municipality's slots' entry logits and exit probabilities
	rem               []float64    // v2 assignment's largest-remainder scratch
	reach             []float64    // v2 step 2: each municipality's persons a list can draw (freeAndReach)
}

// counters are the flow metrics of one year.
type counters struct {
	newSlots, entries, exitsRet, exitsOther int
	dCeil, dExit, dEntry                    float64
	raised, lowered, refused                int
	released                                int64
	converted                               int
	switched                                int64
	// GPs holding slots at the start of step 4 and their exits, by
	// centrality and size group (groups).
	heldStart, exitsBy [NumGroups]int
}

// NewState returns a State for the model; call Reset before use.
func NewState(m *Model) *State {
	return &State{M: m, P: &m.Params, src: rng.NewSource()}
}

// Use makes the state run model m from its next Reset (a model with other
// parameters over the same world).
func (s *State) Use(m *Model) { s.M, s.P = m, &m.Params }

// Reset sets the state to the model's starting state for replication rep
// under the master seed, draws the agents' starting values (stream "init")
// and computes the year-0 incomes under the baseline scheme. It fills rec
// (len NumMetrics) with the year-0 outputs when rec is not nil. It returns
// the number of GPs whose observed ceiling could not be made their optimum.
//
// Under v2, a world that gives nobody waiting for assignment (its
// municipalities' populations equal their lists, as the embedded worlds')
// starts with the model's own waiting persons (docs/model.md "Start-up"):
// a spin-up year, a copy of year 1 under the baseline with streams of its
// own ("spin-up"), is run from the starting state, and the persons it
// leaves waiting in each municipality (with their composition) join that
// municipality's year-0 population, waiting, in the starting state the
// run then begins from.
func (s *State) Reset(seed uint64, rep int, rec []float64) (unreached int) {
	unreached = s.start(seed, rep)
	if s.M.spinUp {
		s.saveStart()
		s.finish()
		s.key = s.key.Named("spin-up")
		s.Step(s.M.Baseline, nil)
		s.keepWaiting()
		s.restoreStart(seed, rep)
		s.addWaiting()
	}
	s.finish()
	if rec != nil {
		s.rec = rec
		s.record()
	}
	return unreached
}

// startState is the state after the starting draws (State.start), kept
// while the spin-up year runs so that the run begins from it again without
// drawing it twice.
type startState struct {
	slots           []Slot
	munis           []Muni
	comps, unlisted []demog.Comp // with list composition: lists and persons on no list
	nextGP          int64
}

// saveStart keeps the state after the starting draws (startState).
func (s *State) saveStart() {
	k := &s.saved
	k.slots = append(k.slots[:0], s.Slots...)
	k.munis = copyMunis(k.munis, s.Munis)
	k.nextGP = s.nextGP
	if s.cs != nil {
		k.comps = append(k.comps[:0], s.cs.slots...)
		k.unlisted = append(k.unlisted[:0], s.cs.unlisted...)
	}
}

// restoreStart sets the state back to the one saveStart kept, for
// replication rep under seed (its streams as start left them).
func (s *State) restoreStart(seed uint64, rep int) {
	k := &s.saved
	s.Slots = append(s.Slots[:0], k.slots...)
	s.Munis = copyMunis(s.Munis, k.munis)
	s.Year, s.nextGP = 0, k.nextGP
	s.key = rng.New(seed, rep)
	if c := s.cs; c != nil {
		c.slots = append(c.slots[:0], k.comps...)
		c.unlisted = append(c.unlisted[:0], k.unlisted...)
		clear(c.released)
	}
}

// copyMunis returns dst holding a copy of src, each municipality's slot
// list in dst's own storage (reused where it has room).
func copyMunis(dst, src []Muni) []Muni {
	if cap(dst) < len(src) {
		dst = append(dst[:cap(dst)], make([]Muni, len(src)-cap(dst))...)
	}
	dst = dst[:len(src)]
	for i := range src {
		slots := dst[i].Slots
		dst[i] = src[i]
		dst[i].Slots = append(slots[:0], src[i].Slots...)
	}
	return dst
}

// keepWaiting saves every municipality's persons waiting for assignment
// (and their composition) at the end of the spin-up year.
func (s *State) keepWaiting() {
	s.waiting = slices.Grow(s.waiting[:0], len(s.Munis))[:len(s.Munis)]
	for i := range s.Munis {
		s.waiting[i] = s.Munis[i].Unlisted
	}
	if s.cs != nil {
		s.waitComp = resizeComp(s.waitComp, len(s.Munis))
		copy(s.waitComp, s.cs.unlisted)
	}
}

// addWaiting adds the persons the spin-up year left waiting to every
// municipality's population and waiting persons, after the agents' starting
// values were drawn (so they are those of the world without them, and a
// world exported with its draws runs back exactly), and recomputes from
// them the year-0 factors and equalisation grants.
func (s *State) addWaiting() {
	for i := range s.Munis {
		s.Munis[i].Pop += s.waiting[i]
		s.Munis[i].Unlisted += s.waiting[i]
	}
	if s.cs != nil {
		for i := range s.waitComp {
			s.cs.unlisted[i].Add(&s.waitComp[i])
		}
		s.compYear(s.M.Baseline, s.key.Named("year").Index(0))
	}
	s.equalisation(s.M.Baseline)
}

// start sets the state to the model's starting state and draws the agents'
// starting values (Reset before the year-0 incomes); it returns the number
// of GPs whose observed ceiling could not be made their optimum.
func (s *State) start(seed uint64, rep int) (unreached int) {
	m := s.M
	s.Slots = append(s.Slots[:0], m.slots...)
	s.Munis = copyMunis(s.Munis, m.munis)
	s.Year = 0
	s.nextGP = 0
	for i := range s.Slots {
		s.Slots[i].Orig = s.Slots[i].Held
		s.assignGP(&s.Slots[i])
	}
	s.key = rng.New(seed, rep)
	s.resetComp()
	if s.cs != nil {
		s.compYear(m.Baseline, s.key.Named("year").Index(0))
	}
	s.equalisation(m.Baseline)
	// The interval that makes the observed ceiling optimal is for the year-1
	// decision (h_1) under the baseline scheme.
	s.y.Reset(s.P, m.Baseline, 1, s.classes())
	kInit := s.key.Named("init")
	for i := range s.Slots {
		sl := &s.Slots[i]
		if !sl.Held {
			continue
		}
		r := s.src.Reset(kInit.Index(uint64(i)))
		g := m.given[i]
		mu := &s.Munis[sl.Muni]
		if sl.Salaried {
			sl.Lambda = pick(g.lambda, func() float64 { return agents.DrawLossAversion(r, s.P) })
			sl.Sigma = pick(g.sigma, func() float64 { return agents.DrawStaffStep(r, s.P) })
			sl.W = pick(g.w, func() float64 { return agents.DrawLeisure(r, s.P, sl.Female) })
			sl.Ref = pick(g.ref, func() float64 { return s.P.Salary })
			sl.Last = s.P.Salary
			continue
		}
		own, _ := s.own(i)
		v := s.y.DrawStart(r, agents.Start{
			List: float64(sl.List), Ceiling: float64(sl.Ceiling), Female: sl.Female,
			ContractAge: sl.ContractAge, Class: mu.Class, Eq: mu.Eq, Own: own, Avg: s.avg(sl.Muni),
			W: g.w, Lambda: g.lambda, Sigma: g.sigma, Ref: g.ref,
		})
		sl.W, sl.Lambda, sl.Sigma, sl.Ref, sl.Last = v.W, v.Lambda, v.Sigma, v.Ref, v.Last
		if !v.Reached {
			unreached++
		}
	}
	for i := range s.Slots {
		if g := m.given[i].last; !math.IsNaN(g) && s.Slots[i].Held {
			s.Slots[i].Last = g // a saved state's last income
		}
	}
	if !s.P.V1() {
		s.drawStartAges()
		s.muniConditions()
		s.drawAppeal()
	}
	return unreached
}

// finish computes the year-0 incomes and hours (t = 0) under the baseline
// scheme and clears the year's flows (the end of Reset).
func (s *State) finish() {
	s.y.Reset(s.P, s.M.Baseline, 0, s.classes())
	s.count = counters{}
	s.resetFlows()
	s.Exits = s.Exits[:0]
	s.realise(false)
}

func pick(given float64, draw func() float64) float64 {
	if !math.IsNaN(given) {
		return given
	}
	return draw()
}

// equalisation fixes this year's grant per self-employed GP in each
// municipality from the current state (MODEL.md "Money and time").
func (s *State) equalisation(rules finance.Rules) {
	for i := range s.Munis {
		mu := &s.Munis[i]
		var n int
		var listed int64
		for _, j := range mu.Slots {
			if sl := &s.Slots[j]; sl.Held {
				n++
				listed += sl.List
			}
		}
		mu.Eq = rules.Equalisation.Grant(float64(mu.Pop), n, float64(listed))
	}
}

// realise computes each GP's income and hours from its current list
// (MODEL.md step 8); with update it also moves reference and last year's
// income and ages everyone by a year.
func (s *State) realise(update bool) {
	p := s.P
	if s.cs != nil {
		s.weightScale() // risk adjustment relative to the population at year end
	}
	for i := range s.Slots {
		sl := &s.Slots[i]
		if !sl.Held {
			continue
		}
		mu := &s.Munis[sl.Muni]
		l := float64(sl.List)
		own, hf := s.own(i)
		sl.Hours = s.y.Hours(l*hf, mu.Extra)
		if sl.Salaried {
			in := s.y.IncomeF(l, float64(sl.Ceiling), sl.ContractAge, 1, 0, own)
			sl.Cap, sl.Fees = in.Capitation, in.Fees
			sl.Eq, sl.Cost = 0, 0
			pay := s.y.Rules.Salaried.Salary(p.Salary, l)
			sl.Gross, sl.Net = pay, pay
		} else {
			in := s.y.IncomeF(l, float64(sl.Ceiling), sl.ContractAge, sl.Sigma, mu.Eq, own)
			sl.Cap, sl.Fees, sl.Eq, sl.Cost = in.Capitation, in.Fees, in.Equalisation, in.Cost
			sl.Gross, sl.Net = in.Gross(), in.Net()
		}
		if update {
			sl.Ref = (1-p.Rho)*sl.Ref + p.Rho*sl.Net
			sl.Last = sl.Net
			sl.Age++
			if sl.ContractAge < long {
				sl.ContractAge++
			}
		}
	}
}

// Check verifies the state's invariants: every municipality's persons are
// conserved (lists + orphan lists + unlisted + released = population), no
// list exceeds its ceiling, no count is negative.
func (s *State) Check() error {
	var errs []error
	for i := range s.Munis {
		mu := &s.Munis[i]
		sum := mu.Unlisted + mu.Released
		if mu.Unlisted < 0 || mu.Released < 0 || mu.Pop < 0 {
			errs = append(errs, fmt.Errorf("municipality %d: negative count (pop %d, unlisted %d, released %d)", i, mu.Pop, mu.Unlisted, mu.Released))
		}
		for _, j := range mu.Slots {
			sl := &s.Slots[j]
			if int(sl.Muni) != i {
				errs = append(errs, fmt.Errorf("slot %d: listed under municipality %d but belongs to %d", j, i, sl.Muni))
			}
			if sl.List < 0 {
				errs = append(errs, fmt.Errorf("slot %d: negative list %d", j, sl.List))
			}
			if sl.Held && sl.List > sl.Ceiling {
				errs = append(errs, fmt.Errorf("slot %d: list %d above ceiling %d", j, sl.List, sl.Ceiling))
			}
			sum += sl.List
		}
		if sum != mu.Pop {
			errs = append(errs, fmt.Errorf("municipality %d: persons %d != population %d", i, sum, mu.Pop))
		}
		if len(errs) > 20 {
			break
		}
	}
	if s.cs != nil && len(errs) == 0 {
		errs = append(errs, s.checkComp()...)
	}
	return errors.Join(errs...)
}

// WithDraws returns a copy of the model's world in which every GP carries
// the agent values (leisure value, loss aversion, staff step, reference
// income) drawn at the start of replication rep under seed. Run back as a
// world, it reproduces that replication exactly.
func WithDraws(m *Model, seed uint64, rep int) *world.World {
	st := NewState(m)
	st.Reset(seed, rep, nil)
	w := *m.World
	w.Slots = append([]world.Slot(nil), m.World.Slots...)
	w.Municipalities = append([]world.Municipality(nil), m.World.Municipalities...)
	w.Notes = append(append([]string(nil), m.World.Notes...),
		fmt.Sprintf("agent values drawn for replication %d with seed %d", rep, seed))
	for i := range w.Slots {
		s := &st.Slots[i]
		if !s.Held {
			continue
		}
		ws := &w.Slots[i]
		ws.LeisureValue = world.Some(s.W)
		ws.LossAversion = world.Some(s.Lambda)
		ws.StaffStep = world.Some(s.Sigma)
		ws.ReferenceIncome = world.Some(s.Ref)
	}
	return &w
}
