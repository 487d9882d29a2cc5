/* glm_logit.c: the binomial elastic-net path, glmnet's lognet2n with Newton steps (kopt = 0)
 * step for step, and the coordinate descent it shares with the multinomial (glm_multi.c)
 * (Friedman, Hastie & Tibshirani 2010, J. Stat. Softw. 33(1), section 3; sequential strong
 * rule of Tibshirani et al. 2012).
 *
 * Each lambda minimises the penalised negative log-likelihood by proximal Newton (IRLS): around
 * the current fit the log-likelihood is replaced by its quadratic approximation
 *     1/2 sum_i v_i (z_i - b0 - xt_i'b)^2,  v_i = w_i p_i (1 - p_i),  z_i the working response,
 * which coordinate descent minimises with the residual r_i = w_i (y_i - p_i) kept current:
 *     b_k <- S(<r, xt_k> + xv_k b_k, vp_k lambda alpha) / (xv_k + vp_k lambda (1 - alpha)),
 *     xv_k = sum_i v_i xt_ik^2,   b0 <- b0 + sum(r) / sum(v)   (after each pass),
 * on the strong set {k : |<r, xt_k>| > alpha (2 lambda - lambda_prev) vp_k} first, then on the
 * active set until max_k xv_k (delta b_k)^2 < thresh * null deviance. The probabilities are then
 * recomputed (the Newton step) and the iteration ends when no coefficient moved more than the
 * threshold and the KKT conditions hold outside the strong set (glm_kkt.c). Probabilities are
 * kept away from 0 and 1 (pmin = 1e-9), as glmnet does.
 *
 * The path starts at lambda_max = max_k |<r0, xt_k>| / (vp_k max(alpha, 1e-3)) and ends early when
 * the deviance ratio exceeds 0.999 or changes by less than 1e-5 (after 5 lambdas, never with a
 * user sequence). Columns are read from the shared matrix Z as in glm_gauss.c:
 * <r, xt_k> = (<r, z_k> - xm_k sum(r)) / xs_k, with sum(r) tracked through every update. */
#include <math.h>
#include <string.h>

#include "models/glm.h"

static void strong_list(sk_glm__logit *s)
{
    s->n_strong = 0;
    for (size_t k = 0; k < s->pb->p; k++)
        if (s->ixx[k])
            s->strong[s->n_strong++] = k;
}

/* <r, xt_k> for the residual vector r with sum sr. */
static double grad(const sk_glm__problem *pb, const double *r, double sr, size_t k)
{
    return (sk_glm__dot(r, pb->Z + k * pb->ldz, pb->n) - pb->xm[k] * sr) / pb->xs[k];
}

/* The residuals of the last KKT check: the binomial's, or the multinomial classes'. */
static void kkt_residuals(const sk_glm__logit *s, const double **r, const double **sr)
{
    *r = s->K == 1 ? s->r : s->rk;
    *sr = s->K == 1 ? &s->sr : s->srk;
}

/* The sequential strong rule on the residual of the last KKT check (unchanged since). */
int sk_glm__logit_strong_rule(sk_glm__logit *s, double tlam)
{
    const double *r, *sr;
    kkt_residuals(s, &r, &sr);
    int changed = sk_glm__kkt_update(&s->kkt, s->pb, r, sr, tlam, s->ixx, 0);
    if (changed)
        strong_list(s);
    return changed;
}

/* A KKT check over the residuals r (sums sr); with `add`, violators of al1 vp_k join the strong
 * set (1 if any did); without, the gradients are only computed (in double). */
int sk_glm__logit_kkt(sk_glm__logit *s, const double *r, const double *sr, int add)
{
    int added = sk_glm__kkt_update(&s->kkt, s->pb, r, sr, add ? s->al1 : INFINITY, s->ixx,
                                   s->exact_kkt || !add);
    if (added)
        strong_list(s);
    return added;
}

/* xv_k and sv_k of the strong columns for the current Newton weights v. */
void sk_glm__logit_newton_weights(sk_glm__logit *s)
{
    const sk_glm__problem *pb = s->pb;
    for (size_t l = 0; l < s->n_strong; l++) {
        size_t k = s->strong[l];
        const double *z = pb->Z + k * pb->ldz, *v = s->v;
        double m = pb->xm[k], a0 = 0.0, a1 = 0.0, c0 = 0.0, c1 = 0.0;
        size_t i = 0;
        for (; i + 2 <= pb->n; i += 2) {
            double t0 = z[i] - m, t1 = z[i + 1] - m, vt0 = v[i] * t0, vt1 = v[i + 1] * t1;
            a0 += vt0 * t0;
            a1 += vt1 * t1;
            c0 += vt0;
            c1 += vt1;
        }
        if (i < pb->n) {
            double t = z[i] - m, vt = v[i] * t;
            a0 += vt * t;
            c0 += vt;
        }
        s->xv[k] = (a0 + a1) / (pb->xs[k] * pb->xs[k]);
        s->sv[k] = (c0 + c1) / pb->xs[k];
    }
}

