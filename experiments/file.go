package experiments

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"listetak/experiments/design"
	"listetak/finance"
	"listetak/params"
	"listetak/rng"
	"listetak/sim"
)

// File is an experiment file as written (YAML). The zero value of each
// field means its documented default.
type File struct {
	Name         string          `yaml:"name"`         // default: the file's base name
	Description  string          `yaml:"description"`  // free text
	World        string          `yaml:"world"`        // embedded world name or folder (relative to the file); default norway-2025
	Years        int             `yaml:"years"`        // simulated years after year 0; absent: 20
	Replications int             `yaml:"replications"` // absent: 200
	Seed         uint64          `yaml:"seed"`         // master seed; absent: 1 (0 is seed 0)
	Rebase       *bool           `yaml:"rebase"`       // convert scenarios' rates from their money year (docs/money.md); default true
	DistYears    []int           `yaml:"dist_years"`   // dynamic distribution years; default [1, 5, 10]
	Scenarios    []ScenarioEntry `yaml:"scenarios"`    // default [baseline]; differences are to the first
	Params       yaml.Node       `yaml:"params"`       // parameter overrides (keys of listetak params)
	Design       *DesignSpec     `yaml:"design"`       // a design over parameters; default none (one design point)
	// Uncertainty draws parameters per replication from distributions
	// (keys of listetak params); default none.
	Uncertainty map[string]Dist `yaml:"uncertainty"`
	// UncertaintyFrom names an estimates file written by listetak
	// calibrate (relative to the experiment file): its top-level values
	// (point estimates and fixed parameters) are the experiment's
	// parameters before params applies, and its estimated parameters are
	// drawn per replication from their multivariate normal distribution on
	// the transformed scale (params.Estimates.Draw); default none.
	UncertaintyFrom string          `yaml:"uncertainty_from"`
	Sensitivity     SensitivitySpec `yaml:"sensitivity"` // outputs whose sensitivity indices sobol/morris designs report
}

// DesignSpec is a design over named parameters (the keys of listetak
// params, arrays as key[i]).
type DesignSpec struct {
	Kind        string `yaml:"kind"`         // grid, lhs, sobol or morris
	N           int    `yaml:"n"`            // lhs: points; sobol: base samples N; morris: trajectories
	Levels      int    `yaml:"levels"`       // morris: grid levels (even; default 4)
	SecondOrder bool   `yaml:"second_order"` // sobol: also second-order indices (N(2D+2) points)
	Seed        uint64 `yaml:"seed"`         // the design's own seed; default the experiment's
	Factors     []struct {
		Name   string  `yaml:"name"`
		Min    float64 `yaml:"min"`
		Max    float64 `yaml:"max"`
		Levels int     `yaml:"levels"` // grid: levels of this factor
		Log    bool    `yaml:"log"`    // sample on a log scale
	} `yaml:"factors"`
}

// Dist is a parameter's distribution over replications.
type Dist struct {
	Dist   string  `yaml:"dist"`   // fixed, uniform, normal or lognormal
	Value  float64 `yaml:"value"`  // fixed
	Min    float64 `yaml:"min"`    // uniform
	Max    float64 `yaml:"max"`    // uniform
	Mean   float64 `yaml:"mean"`   // normal
	SD     float64 `yaml:"sd"`     // normal
	Median float64 `yaml:"median"` // lognormal
	Sigma  float64 `yaml:"sigma"`  // lognormal: sd of the log
}

// draw draws one value.
func (d Dist) draw(r *rand.Rand) float64 {
	switch d.Dist {
	case "uniform":
		return d.Min + (d.Max-d.Min)*r.Float64()
	case "normal":
		return d.Mean + d.SD*r.NormFloat64()
	case "lognormal":
		return d.Median * math.Exp(d.Sigma*r.NormFloat64())
	}
	return d.Value
}

// validate reports a distribution's problems.
func (d Dist) validate() error {
	bad := func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }
	switch d.Dist {
	case "fixed":
		if bad(d.Value) {
			return errors.New("value: not a finite number")
		}
	case "uniform":
		if bad(d.Min) || bad(d.Max) || !(d.Max > d.Min) {
			return fmt.Errorf("min %v and max %v: need finite min < max", d.Min, d.Max)
		}
	case "normal":
		if bad(d.Mean) || bad(d.SD) || !(d.SD > 0) {
			return fmt.Errorf("mean %v and sd %v: need a finite mean and sd > 0", d.Mean, d.SD)
		}
	case "lognormal":
		if bad(d.Median) || bad(d.Sigma) || !(d.Median > 0) || !(d.Sigma > 0) {
			return fmt.Errorf("median %v and sigma %v: need both > 0", d.Median, d.Sigma)
		}
	default:
		return fmt.Errorf("dist: %q is not fixed, uniform, normal or lognormal", d.Dist)
	}
	return nil
}

