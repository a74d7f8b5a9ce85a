package results

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"

	"github.com/parquet-go/parquet-go"
)

// Row is one value of one metric in one year of one replication: a row of
// the Parquet store of per-run yearly outputs that WriteParquet writes and
// ReadParquet reads. The file holds the same long-form table as
// replications.csv, with the CSV header's column names and typed columns:
//
//	scenario      BYTE_ARRAY, UTF8 string   dictionary encoded
//	design_point  INT32                     dictionary encoded
//	replication   INT32                     dictionary encoded
//	year          INT32                     dictionary encoded
//	metric        BYTE_ARRAY, UTF8 string   dictionary encoded
//	value         DOUBLE, OPTIONAL          plain
//
// zstd compressed, in one row group per million rows. Any Parquet reader
// opens it: DuckDB (SELECT * FROM 'replications.parquet'), pandas/pyarrow
// (pandas.read_parquet, pyarrow.parquet.read_table) and R arrow
// (arrow::read_parquet).
//
// An undefined value (NaN in memory: a mean over no GPs) is NULL in the
// file, so SQL aggregates skip it (avg(value) is the mean over the
// replications where the metric is defined, as summary.csv's) and readers
// see a missing value (None, NA). ReadParquet reads NULL back as NaN (the
// canonical math.NaN(): a NaN's payload is not kept). Every other value is
// stored as its IEEE 754 bits (PLAIN encoding), so it reads back
// bit-identical: the sign of zero, infinities and subnormals.
type Row struct {
	Scenario    string  `parquet:"scenario,dict,zstd"`     // scenario name
	DesignPoint int32   `parquet:"design_point,dict,zstd"` // design point (0 without a design)
	Replication int32   `parquet:"replication,dict,zstd"`  // replication, from 0
	Year        int32   `parquet:"year,dict,zstd"`         // year, from 0 (the starting state)
	Metric      string  `parquet:"metric,dict,zstd"`       // metric name
	Value       float64 `parquet:"value,zstd"`             // the value, in the metric's own unit; NaN: undefined
}

// parquetRow is Row as stored: the value NULL when undefined.
type parquetRow struct {
	Scenario    string   `parquet:"scenario,dict,zstd"`
	DesignPoint int32    `parquet:"design_point,dict,zstd"`
	Replication int32    `parquet:"replication,dict,zstd"`
	Year        int32    `parquet:"year,dict,zstd"`
	Metric      string   `parquet:"metric,dict,zstd"`
	Value       *float64 `parquet:"value,optional,zstd"`
}

// parquetBatch is the number of rows handed to the Parquet writer per Write
// call: large enough that the per-call cost vanishes, small enough that the
// staging slice stays a few hundred KiB.
const parquetBatch = 8192

// parquetRowGroup is the largest number of rows in one row group. Readers
// such as DuckDB parallelise over row groups; a million rows keeps each one's
// column chunks a few MiB at most.
const parquetRowGroup = 1 << 20

