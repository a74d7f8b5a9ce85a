package study

import (
	"context"
	"math"
	"testing"

	"listetak/results"
)

// TestAreas checks the per-area rows of a two-scenario study: each level's
// areas sum to the national mean of every count in every year (means are
// linear, so the sums agree to rounding: 1e-9 relative), ratios are formed
// from the sums, a paired difference row is its scenarios' difference,
// and sharded units written to files and merged give the same rows.
func TestAreas(t *testing.T) {
	s := finnmark(t)
	s.Municipal = true
	ctx := context.Background()
	res, err := Execute(ctx, s, &MemStore{}, Plan{}, Observer{})
	if err != nil {
		t.Fatal(err)
	}
	national := map[[3]any]float64{}
	for _, r := range res.Rows {
		national[[3]any{r.Scenario, r.Year, r.Metric}] = r.Mean
	}
	type key struct {
		level, scenario string
		year            int
		metric          string
	}
	sums := map[key]float64{}
	byArea := map[[5]any]float64{}
	for _, r := range res.Areas {
		sums[key{r.Level, r.Scenario, r.Year, r.Metric}] += r.Mean
		byArea[[5]any{r.Level, r.Code, r.Scenario, r.Year, r.Metric}] = r.Mean
	}
	twins := map[string]string{"population": "population", "gps": "gps", "capacity": "capacity", "listed": "listed",
		"lists_without_gp": "lists_without_gp", "orphans_on_vacant_lists": "orphans_on_vacant_lists",
		"orphans_unlisted": "orphans_unlisted", "entries": "entries", "new_slots": "new_slots", "vacant_slots": "vacant_slots"}
	levels := []string{results.LevelMunicipality, results.LevelCounty, results.LevelCentrality, results.LevelSize}
	checked := 0
	for _, level := range levels {
		for _, scen := range []string{"baseline", "1aix", "1aix-minus-baseline"} {
			for y := range s.Years + 1 {
				for am, nm := range twins {
					got, want := sums[key{level, scen, y, am}], national[[3]any{scen, y, nm}]
					if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
						t.Errorf("%s %s year %d: areas' %s sum to %v, national %v", level, scen, y, am, got, want)
					}
					checked++
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
	// Finnmark is one county: its coverage is its capacity over its
	// population in every replication, so its mean is not the ratio of
	// means; the national coverage is the same quantity.
	if c, n := byArea[[5]any{results.LevelCounty, "56", "baseline", 3, "coverage"}], national[[3]any{"baseline", 3, "coverage"}]; math.Abs(c-n) > 1e-12 {
		t.Errorf("county 56 coverage %v, national %v", c, n)
	}
	// Files: two shards into a folder, then a merge.
	dir := DirStore(t.TempDir())
	for i := range 2 {
		if _, err := Execute(ctx, s, dir, Plan{Shard: i, Shards: 2}, Observer{}); err != nil {
			t.Fatal(err)
		}
	}
	merged, err := Execute(ctx, s, dir, Plan{Merge: true}, Observer{})
	if err != nil {
		t.Fatal(err)
	}
	if !same(merged.Areas, res.Areas) {
		t.Error("merged per-area rows differ from the single execution")
	}
	// Units without municipal records cannot serve a municipal merge.
	s.Municipal = false
	plain := DirStore(t.TempDir())
	if _, err := Execute(ctx, s, plain, Plan{Shard: 0, Shards: 1}, Observer{}); err != nil {
		t.Fatal(err)
	}
	s.Municipal = true
	if _, err := Execute(ctx, s, plain, Plan{Merge: true}, Observer{}); err == nil {
		t.Error("municipal merge of units without municipal records: no error")
	}
}

// TestAreaSumsEveryReplication checks, with Study.AreaReps, that each
// level's areas (municipalities, counties, centrality and size classes)
// sum exactly to the national value of every count in every year of every
// replication and scenario (the counts are whole numbers below 2^24, so
// their float sums are exact).
func TestAreaSumsEveryReplication(t *testing.T) {
	s := finnmark(t)
	s.Municipal, s.AreaReps = true, true
	res, err := Execute(context.Background(), s, &MemStore{}, Plan{}, Observer{})
	if err != nil {
		t.Fatal(err)
	}
	national := map[string]*results.Series{}
	for _, se := range res.Series {
		national[se.Scenario] = se
	}
	counts := []string{"population", "gps", "capacity", "listed", "lists_without_gp", "orphans_on_vacant_lists",
		"orphans_unlisted", "entries", "new_slots", "vacant_slots"}
	type key struct {
		level, scenario string
		rep, year       int
		metric          string
	}
	sums := map[key]float64{}
	for _, a := range res.AreaSeries {
		for _, se := range a.Series {
			for _, m := range counts {
				k := se.MetricIndex(m)
				for rep := range se.Reps {
					for y := range se.Years {
						sums[key{a.Level, se.Scenario, rep, y, m}] += se.At(rep, y, k)
					}
				}
			}
		}
	}
	checked := 0
	for _, level := range []string{results.LevelMunicipality, results.LevelCounty, results.LevelCentrality, results.LevelSize} {
		for scen, nat := range national {
			for _, m := range counts {
				k := nat.MetricIndex(m)
				for rep := range nat.Reps {
					for y := range nat.Years {
						if got, want := sums[key{level, scen, rep, y, m}], nat.At(rep, y, k); got != want {
							t.Errorf("%s %s rep %d year %d: areas' %s sum to %v, national %v", level, scen, rep, y, m, got, want)
						}
						checked++
					}
				}
			}
		}
	}
	if want := 4 * 2 * len(counts) * s.Reps * (s.Years + 1); checked != want {
		t.Fatalf("%d values checked, want %d", checked, want)
	}
}
