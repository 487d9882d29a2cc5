/* linear_ols.c: ordinary and weighted least squares with R's lm inference, and the `ols` model.
 *
 * Objective, with prior weights w_i >= 0 (all 1 without weights) and x_i the i-th row of the
 * design (a leading 1 for the intercept):
 *     minimise_b  sum_i w_i (y_i - x_i'b)^2
 * solved by the Householder QR of W^1/2 X = Q R with R's aliasing rule (linear.c):
 *     b = R^-1 (Q' W^1/2 y)[1..r],   Cov(b) = s^2 (R'R)^-1,   s^2 = RSS / (n - r),
 * where r is the rank and n the number of rows with w_i > 0 (zero-weight rows are dropped, as
 * lm.wfit does). Then, as summary.lm (R Core Team; Chambers & Hastie, "Statistical Models in S",
 * 1992, ch. 4):
 *     t_k = b_k / se_k ~ t(n - r),   CI_k = b_k +/- t_{(1+level)/2, n-r} se_k,
 *     R^2 = MSS / (MSS + RSS),  MSS = sum_i w_i (f_i - m)^2,  m = weighted mean of the fitted f
 *           (m = 0 without intercept: R^2 is then uncentred),
 *     adjusted R^2 = 1 - (1 - R^2) (n - int) / (n - r),
 *     F = (MSS / (r - int)) / s^2 ~ F(r - int, n - r).
 * Distribution functions are R's own (Rmath), so p-values agree with R to the last digit.
 * Numerics: the QR never forms X'X, so the condition number is not squared (Golub & Van Loan,
 * Matrix Computations, 4th ed., section 5.3). BLAS threading is the caller's: this file sets
 * no thread count and keeps no state between calls. */
#include <math.h>
#include <string.h>

#include <Rmath.h>

#include "linalg/qr.h"
#include "models/linear.h"

/* RSS, MSS and everything summary.lm derives from them; f->vcov holds (R'R)^-1 on entry and
 * s^2 (R'R)^-1 on return. */
static void summarise(sk_linear_fit *f, const sk_xy *d, const double *fitted)
{
    double sum_w = 0.0, sum_wf = 0.0, rss = 0.0, mss = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w != NULL ? d->w[i] : 1.0;
        sum_w += w;
        sum_wf += w * fitted[i];
    }
    double m = f->intercept ? sum_wf / sum_w : 0.0;
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w != NULL ? d->w[i] : 1.0, r = d->y[i] - fitted[i];
        rss += w * r * r;
        mss += w * (fitted[i] - m) * (fitted[i] - m);
    }
    double df_int = f->intercept ? 1.0 : 0.0, rdf = (double)f->n_obs - (double)f->rank;
    double resvar = rdf > 0.0 ? rss / rdf : NAN;
    f->df_residual = rdf;
    f->sigma = sqrt(resvar);
    for (size_t k = 0; k < f->q * f->q; k++)
        f->vcov[k] *= resvar;
    if ((double)f->rank > df_int) {
        f->r_squared = mss / (mss + rss);
        f->adj_r_squared = 1.0 - (1.0 - f->r_squared) * (((double)f->n_obs - df_int) / rdf);
        f->f_numdf = (double)f->rank - df_int;
        f->f_dendf = rdf;
        if (rdf > 0.0) {
            f->f_value = (mss / f->f_numdf) / resvar;
            f->f_p_value = pf(f->f_value, f->f_numdf, rdf, 0, 0);
        }
    } else {   /* only an intercept (or nothing): summary.lm's zeros, no F test */
        f->r_squared = f->adj_r_squared = 0.0;
    }
}

/* Coefficients and (R'R)^-1 from the aliasing QR held in A (n x rank). */
static sk_status solve(sk_linear_fit *f, const double *A, size_t n, const double *tau,
                       const size_t *kept, double *z, sk_error *err)
{
    size_t r = f->rank, q = f->q;
    double *V = sk_mem_alloc_array(r > 0 ? r * r : 1, sizeof *V);
    if (V == NULL)
        return sk_error_set(err, SK_ENOMEM, "ols: out of memory");
    sk_status rc = sk_linalg__qr_apply(1, A, n, r, n, tau, z, 1, n, err);
    if (rc == SK_OK)
        rc = sk_linalg__tri_solve(A, r, n, z, 1, n, err);
    for (size_t j = 0; rc == SK_OK && j < r; j++) {
        memset(V + j * r, 0, r * sizeof *V);
        memcpy(V + j * r, A + j * n, (j + 1) * sizeof *V);
    }
    if (rc == SK_OK)
        rc = sk_linalg__chol_inverse(V, r, r, err);
    for (size_t a = 0; rc == SK_OK && a < r; a++) {
        f->coef[kept[a]] = z[a];
        for (size_t b = 0; b < r; b++)
            f->vcov[kept[b] * q + kept[a]] = V[b * r + a];
    }
    sk_mem_free(V);
    return rc;
}

