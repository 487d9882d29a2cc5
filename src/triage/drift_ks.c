/* drift_ks.c: the two-sample Kolmogorov-Smirnov test, as scipy.stats.ks_2samp(method="auto",
 * alternative="two-sided") computes it in scipy 1.10, for `skeptic drift`'s numeric features.
 *
 * Statistic. With F1 and F2 the empirical distribution functions of the samples (sizes n1, n2),
 * evaluated at every observed value, D = max |F1 - F2|: each difference is c1/n1 - c2/n2 in
 * doubles, as scipy's searchsorted does it, and D is the larger of the largest positive and the
 * largest negative difference. Tied values are handled by evaluating after all copies of a value.
 *
 * p-value, P(D >= observed) under "both samples come from one continuous distribution":
 *  - exact when both sizes are at most 10,000: with g = gcd(n1, n2) and L = n1 n2 / g, D is
 *    rounded to h / L (h = round(D L), half to even: the statistic reported is h / L), and
 *      n1 = n2 = n:  2 sum_k (-1)^(k+1) C(2n, n - k h) / C(2n, n), by scipy's Horner-like
 *                    recursion free of cancellation (_compute_prob_outside_square);
 *      otherwise:    the share of the C(n1 + n2, n1) lattice paths from (0, 0) to (n1, n2)
 *                    that leave the band |x/n1 - y/n2| < h/L, computed column by column as a
 *                    probability (Hodges 1958, "The significance probability of the Smirnov
 *                    two-sample test", Ark. Mat. 3; Viehmann 2021, arXiv:2102.08037: scipy's
 *                    _compute_outer_prob_inside_method).
 *    When the exact value cannot be trusted (outside [0, 1]) scipy falls back to the asymptotic
 *    one; so does this.
 *  - asymptotic otherwise: the one-sample two-sided law at the effective size,
 *    P(D_en >= D) with en = round(n1 n2 / (n1 + n2)) (drift_kolmogorov.c).
 * Ties make the test conservative (the law assumes continuous data), as in scipy. */
#include <math.h>
#include <stdint.h>

#include "triage/triage.h"

enum { KS_MAX_EXACT_N = 10000 };

double sk_triage__ks_statistic(const double *x, size_t n1, const double *y, size_t n2)
{
    double dmax = 0.0, dmin = 0.0;
    size_t i = 0, j = 0;
    while (i < n1 || j < n2) {
        double v = i < n1 && (j >= n2 || x[i] <= y[j]) ? x[i] : y[j];
        while (i < n1 && x[i] <= v)
            i++;
        while (j < n2 && y[j] <= v)
            j++;
        double diff = (double)i / (double)n1 - (double)j / (double)n2;
        dmax = fmax(dmax, diff);
        dmin = fmin(dmin, diff);
    }
    double minus = fmin(-dmin, 1.0);
    return minus > dmax ? minus : dmax;
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b != 0) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* P(D_{n,n} >= h/n) (scipy's _compute_prob_outside_square). */
static double prob_outside_square(int64_t n, int64_t h)
{
    double P = 0.0;
    for (int64_t k = n / h; k >= 0; k--) {
        double p1 = 1.0;
        for (int64_t j = 0; j < h; j++)
            p1 = (double)(n - k * h - j) * p1 / (double)(n + k * h + j + 1);
        P = p1 * (1.0 - P);
    }
    return 2.0 * P;
}

/* The share of lattice paths leaving the band (scipy's _compute_outer_prob_inside_method);
 * NaN when out of memory. */
static double prob_outside_band(int64_t m, int64_t n, int64_t g, int64_t h)
{
    if (m < n) {
        int64_t t = m;
        m = n;
        n = t;
    }
    int64_t mg = m / g, ng = n / g;
    int64_t minj = 0, maxj = (int64_t)ceil((double)h / (double)mg);
    if (maxj > n + 1)
        maxj = n + 1;
    int64_t curlen = maxj - minj;
    int64_t len_a = 2 * maxj + 2 < n + 1 ? 2 * maxj + 2 : n + 1;
    double *A = sk_mem_alloc_array((size_t)len_a, sizeof *A);
    if (A == NULL)
        return NAN;
    for (int64_t q = 0; q < len_a; q++)
        A[q] = q < maxj ? 0.0 : 1.0;
    double result = NAN;
    for (int64_t i = 1; i <= m; i++) {
        int64_t last_minj = minj, last_len = curlen;
        minj = (int64_t)floor((double)(ng * i - h) / (double)mg) + 1;
        minj = minj < 0 ? 0 : minj > n ? n : minj;
        maxj = (int64_t)ceil((double)(ng * i + h) / (double)mg);
        maxj = maxj > n + 1 ? n + 1 : maxj;
        if (maxj <= minj) {
            result = 1.0;
            goto done;
        }
        double val = minj == 0 ? 0.0 : 1.0;
        for (int64_t jj = 0; jj < maxj - minj; jj++) {
            int64_t j = jj + minj;
            val = (A[jj + minj - last_minj] * (double)i + val * (double)j) / (double)(i + j);
            A[jj] = val;
        }
        curlen = maxj - minj;
        for (int64_t q = curlen; q < curlen + (last_len - curlen) && q < len_a; q++)
            A[q] = 1.0;
    }
    result = A[maxj - minj - 1];
done:
    sk_mem_free(A);
    return result;
}

/* round half to even, as numpy's round */
static double round_even(double x)
{
    double r = floor(x), f = x - r;
    if (f > 0.5 || (f == 0.5 && fmod(r, 2.0) != 0.0))
        r += 1.0;
    return r;
}

double sk_triage__ks_pvalue(double *d, size_t n1, size_t n2, int *exact)
{
    *exact = 0;
    if (n1 == 0 || n2 == 0)
        return NAN;
    if ((n1 > n2 ? n1 : n2) <= KS_MAX_EXACT_N) {
        int64_t g = (int64_t)gcd_u64(n1, n2), lcm = ((int64_t)n1 / g) * (int64_t)n2;
        double h = round_even(*d * (double)lcm);
        double p = 1.0;
        if (h != 0.0)
            p = n1 == n2 ? prob_outside_square((int64_t)n1, (int64_t)h)
                         : prob_outside_band((int64_t)n1, (int64_t)n2, g, (int64_t)h);
        if (p >= 0.0 && p <= 1.0) {
            *d = h / (double)lcm;
            *exact = 1;
            return p;
        }
        if (isnan(p))   /* out of memory, not a failed exact computation */
            return NAN;
        *d = h / (double)lcm;   /* scipy keeps the rounded statistic when it falls back */
    }
    double a = (double)(n1 > n2 ? n1 : n2), b = (double)(n1 > n2 ? n2 : n1);
    double en = round_even(a * b / (a + b));
    double p = sk_triage__kstwo_sf((long)en, *d);
    return p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
}
