package csvtable

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func problems(t *Table, name string) []string {
	var out []string
	for _, p := range t.Problems {
		out = append(out, p.In(name).Error())
	}
	return out
}

func TestRead(t *testing.T) {
	for _, c := range []struct {
		name, data string
		required   []string
		usable     bool
		rows       [][]string
		lines      []int
		probs      []string
	}{
		{name: "plain", data: "a,b\n1,2\n3,4\n", required: []string{"a"}, usable: true,
			rows: [][]string{{"1", "2"}, {"3", "4"}}, lines: []int{2, 3}},
		{name: "byte order mark and spaces", data: "\ufeff a , b\n 1 ,2 \n", required: []string{"a", "b"}, usable: true,
			rows: [][]string{{"1", "2"}}, lines: []int{2}},
		{name: "quoted line break moves lines", data: "a,\"b\nc\"\n\"x\ny\",2\n3,4\n", usable: true,
			rows: [][]string{{"x\ny", "2"}, {"3", "4"}}, lines: []int{3, 5}},
		{name: "field count: the row is skipped, reading goes on", data: "a,b\n1\n2,3\n", usable: true,
			rows: [][]string{{"2", "3"}}, lines: []int{3}, probs: []string{"f:2: row has 1 fields, the header has 2"}},
		{name: "stray quote stops reading", data: "a,b\n1,2\n3,\"4\n5,6\n", usable: true,
			rows: [][]string{{"1", "2"}}, lines: []int{2},
			probs: []string{`f:4: column 5: extraneous or missing " in quoted-field (in a quoted field opened on line 3)`}},
		{name: "empty file", data: "", probs: []string{"f:1: empty file: no header row"}},
		{name: "empty and duplicate names", data: "a,,a\n1,2,3\n", usable: true,
			rows: [][]string{{"1", "2", "3"}}, lines: []int{2},
			probs: []string{"f:1: header field 2 is empty", `f:1: column "a": duplicate column`}},
		{name: "required column missing: rows still read", data: "a\n1\n", required: []string{"a", "b"},
			rows: [][]string{{"1"}}, lines: []int{2}, probs: []string{`f:1: column "b": required column missing`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab := Read([]byte(c.data), c.required)
			if tab.Usable != c.usable {
				t.Errorf("usable %v, want %v", tab.Usable, c.usable)
			}
			if fmt.Sprint(tab.Rows) != fmt.Sprint(c.rows) || !slices.Equal(tab.Lines, c.lines) {
				t.Errorf("rows %q at %v, want %q at %v", tab.Rows, tab.Lines, c.rows, c.lines)
			}
			if got := problems(tab, "f"); !slices.Equal(got, c.probs) {
				t.Errorf("problems\n%q\nwant\n%q", got, c.probs)
			}
		})
	}
}

func TestCell(t *testing.T) {
	tab := Read([]byte("a,b\n1,2\n"), nil)
	if v, ok := tab.Cell(0, "b"); v != "2" || !ok {
		t.Errorf("Cell(0, b) = %q, %v", v, ok)
	}
	if v, ok := tab.Cell(0, "c"); v != "" || ok {
		t.Errorf("Cell(0, c) = %q, %v", v, ok)
	}
}

func TestScannerHeaderLine(t *testing.T) {
	s := NewScanner(strings.NewReader("\"a\nb\",c\n1,2\n"))
	names, idx, line, probs, fatal := s.Header()
	if !slices.Equal(names, []string{"a\nb", "c"}) || idx["c"] != 1 || line != 1 || probs != nil || fatal {
		t.Fatalf("header %q %v line %d %v %v", names, idx, line, probs, fatal)
	}
	if !s.Scan() || s.Line() != 3 || !slices.Equal(s.Record(), []string{"1", "2"}) {
		t.Fatalf("row %q at line %d", s.Record(), s.Line())
	}
	if s.Scan() || s.Err() != nil {
		t.Fatalf("end: %v", s.Err())
	}
}

// FuzzRead checks that no input panics and that every row kept has the
// header's number of fields, at increasing lines.
func FuzzRead(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\ufeffa\n\"", "a,b\n1\n\"x", "", ",\n,\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab := Read(data, []string{"a"})
		for i, r := range tab.Rows {
			if len(r) != len(tab.Names) {
				t.Fatalf("row %d has %d fields, header %d", i, len(r), len(tab.Names))
			}
			if i > 0 && tab.Lines[i] <= tab.Lines[i-1] {
				t.Fatalf("lines %v not increasing", tab.Lines)
			}
		}
	})
}
