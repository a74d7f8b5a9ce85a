package main

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"listetak/sim"
	"listetak/world"
)

// worldCmd is `listetak world`.
func worldCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("world", stderr)
	export := fs.String("export", "", "embedded world to export (followed by DIR)")
	list := fs.Bool("list", false, "list the embedded worlds")
	draws := fs.Bool("draws", false, "write replication 0's draws of every GP's unobserved values (leisure value, loss aversion, staff step, reference income) into slots.csv")
	seed := fs.Uint64("seed", 1, "master seed of the exported draws (with -draws)")
	paramsFile := fs.String("params", "", "YAML file overriding parameters")
	modelName := fs.String("model", "", "rule set: v2 (default) or reference-v1 (the v1 reference model with the reference-2019 parameters); a params file's model key overrides it")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *list {
		for _, name := range world.EmbeddedNames() {
			w, err := world.Embedded(name)
			if err != nil {
				return err
			}
			held := 0
			for _, s := range w.Slots {
				if s.Held {
					held++
				}
			}
			fmt.Fprintf(stdout, "%s: year %d, %d municipalities, %d slots (%d held), nok_index %g\n  source: %s\n",
				name, w.Year, len(w.Municipalities), len(w.Slots), held, w.Money(), w.Source)
			for _, n := range w.Notes {
				fmt.Fprintf(stdout, "  - %s\n", n)
			}
		}
		return nil
	}
	if *export == "" || len(pos) != 1 {
		return errors.New("world: usage: listetak world -export NAME DIR (or -list)")
	}
	if !slices.Contains(world.EmbeddedNames(), *export) {
		return fmt.Errorf("world -export: %q is not an embedded world (%v)", *export, world.EmbeddedNames())
	}
	dir := pos[0]
	if err := checkOutDir(dir); err != nil {
		return err
	}
	p, err := loadParams(*paramsFile, *modelName)
	if err != nil {
		return err
	}
	w, err := world.Embedded(*export)
	if err != nil {
		return err
	}
	if !*draws {
		if err := world.WriteDir(dir, w); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s (%d municipalities, %d slots; unobserved values drawn per replication, as for the embedded world)\n", dir, len(w.Municipalities), len(w.Slots))
		return nil
	}
	model, err := sim.NewModel(w, p)
	if err != nil {
		return err
	}
	out := sim.WithDraws(model, *seed, 0)
	if err := world.WriteDir(dir, out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d municipalities, %d slots; agent values of replication 0, seed %d, fixed in every replication of a run of it)\n", dir, len(out.Municipalities), len(out.Slots), *seed)
	return nil
}
