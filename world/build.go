package world

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"listetak/finance"
)

// Money of the embedded worlds (MODEL.md "Reference parameters" and "The
// embedded worlds"): the money index relative to 2019 NOK and the flat
// capitation of the year, NOK per listed person per year.
const (
	nokIndex2025 = finance.NokIndex2025
	rate2025     = finance.RiskAdjRate2023 // national average patient-adjusted grant from 1 July 2023
	nokIndex2011 = finance.NokIndex2011
	rate2011     = 390 // a documented assumption: no verified 2011 rate
	// salariedScale2011 scales the 2025 salaried probabilities for 2011
	// (about 12 % nationally).
	salariedScale2011 = 0.6
	// legalMaxList is the legal maximum list length (persons), reported
	// when a built list exceeds it.
	legalMaxList = 2500
)

// notes collects the lines of World.Notes: one line per kind of adjustment,
// written only when its count is not zero.
type notes []string

func (n *notes) add(format string, args ...any) { *n = append(*n, fmt.Sprintf(format, args...)) }

// count adds a line whose format starts with "%d" for the count c, when c
// is not 0; for c = 1 the first plural noun is made singular.
func (n *notes) count(c int64, format string, args ...any) {
	if c == 0 {
		return
	}
	if c == 1 {
		for _, pl := range [...][2]string{{" municipalities ", " municipality "}, {" lists ", " list "}, {" GPs ", " GP "}} {
			if k := strings.Index(format, pl[0]); k >= 0 {
				format = format[:k] + pl[1] + format[k+len(pl[0]):]
				break
			}
		}
	}
	n.add(format, append([]any{c}, args...)...)
}

// codeList formats at most 12 codes.
func codeList(codes []string) string {
	if len(codes) > 12 {
		return strings.Join(codes[:12], ", ") + fmt.Sprintf(", ... (%d in all)", len(codes))
	}
	return strings.Join(codes, ", ")
}

// ratioPools returns, per centrality class, the ratios of each 2011 list
// with a GP to the mean of the lists with a GP in its municipality (2024
// borders), in file order: the within-municipality spread of list lengths
// (MODEL.md "The embedded worlds", norway-2025). Municipalities whose lists
// with a GP are all empty contribute nothing.
func ratioPools(src *sources) (pool [maxCentrality + 1][]float64) {
	class := map[string]int{}
	for _, k := range src.kommuner {
		class[k.code] = k.class
	}
	type agg struct{ sum, n int64 }
	mean := map[string]*agg{}
	for _, l := range src.lists {
		if l.vacant || l.muni == "" {
			continue
		}
		a := mean[l.muni]
		if a == nil {
			a = &agg{}
			mean[l.muni] = a
		}
		a.sum += l.size
		a.n++
	}
	for _, l := range src.lists {
		if l.vacant || l.muni == "" {
			continue
		}
		if a := mean[l.muni]; a.sum > 0 {
			c := class[l.muni]
			pool[c] = append(pool[c], float64(l.size)*float64(a.n)/float64(a.sum))
		}
	}
	return pool
}

// drawLists draws n held list lengths summing exactly to total: ratios drawn
// with replacement from pool, scaled and rounded by largest remainder.
func drawLists(r *rand.Rand, pool []float64, n, total int64) []int64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = pool[r.IntN(len(pool))]
	}
	return apportion(w, total)
}

