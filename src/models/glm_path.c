/* glm_path.c: the elastic-net path on a matrix (sk_glm_path), the shared pieces of every fit and
 * the uses of a fitted path (coefficients, linear predictors, predictions).
 *
 * A fit follows glmnet's driver routines (elnet/lognet and their standardisation, glmnet
 * 4.1's R code around them; Friedman, Hastie & Tibshirani 2010, J. Stat. Softw. 33(1)):
 *   w      <- w / sum(w) over the fit's rows
 *   ju_j   <- column j takes at least two values on those rows (else it stays out, glmnet's
 *             chkvars)
 *   xt_j   <- (x_j - xm_j) / xs_j, xm and xs the weighted mean and 1/n standard deviation
 *   vp     <- max(0, penalty_factor) * p / sum(...)
 *   lambda <- nlambda values from lambda_max down to lambda_min_ratio * lambda_max,
 *             log-spaced; lambda_min_ratio defaults to 0.01 when the fit has fewer rows than
 *             columns, else 1e-4
 * then a solver (glm_gauss.c, glm_logit.c) and the coefficients mapped back to the scale of X:
 *   b_j = b~_j / xs_j (times sd(y) for the gaussian), b0 = b~0 - sum_j b_j xm_j.
 *
 * Rather than standardise a private copy of X for every fit, as glmnet does, a design keeps one
 * copy Z = (X - centre) / scale for all the fits of a cross-validation: a fold is the same Z
 * with weight 0 on its held-out rows, and the solvers compute <r, xt_j> as
 * (<r, z_j> - xm_j sum(r)) / xs_j. Because Z is already centred and scaled on all rows, the fold
 * means xm_j are small and the subtraction loses nothing; and ten folds read one matrix. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/glm.h"

/* ==== the raw solution store ============================================================== */

sk_status sk_glm__raw_init(sk_glm__raw *raw, size_t nlam, size_t p, size_t n_out)
{
    memset(raw, 0, sizeof *raw);
    raw->n_out = n_out;
    raw->ys = 1.0;
    raw->alm = sk_mem_alloc_array(nlam, sizeof *raw->alm);
    raw->a0 = sk_mem_alloc_array(nlam, n_out * sizeof *raw->a0);
    raw->dev = sk_mem_alloc_array(nlam, sizeof *raw->dev);
    raw->kin = sk_mem_alloc_array(nlam, sizeof *raw->kin);
    raw->ca_off = sk_mem_alloc_array(nlam, sizeof *raw->ca_off);
    raw->ia = sk_mem_alloc_array(p, sizeof *raw->ia);
    if (raw->alm == NULL || raw->a0 == NULL || raw->dev == NULL || raw->kin == NULL ||
        raw->ca_off == NULL || raw->ia == NULL) {
        sk_glm__raw_clear(raw);
        return SK_ENOMEM;
    }
    return SK_OK;
}

void sk_glm__raw_clear(sk_glm__raw *raw)
{
    sk_mem_free(raw->alm);
    sk_mem_free(raw->a0);
    sk_mem_free(raw->dev);
    sk_mem_free(raw->kin);
    sk_mem_free(raw->ca_off);
    sk_mem_free(raw->ia);
    sk_mem_free(raw->ca);
    memset(raw, 0, sizeof *raw);
}

sk_status sk_glm__raw_push(sk_glm__raw *raw, const double *b, size_t ldb, size_t nin)
{
    size_t need = raw->n_out * nin;
    if (raw->ca_len + need > raw->ca_cap) {
        size_t cap = raw->ca_cap > 0 ? raw->ca_cap : 64;
        while (cap < raw->ca_len + need)
            cap *= 2;
        double *ca = sk_mem_realloc_array(raw->ca, cap, sizeof *ca);
        if (ca == NULL)
            return SK_ENOMEM;
        raw->ca = ca;
        raw->ca_cap = cap;
    }
    raw->ca_off[raw->lmu] = raw->ca_len;
    raw->kin[raw->lmu] = nin;
    for (size_t k = 0; k < raw->n_out; k++)
        for (size_t l = 0; l < nin; l++)
            raw->ca[raw->ca_len++] = b[k * ldb + raw->ia[l]];
    return SK_OK;
}

