package params

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Params are the reference model's parameters. Every field has a yaml key,
// a unit, a MODEL.md symbol and a source in its struct tags; List prints them.
// Money fields are in 2019 NOK until Scale is applied.
//
// The zero value is not useful: start from Default and override.
type Params struct {
	// Model selects the rules of the yearly step: ModelV2 (the default,
	// docs/model.md) or ModelV1 (the reference model of MODEL.md v1, kept
	// for cross-checks). In a YAML file the key also selects the rule set's
	// default parameters (see Decode).
	Model Model `yaml:"model" sym:"-" unit:"-" src:"docs/model.md: v2 (default) or reference-v1 (the v1 reference rules)"`

	EqRate          float64    `yaml:"eq_rate" sym:"r_eq" unit:"NOK/person/yr" money:"1" src:"MODEL.md; 499 = the 2019 per-capita rate (DOMAIN.md)"`
	EqMaxPopulation float64    `yaml:"eq_max_population" sym:"-" unit:"persons" src:"equalisation rule: municipalities below 5,000 inhabitants (DOMAIN.md)"`
	EqRefList       float64    `yaml:"eq_ref_list" sym:"-" unit:"persons" src:"equalisation rule: reference list of 1,200 (DOMAIN.md)"`
	Salary          float64    `yaml:"salary" sym:"Ysal" unit:"NOK/yr" money:"1" src:"MODEL.md reference-2019"`
	Fee             float64    `yaml:"fee_per_person" sym:"f" unit:"NOK/person/yr" money:"1" src:"MODEL.md; 2018 fees+co-payments / listed persons (DOMAIN.md money table)"`
	FixedCost       float64    `yaml:"fixed_cost" sym:"F" unit:"NOK/yr" money:"1" src:"MODEL.md reference-2019"`
	CostPerPerson   float64    `yaml:"cost_per_person" sym:"c" unit:"NOK/person/yr" money:"1" src:"MODEL.md reference-2019"`
	StaffCost       float64    `yaml:"staff_cost" sym:"S" unit:"NOK/yr" money:"1" src:"MODEL.md reference-2019"`
	StaffStepMin    float64    `yaml:"staff_step_min" sym:"sigma_i ~ U[min,max]" unit:"persons" src:"MODEL.md reference-2019"`
	StaffStepMax    float64    `yaml:"staff_step_max" sym:"sigma_i ~ U[min,max]" unit:"persons" src:"MODEL.md reference-2019"`
	FixedHours      float64    `yaml:"fixed_hours" sym:"H0" unit:"hours/yr" src:"MODEL.md reference-2019"`
	HoursPerPerson  float64    `yaml:"hours_per_person" sym:"h" unit:"hours/person/yr" src:"MODEL.md reference-2019"`
	HoursGrowth     float64    `yaml:"hours_growth" sym:"tau_h" unit:"1/yr" src:"MODEL.md; scenarios use 0.01-0.02"`
	RefHours        float64    `yaml:"ref_hours" sym:"Href" unit:"hours/yr" src:"MODEL.md reference-2019"`
	Gamma           float64    `yaml:"gamma" sym:"gamma" unit:"-" src:"MODEL.md reference-2019 (convex disutility)"`
	LeisureMale     float64    `yaml:"leisure_median_male" sym:"w_i median (men)" unit:"NOK/hour" money:"1" src:"MODEL.md reference-2019"`
	LeisureFemale   float64    `yaml:"leisure_median_female" sym:"w_i median (women)" unit:"NOK/hour" money:"1" src:"MODEL.md reference-2019"`
	LeisureSigma    float64    `yaml:"leisure_sigma" sym:"w_i log-sd" unit:"-" src:"MODEL.md reference-2019"`
	Eta             float64    `yaml:"eta" sym:"eta" unit:"-" src:"MODEL.md reference-2019 (income effect)"`
	RefIncome       float64    `yaml:"ref_income" sym:"Nbar" unit:"NOK/yr" money:"1" src:"MODEL.md reference-2019"`
	LossMedian      float64    `yaml:"loss_aversion_median" sym:"lambda_i - 1 median" unit:"-" src:"Holte et al., Health Economics 2016 (median lambda about 3)"`
	LossSigma       float64    `yaml:"loss_aversion_sigma" sym:"lambda_i - 1 log-sd" unit:"-" src:"MODEL.md reference-2019"`
	Rho             float64    `yaml:"rho" sym:"rho" unit:"-" src:"MODEL.md reference-2019 (reference income adaptation)"`
	CeilingMin      float64    `yaml:"ceiling_min" sym:"Cmin" unit:"persons" src:"MODEL.md reference-2019"`
	CeilingStep     float64    `yaml:"ceiling_step" sym:"dC" unit:"persons" src:"MODEL.md reference-2019"`
	CeilingMax      float64    `yaml:"ceiling_max" sym:"Cmax" unit:"persons" src:"MODEL.md; 2,500 is the legal maximum (data README)"`
	ApproveHi       float64    `yaml:"approve_hi" sym:"pi_hi" unit:"probability" src:"MODEL.md reference-2019"`
	ApproveLo       float64    `yaml:"approve_lo" sym:"pi_lo" unit:"probability" src:"MODEL.md reference-2019"`
	RetireAge50     float64    `yaml:"retire_a50" sym:"a50" unit:"years" src:"MODEL.md reference-2019"`
	RetireScale     float64    `yaml:"retire_scale" sym:"s_a" unit:"years" src:"MODEL.md reference-2019"`
	Q0              float64    `yaml:"q0" sym:"q0" unit:"1/yr" src:"MODEL.md reference-2019"`
	BetaH           float64    `yaml:"beta_h" sym:"beta_H" unit:"-" src:"MODEL.md reference-2019"`
	BetaY           float64    `yaml:"beta_y" sym:"beta_Y" unit:"-" src:"MODEL.md reference-2019"`
	Alpha0          float64    `yaml:"alpha0" sym:"alpha0" unit:"logit" src:"MODEL.md reference-2019"`
	AlphaY          float64    `yaml:"alpha_y" sym:"alphaY" unit:"logit" src:"MODEL.md reference-2019"`
	AlphaC          float64    `yaml:"alpha_c" sym:"alphaC" unit:"logit/class" src:"MODEL.md reference-2019"`
	OutsideIncome   float64    `yaml:"outside_income" sym:"Yout" unit:"NOK/yr" money:"1" src:"MODEL.md reference-2019 (hospital net income)"`
	PFemale         float64    `yaml:"p_female" sym:"pF" unit:"probability" src:"MODEL.md reference-2019"`
	EntrantAgeMean  float64    `yaml:"entrant_age_mean" sym:"-" unit:"years" src:"MODEL.md step 6: Normal(36, 4)"`
	EntrantAgeSD    float64    `yaml:"entrant_age_sd" sym:"-" unit:"years" src:"MODEL.md step 6: Normal(36, 4)"`
	EntrantAgeMin   float64    `yaml:"entrant_age_min" sym:"-" unit:"years" src:"MODEL.md step 6: clipped to [28, 60]"`
	EntrantAgeMax   float64    `yaml:"entrant_age_max" sym:"-" unit:"years" src:"MODEL.md step 6: clipped to [28, 60]"`
	Chi             float64    `yaml:"chi" sym:"chi" unit:"1/yr" src:"MODEL.md reference-2019 (list churn)"`
	Psi             float64    `yaml:"psi" sym:"psi" unit:"1/yr" src:"MODEL.md reference-2019"`
	Kappa           float64    `yaml:"kappa" sym:"kappa" unit:"-" src:"MODEL.md; municipalities aim above 100 % (DOMAIN.md)"`
	PlanCeiling     float64    `yaml:"plan_ceiling" sym:"Cbar" unit:"persons" src:"MODEL.md reference-2019"`
	NewSlotShare    float64    `yaml:"new_slot_share" sym:"-" unit:"1/yr" src:"MODEL.md step 5: at most max(1, ceil(0.05 slots)) new slots a year"`
	Growth          float64    `yaml:"growth" sym:"g_m" unit:"1/yr" src:"MODEL.md reference-2019; used where the world gives none"`
	ExtraHours      [6]float64 `yaml:"extra_hours" sym:"E_m by centrality 1..6" unit:"hours/yr" src:"MODEL.md reference-2019; used where the world gives none"`
	MinGPsSmall     float64    `yaml:"min_gps_small" sym:"n_min (P < threshold)" unit:"GPs" src:"MODEL.md reference-2019"`
	MinGPsOther     float64    `yaml:"min_gps_other" sym:"n_min (P >= threshold)" unit:"GPs" src:"MODEL.md reference-2019"`
	MinGPsThreshold float64    `yaml:"min_gps_threshold" sym:"-" unit:"persons" src:"MODEL.md reference-2019"`
	StaffRedraws    int        `yaml:"staff_redraws" sym:"-" unit:"draws" src:"MODEL.md starting state: up to 100 draws of sigma_i"`

	// Model v2 (docs/model.md); unused by the reference rules.
	BetaSize         float64 `yaml:"beta_size" sym:"beta_P" unit:"-" src:"docs/model.md v2 exits: p_quit scales with (P_m/10,000)^-beta_P; agreement durations by municipality size (Abelsen et al. 2015)"`
	ConvertRate      float64 `yaml:"convert_rate" sym:"kappa_S" unit:"1/yr" src:"docs/model.md v2 municipal response: yearly probability that a slot vacant a whole year is offered as a salaried contract"`
	EntryHorizon     float64 `yaml:"entry_horizon" sym:"H_e" unit:"years" src:"docs/model.md v2 recruitment: years of seeker inflow a candidate counts on"`
	AppealSD         float64 `yaml:"appeal_sd" sym:"sd_u" unit:"logit" src:"docs/model.md v2 recruitment: sd of a slot's persistent appeal in the entry logit (vacancies persist: 46 of 126 lists without a GP at the end of 2019 had been so for over a year)"`
	AlphaTrend       float64 `yaml:"alpha_trend" sym:"alpha_t" unit:"logit/yr" src:"docs/model.md v2 recruitment: yearly change of the entry logit over calendar years alpha_trend_from..alpha_trend_to (lists without a GP were about 50 until 2015, 100 in 2018 and 126 in 2019; HDIR)"`
	TrendFrom        int     `yaml:"alpha_trend_from" sym:"Y0" unit:"year" src:"docs/model.md v2 recruitment: the trend's reference year (shift 0): 2015, the last year lists without a GP were at about 50 (HDIR_FLSTAT_WEB)"`
	TrendTo          int     `yaml:"alpha_trend_to" sym:"Y1" unit:"year" src:"docs/model.md v2 recruitment: the last year of the first segment, the end of the 2011-2019 targets"`
	AlphaTrendLate   float64 `yaml:"alpha_trend_late" sym:"alpha_t2" unit:"logit/yr" src:"docs/model.md v2 recruitment: yearly change of the entry logit over alpha_trend_to..alpha_trend_late_to, set so that the 2025 register's lists without a GP are the model's level (no yearly targets after 2019)"`
	TrendLateTo      int     `yaml:"alpha_trend_late_to" sym:"Y2" unit:"year" src:"docs/model.md v2 recruitment: the last year the trend moves, the 2025 register; later years keep its shift (a stated assumption for projections)"`
	AlphaCTrendLate  float64 `yaml:"alpha_c_trend_late" sym:"alpha_c2" unit:"logit/class/yr" src:"docs/model.md v2 recruitment: yearly change of the entry logit's centrality slope over alpha_trend_to..alpha_trend_late_to (the term is -(alpha_c + alpha_c2 x years)(c - 1)), set so that the 2025 register's persons on lists without a GP are the model's level (51 of its 196 lists without a GP are in centrality classes 2-3)"`
	LeisureTrendLate float64 `yaml:"leisure_trend_late" sym:"omega_t2" unit:"log/yr" src:"docs/model.md v2 recruitment: yearly change of the log leisure value of the GPs who enter, over alpha_trend_to..alpha_trend_late_to, set from the starting draws so that candidates from 2025 on draw like the 2025 GPs (whose ceilings imply log leisure values 0.270 above the distribution's median)"`
	Transit          float64 `yaml:"vacancy_transit" sym:"tau_v" unit:"1" src:"docs/model.md v2 recruitment: share of the slots vacated in a year whose successor has not started by the year's end (no entry draw that year); the register's lists vacant under a year (80 of 126 in 2019)"`
	MuniSD           float64 `yaml:"muni_sd" sym:"tau_m" unit:"logit" src:"docs/model.md v2 recruitment: sd of a municipality's persistent recruitment conditions, inferred from its lists without a GP in the starting state (0: none)"`
	StartAgeMean     float64 `yaml:"start_age_mean" sym:"mu_a" unit:"years" src:"docs/model.md v2 starting ages: mean of the normal before survival weighting (mean age 47.5 in 2018, SSB)"`
	StartAgeSD       float64 `yaml:"start_age_sd" sym:"sd_a" unit:"years" src:"docs/model.md v2 starting ages: sd of the normal before survival weighting (24 % over 60 in 2017)"`

	// List composition by sex x age band (MODEL.md "Extensions"). Arrays are
	// per cell in demog order: women 0-5, 6-15, 16-29, 30-49, 50-66, 67-79,
	// 80-89, 90+, then men in the same bands.
	Demography   int         `yaml:"demography" sym:"-" unit:"0/1" src:"MODEL.md Extensions: 1 tracks list composition by sex and age where the world has a population composition; 0 is the reference model"`
	BirthShare   float64     `yaml:"birth_share" sym:"-" unit:"share" src:"SSB 2024: 54,013 births of about 82,000 newcomers (growth 0.7 % + 43,816 deaths)"`
	BirthMale    float64     `yaml:"birth_male" sym:"-" unit:"share" src:"SSB births by sex: about 51.3 % boys"`
	Weights      [16]float64 `yaml:"cap_weights" sym:"-" unit:"-" src:"approximation of the 2023 age-sex capitation index (about 0.14 girls 0-5 to 2.5 men 90+); normalised to population mean 1"`
	FeeFactors   [16]float64 `yaml:"fee_factors" sym:"-" unit:"-" src:"fee income per person relative to f; default the weights' profile; normalised to population mean 1"`
	HoursFactors [16]float64 `yaml:"hours_factors" sym:"-" unit:"-" src:"hours per person relative to h; default the weights' profile; normalised to population mean 1"`
	DeathProb    [16]float64 `yaml:"death_prob" sym:"-" unit:"1/yr" src:"approximation of SSB life tables 2023 (table 05381) averaged over each band; 43,200 deaths a year on the 2025 population (2024: 43,816)"`
}

