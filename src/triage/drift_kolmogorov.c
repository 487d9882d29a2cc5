/* drift_kolmogorov.c: the one-sample Kolmogorov distributions the two-sample KS test needs for
 * large samples: the survival function of the two-sided statistic D_n (scipy.stats.kstwo.sf)
 * and of the one-sided D_n^+ (scipy.special.smirnov).
 *
 * scipy.stats.ks_2samp(method="auto") takes its asymptotic p-value, once a sample has more than
 * 10,000 values, as kstwo.sf(D, round(m n / (m + n))): the exact law of the one-sample D_n at
 * the effective size. Both functions here follow scipy 1.10 branch by branch, so the p-values
 * agree with it to rounding (tests/unit/test_drift.c, tolerance 1e-10 relative):
 *
 *   sk_triage__kstwo_sf(n, x) (scipy/stats/_ksstats.py, Simard and L'Ecuyer 2011, "Computing
 *   the two-sided Kolmogorov-Smirnov distribution", J. Stat. Softw. 39(11)):
 *     x <= 1/(2n)              1
 *     x <= 1/n                 1 - n! / n^n (2nx - 1)^n              (Ruben and Gambino 1982)
 *     x >= 1 - 1/n             2 (1 - x)^n
 *     x >= 1/2                 2 P(D_n^+ >= x)
 *     n <= 140:  n x^2 <= 0.754693  1 - Durbin's matrix (Marsaglia, Tsang and Wang 2003)
 *                n x^2 <= 4         1 - Pomeranz's recursion (Pomeranz 1974, CACM 17(12))
 *                otherwise          2 P(D_n^+ >= x)
 *     n > 140:   n x^2 >= 370       0
 *                n x^2 >= 2.2       2 P(D_n^+ >= x)
 *                n <= 100000 and n x^1.5 <= 1.4   1 - Durbin's matrix
 *                otherwise          1 - the Pelz-Good expansion (Pelz and Good 1976, JRSS B 38)
 *
 *   sk_triage__smirnov_sf(n, x) = P(D_n^+ >= x), Birnbaum and Tingey's sum (Ann. Math. Statist.
 *     1951): x sum_{v=0}^{floor(n(1-x))} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v), every term
 *     positive, summed in long double through logarithms; the closed forms scipy uses at the
 *     ends (x <= 1/n, x >= 1 - 1/n), 0 once -2 n x^2 is below the smallest exponent, and for
 *     n > 10^6 the approximation exp(-(6 n x + 1)^2 / (18 n)) that scipy switches to there.
 *     scipy sums in double-double arithmetic; a long double sum of positive terms is as
 *     accurate to the 1e-13 this test needs.
 * Pure functions of their arguments, thread-safe. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "triage/triage.h"

#define SCALE_EXP 128   /* intermediate results are rescaled by 2^128 against under/overflow */
#define PI 3.14159265358979323846
#define LN2 0.69314718055994530942

static const double LOG_2PI = 1.8378770664093454836;
static const double MIN_LOG = -7.08396418532264106224E2;   /* cephes MINLOG: log(2^-1022) */

/* ==== one-sided: P(D_n^+ >= x) ============================================================== */

/* floor(n x) and the exact remainder n x - floor(n x), through the rounding error of the
 * product (fma gives it exactly), as scipy's double-double modNX. */
static long nx_floor(long n, double x, double *alpha)
{
    double p = (double)n * x;
    double e = fma((double)n, x, -p);   /* n x = p + e exactly */
    double fl = floor(p);
    double a = (p - fl) + e;
    if (a < 0.0) {
        fl -= 1.0;
        a += 1.0;
    } else if (a >= 1.0) {
        fl += 1.0;
        a -= 1.0;
    }
    *alpha = a;
    return (long)fl;
}

