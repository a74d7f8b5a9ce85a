package world

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"listetak/finance"
)

// writeFiles writes the named files into a fresh folder and returns it.
// A file whose content is "-" is not written.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if content == "-" {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func testWorld() *World {
	return &World{
		Name:     "test-world",
		Year:     2025,
		Source:   "hand-made, \"quoted\", with: colons",
		NokIndex: 1.25,
		Baseline: finance.Spec{
			Breaks:    []float64{800, 1200.5},
			Rates:     []float64{900, 700.1, 0.3},
			Guarantee: finance.GuaranteeSpec{Persons: 500, MinCeiling: true, MaxContractYears: 2},
		},
		Municipalities: []Municipality{
			{Code: "0301", Name: "Oslo - Oslove", Population: 10000, Centrality: 1},
			{Code: "1101", Name: "Eiger, \"sund\"", Population: 5000, Centrality: 4,
				Growth: Some(-0.0123456789012345), ExtraHours: Some(450.5), MinGPs: Some(2), Imputed: true},
			{Code: "x", Population: 0, Centrality: 6, Growth: Some(0.1), ExtraHours: Some(0.0), MinGPs: Some(0)},
		},
		Slots: []Slot{
			{ID: "0301-0001", Muni: 0, Held: true, List: 1000, Ceiling: Some(1200), Age: 50, Female: true,
				Specialist: true, ContractYears: Some(3),
				LeisureValue: Some(812.3456789), LossAversion: Some(1.0), StaffStep: Some(1e3), ReferenceIncome: Some(-1.5e-300)},
			{ID: "0301-0002", Muni: 0, List: 500, Salaried: true},
			{ID: "0301-0003", Muni: 0, List: 0, Ceiling: Some(900), Age: 33, Female: true},
			{ID: "1101, a", Muni: 1, Held: true, List: 900, Ceiling: Some(900), Age: 18, Salaried: true,
				LossAversion: Some(math.Nextafter(3, 4)), StaffStep: Some(0.1)},
			{ID: "1101-b", Muni: 1, Held: true, List: 0, Ceiling: Some(0), Age: 100, ContractYears: Some(0)},
		},
		Notes: []string{"a note", "another: note"},
	}
}

func TestRoundTrip(t *testing.T) {
	w := testWorld()
	if err := w.Validate(); err != nil {
		t.Fatalf("test world invalid: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "new", "folder")
	if err := WriteDir(dir, w); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, w) {
		t.Errorf("round trip differs:\ngot  %+v\nwant %+v", got, w)
	}
	// Writing over an existing folder leaves no temporary files.
	if err := WriteDir(dir, got); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 3 {
		t.Errorf("folder holds %d entries, want 3", len(ents))
	}
}

func TestWriteDirRefusesInvalid(t *testing.T) {
	w := testWorld()
	w.Slots[0].List = 5000
	dir := filepath.Join(t.TempDir(), "w")
	err := WriteDir(dir, w)
	if err == nil || !strings.Contains(err.Error(), `list_length 5000 exceeds ceiling 1200`) {
		t.Fatalf("err = %v, want list_length error", err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("an invalid world created its folder")
	}
}

func TestReadDirDefaults(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		// BOM, spaces, free column order, an unknown column.
		MunicipalitiesFile: "\ufeff centrality , population,code , colour\n 3, 100 ,  0301 ,red\n",
		SlotsFile:          "status,slot_id,municipality,list_length\r\nvacant,s1,0301,40\r\n",
	})
	w, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := &World{
		Name:           filepath.Base(dir),
		NokIndex:       1,
		Baseline:       finance.Spec{Rate: ReferenceRate},
		Municipalities: []Municipality{{Code: "0301", Population: 100, Centrality: 3}},
		Slots:          []Slot{{ID: "s1", Muni: 0, List: 40}},
		Notes:          []string{filepath.Join(dir, MunicipalitiesFile) + `: column "colour" is unknown and was ignored`},
		Warnings:       []string{filepath.Join(dir, MunicipalitiesFile) + `: column "colour" is unknown and was ignored`},
	}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("got  %+v\nwant %+v", w, want)
	}
}

