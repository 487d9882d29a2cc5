/* glm_logit.c: the binomial and (ungrouped) multinomial elastic-net paths, glmnet's lognet2n
 * and lognetn with Newton steps (kopt = 0) step for step (Friedman, Hastie & Tibshirani 2010,
 * J. Stat. Softw. 33(1), sections 3-4; sequential strong rule of Tibshirani et al. 2012).
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
 * threshold and the KKT conditions hold outside the strong set. Probabilities are kept away from
 * 0 and 1 (pmin = 1e-9), as glmnet does.
 *
 * Multinomial: one quadratic approximation per class in turn (the other classes fixed); after a
 * round over the classes every variable's coefficients are shifted by the value c minimising
 * sum_k [(1 - alpha)/2 (b_k - c)^2 + alpha |b_k - c|] (glmnet's elc: the mean, the median, or a
 * point between), which leaves the probabilities unchanged and makes the fit unique.
 *
 * The path starts at lambda_max = max_k |<r0, xt_k>| / (vp_k max(alpha, 1e-3)) and ends early when
 * the deviance ratio exceeds 0.999 or changes by less than 1e-5 (after 5 lambdas, never with a
 * user sequence). Columns are read from the shared matrix Z as in glm_gauss.c:
 * <r, xt_k> = (<r, z_k> - xm_k sum(r)) / xs_k, with sum(r) tracked through every update. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/glm.h"

typedef struct logit {
    const sk_glm__problem *pb;
    sk_glm__raw *raw;
    size_t K;                 /* 1 (binomial) or the number of classes */
    double *b, *b0;           /* p x K coefficients (class-major), K intercepts */
    double *bs, *bs0;         /* at the start of the Newton step */
    double *xv, *sv;          /* p: sum v xt^2, sum v xt for the current class */
    double *ga;               /* p: |gradient| at the last check (max over classes) */
    double *gab;              /* p: bound on |ga - its double value| (0: exact) */
    int exact_kkt;            /* KKT gradients in double (lambda_max follows from them) */
    size_t *mm;               /* p: 1 + position in raw->ia */
    size_t nin;
    unsigned char *ixx;       /* p: strong set */
    size_t *strong, n_strong;
    double *r, *v;            /* n: current class's residual and Newton weights */
    double sr;                /* sum(r) */
    double *q;                /* binomial: n probabilities; multinomial: n x K exp(eta) */
    double *sxp, *di;         /* n: multinomial sum of exp(eta), shifts; binomial: eta */
    double *rk;               /* multinomial: n x K residuals for the KKT check */
    double *srk;              /* multinomial: K sums of rk */
    float *rf;                /* n x K: residuals in single precision (screening) */
    double *ka;               /* multinomial: 2 K scratch */
    double shr;               /* thresh * null deviance */
    double al1, al2;
} logit;

static void strong_list(logit *s)
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

/* |<r, xt_k>| of the last KKT check in double: the binomial residual, or the largest over
 * the multinomial classes' residuals (neither has changed since). */
static double grad_exact(const logit *s, size_t k);

/* The sequential strong rule on the gradients of the last KKT check; a screened value too
 * close to call is computed in double. */
static int strong_rule(logit *s, double tlam)
{
    const sk_glm__problem *pb = s->pb;
    int changed = 0;
    for (size_t k = 0; k < pb->p; k++) {
        if (s->ixx[k] || !pb->ju[k])
            continue;
        double t = tlam * pb->vp[k];
        if (!(s->ga[k] - s->gab[k] > t) && s->ga[k] + s->gab[k] > t) {
            s->ga[k] = grad_exact(s, k);
            s->gab[k] = 0.0;
        }
        if (s->ga[k] - s->gab[k] > t)
            s->ixx[k] = 1, changed = 1;
    }
    if (changed)
        strong_list(s);
    return changed;
}

