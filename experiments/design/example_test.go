package design_test

import (
	"fmt"
	"math/rand/v2"

	"listetak/experiments/design"
)

// ExampleLHS draws a 5-point Latin hypercube over two parameters, one on a
// log scale: each parameter's range (log range for the second) is cut into
// five equal strata and every stratum holds exactly one point.
func ExampleLHS() {
	factors := []design.Factor{
		{Name: "capitation_nok", Min: 400, Max: 800},
		{Name: "churn_rate", Min: 0.001, Max: 0.1, Log: true},
	}
	d, err := design.LHS(factors, 5, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	for k, p := range d.Points {
		stratum := func(i int) int { return int(d.Unit[k][i] * 5) }
		fmt.Printf("capitation %5.1f (stratum %d)  churn %.4f (stratum %d)\n", p[0], stratum(0), p[1], stratum(1))
	}
	// Output:
	// capitation 667.1 (stratum 3)  churn 0.0683 (stratum 4)
	// capitation 463.8 (stratum 0)  churn 0.0128 (stratum 2)
	// capitation 625.5 (stratum 2)  churn 0.0048 (stratum 1)
	// capitation 797.8 (stratum 4)  churn 0.0307 (stratum 3)
	// capitation 511.1 (stratum 1)  churn 0.0020 (stratum 0)
}
