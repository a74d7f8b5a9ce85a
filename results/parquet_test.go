package results

import (
	"listetak/internal/atomicfile"

	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// NaN values with distinct payloads: each is undefined, written as NULL
// and read back as NaN (the payload is not kept).
var (
	nanQuiet   = math.Float64frombits(0x7ff8000000000001)
	nanPayload = math.Float64frombits(0x7ff80000deadbeef)
	nanNeg     = math.Float64frombits(0xfff8000000000000)
)

// edgeValues are values a text or lossy binary format could mangle.
var edgeValues = []float64{
	0, math.Copysign(0, -1), 0.1, 1.0 / 3, -2.5e-310 /* subnormal */, math.SmallestNonzeroFloat64,
	math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1),
	math.NaN(), nanQuiet, nanPayload, nanNeg, math.Pi * 1e300, 123456789.123456789,
}

// testSeries returns a series of the given shape whose values come from a
// seeded generator: random float64s over many magnitudes, with every tenth
// value taken from edgeValues.
func testSeries(scenario string, dp int, metrics []string, years, reps int, seed uint64) *Series {
	s := NewSeries(scenario, metrics, years, reps)
	s.DesignPoint = dp
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	for i := range s.Values {
		if i%10 == 3 {
			s.Values[i] = edgeValues[rng.IntN(len(edgeValues))]
		} else {
			s.Values[i] = (rng.Float64() - 0.3) * math.Pow(10, float64(rng.IntN(12)-3))
		}
	}
	return s
}

// dyadicSeries returns a series whose values are multiples of 1/8 below 2^20
// in magnitude: any sum of fewer than 2^29 of them is exact, so every reader
// must agree on it whatever order it adds in.
func dyadicSeries(scenario string, dp int, metrics []string, years, reps int, seed uint64) *Series {
	s := NewSeries(scenario, metrics, years, reps)
	s.DesignPoint = dp
	rng := rand.New(rand.NewPCG(seed, 0xd1ad))
	for i := range s.Values {
		s.Values[i] = float64(rng.IntN(1<<23)-1<<22) / 8
	}
	return s
}

func metricNames(n int) []string {
	ms := make([]string, n)
	for i := range ms {
		ms[i] = fmt.Sprintf("metric_%02d", n-1-i) // not in sorted order
	}
	return ms
}

// sameValue reports whether got is want bit for bit (so the sign of zero
// counts), or both are NaN (undefined: stored as NULL, whatever the
// payload).
func sameValue(got, want float64) bool {
	return math.Float64bits(got) == math.Float64bits(want) || math.IsNaN(got) && math.IsNaN(want)
}

// sameSeries reports the first difference between two series, comparing
// values by sameValue.
func sameSeries(got, want *Series) error {
	if got.Scenario != want.Scenario || got.DesignPoint != want.DesignPoint || got.Years != want.Years || got.Reps != want.Reps {
		return fmt.Errorf("shape: got (%q, dp %d, %d years, %d reps), want (%q, dp %d, %d years, %d reps)",
			got.Scenario, got.DesignPoint, got.Years, got.Reps, want.Scenario, want.DesignPoint, want.Years, want.Reps)
	}
	if !slices.Equal(got.Metrics, want.Metrics) {
		return fmt.Errorf("metrics: got %q, want %q", got.Metrics, want.Metrics)
	}
	if len(got.Values) != len(want.Values) {
		return fmt.Errorf("got %d values, want %d", len(got.Values), len(want.Values))
	}
	for i := range got.Values {
		if g, w := math.Float64bits(got.Values[i]), math.Float64bits(want.Values[i]); !sameValue(got.Values[i], want.Values[i]) {
			return fmt.Errorf("value %d: got %#016x (%g), want %#016x (%g)", i, g, got.Values[i], w, want.Values[i])
		}
	}
	return nil
}

