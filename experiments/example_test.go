package experiments_test

import (
	"fmt"

	"listetak/experiments"
)

// ExampleLookup prints the marginal capitation of the report's variant 1bix
// at three list positions.
func ExampleLookup() {
	defs, err := experiments.Lookup([]string{"1bix"})
	if err != nil {
		panic(err)
	}
	s := defs[0].Phases[0].Spec.Scheme()
	for _, pos := range []float64{250, 750, 1500} {
		fmt.Printf("person %4.0f brings NOK %3.0f\n", pos+1, s.Capitation(pos+1)-s.Capitation(pos))
	}
	// Output:
	// person  251 brings NOK 580
	// person  751 brings NOK 520
	// person 1501 brings NOK 100
}
