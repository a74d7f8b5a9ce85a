package sim

import (
	"fmt"

	"listetak/demog"
	"listetak/world"
)

// Snapshot returns the state after its last completed year as a world
// that NewModel accepts (docs/formats.md "A saved state"): the world's
// municipalities with this year's populations, every slot (slots created
// during the run are named "new-INDEX", INDEX the slot's index) with its
// GP's age, contract age and agent values, last and reference income,
// appeal and vacant years, and with list composition the municipalities'
// and lists' persons by sex and age band. Persons on no list are the
// population less the lists, as in any world. The world's year is the
// starting year plus the years completed, its ages are observations
// (AgesDrawn false), and from records where it comes from.
//
// A model of the snapshot continues the replication in distribution, not
// path by path: the next years draw from the new run's streams, and GP ids
// and the record of who held a slot in year 0 start again. The per-cell
// tables stay normalised over the original run's starting persons
// (SavedFrom.StartComposition).
func (s *State) Snapshot(from world.SavedFrom) *world.World {
	src := s.M.World
	w := *src
	w.Year = src.Year + s.Year
	w.AgesDrawn = false
	if s.M.demog != nil {
		from.StartComposition = append([]int64(nil), s.M.demog.nat[:]...)
	}
	w.SavedFrom = &from
	w.Name = fmt.Sprintf("%s-%s-rep%d-year%d", src.Name, from.Scenario, from.Replication, s.Year)
	w.Notes = append(append([]string(nil), src.Notes...),
		fmt.Sprintf("simulated state of replication %d, scenario %s, after model year %d (calendar %d) of world %s, seed %d",
			from.Replication, from.Scenario, s.Year, w.Year, src.Name, from.Seed))
	w.Warnings = nil
	w.Municipalities = make([]world.Municipality, len(src.Municipalities))
	for i, wm := range src.Municipalities {
		wm.Population = s.Munis[i].Pop
		if s.cs != nil {
			c := s.muniComp(i)
			wm.Composition = &c
		}
		w.Municipalities[i] = wm
	}
	w.Slots = make([]world.Slot, len(s.Slots))
	for i := range s.Slots {
		w.Slots[i] = s.snapshotSlot(i)
	}
	return &w
}

// snapshotSlot returns slot i as a world slot.
func (s *State) snapshotSlot(i int) world.Slot {
	sl := &s.Slots[i]
	ws := world.Slot{Muni: int(sl.Muni), Held: sl.Held, List: int(sl.List), Salaried: sl.Salaried,
		Appeal: world.Some(sl.Appeal)}
	if i < len(s.M.World.Slots) {
		ws.ID = s.M.World.Slots[i].ID
	} else {
		ws.ID = fmt.Sprintf("new-%d", i)
	}
	if sl.Ceiling > 0 || sl.Held {
		ws.Ceiling = world.Some(int(sl.Ceiling))
	}
	if s.cs != nil && sl.List > 0 {
		c := demog.Comp(s.cs.slots[i])
		ws.Composition = &c
	}
	if !sl.Held {
		ws.VacantYears = world.Some(sl.VacantYears)
		return ws
	}
	ws.Age, ws.Female, ws.Specialist = sl.Age, sl.Female, sl.Specialist
	if sl.ContractAge < long {
		ws.ContractYears = world.Some(sl.ContractAge)
	}
	ws.LeisureValue = world.Some(sl.W)
	ws.LossAversion = world.Some(sl.Lambda)
	ws.StaffStep = world.Some(sl.Sigma)
	ws.ReferenceIncome = world.Some(sl.Ref)
	ws.LastIncome = world.Some(sl.Last)
	return ws
}