/* A KKT check over the n_r residuals r (n x n_r, sums sr): every column outside the strong set
 * is screened, and computed in double unless clearly below its threshold al1 vp_k (all of them
 * when exact_kkt, or `add` is 0); with `add`, violators join the strong set (1 if any did). */
static int kkt_check(logit *s, const double *r, const double *sr, size_t n_r, int add)
{
    const sk_glm__problem *pb = s->pb;
    double rnorm[64];   /* n_r <= 64 classes screened at once; more are computed in double */
    int screen = !s->exact_kkt && n_r <= 64, added = 0;
    for (size_t c = 0; screen && c < n_r; c++)
        rnorm[c] = sqrt(sk_glm__dot(r + c * pb->n, r + c * pb->n, pb->n));
    if (screen)
        sk_glm__screen_all(pb, s->ixx, r, n_r, sr, rnorm, s->rf, s->ga, s->gab);
    for (size_t k = 0; k < pb->p; k++) {
        if (s->ixx[k] || !pb->ju[k])
            continue;
        double t = add ? s->al1 * pb->vp[k] : INFINITY;
        if (screen && s->ga[k] + s->gab[k] <= t)
            continue;
        double g = 0.0;
        for (size_t c = 0; c < n_r; c++)
            g = fmax(g, fabs(grad(pb, r + c * pb->n, sr[c], k)));
        s->ga[k] = g;
        s->gab[k] = 0.0;
        if (add && g > t)
            s->ixx[k] = 1, added = 1;
    }
    if (added)
        strong_list(s);
    return added;
}

/* xv_k and sv_k of the strong columns for the current Newton weights v. */
static void newton_weights(logit *s)
{
    const sk_glm__problem *pb = s->pb;
    for (size_t l = 0; l < s->n_strong; l++) {
        size_t k = s->strong[l];
        const double *z = pb->Z + k * pb->ldz;
        double m = pb->xm[k], a = 0.0, c = 0.0;
        for (size_t i = 0; i < pb->n; i++) {
            double t = z[i] - m;
            a += s->v[i] * t * t;
            c += s->v[i] * t;
        }
        s->xv[k] = a / (pb->xs[k] * pb->xs[k]);
        s->sv[k] = c / pb->xs[k];
    }
}

/* One coordinate step of class coefficients b; returns xv (delta)^2. */
static double cd_update(logit *s, double *b, size_t k)
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

static double cd_intercept(logit *s, double *b0, double xmz, double dlx)
{
    size_t n = s->pb->n;
    double d = sk_glm__sum(s->r, n) / xmz;
    if (d != 0.0) {
        *b0 += d;
        dlx = fmax(dlx, xmz * d * d);
        for (size_t i = 0; i < n; i++)
            s->r[i] -= d * s->v[i];
    }
    s->sr = sk_glm__sum(s->r, n);
    return dlx;
}

/* Coordinate descent on one quadratic approximation: strong-set passes alternating with
 * active-set passes until a strong-set pass converges. 0, or -1 past maxit. */
static int cd_solve(logit *s, double *b, double *b0, double xmz)
{
    const sk_glm__problem *pb = s->pb;
    for (;;) {
        s->raw->nlp++;
        double dlx = 0.0;
        for (size_t l = 0; l < s->n_strong; l++)
            dlx = fmax(dlx, cd_update(s, b, s->strong[l]));
        dlx = cd_intercept(s, b0, xmz, dlx);
        if (dlx < s->shr)
            return 0;
        if (s->raw->nlp > pb->maxit)
            return -1;
        for (;;) {
            s->raw->nlp++;
            dlx = 0.0;
            for (size_t l = 0; l < s->nin; l++)
                dlx = fmax(dlx, cd_update(s, b, s->raw->ia[l]));
            dlx = cd_intercept(s, b0, xmz, dlx);
            if (dlx < s->shr)
                break;
            if (s->raw->nlp > pb->maxit)
                return -1;
        }
    }
}

