package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"listetak/results"
)

// Band is the distribution over replications of one metric by year for one
// scenario: the 5, 25, 50, 75 and 95 % quantiles, all of len(Years), in the
// metric's units. A NaN marks a year in which the metric is undefined; such
// years leave a gap in the figure.
type Band struct {
	Scenario                string
	Years                   []float64
	Q05, Q25, Q50, Q75, Q95 []float64
}

// BandsFromSummary returns one Band per scenario of the rows of metric at
// designPoint, in order of first appearance in rows, each with its years
// ascending. Rows of other metrics or design points are ignored; it returns
// nil if none match.
func BandsFromSummary(rows []results.SummaryRow, metric string, designPoint int) []Band {
	var order []string
	by := map[string][]results.SummaryRow{}
	for _, r := range rows {
		if r.Metric != metric || r.DesignPoint != designPoint {
			continue
		}
		if _, ok := by[r.Scenario]; !ok {
			order = append(order, r.Scenario)
		}
		by[r.Scenario] = append(by[r.Scenario], r)
	}
	bands := make([]Band, 0, len(order))
	for _, sc := range order {
		rs := by[sc]
		slices.SortStableFunc(rs, func(a, b results.SummaryRow) int { return a.Year - b.Year })
		b := Band{Scenario: sc}
		for _, r := range rs {
			b.Years = append(b.Years, float64(r.Year))
			b.Q05 = append(b.Q05, r.Q05)
			b.Q25 = append(b.Q25, r.Q25)
			b.Q50 = append(b.Q50, r.Q50)
			b.Q75 = append(b.Q75, r.Q75)
			b.Q95 = append(b.Q95, r.Q95)
		}
		bands = append(bands, b)
	}
	if len(bands) == 0 {
		return nil
	}
	return bands
}

// style is the look of one scenario or series.
type style struct {
	color  color.NRGBA
	dashes []vg.Length
}

// palette is readable in greyscale: the first three colours alternate
// between dark and light (luma about 25, 60 and 45 %), the fourth (wine) is a
// hue far from the second (a fourth scenario is common), and the median
// lines differ in dash pattern as well. It repeats after len(palette) entries.
var palette = []style{
	{color.NRGBA{R: 0x1f, G: 0x3a, B: 0x93, A: 0xff}, nil},                                                                 // dark blue, solid
	{color.NRGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}, []vg.Length{vg.Points(6), vg.Points(3)}},                             // orange, dashed
	{color.NRGBA{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}, []vg.Length{vg.Points(1.5), vg.Points(2.5)}},                         // green, dotted
	{color.NRGBA{R: 0x8e, G: 0x1b, B: 0x3c, A: 0xff}, []vg.Length{vg.Points(10), vg.Points(4)}},                            // wine, long dash
	{color.NRGBA{R: 0xf0, G: 0xc0, B: 0x60, A: 0xff}, []vg.Length{vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}}, // light sand, dash-dot
	{color.NRGBA{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}, []vg.Length{vg.Points(3), vg.Points(2)}},                             // sky blue, short dash
}

func styleOf(i int) style { return palette[i%len(palette)] }

// Fill opacities of the bands: the 50 % band is drawn over the 90 % band,
// so its area is covered twice.
const (
	alpha90 = 0x30
	alpha50 = 0x50
)

func withAlpha(c color.NRGBA, a uint8) color.NRGBA { c.A = a; return c }

// FanOptions are the texts and number format of a fan chart.
type FanOptions struct {
	Title  string
	XLabel string // "year" when empty
	YLabel string // should name the unit
	// ZeroLine draws a dashed horizontal line at 0, as for paired
	// reform-minus-baseline differences.
	ZeroLine bool
	// BandNote is the last legend line ("lines: medians; shading: 50 % and
	// 90 % bands" when empty).
	BandNote string
	// Numbers formats the y tick labels (zero value: ASCIINumbers).
	Numbers results.NumberFormat
}

// FanChart returns a fan chart of bands with English texts: see
// FanChartWith.
func FanChart(bands []Band, title, yLabel string, zeroLine bool) (*plot.Plot, error) {
	return FanChartWith(bands, FanOptions{Title: title, YLabel: yLabel, ZeroLine: zeroLine})
}

