package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRun drives `listetak run` end to end on a generated tiny world
// folder: municipalities.csv and slots.csv from the input (split at a
// line "--"), 3 years, 2 replications. Any error is fine; a panic, or a
// failed run that leaves its output folder, is not. The corpus holds the
// inputs that once broke runs: growth meant as a percentage, huge counts,
// empty files, a world with no held GP.
func FuzzRun(f *testing.F) {
	munis := "code,name,population,centrality,growth\n0301,Oslo,%s,1,%s\n"
	slots := "slot_id,municipality,status,list_length,ceiling,age,sex\n%s\n"
	held := "s1,0301,held,900,1000,50,F"
	for _, c := range []struct{ pop, growth, slot string }{
		{"2000", "0.01", held},
		{"2000", "5", held},                   // 5 meant as 5 %
		{"2000", "0.5", held},                 // the largest growth accepted
		{"9223372036854775807", "0.01", held}, // a huge population
		{"2000", "0.01", "s1,0301,held,900,9223372036854775807,50,F"},
		{"2000", "0.01", "s1,0301,vacant,500,,,"}, // no held GP
		{"0", "-0.5", held},
	} {
		f.Add(sprintf(munis, c.pop, c.growth) + "--\n" + sprintf(slots, c.slot))
	}
	f.Add("--\n")
	f.Add("code,population,centrality\n--\nslot_id,municipality,status,list_length\n")
	f.Fuzz(func(t *testing.T, in string) {
		m, s, ok := strings.Cut(in, "--\n")
		if !ok {
			return
		}
		dir := t.TempDir()
		w := filepath.Join(dir, "w")
		os.Mkdir(w, 0o755)
		os.WriteFile(filepath.Join(w, "municipalities.csv"), []byte(m), 0o644)
		os.WriteFile(filepath.Join(w, "slots.csv"), []byte(s), 0o644)
		out := filepath.Join(dir, "out")
		_, _, err := runCLI(t, "run", "-world", w, "-years", "3", "-reps", "2", "-workers", "1", "-out", out, "-progress", "never")
		if err != nil {
			if _, serr := os.Stat(out); serr == nil {
				t.Fatalf("failed run (%v) left %s", err, out)
			}
		}
	})
}

// sprintf replaces each %s of format by the next argument (the corpus's
// own tiny formatter, so a value with a percent sign stays literal).
func sprintf(format string, args ...string) string {
	for _, a := range args {
		format = strings.Replace(format, "%s", a, 1)
	}
	return format
}
