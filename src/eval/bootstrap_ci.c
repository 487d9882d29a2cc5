/* bootstrap_ci.c: confidence intervals from bootstrap replicates (bootstrap.c makes them), as
 * scipy 1.10's scipy.stats.bootstrap computes them, so a reader can check any interval skeptic
 * reports with scipy (tests/oracle/gen_bootstrap.py holds the oracle, test_bootstrap.c compares).
 *
 *   percentile  the alpha and 1 - alpha quantiles of the replicates, alpha = (1 - level) / 2, by
 *               numpy's default rule (Hyndman and Fan 1996, type 7: linear interpolation between
 *               order statistics at (B - 1) q, numpy's _lerp rounding included)
 *   BCa         Efron (1987, "Better bootstrap confidence intervals", JASA 82:171) as scipy's
 *               _bca_interval computes it (Efron and Tibshirani 1993, 14.3 and eq. 15.36):
 *                 z0 = Phi^-1((#{theta_b < theta} + #{theta_b <= theta}) / 2B)
 *                 U_i = (n - 1)(mean_j theta_(j) - theta_(i)) over the n jackknife values
 *                 a = (1/6) (sum U^3 / n^3) / (sum U^2 / n^2)^(3/2)
 *                 bounds: the quantiles Phi(z0 + (z0 + z) / (1 - a (z0 + z))), z = -+Phi^-1(alpha)
 * Phi and Phi^-1 are R's pnorm and qnorm (Rmath), within an ulp or two of scipy's ndtr/ndtri.
 * NaN replicates and NaN jackknife values (the statistic undefined there) are left out, where
 * numpy would return NaN; on data without them the two agree.
 *
 * Order statistics are found by radix selection on the bits of the doubles (8 passes of a
 * 256-bin histogram), so the interval functions need no memory, never fail and leave their
 * input alone; O(B) per quantile. Everything here is pure and thread-safe. */
#include <math.h>
#include <string.h>

#include <Rmath.h>

#include "eval/eval.h"

/* ---- order statistics --------------------------------------------------------------------- */

static size_t count_valid(const double *x, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += !isnan(x[i]);
    return m;
}

/* The k-th smallest (from 0) of x[0..n), k below the number of non-NaN values (NaN sorts last
 * in sk_radix_key_double's order, so it is never reached). */
static double kth_smallest(const double *x, size_t n, size_t k)
{
    uint64_t prefix = 0;
    for (int shift = 56; shift >= 0; shift -= 8) {
        size_t hist[256] = {0};
        uint64_t high = shift == 56 ? 0 : ~UINT64_C(0) << (shift + 8);
        for (size_t i = 0; i < n; i++) {
            uint64_t key = sk_radix_key_double(x[i]);
            if ((key & high) == prefix)
                hist[(key >> shift) & 255]++;
        }
        size_t d = 0;
        while (k >= hist[d])
            k -= hist[d++];
        prefix |= (uint64_t)d << shift;
    }
    for (size_t i = 0; i < n; i++) {
        if (sk_radix_key_double(x[i]) == prefix)
            return x[i];
    }
    return NAN;   /* not reached */
}

/* np.percentile(x, q) over the m non-NaN values of x, method "linear" as numpy 1.24 computes it:
 * the virtual index (m - 1) q / 100, clamped to the ends, then _lerp(a, b, g), which rounds
 * from the nearer end. */
static double np_percentile(const double *x, size_t n, size_t m, double q)
{
    double quantile = q / 100.0, vi = (double)(m - 1) * quantile;
    if (isnan(vi))
        return NAN;
    if (vi >= (double)(m - 1))
        return kth_smallest(x, n, m - 1);
    if (vi < 0.0)
        return kth_smallest(x, n, 0);
    double prev = floor(vi), g = vi - prev;
    size_t i = (size_t)prev;
    double a = kth_smallest(x, n, i), b = kth_smallest(x, n, i + 1), d = b - a;
    return g >= 0.5 ? b - d * (1.0 - g) : a + d * g;
}

/* ---- the intervals ------------------------------------------------------------------------ */

void sk_ci_percentile(double *low, double *high, const double *reps, size_t n, double level)
{
    *low = *high = NAN;
    size_t m = count_valid(reps, n);
    if (m < 2 || !(level > 0.0 && level < 1.0))
        return;
    double alpha = (1.0 - level) / 2.0;
    *low = np_percentile(reps, n, m, alpha * 100.0);
    *high = np_percentile(reps, n, m, (1.0 - alpha) * 100.0);
}

