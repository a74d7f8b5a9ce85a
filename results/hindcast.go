package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// HindcastRow is one line of hindcast.csv (written by listetak hindcast):
// one fit's simulated target moment in one calendar year, summarised over
// replications, beside the observed value where the targets have one.
type HindcastRow struct {
	Fit    string // the parameter set's label
	Moment string // a target moment (calibrate's targets)
	Group  string // "all" or a group of the moment
	Year   int    // calendar year (31 December)
	// Observed and SE are the published value and its standard error;
	// NaN (an empty cell) in years without a target.
	Observed, SE float64
	// Mean, Q05, Q50 and Q95 summarise the replications: the Monte Carlo
	// band, parameters fixed at the fit's.
	Mean, Q05, Q50, Q95 float64
	// Sample is "in" for a target the fit was estimated on, "out" for one
	// held out of its estimate, "" without a target.
	Sample string
	// Pass: the observed value lies in [Q05, Q95] or the mean is within
	// the tolerance (calibrate.HindcastTolerance); false without a target.
	Pass bool
}

// HindcastHeader lists the columns of hindcast.csv.
const HindcastHeader = "fit,moment,group,year,observed,se,mean,q05,q50,q95,sample,pass"

// cell formats x in shortest round-trip form, NaN as an empty cell.
func cell(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// WriteHindcastCSV writes rows as hindcast.csv.
func WriteHindcastCSV(w io.Writer, rows []HindcastRow) error {
	cw := csv.NewWriter(w)
	cw.Write(strings.Split(HindcastHeader, ","))
	for _, r := range rows {
		pass := ""
		if r.Sample != "" {
			pass = strconv.FormatBool(r.Pass)
		}
		cw.Write([]string{r.Fit, r.Moment, r.Group, strconv.Itoa(r.Year), cell(r.Observed), cell(r.SE),
			cell(r.Mean), cell(r.Q05), cell(r.Q50), cell(r.Q95), r.Sample, pass})
	}
	cw.Flush()
	return cw.Error()
}

// ParseHindcastCSV reads hindcast.csv rows from r; name is used in error
// messages, which give the line and column.
func ParseHindcastCSV(r io.Reader, name string) ([]HindcastRow, error) {
	var rows []HindcastRow
	err := csvTable(name, r, strings.Split(HindcastHeader, ","), false, func(line int, rec []string, col map[string]int) error {
		h := HindcastRow{Fit: rec[col["fit"]], Moment: rec[col["moment"]], Group: rec[col["group"]], Sample: rec[col["sample"]]}
		if h.Fit == "" || h.Moment == "" {
			return errors.New("column fit or moment: empty")
		}
		y, err := strconv.Atoi(strings.TrimSpace(rec[col["year"]]))
		if err != nil {
			return fmt.Errorf("column year: %q is not a year", rec[col["year"]])
		}
		h.Year = y
		for _, c := range [...]struct {
			name string
			dst  *float64
		}{{"observed", &h.Observed}, {"se", &h.SE}, {"mean", &h.Mean}, {"q05", &h.Q05}, {"q50", &h.Q50}, {"q95", &h.Q95}} {
			if strings.TrimSpace(rec[col[c.name]]) == "" {
				*c.dst = math.NaN()
				continue
			}
			if *c.dst, err = fieldFloat(rec, col, c.name); err != nil {
				return err
			}
		}
		switch h.Sample {
		case "":
		case "in", "out":
			if h.Pass, err = strconv.ParseBool(rec[col["pass"]]); err != nil {
				return fmt.Errorf("column pass: %q is not true or false", rec[col["pass"]])
			}
		default:
			return fmt.Errorf("column sample: %q is not in, out or empty", h.Sample)
		}
		rows = append(rows, h)
		return nil
	})
	return rows, err
}

// ReadHindcastCSV reads a hindcast.csv file.
func ReadHindcastCSV(path string) (rows []HindcastRow, err error) {
	err = openRead(path, func(r io.Reader) error {
		rows, err = ParseHindcastCSV(r, path)
		return err
	})
	return rows, err
}
