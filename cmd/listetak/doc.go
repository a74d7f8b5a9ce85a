// Command listetak projects Norway's regular-GP scheme (fastlegeordningen)
// year by year with an agent-based Monte Carlo model: GP capacity, residents
// without a GP, incomes, exits and recruitment, with uncertainty bands.
//
// Usage:
//
//	listetak run [flags]
//	listetak params [-params FILE]
//	listetak run FILE [-out DIR] [-workers N] [-progress MODE]
//	listetak merge DIR
//	listetak slurm FILE -shards N -out DIR [flags]
//	listetak check FILE
//	listetak scenarios
//	listetak solve [flags]
//	listetak world -export NAME DIR
//	listetak world -list
//	listetak synth-register -world NAME|DIR -out DIR [flags]
//	listetak calibrate -register FILE -world NAME|DIR -params-free a,b,c -out DIR [flags]
//	listetak calibrate -targets NAME|FILE -world NAME|DIR -params-free a,b,c -out DIR [flags]
//	listetak hindcast -out DIR [flags]
//	listetak plot RUN_DIR [flags]
//	listetak report RUN_DIR [-municipality CODE|NAME] [flags]
//	listetak show RUN_DIR -municipality CODE|NAME [flags]
//	listetak version
//
// # run
//
// Runs the model (v2 by default, docs/model.md; -model reference-v1 for the
// v1 reference model) on a world and writes to the output
// folder: replications.csv (scenario,design_point,replication,year,metric,
// value for every replication), the same rows as replications.parquet,
// summary.csv (scenario,design_point,year,metric,mean,sd,q05,q25,q50,q75,q95,
// n,se over replications: n the replications where the metric is defined,
// se the Monte Carlo standard error of the mean, sd/sqrt(n); plus paired
// "B-minus-A" rows with several scenarios),
// distribution.csv (with several scenarios), the per-area results
// (municipalities.parquet, counties.csv and groups.csv; see -municipal),
// manifest.json (version, git
// describe, command line, seed, world, parameters, the digests of the
// world, parameters and estimates as read, wall time) and units/
// (each finished replication, for -resume and merge). Year 0 is the starting
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
//	-rebase BOOL      convert scenarios' rates (and budget additions) from
//	                  their money year, phase by phase, to the world's money
//	                  by the money index (docs/money.md) (true);
//	                  -rebase=false uses the literal rates as the world's
//	                  money (budget solves still hold); the manifest records
//	                  every factor applied
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
//	-out DIR          output folder (runs/<timestamp>, or <timestamp>-2, ...
//	                  when a run of the same second has it); it must not
//	                  exist or be empty, and a second writer into a folder
//	                  being written is refused (the writer's lock,
//	                  .listetak.lock); nothing is written when the run fails.
//	                  Refused before anything is written: yearly records
//	                  over 8 GiB in memory (about 390,000 replications of
//	                  20 years and one scenario, about 18,000 with the
//	                  municipal records of norway-2025; shard larger
//	                  experiments),
//	                  more than 200 years, a world growth outside [-0.5,
//	                  0.5] a year, and growth that would take a
//	                  municipality past 100 million persons
//	-model NAME       rule set: v2 (the default, docs/model.md) or reference-v1
//	                  (the v1 reference model with the reference-2019 parameters);
//	                  a params file's model key overrides it
//	-params FILE      YAML overriding reference parameters (strict: an unknown
//	                  key is an error); money in 2019 NOK, scaled by the
//	                  world's money index
//	-shard i/n        with an experiment file: run only the units (one
//	                  replication of one design point, every scenario; run
//	                  id = design_point*replications + replication) whose
//	                  run id modulo n is i, into the shared folder -out;
//	                  listetak merge then writes the results
//	-resume           skip the units already complete in -out (each
//	                  finished unit is written at once to -out/units, so an
//	                  interrupted run loses only the units in flight) and
//	                  write the results. With an experiment file, its copy
//	                  in -out/experiment.json must match; a run from flags
//	                  resumes with the same flags, checked against
//	                  -out/flags.json (settings and the digests of world
//	                  and parameters), and a difference is refused naming
//	                  it. A run from flags keeps its units only when
//	                  interrupted; any other failure removes its folder
//	-progress MODE    auto (a bar when standard error is a terminal), always
//	                  or never
//	-trace LIST       replications to trace GP by GP (e.g. 0,1), every
//	                  scenario of design point 0: trace/SCENARIO/rep-N.csv in
//	                  the register panel's columns (calibrate reads it back)
//	                  and then slot, age, ceiling_chosen, decision (kept,
//	                  raised, lowered, refused), equalisation,
//	                  practice_cost, gross_income, net_income, hours,
//	                  entrant and exit_cause (retirement or other). Refused
//	                  with -shard, -resume or merge, and on a world built
//	                  from a register (personal data)
//	-area-reps        with -municipal: also write areas_replications.parquet,
//	                  every area's value in every replication and year
//	                  (level, code, name, scenario, design_point,
//	                  replication, year, metric, value; NULL where
//	                  undefined), about 60 MB for norway-2025, 200
//	                  replications, 20 years and one scenario
//	-save-state LIST  model years (e.g. 10) after which the state of each
//	                  -save-reps replication is saved, for every scenario of
//	                  design point 0, as a world folder
//	                  states/SCENARIO/rep-N-year-Y that run -world
//	                  continues (docs/formats.md "A saved state"); the
//	                  manifest lists them. Refused as -trace is
//	-save-reps LIST   replications whose states -save-state saves (0)
//	-municipal BOOL   also write the per-area results (true): for every
//	                  municipality (municipalities.parquet, with its name),
//	                  county (counties.csv; 2024 counties from the first two
//	                  digits of the code) and centrality and size class
//	                  (groups.csv), every scenario, paired difference and
//	                  year, the columns level,code,name and then summary.csv's;
//	                  metrics: the counts population, gps, gps_salaried,
//	                  vacant_slots, lists_without_gp, unfilled_new_positions,
//	                  new_slots, capacity, listed, orphans_on_vacant_lists,
//	                  orphans_unlisted (waiting for assignment),
//	                  gps_age_62_plus, gps_age_67_plus, entries, exits,
//	                  orphans (population - listed), and the ratios of the
//	                  area's sums orphan_share, coverage,
//	                  orphan_list_share, mean_list, mean_ceiling,
//	                  salaried_share, gps_per_10k (docs/model.md "Outputs by
//	                  area"); undefined statistics are NULL in the Parquet
//	                  file. It costs 9-15 % more wall time and 0.2-0.3 GiB
//	                  on a national 200-replication, 20-year run (measured
//	                  side by side on 2 cores); shards and
//	                  their merge must agree on it
//
// With an experiment file (YAML; see experiments/examples) instead of
// -world, -years, -reps, -seed, -params, -scenario, -dist-years and -rebase,
// those settings come from the file, and giving them as flags as well is an
// error. The file is decoded strictly: an unknown key, a wrong type or a bad
// value stops the run with the file, line and key path. Its keys: name,
// description, world, years, replications, seed, rebase, dist_years,
// scenarios (built-in names or custom definitions with name, description,
// money_year, phases of {from, money_year, phase_in, scheme: {rate | breaks,
// rates, guarantee}}, budget, extra, phase_in (the first phase's), salaried {bonus, convert_after}, equalisation
// {rate, max_population, ref_list}), params (as listetak params),
// uncertainty (per parameter key: {dist: fixed|uniform|normal|lognormal,
// value | min, max | mean, sd | median, sigma}: drawn per replication from
// the stream (seed, replication, "params"), the same in every scenario and
// design point, truncated to the parameter's valid range; the draws are
// written to parameters.csv), uncertainty_from (an estimates.yaml of
// calibrate, or an embedded estimated set by name: estimated-2026, the
// defaults' own estimates; its values are the parameters before params, and its
// estimated parameters are drawn per replication from their multivariate
// normal on the transformed scale, stream "estimates"), design
// {kind: grid|lhs|sobol|morris, n, levels, second_order, seed, factors:
// [{name: a parameter key, min, max, levels, log}]} and sensitivity
// {metrics, years, bootstrap}. With a design every design point runs every
// scenario x replication with the same seed (common random numbers across
// the design); the output files gain design_points.csv, every row carries
// its design_point, and sobol and morris designs write sensitivity.csv
// (first-order and total Sobol indices with bootstrap intervals, or Morris
// mu, mu* and sigma, of each metric and year averaged over replications).
//
// # merge
//
// merge DIR writes the results of a sharded run from the unit files in DIR
// (every shard must be done): the same replications.csv, summary.csv and
// other tables, byte for byte, as a single-process run. It uses the
// experiment recorded in DIR/experiment.json, and writes the per-area
// files when the shards ran with -municipal (the default; shards, resumes
// and the merge of one folder must agree on it, and a mismatch is refused).
//
//	-workers N        unused (merging computes nothing); kept for symmetry
//
// # slurm
//
// slurm FILE -shards N -out DIR writes DIR/slurm/array.sbatch (a job array
// of N tasks, task i running "listetak run FILE -out DIR -shard i/N") and
// DIR/slurm/merge.sbatch (listetak merge DIR, submitted with
// --dependency=afterok on the array), and prints the sbatch command line.
// DIR must be on a file system every node sees.
//
//	-shards N         array tasks (required)
//	-out DIR          results folder (required)
//	-partition P      Slurm partition
//	-time T           time limit per task (01:00:00)
//	-mem M            memory per task (2G)
//	-cpus C           CPUs per task, the workers of each shard (2)
//	-account A        Slurm account
//	-binary PATH      the listetak binary the jobs run (this one)
//	-submit           submit both jobs with sbatch
//
// # check
//
// Validates an experiment file and prints it resolved: world, horizon,
// replications, seed, each scenario with its re-basing factor and fee scale,
// the number of runs and an estimate of the run time, from the GP-years a
// second of a pilot it runs (2 replications of at most 5 years, every
// scenario, on every core).
//
// # params
//
// Prints every parameter with its default, unit, symbol and source (values
// wider than the table's column, the per-cell arrays of list composition,
// follow the table). The v2
// defaults are the embedded estimated set estimated-2026 (docs/model.md
// "Estimation"): every estimated parameter shows its standard error and
// where it was estimated, every other one the reason it is fixed and its
// source. With -params FILE it prints the values after the overrides;
// when FILE is an estimates file (listetak calibrate's estimates.yaml, or
// the name of an embedded set: estimated-2026, estimated-2026-to2018), the
// standard errors are that file's.
//
//	-model NAME       rule set: v2 (the default, docs/model.md) or reference-v1
//	                  (the v1 reference model with the reference-2019 parameters);
//	                  a params file's model key overrides it
//	-params FILE      YAML overrides to apply before printing
//
// # scenarios
//
// Lists the built-in financing scenarios with their money year and a
// one-line description: the baseline, the 2019 report's breakpoint variants
// (1aix ... 1biiy, each also with +g400 and +g500: the report's guarantee of
// 400 persons and the 2020 reform's 500; 1aix-phased, 1aix phased in over
// three years), model2, model3 (long-vacant slots become salaried), the 2020
// breakpoint reform as it ran, the 2023 patient-adjusted grant and the replay
// of 2020-2023.
//
//	-world NAME|DIR   resolve every scenario on this world and print, per
//	                  phase, the factor on its defined rates, the resolved
//	                  rates, the fee scale, the capitation share and the
//	                  static year's capitation, fees and spending on the
//	                  starting lists against the baseline's (NOK million);
//	                  scenarios the world cannot run are listed with why
//	-rebase BOOL      as for run (true)
//	-params FILE, -model NAME  as for run (fees are a parameter)
//
// # solve
//
// Budget tool: finds the factor on a scheme shape's rates (the breakpoints
// and relative rates of -breaks and -rates, or a flat -rate) at which total
// public spending on capitation and fees equals the baseline's, or the
// baseline's plus -extra NOK a year. With -cap-share it also scales fee
// income so that capitation is that share of spending (the report's "y"
// variants). It prints the solved rates, the factor, the fee scale, the
// target and achieved spending and its capitation and fee parts (NOK/year
// in the world's money year).
//
// Static mode prices the starting lists with no behavioural response (what
// the 2019 report did): spending is linear in the factor and the fee scale,
// and the answer is exact. Dynamic mode simulates the behavioural response
// with the solved scheme in force from year 1 and matches mean spending over
// replications in year -year to the baseline's mean in that year (plus
// -extra). Every trial run uses the same seed as the baseline (common random
// numbers), so spending is a deterministic function of the rates, solved by
// a bracketing root finder started from the static answer (with -cap-share,
// by proportional updates of the factor and the fee scale). It prints the
// Monte Carlo standard errors of the target, the achieved spending and
// their paired difference, and the number of runs. Spending moves in steps
// where GPs' ceiling choices flip; on a small world the tolerance may be out
// of reach and the error says so (raise -reps or -tol).
//
//	-breaks LIST      comma-separated breakpoints (list positions, strictly
//	                  increasing), e.g. 1000 or 500,1000
//	-rates LIST       comma-separated relative rates, one more than -breaks,
//	                  e.g. 550,110 (only their ratios matter)
//	-rate R           a flat shape instead of -breaks/-rates (-rate 1 gives
//	                  the flat rate that meets the budget)
//	-risk-adjusted    multiply each list's capitation by its correction
//	                  factor (mean capitation weight by sex and age; needs
//	                  a world with list composition)
//	-guarantee N      pay capitation as if every list had at least N persons
//	                  (0: none)
//	-extra NOK        NOK per year added to the baseline's spending (0), in
//	                  the world's money year
//	-cap-share C      capitation's share of spending, in (0, 1); fees are
//	                  scaled to the rest (0: fees unchanged)
//	-mode MODE        static (the default) or dynamic
//	-year N           dynamic: the simulated year whose spending must match
//	                  (1)
//	-reps N           dynamic: Monte Carlo replications (50)
//	-seed N           dynamic: master seed (1)
//	-workers N        dynamic: parallel workers (number of CPUs); the answer
//	                  does not depend on it
//	-tol T            dynamic: relative tolerance on spending, and absolute on
//	                  the capitation share (0.0001)
//	-world NAME|DIR   an embedded world or a world folder (norway-2025)
//	-model NAME       rule set: v2 (the default, docs/model.md) or reference-v1
//	                  (the v1 reference model with the reference-2019 parameters);
//	                  a params file's model key overrides it
//	-params FILE      YAML overriding reference parameters
//
// # world
//
// -export NAME DIR writes an embedded world as a world folder that can be
// edited and run back with run -world DIR: unchanged, it runs exactly as
// the embedded world (the same replications.csv and summary.csv), every
// GP's unobserved values drawn per replication. With -draws every GP's
// leisure value, loss aversion, staff step and reference income are
// written as drawn for replication 0 under -seed, so a one-replication run
// of the folder reproduces the embedded world's replication 0, and every
// replication of a run of it keeps those values. The folder's world.yaml
// keeps ages_drawn (the builder drew the GPs' ages, so model v2 redraws
// them per replication from the ages consistent with the retirement
// hazard; docs/model.md "Starting ages"). A population.csv added to the
// folder (populations on 1 January by municipality and year;
// docs/formats.md) replaces the shipped SSB series as the path a v2 run
// follows. -list prints the
// embedded worlds and the adjustments their builders made.
//
//	-export NAME      the embedded world to export (followed by DIR)
//	-list             list embedded worlds
//	-draws            write replication 0's draws of the GPs' unobserved
//	                  values into slots.csv
//	-seed N           master seed of the exported draws, with -draws (1)
//	-model NAME       rule set: v2 (the default, docs/model.md) or reference-v1
//	                  (the v1 reference model with the reference-2019 parameters);
//	                  a params file's model key overrides it
//	-params FILE      parameter overrides used for the exported draws
//
// # synth-register
//
// Runs the model once with known parameters on a world and writes what a
// register extract would hold (DATA.md section 2), so the calibration path
// can be exercised without personal data: OUT/register.csv (or
// register.parquet; one row per GP per year: gp_id, year, municipality,
// centrality, sex, birth_year, specialist, contract, ceiling, list_length,
// capitation_income, fee_income, exit), OUT/municipality_years.csv
// (municipality, year, population, orphans, vacant_slots), OUT/truth.yaml
// (every parameter's true value, usable as -params), OUT/world/ (the world
// the register starts from, for calibrate -world) and OUT/synth.json. The
// register's first year is the world's year (the starting state, model
// year 0); register year Y is model year Y - first year (values at 31
// December Y; the model year ends in June Y+1). A reform part-way (1aix by
// default: it cuts capitation above 1,000 listed persons, so some GPs lose
// income) identifies loss aversion and the income effect.
//
//	-world NAME|DIR   an embedded world or a world folder (norway-2025)
//	-counties LIST    keep the municipalities whose codes start with these
//	                  prefixes (46: Vestland county); all when empty
//	-out DIR          output folder (required; must not exist or be empty)
//	-years N          simulated years after the first register year (12)
//	-scenario S       built-in scenario in force from -reform-year (1aix;
//	                  baseline: no reform)
//	-reform-year Y    register year the scenario starts (the middle year)
//	-model NAME       rule set: v2 (the default, docs/model.md) or reference-v1
//	                  (the v1 reference model with the reference-2019 parameters);
//	                  a params file's model key overrides it
//	-params FILE      YAML with the true parameters (the defaults otherwise)
//	-set LIST         comma-separated key=value overrides of the true
//	                  parameters, e.g. eta=0.4,chi=0.06
//	-seed N           seed of the synthetic register (1)
//	-format F         csv (the default) or parquet
//	-no-income        leave out capitation_income and fee_income
//
// # calibrate
//
// Estimates the parameters named by -params-free from a register panel by
// the simulated method of moments. The register (CSV, or Parquet by the
// .parquet extension) is read and checked: a missing column, a value that
// does not parse, an impossible age, an unknown centrality, a gp_id twice
// in a year, a GP whose sex or birth year changes, an exit flag that
// contradicts the panel are errors naming file, line (or row) and column,
// never a value; a list above its ceiling is a counted warning. -world is
// the state of the register's first year; with -world-from-register it
// gives the municipalities only, and the slots are the register's GPs of
// its first year plus the vacant slots of -municipalities (kept in memory,
// never written). Moments (MomentDocs in package
// calibrate: ceiling and list quantiles by sex and centrality, the share of
// full lists, ceiling changes up and down by list length and period, the
// spread and persistence of list/ceiling within municipalities, exit
// rates by age band, entries and entrants' ceilings and list build-up,
// incomes by list bin, orphans and vacancies from -municipalities) are
// computed from the register and from S simulated panels with common random
// numbers; cells with fewer than -min-cell GPs are suppressed. The search
// runs on transformed scales (log, logit) inside bounds: a Latin hypercube
// screening, then CMA-ES (or Nelder-Mead) with concurrent evaluations,
// then Gauss-Newton steps whose points are averaged. Standard errors come from the SMM sandwich formula with the (1 + 1/S)
// factor (and a parametric bootstrap with -bootstrap). It writes to -out:
// estimates.yaml (the estimates as top-level parameters, usable as run
// -params, and an estimates section with standard errors, transforms,
// bounds and the covariance on the transformed scale, which an experiment
// file's uncertainty_from draws from per replication), fit.csv
// (moment,group,observed,simulated,se,weight; se is the standard error of
// observed - simulated; suppressed moments have no values),
// identification.txt and identification.csv (rank and condition number of
// the standardised Jacobian, the moments each parameter moves, flags for
// parameters the moments do not identify), optimisation.csv (the best
// criterion and parameters per iteration), log.txt, manifest.json and
// evaluations.journal. An interrupted calibration continues with -resume:
// the search is replayed deterministically from the journal. Results do
// not depend on -workers.
//
// With -targets instead of -register it fits public national aggregates
// (package calibrate, "Targets"): a CSV file with the header
// moment,year,group,value,se (and optional source, note), or an embedded
// set (norway-2011-2019: Helsedirektoratet, SSB and other published figures
// for 2012-2019, to be fitted on -world norway-2011 with -years 8). The file
// is checked strictly against the world's year and -years (an unknown
// moment or group, a year that is not simulated, a value or se that is not
// a number, an se not above 0, a duplicate row, a missing or unknown column
// are errors naming file, line and column), and nothing is written when it
// fails. Calendar year Y (31 December) is model year Y minus the world's
// year. Each row is simulated from the national engine's yearly records;
// the weights are 1/(se^2 + the simulated variance), and the standard errors
// are the sandwich with Omega = diag(se^2) + (1 + 1/S) times the
// simulation covariance. Published figures have no standard errors: the
// embedded file's se column is the default rule, max(half the rounding
// unit, -target-rel-se x value) for counts and means, -target-pp-se
// percentage points for shares, -target-duration-rel-se x value for
// durations; giving any of these flags recomputes every se by the rule,
// and -target-se-scale multiplies them all (rerun with 2 to see how the
// estimates move when every se is doubled).
//
//	-register FILE    the register panel (-register or -targets required)
//	-targets NAME|FILE  public targets: an embedded name (norway-2011-2019)
//	                  or a CSV file
//	-years N          targets: simulated years after the world's year
//	                  (default: to the targets' last year)
//	-target-rel-se R  targets: relative se of counts, means and ratios
//	                  (0.02; given: every se by the rule)
//	-target-pp-se P   targets: se of shares in percentage points (1;
//	                  given: every se by the rule)
//	-target-duration-rel-se R  targets: relative se of the median agreement
//	                  durations (0.1; given: every se by the rule)
//	-target-se-scale K  targets: multiply every se by K (1)
//	-targets-until Y  targets: fit only the rows of years up to Y, holding
//	                  the later years out of sample (the simulation still
//	                  runs to -years; 0: all rows)
//	-municipalities FILE  optional municipality_years.csv
//	-world NAME|DIR   world of the register's first year (required)
//	-counties LIST    keep the world's municipalities with these code
//	                  prefixes
//	-world-from-register  slots from the register's first year (held: its
//	                  GPs; vacant: -municipalities' vacant_slots, sharing
//	                  the residents without a GP), populations from
//	                  -municipalities; -world gives the municipalities
//	-params-free LIST parameters to estimate, e.g.
//	                  leisure_median_male,leisure_median_female,eta,
//	                  loss_aversion_median,q0,alpha0,chi (required)
//	-bounds LIST      key=lo:hi bounds on the parameter's scale (defaults
//	                  per parameter)
//	-out DIR          output folder (required)
//	-model NAME       rule set: v2 (the default, docs/model.md) or reference-v1
//	                  (the v1 reference model with the reference-2019 parameters);
//	                  a params file's model key overrides it
//	-params FILE      fixed parameters; also the search's start
//	-scenario S       built-in scenario in force in the register from
//	                  -reform-year (baseline: none)
//	-reform-year Y    register year the scenario starts
//	-reps N           simulated panels per evaluation, S (6)
//	-omega-reps N     simulated panels for the moments' covariance (64)
//	-seed N           master seed of the simulations (1)
//	-lhs N            Latin hypercube screening points (10 per parameter;
//	                  -1: none)
//	-method M         cmaes (the default) or neldermead
//	-max-iter N       major iterations of the search (100)
//	-restarts N       local searches, each from one of the best starting
//	                  candidates (the start and the screening's points); the
//	                  best is kept (3)
//	-polish N         Gauss-Newton steps after the search; the estimate is
//	                  the mean of the second half of their points (8; -1:
//	                  none)
//	-two-step         re-estimate with the efficient weighting matrix
//	-bootstrap B      parametric bootstrap replicates (0)
//	-min-cell N       small-cell threshold in GPs (5; at least 3)
//	-workers N        concurrent evaluations (number of CPUs)
//	-resume           continue an interrupted calibration in -out
//	-progress MODE    auto, always or never
//
// # hindcast
//
// hindcast reruns the past: the world of model year 0 (-world, norway-2011
// by default) forward to the targets' last year under each parameter set
// of -fits (by default the embedded estimated-2026, fitted on every
// target, and estimated-2026-to2018, fitted on the targets up to 2018), the
// observed population path, -reps replications and the same random
// streams for every fit. Every (moment, group) series of -targets is
// simulated in every year. It writes to -out: hindcast.csv
// (fit,moment,group,year,observed,se,mean,q05,q50,q95,sample,pass: the
// model's mean and Monte Carlo 90 % band over replications, without
// parameter uncertainty; sample is in for a target the fit was estimated
// on and out for a year after its estimate's targets_until; pass is
// whether the observed value is inside the band or the mean is within 10
// % of it, 2 percentage points for shares), manifest.json, and the report
// (report.html, report.md and report_figures/: a table per fit, the
// out-of-sample table beside the in-sample fit, one figure per series
// with each fit's band and the observed values with ±1.96 SE whiskers).
// It prints the target rows.
//
//	-targets NAME|FILE  targets (norway-2011-2019)
//	-world NAME|DIR   world of model year 0 (norway-2011)
//	-fits LIST        comma-separated embedded estimated sets or estimates
//	                  files (estimated-2026,estimated-2026-to2018)
//	-years N          simulated years (to the targets' last year)
//	-reps N           replications (20)
//	-seed N           master seed (1)
//	-workers N        concurrent replications (number of CPUs)
//	-lang L           report language: en or nb
//	-out DIR          output folder (required; new or empty)
//
// # plot
//
// plot RUN_DIR writes figures of a run folder (written by run or merge, or
// a calibration's folder with fit.csv) into RUN_DIR/figures: by default
// the report's set, each named after what it shows: fan_METRIC (median
// line, 50 % and 90 % bands over replications, one colour and dash per
// scenario) for capacity, orphans, gps and mean_net_income; diff_METRIC
// (each reform minus the baseline, paired by replication, with a zero
// line); lists_yearN (GPs by list length in year 0 and year N per
// scenario, with 90 % whiskers); dist_list|group|centrality_static1 and
// _dynamicN (mean change in net income per GP by year-0 list length, by
// sex, specialist status and age, and by centrality, one bar per reform
// with 90 % whiskers); sens_SCENARIO_METRIC_yearN (tornado charts of Sobol
// ST and S1 with bootstrap intervals, or Morris mu* and sigma, when
// sensitivity.csv exists); fit (observed calibration moments with
// ±1.96 SE whiskers and the simulated values, when fit.csv exists). PNG
// figures are 16 x 10 cm at 192 dpi; SVG figures embed their font; PDF
// figures embed theirs. It prints each file with its caption.
//
//	-metric LIST      comma-separated metrics: only their fan and
//	                  paired-difference charts (any metric of summary.csv)
//	-scenario LIST    comma-separated scenarios to show (all)
//	-format F         png (the default), svg or pdf
//	-year N           year of the list-length histogram and the dynamic
//	                  distribution figures (the last)
//	-lang L           en (the default) or nb: Norwegian labels and number
//	                  format (1 097,5)
//	-out DIR          folder for the figures (RUN_DIR/figures)
//	-municipality C, -county C, -centrality N, -size S
//	                  the figures of one area from the run's per-area
//	                  results instead of the national ones (see show)
//
// # show
//
// show RUN_DIR -municipality 3301 prints one area's trajectory from a
// run's per-area results (run -municipal, the default): for each scenario
// and paired difference a table of the chosen metrics in the years of
// run's own table, each as "median [5 %, 95 %]" over replications, and
// writes their fan charts (and paired-difference charts) into
// RUN_DIR/figures/LEVEL_CODE. An area that the results do not hold is an
// error naming it.
//
//	-municipality C   a municipality's code (3301) or name (Drammen; the
//	                  part before " - " of a bilingual name also matches)
//	-county C         a 2024 county's number (33) or name (Buskerud)
//	-centrality N     a centrality class, 1-6
//	-size S           a size class: lt2k, 2k_5k, 5k_20k, 20k_50k or ge50k
//	-metric LIST      metrics of the table and the charts (gps, coverage,
//	                  orphans_on_vacant_lists, mean_list); any per-area
//	                  metric (see run -municipal)
//	-scenario LIST    scenarios to show (all, with their differences)
//	-format F         png (the default), svg or pdf
//	-lang L           en (the default) or nb: the charts' labels
//	-out DIR          folder for the figures (RUN_DIR/figures/LEVEL_CODE)
//
// # report
//
// report RUN_DIR writes the run's report as one self-contained HTML page
// (RUN_DIR/report.html; report.nb.html with -lang nb) and a Markdown
// version beside it (report.md, figures as PNG files in report_figures/).
// The page embeds every figure as inline SVG and their font once, has its
// tables as HTML tables, loads nothing from outside and prints on A4. It
// states the run (version, git describe, command, world, scenarios,
// replications, seed, money index, wall time, how the world was built), a
// summary written from the numbers, tables of capacity, residents without
// a GP, GPs, entries and exits per scenario in years 0, 1, 5, 10, 20 and
// the last (median and 90 % band), the paired differences to the baseline
// with their bands, the distribution tables (mean change in net income per
// GP by group, static and dynamic, and the shares gaining or losing more
// than 5 %), sensitivity indices and the calibration fit where the folder
// has them, every figure of plot with a numbered caption, and the
// parameters in an appendix. Norwegian reports write numbers as 1 097,5
// (no-break space between thousands, decimal comma, minus sign U+2212).
//
//	-lang L           en (the default) or nb
//	-out FILE         the HTML file (RUN_DIR/report.html); the Markdown
//	                  file is FILE with .md, its figures FILE's stem with
//	                  _figures
//	-scenario LIST    comma-separated scenarios to show (all)
//	-year N           year of the list-length histogram and the dynamic
//	                  distribution figures (the last)
//	-years LIST       years of the key tables (1,5,10,20; year 0 and the
//	                  last year are added)
//	-municipality CODE|NAME, -county N|NAME, -centrality 1-6, -size CLASS
//	                  one area's report from the run's per-area results
//	                  (as show): RUN_DIR/report-LEVEL-CODE.html (.nb.html)
//	                  with the area's residents, capacity and capacity per
//	                  resident, residents and lists without a GP, GPs, GPs
//	                  aged 67+, salaried share, entries and exits per
//	                  scenario, the paired differences and fan charts; an
//	                  unknown area is an error naming it
//
// # version
//
// Prints the version and git description.
//
// Exit status is 0 on success and 1 on any error; errors name the file, line
// and field at fault.
package main
