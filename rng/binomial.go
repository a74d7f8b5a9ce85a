package rng

import (
	"math"
	"math/rand/v2"
)

// Binomial draws from Binomial(n, p): the number of successes in n
// independent trials of probability p.
//
// gonum's distuv.Binomial is exact but evaluates log-gamma and tangent
// functions in every draw (Numerical Recipes' rejection method); list churn
// draws one binomial per GP and year, the engine's hottest random draw, so
// this sampler uses the algorithms numpy uses: inversion when
// min(p, 1-p)*n <= 30, otherwise BTPE (Kachitvichyanukul and Schmeiser,
// "Binomial random variate generation", Communications of the ACM 31(2),
// 1988), which accepts most draws with two uniforms and no logarithm.
// BenchmarkBinomial compares the two; the tests check the distribution
// against the exact pmf.
func Binomial(r *rand.Rand, n int64, p float64) int64 {
	if n <= 0 || !(p > 0) {
		return 0
	}
	if p >= 1 {
		return n
	}
	if p <= 0.5 {
		if p*float64(n) <= 30 {
			return binomialInversion(r, n, p)
		}
		return binomialBTPE(r, n, p)
	}
	q := 1 - p
	if q*float64(n) <= 30 {
		return n - binomialInversion(r, n, q)
	}
	return n - binomialBTPE(r, n, q)
}

// binomialInversion is sequential search from 0, restarting beyond a bound
// ten standard deviations above the mean (numpy's random_binomial_inversion).
func binomialInversion(r *rand.Rand, n int64, p float64) int64 {
	q := 1 - p
	qn := math.Exp(float64(n) * math.Log(q))
	np := float64(n) * p
	bound := int64(math.Min(float64(n), np+10*math.Sqrt(np*q+1)))
	var x int64
	px := qn
	u := r.Float64()
	for u > px {
		x++
		if x > bound {
			x = 0
			px = qn
			u = r.Float64()
		} else {
			u -= px
			px = (float64(n-x+1) * p * px) / (float64(x) * q)
		}
	}
	return x
}

// binomialBTPE is the BTPE algorithm for p <= 0.5 and n*p > 30.
func binomialBTPE(rnd *rand.Rand, n int64, p float64) int64 {
	nf := float64(n)
	r := math.Min(p, 1-p)
	q := 1 - r
	fm := nf*r + r
	m := int64(math.Floor(fm))
	mf := float64(m)
	p1 := math.Floor(2.195*math.Sqrt(nf*r*q)-4.6*q) + 0.5
	xm := mf + 0.5
	xl := xm - p1
	xr := xm + p1
	c := 0.134 + 20.5/(15.3+mf)
	a := (fm - xl) / (fm - xl*r)
	laml := a * (1 + a/2)
	a = (xr - fm) / (xr * q)
	lamr := a * (1 + a/2)
	p2 := p1 * (1 + 2*c)
	p3 := p2 + c/laml
	p4 := p3 + c/lamr
	nrq := nf * r * q
	for {
		u := rnd.Float64() * p4
		v := rnd.Float64()
		var y int64
		switch {
		case u <= p1: // triangular region: accept at once
			y = int64(math.Floor(xm - p1*v + u))
			return flip(y, n, p)
		case u <= p2: // parallelograms
			x := xl + (u-p1)/c
			v = v*c + 1 - math.Abs(mf-x+0.5)/p1
			if v > 1 {
				continue
			}
			y = int64(math.Floor(x))
		case u <= p3: // left exponential tail
			if v == 0 {
				continue
			}
			yf := math.Floor(xl + math.Log(v)/laml)
			if yf < 0 {
				continue
			}
			y = int64(yf)
			v = v * (u - p2) * laml
		default: // right exponential tail
			if v == 0 {
				continue
			}
			yf := math.Floor(xr - math.Log(v)/lamr)
			if yf > nf {
				continue
			}
			y = int64(yf)
			v = v * (u - p3) * lamr
		}
		k := y - m
		if k < 0 {
			k = -k
		}
		kf := float64(k)
		if k <= 20 || kf >= nrq/2-1 {
			// Explicit evaluation of f(y)/f(m) by recursion.
			s := r / q
			aa := s * (nf + 1)
			f := 1.0
			if m < y {
				for i := m + 1; i <= y; i++ {
					f *= aa/float64(i) - s
				}
			} else if m > y {
				for i := y + 1; i <= m; i++ {
					f /= aa/float64(i) - s
				}
			}
			if v > f {
				continue
			}
			return flip(y, n, p)
		}
		// Squeeze using upper and lower bounds on log f(y).
		rho := (kf / nrq) * ((kf*(kf/3+0.625)+0.16666666666666666)/nrq + 0.5)
		t := -kf * kf / (2 * nrq)
		aLog := math.Log(v)
		if aLog < t-rho {
			return flip(y, n, p)
		}
		if aLog > t+rho {
			continue
		}
		yf := float64(y)
		x1 := yf + 1
		f1 := mf + 1
		z := nf + 1 - mf
		w := nf - yf + 1
		x2, f2, z2, w2 := x1*x1, f1*f1, z*z, w*w
		bound := xm*math.Log(f1/x1) + (nf-mf+0.5)*math.Log(z/w) + (yf-mf)*math.Log(w*r/(x1*q)) +
			stirling(f1, f2) + stirling(z, z2) + stirling(x1, x2) + stirling(w, w2)
		if aLog > bound {
			continue
		}
		return flip(y, n, p)
	}
}

// stirling is the Stirling-series correction term of BTPE's final test.
func stirling(x, x2 float64) float64 {
	return (13680. - (462.-(132.-(99.-140./x2)/x2)/x2)/x2) / x / 166320.
}

// flip maps a draw for min(p, 1-p) back to p (p <= 0.5 here, so no flip).
func flip(y, n int64, p float64) int64 {
	if p > 0.5 {
		return n - y
	}
	return y
}
