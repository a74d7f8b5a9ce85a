package results

import (
	"io"
	"math"

	"github.com/parquet-go/parquet-go"
)

// Area levels: what an AreaRow's code names.
const (
	LevelMunicipality = "municipality" // a municipality code (2024 numbering in the embedded worlds)
	LevelCounty       = "county"       // a county number (the first two digits of the code)
	LevelCentrality   = "centrality"   // centrality_1 .. centrality_6 (SSB's centrality index classes)
	LevelSize         = "size"         // a size class by population at the end of the year (size_lt2k ...)
)

// AreaRow is one line of the per-area outputs (municipalities.parquet,
// counties.csv, groups.csv): the distribution over replications of one
// metric of one area in one year of one scenario (or paired difference).
type AreaRow struct {
	Level string // LevelMunicipality, LevelCounty, LevelCentrality or LevelSize
	Code  string
	Name  string
	SummaryRow
}

// AreaHeader is the header of counties.csv and groups.csv; the columns of
// municipalities.parquet have the same names.
const AreaHeader = "level,code,name," + SummaryHeader

// WriteAreaCSV writes rows with the header AreaHeader, in the given order.
func WriteAreaCSV(w io.Writer, rows []AreaRow) error {
	c := newChunkWriter(w)
	c.buf = append(c.buf, AreaHeader...)
	c.endRow()
	for i := range rows {
		r := &rows[i]
		for _, f := range [...]string{r.Level, r.Code, r.Name} {
			c.buf = append(c.buf, csvField(f)...)
			c.buf = append(c.buf, ',')
		}
		c.buf = appendSummary(c.buf, &r.SummaryRow)
		c.endRow()
		if c.err != nil {
			return c.err
		}
	}
	return c.flush()
}

// areaParquetRow is a row of municipalities.parquet. Statistics that are
// undefined (a mean over no GPs, the standard error of one replication)
// are NULL.
type areaParquetRow struct {
	Level       string   `parquet:"level,dict,zstd"`
	Code        string   `parquet:"code,dict,zstd"`
	Name        string   `parquet:"name,dict,zstd"`
	Scenario    string   `parquet:"scenario,dict,zstd"`
	DesignPoint int32    `parquet:"design_point,dict,zstd"`
	Year        int32    `parquet:"year,dict,zstd"`
	Metric      string   `parquet:"metric,dict,zstd"`
	Mean        *float64 `parquet:"mean,optional,zstd"`
	SD          *float64 `parquet:"sd,optional,zstd"`
	Q05         *float64 `parquet:"q05,optional,zstd"`
	Q25         *float64 `parquet:"q25,optional,zstd"`
	Q50         *float64 `parquet:"q50,optional,zstd"`
	Q75         *float64 `parquet:"q75,optional,zstd"`
	Q95         *float64 `parquet:"q95,optional,zstd"`
	N           int32    `parquet:"n,zstd"`
	SE          *float64 `parquet:"se,optional,zstd"`
}

// WriteAreaParquet writes rows as a Parquet file at path, atomically, with
// the columns of AreaHeader; NaN statistics are written as NULL.
func WriteAreaParquet(path string, rows []AreaRow) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		pw := parquet.NewGenericWriter[areaParquetRow](w, parquet.MaxRowsPerRowGroup(parquetRowGroup))
		batch := make([]areaParquetRow, 0, parquetBatch)
		vals := make([]float64, 0, 9*parquetBatch) // 9 optional statistics a row
		opt := func(v float64) *float64 {
			if math.IsNaN(v) {
				return nil
			}
			vals = append(vals, v)
			return &vals[len(vals)-1]
		}
		flush := func() error {
			_, err := pw.Write(batch)
			batch, vals = batch[:0], vals[:0]
			return err
		}
		for i := range rows {
			r := &rows[i]
			batch = append(batch, areaParquetRow{
				Level: r.Level, Code: r.Code, Name: r.Name, Scenario: r.Scenario,
				DesignPoint: int32(r.DesignPoint), Year: int32(r.Year), Metric: r.Metric,
				Mean: opt(r.Mean), SD: opt(r.SD), Q05: opt(r.Q05), Q25: opt(r.Q25), Q50: opt(r.Q50),
				Q75: opt(r.Q75), Q95: opt(r.Q95), N: int32(r.N), SE: opt(r.SE),
			})
			if len(batch) == parquetBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		return pw.Close()
	})
}

// ReadAreaParquet reads a file WriteAreaParquet wrote (NULL back to NaN).
func ReadAreaParquet(path string) ([]AreaRow, error) {
	prs, err := readAreaParquetRaw(path)
	if err != nil {
		return nil, err
	}
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	rows := make([]AreaRow, len(prs))
	for i, p := range prs {
		rows[i] = AreaRow{Level: p.Level, Code: p.Code, Name: p.Name, SummaryRow: SummaryRow{
			Scenario: p.Scenario, DesignPoint: int(p.DesignPoint), Year: int(p.Year), Metric: p.Metric,
			Mean: val(p.Mean), SD: val(p.SD), Q05: val(p.Q05), Q25: val(p.Q25), Q50: val(p.Q50),
			Q75: val(p.Q75), Q95: val(p.Q95), N: int(p.N), SE: val(p.SE),
		}}
	}
	return rows, nil
}

// readAreaParquetRaw reads the file's rows as stored (for tests of NULLs).
func readAreaParquetRaw(path string) ([]areaParquetRow, error) {
	return parquet.ReadFile[areaParquetRow](path)
}
