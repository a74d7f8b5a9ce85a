package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"listetak/results"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runCLI runs the command line and returns stdout, stderr and the error.
func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(args, &out, &errb)
	return out.String(), errb.String(), err
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./cmd/listetak -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TestManual checks the manual in doc.go against the program: every
// subcommand of the usage text has a section, and every flag its -h lists
// is documented.
func TestManual(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	flagRE := regexp.MustCompile(`(?m)^\s+-([\w-]+)`)
	var subs []string
	for _, m := range regexp.MustCompile(`(?m)^  listetak ([a-z-]+)`).FindAllStringSubmatch(usage, -1) {
		if !slices.Contains(subs, m[1]) {
			subs = append(subs, m[1])
		}
	}
	// The subcommands the manual has always covered, plus every later one.
	for _, want := range []string{"run", "params", "world", "solve", "check", "merge", "slurm",
		"synth-register", "calibrate", "plot", "report"} {
		if !slices.Contains(subs, want) {
			t.Errorf("usage lacks %s", want)
		}
	}
	for _, sub := range subs {
		if !strings.Contains(string(doc), "# "+sub+"\n") {
			t.Errorf("doc.go has no section for %q", sub)
		}
		if sub == "version" {
			continue // no flags
		}
		_, stderr, err := runCLI(t, sub, "-h")
		if err != flag.ErrHelp {
			t.Fatalf("%s -h: %v", sub, err)
		}
		for _, m := range flagRE.FindAllStringSubmatch(stderr, -1) {
			if !strings.Contains(string(doc), "-"+m[1]+" ") {
				t.Errorf("doc.go does not document %s -%s", sub, m[1])
			}
		}
	}
}

func TestParamsGolden(t *testing.T) {
	out, _, err := runCLI(t, "params")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "params.golden", out)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRunGolden runs the hand-made test world and compares the terminal
// table and the summary with golden files.
// TestRunGoldenV2 is TestRunGolden's run under the default v2 rules, with
// its own golden files.
func TestRunGoldenV2(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	out, _, err := runCLI(t, "run", "-world", "testdata/world", "-reps", "20", "-years", "5", "-seed", "7", "-workers", "2", "-out", dir)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "run.v2.golden", strings.ReplaceAll(out, dir, "OUT"))
	golden(t, "summary.v2.golden.csv", readFile(t, filepath.Join(dir, "summary.csv")))
}

