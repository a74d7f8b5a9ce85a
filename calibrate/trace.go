package calibrate

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"listetak/results"
	"listetak/sim"
	"listetak/world"
)

// A trace is one simulated replication of one scenario written GP by GP
// and year by year (run -trace): the register columns of DATA.md section 2,
// so that ReadRegister reads it back as a panel, and after them what a
// register lacks (TraceColumns).

// TraceColumns are the columns a trace adds after the register's: the
// slot, the GP's age, the ceiling chosen (C*) and what became of it
// (decision: kept, raised, lowered, refused), the other income components
// and hours (NOK/year and hours/year in the world's money), whether the GP
// entered this year, and with exit = 1 the exit's cause (retirement or
// other: a move or a quit).
var TraceColumns = []string{"slot", "age", "ceiling_chosen", "decision", "equalisation", "practice_cost",
	"gross_income", "net_income", "hours", "entrant", "exit_cause"}

// TraceRow is one GP-year of a trace.
type TraceRow struct {
	Row
	Slot                        int32
	Chosen                      int32
	Decision                    sim.Decision
	Eq, Cost, Gross, Net, Hours float64
	Entrant                     bool
	Retired                     bool // with Exit = 1: the GP retired (else another exit)
}

// Trace collects one replication of one scenario (Observe from a
// sim.Observer) and writes it (WriteTraceCSV).
type Trace struct {
	Scenario string
	Rep      int
	// FirstYear is the register year of model year 0 (the world's year).
	FirstYear int
	Rows      []TraceRow
	munis     []string
	centr     []int8
	slotIDs   []string
	retired   map[int64]bool // GP id -> retired, for the GPs who left
	years     int
}

// ErrPersonalData refuses a trace of a world built from a register: its
// rows would be single records of personal data.
var ErrPersonalData = errors.New("the world is built from a register (personal data): a trace would write single GP records; refused")

// NewTrace returns an empty trace of replication rep of a scenario on w.
// A world built from a register is refused (ErrPersonalData).
func NewTrace(w *world.World, scenario string, rep int) (*Trace, error) {
	if w.PersonalData {
		return nil, ErrPersonalData
	}
	t := &Trace{Scenario: scenario, Rep: rep, FirstYear: w.Year, retired: map[int64]bool{}}
	for _, m := range w.Municipalities {
		t.munis = append(t.munis, m.Code)
		t.centr = append(t.centr, int8(m.Centrality))
	}
	for _, s := range w.Slots {
		t.slotIDs = append(t.slotIDs, s.ID)
	}
	return t, nil
}

// Observe records the state after model year (0: the starting state):
// one row per GP holding a slot, and the causes of the year's exits.
func (t *Trace) Observe(year int, st *sim.State) {
	t.years = max(t.years, year+1)
	y := t.FirstYear + year
	for _, e := range st.Exits {
		t.retired[e.GP] = e.Retired
	}
	for i := range st.Slots {
		sl := &st.Slots[i]
		if !sl.Held {
			continue
		}
		t.Rows = append(t.Rows, TraceRow{
			Row:  slotRow(sl, y, t.centr[sl.Muni]),
			Slot: int32(i), Chosen: int32(sl.Chosen), Decision: sl.Decision,
			Eq: sl.Eq, Cost: sl.Cost, Gross: sl.Gross, Net: sl.Net, Hours: sl.Hours,
		})
	}
}

// finish sorts the rows by GP and year and sets exit (1: absent the next
// year, 0: present, -1 in the last year), its cause and the entrant flag
// (first year in the trace after year 0).
func (t *Trace) finish() {
	slices.SortFunc(t.Rows, func(a, b TraceRow) int { return cmp.Or(cmp.Compare(a.GP, b.GP), cmp.Compare(a.Year, b.Year)) })
	last := int32(t.FirstYear + t.years - 1)
	for i := range t.Rows {
		r := &t.Rows[i]
		r.Entrant = r.Year > int32(t.FirstYear) && (i == 0 || t.Rows[i-1].GP != r.GP)
		switch {
		case r.Year == last:
			r.Exit = -1
		case i+1 < len(t.Rows) && t.Rows[i+1].GP == r.GP:
			r.Exit = 0
		default:
			r.Exit = 1
			r.Retired = t.retired[int64(r.GP)]
		}
	}
}

// WriteTraceCSV writes the trace: the register header of WriteRegisterCSV
// and then TraceColumns, one row per GP-year sorted by GP and year. GP ids
// are "gpNNNNNN" (the engine's ids) and slots the world's slot ids (new
// positions: "new-<index>").
func WriteTraceCSV(w io.Writer, t *Trace) error {
	t.finish()
	p := &Panel{Munis: t.munis}
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, registerHeader)
	for _, c := range TraceColumns {
		fmt.Fprint(bw, ",", c)
	}
	fmt.Fprintln(bw)
	for i := range t.Rows {
		r := &t.Rows[i]
		writeRegisterRow(bw, p, &r.Row)
		slot := "new-" + strconv.Itoa(int(r.Slot))
		if int(r.Slot) < len(t.slotIDs) {
			slot = t.slotIDs[r.Slot]
		}
		cause := ""
		if r.Exit == 1 {
			cause = "other"
			if r.Retired {
				cause = "retirement"
			}
		}
		entrant := 0
		if r.Entrant {
			entrant = 1
		}
		fmt.Fprintf(bw, ",%s,%d,%d,%s,%s,%s,%s,%s,%s,%d,%s\n", results.CSVField(slot), r.Age(), r.Chosen, r.Decision,
			fmtFloat(r.Eq), fmtFloat(r.Cost), fmtFloat(r.Gross), fmtFloat(r.Net), fmtFloat(r.Hours), entrant, cause)
	}
	return bw.Flush()
}