// WriteParquet writes every value of every series to a Parquet file at path,
// one Row per value, ordered by series (in argument order), replication, year
// and metric (in Metrics order), as WriteReplicationsCSV orders its rows.
//
// The design_point column of a series' rows is the series' own DesignPoint if
// that is non-zero, otherwise designPoint; so WriteParquet(path, series, 0)
// writes each series' own design point, and a caller holding series of one
// design point with the field unset can pass that point. It is an error if a
// series has a non-zero DesignPoint that differs from a non-zero designPoint,
// if two series share both scenario and design point (the file could not be
// split into series again), if a series is malformed (see Series.Validate),
// or if a design point, replication or year does not fit an int32. A series
// with no values (no replications, years or metrics) writes no rows and so is
// absent when the file is read back.
//
// The file is written atomically (see WriteFileAtomic): on any error nothing
// is created at path and a file already there is left as it was. The bytes
// written depend only on the series and the parquet-go version, so identical
// series give identical files.
//
// The file is readable by DuckDB, pandas/pyarrow and R arrow; see Row for the
// columns and ReadParquet and SeriesFromRows to read it back.
func WriteParquet(path string, series []*Series, designPoint int) error {
	if int64(designPoint) != int64(int32(designPoint)) {
		return fmt.Errorf("results: writing %s: design point %d does not fit an int32", path, designPoint)
	}
	type key struct {
		scenario string
		dp       int
	}
	dps := make([]int32, len(series))
	seen := make(map[key]bool, len(series))
	for i, s := range series {
		if err := s.Validate(); err != nil {
			return fmt.Errorf("results: writing %s: %w", path, err)
		}
		dp := s.DesignPoint
		if dp == 0 {
			dp = designPoint
		} else if designPoint != 0 && dp != designPoint {
			return fmt.Errorf("results: writing %s: series %q has design point %d, not %d",
				path, s.Scenario, s.DesignPoint, designPoint)
		}
		if int64(dp) != int64(int32(dp)) {
			return fmt.Errorf("results: writing %s: series %q: design point %d does not fit an int32", path, s.Scenario, dp)
		}
		if int64(s.Reps) > math.MaxInt32+1 || int64(s.Years) > math.MaxInt32+1 {
			return fmt.Errorf("results: writing %s: series %q: %d replications or %d years do not fit an int32",
				path, s.Scenario, s.Reps, s.Years)
		}
		if len(s.Values) == 0 {
			continue
		}
		k := key{s.Scenario, dp}
		if seen[k] {
			return fmt.Errorf("results: writing %s: two series of scenario %q at design point %d", path, s.Scenario, dp)
		}
		seen[k] = true
		dps[i] = int32(dp)
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		return writeParquetTo(w, series, dps)
	})
}

// writeParquetTo writes the rows of validated series to w as a Parquet file,
// series i at design point dps[i].
func writeParquetTo(w io.Writer, series []*Series, dps []int32) error {
	b := newBatcher[parquetRow](w)
	for i, s := range series {
		k := 0
		for r := range s.Reps {
			for y := range s.Years {
				for _, m := range s.Metrics {
					if err := b.add(parquetRow{
						Scenario:    s.Scenario,
						DesignPoint: dps[i],
						Replication: int32(r),
						Year:        int32(y),
						Metric:      m,
						Value:       b.opt(s.Values[k]),
					}); err != nil {
						return err
					}
					k++
				}
			}
		}
	}
	return b.close()
}

// parquetColumns are the columns ReadParquet requires, with their physical
// types.
var parquetColumns = []struct {
	name string
	kind parquet.Kind
}{
	{"scenario", parquet.ByteArray},
	{"design_point", parquet.Int32},
	{"replication", parquet.Int32},
	{"year", parquet.Int32},
	{"metric", parquet.ByteArray},
	{"value", parquet.Double},
}

// ReadParquet reads every row of a Parquet file written by WriteParquet, in
// file order. Files from other writers (pyarrow, DuckDB's COPY ... TO, R
// arrow) read too if they have the six columns of Row at the top level with
// the same physical types (strings, int32, int32, int32, string, double);
// further columns are ignored. A NULL value reads as NaN; nulls in the
// other columns read as zero values ("" or 0). It is an error if the file cannot be opened or is not a
// well-formed Parquet file of that shape; a corrupt file is reported as an
// error, never a panic.
func ReadParquet(path string) (rows []Row, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("results: reading %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("results: reading %s: %w", path, err)
	}
	// A corrupt file can make the decoder panic (an index out of range, a
	// huge allocation); report it as the error it is.
	defer func() {
		if p := recover(); p != nil {
			rows, err = nil, fmt.Errorf("results: reading %s: malformed Parquet file: %v", path, p)
		}
	}()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("results: reading %s: %w", path, err)
	}
	if err := checkParquetSchema(pf.Schema()); err != nil {
		return nil, fmt.Errorf("results: reading %s: %w", path, err)
	}
	n := pf.NumRows()
	if n < 0 {
		return nil, fmt.Errorf("results: reading %s: malformed Parquet file: %d rows", path, n)
	}
	// Trust the row count in the footer only as far as a sane first
	// allocation goes; a corrupt count cannot then exhaust memory up front.
	rows = make([]Row, 0, min(n, 1<<22))
	rd := parquet.NewGenericReader[parquetRow](pf)
	defer rd.Close()
	// Ask for no more rows than the footer promises: the reader pays for
	// every row asked for beyond the end (a page read per column each).
	buf := make([]parquetRow, min(n, parquetBatch))
	for int64(len(rows)) < n {
		k, err := rd.Read(buf[:min(n-int64(len(rows)), int64(len(buf)))])
		for _, p := range buf[:k] {
			v := math.NaN()
			if p.Value != nil {
				v = *p.Value
			}
			rows = append(rows, Row{p.Scenario, p.DesignPoint, p.Replication, p.Year, p.Metric, v})
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("results: reading %s: %w", path, err)
		}
		if k == 0 {
			return nil, fmt.Errorf("results: reading %s: reader made no progress after %d rows", path, len(rows))
		}
	}
	if int64(len(rows)) != n {
		return nil, fmt.Errorf("results: reading %s: read %d rows, the footer says %d", path, len(rows), n)
	}
	return rows, nil
}

