package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"listetak/experiments"
	"listetak/finance"
	"listetak/sim"
)

// scenariosCmd is `listetak scenarios [-world W [-rebase=false] [-params FILE] [-model M]]`.
func scenariosCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("scenarios", stderr)
	worldSpec := fs.String("world", "", "resolve every scenario on this world (embedded name or folder): rates, fee scale, share and budget")
	rebase := fs.Bool("rebase", true, "convert rates from their money year to the world's money")
	paramsFile := fs.String("params", "", "parameter file (fees are a parameter)")
	modelName := fs.String("model", "", "rule set (default v2)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *worldSpec == "" {
		return listScenarios(stdout)
	}
	w, err := loadWorld(*worldSpec)
	if err != nil {
		return err
	}
	warnWorld(stderr, w)
	p, err := loadParams(*paramsFile, *modelName)
	if err != nil {
		return err
	}
	m, err := sim.NewModel(w, p)
	if err != nil {
		return fmt.Errorf("world %s: %w", w.Name, err)
	}
	return resolveScenarios(stdout, m, *rebase)
}

// listScenarios prints the catalogue: name, money year and description.
func listScenarios(stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "name\tmoney\tdescription\n")
	for _, d := range experiments.Builtins() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.Name, moneyYears(d), d.Description)
	}
	fmt.Fprintln(tw, "\nmoney: the year whose money the rates are in (per phase where they differ); run converts them to the world's "+
		"money by the money index (docs/money.md; -rebase=false: literal rates). listetak scenarios -world W prints every "+
		"scenario resolved on W.")
	return tw.Flush()
}

// moneyYears describes a definition's money years.
func moneyYears(d experiments.Definition) string {
	if d.MoneyYear == 0 {
		return "world's"
	}
	s := fmt.Sprint(d.MoneyYear)
	for _, p := range d.Phases {
		if p.MoneyYear != 0 && p.MoneyYear != d.MoneyYear {
			s += fmt.Sprintf(", year %d: %d", p.From, p.MoneyYear)
		}
	}
	return s
}

// resolveScenarios prints every built-in scenario resolved on m: one row
// per phase, in the first year the phase is in force in full.
func resolveScenarios(stdout io.Writer, m *sim.Model, rebase bool) error {
	w := m.World
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(stdout, "world %s (%d), money index %.4g (NOK per 2019 NOK); static year-1 spending on the starting lists, NOK million a year\n",
		w.Name, w.Year, w.Money())
	fmt.Fprintf(tw, "name\tyear\tmoney\tfactor\trates\tfee scale\tcap share\tcapitation\tfees\tspending\tvs baseline\t\n")
	var base experiments.Static
	var unavailable []string
	for _, d := range experiments.Builtins() {
		r, err := experiments.Resolve(d, m, rebase)
		if err != nil {
			unavailable = append(unavailable, fmt.Sprintf("%s: not available on this world: %s", d.Name, strings.TrimPrefix(err.Error(), "scenario "+d.Name+": ")))
			continue
		}
		if d.Name == "baseline" {
			base = r.BaselineStatic()
		}
		for _, row := range phaseRows(r) {
			s := r.Static(row.year)
			fmt.Fprintf(tw, "%s\t%d\t%s\t%.4f\t%s\t%.4f\t%.1f %%\t%.0f\t%.0f\t%.0f\t%+.0f\t\n", d.Name, row.year, row.money, row.factor,
				row.rates, r.FeeScale, 100*s.Share, s.Capitation/1e6, s.Fees/1e6, s.Spending/1e6, math.Round((s.Spending-base.Spending)/1e6)+0) // +0: no "-0"
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(unavailable) > 0 {
		fmt.Fprintf(stdout, "\n%s\n", strings.Join(unavailable, "\n"))
	}
	_, err := fmt.Fprintln(stdout, "\nyear: the first year the phase is in force in full; factor: on the defined rates (money index, solved level); "+
		"rates: NOK per listed person at positions up to each break (per average person when risk-adjusted); "+
		"cap share: capitation / (capitation + fees)")
	return err
}

// phaseRow is one printed phase.
type phaseRow struct {
	year         int
	money, rates string
	factor       float64
}

// phaseRows returns a resolved scenario's phases as printed rows (one row,
// the world's baseline, without phases).
func phaseRows(r *experiments.Resolved) []phaseRow {
	if len(r.Phases) == 0 {
		return []phaseRow{{year: 1, money: "world's", rates: rateText(r.Rules(1).Capitation, r.Rules(1)), factor: 1}}
	}
	var rows []phaseRow
	for _, p := range r.Phases {
		year := p.From + max(p.PhaseIn, 1) - 1
		money := "world's"
		if p.MoneyYear != 0 {
			money = fmt.Sprint(p.MoneyYear)
		}
		rules := p.Spec.Rules(finance.Equalisation{}, 1)
		rows = append(rows, phaseRow{year: year, money: money, rates: rateText(rules.Capitation, rules), factor: p.Factor})
	}
	return rows
}

// rateText describes a capitation schedule: its rates, its breaks, risk
// adjustment and guarantee.
func rateText(s finance.Scheme, rules finance.Rules) string {
	var t string
	switch c := s.(type) {
	case finance.Flat:
		t = fmt.Sprintf("%.2f", c.Rate)
	case finance.Breakpoint:
		parts := make([]string, len(c.Rates))
		for i, x := range c.Rates {
			parts[i] = fmt.Sprintf("%.1f", x)
		}
		breaks := make([]string, len(c.Breaks))
		for i, x := range c.Breaks {
			breaks[i] = fmt.Sprintf("%g", x)
		}
		t = strings.Join(parts, "/") + " at " + strings.Join(breaks, ",")
	default:
		t = fmt.Sprintf("%T", s)
	}
	if rules.RiskAdjusted {
		t += " risk-adj."
	}
	if g := rules.Guarantee.Persons; g > 0 {
		t += fmt.Sprintf(" g%g", g)
	}
	return t
}