// maxRedraws bounds the redraws of a value outside its parameter's valid
// range (a normal draw of a probability below 0, say): the distributions are
// truncated to the valid range.
const maxRedraws = 100

// Draw returns p with the uncertain parameters drawn for replication rep,
// from the stream (seed, rep, "params"): the same draws in every scenario
// and design point (common random numbers). Keys are drawn in sorted order.
//
// With uncertainty_from, the estimated parameters are drawn first, from the
// stream (seed, rep, "estimates").
func (ex *Experiment) Draw(p params.Params, rep int) (params.Params, error) {
	if ex.Estimates != nil {
		var err error
		if p, err = ex.Estimates.Draw(p, rng.New(ex.File.Seed, rep).Named("estimates").Rand()); err != nil {
			return p, fmt.Errorf("uncertainty_from %s: %w", ex.File.UncertaintyFrom, err)
		}
	}
	if len(ex.File.Uncertainty) == 0 {
		return p, nil
	}
	r := rng.New(ex.File.Seed, rep).Named("params").Rand()
	for _, key := range slices.Sorted(maps.Keys(ex.File.Uncertainty)) {
		d := ex.File.Uncertainty[key]
		var err error
		for range maxRedraws {
			if err = p.Set(key, d.draw(r)); err == nil {
				break
			}
		}
		if err != nil {
			return p, fmt.Errorf("uncertainty.%s: no valid draw in %d tries: %w", key, maxRedraws, err)
		}
	}
	return p, nil
}

// Uncertain reports whether parameters are drawn per replication.
func (ex *Experiment) Uncertain() bool { return len(ex.File.Uncertainty) > 0 || ex.Estimates != nil }

// UncertainKeys returns the keys of the parameters drawn per replication,
// sorted: the uncertainty block's and the estimated ones of
// uncertainty_from.
func (ex *Experiment) UncertainKeys() []string {
	keys := slices.Collect(maps.Keys(ex.File.Uncertainty))
	if ex.Estimates != nil {
		keys = append(keys, ex.Estimates.Keys()...)
	}
	slices.Sort(keys)
	return keys
}

// SensitivitySpec names the outputs of sensitivity.csv: each metric in
// each year, averaged over replications per design point.
type SensitivitySpec struct {
	Metrics []string `yaml:"metrics"`   // default: capacity, orphans, gps
	Years   []int    `yaml:"years"`     // default: the last year
	Boot    int      `yaml:"bootstrap"` // bootstrap resamples for Sobol intervals; default 500
}

// ScenarioEntry is a built-in scenario's name or a custom definition.
type ScenarioEntry struct {
	Builtin string
	Custom  *CustomScenario
	line    int
}

// CustomScenario is a scenario defined in an experiment file.
type CustomScenario struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// MoneyYear is the year whose money the rates and extra are in; 0: the
	// world's own money, never converted (Definition.MoneyYear).
	MoneyYear int `yaml:"money_year"`
	// RefRate is no longer read: an error points to money_year.
	RefRate float64 `yaml:"ref_rate"`
	Phases  []struct {
		From      int          `yaml:"from"`
		Scheme    finance.Spec `yaml:"scheme"`
		MoneyYear int          `yaml:"money_year"` // this phase's own money year; 0: the scenario's
		PhaseIn   int          `yaml:"phase_in"`   // introduce this phase linearly over that many years
		RefRate   float64      `yaml:"ref_rate"`   // no longer read
	} `yaml:"phases"`
	CapNeutral bool    `yaml:"cap_neutral"` // scale rates to the baseline's static capitation total
	Budget     bool    `yaml:"budget"`      // solve the fee scale to the baseline's spending + extra
	Extra      float64 `yaml:"extra"`
	// PhaseIn is the first phase's phase_in (kept for files that give it
	// here); a phase's own phase_in wins.
	PhaseIn      int                   `yaml:"phase_in"`
	Salaried     finance.Salaried      `yaml:"salaried"`
	Equalisation *finance.Equalisation `yaml:"equalisation"`
}

// refRateGone is the error for the retired ref_rate key.
const refRateGone = "is no longer read (rates were re-based by the world's capitation over it); " +
	"give money_year, the year whose money the rates are in (docs/money.md)"

