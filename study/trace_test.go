package study

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"listetak/calibrate"
	"listetak/sim"
)

// TestTrace checks that a traced replication's GP rows sum exactly to its
// national values and its municipalities' (GPs, listed, capacity, entries,
// exits by cause) every year and scenario, that calibrate's register
// reader accepts the written trace, and that a trace of a world built from
// a register, or with a resume, is refused.
func TestTrace(t *testing.T) {
	s := finnmark(t)
	s.Trace = []int{1}
	s.Municipal = true
	var outs []*sim.Output
	res, err := Execute(context.Background(), s, recordingStore{&outs}, Plan{}, Observer{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Traces) != 2 {
		t.Fatalf("%d traces, want 2 (one per scenario)", len(res.Traces))
	}
	for si, tr := range res.Traces {
		var b bytes.Buffer
		if err := calibrate.WriteTraceCSV(&b, tr); err != nil {
			t.Fatal(err)
		}
		o := outs[si]
		if o.Scenario != tr.Scenario {
			t.Fatalf("trace %s against output %s", tr.Scenario, o.Scenario)
		}
		type key struct{ year, muni int }
		var gps, listed, capacity, entries, retired, other = map[key]float64{}, map[key]float64{}, map[key]float64{}, map[key]float64{}, map[int]float64{}, map[int]float64{}
		for _, r := range tr.Rows {
			y, k := int(r.Year)-tr.FirstYear, key{int(r.Year) - tr.FirstYear, int(r.Muni)}
			for _, kk := range []key{k, {y, -1}} {
				gps[kk]++
				listed[kk] += float64(r.List)
				capacity[kk] += float64(r.Ceiling)
				if r.Entrant {
					entries[kk]++
				}
			}
			if r.Exit == 1 && r.Retired {
				retired[y+1]++
			} else if r.Exit == 1 {
				other[y+1]++
			}
		}
		rep := tr.Rep
		for y := range o.Years {
			nat := o.Values[(rep*o.Years+y)*int(sim.NumMetrics):]
			for name, c := range map[string][2]float64{
				"gps": {gps[key{y, -1}], nat[sim.GPs]}, "listed": {listed[key{y, -1}], nat[sim.Listed]},
				"capacity": {capacity[key{y, -1}], nat[sim.Capacity]}, "entries": {entries[key{y, -1}], nat[sim.Entries]},
				"exits_retirement": {retired[y], nat[sim.ExitsRetirement]}, "exits_other": {other[y], nat[sim.ExitsOther]},
			} {
				if c[0] != c[1] {
					t.Errorf("%s year %d: trace %s %v, national %v", tr.Scenario, y, name, c[0], c[1])
				}
			}
			for m := range o.Munis {
				mc := o.MuniAt(rep, y, m)
				k := key{y, m}
				if gps[k] != float64(mc[sim.MuniGPs]) || listed[k] != float64(mc[sim.MuniListed]) ||
					capacity[k] != float64(mc[sim.MuniCapacity]) || entries[k] != float64(mc[sim.MuniEntries]) {
					t.Errorf("%s year %d municipality %d: trace and municipal counts differ", tr.Scenario, y, m)
				}
			}
		}
		path := filepath.Join(t.TempDir(), "trace.csv")
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := calibrate.ReadRegister(path)
		if err != nil {
			t.Fatalf("the register reader refuses the trace: %v", err)
		}
		if len(p.Rows) != len(tr.Rows) || len(p.Warnings.UnknownColumns) != len(calibrate.TraceColumns) {
			t.Errorf("read back %d rows (want %d), unknown columns %v", len(p.Rows), len(tr.Rows), p.Warnings.UnknownColumns)
		}
		t.Logf("%s: %d GP-years; years with retirements %d, with other exits %d", tr.Scenario, len(tr.Rows), len(retired), len(other))
		if !strings.Contains(b.String(), ",raised,") && !strings.Contains(b.String(), ",lowered,") {
			t.Errorf("%s: no ceiling decision in %d rows", tr.Scenario, len(tr.Rows))
		}
	}
	if _, err := Execute(context.Background(), s, &MemStore{}, Plan{Resume: true}, Observer{}); err == nil {
		t.Error("a trace with resume: no error")
	}
	s.World.PersonalData = true
	if _, err := Execute(context.Background(), s, &MemStore{}, Plan{}, Observer{}); err == nil || !strings.Contains(err.Error(), "personal data") {
		t.Errorf("a trace of a register world: %v", err)
	}
}

// recordingStore stores nothing and keeps the outputs it is given (the
// run's, the same every call).
type recordingStore struct{ outs *[]*sim.Output }

var recordingMu sync.Mutex

func (r recordingStore) Has(dp, rep int) bool { return false }
func (r recordingStore) Save(dp, rep int, outs []*sim.Output) error {
	recordingMu.Lock()
	defer recordingMu.Unlock()
	*r.outs = outs
	return nil
}
func (r recordingStore) Load(dp, rep int, outs []*sim.Output) (bool, error) { return false, nil }