func TestReadDirMeta(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		MunicipalitiesFile: "code,population,centrality\n0301,100,3\n",
		SlotsFile:          "slot_id,municipality,status,list_length\n",
		MetaFile:           "name: mine\nyear: 2030\nnok_index: 1.5\nbaseline:\n  rate: 900\n  breaks: []\n",
	})
	w, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if w.Name != "mine" || w.Year != 2030 || w.NokIndex != 1.5 || !reflect.DeepEqual(w.Baseline, finance.Spec{Rate: 900}) {
		t.Errorf("meta = %q %d %v %+v", w.Name, w.Year, w.NokIndex, w.Baseline)
	}
	if len(w.Slots) != 0 || w.Slots == nil {
		t.Errorf("slots = %#v, want empty", w.Slots)
	}
}

// The valid base files of TestReadDirErrors; each case edits them.
const (
	baseMunis = "code,name,population,centrality\n" +
		"0301,Oslo,10000,1\n" +
		"1101,Eigersund,5000,4\n"
	baseSlots = "slot_id,municipality,status,list_length,ceiling,age,sex,specialist,contract\n" +
		"a,0301,held,1000,1200,50,F,1,self\n" +
		"b,0301,vacant,500,,,,0,salaried\n" +
		"c,1101,held,900,900,40,M,0,self\n"
)

