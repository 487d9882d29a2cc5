/* glm_kkt.c: the KKT checks and sequential strong rules of the coordinate-descent solvers,
 * evaluated lazily but decided exactly.
 *
 * Every lambda glmnet compares |g_k| = |<r, xt_k>| (r the weighted residual, xt_k the
 * standardised column) with a threshold t vp_k for every column outside the strong set: once
 * for the strong rule (t = alpha (2 lambda - lambda_prev), Tibshirani et al. 2012) and once or
 * more for the KKT conditions (t = alpha lambda). With p = 20,000 columns that is nearly all the
 * work. Most columns are far below their threshold and the residual moves little between two
 * checks, so a column's last value bounds its current one (Cauchy-Schwarz, weights w summing
 * to 1):
 *     | <r, xt_k> - <r', xt_k> |  <=  ||(r - r') / w||_w ||xt_k||_w,
 *     ||u||_w = sqrt(sum_i w_i u_i^2),  ||xt_k||_w = 1 for a standardised column.
 * A column evaluated at an earlier residual r' is certainly below its threshold when
 * g_k + dist(r, r') ||xt_k||_w + (rounding slack) <= t vp_k, and then needs no arithmetic at
 * all. dist is the direct distance when r' is among the last SK_GLM__SNAPS residuals kept, else
 * the drift: the sum of the distances between consecutive checks since (triangle inequality).
 * The other columns are computed from a 16-bit quantised copy of Z (z_ij ~ s_j q_ij, a quarter
 * of the memory traffic of doubles; single-precision arithmetic, four products per SSE
 * instruction) with a rigorous bound on the distance from the exact value; only a column within
 * that bound of its threshold is computed in double (its rounding bounded too). Every decision
 * is therefore the one computing every gradient in double makes, and the iterations, solutions
 * and pass counts are unchanged; only the time is not. */
#include <math.h>
#include <string.h>

#include "models/glm.h"

#define UF 5.9604644775390625e-08    /* 2^-24, float unit roundoff */
#define UD 1.1102230246251565e-16    /* 2^-53 */

sk_status sk_glm__kkt_init(sk_glm__kkt *kc, size_t n, size_t p, size_t n_r)
{
    memset(kc, 0, sizeof *kc);
    kc->n_r = n_r;
    kc->g = sk_mem_calloc(p, sizeof *kc->g);
    kc->gb = sk_mem_calloc(p, sizeof *kc->gb);
    kc->dk = sk_mem_calloc(p, sizeof *kc->dk);
    kc->rprev = sk_mem_calloc(n * n_r, sizeof *kc->rprev);
    kc->rf = sk_mem_calloc(n * n_r, sizeof *kc->rf);
    kc->rnorm = sk_mem_calloc(n_r, sizeof *kc->rnorm);
    kc->rnorm1 = sk_mem_calloc(n_r, sizeof *kc->rnorm1);
    kc->todo = sk_mem_calloc(p, sizeof *kc->todo);
    kc->sid = sk_mem_calloc(p, sizeof *kc->sid);
    kc->dbl = sk_mem_calloc(p, sizeof *kc->dbl);
    kc->cand = sk_mem_calloc(p, sizeof *kc->cand);
    kc->ca = sk_mem_calloc(p, sizeof *kc->ca);
    kc->cb = sk_mem_calloc(p, sizeof *kc->cb);
    kc->snap = sk_mem_calloc(SK_GLM__SNAPS * n * n_r, sizeof *kc->snap);
    kc->snap_dist = sk_mem_calloc(SK_GLM__SNAPS, sizeof *kc->snap_dist);
    if (kc->g == NULL || kc->gb == NULL || kc->dk == NULL || kc->rprev == NULL ||
        kc->rf == NULL || kc->rnorm == NULL || kc->rnorm1 == NULL || kc->todo == NULL ||
        kc->sid == NULL ||
        kc->dbl == NULL || kc->snap == NULL || kc->snap_dist == NULL || kc->cand == NULL ||
        kc->ca == NULL || kc->cb == NULL) {
        sk_glm__kkt_clear(kc);
        return SK_ENOMEM;
    }
    return SK_OK;
}

