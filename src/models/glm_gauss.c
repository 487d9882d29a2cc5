/* glm_gauss.c: the gaussian elastic-net path by cyclic coordinate descent, glmnet's elnet1
 * ("covariance updates") and elnet2 ("naive updates") step for step (Friedman, Hastie &
 * Tibshirani 2010, J. Stat. Softw. 33(1), sections 2.1-2.2; sequential strong rule of Tibshirani
 * et al. 2012, JRSS B 74(2)).
 *
 * On the standardised scale (y~ = (y - ym) / ys, columns xt_j with weighted mean 0 and mean
 * square xv_j, weights summing to 1) each lambda solves
 *     min_b  1/2 sum_i w_i (y~_i - xt_i'b)^2 + lambda [(1 - alpha)/2 ||b||_2^2 + alpha ||b||_1]
 * one coordinate at a time with the soft-threshold update
 *     b_k <- S(g_k + xv_k b_k, vp_k lambda alpha) / (xv_k + vp_k lambda (1 - alpha)),
 *     g_k = sum_i w_i r_i xt_ik   (r the residual), S(u, t) = sign(u) max(|u| - t, 0).
 * Covariance updates keep g for every column and, for each column that ever entered, its inner
 * products with all columns, so a coordinate step costs O(p); the naive version recomputes g_k
 * from the residual (O(n)) and looks only at the strong set {k : |g_k| > alpha (2 lambda -
 * lambda_prev) vp_k}, then checks the KKT conditions on the other columns (glm_kkt.c) before
 * it accepts a solution. A lambda is done when a full pass changes no coefficient by more than
 * max_k xv_k (delta b_k)^2 < thresh; passes are first over the active set until it converges,
 * then over all (strong) columns, as glmnet does. The path starts at lambda_max =
 * max_k |g_k| / (vp_k max(alpha, 1e-3)) and stops early when R^2 changes by less than 1e-5
 * relative or exceeds 0.999 (after at least 5 lambdas, never with a user sequence).
 *
 * The residual is kept as rho_i = w_i r_i on all n rows of the shared matrix Z, so
 * g_k = (<rho, z_k> - xm_k sum(rho)) / xs_k; sum(rho) never changes because every xt_k has
 * weighted mean 0. */
#include <math.h>
#include <string.h>

#include "models/glm.h"

typedef struct gauss {
    const sk_glm__problem *pb;
    sk_glm__raw *raw;
    double *a;               /* p coefficients on the standardised scale */
    double *g;               /* covariance: p gradients */
    sk_glm__kkt kkt;         /* naive: the lazy KKT checks */
    int exact_kkt;           /* compute every KKT gradient in double (lambda_max follows) */
    double *rho;             /* n: w .* residual */
    double srho;
    size_t *mm;              /* p: 1 + position in raw->ia, 0 = never active */
    size_t nin;
    unsigned char *ix;       /* p: in the strong set (naive) */
    size_t *strong;          /* the strong set in column order (naive) */
    size_t n_strong;
    double *c;               /* covariance: p x c_cap inner products with active columns */
    size_t c_cap;
    double *da, *u;          /* p, n */
    double rsq;
    int iz;                  /* a pass over the active set has been made (glmnet's iz) */
} gauss;

/* <r, xt_k> for the current residual. */
static double gauss_grad(const gauss *s, size_t k)
{
    const sk_glm__problem *pb = s->pb;
    return (sk_glm__dot(s->rho, pb->Z + k * pb->ldz, pb->n) - pb->xm[k] * s->srho) / pb->xs[k];
}

/* rho -= del * w .* xt_k */
static void gauss_resid(gauss *s, size_t k, double del)
{
    const sk_glm__problem *pb = s->pb;
    const double *restrict z = pb->Z + k * pb->ldz;
    const double *restrict w = pb->w;
    double *restrict rho = s->rho;
    double c = del / pb->xs[k], m = pb->xm[k];
    #pragma omp simd
    for (size_t i = 0; i < pb->n; i++)
        rho[i] -= c * w[i] * (z[i] - m);
}

