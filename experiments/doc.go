// Package experiments turns what users ask for (experiment files, named
// scenarios, flags) into resolved plans the engine runs: the strict YAML
// experiment format (file.go), parameter uncertainty per replication, the
// designs over parameters (package design), the budget solver (solve.go)
// and the catalogue of built-in financing scenarios (scenarios.go): the
// 2019 working-group report's breakpoint variants (model 1), with and
// without a guarantee, and the breakpoint reform that really ran from 2020.
// A scenario is defined as its source defines it and resolved on the world
// it runs on (Resolve): each phase's rates are converted from its own money
// year to the world's money by the money index (finance.MoneyIndex; off
// with -rebase=false, which uses the literal rates), and a budget ("total
// unchanged", "+ NOK 1 billion", "capitation share about 50 %") is solved
// on the world's starting lists with the static solver. Resolved.Record is
// every factor applied, for the manifest.
//
// Units: NOK per listed person per year for rates, NOK per year for budgets,
// persons for breakpoints and guarantees, years for timing.
package experiments