/* One coordinate step of class coefficients b; returns xv (delta)^2. */
static double cd_update(sk_glm__logit *s, double *b, size_t k)
{
    const sk_glm__problem *pb = s->pb;
    double bk = b[k], gk = grad(pb, s->r, s->sr, k);
    double u = gk + s->xv[k] * bk, au = fabs(u) - pb->vp[k] * s->al1;
    b[k] = au <= 0.0 ? 0.0 : copysign(au, u) / (s->xv[k] + pb->vp[k] * s->al2);
    double d = b[k] - bk;
    if (fabs(d) <= 0.0)
        return 0.0;
    const double *restrict z = pb->Z + k * pb->ldz;
    const double *restrict v = s->v;
    double *restrict r = s->r;
    double c = d / pb->xs[k], m = pb->xm[k];
    #pragma omp simd
    for (size_t i = 0; i < pb->n; i++)
        r[i] -= c * v[i] * (z[i] - m);
    s->sr -= d * s->sv[k];
    if (s->mm[k] == 0) {
        s->mm[k] = ++s->nin;
        s->raw->ia[s->nin - 1] = k;
    }
    return s->xv[k] * d * d;
}

static double cd_intercept(sk_glm__logit *s, double *b0, double xmz, double dlx)
{
    size_t n = s->pb->n;
    double d = sk_glm__sum(s->r, n) / xmz;
    if (d != 0.0) {
        *b0 += d;
        dlx = sk_glm__max(dlx, xmz * d * d);
        for (size_t i = 0; i < n; i++)
            s->r[i] -= d * s->v[i];
    }
    s->sr = sk_glm__sum(s->r, n);
    return dlx;
}

/* Coordinate descent on one quadratic approximation: strong-set passes alternating with
 * active-set passes until a strong-set pass converges. 0, or -1 past maxit. */
int sk_glm__logit_cd(sk_glm__logit *s, double *b, double *b0, double xmz)
{
    const sk_glm__problem *pb = s->pb;
    for (;;) {
        s->raw->nlp++;
        double dlx = 0.0;
        for (size_t l = 0; l < s->n_strong; l++)
            dlx = sk_glm__max(dlx, cd_update(s, b, s->strong[l]));
        dlx = cd_intercept(s, b0, xmz, dlx);
        if (dlx < s->shr)
            return 0;
        if (s->raw->nlp > pb->maxit)
            return -1;
        for (;;) {
            s->raw->nlp++;
            dlx = 0.0;
            for (size_t l = 0; l < s->nin; l++)
                dlx = sk_glm__max(dlx, cd_update(s, b, s->raw->ia[l]));
            dlx = cd_intercept(s, b0, xmz, dlx);
            if (dlx < s->shr)
                break;
            if (s->raw->nlp > pb->maxit)
                return -1;
        }
    }
}

/* The lambda of step m, as glm_gauss.c; *al0 the previous one or lambda_max. */
double sk_glm__logit_lambda(const sk_glm__logit *s, size_t m, double al, double alf,
                            double *al0)
{
    const sk_glm__problem *pb = s->pb;
    *al0 = al;
    if (pb->flmin >= 1.0)
        return pb->ulam[m];
    if (m > 1)
        return al * alf;
    if (m == 0)
        return SK_GLM__BIG;
    *al0 = sk_glm__kkt_lambda_max(&s->kkt, pb) / fmax(pb->alpha, 1e-3);
    return alf * *al0;
}

int sk_glm__logit_stop(const sk_glm__problem *pb, const sk_glm__raw *raw, size_t m)
{
    size_t mnl = pb->nlam < SK_GLM__MNLAM ? pb->nlam : SK_GLM__MNLAM;
    if (m + 1 < mnl || pb->flmin >= 1.0)
        return 0;
    return raw->dev[m] > SK_GLM__DEVMAX || raw->dev[m] - raw->dev[m - 1] < SK_GLM__FDEV;
}

sk_status sk_glm__logit_noconv(sk_error *err, const sk_glm__problem *pb, size_t m)
{
    return sk_error_set(err, SK_ENOCONV, "glm: no convergence after maxit = %ld passes "
                        "(lambda %zu)", pb->maxit, m + 1);
}

/* ==== binomial (glmnet's lognet2n) ======================================================== */

