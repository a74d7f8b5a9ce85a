package main

import (
	"listetak/results"

	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"

	"listetak/experiments"
	"listetak/finance"
	"listetak/sim"
)

// solveCmd is `listetak solve`.
func solveCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("solve", stderr)
	worldSpec := fs.String("world", "norway-2025", "embedded world name or world folder")
	paramsFile := fs.String("params", "", "YAML file overriding parameters")
	modelName := fs.String("model", "", "rule set: v2 (default) or reference-v1 (the v1 reference model with the reference-2019 parameters); a params file's model key overrides it")
	breaks := fs.String("breaks", "", "comma-separated breakpoints (list positions) of the shape")
	rates := fs.String("rates", "", "comma-separated relative rates of the shape, one more than -breaks")
	rate := fs.Float64("rate", 0, "relative flat rate of the shape (instead of -breaks/-rates)")
	guarantee := fs.Float64("guarantee", 0, "guaranteed list length (persons) of the shape; 0 = none")
	riskAdj := fs.Bool("risk-adjusted", false, "risk-adjust the shape's capitation by each list's correction factor (needs list composition)")
	extra := fs.Float64("extra", 0, "NOK/year added to the baseline's spending")
	capShare := fs.Float64("cap-share", 0, "target capitation share of spending in (0,1); 0 = fees unchanged")
	mode := fs.String("mode", experiments.ModeStatic, "static (starting lists) or dynamic (simulated response)")
	year := fs.Int("year", experiments.DefaultSolveYear, "dynamic: the year whose spending must match")
	reps := fs.Int("reps", 50, "dynamic: Monte Carlo replications")
	seed := fs.Uint64("seed", 1, "dynamic: master seed")
	workers := fs.Int("workers", runtime.NumCPU(), "dynamic: parallel workers")
	tol := fs.Float64("tol", experiments.DefaultSolveTol, "dynamic: relative tolerance on spending (and on the share)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("solve: unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	var errs []error
	shape := finance.Spec{Guarantee: finance.GuaranteeSpec{Persons: *guarantee}, RiskAdjusted: *riskAdj}
	switch {
	case set["rate"] && (set["rates"] || set["breaks"]):
		errs = append(errs, errors.New("-rate: give either -rate or -breaks/-rates, not both"))
	case set["rate"]:
		shape.Rate = *rate
	case set["rates"]:
		var err error
		if shape.Rates, err = parseFloats(*rates); err != nil {
			errs = append(errs, fmt.Errorf("-rates: %w", err))
		}
		if *breaks != "" {
			if shape.Breaks, err = parseFloats(*breaks); err != nil {
				errs = append(errs, fmt.Errorf("-breaks: %w", err))
			}
		}
	case set["breaks"]:
		errs = append(errs, errors.New("-breaks: needs -rates"))
	default:
		errs = append(errs, errors.New("no shape: give -breaks and -rates, or -rate"))
	}
	if !(*capShare >= 0 && *capShare < 1) {
		errs = append(errs, fmt.Errorf("-cap-share: %v is not in [0, 1)", *capShare))
	}
	if *mode != experiments.ModeStatic && *mode != experiments.ModeDynamic {
		errs = append(errs, fmt.Errorf("-mode: %q is not static or dynamic", *mode))
	}
	if *year < 1 {
		errs = append(errs, fmt.Errorf("-year: %d must be at least 1", *year))
	}
	if *reps < 1 {
		errs = append(errs, fmt.Errorf("-reps: %d must be at least 1", *reps))
	}
	if *workers < 1 {
		errs = append(errs, fmt.Errorf("-workers: %d must be at least 1", *workers))
	}
	if !(*tol > 0 && *tol < 1) {
		errs = append(errs, fmt.Errorf("-tol: %v is not in (0, 1)", *tol))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	p, err := loadParams(*paramsFile, *modelName)
	if err != nil {
		return err
	}
	w, err := loadWorld(*worldSpec)
	if err != nil {
		return err
	}
	model, err := sim.NewModel(w, p)
	if err != nil {
		return fmt.Errorf("world %s: %w", w.Name, err)
	}
	spec := experiments.SolveSpec{Shape: shape, Extra: *extra, CapShare: *capShare, Mode: *mode,
		Year: *year, Reps: *reps, Seed: *seed, Workers: *workers, Tol: *tol}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := experiments.Solve(ctx, model, spec)
	if err != nil {
		return fmt.Errorf("solve: %w", err)
	}
	printSolve(stdout, w.Name, w.Year, spec, r)
	return nil
}

// parseFloats parses a comma-separated list of numbers.
func parseFloats(s string) ([]float64, error) {
	var xs []float64
	for _, f := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", strings.TrimSpace(f))
		}
		xs = append(xs, x)
	}
	return xs, nil
}

