// Package study executes a study: a world under a list of scenarios, for a
// horizon, a number of replications and a seed, optionally multiplied by
// an experiment's design points and per-replication parameter draws
// (package experiments). It owns the pipeline between the engine (package
// sim) and the result files (package results):
//
//   - the units: one replication of one design point with every scenario
//     (scenarios share their random streams), run id dp*reps + rep, saved
//     to a Store as each is done (DirStore: Parquet files under
//     DIR/units), so a study can be sharded (Plan.Shard of Plan.Shards),
//     resumed (Plan.Resume) and merged (Plan.Merge);
//   - the summaries: per-scenario series and summary rows, paired
//     reform-minus-baseline differences by replication (common random
//     numbers), distribution tables, and the sensitivity indices of a
//     sobol or morris design.
//
// Results do not depend on the number of workers or on how the units were
// split into shards. Values are in the engine's units (persons; NOK a year
// in the world's money year; hours a year; shares). The command
// listetak run parses flags, shows progress and writes the files; this
// package writes nothing but units.
package study
