package results

import (
	"fmt"
	"math"
	"testing"
)

func TestNumberFormat(t *testing.T) {
	const nb = "\u00a0"
	const minus = "\u2212"
	for _, c := range []struct {
		f    NumberFormat
		v    float64
		dec  int
		want string
	}{
		{NorwegianNumbers, 1097.5, 1, "1" + nb + "097,5"},
		{EnglishNumbers, 1097.5, 1, "1,097.5"},
		{NorwegianNumbers, -1234567.25, 2, minus + "1" + nb + "234" + nb + "567,25"},
		{EnglishNumbers, -1234567, 0, minus + "1,234,567"},
		{ASCIINumbers, -12500.5, 1, "-12,500.5"},
		{NorwegianNumbers, 999, 0, "999"},
		{NorwegianNumbers, 0.25, 2, "0,25"},
		{NorwegianNumbers, -0.004, 2, "0,00"},
		{NorwegianNumbers, math.Copysign(0, -1), 0, "0"},
		{NorwegianNumbers, math.NaN(), 1, "\u2013"},
		{NorwegianNumbers, math.Inf(-1), 1, minus + "∞"},
		{EnglishNumbers, 5648721, 0, "5,648,721"},
	} {
		if got := c.f.Format(c.v, c.dec); got != c.want {
			t.Errorf("%+v.Format(%v, %d) = %q, want %q", c.f, c.v, c.dec, got, c.want)
		}
	}
	if got := NorwegianNumbers.Signed(1250, 0); got != "+1"+nb+"250" {
		t.Errorf("Signed(1250) = %q", got)
	}
	if got := NorwegianNumbers.Signed(-300, 0); got != minus+"300" {
		t.Errorf("Signed(-300) = %q", got)
	}
	if got := NorwegianNumbers.Signed(0.001, 1); got != "0,0" {
		t.Errorf("Signed(0.001, 1) = %q", got)
	}
	if got := NorwegianNumbers.Percent(0.1234, 1); got != "12,3"+nb+"%" {
		t.Errorf("Percent = %q", got)
	}
}

func TestAutoDecimals(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{5648721.4, "5,648,721"},
		{956.43, "956"},
		{99.96, "100"},
		{12.345, "12.3"},
		{1.2345, "1.23"},
		{0.01234, "0.0123"},
		{-0.5, "\u22120.500"},
		{3, "3"},
		{1e-9, "0.000000"},
	} {
		if got := EnglishNumbers.Auto(c.v); got != c.want {
			t.Errorf("Auto(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func ExampleNumberFormat_Format() {
	fmt.Println(EnglishNumbers.Format(1097.5, 1))
	fmt.Printf("%q\n", NorwegianNumbers.Format(1097.5, 1))
	fmt.Printf("%q\n", NorwegianNumbers.Format(-2500, 0))
	// Output:
	// 1,097.5
	// "1\u00a0097,5"
	// "−2\u00a0500"
}
