package results

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"listetak/internal/csvtable"
)

// This file reads back the tables a run writes, for plots and reports made
// from a run folder on another machine. Every error names the file, the
// line and, where it applies, the column at fault.

// csvTable reads a CSV file whose first line is a header and calls row for
// every later record with its line number. want lists the columns the file
// must have; with exact, the header must be exactly want in that order,
// otherwise any order and extra columns are accepted. row gets col, which
// maps a name of want to its index in the record.
func csvTable(name string, r io.Reader, want []string, exact bool, row func(line int, rec []string, col map[string]int) error) error {
	sc := csvtable.NewScanner(r)
	header, _, _, probs, fatal := sc.Header()
	if fatal && probs[0].Msg == csvtable.EmptyFile {
		return fmt.Errorf("%s: empty file (want the header %q)", name, strings.Join(want, ","))
	}
	if len(probs) > 0 {
		return probs[0].In(name)
	}
	col := make(map[string]int, len(want))
	if exact {
		if !slices.Equal(header, want) {
			return fmt.Errorf("%s:1: header %q, want %q", name, strings.Join(header, ","), strings.Join(want, ","))
		}
		for i, w := range want {
			col[w] = i
		}
	} else {
		for _, w := range want {
			i := slices.Index(header, w)
			if i < 0 {
				return fmt.Errorf("%s:1: no column %q in the header %q", name, w, strings.Join(header, ","))
			}
			col[w] = i
		}
	}
	for sc.Scan() {
		if p := sc.Problem(); p != nil {
			return p.In(name)
		}
		if err := row(sc.Line(), sc.Record(), col); err != nil {
			return fmt.Errorf("%s:%d: %w", name, sc.Line(), err)
		}
	}
	if p := sc.Err(); p != nil {
		return p.In(name)
	}
	return nil
}

// fieldFloat parses column c of rec as a float64 ("NaN", "+Inf" and "-Inf"
// included, as the writers emit them).
func fieldFloat(rec []string, col map[string]int, c string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(rec[col[c]]), 64)
	if err != nil {
		return 0, fmt.Errorf("column %s: %q is not a number", c, rec[col[c]])
	}
	return v, nil
}

