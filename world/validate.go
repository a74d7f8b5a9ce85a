package world

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// maxErrors caps the problems reported at once by ReadDir and Validate; the
// rest are counted in a last message.
const maxErrors = 50

// Bounds of the values a world may hold (DATA.md section 1).
const (
	minCentrality = 1   // most central class (SSB KLASS 128)
	maxCentrality = 6   // least central class
	minAge        = 18  // youngest plausible GP age
	maxAge        = 100 // oldest plausible GP age
)

// errList collects errors up to maxErrors and counts the rest.
type errList struct {
	errs []error
	more int
}

func (e *errList) add(err error) {
	if len(e.errs) < maxErrors {
		e.errs = append(e.errs, err)
		return
	}
	e.more++
}

func (e *errList) addf(format string, args ...any) { e.add(fmt.Errorf(format, args...)) }

func (e *errList) len() int { return len(e.errs) + e.more }

// err returns all collected errors joined, nil if none.
func (e *errList) err() error {
	errs := e.errs
	if e.more > 0 {
		errs = append(slices.Clip(errs), fmt.Errorf("... and %d more problems", e.more))
	}
	return errors.Join(errs...)
}

// issue is one problem with a municipality or a slot found by checkWorld,
// the consistency rules that ReadDir and Validate share (DATA.md section 1).
// ReadDir names it by file and line, Validate by code or slot ID.
type issue struct {
	slot  bool   // false: a municipality
	row   int    // index into World.Municipalities or World.Slots
	col   string // the column of the world file the value comes from
	msg   string
	first int // for a duplicate: the index of the first occurrence, else -1
}

// skipFunc reports whether a value is already known to be bad (it failed to
// parse), so that checkWorld does not report it twice.
type skipFunc func(slot bool, row int, col string) bool

// checkWorld applies the rules of DATA.md section 1 that do not depend on
// how the values were written: ranges, uniqueness, list_length <= ceiling for
// held slots and lists summing to at most the population.
func checkWorld(w *World, skip skipFunc) []issue {
	if skip == nil {
		skip = func(bool, int, string) bool { return false }
	}
	var iss []issue
	add := func(slot bool, row int, col, format string, args ...any) {
		if !skip(slot, row, col) {
			iss = append(iss, issue{slot: slot, row: row, col: col, msg: fmt.Sprintf(format, args...), first: -1})
		}
	}
	codes := make(map[string]int, len(w.Municipalities))
	for i := range w.Municipalities {
		m := &w.Municipalities[i]
		switch {
		case m.Code == "":
			add(false, i, "code", "missing value")
		case strings.TrimSpace(m.Code) != m.Code:
			add(false, i, "code", "%q has leading or trailing space", m.Code)
		default:
			if j, dup := codes[m.Code]; dup {
				if !skip(false, i, "code") {
					iss = append(iss, issue{row: i, col: "code", msg: fmt.Sprintf("duplicate code %q", m.Code), first: j})
				}
			} else {
				codes[m.Code] = i
			}
		}
		if strings.TrimSpace(m.Name) != m.Name {
			add(false, i, "name", "%q has leading or trailing space", m.Name)
		}
		if m.Population < 0 {
			add(false, i, "population", "population %d is negative", m.Population)
		} else if m.Population > MaxPopulation {
			add(false, i, "population", "population %d is above %d (a unit or typing error)", m.Population, MaxPopulation)
		}
		if m.Centrality < minCentrality || m.Centrality > maxCentrality {
			add(false, i, "centrality", "centrality %d is outside %d..%d", m.Centrality, minCentrality, maxCentrality)
		}
		if g := m.Growth; g.OK && (!finite(g.V) || math.Abs(g.V) > MaxGrowth) {
			add(false, i, "growth", "growth %v is not a yearly rate in [-%g, %g] (0.05 is 5 %% a year)", g.V, MaxGrowth, MaxGrowth)
		}
		if e := m.ExtraHours; e.OK && (!finite(e.V) || e.V < 0) {
			add(false, i, "extra_hours", "extra_hours %v is not a finite number of hours >= 0", e.V)
		}
		if n := m.MinGPs; n.OK && n.V < 0 {
			add(false, i, "min_gps", "min_gps %d is negative", n.V)
		}
	}

	ids := make(map[string]int, len(w.Slots))
	listed := make([]int64, len(w.Municipalities)) // saturating sums of lists
	for i := range w.Slots {
		s := &w.Slots[i]
		switch {
		case s.ID == "":
			add(true, i, "slot_id", "missing value")
		case strings.TrimSpace(s.ID) != s.ID:
			add(true, i, "slot_id", "%q has leading or trailing space", s.ID)
		default:
			if j, dup := ids[s.ID]; dup {
				if !skip(true, i, "slot_id") {
					iss = append(iss, issue{slot: true, row: i, col: "slot_id", msg: fmt.Sprintf("duplicate slot_id %q", s.ID), first: j})
				}
			} else {
				ids[s.ID] = i
			}
		}
		if s.Muni < 0 || s.Muni >= len(w.Municipalities) {
			add(true, i, "municipality", "municipality index %d is not one of the %d municipalities", s.Muni, len(w.Municipalities))
		} else if s.List >= 0 && !skip(true, i, "list_length") {
			listed[s.Muni] = satAdd(listed[s.Muni], int64(s.List))
		}
		if s.List < 0 {
			add(true, i, "list_length", "list_length %d is negative", s.List)
		} else if s.List > MaxList {
			add(true, i, "list_length", "list_length %d is above %d", s.List, MaxList)
		}
		c := s.Ceiling
		switch {
		case c.OK && c.V < 0:
			add(true, i, "ceiling", "ceiling %d is negative", c.V)
		case c.OK && c.V > MaxList:
			add(true, i, "ceiling", "ceiling %d is above %d", c.V, MaxList)
		case s.Held && !c.OK:
			add(true, i, "ceiling", "missing value, required for a held slot")
		case s.Held && s.List > c.V && !skip(true, i, "list_length"):
			add(true, i, "ceiling", "list_length %d exceeds ceiling %d", s.List, c.V)
		}
		if (s.Held || s.Age != 0) && (s.Age < minAge || s.Age > maxAge) {
			add(true, i, "age", "age %d is outside %d..%d", s.Age, minAge, maxAge)
		}
		if y := s.ContractYears; y.OK && y.V < 0 {
			add(true, i, "contract_years", "contract_years %d is negative", y.V)
		}
		if v := s.LeisureValue; v.OK && (!finite(v.V) || v.V < 0) {
			add(true, i, "leisure_value", "leisure_value %v is not a finite value >= 0", v.V)
		}
		if v := s.LossAversion; v.OK && (!finite(v.V) || v.V < 1) {
			add(true, i, "loss_aversion", "loss_aversion %v is not a finite factor >= 1", v.V)
		}
		// A staff step of 0 would make floor(L / sigma) undefined (MODEL.md,
		// practice cost), so it must be positive, not only non-negative.
		if v := s.StaffStep; v.OK && (!finite(v.V) || v.V <= 0) {
			add(true, i, "staff_step", "staff_step %v is not a finite number of persons > 0", v.V)
		}
		if v := s.ReferenceIncome; v.OK && !finite(v.V) {
			add(true, i, "reference_income", "reference_income %v is not finite", v.V)
		}
		if v := s.LastIncome; v.OK && !finite(v.V) {
			add(true, i, "last_income", "last_income %v is not finite", v.V)
		}
		if v := s.Appeal; v.OK && !finite(v.V) {
			add(true, i, "appeal", "appeal %v is not finite", v.V)
		}
		if y := s.VacantYears; y.OK && y.V < 0 {
			add(true, i, "vacant_years", "vacant_years %d is negative", y.V)
		}
	}
	for i := range w.Municipalities {
		m := &w.Municipalities[i]
		if m.Population >= 0 && listed[i] > m.Population {
			add(false, i, "population", "the lists in %s sum to %s persons, more than its population %d",
				m.Code, satString(listed[i]), m.Population)
		}
	}
	return iss
}

