package results

import (
	"listetak/internal/atomicfile"

	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// near reports whether a and b agree to within tol (absolute).
func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// tol is the tolerance for values computed by hand in exact decimal
// arithmetic and by the code in binary floating point: a few ulps of numbers
// of order 1-100.
const tol = 1e-12

func TestQuantile7(t *testing.T) {
	// Hand computation: with n sorted values, h = (n-1)*p, and the quantile
	// is x[floor(h)] + (h-floor(h))*(x[floor(h)+1]-x[floor(h)]), as R's
	// quantile(type = 7) and numpy's np.quantile default.
	cases := []struct {
		xs   []float64
		p    float64
		want float64
	}{
		// np.quantile([1,2,3,4], p): h = 3p.
		{[]float64{1, 2, 3, 4}, 0, 1},       // h = 0: the minimum
		{[]float64{1, 2, 3, 4}, 0.05, 1.15}, // h = 0.15: 1 + 0.15*(2-1)
		{[]float64{1, 2, 3, 4}, 0.25, 1.75}, // h = 0.75: 1 + 0.75*(2-1)
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},   // h = 1.5: 2 + 0.5*(3-2)
		{[]float64{1, 2, 3, 4}, 0.75, 3.25}, // h = 2.25: 3 + 0.25*(4-3)
		{[]float64{1, 2, 3, 4}, 0.95, 3.85}, // h = 2.85: 3 + 0.85*(4-3)
		{[]float64{1, 2, 3, 4}, 1, 4},       // h = 3: the maximum
		// 1..10: h = 9p.
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.05, 1.45}, // h = 0.45
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.25, 3.25}, // h = 2.25
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.5, 5.5},   // h = 4.5
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.95, 9.55}, // h = 8.55
		// Two values: h = p, so the quantile is 10p.
		{[]float64{0, 10}, 0.3, 3},
		{[]float64{0, 10}, 0.7, 7},
		// Uneven gaps: [10, 20, 40], p = 0.75 -> h = 1.5: 20 + 0.5*20 = 30.
		{[]float64{10, 20, 40}, 0.75, 30},
		// Ties: h = 1.5 between 2 and 2 gives exactly 2.
		{[]float64{2, 2, 2, 5}, 0.5, 2},
		// Negative values: [-4, -1], p = 0.25 -> -4 + 0.25*3 = -3.25.
		{[]float64{-4, -1}, 0.25, -3.25},
		// One value: every quantile is that value.
		{[]float64{7}, 0, 7},
		{[]float64{7}, 0.05, 7},
		{[]float64{7}, 1, 7},
	}
	for _, c := range cases {
		if got := Quantile7(c.xs, c.p); !near(got, c.want, tol) {
			t.Errorf("Quantile7(%v, %g) = %.17g, want %g", c.xs, c.p, got, c.want)
		}
	}
	// Exact at the order statistics and at the ends, as numpy's lerp.
	if got := Quantile7([]float64{0.1, 0.7, 0.9}, 0.5); got != 0.7 {
		t.Errorf("median of 3 = %.17g, want exactly 0.7", got)
	}
	if got := Quantile7([]float64{0.1, 0.3}, 1); got != 0.3 {
		t.Errorf("p = 1 gave %.17g, want exactly 0.3", got)
	}
	if got := Quantile7(nil, 0.5); !math.IsNaN(got) {
		t.Errorf("Quantile7(nil) = %g, want NaN", got)
	}
	for _, p := range []float64{-0.1, 1.1, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Quantile7 with p = %g did not panic", p)
				}
			}()
			Quantile7([]float64{1, 2}, p)
		}()
	}
}