// fieldInt parses column c of rec as an integer, also when written as a
// float without fraction ("3", "3e+00").
func fieldInt(rec []string, col map[string]int, c string) (int, error) {
	s := strings.TrimSpace(rec[col[c]])
	if i, err := strconv.Atoi(s); err == nil {
		return i, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != float64(int(v)) {
		return 0, fmt.Errorf("column %s: %q is not an integer", c, rec[col[c]])
	}
	return int(v), nil
}

// openRead opens path and calls read with it.
func openRead(path string, read func(io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	defer f.Close()
	return read(f)
}

// summaryStats reads the seven statistic columns into s.
func summaryStats(rec []string, col map[string]int, s *SummaryRow) error {
	dst := [...]*float64{&s.Mean, &s.SD, &s.Q05, &s.Q25, &s.Q50, &s.Q75, &s.Q95}
	for i, c := range [...]string{"mean", "sd", "q05", "q25", "q50", "q75", "q95"} {
		v, err := fieldFloat(rec, col, c)
		if err != nil {
			return err
		}
		*dst[i] = v
	}
	return nil
}

// ParseSummaryCSV reads summary.csv rows (header SummaryHeader) from r;
// name is used in error messages ("summary.csv:12: column q50: ...").
func ParseSummaryCSV(r io.Reader, name string) ([]SummaryRow, error) {
	var rows []SummaryRow
	err := csvTable(name, r, strings.Split(SummaryHeader, ","), true, func(line int, rec []string, col map[string]int) error {
		s, err := parseSummaryRow(rec, col)
		rows = append(rows, s)
		return err
	})
	return rows, err
}

// parseSummaryRow parses the columns of SummaryHeader in rec (by col).
func parseSummaryRow(rec []string, col map[string]int) (SummaryRow, error) {
	s := SummaryRow{Scenario: rec[col["scenario"]], Metric: rec[col["metric"]]}
	var err error
	if s.DesignPoint, err = fieldInt(rec, col, "design_point"); err != nil {
		return s, err
	}
	if s.Year, err = fieldInt(rec, col, "year"); err != nil {
		return s, err
	}
	if err := summaryStats(rec, col, &s); err != nil {
		return s, err
	}
	if s.N, err = fieldInt(rec, col, "n"); err != nil {
		return s, err
	}
	s.SE, err = fieldFloat(rec, col, "se")
	return s, err
}

// ParseAreaCSV reads counties.csv or groups.csv rows (header AreaHeader)
// from r; name is used in error messages.
func ParseAreaCSV(r io.Reader, name string) ([]AreaRow, error) {
	var rows []AreaRow
	err := csvTable(name, r, strings.Split(AreaHeader, ","), true, func(line int, rec []string, col map[string]int) error {
		s, err := parseSummaryRow(rec, col)
		rows = append(rows, AreaRow{Level: rec[col["level"]], Code: rec[col["code"]], Name: rec[col["name"]], SummaryRow: s})
		return err
	})
	return rows, err
}

// ReadSummaryCSV reads a summary.csv file.
func ReadSummaryCSV(path string) (rows []SummaryRow, err error) {
	err = openRead(path, func(r io.Reader) error {
		rows, err = ParseSummaryCSV(r, path)
		return err
	})
	return rows, err
}

// ParseDistributionCSV reads distribution.csv rows (header DistHeader)
// from r; name is used in error messages.
func ParseDistributionCSV(r io.Reader, name string) ([]DistRow, error) {
	var rows []DistRow
	err := csvTable(name, r, strings.Split(DistHeader, ","), true, func(line int, rec []string, col map[string]int) error {
		d := DistRow{Scenario: rec[0], Mode: rec[2], GroupBy: rec[4], Group: rec[5], Statistic: rec[6]}
		var err error
		if d.DesignPoint, err = fieldInt(rec, col, "design_point"); err != nil {
			return err
		}
		if d.Year, err = fieldInt(rec, col, "year"); err != nil {
			return err
		}
		if d.Mode != "static" && d.Mode != "dynamic" {
			return fmt.Errorf("column mode: %q is neither static nor dynamic", d.Mode)
		}
		if err := summaryStats(rec, col, &d.Summary); err != nil {
			return err
		}
		d.Summary.Scenario, d.Summary.DesignPoint, d.Summary.Year, d.Summary.Metric = d.Scenario, d.DesignPoint, d.Year, d.Statistic
		rows = append(rows, d)
		return nil
	})
	return rows, err
}

// ReadDistributionCSV reads a distribution.csv file.
func ReadDistributionCSV(path string) (rows []DistRow, err error) {
	err = openRead(path, func(r io.Reader) error {
		rows, err = ParseDistributionCSV(r, path)
		return err
	})
	return rows, err
}

// ParseSensitivityCSV reads sensitivity.csv rows (header
// SensitivityHeader) from r; name is used in error messages.
func ParseSensitivityCSV(r io.Reader, name string) ([]SensitivityRow, error) {
	var rows []SensitivityRow
	err := csvTable(name, r, strings.Split(SensitivityHeader, ","), true, func(line int, rec []string, col map[string]int) error {
		s := SensitivityRow{Scenario: rec[0], Metric: rec[1], Factor: rec[3], Index: rec[4]}
		var err error
		if s.Year, err = fieldInt(rec, col, "year"); err != nil {
			return err
		}
		if s.Estimate, err = fieldFloat(rec, col, "estimate"); err != nil {
			return err
		}
		if s.Low, err = fieldFloat(rec, col, "ci_low"); err != nil {
			return err
		}
		if s.High, err = fieldFloat(rec, col, "ci_high"); err != nil {
			return err
		}
		rows = append(rows, s)
		return nil
	})
	return rows, err
}

// ReadSensitivityCSV reads a sensitivity.csv file.
func ReadSensitivityCSV(path string) (rows []SensitivityRow, err error) {
	err = openRead(path, func(r io.Reader) error {
		rows, err = ParseSensitivityCSV(r, path)
		return err
	})
	return rows, err
}

// FitRow is one line of fit.csv, written by a calibration: one moment
// (a statistic of the register data, optionally for one group) as observed
// and as simulated, in the moment's own unit.
type FitRow struct {
	Moment    string
	Group     string  // "" for a moment of the whole population
	Observed  float64 // the register value
	Simulated float64 // the model's value at the estimates
	SE        float64 // standard error of observed - simulated
	Weight    float64 // the moment's weight in the objective
	// Suppressed is true for a small cell of register data: calibrate writes
	// its name with empty values (DATA.md), read as NaN.
	Suppressed bool
}

// FitHeader lists the columns of fit.csv. Readers accept them in any order
// and ignore extra columns.
const FitHeader = "moment,group,observed,simulated,se,weight"

// ParseFitCSV reads fit.csv rows from r; name is used in error messages.
func ParseFitCSV(r io.Reader, name string) ([]FitRow, error) {
	var rows []FitRow
	err := csvTable(name, r, strings.Split(FitHeader, ","), false, func(line int, rec []string, col map[string]int) error {
		f := FitRow{Moment: rec[col["moment"]], Group: rec[col["group"]]}
		if f.Moment == "" {
			return errors.New("column moment: empty")
		}
		dst := [...]*float64{&f.Observed, &f.Simulated, &f.SE, &f.Weight}
		if rec[col["observed"]] == "" && rec[col["simulated"]] == "" && rec[col["se"]] == "" {
			f.Suppressed = true
			f.Observed, f.Simulated, f.SE = math.NaN(), math.NaN(), math.NaN()
			dst = [...]*float64{nil, nil, nil, &f.Weight}
		}
		for i, c := range [...]string{"observed", "simulated", "se", "weight"} {
			if dst[i] == nil {
				continue
			}
			v, err := fieldFloat(rec, col, c)
			if err != nil {
				return err
			}
			*dst[i] = v
		}
		if f.SE < 0 {
			return fmt.Errorf("column se: negative standard error %v", f.SE)
		}
		rows = append(rows, f)
		return nil
	})
	return rows, err
}

// ReadFitCSV reads a fit.csv file.
func ReadFitCSV(path string) (rows []FitRow, err error) {
	err = openRead(path, func(r io.Reader) error {
		rows, err = ParseFitCSV(r, path)
		return err
	})
	return rows, err
}

// ReadDesignPointsCSV reads design_points.csv: the factor names (the
// columns after design_point) and one row of factor values per design
// point, in file order.
func ReadDesignPointsCSV(path string) (factors []string, points [][]float64, err error) {
	err = openRead(path, func(r io.Reader) error {
		cr := csv.NewReader(r)
		header, err := cr.Read()
		if err != nil {
			return fmt.Errorf("%s: header: %w", path, err)
		}
		if len(header) == 0 || header[0] != "design_point" {
			return fmt.Errorf("%s:1: header %q does not start with design_point", path, strings.Join(header, ","))
		}
		factors = slices.Clone(header[1:])
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			line, _ := cr.FieldPos(0)
			p := make([]float64, len(factors))
			for i := range factors {
				if p[i], err = strconv.ParseFloat(rec[i+1], 64); err != nil {
					return fmt.Errorf("%s:%d: column %s: %q is not a number", path, line, factors[i], rec[i+1])
				}
			}
			points = append(points, p)
		}
	})
	return factors, points, err
}

// ReadManifest reads manifest.json. Unknown keys are ignored, so a
// manifest written by a later version still reads.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := 1 + strings.Count(string(b[:min(int(se.Offset), len(b))]), "\n")
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}
