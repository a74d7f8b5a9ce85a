package results

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// SummaryRow is one line of summary.csv: the distribution over replications
// of one metric in one year of one scenario. Units are the metric's.
type SummaryRow struct {
	Scenario    string
	DesignPoint int // 0 without a design
	Year        int
	Metric      string
	Mean        float64 // mean over replications
	SD          float64 // standard deviation over replications (n-1 denominator; 0 for one replication)
	Q05         float64 // 5 % quantile (type 7)
	Q25         float64 // 25 % quantile
	Q50         float64 // median
	Q75         float64 // 75 % quantile
	Q95         float64 // 95 % quantile
	// N is the number of replications behind the row (those where the
	// metric is defined; a mean over an empty group is NaN and left out).
	N int
	// SE is the Monte Carlo standard error of Mean, SD/sqrt(N); NaN for
	// fewer than two replications.
	SE float64
}

// Quantile7 returns the p-quantile of sorted (ascending, no NaN) by linear
// interpolation between order statistics: R's quantile type 7, numpy's
// default method "linear". With n values, h = (n-1)*p and the result lies
// between sorted[floor(h)] and sorted[floor(h)+1] at fraction h-floor(h).
//
// The interpolation is done as numpy's _lerp does it (a + (b-a)*t for
// t < 0.5, b - (b-a)*(1-t) otherwise), so results match numpy.quantile to
// the last bit, are exact at the order statistics, and never leave
// [sorted[lo], sorted[lo+1]].
//
// It returns NaN for an empty slice and panics if p is not in [0, 1].
func Quantile7(sorted []float64, p float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("results.Quantile7: p = %g not in [0, 1]", p))
	}
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	lo := math.Floor(h)
	t := h - lo
	i := int(lo)
	j := min(i+1, n-1)
	a, b := sorted[i], sorted[j]
	diff := b - a
	if t >= 0.5 {
		return b - diff*(1-t)
	}
	return a + diff*t
}

// summaryProbs are the quantile levels of SummaryRow.
var summaryProbs = [5]float64{0.05, 0.25, 0.50, 0.75, 0.95}

// Summarise returns one SummaryRow per year and metric of s, ordered by year
// and then by metric in Metrics order. Mean and SD are over replications, in
// replication order (gonum/stat); SD uses the n-1 denominator and is 0 when
// there is one replication. Quantiles use Quantile7.
//
// A NaN marks a replication in which the metric is undefined (a mean over
// an empty group, such as GPs with lists above 1,800 when there are none):
// such replications are left out of that row's statistics, and a row with no
// defined value is all NaN. Counts of GPs in the groups are separate metrics,
// so how often a group was empty can be read off them. Summarise returns nil if s has no
// replications, and panics if s is malformed (see Series.Validate).
func Summarise(s *Series) []SummaryRow {
	if err := s.Validate(); err != nil {
		panic("results.Summarise: " + err.Error())
	}
	if s.Reps == 0 {
		return nil
	}
	nm := len(s.Metrics)
	rows := make([]SummaryRow, 0, s.Years*nm)
	xs := make([]float64, s.Reps)
	for y := range s.Years {
		for m, name := range s.Metrics {
			for r := range s.Reps {
				xs[r] = s.Values[(r*s.Years+y)*nm+m]
			}
			row := summarise(s.Scenario, y, name, xs)
			row.DesignPoint = s.DesignPoint
			rows = append(rows, row)
		}
	}
	return rows
}

// summarise computes one row from the values xs in replication order; it
// sorts xs in place.
func summarise(scenario string, year int, metric string, xs []float64) SummaryRow {
	row := SummaryRow{Scenario: scenario, Year: year, Metric: metric}
	xs = slices.DeleteFunc(xs, math.IsNaN)
	row.N, row.SE = len(xs), math.NaN()
	if len(xs) == 0 {
		nan := math.NaN()
		row.Mean, row.SD, row.Q05, row.Q25, row.Q50, row.Q75, row.Q95 = nan, nan, nan, nan, nan, nan, nan
		return row
	}
	if len(xs) == 1 {
		row.Mean = xs[0]
	} else {
		row.Mean, row.SD = stat.MeanStdDev(xs, nil)
		row.SE = row.SD / math.Sqrt(float64(len(xs)))
	}
	slices.Sort(xs)
	q := [5]float64{}
	for i, p := range summaryProbs {
		q[i] = Quantile7(xs, p)
	}
	row.Q05, row.Q25, row.Q50, row.Q75, row.Q95 = q[0], q[1], q[2], q[3], q[4]
	return row
}
