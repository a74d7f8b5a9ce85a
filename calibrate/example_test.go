package calibrate_test

import (
	"fmt"

	"listetak/calibrate"
)

// Parameters to estimate get a transform and bounds by default; -bounds
// overrides them.
func ExampleParseFree() {
	free, err := calibrate.ParseFree("eta,chi,alpha0", "eta=0.05:1.5")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range free {
		fmt.Printf("%s: %s scale, %g..%g\n", f.Key, f.Transform, f.Lower, f.Upper)
	}
	// Output:
	// eta: log scale, 0.05..1.5
	// chi: logit scale, 0.005..0.3
	// alpha0: identity scale, -4..4
}
