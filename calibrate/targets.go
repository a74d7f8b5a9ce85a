package calibrate

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"listetak/sim"
)

// Target is one published national aggregate: a moment's observed value
// in one calendar year and group, with its standard error (same unit).
type Target struct {
	Moment string  // a documented target moment or a sim metric name
	Year   int     // calendar year; the value is at 31 December
	Group  string  // a group of the moment, or "all"
	Value  float64 // the published number, in the moment's unit
	SE     float64 // its standard error (> 0), same unit
	// Rounding is the published figure's rounding unit where it is coarser
	// than the moment's (a figure printed as "about 50" read as 40..60:
	// 20); 0 for the moment's own. SERule floors the se at half of it.
	Rounding float64
	Source   string // where the number comes from (kept, not used)
	Note     string // free text (kept, not used)
	Line     int    // line in the file it was read from (0: none)
}

// Key returns "moment[group@year]", the row's identity.
func (t Target) Key() string { return fmt.Sprintf("%s[%s@%d]", t.Moment, t.Group, t.Year) }

// moment returns the row as an observed moment: the name is the target
// moment, the group "year=Y" (group all) or "group=G,year=Y".
func (t Target) moment() Moment {
	g := fmt.Sprintf("year=%d", t.Year)
	if t.Group != GroupAll {
		g = "group=" + t.Group + "," + g
	}
	return Moment{Name: t.Moment, Group: g, Value: t.Value}
}

// Targets is a targets file: its name (a path, or a built-in name) and
// rows in file order.
type Targets struct {
	Name string
	Rows []Target
}

// GroupAll is the group of a moment of the whole country (or world).
const GroupAll = "all"

// TargetCheck is what a targets file is checked against: the world's year
// (model year 0, whose state is taken as 31 December of it) and the
// simulated years. A row's year minus WorldYear must lie in 1..Years;
// Years 0 leaves the upper end open (the horizon is then taken from the
// file: see LastYear).
type TargetCheck struct {
	WorldYear int
	Years     int
}

// Columns of a targets file.
var (
	targetRequired = []string{"moment", "year", "group", "value", "se"}
	targetColumns  = append(slices.Clone(targetRequired), "rounding", "source", "note")
)

// ReadTargets reads and checks a targets file (CSV): see ParseTargets.
func ReadTargets(file string, c TargetCheck) (*Targets, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return ParseTargets(file, data, c)
}

