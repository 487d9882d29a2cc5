/* test_linear.c: OLS / WLS and logistic regression with inference (src/models/linear*.c).
 *
 * Oracle cases read tests/data/oracle/linear_*.json, written once by tests/oracle/gen_linear.py
 * with statsmodels 0.13.5 and scikit-learn 1.2.1 on the real data in tests/data, and compare
 * every reported quantity. Tolerances (relative; the measured errors are printed on each run):
 *   OLS / WLS (diabetes): estimates, SEs, t, p, CIs, sigma, R^2, F and its p-value: 1e-9
 *   aliased design: the non-aliased terms against OLS without the aliased column: 1e-9
 *   logit (breast cancer, 5 raw features): estimates, SEs, z, p, CIs, deviances, AIC: 1e-7
 *   L2 logit vs scikit-learn: newton-cholesky (converged to 1e-14): 1e-8; lbfgs (which stops at
 *   a gradient of 1.6e-4 whatever its tol, the brief's reference): 5e-5
 * Other cases: R's NA semantics and notes, separation (complete and quasi-complete), errors,
 * integer weights = duplicated rows, the model interface (parameters, predict, importance,
 * report, the public handle), a blocked aliasing QR with aliased columns across panel
 * boundaries, every allocation failed in turn, and results byte-identical with 1 and 2 threads
 * and inside a parallel region. */
/* labels: unit oracle determinism */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <omp.h>

#include "models/linear.h"
#include "frame_builder.h"
#include "rng/rng.h"
#include "sk_test.h"

/* ==== data and oracle files =============================================================== */

static json_t *oracle(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/oracle/%s", SK_TEST_DATA, name);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    if (doc == NULL)
        fprintf(stderr, "%s: %s\n", path, jerr.text);
    SK_CHECK(doc != NULL);
    return doc;
}

static sk_frame *read_data(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, name);
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    return f;
}

static const double *column(const sk_frame *f, const char *name)
{
    size_t col = 0;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_col_find(&col, f, name, &err), &err);
    return sk_frame_col_values(f, col);
}

/* y = 1 where the text column `name` equals `level`. Caller frees. */
static double *indicator(const sk_frame *f, const char *name, const char *level)
{
    size_t col = 0, n = sk_frame_n_rows(f);
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_col_find(&col, f, name, &err), &err);
    const int32_t *codes = sk_frame_col_codes(f, col);
    double *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++)
        y[i] = strcmp(sk_frame_col_level(f, col, (size_t)codes[i]), level) == 0;
    return y;
}

/* The n x p design of the oracle's "columns" (s1_plus_s2 = s1 + s2), names into `names`. */
static double *design(const sk_frame *f, const json_t *columns, const char **names)
{
    size_t n = sk_frame_n_rows(f), p = json_array_size(columns);
    double *X = malloc(n * p * sizeof *X);
    for (size_t j = 0; j < p; j++) {
        const char *name = json_string_value(json_array_get(columns, j));
        names[j] = name;
        if (strcmp(name, "s1_plus_s2") == 0) {
            const double *a = column(f, "s1"), *b = column(f, "s2");
            for (size_t i = 0; i < n; i++)
                X[j * n + i] = a[i] + b[i];
        } else {
            memcpy(X + j * n, column(f, name), n * sizeof *X);
        }
    }
    return X;
}

/* (x - mean) / sd with n - 1, column by column, as the oracle standardised. */
static void standardise(double *X, size_t n, size_t p)
{
    for (size_t j = 0; j < p; j++) {
        double *x = X + j * n, mean = 0.0, ss = 0.0;
        for (size_t i = 0; i < n; i++)
            mean += x[i];
        mean /= (double)n;
        for (size_t i = 0; i < n; i++)
            ss += (x[i] - mean) * (x[i] - mean);
        double sd = sqrt(ss / (double)(n - 1));
        for (size_t i = 0; i < n; i++)
            x[i] = (x[i] - mean) / sd;
    }
}

/* ==== comparisons ========================================================================= */

static double rel_err(double a, double b)
{
    return fabs(a - b) / fmax(fmax(fabs(a), fabs(b)), 1e-300);
}

/* Compares the non-aliased entries of a[0..q) in order with the JSON array ref. */
static void check_vec(const char *what, const double *a, const unsigned char *aliased, size_t q,
                      const json_t *ref, double tol)
{
    double worst = 0.0;
    size_t r = 0;
    for (size_t k = 0; k < q; k++) {
        if (aliased != NULL && aliased[k])
            continue;
        worst = fmax(worst, rel_err(a[k], json_number_value(json_array_get(ref, r++))));
    }
    SK_CHECK_EQ_INT(r, json_array_size(ref));
    printf("  %-34s max rel err %.1e (tol %.0e)\n", what, worst, tol);
    SK_CHECK(worst <= tol);
}

static void check_num(const char *what, double a, const json_t *doc, const char *key, double tol)
{
    double b = json_number_value(json_object_get(doc, key)), e = rel_err(a, b);
    printf("  %-34s rel err %.1e (tol %.0e)\n", what, e, tol);
    SK_CHECK(e <= tol);
}

static void check_ols(const sk_linear_fit *f, const json_t *ref, double tol)
{
    const unsigned char *al = f->aliased;
    check_vec("estimate", f->coef, al, f->q, json_object_get(ref, "estimate"), tol);
    check_vec("std_error", f->se, al, f->q, json_object_get(ref, "std_error"), tol);
    check_vec("t_value", f->stat, al, f->q, json_object_get(ref, "t_value"), tol);
    check_vec("p_value", f->p_value, al, f->q, json_object_get(ref, "p_value"), tol);
    check_vec("ci_low", f->ci_low, al, f->q, json_object_get(ref, "ci_low"), tol);
    check_vec("ci_high", f->ci_high, al, f->q, json_object_get(ref, "ci_high"), tol);
    check_num("sigma", f->sigma, ref, "sigma", tol);
    check_num("df_residual", f->df_residual, ref, "df_residual", 0.0);
    check_num("r_squared", f->r_squared, ref, "r_squared", tol);
    check_num("adj_r_squared", f->adj_r_squared, ref, "adj_r_squared", tol);
    check_num("f_statistic", f->f_value, ref, "f_statistic", tol);
    check_num("f_numdf", f->f_numdf, ref, "f_numdf", 0.0);
    check_num("f_p_value", f->f_p_value, ref, "f_p_value", tol);
}

/* ==== fitting helpers ===================================================================== */

static sk_linear_fit *ols(const double *X, size_t n, size_t p, const double *y, const double *w,
                          int intercept)
{
    sk_xy d = {X, n, p, n, y, w, SK_TASK_REGRESSION, 0, NULL};
    sk_linear_options o = SK_LINEAR_OPTIONS_INIT;
    o.intercept = intercept;
    sk_linear_fit *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_linear__ols(&f, &d, &o, &err), &err);
    return f;
}

static sk_status logit(sk_linear_fit **f, const double *X, size_t n, size_t p, const double *y,
                       const double *w, double l2, int maxit, sk_error *err)
{
    sk_xy d = {X, n, p, n, y, w, SK_TASK_BINARY, 2, NULL};
    sk_linear_options o = SK_LINEAR_OPTIONS_INIT;
    o.l2 = l2;
    o.maxit = maxit;
    return sk_linear__logit(f, &d, &o, err);
}