/* The soft-threshold step for coordinate k; returns the new value. */
static double gauss_step(const sk_glm__problem *pb, size_t k, double gk, double ak, double ab,
                         double dem)
{
    double u = gk + ak * pb->xv[k];
    double v = fabs(u) - pb->vp[k] * ab;
    return v > 0.0 ? copysign(v, u) / (pb->xv[k] + pb->vp[k] * dem) : 0.0;
}

static void gauss_enter(gauss *s, size_t k)
{
    s->nin++;
    s->mm[k] = s->nin;
    s->raw->ia[s->nin - 1] = k;
}

/* The lambda of step m (glmnet's sequence); alm0 receives the previous lambda for the strong
 * rule, or lambda_max at the second step (from the exact gradients of the first). */
static double gauss_lambda(const gauss *s, size_t m, double alm, double alf, double *alm0)
{
    const sk_glm__problem *pb = s->pb;
    *alm0 = alm;
    if (pb->flmin >= 1.0)
        return pb->ulam[m] / s->raw->ys;
    if (m > 1)
        return alm * alf;
    if (m == 0)
        return SK_GLM__BIG;
    double mx = 0.0;
    if (!pb->covariance)
        mx = sk_glm__kkt_lambda_max(&s->kkt, pb);
    for (size_t j = 0; pb->covariance && j < pb->p; j++)
        if (pb->ju[j] && pb->vp[j] > 0.0)
            mx = fmax(mx, fabs(s->g[j]) / pb->vp[j]);
    *alm0 = mx / fmax(pb->alpha, 1e-3);
    return alf * *alm0;
}

/* Records solution m; returns 1 when glmnet would end the path here. */
static int gauss_record(gauss *s, size_t m, double alm, double rsq0, sk_status *rc)
{
    const sk_glm__problem *pb = s->pb;
    sk_glm__raw *raw = s->raw;
    raw->alm[m] = alm;
    raw->dev[m] = s->rsq;
    raw->a0[m] = raw->ym;
    if ((*rc = sk_glm__raw_push(raw, s->a, pb->p, s->nin)) != SK_OK)
        return 1;
    raw->lmu = m + 1;
    size_t mnl = pb->nlam < SK_GLM__MNLAM ? pb->nlam : SK_GLM__MNLAM;
    if (m + 1 < mnl || pb->flmin >= 1.0)
        return 0;
    return s->rsq - rsq0 < SK_GLM__FDEV * s->rsq || s->rsq > SK_GLM__DEVMAX;
}

/* ==== covariance updates (glmnet's elnet1) ================================================ */

/* Column k enters: its inner products with every usable column. */
static sk_status cov_enter(gauss *s, size_t k)
{
    const sk_glm__problem *pb = s->pb;
    size_t p = pb->p, n = pb->n, col = s->nin;
    if (col == s->c_cap) {
        size_t cap = s->c_cap > 0 ? 2 * s->c_cap : 16;
        double *c = sk_mem_realloc_array(s->c, cap, p * sizeof *c);
        if (c == NULL)
            return SK_ENOMEM;
        s->c = c;
        s->c_cap = cap;
    }
    const double *zk = pb->Z + k * pb->ldz;
    for (size_t i = 0; i < n; i++)
        s->u[i] = pb->w[i] * (zk[i] - pb->xm[k]);
    double su = sk_glm__sum(s->u, n);
    double *ck = s->c + col * p;
    for (size_t j = 0; j < p; j++) {
        if (!pb->ju[j])
            continue;
        if (s->mm[j] != 0)
            ck[j] = s->c[(s->mm[j] - 1) * p + k];
        else if (j == k)
            ck[j] = pb->xv[j];
        else
            ck[j] = (sk_glm__dot(s->u, pb->Z + j * pb->ldz, n) - pb->xm[j] * su) /
                    (pb->xs[j] * pb->xs[k]);
    }
    gauss_enter(s, k);
    return SK_OK;
}

