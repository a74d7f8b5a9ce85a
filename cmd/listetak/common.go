package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"slices"
	"strings"

	"listetak/params"
	"listetak/world"
)

// newFlags returns a FlagSet for a subcommand that reports errors instead
// of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseInterspersed parses flags that may come before or after positional
// arguments and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// loadWorld returns an embedded world by name or reads a world folder.
func loadWorld(spec string) (*world.World, error) {
	if spec == "" {
		spec = world.DefaultName
	}
	if slices.Contains(world.EmbeddedNames(), spec) {
		return world.Embedded(spec)
	}
	if st, err := os.Stat(spec); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("world %q is neither an embedded world (%s) nor a folder", spec, strings.Join(world.EmbeddedNames(), ", "))
	}
	return world.ReadDir(spec)
}

// warnWorld prints the world's warnings (unknown columns) to stderr.
func warnWorld(stderr io.Writer, w *world.World) {
	for _, msg := range w.Warnings {
		fmt.Fprintln(stderr, "warning:", msg)
	}
}

// loadParams returns the parameters of the rule set model ("" for the
// default, v2) with the overrides in path.
func loadParams(path, model string) (params.Params, error) {
	p, err := params.ForModel(model)
	if err != nil {
		return p, fmt.Errorf("-model: %w", err)
	}
	if path == "" {
		return p, nil
	}
	if err := p.Load(path); err != nil {
		return p, err
	}
	return p, nil
}

// gitDescribe describes the source the binary was built from: git describe
// of the working directory's repository when there is one, else the VCS
// revision stamped into the binary, else "unknown".
func gitDescribe() string {
	out, err := exec.Command("git", "describe", "--always", "--dirty", "--tags").Output()
	if err == nil {
		return strings.TrimSpace(string(out))
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return "unknown"
}
