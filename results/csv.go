package results

import (
	"io"
	"strconv"
	"strings"
)

// CSV headers, without the line end.
const (
	ReplicationsHeader = "scenario,design_point,replication,year,metric,value"
	SummaryHeader      = "scenario,design_point,year,metric,mean,sd,q05,q25,q50,q75,q95,n,se"
)

// csvChunk is the size at which the row buffer is handed to the writer:
// rows are appended to one reusable byte slice and written in chunks of about
// this size, so a file of half a million rows takes a few hundred Write calls
// and no per-cell allocation.
const csvChunk = 64 << 10

// chunkWriter appends rows to a byte buffer and writes it out in chunks. It
// plays the role of a bufio.Writer without the second copy.
type chunkWriter struct {
	w   io.Writer
	buf []byte
	err error
}

func newChunkWriter(w io.Writer) *chunkWriter {
	return &chunkWriter{w: w, buf: make([]byte, 0, csvChunk+512)}
}

// endRow finishes a row and writes the buffer out if it is full.
func (c *chunkWriter) endRow() {
	c.buf = append(c.buf, '\n')
	if len(c.buf) >= csvChunk {
		c.flush()
	}
}

// flush writes out the buffer; the first error sticks.
func (c *chunkWriter) flush() error {
	if c.err == nil && len(c.buf) > 0 {
		_, c.err = c.w.Write(c.buf)
	}
	c.buf = c.buf[:0]
	return c.err
}

// appendNumber appends v as strconv.AppendFloat(v, 'g', -1, 64) does: the
// shortest text that reads back to the same float64 ("NaN", "+Inf", "-Inf"
// for the special values).
func appendNumber(buf []byte, v float64) []byte {
	return strconv.AppendFloat(buf, v, 'g', -1, 64)
}

// appendInt appends an integer column (replication, year). Integers are
// written by the same AppendFloat as the values, so the columns agree with
// any reader or writer that treats every number alike (identical to decimal
// integer text below 1e21 except that 1e6 and beyond get an exponent;
// replication and year numbers never get there).
func appendInt(buf []byte, i int) []byte {
	return appendNumber(buf, float64(i))
}

// CSVField returns s quoted as a CSV field if it needs quoting (RFC 4180, as
// encoding/csv decides: a comma, quote, CR or LF anywhere, or a leading space
// or tab); names of scenarios and metrics normally need none.
func CSVField(s string) string {
	if s == "" || (!strings.ContainsAny(s, ",\"\r\n") && s[0] != ' ' && s[0] != '\t') {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// WriteReplicationsCSV writes every value of the given series in long form
// with the header "scenario,replication,year,metric,value"; rows are ordered
// by series (in argument order), replication, year and metric (in Metrics
// order). Replications and years are numbered from 0. All series are
// validated before anything is written. The caller provides any buffering of
// w beyond the internal chunking (WriteFileAtomic does).
func WriteReplicationsCSV(w io.Writer, series ...*Series) error {
	for _, s := range series {
		if err := s.Validate(); err != nil {
			return err
		}
	}
	c := newChunkWriter(w)
	c.buf = append(c.buf, ReplicationsHeader...)
	c.endRow()
	for _, s := range series {
		scen := CSVField(s.Scenario) + "," + strconv.Itoa(s.DesignPoint)
		metrics := make([]string, len(s.Metrics))
		for i, m := range s.Metrics {
			metrics[i] = CSVField(m)
		}
		k := 0
		for r := range s.Reps {
			for y := range s.Years {
				for _, m := range metrics {
					c.buf = append(c.buf, scen...)
					c.buf = append(c.buf, ',')
					c.buf = appendInt(c.buf, r)
					c.buf = append(c.buf, ',')
					c.buf = appendInt(c.buf, y)
					c.buf = append(c.buf, ',')
					c.buf = append(c.buf, m...)
					c.buf = append(c.buf, ',')
					c.buf = appendNumber(c.buf, s.Values[k])
					k++
					c.endRow()
				}
			}
			if c.err != nil {
				return c.err
			}
		}
	}
	return c.flush()
}

// WriteSummaryCSV writes rows with the header SummaryHeader, in the given
// order.
func WriteSummaryCSV(w io.Writer, rows []SummaryRow) error {
	c := newChunkWriter(w)
	c.buf = append(c.buf, SummaryHeader...)
	c.endRow()
	for i := range rows {
		c.buf = appendSummary(c.buf, &rows[i])
		c.endRow()
		if c.err != nil {
			return c.err
		}
	}
	return c.flush()
}

// appendSummary appends row's fields in SummaryHeader's order.
func appendSummary(buf []byte, row *SummaryRow) []byte {
	buf = append(buf, CSVField(row.Scenario)...)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, int64(row.DesignPoint), 10)
	buf = append(buf, ',')
	buf = appendInt(buf, row.Year)
	buf = append(buf, ',')
	buf = append(buf, CSVField(row.Metric)...)
	for _, v := range [...]float64{row.Mean, row.SD, row.Q05, row.Q25, row.Q50, row.Q75, row.Q95} {
		buf = append(buf, ',')
		buf = appendNumber(buf, v)
	}
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, int64(row.N), 10)
	buf = append(buf, ',')
	return appendNumber(buf, row.SE)
}
