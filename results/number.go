package results

import (
	"math"
	"strconv"
	"strings"
)

// NumberFormat says how numbers are written for people (reports and figure
// labels, never the CSV files, which always use strconv's plain form): the
// separator between groups of three digits of the integer part, the decimal
// mark and the minus sign.
type NumberFormat struct {
	Group   string // between groups of three integer digits ("," or U+00A0)
	Decimal string // the decimal mark ("." or ",")
	Minus   string // the minus sign (U+2212 MINUS SIGN or "-")
}

// Number formats of the two report languages.
//
// Norwegian uses U+00A0 NO-BREAK SPACE as the thousands separator
// everywhere (HTML, Markdown and figures), so that a number never breaks
// across lines, and a decimal comma: 1097.5 is "1 097,5". Both use U+2212
// MINUS SIGN for negative numbers, which lines up with the plus sign and
// is as wide as a digit.
var (
	EnglishNumbers   = NumberFormat{Group: ",", Decimal: ".", Minus: "\u2212"}
	NorwegianNumbers = NumberFormat{Group: "\u00a0", Decimal: ",", Minus: "\u2212"}
)

// ASCIINumbers is the plain format of terminal tables: commas between
// groups and a hyphen-minus.
var ASCIINumbers = NumberFormat{Group: ",", Decimal: ".", Minus: "-"}

// Format returns v rounded to decimals places (0 or more) in format f:
// EnglishNumbers.Format(-1234567.25, 1) is "−1,234,567.3" (half away from
// zero as strconv rounds binary values: to nearest, ties to even on the
// exact binary value), NorwegianNumbers.Format(1097.5, 1) is "1 097,5" with
// a no-break space. A value that rounds to zero has no sign. NaN is "–"
// (EN DASH: no value) and the infinities are "∞" and "−∞".
func (f NumberFormat) Format(v float64, decimals int) string {
	switch {
	case math.IsNaN(v):
		return "\u2013"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return f.Minus + "∞"
	}
	s := strconv.FormatFloat(v, 'f', max(decimals, 0), 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac := s, ""
	if k := strings.IndexByte(s, '.'); k >= 0 {
		intPart, frac = s[:k], s[k+1:]
	}
	if strings.Trim(intPart+frac, "0") == "" {
		neg = false // no "−0"
	}
	var b strings.Builder
	if neg {
		b.WriteString(f.Minus)
	}
	b.WriteString(strings.ReplaceAll(GroupDigits(intPart), ",", f.Group))
	if frac != "" {
		b.WriteString(f.Decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// Signed is Format with a plus sign before positive values, for changes:
// "+1,250" and "−300".
func (f NumberFormat) Signed(v float64, decimals int) string {
	s := f.Format(v, decimals)
	if v > 0 && !math.IsInf(v, 0) && strings.Trim(s, "0"+f.Decimal+f.Group) != "" {
		return "+" + s
	}
	return s
}

// Auto formats v with as many decimals as its magnitude needs for a table
// (three significant digits at least, no decimals from 100 on): 5648721 ->
// "5,648,721", 956.43 -> "956", 12.345 -> "12.3", 1.2345 -> "1.23", 0.01234
// -> "0.0123". Whole numbers get no decimals.
func (f NumberFormat) Auto(v float64) string {
	return f.Format(v, AutoDecimals(v))
}

// AutoDecimals is the number of decimals Auto uses for v.
func AutoDecimals(v float64) int {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0) || v == math.Trunc(v) || a >= 99.95:
		return 0
	case a >= 9.995:
		return 1
	case a >= 0.9995:
		return 2
	default:
		// Three significant digits, at most 6 decimals.
		d := 2 - int(math.Floor(math.Log10(a)))
		return min(max(d, 0), 6)
	}
}

// Percent formats a share (a fraction) as a percentage with decimals
// places and a no-break space before the sign: 0.1234 -> "12.3 %" in
// English and "12,3 %" in Norwegian.
func (f NumberFormat) Percent(share float64, decimals int) string {
	if math.IsNaN(share) {
		return f.Format(share, decimals)
	}
	return f.Format(100*share, decimals) + "\u00a0%"
}