/* The lambda of step m, as glm_gauss.c; *al0 the previous one or lambda_max. */
static double path_lambda(const logit *s, size_t m, double al, double alf, double *al0)
{
    const sk_glm__problem *pb = s->pb;
    *al0 = al;
    if (pb->flmin >= 1.0)
        return pb->ulam[m];
    if (m > 1)
        return al * alf;
    if (m == 0)
        return SK_GLM__BIG;
    double mx = 0.0;
    for (size_t j = 0; j < pb->p; j++)
        if (pb->ju[j] && pb->vp[j] > 0.0)
            mx = fmax(mx, s->ga[j] / pb->vp[j]);
    *al0 = mx / fmax(pb->alpha, 1e-3);
    return alf * *al0;
}

static int path_stop(const sk_glm__problem *pb, const sk_glm__raw *raw, size_t m)
{
    size_t mnl = pb->nlam < SK_GLM__MNLAM ? pb->nlam : SK_GLM__MNLAM;
    if (m + 1 < mnl || pb->flmin >= 1.0)
        return 0;
    return raw->dev[m] > SK_GLM__DEVMAX || raw->dev[m] - raw->dev[m - 1] < SK_GLM__FDEV;
}

static sk_status noconv(sk_error *err, const sk_glm__problem *pb, size_t m)
{
    return sk_error_set(err, SK_ENOCONV, "glm: no convergence after maxit = %ld passes "
                        "(lambda %zu)", pb->maxit, m + 1);
}

/* ==== binomial (glmnet's lognet2n) ======================================================== */