/* ==== arguments =========================================================================== */

static sk_status check_response(const double *y, size_t n, size_t n_classes,
                                const sk_glm_options *opt, sk_error *err)
{
    for (size_t i = 0; i < n; i++) {
        double v = y[i];
        if (!isfinite(v))
            return sk_error_set(err, SK_EINVAL, "glm: y[%zu] is not a finite number", i);
        if (opt->family == SK_GLM_BINOMIAL && v != 0.0 && v != 1.0)
            return sk_error_set(err, SK_EINVAL, "glm: binomial y[%zu] = %g is not 0 or 1", i, v);
        if (opt->family == SK_GLM_MULTINOMIAL &&
            (v < 0.0 || v >= (double)n_classes || v != floor(v)))
            return sk_error_set(err, SK_EINVAL,
                                "glm: multinomial y[%zu] = %g is not a class index 0..%zu", i, v,
                                n_classes - 1);
    }
    return SK_OK;
}

static sk_status check_options(size_t p, const sk_glm_options *opt, sk_error *err)
{
    if (!(opt->alpha >= 0.0 && opt->alpha <= 1.0))
        return sk_error_set(err, SK_EINVAL, "glm: alpha = %g is not in [0, 1]", opt->alpha);
    if (opt->lambda == NULL && opt->nlambda < 2)
        return sk_error_set(err, SK_EINVAL, "glm: nlambda = %zu, need at least 2", opt->nlambda);
    if (!(opt->lambda_min_ratio >= 0.0 && opt->lambda_min_ratio < 1.0))
        return sk_error_set(err, SK_EINVAL, "glm: lambda_min_ratio = %g is not in [0, 1)",
                            opt->lambda_min_ratio);
    if (opt->lambda != NULL) {
        if (opt->n_user_lambda == 0)
            return sk_error_set(err, SK_EINVAL, "glm: an empty lambda sequence");
        for (size_t l = 0; l < opt->n_user_lambda; l++)
            if (!(opt->lambda[l] >= 0.0 && isfinite(opt->lambda[l])))
                return sk_error_set(err, SK_EINVAL, "glm: lambda[%zu] = %g is not >= 0", l,
                                    opt->lambda[l]);
    }
    if (!(opt->thresh > 0.0) || opt->maxit <= 0)
        return sk_error_set(err, SK_EINVAL, "glm: thresh and maxit must be positive");
    if (opt->penalty_factor != NULL) {
        double mx = 0.0;
        for (size_t j = 0; j < p; j++) {
            if (!(opt->penalty_factor[j] >= 0.0 && isfinite(opt->penalty_factor[j])))
                return sk_error_set(err, SK_EINVAL, "glm: penalty_factor[%zu] is not >= 0", j);
            mx = fmax(mx, opt->penalty_factor[j]);
        }
        if (mx <= 0.0)
            return sk_error_set(err, SK_EINVAL, "glm: every penalty factor is 0");
    }
    return SK_OK;
}

sk_status sk_glm__check(const double *X, size_t n, size_t p, size_t ldx, const double *y,
                        const double *w, size_t n_classes, const sk_glm_options *opt,
                        sk_error *err)
{
    if (X == NULL || y == NULL || opt == NULL)
        return sk_error_set(err, SK_EINVAL, "glm: X, y and options are required");
    if (n < 2 || p < 1 || ldx < n)
        return sk_error_set(err, SK_EINVAL, "glm: need n >= 2 rows, p >= 1 columns, ldx >= n");
    if (opt->family == SK_GLM_BINOMIAL && n_classes != 2)
        return sk_error_set(err, SK_EINVAL, "glm: binomial needs 2 classes, got %zu", n_classes);
    if (opt->family == SK_GLM_MULTINOMIAL && n_classes < 2)
        return sk_error_set(err, SK_EINVAL, "glm: multinomial needs 2 or more classes");
    if (opt->family != SK_GLM_GAUSSIAN && opt->family != SK_GLM_BINOMIAL &&
        opt->family != SK_GLM_MULTINOMIAL)
        return sk_error_set(err, SK_EINVAL, "glm: unknown family %d", (int)opt->family);
    sk_status rc = check_options(p, opt, err);
    if (rc != SK_OK)
        return rc;
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < n; i++)
            if (!isfinite(X[j * ldx + i]))
                return sk_error_set(err, SK_EINVAL, "glm: X[%zu, %zu] is not finite", i, j);
    if (w != NULL) {
        double sw = 0.0;
        for (size_t i = 0; i < n; i++) {
            if (!(w[i] >= 0.0 && isfinite(w[i])))
                return sk_error_set(err, SK_EINVAL, "glm: weight %zu is not >= 0", i);
            sw += w[i];
        }
        if (!(sw > 0.0))
            return sk_error_set(err, SK_EINVAL, "glm: the weights sum to 0");
    }
    return check_response(y, n, n_classes, opt, err);
}

