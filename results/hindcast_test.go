package results

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestHindcastCSVRoundTrip(t *testing.T) {
	rows := []HindcastRow{
		{Fit: "estimated-2026", Moment: "n_gps", Group: "all", Year: 2019, Observed: 4858, SE: 97.16, Mean: 4830.5, Q05: 4800, Q50: 4831, Q95: 4861, Sample: "in", Pass: true},
		{Fit: "estimated-2026", Moment: "n_gps", Group: "all", Year: 2014, Observed: math.NaN(), SE: math.NaN(), Mean: 4500, Q05: 4480, Q50: 4501, Q95: 4522},
	}
	var b bytes.Buffer
	if err := WriteHindcastCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	got, err := ParseHindcastCSV(&b, "hindcast.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != rows[0] || !math.IsNaN(got[1].Observed) || got[1].Mean != 4500 || got[1].Sample != "" {
		t.Fatalf("round trip: %+v", got)
	}
	bad := HindcastHeader + "\nx,n_gps,all,2019,1,1,1,1,1,1,maybe,true\n"
	if _, err := ParseHindcastCSV(strings.NewReader(bad), "h.csv"); err == nil || !strings.Contains(err.Error(), "h.csv:2: column sample") {
		t.Fatalf("bad sample: %v", err)
	}
}