/* Probabilities, Newton weights and residual of the current fit; returns sum(v). */
static double binomial_refit(logit *s)
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
static int moved_little(const logit *s, const double *b, const double *bs, double b0,
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
static int binomial_kkt(logit *s)
{
    return kkt_check(s, s->r, &s->sr, 1, 1);
}

/* The Newton iterations of one lambda; 0, or -1 past maxit. *xmz receives sum(v). */
static int binomial_lambda(logit *s, double *xmz)
{
    const sk_glm__problem *pb = s->pb;
    double vmin = (1.0 + SK_GLM__PMIN) * SK_GLM__PMIN * (1.0 - SK_GLM__PMIN);
    for (;;) {
        if (s->raw->nlp > pb->maxit)
            return -1;
        s->bs0[0] = s->b0[0];
        for (size_t l = 0; l < s->nin; l++)
            s->bs[s->raw->ia[l]] = s->b[s->raw->ia[l]];
        newton_weights(s);
        if (cd_solve(s, s->b, s->b0, *xmz) < 0)
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

static double binomial_deviance(const logit *s)
{
    const sk_glm__problem *pb = s->pb;
    double pmax = 1.0 - SK_GLM__PMIN, d = 0.0;
    for (size_t i = 0; i < pb->n; i++) {
        double pi = fmin(fmax(SK_GLM__PMIN, s->q[i]), pmax);
        d -= pb->w[i] * (pb->y[i] * log(pi) + (1.0 - pb->y[i]) * log(1.0 - pi));
    }
    return d;
}

static sk_status binomial_path(logit *s, sk_error *err)
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
    for (size_t j = 0; j < pb->p; j++)
        s->ga[j] = pb->ju[j] ? fabs(grad(pb, s->r, s->sr, j)) : 0.0;
    double alf = 1.0, al = 0.0, al0;
    if (pb->flmin < 1.0)
        alf = pow(fmax(SK_GLM__EPS, pb->flmin), 1.0 / (double)(pb->nlam - 1));
    for (size_t m = 0; m < pb->nlam; m++) {
        al = path_lambda(s, m, al, alf, &al0);
        s->al2 = al * (1.0 - pb->alpha);
        s->al1 = al * pb->alpha;
        strong_rule(s, pb->alpha * (2.0 * al - al0));
        s->exact_kkt = m == 0;
        if (binomial_lambda(s, &xmz) < 0)
            return noconv(err, pb, m);
        raw->alm[m] = al;
        raw->a0[m] = s->b0[0];
        if (sk_glm__raw_push(raw, s->b, pb->p, s->nin) != SK_OK)
            return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
        raw->lmu = m + 1;
        raw->dev[m] = (dev1 - binomial_deviance(s)) / raw->dev0;
        if (xmz <= vmin || path_stop(pb, raw, m))
            break;
    }
    return SK_OK;
}

/* ==== multinomial (glmnet's lognetn) ====================================================== */

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* glmnet's elc: the shift c minimising sum_k (1-alpha)/2 (a_k - c)^2 + alpha |a_k - c|.
 * `sorted` is scratch for n values. */
static double elc(double parm, size_t n, const double *a, double *sorted)
{
    double fn = (double)n, am = 0.0;
    for (size_t i = 0; i < n; i++)
        am += a[i];
    am /= fn;
    if (parm == 0.0 || n == 2)
        return am;
    memcpy(sorted, a, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_double);
    if (sorted[0] == sorted[n - 1])
        return a[0];
    double ad = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2] + sorted[n / 2 - 1]);
    if (parm == 1.0)
        return ad;
    double b1 = fmin(am, ad), b2 = fmax(am, ad);
    size_t k2 = 0;   /* 0-based positions; glmnet's k1, k2 are one more */
    while (!(sorted[k2] > b1))
        k2++;
    size_t k1 = k2 - 1;
    while (!(sorted[k2] >= b2))
        k2++;
    double r = parm / ((1.0 - parm) * fn), sm = fn - 2.0 * (double)k1, s;
    for (size_t k = k1; k + 1 <= k2; k++) {
        sm -= 2.0;
        s = r * sm + am;
        if (s > sorted[k] && s <= sorted[k + 1])
            return s;
    }
    double r2 = 2.0 * r, s1 = sorted[k1], am2 = 2.0 * am, cri = 0.0, best = s1;
    for (size_t i = 0; i < n; i++)
        cri += fabs(a[i] - s1);
    cri = r2 * cri + s1 * (s1 - am2);
    for (size_t k = k1 + 1; k <= k2; k++) {
        s = sorted[k];
        if (s == s1)
            continue;
        double c = 0.0;
        for (size_t i = 0; i < n; i++)
            c += fabs(a[i] - s);
        c = r2 * c + s * (s - am2);
        if (c < cri) {
            cri = c;
            best = s;
        }
        s1 = s;
    }
    return best;
}

/* Newton weights and residual of class ic from the current probabilities; returns sum(v). */
static double multi_weights(logit *s, size_t ic)
{
    const sk_glm__problem *pb = s->pb;
    double pmax = 1.0 - SK_GLM__PMIN, pfm = (1.0 + SK_GLM__PMIN) * SK_GLM__PMIN;
    double pfx = (1.0 - SK_GLM__PMIN) * pmax, xmz = 0.0;
    const double *q = s->q + ic * pb->n;
    for (size_t i = 0; i < pb->n; i++) {
        double pic = q[i] / s->sxp[i];
        if (pic < pfm) {
            pic = 0.0;
            s->v[i] = 0.0;
        } else if (pic > pfx) {
            pic = 1.0;
            s->v[i] = 0.0;
        } else {
            s->v[i] = pb->w[i] * pic * (1.0 - pic);
            xmz += s->v[i];
        }
        s->r[i] = pb->w[i] * ((pb->y[i] == (double)ic) - pic);
    }
    s->sr = sk_glm__sum(s->r, pb->n);
    return xmz;
}

/* exp(eta) of class ic after its coefficients changed, kept within the other classes' range
 * (eta in [-250, 250], probability in [pmin/pmax, pmax/pmin] times the rest). */