func TestReadDirErrors(t *testing.T) {
	if _, err := ReadDir(writeFiles(t, map[string]string{MunicipalitiesFile: baseMunis, SlotsFile: baseSlots})); err != nil {
		t.Fatalf("base files: %v", err)
	}
	r := strings.NewReplacer
	cases := []struct {
		name  string
		munis *strings.Replacer
		slots *strings.Replacer
		yaml  string
		want  string // the message after the folder
	}{
		{name: "missing required column",
			munis: r(",centrality\n", "\n", ",1\n", "\n", ",4\n", "\n"),
			want:  `municipalities.csv:1: column "centrality": required column missing`},
		{name: "missing slots column",
			slots: r("slot_id,", "id,"),
			want:  `slots.csv:1: column "slot_id": required column missing`},
		{name: "non-numeric population",
			munis: r("10000", "lots"),
			want:  `municipalities.csv:2: column "population": "lots" is not an integer`},
		{name: "fractional list",
			slots: r("1000,1200", "1000.5,1200"),
			want:  `slots.csv:2: column "list_length": "1000.5" is not an integer`},
		{name: "int out of range",
			munis: r("10000", "99999999999999999999"),
			want:  `municipalities.csv:2: column "population": "99999999999999999999" is out of range`},
		{name: "NaN",
			munis: r("centrality\n", "centrality,growth\n", ",1\n", ",1,NaN\n", ",4\n", ",4,\n"),
			want:  `municipalities.csv:2: column "growth": "NaN" is not a finite number`},
		{name: "Inf",
			slots: r("contract\n", "contract,staff_step\n", "self\n", "self,-Inf\n", "salaried\n", "salaried,\n"),
			want:  `slots.csv:2: column "staff_step": "-Inf" is not a finite number`},
		{name: "not a number",
			slots: r("contract\n", "contract,leisure_value\n", "self\n", "self,12x\n", "salaried\n", "salaried,\n"),
			want:  `slots.csv:2: column "leisure_value": "12x" is not a number`},
		{name: "negative population",
			munis: r("5000", "-5"),
			want:  `municipalities.csv:3: column "population": population -5 is negative`},
		{name: "centrality 7",
			munis: r(",4\n", ",7\n"),
			want:  `municipalities.csv:3: column "centrality": centrality 7 is outside 1..6`},
		{name: "centrality 0",
			munis: r(",1\n", ",0\n"),
			want:  `municipalities.csv:2: column "centrality": centrality 0 is outside 1..6`},
		{name: "unknown municipality",
			slots: r("c,1101", "c,9999"),
			want:  `slots.csv:4: column "municipality": unknown municipality code "9999"`},
		{name: "duplicate slot_id",
			slots: r("c,1101", "a,1101"),
			want:  `slots.csv:4: column "slot_id": duplicate slot_id "a" (first on line 2)`},
		{name: "duplicate code",
			munis: r("1101,", "0301,"),
			want:  `municipalities.csv:3: column "code": duplicate code "0301" (first on line 2)`},
		{name: "list above ceiling",
			slots: r("1000,1200", "1300,1200"),
			want:  `slots.csv:2: column "ceiling": list_length 1300 exceeds ceiling 1200`},
		{name: "held without ceiling",
			slots: r("1000,1200", "1000,"),
			want:  `slots.csv:2: column "ceiling": missing value, required for a held slot`},
		{name: "held without age",
			slots: r("900,900,40", "900,900,"),
			want:  `slots.csv:4: column "age": missing value, required for a held slot`},
		{name: "held without sex",
			slots: r("40,M", "40,"),
			want:  `slots.csv:4: column "sex": missing value, required for a held slot`},
		{name: "no ceiling column with held slots",
			slots: r(",ceiling", "", ",1200,", ",", ",900,40", ",40", "500,,,,0", "500,,,0"),
			want:  `slots.csv:1: column "ceiling": column missing, required for held slots`},
		{name: "bad status",
			slots: r("b,0301,vacant", "b,0301,open"),
			want:  `slots.csv:3: column "status": "open" is not one of held, vacant`},
		{name: "missing status",
			slots: r("b,0301,vacant", "b,0301,"),
			want:  `slots.csv:3: column "status": missing value`},
		{name: "bad sex",
			slots: r(",F,", ",K,"),
			want:  `slots.csv:2: column "sex": "K" is not one of F, M`},
		{name: "bad specialist",
			slots: r(",F,1,", ",F,yes,"),
			want:  `slots.csv:2: column "specialist": "yes" is not one of 0, 1`},
		{name: "bad contract",
			slots: r("salaried", "employed"),
			want:  `slots.csv:3: column "contract": "employed" is not one of self, salaried`},
		{name: "lists above population",
			munis: r("10000", "1400"),
			want:  `municipalities.csv:2: column "population": the lists in 0301 sum to 1500 persons, more than its population 1400`},
		{name: "loss aversion below 1",
			slots: r("contract\n", "contract,loss_aversion\n", "self\n", "self,0.5\n", "salaried\n", "salaried,\n"),
			want:  `slots.csv:2: column "loss_aversion": loss_aversion 0.5 is not a finite factor >= 1`},
		{name: "negative leisure value",
			slots: r("contract\n", "contract,leisure_value\n", "self\n", "self,-1\n", "salaried\n", "salaried,\n"),
			want:  `slots.csv:2: column "leisure_value": leisure_value -1 is not a finite value >= 0`},
		{name: "negative staff step",
			slots: r("contract\n", "contract,staff_step\n", "self\n", "self,-800\n", "salaried\n", "salaried,\n"),
			want:  `slots.csv:2: column "staff_step": staff_step -800 is not a finite number of persons > 0`},
		{name: "age 17",
			slots: r(",50,F", ",17,F"),
			want:  `slots.csv:2: column "age": age 17 is outside 18..100`},
		{name: "age 101",
			slots: r(",40,M", ",101,M"),
			want:  `slots.csv:4: column "age": age 101 is outside 18..100`},
		{name: "negative contract years",
			slots: r("contract\n", "contract,contract_years\n", "self\n", "self,-1\n", "salaried\n", "salaried,\n"),
			want:  `slots.csv:2: column "contract_years": contract_years -1 is negative`},
		{name: "negative list",
			slots: r("500,,", "-500,,"),
			want:  `slots.csv:3: column "list_length": list_length -500 is negative`},
		{name: "negative min_gps",
			munis: r("centrality\n", "centrality,min_gps\n", ",1\n", ",1,-1\n", ",4\n", ",4,\n"),
			want:  `municipalities.csv:2: column "min_gps": min_gps -1 is negative`},
		{name: "negative extra hours",
			munis: r("centrality\n", "centrality,extra_hours\n", ",1\n", ",1,-300\n", ",4\n", ",4,\n"),
			want:  `municipalities.csv:2: column "extra_hours": extra_hours -300 is not a finite number of hours >= 0`},
		{name: "growth -1",
			munis: r("centrality\n", "centrality,growth\n", ",1\n", ",1,-1\n", ",4\n", ",4,\n"),
			want:  `municipalities.csv:2: column "growth": growth -1 is not a yearly rate in [-0.5, 0.5] (0.05 is 5 % a year)`},
		{name: "growth 5 meant as 5 %",
			munis: r("centrality\n", "centrality,growth\n", ",1\n", ",1,5\n", ",4\n", ",4,\n"),
			want:  `municipalities.csv:2: column "growth": growth 5 is not a yearly rate in [-0.5, 0.5] (0.05 is 5 % a year)`},
		{name: "missing code",
			munis: r("1101,", ","),
			want:  `municipalities.csv:3: column "code": missing value`},
		{name: "field count",
			slots: r("b,0301,vacant,500,,,,0,salaried", "b,0301,vacant"),
			want:  `slots.csv:3: row has 3 fields, the header has 9`},
		{name: "bad quote",
			slots: r("b,0301", `b"x,0301`),
			want:  `slots.csv:3: column 2: bare " in non-quoted-field`},
		{name: "duplicate header",
			munis: r("name,", "code,"),
			want:  `municipalities.csv:1: column "code": duplicate column`},
		{name: "yaml nok_index 0",
			yaml: "name: x\nnok_index: 0\n",
			want: `world.yaml:2: key "nok_index": 0 is not a finite index > 0`},
		{name: "yaml unknown key",
			yaml: "name: x\nyear: 2011\ncolour: red\n",
			want: `world.yaml:3: key "colour": unknown key`},
		{name: "yaml unknown scheme name",
			yaml: "baseline: riskadj-2032\n",
			want: `world.yaml:1: "riskadj-2032" is not a scheme name (baseline-2019, riskadj-2023) or a scheme definition`},
		{name: "yaml unknown nested key",
			yaml: "baseline:\n  rat: 499\n",
			want: `world.yaml:2: key "rat": unknown key`},
		{name: "yaml bad type",
			yaml: "year: soon\n",
			want: "world.yaml:1: cannot unmarshal !!str `soon` into int"},
		{name: "yaml fractional year",
			yaml: "name: x\nyear: 2011.5\n",
			want: `world.yaml:2: key "year": "2011.5" is not an integer`},
		{name: "yaml duplicate key",
			yaml: "name: x\nname: y\n",
			want: `world.yaml:2: mapping key "name" already defined at line 1`},
		{name: "yaml syntax",
			yaml: "name: [x\n",
			want: "world.yaml:"},
		{name: "yaml bad baseline",
			yaml: "name: x\nbaseline:\n  rate: -1\n",
			want: `world.yaml:2: key "baseline": baseline.rate: -1 is not a finite rate >= 0`},
		{name: "yaml bad breakpoints",
			yaml: "baseline:\n  breaks: [1000]\n  rates: [500]\n",
			want: `world.yaml:1: key "baseline": baseline.rates: need 2 rates for 1 breakpoints, have 1`},
		{name: "empty municipalities",
			munis: r(baseMunis, ""),
			want:  `municipalities.csv:1: empty file: no header row`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			munis, slots, yml := baseMunis, baseSlots, c.yaml
			if c.munis != nil {
				munis = c.munis.Replace(munis)
			}
			if c.slots != nil {
				slots = c.slots.Replace(slots)
			}
			if yml == "" {
				yml = "-"
			}
			dir := writeFiles(t, map[string]string{MunicipalitiesFile: munis, SlotsFile: slots, MetaFile: yml})
			w, err := ReadDir(dir)
			if err == nil {
				t.Fatalf("no error; world %+v", w)
			}
			if w != nil {
				t.Error("a world came with the error")
			}
			if want := filepath.Join(dir, c.want); !strings.Contains(err.Error(), want) {
				t.Errorf("error\n%v\ndoes not contain\n%s", err, want)
			}
		})
	}
}

func TestReadDirMissingFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{MunicipalitiesFile: baseMunis})
	_, err := ReadDir(dir)
	if want := filepath.Join(dir, SlotsFile) + ": file missing"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
}

// TestReadDirAllAtOnce checks that problems in several files and rows are
// reported together, in file and line order, and capped at maxErrors.
func TestReadDirAllAtOnce(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		MunicipalitiesFile: strings.Replace(baseMunis, ",4\n", ",9\n", 1),
		SlotsFile:          strings.Replace(strings.Replace(baseSlots, ",F,", ",K,", 1), "1000,1200", "1300,1200", 1),
		MetaFile:           "colour: red\n",
	})
	_, err := ReadDir(dir)
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{`world.yaml:1: key "colour"`, `municipalities.csv:3: column "centrality"`,
		`slots.csv:2: column "ceiling"`, `slots.csv:2: column "sex"`}
	if len(lines) != len(want) {
		t.Fatalf("%d errors, want %d:\n%v", len(lines), len(want), err)
	}
	for i, l := range lines {
		if !strings.Contains(l, want[i]) {
			t.Errorf("error %d = %q, want %q", i, l, want[i])
		}
	}

	var b strings.Builder
	b.WriteString("slot_id,municipality,status,list_length\n")
	for range 200 {
		b.WriteString("s,0301,held,x\n")
	}
	dir = writeFiles(t, map[string]string{MunicipalitiesFile: baseMunis, SlotsFile: b.String()})
	_, err = ReadDir(dir)
	if err == nil {
		t.Fatal("no error")
	}
	lines = strings.Split(err.Error(), "\n")
	if len(lines) != maxErrors+1 || !strings.HasSuffix(lines[maxErrors], "more problems") {
		t.Errorf("%d lines, last %q; want %d and a count of the rest", len(lines), lines[len(lines)-1], maxErrors+1)
	}
}