// Model names a rule set of the yearly step.
type Model string

// The rule sets.
const (
	// ModelV2 is the default model of docs/model.md: switching only into
	// free places, assignment of persons who need a GP, recruitment that
	// looks ahead, municipal conversion to salaried contracts, exits by
	// municipality size, starting ages consistent with the exit hazards and
	// observed population paths.
	ModelV2 Model = "v2"
	// ModelV1 is the reference model of MODEL.md v1, kept selectable so
	// results can be cross-checked against its independent implementation.
	ModelV1 Model = "reference-v1"
)

// V1 reports whether p selects the reference rules.
func (p *Params) V1() bool { return p.Model == ModelV1 }

// defaultWeights is the capitation weight profile by cell before
// normalisation: women 0-5 ... 90+, men 0-5 ... 90+. Its mean over the 2025
// population is 0.997, so normalised it runs from 0.14 (girls 0-5) to 2.51
// (men 90+).
var defaultWeights = [16]float64{
	0.14, 0.35, 0.90, 1.10, 1.25, 1.65, 2.15, 2.35,
	0.16, 0.33, 0.55, 0.80, 1.15, 1.75, 2.30, 2.50,
}

// Reference2019 returns the reference model's rules (ModelV1) with the
// reference-2019 parameters of MODEL.md v1, bit for bit what the
// independent implementation of v1 is checked against.
func Reference2019() Params {
	return Params{
		Model:  ModelV1,
		EqRate: 499, EqMaxPopulation: 5000, EqRefList: 1200,
		Salary: 1_100_000, Fee: 1400, FixedCost: 500_000, CostPerPerson: 100,
		StaffCost: 150_000, StaffStepMin: 800, StaffStepMax: 1400,
		FixedHours: 400, HoursPerPerson: 1.9, HoursGrowth: 0, RefHours: 2300, Gamma: 2,
		LeisureMale: 740, LeisureFemale: 890, LeisureSigma: 0.30,
		Eta: 0.3, RefIncome: 1_100_000,
		LossMedian: 2.0, LossSigma: 0.4, Rho: 0.5,
		CeilingMin: 300, CeilingStep: 50, CeilingMax: 2500,
		ApproveHi: 0.9, ApproveLo: 0.3,
		RetireAge50: 68, RetireScale: 2,
		Q0: 0.02, BetaH: 1.5, BetaY: 1.0,
		Alpha0: 0.5, AlphaY: 3.0, AlphaC: 0.35, OutsideIncome: 1_000_000,
		PFemale: 0.6, EntrantAgeMean: 36, EntrantAgeSD: 4, EntrantAgeMin: 28, EntrantAgeMax: 60,
		Chi: 0.05, Psi: 0.5, Kappa: 1.02, PlanCeiling: 1100, NewSlotShare: 0.05,
		Growth: 0.007, ExtraHours: [6]float64{300, 300, 300, 450, 600, 600},
		MinGPsSmall: 2, MinGPsOther: 1, MinGPsThreshold: 5000,
		StaffRedraws: 100,
		Demography:   1, BirthShare: 0.65, BirthMale: 0.513,
		Weights: defaultWeights, FeeFactors: defaultWeights, HoursFactors: defaultWeights,
		DeathProb: [16]float64{
			0.0003, 0.00006, 0.00025, 0.0006, 0.0033, 0.014, 0.058, 0.21,
			0.0004, 0.00008, 0.0006, 0.0011, 0.005, 0.021, 0.075, 0.24,
		},
	}
}