// build2025 builds norway-2025 (MODEL.md "The embedded worlds"): 357
// municipalities (2024 borders) in code order, each with the SSB 12005
// register statistics at 31.12.2025 matched exactly, six of them imputed.
// Within a municipality the held slots come first, then the vacant ones;
// slot IDs are "<code>-<nnnn>" in that order. Each municipality's draws come
// from its own fixed-seed generator, in this order: list ratios, the lists
// with free places, the women, then per held slot age, specialist and
// contract, then per vacant slot the contract.
func build2025(src *sources) (*World, error) {
	pool := ratioPools(src)
	for c := minCentrality; c <= maxCentrality; c++ {
		if len(pool[c]) == 0 {
			return nil, fmt.Errorf("no 2011 lists with a GP in centrality class %d", c)
		}
	}

	// Mean list with a GP per centrality class and the national female share
	// in 2025, for the imputed municipalities and the age rule.
	var clsListed, clsHeld [maxCentrality + 1]int64
	var female, held int64
	for _, k := range src.kommuner {
		if reg, ok := src.ssb[k.code]; ok {
			clsListed[k.class] += reg.listed
			clsHeld[k.class] += reg.held
			female += min(reg.female, reg.held)
			held += reg.held
		}
	}
	pF := float64(female) / float64(held)
	ages := newAgeModel(pF)

	w := &World{
		AgesDrawn:      true,
		Municipalities: make([]Municipality, 0, len(src.kommuner)),
		Slots:          make([]Slot, 0, held+int64(len(src.kommuner))*2+int64(len(src.ssb))),
		Name:           Norway2025,
		Year:           2025,
		Source: "SSB table 12005 (fastlege register statistics per municipality at 31.12.2025; " + fileSSB +
			"), municipalities, centrality classes and population 1 Jan 2026 from " + fileKommuner +
			", within-municipality spread of list lengths from the lists of October 2011 (" + fileLists +
			"); built by listetak/world, sources in world/data/SOURCES.md",
		NokIndex: nokIndex2025,
		Baseline: finance.Spec{Rate: rate2025, RiskAdjusted: true},
	}

	rs := newStream()
	var (
		imputed                                        []string
		impGPs, impPersons                             int64
		noGPListed, noGPListedPersons, noGPCapacity    int64
		orphansNoVacant, emptyVacant                   int64
		openAboveHeld, femaleAboveHeld                 int64
		capBelow, capRaised                            int64
		noOpenSpread, openNoFree, freeBelowOpen, thin  int64
		overMax                                        int64
		nHeld, nVacant, nListed, nOrphans, nCeil, nFem int64
	)
	for _, k := range src.kommuner {
		r := rs.reset(Norway2025, k.code)
		mi := len(w.Municipalities)
		id := func(j int) string { return slotID(k.code, j) }
		reg, ok := src.ssb[k.code]
		if !ok {
			// No 2025 statistics: P_m = population 1 Jan 2026, GPs =
			// ceil(P_m / mean list of the class), everyone listed, no vacant
			// slots, ceilings = lists (MODEL.md). The lists are drawn as
			// for the other municipalities; each GP is a woman with the
			// national 2025 share.
			p := k.pop2026
			mean := float64(clsListed[k.class]) / float64(clsHeld[k.class])
			n := int64(math.Ceil(float64(p) / mean))
			lists := drawLists(r, pool[k.class], n, p)
			w.Municipalities = append(w.Municipalities, Municipality{
				Code: k.code, Name: k.name, Population: p, Centrality: k.class, Imputed: true,
			})
			for j, l := range lists {
				fem := r.Float64() < pF
				age := ages.draw(r, fem)
				w.Slots = append(w.Slots, Slot{
					ID: id(j), Muni: mi, Held: true, List: int(l), Ceiling: Some(int(l)),
					Age: age, Female: fem, Specialist: drawSpecialist(r, age),
					Salaried: drawSalaried(r, k.class, 1),
				})
				if l > legalMaxList {
					overMax++
				}
			}
			imputed = append(imputed, k.code)
			impGPs += n
			impPersons += p
			continue
		}

		h, listed, v, orphans := reg.held, reg.listed, reg.vacant, reg.orphans
		// Register inconsistencies the model cannot hold, resolved so that
		// year-0 orphans stay the persons on lists without a GP:
		// persons on lists with a GP where no GP holds a slot join the
		// orphan lists; orphan persons with no vacant slot get one.
		if h == 0 && listed > 0 {
			noGPListed++
			noGPListedPersons += listed
			orphans += listed
			listed = 0
		}
		if v == 0 && orphans > 0 {
			orphansNoVacant++
			v = 1
		}
		if v > 0 && orphans == 0 {
			emptyVacant++
		}
		open := reg.open
		if open > h {
			openAboveHeld++
			open = h
		}
		fem := reg.female
		if fem > h {
			femaleAboveHeld++
			fem = h
		}
		// Total ceilings = max(capacity_sum_listetak, listed): the register
		// allows lists above their ceiling, the model does not.
		total := reg.capacity
		if total < listed {
			capBelow++
			capRaised += listed - total
			total = listed
		}
		if h == 0 && total > 0 {
			noGPCapacity++
			total = 0
		}
		free := total - listed
		// The free places go to n_open_lists lists chosen at random, or to
		// all lists where n_open_lists is 0.
		nOpen := open
		switch {
		case nOpen == 0:
			nOpen = h
			if free > 0 {
				noOpenSpread++
			}
		case free == 0:
			openNoFree++
		case free < nOpen:
			freeBelowOpen++
		}
		if nOpen > 0 && free > 0 && free/nOpen <= 20 && open > 0 {
			thin++ // SSB counts a list as open with more than 20 free places
		}

		w.Municipalities = append(w.Municipalities, Municipality{
			Code: k.code, Name: k.name, Population: listed + orphans, Centrality: k.class,
		})
		lists := drawLists(r, pool[k.class], h, listed)
		ceil := make([]int64, h)
		copy(ceil, lists)
		if free > 0 {
			add := evenSplit(free, nOpen)
			for j, s := range r.Perm(int(h))[:nOpen] {
				ceil[s] += add[j]
			}
		}
		isFem := make([]bool, h)
		for _, s := range r.Perm(int(h))[:fem] {
			isFem[s] = true
		}
		for j := range h {
			age := ages.draw(r, isFem[j])
			w.Slots = append(w.Slots, Slot{
				ID: id(int(j)), Muni: mi, Held: true, List: int(lists[j]), Ceiling: Some(int(ceil[j])),
				Age: age, Female: isFem[j], Specialist: drawSpecialist(r, age),
				Salaried: drawSalaried(r, k.class, 1),
			})
			if lists[j] > legalMaxList {
				overMax++
			}
			nCeil += ceil[j]
		}
		// The vacant slots share the orphans as evenly as integers allow.
		if v > 0 {
			for j, l := range evenSplit(orphans, v) {
				w.Slots = append(w.Slots, Slot{
					ID: id(int(h) + j), Muni: mi, List: int(l),
					Salaried: drawSalaried(r, k.class, 1),
				})
			}
		}
		nHeld += h
		nVacant += v
		nListed += listed
		nOrphans += orphans
		nFem += fem
	}

	var n notes
	n.add("%d municipalities (2024 borders); from the 2025 register: %d held slots (%d women), %d vacant slots, "+
		"%d persons on lists with a GP, %d on lists without, total ceilings %d",
		len(w.Municipalities), nHeld, nFem, nVacant, nListed, nOrphans, nCeil)
	n.count(int64(len(imputed)), "%d municipalities without 2025 register statistics imputed (%s): population = "+
		"1 Jan 2026, GPs = ceil(population / mean list with a GP of the centrality class in 2025), everyone listed, "+
		"no vacant slots, ceilings = lists: %d GPs, %d persons", codeList(imputed), impGPs, impPersons)
	n.count(capBelow, "%d municipalities with capacity_sum_listetak below the persons on lists with a GP: total "+
		"ceilings raised to the persons listed (%d places added)", capRaised)
	n.count(noOpenSpread, "%d municipalities with free places but n_open_lists = 0: free places spread over all lists")
	n.count(openNoFree, "%d municipalities reporting open lists but no free places (capacity <= listed): every ceiling = its list")
	n.count(freeBelowOpen, "%d municipalities with fewer free places than open lists: some chosen lists get none")
	n.count(thin, "%d municipalities where the free places spread over n_open_lists give at most 20 per list "+
		"(SSB counts a list as open above 20)")
	n.count(openAboveHeld, "%d municipalities with n_open_lists above the held slots: capped at the held slots")
	n.count(femaleAboveHeld, "%d municipalities with n_female_gps above the held slots: capped at the held slots")
	n.count(noGPListed, "%d municipalities with persons on lists with a GP but no GP: the %d persons put on orphan lists",
		noGPListedPersons)
	n.count(noGPCapacity, "%d municipalities with capacity but no GP: capacity dropped")
	n.count(orphansNoVacant, "%d municipalities with persons on lists without a GP but no vacant slot: one vacant slot added")
	n.count(emptyVacant, "%d municipalities with vacant slots but no persons on them: empty orphan lists")
	n.count(overMax, "%d held lists above the legal maximum of %d persons (drawn from the 2011 spread)", legalMaxList)
	n.add("list lengths of held slots: ratios to the municipality mean drawn from the 2011 lists with a GP of the "+
		"same centrality class (%s ratios by class 1-6), scaled and rounded by largest remainder to the register total",
		poolSizes(pool))
	n.add("drawn (fixed seed): age Normal(%.2f women / %.2f men, %.1f) clipped to [%d, %d] (female share %.3f, mean 47 "+
		"before clipping); specialist P = 1/(1+exp(-(%.2f + %.2f (age - 47)))) (about 62 %%); salaried with "+
		"probability %v by centrality class 1-6, vacant slots alike",
		ages.meanF, ages.meanM, ageSD, ageLow, ageHigh, pF, specB0, specB1, salariedByClass[1:])
	n.add("money: 2025 NOK (nok_index %v), baseline risk-adjusted capitation NOK %.2f per average person "+
		"(the 2023 patient-adjusted grant approximated by sex and age only)", nokIndex2025, rate2025)
	missing := 0
	for i := range w.Municipalities {
		m := &w.Municipalities[i]
		m.Composition = src.pop[m.Code]
		if m.Composition == nil {
			missing++
		}
	}
	if missing > 0 {
		return nil, fmt.Errorf("%s: %d municipalities without population by sex and age", filePop, missing)
	}
	n.add("population composition by sex and age band from %s (1 Jan 2025), applied to each municipality's population", filePop)
	w.Notes = n
	return w, nil
}