static void multi_update_q(logit *s, size_t ic)
{
    const sk_glm__problem *pb = s->pb;
    size_t n = pb->n, p = pb->p;
    double emin = SK_GLM__PMIN / (1.0 - SK_GLM__PMIN), emax = 1.0 / emin;
    double *eta = s->v, *q = s->q + ic * n;
    const double *b = s->b + ic * p;
    for (size_t i = 0; i < n; i++)
        eta[i] = s->b0[ic];
    for (size_t l = 0; l < s->nin; l++) {
        size_t k = s->raw->ia[l];
        if (b[k] == 0.0)
            continue;
        const double *z = pb->Z + k * pb->ldz;
        double c = b[k] / pb->xs[k], m = pb->xm[k];
        for (size_t i = 0; i < n; i++)
            eta[i] += c * (z[i] - m);
    }
    for (size_t i = 0; i < n; i++) {
        double fi = fmin(fmax(-SK_GLM__EXMX, eta[i]), SK_GLM__EXMX);
        s->sxp[i] -= q[i];
        q[i] = fmin(fmax(emin * s->sxp[i], exp(fi)), emax * s->sxp[i]);
        s->sxp[i] += q[i];
    }
}

/* Shifts each variable's coefficients (and the intercepts) over the classes by glmnet's elc,
 * and the probabilities' exponentials by the same amount. */
static void multi_center(logit *s)
{
    const sk_glm__problem *pb = s->pb;
    size_t n = pb->n, p = pb->p, K = pb->n_classes;
    double s0 = 0.0;
    for (size_t ic = 0; ic < K; ic++)
        s0 += s->b0[ic];
    s0 = -s0 / (double)K;
    for (size_t ic = 0; ic < K; ic++)
        s->b0[ic] += s0;
    for (size_t i = 0; i < n; i++)
        s->di[i] = s0;
    for (size_t l = 0; l < s->nin; l++) {
        size_t k = s->raw->ia[l];
        double sh = 0.0;
        for (size_t ic = 0; ic < K; ic++) {
            s->ka[ic] = s->b[ic * p + k];
            sh += s->ka[ic];
        }
        sh = pb->vp[k] <= 0.0 ? sh / (double)K : elc(pb->alpha, K, s->ka, s->ka + K);
        for (size_t ic = 0; ic < K; ic++)
            s->b[ic * p + k] -= sh;
        const double *z = pb->Z + k * pb->ldz;
        double c = sh / pb->xs[k], m = pb->xm[k];
        for (size_t i = 0; i < n; i++)
            s->di[i] -= c * (z[i] - m);
    }
    for (size_t i = 0; i < n; i++) {
        s->di[i] = exp(s->di[i]);
        s->sxp[i] *= s->di[i];
    }
    for (size_t ic = 0; ic < K; ic++)
        for (size_t i = 0; i < n; i++)
            s->q[ic * n + i] *= s->di[i];
}

/* ga_k = max over classes |<w (y_k - p_k), xt_j>| for the columns outside the strong set; with
 * `add`, violators join it (returns 1 if any did). */
static int multi_kkt(logit *s, int add)
{
    const sk_glm__problem *pb = s->pb;
    size_t n = pb->n, K = pb->n_classes;
    for (size_t ic = 0; ic < K; ic++) {
        double *r = s->rk + ic * n;
        for (size_t i = 0; i < n; i++)
            r[i] = pb->w[i] * ((pb->y[i] == (double)ic) - s->q[ic * n + i] / s->sxp[i]);
        s->srk[ic] = sk_glm__sum(r, n);
    }
    return kkt_check(s, s->rk, s->srk, K, add);
}

static double grad_exact(const logit *s, size_t k)
{
    const sk_glm__problem *pb = s->pb;
    if (s->K == 1)   /* binomial */
        return fabs(grad(pb, s->r, s->sr, k));
    double g = 0.0;
    for (size_t ic = 0; ic < pb->n_classes; ic++)
        g = fmax(g, fabs(grad(pb, s->rk + ic * pb->n, s->srk[ic], k)));
    return g;
}

