package calibrate

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"listetak/sim"
)

// Moment is one statistic of a register panel: a value and the number of
// distinct GPs behind it (for small-cell suppression).
type Moment struct {
	Name  string  // what is measured, e.g. ceiling_q50
	Group string  // the cell, e.g. "sex=F,period=pre"; may be empty
	Value float64 // NaN when the cell is empty
	GPs   int     // distinct GPs in the cell
}

// Key returns "name[group]", the moment's identity.
func (m Moment) Key() string { return m.Name + "[" + m.Group + "]" }

// MomentSpec says which moments to compute. Its zero value computes every
// moment the panel's columns allow, with no reform period.
type MomentSpec struct {
	// ReformYear is the register year from which a reform applies (0:
	// none). Periods: "pre" (years after the first panel year and before the
	// reform), "reform" (its first year, for ceiling changes), "post"
	// (later years; for levels, the reform year and later). Without a reform
	// there is one period, "all".
	ReformYear int
	// Breakpoint splits lists into "short" (<= Breakpoint) and "long" for
	// ceiling changes: the GPs who gain and who lose under a breakpoint
	// reform (default 1,000 persons, the 2019 report's model 1a).
	Breakpoint int
	// Skip lists moment names to leave out.
	Skip []string
}

// defaultBreakpoint is the breakpoint of the report's model 1a (DOMAIN.md).
const defaultBreakpoint = 1000

// Centrality groups of the moments: classes 1-2 (cities), 3-4, 5-6 (rural),
// coarse enough that county cells keep at least a few dozen GPs.
var centralityGroups = []string{"1-2", "3-4", "5-6"}

func centralityGroup(c int8) int { return min(max(int(c)-1, 0)/2, 2) }

// Exit-rate age bands (years). The retirement hazard (a50 = 68, s_a = 2)
// dominates from 62; below 60 exits are the other exits of q0.
var ageBands = []struct {
	name   string
	lo, hi int
}{{"<45", 0, 44}, {"45-59", 45, 59}, {"60-66", 60, 66}, {"67+", 67, 200}}

// listBin returns the list-length bin (sim.ListBins) of list l.
func listBin(l int32) int { return sim.BinOf(int64(l)) }

// MomentDocs says, for each moment name, what it measures and which
// parameters it identifies (the reasoning behind the choice; the
// identification report checks it numerically).
var MomentDocs = map[string]string{
	"ceiling_q25":      "25th percentile of self-employed GPs' ceilings by sex and by centrality group, per period: the level of ceilings, set by leisure values (leisure_median_*) and, after a reform, by the income effect (eta) and loss aversion",
	"ceiling_q50":      "median ceiling (as ceiling_q25)",
	"ceiling_q75":      "75th percentile of ceilings (as ceiling_q25)",
	"list_q25":         "25th percentile of list lengths by sex and centrality group, per period: lists follow ceilings where seekers are many and churn (chi) where free places are many",
	"list_q50":         "median list length (as list_q25)",
	"list_q75":         "75th percentile of list lengths (as list_q25)",
	"full_share":       "share of GP-years with no free places (list = ceiling) by centrality group and period: churn (chi) empties full lists that refill only where seekers outnumber free places",
	"ceiling_up":       "share of self-employed GP-years raising the ceiling, by list (short <= breakpoint, long) and period: after a breakpoint reform short lists gain income (income effect, eta) and long lists lose it (loss aversion)",
	"ceiling_down":     "share of GP-years lowering the ceiling (as ceiling_up): loss-averse GPs (loss_aversion_median) cut less when income falls; the income effect (eta) lowers ceilings as lists and incomes grow",
	"ceiling_rise":     "mean size of a raise in persons, per period (leisure values and eta set how far the optimum moves)",
	"ceiling_cut":      "mean size of a cut in persons, per period",
	"list_change":      "mean absolute yearly list change in persons of GPs whose ceiling did not change, by whether the list was full the year before: churn (chi) moves persons between lists",
	"fill_dispersion":  "standard deviation, within a municipality and year, of list/ceiling among GPs whose ceiling did not change, in municipality-years with at least 3 such GPs and free places on one of their lists: where free places are many, churn (chi) mixes persons across lists and evens out how full they are",
	"fill_persistence": "slope of a GP's deviation from its municipality's mean list/ceiling on its deviation the year before (GPs and municipality-years as fill_dispersion): the faster churn (chi) evens lists out, the less a deviation persists",
	"exit_rate":        "share of GPs leaving after a year, by age band (and under 60 by period): other exits (q0) below 60, retirement above",
	"entry_rate":       "entrants per GP-year by period: the probability that a vacant slot is filled (alpha0)",
	"gps_growth":       "GPs in the last panel year over GPs in the first: entry (alpha0) against exits (q0)",
	"entrant_ceil":     "mean ceiling of self-employed entrants in their first year, by sex and period: entrants draw leisure values unconditionally, so their ceilings identify leisure_median_female and leisure_median_male",
	"entrant_list":     "mean list length of entrants 0, 1 and 3 years after entry: lists build up from seekers (churn chi, orphans)",
	"entrant_fill":     "mean list/ceiling of entrants 0, 1 and 3 years after entry (as entrant_list)",
	"income_mean":      "mean capitation + fee income of self-employed GPs by list bin and period (where the register has income): checks the money rules and the list distribution within bins",
	"orphan_share":     "residents without a GP over population by period (municipality_years.csv): vacancies (alpha0) and seeking",
	"vacant_per_gp":    "vacant slots per GP by period (municipality_years.csv): entry into vacant slots (alpha0)",
}

