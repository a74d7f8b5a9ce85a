// Package csvtable reads CSV tables, a header row and then one record per
// row: the one CSV reader behind every table listetak reads (world folders,
// register panels, calibration targets, and the run outputs read back for
// plots and reports).
//
// Every problem carries the line it is on and, where it applies, the
// column, so each caller can name file, line and field in its messages.
// A UTF-8 byte order mark is dropped, cells are trimmed of spaces, and a
// record must have the header's number of fields. A record with the wrong
// number of fields is a problem the reader can continue after; a quoting
// error is not (encoding/csv cannot resynchronise after one), so reading
// stops there. Messages never quote a cell's value: a register is personal
// data.
package csvtable

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// EmptyFile is the message of the problem a file without a header row has.
const EmptyFile = "empty file: no header row"

// Problem is something wrong at a line of a table, in a column when Col is
// not empty.
type Problem struct {
	Line int
	Col  string
	Msg  string
}

// In returns the problem as an error naming the file: "name:line: msg" or
// `name:line: column "col": msg`.
func (p Problem) In(name string) error {
	if p.Col == "" {
		return fmt.Errorf("%s:%d: %s", name, p.Line, p.Msg)
	}
	return fmt.Errorf("%s:%d: column %q: %s", name, p.Line, p.Col, p.Msg)
}

// Scanner reads a table record by record, for tables too large to hold
// (a run's replications.csv). Call Header once, then Scan until it returns
// false, then Err.
type Scanner struct {
	r      *csv.Reader
	fields int // the header's number of fields
	rec    []string
	line   int
	prob   *Problem
	err    *Problem
}

// NewScanner returns a Scanner reading from r.
func NewScanner(r io.Reader) *Scanner {
	cr := csv.NewReader(skipBOM(r))
	cr.TrimLeadingSpace = true
	return &Scanner{r: cr}
}

// skipBOM drops a leading UTF-8 byte order mark (a spreadsheet's export).
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\ufeff")) {
		br.Discard(3)
	}
	return br
}

// Header reads the header row and returns its trimmed names, the line it
// ends on, and its problems: an empty file, a quoting error, an empty or
// duplicate name. index maps each usable name to its field; a name that is
// empty or repeated is left out of it. fatal is true when no record can be
// read after the problems (an empty file or a quoting error).
func (s *Scanner) Header() (names []string, index map[string]int, line int, probs []Problem, fatal bool) {
	header, err := s.r.Read()
	if err == io.EOF {
		return nil, nil, 1, []Problem{{Line: 1, Msg: EmptyFile}}, true
	}
	if err != nil {
		return nil, nil, 1, []Problem{parseProblem(err)}, true
	}
	line, _ = s.r.FieldPos(0)
	s.fields = len(header)
	index = make(map[string]int, len(header))
	names = make([]string, len(header))
	for j, c := range header {
		c = strings.TrimSpace(c)
		names[j] = c
		if c == "" {
			probs = append(probs, Problem{Line: line, Msg: fmt.Sprintf("header field %d is empty", j+1)})
			continue
		}
		if _, dup := index[c]; dup {
			probs = append(probs, Problem{Line: line, Col: c, Msg: "duplicate column"})
			continue
		}
		index[c] = j
	}
	return names, index, line, probs, false
}

// Scan reads the next row. It returns false at the end of the table or at
// a problem reading cannot continue after (then Err returns it). A row
// with the wrong number of fields returns true with Problem set and no
// record; the caller records the problem and goes on.
func (s *Scanner) Scan() bool {
	s.rec, s.prob = nil, nil
	rec, err := s.r.Read()
	if err == io.EOF {
		return false
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			s.line = pe.StartLine
			s.prob = &Problem{Line: pe.StartLine, Msg: fmt.Sprintf("row has %d fields, the header has %d", len(rec), s.fields)}
			return true
		}
		p := parseProblem(err)
		s.err = &p
		return false
	}
	s.line, _ = s.r.FieldPos(0)
	for j := range rec {
		rec[j] = strings.TrimSpace(rec[j])
	}
	s.rec = rec
	return true
}

// Record returns the row Scan read (its cells trimmed), nil when Problem
// is set. The slice is the caller's to keep.
func (s *Scanner) Record() []string { return s.rec }

// Line returns the line the row Scan read starts on.
func (s *Scanner) Line() int { return s.line }

// Problem returns the problem of the row Scan read, or nil.
func (s *Scanner) Problem() *Problem { return s.prob }

// Err returns the problem that stopped Scan, or nil at the end of the
// table.
func (s *Scanner) Err() *Problem { return s.err }

// parseProblem turns an encoding/csv error into a Problem at its position.
func parseProblem(err error) Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := fmt.Sprintf("column %d: %v", pe.Column, pe.Err)
		if pe.StartLine != pe.Line {
			msg += fmt.Sprintf(" (in a quoted field opened on line %d)", pe.StartLine)
		}
		return Problem{Line: pe.Line, Msg: msg}
	}
	return Problem{Line: 1, Msg: err.Error()}
}

// Table is a CSV table read whole: the header, the rows with their line
// numbers, and every problem found, in file order.
type Table struct {
	// Names are the header's trimmed column names, in file order.
	Names []string
	// Index maps a usable column name to its field in every row.
	Index map[string]int
	// HeaderLine is the line the header ends on (1 unless it has a quoted
	// line break).
	HeaderLine int
	// Rows are the records with the header's number of fields, cells
	// trimmed; Lines[i] is the line Rows[i] starts on.
	Rows  [][]string
	Lines []int
	// Problems found while reading, in file order.
	Problems []Problem
	// Usable is false when the header could not be read or a required
	// column is missing. The rows are read all the same (unless the header
	// could not be), so a caller may report problems in other columns.
	Usable bool
	// Missing are the required columns the header lacks.
	Missing []string
}

// Read reads a whole table from data. Each name in required must be a
// column; one missing is a problem at the header and makes the table
// unusable.
func Read(data []byte, required []string) *Table {
	s := NewScanner(bytes.NewReader(data))
	names, index, line, probs, fatal := s.Header()
	t := &Table{Names: names, Index: index, HeaderLine: line, Problems: probs}
	if fatal {
		return t
	}
	for _, c := range required {
		if _, ok := index[c]; !ok {
			t.Problems = append(t.Problems, Problem{Line: line, Col: c, Msg: "required column missing"})
			t.Missing = append(t.Missing, c)
		}
	}
	t.Usable = len(t.Missing) == 0
	for s.Scan() {
		if p := s.Problem(); p != nil {
			t.Problems = append(t.Problems, *p)
			continue
		}
		t.Rows = append(t.Rows, s.Record())
		t.Lines = append(t.Lines, s.Line())
	}
	if p := s.Err(); p != nil {
		t.Problems = append(t.Problems, *p)
	}
	return t
}

// Cell returns row i's value of col and whether the column exists.
func (t *Table) Cell(i int, col string) (string, bool) {
	j, ok := t.Index[col]
	if !ok {
		return "", false
	}
	return t.Rows[i][j], true
}
