package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"listetak/calibrate"
	"listetak/internal/csvtable"
	"listetak/results"
	"listetak/world"
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
	// 3 municipalities x 3 series x 3 years x 23 metrics.
	if len(rows) != 3*3*3*23 {
		t.Errorf("%d municipality rows, want %d", len(rows), 3*3*3*23)
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

// TestShowArea runs norway-2025 briefly and checks show for Drammen (by
// code and by name), for Utsira (one GP) and for a county and a
// centrality class, that an unknown code is an error naming it, and that
// plot draws one area.
func TestShowArea(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, _, err := runCLI(t, "run", "-scenario", "baseline,1aix", "-reps", "3", "-years", "3", "-out", dir, "-progress", "never"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-municipality", "3301"}, "Drammen (3301), baseline: median [5%, 95%] over 3 replications\nyear"},
		{[]string{"-municipality", "drammen", "-scenario", "1aix", "-metric", "gps_age_62_plus"}, "Drammen (3301), 1aix: median"},
		{[]string{"-municipality", "Utsira", "-metric", "gps,mean_list"}, "Utsira (1151), 1aix-minus-baseline: median"},
		{[]string{"-county", "33", "-metric", "coverage"}, "Buskerud (33), baseline"},
		{[]string{"-centrality", "6", "-metric", "gps_per_10k", "-format", "svg"}, "centrality_6, baseline"},
	} {
		out, _, err := runCLI(t, append([]string{"show", dir}, c.args...)...)
		if err != nil {
			t.Errorf("show %v: %v", c.args, err)
			continue
		}
		if !strings.Contains(out, c.want) || !strings.Contains(out, "figures") {
			t.Errorf("show %v printed\n%s\nwant %q and the figures", c.args, out, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "figures", "municipality_3301", "fan_gps.png")); err != nil {
		t.Error(err)
	}
	if _, _, err := runCLI(t, "show", dir, "-municipality", "9999"); err == nil || !strings.Contains(err.Error(), `no municipality "9999"`) {
		t.Errorf("unknown municipality: %v", err)
	}
	if _, _, err := runCLI(t, "show", dir, "-municipality", "3301", "-county", "33"); err == nil {
		t.Error("two areas: no error")
	}
	out, _, err := runCLI(t, "plot", dir, "-municipality", "3301", "-out", filepath.Join(t.TempDir(), "f"))
	if err != nil || !strings.Contains(out, "Drammen (3301): GPs holding a list") {
		t.Errorf("plot -municipality: %v\n%s", err, out)
	}
	// The municipal report, for Drammen and for Utsira (one GP), in both
	// languages.
	for _, c := range []struct {
		args       []string
		file, want string
	}{
		{[]string{"-municipality", "3301"}, "report-municipality-3301.md", "Drammen (3301)"},
		{[]string{"-municipality", "Utsira", "-lang", "nb"}, "report-municipality-1151.nb.md", "Innbyggere uten fastlege"},
	} {
		if _, _, err := runCLI(t, append([]string{"report", dir}, c.args...)...); err != nil {
			t.Fatalf("report %v: %v", c.args, err)
		}
		md, err := os.ReadFile(filepath.Join(dir, c.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{c.want, "| year 0 |", "1aix"} {
			if !strings.Contains(string(md), w) && !strings.Contains(string(md), strings.Replace(w, "year", "år", 1)) {
				t.Errorf("report %v: no %q in\n%s", c.args, w, md)
			}
		}
	}
	if _, _, err := runCLI(t, "report", dir, "-municipality", "9999"); err == nil || !strings.Contains(err.Error(), `no municipality "9999"`) {
		t.Errorf("report of an unknown municipality: %v", err)
	}
}

// TestRunTrace checks that -trace writes one register-format file per
// scenario and traced replication, that calibrate's register reader
// accepts it, and that a replication out of range is an error.
func TestRunTrace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-scenario", "baseline,1aix", "-reps", "3", "-years", "4", "-trace", "0,2", "-out", dir, "-progress", "never"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"baseline/rep-000000.csv", "baseline/rep-000002.csv", "1aix/rep-000002.csv"} {
		p, err := calibrate.ReadRegister(filepath.Join(dir, "trace", f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(p.Rows) == 0 {
			t.Errorf("%s: %d rows from %d", f, len(p.Rows), p.FirstYear)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "trace", "baseline", "rep-000001.csv")); err == nil {
		t.Error("replication 1 traced")
	}
	if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-reps", "2", "-trace", "2", "-out", filepath.Join(t.TempDir(), "x")); err == nil || !strings.Contains(err.Error(), "-trace") {
		t.Errorf("-trace 2 of 2 replications: %v", err)
	}
}

// TestRunSaveState checks that -save-state writes a world folder per
// scenario, replication and year that run -world accepts, and that the
// manifest lists them; bad years and replications are errors naming the
// flag, and nothing is written.
func TestRunSaveState(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-scenario", "baseline,1aix", "-reps", "3", "-years", "4",
		"-save-state", "2,4", "-save-reps", "1", "-out", dir, "-progress", "never"); err != nil {
		t.Fatal(err)
	}
	var man struct {
		Extra struct {
			Saved []struct {
				Path        string `json:"path"`
				Scenario    string `json:"scenario"`
				Replication int    `json:"replication"`
				Year        int    `json:"year"`
			} `json:"saved_states"`
		} `json:"extra"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &man); err != nil {
		t.Fatal(err)
	}
	if len(man.Extra.Saved) != 4 {
		t.Fatalf("manifest lists %d saved states, want 4: %s", len(man.Extra.Saved), data)
	}
	for _, s := range man.Extra.Saved {
		w, err := world.ReadDir(filepath.Join(dir, s.Path))
		if err != nil {
			t.Fatalf("%s: %v", s.Path, err)
		}
		if w.SavedFrom == nil || w.SavedFrom.Replication != 1 || w.SavedFrom.Year != s.Year || w.SavedFrom.Scenario != s.Scenario {
			t.Errorf("%s: saved_from %+v", s.Path, w.SavedFrom)
		}
	}
	again := filepath.Join(t.TempDir(), "again")
	if _, _, err := runCLI(t, "run", "-world", filepath.Join(dir, man.Extra.Saved[0].Path), "-reps", "2", "-years", "2", "-out", again, "-progress", "never"); err != nil {
		t.Fatalf("run from a saved state: %v", err)
	}
	// The continued run's manifest records the digests of its inputs: the
	// saved world as read, the parameters, the version.
	var man2 struct {
		Extra struct {
			Inputs map[string]string `json:"inputs"`
		} `json:"extra"`
	}
	data, err = os.ReadFile(filepath.Join(again, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &man2); err != nil {
		t.Fatal(err)
	}
	sw, err := world.ReadDir(filepath.Join(dir, man.Extra.Saved[0].Path))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := sw.Digest(); man2.Extra.Inputs["world"] != d || man2.Extra.Inputs["parameters"] == "" || man2.Extra.Inputs["version"] != Version {
		t.Errorf("manifest inputs %v, world digest %s", man2.Extra.Inputs, d)
	}
	for _, c := range [][]string{{"-save-state", "5"}, {"-save-state", "0"}, {"-save-state", "2", "-save-reps", "3"}} {
		out := filepath.Join(t.TempDir(), "bad")
		args := append([]string{"run", "-world", "testdata/world", "-reps", "3", "-years", "4", "-out", out}, c...)
		if _, _, err := runCLI(t, args...); err == nil || !strings.Contains(err.Error(), c[len(c)-2]) {
			t.Errorf("%v: %v", c, err)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: %s written", c, out)
		}
	}
}

// TestRunAreaReps checks that -area-reps writes every area's value in
// every replication, whose mean over replications is the per-area
// summary's mean, with undefined values NULL; and that it needs
// -municipal.
func TestRunAreaReps(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-scenario", "baseline,1aix", "-reps", "3", "-years", "2",
		"-area-reps", "-out", dir, "-progress", "never"); err != nil {
		t.Fatal(err)
	}
	reps, err := results.ReadAreaReplicationsParquet(filepath.Join(dir, "areas_replications.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := results.ReadAreaParquet(filepath.Join(dir, "municipalities.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		code, scenario, metric string
		year                   int32
	}
	total, n := map[key]float64{}, map[key]int{}
	nulls := 0
	for _, r := range reps {
		if r.Level != results.LevelMunicipality {
			continue
		}
		k := key{r.Code, r.Scenario, r.Metric, r.Year}
		if r.Value == nil {
			nulls++
			continue
		}
		total[k] += *r.Value
		n[k]++
	}
	checked, undefined := 0, 0
	for _, s := range sum {
		if s.Level != results.LevelMunicipality || strings.Contains(s.Scenario, "-minus-") {
			continue
		}
		undefined += 3 - s.N // the replications where the value is undefined
		if s.N == 0 {
			continue
		}
		k := key{s.Code, s.Scenario, s.Metric, int32(s.Year)}
		if got := total[k] / float64(n[k]); math.Abs(got-s.Mean) > 1e-9*math.Max(1, math.Abs(s.Mean)) || n[k] != s.N {
			t.Errorf("%v: mean of replications %v (n %d), summary %v (n %d)", k, got, n[k], s.Mean, s.N)
		}
		checked++
	}
	if checked == 0 || nulls != undefined {
		t.Errorf("%d means checked; %d NULL values, %d undefined in the summary", checked, nulls, undefined)
	}
	if _, _, err := runCLI(t, "run", "-world", "testdata/world", "-area-reps", "-municipal=false", "-out", filepath.Join(t.TempDir(), "x")); err == nil || !strings.Contains(err.Error(), "-area-reps") {
		t.Errorf("-area-reps without -municipal: %v", err)
	}
}
