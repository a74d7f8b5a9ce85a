// Package calibrate owns the calibration of the model against register
// data or public national aggregates: reading and validating register
// panels (DATA.md section 2, CSV or Parquet, and the optional
// municipality_years.csv), simulating panels of the same shape from the
// model (the synthetic registers of `listetak synth-register`), the
// moments both are summarised into, targets files of published figures
// (see Targets below), and the simulated method of moments (SMM) estimator
// with its standard errors, identification report and estimates file. The
// estimator fits a Source: a register's moments (NewEstimator) or targets
// (NewTargetSource, NewEstimatorFor).
//
// Units: persons (lists, ceilings), NOK per year (incomes, in the world's
// money year; parameters in 2019 NOK), years (ages, register years).
//
// # Years
//
// A register year Y holds values at 31 December Y. The world a register is
// simulated from is the state of the register's first year Y0 (model year
// 0); model year t is register year Y0 + t. DATA.md maps register year Y to
// the model year that ends in June of Y+1: the model's record (end of the
// contract year) is half a year after the register's date, an
// approximation the register's yearly values force. A reform of register
// year R is in force from the contract year that starts on 1 July R (model
// year R - Y0). The exit flag of a row is 1 when the GP is absent the next
// year; in the panel's last year exits are unknown (censored) and count
// neither as exits nor as stays.
//
// # Moments
//
// Moments are computed only from register columns (no leisure values or
// loss aversion): see MomentDocs for each moment and the parameter it
// identifies. The level moments (ceilings, lists, full lists, incomes,
// entry) leave out the register's first year, which is the simulation's
// starting state and so carries no information on the parameters.
// Quantiles are smoothed (the mean within 5 percentage points of the
// quantile) because ceilings lie on a 50-person grid.
//
// # Estimator
//
// The criterion is (m_obs - m_sim)' W (m_obs - m_sim) - tr(W C)/S, m_sim
// the mean of the moments of S simulated panels with common random numbers
// (the same replications 0..S-1 of one seed in every evaluation), C their
// covariance over the S panels (the correction removes the small-S bias
// towards parameters whose moments vary less), W diagonal with the inverse
// variances of the moments (from independent simulated panels; optionally
// the efficient two-step W). The search runs on the transformed
// scale (log for positive parameters, logit for probabilities) mapped onto
// the unit box of the bounds: a Latin hypercube screening, then CMA-ES
// (gonum optimize.CmaEsChol, seeded; or Nelder-Mead), evaluations running
// concurrently. Results do not depend on the number of workers: every
// simulation draws from its replication's own streams, CMA-ES samples its
// population in a fixed order and updates once per generation, and the
// search stops only at generation boundaries.
//
// The search's best point sits in one of the small dips of a rugged
// criterion (agents are discrete, so even with common random numbers the
// criterion has steps), and the best of many evaluations is biased towards
// lucky dips. Gauss-Newton steps follow (Options.Polish): each moves to the
// minimum of the criterion with the moments linearised by the numerical
// Jacobian, whose differences span many dips, within a trust region; the
// estimate is the mean of the second half of their points (Polyak-Ruppert
// averaging). On the recovery tests they moved the weakly identified churn
// (chi) from dips far from the truth (0.112 for a true 0.06) to near it.
//
// Standard errors come from the SMM sandwich formula with the (1 + 1/S)
// factor and a central-difference Jacobian, optionally from a parametric
// bootstrap. The identification report (Identification) gives the rank
// and condition number of the standardised Jacobian and the moments each
// parameter moves, and flags parameters the moments do not respond to.
//
// # Targets
//
// A targets file (CSV, strict: ParseTargets) has the header
// moment,year,group,value,se, an optional rounding column (the figure's
// rounding unit where coarser than the moment's; SERule keeps at least half
// of it), optional source and note columns (kept, not used), one row per
// published figure: moment a name below, year the
// calendar year whose 31 December the value describes, group a group of
// the moment or "all", value the number in the moment's unit, se its
// standard error (> 0). Rows are checked against the world's year and the
// horizon (year - World.Year in 1..Years); a (moment, year, group) may
// appear once. The embedded norway-2011-2019 (calibrate/targets, sources in
// calibrate/targets/SOURCES.md) holds 30 figures of 2012-2019 for the
// world norway-2011 and 8 years; norway-2025-level holds the 2025
// register's lists without a GP, the persons on them and the world's mean
// ceiling minus mean list as the level of 2026-2030 for the world
// norway-2025 and 5 years (an assumption, for the late trend of entry).
//
// Years: calendar year Y is model year Y - World.Year, and a model year's
// record is taken as the state at 31 December. The norway-2011 world holds
// the lists of October 2011, taken as 31 December 2011: a two-month offset
// the yearly figures cannot resolve. (The register path maps years
// differently, to the model year ending in June; see Years above.)
//
// Moments and the sim metric each is simulated from, in model year t
// (looked up by name in sim.MetricNames when the source is built; a metric
// the model does not record is an error):
//
//	n_gps                                  gps (held slots; the register counts persons, ~0.5 % fewer than lists with a GP: 4,858 vs 4,884 in 2019)
//	n_lists_with_gp                        gps
//	n_lists_without_gp                     lists_without_gp (vacant slots with persons on them)
//	n_lists_without_gp_over_1y             lists_without_gp_over_1y (of them, those vacant at the previous year's end too)
//	listed_inhabitants_without_gp          orphans_on_vacant_lists
//	mean_list_length_lists_with_gp         mean_list
//	mean_listetak_minus_mean_list_length   mean_free_places
//	pct_salaried_of_lists_with_gp          100 x salaried_share
//	pct_gps_female                         100 x female_share
//	gps_per_10k_inhabitants                gps_per_10k; groups size_lt2k, size_2k_5k, size_5k_20k, size_20k_50k, size_ge50k: gps_per_10k_<group>
//	pct_gps_age_over_60                    100 x gps_share_age_60_plus
//	median_agreement_years                 ln(0.5) / ln(1 - h), h the mean of slot_turnover over model years 1..t (groups size_lt2k, size_ge50k: slot_turnover_<group>)
//
// The durations' observed values are Kaplan-Meier medians of agreements of
// 2001-2014 (Abelsen et al. 2015), placed at 2014; the simulated median is
// that of a constant yearly exit hazard equal to the mean turnover
// (exits / slots held at the start of the year). Any sim metric's own name
// is a moment too (group all, the metric's value in that year), so users'
// targets can fit any recorded output.
//
// Standard errors: published aggregates have none, and SERule supplies
// them: max(half the rounding unit (the row's own where it has one), Rel x |value|) for counts, means and
// ratios (Rel 0.02), SharePoints (1 percentage point) for shares,
// DurationRel x value (0.10) for the durations. The shipped file's se
// column is the default rule; `listetak calibrate -target-rel-se` (and
// -target-pp-se, -target-duration-rel-se) recomputes every se by the rule,
// -target-se-scale multiplies them, so the sensitivity of the estimates to
// the rule is a rerun.
//
// Estimation with targets: each replication's simulated row comes from
// that replication's records and the estimator averages S replications as
// for a register. The observed figures are, under the model, one
// realisation of the process plus a measurement error of variance se^2, so
// the weights are 1/(se^2 + V), V the variance of one simulated
// replication (the same floor as for a register), the fit's standard error
// of observed - simulated is sqrt(se^2 + (1 + 1/S) V), and the sandwich's
// Omega is diag(se^2) + (1 + 1/S) times the simulation covariance. (With
// the national figures V is small against se^2; on a county-sized world, or
// for synthetic targets that are themselves one replication, it is not, and
// leaving it out understates the standard errors.) Every target is fitted
// (no small-cell suppression); a parametric bootstrap adds a normal
// measurement error of variance se^2 to each simulated target set.
//
// # Personal data
//
// A register is personal data: no function prints or writes a register
// record, error messages name file, line or row and column but never a
// cell's value or a gp_id, and moments from cells of fewer than MinCell
// GPs (default 5, never below 3) are neither fitted nor written (fit.csv
// leaves their values empty).
package calibrate