func sameAllSeries(t *testing.T, got, want []*Series) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d series, want %d", len(got), len(want))
	}
	for i := range got {
		if err := sameSeries(got[i], want[i]); err != nil {
			t.Fatalf("series %d (%q): %v", i, want[i].Scenario, err)
		}
	}
}

func TestParquetRoundTrip(t *testing.T) {
	series := []*Series{
		testSeries("baseline", 0, metricNames(9), 6, 5, 1),
		testSeries("reform", 0, metricNames(9), 6, 5, 2),
		testSeries("reform-minus-baseline", 0, metricNames(9), 6, 5, 3),
		testSeries("baseline", 4, metricNames(9), 6, 5, 4), // same scenario, other design point
		testSeries(`odd, "name" ø`, 7, []string{"a,b", "", "ø"}, 2, 3, 5),
		NewSeries("empty", metricNames(3), 0, 4), // no values: no rows
		testSeries("one", 0, []string{"x"}, 1, 1, 6),
	}
	path := filepath.Join(t.TempDir(), "out.parquet")
	if err := WriteParquet(path, series, 0); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadParquet(path)
	if err != nil {
		t.Fatal(err)
	}
	// Rows in file order are the series' values in Values order.
	i := 0
	for _, s := range series {
		for r := range s.Reps {
			for y := range s.Years {
				for m, name := range s.Metrics {
					want := Row{s.Scenario, int32(s.DesignPoint), int32(r), int32(y), name, s.At(r, y, m)}
					got := rows[i]
					if got.Scenario != want.Scenario || got.DesignPoint != want.DesignPoint || got.Replication != want.Replication ||
						got.Year != want.Year || got.Metric != want.Metric || !sameValue(got.Value, want.Value) {
						t.Fatalf("row %d: got %+v, want %+v", i, got, want)
					}
					i++
				}
			}
		}
	}
	if i != len(rows) {
		t.Fatalf("got %d rows, want %d", len(rows), i)
	}
	back, err := SeriesFromRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	var want []*Series
	for _, s := range series {
		if len(s.Values) > 0 {
			want = append(want, s)
		}
	}
	sameAllSeries(t, back, want)
	// Every NaN is a NULL in the file, and there were some.
	raw, err := parquet.ReadFile[parquetRow](path)
	if err != nil {
		t.Fatal(err)
	}
	var nans, nulls int
	for _, s := range series {
		for _, v := range s.Values {
			if math.IsNaN(v) {
				nans++
			}
		}
	}
	for _, r := range raw {
		if r.Value == nil {
			nulls++
		}
	}
	if nans == 0 || nulls != nans {
		t.Errorf("%d NULL values in the file, %d NaNs written", nulls, nans)
	}
}

func TestParquetLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("300k-row round trip skipped in -short mode")
	}
	s := testSeries("baseline", 0, metricNames(71), 21, 200, 11)
	path := filepath.Join(t.TempDir(), "big.parquet")
	start := time.Now()
	if err := WriteParquet(path, []*Series{s}, 0); err != nil {
		t.Fatal(err)
	}
	wrote := time.Since(start)
	start = time.Now()
	rows, err := ReadParquet(path)
	if err != nil {
		t.Fatal(err)
	}
	back, err := SeriesFromRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	read := time.Since(start)
	sameAllSeries(t, back, []*Series{s})
	st, _ := os.Stat(path)
	t.Logf("%d rows: wrote %d bytes in %v, read and rebuilt in %v", len(rows), st.Size(), wrote, read)
}

func TestParquetDeterministic(t *testing.T) {
	series := []*Series{testSeries("a", 0, metricNames(5), 4, 3, 1), testSeries("b", 0, metricNames(5), 4, 3, 2)}
	dir := t.TempDir()
	var files [2][]byte
	for i := range files {
		p := filepath.Join(dir, strconv.Itoa(i)+".parquet")
		if err := WriteParquet(p, series, 0); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[i] = b
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("two writes of the same series differ")
	}
	if fi, err := os.Stat(filepath.Join(dir, "0.parquet")); err != nil || fi.Mode().Perm() != atomicfile.Mode {
		t.Errorf("mode %v, %v; want %v", fi.Mode().Perm(), err, fs.FileMode(atomicfile.Mode))
	}
}

func TestParquetSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.parquet")
	if err := WriteParquet(path, []*Series{testSeries("a", 0, metricNames(3), 2, 2, 1)}, 0); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fld := range pf.Schema().Fields() {
		names = append(names, fld.Name())
		if (fld.Name() == "value") != fld.Optional() || fld.Repeated() {
			t.Errorf("column %s: optional %v (only value is: NULL when undefined)", fld.Name(), fld.Optional())
		}
	}
	if want := strings.Split(ReplicationsHeader, ","); !slices.Equal(names, want) {
		t.Errorf("columns %q, want %q (the CSV header)", names, want)
	}
	for _, rg := range pf.Metadata().RowGroups {
		for _, cc := range rg.Columns {
			md := cc.MetaData
			if md.Codec.String() != "ZSTD" {
				t.Errorf("column %v: codec %v, want ZSTD", md.PathInSchema, md.Codec)
			}
			dict := false
			for _, e := range md.Encoding {
				dict = dict || e.String() == "RLE_DICTIONARY" || e.String() == "PLAIN_DICTIONARY"
			}
			if wantDict := md.PathInSchema[0] != "value"; dict != wantDict {
				t.Errorf("column %v: encodings %v, dictionary %v, want %v", md.PathInSchema, md.Encoding, dict, wantDict)
			}
		}
	}
}

func TestWriteParquetDesignPoint(t *testing.T) {
	dir := t.TempDir()
	unset := testSeries("a", 0, metricNames(2), 2, 2, 1)
	set := testSeries("b", 3, metricNames(2), 2, 2, 2)

	// Series without a design point get the argument; those with one keep it.
	p := filepath.Join(dir, "dp.parquet")
	if err := WriteParquet(p, []*Series{unset, set}, 3); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadParquet(p)
	if err != nil {
		t.Fatal(err)
	}
	back, err := SeriesFromRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || back[0].DesignPoint != 3 || back[1].DesignPoint != 3 {
		t.Fatalf("design points %d, %d; want 3, 3", back[0].DesignPoint, back[1].DesignPoint)
	}
	if unset.DesignPoint != 0 {
		t.Error("WriteParquet changed its input")
	}

	// A series' own design point contradicting the argument is an error.
	p2 := filepath.Join(dir, "conflict.parquet")
	if err := WriteParquet(p2, []*Series{set}, 5); err == nil || !strings.Contains(err.Error(), "design point") {
		t.Errorf("conflicting design point: err = %v", err)
	}
	if _, err := os.Stat(p2); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("failed write left %s (%v)", p2, err)
	}
	if err := WriteParquet(p2, []*Series{unset}, math.MaxInt32+1); err == nil {
		t.Error("design point beyond int32 accepted")
	}
}

