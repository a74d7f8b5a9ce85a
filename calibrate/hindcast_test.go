package calibrate

import (
	"context"
	"math"
	"testing"

	"listetak/params"
)

// TestHindcast runs two fits on one county of norway-2011 and checks the
// rows: every series in every year for each fit, the observed values
// joined where the targets have them, samples split at the fit's Until,
// the bands ordered, and Pass as the band-or-tolerance rule says.
func TestHindcast(t *testing.T) {
	s := county2011(t, "46")
	s.Years = 8
	tg, err := LoadTargets("norway-2011-2019", TargetCheck{WorldYear: 2011, Years: 8})
	if err != nil {
		t.Fatal(err)
	}
	fits := []HindcastFit{{Label: "a", Params: params.Default()}, {Label: "b", Params: params.Default(), Until: 2018}}
	rows, err := Hindcast(context.Background(), tg, s, fits, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	series := len(seriesGrid(tg, s).Rows) / 8
	if len(rows) != 2*series*8 {
		t.Fatalf("%d rows, want 2 fits x %d series x 8 years", len(rows), series)
	}
	targets := 0
	for _, r := range rows {
		if !(r.Q05 <= r.Q50 && r.Q50 <= r.Q95) {
			t.Errorf("%+v: bands out of order", r)
		}
		if r.Sample == "" {
			if !math.IsNaN(r.Observed) || r.Pass {
				t.Errorf("%+v: no target, but observed or pass", r)
			}
			continue
		}
		targets++
		want := "in"
		if r.Fit == "b" && r.Year > 2018 {
			want = "out"
		}
		if r.Sample != want {
			t.Errorf("%s %s %d: sample %q, want %q", r.Fit, r.Moment, r.Year, r.Sample, want)
		}
		pass := (r.Observed >= r.Q05 && r.Observed <= r.Q95) || math.Abs(r.Mean-r.Observed) <= HindcastTolerance(r.Moment, r.Observed)
		if r.Pass != pass {
			t.Errorf("%+v: pass %v, want %v", r, r.Pass, pass)
		}
	}
	if targets != 2*len(tg.Rows) {
		t.Errorf("%d target rows, want %d", targets, 2*len(tg.Rows))
	}
	// The tolerance: 2 points for shares, 10 % otherwise.
	if HindcastTolerance("pct_gps_female", 44) != 2 || HindcastTolerance("n_gps", 4858) != 485.8 {
		t.Error("tolerances")
	}
	if _, err := Hindcast(context.Background(), tg, s, fits, 1, 1); err == nil {
		t.Error("one replication accepted")
	}
}
