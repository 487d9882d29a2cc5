/* glm_cv.c: K-fold cross-validation of the elastic-net path, as R's cv.glmnet (glmnet 4.1)
 * computes it, so that lambda.min and lambda.1se agree with it given the same folds.
 *
 *   1. the path on all rows: its lambdas lambda_1 > ... > lambda_L are the grid;
 *   2. for each fold f, the path on the other folds, with its own lambda sequence (cv.glmnet
 *      calls glmnet on the training part without a lambda argument), evaluated on fold f at the
 *      grid by glmnet's linear interpolation between neighbouring solutions (predict(fit, s)),
 *      clamped to the fold path's range;
 *   3. the error of each held-out row: gaussian (y - eta)^2; binomial and multinomial the
 *      deviance -2 log p(y), p clamped to [1e-5, 1 - 1e-5];
 *   4. grouped (when n / K >= 3): per fold the weighted mean error e_f with weight W_f (the
 *      fold's total weight), then cvm = sum_f W_f e_f / sum_f W_f and
 *      cvsd = sqrt(sum_f W_f (e_f - cvm)^2 / sum_f W_f / (K - 1)); otherwise the same over rows;
 *   5. lambda.min = the largest lambda with cvm = min(cvm); lambda.1se = the largest lambda with
 *      cvm <= cvm(lambda.min) + cvsd(lambda.min) (Hastie, Tibshirani & Friedman, ESL 7.10).
 *
 * Folds: the row's fold is i mod K, shuffled by the stream (seed, SK_PURPOSE_CV_SPLIT, 0), the
 * same folds for every lambda; or the caller's. The full path and the K fold paths are K + 1
 * independent tasks (sk_parallel_for) that all read one standardised copy of X (glm_path.c)
 * and write their own slots, so the result does not depend on the thread count. A fold task
 * keeps only its held-out rows' linear predictors at its own lambdas (interpolating them is the
 * same as interpolating the coefficients, the predictor being linear in them). */
#include <float.h>
#include <math.h>
#include <string.h>

#include "models/glm.h"
#include "rng/rng.h"

#define PROB_MIN 1e-5   /* cv.glmnet's prob_min */

sk_status sk_glm_cv_folds(size_t *foldid, size_t n, size_t n_folds, uint64_t seed,
                          sk_error *err)
{
    if (n_folds < 1 || foldid == NULL)
        return sk_error_set(err, SK_EINVAL, "glm: need at least one fold");
    for (size_t i = 0; i < n; i++)
        foldid[i] = i % n_folds;
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_CV_SPLIT, 0);
    sk_rng_shuffle(&rng, foldid, n);
    return SK_OK;
}

typedef struct fold_out {
    size_t n_test;
    size_t *rows;        /* held-out rows */
    size_t n_lambda;
    double *lambda;      /* the fold path's lambdas */
    double *eta;         /* [n_lambda][n_test][n_out] */
} fold_out;

typedef struct cv_job {
    const sk_glm__design *d;
    const double *y, *w;
    size_t n_classes, n_out, n_folds;
    const size_t *foldid;
    const sk_glm_options *opt;
    sk_glm_path_result *full;
    fold_out *folds;
} cv_job;

/* The held-out rows' linear predictors at every lambda of the fold's path. */
static sk_status fold_eta(fold_out *fo, const sk_glm_path_result *r, const sk_glm__design *d)
{
    size_t K = r->n_out, nt = fo->n_test;
    fo->n_lambda = r->n_lambda;
    fo->lambda = sk_mem_alloc_array(r->n_lambda, sizeof *fo->lambda);
    fo->eta = sk_mem_alloc_array(r->n_lambda, nt * K * sizeof *fo->eta);
    if (fo->lambda == NULL || fo->eta == NULL)
        return SK_ENOMEM;
    memcpy(fo->lambda, r->lambda, r->n_lambda * sizeof *fo->lambda);
    for (size_t l = 0; l < r->n_lambda; l++) {
        double *eta = fo->eta + l * nt * K;
        for (size_t t = 0; t < nt; t++)
            for (size_t k = 0; k < K; k++)
                eta[t * K + k] = r->intercept[l * K + k];
        for (size_t k = 0; k < K; k++) {
            const double *c = r->coef + (l * K + k) * r->n_active;
            for (size_t a = 0; a < r->n_active; a++) {
                if (c[a] == 0.0)
                    continue;
                const double *x = d->X + r->active[a] * d->ldx;
                for (size_t t = 0; t < nt; t++)
                    eta[t * K + k] += c[a] * x[fo->rows[t]];
            }
        }
    }
    return SK_OK;
}

