// Package experiments turns what users ask for (named scenarios, flags, and
// later experiment files) into resolved plans the engine runs.
//
// This file set holds the catalogue of built-in financing scenarios: the
// 2019 working-group report's breakpoint variants (model 1), with and
// without a guarantee, and the breakpoint reform that really ran from 2020.
// Each built-in carries the money year it was defined in and that year's
// flat reference rate; run on a world whose baseline capitation per listed
// person differs, its rates (and budget additions) are re-based by the ratio
// of the two.
//
// Units: NOK per listed person per year for rates, NOK per year for budgets,
// persons for breakpoints and guarantees, years for timing.
package experiments