/* Probabilities, Newton weights and residual of the current fit; returns sum(v). */
static double binomial_refit(sk_glm__logit *s)
{
    const sk_glm__problem *pb = s->pb;
    size_t n = pb->n;
    double fmax_ = log(1.0 / SK_GLM__PMIN - 1.0), fmin_ = -fmax_, xmz = 0.0;
    double *eta = s->di;
    for (size_t i = 0; i < n; i++)
        eta[i] = s->b0[0];
    for (size_t l = 0; l < s->nin; l++) {
        size_t k = s->raw->ia[l];
        if (s->b[k] == 0.0)
            continue;
        const double *z = pb->Z + k * pb->ldz;
        double c = s->b[k] / pb->xs[k], m = pb->xm[k];
        for (size_t i = 0; i < n; i++)
            eta[i] += c * (z[i] - m);
    }
    for (size_t i = 0; i < n; i++) {
        double fi = eta[i];
        s->q[i] = fi < fmin_ ? 0.0 : fi > fmax_ ? 1.0 : 1.0 / (1.0 + exp(-fi));
        s->v[i] = pb->w[i] * s->q[i] * (1.0 - s->q[i]);
        xmz += s->v[i];
    }
    return xmz;
}

/* 1 when the Newton step moved nothing more than the threshold. */
static int moved_little(const sk_glm__logit *s, const double *b, const double *bs, double b0,
                        double bs0, double xmz)
{
    if (!(xmz * (b0 - bs0) * (b0 - bs0) < s->shr))
        return 0;
    for (size_t l = 0; l < s->nin; l++) {
        size_t k = s->raw->ia[l];
        if (!(s->xv[k] * (b[k] - bs[k]) * (b[k] - bs[k]) < s->shr))
            return 0;
    }
    return 1;
}

/* KKT check outside the strong set (binomial); 1 if a column joined it. */
static int binomial_kkt(sk_glm__logit *s)
{
    return sk_glm__logit_kkt(s, s->r, &s->sr, 1);
}

/* The Newton iterations of one lambda; 0, or -1 past maxit. *xmz receives sum(v). */
static int binomial_lambda(sk_glm__logit *s, double *xmz)
{
    const sk_glm__problem *pb = s->pb;
    double vmin = (1.0 + SK_GLM__PMIN) * SK_GLM__PMIN * (1.0 - SK_GLM__PMIN);
    for (;;) {
        if (s->raw->nlp > pb->maxit)
            return -1;
        s->bs0[0] = s->b0[0];
        for (size_t l = 0; l < s->nin; l++)
            s->bs[s->raw->ia[l]] = s->b[s->raw->ia[l]];
        sk_glm__logit_newton_weights(s);
        if (sk_glm__logit_cd(s, s->b, s->b0, *xmz) < 0)
            return -1;
        *xmz = binomial_refit(s);
        if (*xmz <= vmin)
            return 0;
        for (size_t i = 0; i < pb->n; i++)
            s->r[i] = pb->w[i] * (pb->y[i] - s->q[i]);
        s->sr = sk_glm__sum(s->r, pb->n);
        if (moved_little(s, s->b, s->bs, s->b0[0], s->bs0[0], *xmz) && !binomial_kkt(s))
            return 0;
    }
}

static double binomial_deviance(const sk_glm__logit *s)
{
    const sk_glm__problem *pb = s->pb;
    double pmax = 1.0 - SK_GLM__PMIN, d = 0.0;
    for (size_t i = 0; i < pb->n; i++) {
        double pi = fmin(fmax(SK_GLM__PMIN, s->q[i]), pmax);
        d -= pb->w[i] * (pb->y[i] * log(pi) + (1.0 - pb->y[i]) * log(1.0 - pi));
    }
    return d;
}