// FanChartWith returns a fan chart of bands: for each scenario its median
// as a line and its 50 % (Q25-Q75) and 90 % (Q05-Q95) bands as translucent
// polygons, one colour and dash pattern per scenario, with a legend and the
// texts of o. Years with a NaN quantile are left out as gaps. It returns an
// error if bands is empty, a band's slices differ in length, or a band has
// no finite year.
func FanChartWith(bands []Band, o FanOptions) (*plot.Plot, error) {
	if len(bands) == 0 {
		return nil, errors.New("plot: FanChart: no bands")
	}
	if o.XLabel == "" {
		o.XLabel = "year"
	}
	if o.BandNote == "" {
		o.BandNote = "lines: medians; shading: 50 % and 90 % bands"
	}
	zeroLine := o.ZeroLine
	p := newPlot(o.Title, o.YLabel, o.Numbers)
	p.X.Label.Text = o.XLabel
	p.X.Tick.Marker = integerTicks{}

	xmin, xmax := math.Inf(1), math.Inf(-1)
	type entry struct {
		name   string
		thumbs []plot.Thumbnailer
	}
	var polys90, polys50, lines []plot.Plotter
	var legend []entry
	for i, b := range bands {
		n := len(b.Years)
		if len(b.Q05) != n || len(b.Q25) != n || len(b.Q50) != n || len(b.Q75) != n || len(b.Q95) != n {
			return nil, fmt.Errorf("plot: FanChart: band %q: slices of unequal length", b.Scenario)
		}
		st := styleOf(i)
		segs := finiteRuns(b)
		if len(segs) == 0 {
			return nil, fmt.Errorf("plot: FanChart: band %q has no finite year", b.Scenario)
		}
		var line *plotter.Line
		var p90, p50 *plotter.Polygon
		for _, s := range segs {
			xmin, xmax = min(xmin, b.Years[s[0]]), max(xmax, b.Years[s[1]-1])
			var err error
			if p90, err = bandPolygon(b.Years, b.Q05, b.Q95, s, withAlpha(st.color, alpha90)); err != nil {
				return nil, err
			}
			if p50, err = bandPolygon(b.Years, b.Q25, b.Q75, s, withAlpha(st.color, alpha50)); err != nil {
				return nil, err
			}
			pts := make(plotter.XYs, 0, s[1]-s[0])
			for j := s[0]; j < s[1]; j++ {
				pts = append(pts, plotter.XY{X: b.Years[j], Y: b.Q50[j]})
			}
			if line, err = plotter.NewLine(pts); err != nil {
				return nil, err
			}
			line.Color = st.color
			line.Width = vg.Points(2)
			line.Dashes = st.dashes
			polys90 = append(polys90, p90)
			polys50 = append(polys50, p50)
			lines = append(lines, line)
		}
		legend = append(legend, entry{b.Scenario, []plot.Thumbnailer{p90, p50, line}})
	}
	// All shading first, then the medians on top, so that no band hides
	// another scenario's median.
	p.Add(polys90...)
	p.Add(polys50...)
	if zeroLine {
		z, err := plotter.NewLine(plotter.XYs{{X: xmin, Y: 0}, {X: xmax, Y: 0}})
		if err != nil {
			return nil, err
		}
		z.Color = color.Gray{Y: 0x40}
		z.Width = vg.Points(1)
		z.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(z)
	}
	p.Add(lines...)
	for _, e := range legend {
		p.Legend.Add(e.name, e.thumbs...)
	}
	p.Legend.Add(o.BandNote)
	p.Legend.Top = true
	p.Legend.Left = true
	// Head room above the data for the legend, so that it hides no fan.
	p.Y.Max += (0.03 + 0.07*float64(len(legend)+1)) * (p.Y.Max - p.Y.Min)
	if zeroLine {
		p.Y.Tick.Marker = withZero{p.Y.Tick.Marker}
	}
	return p, nil
}

// finiteRuns returns the half-open index ranges [from, to) of b over which
// the year and all quantiles are finite.
func finiteRuns(b Band) [][2]int {
	var runs [][2]int
	start := -1
	for j := range b.Years {
		ok := true
		for _, v := range []float64{b.Years[j], b.Q05[j], b.Q25[j], b.Q50[j], b.Q75[j], b.Q95[j]} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				ok = false
				break
			}
		}
		switch {
		case ok && start < 0:
			start = j
		case !ok && start >= 0:
			runs = append(runs, [2]int{start, j})
			start = -1
		}
	}
	if start >= 0 {
		runs = append(runs, [2]int{start, len(b.Years)})
	}
	return runs
}

