package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"listetak/results"
)

// FitPoint is one calibration moment: its label, the observed (register)
// and simulated values in the moment's unit, and SE, the standard error of
// observed - simulated.
type FitPoint struct {
	Label               string
	Observed, Simulated float64
	SE                  float64
}

// FitOptions are the texts and scale of a calibration fit chart.
type FitOptions struct {
	Title string
	// ValueLabel names the value axis (its unit, or "relative to
	// observed" with Relative).
	ValueLabel string
	// ObservedLabel and SimulatedLabel are the legend entries
	// ("observed ± 1.96 SE" and "simulated" when empty).
	ObservedLabel, SimulatedLabel string
	// Relative divides every value and standard error by the moment's
	// observed value, so that moments of different units share one axis
	// (observed = 1, marked by a dashed line). Every observed value must
	// then be non-zero.
	Relative bool
	// Numbers formats the value axis labels (zero value: ASCIINumbers).
	Numbers results.NumberFormat
}

// FitChart returns a calibration fit chart: one row per moment, the first
// at the top, with the observed value as an open circle and a whisker of
// ±1.96 standard errors of observed - simulated (a 95 % interval for the
// difference), and the simulated value as a filled triangle. A simulated
// value outside the whisker is a moment the model misses. It returns an
// error if there are no points, a value is not finite, a standard error is
// negative or NaN, or with Relative an observed value is 0.
func FitChart(points []FitPoint, o FitOptions) (*plot.Plot, error) {
	if len(points) == 0 {
		return nil, errors.New("plot: FitChart: no moments")
	}
	if o.ObservedLabel == "" {
		o.ObservedLabel = "observed ± 1.96 SE"
	}
	if o.SimulatedLabel == "" {
		o.SimulatedLabel = "simulated"
	}
	n := len(points)
	obs := make(plotter.XYs, n)
	sim := make(plotter.XYs, n)
	errs := make(plotter.XErrors, n)
	labels := make([]string, n)
	for i, f := range points {
		if math.IsNaN(f.Observed) || math.IsInf(f.Observed, 0) || math.IsNaN(f.Simulated) || math.IsInf(f.Simulated, 0) {
			return nil, fmt.Errorf("plot: FitChart: moment %q: observed %v, simulated %v", f.Label, f.Observed, f.Simulated)
		}
		if !(f.SE >= 0) || math.IsInf(f.SE, 0) {
			return nil, fmt.Errorf("plot: FitChart: moment %q: standard error %v", f.Label, f.SE)
		}
		scale := 1.0
		if o.Relative {
			if f.Observed == 0 {
				return nil, fmt.Errorf("plot: FitChart: moment %q: observed 0 cannot be a relative scale", f.Label)
			}
			scale = 1 / math.Abs(f.Observed)
		}
		y := float64(n - 1 - i) // the first moment at the top
		obs[i] = plotter.XY{X: f.Observed * scale, Y: y}
		sim[i] = plotter.XY{X: f.Simulated * scale, Y: y}
		e := 1.96 * f.SE * scale
		errs[i] = struct{ Low, High float64 }{e, e}
		labels[n-1-i] = f.Label
	}
	p := newPlotGrid(o.Title, "", o.Numbers, true)
	p.X.Label.Text = o.ValueLabel
	p.X.Tick.Marker = Thousands{Numbers: o.Numbers}
	p.Y.Tick.Marker = plot.DefaultTicks{}

	if o.Relative {
		ref := &refLine{x: 1}
		p.Add(ref)
	}
	eb, err := plotter.NewXErrorBars(struct {
		plotter.XYs
		plotter.XErrors
	}{obs, errs})
	if err != nil {
		return nil, fmt.Errorf("plot: FitChart: %w", err)
	}
	eb.LineStyle.Width = vg.Points(1.2)
	eb.CapWidth = vg.Points(8)
	so, err := plotter.NewScatter(obs)
	if err != nil {
		return nil, fmt.Errorf("plot: FitChart: %w", err)
	}
	so.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
	ss, err := plotter.NewScatter(sim)
	if err != nil {
		return nil, fmt.Errorf("plot: FitChart: %w", err)
	}
	ss.GlyphStyle = draw.GlyphStyle{Color: styleOf(1).color, Radius: vg.Points(3.5), Shape: filledTriangle{}}
	p.Add(eb, so, ss)
	p.Legend.Add(o.ObservedLabel, whiskerThumb{}, so)
	p.Legend.Add(o.SimulatedLabel, ss)
	p.NominalY(labels...)
	p.Y.Tick.Label.Font.Size = vg.Points(10)
	p.Legend.Top = true
	// Room above the first moment for the legend (two rows).
	p.Y.Max += 2 * 0.45 / (7.0 / float64(n))
	// Some margin left and right of the outermost whiskers.
	pad := 0.05 * (p.X.Max - p.X.Min)
	if pad == 0 {
		pad = 0.05 * math.Max(math.Abs(p.X.Max), 1)
	}
	p.X.Min -= pad
	p.X.Max += pad
	return p, nil
}

// filledTriangle is an upward triangle glyph filled with the glyph colour
// and outlined in black, visible over the open observed circle.
type filledTriangle struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (filledTriangle) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	h := r * 1.5
	pts := []vg.Point{
		{X: pt.X, Y: pt.Y + h*2/3},
		{X: pt.X - r, Y: pt.Y - h/3},
		{X: pt.X + r, Y: pt.Y - h/3},
	}
	c.FillPolygon(sty.Color, pts)
	c.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(0.6)}, append(pts, pts[0]))
}

// refLine is a dashed vertical reference line at x.
type refLine struct{ x float64 }

// Plot implements plot.Plotter.
func (r *refLine) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, _ := plt.Transforms(&c)
	x := trX(r.x)
	st := draw.LineStyle{Color: color.Gray{Y: 0x50}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	c.StrokeLines(st, c.ClipLinesXY([]vg.Point{{X: x, Y: c.Min.Y}, {X: x, Y: c.Max.Y}})...)
}

// DataRange implements plot.DataRanger: the line's x and no y extent.
func (r *refLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return r.x, r.x, math.Inf(1), math.Inf(-1)
}

// whiskerThumb is the legend thumbnail of a horizontal error bar.
type whiskerThumb struct{}

// Thumbnail implements plot.Thumbnailer.
func (whiskerThumb) Thumbnail(c *draw.Canvas) {
	st := draw.LineStyle{Color: color.Black, Width: vg.Points(1.2)}
	y := (c.Min.Y + c.Max.Y) / 2
	h := (c.Max.Y - c.Min.Y) / 2
	c.StrokeLines(st,
		[]vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}},
		[]vg.Point{{X: c.Min.X, Y: y - h}, {X: c.Min.X, Y: y + h}},
		[]vg.Point{{X: c.Max.X, Y: y - h}, {X: c.Max.X, Y: y + h}},
	)
}