// HandSetV2 returns the v2 rules (docs/model.md) with the reference-2019
// values for everything v2 does not change and values set by hand where
// it does: the start of the estimation that made Default, and the values
// of the parameters it holds fixed. params.List marks each value's source.
func HandSetV2() Params {
	p := Reference2019()
	p.Model = ModelV2
	p.Chi = 0.03        // yearly share of listed persons who want another GP
	p.Psi = 0.1         // orphan-list persons seeking a GP with a GP each year
	p.Alpha0 = 3.6      // logit of filling a slot at Nexp = Yout, centrality 1
	p.AlphaC = 0.35     // logit change per centrality class
	p.Q0 = 0.1          // other exits per year at P_m = 10,000, H = Href, N = Nbar
	p.BetaSize = 0.2    // elasticity of other exits in municipality size
	p.ConvertRate = 0.4 // conversion of long-vacant slots to salaried per year
	p.EntryHorizon = 3
	p.AppealSD = 2.0 // set by hand; see v2Sources
	p.TrendFrom, p.TrendTo, p.TrendLateTo = 2015, 2019, 2025
	p.EntrantAgeMean, p.EntrantAgeSD, p.EntrantAgeMin, p.EntrantAgeMax = 42, 9, 28, 66
	p.StartAgeMean, p.StartAgeSD = 50, 14
	p.RetireAge50, p.RetireScale = 70, 2.5
	p.PFemale = 0.5
	return p
}