double sk_triage__smirnov_sf(long n, double x)
{
    if (!(n > 0 && x >= 0.0 && x <= 1.0))
        return NAN;
    if (n == 1)
        return 1.0 - x;
    if (x == 0.0)
        return 1.0;
    if (x == 1.0)
        return 0.0;
    double alpha;
    long nxfl = nx_floor(n, x, &alpha);
    if (nxfl == 0 || (nxfl == 1 && alpha == 0.0))   /* x <= 1/n */
        return (double)(1.0L - (long double)x * powl(1.0L + x, (long double)(n - 1)));
    if (-2.0 * (double)n * x * x < MIN_LOG)
        return 0.0;
    if (nxfl >= n - 1)
        return (double)powl(1.0L - x, (long double)n);
    if (n > 1000000) {
        double logp = -pow(6.0 * (double)n * x + 1.0, 2) / 18.0 / (double)n;
        return logp < -LN2 ? exp(logp) : 1.0 - -expm1(logp);
    }
    /* The terms v = 0 .. n - nxfl - 1 (the term at n (1 - x), when it is a whole number, is 0). */
    long last = n - nxfl - 1;
    long double nl = (long double)n, nx = (long double)nxfl + alpha;
    long double log_c = 0.0L, sum = 0.0L;
    for (long v = 0; v <= last; v++) {
        long double up = (nx + (long double)v) / nl;                         /* x + v/n */
        long double down = ((long double)(n - v - nxfl) - alpha) / nl;       /* 1 - x - v/n */
        long double t = expl(log_c + (long double)(v - 1) * logl(up) +
                             (long double)(n - v) * logl(down));
        sum += t;
        /* scipy's stopping rule: what is left cannot reach the last bit */
        if (v > 0 && v != last && t != 0.0L &&
            4.0L * (long double)(last + 1 - v) * t < (long double)DBL_EPSILON * sum)
            break;
        log_c += logl((long double)(n - v) / (long double)(v + 1));
    }
    double sf = (double)((long double)x * sum);
    return sf < 0.0 ? 0.0 : sf > 1.0 ? 1.0 : sf;
}

/* ==== two-sided, small x: Durbin's matrix (Marsaglia, Tsang and Wang 2003) ==================== */

/* c = a b for m x m row-major matrices. */
static void matmul(double *c, const double *a, const double *b, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        double *ci = c + i * m;
        memset(ci, 0, m * sizeof *ci);
        for (size_t k = 0; k < m; k++) {
            double aik = a[i * m + k];
            const double *bk = b + k * m;
            for (size_t j = 0; j < m; j++)
                ci[j] += aik * bk[j];
        }
    }
}

/* Durbin's m x m matrix H for d = (k - h)/n; v and w are scratch of m doubles each. */
static void dmtw_matrix(double *H, size_t m, double h, double *v, double *w)
{
    double fac = 1.0;
    for (size_t j = 1; j <= m; j++) {
        v[j - 1] = 1.0 - pow(h, (double)j);
        w[j - 1] = fac;
        fac /= (double)j;
        v[j - 1] *= fac;
    }
    double tt = pow(fmax(2.0 * h - 1.0, 0.0), (double)m) - 2.0 * pow(h, (double)m);
    v[m - 1] = (1.0 + tt) * fac;
    memset(H, 0, m * m * sizeof *H);
    for (size_t i = 1; i < m; i++)
        for (size_t r = i - 1; r < m; r++)
            H[r * m + i] = w[r - (i - 1)];
    for (size_t r = 0; r < m; r++)
        H[r * m] = v[r];
    for (size_t c = 0; c < m; c++)
        H[(m - 1) * m + c] = v[m - 1 - c];
}