// slotID returns the stable ID of the j-th slot (from 0) of a municipality:
// "<code>-<nnnn>", e.g. "0301-0001".
func slotID(code string, j int) string {
	b := make([]byte, 0, len(code)+6)
	b = append(b, code...)
	b = append(b, '-')
	n := strconv.Itoa(j + 1)
	for range 4 - len(n) {
		b = append(b, '0')
	}
	return string(append(b, n...))
}

func poolSizes(pool [maxCentrality + 1][]float64) string {
	s := make([]string, 0, maxCentrality)
	for c := minCentrality; c <= maxCentrality; c++ {
		s = append(s, fmt.Sprint(len(pool[c])))
	}
	return strings.Join(s, "/")
}

// build2011 builds norway-2011 (MODEL.md "The embedded worlds"): one slot
// per list of October 2011, vacant lists as vacant slots keeping their lists
// as orphan lists. Municipalities (2024 borders) in code order, those with no
// list left out; within one, slots in file order with IDs "<code>-<nnnn>".
// A GP's age and specialist flag come from a generator seeded by its gp_id,
// so a GP holding two lists is two agents with the same sex, age and flag;
// contracts come from the municipality's generator, in slot order.
func build2011(src *sources) (*World, error) {
	var (
		dropped                   []string
		droppedVacant             int64
		droppedPersons            int64
		byMuni                    = map[string][]int{} // indices into src.lists
		lists                     = map[string]int{}   // lists per gp_id
		female, held              int64
		unknownCeil, unknownVac   int64
		shared, overMax, noGP     int64
		nHeld, nVacant, nPersons  int64
		nOrphans, nFemale, nSalar int64
	)
	for i, l := range src.lists {
		if l.muni == "" {
			dropped = append(dropped, l.listID)
			droppedPersons += l.size
			if l.vacant {
				droppedVacant++
			}
			continue
		}
		byMuni[l.muni] = append(byMuni[l.muni], i)
		if !l.vacant {
			held++
			if l.female {
				female++
			}
		}
	}
	var twoLists, twoListsData int64
	for _, l := range src.lists {
		if !l.vacant && l.gpID != "" {
			lists[l.gpID]++
		}
	}
	for _, c := range lists {
		if c > 1 {
			twoListsData++
		}
	}
	kept := map[string]int{}
	for _, ls := range byMuni {
		for _, i := range ls {
			if l := &src.lists[i]; !l.vacant && l.gpID != "" {
				kept[l.gpID]++
			}
		}
	}
	for _, c := range kept {
		if c > 1 {
			twoLists++
		}
	}

	pF := float64(female) / float64(held)
	ages := newAgeModel(pF)
	type person struct {
		age        int
		specialist bool
	}
	people := map[string]person{}
	rs, ps := newStream(), newStream() // municipality and GP streams

	w := &World{
		AgesDrawn:      true,
		Municipalities: make([]Municipality, 0, len(src.kommuner)),
		Slots:          make([]Slot, 0, len(src.lists)),
		Name:           Norway2011,
		Year:           2011,
		Source: "every GP list of October 2011 from Helfo's public MinFastlege list page (" + fileLists +
			"), municipalities in 2024 borders and centrality classes from " + fileKommuner +
			"; built by listetak/world, sources in world/data/SOURCES.md",
		NokIndex: nokIndex2011,
		Baseline: finance.Spec{Rate: rate2011},
	}
	var leftOut []string
	for _, k := range src.kommuner {
		ls := byMuni[k.code]
		if len(ls) == 0 {
			leftOut = append(leftOut, k.code+" "+k.name)
			continue
		}
		r := rs.reset(Norway2011, k.code)
		mi := len(w.Municipalities)
		var p int64
		for j, li := range ls {
			l := &src.lists[li]
			// Ceiling = listetak_implied where known, else the list length
			// (a full list), for vacant slots too (the last holder's).
			c := l.implied
			if c < 0 {
				c = l.size
				unknownCeil++
				if l.vacant {
					unknownVac++
				}
			}
			s := Slot{
				ID: slotID(k.code, j), Muni: mi, Held: !l.vacant,
				List: int(l.size), Ceiling: Some(int(c)),
				Salaried: drawSalaried(r, k.class, salariedScale2011),
			}
			if s.Held {
				key := l.gpID
				if key == "" {
					key = "list " + l.listID
					noGP++
				}
				g, ok := people[key]
				if !ok {
					pr := ps.reset(Norway2011, "gp", key)
					g.age = ages.draw(pr, l.female)
					g.specialist = drawSpecialist(pr, g.age)
					people[key] = g
				}
				s.Female, s.Age, s.Specialist = l.female, g.age, g.specialist
				nHeld++
				if l.female {
					nFemale++
				}
			} else {
				nVacant++
				nOrphans += l.size
			}
			if s.Salaried {
				nSalar++
			}
			if l.shared {
				shared++
			}
			if l.size > legalMaxList {
				overMax++
			}
			p += l.size
			w.Slots = append(w.Slots, s)
		}
		// P_m = persons on lists in m (MODEL.md, as for norway-2025).
		w.Municipalities = append(w.Municipalities, Municipality{
			Code: k.code, Name: k.name, Population: p, Centrality: k.class,
		})
		nPersons += p
	}

	var n notes
	n.add("%d municipalities (2024 borders) with lists; %d slots: %d held (%d women), %d vacant; %d persons on lists, "+
		"%d of them on vacant lists; %d salaried slots drawn",
		len(w.Municipalities), len(w.Slots), nHeld, nFemale, nVacant, nPersons, nOrphans, nSalar)
	n.count(int64(len(dropped)), "%d lists without a municipality (no practice address) dropped: list_id %s "+
		"(%d vacant, %d persons)", strings.Join(dropped, ", "), droppedVacant, droppedPersons)
	n.count(int64(len(leftOut)), "%d municipalities with no list left out: %s", strings.Join(leftOut, ", "))
	n.count(twoLists, "%d GPs holding two lists: two agents each (same sex, age and specialist flag); "+
		"%d such GPs in the data, before the drop", twoListsData)
	n.count(unknownCeil, "%d lists with unknown ceiling (no free places: a full list): ceiling = list length "+
		"(%d of them vacant)", unknownVac)
	n.count(noGP, "%d held lists without gp_id: each its own GP")
	n.count(shared, "%d shared lists kept as ordinary slots")
	n.count(overMax, "%d lists above the legal maximum of %d persons kept as they are", legalMaxList)
	n.add("drawn (fixed seed): age Normal(%.2f women / %.2f men, %.1f) clipped to [%d, %d] (female share %.3f, mean 47 "+
		"before clipping); specialist P = 1/(1+exp(-(%.2f + %.2f (age - 47)))) (about 62 %%); salaried with "+
		"%v x the 2025 probabilities %v by centrality class 1-6, vacant slots alike",
		ages.meanF, ages.meanM, ageSD, ageLow, ageHigh, pF, specB0, specB1, salariedScale2011, salariedByClass[1:])
	n.add("money: 2011 NOK (nok_index %v), baseline flat capitation NOK %v (an assumption: no verified 2011 rate)",
		nokIndex2011, rate2011)
	w.Notes = n
	return w, nil
}
