// Package finance owns the money rules a GP faces: the capitation schedule
// (flat or piecewise linear in list position), the guarantee, the scaling of
// fee income and the equalisation grant.
//
// It is a leaf package: agents and sim import it, it imports neither.
//
// Units: NOK per year for every amount, persons for list lengths. Rates are
// NOK per listed person per year.
package finance
