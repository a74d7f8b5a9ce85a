package experiments

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const estimatesFile = `eta: 0.4
chi: 0.06
estimates:
  method: smm (cmaes)
  parameters:
    - {key: eta, value: 0.4, se: 0.04, transform: log, lower: 0.02, upper: 2}
    - {key: chi, value: 0.06, se: 0.01, transform: logit, lower: 0.005, upper: 0.3}
  covariance:
    - [0.01, 0]
    - [0, 0.03]
`

// TestUncertaintyFrom draws the estimated parameters per replication from
// an estimates file: different replications differ, the same replication
// draws the same, and the other parameters keep the file's values.
func TestUncertaintyFrom(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "estimates.yaml"), []byte(estimatesFile), 0o644)
	doc := "uncertainty_from: estimates.yaml\nparams:\n  psi: 0.4\nuncertainty:\n  rho: {dist: uniform, min: 0.3, max: 0.7}\n"
	ex, err := Decode(strings.NewReader(doc), filepath.Join(dir, "x.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !ex.Uncertain() || ex.Params.Eta != 0.4 || ex.Params.Psi != 0.4 {
		t.Fatalf("uncertain %v, eta %v, psi %v", ex.Uncertain(), ex.Params.Eta, ex.Params.Psi)
	}
	if got := strings.Join(ex.UncertainKeys(), ","); got != "chi,eta,rho" {
		t.Errorf("keys %s", got)
	}
	a, err := ex.Draw(ex.Params, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ex.Draw(ex.Params, 1)
	a2, _ := ex.Draw(ex.Params, 0)
	if a.Eta == b.Eta || a.Chi == b.Chi || a != a2 || a.Psi != 0.4 {
		t.Errorf("draws rep 0 %v/%v, rep 1 %v/%v, rep 0 again %v/%v", a.Eta, a.Chi, b.Eta, b.Chi, a2.Eta, a2.Chi)
	}
}

func TestUncertaintyFromConflicts(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "estimates.yaml"), []byte(estimatesFile), 0o644)
	os.WriteFile(filepath.Join(dir, "plain.yaml"), []byte("eta: 0.4\n"), 0o644)
	doc := "uncertainty_from: estimates.yaml\nparams:\n  eta: 0.3\nuncertainty:\n  chi: {dist: fixed, value: 0.1}\n"
	_, err := Decode(strings.NewReader(doc), filepath.Join(dir, "x.yaml"))
	for _, want := range []string{"x.yaml:3: params.eta: is estimated", "uncertainty.chi: is estimated"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
	_, err = Decode(strings.NewReader("uncertainty_from: plain.yaml\n"), filepath.Join(dir, "y.yaml"))
	if err == nil || !strings.Contains(err.Error(), "has no estimates section") {
		t.Errorf("plain parameter file: %v", err)
	}
}
