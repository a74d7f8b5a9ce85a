// Package experiments turns what users ask for (experiment files, named
// scenarios, flags) into resolved plans the engine runs: the strict YAML
// experiment format (file.go), parameter uncertainty per replication, the
// designs over parameters (package design), the budget solver (solve.go)
// and the catalogue of built-in financing scenarios (scenarios.go): the
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