// Validate reports every problem with the world at once (up to 50): the rules
// ReadDir enforces (DATA.md section 1), the money index, the baseline
// scheme and the population table (World.Population). WriteDir refuses a world that does not validate, so every folder it
// writes reads back.
// Bounds that catch unit and typing errors before they overflow a run: no
// municipality has 100 million residents (Norway has 5.6 million), and no
// list or ceiling 100,000 persons (the legal maximum ceiling is 2,500; a
// list without a GP can be longer, but not by a factor 40).
const (
	MaxPopulation = 100_000_000
	MaxList       = 100_000
)

// MaxGrowth bounds a municipality's yearly growth rate in absolute value:
// no Norwegian municipality has changed by more than a few per cent a year
// (SSB 07459), so a larger value is a unit error (5 meant as 5 %).
const MaxGrowth = 0.5

func (w *World) Validate() error {
	var errs errList
	if !finite(w.NokIndex) || w.NokIndex < 0 {
		errs.addf("nok_index: %v is not a finite index > 0 (or 0 for 1)", w.NokIndex)
	}
	if err := w.Baseline.Validate("baseline"); err != nil {
		for _, e := range unjoin(err) {
			errs.add(e)
		}
	}
	for _, is := range checkWorld(w, nil) {
		errs.add(&Problem{Column: is.col, text: w.describe(is)})
	}
	if w.Population != nil {
		for _, e := range w.Population.problems() {
			errs.add(e)
		}
	}
	return errs.err()
}

// Problem is one problem Validate finds with a municipality's or a slot's
// value. Its text names the row and the column and quotes the value;
// Column alone says what is wrong without the value, for worlds built from
// personal data (calibrate.WorldFromRegister).
type Problem struct {
	Column string // the column of the world file, e.g. "ceiling"
	text   string
}

// Error implements error.
func (p *Problem) Error() string { return p.text }

// describe formats an issue by municipality code or slot ID.
func (w *World) describe(is issue) string {
	name := func(slot bool, row int) string {
		if slot {
			return fmt.Sprintf("slot %d (%q)", row, w.Slots[row].ID)
		}
		return fmt.Sprintf("municipality %d (%q)", row, w.Municipalities[row].Code)
	}
	msg := is.msg
	if is.first >= 0 {
		msg += " (first: " + name(is.slot, is.first) + ")"
	}
	return fmt.Sprintf("%s: column %q: %s", name(is.slot, is.row), is.col, msg)
}

// unjoin splits an errors.Join error into its parts.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// satAdd adds two non-negative numbers, saturating at math.MaxInt64.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func satString(x int64) string {
	if x == math.MaxInt64 {
		return "more than 9223372036854775807"
	}
	return fmt.Sprint(x)
}
