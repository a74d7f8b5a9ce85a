// Package rng derives the simulation's random streams and holds the discrete
// samplers gonum lacks.
//
// Every stochastic component gets its own stream, derived by hashing
// (master seed, replication, stream name) into a PCG seed; a stream is never
// derived from the scenario or from the worker that runs it. Scenarios of one
// experiment therefore use the same draws in the same places (common random
// numbers) and a run is bit-identical for any number of workers.
//
// Streams are cheap to derive: a Key is two 64-bit words and deriving a child
// key (a named sub-stream, or an index such as a year or a slot) costs a few
// multiplications, so the engine reseeds one reusable *rand.PCG per slot and
// year instead of sharing one long stream whose consumption would differ
// between scenarios.
package rng
