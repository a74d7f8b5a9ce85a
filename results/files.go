package results

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// outputFileMode is the permission of files written by WriteFileAtomic
// (os.CreateTemp makes 0600; results are meant to be read by others).
const outputFileMode = 0o644

// WriteFileAtomic writes a file at path through write, atomically: write
// gets a bufio.Writer on a temporary file in the same directory; the buffer
// is flushed, the file synced to disk, closed, given mode 0644 and renamed
// to path (replacing any file there). On any error, including a panic in
// write, the temporary file is removed and nothing is created at path (a
// file already there is left as it was).
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("results: writing %s: %w", path, err)
	}
	tmp := f.Name()
	closed, done := false, false
	defer func() {
		if done {
			return
		}
		if !closed {
			f.Close()
		}
		os.Remove(tmp)
	}()
	bw := bufio.NewWriterSize(f, 256<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("results: writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("results: writing %s: %w", path, err)
	}
	if err := f.Chmod(outputFileMode); err != nil {
		return fmt.Errorf("results: writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("results: syncing %s: %w", path, err)
	}
	closed = true
	if err := f.Close(); err != nil {
		return fmt.Errorf("results: closing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("results: renaming into %s: %w", path, err)
	}
	done = true
	// Make the rename durable too; best effort, as some systems cannot
	// sync a directory and the file itself is complete either way.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// WriteJSONAtomic writes v as indented JSON (two spaces) with a trailing
// newline to path, atomically (see WriteFileAtomic). v is marshalled before
// any file is created, so a value that cannot be encoded (a NaN, say) leaves
// nothing behind.
func WriteJSONAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("results: encoding %s: %w", path, err)
	}
	b = append(b, '\n')
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
