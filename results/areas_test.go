package results

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

func areaTestRows() []AreaRow {
	nan := math.NaN()
	return []AreaRow{
		{Level: LevelMunicipality, Code: "3301", Name: "Drammen", SummaryRow: SummaryRow{Scenario: "baseline", Year: 2, Metric: "gps",
			Mean: 86.5, SD: 1.5, Q05: 84, Q25: 85, Q50: 86, Q75: 88, Q95: 89, N: 200, SE: 0.106}},
		{Level: LevelMunicipality, Code: "1111", Name: "Sokndal, \"x\"", SummaryRow: SummaryRow{Scenario: "1aix-minus-baseline", DesignPoint: 3, Metric: "mean_list",
			Mean: nan, SD: nan, Q05: nan, Q25: nan, Q50: nan, Q75: nan, Q95: nan, N: 0, SE: nan}},
	}
}

// TestAreaParquetNulls checks that undefined statistics are NULL in the
// Parquet file (read back as NaN) and every other field round-trips.
func TestAreaParquetNulls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.parquet")
	rows := areaTestRows()
	if err := WriteAreaParquet(path, rows); err != nil {
		t.Fatal(err)
	}
	back, err := ReadAreaParquet(path)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(back) != fmt.Sprint(rows) {
		t.Errorf("read back\n%v\nwant\n%v", back, rows)
	}
	prs, err := readAreaParquetRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	if prs[1].Mean != nil || prs[1].SE != nil || prs[0].Mean == nil || *prs[0].Mean != 86.5 {
		t.Errorf("NULLs: %+v", prs)
	}
}

func TestWriteAreaCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteAreaCSV(&b, areaTestRows()); err != nil {
		t.Fatal(err)
	}
	want := AreaHeader + "\n" +
		"municipality,3301,Drammen,baseline,0,2,gps,86.5,1.5,84,85,86,88,89,200,0.106\n" +
		`municipality,1111,"Sokndal, ""x""",1aix-minus-baseline,3,0,mean_list,NaN,NaN,NaN,NaN,NaN,NaN,NaN,0,NaN` + "\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if !strings.HasPrefix(AreaHeader, "level,code,name,scenario,") {
		t.Error(AreaHeader)
	}
}

func TestSelectArea(t *testing.T) {
	row := func(level, code, name string) AreaRow {
		return AreaRow{Level: level, Code: code, Name: name, SummaryRow: SummaryRow{Scenario: "baseline", Metric: "gps"}}
	}
	rows := []AreaRow{
		row(LevelMunicipality, "0301", "Oslo - Oslove"), row(LevelMunicipality, "3301", "Drammen"),
		row(LevelMunicipality, "9001", "Twin"), row(LevelMunicipality, "9002", "Twin"), row(LevelCounty, "33", "Buskerud"),
	}
	for key, want := range map[string]string{"3301": "3301", "drammen": "3301", "Oslo": "0301", "oslo - oslove": "0301"} {
		got, err := SelectArea(rows, LevelMunicipality, key)
		if err != nil || len(got) != 1 || got[0].Code != want {
			t.Errorf("SelectArea(%q) = %v, %v; want code %s", key, got, err, want)
		}
	}
	for key, msg := range map[string]string{"Twin": "codes 9001, 9002", "33": `no municipality "33"`, "Bergen": `no municipality "Bergen"`} {
		if _, err := SelectArea(rows, LevelMunicipality, key); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("SelectArea(%q): %v, want %q", key, err, msg)
		}
	}
}