// definition returns the custom scenario as a Definition, with the
// problems of retired keys.
func (c *CustomScenario) definition() (Definition, []string) {
	d := Definition{Name: c.Name, Description: c.Description, MoneyYear: c.MoneyYear,
		Extra: c.Extra, Salaried: c.Salaried, Equalisation: c.Equalisation, CapNeutral: c.CapNeutral}
	var bad []string
	if c.RefRate != 0 {
		bad = append(bad, "ref_rate "+refRateGone)
	}
	if c.Budget {
		d.Budget = BudgetFees
	}
	for i, p := range c.Phases {
		if p.RefRate != 0 {
			bad = append(bad, fmt.Sprintf("phases[%d].ref_rate %s", i, refRateGone))
		}
		if i == 0 && p.PhaseIn == 0 {
			p.PhaseIn = c.PhaseIn
		}
		d.Phases = append(d.Phases, Phase{From: p.From, Spec: p.Scheme, MoneyYear: p.MoneyYear, PhaseIn: p.PhaseIn})
	}
	if c.PhaseIn != 0 && len(c.Phases) == 0 {
		bad = append(bad, "phase_in: there is no phase to phase in")
	}
	return d, bad
}

// UnmarshalYAML accepts a scalar (a built-in name) or a mapping.
func (e *ScenarioEntry) UnmarshalYAML(n *yaml.Node) error {
	e.line = n.Line
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&e.Builtin)
	}
	e.Custom = new(CustomScenario)
	return n.Decode(e.Custom)
}

// Experiment is a decoded, validated experiment: what a run needs.
type Experiment struct {
	File        File
	Path        string // the file it came from
	World       string // resolved world name or folder
	Params      params.Params
	Definitions []Definition
	Rebase      bool
	// Design is the resolved design (nil: one design point, the params).
	Design *design.Design
	// Estimates is the estimates section of uncertainty_from (nil: none).
	Estimates *params.Estimates
}

// PointParams returns the parameters of design point k (the experiment's
// params when there is no design).
func (ex *Experiment) PointParams(k int) (params.Params, error) {
	p := ex.Params
	if ex.Design == nil {
		return p, nil
	}
	for i, f := range ex.Design.Factors {
		if err := p.Set(f.Name, ex.Design.Points[k][i]); err != nil {
			return p, fmt.Errorf("design point %d: %w", k, err)
		}
	}
	return p, nil
}

// Points returns the number of design points (1 without a design).
func (ex *Experiment) Points() int {
	if ex.Design == nil {
		return 1
	}
	return len(ex.Design.Points)
}

// ReadFile reads and validates an experiment file.
func ReadFile(path string) (*Experiment, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Decode(bytes.NewReader(data), path)
}

