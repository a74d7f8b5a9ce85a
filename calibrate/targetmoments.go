package calibrate

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// seKind is how SERule gives a published figure a standard error.
type seKind int

const (
	kindCount      seKind = iota // counts of GPs, lists or persons
	kindMean                     // means and ratios (persons per list, GPs per 10,000)
	kindShare                    // shares in percent
	kindDuration                 // median agreement durations (years)
	kindDifference               // a difference of two published means (ceiling minus list)
)

// targetDef is a documented target moment: the sim metric behind each of
// its groups and how a metric's yearly value becomes the moment's.
type targetDef struct {
	groups   map[string]string // group -> sim metric name
	scale    float64           // moment = scale x metric (100: a share in percent)
	duration bool              // the median duration of the metric's mean hazard (see durationOf)
	kind     seKind
	unit     float64 // rounding unit of the published figures (moment's unit)
	level    float64 // kindDifference: the level of the two means differenced (moment's unit)
	unitText string  // the moment's unit, for documentation
}

// sizeGroups are the municipality size classes of the grouped sim metrics
// (residents at the end of the year: < 2,000; 2,000-4,999; 5,000-19,999;
// 20,000-49,999; >= 50,000).
var sizeGroups = []string{"size_lt2k", "size_2k_5k", "size_5k_20k", "size_20k_50k", "size_ge50k"}

// whole returns a group map with the one group "all".
func whole(metric string) map[string]string { return map[string]string{GroupAll: metric} }

// bySize returns a group map: all -> metric, each size group g ->
// metric_g, restricted to the given size groups (all of them when none).
func bySize(metric string, only ...string) map[string]string {
	m := whole(metric)
	for _, g := range sizeGroups {
		if len(only) == 0 || slices.Contains(only, g) {
			m[g] = metric + "_" + g
		}
	}
	return m
}

// targetDefs are the documented target moments (package doc, "Targets").
// A simulated value of model year t is the metric's value in that year
// (scaled), except for the durations.
var targetDefs = map[string]targetDef{
	// GPs holding slots. The register counts persons, about 0.5 % fewer
	// than the lists with a GP (2019: 4,858 GPs, 4,884 lists), since some
	// GPs hold two lists; the model has one GP per slot.
	"n_gps":           {groups: whole("gps"), scale: 1, kind: kindCount, unit: 1, unitText: "persons"},
	"n_lists_with_gp": {groups: whole("gps"), scale: 1, kind: kindCount, unit: 1, unitText: "lists"},
	// Vacant slots with persons on them (lists without a GP).
	"n_lists_without_gp": {groups: whole("lists_without_gp"), scale: 1, kind: kindCount, unit: 1, unitText: "lists"},
	// Of them, those that were lists without a GP at the previous year's
	// end too (HDIR: "ubesatt i over ett år").
	"n_lists_without_gp_over_1y": {groups: whole("lists_without_gp_over_1y"), scale: 1, kind: kindCount, unit: 1, unitText: "lists"},
	// Persons on lists without a GP.
	"listed_inhabitants_without_gp":  {groups: whole("orphans_on_vacant_lists"), scale: 1, kind: kindCount, unit: 1, unitText: "persons"},
	"mean_list_length_lists_with_gp": {groups: whole("mean_list"), scale: 1, kind: kindMean, unit: 1, unitText: "persons per list"},
	// Mean ceiling minus mean list of GPs holding slots: the difference of
	// two figures each rounded to whole persons (and printed 35 for 2019
	// where 1,122 - 1,088 = 34), so a rounding unit of 2. Its spread is the
	// relative error of the means it differences, at their level of about
	// 1,100 persons (SERule): the two means share their definitional gaps
	// with the model, and the difference inherits them.
	"mean_listetak_minus_mean_list_length": {groups: whole("mean_free_places"), scale: 1, kind: kindDifference, unit: 2, level: 1100, unitText: "persons per list"},
	"pct_salaried_of_lists_with_gp":        {groups: whole("salaried_share"), scale: 100, kind: kindShare, unit: 1, unitText: "percent"},
	"pct_gps_female":                       {groups: whole("female_share"), scale: 100, kind: kindShare, unit: 0.1, unitText: "percent"},
	"gps_per_10k_inhabitants":              {groups: bySize("gps_per_10k"), scale: 1, kind: kindMean, unit: 0.1, unitText: "GPs per 10,000 residents"},
	// Published as "over 60"; simulated as aged 60 or more.
	"pct_gps_age_over_60": {groups: whole("gps_share_age_60_plus"), scale: 100, kind: kindShare, unit: 1, unitText: "percent"},
	// Median duration of a GP agreement (Kaplan-Meier), simulated from the
	// yearly slot turnover: see durationOf.
	"median_agreement_years": {groups: bySize("slot_turnover", "size_lt2k", "size_ge50k"), duration: true, kind: kindDuration, unit: 0.01, unitText: "years"},
}

// targetMomentNames returns the documented target moments, sorted.
func targetMomentNames() []string { return slices.Sorted(maps.Keys(targetDefs)) }

// momentGroups returns the groups of a target moment and whether it is
// one: a documented moment's groups, or "all" for a sim metric's name.
func momentGroups(moment string, metrics []string) ([]string, bool) {
	if d, ok := targetDefs[moment]; ok {
		return groupOrder(d.groups), true
	}
	if slices.Contains(metrics, moment) {
		return []string{GroupAll}, true
	}
	return nil, false
}

// groupOrder returns a group map's groups: all first, then sizes in order.
func groupOrder(g map[string]string) []string {
	out := []string{}
	for _, n := range append([]string{GroupAll}, sizeGroups...) {
		if _, ok := g[n]; ok {
			out = append(out, n)
		}
	}
	return out
}

// TargetMomentDoc describes a documented target moment for manuals.
type TargetMomentDoc struct {
	Moment  string
	Groups  []string
	Metrics []string // the sim metric of each group, in Groups order
	Unit    string
	Derived string // how the metric becomes the moment ("" for the value itself)
}

// TargetMomentDocs returns the documented target moments, sorted by name.
func TargetMomentDocs() []TargetMomentDoc {
	var out []TargetMomentDoc
	for _, name := range targetMomentNames() {
		d := targetDefs[name]
		doc := TargetMomentDoc{Moment: name, Groups: groupOrder(d.groups), Unit: d.unitText}
		for _, g := range doc.Groups {
			doc.Metrics = append(doc.Metrics, d.groups[g])
		}
		switch {
		case d.duration:
			doc.Derived = "ln(0.5) / ln(1 - mean of the metric over model years 1..t)"
		case d.scale != 1:
			doc.Derived = fmt.Sprintf("%g x metric", d.scale)
		}
		out = append(out, doc)
	}
	return out
}

// durationOf returns the median duration (years) of an agreement under a
// constant yearly exit hazard h: ln(0.5) / ln(1 - h), the half-life of the
// geometric survival (1 - h)^n. NaN unless 0 < h < 1 (no exits: no finite
// median).
func durationOf(h float64) float64 {
	if !(h > 0 && h < 1) {
		return math.NaN()
	}
	return math.Log(0.5) / math.Log1p(-h)
}