// checkParquetSchema reports whether s has the columns of Row as top-level,
// non-repeated leaves of the right physical types.
func checkParquetSchema(s *parquet.Schema) error {
	fields := make(map[string]parquet.Field, len(s.Fields()))
	for _, f := range s.Fields() {
		fields[f.Name()] = f
	}
	for _, c := range parquetColumns {
		f, ok := fields[c.name]
		switch {
		case !ok:
			return fmt.Errorf("no column %q", c.name)
		case !f.Leaf() || f.Repeated():
			return fmt.Errorf("column %q is not a plain column", c.name)
		case f.Type().Kind() != c.kind:
			return fmt.Errorf("column %q is %v, want %v", c.name, f.Type().Kind(), c.kind)
		}
	}
	return nil
}

// SeriesFromRows groups rows into Series, one per (scenario, design point)
// pair in the order the pairs first appear, with metrics in the order they
// first appear within the pair (WriteParquet's Metrics order), Reps one more
// than the largest replication and Years one more than the largest year.
// Rows may come in any order. It is an error if a row has a negative
// replication or year, if two rows give the same (scenario, design point,
// replication, year, metric), or if some combination of a pair's
// replications, years and metrics has no row (a gap). For the rows of a file
// written by WriteParquet the result equals the series written, values
// bit-identical, except that series with no values are absent and
// DesignPoint is the design point written (see WriteParquet).
func SeriesFromRows(rows []Row) ([]*Series, error) {
	type key struct {
		scenario string
		dp       int32
	}
	type group struct {
		s            *Series
		metric       map[string]int
		maxRep, maxY int32
	}
	var groups []*group
	byKey := make(map[key]*group)
	mi := make([]int32, len(rows)) // metric column of each row
	var last *group
	var lastKey key
	for i := range rows {
		r := &rows[i]
		if r.Replication < 0 || r.Year < 0 {
			return nil, fmt.Errorf("results: row %d (scenario %q, design point %d): negative replication %d or year %d",
				i, r.Scenario, r.DesignPoint, r.Replication, r.Year)
		}
		k := key{r.Scenario, r.DesignPoint}
		g := last
		if g == nil || k != lastKey {
			g = byKey[k]
			if g == nil {
				g = &group{
					s:      &Series{Scenario: r.Scenario, DesignPoint: int(r.DesignPoint)},
					metric: make(map[string]int),
					maxRep: -1, maxY: -1,
				}
				byKey[k] = g
				groups = append(groups, g)
			}
			last, lastKey = g, k
		}
		m, ok := g.metric[r.Metric]
		if !ok {
			m = len(g.s.Metrics)
			g.metric[r.Metric] = m
			g.s.Metrics = append(g.s.Metrics, r.Metric)
		}
		g.maxRep = max(g.maxRep, r.Replication)
		g.maxY = max(g.maxY, r.Year)
		mi[i] = int32(m)
	}
	gidx := make(map[*group]int32, len(groups))
	for i, g := range groups {
		gidx[g] = int32(i)
		g.s.Reps = int(g.maxRep) + 1
		g.s.Years = int(g.maxY) + 1
		cells := int64(g.s.Reps) * int64(g.s.Years) * int64(len(g.s.Metrics))
		// Every cell needs a row, so a group can have no more cells than
		// there are rows; more means a gap, found here before allocating.
		if cells > int64(len(rows)) {
			return nil, gapError(g.s, rows, mi)
		}
		g.s.Values = make([]float64, cells)
	}
	filled := make([][]bool, len(groups))
	for i, g := range groups {
		filled[i] = make([]bool, len(g.s.Values))
	}
	last = nil
	var lastG int32
	for i := range rows {
		r := &rows[i]
		k := key{r.Scenario, r.DesignPoint}
		if last == nil || k != lastKey {
			last, lastKey = byKey[k], k
			lastG = gidx[last]
		}
		s := last.s
		j := (int(r.Replication)*s.Years+int(r.Year))*len(s.Metrics) + int(mi[i])
		if filled[lastG][j] {
			return nil, fmt.Errorf("results: duplicate row for scenario %q, design point %d, replication %d, year %d, metric %q",
				r.Scenario, r.DesignPoint, r.Replication, r.Year, r.Metric)
		}
		filled[lastG][j] = true
		s.Values[j] = r.Value
	}
	out := make([]*Series, len(groups))
	for g, grp := range groups {
		s := grp.s
		if slices.Contains(filled[g], false) {
			return nil, gapError(s, rows, mi)
		}
		out[g] = s
	}
	return out, nil
}

