package report

import (
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"listetak/results"
)

// TestHindcastSection builds the report of a hindcast folder: one table per
// fit, the out-of-sample table beside the in-sample fit, a figure per
// series and a summary sentence per fit, and no run paragraph.
func TestHindcastSection(t *testing.T) {
	nan := math.NaN()
	var rows []results.HindcastRow
	for _, f := range []string{"all", "to2018"} {
		for y := 2017; y <= 2019; y++ {
			r := results.HindcastRow{Fit: f, Moment: "n_gps", Group: "all", Year: y, Observed: nan, SE: nan, Mean: 4800, Q05: 4700, Q50: 4800, Q95: 4900}
			if y >= 2018 {
				r.Observed, r.SE, r.Sample, r.Pass = 4850, 97, "in", true
				if f == "to2018" && y == 2019 {
					r.Sample, r.Observed, r.Pass = "out", 5500, false
				}
			}
			rows = append(rows, r)
		}
	}
	dir := t.TempDir()
	if err := results.WriteFileAtomic(filepath.Join(dir, "hindcast.csv"), func(w io.Writer) error { return results.WriteHindcastCSV(w, rows) }); err != nil {
		t.Fatal(err)
	}
	run, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Build(run, Options{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sections) != 1 || rep.Sections[0].Key != "hindcast" {
		t.Fatalf("sections %+v", rep.Sections)
	}
	s := rep.Sections[0]
	if len(s.Tables) != 3 || len(s.Figures) != 1 || s.Figures[0].Name != "hindcast_n_gps" {
		t.Fatalf("%d tables, %d figures", len(s.Tables), len(s.Figures))
	}
	if oos := s.Tables[2]; len(oos.Rows) != 1 || len(oos.Rows[0]) != 9 || oos.Rows[0][2].Main != "5,500" {
		t.Errorf("out-of-sample table %+v", oos)
	}
	sum := strings.Join(rep.Summary, "\n")
	if !strings.Contains(sum, "to2018: 1 of 2 targets pass") || strings.Contains(sum, "projects") {
		t.Errorf("summary:\n%s", sum)
	}
}
