package calibrate

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
)

// journal is the append-only file of finished evaluations that makes a
// calibration resumable: a header line with the calibration's fingerprint,
// then one line per evaluation: the stage, the unit-box point and the
// criterion, all as the hexadecimal bits of the float64 values (exact). A
// rerun replays the search deterministically and takes every evaluation it
// finds here instead of simulating it; an interrupted last line is ignored.
// The journal holds no register data (only parameter points and criteria).
type journal struct {
	mu       sync.Mutex
	f        *os.File
	w        *bufio.Writer
	done     map[string]float64
	replayed int
}

// journalHeader starts a journal file.
const journalHeader = "listetak-calibrate-journal v1 "

// openJournal opens (or creates) the journal at path; "" gives an
// in-memory journal. A journal written for another fingerprint is an error.
func openJournal(path, fingerprint string) (*journal, error) {
	j := &journal{done: map[string]float64{}}
	if path == "" {
		return j, nil
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil && len(data) > 0:
		lines := bytes.Split(data, []byte("\n"))
		if string(lines[0]) != journalHeader+fingerprint {
			return nil, fmt.Errorf("%s: the journal belongs to another calibration (other register, world, options or parameters); use another -out or remove it", path)
		}
		for _, l := range lines[1:] {
			parts := strings.Fields(string(l))
			if len(parts) < 3 {
				continue // an interrupted line
			}
			fb, err := strconv.ParseUint(parts[len(parts)-1], 16, 64)
			if err != nil {
				continue
			}
			j.done[strings.Join(parts[:len(parts)-1], " ")] = math.Float64frombits(fb)
		}
		j.replayed = len(j.done)
		// Drop a torn last line before appending.
		if !bytes.HasSuffix(data, []byte("\n")) {
			data = data[:bytes.LastIndexByte(data, '\n')+1]
			if err := os.WriteFile(path, data, 0o644); err != nil {
				return nil, err
			}
		}
	case err == nil || os.IsNotExist(err):
		if err := os.WriteFile(path, []byte(journalHeader+fingerprint+"\n"), 0o644); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	j.f, j.w = f, bufio.NewWriter(f)
	return j, nil
}

// key identifies an evaluation: the stage and the point's bits.
func (j *journal) key(stage string, u []float64) string {
	var b strings.Builder
	b.WriteString(stage)
	for _, x := range u {
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(math.Float64bits(x), 16))
	}
	return b.String()
}

func (j *journal) lookup(key string) (float64, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	f, ok := j.done[key]
	return f, ok
}

// record stores a finished evaluation and appends it to the file (flushed
// at once, so an interruption loses only evaluations in flight).
func (j *journal) record(key string, f float64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.done[key] = f
	if j.w != nil {
		fmt.Fprintf(j.w, "%s %x\n", key, math.Float64bits(f))
		j.w.Flush()
	}
}

func (j *journal) close() {
	if j == nil || j.f == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.w.Flush()
	j.f.Close()
}

// fingerprint hashes everything the evaluations depend on: the setup, the
// options that change the criterion or the search, and the observed
// moments with their measurement errors.
func (e *Estimator) fingerprint() string {
	h := fnv.New64a()
	s := e.setup
	fmt.Fprintf(h, "%s|%d|%d|%d|%s|%d|%v|%d|%d|", s.World.Name, len(s.World.Slots), len(s.World.Municipalities),
		s.first(), s.Scenario, s.ReformYear, s.NoRebase, s.Years, s.World.Year)
	for _, e := range s.Base.List() {
		fmt.Fprintf(h, "%s=%v|", e.Key, e.Value)
	}
	o := e.opt
	fmt.Fprintf(h, "%v|%d|%d|%d|%d|%v|%d|%s|%d|%d|%v|%d|%v|%d|%v|", o.Free, o.Reps, o.Seed, o.OmegaReps, o.JacobianReps, o.Step,
		o.LHS, o.Method, o.MaxIter, o.Population, o.InitStep, o.Stall, o.TwoStep, o.MinCell, o.Start)
	for _, m := range e.all {
		fmt.Fprintf(h, "%s=%x/%d|", m.Key(), math.Float64bits(m.Value), m.GPs)
	}
	for i := range e.all { // measurement errors (targets; none for a register)
		if v := e.src.MeasurementVar(i); v != 0 {
			fmt.Fprintf(h, "%d:%x|", i, math.Float64bits(v))
		}
	}
	return strconv.FormatUint(h.Sum64(), 16)
}
