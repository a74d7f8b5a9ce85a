package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"time"

	"listetak/experiments"
	"listetak/sim"
)

// checkCmd is `listetak check FILE`: validate an experiment file and print
// it resolved.
func checkCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("check: usage: listetak check FILE")
	}
	ex, err := experiments.ReadFile(pos[0])
	if err != nil {
		return err
	}
	w, err := loadWorld(ex.World)
	if err != nil {
		return fmt.Errorf("%s: world: %w", pos[0], err)
	}
	model, err := sim.NewModel(w, ex.Params)
	if err != nil {
		return fmt.Errorf("%s: world %s: %w", pos[0], w.Name, err)
	}
	fmt.Fprintf(stdout, "experiment %s (%s): valid\n", ex.File.Name, pos[0])
	if ex.File.Description != "" {
		fmt.Fprintf(stdout, "  %s\n", ex.File.Description)
	}
	gps := 0
	for _, s := range w.Slots {
		if s.Held {
			gps++
		}
	}
	fmt.Fprintf(stdout, "world        %s (%d, %d municipalities, %d GPs)\n", w.Name, w.Year, len(w.Municipalities), gps)
	fmt.Fprintf(stdout, "horizon      %d years\nreplications %d\nseed         %d\nrebase       %v\n", ex.File.Years, ex.File.Replications, ex.File.Seed, ex.Rebase)
	fmt.Fprintln(stdout, "scenarios")
	var scens []sim.Scenario
	for _, d := range ex.Definitions {
		r, err := experiments.Resolve(d, model, ex.Rebase)
		if err != nil {
			return fmt.Errorf("%s: %w", pos[0], err)
		}
		scens = append(scens, r)
		fmt.Fprintf(stdout, "  %-16s rebase %.4f, fee scale %.4f: %s\n", d.Name, r.Rebase, r.FeeScale, d.Description)
	}
	if d := ex.Design; d != nil {
		fmt.Fprintf(stdout, "design       %s, %d points over", d.Kind, len(d.Points))
		for _, f := range d.Factors {
			scale := ""
			if f.Log {
				scale = ", log"
			}
			fmt.Fprintf(stdout, " %s [%g, %g%s]", f.Name, f.Min, f.Max, scale)
		}
		fmt.Fprintln(stdout)
	}
	runs := ex.Points() * len(ex.Definitions) * ex.File.Replications
	gpYears := float64(runs) * float64(ex.File.Years) * float64(gps)
	fmt.Fprintf(stdout, "runs         %d (design points %d x scenarios %d x replications %d)\n", runs, ex.Points(), len(ex.Definitions), ex.File.Replications)
	rate, err := pilotRate(model, scens, ex.File.Years, gps)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "estimate     about %.0f s on %d cores (%.3g GP-years at %.3g a second, measured on a pilot of %d replications x %d years)\n",
		math.Ceil(gpYears/rate), runtime.NumCPU(), gpYears, rate, pilotReps, min(ex.File.Years, pilotYears))
	return nil
}

// The pilot run check times to estimate a run: pilotReps replications (one
// per core on two cores) of at most pilotYears years, every scenario.
const (
	pilotReps  = 2
	pilotYears = 5
)

// pilotRate runs the pilot on model and returns the GP-years per second
// it achieved on every core (GP-years counted as the run's estimate counts
// them: GPs at the start times years times runs).
func pilotRate(model *sim.Model, scens []sim.Scenario, years, gps int) (float64, error) {
	y := min(years, pilotYears)
	start := time.Now()
	if _, err := sim.Run(context.Background(), sim.Config{Model: model, Scenarios: scens, Years: y, Reps: pilotReps, Seed: 1}); err != nil {
		return 0, err
	}
	done := float64(pilotReps*len(scens)*y) * float64(max(gps, 1))
	return done / max(time.Since(start).Seconds(), 1e-3), nil
}
