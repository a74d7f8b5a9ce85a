package calibrate

import (
	"cmp"
	"fmt"
	"slices"
)

// Row is one GP-year of a register panel (DATA.md section 2). Income
// columns are NaN where the register has none; Specialist is -1 where
// unknown; Exit is 1 when the GP left the scheme after this year, 0 when it
// is in the panel the next year, -1 in the panel's last year (censored:
// neither an exit nor a stay).
type Row struct {
	GP         int32 // index into Panel.IDs (simulated panels: the GP's id)
	Year       int32 // register year (calendar year, values at 31 December)
	Muni       int32 // index into Panel.Munis
	Centrality int8  // 1..6
	Female     bool
	Salaried   bool
	Specialist int8 // 0, 1, or -1 unknown
	Exit       int8 // 1, 0, or -1 censored
	BirthYear  int32
	Ceiling    int32   // persons
	List       int32   // persons
	Capitation float64 // NOK in the year; NaN when absent
	Fees       float64 // NOK in the year; NaN when absent
}

// Age returns the GP's age in the row's year (years).
func (r *Row) Age() int { return int(r.Year - r.BirthYear) }

// Panel is a GP-year register panel: one row per GP per year, sorted by GP
// then year, with the exit flag derived (DATA.md section 2). Real register
// panels are personal data: a Panel is only ever summarised into moments
// with small-cell suppression (Suppress), never printed row by row.
type Panel struct {
	FirstYear, LastYear int      // the panel's years (register years)
	IDs                 []string // pseudonymous GP ids by GP index (empty for simulated panels)
	Munis               []string // municipality codes by index
	Rows                []Row
	HasIncome           bool // capitation_income and fee_income are present
	Warnings            Warnings
}

// Warnings counts the register's inconsistencies that real registers
// contain and that are not errors (DATA.md: a list above its ceiling only
// warns).
type Warnings struct {
	ListAboveCeiling int      // rows whose list exceeds the ceiling
	Returns          int      // GPs that come back after a year or more away (counted as exit and entry)
	UnknownColumns   []string // columns ignored
}

// Strings returns the warnings as sentences (counts only: no records).
func (w Warnings) Strings() []string {
	var s []string
	if w.ListAboveCeiling > 0 {
		s = append(s, fmt.Sprintf("%d GP-years have a list above the ceiling (kept as they are)", w.ListAboveCeiling))
	}
	if w.Returns > 0 {
		s = append(s, fmt.Sprintf("%d GPs return after a year or more away (counted as an exit and an entry)", w.Returns))
	}
	for _, c := range w.UnknownColumns {
		s = append(s, fmt.Sprintf("column %q is unknown and was ignored", c))
	}
	return s
}

// Years returns the number of panel years.
func (p *Panel) Years() int { return p.LastYear - p.FirstYear + 1 }

// finish sorts the rows by GP then year, sets the panel's years and derives
// the exit flag from presence: 1 when the GP is absent the next year, 0 when
// present, -1 in the last panel year. It counts returns after a gap.
func (p *Panel) finish() {
	p.sortRows()
	if len(p.Rows) == 0 {
		return
	}
	p.FirstYear, p.LastYear = int(p.Rows[0].Year), int(p.Rows[0].Year)
	for i := range p.Rows {
		y := int(p.Rows[i].Year)
		p.FirstYear, p.LastYear = min(p.FirstYear, y), max(p.LastYear, y)
	}
	p.Warnings.Returns = 0
	for i := range p.Rows {
		r := &p.Rows[i]
		next := i+1 < len(p.Rows) && p.Rows[i+1].GP == r.GP
		switch {
		case int(r.Year) == p.LastYear:
			r.Exit = -1
		case next && p.Rows[i+1].Year == r.Year+1:
			r.Exit = 0
		default:
			r.Exit = 1
			if next {
				p.Warnings.Returns++
			}
		}
	}
}

// sortRows sorts the rows by GP then year. Simulated panels are appended
// year by year with small GP ids, so a stable counting sort by GP does it
// in linear time (the moments of every simulated panel of every
// evaluation need it); other panels use a comparison sort.
func (p *Panel) sortRows() {
	rows := p.Rows
	maxGP, ordered := int32(-1), true
	for i := range rows {
		if rows[i].GP < 0 || (i > 0 && rows[i].Year < rows[i-1].Year) {
			ordered = false
			break
		}
		maxGP = max(maxGP, rows[i].GP)
	}
	if !ordered || int(maxGP) >= 4*len(rows)+16 {
		slices.SortFunc(rows, func(a, b Row) int {
			return cmp.Or(cmp.Compare(a.GP, b.GP), cmp.Compare(a.Year, b.Year))
		})
		return
	}
	start := make([]int, maxGP+2)
	for i := range rows {
		start[rows[i].GP+1]++
	}
	for g := 1; g < len(start); g++ {
		start[g] += start[g-1]
	}
	out := make([]Row, len(rows))
	for i := range rows {
		g := rows[i].GP
		out[start[g]] = rows[i]
		start[g]++
	}
	p.Rows = out
}

// spells calls fn for each GP's rows (a contiguous run of p.Rows).
func (p *Panel) spells(fn func(rows []Row)) {
	for i := 0; i < len(p.Rows); {
		j := i + 1
		for j < len(p.Rows) && p.Rows[j].GP == p.Rows[i].GP {
			j++
		}
		fn(p.Rows[i:j])
		i = j
	}
}

// MuniYear is one row of municipality_years.csv (DATA.md section 2).
type MuniYear struct {
	Population, Orphans, Vacant int64 // persons, persons, slots
}

// MuniYears holds municipality_years.csv: by municipality code and register
// year.
type MuniYears struct {
	ByKey map[MuniYearKey]MuniYear
}

// MuniYearKey identifies a municipality in a register year.
type MuniYearKey struct {
	Code string
	Year int
}