func TestRunGolden(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	out, _, err := runCLI(t, "run", "-model", "reference-v1", "-world", "testdata/world", "-reps", "20", "-years", "5", "-seed", "7", "-workers", "2", "-out", dir)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "run.golden", strings.ReplaceAll(out, dir, "OUT"))
	golden(t, "summary.golden.csv", readFile(t, filepath.Join(dir, "summary.csv")))
	for _, f := range []string{"replications.csv", "summary.csv", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// replications.parquet holds the same values.
	rows, err := results.ReadParquet(filepath.Join(dir, "replications.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := results.SeriesFromRows(rows)
	if err != nil || len(ps) != 1 || ps[0].Reps != 20 || ps[0].Years != 6 {
		t.Fatalf("replications.parquet: %v", err)
	}
	var csvBuf strings.Builder
	if err := results.WriteReplicationsCSV(&csvBuf, ps...); err != nil {
		t.Fatal(err)
	}
	rep := readFile(t, filepath.Join(dir, "replications.csv"))
	if csvBuf.String() != rep {
		t.Error("replications.parquet and replications.csv differ")
	}
	if !strings.HasPrefix(rep, "scenario,design_point,replication,year,metric,value\n") {
		t.Errorf("replications.csv header: %q", rep[:60])
	}
	// Every metric the core issue names is there.
	for _, m := range []string{"population", "gps", "vacant_slots", "new_slots", "entries", "exits_retirement",
		"exits_other", "capacity", "listed", "orphans", "orphan_share", "coverage", "mean_list", "mean_ceiling",
		"mean_hours", "mean_gross_income", "mean_net_income", "capitation_total", "fees_total",
		"capacity_change_ceilings", "capacity_change_exits", "capacity_change_entries",
		"list_bin_0_500", "list_bin_501_800", "list_bin_801_1000", "list_bin_1001_1200",
		"list_bin_1201_1500", "list_bin_1501_1800", "list_bin_1801_plus"} {
		if !strings.Contains(rep, ",0,"+m+",") {
			t.Errorf("replications.csv lacks metric %s", m)
		}
	}
}

// TestDeterminism: the same seed gives the same bytes for 1 and 4 workers
// and for two runs; another seed differs.
func TestDeterminism(t *testing.T) {
	tmp := t.TempDir()
	files := func(name string, args ...string) [2]string {
		dir := filepath.Join(tmp, name)
		a := append([]string{"run", "-world", "testdata/world", "-reps", "16", "-years", "10", "-out", dir}, args...)
		if _, _, err := runCLI(t, a...); err != nil {
			t.Fatal(err)
		}
		return [2]string{readFile(t, filepath.Join(dir, "replications.csv")), readFile(t, filepath.Join(dir, "summary.csv"))}
	}
	w1 := files("w1", "-workers", "1", "-seed", "3")
	w4 := files("w4", "-workers", "4", "-seed", "3")
	again := files("again", "-workers", "2", "-seed", "3")
	other := files("other", "-workers", "2", "-seed", "4")
	if w1 != w4 {
		t.Error("-workers 1 and -workers 4 write different files")
	}
	if w1 != again {
		t.Error("two runs with the same seed write different files")
	}
	if w1[0] == other[0] || w1[1] == other[1] {
		t.Error("seeds 3 and 4 write identical files")
	}
}

// copyWorld copies the test world into a temporary folder and applies edit
// to the named file's text.
func copyWorld(t *testing.T, file string, edit func(string) string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "world")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"municipalities.csv", "slots.csv", "world.yaml"} {
		text := readFile(t, filepath.Join("testdata/world", f))
		if f == file {
			text = edit(text)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestBadInput: each kind of bad input fails with a message naming file,
// line and column or key, and leaves no output folder.
func TestBadInput(t *testing.T) {
	replace := func(old, new string) func(string) string {
		return func(s string) string {
			if !strings.Contains(s, old) {
				t.Fatalf("test world lacks %q", old)
			}
			return strings.Replace(s, old, new, 1)
		}
	}
	cases := []struct {
		name, file string
		edit       func(string) string
		want       []string
	}{
		{"list over ceiling", "slots.csv", replace("n2,0001,held,1180,1200", "n2,0001,held,1280,1200"), []string{"slots.csv:3", "ceiling"}},
		{"unknown municipality", "slots.csv", replace("s2,0002,", "s2,0009,"), []string{"slots.csv:8", "municipality", "0009"}},
		{"negative population", "municipalities.csv", replace("0002,Sørvik,2300", "0002,Sørvik,-2300"), []string{"municipalities.csv:3", "population"}},
		{"non-numeric cell", "slots.csv", replace("s1,0002,held,760", "s1,0002,held,7x0"), []string{"slots.csv:7", "list_length"}},
		{"unknown world.yaml key", "world.yaml", replace("nok_index: 1", "nok_indx: 1"), []string{"world.yaml:4", "nok_indx"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := copyWorld(t, c.file, c.edit)
			out := filepath.Join(t.TempDir(), "out")
			_, _, err := runCLI(t, "run", "-world", w, "-reps", "2", "-years", "2", "-out", out)
			if err == nil {
				t.Fatal("bad input accepted")
			}
			for _, s := range c.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not name %q", err, s)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output folder left behind (%v)", err)
			}
		})
	}
	t.Run("failure in a folder made beforehand", func(t *testing.T) {
		// The run fails after its inputs loaded (flags.json written): the
		// empty folder the user made is left empty, so a rerun into it works.
		out := t.TempDir()
		_, _, err := runCLI(t, "run", "-world", "testdata/world", "-reps", "100000000", "-years", "50", "-out", out, "-progress", "never")
		if err == nil || !strings.Contains(err.Error(), "GiB") {
			t.Fatalf("error %v, want the records' memory limit", err)
		}
		if entries, err := os.ReadDir(out); err != nil || len(entries) > 0 {
			t.Fatalf("folder %s after the failure: %v %v", out, entries, err)
		}
		if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-reps", "2", "-years", "1", "-out", out, "-progress", "never"); err != nil {
			t.Errorf("rerun into the emptied folder: %v", err)
		}
	})
	t.Run("unknown params key", func(t *testing.T) {
		pf := filepath.Join(t.TempDir(), "p.yaml")
		if err := os.WriteFile(pf, []byte("chi: 0.04\npsii: 0.3\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "out")
		_, _, err := runCLI(t, "run", "-world", "testdata/world", "-params", pf, "-reps", "2", "-years", "2", "-out", out)
		if err == nil || !strings.Contains(err.Error(), "p.yaml") || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "psii") {
			t.Fatalf("error %v does not name file, line and key", err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("output folder left behind (%v)", err)
		}
	})
	t.Run("bad params value", func(t *testing.T) {
		pf := filepath.Join(t.TempDir(), "p.yaml")
		if err := os.WriteFile(pf, []byte("chi: 1.5\npsi: -1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := runCLI(t, "run", "-world", "testdata/world", "-params", pf, "-out", filepath.Join(t.TempDir(), "o"))
		if err == nil || !strings.Contains(err.Error(), "chi") || !strings.Contains(err.Error(), "psi") {
			t.Fatalf("error %v does not name both fields", err)
		}
	})
	t.Run("unknown subcommand", func(t *testing.T) {
		if _, _, err := runCLI(t, "fly"); err == nil {
			t.Fatal("unknown subcommand accepted")
		}
	})
}

// TestExportRoundTrip: an exported embedded world runs back exactly as
// the embedded one (several replications, every file of results); with
// -draws, a one-replication run reproduces the embedded world's.
func TestExportRoundTrip(t *testing.T) {
	tmp := t.TempDir()
	wdir, ddir := filepath.Join(tmp, "w"), filepath.Join(tmp, "d")
	if _, _, err := runCLI(t, "world", "-export", "norway-2025", wdir); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, "world", "-export", "norway-2025", ddir, "-draws", "-seed", "9"); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) string {
		out := filepath.Join(tmp, name)
		if _, _, err := runCLI(t, append([]string{"run", "-years", "5", "-seed", "9", "-out", out, "-progress", "never"}, args...)...); err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := run("a", "-reps", "3"), run("b", "-reps", "3", "-world", wdir)
	for _, f := range []string{"replications.csv", "summary.csv"} {
		if readFile(t, filepath.Join(a, f)) != readFile(t, filepath.Join(b, f)) {
			t.Errorf("%s: the exported world does not rerun as the embedded one", f)
		}
	}
	a1, d1 := run("a1", "-reps", "1"), run("d1", "-reps", "1", "-world", ddir)
	if readFile(t, filepath.Join(a1, "replications.csv")) != readFile(t, filepath.Join(d1, "replications.csv")) {
		t.Error("the world exported with -draws does not reproduce replication 0")
	}
}

// buildBinary builds the command into dir and returns its path.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "listetak")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeExperiment writes an experiment file on the test world into dir: a
// world line followed by body.
func writeExperiment(t *testing.T, dir, name, body string) string {
	t.Helper()
	world, err := filepath.Abs("testdata/world")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, []byte("world: "+world+"\n"+body), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestParamsShowsEstimates: with an estimates file, `params` shows each
// estimated parameter's standard error and where it was estimated, and
// each fixed one with its source.
func TestParamsShowsEstimates(t *testing.T) {
	out, _, err := runCLI(t, "params", "-params", "testdata/estimates.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"chi", "0.06", "0.01", "estimated (smm (cmaes), targets norway-2011-2019; logit scale)", "psi", "0.03"} {
		if !strings.Contains(out, want) {
			t.Errorf("params output lacks %q", want)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "eta ") && strings.Contains(line, "estimated") {
			t.Errorf("a fixed parameter shown as estimated: %s", line)
		}
	}
}