// Default returns the default parameters: the v2 rules with the estimated
// set DefaultEstimates (docs/model.md "Estimation") on top of HandSetV2.
func Default() Params { return defaultEstimated().p }

// ForModel returns the default parameters of a rule set: Default for "" or
// "v2", Reference2019 for "reference-v1".
func ForModel(model string) (Params, error) {
	switch Model(model) {
	case "", ModelV2:
		return Default(), nil
	case ModelV1:
		return Reference2019(), nil
	}
	return Params{}, fmt.Errorf("model %q is not %s or %s", model, ModelV2, ModelV1)
}

// v2Sources replaces the source note of the values Default changes from
// reference-2019, so a listing of the v2 defaults says where each comes
// from.
var v2Sources = map[string]string{
	"chi":              "docs/model.md v2: share wanting another GP each year; set by hand, to be estimated from public targets",
	"psi":              "docs/model.md v2: set by hand so persons on lists without a GP stay near 550 a list (2018: 55,042 on 100 lists)",
	"alpha0":           "docs/model.md v2: set by hand with appeal_sd so lists without a GP are 100-126 in 2018-2019 from the 2011 lists",
	"appeal_sd":        "docs/model.md v2: set by hand with alpha0; vacancies persist (46 of 126 lists without a GP at the end of 2019 had been so for over a year)",
	"alpha_c":          "MODEL.md reference-2019 value; docs/model.md v2 (to be estimated)",
	"q0":               "docs/model.md v2: set by hand for slot turnover near 8-11 %/yr (agreement median 5.91 years, Abelsen et al. 2015)",
	"convert_rate":     "docs/model.md v2: set by hand (salaried share 12 % in 2011 lists' draw, 14 % in 2019)",
	"entrant_age_mean": "docs/model.md v2: entrants to a slot include GPs moving between lists, so older than new GPs",
	"entrant_age_sd":   "docs/model.md v2: entrants to a slot include GPs moving between lists",
	"entrant_age_max":  "docs/model.md v2: entrants to a slot include GPs moving between lists",
	"retire_a50":       "docs/model.md v2: set by hand; many GPs work past 67 (mean age 47.5 in 2018 with 24 % over 60 in 2017)",
	"retire_scale":     "docs/model.md v2: set by hand with retire_a50",
	"p_female":         "docs/model.md v2: set by hand so women are 44 % of GPs in 2019 from 36 % in the 2011 lists",
}

