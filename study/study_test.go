package study

import (
	"context"
	"fmt"
	"testing"

	"listetak/calibrate"
	"listetak/experiments"
	"listetak/params"
	"listetak/world"
)

// finnmark returns a study of Finnmark on norway-2011 (56: about 100 GPs)
// under the baseline and 1aix, 5 years, 4 replications.
func finnmark(t *testing.T) *Study {
	t.Helper()
	w0, err := world.Embedded("norway-2011")
	if err != nil {
		t.Fatal(err)
	}
	w, err := calibrate.SubsetWorld(w0, []string{"56"})
	if err != nil {
		t.Fatal(err)
	}
	defs, err := experiments.Lookup([]string{"baseline", "1aix"})
	if err != nil {
		t.Fatal(err)
	}
	p := params.Default()
	p.Demography = 0
	return &Study{World: w, Params: p, Scenarios: defs, Years: 5, Reps: 4, Seed: 3, Rebase: true, DistYears: []int{1, 5}, Workers: 2}
}

// TestExecuteShardsResume checks that a study split into two shards and
// merged, and one resumed after half its units, give exactly the summary
// rows of a single execution, and that a merge with a unit missing fails.
func TestExecuteShardsResume(t *testing.T) {
	s := finnmark(t)
	ctx := context.Background()
	whole, err := Execute(ctx, s, &MemStore{}, Plan{}, Observer{})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Rows) == 0 || len(whole.Diffs) != 1 || len(whole.Dist) == 0 || whole.Names[1] != "1aix" {
		t.Fatalf("whole: %d rows, %d diffs, %d dist rows, names %v", len(whole.Rows), len(whole.Diffs), len(whole.Dist), whole.Names)
	}
	shared := &MemStore{}
	for i := range 2 {
		r, err := Execute(ctx, s, shared, Plan{Shard: i, Shards: 2}, Observer{})
		if err != nil || !r.Sharded || len(r.Rows) != 0 {
			t.Fatalf("shard %d: %v, %+v", i, err, r)
		}
	}
	merged, err := Execute(ctx, s, shared, Plan{Merge: true}, Observer{})
	if err != nil {
		t.Fatal(err)
	}
	if !same(merged.Rows, whole.Rows) || !same(merged.Dist, whole.Dist) {
		t.Error("merged shards differ from the single execution")
	}
	half := &MemStore{}
	if _, err := Execute(ctx, s, half, Plan{Shard: 0, Shards: 2}, Observer{}); err != nil {
		t.Fatal(err)
	}
	resumed, err := Execute(ctx, s, half, Plan{Resume: true}, Observer{})
	if err != nil {
		t.Fatal(err)
	}
	if !same(resumed.Rows, whole.Rows) {
		t.Error("resumed execution differs from the single one")
	}
	if _, err := Execute(ctx, s, &MemStore{}, Plan{Merge: true}, Observer{}); err == nil {
		t.Error("merge with no units: no error")
	}
}

// TestExecuteWorkers checks that results do not depend on the number of
// workers.
func TestExecuteWorkers(t *testing.T) {
	s := finnmark(t)
	a, err := Execute(context.Background(), s, &MemStore{}, Plan{}, Observer{})
	if err != nil {
		t.Fatal(err)
	}
	s.Workers = 1
	b, err := Execute(context.Background(), s, &MemStore{}, Plan{}, Observer{})
	if err != nil {
		t.Fatal(err)
	}
	if !same(a.Rows, b.Rows) {
		t.Error("1 and 2 workers differ")
	}
}

// same compares rows by their printed values: undefined cells are NaN,
// which == (and reflect.DeepEqual) never find equal.
func same(a, b any) bool { return fmt.Sprintf("%v", a) == fmt.Sprintf("%v", b) }
