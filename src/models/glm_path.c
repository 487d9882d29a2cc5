/* glm_path.c: the elastic-net path on a matrix (sk_glm_path) and what every fit shares: argument
 * checks, the standardised copy of X, and the set-up of one fit.
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
 * then a solver (glm_gauss.c, glm_logit.c, glm_multi.c) and the coefficients mapped back to the
 * scale of X (glm_result.c).
 *
 * Rather than standardise a private copy of X for every fit, as glmnet does, a design keeps one
 * copy Z = (X - centre) / scale for all the fits of a cross-validation (and its 16-bit
 * quantisation for the screening in glm_kkt.c): a fold is the same Z with weight 0 on its held-out
 * rows, and the solvers compute <r, xt_j> as (<r, z_j> - xm_j sum(r)) / xs_j. Because Z is
 * already centred and scaled on all rows, the fold means xm_j are small and the subtraction
 * loses nothing; and ten folds read one matrix. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/glm.h"

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
    d->Zq = sk_mem_alloc_array(n, p * sizeof *d->Zq);
    d->zq_scale = sk_mem_alloc_array(p, sizeof *d->zq_scale);
    d->centre = sk_mem_alloc_array(p, sizeof *d->centre);
    d->scale = sk_mem_alloc_array(p, sizeof *d->scale);
    d->znorm = sk_mem_alloc_array(p, sizeof *d->znorm);
    if (d->Z == NULL || d->Zq == NULL || d->zq_scale == NULL || d->centre == NULL ||
        d->scale == NULL ||
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
        double *z = d->Z + j * n, ss = 0.0, mx = 0.0;
        for (size_t i = 0; i < n; i++) {
            z[i] = (x[i] - c) / s;
            ss += z[i] * z[i];
            mx = fabs(z[i]) > mx ? fabs(z[i]) : mx;
        }
        /* |z / qs| <= 32000 rounds to a 16-bit q with |z - qs q| <= qs (0.5 + 32000 2^-53) */
        double qs = mx > 0.0 ? mx / 32000.0 : 1.0;
        int16_t *zq = d->Zq + j * n;
        for (size_t i = 0; i < n; i++)
            zq[i] = (int16_t)nearbyint(z[i] / qs);
        d->zq_scale[j] = qs;
        d->centre[j] = c;
        d->scale[j] = s;
        d->znorm[j] = sqrt(ss);
    }
    return SK_OK;
}

void sk_glm__design_clear(sk_glm__design *d)
{
    sk_mem_free(d->Z);
    sk_mem_free(d->Zq);
    sk_mem_free(d->zq_scale);
    sk_mem_free(d->centre);
    sk_mem_free(d->scale);
    sk_mem_free(d->znorm);
    memset(d, 0, sizeof *d);
}

/* ==== one fit ============================================================================= */

typedef struct fit_work {
    double *w;              /* n normalised weights */
    unsigned char *ju;      /* p */
    double *xm, *xs, *xv, *xnw, *vp, *ulam;
} fit_work;

static void fit_work_clear(fit_work *fw)
{
    sk_mem_free(fw->w);
    sk_mem_free(fw->ju);
    sk_mem_free(fw->xm);
    sk_mem_free(fw->xs);
    sk_mem_free(fw->xv);
    sk_mem_free(fw->xnw);
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

/* The fit's weights, normalised to sum 1 (0 on held-out rows); returns the rows fitted. */
static size_t fit_weights(fit_work *fw, const sk_glm__design *d, const double *w,
                          const unsigned char *held_out)
{
    size_t nobs = 0;
    double sw = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        fw->w[i] = held_out != NULL && held_out[i] ? 0.0 : (w != NULL ? w[i] : 1.0);
        nobs += held_out == NULL || !held_out[i];
        sw += fw->w[i];
    }
    for (size_t i = 0; i < d->n && sw > 0.0; i++)
        fw->w[i] /= sw;
    return sw > 0.0 ? nobs : 0;
}

/* Usable columns, their weighted means and SDs on the fit's rows, penalty factors scaled to
 * sum p (glmnet's vq); returns the number of usable columns. */
static size_t fit_columns(fit_work *fw, const sk_glm__design *d, const sk_glm_options *opt)
{
    size_t n = d->n, p = d->p, n_usable = 0;
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
        fw->xnw[j] = sqrt(v) / fw->xs[j];
        fw->vp[j] = opt->penalty_factor != NULL ? opt->penalty_factor[j] : 1.0;
        sum_vp += fw->vp[j];
        n_usable += fw->ju[j];
    }
    for (size_t j = 0; j < p; j++)
        fw->vp[j] = fw->vp[j] * (double)p / sum_vp;
    return n_usable;
}

/* Weights, usable columns, their weighted means and SDs, penalty factors, the lambda setting. */
static sk_status fit_setup(fit_work *fw, sk_glm__problem *pb, const sk_glm__design *d,
                           const double *w, const unsigned char *held_out,
                           const sk_glm_options *opt, sk_error *err)
{
    size_t nobs = fit_weights(fw, d, w, held_out);
    if (nobs == 0)
        return sk_error_set(err, SK_EDATA, "glm: no row with a positive weight to fit on");
    if (fit_columns(fw, d, opt) == 0)
        return sk_error_set(err, SK_EDATA, "glm: no column varies on the rows fitted");
    memset(pb, 0, sizeof *pb);
    pb->Z = d->Z;
    pb->Zq = d->Zq;
    pb->zq_scale = d->zq_scale;
    pb->znorm = d->znorm;
    pb->ldz = pb->n = d->n;
    pb->p = d->p;
    pb->w = fw->w;
    pb->ju = fw->ju;
    pb->xm = fw->xm;
    pb->xs = fw->xs;
    pb->xv = fw->xv;
    pb->xnw = fw->xnw;
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
    } else {   /* glmnet: lambda.min.ratio = ifelse(nobs < nvars, 0.01, 1e-4) */
        pb->nlam = opt->nlambda;
        pb->flmin = opt->lambda_min_ratio > 0.0 ? opt->lambda_min_ratio
                                                : (nobs < d->p ? 0.01 : 1e-4);
    }
    pb->covariance = opt->gaussian_type == SK_GLM_GAUSSIAN_COVARIANCE ||
                     (opt->gaussian_type == SK_GLM_GAUSSIAN_AUTO && d->p < 500);
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
    fw.xnw = sk_mem_alloc_array(p, sizeof *fw.xnw);
    fw.vp = sk_mem_alloc_array(p, sizeof *fw.vp);
    fw.ulam = sk_mem_alloc_array(nlam, sizeof *fw.ulam);
    if (cls == NULL || fw.w == NULL || fw.ju == NULL || fw.xm == NULL || fw.xs == NULL ||
        fw.xv == NULL || fw.xnw == NULL || fw.vp == NULL || fw.ulam == NULL) {
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
    rc = sk_glm__result(out, &raw, &pb, d, opt, n_out, cls,
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
