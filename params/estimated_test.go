package params

import (
	"testing"
)

// TestEmbeddedEstimates decodes every embedded estimated set: each has an
// estimates section with a standard error for every estimated parameter,
// Default is estimated-2026's values, and the sets are reachable by name
// (Named, and LoadEstimates for experiments' uncertainty_from).
func TestEmbeddedEstimates(t *testing.T) {
	names := EstimatedNames()
	if len(names) < 2 || names[0] != DefaultEstimates {
		t.Fatalf("EstimatedNames() = %v, want %s first and the held-out fit", names, DefaultEstimates)
	}
	for _, n := range names {
		p, est, err := EmbeddedEstimates(n)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if p.Model != ModelV2 {
			t.Errorf("%s: model %q", n, p.Model)
		}
		values := map[string]any{}
		for _, e := range p.List() {
			values[e.Key] = e.Value
		}
		for i, e := range est.Parameters {
			if !(e.SE > 0) {
				t.Errorf("%s: %s has standard error %v", n, e.Key, e.SE)
			}
			if values[e.Key] != e.Value {
				t.Errorf("%s: %s is %v at the top level, %v in the estimates", n, e.Key, values[e.Key], e.Value)
			}
			if e.Source == "" {
				continue
			}
			// A second stage's covariance with the parameters of other
			// fits is 0; those fitted with it may covary.
			for j, f := range est.Parameters {
				if f.Source != e.Source && (est.Covariance[i][j] != 0 || est.Covariance[j][i] != 0) {
					t.Errorf("%s: second-stage %s has covariance %v with %s", n, e.Key, est.Covariance[i][j], est.Parameters[j].Key)
				}
			}
		}
		q, err := Named(n)
		if err != nil || q != p {
			t.Errorf("Named(%s): %v", n, err)
		}
		r, est2, err := LoadEstimates(HandSetV2(), n)
		if err != nil || r != p || est2 == nil {
			t.Errorf("LoadEstimates(%s): %v", n, err)
		}
	}
	p, est, _ := EmbeddedEstimates(DefaultEstimates)
	if Default() != p || DefaultEstimatesSection() == nil || len(DefaultEstimatesSection().Parameters) != len(est.Parameters) {
		t.Error("Default is not estimated-2026")
	}
	if _, err := Named("estimated-1999"); err == nil {
		t.Error("unknown set accepted")
	}
	if FixedReason("entry_horizon") == FixedReason("fee") {
		t.Error("entry_horizon has no reason of its own")
	}
}
