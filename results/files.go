package results

import (
	"encoding/json"
	"fmt"
	"io"

	"listetak/internal/atomicfile"
)

// WriteFileAtomic writes a file at path through write, atomically (package
// internal/atomicfile: a temporary file in the same folder, synced, given
// mode 0644 and renamed; on any error, a panic in write included, nothing
// is created at path).
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("results: %w", err)
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