// ParseTargets parses a targets file's bytes (name prefixes messages). The
// header is moment,year,group,value,se with optional source and note, in
// any order. Every problem is reported at once (up to 50), each as
// "name:line:column: column "x": ...", and no Targets is returned when
// there is any: a missing or unknown column, an empty file or one without
// rows, an unknown moment (neither a documented target moment nor a sim
// metric name), a group the moment does not have, a year that is not an
// integer or not a simulated year (year - WorldYear outside 1..Years), a
// value or se that is not a finite number, an se not above 0, and a second
// row of the same (moment, year, group).
func ParseTargets(name string, data []byte, c TargetCheck) (*Targets, error) {
	src, errs := csvSource(name, data, targetRequired)
	if src == nil {
		return nil, errs.err()
	}
	for col, j := range src.idx {
		if !slices.Contains(targetColumns, col) {
			errs.addf("%s:1:%d: column %q: unknown column (want %s)", name, j+1, col, strings.Join(targetColumns, ", "))
		}
	}
	if len(src.rows) == 0 && len(errs.errs) == 0 {
		errs.addf("%s:2: no target rows", name)
	}
	t := &Targets{Name: name}
	seen := map[string]int{}
	metrics := sim.MetricNames()
	for i := range src.rows {
		r, ok := parseTarget(src, errs, i, c, metrics)
		if !ok {
			continue
		}
		if first, dup := seen[r.Key()]; dup {
			errs.addf("%s: column %q: duplicate row: moment %s, year %d, group %s already on line %d", targetAt(src, i, "moment"), "moment", r.Moment, r.Year, r.Group, first)
			continue
		}
		seen[r.Key()] = r.Line
		t.Rows = append(t.Rows, r)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return t, nil
}

// targetAt returns "name:line:column" of row i's cell in col.
func targetAt(src *source, i int, col string) string {
	return fmt.Sprintf("%s:%d", src.where(i), src.idx[col]+1)
}

// lineOf returns the line number of row i.
func lineOf(src *source, i int) int {
	w := src.where(i)
	n, _ := strconv.Atoi(w[strings.LastIndexByte(w, ':')+1:])
	return n
}

// parseTarget checks row i; false when it has a problem (reported).
func parseTarget(src *source, errs *errList, i int, c TargetCheck, metrics []string) (Target, bool) {
	ok := true
	bad := func(col, format string, args ...any) {
		errs.addf("%s: column %q: %s", targetAt(src, i, col), col, fmt.Sprintf(format, args...))
		ok = false
	}
	cell := func(col string) string { s, _ := src.cell(i, col); return s }
	r := Target{Moment: cell("moment"), Group: cell("group"), Source: cell("source"), Note: cell("note"), Line: lineOf(src, i)}
	groups, known := momentGroups(r.Moment, metrics)
	switch {
	case r.Moment == "":
		bad("moment", "empty (required)")
	case !known:
		bad("moment", "unknown moment %q (want one of %s, or a simulation metric's name)", r.Moment, strings.Join(targetMomentNames(), ", "))
	case !slices.Contains(groups, r.Group):
		bad("group", "moment %s has no group %q (want %s)", r.Moment, r.Group, strings.Join(groups, ", "))
	}
	y, err := strconv.Atoi(cell("year"))
	switch {
	case err != nil:
		bad("year", "not an integer year")
	case y-c.WorldYear < 1 || (c.Years > 0 && y-c.WorldYear > c.Years):
		bad("year", "%d is not a simulated year (%s)", y, c.rangeText())
	}
	r.Year = y
	num := func(col string) float64 {
		v, err := strconv.ParseFloat(cell(col), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			bad(col, "not a finite number")
			return math.NaN()
		}
		return v
	}
	r.Value = num("value")
	if r.SE = num("se"); r.SE <= 0 {
		bad("se", "standard error %v is not above 0", r.SE)
	}
	if cell("rounding") != "" {
		if r.Rounding = num("rounding"); r.Rounding < 0 {
			bad("rounding", "rounding unit %v is negative", r.Rounding)
		}
	}
	return r, ok
}

// rangeText describes the simulated calendar years.
func (c TargetCheck) rangeText() string {
	if c.Years > 0 {
		return fmt.Sprintf("world year %d and %d simulated years: %d..%d", c.WorldYear, c.Years, c.WorldYear+1, c.WorldYear+c.Years)
	}
	return fmt.Sprintf("world year %d: from %d", c.WorldYear, c.WorldYear+1)
}

// LastYear returns the latest year of the rows (0 without rows).
func (t *Targets) LastYear() int {
	y := 0
	for _, r := range t.Rows {
		y = max(y, r.Year)
	}
	return y
}

// Until returns the targets of years up to and including year (the rows
// in file order; the name gains "<=year"), for a fit that holds the later
// years out of sample. It is an error when no row is left.
func (t *Targets) Until(year int) (*Targets, error) {
	out := &Targets{Name: fmt.Sprintf("%s<=%d", t.Name, year)}
	for _, r := range t.Rows {
		if r.Year <= year {
			out.Rows = append(out.Rows, r)
		}
	}
	if len(out.Rows) == 0 {
		return nil, fmt.Errorf("%s: no target rows in years up to %d", t.Name, year)
	}
	return out, nil
}

// WriteTargets writes t in the targets format (header
// moment,year,group,value,se,rounding,source,note; numbers in shortest round-trip
// form), so that ParseTargets reads the same rows back.
func WriteTargets(w io.Writer, t *Targets) error {
	cw := csv.NewWriter(w)
	cw.Write(targetColumns)
	for _, r := range t.Rows {
		rounding := ""
		if r.Rounding > 0 {
			rounding = fmtFloat(r.Rounding)
		}
		cw.Write([]string{r.Moment, strconv.Itoa(r.Year), r.Group, fmtFloat(r.Value), fmtFloat(r.SE), rounding, r.Source, r.Note})
	}
	cw.Flush()
	return cw.Error()
}

//go:embed targets/*.csv
var targetsFS embed.FS

// BuiltinTargetNames returns the names of the embedded targets files (the
// file names in calibrate/targets without .csv).
func BuiltinTargetNames() []string {
	ents, _ := targetsFS.ReadDir("targets")
	var names []string
	for _, e := range ents {
		names = append(names, strings.TrimSuffix(e.Name(), ".csv"))
	}
	return names
}

// LoadTargets reads a targets file named by spec: an embedded name
// (BuiltinTargetNames, e.g. "norway-2011-2019") or a path.
func LoadTargets(spec string, c TargetCheck) (*Targets, error) {
	if slices.Contains(BuiltinTargetNames(), spec) {
		data, err := targetsFS.ReadFile(path.Join("targets", spec+".csv"))
		if err != nil {
			return nil, err
		}
		return ParseTargets(spec+".csv", data, c)
	}
	return ReadTargets(spec, c)
}