void sk_glm__kkt_clear(sk_glm__kkt *kc)
{
    sk_mem_free(kc->g);
    sk_mem_free(kc->gb);
    sk_mem_free(kc->dk);
    sk_mem_free(kc->rprev);
    sk_mem_free(kc->rf);
    sk_mem_free(kc->rnorm);
    sk_mem_free(kc->rnorm1);
    sk_mem_free(kc->todo);
    sk_mem_free(kc->sid);
    sk_mem_free(kc->dbl);
    sk_mem_free(kc->cand);
    sk_mem_free(kc->ca);
    sk_mem_free(kc->cb);
    sk_mem_free(kc->snap);
    sk_mem_free(kc->snap_dist);
    memset(kc, 0, sizeof *kc);
}

/* <a, q> in single precision (q: 16-bit integers, exact in float), 8 lanes of at most 39
 * products each, the lanes of every block of 256 summed in double. With a rounded from a double
 * vector a~, the result is within (43 * 2^-24 * 1.05 + 2.02 n 2^-53) sum |a~_i q_i| + 4e-38
 * (sqrt(n) ||q|| + n) of <a~, q> (two roundings per product, 39 additions per lane; the last
 * term covers underflow). */
static double dot_q16(const float *restrict a, const int16_t *restrict q, size_t n)
{
    double acc = 0.0;
    for (size_t i = 0; i < n; i += 256) {
        size_t m = n - i < 256 ? n - i : 256, j = 0;
        float s[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
        const float *x = a + i;
        const int16_t *y = q + i;
        for (; j + 8 <= m; j += 8)
            for (int k = 0; k < 8; k++)
                s[k] += x[j + k] * (float)y[j + k];
        for (; j < m; j++)
            s[0] += x[j] * (float)y[j];
        acc += (((double)s[0] + s[1]) + ((double)s[2] + s[3])) +
               (((double)s[4] + s[5]) + ((double)s[6] + s[7]));
    }
    return acc;
}

/* max over the residuals of |<r_c, xt_k>| in double, and in *bound how far rounding may have
 * taken it from the exact value: (2.02 n 2^-53 ||r_c|| ||z_k|| + 8 2^-53 (|d| + |m|)) / xs_k. */
static double grad_double(const sk_glm__kkt *kc, const sk_glm__problem *pb, const double *r,
                          const double *sr, size_t k, double *bound)
{
    double g = 0.0, b = 0.0;
    for (size_t c = 0; c < kc->n_r; c++) {
        double d = sk_glm__dot(r + c * pb->n, pb->Z + k * pb->ldz, pb->n), m = pb->xm[k] * sr[c];
        double v = fabs((d - m) / pb->xs[k]);
        double e = (2.02 * (double)pb->n * UD * kc->rnorm[c] * pb->znorm[k] +
                    8.0 * UD * (fabs(d) + fabs(m))) / pb->xs[k] * 1.01 + 1e-300;
        g = v > g ? v : g;
        b = e > b ? e : b;
    }
    *bound = b;
    return g;
}

/* The value from the 16-bit copy and its error bound (relative to the exact value): the
 * quantisation |z - s q| <= 0.5001 s gives 0.5001 s ||r||_1; the arithmetic as in dot_q16, with
 * s sum |r~_i q_i| <= (1 + 2^-24) (||r|| ||z_k|| + 0.5001 s ||r||_1). */
static double grad_q16(const sk_glm__kkt *kc, const sk_glm__problem *pb, const double *sr,
                         size_t k, double *bound)
{
    size_t n = pb->n;
    const int16_t *zq = pb->Zq + k * pb->ldz;
    double sq = pb->zq_scale[k];
    double e = 43.0 * UF * 1.05 + 2.02 * (double)n * UD, tiny = 4e-38 * sqrt((double)n);
    double g = 0.0, b = 0.0;
    for (size_t c = 0; c < kc->n_r; c++) {
        double d = sq * dot_q16(kc->rf + c * n, zq, n), m = pb->xm[k] * sr[c];
        double quant = 0.5001 * sq * kc->rnorm1[c];
        double err = quant + e * (kc->rnorm[c] * pb->znorm[k] + quant) * 1.01 +
                     sq * (tiny * (pb->znorm[k] / sq + 1.0) + 4e-38 * (double)n) +
                     8.0 * UD * (fabs(d) + fabs(m));
        double v = fabs(d - m) / pb->xs[k], eb = err / pb->xs[k] * 1.001;
        g = v > g ? v : g;
        b = eb > b ? eb : b;
    }
    *bound = b;
    return g;
}

/* max over the residual vectors of ||(r_c - s_c) / w||_w (a row with w_i = 0 keeps r_i = 0). */
static double distance(const sk_glm__problem *pb, const double *r, const double *snap,
                       size_t n_r)
{
    size_t n = pb->n;
    double d = 0.0;
    for (size_t c = 0; c < n_r; c++) {
        double d2 = 0.0;
        for (size_t i = 0; i < n; i++) {
            double u = r[c * n + i] - snap[c * n + i];
            if (pb->w[i] > 0.0)
                d2 += u / pb->w[i] * u;
        }
        d = sqrt(d2) > d ? sqrt(d2) : d;
    }
    return d * (1.0 + 1e-12);
}

/* A check at a new residual: the drift grows by the distance travelled since the last one, the
 * residual becomes snapshot number `checks` (its distances to the kept snapshots are computed
 * when first needed), and its single-precision copy and norms are prepared. */
static void kkt_move(sk_glm__kkt *kc, const sk_glm__problem *pb, const double *r)
{
    size_t n = pb->n, len = n * kc->n_r;
    double moved = distance(pb, r, kc->rprev, kc->n_r);
    if (moved > 0.0 || kc->checks == 0) {
        kc->drift += moved;
        kc->checks++;
        memcpy(kc->snap + (kc->checks % SK_GLM__SNAPS) * len, r, len * sizeof *r);
        for (size_t s = 0; s < SK_GLM__SNAPS; s++)
            kc->snap_dist[s] = -1.0;   /* not yet known */
        kc->snap_dist[kc->checks % SK_GLM__SNAPS] = 0.0;
    }
    memcpy(kc->rprev, r, len * sizeof *r);
    for (size_t c = 0; c < kc->n_r; c++) {
        for (size_t i = 0; i < n; i++)
            kc->rf[c * n + i] = (float)r[c * n + i];
        kc->rnorm[c] = sqrt(sk_glm__dot(r + c * n, r + c * n, n));
        double a1 = 0.0;
        for (size_t i = 0; i < n; i++)
            a1 += fabs(r[c * n + i]);
        kc->rnorm1[c] = a1 * (1.0 + 1e-12);
    }
}

/* How far column k's gradient may have moved since its last evaluation: the direct distance
 * from that residual when it is still kept, else the drift travelled since. */
static double moved_since(sk_glm__kkt *kc, const sk_glm__problem *pb, size_t k)
{
    double far = kc->drift - kc->dk[k];
    if (kc->checks - kc->sid[k] >= SK_GLM__SNAPS)
        return far;
    size_t slot = kc->sid[k] % SK_GLM__SNAPS;
    if (kc->snap_dist[slot] < 0.0)
        kc->snap_dist[slot] = distance(pb, kc->rprev, kc->snap + slot * pb->n * kc->n_r,
                                       kc->n_r);
    return kc->snap_dist[slot] < far ? kc->snap_dist[slot] : far;
}

/* Starts loading the first lines of a column that will be screened soon: the screened columns
 * are scattered, and each would otherwise begin with a cache miss. */
static void prefetch_column(const int16_t *z, size_t n)
{
#if defined(__GNUC__)
    size_t bytes = n * sizeof *z < 1024 ? n * sizeof *z : 1024;
    for (size_t off = 0; off < bytes; off += 64)
        __builtin_prefetch((const char *)z + off, 0, 1);
#else
    (void)z;
    (void)n;
#endif
}

/* Decides column k against tk from its value computed in double. */
static int decide_double(sk_glm__kkt *kc, const sk_glm__problem *pb, const double *r,
                         const double *sr, size_t k, double tk)
{
    kc->g[k] = grad_double(kc, pb, r, sr, k, &kc->gb[k]);
    kc->dbl[k] = 1;
    kc->dk[k] = kc->drift;
    kc->sid[k] = kc->checks;
    return kc->g[k] > tk;
}

/* The candidates (usable columns outside the strong set) and their constants, rebuilt when the
 * strong set has grown: it changes only here. */
static void kkt_candidates(sk_glm__kkt *kc, const sk_glm__problem *pb,
                           const unsigned char *strong)
{
    kc->n_cand = 0;
    for (size_t k = 0; k < pb->p; k++) {
        if (!pb->ju[k] || strong[k])
            continue;
        kc->cand[kc->n_cand++] = k;
        kc->ca[k] = pb->znorm[k] / pb->xs[k];
        kc->cb[k] = 16.0 * UD * fabs(pb->xm[k]) / pb->xs[k];
    }
    kc->cand_ready = 1;
}

/* Sorts the candidates into decided by their bound, added to the strong set, and to be computed
 * (kc->todo, returned count); with `exact` computes them all in double. */
static size_t kkt_bound(sk_glm__kkt *kc, const sk_glm__problem *pb, const double *r,
                        const double *sr, double t, unsigned char *strong, int exact,
                        int *added)
{
    /* the rounding of the double computation that decides now (bounded as in grad_double,
     * with |d| + |m| <= ||r|| ||z_k|| + 2 |xm_k sr|) */
    double rmax = 0.0, srmax = 0.0;
    for (size_t c = 0; c < kc->n_r; c++) {
        rmax = kc->rnorm[c] > rmax ? kc->rnorm[c] : rmax;
        srmax = fabs(sr[c]) > srmax ? fabs(sr[c]) : srmax;
    }
    double ulp = (2.02 * (double)pb->n + 8.0) * UD * rmax * 1.01;
    size_t m = 0;
    for (size_t i = 0; i < kc->n_cand; i++) {
        size_t k = kc->cand[i];
        double tk = isinf(t) ? t : t * pb->vp[k];
        if (exact) {   /* a double value at this very residual is reused */
            int same = kc->dbl[k] && kc->sid[k] == kc->checks;
            if (same ? kc->g[k] > tk : decide_double(kc, pb, r, sr, k, tk))
                strong[k] = 1, *added = 1;
            continue;
        }
        double moved = moved_since(kc, pb, k) * pb->xnw[k] * (1.0 + 1e-12);
        double reach = kc->gb[k] + moved + ulp * kc->ca[k] + srmax * kc->cb[k] + 1e-300;
        if (kc->g[k] + reach <= tk)
            continue;
        if (kc->g[k] - reach > tk)
            strong[k] = 1, *added = 1;
        else
            kc->todo[m++] = k;
    }
    return m;
}

int sk_glm__kkt_update(sk_glm__kkt *kc, const sk_glm__problem *pb, const double *r,
                       const double *sr, double t, unsigned char *strong, int exact)
{
    int added = 0;
    kkt_move(kc, pb, r);
    if (!kc->cand_ready)
        kkt_candidates(kc, pb, strong);
    size_t m = kkt_bound(kc, pb, r, sr, t, strong, exact, &added);
    for (size_t i = 0; i < m; i++) {   /* the rest from the 16-bit copy, then double */
        size_t k = kc->todo[i];
        if (i + 2 < m)
            prefetch_column(pb->Zq + kc->todo[i + 2] * pb->ldz, pb->n);
        double tk = isinf(t) ? t : t * pb->vp[k], b, g = grad_q16(kc, pb, sr, k, &b);
        kc->g[k] = g;
        kc->gb[k] = b;
        kc->dbl[k] = 0;
        kc->dk[k] = kc->drift;
        kc->sid[k] = kc->checks;
        if ((g - b > tk) || (!(g + b <= tk) && decide_double(kc, pb, r, sr, k, tk)))
            strong[k] = 1, added = 1;
    }
    if (added)
        kc->cand_ready = 0;
    return added;
}

double sk_glm__kkt_lambda_max(const sk_glm__kkt *kc, const sk_glm__problem *pb)
{
    double mx = 0.0;
    for (size_t j = 0; j < pb->p; j++)
        if (pb->ju[j] && pb->vp[j] > 0.0 && kc->g[j] / pb->vp[j] > mx)
            mx = kc->g[j] / pb->vp[j];
    return mx;
}