// bandPolygon returns the area between lo and hi over the index range r, filled
// with fill and without an outline.
func bandPolygon(xs, lo, hi []float64, r [2]int, fill color.Color) (*plotter.Polygon, error) {
	pts := make(plotter.XYs, 0, 2*(r[1]-r[0]))
	for j := r[0]; j < r[1]; j++ {
		pts = append(pts, plotter.XY{X: xs[j], Y: hi[j]})
	}
	for j := r[1] - 1; j >= r[0]; j-- {
		pts = append(pts, plotter.XY{X: xs[j], Y: lo[j]})
	}
	poly, err := plotter.NewPolygon(pts)
	if err != nil {
		return nil, err
	}
	poly.Color = fill
	poly.LineStyle.Width = 0
	return poly, nil
}

// Histogram returns a grouped bar chart: for each of labels (the x
// categories, such as list-length bins) one bar per series, side by side in
// the order of order (nil: the series names sorted), each series in its own
// colour with a legend. Every series must have one value per label, in the
// units of yLabel. It returns an error if there are no labels or series, a
// name in order is not in series, or a series has the wrong length.
func Histogram(labels []string, series map[string][]float64, order []string, title, yLabel string) (*plot.Plot, error) {
	if len(labels) == 0 {
		return nil, errors.New("plot: Histogram: no labels")
	}
	if order == nil {
		for k := range series {
			order = append(order, k)
		}
		slices.Sort(order)
	}
	if len(order) == 0 {
		return nil, errors.New("plot: Histogram: no series")
	}
	p := newPlot(title, yLabel, results.NumberFormat{})
	// Bars of one group fill at most 80 % of the space between groups;
	// group is an estimate of that space for a figure about 16 cm wide.
	const plotWidth = 12 * vg.Centimeter
	group := plotWidth / vg.Length(len(labels))
	w := min(0.8*group/vg.Length(len(order)), vg.Points(28))
	for i, name := range order {
		vs, ok := series[name]
		if !ok {
			return nil, fmt.Errorf("plot: Histogram: no series %q", name)
		}
		if len(vs) != len(labels) {
			return nil, fmt.Errorf("plot: Histogram: series %q has %d values for %d labels", name, len(vs), len(labels))
		}
		bars, err := plotter.NewBarChart(plotter.Values(vs), w)
		if err != nil {
			return nil, fmt.Errorf("plot: Histogram: series %q: %w", name, err)
		}
		st := styleOf(i)
		bars.Color = st.color
		bars.LineStyle.Width = vg.Points(0.5)
		bars.LineStyle.Color = color.Black
		bars.Offset = (vg.Length(i) - vg.Length(len(order)-1)/2) * w
		p.Add(bars)
		p.Legend.Add(name, bars)
	}
	p.NominalX(labels...)
	// Head room above the tallest bar for the legend.
	p.Y.Max += (0.03 + 0.07*float64(len(order))) * (p.Y.Max - min(p.Y.Min, 0))
	p.X.Tick.Label.Font.Size = vg.Points(10)
	p.Y.Min = min(p.Y.Min, 0)
	p.Legend.Top = true
	return p, nil
}

// newPlot returns a plot with title, y label, y ticks with thousands
// separators in format nf, a light horizontal grid and a white background.
func newPlot(title, yLabel string, nf results.NumberFormat) *plot.Plot {
	return newPlotGrid(title, yLabel, nf, false)
}

// newPlotGrid is newPlot with the grid lines vertical (along the x ticks)
// if vertical, else horizontal.
func newPlotGrid(title, yLabel string, nf results.NumberFormat, vertical bool) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.Y.Label.Text = yLabel
	p.X.Label.TextStyle.Font.Size = vg.Points(12)
	p.Y.Label.TextStyle.Font.Size = vg.Points(12)
	p.X.Tick.Label.Font.Size = vg.Points(11)
	p.Y.Tick.Label.Font.Size = vg.Points(11)
	p.Y.Tick.Marker = Thousands{Numbers: nf}
	p.Legend.TextStyle.Font.Size = vg.Points(11)
	p.Legend.ThumbnailWidth = vg.Points(28)
	p.Legend.Padding = vg.Points(2)
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	grid.Horizontal.Color = color.Gray{Y: 0xdd}
	if vertical {
		grid.Vertical, grid.Horizontal = grid.Horizontal, grid.Vertical
	}
	p.Add(grid)
	return p
}

// Thousands is a plot.Ticker that labels the ticks of Ticker (nil:
// NiceTicks{}) with separators between groups of three digits in the
// format Numbers (zero value: ASCIINumbers, as in 5,648,721 and
// -12,500.5). Labels in exponent notation for very small numbers are kept
// as they are.
type Thousands struct {
	Ticker  plot.Ticker
	Numbers results.NumberFormat
}