// Named returns a named parameter set: "default" (Default, the v2 rules
// with the estimated-2026 values), an embedded estimated set
// (EstimatedNames), "v2-hand-set" (HandSetV2) or "reference-2019"
// (Reference2019, the v1 rules).
func Named(name string) (Params, error) {
	switch name {
	case "", "default":
		return Default(), nil
	case "v2-hand-set":
		return HandSetV2(), nil
	case "reference-2019", string(ModelV1):
		return Reference2019(), nil
	}
	if p, _, err := EmbeddedEstimates(name); err == nil {
		return p, nil
	}
	return Params{}, fmt.Errorf("params: no parameter set %q (have default, %s, v2-hand-set, reference-2019)", name, strings.Join(EstimatedNames(), ", "))
}

// Scale returns p with every money amount (fields tagged money) multiplied
// by index, the world's money index relative to 2019 NOK (MODEL.md: 1.25 for
// norway-2025, 0.85 for norway-2011).
func (p Params) Scale(index float64) Params {
	v := reflect.ValueOf(&p).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("money") == "1" {
			f := v.Field(i)
			f.SetFloat(f.Float() * index)
		}
	}
	return p
}

// GridSize returns the number of ceilings on the grid Cmin, Cmin+dC, ..., Cmax.
func (p *Params) GridSize() int {
	return int(math.Floor((p.CeilingMax-p.CeilingMin)/p.CeilingStep+1e-9)) + 1
}