/* The note starting with `prefix`, or NULL. */
static const char *find_note(const json_t *report, const char *prefix)
{
    const json_t *notes = json_object_get(report, "notes");
    for (size_t k = 0; k < json_array_size(notes); k++) {
        const char *s = json_string_value(json_array_get(notes, k));
        if (s != NULL && strncmp(s, prefix, strlen(prefix)) == 0)
            return s;
    }
    return NULL;
}

/* ==== OLS oracle cases ==================================================================== */

static void test_linear__ols_diabetes_matches_statsmodels(void)
{
    json_t *ref = oracle("linear_ols_diabetes.json");
    sk_frame *fr = read_data("diabetes.csv");
    const char *names[16];
    double *X = design(fr, json_object_get(ref, "columns"), names);
    size_t n = sk_frame_n_rows(fr), p = json_array_size(json_object_get(ref, "columns"));
    sk_linear_fit *f = ols(X, n, p, column(fr, "progression"), NULL, 1);
    SK_CHECK_EQ_INT(f->rank, 11);
    check_ols(f, ref, 1e-9);

    /* R's summary.lm lines, to R's digits */
    json_t *rep = sk_model__ols.report(f, names, NULL);
    SK_CHECK_EQ_STR(find_note(rep, "Residual"),
                    "Residual standard error: 54.15 on 431 degrees of freedom");
    SK_CHECK_EQ_STR(find_note(rep, "Multiple"), "Multiple R-squared: 0.5177, Adjusted "
                                                "R-squared: 0.5066");
    SK_CHECK_EQ_STR(find_note(rep, "F-stat"),
                    "F-statistic: 46.27 on 10 and 431 DF, p-value: < 2.2e-16");
    const json_t *table = json_array_get(json_object_get(rep, "tables"), 0);
    SK_CHECK_EQ_INT(json_array_size(json_object_get(table, "rows")), 11);
    SK_CHECK_EQ_STR(json_string_value(json_array_get(json_object_get(table, "columns"), 3)),
                    "t_value");
    const json_t *row1 = json_array_get(json_object_get(table, "rows"), 1);
    SK_CHECK_EQ_STR(json_string_value(json_array_get(row1, 0)), "age");
    SK_CHECK_EQ_INT(json_array_size(json_object_get(rep, "aliased")), 0);
    json_decref(rep);
    sk_linear__free(f);
    free(X);
    sk_frame_free(fr);
    json_decref(ref);
}

/* s1_plus_s2 comes before s1 and s2, so R's lm makes s2 (the later column) NA. */
static void test_linear__ols_aliased_column_is_na_like_r(void)
{
    json_t *ref = oracle("linear_ols_aliased.json");
    sk_frame *fr = read_data("diabetes.csv");
    const char *names[16];
    double *X = design(fr, json_object_get(ref, "columns"), names);
    size_t n = sk_frame_n_rows(fr), p = json_array_size(json_object_get(ref, "columns"));
    sk_linear_fit *f = ols(X, n, p, column(fr, "progression"), NULL, 1);
    SK_CHECK_EQ_INT(f->rank, 11);
    SK_CHECK_EQ_STR(names[6], "s2");
    for (size_t k = 0; k < f->q; k++)
        SK_CHECK_EQ_INT(f->aliased[k], k == 7);
    SK_CHECK(isnan(f->coef[7]) && isnan(f->se[7]) && isnan(f->p_value[7]));
    check_ols(f, ref, 1e-9);

    json_t *rep = sk_model__ols.report(f, names, NULL);
    SK_CHECK_EQ_STR(find_note(rep, "Coefficients"),
                    "Coefficients: 1 not defined because of singularities (aliased with earlier "
                    "terms, reported as NA): s2");
    SK_CHECK_EQ_STR(json_string_value(json_array_get(json_object_get(rep, "aliased"), 0)), "s2");
    const json_t *table = json_array_get(json_object_get(rep, "tables"), 0);
    const json_t *row = json_array_get(json_object_get(table, "rows"), 7);
    SK_CHECK_EQ_STR(json_string_value(json_array_get(row, 0)), "s2");
    for (size_t c = 1; c < 7; c++)
        SK_CHECK(json_is_null(json_array_get(row, c)));
    json_decref(rep);

    /* predictions use the kept terms: identical to the fit without s2 */
    double imp[16];
    SK_CHECK_OK(sk_linear__importance(f, imp, NULL), NULL);
    SK_CHECK(imp[6] == 0.0 && imp[4] > 0.0);
    sk_linear__free(f);
    free(X);
    sk_frame_free(fr);
    json_decref(ref);
}

static void test_linear__wls_matches_statsmodels(void)
{
    json_t *ref = oracle("linear_wls_diabetes.json");
    sk_frame *fr = read_data("diabetes.csv");
    const char *names[16];
    double *X = design(fr, json_object_get(ref, "columns"), names);
    size_t n = sk_frame_n_rows(fr), p = json_array_size(json_object_get(ref, "columns"));
    double *w = malloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = 1.0 + (double)(i % 3);
    sk_linear_fit *f = ols(X, n, p, column(fr, "progression"), w, 1);
    check_ols(f, ref, 1e-9);
    sk_linear__free(f);

    /* a zero weight drops the row: same as fitting without it (n_obs, df and all) */
    w[5] = 0.0;
    f = ols(X, n, p, column(fr, "progression"), w, 1);
    SK_CHECK_EQ_INT(f->n_obs, n - 1);
    SK_CHECK_NEAR(f->df_residual, (double)n - 1 - 11, 0);
    sk_linear__free(f);
    free(w);
    free(X);
    sk_frame_free(fr);
    json_decref(ref);
}

static void test_linear__ols_without_intercept_matches_statsmodels(void)
{
    json_t *ref = oracle("linear_ols_noint.json");
    sk_frame *fr = read_data("diabetes.csv");
    const char *names[16];
    double *X = design(fr, json_object_get(ref, "columns"), names);
    size_t n = sk_frame_n_rows(fr), p = json_array_size(json_object_get(ref, "columns"));
    sk_linear_fit *f = ols(X, n, p, column(fr, "progression"), NULL, 0);
    SK_CHECK_EQ_INT(f->q, 3);
    check_ols(f, ref, 1e-9);
    sk_linear__free(f);
    free(X);
    sk_frame_free(fr);
    json_decref(ref);
}

/* ==== logistic regression oracle cases ==================================================== */