// Decode decodes an experiment strictly: an unknown key, a wrong type or a
// bad value is an error naming the file, line and key path; all problems
// are reported at once.
func Decode(r io.Reader, path string) (*Experiment, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("%s: empty experiment file", path)
	}
	doc := root.Content[0]
	var errs []error
	checkKeys(doc, reflect.TypeOf(File{}), "", path, &errs)
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "params" {
			checkKeys(doc.Content[i+1], reflect.TypeOf(params.Params{}), "params", path, &errs)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var f File
	if err := doc.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	ex := &Experiment{File: f, Path: path, Rebase: true}
	if f.Name == "" {
		ex.File.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	// A key that is absent takes its default; a key given as 0 is that
	// value (years 0 and replications 0 are errors below, seed 0 is seed 0).
	given := map[string]bool{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		given[doc.Content[i].Value] = true
	}
	if !given["years"] {
		ex.File.Years = sim.DefaultYears
	}
	if !given["replications"] {
		ex.File.Replications = sim.DefaultReps
	}
	if !given["seed"] {
		ex.File.Seed = 1
	}
	if f.Rebase != nil {
		ex.Rebase = *f.Rebase
	}
	if ex.File.DistYears == nil {
		for _, y := range []int{1, 5, 10} {
			if y <= ex.File.Years {
				ex.File.DistYears = append(ex.File.DistYears, y)
			}
		}
	}
	ex.World = f.World
	if ex.World == "" {
		ex.World = "norway-2025"
	} else if strings.ContainsAny(ex.World, `/\.`) && !filepath.IsAbs(ex.World) {
		ex.World = filepath.Join(filepath.Dir(path), ex.World)
	}
	at := func(line int, key string, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s: %s", path, line, key, fmt.Sprintf(format, a...)))
	}
	line := func(key string) int {
		for i := 0; i+1 < len(doc.Content); i += 2 {
			if doc.Content[i].Value == key {
				return doc.Content[i].Line
			}
		}
		return doc.Line
	}
	if ex.File.Years < 1 || ex.File.Years > 200 {
		at(line("years"), "years", "%d is not in 1..200", ex.File.Years)
	}
	if ex.File.Replications < 1 {
		at(line("replications"), "replications", "%d must be at least 1", ex.File.Replications)
	}
	for i, y := range ex.File.DistYears {
		if y < 1 || y > ex.File.Years {
			at(line("dist_years"), fmt.Sprintf("dist_years[%d]", i), "%d is not a simulated year (1..%d)", y, ex.File.Years)
		}
	}
	ex.Params = params.Default()
	if f.UncertaintyFrom != "" {
		// A file beside the experiment file, else an embedded estimated
		// set by name (params.EstimatedNames: estimated-2026).
		path := f.UncertaintyFrom
		if j := filepath.Join(filepath.Dir(ex.Path), path); !filepath.IsAbs(path) && (fileExists(j) || !slices.Contains(params.EstimatedNames(), path)) {
			path = j
		}
		p, est, err := params.LoadEstimates(ex.Params, path)
		switch {
		case err != nil:
			at(line("uncertainty_from"), "uncertainty_from", "%v", err)
		case est == nil:
			at(line("uncertainty_from"), "uncertainty_from", "%s has no estimates section (write it with listetak calibrate)", path)
		default:
			ex.Params, ex.Estimates = p, est
			estimated := map[string]bool{}
			for _, k := range est.Keys() {
				estimated[k] = true
			}
			if f.Params.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(f.Params.Content); i += 2 {
					if k := f.Params.Content[i]; estimated[k.Value] {
						at(k.Line, "params."+k.Value, "is estimated in %s (drawn per replication); remove one", f.UncertaintyFrom)
					}
				}
			}
			for _, k := range slices.Sorted(maps.Keys(f.Uncertainty)) {
				if estimated[k] {
					at(line("uncertainty"), "uncertainty."+k, "is estimated in %s (drawn from its covariance); remove one", f.UncertaintyFrom)
				}
			}
			if f.Design != nil {
				for _, fa := range f.Design.Factors {
					if estimated[fa.Name] {
						at(line("design"), "design.factors", "%s is estimated in %s; it cannot also be a design factor", fa.Name, f.UncertaintyFrom)
					}
				}
			}
		}
	}
	if f.Params.Kind != 0 {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		if err := enc.Encode(&f.Params); err != nil {
			return nil, err
		}
		// Re-decode strictly; yaml.v3 reports lines of the re-encoded text,
		// so point at the params block instead.
		if err := ex.Params.Decode(&buf, fmt.Sprintf("%s:%d: params", path, f.Params.Line)); err != nil {
			errs = append(errs, err)
		}
	}
	names := map[string]bool{}
	entries := f.Scenarios
	if len(entries) == 0 {
		entries = []ScenarioEntry{{Builtin: "baseline", line: doc.Line}}
	}
	for i, e := range entries {
		key := fmt.Sprintf("scenarios[%d]", i)
		var d Definition
		if e.Custom == nil {
			defs, err := Lookup([]string{e.Builtin})
			if err != nil {
				at(e.line, key, "%v", err)
				continue
			}
			d = defs[0]
		} else {
			c := e.Custom
			var bad []string
			d, bad = c.definition()
			for _, b := range bad {
				at(e.line, key, "%s", b)
			}
			if err := d.Validate(); err != nil {
				at(e.line, key, "%v", err)
			}
			if c.Equalisation != nil {
				q := c.Equalisation
				if !(q.Rate >= 0) || !(q.MaxPopulation >= 0) || !(q.RefList >= 0) {
					at(e.line, key+".equalisation", "rate, max_population and ref_list must be >= 0")
				}
			}
		}
		if names[d.Name] {
			at(e.line, key, "scenario %q named twice", d.Name)
		}
		names[d.Name] = true
		ex.Definitions = append(ex.Definitions, d)
	}
	if f.Design != nil {
		d, err := buildDesign(f.Design, ex, line("design"))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: design: %w", path, line("design"), err))
		}
		ex.Design = d
	}
	for _, key := range slices.Sorted(maps.Keys(f.Uncertainty)) {
		d := f.Uncertainty[key]
		if err := d.validate(); err != nil {
			at(line("uncertainty"), "uncertainty."+key, "%v", err)
		}
		q := ex.Params
		if err := q.Set(key, d.Value); err != nil && (strings.Contains(err.Error(), "unknown parameter") ||
			strings.Contains(err.Error(), "not a settable") || strings.Contains(err.Error(), "bad index")) {
			at(line("uncertainty"), "uncertainty."+key, "%v", err)
		}
		if f.Design != nil {
			for _, fa := range f.Design.Factors {
				if fa.Name == key {
					at(line("uncertainty"), "uncertainty."+key, "is also a design factor")
				}
			}
		}
	}
	if len(ex.File.Sensitivity.Metrics) == 0 {
		ex.File.Sensitivity.Metrics = []string{"capacity", "orphans", "gps"}
	}
	if len(ex.File.Sensitivity.Years) == 0 {
		ex.File.Sensitivity.Years = []int{ex.File.Years}
	}
	if ex.File.Sensitivity.Boot == 0 {
		ex.File.Sensitivity.Boot = 500
	}
	for i, m := range ex.File.Sensitivity.Metrics {
		if !slices.Contains(sim.MetricNames(), m) {
			at(line("sensitivity"), fmt.Sprintf("sensitivity.metrics[%d]", i), "%q is not a metric (listetak writes %s, ...)", m, strings.Join(sim.MetricNames()[:6], ", "))
		}
	}
	for i, y := range ex.File.Sensitivity.Years {
		if y < 0 || y > ex.File.Years {
			at(line("sensitivity"), fmt.Sprintf("sensitivity.years[%d]", i), "%d is not a year (0..%d)", y, ex.File.Years)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return ex, nil
}

// buildDesign generates the design from its spec, deterministically from
// its seed, and checks every factor names a settable parameter.
func buildDesign(spec *DesignSpec, ex *Experiment, line int) (*design.Design, error) {
	var factors []design.Factor
	var errs []error
	for i, f := range spec.Factors {
		factors = append(factors, design.Factor{Name: f.Name, Min: f.Min, Max: f.Max, Levels: f.Levels, Log: f.Log})
		q := ex.Params
		if err := q.Set(f.Name, f.Min); err != nil {
			errs = append(errs, fmt.Errorf("factors[%d]: %w", i, err))
		}
		if err := q.Set(f.Name, f.Max); err != nil && !strings.Contains(err.Error(), "unknown parameter") {
			errs = append(errs, fmt.Errorf("factors[%d] max: %w", i, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	seed := spec.Seed
	if seed == 0 {
		seed = ex.File.Seed
	}
	r := rng.New(seed, 0).Named("design").Rand()
	switch spec.Kind {
	case design.KindGrid:
		return design.Grid(factors)
	case design.KindLHS:
		return design.LHS(factors, spec.N, r)
	case design.KindSobol:
		return design.Sobol(factors, spec.N, spec.SecondOrder, r)
	case design.KindMorris:
		levels := spec.Levels
		if levels == 0 {
			levels = 4
		}
		return design.Morris(factors, spec.N, levels, r)
	}
	return nil, fmt.Errorf("kind: %q is not grid, lhs, sobol or morris", spec.Kind)
}

// checkKeys reports every mapping key in n that the type t (a struct, or
// slices/pointers of structs) does not declare, with its line and key
// path. Scenario entries may be scalars; yaml.Node fields (params) are
// checked where they are decoded.
func checkKeys(n *yaml.Node, t reflect.Type, path, file string, errs *[]error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeOf(yaml.Node{}):
		return
	case t == reflect.TypeOf(ScenarioEntry{}):
		if n.Kind == yaml.MappingNode {
			checkKeys(n, reflect.TypeOf(CustomScenario{}), path, file, errs)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // a type error, reported by Decode
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
			if tag != "" && tag != "-" {
				fields[tag] = t.Field(i).Type
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			ft, ok := fields[k.Value]
			if !ok {
				*errs = append(*errs, fmt.Errorf("%s:%d:%d: %s: unknown key", file, k.Line, k.Column, p))
				continue
			}
			checkKeys(v, ft, p, file, errs)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			checkKeys(n.Content[i+1], t.Elem(), path+"."+n.Content[i].Value, file, errs)
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, c := range n.Content {
			checkKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), file, errs)
		}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64, reflect.Uint32, reflect.Uint:
		// The decoder would truncate 2.5 to 2: an integer key takes an
		// integer.
		if n.Kind == yaml.ScalarNode && n.ShortTag() != "!!int" {
			*errs = append(*errs, fmt.Errorf("%s:%d:%d: %s: %q is not a whole number", file, n.Line, n.Column, path, n.Value))
		}
	}
}

// fileExists reports whether path names an existing file or folder.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
