// Package atomicfile writes files atomically: the one writer every output
// of listetak goes through (results, unit files, figures, world folders),
// so a reader never sees a half-written file and a failed write leaves
// nothing behind. Temporary files are named ".NAME.tmp-*" in the target's
// folder; a resumed run removes those a killed process left.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Mode is the permission of files written by Write
// (os.CreateTemp makes 0600; results are meant to be read by others).
const Mode = 0o644

// Write writes a file at path through write, atomically: write
// gets a bufio.Writer on a temporary file in the same directory; the buffer
// is flushed, the file synced to disk, closed, given mode 0644 and renamed
// to path (replacing any file there). On any error, including a panic in
// write, the temporary file is removed and nothing is created at path (a
// file already there is left as it was).
func Write(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
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
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Chmod(Mode); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", path, err)
	}
	closed = true
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("renaming into %s: %w", path, err)
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