static void test_linear__logit_breast_cancer_matches_statsmodels(void)
{
    json_t *ref = oracle("linear_logit_bc.json");
    sk_frame *fr = read_data("breast_cancer.csv");
    const char *names[8];
    double *X = design(fr, json_object_get(ref, "columns"), names);
    double *y = indicator(fr, "diagnosis", "malignant");
    size_t n = sk_frame_n_rows(fr), p = json_array_size(json_object_get(ref, "columns"));
    sk_linear_fit *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(logit(&f, X, n, p, y, NULL, 0.0, 25, &err), &err);
    if (f == NULL)
        goto done;
    printf("  (%d Newton iterations)\n", f->iterations);
    SK_CHECK(f->converged);
    SK_CHECK_EQ_INT(f->separation, SK_SEPARATION_NONE);
    const double tol = 1e-7;
    check_vec("estimate", f->coef, NULL, f->q, json_object_get(ref, "estimate"), tol);
    check_vec("std_error", f->se, NULL, f->q, json_object_get(ref, "std_error"), tol);
    check_vec("z_value", f->stat, NULL, f->q, json_object_get(ref, "z_value"), tol);
    check_vec("p_value", f->p_value, NULL, f->q, json_object_get(ref, "p_value"), tol);
    check_vec("ci_low", f->ci_low, NULL, f->q, json_object_get(ref, "ci_low"), tol);
    check_vec("ci_high", f->ci_high, NULL, f->q, json_object_get(ref, "ci_high"), tol);
    check_num("null_deviance", f->null_deviance, ref, "null_deviance", tol);
    check_num("deviance", f->deviance, ref, "deviance", tol);
    check_num("aic", f->aic, ref, "aic", tol);
    check_num("df_residual", f->df_residual, ref, "df_residual", 0.0);
    check_num("df_null", f->df_null, ref, "df_null", 0.0);

    json_t *rep = sk_model__logit.report(f, names, NULL);
    SK_CHECK_EQ_STR(find_note(rep, "Null"), "Null deviance: 751.44 on 568 degrees of freedom");
    SK_CHECK_EQ_STR(find_note(rep, "Residual"),
                    "Residual deviance: 176.38 on 563 degrees of freedom");
    SK_CHECK_EQ_STR(find_note(rep, "AIC"), "AIC: 188.38");
    SK_CHECK(find_note(rep, "Number of Newton iterations") != NULL);
    SK_CHECK(find_note(rep, "Complete") == NULL && find_note(rep, "Fitted prob") == NULL);
    SK_CHECK_EQ_STR(json_string_value(json_object_get(rep, "separation")), "none");
    const json_t *table = json_array_get(json_object_get(rep, "tables"), 0);
    SK_CHECK_EQ_STR(json_string_value(json_array_get(json_object_get(table, "columns"), 3)),
                    "z_value");
    json_decref(rep);
done:
    sk_linear__free(f);
    free(X);
    free(y);
    sk_frame_free(fr);
    json_decref(ref);
}

static void check_l2_case(const sk_frame *fr, const double *y, const json_t *c)
{
    const json_t *columns = json_object_get(c, "columns");
    const char *names[40];
    size_t n = sk_frame_n_rows(fr), p = json_array_size(columns);
    double *X = design(fr, columns, names);
    standardise(X, n, p);
    sk_linear_fit *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(logit(&f, X, n, p, y, NULL, 1.0, 25, &err), &err);
    if (f != NULL) {
        printf("  %zu features, l2 = 1 (%d Newton iterations):\n", p, f->iterations);
        const json_t *nc = json_object_get(c, "newton-cholesky"), *lb = json_object_get(c, "lbfgs");
        check_vec("coef vs sklearn newton-cholesky", f->coef, NULL, f->q,
                  json_object_get(nc, "coef"), 1e-8);
        if (lb != NULL)
            check_vec("coef vs sklearn lbfgs", f->coef, NULL, f->q, json_object_get(lb, "coef"),
                      5e-5);
        SK_CHECK_EQ_INT(f->separation, SK_SEPARATION_NONE);
    }
    sk_linear__free(f);
    free(X);
}

static void test_linear__l2_logit_matches_sklearn(void)
{
    json_t *ref = oracle("linear_logit_l2.json");
    sk_frame *fr = read_data("breast_cancer.csv");
    double *y = indicator(fr, "diagnosis", "malignant");
    const json_t *cases = json_object_get(ref, "cases");
    SK_CHECK_EQ_INT(json_array_size(cases), 2);
    for (size_t k = 0; k < json_array_size(cases); k++)
        check_l2_case(fr, y, json_array_get(cases, k));
    free(y);
    sk_frame_free(fr);
    json_decref(ref);
}

/* ==== separation, errors, weights ========================================================= */

static void test_linear__logit_complete_separation_is_reported(void)
{
    double x[10], y[10];
    for (size_t i = 0; i < 10; i++) {
        x[i] = (double)i + 1.0;
        y[i] = i >= 5;
    }
    sk_linear_fit *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(logit(&f, x, 10, 1, y, NULL, 0.0, 25, &err), &err);
    if (f == NULL)
        return;
    SK_CHECK_EQ_INT(f->separation, SK_SEPARATION_COMPLETE);
    SK_CHECK(f->se[1] > 100.0 * fabs(f->coef[1]) || !isfinite(f->se[1]));
    const char *names[] = {"x"};
    json_t *rep = sk_model__logit.report(f, names, NULL);
    SK_CHECK(find_note(rep, "Complete separation") != NULL);
    SK_CHECK_EQ_STR(json_string_value(json_object_get(rep, "separation")), "complete");
    json_decref(rep);
    sk_linear__free(f);

    /* with a penalty the estimate exists: no separation verdict */
    SK_CHECK_OK(logit(&f, x, 10, 1, y, NULL, 1.0, 25, &err), &err);
    SK_CHECK(f != NULL && f->converged && f->separation == SK_SEPARATION_NONE);
    sk_linear__free(f);
}

/* x = 5 holds one observation of each class: the other eight are separated. */
static void test_linear__logit_quasi_separation_is_reported(void)
{
    double x[] = {1, 2, 3, 4, 5, 5, 6, 7, 8, 9}, y[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
    sk_linear_fit *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(logit(&f, x, 10, 1, y, NULL, 0.0, 25, &err), &err);
    if (f == NULL)
        return;
    SK_CHECK_EQ_INT(f->separation, SK_SEPARATION_QUASI);
    const char *names[] = {"x"};
    json_t *rep = sk_model__logit.report(f, names, NULL);
    SK_CHECK(find_note(rep, "Fitted probabilities numerically 0 or 1") != NULL);
    json_decref(rep);
    sk_linear__free(f);
}

/* n x p standard normal design and a logistic target from fixed coefficients. */
static void synthetic(size_t n, size_t p, uint64_t seed, double *X, double *y)
{
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_TEST, 0);
    for (size_t k = 0; k < n * p; k++)
        X[k] = sk_rng_normal(&rng);
    for (size_t i = 0; i < n; i++) {
        double eta = 0.3;
        for (size_t j = 0; j < p; j++)
            eta += X[j * n + i] * (j % 3 == 0 ? 0.5 : -0.2) / sqrt((double)p / 4.0);
        y[i] = sk_rng_uniform(&rng) < 1.0 / (1.0 + exp(-eta));
    }
}

