package params

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
)

// DefaultEstimates is the name of the estimated set Default uses.
const DefaultEstimates = "estimated-2026"

//go:embed estimated/*.yaml
var estimatedFS embed.FS

// EstimatedNames returns the names of the embedded estimated sets (the
// files of params/estimated without .yaml), DefaultEstimates first: each
// an estimates file written by listetak calibrate -targets (docs/model.md
// "Estimation" says how each was made).
func EstimatedNames() []string {
	ents, _ := estimatedFS.ReadDir("estimated")
	names := []string{DefaultEstimates}
	for _, e := range ents {
		if n := strings.TrimSuffix(e.Name(), ".yaml"); n != DefaultEstimates {
			names = append(names, n)
		}
	}
	return names
}

// EmbeddedEstimates returns an embedded estimated set: HandSetV2 with the
// file's values on top, and its estimates section (standard errors,
// transforms, bounds, covariance).
func EmbeddedEstimates(name string) (Params, *Estimates, error) {
	if !slices.Contains(EstimatedNames(), name) {
		return Params{}, nil, fmt.Errorf("params: no embedded estimated set %q (have %s)", name, strings.Join(EstimatedNames(), ", "))
	}
	data, err := estimatedFS.ReadFile(path.Join("estimated", name+".yaml"))
	if err != nil {
		return Params{}, nil, err
	}
	p := HandSetV2()
	est, err := p.decode(bytes.NewReader(data), name+".yaml")
	if err != nil {
		return Params{}, nil, err
	}
	if est == nil {
		return Params{}, nil, fmt.Errorf("params: %s.yaml has no estimates section", name)
	}
	return p, est, nil
}

// estimatedDefault is Default's set, decoded once.
type estimatedDefault struct {
	p   Params
	est *Estimates
}

// defaultOnce guards defaultSet, Default's set decoded once.
var (
	defaultOnce sync.Once
	defaultSet  estimatedDefault
)

// defaultEstimated decodes DefaultEstimates once; a broken embedded file
// is a build defect (TestEmbeddedEstimates) and panics.
func defaultEstimated() estimatedDefault {
	defaultOnce.Do(func() {
		p, est, err := EmbeddedEstimates(DefaultEstimates)
		if err != nil {
			panic(err)
		}
		defaultSet = estimatedDefault{p, est}
	})
	return defaultSet
}

// DefaultEstimatesSection returns the estimates section of Default's set:
// the estimated parameters' standard errors and covariance.
func DefaultEstimatesSection() *Estimates { return defaultEstimated().est }

// fixedReasons says why a v2 parameter the estimation could have freed is
// held fixed (docs/model.md "Estimation"); FixedReason falls back to a
// general reason for the rest.
var fixedReasons = map[string]string{
	"entry_horizon":      "fixed: moves the entry logit as alpha0 does; the national aggregates cannot tell them apart",
	"start_age_sd":       "fixed: one age share (60+ in 2017) identifies the starting ages' mean, not also their spread",
	"retire_a50":         "fixed: retirements are not among the targets; set by hand (docs/model.md)",
	"retire_scale":       "fixed: retirements are not among the targets; set by hand (docs/model.md)",
	"entrant_age_mean":   "fixed: entrants' ages are not among the targets; set by hand (docs/model.md)",
	"vacancy_transit":    "fixed at 0 (off): freed in the first stage it is 0.003 (se 0.016), and at 0.035 norway-2011's lists without a GP jump in year 1, 57 to 74 (docs/model.md)",
	"leisure_trend_late": "fixed at 0.045 = 0.270 / 6: set from the starting draws of norway-2025 so that candidates from 2025 on draw log leisure values like the 2025 GPs' (mean log(w / median) +0.270 over 20 replications, sd 0.003); the level targets' free places (se 22 by the rule) cannot pin it: freed with the late entry trend it went to 0.11 and the free places to 13 a list by 2030 (docs/model.md)",
	"muni_sd":            "fixed at 0 (off): the 2011-2019 targets do not identify it (sensitivity 0.72 < 1), and 5, which holds the 2025 register's geography, raises the 2011-2019 criterion from 19.8 to 47.5 (docs/model.md)",
	"p_female":           "fixed: set by hand so the women's share follows its 2012-2019 targets; the entry parameters are freed instead",
}

// FixedReason returns why parameter key is not estimated in Default's set:
// a reason of its own, or the general one (an institutional, rule or
// reference value the public national targets do not inform; docs/model.md
// "Estimation" lists which a register panel would).
func FixedReason(key string) string {
	if r, ok := fixedReasons[key]; ok {
		return r
	}
	return "fixed: an institutional, rule or reference value the public targets do not inform"
}