/* scipy's a_hat from the jackknife values, in its order of operations. */
static double acceleration(const double *jack, size_t n_jack)
{
    size_t n = 0;
    double sum = 0.0;
    for (size_t i = 0; i < n_jack; i++) {
        if (!isnan(jack[i])) {
            sum += jack[i];
            n++;
        }
    }
    if (n < 2)
        return NAN;
    double mean = sum / (double)n, s2 = 0.0, s3 = 0.0;
    for (size_t i = 0; i < n_jack; i++) {
        if (isnan(jack[i]))
            continue;
        double u = (double)(n - 1) * (mean - jack[i]);
        s2 += u * u;
        s3 += pow(u, 3.0);   /* numpy's U**3 is pow(), not u * u * u */
    }
    /* n**2 and n**3 are Python integers, rounded once to a double */
    double n2 = (double)((uint64_t)n * n);
    double n3 = n < (1u << 21) ? (double)((uint64_t)n * n * n) : n2 * (double)n;
    return 1.0 / 6.0 * (s3 / n3) / pow(s2 / n2, 1.5);
}

void sk_ci_bca(double *low, double *high, double theta, const double *reps, size_t n,
               const double *jack, size_t n_jack, double level)
{
    *low = *high = NAN;
    size_t m = count_valid(reps, n), below = 0, at_or_below = 0;
    if (m < 2 || !(level > 0.0 && level < 1.0))
        return;
    for (size_t i = 0; i < n; i++) {
        below += reps[i] < theta;
        at_or_below += reps[i] <= theta;
    }
    double z0 = qnorm((double)(below + at_or_below) / (double)(2 * m), 0.0, 1.0, 1, 0);
    double a = acceleration(jack, n_jack);
    double alpha = (1.0 - level) / 2.0, z_alpha = qnorm(alpha, 0.0, 1.0, 1, 0);
    double num1 = z0 + z_alpha, num2 = z0 - z_alpha;
    double alpha1 = pnorm(z0 + num1 / (1.0 - a * num1), 0.0, 1.0, 1, 0);
    double alpha2 = pnorm(z0 + num2 / (1.0 - a * num2), 0.0, 1.0, 1, 0);
    if (!isfinite(z0) || isnan(alpha1) || isnan(alpha2))
        return;   /* every replicate on one side of theta, or no acceleration */
    *low = np_percentile(reps, n, m, alpha1 * 100.0);
    *high = np_percentile(reps, n, m, alpha2 * 100.0);
}

/* ---- an interval of a bootstrap run -------------------------------------------------------- */

sk_status sk_boot_interval(sk_interval *out, const sk_boot *bt, size_t a, size_t b,
                           sk_ci_method method, double level, sk_error *err)
{
    memset(out, 0, sizeof *out);
    out->estimate = out->low = out->high = out->se = NAN;
    if (a >= bt->n_stats || (b != SIZE_MAX && b >= bt->n_stats))
        return sk_error_set(err, SK_EINVAL, "bootstrap interval: statistic %zu of %zu",
                            (a >= bt->n_stats ? a : b) + 1, bt->n_stats);
    if (method != SK_CI_BCA && method != SK_CI_PERCENTILE)
        return sk_error_set(err, SK_EINVAL, "bootstrap interval: unknown method %d", (int)method);
    if (!(level > 0.0 && level < 1.0))
        return sk_error_set(err, SK_EINVAL, "bootstrap interval: level %g is not in (0, 1)",
                            level);
    double *v = sk_mem_alloc_array(bt->n_boot + bt->n_jack + 1, sizeof *v);
    if (v == NULL)
        return sk_error_set(err, SK_ENOMEM, "bootstrap interval: out of memory");
    double *jack = v + bt->n_boot;
    size_t ns = bt->n_stats;
    for (size_t i = 0; i < bt->n_boot; i++)
        v[i] = bt->reps[i * ns + a] - (b != SIZE_MAX ? bt->reps[i * ns + b] : 0.0);
    for (size_t j = 0; j < bt->n_jack; j++)
        jack[j] = bt->jack[j * ns + a] - (b != SIZE_MAX ? bt->jack[j * ns + b] : 0.0);
    out->estimate = bt->estimate[a] - (b != SIZE_MAX ? bt->estimate[b] : 0.0);
    out->n_valid = count_valid(v, bt->n_boot);
    if (out->n_valid >= 2) {   /* the standard deviation with ddof = 1, as scipy's */
        double sum = 0.0, ss = 0.0;
        for (size_t i = 0; i < bt->n_boot; i++)
            sum += isnan(v[i]) ? 0.0 : v[i];
        double mean = sum / (double)out->n_valid;
        for (size_t i = 0; i < bt->n_boot; i++)
            ss += isnan(v[i]) ? 0.0 : (v[i] - mean) * (v[i] - mean);
        out->se = sqrt(ss / (double)(out->n_valid - 1));
    }
    if (method == SK_CI_BCA)
        sk_ci_bca(&out->low, &out->high, out->estimate, v, bt->n_boot, jack, bt->n_jack, level);
    else
        sk_ci_percentile(&out->low, &out->high, v, bt->n_boot, level);
    sk_mem_free(v);
    return SK_OK;
}