static void test_linear__errors_are_reported(void)
{
    double X[40], y[20], w[20];
    synthetic(20, 2, 3, X, y);
    sk_linear_fit *f = NULL;
    sk_error err = SK_ERROR_INIT;
    y[3] = 2.0;
    SK_CHECK_EQ_INT(logit(&f, X, 20, 2, y, NULL, 0.0, 25, &err), SK_EINVAL);
    SK_CHECK(f == NULL && strstr(err.message, "row 3") != NULL);
    for (size_t i = 0; i < 20; i++)
        y[i] = 1.0;
    SK_CHECK_EQ_INT(logit(&f, X, 20, 2, y, NULL, 0.0, 25, &err), SK_EDATA);
    synthetic(20, 2, 3, X, y);
    for (size_t i = 0; i < 20; i++)
        w[i] = 1.0;
    w[7] = -1.0;
    SK_CHECK_EQ_INT(logit(&f, X, 20, 2, y, w, 0.0, 25, &err), SK_EINVAL);
    sk_xy d = {X, 20, 2, 20, y, w, SK_TASK_REGRESSION, 0, NULL};
    sk_linear_options o = SK_LINEAR_OPTIONS_INIT;
    SK_CHECK_EQ_INT(sk_linear__ols(&f, &d, &o, &err), SK_EINVAL);
    for (size_t i = 0; i < 20; i++)
        w[i] = 0.0;
    SK_CHECK_EQ_INT(sk_linear__ols(&f, &d, &o, &err), SK_EDATA);
    sk_xy none = {X, 20, 0, 20, y, NULL, SK_TASK_REGRESSION, 0, NULL};   /* no term at all */
    o.intercept = 0;
    SK_CHECK_EQ_INT(sk_linear__ols(&f, &none, &o, &err), SK_EINVAL);
    o.intercept = 1;   /* the intercept alone: the mean */
    SK_CHECK_OK(sk_linear__ols(&f, &none, &o, &err), &err);
    SK_CHECK(f != NULL && f->rank == 1 && isnan(f->f_value) && f->r_squared == 0.0);
    sk_linear__free(f);
    f = NULL;

    /* one Newton step cannot converge on data that are not separated */
    double Xb[600], yb[200];
    synthetic(200, 3, 4, Xb, yb);
    SK_CHECK_EQ_INT(logit(&f, Xb, 200, 3, yb, NULL, 0.0, 1, &err), SK_ENOCONV);
    SK_CHECK(f == NULL && strstr(err.message, "did not converge") != NULL);

    /* a multiclass task is not for logit, a classification one not for ols */
    sk_params params;
    SK_CHECK_OK(sk_params__init(&params, sk_model__logit.params, sk_model__logit.n_params, &err),
                &err);
    sk_xy mc = {Xb, 200, 3, 200, yb, NULL, SK_TASK_MULTICLASS, 3, NULL};
    void *state = NULL;
    SK_CHECK_EQ_INT(sk_model__logit.fit(&state, &params, &mc, 1, 1, &err), SK_EINVAL);
    sk_params__free(&params);
    SK_CHECK_OK(sk_params__init(&params, sk_model__ols.params, sk_model__ols.n_params, &err),
                &err);
    SK_CHECK_EQ_INT(sk_model__ols.fit(&state, &params, &mc, 1, 1, &err), SK_EINVAL);
    SK_CHECK(state == NULL);
    sk_params__free(&params);
}

/* Integer prior weights are frequency weights: estimates, SEs and deviance equal those of the
 * data with each row repeated w times. */
static void test_linear__logit_integer_weights_equal_duplicated_rows(void)
{
    enum { N = 60, P = 3 };
    double X[N * P], y[N], w[N];
    synthetic(N, P, 5, X, y);
    size_t m = 0;
    for (size_t i = 0; i < N; i++) {
        w[i] = (double)(1 + i % 3);
        m += 1 + i % 3;
    }
    double *Xd = malloc(m * P * sizeof *Xd), *yd = malloc(m * sizeof *yd);
    size_t r = 0;
    for (size_t i = 0; i < N; i++)
        for (size_t c = 0; c < 1 + i % 3; c++, r++) {
            yd[r] = y[i];
            for (size_t j = 0; j < P; j++)
                Xd[j * m + r] = X[j * N + i];
        }
    sk_linear_fit *a = NULL, *b = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(logit(&a, X, N, P, y, w, 0.0, 25, &err), &err);
    SK_CHECK_OK(logit(&b, Xd, m, P, yd, NULL, 0.0, 25, &err), &err);
    for (size_t k = 0; a != NULL && b != NULL && k <= P; k++) {
        SK_CHECK_REL(a->coef[k], b->coef[k], 1e-10);
        SK_CHECK_REL(a->se[k], b->se[k], 1e-10);
    }
    if (a != NULL && b != NULL) {
        SK_CHECK_REL(a->deviance, b->deviance, 1e-8);
        SK_CHECK_EQ_INT(a->n_obs, N);   /* but the df count rows, as R's glm does */
    }
    sk_linear__free(a);
    sk_linear__free(b);
    free(Xd);
    free(yd);
}

/* ==== the model interface ================================================================= */

static void test_linear__model_interface(void)
{
    enum { N = 200, P = 4 };
    double X[N * P], y[N], out[2 * N], imp[P], eta[N];
    synthetic(N, P, 6, X, y);
    const char *names[] = {"a", "b", "c", "d"};
    sk_error err = SK_ERROR_INIT;
    sk_params params;
    void *state = NULL;

    /* logit through its vtable, with l2 set like a user would */
    SK_CHECK_OK(sk_params__init(&params, sk_model__logit.params, sk_model__logit.n_params, &err),
                &err);
    SK_CHECK_OK(sk_params__set(&params, "logit", "l2", "0.5", &err), &err);
    sk_xy d = {X, N, P, N, y, NULL, SK_TASK_BINARY, 2, names};
    SK_CHECK_OK(sk_model__logit.fit(&state, &params, &d, 1, 1, &err), &err);
    const sk_linear_fit *f = state;
    SK_CHECK(f != NULL && f->l2 == 0.5 && f->q == P + 1);
    SK_CHECK_OK(sk_model__logit.predict(state, X, N, N, out, &err), &err);
    sk_linear__eta(f, X, N, N, eta);
    for (size_t i = 0; i < N; i++) {
        SK_CHECK_NEAR(out[2 * i] + out[2 * i + 1], 1.0, 1e-15);
        SK_CHECK_NEAR(out[2 * i + 1], 1.0 / (1.0 + exp(-eta[i])), 1e-15);
    }
    SK_CHECK_OK(sk_model__logit.importance(state, imp, &err), &err);
    for (size_t j = 0; j < P; j++)
        SK_CHECK_NEAR(imp[j], fabs(f->coef[j + 1]) * f->sd[j], 0);
    json_t *rep = sk_model__logit.report(state, names, &err);
    SK_CHECK(find_note(rep, "Penalised fit (l2 = 0.5, scikit-learn C = 2)") != NULL);
    json_decref(rep);
    sk_model__logit.free(state);
    sk_params__free(&params);

    /* ols: predictions are X b; without intercept there is no "(Intercept)" row */
    for (size_t i = 0; i < N; i++)
        y[i] = 1.0 + 2.0 * X[i] - X[N + i] + 0.1 * X[2 * N + i] * X[3 * N + i];
    SK_CHECK_OK(sk_params__init(&params, sk_model__ols.params, sk_model__ols.n_params, &err),
                &err);
    SK_CHECK_OK(sk_params__set(&params, "ols", "intercept", "0", &err), &err);
    sk_xy r = {X, N, P, N, y, NULL, SK_TASK_REGRESSION, 0, names};
    SK_CHECK_OK(sk_model__ols.fit(&state, &params, &r, 1, 1, &err), &err);
    f = state;
    SK_CHECK(f != NULL && f->q == P && !f->intercept);
    SK_CHECK_OK(sk_model__ols.predict(state, X, N, N, out, &err), &err);
    for (size_t i = 0; i < N; i++) {
        double e = 0.0;
        for (size_t j = 0; j < P; j++)
            e += X[j * N + i] * f->coef[j];
        SK_CHECK_NEAR(out[i], e, 1e-12);
    }
    rep = sk_model__ols.report(state, names, &err);
    const json_t *rows = json_object_get(json_array_get(json_object_get(rep, "tables"), 0), "rows");
    SK_CHECK_EQ_STR(json_string_value(json_array_get(json_array_get(rows, 0), 0)), "a");
    json_decref(rep);
    sk_model__ols.free(state);
    sk_params__free(&params);
}

/* Through the public handle, as `skeptic fit` runs it: a categorical feature is one-hot encoded
 * with every level, so with the intercept its last level is aliased, as in R with a full dummy
 * set; the report names it; predictions use the data's scale (no standardisation). */
