// Package results owns what a run leaves behind: the per-year output tables
// of every replication (Series), their summaries over replications
// (SummaryRow: mean, standard deviation and the 5, 25, 50, 75 and 95 %
// quantiles), paired reform-minus-baseline differences, and the files they
// are written to: replications.csv, summary.csv and manifest.json, each
// written atomically (a temporary file in the same directory, renamed into
// place only when complete). It also prints a short band table for the
// terminal.
//
// The package does not know what the metrics mean: it stores and summarises
// whatever named columns the simulation records. Units are those of the
// metrics themselves: persons (GPs, listed persons, orphans, list lengths),
// NOK per year (income, capitation, fees, spending), hours per year, and
// shares (orphan share, coverage) as fractions, not percentages (PrintBands
// alone shows shares as percentages).
//
// Quantiles over replications use linear interpolation between order
// statistics (R's type 7, numpy's default "linear" method), as MODEL.md
// requires; see Quantile7.
//
// Numbers in the CSV files are written with strconv.AppendFloat(v, 'g', -1,
// 64), the shortest text that reads back to the same float64, so the files
// are bit-identical for bit-identical runs and round-trip exactly.
//
// Reading back: ReadSummaryCSV, ReadDistributionCSV, ReadSensitivityCSV,
// ReadDesignPointsCSV, ReadManifest and ReadFitCSV (a calibration's
// fit.csv) read a run folder's files with errors naming file, line and
// column. NumberFormat writes numbers for people in English (1,097.5) or
// Norwegian (1 097,5, U+00A0 between thousands) with a U+2212 minus.
//
// The package imports no other package of the project.
package results