// tinySeries: 2 metrics, 2 years, 4 replications.
//
//	rep  year0 (gps, orphan_share)  year1 (gps, orphan_share)
//	0    10, 0.1                    12, 0.2
//	1    10, 0.1                    14, 0.4
//	2    10, 0.1                    11, 0.3
//	3    10, 0.1                    15, 0.1
func tinySeries() *Series {
	return &Series{
		Scenario: "base",
		Metrics:  []string{"gps", "orphan_share"},
		Years:    2,
		Reps:     4,
		Values: []float64{
			10, 0.1, 12, 0.2,
			10, 0.1, 14, 0.4,
			10, 0.1, 11, 0.3,
			10, 0.1, 15, 0.1,
		},
	}
}

func TestSeriesAccessors(t *testing.T) {
	s := tinySeries()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := s.At(1, 1, 0); got != 14 {
		t.Errorf("At(1,1,0) = %g, want 14", got)
	}
	if got := s.At(2, 1, 1); got != 0.3 {
		t.Errorf("At(2,1,1) = %g, want 0.3", got)
	}
	s.Set(3, 0, 1, 0.5)
	if got := s.Values[(3*2+0)*2+1]; got != 0.5 {
		t.Errorf("Set did not write Values[13]: %g", got)
	}
	row := s.Row(1, 1)
	if len(row) != 2 || row[0] != 14 || row[1] != 0.4 {
		t.Errorf("Row(1,1) = %v", row)
	}
	if s.MetricIndex("orphan_share") != 1 || s.MetricIndex("nope") != -1 {
		t.Error("MetricIndex wrong")
	}
	for _, f := range []func(){
		func() { s.At(4, 0, 0) },
		func() { s.At(0, 2, 0) },
		func() { s.At(0, 0, 2) },
		func() { s.At(-1, 0, 0) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("out-of-range At did not panic")
				}
			}()
			f()
		}()
	}
	n := NewSeries("x", []string{"a", "b", "c"}, 3, 2)
	if len(n.Values) != 18 || n.Validate() != nil {
		t.Errorf("NewSeries: %d values, %v", len(n.Values), n.Validate())
	}
	bad := &Series{Metrics: []string{"a"}, Years: 2, Reps: 2, Values: make([]float64, 3)}
	if bad.Validate() == nil {
		t.Error("Validate accepted 3 values for shape 2x2x1")
	}
	dup := &Series{Metrics: []string{"a", "a"}, Years: 1, Reps: 1, Values: make([]float64, 2)}
	if dup.Validate() == nil {
		t.Error("Validate accepted duplicate metric names")
	}
}