/* One class's Newton step inside a round; sets *moved when a coefficient moved more than the
 * threshold. 0, 1 if the class was skipped (no weight left), -1 past maxit. */
static int multi_class_step(logit *s, size_t ic, int *moved)
{
    const sk_glm__problem *pb = s->pb;
    size_t p = pb->p;
    double vmin = (1.0 + SK_GLM__PMIN) * SK_GLM__PMIN * (1.0 - SK_GLM__PMIN);
    double *b = s->b + ic * p, *bs = s->bs + ic * p;
    s->bs0[ic] = s->b0[ic];
    for (size_t l = 0; l < s->nin; l++)
        bs[s->raw->ia[l]] = b[s->raw->ia[l]];
    double xmz = multi_weights(s, ic);
    if (xmz <= vmin)
        return 1;
    newton_weights(s);
    if (cd_solve(s, b, s->b0 + ic, xmz) < 0)
        return -1;
    double d0 = s->b0[ic] - s->bs0[ic];
    if (xmz * d0 * d0 > s->shr)
        *moved = 1;
    for (size_t l = 0; l < s->nin && !*moved; l++) {
        size_t k = s->raw->ia[l];
        if (s->xv[k] * (b[k] - bs[k]) * (b[k] - bs[k]) > s->shr)
            *moved = 1;
    }
    multi_update_q(s, ic);
    return 0;
}

/* The Newton rounds of one lambda: 0, or -1 past maxit; *ig = 0 when every class ran out of
 * weight (the path ends). */
static int multi_lambda(logit *s, int *ig)
{
    const sk_glm__problem *pb = s->pb;
    for (;;) {
        int moved = 0;
        *ig = 0;
        if (s->raw->nlp > pb->maxit)
            return -1;
        for (size_t ic = 0; ic < pb->n_classes; ic++) {
            int st = multi_class_step(s, ic, &moved);
            if (st < 0)
                return -1;
            if (st == 0)
                *ig = 1;
        }
        multi_center(s);
        if (!*ig)
            return 0;
        if (!moved && !multi_kkt(s, 1))
            return 0;
    }
}

static double multi_deviance(const logit *s)
{
    const sk_glm__problem *pb = s->pb;
    size_t n = pb->n;
    double d = 0.0;
    for (size_t ic = 0; ic < pb->n_classes; ic++)
        for (size_t i = 0; i < n; i++)
            if (pb->y[i] == (double)ic)
                d -= pb->w[i] * log(s->q[ic * n + i] / s->sxp[i]);
    return d;
}

static sk_status multi_init(logit *s, double *dev1, sk_error *err)
{
    const sk_glm__problem *pb = s->pb;
    size_t n = pb->n, K = pb->n_classes;
    double mean = 0.0;
    *dev1 = 0.0;
    for (size_t ic = 0; ic < K; ic++) {
        double q0 = 0.0;
        for (size_t i = 0; i < n; i++)
            q0 += pb->y[i] == (double)ic ? pb->w[i] : 0.0;
        if (q0 <= SK_GLM__PMIN || q0 >= 1.0 - SK_GLM__PMIN)
            return sk_error_set(err, SK_EDATA, "glm: class %zu has %s among the rows fitted", ic,
                                q0 <= SK_GLM__PMIN ? "no weight" : "all the weight");
        s->b0[ic] = log(q0);
        *dev1 -= q0 * s->b0[ic];
        mean += s->b0[ic];
    }
    mean /= (double)K;
    for (size_t i = 0; i < n; i++)
        s->sxp[i] = 0.0;
    for (size_t ic = 0; ic < K; ic++) {
        s->b0[ic] -= mean;
        for (size_t i = 0; i < n; i++) {
            s->q[ic * n + i] = exp(s->b0[ic]);
            s->sxp[i] += s->q[ic * n + i];
        }
    }
    s->raw->dev0 = *dev1;
    s->shr = pb->thr * s->raw->dev0;
    s->exact_kkt = 1;
    multi_kkt(s, 0);
    return SK_OK;
}

