package finance

import (
	"fmt"
	"math"
)

// The money index is NOK of a year relative to 2019 NOK: an amount of
// 2019 money is worth MoneyIndex(y) times as much in year y's money. It is
// what converts the built-in scenarios' rates, defined in their own year's
// money, to a world's money (the world's nok_index is the same index at the
// world's year).
//
// No price or wage series is in the repository, so the index is a stated
// assumption (docs/money.md): it passes through the embedded worlds'
// indices, 0.85 for 2011 and 1.25 for 2025 (NokIndex2011, NokIndex2025),
// and 1 for 2019,
// and grows geometrically between them: 2.05 % a year from 2011 to 2019
// ((1/0.85)^(1/8)) and 3.79 % a year from 2019 to 2025 (1.25^(1/6)).
// Negotiated capitation rates are not the index: they are what the
// scenarios move, and their rises above it are the real rises.
var moneyAnchors = []struct {
	year  int
	index float64
}{{2011, NokIndex2011}, {2019, 1}, {2025, NokIndex2025}}

// The embedded worlds' money indices (their world.yaml nok_index), the
// anchors of MoneyIndex: assumptions, as docs/money.md says.
const (
	NokIndex2011 = 0.85 // norway-2011
	NokIndex2025 = 1.25 // norway-2025
)

// MoneyYears returns the first and last year MoneyIndex covers.
func MoneyYears() (first, last int) {
	return moneyAnchors[0].year, moneyAnchors[len(moneyAnchors)-1].year
}

// MoneyIndex returns the money index of year y relative to 2019 NOK (see
// moneyAnchors); a year outside MoneyYears is an error.
func MoneyIndex(y int) (float64, error) {
	for i := 1; i < len(moneyAnchors); i++ {
		a, b := moneyAnchors[i-1], moneyAnchors[i]
		if y >= a.year && y <= b.year {
			frac := float64(y-a.year) / float64(b.year-a.year)
			return a.index * math.Pow(b.index/a.index, frac), nil
		}
	}
	first, last := MoneyYears()
	return 0, fmt.Errorf("money year %d: the money index covers %d-%d only", y, first, last)
}

// Published capitation rates (NOK per listed person per year, nominal in
// their year; docs/money.md lists them with their sources).
const (
	// Rate2019 is the flat per-capita rate from 1 July 2019, the 2019
	// report's starting point.
	Rate2019 = 499
	// RiskAdjRate2023 is the national average capitation of the May 2023
	// patient-adjusted grant (from 1 July 2023), per average person.
	RiskAdjRate2023 = 841.80
)

// Breakpoint2020 returns the breakpoint schedule (one break at 1,000
// persons) in force from the given year (2020, 2021 or 2022) until the
// patient-adjusted grant replaced it in May 2023, nominal rates of that
// year: 577/499 from May 2020, 642/526 from 1 July 2021, 675/544 from
// 1 July 2022, with the 2020 guarantee of 500 persons for contracts younger
// than 2 years whose ceiling is at least 500.
func Breakpoint2020(year int) (Spec, bool) {
	rates, ok := map[int][]float64{2020: {577, 499}, 2021: {642, 526}, 2022: {675, 544}}[year]
	g := GuaranteeSpec{Persons: 500, MinCeiling: true, MaxContractYears: 2}
	return Spec{Breaks: []float64{1000}, Rates: rates, Guarantee: g}, ok
}
