// Package report owns the annual-report view of a run folder: reading the
// folder back (Load: manifest.json, summary.csv, distribution.csv,
// sensitivity.csv, design_points.csv and a calibration's fit.csv, each if
// present), the standard set of figures (Figures: fan charts by scenario,
// paired-difference fan charts, the list-length histogram, income change
// by group, sensitivity tornado charts, the calibration fit), the key
// tables and a summary paragraph generated from the numbers (Build), and
// writing them as one self-contained HTML page and as Markdown with PNG
// figures (Report.Write), in English or Norwegian (bokmål).
//
// Units are the metrics' own: persons (capacity, residents without a GP,
// list lengths), GPs and GPs per year (entries, exits), NOK per year in the
// world's money year (incomes, spending; parameters in 2019 NOK), shares as
// fractions (shown as percentages). Tables show the median over
// replications with the 90 % band (5 % and 95 % quantiles); paired
// differences are per-replication reform minus baseline.
//
// Numbers are written for people in the language's format
// (results.EnglishNumbers: 1,097.5; results.NorwegianNumbers: 1 097,5 with
// U+00A0 NO-BREAK SPACE between thousands and a decimal comma, in the HTML,
// the Markdown and the figures alike), negative numbers with U+2212 MINUS
// SIGN.
//
// The HTML page has no external resource: figures are inline SVG drawn by
// gonum/plot, and their font (Liberation Serif) is embedded once as a
// base64 @font-face, so text renders with the metrics it was laid out with.
// Nothing in a report depends on the time it was made, so the same run
// folder gives the same files.
package report
