// Package params owns the behavioural and institutional parameters of the
// reference model (MODEL.md, "Reference parameters (reference-2019)"): their
// defaults, units, sources, validation, strict YAML overrides and the scaling
// of money amounts to a world's money year.
//
// Units: money in NOK per year (2019 NOK unless scaled with Scale), leisure
// values in NOK per hour, lists and ceilings in persons, hours in hours per
// year, rates and probabilities per year.
package params