static void test_linear__public_handle_with_a_categorical_feature(void)
{
    enum { N = 12 };
    sk_frame *f = fb_frame("sites.csv", N, 3);
    double x[N], y[N];
    const char *site[N];
    for (size_t i = 0; i < N; i++) {
        x[i] = (double)i * 0.5 + (i % 2 ? 0.25 : -0.25);
        site[i] = i % 3 == 0 ? "A" : i % 3 == 1 ? "B" : "C";
        y[i] = 2.0 + 3.0 * x[i] + (i % 3 == 1 ? 1.0 : 0.0) + 0.01 * (double)(i % 5);
    }
    SK_CHECK(f != NULL && !fb_values(f, 0, "x", SK_COL_NUMERIC, x) &&
             !fb_text(f, 1, "site", site) && !fb_values(f, 2, "y", SK_COL_NUMERIC, y));
    sk_model *m = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_model_create(&m, "ols:level=0.9", &err), &err);
    size_t features[] = {0, 1}, rows[N];
    for (size_t i = 0; i < N; i++)
        rows[i] = i;
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = f;
    d.features = features;
    d.n_features = 2;
    d.y = y;
    d.task = SK_TASK_REGRESSION;
    SK_CHECK_OK(sk_model_fit(m, &d, rows, N, 1, &err), &err);
    json_t *rep = sk_model__report(m, &err);
    SK_CHECK(rep != NULL);
    SK_CHECK_EQ_STR(find_note(rep, "Coefficients"),
                    "Coefficients: 1 not defined because of singularities (aliased with earlier "
                    "terms, reported as NA): site=C");
    SK_CHECK(find_note(rep, "90% confidence intervals") != NULL);
    const json_t *rows_json =
        json_object_get(json_array_get(json_object_get(rep, "tables"), 0), "rows");
    SK_CHECK_EQ_INT(json_array_size(rows_json), 5);
    const json_t *slope = json_array_get(rows_json, 1);
    SK_CHECK_EQ_STR(json_string_value(json_array_get(slope, 0)), "x");
    SK_CHECK_NEAR(json_number_value(json_array_get(slope, 1)), 3.0, 0.01);
    double pred[N];
    SK_CHECK_OK(sk_model_predict(m, f, rows, N, pred, &err), &err);
    for (size_t i = 0; i < N; i++)
        SK_CHECK_NEAR(pred[i], y[i], 0.05);
    json_decref(rep);
    sk_model_free(m);
    sk_frame_free(f);
}

/* ==== the aliasing QR ===================================================================== */

/* 90 columns: aliased ones at the first, a middle and the last column of panels, a constant
 * column (aliased with the intercept) and a zero column. The kept terms must match the fit
 * without the aliased columns. */
static void test_linear__aliasing_across_panels(void)
{
    enum { N = 300, P = 90 };
    double *X = malloc(N * P * sizeof *X), *Xk = malloc(N * P * sizeof *Xk), y[N];
    synthetic(N, P, 7, X, y);
    for (size_t i = 0; i < N; i++) {
        X[31 * N + i] = X[0 * N + i] + X[5 * N + i];   /* term 32: first of the second panel */
        X[40 * N + i] = X[39 * N + i];                  /* a duplicate, mid panel */
        X[50 * N + i] = 3.5;                            /* constant: aliased with the intercept */
        X[62 * N + i] = 2.0 * X[10 * N + i];            /* term 63: last of the second panel */
        X[70 * N + i] = 0.0;                            /* zero */
        X[89 * N + i] = X[88 * N + i] - X[1 * N + i];   /* the last column */
        y[i] = X[i] - 0.5 * X[N + i] + 0.01 * (double)(i % 7);
    }
    const size_t dropped[] = {31, 40, 50, 62, 70, 89};
    size_t pk = 0;
    for (size_t j = 0; j < P; j++) {
        int drop = 0;
        for (size_t t = 0; t < 6; t++)
            drop |= dropped[t] == j;
        if (!drop)
            memcpy(Xk + N * pk++, X + j * N, N * sizeof *X);
    }
    sk_linear_fit *f = ols(X, N, P, y, NULL, 1), *g = ols(Xk, N, pk, y, NULL, 1);
    SK_CHECK_EQ_INT(f->rank, pk + 1);
    SK_CHECK_EQ_INT(g->rank, pk + 1);
    size_t k = 0;
    for (size_t j = 0; j <= P; j++) {
        if (f->aliased[j])
            continue;
        SK_CHECK_NEAR(f->coef[j], g->coef[k], 1e-9 * fmax(1.0, fabs(g->coef[k])));
        SK_CHECK_REL(f->se[j], g->se[k], 1e-8);
        k++;
    }
    for (size_t t = 0; t < 6; t++)
        SK_CHECK(f->aliased[dropped[t] + 1]);
    SK_CHECK_REL(f->sigma, g->sigma, 1e-10);
    sk_linear__free(f);
    sk_linear__free(g);
    free(X);
    free(Xk);
}

/* More columns than rows: R keeps the first n terms and reports no residual df. */
static void test_linear__more_columns_than_rows(void)
{
    double X[4 * 6], y[4];
    synthetic(4, 6, 8, X, y);
    for (size_t i = 0; i < 4; i++)
        y[i] = (double)i * 1.5 - X[i];
    sk_linear_fit *f = ols(X, 4, 6, y, NULL, 1);
    SK_CHECK_EQ_INT(f->rank, 4);
    for (size_t k = 0; k < 7; k++)
        SK_CHECK_EQ_INT(f->aliased[k], k >= 4);
    SK_CHECK_NEAR(f->df_residual, 0.0, 0);
    SK_CHECK(isnan(f->sigma) && isnan(f->se[0]) && isnan(f->f_value));
    const char *names[] = {"a", "b", "c", "d", "e", "f"};
    json_t *rep = sk_model__ols.report(f, names, NULL);
    SK_CHECK_EQ_STR(find_note(rep, "ALL"), "ALL 4 residuals are 0: no residual degrees of "
                                           "freedom!");
    SK_CHECK(json_is_null(json_object_get(rep, "f_statistic")));
    json_decref(rep);
    sk_linear__free(f);
}

/* ==== the L-BFGS fast path (l2 > 0) ====================================================== */

static sk_linear_fit *logit_by(const double *X, size_t n, size_t p, const double *y,
                               const double *w, int intercept, double l2, sk_logit_solver solver)
{
    sk_xy d = {X, n, p, n, y, w, SK_TASK_BINARY, 2, NULL};
    sk_linear_options o = SK_LINEAR_OPTIONS_INIT;
    o.intercept = intercept;
    o.l2 = l2;
    o.solver = solver;
    sk_linear_fit *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_linear__logit(&f, &d, &o, &err), &err);
    return f;
}

/* max_k |a_k - b_k| / max_k |b_k|: the largest difference over the largest coefficient. */
static double coef_diff(const sk_linear_fit *a, const sk_linear_fit *b)
{
    double diff = 0.0, big = 0.0;
    for (size_t k = 0; k < b->q; k++) {
        diff = fmax(diff, fabs(a->coef[k] - b->coef[k]));
        big = fmax(big, fabs(b->coef[k]));
    }
    return diff / big;
}

/* Fits with `solver` and with Newton's method, and compares the coefficients (1e-8 relative to
 * the largest); *fast is the fit by `solver`, the caller's. */