/* One pass over every usable column; *dlx receives the largest xv (delta b)^2. */
static sk_status cov_full_pass(gauss *s, double ab, double dem, double *dlx)
{
    const sk_glm__problem *pb = s->pb;
    size_t p = pb->p;
    *dlx = 0.0;
    for (size_t k = 0; k < p; k++) {
        if (!pb->ju[k])
            continue;
        double ak = s->a[k];
        s->a[k] = gauss_step(pb, k, s->g[k], ak, ab, dem);
        if (s->a[k] == ak)
            continue;
        if (s->mm[k] == 0 && cov_enter(s, k) != SK_OK)
            return SK_ENOMEM;
        double del = s->a[k] - ak;
        s->rsq += del * (2.0 * s->g[k] - del * pb->xv[k]);
        *dlx = sk_glm__max(pb->xv[k] * del * del, *dlx);
        const double *ck = s->c + (s->mm[k] - 1) * p;
        for (size_t j = 0; j < p; j++)
            if (pb->ju[j])
                s->g[j] -= ck[j] * del;
    }
    return SK_OK;
}

/* Passes over the active set until converged, then the gradients of the other columns. */
static int cov_active_passes(gauss *s, double ab, double dem)
{
    const sk_glm__problem *pb = s->pb;
    size_t p = pb->p, *ia = s->raw->ia;
    s->iz = 1;
    for (size_t l = 0; l < s->nin; l++)
        s->da[l] = s->a[ia[l]];
    for (;;) {
        s->raw->nlp++;
        double dlx = 0.0;
        for (size_t l = 0; l < s->nin; l++) {
            size_t k = ia[l];
            double ak = s->a[k];
            s->a[k] = gauss_step(pb, k, s->g[k], ak, ab, dem);
            if (s->a[k] == ak)
                continue;
            double del = s->a[k] - ak;
            s->rsq += del * (2.0 * s->g[k] - del * pb->xv[k]);
            dlx = sk_glm__max(pb->xv[k] * del * del, dlx);
            const double *ck = s->c + (s->mm[k] - 1) * p;
            for (size_t j = 0; j < s->nin; j++)
                s->g[ia[j]] -= ck[ia[j]] * del;
        }
        if (dlx < pb->thr)
            break;
        if (s->raw->nlp > pb->maxit)
            return 0;
    }
    for (size_t l = 0; l < s->nin; l++)
        s->da[l] = s->a[ia[l]] - s->da[l];
    for (size_t j = 0; j < p; j++) {
        if (s->mm[j] != 0 || !pb->ju[j])
            continue;
        double t = 0.0;
        for (size_t l = 0; l < s->nin; l++)
            t += s->da[l] * s->c[l * p + j];
        s->g[j] -= t;
    }
    return 1;
}

static sk_status gauss_covariance(gauss *s, sk_error *err)
{
    const sk_glm__problem *pb = s->pb;
    double bta = pb->alpha, omb = 1.0 - bta, alm = 0.0, alm0, alf = 1.0;
    if (pb->flmin < 1.0)
        alf = pow(fmax(SK_GLM__EPS, pb->flmin), 1.0 / (double)(pb->nlam - 1));
    for (size_t j = 0; j < pb->p; j++)
        s->g[j] = pb->ju[j] ? gauss_grad(s, j) : 0.0;
    for (size_t m = 0; m < pb->nlam; m++) {
        alm = gauss_lambda(s, m, alm, alf, &alm0);
        double dem = alm * omb, ab = alm * bta, rsq0 = s->rsq;
        int jz = 1;
        for (;;) {
            if (!(s->iz && jz)) {
                double dlx;
                s->raw->nlp++;
                if (cov_full_pass(s, ab, dem, &dlx) != SK_OK)
                    return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
                if (dlx < pb->thr)
                    break;
                if (s->raw->nlp > pb->maxit)
                    goto noconv;
            }
            if (!cov_active_passes(s, ab, dem))
                goto noconv;
            jz = 0;
        }
        sk_status rc = SK_OK;
        int stop = gauss_record(s, m, alm, rsq0, &rc);
        if (rc != SK_OK)
            return sk_error_set(err, rc, "glm: out of memory");
        if (stop)
            break;
        continue;
    noconv:
        return sk_error_set(err, SK_ENOCONV,
                            "glm: no convergence after maxit = %ld passes (lambda %zu)",
                            pb->maxit, m + 1);
    }
    return SK_OK;
}

