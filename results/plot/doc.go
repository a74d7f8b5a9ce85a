// Package plot owns the figures of run results: fan charts of the
// distribution over replications of one metric by year (median line with
// shaded 50 % and 90 % bands, one colour and line dash per scenario, built
// from summary.csv rows; with a zero line for paired differences), grouped
// bar charts such as GPs per list-length bin for baseline and reform or
// income change by group, with interval whiskers, vertical or horizontal
// (tornado charts of sensitivity indices), calibration fit charts (observed
// moments with ±1.96 SE whiskers and the simulated values), and rendering
// them as PNG (any resolution), SVG (fonts embedded or not) or PDF, saved
// atomically.
//
// Units are those of the metrics themselves (persons, NOK per year, hours
// per year, shares as fractions); the caller names them in the axis label.
// Value tick labels carry thousands separators in a results.NumberFormat
// (5,648,721 by default; 5 648 721 with results.NorwegianNumbers).
//
// The package draws with gonum.org/v1/plot only and uses no randomness, so
// a figure of the same data renders to the same bytes.
package plot