// periodOf returns the period of a register year for levels and for
// changes: pre, reform, post or all; "" for the first panel year.
func (s MomentSpec) periodOf(first, year int, change bool) string {
	if year <= first {
		return ""
	}
	switch {
	case s.ReformYear == 0 || s.ReformYear <= first+1:
		return "all"
	case year < s.ReformYear:
		return "pre"
	case year == s.ReformYear && change:
		return "reform"
	}
	return "post"
}

// periods returns the periods, for levels or for changes.
func (s MomentSpec) periods(first int, change bool) []string {
	if s.ReformYear == 0 || s.ReformYear <= first+1 {
		return []string{"all"}
	}
	if change {
		return []string{"pre", "reform", "post"}
	}
	return []string{"pre", "post"}
}

// cell accumulates one moment.
type cell struct {
	vals   []float64 // for quantiles
	sum, n float64
	gps    int
	last   int32
}

func (c *cell) add(gp int32, v float64, keep bool) {
	if c.gps == 0 || c.last != gp {
		c.gps++
		c.last = gp
	}
	c.sum += v
	c.n++
	if keep {
		c.vals = append(c.vals, v)
	}
}

// addRatio adds num to the cell's numerator and den to its denominator
// (a moment that is a ratio of sums, such as a regression slope).
func (c *cell) addRatio(gp int32, num, den float64) {
	c.add(gp, num, false)
	c.n += den - 1
}

// quantileBand is the half-width (in probability) of the band a smoothed
// quantile averages over: 5 percentage points.
const quantileBand = 0.05

// quantile returns the smoothed q quantile of sorted values: the mean of
// the order statistics between the q - 0.05 and q + 0.05 quantiles, the
// end points weighted by the share of them inside the band. Ceilings lie
// on a 50-person grid (and many lists equal them), so an exact quantile
// jumps by a grid step when one GP changes its ceiling; the band mean
// moves by a fraction of it, which keeps the SMM criterion smooth enough
// for a search while it still measures the distribution near q.
func quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	lo := math.Max(0, (q-quantileBand)*float64(n))
	hi := math.Min(float64(n), (q+quantileBand)*float64(n))
	if hi-lo < 1 { // fewer than 1/(2 band) values: the nearest one
		return sorted[min(int(q*float64(n)), n-1)]
	}
	// Order statistic i covers [i, i+1) of the n units of mass.
	var s float64
	for i := int(lo); i < n && float64(i) < hi; i++ {
		w := math.Min(float64(i+1), hi) - math.Max(float64(i), lo)
		s += w * sorted[i]
	}
	return s / (hi - lo)
}

