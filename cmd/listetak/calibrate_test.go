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
	if _, _, err := runCLI(t, args...); err != nil {
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

// TestCalibrateTargets runs the targets mode quickly on Finnmark of
// norway-2011 with targets of metrics every model records: its files, the
// estimates section naming the targets, and a rerun with every standard
// error doubled (the sensitivity the README describes).
func TestCalibrateTargets(t *testing.T) {
	tmp := t.TempDir()
	targets := filepath.Join(tmp, "targets.csv")
	os.WriteFile(targets, []byte("moment,year,group,value,se,source\n"+
		"gps,2013,all,95,2,made up\ngps,2014,all,96,2,\nvacant_slots,2014,all,3,1,\nmean_list,2014,all,900,20,\n"+
		"orphans_on_vacant_lists,2014,all,2500,200,\n"), 0o644)
	args := []string{"calibrate", "-targets", targets, "-world", "norway-2011", "-counties", "56", "-params-free", "q0,alpha0",
		"-out", filepath.Join(tmp, "cal"), "-reps", "2", "-omega-reps", "8", "-lhs", "4", "-max-iter", "3", "-polish", "2",
		"-workers", "2", "-progress", "never"}
	out, _, err := runCLI(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "5 targets fitted") {
		t.Errorf("output: %s", out)
	}
	cal := filepath.Join(tmp, "cal")
	for _, f := range []string{"estimates.yaml", "fit.csv", "identification.txt", "optimisation.csv", "log.txt", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(cal, f)); err != nil {
			t.Error(err)
		}
	}
	if est := readFile(t, filepath.Join(cal, "estimates.yaml")); !strings.Contains(est, "register: 'targets: "+targets) && !strings.Contains(est, "register: \"targets: "+targets) {
		t.Errorf("estimates.yaml does not name the targets:\n%s", est)
	}
	if fit := readFile(t, filepath.Join(cal, "fit.csv")); !strings.Contains(fit, "\ngps,year=2013,95,") {
		t.Errorf("fit.csv:\n%s", fit)
	}
	if log := readFile(t, filepath.Join(cal, "log.txt")); !strings.Contains(log, "years 2012-2014") || !strings.Contains(log, "the file's se column, times 1") {
		t.Errorf("log.txt:\n%s", log)
	}
	args[slices.Index(args, "-out")+1] = filepath.Join(tmp, "cal2")
	if _, _, err := runCLI(t, append(args, "-target-se-scale", "2")...); err != nil {
		t.Fatal(err)
	}
	if log := readFile(t, filepath.Join(tmp, "cal2", "log.txt")); !strings.Contains(log, "times 2") {
		t.Errorf("log.txt of the doubled run:\n%s", log)
	}
	// The embedded targets (on two counties, for speed), their se by the
	// rule with a larger relative error.
	out, _, err = runCLI(t, "calibrate", "-targets", "norway-2011-2019", "-world", "norway-2011", "-counties", "46,50",
		"-params-free", "q0,beta_size", "-out", filepath.Join(tmp, "cal3"), "-target-rel-se", "0.04",
		"-reps", "2", "-omega-reps", "8", "-lhs", "4", "-max-iter", "2", "-restarts", "1", "-polish", "1", "-workers", "2", "-progress", "never")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "30 targets fitted") {
		t.Errorf("output: %s", out)
	}
	log := readFile(t, filepath.Join(tmp, "cal3", "log.txt"))
	if !strings.Contains(log, "years 2012-2019") || !strings.Contains(log, "the rule (rel 0.04, shares 1 points, durations rel 0.1)") {
		t.Errorf("log.txt:\n%s", log)
	}
	fit := readFile(t, filepath.Join(tmp, "cal3", "fit.csv"))
	if !strings.Contains(fit, "\nmedian_agreement_years,\"group=size_lt2k,year=2014\",2.75,") {
		t.Errorf("fit.csv:\n%s", fit)
	}
	// 2019 held out: 21 targets fitted, the simulation still to 2019, the
	// estimates section saying so.
	out, _, err = runCLI(t, "calibrate", "-targets", "norway-2011-2019", "-targets-until", "2018", "-years", "8", "-world", "norway-2011", "-counties", "46,50",
		"-params-free", "q0", "-out", filepath.Join(tmp, "cal4"),
		"-reps", "2", "-omega-reps", "8", "-lhs", "2", "-max-iter", "2", "-restarts", "1", "-polish", "1", "-workers", "2", "-progress", "never")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "21 targets fitted") {
		t.Errorf("-targets-until 2018: %s", out)
	}
	if est := readFile(t, filepath.Join(tmp, "cal4", "estimates.yaml")); !strings.Contains(est, "targets_until: 2018") {
		t.Errorf("estimates.yaml lacks targets_until:\n%s", est)
	}
	if _, _, err := runCLI(t, "calibrate", "-targets", "norway-2011-2019", "-targets-until", "2005", "-world", "norway-2011",
		"-params-free", "q0", "-out", filepath.Join(tmp, "cal5")); err == nil || !strings.Contains(err.Error(), "no target rows in years up to 2005") {
		t.Errorf("-targets-until 2005: %v", err)
	}
}

// TestCalibrateTargetsBadInput checks that bad targets stop the command
// with file, line and column, and that nothing is written.
func TestCalibrateTargetsBadInput(t *testing.T) {
	tmp := t.TempDir()
	const h = "moment,year,group,value,se\n"
	for _, c := range []struct{ name, text, want string }{
		{"unknown moment", h + "n_gps,2019,all,4858,97\nn_doctors,2019,all,1,1\n", `:3:1: column "moment": unknown moment "n_doctors"`},
		{"year outside", h + "n_gps,2020,all,4858,97\n", `:2:2: column "year": 2020 is not a simulated year (world year 2011 and 8 simulated years: 2012..2019)`},
		{"negative se", h + "n_gps,2019,all,4858,-97\n", `:2:5: column "se": standard error -97 is not above 0`},
		{"duplicate", h + "n_gps,2019,all,4858,97\nn_gps,2019,all,4884,97\n", `:3:1: column "moment": duplicate row: moment n_gps, year 2019, group all already on line 2`},
	} {
		file := filepath.Join(tmp, strings.ReplaceAll(c.name, " ", "_")+".csv")
		os.WriteFile(file, []byte(c.text), 0o644)
		out := filepath.Join(tmp, "out-"+strings.ReplaceAll(c.name, " ", "_"))
		_, _, err := runCLI(t, "calibrate", "-targets", file, "-world", "norway-2011", "-years", "8",
			"-params-free", "q0", "-out", out, "-progress", "never")
		if err == nil || !strings.Contains(err.Error(), file+c.want) {
			t.Errorf("%s: %v; want %s%s", c.name, err, file, c.want)
		}
		if entries, _ := os.ReadDir(out); len(entries) > 0 {
			t.Errorf("%s: wrote %d files into %s", c.name, len(entries), out)
		}
	}
	// The modes exclude each other; one is required.
	for _, args := range [][]string{
		{"-world", "norway-2011", "-params-free", "q0", "-out", filepath.Join(tmp, "x")},
		{"-targets", "norway-2011-2019", "-register", "r.csv", "-world", "norway-2011", "-params-free", "q0", "-out", filepath.Join(tmp, "x")},
		{"-targets", "norway-2011-2019", "-min-cell", "5", "-world", "norway-2011", "-params-free", "q0", "-out", filepath.Join(tmp, "x")},
	} {
		if _, _, err := runCLI(t, append([]string{"calibrate"}, args...)...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