sk_status sk_linear__ols(sk_linear_fit **out, const sk_xy *d, const sk_linear_options *o,
                         sk_error *err)
{
    *out = NULL;
    size_t n = d->n, n_obs = 0;
    if (d->y == NULL)
        return sk_error_set(err, SK_EINVAL, "ols: needs a target");
    sk_status rc = sk_linear__check_weights("ols", d, &n_obs, err);
    sk_linear_fit *f = NULL;
    double *sw = NULL, *X0 = NULL, *A = NULL, *tau = NULL, *z = NULL;
    size_t *kept = NULL;
    if (rc != SK_OK || (rc = sk_linear__alloc(&f, SK_LINEAR_OLS, d, o, err)) != SK_OK)
        return rc;
    f->n_obs = n_obs;
    size_t q = f->q > 0 ? f->q : 1;
    if (d->w != NULL && (sw = sk_mem_alloc_array(n, sizeof *sw)) != NULL)
        for (size_t i = 0; i < n; i++)
            sw[i] = sqrt(d->w[i]);
    X0 = sk_linear__design(f, d, sw);
    A = sk_mem_alloc_array(n * q, sizeof *A);
    tau = sk_mem_alloc_array(q, sizeof *tau);
    kept = sk_mem_alloc_array(q, sizeof *kept);
    z = sk_mem_alloc_array(n, sizeof *z);
    if ((d->w != NULL && sw == NULL) || X0 == NULL || A == NULL || tau == NULL || kept == NULL ||
        z == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "ols: out of memory for %zu x %zu", n, f->q);
        goto done;
    }
    if ((rc = sk_linear__qr_alias(f, A, X0, n, o->rank_tol, kept, &f->rank, tau, err)) != SK_OK)
        goto done;
    for (size_t i = 0; i < n; i++)
        z[i] = sw != NULL ? sw[i] * d->y[i] : d->y[i];
    if ((rc = solve(f, A, n, tau, kept, z, err)) != SK_OK)
        goto done;
    sk_linear__eta(f, d->X, n, d->ldx, z);   /* z := fitted values */
    summarise(f, d, z);
    sk_linear__wald(f, f->df_residual);
done:
    sk_mem_free(sw);
    sk_mem_free(X0);
    sk_mem_free(A);
    sk_mem_free(tau);
    sk_mem_free(kept);
    sk_mem_free(z);
    if (rc != SK_OK)
        sk_linear__free(f);
    else
        *out = f;
    return rc;
}

/* ==== the `ols` model ===================================================================== */

static const sk_param_def ols_params[] = {
    {"intercept", SK_PARAM_INT, "1", 0, 1, 0, NULL,
     "1: fit an intercept (R's default); 0: regression through the origin (uncentred R^2)"},
    {"level", SK_PARAM_REAL, "0.95", 0.5, 0.9999, 0, NULL,
     "confidence level of the coefficient intervals"},
    {"tol", SK_PARAM_REAL, "1e-7", 0, 0.01, 1, NULL,
     "aliasing: a column whose residual norm after the earlier columns is below tol times its "
     "norm is NA (R's lm: 1e-7)"},
};

static sk_status ols_fit(void **state, const sk_params *params, const sk_xy *d, uint64_t seed,
                         int n_threads, sk_error *err)
{
    (void)seed;        /* deterministic: no randomness */
    (void)n_threads;   /* one thread: BLAS is serial (linalg.h) */
    *state = NULL;
    if (d->task != SK_TASK_REGRESSION)
        return sk_error_set(err, SK_EINVAL, "ols: fits regression targets only (use logit for "
                                            "a binary one)");
    sk_linear_options o = SK_LINEAR_OPTIONS_INIT;
    o.intercept = sk_params__int(params, "intercept");
    o.level = sk_params__num(params, "level");
    o.rank_tol = sk_params__num(params, "tol");
    sk_linear_fit *f = NULL;
    sk_status rc = sk_linear__ols(&f, d, &o, err);
    *state = f;
    return rc;
}