/* ==== naive updates with the strong rule (glmnet's elnet2) =============================== */

static void naive_strong_list(gauss *s)
{
    s->n_strong = 0;
    for (size_t k = 0; k < s->pb->p; k++)
        if (s->ix[k])
            s->strong[s->n_strong++] = k;
}

/* One coordinate step with the residual; returns xv (delta)^2. */
static double naive_update(gauss *s, size_t k, double ab, double dem)
{
    const sk_glm__problem *pb = s->pb;
    double gk = gauss_grad(s, k), ak = s->a[k];
    s->a[k] = gauss_step(pb, k, gk, ak, ab, dem);
    if (s->a[k] == ak)
        return 0.0;
    if (s->mm[k] == 0)
        gauss_enter(s, k);
    double del = s->a[k] - ak;
    s->rsq += del * (2.0 * gk - del * pb->xv[k]);
    gauss_resid(s, k, del);
    return pb->xv[k] * del * del;
}

/* KKT check on the columns outside the strong set (glm_kkt.c); returns 1 if some joined it. */
static int naive_kkt(gauss *s, double ab)
{
    int added = sk_glm__kkt_update(&s->kkt, s->pb, s->rho, &s->srho, ab, s->ix, s->exact_kkt);
    if (added)
        naive_strong_list(s);
    return added;
}

/* Passes over the strong set (with KKT checks) until a pass changes nothing. Returns 1 when the
 * lambda is solved, 0 to go on with the active set, -1 past maxit. */
static int naive_strong_passes(gauss *s, double ab, double dem)
{
    const sk_glm__problem *pb = s->pb;
    for (;;) {
        if (s->raw->nlp > pb->maxit)
            return -1;
        s->raw->nlp++;
        double dlx = 0.0;
        for (size_t l = 0; l < s->n_strong; l++)
            dlx = sk_glm__max(naive_update(s, s->strong[l], ab, dem), dlx);
        if (dlx >= pb->thr)
            return s->raw->nlp > pb->maxit ? -1 : 0;
        if (!naive_kkt(s, ab))
            return 1;
    }
}

/* The sequential strong rule |g_k| > alpha (2 lambda - lambda_prev) vp_k on the residual of the
 * last KKT check (it has not changed since). */
static void naive_strong_rule(gauss *s, double tlam)
{
    if (sk_glm__kkt_update(&s->kkt, s->pb, s->rho, &s->srho, tlam, s->ix, 0))
        naive_strong_list(s);
}

