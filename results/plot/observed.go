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
)

// Observed is a series of observed values to draw over a fan chart (a
// hindcast's published figures): points at (X, Y) with whiskers of ±1.96
// SE, in the chart's units.
type Observed struct {
	Label    string // legend entry ("observed ± 1.96 SE" when empty)
	X, Y, SE []float64
}

// AddObserved draws o on p as black circles with vertical whiskers and
// adds its legend entry, widening the y range to hold the whiskers. It is
// an error if o is empty, its slices differ in length or a value is not
// finite.
func AddObserved(p *plot.Plot, o Observed) error {
	n := len(o.X)
	if n == 0 || len(o.Y) != n || len(o.SE) != n {
		return errors.New("plot: AddObserved: empty or unequal series")
	}
	xy := make(plotter.XYs, n)
	errs := make(plotter.YErrors, n)
	for i := range n {
		if math.IsNaN(o.X[i]+o.Y[i]+o.SE[i]) || math.IsInf(o.X[i]+o.Y[i]+o.SE[i], 0) || o.SE[i] < 0 {
			return fmt.Errorf("plot: AddObserved: point %d: (%v, %v) se %v", i, o.X[i], o.Y[i], o.SE[i])
		}
		xy[i] = plotter.XY{X: o.X[i], Y: o.Y[i]}
		e := 1.96 * o.SE[i]
		errs[i] = struct{ Low, High float64 }{e, e}
		p.Y.Min, p.Y.Max = math.Min(p.Y.Min, o.Y[i]-e), math.Max(p.Y.Max, o.Y[i]+e)
	}
	eb, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{xy, errs})
	if err != nil {
		return fmt.Errorf("plot: AddObserved: %w", err)
	}
	eb.LineStyle.Width = vg.Points(1.2)
	eb.CapWidth = vg.Points(6)
	sc, err := plotter.NewScatter(xy)
	if err != nil {
		return fmt.Errorf("plot: AddObserved: %w", err)
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	p.Add(eb, sc)
	if o.Label == "" {
		o.Label = "observed ± 1.96 SE"
	}
	p.Legend.Add(o.Label, sc)
	return nil
}