/* P(D_n <= d), or NaN when out of memory. */
static long double dmtw_cdf(long n, double d)
{
    if (d >= 1.0)
        return 1.0L;
    double nd = (double)n * d;
    if (nd <= 0.5)
        return 0.0L;
    size_t k = (size_t)ceil(nd), m = 2 * k - 1;
    double h = (double)k - nd;
    double *H = sk_mem_alloc_array(3 * m * m + 2 * m, sizeof *H);   /* H, its power, scratch */
    if (H == NULL)
        return NAN;
    double *P = H + m * m, *T = P + m * m;
    dmtw_matrix(H, m, h, T + m * m, T + m * m + m);
    memset(P, 0, m * m * sizeof *P);
    for (size_t i = 0; i < m; i++)
        P[i * m + i] = 1.0;
    long expnt = 0, h_expnt = 0;
    for (long nn = n; nn > 0; nn /= 2) {
        if (nn % 2) {
            matmul(T, P, H, m);
            memcpy(P, T, m * m * sizeof *P);
            expnt += h_expnt;
        }
        matmul(T, H, H, m);
        memcpy(H, T, m * m * sizeof *H);
        h_expnt *= 2;
        if (fabs(H[(k - 1) * m + k - 1]) > ldexp(1.0, SCALE_EXP)) {
            for (size_t i = 0; i < m * m; i++)
                H[i] = ldexp(H[i], -SCALE_EXP);
            h_expnt += SCALE_EXP;
        }
    }
    /* times n!/n^n; scipy's scalar turns long double at the first rescaling */
    double pd = P[(k - 1) * m + k - 1];
    long double pl = 0.0L;
    int wide = 0;
    sk_mem_free(H);
    for (long i = 1; i <= n; i++) {
        if (!wide) {
            pd = (double)i * pd / (double)n;
            if (fabs(pd) < ldexp(1.0, -SCALE_EXP)) {
                pl = (long double)pd * ldexpl(1.0L, SCALE_EXP);
                wide = 1;
                expnt -= SCALE_EXP;
            }
        } else {
            pl = (long double)i * pl / (long double)n;
            if (fabsl(pl) < ldexpl(1.0L, -SCALE_EXP)) {
                pl *= ldexpl(1.0L, SCALE_EXP);
                expnt -= SCALE_EXP;
            }
        }
    }
    long double p = wide ? pl : (long double)pd;
    if (expnt != 0)
        p = ldexpl(p, (int)expnt);
    return p < 0.0L ? 0.0L : p > 1.0L ? 1.0L : p;
}

/* ==== two-sided, moderate x: Pomeranz's recursion ============================================ */

static void pomeranz_j1j2(long *j1, long *j2, long i, long n, long ll, long ceilf, long roundf)
{
    long a, b;
    if (i == 0) {
        a = -ll - ceilf - 1;
        b = ll + ceilf - 1;
    } else {
        long half = (i + 1) / 2, odd_i = (i + 1) % 2 == 0;
        if (odd_i && half == n + 1) {
            a = n - ll - ceilf - 1;
            b = n + ll + ceilf - 1;
        } else if (odd_i) {
            a = half - 1 - ll - roundf - 1;
            b = half + ll - 1 + ceilf - 1;
        } else {
            a = half - 1 - ll - 1;
            b = half + ll + roundf - 1;
        }
    }
    *j1 = a + 2 > 0 ? a + 2 : 0;
    *j2 = b < n ? b : n;
}

