// Command listetak projects Norway's regular-GP scheme (fastlegeordningen)
// year by year with an agent-based Monte Carlo model: GP capacity, residents
// without a GP, incomes, exits and recruitment, with uncertainty bands.
//
// Usage:
//
//	listetak run [flags]
//	listetak params [-params FILE]
//	listetak scenarios
//	listetak world -export NAME DIR
//	listetak world -list
//	listetak version
//
// # run
//
// Runs the reference model (MODEL.md) on a world and writes three files to
// the output folder: replications.csv (scenario,replication,year,metric,value
// for every replication), summary.csv (scenario,year,metric,mean,sd,q05,q25,
// q50,q75,q95 over replications) and manifest.json (version, git describe,
// command line, seed, world, parameters, wall time). Year 0 is the starting
// state. It prints a short table (median and 90 % band over replications)
// and shows a progress bar on standard error when that is a terminal.
//
//	-world NAME|DIR   an embedded world (norway-2025, the default, or
//	                  norway-2011) or a world folder (municipalities.csv,
//	                  slots.csv, optional world.yaml)
//	-scenario A,B,C   built-in scenarios to run (baseline); all share their
//	                  random draws (common random numbers), and summary.csv
//	                  gets paired differences to the first as extra rows with
//	                  scenario "B-minus-A"
//	-rebase BOOL      re-base built-in scenarios' rates by the world's
//	                  baseline capitation per listed person over the rate of
//	                  the scenario's money year (true); -rebase=false uses the
//	                  literal rates
//	-dist-years LIST  with several scenarios: years of the dynamic
//	                  distribution tables (1,5,10); distribution.csv then
//	                  compares the same GPs (grouped by year-0 sex,
//	                  specialist status, age, list length and centrality)
//	                  across scenarios: mean change in gross and net income,
//	                  shares gaining or losing more than 5 % of gross income,
//	                  and the share that left, static (year-1 rules on the
//	                  starting lists) and dynamic
//	-years N          simulated years after year 0 (20)
//	-reps N           Monte Carlo replications (200)
//	-seed N           master seed (1); results depend only on it, never on
//	                  the number of workers
//	-workers N        parallel workers (number of CPUs)
//	-out DIR          output folder (runs/<timestamp>); it must not exist or
//	                  be empty; nothing is written when the run fails
//	-params FILE      YAML overriding reference parameters (strict: an unknown
//	                  key is an error); money in 2019 NOK, scaled by the
//	                  world's money index
//	-progress MODE    auto (a bar when standard error is a terminal), always
//	                  or never
//
// # params
//
// Prints every parameter with its default, unit, MODEL.md symbol and source.
// With -params FILE it prints the values after the overrides.
//
//	-params FILE      YAML overrides to apply before printing
//
// # scenarios
//
// Lists the built-in financing scenarios with a one-line description: the
// baseline, the 2019 report's breakpoint variants (1aix ... 1biiy, each also
// with +g500, a guarantee of 500), model3 (long-vacant slots become salaried)
// and the 2020 breakpoint reform as it ran.
//
// # world
//
// -export NAME DIR writes an embedded world as a world folder that can be
// edited and run back with run -world DIR. Every GP's leisure value, loss
// aversion, staff step and reference income are written as drawn for
// replication 0 under -seed, so a one-replication run of the folder
// reproduces the embedded world's run exactly. -list prints the embedded
// worlds and the adjustments their builders made.
//
//	-export NAME      the embedded world to export (followed by DIR)
//	-list             list embedded worlds
//	-seed N           master seed of the exported draws (1)
//	-params FILE      parameter overrides used for the exported draws
//
// # version
//
// Prints the version and git description.
//
// Exit status is 0 on success and 1 on any error; errors name the file, line
// and field at fault.
package main
