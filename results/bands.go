package results

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// PrintBands writes a short aligned text table of s for the terminal: one
// row per year, and for each metric its median over replications with the
// 5-95 % band, as "median [q05, q95]".
//
// metrics selects and orders the columns (nil or empty: all metrics of s);
// years selects the rows by year index, 0 being the starting state (nil or
// empty: every year). Metrics whose name ends in "_share", and "coverage",
// are shown as percentages with 2 decimals; other numbers get thousands
// separators and a few decimals where they matter (see formatValue).
//
// It returns an error for an unknown metric, a year out of range, a malformed
// series or one without replications, and any write error.
func PrintBands(w io.Writer, s *Series, metrics []string, years []int) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.Reps == 0 {
		return fmt.Errorf("results: series %q has no replications", s.Scenario)
	}
	if len(metrics) == 0 {
		metrics = s.Metrics
	}
	cols := make([]int, len(metrics))
	for i, name := range metrics {
		if cols[i] = s.MetricIndex(name); cols[i] < 0 {
			return fmt.Errorf("results: series %q has no metric %q", s.Scenario, name)
		}
	}
	if len(years) == 0 {
		years = make([]int, s.Years)
		for y := range years {
			years[y] = y
		}
	}
	for _, y := range years {
		if y < 0 || y >= s.Years {
			return fmt.Errorf("results: series %q has no year %d (years 0..%d)", s.Scenario, y, s.Years-1)
		}
	}

	// cells[0] is the header; the first column is the year.
	cells := make([][]string, 0, len(years)+1)
	header := append([]string{"year"}, metrics...)
	cells = append(cells, header)
	xs := make([]float64, s.Reps)
	nm := len(s.Metrics)
	for _, y := range years {
		row := make([]string, 0, len(metrics)+1)
		row = append(row, strconv.Itoa(y))
		for i, m := range cols {
			for r := range s.Reps {
				xs[r] = s.Values[(r*s.Years+y)*nm+m]
			}
			row = append(row, formatBand(metrics[i], xs))
		}
		cells = append(cells, row)
	}

	return writeAligned(w, fmt.Sprintf("%s: median [5%%, 95%%] over %d replications", s.Scenario, s.Reps), cells)
}

// writeAligned writes title and then cells (the header first) as
// right-aligned columns two spaces apart: numbers line up on their last
// digit.
func writeAligned(w io.Writer, title string, cells [][]string) error {
	widths := make([]int, len(cells[0]))
	for _, row := range cells {
		for j, c := range row {
			widths[j] = max(widths[j], len(c))
		}
	}
	var b strings.Builder
	b.WriteString(title)
	b.WriteByte('\n')
	for _, row := range cells {
		for j, c := range row {
			if j > 0 {
				b.WriteString("  ")
			}
			b.WriteString(strings.Repeat(" ", widths[j]-len(c)))
			b.WriteString(c)
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// formatBand returns "median [q05, q95]" of xs (modified: sorted). A NaN
// among xs gives "NaN".
func formatBand(metric string, xs []float64) string {
	if slices.ContainsFunc(xs, math.IsNaN) {
		return "NaN"
	}
	slices.Sort(xs)
	return formatValue(metric, Quantile7(xs, 0.5)) + " [" +
		formatValue(metric, Quantile7(xs, 0.05)) + ", " +
		formatValue(metric, Quantile7(xs, 0.95)) + "]"
}

// isShareMetric reports whether a metric is a share (a fraction shown as a
// percentage): its name ends in "_share" or is "coverage".
func isShareMetric(name string) bool {
	return strings.HasSuffix(name, "_share") || name == "coverage"
}

// formatValue formats v for the terminal:
//   - shares (isShareMetric) as percentages with 2 decimals: 0.01234 -> "1.23%";
//   - whole numbers and |v| >= 1000 as integers with thousands separators:
//     5432109.6 -> "5,432,110";
//   - 100 <= |v| < 1000 with 1 decimal, 1 <= |v| < 100 with 2 decimals,
//     smaller numbers with 3 significant digits.
func formatValue(metric string, v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'g', -1, 64)
	case isShareMetric(metric):
		return strconv.FormatFloat(100*v, 'f', 2, 64) + "%"
	}
	// The number of decimals follows the magnitude after rounding, so that
	// 999.96 shows as "1,000" and not "1000.0".
	a := math.Abs(v)
	switch {
	case v == math.Trunc(v) || math.Round(a*10)/10 >= 1000:
		return groupThousands(math.Round(v))
	case math.Round(a*100)/100 >= 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

// groupThousands formats a whole number with commas between groups of three
// digits: -1234567 -> "-1,234,567".
func groupThousands(v float64) string {
	if v == 0 {
		return "0" // also for -0
	}
	s := strconv.FormatFloat(v, 'f', 0, 64)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	return sign + GroupDigits(s)
}

// GroupDigits puts commas between groups of three digits of an unsigned
// integer's digits: "1234567" -> "1,234,567". Tables and figures share it.
func GroupDigits(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteByte(',')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
