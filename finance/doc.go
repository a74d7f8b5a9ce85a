// Package finance owns the money rules a GP faces: the capitation schedule
// (flat or piecewise linear in list position), the guarantee, the scaling of
// fee income and the equalisation grant; the published capitation rates
// (Rate2019, Breakpoint2020, RiskAdjRate2023 and the schemes a world file may
// name, NamedScheme); and the money index by year (MoneyIndex) that converts
// an amount from one year's money to another's.
//
// It is a leaf package: agents and sim import it, it imports neither.
//
// Units: NOK per year for every amount, persons for list lengths. Rates are
// NOK per listed person per year. Published rates are nominal in their own
// year; the money index is NOK of a year per 2019 NOK (docs/money.md).
package finance
