package calibrate

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"listetak/world"
)

// TestWorldFromRegister rebuilds the starting state of a synthetic register
// (Finnmark) from its first year: the held slots' lists, ceilings, ages,
// sexes and contracts, the populations and the vacant slots per
// municipality are the world's; the vacant slots share the residents
// without a GP. The rebuilt world runs, and a register municipality the
// base world lacks is an error that names it without a record.
func TestWorldFromRegister(t *testing.T) {
	s, sm := synthPanel(t, 3)
	w, err := WorldFromRegister(s.World, sm.Panel, sm.Munis)
	if err != nil {
		t.Fatal(err)
	}
	key := func(w *world.World, sl world.Slot) string {
		return fmt.Sprint(w.Municipalities[sl.Muni].Code, sl.List, sl.Ceiling.V, sl.Age, sl.Female, sl.Salaried)
	}
	summary := func(w *world.World) (held []string, vacant map[string]int, pop int64) {
		vacant = map[string]int{}
		for _, sl := range w.Slots {
			if sl.Held {
				held = append(held, key(w, sl))
			} else {
				vacant[w.Municipalities[sl.Muni].Code]++
			}
		}
		for _, m := range w.Municipalities {
			pop += m.Population
		}
		slices.Sort(held)
		return
	}
	h0, v0, p0 := summary(s.World)
	h1, v1, p1 := summary(w)
	if !slices.Equal(h0, h1) {
		t.Errorf("held slots differ: %d in the world, %d rebuilt", len(h0), len(h1))
	}
	if fmt.Sprint(v0) != fmt.Sprint(v1) || p0 != p1 {
		t.Errorf("vacant slots %v, population %d; rebuilt %v, %d", v0, p0, v1, p1)
	}
	var orphans, onVacant int64
	for k, v := range sm.Munis.ByKey {
		if k.Year == sm.Panel.FirstYear && v.Vacant > 0 {
			orphans += v.Orphans
		}
	}
	for _, sl := range w.Slots {
		if !sl.Held {
			onVacant += int64(sl.List)
		}
	}
	if orphans != onVacant {
		t.Errorf("%d residents without a GP in municipalities with vacant slots, %d on the rebuilt vacant slots", orphans, onVacant)
	}
	s2 := *s
	s2.World = w
	if _, err := s2.Simulate(context.Background(), s.Base, 3, 0, 1); err != nil {
		t.Fatal(err)
	}
	// A population below the lists: an error naming the column, not the
	// values.
	small := &MuniYears{ByKey: maps.Clone(sm.Munis.ByKey)}
	k := MuniYearKey{sm.Panel.Munis[sm.Panel.Rows[0].Muni], sm.Panel.FirstYear}
	v := small.ByKey[k]
	v.Population = 1
	small.ByKey[k] = v
	_, err = WorldFromRegister(s.World, sm.Panel, small)
	if err == nil || !strings.Contains(err.Error(), "1 problems in columns population") {
		t.Errorf("population below the lists: %v", err)
	}
	// A base world without the register's municipalities.
	_, err = WorldFromRegister(county(t, "55"), sm.Panel, sm.Munis)
	if err == nil || !strings.Contains(err.Error(), sm.Panel.Munis[0]) {
		t.Errorf("missing municipalities: %v", err)
	}
}