func TestSummarise(t *testing.T) {
	rows := Summarise(tinySeries())
	// Year 1, gps: [12, 14, 11, 15], sorted [11, 12, 14, 15]; mean 13;
	// deviations -1, 1, -2, 2: var = 10/3, sd = sqrt(10/3);
	// quantiles (h = 3p): 11.15, 11.75, 13, 14.25, 14.85.
	// Year 1, orphan_share: [0.2, 0.4, 0.3, 0.1], sorted 0.1..0.4 in steps
	// of 0.1; mean 0.25; var = (0.0025+0.0225+0.0025+0.0225)/3 = 0.05/3;
	// quantiles 0.1 + 0.1*h: 0.115, 0.175, 0.25, 0.325, 0.385.
	want := []SummaryRow{
		{"base", 0, 0, "gps", 10, 0, 10, 10, 10, 10, 10, 4, 0},
		{"base", 0, 0, "orphan_share", 0.1, 0, 0.1, 0.1, 0.1, 0.1, 0.1, 4, 0},
		{"base", 0, 1, "gps", 13, math.Sqrt(10.0 / 3), 11.15, 11.75, 13, 14.25, 14.85, 4, math.Sqrt(10.0/3) / 2},
		{"base", 0, 1, "orphan_share", 0.25, math.Sqrt(0.05 / 3), 0.115, 0.175, 0.25, 0.325, 0.385, 4, math.Sqrt(0.05/3) / 2},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		g := rows[i]
		if g.Scenario != w.Scenario || g.Year != w.Year || g.Metric != w.Metric {
			t.Errorf("row %d: key (%s, %d, %s), want (%s, %d, %s)", i, g.Scenario, g.Year, g.Metric, w.Scenario, w.Year, w.Metric)
		}
		// The Monte Carlo standard error of the mean is sd / sqrt(n), n = 4.
		if g.N != w.N {
			t.Errorf("row %d: n %d, want %d", i, g.N, w.N)
		}
		gv := []float64{g.Mean, g.SD, g.Q05, g.Q25, g.Q50, g.Q75, g.Q95, g.SE}
		wv := []float64{w.Mean, w.SD, w.Q05, w.Q25, w.Q50, w.Q75, w.Q95, w.SE}
		for j := range gv {
			if !near(gv[j], wv[j], tol) {
				t.Errorf("row %d (%d, %s) stat %d: got %.17g, want %g", i, w.Year, w.Metric, j, gv[j], wv[j])
			}
		}
	}
	// Summarise must not reorder the series' values.
	if s := tinySeries(); s.At(0, 1, 0) != 12 {
		t.Fatal("fixture changed")
	}

	// One replication: SD is 0, every quantile is the value.
	one := &Series{Scenario: "one", Metrics: []string{"m"}, Years: 1, Reps: 1, Values: []float64{3.5}}
	r := Summarise(one)
	if len(r) != 1 || r[0].N != 1 || !math.IsNaN(r[0].SE) || r[0].Mean != 3.5 || r[0].SD != 0 || r[0].Q05 != 3.5 || r[0].Q95 != 3.5 {
		t.Errorf("one replication: %+v", r)
	}
	// NaN replications (an empty group) are left out: the row summarises 1
	// and 2 (mean 1.5, sd sqrt(0.5), q05 = 1 + 0.05 = 1.05).
	nan := &Series{Scenario: "n", Metrics: []string{"m"}, Years: 1, Reps: 3, Values: []float64{1, math.NaN(), 2}}
	r = Summarise(nan)
	if r[0].Mean != 1.5 || r[0].Q05 != 1.05 || r[0].Q95 != 1.95 {
		t.Errorf("NaN replication: %+v", r[0])
	}
	// All NaN: the row is NaN.
	all := &Series{Scenario: "n", Metrics: []string{"m"}, Years: 1, Reps: 2, Values: []float64{math.NaN(), math.NaN()}}
	r = Summarise(all)
	if !math.IsNaN(r[0].Mean) || !math.IsNaN(r[0].SD) || !math.IsNaN(r[0].Q50) || !math.IsNaN(r[0].Q95) {
		t.Errorf("all-NaN row: %+v", r[0])
	}
	// No replications: nothing to summarise.
	if r := Summarise(NewSeries("z", []string{"m"}, 3, 0)); r != nil {
		t.Errorf("zero replications: %+v", r)
	}
}