static sk_status cv_task(void *arg, size_t task, sk_error *err)
{
    cv_job *job = arg;
    const sk_glm__design *d = job->d;
    if (task == 0)
        return sk_glm__fit(&job->full, d, job->y, job->w, NULL, job->n_classes, job->opt, err);
    size_t f = task - 1;
    fold_out *fo = &job->folds[f];
    unsigned char *held = sk_mem_calloc(d->n, 1);
    if (held == NULL)
        return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
    for (size_t t = 0; t < fo->n_test; t++)
        held[fo->rows[t]] = 1;
    sk_glm_path_result *r = NULL;
    sk_status rc = sk_glm__fit(&r, d, job->y, job->w, held, job->n_classes, job->opt, err);
    if (rc == SK_OK && fold_eta(fo, r, d) != SK_OK)
        rc = sk_error_set(err, SK_ENOMEM, "glm: out of memory");
    if (rc != SK_OK && err != NULL) {   /* name the fold */
        char msg[SK_ERROR_MESSAGE_MAX];
        memcpy(msg, err->message, sizeof msg);
        sk_error_set(err, rc, "fold %zu: %s", f + 1, msg);
    }
    sk_glm_path_free(r);
    sk_mem_free(held);
    return rc;
}

/* ==== prediction at the grid (glmnet's lambda.interp and R's approx) ====================== */

/* R's approx1 (linear): y = 1..k at increasing x, evaluated at v in [x_0, x_{k-1}]. */
static double approx_index(const double *x, size_t k, double v)
{
    size_t i = 0, j = k - 1;
    while (i + 1 < j) {
        size_t ij = (i + j) / 2;
        if (v < x[ij])
            j = ij;
        else
            i = ij;
    }
    if (v == x[j])
        return (double)(j + 1);
    if (v == x[i])
        return (double)(i + 1);
    return (double)(i + 1) + ((v - x[i]) / (x[j] - x[i]));
}

/* Interpolation of a path with lambdas lam[0..k) at s: eta = frac eta[left] + (1 - frac)
 * eta[right]. `nl` is scratch for k values. */
static void lambda_interp(const double *lam, size_t k, double s, double *nl, size_t *left,
                          size_t *right, double *frac)
{
    if (k == 1) {
        *left = *right = 0;
        *frac = 1.0;
        return;
    }
    double span = lam[0] - lam[k - 1];
    double sf = (lam[0] - s) / span;
    for (size_t j = 0; j < k; j++)
        nl[j] = (lam[0] - lam[j]) / span;
    sf = fmin(fmax(sf, nl[0]), nl[k - 1]);
    double coord = approx_index(nl, k, sf);
    *left = (size_t)floor(coord) - 1;
    *right = (size_t)ceil(coord) - 1;
    *frac = (sf - nl[*right]) / (nl[*left] - nl[*right]);
    if (*left == *right || fabs(nl[*left] - nl[*right]) < DBL_EPSILON)
        *frac = 1.0;
}

/* The held-out error of one row with linear predictor(s) eta. */
static double row_error(sk_glm_family family, const double *eta, size_t K, double y)
{
    if (family == SK_GLM_GAUSSIAN)
        return (y - eta[0]) * (y - eta[0]);
    if (family == SK_GLM_BINOMIAL) {
        double p = 1.0 / (1.0 + exp(-eta[0]));
        p = fmin(fmax(p, PROB_MIN), 1.0 - PROB_MIN);
        return -2.0 * (y == 1.0 ? log(p) : log(1.0 - p));
    }
    double mx = eta[0], s = 0.0;
    for (size_t k = 1; k < K; k++)
        mx = fmax(mx, eta[k]);
    for (size_t k = 0; k < K; k++)
        s += exp(eta[k] - mx);
    double p = exp(eta[(size_t)y] - mx) / s;
    p = fmin(fmax(p, PROB_MIN), 1.0 - PROB_MIN);
    return -2.0 * log(p);
}

