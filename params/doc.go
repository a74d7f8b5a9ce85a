// Package params owns the behavioural and institutional parameters of the
// model: their defaults, units, sources, validation, strict YAML overrides
// and the scaling of money amounts to a world's money year.
//
// The parameter sets (Named):
//
//   - Default: model v2 (docs/model.md) with the estimated set
//     estimated-2026, estimated by listetak calibrate -targets from the
//     public 2012-2019 figures, its late entry trend (level and
//     centrality slope) in a second stage from the 2025 register's level
//     and its entrants' leisure trend from the 2025 GPs' starting draws
//     (docs/model.md "Estimation"; the search's start is
//     params/start-2026.yaml), embedded in params/estimated with its
//     standard errors and covariance
//     (DefaultEstimatesSection; experiments draw from it with
//     uncertainty_from: estimated-2026);
//   - estimated-2026-to2018: the first stage on the targets up to 2018, for
//     the hindcast's out-of-sample year;
//   - HandSetV2 ("v2-hand-set"): the hand-set v2 values the estimation
//     started from, and the values of the parameters it holds fixed
//     (FixedReason says why each is fixed);
//   - Reference2019 ("reference-2019"): the v1 reference rules and values,
//     for cross-checks with the independent implementation of v1.
//
// Units: money in NOK per year (2019 NOK unless scaled with Scale), leisure
// values in NOK per hour, lists and ceilings in persons, hours in hours per
// year, rates and probabilities per year.
package params
