package design

import (
	"math"
	"strings"
	"testing"
)

func TestFactorValidate(t *testing.T) {
	ok := Factor{Name: "rate", Min: 1, Max: 2}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid factor: %v", err)
	}
	for _, c := range []struct {
		f    Factor
		want []string // substrings every one of which must appear
	}{
		{Factor{Name: "a", Min: 2, Max: 1}, []string{`"a"`, "not below"}},
		{Factor{Name: "b", Min: 1, Max: 1}, []string{`"b"`, "not below"}},
		{Factor{Name: "c", Min: math.NaN(), Max: math.Inf(1)}, []string{`"c"`, "min NaN", "max +Inf"}},
		{Factor{Name: "d", Min: 0, Max: 1, Log: true}, []string{`"d"`, "log scale"}},
		{Factor{Name: "e", Min: 0, Max: 1, Levels: -1}, []string{`"e"`, "levels -1"}},
		{Factor{Min: 0, Max: 1}, []string{"name is empty"}},
		// several problems are all reported, each naming the factor
		{Factor{Name: "f", Min: -1, Max: -2, Log: true, Levels: -3}, []string{`factor "f": min`, `factor "f": log`, `factor "f": levels`}},
	} {
		err := c.f.Validate()
		if err == nil {
			t.Errorf("%+v: no error", c.f)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%+v: error %q lacks %q", c.f, err, w)
			}
		}
	}
}

func TestValidateFactorsList(t *testing.T) {
	if err := validateFactors(nil); err == nil {
		t.Error("empty factor list accepted")
	}
	err := validateFactors([]Factor{{Name: "x", Min: 0, Max: 1}, {Name: "x", Min: 0, Max: 1}, {Name: "y", Min: 1, Max: 0}})
	if err == nil || !strings.Contains(err.Error(), `"x" appears`) || !strings.Contains(err.Error(), `"y"`) {
		t.Errorf("duplicate and bad factor: %v", err)
	}
}

func TestFactorValueUnit(t *testing.T) {
	lin := Factor{Name: "lin", Min: -3, Max: 5}
	lg := Factor{Name: "log", Min: 0.01, Max: 100, Log: true}
	for _, f := range []Factor{lin, lg} {
		// Endpoints and out-of-range coordinates map exactly to the bounds.
		if f.Value(0) != f.Min || f.Value(1) != f.Max || f.Value(-0.5) != f.Min || f.Value(2) != f.Max {
			t.Errorf("%s: endpoints %v %v", f.Name, f.Value(0), f.Value(1))
		}
		for _, u := range []float64{0.1, 0.25, 0.5, 0.9} {
			// Round trip through exp/log: a few ulps of error, far below 1e-12.
			if got := f.Unit(f.Value(u)); math.Abs(got-u) > 1e-12 {
				t.Errorf("%s: Unit(Value(%v)) = %v", f.Name, u, got)
			}
		}
	}
	// The log midpoint is the geometric mean; 1e-12 relative allows exp/log
	// rounding.
	if got := lg.Value(0.5); math.Abs(got-1) > 1e-12 {
		t.Errorf("log midpoint %v, want 1", got)
	}
	if got := lin.Value(0.5); got != 1 {
		t.Errorf("linear midpoint %v, want 1", got)
	}
}
