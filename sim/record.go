package sim

import "math"

// record writes the outputs of the current state and the year's counters
// into s.rec (MODEL.md "Outputs per year").
func (s *State) record() {
	r := s.rec
	clear(r)
	var pop, unlisted, onVacant int64
	for i := range s.Munis {
		mu := &s.Munis[i]
		pop += mu.Pop
		unlisted += mu.Unlisted + mu.Released
	}
	var n, nSelf, nF, nM, nSpec, nAgeLt50 int
	var sumF, sumM, sumSpec, sumNon, sumLt50, sumGe50 float64
	var binN [7]int
	var binNet [7]float64
	for i := range s.Slots {
		sl := &s.Slots[i]
		if !sl.Held {
			r[VacantSlots]++
			onVacant += sl.List
			continue
		}
		n++
		r[Capacity] += float64(sl.Ceiling)
		r[Listed] += float64(sl.List)
		r[MeanHours] += sl.Hours
		r[MeanGrossIncome] += sl.Gross
		r[MeanNetIncome] += sl.Net
		r[CapitationTotal] += sl.Cap
		r[FeesTotal] += sl.Fees
		if sl.Salaried {
			r[GPsSalaried]++
		} else {
			nSelf++
			r[MeanCapitation] += sl.Cap
			r[MeanFees] += sl.Fees
			r[MeanEqualisation] += sl.Eq
			r[MeanPracticeCost] += sl.Cost
			r[EqualisationTotal] += sl.Eq
		}
		if sl.Female {
			nF++
			sumF += sl.Net
		} else {
			nM++
			sumM += sl.Net
		}
		if sl.Specialist {
			nSpec++
			sumSpec += sl.Net
		} else {
			sumNon += sl.Net
		}
		switch a := sl.Age; {
		case a < 40:
			r[GPsAgeLt40]++
		case a < 55:
			r[GPsAge40to54]++
		case a < 67:
			r[GPsAge55to66]++
		default:
			r[GPsAge67Plus]++
		}
		if sl.Age < 50 {
			nAgeLt50++
			sumLt50 += sl.Net
		} else {
			sumGe50 += sl.Net
		}
		b := BinOf(sl.List)
		binN[b]++
		binNet[b] += sl.Net
		r[CeilingBin0to500+Metric(BinOf(sl.Ceiling))]++
	}
	r[Population] = float64(pop)
	r[GPs] = float64(n)
	r[GPsFemale], r[GPsMale] = float64(nF), float64(nM)
	r[GPsSpecialist] = float64(nSpec)
	r[GPsSelfEmployed] = float64(nSelf)
	r[NewSlots] = float64(s.count.newSlots)
	r[Entries] = float64(s.count.entries)
	r[ExitsRetirement] = float64(s.count.exitsRet)
	r[ExitsOther] = float64(s.count.exitsOther)
	r[Orphans] = float64(pop) - r[Listed]
	r[OrphansOnVacantLists] = float64(onVacant)
	r[OrphansUnlisted] = float64(unlisted)
	r[OrphanShare] = ratio(r[Orphans], float64(pop))
	r[Coverage] = ratio(r[Capacity], float64(pop))
	r[MeanList] = ratio(r[Listed], float64(n))
	r[MeanCeiling] = ratio(r[Capacity], float64(n))
	r[MeanHours] = ratio(r[MeanHours], float64(n))
	r[MeanGrossIncome] = ratio(r[MeanGrossIncome], float64(n))
	r[MeanNetIncome] = ratio(r[MeanNetIncome], float64(n))
	r[MeanCapitationAllGPs] = ratio(r[CapitationTotal], float64(n))
	r[MeanFeesAllGPs] = ratio(r[FeesTotal], float64(n))
	r[MeanEqualisationAllGPs] = ratio(r[EqualisationTotal], float64(n))
	r[MeanPracticeCostAllGPs] = ratio(r[MeanPracticeCost], float64(n)) // the sum over self-employed GPs; salaried GPs' is 0
	for _, m := range []Metric{MeanCapitation, MeanFees, MeanEqualisation, MeanPracticeCost} {
		r[m] = ratio(r[m], float64(nSelf))
	}
	r[PublicSpending] = r[CapitationTotal] + r[FeesTotal]
	r[CapacityChangeCeilings] = s.count.dCeil
	r[CapacityChangeExits] = s.count.dExit
	r[CapacityChangeEntries] = s.count.dEntry
	r[CeilingsRaised] = float64(s.count.raised)
	r[CeilingsLowered] = float64(s.count.lowered)
	r[CeilingsRefused] = float64(s.count.refused)
	r[PersonsReleased] = float64(s.count.released)
	r[SlotsConverted] = float64(s.count.converted)
	s.recordV2(n)
	r[MeanCorrectionFactor] = 1
	if cs := s.cs; cs != nil {
		r[Deaths], r[Births] = float64(cs.deaths), float64(cs.births)
		var weighted float64
		for i := range s.Slots {
			if s.Slots[i].Held {
				weighted += cs.slots[i].Dot(&s.M.demog.weights)
			}
		}
		r[MeanCorrectionFactor] = ratio(weighted*cs.wscale, r[Listed])
	}
	r[MeanNetIncomeFemale] = ratio(sumF, float64(nF))
	r[MeanNetIncomeMale] = ratio(sumM, float64(nM))
	r[MeanNetIncomeSpecialist] = ratio(sumSpec, float64(nSpec))
	r[MeanNetIncomeNonSpecialist] = ratio(sumNon, float64(n-nSpec))
	r[MeanNetIncomeAgeLt50] = ratio(sumLt50, float64(nAgeLt50))
	r[MeanNetIncomeAgeGe50] = ratio(sumGe50, float64(n-nAgeLt50))
	for b := range binN {
		r[ListBin0to500+Metric(b)] = float64(binN[b])
		r[NetIncomeBin0to500+Metric(b)] = ratio(binNet[b], float64(binN[b]))
	}
}

