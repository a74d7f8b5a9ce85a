package results

import (
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
)

// AreaSeries is one area's per-replication values: a Series per scenario
// (no paired differences), every metric of the per-area outputs.
type AreaSeries struct {
	Level, Code, Name string
	Series            []*Series
}

// AreaRepRow is a row of areas_replications.parquet
// (WriteAreaReplicationsParquet): one value of one metric of one area in
// one year of one replication. An undefined value (a ratio over nobody)
// is NULL.
type AreaRepRow struct {
	Level       string   `parquet:"level,dict,zstd"`
	Code        string   `parquet:"code,dict,zstd"`
	Name        string   `parquet:"name,dict,zstd"`
	Scenario    string   `parquet:"scenario,dict,zstd"`
	DesignPoint int32    `parquet:"design_point,dict,zstd"`
	Replication int32    `parquet:"replication,dict,zstd"`
	Year        int32    `parquet:"year,dict,zstd"`
	Metric      string   `parquet:"metric,dict,zstd"`
	Value       *float64 `parquet:"value,optional,zstd"`
}

// WriteAreaReplicationsParquet writes every value of every area's series
// as a Parquet file at path, atomically: columns level, code, name,
// scenario, design_point, replication, year, metric and value (NULL for
// NaN), in the order of areas, then series, replication, year and metric.
// It is an error if a series is malformed (Series.Validate).
func WriteAreaReplicationsParquet(path string, areas []AreaSeries) error {
	for _, a := range areas {
		for _, s := range a.Series {
			if err := s.Validate(); err != nil {
				return fmt.Errorf("results: writing %s: %s %s: %w", path, a.Level, a.Code, err)
			}
		}
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		b := newBatcher[AreaRepRow](w)
		for _, a := range areas {
			for _, s := range a.Series {
				k := 0
				for rep := range s.Reps {
					for y := range s.Years {
						for _, m := range s.Metrics {
							if err := b.add(AreaRepRow{Level: a.Level, Code: a.Code, Name: a.Name, Scenario: s.Scenario,
								DesignPoint: int32(s.DesignPoint), Replication: int32(rep), Year: int32(y), Metric: m,
								Value: b.opt(s.Values[k])}); err != nil {
								return err
							}
							k++
						}
					}
				}
			}
		}
		return b.close()
	})
}

// ReadAreaReplicationsParquet reads a file WriteAreaReplicationsParquet
// wrote, as stored (NULL values nil).
func ReadAreaReplicationsParquet(path string) ([]AreaRepRow, error) {
	rows, err := parquet.ReadFile[AreaRepRow](path)
	if err != nil {
		return nil, fmt.Errorf("results: reading %s: %w", path, err)
	}
	return rows, nil
}
