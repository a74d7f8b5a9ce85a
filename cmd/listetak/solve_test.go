package main

import (
	"strings"
	"testing"
)

// TestSolveStatic solves on the test world, whose 8 GPs hold 7,820 listed
// persons under a flat NOK 499: the flat shape gives 499 back; the shape
// 5 up to 1,000 and 1 above pays 34,180 per unit factor on these lists,
// so the factor is 499 * 7,820 / 34,180 = 114.1656, and -extra 34,180 adds
// 1. With a 50 % capitation share, capitation = fees = 14,850,180 / 2,
// and the fee scale is 7,425,090 / (1,400 * 7,820) = 0.678214.
func TestSolveStatic(t *testing.T) {
	out, _, err := runCLI(t, "solve", "-world", "testdata/world", "-rate", "1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"static", "solved rates  flat 499.00 ", "factor        499\n", "fee scale     1\n",
		"target        NOK 14,850,180 ", "achieved      NOK 14,850,180\n", "capitation    NOK 3,902,180 "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = runCLI(t, "solve", "-world", "testdata/world", "-breaks", "1000", "-rates", "5,1", "-extra", "34180")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"0-1,000: 5; 1,001+: 1\n", "0-1,000: 575.83; 1,001+: 115.17 ", "factor        115.166\n",
		"target        NOK 14,884,360 ", "(baseline 14,850,180 + extra 34,180)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Capitation share 50 %: capitation = fees = 7,425,090.
	out, _, err = runCLI(t, "solve", "-world", "testdata/world", "-rate", "1", "-cap-share", "0.5")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"flat 949.50 ", "fee scale     0.678214\n", "capitation    NOK 7,425,090  (50.0 %)", "fees          NOK 7,425,090  (50.0 %)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestSolveDynamic: the flat shape recovers the baseline rate in one run
// (the trial at 499 repeats the baseline's rules on the same draws).
func TestSolveDynamic(t *testing.T) {
	out, _, err := runCLI(t, "solve", "-world", "testdata/world", "-rate", "1", "-mode", "dynamic", "-reps", "4", "-year", "2", "-workers", "2")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"dynamic: spending in simulated year 2, 4 replications, seed 1", "solved rates       flat 499.00 ",
		"achieved - target  NOK 0 ± 0 ", "runs               1 "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestSolveFlagErrors(t *testing.T) {
	_, _, err := runCLI(t, "solve", "-rate", "1", "-breaks", "1000", "-cap-share", "1", "-mode", "slow", "-reps", "0", "-tol", "2")
	for _, f := range []string{"-rate", "-cap-share", "-mode", "-reps", "-tol"} {
		if err == nil || !strings.Contains(err.Error(), f) {
			t.Errorf("error %v does not name %s", err, f)
		}
	}
	if _, _, err := runCLI(t, "solve", "-world", "testdata/world"); err == nil || !strings.Contains(err.Error(), "shape") {
		t.Errorf("no shape: %v", err)
	}
	if _, _, err := runCLI(t, "solve", "-world", "testdata/world", "-breaks", "1000", "-rates", "1,2,3"); err == nil || !strings.Contains(err.Error(), "shape.rates") {
		t.Errorf("bad shape: %v", err)
	}
}

func TestThousands(t *testing.T) {
	for _, c := range []struct {
		v    float64
		dec  int
		want string
	}{{0, 0, "0"}, {-0.4, 0, "0"}, {999.5, 0, "1,000"}, {1234567.891, 2, "1,234,567.89"}, {-1234567, 0, "-1,234,567"}, {1000, -1, "1,000"}, {499.25, -1, "499.25"}} {
		if got := thousands(c.v, c.dec); got != c.want {
			t.Errorf("thousands(%v, %d) = %q, want %q", c.v, c.dec, got, c.want)
		}
	}
}
