package results

import (
	"io"
	"strconv"
)

// DistRow is one line of distribution.csv: a statistic of one group of GPs
// (grouped by year-0 attributes) comparing a reform with the first scenario
// for the same GPs, summarised over replications.
type DistRow struct {
	Scenario    string // "B-minus-A"
	DesignPoint int    // 0 without a design
	Mode        string // static or dynamic
	Year        int
	GroupBy     string // all, sex, specialist, age, list_bin, centrality
	Group       string
	Statistic   string // gps, dropout_share, mean_gross_change, mean_net_change, share_gain_5pct, share_lose_5pct
	Summary     SummaryRow
}

// DistHeader is the header of distribution.csv.
const DistHeader = "scenario,design_point,mode,year,group_by,group,statistic,mean,sd,q05,q25,q50,q75,q95"

// SummariseCells summarises per-replication values of labelled cells:
// values[(rep*cells+cell)*stats+stat]. It calls row for every cell and
// statistic in order with the summary over replications (NaN replications,
// where a group had no GP, are left out as in Summarise).
func SummariseCells(values []float64, reps, cells, stats int, row func(cell, stat int, s SummaryRow)) {
	xs := make([]float64, reps)
	for c := range cells {
		for k := range stats {
			for r := range reps {
				xs[r] = values[(r*cells+c)*stats+k]
			}
			row(c, k, summarise("", 0, "", xs))
		}
	}
}

// WriteDistributionCSV writes distribution rows.
func WriteDistributionCSV(w io.Writer, rows []DistRow) error {
	cw := newChunkWriter(w)
	cw.buf = append(cw.buf, DistHeader...)
	cw.endRow()
	for _, r := range rows {
		b := cw.buf
		b = append(b, CSVField(r.Scenario)...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(r.DesignPoint), 10)
		b = append(b, ',')
		b = append(b, r.Mode...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(r.Year), 10)
		for _, f := range []string{r.GroupBy, r.Group, r.Statistic} {
			b = append(b, ',')
			b = append(b, CSVField(f)...)
		}
		s := r.Summary
		for _, v := range []float64{s.Mean, s.SD, s.Q05, s.Q25, s.Q50, s.Q75, s.Q95} {
			b = append(b, ',')
			b = appendNumber(b, v)
		}
		cw.buf = b
		cw.endRow()
	}
	return cw.flush()
}