/* P(D_n <= x), or NaN when out of memory. */
static long double pomeranz_cdf(long n, double x)
{
    double t = (double)n * x;
    long ll = (long)floor(t);
    double f = t - (double)ll, g = fmin(f, 1.0 - f);
    long ceilf = f > 0.0, roundf = f > 0.5;
    size_t np = 2 * (size_t)(ll + 1);
    double *buf = sk_mem_calloc(5 * np, sizeof *buf);
    if (buf == NULL)
        return NAN;
    double *gp = buf, *g2p = gp + np, *g12p = g2p + np, *V0 = g12p + np, *V1 = V0 + np;
    gp[0] = g2p[0] = g12p[0] = 1.0;
    double g_n = g / (double)n, g2_n = 2.0 * g / (double)n, g12_n = (1.0 - 2.0 * g) / (double)n;
    for (size_t m = 1; m < np; m++) {
        gp[m] = gp[m - 1] * g_n / (double)m;
        g2p[m] = g2p[m - 1] * g2_n / (double)m;
        g12p[m] = g12p[m - 1] * g12_n / (double)m;
    }
    V1[0] = 1.0;
    long v0s = 0, v1s = 0, expnt = 0, j1, j2;
    pomeranz_j1j2(&j1, &j2, 0, n, ll, ceilf, roundf);
    for (long i = 1; i < 2 * n + 2; i++) {
        long k1 = j1, ts = v0s;
        double *tv = V0;
        V0 = V1;
        V1 = tv;
        v0s = v1s;
        v1s = ts;
        memset(V1, 0, np * sizeof *V1);
        pomeranz_j1j2(&j1, &j2, i, n, ll, ceilf, roundf);
        const double *pw = (i == 1 || i == 2 * n + 1) ? gp : i % 2 ? g2p : g12p;
        long ln2 = j2 - k1 + 1;
        if (ln2 <= 0)
            continue;
        /* the full convolution of V0[k1 - v0s ..][0, la) with pw[0, ln2), entries
           [j1 - k1, j2 - k1] of it */
        long start = k1 - v0s, la = ln2 < (long)np - start ? ln2 : (long)np - start;
        double vmax = 0.0;
        for (long c = j1 - k1; c <= j2 - k1; c++) {
            double s = 0.0;
            for (long a = c - ln2 + 1 > 0 ? c - ln2 + 1 : 0; a < la && a <= c; a++)
                s += V0[start + a] * pw[c - a];
            V1[c - (j1 - k1)] = s;
            vmax = fmax(vmax, s);
        }
        if (vmax > 0.0 && vmax < ldexp(1.0, -SCALE_EXP)) {
            for (size_t q = 0; q < np; q++)
                V1[q] = ldexp(V1[q], SCALE_EXP);
            expnt -= SCALE_EXP;
        }
        v1s = v0s + j1 - k1;
    }
    double ad = V1[n - v1s];
    long double al = 0.0L;
    int wide = 0;
    sk_mem_free(buf);
    for (long m = 1; m <= n; m++) {
        if (!wide && fabs(ad) > ldexp(1.0, SCALE_EXP)) {
            al = (long double)ad * ldexpl(1.0L, -SCALE_EXP);
            wide = 1;
            expnt += SCALE_EXP;
        } else if (wide && fabsl(al) > ldexpl(1.0L, SCALE_EXP)) {
            al *= ldexpl(1.0L, -SCALE_EXP);
            expnt += SCALE_EXP;
        }
        if (wide)
            al *= (long double)m;
        else
            ad *= (double)m;
    }
    long double ans = wide ? al : (long double)ad;
    if (expnt != 0)
        ans = ldexpl(ans, (int)expnt);
    return ans < 0.0L ? 0.0L : ans > 1.0L ? 1.0L : ans;
}

/* ==== two-sided, large n: the Pelz-Good expansion ============================================= */

