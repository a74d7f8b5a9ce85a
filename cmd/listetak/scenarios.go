package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"listetak/experiments"
)

// scenariosCmd is `listetak scenarios`.
func scenariosCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("scenarios", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "name\tmoney\tdescription\n")
	for _, d := range experiments.Builtins() {
		money := "world's"
		if d.RefRate > 0 {
			money = fmt.Sprintf("%d: %g", d.MoneyYear, d.RefRate)
			for _, p := range d.Phases {
				if p.RefRate > 0 {
					money += fmt.Sprintf(", from year %d %d: %g", p.From, p.MoneyYear, p.RefRate)
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.Name, money, d.Description)
	}
	fmt.Fprintln(tw, "\nmoney: the year the rates are in and its flat reference rate (NOK per listed person); "+
		"run re-bases them by the world's baseline capitation over that rate (-rebase=false: literal rates)")
	return tw.Flush()
}
