package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"listetak/results"
)

// Bars is one series of a grouped bar chart: a value per category and,
// optionally, an interval per category drawn as a whisker, all in the
// units of the value axis. A NaN value draws no bar; a NaN end of the
// interval draws no whisker.
type Bars struct {
	Name      string
	Values    []float64
	Low, High []float64 // nil: no whiskers
}

// BarOptions are the texts, orientation and number format of a grouped bar
// chart.
type BarOptions struct {
	Title string
	// CategoryLabel and ValueLabel name the axes; ValueLabel should name
	// the unit.
	CategoryLabel, ValueLabel string
	// Horizontal draws bars from left to right with the categories down
	// the y axis, the first at the top (a tornado chart when they are
	// sorted by size).
	Horizontal bool
	// Note is an extra legend line, such as "whiskers: 90 % bands"
	// (none when empty).
	Note string
	// Numbers formats the value axis labels (zero value: ASCIINumbers).
	Numbers results.NumberFormat
}

// GroupedBars returns a grouped bar chart: for each category one bar per
// series side by side (the first series left, or on top when horizontal),
// each series in its own colour with a legend, bars starting at 0, a solid
// line at 0 when values of both signs occur, and whiskers where series
// have intervals. Bar widths follow the space between categories, so the
// chart fits any figure size. It returns an error if there are no
// categories or series, a series' slices do not have one entry per
// category, or no value is finite.
func GroupedBars(categories []string, series []Bars, o BarOptions) (*plot.Plot, error) {
	if len(categories) == 0 {
		return nil, errors.New("plot: GroupedBars: no categories")
	}
	if len(series) == 0 {
		return nil, errors.New("plot: GroupedBars: no series")
	}
	n := len(categories)
	finite := false
	for _, s := range series {
		if len(s.Values) != n {
			return nil, fmt.Errorf("plot: GroupedBars: series %q has %d values for %d categories", s.Name, len(s.Values), n)
		}
		if (s.Low == nil) != (s.High == nil) || s.Low != nil && (len(s.Low) != n || len(s.High) != n) {
			return nil, fmt.Errorf("plot: GroupedBars: series %q: intervals need Low and High with %d entries each", s.Name, n)
		}
		for _, v := range s.Values {
			finite = finite || !math.IsNaN(v) && !math.IsInf(v, 0)
		}
	}
	if !finite {
		return nil, errors.New("plot: GroupedBars: no finite value")
	}
	p := newPlotGrid(o.Title, o.ValueLabel, o.Numbers, o.Horizontal)
	val, cat := &p.Y, &p.X
	if o.Horizontal {
		val, cat = &p.X, &p.Y
		p.Y.Tick.Marker = plot.DefaultTicks{}
		p.X.Tick.Marker = Thousands{Numbers: o.Numbers}
		p.X.Label.Text = o.ValueLabel
		p.Y.Label.Text = o.CategoryLabel
	} else {
		p.X.Label.Text = o.CategoryLabel
	}
	sets := make([]*barSet, len(series))
	for i, s := range series {
		sets[i] = &barSet{Bars: s, index: i, count: len(series), fill: styleOf(i).color, horizontal: o.Horizontal}
	}
	lo, hi := 0.0, 0.0
	for _, b := range sets {
		for j, v := range b.Values {
			for _, x := range []float64{v, b.at(b.Low, j), b.at(b.High, j)} {
				if !math.IsNaN(x) && !math.IsInf(x, 0) {
					lo, hi = min(lo, x), max(hi, x)
				}
			}
		}
	}
	if lo < 0 && hi > 0 {
		p.Add(&zeroRule{n: n, horizontal: o.Horizontal})
	}
	for _, b := range sets {
		p.Add(b)
	}
	for _, b := range sets {
		p.Legend.Add(b.Name, b)
	}
	if o.Note != "" {
		p.Legend.Add(o.Note)
	}
	labels := categories
	if o.Horizontal {
		// The first category at the top: NominalY puts label i at y = i.
		labels = make([]string, n)
		for i, c := range categories {
			labels[n-1-i] = c
		}
		p.NominalY(labels...)
	} else {
		p.X.Tick.Label.Font.Size = vg.Points(10)
		// Labels wider than about 90 % of a category's space on a
		// Width-wide figure go on two lines.
		room := 0.9 * (Width - 2.5*vg.Centimeter) / vg.Length(n)
		wrapped := make([]string, n)
		for i, c := range labels {
			wrapped[i] = c
			if p.X.Tick.Label.Width(c) > room {
				wrapped[i] = wrapLabel(c)
			}
		}
		p.NominalX(wrapped...)
	}
	p.Legend.Top = true
	rows := float64(len(series))
	if o.Note != "" {
		rows++
	}
	span := hi - lo
	if span == 0 {
		span = 1
	}
	if o.Horizontal {
		// Room above the first category for the legend: a legend row is
		// about 0.45 cm, a category about 7 cm / n.
		cat.Max += rows * 0.45 / (7.0 / float64(n))
		p.Legend.Left = false
		val.Max = hi + 0.03*span // whisker caps clear of the edge
	} else {
		// Head room above the tallest bar for the legend.
		val.Max = hi + (0.04+0.075*rows)*span
	}
	val.Min = 0
	if lo < 0 {
		val.Min = lo - 0.03*span
	}
	return p, nil
}