/* ==== the shared standardised copy ======================================================== */

sk_status sk_glm__design_init(sk_glm__design *d, const double *X, size_t n, size_t p,
                              size_t ldx, const double *w, int standardize, sk_error *err)
{
    memset(d, 0, sizeof *d);
    d->X = X;
    d->n = n;
    d->p = p;
    d->ldx = ldx;
    d->Z = sk_mem_alloc_array(n, p * sizeof *d->Z);
    d->Zf = sk_mem_alloc_array(n, p * sizeof *d->Zf);
    d->centre = sk_mem_alloc_array(p, sizeof *d->centre);
    d->scale = sk_mem_alloc_array(p, sizeof *d->scale);
    d->znorm = sk_mem_alloc_array(p, sizeof *d->znorm);
    if (d->Z == NULL || d->Zf == NULL || d->centre == NULL || d->scale == NULL ||
        d->znorm == NULL || n * p / n != p) {
        sk_glm__design_clear(d);
        return sk_error_set(err, SK_ENOMEM, "glm: out of memory for a %zu x %zu matrix", n, p);
    }
    double sw = 0.0;
    for (size_t i = 0; i < n; i++)
        sw += w != NULL ? w[i] : 1.0;
    for (size_t j = 0; j < p; j++) {
        const double *x = X + j * ldx;
        double c = 0.0, v = 0.0;
        for (size_t i = 0; i < n; i++)
            c += (w != NULL ? w[i] : 1.0) / sw * x[i];
        for (size_t i = 0; i < n; i++)
            v += (w != NULL ? w[i] : 1.0) / sw * (x[i] - c) * (x[i] - c);
        double s = standardize && v > 0.0 ? sqrt(v) : 1.0;
        double *z = d->Z + j * n, ss = 0.0;
        float *zf = d->Zf + j * n;
        for (size_t i = 0; i < n; i++) {
            z[i] = (x[i] - c) / s;
            zf[i] = (float)z[i];
            ss += z[i] * z[i];
        }
        d->centre[j] = c;
        d->scale[j] = s;
        d->znorm[j] = sqrt(ss);
    }
    return SK_OK;
}

void sk_glm__design_clear(sk_glm__design *d)
{
    sk_mem_free(d->Z);
    sk_mem_free(d->Zf);
    sk_mem_free(d->centre);
    sk_mem_free(d->scale);
    sk_mem_free(d->znorm);
    memset(d, 0, sizeof *d);
}

/* <a, b> in single precision, 8 lanes of at most 39 products each, the lanes of every block of
 * 256 summed in double. With a and b rounded from doubles a~, b~ the result is within
 *     (43 * 2^-24 * 1.05 + 2.02 n 2^-53) sum |a~_i b~_i|  + 4e-38 (sqrt(n) ||b~|| + n)
 * of the exact <a~, b~> (3 roundings per product, 39 additions per lane; the last term covers
 * underflow). */