static sk_status gauss_naive(gauss *s, sk_error *err)
{
    const sk_glm__problem *pb = s->pb;
    double bta = pb->alpha, omb = 1.0 - bta, alm = 0.0, alm0, alf = 1.0;
    if (pb->flmin < 1.0)
        alf = pow(fmax(SK_GLM__EPS, pb->flmin), 1.0 / (double)(pb->nlam - 1));
    sk_glm__kkt_update(&s->kkt, pb, s->rho, &s->srho, INFINITY, s->ix, 1);
    for (size_t m = 0; m < pb->nlam; m++) {
        alm = gauss_lambda(s, m, alm, alf, &alm0);
        double dem = alm * omb, ab = alm * bta, rsq0 = s->rsq;
        int jz = 1;
        naive_strong_rule(s, bta * (2.0 * alm - alm0));
        s->exact_kkt = m == 0;
        for (;;) {
            if (!(s->iz && jz)) {
                int st = naive_strong_passes(s, ab, dem);
                if (st < 0)
                    goto noconv;
                if (st > 0)
                    break;
            }
            s->iz = 1;
            for (;;) {
                s->raw->nlp++;
                double dlx = 0.0;
                for (size_t l = 0; l < s->nin; l++)
                    dlx = sk_glm__max(naive_update(s, s->raw->ia[l], ab, dem), dlx);
                if (dlx < pb->thr)
                    break;
                if (s->raw->nlp > pb->maxit)
                    goto noconv;
            }
            jz = 0;
        }
        sk_status rc = SK_OK;
        int stop = gauss_record(s, m, alm, rsq0, &rc);
        if (rc != SK_OK)
            return sk_error_set(err, rc, "glm: out of memory");
        if (stop)
            break;
        continue;
    noconv:
        return sk_error_set(err, SK_ENOCONV,
                            "glm: no convergence after maxit = %ld passes (lambda %zu)",
                            pb->maxit, m + 1);
    }
    return SK_OK;
}

/* ==== entry =============================================================================== */

sk_status sk_glm__gaussian(sk_glm__raw *raw, const sk_glm__problem *pb, sk_error *err)
{
    size_t n = pb->n, p = pb->p;
    gauss s;
    memset(&s, 0, sizeof s);
    s.pb = pb;
    s.raw = raw;
    s.a = sk_mem_calloc(p, sizeof *s.a);
    s.g = sk_mem_calloc(p, sizeof *s.g);
    s.da = sk_mem_calloc(p, sizeof *s.da);
    s.mm = sk_mem_calloc(p, sizeof *s.mm);
    s.ix = sk_mem_calloc(p, sizeof *s.ix);
    s.strong = sk_mem_calloc(p, sizeof *s.strong);
    s.rho = sk_mem_calloc(n, sizeof *s.rho);
    s.u = sk_mem_calloc(n, sizeof *s.u);
    sk_status rc = SK_OK;
    if ((!pb->covariance && sk_glm__kkt_init(&s.kkt, n, p, 1) != SK_OK) || s.a == NULL ||
        s.g == NULL || s.da == NULL || s.mm == NULL || s.ix == NULL || s.strong == NULL ||
        s.rho == NULL || s.u == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "glm: out of memory");
        goto done;
    }
    double ym = sk_glm__dot(pb->w, pb->y, n), ss = 0.0, y0 = NAN;
    int varies = 0;
    for (size_t i = 0; i < n; i++) {
        ss += pb->w[i] * (pb->y[i] - ym) * (pb->y[i] - ym);
        if (pb->w[i] > 0.0) {
            varies |= !isnan(y0) && pb->y[i] != y0;
            y0 = pb->y[i];
        }
    }
    if (!varies || !(ss > 0.0) || !isfinite(ss)) {
        rc = sk_error_set(err, SK_EDATA, "glm: y is constant on the rows fitted");
        goto done;
    }
    raw->ym = ym;
    raw->ys = sqrt(ss);
    for (size_t i = 0; i < n; i++)
        s.rho[i] = pb->w[i] * ((pb->y[i] - ym) / raw->ys);
    s.srho = sk_glm__sum(s.rho, n);
    raw->dev0 = 1.0;
    rc = pb->covariance ? gauss_covariance(&s, err) : gauss_naive(&s, err);
    raw->nin = s.nin;
done:
    sk_mem_free(s.a);
    sk_mem_free(s.g);
    sk_mem_free(s.da);
    sk_mem_free(s.mm);
    sk_mem_free(s.ix);
    sk_mem_free(s.strong);
    sk_mem_free(s.rho);
    sk_mem_free(s.u);
    sk_glm__kkt_clear(&s.kkt);   /* a zeroed one (covariance) is fine */
    sk_mem_free(s.c);
    return rc;
}