// Moments computes the moments of a panel and, when my is not nil, of its
// municipality years. The list of moments depends only on the spec, the
// panel's years and which columns it has, so panels of the same shape give
// aligned lists; an empty cell has a NaN value.
func Moments(p *Panel, my *MuniYears, spec MomentSpec) []Moment {
	if spec.Breakpoint == 0 {
		spec.Breakpoint = defaultBreakpoint
	}
	first := p.FirstYear
	cells := map[string]*cell{}
	var order []string
	get := func(name, group string) *cell {
		k := name + "[" + group + "]"
		c, ok := cells[k]
		if !ok {
			c = &cell{}
			cells[k] = c
			order = append(order, k)
		}
		return c
	}
	// memo caches get by a small integer code, so the pass over the rows
	// builds no strings (the moments are computed for every simulated
	// panel of every evaluation).
	// The codes are small: kind < memoKinds, a and b < memoAB, c < memoC.
	const memoKinds, memoAB, memoC = 16, 8, 4
	memo := make([]*cell, memoKinds*memoAB*memoAB*memoC)
	getc := func(kind, a, b, c int, name func() (string, string)) *cell {
		if kind >= memoKinds || a >= memoAB || b >= memoAB || c >= memoC {
			panic(fmt.Sprintf("calibrate: moment code (%d, %d, %d, %d) outside the cache", kind, a, b, c))
		}
		key := ((kind*memoAB+a)*memoAB+b)*memoC + c
		if x := memo[key]; x != nil {
			return x
		}
		n, g := name()
		x := get(n, g)
		memo[key] = x
		return x
	}
	// Declare every moment first, so the order is fixed.
	sexes := []string{"F", "M"}
	for _, per := range spec.periods(first, false) {
		for _, v := range []string{"ceiling", "list"} {
			for _, sx := range sexes {
				get(v, "sex="+sx+",period="+per)
			}
			for _, cg := range centralityGroups {
				get(v, "centrality="+cg+",period="+per)
			}
		}
		for _, cg := range centralityGroups {
			get("full_share", "centrality="+cg+",period="+per)
		}
		if p.HasIncome {
			for _, b := range sim.ListBins {
				get("income_mean", "list_bin="+b.Label+",period="+per)
			}
		}
		get("entry_rate", "period="+per)
		for _, sx := range sexes {
			get("entrant_ceil", "sex="+sx+",period="+per)
		}
		get("exit_rate", "age=<60,period="+per)
		if my != nil {
			get("orphan_share", "period="+per)
			get("vacant_per_gp", "period="+per)
		}
	}
	for _, per := range spec.periods(first, true) {
		for _, l := range []string{"short", "long"} {
			get("ceiling_up", "list="+l+",period="+per)
			get("ceiling_down", "list="+l+",period="+per)
		}
		get("ceiling_rise", "period="+per)
		get("ceiling_cut", "period="+per)
	}
	for _, st := range []string{"full", "open"} {
		get("list_change", "start="+st)
	}
	for _, b := range ageBands {
		get("exit_rate", "age="+b.name)
	}
	for _, k := range []int{0, 1, 3} {
		get("entrant_list", fmt.Sprintf("years_since_entry=%d", k))
		get("entrant_fill", fmt.Sprintf("years_since_entry=%d", k))
	}
	gpsGrowth := get("gps_growth", "")
	fillDisp, fillPersist := get("fill_dispersion", ""), get("fill_persistence", "")

	// One pass over each GP's rows.
	gpYears := map[string]float64{} // GP-years by level period (entry rates)
	var gpsFirst, gpsLast float64
	const (
		kExitBand = iota
		kExitPer
		kCeil
		kIncome
		kList
		kFull
		kEntry
		kEntrantCeil
		kEntrantList
		kEntrantFill
		kChange
		kListChange
	)
	perCode := map[string]int{"pre": 0, "reform": 1, "post": 2, "all": 3}
	perName := []string{"pre", "reform", "post", "all"}
	sexName := []string{"M", "F"}
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	p.spells(func(rows []Row) {
		entryYear := -1
		if int(rows[0].Year) > first {
			entryYear = int(rows[0].Year)
		}
		for i := range rows {
			r := &rows[i]
			y := int(r.Year)
			gp := r.GP
			if y == first {
				gpsFirst++
			}
			if y == p.LastYear {
				gpsLast++
			}
			// Exits: after year y, counted in the period of year y+1.
			if r.Exit >= 0 {
				age := r.Age()
				for bi, b := range ageBands {
					if age >= b.lo && age <= b.hi {
						getc(kExitBand, bi, 0, 0, func() (string, string) { return "exit_rate", "age=" + b.name }).add(gp, float64(r.Exit), false)
					}
				}
				if per := spec.periodOf(first, y+1, false); per != "" && age < 60 {
					getc(kExitPer, perCode[per], 0, 0, func() (string, string) { return "exit_rate", "age=<60,period=" + per }).add(gp, float64(r.Exit), false)
				}
			}
			per := spec.periodOf(first, y, false)
			if per == "" {
				continue
			}
			pc := perCode[per]
			gpYears[per]++
			sx := b2i(r.Female)
			cgi := centralityGroup(r.Centrality)
			cg := centralityGroups[cgi]
			if !r.Salaried {
				getc(kCeil, pc, 0, sx, func() (string, string) { return "ceiling", "sex=" + sexName[sx] + ",period=" + per }).add(gp, float64(r.Ceiling), true)
				getc(kCeil, pc, 1, cgi, func() (string, string) { return "ceiling", "centrality=" + cg + ",period=" + per }).add(gp, float64(r.Ceiling), true)
				if p.HasIncome && !math.IsNaN(r.Capitation+r.Fees) {
					bi := listBin(r.List)
					getc(kIncome, pc, bi, 0, func() (string, string) { return "income_mean", "list_bin=" + sim.ListBins[bi].Label + ",period=" + per }).add(gp, r.Capitation+r.Fees, false)
				}
			}
			getc(kList, pc, 0, sx, func() (string, string) { return "list", "sex=" + sexName[sx] + ",period=" + per }).add(gp, float64(r.List), true)
			getc(kList, pc, 1, cgi, func() (string, string) { return "list", "centrality=" + cg + ",period=" + per }).add(gp, float64(r.List), true)
			full := 0.0
			if r.List >= r.Ceiling {
				full = 1
			}
			getc(kFull, pc, cgi, 0, func() (string, string) { return "full_share", "centrality=" + cg + ",period=" + per }).add(gp, full, false)
			if y == entryYear {
				getc(kEntry, pc, 0, 0, func() (string, string) { return "entry_rate", "period=" + per }).add(gp, 1, false)
				if !r.Salaried {
					getc(kEntrantCeil, pc, sx, 0, func() (string, string) { return "entrant_ceil", "sex=" + sexName[sx] + ",period=" + per }).add(gp, float64(r.Ceiling), false)
				}
			}
			if entryYear > 0 {
				if k := y - entryYear; k == 0 || k == 1 || k == 3 {
					getc(kEntrantList, k, 0, 0, func() (string, string) { return "entrant_list", fmt.Sprintf("years_since_entry=%d", k) }).add(gp, float64(r.List), false)
					if r.Ceiling > 0 {
						getc(kEntrantFill, k, 0, 0, func() (string, string) { return "entrant_fill", fmt.Sprintf("years_since_entry=%d", k) }).add(gp, float64(r.List)/float64(r.Ceiling), false)
					}
				}
			}
			// Changes from the year before (same GP, consecutive years).
			if i == 0 || rows[i-1].Year != r.Year-1 {
				continue
			}
			q := &rows[i-1]
			if !r.Salaried && !q.Salaried {
				cper := spec.periodOf(first, y, true)
				cpc := perCode[cper]
				long := b2i(q.List > int32(spec.Breakpoint))
				l := []string{"short", "long"}[long]
				up, down := 0.0, 0.0
				switch d := r.Ceiling - q.Ceiling; {
				case d > 0:
					up = 1
					getc(kChange, cpc, 2, 0, func() (string, string) { return "ceiling_rise", "period=" + perName[cpc] }).add(gp, float64(d), false)
				case d < 0:
					down = 1
					getc(kChange, cpc, 3, 0, func() (string, string) { return "ceiling_cut", "period=" + perName[cpc] }).add(gp, float64(-d), false)
				}
				getc(kChange, cpc, 0, long, func() (string, string) { return "ceiling_up", "list=" + l + ",period=" + cper }).add(gp, up, false)
				getc(kChange, cpc, 1, long, func() (string, string) { return "ceiling_down", "list=" + l + ",period=" + cper }).add(gp, down, false)
			}
			if r.Ceiling == q.Ceiling {
				full := b2i(q.List >= q.Ceiling)
				getc(kListChange, full, 0, 0, func() (string, string) { return "list_change", "start=" + []string{"open", "full"}[full] }).add(gp, math.Abs(float64(r.List-q.List)), false)
			}
		}
	})
	fillMoments(p, fillDisp, fillPersist)
	for per, n := range gpYears {
		if c := cells["entry_rate[period="+per+"]"]; c != nil {
			c.n = n // entrants per GP-year
		}
	}
	if gpsFirst > 0 {
		gpsGrowth.sum, gpsGrowth.n, gpsGrowth.gps = gpsLast, gpsFirst, int(gpsFirst)
	}
	if my != nil {
		pop, orph, vac := map[string]float64{}, map[string]float64{}, map[string]float64{}
		for k, v := range my.ByKey {
			per := spec.periodOf(first, k.Year, false)
			if per == "" || k.Year > p.LastYear {
				continue
			}
			pop[per] += float64(v.Population)
			orph[per] += float64(v.Orphans)
			vac[per] += float64(v.Vacant)
		}
		for per := range pop {
			if c := cells["orphan_share[period="+per+"]"]; c != nil && pop[per] > 0 {
				c.sum, c.n, c.gps = orph[per], pop[per], int(gpYears[per])
			}
			if c := cells["vacant_per_gp[period="+per+"]"]; c != nil && gpYears[per] > 0 {
				c.sum, c.n, c.gps = vac[per], gpYears[per], int(gpYears[per])
			}
		}
	}
	// Emit: the level variables as quartiles, the rest as means.
	out := make([]Moment, 0, len(order)+2*len(order))
	for _, k := range order {
		c := cells[k]
		name, group, _ := strings.Cut(strings.TrimSuffix(k, "]"), "[")
		if name == "ceiling" || name == "list" {
			slices.Sort(c.vals)
			for _, q := range []struct {
				s string
				v float64
			}{{"q25", 0.25}, {"q50", 0.5}, {"q75", 0.75}} {
				out = append(out, Moment{Name: name + "_" + q.s, Group: group, Value: quantile(c.vals, q.v), GPs: c.gps})
			}
			continue
		}
		v := math.NaN()
		if c.n > 0 {
			v = c.sum / c.n
		}
		if name == "fill_dispersion" {
			v = math.Sqrt(v)
		}
		out = append(out, Moment{Name: name, Group: group, Value: v, GPs: c.gps})
	}
	if len(spec.Skip) > 0 {
		out = slices.DeleteFunc(out, func(m Moment) bool { return slices.Contains(spec.Skip, m.Name) })
	}
	return out
}