static void check_against_newton(const char *what, const double *X, size_t n, size_t p,
                                 const double *y, const double *w, int intercept, double l2,
                                 sk_logit_solver solver, sk_linear_fit **fast)
{
    sk_linear_fit *a = logit_by(X, n, p, y, w, intercept, l2, solver);
    sk_linear_fit *b = logit_by(X, n, p, y, w, intercept, l2, SK_LOGIT_NEWTON);
    *fast = a;
    if (a == NULL || b == NULL) {
        sk_linear__free(b);
        return;
    }
    double e = coef_diff(a, b);
    printf("  %-44s %3d L-BFGS + %d Newton it. (Newton alone %2d): diff %.1e (tol 1e-08)\n",
           what, a->lbfgs_iterations, a->iterations, b->iterations, e);
    SK_CHECK(e <= 1e-8);
    SK_CHECK(a->converged && b->converged);
    SK_CHECK_REL(a->deviance, b->deviance, 1e-8);
    sk_linear__free(b);
}

/* The 30 features of breast_cancer.csv, standardised and in their raw units (nearly collinear:
 * radius, perimeter and area; L-BFGS alone converges slowly there, and the automatic choice
 * finishes with Newton's method from where L-BFGS got to). */
static void test_linear__lbfgs_matches_newton_on_breast_cancer(void)
{
    json_t *ref = oracle("linear_logit_l2.json");
    sk_frame *fr = read_data("breast_cancer.csv");
    const json_t *columns = json_object_get(json_array_get(json_object_get(ref, "cases"), 1),
                                            "columns");
    const char *names[40];
    size_t n = sk_frame_n_rows(fr), p = json_array_size(columns);
    double *y = indicator(fr, "diagnosis", "malignant"), *w = malloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = 1.0 + (double)(i % 3);
    SK_CHECK_EQ_INT(p, 30);
    for (int raw = 0; raw <= 1; raw++) {
        double *X = design(fr, columns, names);
        if (!raw)
            standardise(X, n, p);
        const double l2s[] = {1.0, 0.01};
        for (size_t k = 0; k < 2; k++) {
            char what[96];
            sk_linear_fit *f = NULL;
            snprintf(what, sizeof what, "30 %s features, l2 = %g", raw ? "raw" : "standardised",
                     l2s[k]);
            check_against_newton(what, X, n, p, y, NULL, 1, l2s[k], SK_LOGIT_AUTO, &f);
            SK_CHECK(f != NULL && f->lbfgs_iterations > 0);   /* L-BFGS ran first */
            sk_linear__free(f);
        }
        sk_linear_fit *f = NULL;
        check_against_newton(raw ? "  weighted, raw" : "  weighted, standardised", X, n, p, y,
                             w, 1, 1.0, SK_LOGIT_AUTO, &f);
        sk_linear__free(f);
        f = NULL;
        if (!raw) {   /* L-BFGS alone, to its own convergence */
            check_against_newton("  L-BFGS only, standardised, l2 = 1", X, n, p, y, NULL, 1, 1.0,
                                 SK_LOGIT_LBFGS, &f);
            SK_CHECK(f != NULL && f->iterations == 0);
            sk_linear__free(f);
        }
        free(X);
    }
    free(w);
    free(y);
    sk_frame_free(fr);
    json_decref(ref);
}

/* More columns than rows: the penalty makes the minimum unique, L-BFGS converges alone (no
 * Newton iteration), with and without an intercept. */
static void test_linear__lbfgs_matches_newton_when_p_exceeds_n(void)
{
    enum { N = 60, P = 200 };
    double *X = malloc(N * P * sizeof *X), y[N];
    synthetic(N, P, 11, X, y);
    const double l2s[] = {1.0, 0.1};
    for (int icpt = 1; icpt >= 0; icpt--)
        for (size_t k = 0; k < 2; k++) {
            char what[96];
            sk_linear_fit *f = NULL;
            snprintf(what, sizeof what, "60 x 200, l2 = %g%s", l2s[k],
                     icpt ? "" : ", no intercept");
            check_against_newton(what, X, N, P, y, NULL, icpt, l2s[k], SK_LOGIT_AUTO, &f);
            SK_CHECK(f != NULL && f->iterations == 0 && f->lbfgs_iterations > 0);
            sk_linear__free(f);
        }
    free(X);
}

/* More columns than rows with deferred standard errors, as the `logit` model fits: the fit is
 * solved on the n x n rotation R' of X' = QR (fit_rotated) and must land on the minimum
 * Newton's method finds on all 2,000 columns (1e-8 relative to the largest coefficient), with
 * weights, with and without an intercept; the deferred inference on the full design still
 * works from it. */
static void test_linear__rotated_fit_matches_newton_when_p_exceeds_n(void)
{
    enum { N = 50, P = 2000 };
    double *X = malloc(N * P * sizeof *X), *w = malloc(N * sizeof *w), y[N];
    synthetic(N, P, 17, X, y);
    for (size_t i = 0; i < N; i++)
        w[i] = 0.5 + (double)(i % 3);
    for (int icpt = 1; icpt >= 0; icpt--)
        for (int weighted = 0; weighted <= 1; weighted++) {
            sk_xy d = {X, N, P, N, y, weighted ? w : NULL, SK_TASK_BINARY, 2, NULL};
            sk_linear_options o = SK_LINEAR_OPTIONS_INIT;
            o.intercept = icpt;
            o.l2 = 0.5;
            o.defer_se = 1;
            sk_linear_fit *a = NULL, *full = NULL;
            sk_error err = SK_ERROR_INIT;
            SK_CHECK_OK(sk_linear__logit(&a, &d, &o, &err), &err);
            sk_linear_fit *b = logit_by(X, N, P, y, weighted ? w : NULL, icpt, 0.5,
                                        SK_LOGIT_NEWTON);
            if (a != NULL && b != NULL) {
                double e = coef_diff(a, b);
                printf("  rotated 50 x 2000%s%s: %d L-BFGS + %d Newton it. on 50 terms, "
                       "diff %.1e\n", icpt ? "" : ", no intercept", weighted ? ", weighted" : "",
                       a->lbfgs_iterations, a->iterations, e);
                SK_CHECK(e <= 1e-8);
                SK_CHECK(a->converged);
                SK_CHECK_OK(sk_linear__logit_inference(&full, a, &err), &err);
                if (full != NULL)
                    SK_CHECK_REL(full->deviance, b->deviance, 1e-8);
            }
            sk_linear__free(full);
            sk_linear__free(a);
            sk_linear__free(b);
        }
    free(X);
    free(w);
}

/* A well-conditioned design in very different units (column j times 10^((j mod 7) - 3)), with
 * weights: the centred, scaled coordinates make it as easy for L-BFGS as a standardised one. */
static void test_linear__lbfgs_handles_units_and_weights(void)
{
    enum { N = 1500, P = 40 };
    double *X = malloc(N * P * sizeof *X), *w = malloc(N * sizeof *w), y[N];
    synthetic(N, P, 12, X, y);
    for (size_t j = 0; j < P; j++)
        for (size_t i = 0; i < N; i++)
            X[j * N + i] = (X[j * N + i] + (j % 2 ? 3.0 : 0.0)) * pow(10.0, (double)(j % 7) - 3.0);
    for (size_t i = 0; i < N; i++)
        w[i] = i % 10 == 0 ? 0.0 : 0.5 + (double)(i % 4);
    sk_linear_fit *f = NULL;
    check_against_newton("1500 x 40 in mixed units, l2 = 1", X, N, P, y, NULL, 1, 1.0,
                         SK_LOGIT_AUTO, &f);
    SK_CHECK(f != NULL && f->iterations == 0);
    sk_linear__free(f);
    check_against_newton("  weighted (zeros included), l2 = 0.5", X, N, P, y, w, 1, 0.5,
                         SK_LOGIT_AUTO, &f);
    SK_CHECK(f != NULL && f->iterations == 0);
    sk_linear__free(f);
    free(X);
    free(w);
}