func TestDifference(t *testing.T) {
	base := tinySeries()
	other := tinySeries()
	other.Scenario = "reform"
	for i := range other.Values {
		other.Values[i] *= 2
	}
	d, err := Difference(base, other)
	if err != nil {
		t.Fatal(err)
	}
	if d.Scenario != "reform-minus-base" {
		t.Errorf("scenario %q", d.Scenario)
	}
	// other = 2*base, so the difference equals base, replication by
	// replication.
	for i, v := range base.Values {
		if d.Values[i] != v {
			t.Fatalf("value %d: %g, want %g", i, d.Values[i], v)
		}
	}
	if d.Years != 2 || d.Reps != 4 || len(d.Metrics) != 2 {
		t.Errorf("shape %d %d %v", d.Years, d.Reps, d.Metrics)
	}
	// Independence from the inputs.
	d.Metrics[0] = "changed"
	if base.Metrics[0] != "gps" {
		t.Error("Difference shares Metrics with base")
	}

	for name, mod := range map[string]func(s *Series){
		"years":   func(s *Series) { s.Years = 1; s.Values = s.Values[:8] },
		"reps":    func(s *Series) { s.Reps = 2; s.Values = s.Values[:8] },
		"metrics": func(s *Series) { s.Metrics = []string{"gps", "orphans"} },
		"order":   func(s *Series) { s.Metrics = []string{"orphan_share", "gps"} },
		"invalid": func(s *Series) { s.Values = s.Values[:5] },
	} {
		o := tinySeries()
		mod(o)
		if _, err := Difference(base, o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestWriteReplicationsCSV(t *testing.T) {
	a := &Series{
		Scenario: "base",
		Metrics:  []string{"gps", "orphan_share"},
		Years:    2,
		Reps:     2,
		Values: []float64{
			10, 0.1, 12, 0.25,
			10, 0.1, 1234567, 1e-7,
		},
	}
	b := &Series{
		Scenario: `odd "name", quoted`,
		Metrics:  []string{"x"},
		Years:    1,
		Reps:     1,
		Values:   []float64{math.NaN()},
	}
	var buf bytes.Buffer
	if err := WriteReplicationsCSV(&buf, a, b); err != nil {
		t.Fatal(err)
	}
	// Numbers as strconv.AppendFloat(v, 'g', -1, 64): the shortest text
	// that reads back to the same float64, in exponent form when the
	// decimal exponent is < -4 or >= 6 (1e-7, 1234567); NaN as "NaN".
	// A name with a comma or quote is quoted as RFC 4180 says.
	want := `scenario,design_point,replication,year,metric,value
base,0,0,0,gps,10
base,0,0,0,orphan_share,0.1
base,0,0,1,gps,12
base,0,0,1,orphan_share,0.25
base,0,1,0,gps,10
base,0,1,0,orphan_share,0.1
base,0,1,1,gps,1.234567e+06
base,0,1,1,orphan_share,1e-07
"odd ""name"", quoted",0,0,0,x,NaN
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// A malformed series writes nothing.
	buf.Reset()
	bad := &Series{Scenario: "bad", Metrics: []string{"m"}, Years: 2, Reps: 1, Values: []float64{1}}
	if err := WriteReplicationsCSV(&buf, a, bad); err == nil || buf.Len() != 0 {
		t.Errorf("malformed series: err %v, %d bytes written", err, buf.Len())
	}
}

func TestReplicationsCSVRoundTrip(t *testing.T) {
	// Many rows (several chunks), awkward values: encoding/csv reads them
	// back and every value parses to the identical float64.
	s := NewSeries("rt", []string{"a", "b", "c"}, 21, 400)
	x := 0.1
	for i := range s.Values {
		x = math.Mod(x*1e3+math.Pi, 7919) / 3 // deterministic, irregular digits
		s.Values[i] = x * math.Pow(10, float64(i%40-20))
	}
	var buf bytes.Buffer
	if err := WriteReplicationsCSV(&buf, s); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(s.Values) {
		t.Fatalf("%d records, want %d", len(recs), 1+len(s.Values))
	}
	for i, rec := range recs[1:] {
		v, err := strconv.ParseFloat(rec[5], 64)
		if err != nil || v != s.Values[i] {
			t.Fatalf("row %d: %q reads as %g, want %g (%v)", i, rec[5], v, s.Values[i], err)
		}
		rep, year, m := i/(21*3), i/3%21, i%3
		if rec[1] != "0" || rec[2] != strconv.Itoa(rep) || rec[3] != strconv.Itoa(year) || rec[4] != s.Metrics[m] {
			t.Fatalf("row %d: key %v, want (0, %d, %d, %s)", i, rec[:5], rep, year, s.Metrics[m])
		}
	}
}

func TestWriteSummaryCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSummaryCSV(&buf, Summarise(tinySeries())); err != nil {
		t.Fatal(err)
	}
	// The values are those of TestSummarise (checked there against the
	// hand computation), written as the shortest text that reads back to
	// the float64 computed: binary rounding shows in the last digits, e.g.
	// the 25 % quantile of the shares is 0.2 - 0.25*(0.2-0.1) =
	// 0.17500000000000002 and the SD sqrt(0.05/3) comes out 2 ulps low.
	// n is 4 replications and se = sd / 2.
	want := `scenario,design_point,year,metric,mean,sd,q05,q25,q50,q75,q95,n,se
base,0,0,gps,10,0,10,10,10,10,10,4,0
base,0,0,orphan_share,0.1,0,0.1,0.1,0.1,0.1,0.1,4,0
base,0,1,gps,13,1.8257418583505538,11.15,11.75,13,14.25,14.85,4,0.9128709291752769
base,0,1,orphan_share,0.25,0.12909944487358055,0.115,0.17500000000000002,0.25,0.325,0.385,4,0.06454972243679027
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	buf.Reset()
	if err := WriteSummaryCSV(&buf, nil); err != nil || buf.String() != SummaryHeader+"\n" {
		t.Errorf("no rows: %q, %v", buf.String(), err)
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWritersReportErrors(t *testing.T) {
	if err := WriteReplicationsCSV(errWriter{}, tinySeries()); err == nil {
		t.Error("WriteReplicationsCSV: no error from a failing writer")
	}
	if err := WriteSummaryCSV(errWriter{}, Summarise(tinySeries())); err == nil {
		t.Error("WriteSummaryCSV: no error from a failing writer")
	}
}

// dirEntries lists the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")

	// Error from write: no file at path, no temporary file left.
	boom := errors.New("boom")
	err := WriteFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("partial\n", 100000)) // beyond the buffer: reaches the temp file
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want one wrapping boom", err)
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Fatalf("after error, directory holds %v", names)
	}

	// Panic in write: same, and the panic goes on.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic was swallowed")
			}
		}()
		WriteFileAtomic(path, func(w io.Writer) error { panic("bug") })
	}()
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Fatalf("after panic, directory holds %v", names)
	}

	// Success.
	if err := WriteFileAtomic(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "hello\n")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "hello\n" {
		t.Errorf("content %q", b)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != atomicfile.Mode {
		t.Errorf("mode %v, %v", fi.Mode(), err)
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only out.csv", names)
	}

	// A failed rewrite leaves the previous file as it was.
	WriteFileAtomic(path, func(w io.Writer) error { return boom })
	if b, _ := os.ReadFile(path); string(b) != "hello\n" {
		t.Errorf("failed rewrite changed the file: %q", b)
	}
	// A successful one replaces it.
	WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "bye\n"); return err })
	if b, _ := os.ReadFile(path); string(b) != "bye\n" {
		t.Errorf("rewrite: %q", b)
	}

	// A directory that does not exist: an error, nothing created.
	if err := WriteFileAtomic(filepath.Join(dir, "no", "x"), func(io.Writer) error { return nil }); err == nil {
		t.Error("no error for a missing directory")
	}
}

func TestWriteJSONAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "manifest.json")
	start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	m := Manifest{
		Tool: ToolName, Version: "v0.1.0", GitDescribe: "v0.1.0-3-gabcdef",
		Command: []string{"listetak", "run", "-reps", "2"}, Seed: 1<<63 + 5,
		World: "reference", Scenarios: []string{"baseline", "reform"},
		Years: 10, Reps: 2, Workers: 4, Params: map[string]float64{"r_flat": 499},
		WorldNotes: []string{"note"}, Started: start, Finished: start.Add(90 * time.Second),
		WallSeconds: 90,
	}
	if err := WriteJSONAtomic(path, m); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b, []byte("}\n")) || !bytes.Contains(b, []byte("\n  \"tool\": \"listetak\",\n")) {
		t.Errorf("not indented JSON with a trailing newline:\n%s", b)
	}
	if bytes.Contains(b, []byte(`"extra"`)) {
		t.Error("empty Extra was not omitted")
	}
	var back Manifest
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Seed != m.Seed || !back.Finished.Equal(m.Finished) || back.Scenarios[1] != "reform" {
		t.Errorf("round trip: %+v", back)
	}
	// A value JSON cannot encode: error, and no file.
	bad := filepath.Join(dir, "bad.json")
	if err := WriteJSONAtomic(bad, math.NaN()); err == nil {
		t.Error("NaN encoded without error")
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("bad.json exists: %v", err)
	}
}