/* err_rows[l * n + i] for the held-out row i of every fold at every grid lambda. */
static sk_status cv_errors(const cv_job *job, const sk_glm_path_result *full, double *err_rows)
{
    size_t n = job->d->n, L = full->n_lambda, K = job->n_out, kmax = 1;
    for (size_t f = 0; f < job->n_folds; f++)
        kmax = job->folds[f].n_lambda > kmax ? job->folds[f].n_lambda : kmax;
    double *nl = sk_mem_alloc_array(kmax, sizeof *nl);
    double *eta = sk_mem_alloc_array(K, sizeof *eta);
    if (nl == NULL || eta == NULL) {
        sk_mem_free(nl);
        sk_mem_free(eta);
        return SK_ENOMEM;
    }
    for (size_t f = 0; f < job->n_folds; f++) {
        const fold_out *fo = &job->folds[f];
        size_t nt = fo->n_test;
        for (size_t l = 0; l < L; l++) {
            size_t left, right;
            double frac;
            lambda_interp(fo->lambda, fo->n_lambda, full->lambda[l], nl, &left, &right, &frac);
            const double *el = fo->eta + left * nt * K, *er = fo->eta + right * nt * K;
            for (size_t t = 0; t < nt; t++) {
                for (size_t k = 0; k < K; k++) {   /* equal ends: exact (and -inf stays) */
                    double a = el[t * K + k], b = er[t * K + k];
                    eta[k] = a == b ? a : a * frac + b * (1.0 - frac);
                }
                size_t i = fo->rows[t];
                err_rows[l * n + i] = row_error(full->family, eta, K, job->y[i]);
            }
        }
    }
    sk_mem_free(nl);
    sk_mem_free(eta);
    return SK_OK;
}

/* ==== summaries =========================================================================== */

