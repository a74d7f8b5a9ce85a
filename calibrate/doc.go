// Package calibrate owns the calibration of the model against register
// data: reading and validating register panels (DATA.md section 2, CSV or
// Parquet, and the optional municipality_years.csv), simulating panels of
// the same shape from the model (the synthetic registers of `listetak
// synth-register`), the moments both are summarised into, and the
// simulated method of moments (SMM) estimator with its standard errors,
// identification report and estimates file.
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
// # Personal data
//
// A register is personal data: no function prints or writes a register
// record, error messages name file, line or row and column but never a
// cell's value or a gp_id, and moments from cells of fewer than MinCell
// GPs (default 5, never below 3) are neither fitted nor written (fit.csv
// leaves their values empty).
package calibrate
