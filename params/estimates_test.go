package params

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const estimatesDoc = `eta: 0.4
chi: 0.06
salary: 1200000
estimates:
  method: smm (cmaes)
  register: register.csv
  world: w
  objective: 80
  moments: 100
  reps: 6
  parameters:
    - {key: eta, value: 0.4, se: 0.04, transform: log, lower: 0.02, upper: 2}
    - {key: chi, value: 0.06, se: 0.01, transform: logit, lower: 0.005, upper: 0.3}
  covariance:
    - [0.01, 0.002]
    - [0.002, 0.03]
`

// TestEstimatesFile reads an estimates file as parameters (the top-level
// point estimates apply) and draws from its covariance: the draws' mean and
// covariance on the transformed scale match it.
func TestEstimatesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "estimates.yaml")
	os.WriteFile(path, []byte(estimatesDoc), 0o644)
	p := Reference2019()
	if err := p.Load(path); err != nil {
		t.Fatal(err)
	}
	if p.Eta != 0.4 || p.Chi != 0.06 || p.Salary != 1_200_000 {
		t.Fatalf("point estimates not applied: %v %v %v", p.Eta, p.Chi, p.Salary)
	}
	q, est, err := LoadEstimates(Reference2019(), path)
	if err != nil || est == nil || q.Eta != 0.4 {
		t.Fatalf("LoadEstimates: %v %v", est, err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	const n = 20000 // draws: the sample moments' errors are below 2 %
	var s1, s2, s11, s22, s12 float64
	for range n {
		d, err := est.Draw(q, r)
		if err != nil {
			t.Fatal(err)
		}
		a, b := math.Log(d.Eta)-math.Log(0.4), Forward(TransformLogit, d.Chi)-Forward(TransformLogit, 0.06)
		s1, s2, s11, s22, s12 = s1+a, s2+b, s11+a*a, s22+b*b, s12+a*b
	}
	// Tolerances: 4 standard errors of each sample moment at n = 20,000.
	check := func(name string, got, want, tol float64) {
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.5f, want %.5f +- %.5f", name, got, want, tol)
		}
	}
	check("mean log eta", s1/n, 0, 4*0.1/math.Sqrt(n))
	check("mean logit chi", s2/n, 0, 4*math.Sqrt(0.03)/math.Sqrt(n))
	check("var log eta", s11/n, 0.01, 4*0.01*math.Sqrt(2.0/n))
	check("var logit chi", s22/n, 0.03, 4*0.03*math.Sqrt(2.0/n))
	check("cov", s12/n, 0.002, 4*math.Sqrt(0.01*0.03/n))
}

func TestEstimatesErrors(t *testing.T) {
	bad := strings.Replace(estimatesDoc, "transform: logit", "transform: probit", 1)
	bad = strings.Replace(bad, "- [0.002, 0.03]", "- [0.003, 0.03]", 1)
	p := Reference2019()
	err := p.Decode(strings.NewReader(bad), "e.yaml")
	for _, want := range []string{`estimates.parameters[1].transform: "probit"`, "estimates.covariance[1][0]: not symmetric"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
	if err := p.Decode(strings.NewReader("estimates:\n  bogus: 1\n"), "e.yaml"); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("unknown key in estimates: %v", err)
	}
}
