package results

import (
	"io"
	"strconv"
)

// SensitivityRow is one line of sensitivity.csv: a global sensitivity index
// of one output (a metric in a year, averaged over replications at each
// design point) to one factor.
type SensitivityRow struct {
	Scenario string
	Metric   string
	Year     int
	Factor   string
	Index    string  // S1, ST (Sobol) or mu, mu_star, sigma (Morris)
	Estimate float64 // the index
	Low      float64 // 95 % bootstrap interval (NaN where there is none)
	High     float64
}

// SensitivityHeader is the header of sensitivity.csv.
const SensitivityHeader = "scenario,metric,year,factor,index,estimate,ci_low,ci_high"

// WriteSensitivityCSV writes sensitivity rows.
func WriteSensitivityCSV(w io.Writer, rows []SensitivityRow) error {
	cw := newChunkWriter(w)
	cw.buf = append(cw.buf, SensitivityHeader...)
	cw.endRow()
	for _, r := range rows {
		b := append(cw.buf, CSVField(r.Scenario)...)
		b = append(b, ',')
		b = append(b, CSVField(r.Metric)...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(r.Year), 10)
		b = append(b, ',')
		b = append(b, CSVField(r.Factor)...)
		b = append(b, ',')
		b = append(b, r.Index...)
		for _, v := range []float64{r.Estimate, r.Low, r.High} {
			b = append(b, ',')
			b = appendNumber(b, v)
		}
		cw.buf = b
		cw.endRow()
	}
	return cw.flush()
}

// WriteDesignPointsCSV writes design_points.csv: design_point and one
// column per factor.
func WriteDesignPointsCSV(w io.Writer, factors []string, points [][]float64) error {
	cw := newChunkWriter(w)
	cw.buf = append(cw.buf, "design_point"...)
	for _, f := range factors {
		cw.buf = append(cw.buf, ',')
		cw.buf = append(cw.buf, CSVField(f)...)
	}
	cw.endRow()
	for i, p := range points {
		cw.buf = strconv.AppendInt(cw.buf, int64(i), 10)
		for _, v := range p {
			cw.buf = append(cw.buf, ',')
			cw.buf = appendNumber(cw.buf, v)
		}
		cw.endRow()
	}
	return cw.flush()
}