// gapError names the first (replication, year, metric) of s, in Values
// order, that no row gives. mi holds the metric column of each row. It
// sorts the cells the rows of s do give, so it needs no memory for the
// cells they do not, however many.
func gapError(s *Series, rows []Row, mi []int32) error {
	nm := int64(len(s.Metrics))
	var have []int64
	for i := range rows {
		r := &rows[i]
		if r.Scenario == s.Scenario && int(r.DesignPoint) == s.DesignPoint {
			have = append(have, (int64(r.Replication)*int64(s.Years)+int64(r.Year))*nm+int64(mi[i]))
		}
	}
	slices.Sort(have)
	have = slices.Compact(have)
	j := int64(len(have)) // all cells before it are there
	for i, c := range have {
		if c != int64(i) {
			j = int64(i)
			break
		}
	}
	return fmt.Errorf("results: gap: no row for scenario %q, design point %d, replication %d, year %d, metric %q (%d replications x %d years x %d metrics, %d of them given)",
		s.Scenario, s.DesignPoint, j/nm/int64(s.Years), j/nm%int64(s.Years), s.Metrics[j%nm], s.Reps, s.Years, nm, len(have))
}

// batcher stages rows of type T for a Parquet writer and writes them
// parquetBatch at a time; opt gives a staged row's optional value a home
// until its batch is written (NULL for NaN). The one batching loop of the
// Parquet files this package writes.
type batcher[T any] struct {
	pw   *parquet.GenericWriter[T]
	rows []T
	vals []float64
}

// newBatcher returns a batcher writing a Parquet file of T rows to w.
func newBatcher[T any](w io.Writer) *batcher[T] {
	return &batcher[T]{pw: parquet.NewGenericWriter[T](w, parquet.MaxRowsPerRowGroup(parquetRowGroup)),
		rows: make([]T, 0, parquetBatch), vals: make([]float64, 0, parquetBatch)}
}

// opt returns v as an optional value: nil for NaN.
func (b *batcher[T]) opt(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	// A reallocation leaves earlier pointers into the old array, which
	// still holds their values.
	b.vals = append(b.vals, v)
	return &b.vals[len(b.vals)-1]
}

// add stages row, writing the batch when it is full.
func (b *batcher[T]) add(row T) error {
	b.rows = append(b.rows, row)
	if len(b.rows) < parquetBatch {
		return nil
	}
	return b.flush()
}

func (b *batcher[T]) flush() error {
	_, err := b.pw.Write(b.rows)
	b.rows, b.vals = b.rows[:0], b.vals[:0] // written: the writer copied them
	return err
}

// close writes the staged rows and the file's footer.
func (b *batcher[T]) close() error {
	if err := b.flush(); err != nil {
		return err
	}
	return b.pw.Close()
}