// ratio returns a/b, NaN when b is 0 (a mean over an empty group).
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// recordV2 writes the metrics the v2 checks need (docs/model.md
// "Outputs"): lists without a GP and unfilled new positions, open lists,
// turnover, age, contract and sex shares, free places, GPs per 10,000, and
// the grouped metrics by centrality and size class. n is the GPs holding
// slots.
func (s *State) recordV2(n int) {
	r := s.rec
	var gps, listed, onVacant [NumGroups]float64
	var pop [NumGroups]float64
	var age60, age67, female float64
	for i := range s.Munis {
		g := s.groups(int32(i))
		pop[g[0]] += float64(s.Munis[i].Pop)
		pop[g[1]] += float64(s.Munis[i].Pop)
	}
	for i := range s.Slots {
		sl := &s.Slots[i]
		g := s.groups(sl.Muni)
		if !sl.Held {
			if sl.List > 0 {
				r[ListsWithoutGP]++
				if sl.VacantYears >= 2 {
					r[ListsWithoutGPOver1y]++
				}
			} else {
				r[UnfilledNewPositions]++
			}
			onVacant[g[0]] += float64(sl.List)
			onVacant[g[1]] += float64(sl.List)
			continue
		}
		if f := sl.Ceiling - sl.List; f > 0 {
			r[OpenLists]++
			if f > OpenSSBThreshold {
				r[OpenListsSSB]++
			}
		}
		if sl.Age >= 60 {
			age60++
			if sl.Age >= 67 {
				age67++
			}
		}
		if sl.Female {
			female++
		}
		for _, k := range g {
			gps[k]++
			listed[k] += float64(sl.List)
		}
	}
	fn := float64(n)
	r[Switched] = float64(s.count.switched)
	var held, exits int
	for g := range NumCentralityGroups {
		held += s.count.heldStart[g]
		exits += s.count.exitsBy[g]
	}
	r[SlotTurnover] = ratio(float64(exits), float64(held))
	r[GPsShareAge60Plus] = ratio(age60, fn)
	r[GPsShareAge67Plus] = ratio(age67, fn)
	r[SalariedShare] = ratio(r[GPsSalaried], fn)
	r[FemaleShare] = ratio(female, fn)
	r[MeanFreePlaces] = ratio(r[Capacity]-r[Listed], fn)
	r[GPsPer10k] = ratio(1e4*fn, r[Population])
	for g := range NumGroups {
		r[Grouped(MeanListBy, g)] = ratio(listed[g], gps[g])
		r[Grouped(GPsPer10kBy, g)] = ratio(1e4*gps[g], pop[g])
		r[Grouped(OrphanListShareBy, g)] = ratio(onVacant[g], pop[g])
		r[Grouped(SlotTurnoverBy, g)] = ratio(float64(s.count.exitsBy[g]), float64(s.count.heldStart[g]))
	}
}
