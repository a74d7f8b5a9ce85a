package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWrite checks the three outcomes: a written file with mode 0644, a
// failed write that leaves nothing (and no temporary), and a panic that
// leaves nothing and an older file as it was.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.csv")
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "x\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != Mode {
		t.Fatalf("stat %v, %v", st, err)
	}
	if err := Write(filepath.Join(dir, "b.csv"), func(io.Writer) error { return errors.New("no") }); err == nil {
		t.Error("a failed write returned no error")
	}
	func() {
		defer func() { recover() }()
		Write(path, func(w io.Writer) error { io.WriteString(w, "half"); panic("boom") })
	}()
	if data, _ := os.ReadFile(path); string(data) != "x\n" {
		t.Errorf("after a panicking write: %q", data)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 1 {
		t.Errorf("files left: %v", names)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(names) != 0 {
		t.Errorf("temporaries left: %v", names)
	}
}
