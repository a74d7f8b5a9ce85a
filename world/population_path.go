package world

import (
	"errors"
	"fmt"
	"math"
)

// PathSource says where a ratio of a PopulationPath comes from.
type PathSource uint8

// Sources of the ratios of a PopulationPath (World.PopulationPath gives the
// rules).
const (
	PathNone     PathSource = iota // no ratio (NaN): the simulation uses its default growth
	PathObserved                   // the municipality's own figures for both years
	PathCounty                     // the ratio of its county's sums for the year
	PathTrend                      // its own recent trend, or its county's
	PathGiven                      // 1 + its explicit growth rate (Municipality.Growth)
)

var pathSourceNames = [...]string{"none", "observed", "county", "trend", "given"}

// String returns the source's name: none, observed, county, trend or given.
func (s PathSource) String() string {
	if int(s) < len(pathSourceNames) {
		return pathSourceNames[s]
	}
	return fmt.Sprintf("PathSource(%d)", s)
}

// PopulationPath gives each municipality's population growth ratio per model
// year (World.PopulationPath).
type PopulationPath struct {
	// Ratio[m][t-1] is P_m(t)/P_m(t-1) for model year t = 1..years: the
	// factor by which the persons of municipality m (an index into
	// World.Municipalities) change in year t. NaN when Source is PathNone.
	Ratio [][]float64
	// Source[m][t-1] says where Ratio[m][t-1] comes from.
	Source [][]PathSource
	// Notes has one line for the data used and one per kind of fallback,
	// with counts, for the run manifest.
	Notes []string
}

