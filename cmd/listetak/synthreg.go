package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"listetak/calibrate"
	"listetak/params"
	"listetak/results"
	"listetak/world"
)

// synthRegisterCmd is `listetak synth-register`: the model run with known
// parameters on a world, written as a register panel (DATA.md section 2)
// with its municipality years, the true parameters and the world.
func synthRegisterCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("synth-register", stderr)
	worldSpec := fs.String("world", "norway-2025", "embedded world name or world folder")
	counties := fs.String("counties", "", "comma-separated municipality-code prefixes to keep (e.g. 46: a county)")
	out := fs.String("out", "", "output folder (required)")
	years := fs.Int("years", 12, "simulated years after the first register year")
	scenario := fs.String("scenario", "1aix", "built-in scenario in force from -reform-year (baseline: none)")
	reform := fs.Int("reform-year", 0, "register year the scenario starts (default: the middle year)")
	paramsFile := fs.String("params", "", "YAML file with the true parameters")
	modelName := fs.String("model", "", "rule set: v2 (default) or reference-v1 (the v1 reference model with the reference-2019 parameters); a params file's model key overrides it")
	set := fs.String("set", "", "comma-separated key=value overrides of the true parameters")
	seed := fs.Uint64("seed", 1, "seed of the synthetic register")
	format := fs.String("format", "csv", "register format: csv or parquet")
	noIncome := fs.Bool("no-income", false, "leave out capitation_income and fee_income")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	var errs []error
	if len(pos) > 0 {
		errs = append(errs, fmt.Errorf("synth-register: unexpected arguments %q", pos))
	}
	if *out == "" {
		errs = append(errs, errors.New("-out: required"))
	}
	if *years < 1 || *years > 200 {
		errs = append(errs, fmt.Errorf("-years: %d is not in 1..200", *years))
	}
	if *format != "csv" && *format != "parquet" {
		errs = append(errs, fmt.Errorf("-format: %q is not csv or parquet", *format))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := checkOutDir(*out); err != nil {
		return err
	}
	truth, err := loadParams(*paramsFile, *modelName)
	if err != nil {
		return err
	}
	if err := applySet(&truth, *set); err != nil {
		return err
	}
	w, err := loadCalibrationWorld(*worldSpec, *counties)
	if err != nil {
		return err
	}
	s := &calibrate.Setup{World: w, Base: truth, Years: *years, Scenario: *scenario, ReformYear: *reform, Workers: 1}
	if *scenario != "baseline" && *reform == 0 {
		s.ReformYear = w.Year + (*years+1)/2
	}
	if err := s.Validate(); err != nil {
		return err
	}
	started := time.Now()
	sims, err := s.Simulate(context.Background(), truth, *seed, 0, 1)
	if err != nil {
		return err
	}
	panel, my := sims[0].Panel, sims[0].Munis
	if *noIncome {
		panel.HasIncome = false
		for i := range panel.Rows {
			panel.Rows[i].Capitation, panel.Rows[i].Fees = math.NaN(), math.NaN()
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	regPath := filepath.Join(*out, "register."+*format)
	if *format == "parquet" {
		err = calibrate.WriteRegisterParquet(regPath, panel)
	} else {
		err = results.WriteFileAtomic(regPath, func(wr io.Writer) error { return calibrate.WriteRegisterCSV(wr, panel) })
	}
	if err != nil {
		return err
	}
	if err := results.WriteFileAtomic(filepath.Join(*out, "municipality_years.csv"), func(wr io.Writer) error {
		return calibrate.WriteMunicipalityYearsCSV(wr, my)
	}); err != nil {
		return err
	}
	if err := results.WriteFileAtomic(filepath.Join(*out, "truth.yaml"), func(wr io.Writer) error {
		fmt.Fprintf(wr, "# The true parameters of this synthetic register (listetak synth-register, seed %d); 2019 NOK.\n", *seed)
		return truth.WriteYAML(wr, nil)
	}); err != nil {
		return err
	}
	if err := world.WriteDir(filepath.Join(*out, "world"), w); err != nil {
		return err
	}
	man := map[string]any{
		"tool": "listetak synth-register", "version": Version, "git_describe": gitDescribe(),
		"command": append([]string{"listetak", "synth-register"}, args...),
		"world":   w.Name, "world_year": w.Year, "first_year": panel.FirstYear, "last_year": panel.LastYear,
		"scenario": *scenario, "reform_year": s.ReformYear, "seed": *seed, "rows": len(panel.Rows),
		"year_mapping": "register year Y = model year Y - first_year (values at 31 December Y; the model year ends in June Y+1)",
		"wall_seconds": time.Since(started).Seconds(),
	}
	if err := results.WriteJSONAtomic(filepath.Join(*out, "synth.json"), man); err != nil {
		return err
	}
	reformNote := "no reform"
	if s.MomentSpec().ReformYear != 0 {
		reformNote = fmt.Sprintf("%s from %d", *scenario, s.ReformYear)
	}
	fmt.Fprintf(stdout, "wrote %s: %d GP-years %d-%d on %s (%s), seed %d; truth.yaml, municipality_years.csv, world/\n",
		regPath, len(panel.Rows), panel.FirstYear, panel.LastYear, w.Name, reformNote, *seed)
	fmt.Fprintf(stdout, "calibrate it: listetak calibrate -register %s -municipalities %s -world %s -scenario %s -reform-year %d -params-free KEYS -out DIR\n",
		regPath, filepath.Join(*out, "municipality_years.csv"), filepath.Join(*out, "world"), *scenario, s.ReformYear)
	return nil
}

// applySet applies comma-separated key=value overrides.
func applySet(p *params.Params, set string) error {
	var errs []error
	for _, kv := range strings.Split(set, ",") {
		if kv = strings.TrimSpace(kv); kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || err != nil {
			errs = append(errs, fmt.Errorf("-set: %q is not key=number", kv))
			continue
		}
		if err := p.Set(strings.TrimSpace(k), x); err != nil {
			errs = append(errs, fmt.Errorf("-set: %w", err))
		}
	}
	return errors.Join(errs...)
}

// loadCalibrationWorld loads a world and keeps the municipalities whose
// codes start with one of the comma-separated prefixes (all when empty).
func loadCalibrationWorld(spec, prefixes string) (*world.World, error) {
	w, err := loadWorld(spec)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(prefixes) == "" {
		return w, nil
	}
	var ps []string
	for _, p := range strings.Split(prefixes, ",") {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, p)
		}
	}
	return calibrate.SubsetWorld(w, ps)
}
