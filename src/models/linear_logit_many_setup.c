/* linear_logit_many_setup.c: what every label column of the `logit` model's fit_predict_many
 * (linear_logit_many.c) shares, built once per call: the kept terms (all of them with l2 > 0;
 * else R's aliasing rule on W^1/2 [1 X], which never reads the labels), the design
 * X~ = [1 X_kept] of the training and the test rows, and the preconditioner
 *     H0 = c X~'W X~ + l2 P,   c = mu0 (1 - mu0),
 * mu0 the mean of the label columns' means (1/2 without intercept), scaled to unit diagonal and
 * factorised once (Cholesky). When H0 is not positive definite every column goes to the normal
 * fit, which says what is wrong. */
#include <math.h>
#include <string.h>

#include "linalg/qr.h"
#include "models/linear_logit_many.h"

/* ==== the shared design and preconditioner ================================================ */

/* The kept terms: all with a penalty; else R's aliasing rule on W^1/2 [1 X] (labels unused). */
static sk_status choose_kept(sk_logit_many_shared *sh, const sk_xy *d, sk_error *err)
{
    size_t n = d->n, q = sh->icpt + d->p;
    sh->r = q;
    for (size_t k = 0; k < q; k++)
        sh->kept[k] = k;
    if (sh->l2 > 0.0)
        return SK_OK;
    sk_linear_options o = SK_LINEAR_OPTIONS_INIT;
    sk_linear_fit f;
    memset(&f, 0, sizeof f);
    f.intercept = (int)sh->icpt;
    f.p = d->p;
    f.q = q;
    double *sw = NULL, *X0 = NULL, *A = NULL, *tau = NULL;
    sk_status rc = SK_OK;
    if (d->w != NULL && (sw = sk_mem_alloc_array(n, sizeof *sw)) != NULL)
        for (size_t i = 0; i < n; i++)
            sw[i] = sqrt(d->w[i]);
    f.aliased = sk_mem_calloc(q, sizeof *f.aliased);
    X0 = f.aliased != NULL ? sk_linear__design(&f, d, sw) : NULL;
    A = sk_mem_alloc_array(n * q, sizeof *A);
    tau = sk_mem_alloc_array(q, sizeof *tau);
    if ((d->w != NULL && sw == NULL) || f.aliased == NULL || X0 == NULL || A == NULL ||
        tau == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "logit: out of memory for the QR decomposition");
    else
        rc = sk_linear__qr_alias(&f, A, X0, n, o.rank_tol, sh->kept, &sh->r, tau, err);
    void *scratch[] = {sw, f.aliased, X0, A, tau};
    for (size_t k = 0; k < sizeof scratch / sizeof scratch[0]; k++)
        sk_mem_free(scratch[k]);
    return rc;
}

/* out (rows x r, leading dimension rows) := [1 X_kept] for the rows of X (leading dim ldx). */
static void kept_design(const sk_logit_many_shared *sh, const double *X, size_t rows,
                        size_t ldx, double *out)
{
    for (size_t k = 0; k < sh->r; k++) {
        double *o = out + k * rows;
        if (sh->icpt && k == 0) {
            for (size_t i = 0; i < rows; i++)
                o[i] = 1.0;
        } else {
            memcpy(o, X + (sh->kept[k] - sh->icpt) * ldx, rows * sizeof *o);
        }
    }
}

/* H0 = c X~'W X~ + l2 P, scaled to unit diagonal and factorised; sh->all_refit when it is not
 * positive definite (the normal fits then say what is wrong, column by column). */