func TestFormatValue(t *testing.T) {
	cases := []struct {
		metric string
		v      float64
		want   string
	}{
		{"orphan_share", 0.012345, "1.23%"},
		{"coverage", 1.0512, "105.12%"},
		{"population", 5432109.6, "5,432,110"},
		{"gps", 4912, "4,912"},
		{"gps", 12, "12"},
		{"net_income_mean", -1234567.4, "-1,234,567"},
		{"hours_mean", 2345.67, "2,346"},
		{"list_mean", 987.65, "987.6"}, // 987.65 is stored just below: rounds down
		{"entries", 12.5, "12.50"},
		{"x", 0.0123456, "0.0123"},
		{"x", -0.4, "-0.4"},
		{"x", 0, "0"},
		{"x", math.Copysign(0, -1), "0"},
		{"x", 999.96, "1,000"}, // rounds up past 1000: grouped, not "1000.0"
		{"x", 99.999, "100.0"}, // rounds up past 100: 1 decimal
		{"x", 0.99999, "1"},    // 3 significant digits
		{"x", math.NaN(), "NaN"},
		{"x", math.Inf(1), "+Inf"},
		{"x", 123, "123"},
		{"x", 1000, "1,000"},
		{"x", 100000, "100,000"},
	}
	for _, c := range cases {
		if got := formatValue(c.metric, c.v); got != c.want {
			t.Errorf("formatValue(%q, %g) = %q, want %q", c.metric, c.v, got, c.want)
		}
	}
}

func TestPrintBands(t *testing.T) {
	s := &Series{
		Scenario: "baseline",
		Metrics:  []string{"gps", "orphans", "orphan_share"},
		Years:    2,
		Reps:     3,
		Values: []float64{
			4900, 150000, 0.0270, 4950, 140000, 0.0252,
			4910, 160000, 0.0288, 4960, 150000, 0.0270,
			4920, 170000, 0.0306, 4970, 160000, 0.0288,
		},
	}
	var buf bytes.Buffer
	if err := PrintBands(&buf, s, []string{"orphan_share", "gps"}, nil); err != nil {
		t.Fatal(err)
	}
	// Three replications: h = 2p, so q05 = x1 + 0.1*(x2-x1), median x2,
	// q95 = x2 + 0.9*(x3-x2). Year 0 orphan_share: 2.70%+0.1*0.18% =
	// 2.718% -> 2.72%; 2.88%; 2.88%+0.9*0.18% = 3.042% -> 3.04%.
	want := `baseline: median [5%, 95%] over 3 replications
year          orphan_share                   gps
   0  2.88% [2.72%, 3.04%]  4,910 [4,901, 4,919]
   1  2.70% [2.54%, 2.86%]  4,960 [4,951, 4,969]
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	buf.Reset()
	if err := PrintBands(&buf, s, nil, []int{1}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "150,000 [141,000, 159,000]") {
		t.Errorf("all metrics, year 1:\n%s", buf.String())
	}
	if err := PrintBands(&buf, s, []string{"nope"}, nil); err == nil {
		t.Error("unknown metric: no error")
	}
	if err := PrintBands(&buf, s, nil, []int{2}); err == nil {
		t.Error("year out of range: no error")
	}
}

func BenchmarkWriteReplicationsCSV(b *testing.B) {
	// 500 replications x 21 years x 48 metrics = 504,000 rows, the size of
	// a large run's replications.csv.
	metrics := make([]string, 48)
	for i := range metrics {
		metrics[i] = "metric_number_" + strconv.Itoa(i)
	}
	s := NewSeries("baseline", metrics, 21, 500)
	for i := range s.Values {
		s.Values[i] = float64(i%100000) * 1.37
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteReplicationsCSV(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	}
}
