package study_test

import (
	"context"
	"fmt"

	"listetak/calibrate"
	"listetak/experiments"
	"listetak/params"
	"listetak/study"
	"listetak/world"
)

// A study run from Go without the command line: Finnmark's 2011 lists
// under today's financing and report 1aix, 5 years, 20 replications, units
// kept in memory. The summary rows hold every metric's mean and quantiles
// by scenario and year, and the paired reform-minus-baseline differences.
func ExampleExecute() {
	w0, _ := world.Embedded("norway-2011")
	w, _ := calibrate.SubsetWorld(w0, []string{"56"})
	defs, _ := experiments.Lookup([]string{"baseline", "1aix"})
	s := &study.Study{World: w, Params: params.Default(), Scenarios: defs, Years: 5, Reps: 20, Seed: 1, Rebase: true}
	res, err := study.Execute(context.Background(), s, &study.MemStore{}, study.Plan{}, study.Observer{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Rows {
		if r.Metric == "gps" && r.Year == 5 {
			fmt.Printf("%s: %d scenarios' rows; GPs in year 5 have a 90 %% band of width >= 0: %v\n", r.Scenario, len(res.Names), r.Q95 >= r.Q05)
		}
	}
	// Output:
	// baseline: 2 scenarios' rows; GPs in year 5 have a 90 % band of width >= 0: true
	// 1aix: 2 scenarios' rows; GPs in year 5 have a 90 % band of width >= 0: true
	// 1aix-minus-baseline: 2 scenarios' rows; GPs in year 5 have a 90 % band of width >= 0: true
}
