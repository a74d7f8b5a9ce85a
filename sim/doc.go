// Package sim owns the simulation state and the yearly order of steps of the
// model (docs/model.md: v2 by default; the reference model v1, MODEL.md
// "Each year, in this order", steps 1-9, when the parameters select
// reference-v1), the
// starting-state draws of each replication, the per-year outputs, and the
// Monte Carlo runner that spreads replications over a bounded pool of
// goroutines. State.Snapshot writes a replication's state as a world that
// NewModel continues (docs/formats.md "A saved state").
//
// The state is flat: one slice of slots (GP contracts, each held by a GP or
// vacant; a GP is stored in its slot) and one of municipalities, cloned per
// replication into buffers each worker reuses, so workers share no mutable
// data. Every random draw comes from a stream derived from (master seed,
// replication, stream name) and, below that, the year and the slot or
// municipality it concerns (package rng); never from the scenario or the
// worker. Scenarios therefore share their draws (common random numbers) and
// results are bit-identical for any number of workers. The streams are fine
// enough to keep the shared draws synchronised: each GP's churn, each
// orphan list's seekers and each GP's share of the placed seekers (one
// stream per conditional draw of the multivariate hypergeometric,
// rng.MultiHypergeometricStreams) read their own random numbers, so a
// change in one list (a reform, another parameter value) does not shift the
// draws of every later list in the municipality. (The spread of national
// reform-minus-baseline differences did not change measurably with it:
// there, decisions that differ between the scenarios dominate.)
//
// # Model v2 (docs/model.md)
//
// Under the default parameters (params.ModelV2) the steps differ from v1
// as docs/model.md "What v2 changes" says, each in one function of v2.go:
// step 7 places persons who need a GP before switchers, assigns the
// unplaced to lists without a GP and lets persons switch only into free
// places between open lists (flowsV2); step 6 looks ahead
// (expectedList), lets an entrant keep the list it takes over
// (entrantCeiling), shifts the entry logit and the candidates' leisure
// values by calendar-year trends (trendShift, leisureShift) and converts
// long-vacant slots to salaried (convert);
// step 4's other exits depend on municipality size (quitProb); the start
// draws ages consistent with the retirement hazard (drawStartAges); every
// year takes its population growth from the world's population path
// (pathGrowth); on a world with nobody waiting for assignment, Reset runs a
// spin-up year whose waiting persons join the starting state (Reset). The
// v2 draws use streams of their own ("ages", "convert", "assign",
// "switch-from", "switch-to", and "spin-up" for the spin-up year's), and
// under v1 none of this code runs.
//
// # List composition (MODEL.md "Extensions")
//
// When the world carries a population composition by sex x age band and the
// parameter demography is 1 (norway-2025 by default), the state also holds
// every list's, orphan list's and municipality's unlisted persons by cell
// (package demog), and the model changes as follows; with demography 0, or a
// world without composition, the reference model runs bit for bit.
//
//   - Start: each municipality's persons (its population split by the
//     composition's shares, largest remainder) are partitioned among its
//     lists and the unlisted by multivariate hypergeometric draws: lists
//     start from their municipality's composition. Within-municipality
//     sorting (young GPs with young patients) is not modelled. A saved
//     state's lists keep their given compositions (world.ListCompositionFile),
//     and its tables stay normalised over its run's starting persons
//     (world.SavedFrom).
//   - Money and hours: fee income is f times the list's persons weighted by
//     their fee factors, hours h times the persons weighted by their hours
//     factors, and under a risk-adjusted scheme capitation is the scheme's
//     amount times the list's correction factor (mean capitation weight);
//     the factors are normalised to a mean of 1 over the starting
//     population and stay fixed. Costs depend on persons only.
//   - Step 2: a GP (and a candidate in step 6) plans for persons like the
//     average person of its municipality's current composition: the whole
//     list of length C is valued with that person's factors.
//   - Steps 3 and 6: released persons are drawn from the list at random.
//   - Step 7 starts with deaths (each person with its cell's probability),
//     on lists, orphan lists and among the unlisted; newcomers number
//     max(G_m, 0) plus the deaths (so the population still changes by G_m),
//     each a birth into band 0-5 with probability birth_share (a boy with
//     probability birth_male), otherwise drawn from the municipality's
//     composition after the deaths. Churners and seekers leave each cell
//     independently (a binomial per cell, whose sum has the reference
//     model's binomial distribution); the persons placed from each seeker
//     group are drawn at random, and dealt to the GPs' free places in random
//     order.
//   - Step 8: every person moves up a band with probability 1/band width;
//     then the year-end incomes. Capitation weights are rescaled so that
//     their mean over the current national population is 1 (the rate is per
//     average person of today's population, as the real index; population
//     ageing does not raise the total), while fee and hours factors stay
//     fixed (an older population brings more fees and needs more hours).
//
// Composition draws use their own streams ("composition", "who", "deaths"
// and the churn stream), so they never shift the reference model's draws.
//
// sim knows no file formats, flags or printing. Units: persons, NOK/year,
// hours/year.
package sim
