package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"listetak/params"
)

// maxValueWidth is the widest value the params table holds in its column;
// longer ones (the per-cell arrays of list composition) follow the table.
const maxValueWidth = 40

// paramsCmd is `listetak params`.
func paramsCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("params", stderr)
	file := fs.String("params", "", "YAML file overriding parameters")
	modelName := fs.String("model", "", "rule set: v2 (default) or reference-v1 (the v1 reference model with the reference-2019 parameters); a params file's model key overrides it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := loadParams("", *modelName)
	if err != nil {
		return err
	}
	var est *params.Estimates
	if *file == "" && !p.V1() {
		est = params.DefaultEstimatesSection()
	}
	if *file != "" {
		if p, est, err = params.LoadEstimates(p, *file); err != nil {
			return err
		}
	}
	se := map[string]params.Estimated{}
	if est != nil {
		for _, e := range est.Parameters {
			se[e.Key] = e
		}
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "key\tvalue\tse\tunit\tsymbol\tsource")
	var long [][2]string // values too wide for the table's column, printed after it
	for _, e := range p.List() {
		unit := e.Unit
		if e.Money {
			unit += " (2019 NOK)"
		}
		value, seText, src := params.FormatValue(e.Value, 'f'), "-", e.Source
		if x, ok := se[e.Key]; ok {
			// Estimates to four significant digits, standard errors to two.
			value, seText = strconv.FormatFloat(x.Value, 'g', 4, 64), strconv.FormatFloat(x.SE, 'g', 2, 64)
			from := est.Method + ", " + est.Register
			if x.Source != "" {
				from = x.Source // a second-stage fit
			}
			src = fmt.Sprintf("estimated (%s; %s scale)", from, x.Transform)
		} else if _, scalar := e.Value.(float64); scalar && est != nil {
			src = params.FixedReason(e.Key) + "; " + src
		}
		if len(value) > maxValueWidth {
			long = append(long, [2]string{e.Key, value})
			value = "(below)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Key, value, seText, unit, e.Symbol, src)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, kv := range long {
		fmt.Fprintf(stdout, "\n%s = %s", kv[0], kv[1])
	}
	if len(long) > 0 {
		fmt.Fprintln(stdout)
	}
	fmt.Fprintln(stdout, "\nMoney amounts are in 2019 NOK and scaled by the world's nok_index (norway-2025: 1.25, norway-2011: 0.85).")
	fmt.Fprintln(stdout, "Capitation rates come from the world's baseline scheme (norway-2025: NOK 841.80 per average person, risk-adjusted by sex and age; norway-2011: NOK 390 flat; a world folder without world.yaml: NOK 499 flat). List composition (demography) is tracked where the world has a population composition (norway-2025; composition.csv in a world folder).")
	return nil
}
