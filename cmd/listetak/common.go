package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
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

// gitDescribe describes the source the binary was built from: the VCS
// revision stamped into the binary by go build (with "-dirty" for a
// modified tree), else, for go run and go test, which stamp none, git
// describe of the working directory's repository when that repository is
// listetak's own (its top-level go.mod declares module listetak), else
// "unknown". A binary run from another repository never records that
// repository's commit.
func gitDescribe() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			if dirty {
				rev += "-dirty"
			}
			return rev
		}
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil || !isListetakModule(filepath.Join(strings.TrimSpace(string(top)), "go.mod")) {
		return "unknown"
	}
	out, err := exec.Command("git", "describe", "--always", "--dirty", "--tags").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// isListetakModule reports whether the go.mod file at path declares
// module listetak.
func isListetakModule(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "module" {
			return f[1] == "listetak"
		}
	}
	return false
}