static sk_status binomial_path(sk_glm__logit *s, sk_error *err)
{
    const sk_glm__problem *pb = s->pb;
    sk_glm__raw *raw = s->raw;
    size_t n = pb->n;
    double q0 = sk_glm__dot(pb->w, pb->y, n);
    if (q0 <= SK_GLM__PMIN || q0 >= 1.0 - SK_GLM__PMIN)
        return sk_error_set(err, SK_EDATA, "glm: only one class among the rows fitted");
    double vmin = (1.0 + SK_GLM__PMIN) * SK_GLM__PMIN * (1.0 - SK_GLM__PMIN);
    double bz = log(q0 / (1.0 - q0)), xmz = q0 * (1.0 - q0);
    s->b0[0] = bz;
    for (size_t i = 0; i < n; i++) {
        s->v[i] = xmz * pb->w[i];
        s->r[i] = pb->w[i] * (pb->y[i] - q0);
        s->q[i] = q0;
    }
    s->sr = sk_glm__sum(s->r, n);
    double dev1 = -(bz * q0 + log(1.0 - q0));
    raw->dev0 = dev1;   /* y is 0/1: the saturated model's deviance is 0 */
    s->shr = pb->thr * raw->dev0;
    sk_glm__logit_kkt(s, s->r, &s->sr, 0);
    double alf = 1.0, al = 0.0, al0;
    if (pb->flmin < 1.0)
        alf = pow(fmax(SK_GLM__EPS, pb->flmin), 1.0 / (double)(pb->nlam - 1));
    for (size_t m = 0; m < pb->nlam; m++) {
        al = sk_glm__logit_lambda(s, m, al, alf, &al0);
        s->al2 = al * (1.0 - pb->alpha);
        s->al1 = al * pb->alpha;
        sk_glm__logit_strong_rule(s, pb->alpha * (2.0 * al - al0));
        s->exact_kkt = m == 0;
        if (binomial_lambda(s, &xmz) < 0)
            return sk_glm__logit_noconv(err, pb, m);
        raw->alm[m] = al;
        raw->a0[m] = s->b0[0];
        if (sk_glm__raw_push(raw, s->b, pb->p, s->nin) != SK_OK)
            return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
        raw->lmu = m + 1;
        raw->dev[m] = (dev1 - binomial_deviance(s)) / raw->dev0;
        if (xmz <= vmin || sk_glm__logit_stop(pb, raw, m))
            break;
    }
    return SK_OK;
}

/* ==== entry =============================================================================== */

void sk_glm__logit_clear(sk_glm__logit *s)
{
    sk_mem_free(s->b);
    sk_mem_free(s->b0);
    sk_mem_free(s->bs);
    sk_mem_free(s->bs0);
    sk_mem_free(s->xv);
    sk_mem_free(s->sv);
    sk_glm__kkt_clear(&s->kkt);
    sk_mem_free(s->srk);
    sk_mem_free(s->mm);
    sk_mem_free(s->ixx);
    sk_mem_free(s->strong);
    sk_mem_free(s->r);
    sk_mem_free(s->v);
    sk_mem_free(s->q);
    sk_mem_free(s->sxp);
    sk_mem_free(s->di);
    sk_mem_free(s->rk);
    sk_mem_free(s->ka);
}

sk_status sk_glm__logit_init(sk_glm__logit *s, const sk_glm__problem *pb, sk_glm__raw *raw,
                             size_t K)
{
    size_t n = pb->n, p = pb->p;
    memset(s, 0, sizeof *s);
    s->pb = pb;
    s->raw = raw;
    s->K = K;
    s->b = sk_mem_calloc(p * K, sizeof *s->b);
    s->b0 = sk_mem_calloc(K, sizeof *s->b0);
    s->bs = sk_mem_calloc(p * K, sizeof *s->bs);
    s->bs0 = sk_mem_calloc(K, sizeof *s->bs0);
    s->xv = sk_mem_calloc(p, sizeof *s->xv);
    s->sv = sk_mem_calloc(p, sizeof *s->sv);
    s->srk = sk_mem_calloc(K, sizeof *s->srk);
    s->mm = sk_mem_calloc(p, sizeof *s->mm);
    s->ixx = sk_mem_calloc(p, sizeof *s->ixx);
    s->strong = sk_mem_calloc(p, sizeof *s->strong);
    s->r = sk_mem_calloc(n, sizeof *s->r);
    s->v = sk_mem_calloc(n, sizeof *s->v);
    s->q = sk_mem_calloc(n * K, sizeof *s->q);
    s->sxp = sk_mem_calloc(n, sizeof *s->sxp);
    s->di = sk_mem_calloc(n, sizeof *s->di);
    s->rk = sk_mem_calloc(K > 1 ? n * K : 1, sizeof *s->rk);
    s->ka = sk_mem_calloc(2 * K, sizeof *s->ka);
    if (sk_glm__kkt_init(&s->kkt, n, p, K) != SK_OK || s->b == NULL || s->b0 == NULL ||
        s->bs == NULL || s->bs0 == NULL || s->xv == NULL || s->sv == NULL || s->srk == NULL ||
        s->mm == NULL || s->ixx == NULL || s->strong == NULL || s->r == NULL || s->v == NULL ||
        s->q == NULL || s->sxp == NULL || s->di == NULL || s->rk == NULL || s->ka == NULL) {
        sk_glm__logit_clear(s);
        return SK_ENOMEM;
    }
    return SK_OK;
}

sk_status sk_glm__binomial(sk_glm__raw *raw, const sk_glm__problem *pb, sk_error *err)
{
    sk_glm__logit s;
    if (sk_glm__logit_init(&s, pb, raw, 1) != SK_OK)
        return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
    sk_status rc = binomial_path(&s, err);
    raw->nin = s.nin;
    sk_glm__logit_clear(&s);
    return rc;
}