// Validate reports every problem at once, each naming its yaml key.
func (p *Params) Validate() error {
	var errs []error
	v := reflect.ValueOf(p).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		key := t.Field(i).Tag.Get("yaml")
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Float64:
			if x := f.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
				errs = append(errs, fmt.Errorf("%s: %v is not a finite number", key, x))
			}
		case reflect.Array:
			for j := 0; j < f.Len(); j++ {
				if x := f.Index(j).Float(); math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
					errs = append(errs, fmt.Errorf("%s[%d]: %v is not a finite number >= 0", key, j, x))
				}
			}
		}
	}
	pos := func(key string, x float64) {
		if !(x > 0) {
			errs = append(errs, fmt.Errorf("%s: %v must be > 0", key, x))
		}
	}
	nonneg := func(key string, x float64) {
		if !(x >= 0) {
			errs = append(errs, fmt.Errorf("%s: %v must be >= 0", key, x))
		}
	}
	prob := func(key string, x float64) {
		if !(x >= 0 && x <= 1) {
			errs = append(errs, fmt.Errorf("%s: %v is not a probability in [0, 1]", key, x))
		}
	}
	for _, c := range []struct {
		k string
		x float64
	}{{"eq_rate", p.EqRate}, {"salary", p.Salary}, {"fee_per_person", p.Fee}, {"fixed_cost", p.FixedCost},
		{"cost_per_person", p.CostPerPerson}, {"staff_cost", p.StaffCost}, {"fixed_hours", p.FixedHours},
		{"hours_per_person", p.HoursPerPerson}, {"gamma", p.Gamma}, {"leisure_sigma", p.LeisureSigma},
		{"eta", p.Eta}, {"loss_aversion_median", p.LossMedian}, {"loss_aversion_sigma", p.LossSigma},
		{"q0", p.Q0}, {"beta_h", p.BetaH}, {"beta_y", p.BetaY}, {"alpha_y", p.AlphaY}, {"alpha_c", p.AlphaC},
		{"entrant_age_sd", p.EntrantAgeSD}, {"kappa", p.Kappa}, {"new_slot_share", p.NewSlotShare},
		{"min_gps_small", p.MinGPsSmall}, {"min_gps_other", p.MinGPsOther}, {"min_gps_threshold", p.MinGPsThreshold},
		{"eq_max_population", p.EqMaxPopulation}, {"eq_ref_list", p.EqRefList}} {
		nonneg(c.k, c.x)
	}
	for _, c := range []struct {
		k string
		x float64
	}{{"staff_step_min", p.StaffStepMin}, {"ref_hours", p.RefHours}, {"leisure_median_male", p.LeisureMale},
		{"leisure_median_female", p.LeisureFemale}, {"ref_income", p.RefIncome}, {"ceiling_step", p.CeilingStep},
		{"retire_scale", p.RetireScale}, {"outside_income", p.OutsideIncome}, {"plan_ceiling", p.PlanCeiling},
		{"ceiling_min", p.CeilingMin}} {
		pos(c.k, c.x)
	}
	for _, c := range []struct {
		k string
		x float64
	}{{"approve_hi", p.ApproveHi}, {"approve_lo", p.ApproveLo}, {"p_female", p.PFemale},
		{"chi", p.Chi}, {"psi", p.Psi}, {"rho", p.Rho}, {"birth_share", p.BirthShare}, {"birth_male", p.BirthMale}} {
		prob(c.k, c.x)
	}
	if p.StaffStepMax < p.StaffStepMin {
		errs = append(errs, fmt.Errorf("staff_step_max: %v is below staff_step_min %v", p.StaffStepMax, p.StaffStepMin))
	}
	if p.CeilingMax < p.CeilingMin {
		errs = append(errs, fmt.Errorf("ceiling_max: %v is below ceiling_min %v", p.CeilingMax, p.CeilingMin))
	} else if p.CeilingStep > 0 && p.GridSize() > 100_000 {
		errs = append(errs, fmt.Errorf("ceiling_step: %v gives a grid of %d ceilings (at most 100,000)", p.CeilingStep, p.GridSize()))
	}
	if p.EntrantAgeMax < p.EntrantAgeMin {
		errs = append(errs, fmt.Errorf("entrant_age_max: %v is below entrant_age_min %v", p.EntrantAgeMax, p.EntrantAgeMin))
	}
	if p.HoursGrowth <= -1 {
		errs = append(errs, fmt.Errorf("hours_growth: %v must be > -1", p.HoursGrowth))
	}
	if p.Demography != 0 && p.Demography != 1 {
		errs = append(errs, fmt.Errorf("demography: %d must be 0 or 1", p.Demography))
	}
	for j, x := range p.DeathProb {
		if x > 1 {
			errs = append(errs, fmt.Errorf("death_prob[%d]: %v is not a probability", j, x))
		}
	}
	for _, c := range []struct {
		k string
		x [16]float64
	}{{"cap_weights", p.Weights}, {"fee_factors", p.FeeFactors}, {"hours_factors", p.HoursFactors}} {
		var sum float64
		for _, x := range c.x {
			sum += x
		}
		if !(sum > 0) {
			errs = append(errs, fmt.Errorf("%s: all zero", c.k))
		}
	}
	if p.Model != ModelV1 && p.Model != ModelV2 {
		errs = append(errs, fmt.Errorf("model: %q is not %s or %s", p.Model, ModelV2, ModelV1))
	}
	if !(p.ConvertRate >= 0 && p.ConvertRate <= 1) {
		errs = append(errs, fmt.Errorf("convert_rate: %v is not a probability in [0, 1]", p.ConvertRate))
	}
	if !(p.AppealSD >= 0 && p.AppealSD <= 10) {
		errs = append(errs, fmt.Errorf("appeal_sd: %v not in [0, 10]", p.AppealSD))
	}
	if !(p.Transit >= 0 && p.Transit < 1) {
		errs = append(errs, fmt.Errorf("vacancy_transit: %v not in [0, 1)", p.Transit))
	}
	if !(p.MuniSD >= 0 && p.MuniSD <= 5) {
		errs = append(errs, fmt.Errorf("muni_sd: %v not in [0, 5]", p.MuniSD))
	}
	if !(math.Abs(p.AlphaTrend) <= 2) {
		errs = append(errs, fmt.Errorf("alpha_trend: %v not in [-2, 2] logit a year", p.AlphaTrend))
	}
	if !(math.Abs(p.AlphaTrendLate) <= 2) {
		errs = append(errs, fmt.Errorf("alpha_trend_late: %v not in [-2, 2] logit a year", p.AlphaTrendLate))
	}
	if p.TrendTo < p.TrendFrom {
		errs = append(errs, fmt.Errorf("alpha_trend_to: %d before alpha_trend_from %d", p.TrendTo, p.TrendFrom))
	}
	if !(math.Abs(p.LeisureTrendLate) <= 0.5) {
		errs = append(errs, fmt.Errorf("leisure_trend_late: %v not in [-0.5, 0.5] a year", p.LeisureTrendLate))
	}
	if !(math.Abs(p.AlphaCTrendLate) <= 0.5) {
		errs = append(errs, fmt.Errorf("alpha_c_trend_late: %v not in [-0.5, 0.5] logit a class a year", p.AlphaCTrendLate))
	}
	if (p.AlphaTrendLate != 0 || p.LeisureTrendLate != 0 || p.AlphaCTrendLate != 0) && p.TrendLateTo < p.TrendTo { // without a late slope the year is unused (older files)
		errs = append(errs, fmt.Errorf("alpha_trend_late_to: %d before alpha_trend_to %d", p.TrendLateTo, p.TrendTo))
	}
	if !(p.EntryHorizon >= 0 && p.EntryHorizon <= 50) {
		errs = append(errs, fmt.Errorf("entry_horizon: %v not in [0, 50] years", p.EntryHorizon))
	}
	if !(math.Abs(p.BetaSize) <= 5) {
		errs = append(errs, fmt.Errorf("beta_size: %v not in [-5, 5]", p.BetaSize))
	}
	if p.Model == ModelV2 && !(p.StartAgeSD > 0 && p.StartAgeMean >= 20 && p.StartAgeMean <= 80) {
		errs = append(errs, fmt.Errorf("start_age_mean/start_age_sd: %v/%v need a mean in [20, 80] and sd > 0", p.StartAgeMean, p.StartAgeSD))
	}
	if p.StaffRedraws < 1 {
		errs = append(errs, fmt.Errorf("staff_redraws: %d must be >= 1", p.StaffRedraws))
	}
	return errors.Join(errs...)
}