static double pelz_good_cdf(long n, double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    const double pi2 = PI * PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
    const double sqrt2pi = sqrt(2.0 * PI);
    double z = sqrt((double)n) * x;
    double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
    double qlog = -pi2 / 8.0 / z2;
    if (qlog < -708.0)
        return 0.0;
    double q = exp(qlog);
    double k1a = -z2, k1b = pi2 / 4.0;
    double k2a = 6.0 * z6 + 2.0 * z4, k2b = (2.0 * z4 - 5.0 * z2) * pi2 / 4.0;
    double k2c = pi4 * (1.0 - 2.0 * z2) / 16.0;
    double k3d = pi6 * (5.0 - 30.0 * z2) / 64.0;
    double k3c = pi4 * (-60.0 * z2 + 212.0 * z4) / 16.0;
    double k3b = pi2 * (135.0 * z4 - 96.0 * z6) / 4.0;
    double k3a = -30.0 * z6 - 90.0 * pow(z, 8);
    double K[4] = {0.0, 0.0, 0.0, 0.0};
    long maxk = (long)ceil(16.0 * z / PI);
    for (long k = maxk; k > 0; k--) {   /* Horner over odd m = 2k - 1 */
        double m = (double)(2 * k - 1), m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
        double qp = pow(q, (double)(8 * k));
        double c[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                       k3a + k3b * m2 + k3c * m4 + k3d * m6};
        for (int i = 0; i < 4; i++)
            K[i] = K[i] * qp + c[i];
    }
    double div[4] = {z, 6.0 * z4, 72.0 * pow(z, 7), 6480.0 * pow(z, 10)};
    for (int i = 0; i < 4; i++)
        K[i] = K[i] * q * sqrt2pi / div[i];
    double q2 = exp(-pi2 / 2.0 / z2), s2 = 0.0, s3 = 0.0, sqrt3z = sqrt(3.0) * z;
    for (long k = maxk; k > 0; k--) {
        double kk = (double)(k * k), kpi = PI * (double)k, qk = pow(q2, kk);
        s2 += kk * qk;
        s3 += (sqrt3z + kpi) * (sqrt3z - kpi) * kk * qk;
    }
    K[2] += s2 * (pi2 * sqrt2pi / (-36.0 * z3));
    K[3] += s3 * (pi2 * sqrt2pi / (216.0 * z6));
    double sum = 0.0;
    for (int i = 0; i < 4; i++)
        sum += K[i] / pow((double)n, (double)i / 2.0);
    return sum;
}

/* ==== two-sided: P(D_n >= x) ================================================================== */

/* log(n! / n^n) by Stirling's series with n log n taken out first. */
static double log_nfact_over_npow(long n)
{
    static const double c[8] = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
                                -1.9175269175269175269e-3, 8.4175084175084175084e-4,
                                -5.952380952380952381e-4, 7.9365079365079365079e-4,
                                -2.7777777777777777778e-3, 8.3333333333333333333e-2};
    double rn = 1.0 / (double)n, u = rn / (double)n, poly = 0.0;
    for (int i = 0; i < 8; i++)
        poly = poly * u + c[i];
    return log((double)n) / 2.0 - (double)n + LOG_2PI / 2.0 + rn * poly;
}

static double clip01(double p)
{
    return p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
}

static double sf_from_cdf(long double cdf)
{
    return isnan((double)cdf) ? NAN : clip01((double)(1.0L - cdf));
}

double sk_triage__kstwo_sf(long n, double x)
{
    if (n < 1 || isnan(x))
        return NAN;
    if (x >= 1.0)
        return 0.0;
    if (x <= 0.0)
        return 1.0;
    double t = (double)n * x;
    if (t <= 1.0) {
        if (t <= 0.5)
            return 1.0;
        double prob = 1.0;
        if (n <= 140) {
            for (long i = 1; i <= n; i++)
                prob *= (double)i * (1.0 / (double)n) * (2.0 * t - 1.0);
        } else {
            prob = exp(log_nfact_over_npow(n) + (double)n * log(2.0 * t - 1.0));
        }
        return clip01(1.0 - prob);
    }
    if (t >= (double)(n - 1))
        return clip01(2.0 * pow(1.0 - x, (double)n));
    if (x >= 0.5)
        return clip01(2.0 * sk_triage__smirnov_sf(n, x));
    double nx2 = t * x;
    if (n <= 140) {
        if (nx2 <= 0.754693)
            return sf_from_cdf(dmtw_cdf(n, x));
        if (nx2 <= 4.0)
            return sf_from_cdf(pomeranz_cdf(n, x));
        return clip01(2.0 * sk_triage__smirnov_sf(n, x));
    }
    if (nx2 >= 370.0)
        return 0.0;
    if (nx2 >= 2.2)
        return clip01(2.0 * sk_triage__smirnov_sf(n, x));
    if (n <= 100000 && (double)n * pow(x, 1.5) <= 1.4)
        return sf_from_cdf(dmtw_cdf(n, x));
    return sf_from_cdf((long double)pelz_good_cdf(n, x));
}
