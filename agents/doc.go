// Package agents owns one GP and the money and time rules it faces: net
// income and hours for a list, the disutility of work, the choice of list
// ceiling over the ceiling grid (MODEL.md step 2), the exit hazards (step 4),
// the entry probability of a candidate for a vacant slot (step 6), and the
// draws of agents' characteristics, including the starting-state draws that
// make each GP's observed ceiling its own optimum.
//
// Everything here is a pure function of its inputs plus an explicit
// *rand.Rand; the package knows nothing of municipalities' bookkeeping.
//
// Units: NOK per year for incomes and costs, NOK per hour for leisure values,
// persons for lists and ceilings, hours per year for hours.
package agents
