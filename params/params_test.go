package params

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultValid(t *testing.T) {
	p := Reference2019()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.GridSize() != 45 {
		t.Fatalf("grid size %d, want 45 (300, 350, ..., 2500)", p.GridSize())
	}
}

func TestDecodeOverrides(t *testing.T) {
	p := Reference2019()
	if err := p.Decode(strings.NewReader("chi: 0.04\nextra_hours: [1, 2, 3, 4, 5, 6]\n"), "p.yaml"); err != nil {
		t.Fatal(err)
	}
	if p.Chi != 0.04 || p.ExtraHours[5] != 6 || p.Psi != 0.5 {
		t.Fatalf("overrides not applied or others changed: chi %v, extra %v, psi %v", p.Chi, p.ExtraHours, p.Psi)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want []string
	}{
		{"chi: 0.04\npsii: 0.3\n", []string{"p.yaml", "line 2", "psii"}},
		{"chi: lots\n", []string{"p.yaml", "line 1"}},
		{"chi: 1.5\npsi: -0.1\nceiling_step: 0\n", []string{"chi", "psi", "ceiling_step"}},
		{"a: 1\n---\nb: 2\n", []string{"p.yaml"}},
		{"gamma: .nan\n", []string{"gamma", "finite"}},
	} {
		p := Reference2019()
		err := p.Decode(strings.NewReader(c.doc), "p.yaml")
		if err == nil {
			t.Errorf("%q accepted", c.doc)
			continue
		}
		for _, s := range c.want {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%q: error %q lacks %q", c.doc, err, s)
			}
		}
		if p != Reference2019() {
			t.Errorf("%q: a failed decode changed the parameters", c.doc)
		}
	}
}

func TestScale(t *testing.T) {
	p := Reference2019().Scale(1.25)
	if p.Fee != 1750 || p.Salary != 1_375_000 || p.LeisureMale != 925 || p.EqRate != 623.75 {
		t.Fatalf("money not scaled: %+v", p)
	}
	if p.HoursPerPerson != 1.9 || p.CeilingMax != 2500 || p.Chi != 0.05 {
		t.Fatal("non-money parameters scaled")
	}
}

func TestListDocumentsEveryParameter(t *testing.T) {
	p := Reference2019()
	for _, e := range p.List() {
		if e.Key == "" || e.Unit == "" || e.Source == "" || e.Symbol == "" {
			t.Errorf("parameter %+v lacks key, unit, symbol or source", e)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("chi: 0.04\n")
	f.Add("extra_hours: [1,2,3,4,5,6]\n")
	f.Add("{")
	f.Fuzz(func(t *testing.T, doc string) {
		p := Reference2019()
		if err := p.Decode(strings.NewReader(doc), "f.yaml"); err == nil {
			if err := p.Validate(); err != nil {
				t.Fatalf("accepted invalid parameters: %v", err)
			}
		}
	})
}

func TestSet(t *testing.T) {
	p := Reference2019()
	if err := p.Set("eta", 0.5); err != nil || p.Eta != 0.5 {
		t.Fatalf("eta: %v %v", err, p.Eta)
	}
	if err := p.Set("extra_hours[5]", 700); err != nil || p.ExtraHours[5] != 700 {
		t.Fatalf("extra_hours[5]: %v %v", err, p.ExtraHours)
	}
	if err := p.Set("staff_redraws", 9.6); err != nil || p.StaffRedraws != 10 {
		t.Fatalf("staff_redraws: %v %v", err, p.StaffRedraws)
	}
	for _, bad := range []string{"etaa", "extra_hours", "extra_hours[6]", "chi"} {
		q := p
		v := 0.3
		if bad == "chi" {
			v = 2 // not a probability
		}
		if err := q.Set(bad, v); err == nil || q != p {
			t.Errorf("Set(%q) accepted or changed the parameters", bad)
		}
	}
}

// WriteYAML writes every parameter, arrays included, so that Decode reads
// back exactly the same values.
func TestWriteYAMLRoundTrip(t *testing.T) {
	p := Reference2019()
	p.Weights[3] = 1.0000000000000002 // needs every digit
	p.ExtraHours[5] = 123.456
	p.Chi = 1.0 / 3
	var buf bytes.Buffer
	if err := p.WriteYAML(&buf, nil); err != nil {
		t.Fatal(err)
	}
	q := Reference2019()
	if err := q.Decode(&buf, "p.yaml"); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Errorf("round trip differs:\n%+v\n%+v", p, q)
	}
	if got := FormatValue([3]float64{1, 0.5, 2e6}, 'f'); got != "[1, 0.5, 2000000]" {
		t.Errorf("FormatValue = %q", got)
	}
}

// The trend's years: a late slope (of entry, of its centrality term or of
// the entrants' leisure value) needs alpha_trend_late_to at or after
// alpha_trend_to; without one an older file's later alpha_trend_to stands.
func TestValidateTrendYears(t *testing.T) {
	p := Default()
	p.TrendTo, p.AlphaTrendLate, p.AlphaCTrendLate, p.LeisureTrendLate = 2030, 0, 0, 0
	if err := p.Validate(); err != nil {
		t.Errorf("alpha_trend_to 2030 without a late slope: %v", err)
	}
	for _, c := range []struct {
		key string
		set func(float64)
	}{
		{"leisure_trend_late", func(x float64) { p.LeisureTrendLate = x }},
		{"alpha_c_trend_late", func(x float64) { p.AlphaCTrendLate = x }},
	} {
		c.set(0.05)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "alpha_trend_late_to: 2025 before alpha_trend_to 2030") {
			t.Errorf("late %s with alpha_trend_late_to before alpha_trend_to: %v", c.key, err)
		}
		c.set(0.6)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), c.key+": 0.6 not in [-0.5, 0.5]") {
			t.Errorf("%s 0.6: %v", c.key, err)
		}
		c.set(0)
	}
	p.AlphaTrendLate = 0.1
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "alpha_trend_late_to: 2025 before alpha_trend_to 2030") {
		t.Errorf("late slope with alpha_trend_late_to before alpha_trend_to: %v", err)
	}
	p.AlphaTrendLate = 3
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "alpha_trend_late: 3 not in [-2, 2]") {
		t.Errorf("late slope 3: %v", err)
	}
}