// barSet draws one series of a grouped bar chart; it is its own legend
// thumbnail.
type barSet struct {
	Bars
	index, count int // the series' place in its group and the group size
	fill         color.Color
	horizontal   bool
}

// at returns xs[j], or NaN when xs is nil.
func (b *barSet) at(xs []float64, j int) float64 {
	if xs == nil {
		return math.NaN()
	}
	return xs[j]
}

// maxBar is the widest a bar may be.
const maxBar = vg.Length(36)

// Plot implements plot.Plotter.
func (b *barSet) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	n := len(b.Values)
	// pos is the category's data coordinate; group the space between
	// categories on the canvas.
	pos := func(j int) float64 {
		if b.horizontal {
			return float64(n - 1 - j)
		}
		return float64(j)
	}
	var group vg.Length
	if b.horizontal {
		group = trY(1) - trY(0)
	} else {
		group = trX(1) - trX(0)
	}
	group = vg.Length(math.Abs(float64(group)))
	w := min(0.8*group/vg.Length(b.count), maxBar)
	off := (vg.Length(b.index) - vg.Length(b.count-1)/2) * w
	if b.horizontal {
		off = -off // the first series on top
	}
	outline := draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}
	whisker := draw.LineStyle{Color: color.Black, Width: vg.Points(1)}
	cap := min(w/2, vg.Points(6))
	for j, v := range b.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		// In canvas coordinates along the category axis (a) and the value
		// axis (v0, v1); pt maps them to a point.
		var a, v0, v1 vg.Length
		pt := func(along, value vg.Length) vg.Point { return vg.Point{X: along, Y: value} }
		tv := trY
		if b.horizontal {
			a = trY(pos(j)) + off
			pt = func(along, value vg.Length) vg.Point { return vg.Point{X: value, Y: along} }
			tv = trX
		} else {
			a = trX(pos(j)) + off
		}
		v0, v1 = tv(0), tv(v)
		rect := []vg.Point{pt(a-w/2, v0), pt(a-w/2, v1), pt(a+w/2, v1), pt(a+w/2, v0)}
		c.FillPolygon(b.fill, c.ClipPolygonXY(rect))
		c.StrokeLines(outline, c.ClipLinesXY(append(rect, rect[0]))...)
		lo, hi := b.at(b.Low, j), b.at(b.High, j)
		if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			continue
		}
		l, h := tv(lo), tv(hi)
		c.StrokeLines(whisker, c.ClipLinesXY(
			[]vg.Point{pt(a, l), pt(a, h)},
			[]vg.Point{pt(a-cap/2, l), pt(a+cap/2, l)},
			[]vg.Point{pt(a-cap/2, h), pt(a+cap/2, h)},
		)...)
	}
}

// DataRange implements plot.DataRanger: the categories with half a group's
// margin and the values, intervals and 0.
func (b *barSet) DataRange() (xmin, xmax, ymin, ymax float64) {
	lo, hi := 0.0, 0.0
	for j, v := range b.Values {
		for _, x := range []float64{v, b.at(b.Low, j), b.at(b.High, j)} {
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				lo, hi = min(lo, x), max(hi, x)
			}
		}
	}
	cmin, cmax := -0.5, float64(len(b.Values))-0.5
	if b.horizontal {
		return lo, hi, cmin, cmax
	}
	return cmin, cmax, lo, hi
}

// Thumbnail implements plot.Thumbnailer: a filled, outlined box.
func (b *barSet) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y},
	}
	c.FillPolygon(b.fill, c.ClipPolygonXY(pts))
	c.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}, c.ClipLinesXY(append(pts, pts[0]))...)
}

// zeroRule is a solid line at value 0 across all n categories.
type zeroRule struct {
	n          int
	horizontal bool
}

// Plot implements plot.Plotter.
func (z *zeroRule) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	st := draw.LineStyle{Color: color.Gray{Y: 0x30}, Width: vg.Points(1)}
	if z.horizontal {
		x := trX(0)
		c.StrokeLines(st, c.ClipLinesXY([]vg.Point{{X: x, Y: c.Min.Y}, {X: x, Y: c.Max.Y}})...)
		return
	}
	y := trY(0)
	c.StrokeLines(st, c.ClipLinesXY([]vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}})...)
}

// wrapLabel breaks a label in two at the space or hyphen nearest its
// middle (a hyphen stays on the first line); a label without one is
// returned as is.
func wrapLabel(s string) string {
	mid := len(s) / 2
	best := -1
	for i, r := range s {
		if r == ' ' || r == '-' {
			if best < 0 || abs(i-mid) < abs(best-mid) {
				best = i
			}
		}
	}
	if best < 0 {
		return s
	}
	if s[best] == '-' {
		return s[:best+1] + "\n" + s[best+1:]
	}
	return s[:best] + "\n" + s[best+1:]
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}
