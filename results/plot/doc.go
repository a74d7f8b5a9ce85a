// Package plot owns the figures of run results: fan charts of the
// distribution over replications of one metric by year (median line with
// shaded 50 % and 90 % bands, one colour and line dash per scenario, built
// from summary.csv rows), grouped bar charts such as GPs per list-length bin
// for baseline and reform, and saving them atomically as PNG, SVG or PDF.
//
// Units are those of the metrics themselves (persons, NOK per year, hours
// per year, shares as fractions); the caller names them in the axis label.
// Y tick labels carry thousands separators (5,648,721).
//
// The package draws with gonum.org/v1/plot only and uses no randomness, so
// a figure of the same data renders to the same bytes.
package plot
