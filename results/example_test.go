package results_test

import (
	"fmt"

	"listetak/results"
)

func ExampleSummarise() {
	// Two replications of a scenario with one metric over two years
	// (year 0 is the starting state).
	s := results.NewSeries("baseline", []string{"orphans"}, 2, 2)
	s.Set(0, 0, 0, 150000)
	s.Set(0, 1, 0, 140000)
	s.Set(1, 0, 0, 150000)
	s.Set(1, 1, 0, 160000)
	for _, r := range results.Summarise(s) {
		fmt.Printf("year %d %s: mean %g, sd %.1f, median %g, 5-95%% [%g, %g]\n",
			r.Year, r.Metric, r.Mean, r.SD, r.Q50, r.Q05, r.Q95)
	}
	// Output:
	// year 0 orphans: mean 150000, sd 0.0, median 150000, 5-95% [150000, 150000]
	// year 1 orphans: mean 150000, sd 14142.1, median 150000, 5-95% [141000, 159000]
}