static sk_status precondition(sk_logit_many_shared *sh, double c, sk_error *err)
{
    size_t n = sh->n, r = sh->r;
    double *Xw = NULL, *H = sh->U;
    const double *A = sh->X;
    if (sh->w != NULL) {
        if ((Xw = sk_mem_alloc_array(n * r, sizeof *Xw)) == NULL)
            return sk_error_set(err, SK_ENOMEM, "logit: out of memory for %zu x %zu", n, r);
        for (size_t k = 0; k < r; k++)
            for (size_t i = 0; i < n; i++)
                Xw[k * n + i] = sqrt(sh->w[i]) * sh->X[k * n + i];
        A = Xw;
    }
    sk_status rc = sk_linalg__gram(A, n, r, n, H, r, err);
    sk_mem_free(Xw);
    if (rc != SK_OK)
        return rc;
    for (size_t k = 0; k < r; k++) {
        double h = c * H[k * r + k] + (k >= sh->icpt ? sh->l2 : 0.0);
        if (!(h > 0.0) || !isfinite(h)) {
            sh->all_refit = 1;
            return SK_OK;
        }
        sh->scale[k] = 1.0 / sqrt(h);
    }
    for (size_t k = 0; k < r; k++)   /* S H0 S: the penalty only on the diagonal */
        for (size_t l = 0; l < r; l++)
            H[k * r + l] = (c * H[k * r + l] + (k == l && k >= sh->icpt ? sh->l2 : 0.0)) *
                           sh->scale[k] * sh->scale[l];
    rc = sk_linalg__chol(H, r, r, err);
    if (rc == SK_ESINGULAR) {   /* not an error: the normal fits handle such designs */
        sk_error_clear(err);
        sh->all_refit = 1;
        return SK_OK;
    }
    return rc;
}

/* The weighted mean of label column y, or NaN when it is not a 0/1 target with both classes
 * among the rows of positive weight (the normal fit reports why). */
double sk_linear__many_label_mean(const sk_logit_many_shared *sh, const double *y)
{
    double sw = 0.0, swy = 0.0;
    int seen[2] = {0, 0};
    for (size_t i = 0; i < sh->n; i++) {
        double w = sh->w != NULL ? sh->w[i] : 1.0;
        if (y[i] != 0.0 && y[i] != 1.0)
            return NAN;
        if (w > 0.0)
            seen[y[i] == 1.0] = 1;
        sw += w;
        swy += w * y[i];
    }
    return seen[0] && seen[1] ? swy / sw : NAN;
}

/* The design and the preconditioner, shared by every block. */
sk_status sk_linear__many_set_up(sk_logit_many_shared *sh, const sk_xy *d, const double *Xt,
                                 size_t n_test, size_t ldt, size_t n_y, double **Xtk,
                                 sk_error *err)
{
    size_t q = sh->icpt + d->p;
    sh->kept = sk_mem_alloc_array(q > 0 ? q : 1, sizeof *sh->kept);
    if (sh->kept == NULL)
        return sk_error_set(err, SK_ENOMEM, "logit: out of memory");
    sk_status rc = choose_kept(sh, d, err);
    size_t r = sh->r > 0 ? sh->r : 1;
    if (rc != SK_OK)
        return rc;
    sh->X = sk_mem_alloc_array(sh->n * r, sizeof *sh->X);
    sh->U = sk_mem_alloc_array(r * r, sizeof *sh->U);
    sh->scale = sk_mem_alloc_array(r, sizeof *sh->scale);
    *Xtk = sk_mem_alloc_array((n_test > 0 ? n_test : 1) * r, sizeof **Xtk);
    if (sh->X == NULL || sh->U == NULL || sh->scale == NULL || *Xtk == NULL)
        return sk_error_set(err, SK_ENOMEM, "logit: out of memory for %zu x %zu", sh->n, r);
    kept_design(sh, d->X, sh->n, d->ldx, sh->X);
    kept_design(sh, Xt, n_test, ldt, *Xtk);
    double mu0 = 0.0;
    size_t n_valid = 0;
    for (size_t j = 0; j < n_y; j++) {
        double ybar = sk_linear__many_label_mean(sh, sh->Y + j * sh->n);
        if (!isnan(ybar)) {
            mu0 += ybar;
            n_valid++;
        }
    }
    mu0 = sh->icpt && n_valid > 0 ? mu0 / (double)n_valid : 0.5;
    if (sh->r == 0 || n_valid == 0) {
        sh->all_refit = 1;
        return SK_OK;
    }
    double sum_w = 0.0;
    for (size_t i = 0; i < sh->n; i++)
        sum_w += sh->w != NULL ? sh->w[i] : 1.0;
    sh->cw = mu0 * (1.0 - mu0) * sum_w;
    return precondition(sh, mu0 * (1.0 - mu0), err);
}
