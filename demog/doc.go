// Package demog owns the composition of lists by sex x age band (MODEL.md
// "Extensions"): the 16 cells, per-cell tables (capitation weights, fee and
// hours factors, death probabilities), correction factors, and the yearly
// demographic draws (deaths, ageing, newcomers, which persons of a group move).
//
// Units: counts are persons; weights and factors are relative to the mean
// person (population mean 1 after Normalise); death probabilities are per
// year.
//
// Cells are ordered women 0-5, 6-15, 16-29, 30-49, 50-66, 67-79, 80-89, 90+,
// then men in the same bands: cell = 8*sex + band with sex 0 for women, the
// order of world/data/population_kommune_sex_ageband_2025.csv.
//
// The capitation weights approximate the age-sex part of the 2023
// patient-adjusted capitation (pasientjustert basistilskudd, DOMAIN.md). The
// real grant also uses the use of services, centrality and socio-economic
// status; listetak approximates all of it by sex and age only.
package demog