// PopulationPath returns the world's population path over model years
// 1..years: each municipality's yearly growth ratio, applied to the world's
// persons. The ratio of municipality m, code c, in model year t follows the
// first of these rules that applies:
//
//  1. Given: m has an explicit growth rate g (Municipality.Growth.OK, the
//     growth column): 1+g in every year. Explicit input wins.
//  2. None: c is not in the population data at all (a user world with
//     invented codes): NaN; the simulation then uses its parameter default
//     growth.
//  3. Observed: model year 0 is the world's starting state, taken as
//     1 January of w.Year+1 (norway-2011's October 2011 lists are about
//     1 January 2012; norway-2025's state at 31.12.2025 is 1 January 2026),
//     so model year t runs from 1 January w.Year+t to 1 January w.Year+t+1
//     and its ratio is P_c(w.Year+t+1) / P_c(w.Year+t), when c has figures
//     for both years.
//  4. County: else, when municipalities of c's county (the first two
//     characters of c) have figures for both years: the ratio of their sums,
//     sum P(w.Year+t+1) / sum P(w.Year+t), over those municipalities. This
//     covers the five municipalities split in 2020 (1806 Narvik, 1875
//     Hamarøy, 5055 Heim, 5056 Hitra, 5059 Orkland), which have no figures
//     before 2020.
//  5. Trend: else (beyond the last year of the data, 1 January 2026 for the
//     shipped file, or before its first): c's own recent trend, the
//     geometric mean yearly ratio over the last 5 years of the data,
//     (P_c(L) / P_c(L-5))^(1/5), where L is the last year with a figure in
//     the data (1 January 2021 to 1 January 2026 for the shipped file); when
//     c lacks either figure, its county's trend, the same over the sums of
//     the county's municipalities that have both.
//  6. None: else (no figures for the trend years in c or its county): NaN.
//
// A figure is a population > 0: a blank cell, a missing row and a zero all
// count as no figure (the shipped file has 1580 Haram at 0 in 2020-2023,
// while it was part of Ålesund). County sums run over the municipalities in
// the data, not only the world's. The data are w.Population when the world
// has it (a world folder's PopulationFile), else the shipped
// population_kommune2024_1986_2026.csv (data/SOURCES.md, file 4), matched by
// code: its codes are 2024 codes, as are both embedded worlds'.
//
// Every ratio that is not NaN is finite and > 0. An error is returned for
// years < 0, an invalid w.Population (Validate) or an explicit growth rate
// whose ratio is not finite and > 0. The shipped file is parsed and indexed
// once per process; a call on an embedded world over 30 years then takes
// about half a millisecond (BenchmarkPopulationPath).
func (w *World) PopulationPath(years int) (*PopulationPath, error) {
	if years < 0 {
		return nil, fmt.Errorf("world: population path: %d years", years)
	}
	var ix *popIndex
	data := "the shipped " + filePopPath
	if w.Population != nil {
		if p := w.Population.problems(); len(p) > 0 {
			return nil, fmt.Errorf("world: population path: %w", errors.Join(p...))
		}
		ix = newPopIndex(w.Population)
		data = "the world's " + PopulationFile
	} else {
		var err error
		if ix, err = shippedPopulation(); err != nil {
			return nil, fmt.Errorf("world: population path: %w", err)
		}
	}

	// countyRatio[county][t-1] is the county's ratio in model year t: 0 when
	// not computed yet, NaN when the county has no figures.
	countyRatio := map[string][]float64{}
	countyTrend := map[string]float64{} // NaN: none
	ratioOf := func(a, b float64, ok bool) float64 {
		if !ok {
			return math.NaN()
		}
		return b / a
	}
	trendOf := func(a, b float64, ok bool) float64 {
		if !ok {
			return math.NaN()
		}
		return math.Pow(b/a, 1.0/trendYears)
	}
	trendFrom, trendTo := ix.last-trendYears, ix.last

	// Counts for the notes.
	var (
		observed, given              int
		countyYears, ownTY, countyTY int
		noneYears                    int
		inCounty, ownTrend, cTrend   []string
		notIn, noTrend               []string
	)
	n := len(w.Municipalities)
	pp := &PopulationPath{Ratio: make([][]float64, n), Source: make([][]PathSource, n)}
	ratios, sources := make([]float64, n*years), make([]PathSource, n*years)
	for m := range w.Municipalities {
		mu := &w.Municipalities[m]
		r := ratios[m*years : (m+1)*years : (m+1)*years]
		s := sources[m*years : (m+1)*years : (m+1)*years]
		pp.Ratio[m], pp.Source[m] = r, s
		code, county := mu.Code, countyOf(mu.Code)

		if mu.Growth.OK {
			g := 1 + mu.Growth.V
			if !finite(g) || g <= 0 {
				return nil, fmt.Errorf("world: population path: municipality %d (%q): growth %v gives the ratio %v, not finite and > 0", m, code, mu.Growth.V, g)
			}
			for k := range r {
				r[k], s[k] = g, PathGiven
			}
			given++
			continue
		}
		rows, in := ix.rows[code]
		if !in {
			for k := range r {
				r[k], s[k] = math.NaN(), PathNone
			}
			notIn = append(notIn, code)
			continue
		}

		cr := countyRatio[county]
		if cr == nil {
			cr = make([]float64, years)
			countyRatio[county] = cr
		}
		trend, trendSrc := 0.0, -1 // -1: not computed; 0: none; 1: own; 2: county's
		var nCounty, nOwnT, nCountyT, nNone int
		for k := range r {
			prev, next := w.Year+k+1, w.Year+k+2
			if x := ratioOf(pair(rows, prev, next)); !math.IsNaN(x) {
				r[k], s[k] = x, PathObserved
				observed++
				continue
			}
			if cr[k] == 0 {
				cr[k] = ratioOf(ix.countyPair(county, prev, next))
			}
			if x := cr[k]; !math.IsNaN(x) {
				r[k], s[k] = x, PathCounty
				nCounty++
				continue
			}
			if trendSrc < 0 {
				trend, trendSrc = trendOf(pair(rows, trendFrom, trendTo)), 1
				if math.IsNaN(trend) {
					ct, ok := countyTrend[county]
					if !ok {
						ct = trendOf(ix.countyPair(county, trendFrom, trendTo))
						countyTrend[county] = ct
					}
					trend, trendSrc = ct, 2
					if math.IsNaN(ct) {
						trendSrc = 0
					}
				}
			}
			switch trendSrc {
			case 1:
				r[k], s[k] = trend, PathTrend
				nOwnT++
			case 2:
				r[k], s[k] = trend, PathTrend
				nCountyT++
			default:
				r[k], s[k] = math.NaN(), PathNone
				nNone++
			}
		}
		if nCounty > 0 {
			inCounty = append(inCounty, code)
			countyYears += nCounty
		}
		if nOwnT > 0 {
			ownTrend = append(ownTrend, code)
			ownTY += nOwnT
		}
		if nCountyT > 0 {
			cTrend = append(cTrend, code)
			countyTY += nCountyT
		}
		if nNone > 0 {
			noTrend = append(noTrend, code)
			noneYears += nNone
		}
	}
	for m, r := range pp.Ratio {
		for k, x := range r {
			if pp.Source[m][k] != PathNone && !(finite(x) && x > 0) {
				return nil, fmt.Errorf("world: population path: municipality %d (%q), model year %d: ratio %v is not finite and > 0",
					m, w.Municipalities[m].Code, k+1, x)
			}
		}
	}

	var nt notes
	nt.add("population path: model year 0 is 1 January %d, model year t ends on 1 January %d+t (t = 1..%d); "+
		"ratios of populations on 1 January from %s (figures %d-%d); %d of %d municipality-years observed",
		w.Year+1, w.Year+1, years, data, ix.first, ix.last, observed, n*years)
	nt.count(int64(given), "%d municipalities with an explicit growth rate: ratio 1 + growth in every year")
	nt.count(int64(len(inCounty)), "%d municipalities with the county ratio (sums over the county's municipalities with figures) "+
		"in %d municipality-years without own figures: %s", countyYears, codeList(inCounty))
	nt.count(int64(len(ownTrend)), "%d municipalities with the municipal trend (geometric mean yearly ratio, 1 January %d to %d) "+
		"in %d municipality-years without own or county figures: %s", trendFrom, trendTo, ownTY, codeList(ownTrend))
	nt.count(int64(len(cTrend)), "%d municipalities with the county trend (1 January %d to %d; no own figures for those years) "+
		"in %d municipality-years without own or county figures: %s", trendFrom, trendTo, countyTY, codeList(cTrend))
	nt.count(int64(len(notIn)), "%d municipalities not in the population data: no ratio (NaN), the simulation uses its default growth: %s",
		codeList(notIn))
	nt.count(int64(len(noTrend)), "%d municipalities without a ratio (NaN) in %d municipality-years (no own or county figures, no trend): "+
		"the simulation uses its default growth: %s", noneYears, codeList(noTrend))
	pp.Notes = nt
	return pp, nil
}
