package main

import (
	"listetak/sim"

	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"listetak/results"
)

// printDist prints, for each reform, the mean change in net income per GP
// by year-0 list-length bin: static year 1 and each dynamic year, with the
// 90 % Monte Carlo band.
func printDist(w io.Writer, rows []results.DistRow) {
	if len(rows) == 0 {
		return
	}
	type key struct {
		scen, mode string
		year       int
	}
	var order []key
	table := map[key]map[string]results.SummaryRow{}
	for _, r := range rows {
		if r.GroupBy != "list_bin" && r.GroupBy != "all" || r.Statistic != "mean_net_change" {
			continue
		}
		k := key{r.Scenario, r.Mode, r.Year}
		if table[k] == nil {
			table[k] = map[string]results.SummaryRow{}
			order = append(order, k)
		}
		table[k][r.Group] = r.Summary
	}
	groups := append(sim.ListBinLabels(), "all")
	last := ""
	for _, k := range order {
		if k.scen != last {
			fmt.Fprintf(w, "%s: mean change in net income per GP (NOK/year), same GPs, by list length in year 0; median [90 %% band] over replications\n", k.scen)
			last = k.scen
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%s year %d\t", k.mode, k.year)
		for _, g := range groups {
			s := table[k][g]
			fmt.Fprintf(tw, "%s: %s [%s, %s]\t", g, nok(s.Q50), nok(s.Q05), nok(s.Q95))
		}
		fmt.Fprintln(tw)
		tw.Flush()
	}
}

// nok formats an amount in thousands of NOK ("+12.3k").
func nok(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%+.1fk", v/1000)
}
