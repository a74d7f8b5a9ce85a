// Package sim owns the simulation state and the yearly order of steps of the
// reference model (MODEL.md "Each year, in this order", steps 1-9), the
// starting-state draws of each replication, the per-year outputs, and the
// Monte Carlo runner that spreads replications over a bounded pool of
// goroutines.
//
// The state is flat: one slice of slots (GP contracts, each held by a GP or
// vacant; a GP is stored in its slot) and one of municipalities, cloned per
// replication into buffers each worker reuses, so workers share no mutable
// data. Every random draw comes from a stream derived from (master seed,
// replication, stream name) and, below that, the year and the slot or
// municipality it concerns (package rng); never from the scenario or the
// worker. Scenarios therefore share their draws (common random numbers) and
// results are bit-identical for any number of workers.
//
// sim knows no file formats, flags or printing. Units: persons, NOK/year,
// hours/year.
package sim