func TestValidate(t *testing.T) {
	w := testWorld()
	w.Slots[1].Muni = 7
	w.Municipalities[2].Centrality = 0
	w.NokIndex = -1
	err := w.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`nok_index: -1`,
		`municipality 2 ("x"): column "centrality": centrality 0 is outside 1..6`,
		`slot 1 ("0301-0002"): column "municipality": municipality index 7 is not one of the 3 municipalities`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error\n%v\ndoes not contain %q", err, want)
		}
	}
}

// TestReadDirMunicipalitiesUnreadable checks that a municipalities.csv
// with no rows, or with a stray quote, gives its own error alone, not one
// per composition or slot row that refers to a municipality.
func TestReadDirMunicipalitiesUnreadable(t *testing.T) {
	w, err := Embedded("norway-2025")
	if err != nil {
		t.Fatal(err)
	}
	files, err := w.files()
	if err != nil {
		t.Fatal(err)
	}
	munis := string(files[MunicipalitiesFile])
	lines := strings.SplitN(munis, "\n", 4)
	for name, text := range map[string]string{
		"header only": lines[0] + "\n",
		"stray quote": lines[0] + "\n" + lines[1] + "\n" + strings.Replace(lines[2], ",", `,"`, 1) + "\n" + lines[3],
	} {
		f := map[string][]byte{}
		for k, v := range files {
			f[k] = v
		}
		f[MunicipalitiesFile] = []byte(text)
		_, err := readWorld("w", "w", memFiles(f))
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		msgs := strings.Split(err.Error(), "\n")
		if len(msgs) != 1 || !strings.Contains(msgs[0], MunicipalitiesFile) {
			t.Errorf("%s: %d errors, first %q", name, len(msgs), msgs[0])
		}
		if name == "stray quote" && !strings.Contains(msgs[0], "opened on line 3") {
			t.Errorf("stray quote: %q does not name line 3", msgs[0])
		}
	}
}

// TestReadDirNamedBaseline checks that world.yaml's baseline may name a
// published scheme, read as its definition.
func TestReadDirNamedBaseline(t *testing.T) {
	for name, want := range map[string]finance.Spec{
		"baseline-2019": {Rate: 499},
		"riskadj-2023":  {Rate: 841.80, RiskAdjusted: true},
	} {
		dir := writeFiles(t, map[string]string{MunicipalitiesFile: baseMunis, SlotsFile: baseSlots, MetaFile: "baseline: " + name + "\n"})
		w, err := ReadDir(dir)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(w.Baseline, want) {
			t.Errorf("%s: baseline %+v, want %+v", name, w.Baseline, want)
		}
	}
}
