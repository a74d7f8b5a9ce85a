// Package design owns experimental designs over named parameters with
// ranges, and the global sensitivity indices computed from a design's
// outputs.
//
// A Factor names one model parameter and the range [Min, Max] it is varied
// over, on a linear or a logarithmic scale. A Design is an ordered list of
// Points (one value per factor, in factor order) together with the
// metadata its kind needs for analysis:
//
//   - Grid: full factorial over Levels evenly spaced values per factor.
//   - LHS: Latin hypercube of n points, one per stratum per factor.
//   - Sobol: Saltelli (2010) radial/cross design of N(D+2) points, or
//     N(2D+2) with second-order blocks, analysed by SobolIndices into
//     first-order (Saltelli 2010), total (Jansen 1999) and optional
//     second-order (Saltelli 2002) indices with percentile-bootstrap
//     confidence intervals.
//   - Morris: r elementary-effects trajectories of D+1 points on a p-level
//     grid (Morris 1991), analysed by MorrisIndices into mu, mu* (Campolongo
//     et al. 2007) and sigma.
//
// Every design also keeps its points' unit-cube coordinates (Design.Unit):
// u in [0, 1] maps to Min + u(Max-Min), or for a Log factor to
// exp(ln Min + u(ln Max - ln Min)).
//
// Randomness is always explicit: every random constructor takes a
// *rand.Rand (math/rand/v2), so a design is reproducible from its seed.
//
// Units: factor values are in the units of the parameters they name; the
// model output y is in whatever unit the caller measures. Sobol indices are
// dimensionless fractions of the output variance. Morris elementary effects
// (and so mu, mu*, sigma) are in output units per unit-cube step, i.e. the
// change in y when a factor moves across its whole range (its whole log
// range for a Log factor), estimated from steps of delta.
package design
