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
	for _, d := range experiments.Builtins() {
		fmt.Fprintf(tw, "%s\t%s\n", d.Name, d.Description)
	}
	return tw.Flush()
}