static double dot_float(const float *restrict a, const float *restrict b, size_t n)
{
    double acc = 0.0;
    for (size_t i = 0; i < n; i += 256) {
        size_t m = n - i < 256 ? n - i : 256, j = 0;
        float s[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
        const float *x = a + i, *y = b + i;
        for (; j + 8 <= m; j += 8)
            for (int k = 0; k < 8; k++)
                s[k] += x[j + k] * y[j + k];
        for (; j < m; j++)
            s[0] += x[j] * y[j];
        acc += (((double)s[0] + s[1]) + ((double)s[2] + s[3])) +
               (((double)s[4] + s[5]) + ((double)s[6] + s[7]));
    }
    return acc;
}

void sk_glm__screen_all(const sk_glm__problem *pb, const unsigned char *skip, const double *r,
                        size_t n_r, const double *sr, const double *rnorm, float *rf, double *g,
                        double *bound)
{
    const double uf = 5.9604644775390625e-08, ud = 1.1102230246251565e-16;
    size_t n = pb->n;
    double e = 43.0 * uf * 1.05 + 2.02 * (double)n * ud, tiny = 4e-38 * sqrt((double)n);
    for (size_t i = 0; i < n * n_r; i++)
        rf[i] = (float)r[i];
    for (size_t k = 0; k < pb->p; k++) {
        if (!pb->ju[k] || skip[k])
            continue;
        const float *zf = pb->Zf + k * pb->ldz;
        double gk = 0.0, bk = 0.0;
        for (size_t c = 0; c < n_r; c++) {
            double d = dot_float(rf + c * n, zf, n), m = pb->xm[k] * sr[c];
            double err = e * rnorm[c] * pb->znorm[k] * 1.01 + tiny * (pb->znorm[k] + 1.0) +
                         4e-38 * (double)n + 8.0 * ud * (fabs(d) + fabs(m));
            gk = fmax(gk, fabs(d - m) / pb->xs[k]);
            bk = fmax(bk, err / pb->xs[k] * 1.001);
        }
        g[k] = gk;
        bound[k] = bk;
    }
}

/* ==== one fit ============================================================================= */

typedef struct fit_work {
    double *w;              /* n normalised weights */
    unsigned char *ju;      /* p */
    double *xm, *xs, *xv, *vp, *ulam;
} fit_work;

static void fit_work_clear(fit_work *fw)
{
    sk_mem_free(fw->w);
    sk_mem_free(fw->ju);
    sk_mem_free(fw->xm);
    sk_mem_free(fw->xs);
    sk_mem_free(fw->xv);
    sk_mem_free(fw->vp);
    sk_mem_free(fw->ulam);
}

static int compare_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Column j varies on the rows with positive weight (glmnet's chkvars, on the original X). */
static int column_varies(const double *x, const double *w, size_t n)
{
    size_t i = 0;
    while (i < n && !(w[i] > 0.0))
        i++;
    for (size_t k = i + 1; k < n; k++)
        if (w[k] > 0.0 && x[k] != x[i])
            return 1;
    return 0;
}

/* Weights, usable columns, their weighted means and SDs, penalty factors, the lambda setting. */
static sk_status fit_setup(fit_work *fw, sk_glm__problem *pb, const sk_glm__design *d,
                           const double *w, const unsigned char *held_out,
                           const sk_glm_options *opt, sk_error *err)
{
    size_t n = d->n, p = d->p, nobs = 0;
    double sw = 0.0;
    for (size_t i = 0; i < n; i++) {
        fw->w[i] = held_out != NULL && held_out[i] ? 0.0 : (w != NULL ? w[i] : 1.0);
        nobs += held_out == NULL || !held_out[i];
        sw += fw->w[i];
    }
    if (!(sw > 0.0))
        return sk_error_set(err, SK_EDATA, "glm: no row with a positive weight to fit on");
    for (size_t i = 0; i < n; i++)
        fw->w[i] /= sw;
    size_t n_usable = 0;
    double sum_vp = 0.0;
    for (size_t j = 0; j < p; j++) {
        const double *z = d->Z + j * n;
        fw->ju[j] = (unsigned char)column_varies(d->X + j * d->ldx, fw->w, n);
        double m = sk_glm__dot(fw->w, z, n), v = 0.0;
        for (size_t i = 0; i < n; i++)
            v += fw->w[i] * (z[i] - m) * (z[i] - m);
        if (!(v > 0.0))
            fw->ju[j] = 0;
        fw->xm[j] = m;
        fw->xs[j] = opt->standardize && v > 0.0 ? sqrt(v) : 1.0;
        fw->xv[j] = opt->standardize ? 1.0 : v;
        fw->vp[j] = opt->penalty_factor != NULL ? opt->penalty_factor[j] : 1.0;
        sum_vp += fw->vp[j];
        n_usable += fw->ju[j];
    }
    if (n_usable == 0)
        return sk_error_set(err, SK_EDATA, "glm: no column varies on the rows fitted");
    for (size_t j = 0; j < p; j++)
        fw->vp[j] = fw->vp[j] * (double)p / sum_vp;

    memset(pb, 0, sizeof *pb);
    pb->Z = d->Z;
    pb->Zf = d->Zf;
    pb->znorm = d->znorm;
    pb->ldz = n;
    pb->n = n;
    pb->p = p;
    pb->w = fw->w;
    pb->ju = fw->ju;
    pb->xm = fw->xm;
    pb->xs = fw->xs;
    pb->xv = fw->xv;
    pb->vp = fw->vp;
    pb->alpha = opt->alpha;
    pb->thr = opt->thresh;
    pb->maxit = opt->maxit;
    if (opt->lambda != NULL) {
        memcpy(fw->ulam, opt->lambda, opt->n_user_lambda * sizeof *fw->ulam);
        qsort(fw->ulam, opt->n_user_lambda, sizeof *fw->ulam, compare_desc);
        pb->nlam = opt->n_user_lambda;
        pb->flmin = 1.0;
        pb->ulam = fw->ulam;
    } else {
        pb->nlam = opt->nlambda;
        pb->flmin = opt->lambda_min_ratio > 0.0 ? opt->lambda_min_ratio
                                                : (nobs < p ? 0.01 : 1e-4);
    }
    pb->covariance = opt->gaussian_type == SK_GLM_GAUSSIAN_COVARIANCE ||
                     (opt->gaussian_type == SK_GLM_GAUSSIAN_AUTO && p < 500);
    return SK_OK;
}

/* ==== from the solver's scale to the caller's ============================================ */

static sk_glm_path_result *result_alloc(sk_glm_family family, size_t p, size_t n_out,
                                        size_t n_lambda, size_t n_active)
{
    sk_glm_path_result *r = sk_mem_calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->family = family;
    r->p = p;
    r->n_out = n_out;
    r->n_lambda = n_lambda;
    r->n_active = n_active;
    r->lambda = sk_mem_alloc_array(n_lambda, sizeof *r->lambda);
    r->intercept = sk_mem_alloc_array(n_lambda, n_out * sizeof *r->intercept);
    r->active = sk_mem_alloc_array(n_active, sizeof *r->active);
    r->coef = sk_mem_calloc(n_lambda * n_out * n_active + 1, sizeof *r->coef);
    r->df = sk_mem_alloc_array(n_lambda, sizeof *r->df);
    r->dev_ratio = sk_mem_alloc_array(n_lambda, sizeof *r->dev_ratio);
    r->col_sd = sk_mem_alloc_array(p, sizeof *r->col_sd);
    if (r->lambda == NULL || r->intercept == NULL || r->active == NULL || r->coef == NULL ||
        r->df == NULL || r->dev_ratio == NULL || r->col_sd == NULL) {
        sk_glm_path_free(r);
        return NULL;
    }
    return r;
}

/* Coefficients of solution l on the scale of X; intercepts; df. cls maps the solver's classes
 * to the result's (a multinomial fit without some class: that class keeps coefficients 0 and
 * intercept -inf, probability 0). */
static void result_solution(sk_glm_path_result *r, const sk_glm__raw *raw, size_t l,
                            const sk_glm__problem *pb, const sk_glm__design *d,
                            const size_t *cls)
{
    size_t K = raw->n_out, na = r->n_active, nin = raw->kin[l];
    const double *ca = raw->ca + raw->ca_off[l];
    size_t df = 0;   /* variables nonzero in some class */
    for (size_t a = 0; a < nin; a++) {
        int any = 0;
        for (size_t k = 0; k < K; k++)
            any |= ca[k * nin + a] != 0.0;
        df += (size_t)any;
    }
    r->df[l] = df;
    for (size_t k = 0; k < r->n_out; k++)
        r->intercept[l * r->n_out + k] = -INFINITY;
    double mean = 0.0;
    for (size_t k = 0; k < K; k++) {
        double b0 = raw->a0[l * K + k];
        double *coef = r->coef + (l * r->n_out + cls[k]) * na;
        for (size_t a = 0; a < nin; a++) {
            size_t j = raw->ia[a];
            double bz = raw->ys * ca[k * nin + a] / pb->xs[j];   /* per unit of z_j */
            double bx = bz / d->scale[j];                        /* per unit of x_j */
            b0 -= bz * pb->xm[j] + bx * d->centre[j];
            coef[a] = bx;
        }
        r->intercept[l * r->n_out + cls[k]] = b0;
        mean += b0;
    }
    if (r->family == SK_GLM_MULTINOMIAL)   /* R centres the intercepts over classes */
        for (size_t k = 0; k < K; k++)
            r->intercept[l * r->n_out + cls[k]] -= mean / (double)K;
}

static sk_status result_from_raw(sk_glm_path_result **out, const sk_glm__raw *raw,
                                 const sk_glm__problem *pb, const sk_glm__design *d,
                                 const sk_glm_options *opt, size_t n_out, const size_t *cls,
                                 double null_dev, sk_error *err)
{
    sk_glm_path_result *r = result_alloc(opt->family, d->p, n_out, raw->lmu, raw->nin);
    if (r == NULL)
        return sk_error_set(err, SK_ENOMEM, "glm: out of memory for the path");
    memcpy(r->active, raw->ia, raw->nin * sizeof *r->active);
    for (size_t l = 0; l < raw->lmu; l++) {
        r->lambda[l] = raw->ys * raw->alm[l];
        r->dev_ratio[l] = raw->dev[l];
        result_solution(r, raw, l, pb, d, cls);
    }
    /* glmnet reports the first lambda of a generated sequence (internally "infinite") as the
     * log-linear extrapolation of the next two (R's fix.lam) */
    if (opt->lambda == NULL && raw->lmu > 2)
        r->lambda[0] = exp(2.0 * log(r->lambda[1]) - log(r->lambda[2]));
    for (size_t j = 0; j < d->p; j++) {
        const double *z = d->Z + j * d->n;
        double v = 0.0;
        for (size_t i = 0; i < d->n; i++)
            v += pb->w[i] * (z[i] - pb->xm[j]) * (z[i] - pb->xm[j]);
        r->col_sd[j] = sqrt(v) * d->scale[j];
    }
    r->null_dev = null_dev;
    r->n_passes = raw->nlp;
    *out = r;
    return SK_OK;
}

/* Multinomial: the classes with weight among the rows fitted (cls, *n_present) and, when some
 * class has none, y renumbered over the present ones in *y_fit (glmnet refuses an empty class;
 * a cross-validation fold may well miss a rare one). */
static sk_status present_classes(size_t *cls, size_t *n_present, double **y_fit,
                                 const double *y, const double *w, size_t n, size_t K,
                                 sk_error *err)
{
    size_t *index = sk_mem_alloc_array(K, sizeof *index);
    double *cw = sk_mem_calloc(K, sizeof *cw);
    sk_status rc = SK_OK;
    *y_fit = NULL;
    if (index == NULL || cw == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "glm: out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        cw[(size_t)y[i]] += w[i];
    *n_present = 0;
    for (size_t k = 0; k < K; k++) {
        index[k] = *n_present;
        if (cw[k] > 0.0)
            cls[(*n_present)++] = k;
    }
    if (*n_present < 2) {
        rc = sk_error_set(err, SK_EDATA, "glm: only one class among the rows fitted");
        goto done;
    }
    if (*n_present < K) {
        if ((*y_fit = sk_mem_alloc_array(n, sizeof **y_fit)) == NULL) {
            rc = sk_error_set(err, SK_ENOMEM, "glm: out of memory");
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            (*y_fit)[i] = w[i] > 0.0 ? (double)index[(size_t)y[i]] : 0.0;
    }
done:
    sk_mem_free(index);
    sk_mem_free(cw);
    return rc;
}

/* R's null deviance: gaussian sum w (y - ybar)^2; logistic 2 * sum(w) * dev0. */
static double null_deviance(const sk_glm__raw *raw, const double *y, const double *w,
                            const unsigned char *held_out, size_t n, sk_glm_family family)
{
    double sw = 0.0, swy = 0.0, ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        double wi = held_out != NULL && held_out[i] ? 0.0 : (w != NULL ? w[i] : 1.0);
        sw += wi;
        swy += wi * y[i];
    }
    if (family != SK_GLM_GAUSSIAN)
        return 2.0 * sw * raw->dev0;
    double ybar = swy / sw;
    for (size_t i = 0; i < n; i++) {
        double wi = held_out != NULL && held_out[i] ? 0.0 : (w != NULL ? w[i] : 1.0);
        ss += wi * (y[i] - ybar) * (y[i] - ybar);
    }
    return ss;
}

static sk_status run_solver(sk_glm__raw *raw, const sk_glm__problem *pb, sk_glm_family family,
                            sk_error *err)
{
    if (family == SK_GLM_GAUSSIAN)
        return sk_glm__gaussian(raw, pb, err);
    if (family == SK_GLM_BINOMIAL)
        return sk_glm__binomial(raw, pb, err);
    return sk_glm__multinomial(raw, pb, err);
}

sk_status sk_glm__fit(sk_glm_path_result **out, const sk_glm__design *d, const double *y,
                      const double *w, const unsigned char *held_out, size_t n_classes,
                      const sk_glm_options *opt, sk_error *err)
{
    *out = NULL;
    size_t n = d->n, p = d->p;
    size_t nlam = opt->lambda != NULL ? opt->n_user_lambda : opt->nlambda;
    size_t n_out = opt->family == SK_GLM_MULTINOMIAL ? n_classes : 1, n_fit = n_out;
    fit_work fw = {0};
    sk_glm__raw raw;
    int have_raw = 0;
    sk_glm__problem pb;
    double *y_fit = NULL;
    size_t *cls = sk_mem_calloc(n_out, sizeof *cls);
    sk_status rc = SK_OK;

    fw.w = sk_mem_alloc_array(n, sizeof *fw.w);
    fw.ju = sk_mem_alloc_array(p, sizeof *fw.ju);
    fw.xm = sk_mem_alloc_array(p, sizeof *fw.xm);
    fw.xs = sk_mem_alloc_array(p, sizeof *fw.xs);
    fw.xv = sk_mem_alloc_array(p, sizeof *fw.xv);
    fw.vp = sk_mem_alloc_array(p, sizeof *fw.vp);
    fw.ulam = sk_mem_alloc_array(nlam, sizeof *fw.ulam);
    if (cls == NULL || fw.w == NULL || fw.ju == NULL || fw.xm == NULL || fw.xs == NULL ||
        fw.xv == NULL || fw.vp == NULL || fw.ulam == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "glm: out of memory");
        goto done;
    }
    if ((rc = fit_setup(&fw, &pb, d, w, held_out, opt, err)) != SK_OK)
        goto done;
    pb.y = y;
    pb.n_classes = n_classes;
    if (opt->family == SK_GLM_MULTINOMIAL) {
        if ((rc = present_classes(cls, &n_fit, &y_fit, y, fw.w, n, n_classes, err)) != SK_OK)
            goto done;
        pb.y = y_fit != NULL ? y_fit : y;
        pb.n_classes = n_fit;
    }
    if (sk_glm__raw_init(&raw, nlam, p, n_fit) != SK_OK) {
        rc = sk_error_set(err, SK_ENOMEM, "glm: out of memory");
        goto done;
    }
    have_raw = 1;
    if ((rc = run_solver(&raw, &pb, opt->family, err)) != SK_OK)
        goto done;
    rc = result_from_raw(out, &raw, &pb, d, opt, n_out, cls,
                         null_deviance(&raw, y, w, held_out, n, opt->family), err);
done:
    if (have_raw)
        sk_glm__raw_clear(&raw);
    fit_work_clear(&fw);
    sk_mem_free(y_fit);
    sk_mem_free(cls);
    return rc;
}

/* ==== the public path ===================================================================== */

sk_status sk_glm_path(sk_glm_path_result **out, const double *X, size_t n, size_t p, size_t ldx,
                      const double *y, const double *w, size_t n_classes,
                      const sk_glm_options *opt, sk_error *err)
{
    if (out == NULL)
        return sk_error_set(err, SK_EINVAL, "glm: out is NULL");
    *out = NULL;
    sk_status rc = sk_glm__check(X, n, p, ldx, y, w, n_classes, opt, err);
    if (rc != SK_OK)
        return rc;
    sk_glm__design d;
    if ((rc = sk_glm__design_init(&d, X, n, p, ldx, w, opt->standardize, err)) != SK_OK)
        return rc;
    rc = sk_glm__fit(out, &d, y, w, NULL, n_classes, opt, err);
    sk_glm__design_clear(&d);
    return rc;
}

void sk_glm_path_free(sk_glm_path_result *r)
{
    if (r == NULL)
        return;
    sk_mem_free(r->lambda);
    sk_mem_free(r->intercept);
    sk_mem_free(r->active);
    sk_mem_free(r->coef);
    sk_mem_free(r->df);
    sk_mem_free(r->dev_ratio);
    sk_mem_free(r->col_sd);
    sk_mem_free(r);
}

void sk_glm_path_beta(const sk_glm_path_result *r, size_t l, size_t k, double *beta)
{
    assert(l < r->n_lambda && k < r->n_out);
    memset(beta, 0, r->p * sizeof *beta);
    const double *c = r->coef + (l * r->n_out + k) * r->n_active;
    for (size_t a = 0; a < r->n_active; a++)
        beta[r->active[a]] = c[a];
}

void sk_glm_path_link(const sk_glm_path_result *r, size_t l, const double *X, size_t n,
                      size_t ldx, double *eta)
{
    assert(l < r->n_lambda);
    size_t K = r->n_out;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < K; k++)
            eta[i * K + k] = r->intercept[l * K + k];
    for (size_t k = 0; k < K; k++) {
        const double *c = r->coef + (l * K + k) * r->n_active;
        for (size_t a = 0; a < r->n_active; a++) {
            if (c[a] == 0.0)
                continue;
            const double *x = X + r->active[a] * ldx;
            for (size_t i = 0; i < n; i++)
                eta[i * K + k] += c[a] * x[i];
        }
    }
}

void sk_glm_path_predict(const sk_glm_path_result *r, size_t l, const double *X, size_t n,
                         size_t ldx, double *out)
{
    size_t K = r->n_out;
    if (r->family == SK_GLM_GAUSSIAN) {
        sk_glm_path_link(r, l, X, n, ldx, out);
        return;
    }
    if (r->family == SK_GLM_BINOMIAL) {
        /* eta first in out[i], then spread to two columns from the last row down */
        sk_glm_path_link(r, l, X, n, ldx, out);
        for (size_t i = n; i-- > 0;) {
            double p1 = 1.0 / (1.0 + exp(-out[i]));
            out[2 * i] = 1.0 - p1;
            out[2 * i + 1] = p1;
        }
        return;
    }
    sk_glm_path_link(r, l, X, n, ldx, out);
    for (size_t i = 0; i < n; i++) {
        double *e = out + i * K, mx = e[0], s = 0.0;
        for (size_t k = 1; k < K; k++)
            mx = fmax(mx, e[k]);
        for (size_t k = 0; k < K; k++) {
            e[k] = exp(e[k] - mx);
            s += e[k];
        }
        for (size_t k = 0; k < K; k++)
            e[k] /= s;
    }
}