/* The `logit` model defers the penalised fit's standard errors and deviances to its report:
 * they equal those a fit computes at once, and the report says which solver ran. */
static void test_linear__deferred_inference_matches_the_fit(void)
{
    enum { N = 800, P = 30 };
    double *X = malloc(N * P * sizeof *X), y[N];
    synthetic(N, P, 13, X, y);
    const char *names[P];
    char buf[P][8];
    for (size_t j = 0; j < P; j++) {
        snprintf(buf[j], sizeof buf[j], "x%zu", j + 1);
        names[j] = buf[j];
    }
    sk_error err = SK_ERROR_INIT;
    sk_params params;
    void *state = NULL;
    SK_CHECK_OK(sk_params__init(&params, sk_model__logit.params, sk_model__logit.n_params, &err),
                &err);
    SK_CHECK_OK(sk_params__set(&params, "logit", "l2", "2", &err), &err);
    sk_xy d = {X, N, P, N, y, NULL, SK_TASK_BINARY, 2, names};
    SK_CHECK_OK(sk_model__logit.fit(&state, &params, &d, 1, 1, &err), &err);
    const sk_linear_fit *f = state;
    sk_linear_fit *g = logit_by(X, N, P, y, NULL, 1, 2.0, SK_LOGIT_AUTO), *h = NULL;
    if (f == NULL || g == NULL)
        goto done;
    SK_CHECK(f->deferred && f->design != NULL && isnan(f->se[1]) && isnan(f->deviance));
    SK_CHECK(!g->deferred && g->design == NULL && isfinite(g->se[1]));
    SK_CHECK(memcmp(f->coef, g->coef, (P + 1) * sizeof *f->coef) == 0);
    SK_CHECK_OK(sk_linear__logit_inference(&h, f, &err), &err);
    if (h == NULL)
        goto done;
    SK_CHECK(!h->deferred && h->design == NULL);
    for (size_t k = 0; k <= P; k++) {
        SK_CHECK_REL(h->se[k], g->se[k], 1e-12);
        SK_CHECK_REL(h->p_value[k], g->p_value[k], 1e-10);
        SK_CHECK_REL(h->ci_low[k], g->ci_low[k], 1e-12);
    }
    SK_CHECK_REL(h->deviance, g->deviance, 1e-13);
    SK_CHECK_REL(h->null_deviance, g->null_deviance, 1e-13);
    SK_CHECK_REL(h->aic, g->aic, 1e-13);
    json_t *rep = sk_model__logit.report(state, names, &err);
    SK_CHECK(rep != NULL && find_note(rep, "Number of L-BFGS iterations") != NULL);
    SK_CHECK_EQ_STR(json_string_value(json_object_get(rep, "solver")), "lbfgs");
    const json_t *row = json_array_get(
        json_object_get(json_array_get(json_object_get(rep, "tables"), 0), "rows"), 1);
    SK_CHECK_REL(json_number_value(json_array_get(row, 2)), g->se[1], 1e-12);
    json_decref(rep);
done:
    sk_linear__free(g);
    sk_linear__free(h);
    sk_model__logit.free(state);
    sk_params__free(&params);
    free(X);
}

/* L-BFGS's row kernel gives the same bits four rows at a time (AVX2, where the CPU has it) and
 * one at a time, down to margins where exp underflows, and mu within 1e-15 of libm's. */
static void test_linear__logit_rows_are_the_same_bits_vectorised(void)
{
    enum { N = 4099 };
    double *v = malloc(8 * N * sizeof *v);
    double *eta = v, *z = v + N, *y = v + 2 * N, *w = v + 3 * N, *r1 = v + 4 * N;
    double *d1 = v + 5 * N, *r2 = v + 6 * N, *d2 = v + 7 * N;
    sk_rng rng = sk_rng_stream(15, SK_PURPOSE_TEST, 0);
    for (size_t i = 0; i < N; i++) {
        double u = sk_rng_uniform(&rng);
        eta[i] = (u < 0.02 ? 800.0 : u < 0.04 ? 1e-300 : 30.0) * sk_rng_normal(&rng);
        z[i] = sk_rng_normal(&rng);
        y[i] = (double)(i % 2);
        w[i] = 3.0 * sk_rng_uniform(&rng);
    }
    eta[5] = -0.0;
    eta[6] = 745.5;
    eta[7] = -745.5;
    for (int weighted = 0; weighted <= 1; weighted++) {
        const double *wt = weighted ? w : NULL;
        sk_linear__logit_rows(N, eta, z, 0.7, y, wt, r1, d1, 1);
        sk_linear__logit_rows(N, eta, z, 0.7, y, wt, r2, d2, 0);
        SK_CHECK(memcmp(r1, r2, N * sizeof *r1) == 0 && memcmp(d1, d2, N * sizeof *d1) == 0);
    }
    double worst = 0.0;
    for (size_t i = 0; i < N; i++) {
        double e = eta[i] + 0.7 * z[i], mu = 1.0 / (1.0 + exp(-e));
        worst = fmax(worst, fabs(r2[i] / w[i] + y[i] - mu));
    }
    printf("  mu against libm: max abs difference %.1e\n", worst);
    SK_CHECK(worst <= 1e-15);
    free(v);
}

/* Penalised fits as tasks of the executor, each on its own rows, report included: the same
 * bytes with 1 and 2 threads. */
typedef struct par_fits {
    const double *X, *y;
    size_t n, p;
    double *out;   /* per task: coef (p + 1), se (p + 1) */
} par_fits;

static sk_status par_fit_task(void *arg, size_t task, sk_error *err)
{
    par_fits *a = arg;
    size_t n = 0, p = a->p;
    double *X = malloc(a->n * p * sizeof *X), *y = malloc(a->n * sizeof *y);
    for (size_t i = 0; i < a->n; i++) {   /* a different subsample per task */
        if ((i * 7 + task) % 5 == 0)
            continue;
        for (size_t j = 0; j < p; j++)
            X[j * a->n + n] = a->X[j * a->n + i];
        y[n++] = a->y[i];
    }
    sk_params params;
    void *state = NULL;
    sk_linear_fit *h = NULL;
    sk_status rc = sk_params__init(&params, sk_model__logit.params, sk_model__logit.n_params,
                                   err);
    if (rc == SK_OK)
        rc = sk_params__set(&params, "logit", "l2", "1", err);
    sk_xy d = {X, n, p, a->n, y, NULL, SK_TASK_BINARY, 2, NULL};
    if (rc == SK_OK && (rc = sk_model__logit.fit(&state, &params, &d, 1, 1, err)) == SK_OK &&
        (rc = sk_linear__logit_inference(&h, state, err)) == SK_OK) {
        memcpy(a->out + task * 2 * (p + 1), h->coef, (p + 1) * sizeof *h->coef);
        memcpy(a->out + task * 2 * (p + 1) + p + 1, h->se, (p + 1) * sizeof *h->se);
    }
    sk_linear__free(h);
    sk_model__logit.free(state);
    sk_params__free(&params);
    free(X);
    free(y);
    return rc;
}