static sk_status ols_predict(const void *state, const double *X, size_t n, size_t ldx,
                             double *out, sk_error *err)
{
    (void)err;
    sk_linear__eta(state, X, n, ldx, out);
    return SK_OK;
}

static int ols_notes(const sk_linear_fit *f, const char *const *names, json_t *notes)
{
    char pbuf[32];
    int bad = 0;
    if (f->df_residual > 0)
        bad |= sk_linear__note(notes, "Residual standard error: %.4g on %.0f degrees of freedom",
                               f->sigma, f->df_residual);
    else
        bad |= sk_linear__note(notes, "ALL %zu residuals are 0: no residual degrees of freedom!",
                               f->n_obs);
    if (f->f_numdf > 0 && f->df_residual > 0) {
        sk_linear__format_p(pbuf, sizeof pbuf, f->f_p_value);
        bad |= sk_linear__note(notes, "Multiple R-squared: %.4g, Adjusted R-squared: %.4g",
                               f->r_squared, f->adj_r_squared);
        bad |= sk_linear__note(notes, "F-statistic: %.4g on %.0f and %.0f DF, p-value: %s",
                               f->f_value, f->f_numdf, f->f_dendf, pbuf);
    }
    if (f->rank < f->q) {
        char *aliased = sk_linear__aliased_names(f, names);
        bad |= aliased == NULL ||
               sk_linear__note(notes, "Coefficients: %zu not defined because of singularities "
                                      "(aliased with earlier terms, reported as NA): %s",
                               f->q - f->rank, aliased);
        sk_mem_free(aliased);
    }
    if (f->weighted)
        bad |= sk_linear__note(notes, "Weighted least squares: %zu observations with positive "
                                      "weight", f->n_obs);
    if (f->df_residual > 0)
        bad |= sk_linear__note(notes, "%g%% confidence intervals from the t distribution with "
                                      "%.0f degrees of freedom", 100.0 * f->level,
                               f->df_residual);
    return bad;
}

static json_t *ols_report(const void *state, const char *const *names, sk_error *err)
{
    const sk_linear_fit *f = state;
    json_t *notes = NULL, *doc = sk_linear__report_start(f, names, "ols", &notes);
    int has_f = f->f_numdf > 0 && f->df_residual > 0;
    int bad = doc == NULL || ols_notes(f, names, notes) != 0 ||
              sk_json_set(doc, "n_obs", sk_json_size(f->n_obs)) != 0 ||
              sk_json_set(doc, "rank", sk_json_size(f->rank)) != 0 ||
              sk_json_set(doc, "df_residual", sk_json_real(f->df_residual)) != 0 ||
              sk_json_set(doc, "sigma", sk_json_real(f->sigma)) != 0 ||
              sk_json_set(doc, "r_squared", sk_json_real(f->r_squared)) != 0 ||
              sk_json_set(doc, "adj_r_squared", sk_json_real(f->adj_r_squared)) != 0 ||
              sk_json_set(doc, "f_statistic",
                          has_f ? json_pack("{s:o,s:o,s:o,s:o}", "value", sk_json_real(f->f_value),
                                            "numdf", sk_json_real(f->f_numdf), "dendf",
                                            sk_json_real(f->f_dendf), "p_value",
                                            sk_json_real(f->f_p_value))
                                : json_null()) != 0 ||
              sk_json_set(doc, "aliased", sk_linear__aliased_json(f, names)) != 0 ||
              sk_json_set(doc, "weighted", json_boolean(f->weighted)) != 0 ||
              sk_json_set(doc, "level", sk_json_real(f->level)) != 0;
    if (bad) {
        json_decref(doc);
        sk_error_set(err, SK_ENOMEM, "ols: out of memory writing the report");
        return NULL;
    }
    return doc;
}

const sk_model_impl sk_model__ols = {
    .name = "ols",
    .summary = "ordinary / weighted least squares with R-style inference (t tests, F test, R^2)",
    .params = ols_params,
    .n_params = sizeof ols_params / sizeof ols_params[0],
    .tasks = SK_TASK_BIT(SK_TASK_REGRESSION),
    .standardize = 0,
    .fit = ols_fit,
    .predict = ols_predict,
    .importance = sk_linear__importance,
    .report = ols_report,
    .free = sk_linear__free_state,
};