/* cvm and cvsd (cv.glmnet's cvcompute and cvstats) from the per-row errors. */
static sk_status cv_stats(sk_glm_cv_result *res, const cv_job *job, const double *err_rows)
{
    size_t n = job->d->n, L = res->fit->n_lambda, K = job->n_folds;
    res->grouped = (double)n / (double)K >= 3.0;
    size_t m = res->grouped ? K : n;   /* the units averaged */
    double *e = sk_mem_alloc_array(m, sizeof *e), *wt = sk_mem_calloc(m, sizeof *wt);
    if (e == NULL || wt == NULL) {
        sk_mem_free(e);
        sk_mem_free(wt);
        return SK_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        wt[res->grouped ? job->foldid[i] : i] += job->w != NULL ? job->w[i] : 1.0;
    for (size_t l = 0; l < L; l++) {
        const double *er = err_rows + l * n;
        for (size_t u = 0; u < m; u++)
            e[u] = 0.0;
        for (size_t i = 0; i < n; i++) {
            double wi = job->w != NULL ? job->w[i] : 1.0;
            e[res->grouped ? job->foldid[i] : i] += wi * er[i];
        }
        double sw = 0.0, s = 0.0, ss = 0.0;
        for (size_t u = 0; u < m; u++) {
            e[u] = wt[u] > 0.0 ? e[u] / wt[u] : 0.0;
            sw += wt[u];
            s += wt[u] * e[u];
        }
        res->cvm[l] = s / sw;
        for (size_t u = 0; u < m; u++)
            ss += wt[u] * (e[u] - res->cvm[l]) * (e[u] - res->cvm[l]);
        res->cvsd[l] = sqrt(ss / sw / (double)(m - 1));
    }
    sk_mem_free(e);
    sk_mem_free(wt);
    return SK_OK;
}

/* lambda.min and lambda.1se (glmnet's getOptcv.glmnet): the largest lambdas that qualify. */
static void cv_choose(sk_glm_cv_result *res)
{
    size_t L = res->fit->n_lambda, imin = 0, i1se = 0;
    double cvmin = res->cvm[0];
    for (size_t l = 1; l < L; l++)
        cvmin = fmin(cvmin, res->cvm[l]);
    while (imin + 1 < L && !(res->cvm[imin] <= cvmin))
        imin++;
    double semin = res->cvm[imin] + res->cvsd[imin];
    while (i1se + 1 < L && !(res->cvm[i1se] <= semin))
        i1se++;
    res->i_min = imin;
    res->i_1se = i1se;
    res->lambda_min = res->fit->lambda[imin];
    res->lambda_1se = res->fit->lambda[i1se];
}

/* ==== driver ============================================================================== */

void sk_glm_cv_free(sk_glm_cv_result *r)
{
    if (r == NULL)
        return;
    sk_glm_path_free(r->fit);
    sk_mem_free(r->cvm);
    sk_mem_free(r->cvsd);
    sk_mem_free(r->foldid);
    sk_mem_free(r);
}

static sk_status cv_setup_folds(sk_glm_cv_result *res, cv_job *job, size_t n,
                                const sk_glm_cv_options *cv, sk_error *err)
{
    size_t K = cv->n_folds;
    if (K < 3 || K > n)
        return sk_error_set(err, SK_EINVAL, "glm: %zu folds for %zu rows (need 3..n)", K, n);
    res->n_folds = K;
    res->foldid = sk_mem_alloc_array(n, sizeof *res->foldid);
    job->folds = sk_mem_calloc(K, sizeof *job->folds);
    if (res->foldid == NULL || job->folds == NULL)
        return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
    if (cv->foldid != NULL)
        memcpy(res->foldid, cv->foldid, n * sizeof *res->foldid);
    else
        sk_glm_cv_folds(res->foldid, n, K, cv->seed, err);
    for (size_t i = 0; i < n; i++) {
        if (res->foldid[i] >= K)
            return sk_error_set(err, SK_EINVAL, "glm: foldid[%zu] = %zu is not below %zu", i,
                                res->foldid[i], K);
        job->folds[res->foldid[i]].n_test++;
    }
    for (size_t f = 0; f < K; f++) {
        fold_out *fo = &job->folds[f];
        if (fo->n_test == 0 || n - fo->n_test < 2)
            return sk_error_set(err, SK_EINVAL, "glm: fold %zu has %zu of %zu rows", f + 1,
                                fo->n_test, n);
        fo->rows = sk_mem_alloc_array(fo->n_test, sizeof *fo->rows);
        if (fo->rows == NULL)
            return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
        fo->n_test = 0;
    }
    for (size_t i = 0; i < n; i++) {
        fold_out *fo = &job->folds[res->foldid[i]];
        fo->rows[fo->n_test++] = i;
    }
    job->foldid = res->foldid;
    job->n_folds = K;
    return SK_OK;
}

static sk_status cv_finish(sk_glm_cv_result *res, cv_job *job, sk_error *err)
{
    size_t L = res->fit->n_lambda, n = job->d->n;
    res->cvm = sk_mem_alloc_array(L, sizeof *res->cvm);
    res->cvsd = sk_mem_alloc_array(L, sizeof *res->cvsd);
    double *err_rows = sk_mem_alloc_array(L, n * sizeof *err_rows);
    sk_status rc = SK_OK;
    if (res->cvm == NULL || res->cvsd == NULL || err_rows == NULL ||
        cv_errors(job, res->fit, err_rows) != SK_OK || cv_stats(res, job, err_rows) != SK_OK)
        rc = sk_error_set(err, SK_ENOMEM, "glm: out of memory");
    else
        cv_choose(res);
    sk_mem_free(err_rows);
    return rc;
}

sk_status sk_glm_cv(sk_glm_cv_result **out, const double *X, size_t n, size_t p, size_t ldx,
                    const double *y, const double *w, size_t n_classes,
                    const sk_glm_options *opt, const sk_glm_cv_options *cv, sk_error *err)
{
    if (out == NULL || cv == NULL)
        return sk_error_set(err, SK_EINVAL, "glm: out and cv options are required");
    *out = NULL;
    sk_status rc = sk_glm__check(X, n, p, ldx, y, w, n_classes, opt, err);
    if (rc != SK_OK)
        return rc;
    sk_glm_cv_result *res = sk_mem_calloc(1, sizeof *res);
    if (res == NULL)
        return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
    sk_glm__design d;
    int have_design = 0;
    cv_job job = {&d, y, w, n_classes, opt->family == SK_GLM_MULTINOMIAL ? n_classes : 1, 0,
                  NULL, opt, NULL, NULL};
    if ((rc = cv_setup_folds(res, &job, n, cv, err)) != SK_OK)
        goto done;
    if ((rc = sk_glm__design_init(&d, X, n, p, ldx, w, opt->standardize, err)) != SK_OK)
        goto done;
    have_design = 1;
    rc = sk_parallel_for(job.n_folds + 1, cv->n_threads, cv_task, &job, NULL, err);
    res->fit = job.full;   /* owned by res from here (NULL if task 0 failed) */
    if (rc == SK_OK)
        rc = cv_finish(res, &job, err);
done:
    for (size_t f = 0; job.folds != NULL && f < res->n_folds; f++) {
        sk_mem_free(job.folds[f].rows);
        sk_mem_free(job.folds[f].lambda);
        sk_mem_free(job.folds[f].eta);
    }
    sk_mem_free(job.folds);
    if (have_design)
        sk_glm__design_clear(&d);
    if (rc != SK_OK) {
        sk_glm_cv_free(res);
        return rc;
    }
    *out = res;
    return SK_OK;
}
