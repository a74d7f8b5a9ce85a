package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCalibratePath runs the whole path on a small county (Finnmark, 119
// GPs) with quick settings: a synthetic register, a calibration of two
// parameters, its files, a run with the estimates as -params, an
// experiment drawing from them, and a resumed calibration that gives the
// same estimates.
func TestCalibratePath(t *testing.T) {
	tmp := t.TempDir()
	syn := filepath.Join(tmp, "syn")
	out, _, err := runCLI(t, "synth-register", "-world", "norway-2025", "-counties", "56", "-out", syn,
		"-years", "6", "-set", "q0=0.03", "-seed", "3")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "1aix from 2028") {
		t.Errorf("synth-register output: %s", out)
	}
	cal := filepath.Join(tmp, "cal")
	args := []string{"calibrate", "-register", filepath.Join(syn, "register.csv"),
		"-municipalities", filepath.Join(syn, "municipality_years.csv"), "-world", filepath.Join(syn, "world"),
		"-scenario", "1aix", "-reform-year", "2028", "-params-free", "q0,alpha0", "-out", cal,
		"-reps", "2", "-omega-reps", "8", "-lhs", "4", "-max-iter", "3", "-workers", "2", "-progress", "never"}
	out, _, err = runCLI(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"estimates.yaml", "fit.csv", "identification.txt", "identification.csv", "optimisation.csv", "log.txt", "manifest.json", "evaluations.journal"} {
		if _, err := os.Stat(filepath.Join(cal, f)); err != nil {
			t.Error(err)
		}
	}
	fit := readFile(t, filepath.Join(cal, "fit.csv"))
	if !strings.HasPrefix(fit, "moment,group,observed,simulated,se,weight\n") {
		t.Errorf("fit.csv header: %q", fit[:50])
	}
	est := readFile(t, filepath.Join(cal, "estimates.yaml"))
	if !strings.Contains(est, "\nq0: ") || !strings.Contains(est, "estimates:\n") || !strings.Contains(est, "covariance:") {
		t.Errorf("estimates.yaml:\n%s", est)
	}
	// The estimates run as parameters.
	if _, _, err := runCLI(t, "run", "-world", filepath.Join(syn, "world"), "-params", filepath.Join(cal, "estimates.yaml"),
		"-years", "2", "-reps", "2", "-out", filepath.Join(tmp, "run"), "-progress", "never"); err != nil {
		t.Fatal(err)
	}
	// An experiment draws them per replication.
	exp := filepath.Join(tmp, "x.yaml")
	os.WriteFile(exp, []byte("world: syn/world\nyears: 2\nreplications: 3\nuncertainty_from: cal/estimates.yaml\n"), 0o644)
	if _, _, err := runCLI(t, "run", exp, "-out", filepath.Join(tmp, "xrun"), "-progress", "never"); err != nil {
		t.Fatal(err)
	}
	pcsv := readFile(t, filepath.Join(tmp, "xrun", "parameters.csv"))
	if !strings.Contains(pcsv, ",2,alpha0,") || !strings.Contains(pcsv, ",2,q0,") {
		t.Errorf("parameters.csv:\n%s", pcsv)
	}
	// A resumed calibration replays the journal to the same estimates.
	if _, _, err := runCLI(t, append(args, "-resume")...); err != nil {
		t.Fatal(err)
	}
	if again := readFile(t, filepath.Join(cal, "estimates.yaml")); again != est {
		t.Errorf("resumed estimates differ:\n%s\nvs\n%s", again, est)
	}
	if !strings.Contains(readFile(t, filepath.Join(cal, "log.txt")), "finished evaluations to replay") {
		t.Error("the resumed run did not replay the journal")
	}
	// The starting state built from the register's first year (the
	// rebuilt world itself is checked in package calibrate): it runs, and
	// its held slots are the register's GPs, so no note about them.
	fromReg := slices.Clone(args)
	for i, a := range fromReg {
		switch a {
		case "-out":
			fromReg[i+1] = filepath.Join(tmp, "calreg")
		case "-world":
			fromReg[i+1] = "norway-2025"
		}
	}
	fromReg = append(fromReg, "-counties", "56", "-world-from-register", "-max-iter", "1", "-polish", "1")
	out, _, err = runCLI(t, fromReg...)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "held slots") {
		t.Errorf("-world-from-register: %s", out)
	}
	// A bad register stops with file, line and column.
	bad := filepath.Join(tmp, "bad.csv")
	os.WriteFile(bad, []byte("gp_id,year,municipality,centrality,sex,birth_year,contract,ceiling,list_length\na,2025,5601,7,F,1980,self,1000,900\n"), 0o644)
	args[2] = bad
	for i, a := range args {
		if a == "-out" {
			args[i+1] = filepath.Join(tmp, "cal2")
		}
	}
	_, _, err = runCLI(t, args...)
	if err == nil || !strings.Contains(err.Error(), `bad.csv:2: column "centrality"`) {
		t.Errorf("bad register: %v", err)
	}
}