// fillMinGPs is the fewest GPs with an unchanged ceiling a municipality-year
// needs for the fill moments (a deviation from the mean of two is just
// half their difference).
const fillMinGPs = 3

// fillMoments sets fill_dispersion (its sum and count are those of the
// squared deviations; the emitted value is the root) and fill_persistence
// (sum: the cross products of this and last year's deviation, n: the
// squares of last year's). A GP-year counts when the ceiling did not
// change over the year; its deviation is list/ceiling minus the mean of
// its municipality-year's counted GP-years, defined when that
// municipality-year has at least fillMinGPs of them and one has free
// places (where every list is full there is nothing churn could even out).
func fillMoments(p *Panel, disp, persist *cell) {
	nm := len(p.Munis)
	for i := range p.Rows {
		nm = max(nm, int(p.Rows[i].Muni)+1)
	}
	years := p.Years()
	if nm == 0 || years < 2 {
		return
	}
	idx := func(r *Row) int { return int(r.Year-int32(p.FirstYear))*nm + int(r.Muni) }
	counted := func(q, r *Row) bool {
		return r.Year == q.Year+1 && r.Ceiling == q.Ceiling && r.Ceiling > 0
	}
	sum := make([]float64, years*nm)
	n := make([]int32, years*nm)
	open := make([]bool, years*nm)
	p.spells(func(rows []Row) {
		for i := 1; i < len(rows); i++ {
			q, r := &rows[i-1], &rows[i]
			if !counted(q, r) {
				continue
			}
			k := idx(r)
			sum[k] += float64(r.List) / float64(r.Ceiling)
			n[k]++
			open[k] = open[k] || r.List < r.Ceiling
		}
	})
	dev := func(r *Row) (float64, bool) {
		k := idx(r)
		if n[k] < fillMinGPs || !open[k] {
			return 0, false
		}
		return float64(r.List)/float64(r.Ceiling) - sum[k]/float64(n[k]), true
	}
	p.spells(func(rows []Row) {
		for i := 1; i < len(rows); i++ {
			q, r := &rows[i-1], &rows[i]
			if !counted(q, r) {
				continue
			}
			y, ok := dev(r)
			if !ok {
				continue
			}
			disp.add(r.GP, y*y, false)
			if i < 2 || !counted(&rows[i-2], q) {
				continue
			}
			if x, ok := dev(q); ok {
				persist.addRatio(r.GP, x*y, x*x)
			}
		}
	})
}
