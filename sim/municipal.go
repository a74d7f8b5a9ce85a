package sim

// MuniMetric indexes the per-municipality record (docs/model.md "Outputs
// by area"): counts only, persons or GPs, so that any group of
// municipalities (a county, a centrality or size class, the nation) is
// the sum of its members. The ratios (coverage, mean list, shares) are
// formed from the sums by whoever aggregates (package study).
type MuniMetric int

// The per-municipality counts. Stocks are at the end of the year, flows
// over the year; the national metric of the same name is their sum.
const (
	MuniPopulation           MuniMetric = iota // persons in the municipality
	MuniGPs                                    // GPs holding slots
	MuniSalaried                               // of which on salaried contracts
	MuniVacantSlots                            // slots without a GP
	MuniListsWithoutGP                         // vacant slots with persons on them
	MuniUnfilledNewPositions                   // vacant slots with nobody on them
	MuniNewSlots                               // slots created this year (step 5)
	MuniCapacity                               // sum of ceilings of GPs holding slots
	MuniListed                                 // persons on lists of GPs holding slots
	MuniOnListsWithoutGP                       // persons on lists without a GP
	MuniUnassigned                             // persons on no list (waiting for assignment)
	MuniGPsAge62Plus                           // GPs holding slots aged 62 or more
	MuniGPsAge67Plus                           // GPs holding slots aged 67 or more
	MuniEntries                                // vacant slots filled this year (step 6)
	MuniExits                                  // GPs leaving a slot this year (step 4, any cause)
	NumMuniMetrics                             // number of per-municipality counts
)

// muniMetricNames are the names in output files: the national metric's
// name where one is the sum (orphans_unlisted, orphans_on_vacant_lists,
// ...), so a reader can check the sums.
var muniMetricNames = [NumMuniMetrics]string{
	"population", "gps", "gps_salaried", "vacant_slots", "lists_without_gp", "unfilled_new_positions",
	"new_slots", "capacity", "listed", "orphans_on_vacant_lists", "orphans_unlisted",
	"gps_age_62_plus", "gps_age_67_plus", "entries", "exits",
}

// String returns the count's name in output files.
func (m MuniMetric) String() string { return muniMetricNames[m] }

// MuniMetricNames returns the names of the per-municipality counts in index
// order.
func MuniMetricNames() []string { return append([]string(nil), muniMetricNames[:]...) }

// muniFlow indexes the per-municipality flow counters of a year.
const (
	flowNew = iota
	flowEntries
	flowExits
	numFlows
)

// countFlow adds one to municipality m's flow counter f of this year.
func (s *State) countFlow(m int32, f int) { s.muniFlows[int(m)*numFlows+f]++ }

// resetFlows zeroes this year's per-municipality flow counters.
func (s *State) resetFlows() {
	n := len(s.Munis) * numFlows
	if cap(s.muniFlows) < n {
		s.muniFlows = make([]int32, n)
	}
	s.muniFlows = s.muniFlows[:n]
	clear(s.muniFlows)
}

// RecordMunis writes the current state's per-municipality counts into dst
// (len NumMunis x NumMuniMetrics, municipality-major: dst[m*NumMuniMetrics
// + k]), in the world's municipality order. It allocates nothing.
func (s *State) RecordMunis(dst []float32) {
	nk := int(NumMuniMetrics)
	clear(dst[:len(s.Munis)*nk])
	for m := range s.Munis {
		mu := &s.Munis[m]
		d := dst[m*nk : (m+1)*nk]
		d[MuniPopulation] = float32(mu.Pop)
		d[MuniUnassigned] = float32(mu.Unlisted + mu.Released)
		f := s.muniFlows[m*numFlows : (m+1)*numFlows]
		d[MuniNewSlots], d[MuniEntries], d[MuniExits] = float32(f[flowNew]), float32(f[flowEntries]), float32(f[flowExits])
	}
	for i := range s.Slots {
		sl := &s.Slots[i]
		d := dst[int(sl.Muni)*nk : int(sl.Muni+1)*nk]
		if !sl.Held {
			d[MuniVacantSlots]++
			if sl.List > 0 {
				d[MuniListsWithoutGP]++
			} else {
				d[MuniUnfilledNewPositions]++
			}
			d[MuniOnListsWithoutGP] += float32(sl.List)
			continue
		}
		d[MuniGPs]++
		if sl.Salaried {
			d[MuniSalaried]++
		}
		d[MuniCapacity] += float32(sl.Ceiling)
		d[MuniListed] += float32(sl.List)
		if sl.Age >= 62 {
			d[MuniGPsAge62Plus]++
			if sl.Age >= 67 {
				d[MuniGPsAge67Plus]++
			}
		}
	}
}

// Decision is what a GP's ceiling choice did in a year (step 3).
type Decision int8

// The decisions of step 3.
const (
	DecisionKept    Decision = iota // C* is the ceiling held (salaried GPs and entrants too)
	DecisionRaised                  // a higher ceiling, at once
	DecisionLowered                 // a lower ceiling, approved
	DecisionRefused                 // a lower ceiling, refused: the ceiling stays
)

// String returns the decision's name in traces.
func (d Decision) String() string {
	return [...]string{"kept", "raised", "lowered", "refused"}[d]
}

// Exit is a GP who left a slot in step 4 of the year.
type Exit struct {
	GP      int64 // the GP's id (Slot.GP before it left)
	Slot    int32 // the slot's index
	Retired bool  // retirement; else another exit (a move, a quit)
}