// printSolve prints a solve's answer.
func printSolve(out io.Writer, worldName string, worldYear int, spec experiments.SolveSpec, r *experiments.SolveResult) {
	if r.Mode == experiments.ModeDynamic {
		fmt.Fprintf(out, "world %s (%d), dynamic: spending in simulated year %d, %d replications, seed %d, tolerance %g; ± is one Monte Carlo standard error\n",
			worldName, worldYear, r.Year, r.Reps, spec.Seed, tolOf(spec))
	} else {
		fmt.Fprintf(out, "world %s (%d), static: the starting lists priced with no behavioural response\n", worldName, worldYear)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "shape\t%s\n", describeSpec(spec.Shape, -1))
	fmt.Fprintf(tw, "solved rates\t%s (NOK per listed person per year)\n", describeSpec(r.Spec, 2))
	fmt.Fprintf(tw, "factor\t%.6g\n", r.Factor)
	fmt.Fprintf(tw, "fee scale\t%.6g\n", r.FeeScale)
	base := r.Target - spec.Extra
	if r.Mode == experiments.ModeDynamic {
		fmt.Fprintf(tw, "target\tNOK %s ± %s\t(baseline's mean in year %d %s + extra %s)\n",
			thousands(r.Target, 0), se(r.TargetError), r.Year, thousands(base, 0), thousands(spec.Extra, 0))
		fmt.Fprintf(tw, "achieved\tNOK %s ± %s\n", thousands(r.Achieved, 0), se(r.MCError))
		fmt.Fprintf(tw, "achieved - target\tNOK %s ± %s\t(paired: common random numbers)\n", thousands(r.Achieved-r.Target, 0), se(r.DiffError))
	} else {
		fmt.Fprintf(tw, "target\tNOK %s\t(baseline %s + extra %s)\n", thousands(r.Target, 0), thousands(base, 0), thousands(spec.Extra, 0))
		fmt.Fprintf(tw, "achieved\tNOK %s\n", thousands(r.Achieved, 0))
	}
	fmt.Fprintf(tw, "capitation\tNOK %s\t(%.1f %%)\n", thousands(r.Capitation, 0), 100*r.Capitation/r.Achieved)
	fmt.Fprintf(tw, "fees\tNOK %s\t(%.1f %%)\n", thousands(r.Fees, 0), 100*r.Fees/r.Achieved)
	if r.Mode == experiments.ModeDynamic {
		fmt.Fprintf(tw, "runs\t%d\t(and 1 of the baseline)\n", r.Iterations)
	}
	tw.Flush()
}

func tolOf(spec experiments.SolveSpec) float64 {
	if spec.Tol == 0 {
		return experiments.DefaultSolveTol
	}
	return spec.Tol
}

// se formats a standard error in NOK ("n/a" with one replication).
func se(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return thousands(v, 0)
}

// describeSpec describes a scheme's rates with the given decimals: the
// flat rate, or each segment of list positions with its rate, and any
// guarantee.
func describeSpec(s finance.Spec, dec int) string {
	var b strings.Builder
	if len(s.Breaks) == 0 && len(s.Rates) <= 1 {
		r := s.Rate
		if len(s.Rates) == 1 {
			r = s.Rates[0]
		}
		b.WriteString("flat " + thousands(r, dec))
	} else {
		lo := 0.0
		for i, r := range s.Rates {
			if i > 0 {
				b.WriteString("; ")
			}
			if i < len(s.Breaks) {
				fmt.Fprintf(&b, "%s-%s: %s", position(lo), thousands(s.Breaks[i], -1), thousands(r, dec))
				lo = s.Breaks[i]
			} else {
				fmt.Fprintf(&b, "%s+: %s", position(lo), thousands(r, dec))
			}
		}
	}
	if s.RiskAdjusted {
		b.WriteString("; risk-adjusted")
	}
	if g := s.Guarantee.Persons; g > 0 {
		fmt.Fprintf(&b, "; guarantee %s persons", thousands(g, -1))
	}
	return b.String()
}

// position names the first list position after lo.
func position(lo float64) string {
	if lo == 0 {
		return "0"
	}
	if lo == math.Trunc(lo) {
		return thousands(lo+1, 0)
	}
	return ">" + thousands(lo, -1)
}

// thousands formats v with dec decimals (dec < 0: as many as v's shortest
// form has) and comma-grouped thousands for the terminal
// (results.ASCIINumbers).
func thousands(v float64, dec int) string {
	if dec < 0 {
		_, frac, _ := strings.Cut(strconv.FormatFloat(v, 'f', -1, 64), ".")
		dec = len(frac)
	}
	return results.ASCIINumbers.Format(v, dec)
}
