package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"listetak/internal/csvtable"
	"listetak/results"
)

// TestRunAreas checks that run writes the per-area files for every
// scenario and paired difference (the test world's three municipalities
// have codes 0001-0003, so one county "00" without a 2024 name), and that
// -municipal=false writes none.
func TestRunAreas(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-scenario", "baseline,1aix", "-reps", "3", "-years", "2", "-out", dir, "-progress", "never"); err != nil {
		t.Fatal(err)
	}
	rows, err := results.ReadAreaParquet(filepath.Join(dir, "municipalities.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.Code+" "+r.Name+" "+r.Scenario] = true
	}
	for _, k := range []string{"0001 Nordby baseline", "0002 Sørvik 1aix", "0003 Fjellheim 1aix-minus-baseline"} {
		if !seen[k] {
			t.Errorf("municipalities.parquet has no rows of %q (has %v)", k, seen)
		}
	}
	// 3 municipalities x 3 series x 3 years x 22 metrics.
	if len(rows) != 3*3*3*22 {
		t.Errorf("%d municipality rows, want %d", len(rows), 3*3*3*22)
	}
	for file, levels := range map[string]string{"counties.csv": "county", "groups.csv": "centrality size"} {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		tab := csvtable.Read(data, strings.Split(results.AreaHeader, ","))
		if len(tab.Problems) > 0 || len(tab.Rows) == 0 {
			t.Fatalf("%s: %d rows, problems %v", file, len(tab.Rows), tab.Problems)
		}
		for i := range tab.Rows {
			if l, _ := tab.Cell(i, "level"); !strings.Contains(levels, l) {
				t.Fatalf("%s line %d: level %q", file, tab.Lines[i], l)
			}
		}
	}
	plain := filepath.Join(t.TempDir(), "plain")
	if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-reps", "2", "-years", "1", "-municipal=false", "-out", plain, "-progress", "never"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"municipalities.parquet", "counties.csv", "groups.csv"} {
		if _, err := os.Stat(filepath.Join(plain, f)); err == nil {
			t.Errorf("-municipal=false wrote %s", f)
		}
	}
}