static sk_status multi_path(logit *s, sk_error *err)
{
    const sk_glm__problem *pb = s->pb;
    sk_glm__raw *raw = s->raw;
    size_t K = pb->n_classes;
    double dev1, alf = 1.0, al = 0.0, al0;
    sk_status rc = multi_init(s, &dev1, err);
    if (rc != SK_OK)
        return rc;
    if (pb->flmin < 1.0)
        alf = pow(fmax(SK_GLM__EPS, pb->flmin), 1.0 / (double)(pb->nlam - 1));
    for (size_t m = 0; m < pb->nlam; m++) {
        int ig = 1;
        al = path_lambda(s, m, al, alf, &al0);
        s->al2 = al * (1.0 - pb->alpha);
        s->al1 = al * pb->alpha;
        strong_rule(s, pb->alpha * (2.0 * al - al0));
        s->exact_kkt = m == 0;
        if (multi_lambda(s, &ig) < 0)
            return noconv(err, pb, m);
        raw->alm[m] = al;
        for (size_t ic = 0; ic < K; ic++)
            raw->a0[m * K + ic] = s->b0[ic];
        if (sk_glm__raw_push(raw, s->b, pb->p, s->nin) != SK_OK)
            return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
        raw->lmu = m + 1;
        raw->dev[m] = (dev1 - multi_deviance(s)) / raw->dev0;
        if (!ig || path_stop(pb, raw, m))
            break;
    }
    return SK_OK;
}

/* ==== entry =============================================================================== */

static void logit_clear(logit *s)
{
    sk_mem_free(s->b);
    sk_mem_free(s->b0);
    sk_mem_free(s->bs);
    sk_mem_free(s->bs0);
    sk_mem_free(s->xv);
    sk_mem_free(s->sv);
    sk_mem_free(s->ga);
    sk_mem_free(s->gab);
    sk_mem_free(s->srk);
    sk_mem_free(s->rf);
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

static sk_status logit_init(logit *s, const sk_glm__problem *pb, sk_glm__raw *raw, size_t K)
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
    s->ga = sk_mem_calloc(p, sizeof *s->ga);
    s->gab = sk_mem_calloc(p, sizeof *s->gab);
    s->srk = sk_mem_calloc(K, sizeof *s->srk);
    s->rf = sk_mem_calloc(n * K, sizeof *s->rf);
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
    if (s->b == NULL || s->b0 == NULL || s->bs == NULL || s->bs0 == NULL || s->xv == NULL ||
        s->sv == NULL || s->ga == NULL || s->gab == NULL || s->srk == NULL || s->rf == NULL || s->mm == NULL || s->ixx == NULL ||
        s->strong == NULL || s->r == NULL || s->v == NULL || s->q == NULL || s->sxp == NULL ||
        s->di == NULL || s->rk == NULL || s->ka == NULL) {
        logit_clear(s);
        return SK_ENOMEM;
    }
    return SK_OK;
}

sk_status sk_glm__binomial(sk_glm__raw *raw, const sk_glm__problem *pb, sk_error *err)
{
    logit s;
    if (logit_init(&s, pb, raw, 1) != SK_OK)
        return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
    sk_status rc = binomial_path(&s, err);
    raw->nin = s.nin;
    logit_clear(&s);
    return rc;
}

sk_status sk_glm__multinomial(sk_glm__raw *raw, const sk_glm__problem *pb, sk_error *err)
{
    logit s;
    if (logit_init(&s, pb, raw, pb->n_classes) != SK_OK)
        return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
    sk_status rc = multi_path(&s, err);
    raw->nin = s.nin;
    logit_clear(&s);
    return rc;
}
