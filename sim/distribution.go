package sim

import (
	"fmt"

	"listetak/agents"
	"listetak/finance"
)

// Distribution tables compare the same GPs across scenarios, like the 2019
// report's distribution figures: GPs are grouped by their year-0
// attributes, and each GP's income under a reform is compared with its
// income under the first scenario while it holds its year-0 slot in both.

// Groupings of the distribution tables, by year-0 attributes.
var distGroups = []struct {
	by     string
	labels []string
}{
	{"all", []string{"all"}},
	{"sex", []string{"F", "M"}},
	{"specialist", []string{"yes", "no"}},
	{"age", []string{"lt50", "ge50"}},
	{"list_bin", ListBinLabels()},
	{"centrality", []string{"1", "2", "3", "4", "5", "6"}},
}

// DistStats are the statistics of one distribution cell, per replication.
var DistStats = []string{"gps", "dropout_share", "mean_gross_change", "mean_net_change", "share_gain_5pct", "share_lose_5pct"}

// DistCell labels one cell of a distribution table.
type DistCell struct {
	Mode    string // "static" (year-1 rules on the starting lists) or "dynamic"
	Year    int
	GroupBy string
	Group   string
}

// DistCells returns the cells recorded for the given dynamic years, in the
// order of Output.Dist: the static year 1 first, then each dynamic year; in
// each, every grouping and group.
func DistCells(years []int) []DistCell {
	var cells []DistCell
	add := func(mode string, y int) {
		for _, g := range distGroups {
			for _, l := range g.labels {
				cells = append(cells, DistCell{mode, y, g.by, l})
			}
		}
	}
	add("static", 1)
	for _, y := range years {
		add("dynamic", y)
	}
	return cells
}

// numGroups is the number of groups over all groupings.
func numGroups() int {
	n := 0
	for _, g := range distGroups {
		n += len(g.labels)
	}
	return n
}

// groupsOf appends the group indexes (one per grouping, offset into the
// list of all groups) of a year-0 GP to dst.
func (s *State) groupsOf(sl *Slot, dst []int) []int {
	sex, spec, age := 1, 1, 1
	if sl.Female {
		sex = 0
	}
	if sl.Specialist {
		spec = 0
	}
	if sl.Age < 50 {
		age = 0
	}
	within := [...]int{0, sex, spec, age, BinOf(sl.List), s.Munis[sl.Muni].Centrality - 1}
	off := 0
	for g, k := range within {
		dst = append(dst, off+k)
		off += len(distGroups[g].labels)
	}
	return dst
}

// snapshot is the incomes of year-0 slots at one point, for one scenario.
type snapshot struct {
	held       []bool // held by the year-0 GP
	gross, net []float64
}

func (sn *snapshot) resize(n int) {
	if cap(sn.held) < n {
		sn.held, sn.gross, sn.net = make([]bool, n), make([]float64, n), make([]float64, n)
	}
	sn.held, sn.gross, sn.net = sn.held[:n], sn.gross[:n], sn.net[:n]
}

// take records the current incomes of the year-0 slots.
func (sn *snapshot) take(s *State, n int) {
	sn.resize(n)
	for i := range n {
		sl := &s.Slots[i]
		sn.held[i] = sl.Orig
		sn.gross[i], sn.net[i] = sl.Gross, sl.Net
	}
}

// static records the incomes the year-0 GPs would have under rules with
// their starting lists and no behavioural response (year-1 rules, the
// equalisation grant from the starting state). It must be called right
// after Reset; it leaves the state as it was.
func (sn *snapshot) static(s *State, rules finance.Rules, y *agents.Year) {
	n := len(s.M.slots)
	sn.resize(n)
	y.Reset(s.P, rules, 1, s.classes())
	for i := range n {
		sl := &s.Slots[i]
		sn.held[i] = sl.Held
		if !sl.Held {
			continue
		}
		if sl.Salaried {
			pay := rules.Salaried.Salary(s.P.Salary, float64(sl.List))
			sn.gross[i], sn.net[i] = pay, pay
			continue
		}
		mu := &s.Munis[sl.Muni]
		eq := rules.Equalisation.Grant(float64(mu.Pop), s.heldIn(sl.Muni), s.listedIn(sl.Muni))
		own, _ := s.ownUnder(i, rules.RiskAdjusted)
		in := y.IncomeF(float64(sl.List), float64(sl.Ceiling), sl.ContractAge, sl.Sigma, eq, own)
		sn.gross[i], sn.net[i] = in.Gross(), in.Net()
	}
}

// heldIn and listedIn count a municipality's GPs holding slots and their
// listed persons.
func (s *State) heldIn(m int32) int {
	n := 0
	for _, j := range s.Munis[m].Slots {
		if s.Slots[j].Held {
			n++
		}
	}
	return n
}

func (s *State) listedIn(m int32) float64 {
	var l float64
	for _, j := range s.Munis[m].Slots {
		if sl := &s.Slots[j]; sl.Held {
			l += float64(sl.List)
		}
	}
	return l
}

// compare aggregates reform-minus-base per group into out (numGroups x
// len(DistStats)); groups[i] lists slot i's group indexes, nil for a slot
// vacant in year 0.
func compare(base, ref *snapshot, groups [][]int, out []float64) {
	ns := len(DistStats)
	ng := len(out) / ns
	type sums struct{ n, drop, dg, dn, gain, lose float64 }
	tot := make([]sums, ng)
	for i, gs := range groups {
		if gs == nil {
			continue
		}
		both := base.held[i] && ref.held[i]
		for _, g := range gs {
			t := &tot[g]
			if !both {
				t.drop++
				continue
			}
			t.n++
			dg := ref.gross[i] - base.gross[i]
			t.dg += dg
			t.dn += ref.net[i] - base.net[i]
			if base.gross[i] > 0 {
				if dg > 0.05*base.gross[i] {
					t.gain++
				} else if dg < -0.05*base.gross[i] {
					t.lose++
				}
			}
		}
	}
	for g, t := range tot {
		o := out[g*ns : (g+1)*ns]
		o[0] = t.n
		o[1] = ratio(t.drop, t.n+t.drop)
		o[2] = ratio(t.dg, t.n)
		o[3] = ratio(t.dn, t.n)
		o[4] = ratio(t.gain, t.n)
		o[5] = ratio(t.lose, t.n)
	}
}

// checkDistYears validates the dynamic years of the tables.
func checkDistYears(years []int, horizon int) error {
	for _, y := range years {
		if y < 1 || y > horizon {
			return fmt.Errorf("sim: distribution year %d outside 1..%d", y, horizon)
		}
	}
	return nil
}