// failingWriter fails once more than n bytes have been written.
type failingWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteParquetErrors(t *testing.T) {
	dir := t.TempDir()
	good := testSeries("a", 0, metricNames(3), 2, 2, 1)
	bad := testSeries("bad", 0, metricNames(3), 2, 2, 2)
	bad.Values = bad.Values[1:]
	dup := testSeries("a", 0, metricNames(2), 1, 1, 3)

	path := filepath.Join(dir, "out.parquet")
	old := []byte("an earlier file\n")
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		path   string
		series []*Series
		want   string
	}{
		{"malformed series", path, []*Series{good, bad}, "values"},
		{"nil series", path, []*Series{good, nil}, "nil Series"},
		{"same scenario and design point twice", path, []*Series{good, dup}, "two series"},
		{"missing directory", filepath.Join(dir, "no", "such", "dir", "x.parquet"), []*Series{good}, "no such file"},
	}
	for _, c := range cases {
		err := WriteParquet(c.path, c.series, 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	// The earlier file is intact and no temporary file is left.
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, old) {
		t.Errorf("earlier file changed: %q, %v", b, err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %q, want only out.parquet", names)
	}

	// An I/O error part way through surfaces (WriteFileAtomic then removes
	// the temporary file; its own tests check that).
	big := testSeries("big", 0, metricNames(20), 10, 50, 4)
	err := WriteFileAtomic(filepath.Join(dir, "x"), func(w io.Writer) error {
		return writeParquetTo(&failingWriter{n: 1000}, []*Series{big}, make([]int32, 1))
	})
	if !errors.Is(err, errDiskFull) {
		t.Errorf("failing writer: err = %v, want %v", err, errDiskFull)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("failed write left %d entries", len(ents))
	}
}

func TestReadParquetErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.parquet")
	if err := WriteParquet(good, []*Series{testSeries("a", 0, metricNames(7), 5, 6, 1)}, 0); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := ReadParquet(filepath.Join(dir, "missing.parquet")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}

	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for name, b := range map[string][]byte{
		"empty":        nil,
		"text":         []byte("scenario,design_point,replication,year,metric,value\nbaseline,0,0,0,gps,1\n"),
		"magic only":   []byte("PAR1PAR1"),
		"no footer":    data[:len(data)-8],
		"half":         data[:len(data)/2],
		"bad footer":   append(append([]byte{}, data[:len(data)-8]...), 0xff, 0xff, 0xff, 0x7f, 'P', 'A', 'R', '1'),
		"cut metadata": append(append([]byte{}, data[:len(data)-40]...), data[len(data)-8:]...),
	} {
		if rows, err := ReadParquet(write(name, b)); err == nil {
			t.Errorf("%s: read %d rows and no error", name, len(rows))
		}
	}

	// Another schema: a column missing, or of another type.
	type other struct {
		Scenario string `parquet:"scenario"`
		Value    string `parquet:"value"`
	}
	p := filepath.Join(dir, "other.parquet")
	if err := parquet.WriteFile(p, []other{{"a", "1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadParquet(p); err == nil || !strings.Contains(err.Error(), "no column") {
		t.Errorf("other schema: err = %v", err)
	}
	type wrongType struct {
		Scenario    string  `parquet:"scenario"`
		DesignPoint int64   `parquet:"design_point"`
		Replication int32   `parquet:"replication"`
		Year        int32   `parquet:"year"`
		Metric      string  `parquet:"metric"`
		Value       float64 `parquet:"value"`
	}
	if err := parquet.WriteFile(p, []wrongType{{Scenario: "a"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadParquet(p); err == nil || !strings.Contains(err.Error(), "design_point") {
		t.Errorf("int64 design_point: err = %v", err)
	}

	// Corrupted bytes: flipped anywhere, the file must give an error or rows,
	// never a panic. Pages carry a CRC-32 that the reader checks, but a flip
	// in the footer's statistics or other unused metadata goes unnoticed.
	rng := rand.New(rand.NewPCG(7, 7))
	var failed int
	for i := range 200 {
		b := slices.Clone(data)
		for range 1 + rng.IntN(4) {
			b[rng.IntN(len(b))] ^= byte(1 + rng.IntN(255))
		}
		if _, err := ReadParquet(write(fmt.Sprintf("flip%03d", i), b)); err != nil {
			failed++
		}
	}
	t.Logf("200 corrupted copies: %d gave an error, none panicked", failed)
}

func TestReadParquetOptionalColumns(t *testing.T) {
	// Another writer's shape: optional (nullable) columns in another order,
	// plus a column ReadParquet ignores. Nulls read as zero values, a
	// NULL value as NaN.
	type nullable struct {
		Extra       string   `parquet:"extra"`
		Value       *float64 `parquet:"value,optional"`
		Metric      *string  `parquet:"metric,optional"`
		Year        *int32   `parquet:"year,optional"`
		Replication *int32   `parquet:"replication,optional"`
		DesignPoint *int32   `parquet:"design_point,optional"`
		Scenario    *string  `parquet:"scenario,optional"`
	}
	v, m, y, r, dp, sc := 2.5, "gps", int32(3), int32(1), int32(4), "base"
	p := filepath.Join(t.TempDir(), "nullable.parquet")
	in := []nullable{{"x", &v, &m, &y, &r, &dp, &sc}, {Extra: "all null"}}
	if err := parquet.WriteFile(p, in); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadParquet(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{{"base", 4, 1, 3, "gps", 2.5}, {Value: math.NaN()}}
	second := rows[1]
	second.Value = 0
	if len(rows) != 2 || rows[0] != want[0] || !math.IsNaN(rows[1].Value) || second != (Row{}) {
		t.Errorf("rows %+v, want %+v", rows, want)
	}
}

func TestSeriesFromRows(t *testing.T) {
	row := func(scen string, dp, rep, year int32, metric string, v float64) Row {
		return Row{scen, dp, rep, year, metric, v}
	}
	// Rows in any order; metrics in first-seen order per (scenario, dp).
	rows := []Row{
		row("b", 0, 1, 0, "y", 6),
		row("a", 1, 0, 0, "m", 1),
		row("b", 0, 0, 0, "y", 4),
		row("b", 0, 0, 0, "x", 3),
		row("b", 0, 1, 0, "x", 5),
	}
	got, err := SeriesFromRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	want := []*Series{
		{Scenario: "b", Metrics: []string{"y", "x"}, Years: 1, Reps: 2, Values: []float64{4, 3, 6, 5}},
		{Scenario: "a", DesignPoint: 1, Metrics: []string{"m"}, Years: 1, Reps: 1, Values: []float64{1}},
	}
	sameAllSeries(t, got, want)

	if got, err := SeriesFromRows(nil); err != nil || len(got) != 0 {
		t.Errorf("no rows: %v, %v", got, err)
	}

	bad := []struct {
		name string
		rows []Row
		want string
	}{
		{"duplicate", []Row{row("a", 0, 0, 0, "m", 1), row("a", 0, 0, 0, "m", 1)}, "duplicate"},
		{"missing metric", []Row{row("a", 0, 0, 0, "m", 1), row("a", 0, 0, 0, "n", 1), row("a", 0, 1, 0, "m", 1)}, `replication 1, year 0, metric "n"`},
		{"missing year", []Row{row("a", 0, 0, 2, "m", 1), row("a", 0, 0, 0, "m", 1)}, "year 1"},
		{"missing replication", []Row{row("a", 0, 1, 0, "m", 1)}, "replication 0"},
		{"huge replication", []Row{row("a", 0, math.MaxInt32, 0, "m", 1)}, "replication 0, year 0"},
		{"negative year", []Row{row("a", 0, 0, -1, "m", 1)}, "negative"},
		{"negative replication", []Row{row("a", 0, -1, 0, "m", 1)}, "negative"},
	}
	for _, c := range bad {
		if _, err := SeriesFromRows(c.rows); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

func TestParquetNoSeries(t *testing.T) {
	p := filepath.Join(t.TempDir(), "none.parquet")
	if err := WriteParquet(p, nil, 0); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadParquet(p)
	if err != nil || len(rows) != 0 {
		t.Fatalf("rows %v, err %v", rows, err)
	}
}

func BenchmarkWriteParquet(b *testing.B) {
	s := testSeries("baseline", 0, metricNames(71), 21, 200, 1) // 298,200 rows
	path := filepath.Join(b.TempDir(), "bench.parquet")
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteParquet(path, []*Series{s}, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(s.Values))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkReadParquet(b *testing.B) {
	s := testSeries("baseline", 0, metricNames(71), 21, 200, 1)
	path := filepath.Join(b.TempDir(), "bench.parquet")
	if err := WriteParquet(path, []*Series{s}, 0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rows, err := ReadParquet(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := SeriesFromRows(rows); err != nil {
			b.Fatal(err)
		}
	}
}

// duckdbDir is the folder of the DuckDB reader script, from this package's
// directory (where go test runs).
var duckdbDir = filepath.Join("..", "scripts", "duckdb")

// TestParquetDuckDB has DuckDB, an independent Parquet reader, read a file
// written by WriteParquet and compares what it sees, exactly, with what was
// written: the schema, codecs and encodings, counts, sums, minima and maxima
// per series, every row's value bits, and a copy DuckDB writes back, read by
// ReadParquet. It needs node and scripts/duckdb/node_modules; with
// LISTETAK_DUCKDB=1 it installs the latter (scripts/duckdb/install.sh) and
// fails rather than skips when something is missing.
func TestParquetDuckDB(t *testing.T) {
	want := os.Getenv("LISTETAK_DUCKDB") == "1"
	node, err := exec.LookPath("node")
	if err != nil {
		if want {
			t.Fatal("LISTETAK_DUCKDB=1 but node is not on PATH")
		}
		t.Skip("node is not on PATH; install Node.js and set LISTETAK_DUCKDB=1 to run the DuckDB check")
	}
	if _, err := os.Stat(filepath.Join(duckdbDir, "node_modules", "@duckdb", "node-api")); err != nil {
		if !want {
			t.Skip("scripts/duckdb/node_modules is not installed; set LISTETAK_DUCKDB=1 to install @duckdb/node-api with npm and run the DuckDB check")
		}
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "sh", "install.sh")
		cmd.Dir = duckdbDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("installing @duckdb/node-api: %v\n%s", err, out)
		}
	}

	series := []*Series{
		dyadicSeries("baseline", 0, metricNames(6), 5, 7, 1),
		dyadicSeries("reform", 0, metricNames(6), 5, 7, 2),
		dyadicSeries("baseline", 2, metricNames(6), 5, 7, 3),
		testSeries(`edge, "ø"`, 0, []string{"b", "a", "a,b", "æ"}, 3, 4, 4),
	}
	edge := series[3]
	copy(edge.Values, edgeValues) // every edge value at least once
	dir := t.TempDir()
	path := filepath.Join(dir, "out.parquet")
	if err := WriteParquet(path, series, 0); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "duckdb-copy.parquet")

	start := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(duckdbDir, "read.mjs"), path, "--rows", "all", "--copy-to", copyPath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node read.mjs: %v\n%s", err, stderr.String())
	}
	t.Logf("node read.mjs took %v", time.Since(start))

	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("bad line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	byKind := map[string][]map[string]any{}
	for _, m := range lines {
		k, _ := m["kind"].(string)
		byKind[k] = append(byKind[k], m)
	}

	// Schema: the CSV's column names with typed columns.
	wantTypes := []string{"VARCHAR", "INTEGER", "INTEGER", "INTEGER", "VARCHAR", "DOUBLE"}
	var gotCols []string
	for _, c := range byKind["schema"][0]["columns"].([]any) {
		c := c.(map[string]any)
		gotCols = append(gotCols, c["name"].(string)+" "+c["type"].(string))
	}
	var wantCols []string
	for i, n := range strings.Split(ReplicationsHeader, ",") {
		wantCols = append(wantCols, n+" "+wantTypes[i])
	}
	if !slices.Equal(gotCols, wantCols) {
		t.Errorf("DuckDB schema %q, want %q", gotCols, wantCols)
	}
	t.Logf("schema: %s", strings.Join(gotCols, ", "))

	// Codecs and encodings as DuckDB reads them from the footer.
	for _, c := range byKind["metadata"][0]["columns"].([]any) {
		c := c.(map[string]any)
		comp := fmt.Sprint(c["compression"])
		enc := fmt.Sprint(c["encodings"])
		if comp != "[ZSTD]" {
			t.Errorf("column %v: compression %s, want [ZSTD]", c["name"], comp)
		}
		if dict := strings.Contains(enc, "DICTIONARY"); dict != (c["name"] != "value") {
			t.Errorf("column %v: encodings %s", c["name"], enc)
		}
		t.Logf("column %v: compression %s, encodings %s", c["name"], comp, enc)
	}

	// Expected rows in DuckDB's order: scenario, design point, replication,
	// year, metric (byte order, DuckDB's default collation).
	var rows []Row
	for _, s := range series {
		for r := range s.Reps {
			for y := range s.Years {
				for m, name := range s.Metrics {
					rows = append(rows, Row{s.Scenario, int32(s.DesignPoint), int32(r), int32(y), name, s.At(r, y, m)})
				}
			}
		}
	}
	wantCount := len(rows)
	if got := num(t, byKind["total"][0]["count"]); got != int64(wantCount) {
		t.Errorf("count(*) = %d, want %d", got, wantCount)
	}

	// Per series: counts exactly; sums of the dyadic series exactly (any
	// order of addition gives the same); a left fold in file order exactly
	// for every series; minima and maxima exactly.
	groups := byKind["group"]
	if len(groups) != len(series) {
		t.Fatalf("DuckDB found %d (scenario, design point) groups, want %d", len(groups), len(series))
	}
	sorted := slices.Clone(series)
	slices.SortFunc(sorted, func(a, b *Series) int {
		return cmp.Or(strings.Compare(a.Scenario, b.Scenario), cmp.Compare(a.DesignPoint, b.DesignPoint))
	})
	for i, s := range sorted {
		g := groups[i]
		var null, pinf, ninf int64
		var sum float64
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range s.Values {
			switch {
			case math.IsNaN(v):
				null++
			case math.IsInf(v, 1):
				pinf++
			case math.IsInf(v, -1):
				ninf++
			default:
				sum += v
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		checks := []struct {
			name string
			got  any
			want int64
		}{
			{"n", g["n"], int64(len(s.Values))},
			{"metrics", g["metrics"], int64(len(s.Metrics))},
			{"rep_min", g["rep_min"], 0}, {"rep_max", g["rep_max"], int64(s.Reps - 1)},
			{"year_min", g["year_min"], 0}, {"year_max", g["year_max"], int64(s.Years - 1)},
			{"nan", g["nan"], 0}, {"nulls", g["nulls"], null}, {"pos_inf", g["pos_inf"], pinf}, {"neg_inf", g["neg_inf"], ninf},
		}
		if g["scenario"] != s.Scenario || num(t, g["design_point"]) != int64(s.DesignPoint) {
			t.Errorf("group %d is (%v, %v), want (%q, %d)", i, g["scenario"], g["design_point"], s.Scenario, s.DesignPoint)
			continue
		}
		for _, c := range checks {
			if got := num(t, c.got); got != c.want {
				t.Errorf("%q dp %d: %s = %d, want %d", s.Scenario, s.DesignPoint, c.name, got, c.want)
			}
		}
		floats := []struct {
			name string
			want float64
		}{{"fold", sum}, {"min", lo}, {"max", hi}}
		if !strings.HasPrefix(s.Scenario, "edge") {
			floats = append(floats, struct {
				name string
				want float64
			}{"sum", sum})
		}
		for _, f := range floats {
			if got := g[f.name+"_bits"]; got != hexBits(f.want) {
				t.Errorf("%q dp %d: DuckDB %s = %v (%v), Go %s (%g)", s.Scenario, s.DesignPoint, f.name, g[f.name], got, hexBits(f.want), f.want)
			}
		}
		t.Logf("group %q dp %d: n=%v sum=%v fold=%v min=%v max=%v null=%v +inf=%v -inf=%v",
			s.Scenario, s.DesignPoint, g["n"], g["sum"], g["fold"], g["min"], g["max"], g["nulls"], g["pos_inf"], g["neg_inf"])
	}

	// Every row, value by value.
	slices.SortStableFunc(rows, func(a, b Row) int {
		return cmp.Or(strings.Compare(a.Scenario, b.Scenario), cmp.Compare(a.DesignPoint, b.DesignPoint),
			cmp.Compare(a.Replication, b.Replication), cmp.Compare(a.Year, b.Year), strings.Compare(a.Metric, b.Metric))
	})
	got := byKind["row"]
	if len(got) != len(rows) {
		t.Fatalf("DuckDB printed %d rows, want %d", len(got), len(rows))
	}
	var nulls int
	for i, w := range rows {
		g := got[i]
		if g["scenario"] != w.Scenario || num(t, g["design_point"]) != int64(w.DesignPoint) || num(t, g["replication"]) != int64(w.Replication) ||
			num(t, g["year"]) != int64(w.Year) || g["metric"] != w.Metric {
			t.Fatalf("row %d: DuckDB %v, want %+v", i, g, w)
		}
		if math.IsNaN(w.Value) {
			if g["value"] != nil {
				t.Errorf("row %d %+v: DuckDB value %v, want NULL", i, w, g["value"])
			}
			nulls++
			continue
		}
		if gb, _ := g["value_bits"].(string); gb != hexBits(w.Value) {
			t.Errorf("row %d %+v: DuckDB value %v (%s), want bits %s", i, w, g["value"], gb, hexBits(w.Value))
		}
	}
	t.Logf("%d rows compared bit for bit, %d undefined ones NULL", len(rows), nulls)
	for i := 0; i < len(got); i += len(got) / 4 {
		t.Logf("row %d: %v", i, got[i])
	}

	// The other way: DuckDB's own Parquet file (optional columns, its own
	// encodings and codec), read by ReadParquet, gives back the series (its
	// NULLs as NaN).
	if len(byKind["copy"]) != 1 {
		t.Fatal("read.mjs did not report its copy")
	}
	back, err := ReadParquet(copyPath)
	if err != nil {
		t.Fatalf("reading DuckDB's copy: %v", err)
	}
	rebuilt, err := SeriesFromRows(back)
	if err != nil {
		t.Fatalf("DuckDB's copy: %v", err)
	}
	sameAllSeries(t, rebuilt, series)
	t.Logf("DuckDB's copy (%d rows) read back by ReadParquet equals the series written, bit for bit but for NaN payloads", len(back))
}

// hexBits formats the IEEE bits of v as read.mjs does.
func hexBits(v float64) string { return fmt.Sprintf("%016x", math.Float64bits(v)) }

// num converts a JSON number (json.Number) to an int64.
func num(t *testing.T, v any) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%v (%T) is not a JSON number", v, v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("%v: %v", v, err)
	}
	return i
}

// TestReadParquetRequiredValue reads a file whose value column is
// REQUIRED, as WriteParquet wrote it before undefined values became NULL
// (unit files of earlier runs): values read back bit for bit, NaN as NaN.
func TestReadParquetRequiredValue(t *testing.T) {
	p := filepath.Join(t.TempDir(), "required.parquet")
	in := []Row{{"base", 0, 0, 1, "gps", 2.5}, {"base", 0, 0, 1, "mean_list", math.NaN()}, {"base", 0, 0, 1, "x", math.Copysign(0, -1)}}
	if err := parquet.WriteFile(p, in); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadParquet(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(in) {
		t.Fatalf("%d rows, want %d", len(rows), len(in))
	}
	for i := range in {
		if rows[i].Metric != in[i].Metric || !sameValue(rows[i].Value, in[i].Value) {
			t.Errorf("row %d: %+v, want %+v", i, rows[i], in[i])
		}
	}
}
