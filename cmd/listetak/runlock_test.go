package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRunFolders checks the output folders: two default folders of the
// same second are two folders, a folder locked by a live process is
// refused, and a stale lock (its process gone) is taken over and removed.
func TestRunFolders(t *testing.T) {
	base := filepath.Join(t.TempDir(), "runs", "20261202-120000")
	a, err := newRunDir(base)
	if err != nil {
		t.Fatal(err)
	}
	b, err := newRunDir(base)
	if err != nil || a == b || b != base+"-2" {
		t.Fatalf("newRunDir twice: %q, %q, %v", a, b, err)
	}
	release, err := lockOutDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockOutDir(a); err == nil || !strings.Contains(err.Error(), "another listetak process (pid "+strconv.Itoa(os.Getpid())+")") {
		t.Errorf("second writer: %v", err)
	}
	release()
	// A lock from a process that is gone: pid 1<<30 does not exist.
	os.WriteFile(filepath.Join(b, lockFile), []byte(strconv.Itoa(1<<30)+"\n"), 0o644)
	release, err = lockOutDir(b)
	if err != nil {
		t.Fatalf("stale lock: %v", err)
	}
	release()
	if _, err := os.Stat(filepath.Join(b, lockFile)); !os.IsNotExist(err) {
		t.Error("release left the lock")
	}
	// A finished run holds no lock.
	out := filepath.Join(t.TempDir(), "r")
	if _, _, err := runCLI(t, "run", "-world", "norway-2011", "-years", "1", "-reps", "1", "-out", out, "-progress", "never"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, lockFile)); !os.IsNotExist(err) {
		t.Error("the run left its lock")
	}
}
