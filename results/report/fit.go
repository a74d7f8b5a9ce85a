package report

import (
	"fmt"

	"listetak/results"
	lplot "listetak/results/plot"

	"gonum.org/v1/plot/vg"
)

// momentLabel names a calibration moment for people: "moment (group)".
func momentLabel(f results.FitRow) string {
	if f.Group == "" {
		return f.Moment
	}
	return f.Moment + " (" + f.Group + ")"
}

// fitFigure returns the calibration fit chart of fit.csv's rows: relative
// to the observed values when none is zero (moments of different units
// then share the axis), else in the moments' own units.
func fitFigure(rows []results.FitRow, l Lang) (Figure, error) {
	relative := true
	points := make([]lplot.FitPoint, len(rows))
	for i, f := range rows {
		points[i] = lplot.FitPoint{Label: momentLabel(f), Observed: f.Observed, Simulated: f.Simulated, SE: f.SE}
		if f.Observed == 0 {
			relative = false
		}
	}
	o := lplot.FitOptions{Title: l.t("title fit"), ObservedLabel: l.t("observed"), SimulatedLabel: l.t("simulated"),
		Relative: relative, Numbers: l.Numbers(), ValueLabel: l.t("moment value")}
	rel := ""
	if relative {
		o.ValueLabel = l.t("relative")
		rel = l.t("fig fit rel")
	}
	p, err := lplot.FitChart(points, o)
	if err != nil {
		return Figure{}, fmt.Errorf("report: calibration figure: %w", err)
	}
	h := max(lplot.Height, vg.Length(len(rows))*0.9*vg.Centimeter+3*vg.Centimeter)
	return Figure{Name: "fit", Section: "calibration", Caption: l.tf("fig fit", rel), Plot: p, Width: lplot.Width, Height: h}, nil
}