// Decode overrides p with the keys present in a YAML document. A `model`
// key that changes the rule set first replaces p by that rule set's
// defaults (Reference2019 for reference-v1, Default for v2), so a file
// with `model: reference-v1` alone runs the v1 reference model. Decoding is
// strict: an unknown key, a wrong type or a second document is an error
// naming the file (name) and line; the result is validated. An estimates
// file's `estimates:` section (see Estimates) is accepted and validated, and
// its top-level point estimates apply like any override.
func (p *Params) Decode(r io.Reader, name string) error {
	_, err := p.decode(r, name)
	return err
}

// decode is Decode that also returns the estimates section, if any.
func (p *Params) decode(r io.Reader, name string) (*Estimates, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	doc := fileDoc{Params: *p}
	if len(bytes.TrimSpace(data)) > 0 {
		// The model key selects the rule set's defaults under the file's
		// other keys (a v1 file on the v2 defaults gets reference-2019).
		var sel struct {
			Model Model `yaml:"model"`
		}
		if yaml.Unmarshal(data, &sel) == nil && sel.Model != "" && sel.Model != p.Model {
			switch sel.Model {
			case ModelV1:
				doc.Params = Reference2019()
			case ModelV2:
				doc.Params = Default() // p is v1 here: no recursion from Default's own file
			}
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
		}
		var extra any
		if err := dec.Decode(&extra); err != io.EOF {
			return nil, fmt.Errorf("%s: more than one YAML document", name)
		}
	}
	q := doc.Params
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if doc.Estimates != nil {
		if err := doc.Estimates.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	*p = q
	return doc.Estimates, nil
}

// Load reads overrides from a YAML file on top of p (see Decode).
func (p *Params) Load(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return p.Decode(f, path)
}

// Entry describes one parameter for listings.
type Entry struct {
	Key, Symbol, Unit, Source string
	Value                     any
	Money                     bool // scaled by the world's money index
}

// List returns every parameter with its current value, in declaration order.
func (p *Params) List() []Entry {
	v := reflect.ValueOf(p).Elem()
	t := v.Type()
	out := make([]Entry, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		src := f.Tag.Get("src")
		if s, ok := v2Sources[f.Tag.Get("yaml")]; ok && !p.V1() {
			src = s
		}
		out = append(out, Entry{
			Key: f.Tag.Get("yaml"), Symbol: f.Tag.Get("sym"), Unit: f.Tag.Get("unit"),
			Source: src, Value: v.Field(i).Interface(), Money: f.Tag.Get("money") == "1",
		})
	}
	return out
}

// Set sets the parameter with the given yaml key to v (a design factor or a
// draw), after which the parameters are validated. Array parameters are
// addressed as key[i], e.g. extra_hours[3]; integers are rounded.
func (p *Params) Set(key string, v float64) error {
	name, idx := key, -1
	if i := strings.IndexByte(key, '['); i > 0 && strings.HasSuffix(key, "]") {
		n, err := strconv.Atoi(key[i+1 : len(key)-1])
		if err != nil {
			return fmt.Errorf("%s: bad index", key)
		}
		name, idx = key[:i], n
	}
	q := *p
	rv := reflect.ValueOf(&q).Elem()
	t := rv.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("yaml") != name {
			continue
		}
		f := rv.Field(i)
		switch {
		case f.Kind() == reflect.Float64 && idx < 0:
			f.SetFloat(v)
		case f.Kind() == reflect.Int && idx < 0:
			f.SetInt(int64(math.Round(v)))
		case f.Kind() == reflect.Array && idx >= 0 && idx < f.Len():
			f.Index(idx).SetFloat(v)
		default:
			return fmt.Errorf("%s: not a settable number (arrays need an index such as %s[0])", key, name)
		}
		if err := q.Validate(); err != nil {
			return err
		}
		*p = q
		return nil
	}
	return fmt.Errorf("%s: unknown parameter", key)
}

// FormatValue formats a parameter value (a number, or an array of numbers
// as a YAML flow sequence) with strconv's format verb: 'g' gives back the
// exact value when decoded (files), 'f' avoids exponents (listings).
func FormatValue(v any, verb byte) string {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Float64:
		return strconv.FormatFloat(rv.Float(), verb, -1, 64)
	case reflect.Array:
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = FormatValue(rv.Index(i).Interface(), verb)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}

// WriteYAML writes the parameters that keep selects (all when nil) as
// top-level YAML keys with exact values, one per line, in declaration
// order: a file Decode and Load read back.
func (p *Params) WriteYAML(w io.Writer, keep func(Entry) bool) error {
	for _, e := range p.List() {
		if keep != nil && !keep(e) {
			continue
		}
		if _, err := fmt.Fprintf(w, "%s: %s\n", e.Key, FormatValue(e.Value, 'g')); err != nil {
			return err
		}
	}
	return nil
}
