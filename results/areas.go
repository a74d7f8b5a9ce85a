package results

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

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
			c.buf = append(c.buf, CSVField(f)...)
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
		b := newBatcher[areaParquetRow](w)
		for i := range rows {
			r := &rows[i]
			if err := b.add(areaParquetRow{
				Level: r.Level, Code: r.Code, Name: r.Name, Scenario: r.Scenario,
				DesignPoint: int32(r.DesignPoint), Year: int32(r.Year), Metric: r.Metric,
				Mean: b.opt(r.Mean), SD: b.opt(r.SD), Q05: b.opt(r.Q05), Q25: b.opt(r.Q25), Q50: b.opt(r.Q50),
				Q75: b.opt(r.Q75), Q95: b.opt(r.Q95), N: int32(r.N), SE: b.opt(r.SE),
			}); err != nil {
				return err
			}
		}
		return b.close()
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

// AreaFile returns the file of a run folder that holds an area level's
// rows: municipalities.parquet, counties.csv, or groups.csv (centrality
// and size classes).
func AreaFile(level string) (string, error) {
	switch level {
	case LevelMunicipality:
		return "municipalities.parquet", nil
	case LevelCounty:
		return "counties.csv", nil
	case LevelCentrality, LevelSize:
		return "groups.csv", nil
	}
	return "", fmt.Errorf("results: no area level %q (want %s, %s, %s or %s)", level, LevelMunicipality, LevelCounty, LevelCentrality, LevelSize)
}

// ReadAreas reads the rows of one area level from a run folder.
func ReadAreas(dir, level string) ([]AreaRow, error) {
	name, err := AreaFile(level)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("results: %s: no per-area results (a run with -municipal=false, or from before them?)", path)
	}
	if level == LevelMunicipality {
		rows, err := ReadAreaParquet(path)
		if err != nil {
			return nil, fmt.Errorf("results: %s: %w", path, err)
		}
		return rows, nil
	}
	var rows []AreaRow
	err = openRead(path, func(r io.Reader) error {
		rows, err = ParseAreaCSV(r, path)
		return err
	})
	return rows, err
}

// SelectArea returns the rows of one area of a level: key is its code
// ("3301", "33", "centrality_2", "size_lt2k"), or its name, compared
// without regard to case and also with the part before " - " of a
// bilingual name ("Oslo" for "Oslo - Oslove"). A name two areas share is
// an error listing their codes; a key that matches nothing is an error
// naming it.
func SelectArea(rows []AreaRow, level, key string) ([]AreaRow, error) {
	codes := map[string]string{} // code -> name, of this level
	var order []string
	for _, r := range rows {
		if r.Level != level {
			continue
		}
		if _, ok := codes[r.Code]; !ok {
			codes[r.Code] = r.Name
			order = append(order, r.Code)
		}
	}
	code := ""
	if _, ok := codes[key]; ok {
		code = key
	} else {
		var matches []string
		for _, c := range order {
			n := codes[c]
			short, _, _ := strings.Cut(n, " - ")
			if strings.EqualFold(n, key) || strings.EqualFold(short, key) {
				matches = append(matches, c)
			}
		}
		switch len(matches) {
		case 0:
			return nil, fmt.Errorf("no %s %q in these results (%d of them, codes %s)", level, key, len(order), codeRange(order))
		case 1:
			code = matches[0]
		default:
			return nil, fmt.Errorf("%d %s areas are called %q (codes %s): give the code", len(matches), level, key, strings.Join(matches, ", "))
		}
	}
	var out []AreaRow
	for _, r := range rows {
		if r.Level == level && r.Code == code {
			out = append(out, r)
		}
	}
	return out, nil
}

// codeRange describes a list of codes by its first and last few.
func codeRange(codes []string) string {
	if len(codes) <= 6 {
		return strings.Join(codes, ", ")
	}
	return strings.Join(codes[:3], ", ") + ", ..., " + strings.Join(codes[len(codes)-3:], ", ")
}

// PrintSummaryBands writes an aligned text table of one scenario's rows
// (design point 0) for the terminal, as PrintBands does for replications:
// one row per year, for each metric its median and 5-95 % band, "median
// [q05, q95]". title heads the table. A metric or year missing from rows
// is an error.
func PrintSummaryBands(w io.Writer, title string, rows []SummaryRow, scenario string, metrics []string, years []int) error {
	type key struct {
		year   int
		metric string
	}
	by := map[key]*SummaryRow{}
	n := 0
	for i := range rows {
		r := &rows[i]
		if r.Scenario == scenario && r.DesignPoint == 0 {
			by[key{r.Year, r.Metric}] = r
			n = max(n, r.N)
		}
	}
	cells := [][]string{append([]string{"year"}, metrics...)}
	for _, y := range years {
		row := []string{strconv.Itoa(y)}
		for _, m := range metrics {
			r := by[key{y, m}]
			if r == nil {
				return fmt.Errorf("results: %s has no %s in year %d", scenario, m, y)
			}
			row = append(row, formatSummaryBand(m, r))
		}
		cells = append(cells, row)
	}
	return writeAligned(w, fmt.Sprintf("%s, %s: median [5%%, 95%%] over %d replications", title, scenario, n), cells)
}

// formatSummaryBand returns "median [q05, q95]" of a summary row, "NaN"
// when no replication defines the metric.
func formatSummaryBand(metric string, r *SummaryRow) string {
	if math.IsNaN(r.Q50) {
		return "NaN"
	}
	return formatValue(metric, r.Q50) + " [" + formatValue(metric, r.Q05) + ", " + formatValue(metric, r.Q95) + "]"
}