// Ticks implements plot.Ticker.
func (t Thousands) Ticks(min, max float64) []plot.Tick {
	tk := t.Ticker
	if tk == nil {
		tk = NiceTicks{}
	}
	nf := t.Numbers
	if nf == (results.NumberFormat{}) {
		nf = results.ASCIINumbers
	}
	ticks := tk.Ticks(min, max)
	for i, m := range ticks {
		if m.Label == "" {
			continue
		}
		ticks[i].Label = groupLabel(m.Value, m.Label, nf)
	}
	return ticks
}

// groupLabel returns v formatted with the decimals of label in format nf.
// A label in exponent notation for |v| < 1 is returned as is.
func groupLabel(v float64, label string, nf results.NumberFormat) string {
	decimals := 0
	if strings.ContainsAny(label, "eE") {
		if math.Abs(v) < 1 && v != 0 {
			return label
		}
	} else if k := strings.IndexByte(label, '.'); k >= 0 {
		decimals = len(label) - k - 1
	}
	return nf.Format(v, decimals)
}

// NiceTicks is a plot.Ticker with about Labels labelled ticks (5 when
// zero) at multiples of 1, 2, 2.5 or 5 times a power of ten, and
// unlabelled minor ticks between them. Labels have the decimals the step
// needs and no more.
type NiceTicks struct {
	Labels int
}

// Ticks implements plot.Ticker.
func (n NiceTicks) Ticks(lo, hi float64) []plot.Tick {
	want := n.Labels
	if want <= 0 {
		want = 5
	}
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	// The smallest nice step that gives at most want+1 labels.
	raw := (hi - lo) / float64(want)
	mag := math.Pow(10, math.Floor(math.Log10(raw))-1)
	var f float64
	var minors int
	var step float64
	for k := 0; ; k++ {
		c := []struct {
			f float64
			m int
		}{{1, 5}, {2, 4}, {2.5, 5}, {5, 5}}[k%4]
		if k > 0 && k%4 == 0 {
			mag *= 10
		}
		f, minors, step = c.f, c.m, c.f*mag
		if math.Floor(hi/step)-math.Ceil(lo/step)+1 <= float64(want+1) {
			break
		}
	}
	// Decimals of the step: those of the power of ten, one more for 2.5.
	decimals := max(0, -int(math.Floor(math.Log10(mag)+1e-9)))
	if f == 2.5 && mag < 10 {
		decimals++
	}
	minor := step / float64(minors)
	var ticks []plot.Tick
	first := math.Ceil(lo/minor - 1e-9)
	for k := first; k*minor <= hi+minor*1e-9; k++ {
		v := k * minor
		if math.Abs(v) < minor*1e-9 {
			v = 0
		}
		t := plot.Tick{Value: v}
		if math.Mod(math.Abs(k), float64(minors)) == 0 {
			t.Label = strconv.FormatFloat(v, 'f', decimals, 64)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// withZero is a plot.Ticker that adds a labelled tick at 0 to those of
// Ticker when 0 is in range and not labelled yet, dropping any unlabelled
// tick at 0, so that a zero line can be read off the axis.
type withZero struct {
	Ticker plot.Ticker
}

func (w withZero) Ticks(min, max float64) []plot.Tick {
	ticks := w.Ticker.Ticks(min, max)
	if min > 0 || max < 0 {
		return ticks
	}
	for _, t := range ticks {
		if t.Value == 0 && t.Label != "" {
			return ticks
		}
	}
	out := make([]plot.Tick, 0, len(ticks)+1)
	for _, t := range ticks {
		if t.Value != 0 {
			out = append(out, t)
		}
	}
	return append(out, plot.Tick{Value: 0, Label: "0"})
}

// integerTicks is plot.DefaultTicks with only whole-number major ticks
// labelled, for year axes.
type integerTicks struct{}

func (integerTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	out := ticks[:0]
	for _, t := range ticks {
		if t.Label != "" && t.Value != math.Trunc(t.Value) {
			t.Label = "" // becomes a minor tick
		}
		if t.Label == "" && t.Value != math.Trunc(t.Value) {
			continue
		}
		if t.Label != "" {
			t.Label = strconv.FormatFloat(t.Value, 'f', 0, 64)
		}
		out = append(out, t)
	}
	return out
}

// Save writes p, width by height, to path in the format named by its
// extension (.png, .svg or .pdf, any case). The figure is written to a
// temporary file in the same directory and renamed to path only when
// complete, so path never holds a partial figure; on error the temporary
// file is removed.
func Save(p *plot.Plot, path string, width, height vg.Length) error {
	return SaveWith(p, path, width, height, RenderOptions{})
}
