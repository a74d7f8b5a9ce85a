package calibrate

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"listetak/world"
)

// WorldFromRegister returns the starting state of register panel p's first
// year, so a register can be calibrated without a world of that year:
//
//   - municipalities: base's (growth, duty hours, composition, names),
//     with the centrality the register gives them in its first year and,
//     where my has the first year, its population;
//   - slots: one held slot per GP of the first year (list, ceiling, age,
//     sex, specialist, contract; the years in the slot are unknown, so no
//     guarantee applies), then my's vacant slots of the first year, which
//     share the municipality's residents without a GP as evenly as
//     integers allow (as world.Build does with the 2025 statistics). A
//     list above its ceiling, which real registers contain, starts with
//     the ceiling raised to the list.
//
// The agents' unobserved values are drawn at the start of each replication
// (MODEL.md "Starting state"). The world holds register records: it is
// kept in memory and never written. A municipality of the register that
// base lacks is an error (by code and row count only).
func WorldFromRegister(base *world.World, p *Panel, my *MuniYears) (*world.World, error) {
	if len(p.Rows) == 0 {
		return nil, errors.New("world from register: the register has no rows")
	}
	w := base.Clone()
	w.Year = p.FirstYear
	w.Name = fmt.Sprintf("%s-register-%d", base.Name, p.FirstYear)
	// Marked as personal data whatever the register (a synthetic one
	// cannot be told from a real one): no trace may write its GPs.
	w.PersonalData = true
	w.Slots = nil
	idx := map[string]int{}
	for i, m := range w.Municipalities {
		idx[m.Code] = i
	}
	// The register's municipality indexes into base's.
	where := make([]int, len(p.Munis))
	missing := map[string]int{}
	for i, code := range p.Munis {
		j, ok := idx[code]
		if !ok {
			j = -1
		}
		where[i] = j
	}
	seenCentrality := make([]bool, len(w.Municipalities))
	held := 0
	for i := range p.Rows {
		r := &p.Rows[i]
		if int(r.Year) != p.FirstYear {
			continue
		}
		m := where[r.Muni]
		if m < 0 {
			missing[p.Munis[r.Muni]]++
			continue
		}
		if !seenCentrality[m] {
			w.Municipalities[m].Centrality = int(r.Centrality)
			seenCentrality[m] = true
		}
		held++
		w.Slots = append(w.Slots, world.Slot{
			ID: fmt.Sprintf("register-%d", held), Muni: m, Held: true,
			List: int(r.List), Ceiling: world.Some(int(max(r.Ceiling, r.List))),
			Age: r.Age(), Female: r.Female, Specialist: r.Specialist == 1, Salaried: r.Salaried,
		})
	}
	if len(missing) > 0 {
		codes := make([]string, 0, len(missing))
		for c, n := range missing {
			codes = append(codes, fmt.Sprintf("%s (%d GPs)", c, n))
		}
		slices.Sort(codes)
		return nil, fmt.Errorf("world from register: world %s has no municipality %s of the register's first year %d", base.Name, strings.Join(codes, ", "), p.FirstYear)
	}
	if my != nil {
		vacant := 0
		for m := range w.Municipalities {
			v, ok := my.ByKey[MuniYearKey{w.Municipalities[m].Code, p.FirstYear}]
			if !ok {
				continue
			}
			w.Municipalities[m].Population = v.Population
			for k := range v.Vacant {
				// Orphans shared as evenly as integers allow: the first
				// Orphans mod Vacant slots get one more.
				l := v.Orphans / v.Vacant
				if k < v.Orphans%v.Vacant {
					l++
				}
				vacant++
				w.Slots = append(w.Slots, world.Slot{ID: fmt.Sprintf("vacant-%d", vacant), Muni: m, List: int(l)})
			}
		}
	}
	// Slots grouped by municipality, held before vacant (world.Build's order).
	slices.SortStableFunc(w.Slots, func(a, b world.Slot) int { return a.Muni - b.Muni })
	if err := w.Validate(); err != nil {
		return nil, fmt.Errorf("world from register: the register's first year %d does not make a valid world: %s", p.FirstYear, problemColumns(err))
	}
	return w, nil
}

// problemColumns summarises a world validation error without its values
// (which would be register records): the number of problems and the
// columns they concern.
func problemColumns(err error) string {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var cols []string
	for _, e := range errs {
		var p *world.Problem
		if errors.As(e, &p) && !slices.Contains(cols, p.Column) {
			cols = append(cols, p.Column)
		}
	}
	slices.Sort(cols)
	return fmt.Sprintf("%d problems in columns %s", len(errs), strings.Join(cols, ", "))
}