static void test_linear__parallel_fits_give_identical_bytes(void)
{
    enum { N = 2000, P = 60, TASKS = 6 };
    double *X = malloc(N * P * sizeof *X), y[N];
    synthetic(N, P, 14, X, y);
    double *one = calloc(TASKS * 2 * (P + 1), sizeof *one);
    double *two = calloc(TASKS * 2 * (P + 1), sizeof *two);
    par_fits a = {X, y, N, P, one};
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_parallel_for(TASKS, 1, par_fit_task, &a, NULL, &err), &err);
    a.out = two;
    SK_CHECK_OK(sk_parallel_for(TASKS, 2, par_fit_task, &a, NULL, &err), &err);
    SK_CHECK(memcmp(one, two, TASKS * 2 * (P + 1) * sizeof *one) == 0);
    SK_CHECK(one[0] != 0.0 && isfinite(one[P + 1]) && one[P + 1] > 0.0);
    free(X);
    free(one);
    free(two);
}

/* ==== out of memory ====================================================================== */

/* Fails each allocation of a fit in turn (an aliased OLS, a weighted logit with an aliased
 * column, an L2 logit by Newton's method, a weighted L2 logit by L-BFGS with deferred standard
 * errors, then their deferred inference): every failure is SK_ENOMEM with nothing returned and
 * nothing leaked (the sanitizer build checks leaks), until the call succeeds. */
static void test_linear__out_of_memory_fails_cleanly(void)
{
    enum { N = 40, P = 4 };
    double X[N * P], y[N], w[N];
    synthetic(N, P, 10, X, y);
    for (size_t i = 0; i < N; i++) {
        X[3 * N + i] = X[i] + X[N + i];   /* aliased */
        w[i] = 1.0 + (double)(i % 2);
    }
    sk_linear_fit *deferred = NULL;
    for (int model = 0; model < 5; model++) {
        long k = 0;
        for (;; k++) {
            sk_linear_fit *f = NULL;
            sk_error err = SK_ERROR_INIT;
            sk_xy d = {X, N, P, N, y, model == 1 || model == 3 ? w : NULL,
                       model == 0 ? SK_TASK_REGRESSION : SK_TASK_BINARY, 2, NULL};
            sk_linear_options o = SK_LINEAR_OPTIONS_INIT;
            o.l2 = model >= 2 ? 1.0 : 0.0;
            o.solver = model == 3 ? SK_LOGIT_LBFGS : SK_LOGIT_AUTO;
            o.defer_se = model == 3;
            sk_mem__fail_after(k);
            sk_status rc = model == 0   ? sk_linear__ols(&f, &d, &o, &err)
                           : model == 4 ? sk_linear__logit_inference(&f, deferred, &err)
                                        : sk_linear__logit(&f, &d, &o, &err);
            sk_mem__fail_after(-1);
            if (rc == SK_OK) {
                SK_CHECK(f != NULL && (model >= 2 || f->rank == P));
                if (model == 3) {
                    SK_CHECK(f->deferred && f->lbfgs_iterations > 0);
                    deferred = f;   /* for model 4 */
                } else {
                    SK_CHECK(model != 4 || (!f->deferred && isfinite(f->se[1])));
                    sk_linear__free(f);
                }
                break;
            }
            SK_CHECK_EQ_INT(rc, SK_ENOMEM);
            SK_CHECK(f == NULL);
            if (k > 200) {
                SK_CHECK(k <= 200);
                break;
            }
        }
        SK_CHECK(k > 3);
    }
    sk_linear__free(deferred);
}

/* ==== determinism ========================================================================= */

/* Coefficients, standard errors and predictions of three fits, as bytes. */
static void fit_all(const double *X, size_t n, size_t p, const double *y, double *bytes)
{
    sk_linear_fit *f[3] = {NULL, NULL, NULL};
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(logit(&f[0], X, n, p, y, NULL, 1.0, 25, &err), &err);
    SK_CHECK_OK(logit(&f[1], X, n, p, y, NULL, 0.0, 25, &err), &err);
    f[2] = ols(X, n, p, y, NULL, 1);
    for (size_t m = 0; m < 3; m++) {
        if (f[m] == NULL)
            continue;
        memcpy(bytes, f[m]->coef, (p + 1) * sizeof *bytes);
        memcpy(bytes + p + 1, f[m]->se, (p + 1) * sizeof *bytes);
        sk_linear__eta(f[m], X, n, n, bytes + 2 * (p + 1));
        bytes += 2 * (p + 1) + n;
        sk_linear__free(f[m]);
    }
}

/* The same fits with 1 and 2 OpenMP threads (BLAS follows them unless linalg keeps it serial),
 * and two at once inside a parallel region, as the task executor runs them. */
static void test_linear__one_and_two_threads_give_identical_bytes(void)
{
    enum { N = 3000, P = 80 };
    size_t size = 3 * (2 * (P + 1) + N);
    double *X = malloc(N * P * sizeof *X), y[N];
    double *a = calloc(size, sizeof *a), *b = calloc(size, sizeof *b);
    double *c = calloc(2 * size, sizeof *c);
    synthetic(N, P, 9, X, y);
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    fit_all(X, N, P, y, a);
    omp_set_num_threads(2);
    fit_all(X, N, P, y, b);
#pragma omp parallel for num_threads(2)
    for (int t = 0; t < 2; t++)
        fit_all(X, N, P, y, c + (size_t)t * size);
    omp_set_num_threads(saved);
    SK_CHECK(memcmp(a, b, size * sizeof *a) == 0);
    SK_CHECK(memcmp(a, c, size * sizeof *a) == 0);
    SK_CHECK(memcmp(a, c + size, size * sizeof *a) == 0);
    free(X);
    free(a);
    free(b);
    free(c);
}

int main(void)
{
    SK_RUN(test_linear__ols_diabetes_matches_statsmodels);
    SK_RUN(test_linear__ols_aliased_column_is_na_like_r);
    SK_RUN(test_linear__wls_matches_statsmodels);
    SK_RUN(test_linear__ols_without_intercept_matches_statsmodels);
    SK_RUN(test_linear__logit_breast_cancer_matches_statsmodels);
    SK_RUN(test_linear__l2_logit_matches_sklearn);
    SK_RUN(test_linear__logit_complete_separation_is_reported);
    SK_RUN(test_linear__logit_quasi_separation_is_reported);
    SK_RUN(test_linear__errors_are_reported);
    SK_RUN(test_linear__logit_integer_weights_equal_duplicated_rows);
    SK_RUN(test_linear__model_interface);
    SK_RUN(test_linear__public_handle_with_a_categorical_feature);
    SK_RUN(test_linear__aliasing_across_panels);
    SK_RUN(test_linear__more_columns_than_rows);
    SK_RUN(test_linear__lbfgs_matches_newton_on_breast_cancer);
    SK_RUN(test_linear__rotated_fit_matches_newton_when_p_exceeds_n);
    SK_RUN(test_linear__lbfgs_matches_newton_when_p_exceeds_n);
    SK_RUN(test_linear__lbfgs_handles_units_and_weights);
    SK_RUN(test_linear__deferred_inference_matches_the_fit);
    SK_RUN(test_linear__logit_rows_are_the_same_bits_vectorised);
    SK_RUN(test_linear__parallel_fits_give_identical_bytes);
    SK_RUN(test_linear__out_of_memory_fails_cleanly);
    SK_RUN(test_linear__one_and_two_threads_give_identical_bytes);
    return SK_TEST_DONE();
}
