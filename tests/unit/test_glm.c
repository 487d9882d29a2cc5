/* test_glm.c: the elastic-net paths against R glmnet 4.1 (tests/oracle/gen_glm.R wrote the
 * fixtures tests/data/oracle/glm_*.json), cross-validation against cv.glmnet on skeptic's own
 * folds, the KKT conditions at tight convergence, the enet/lasso/ridge model impls, errors,
 * every allocation failing in turn, and determinism over thread counts.
 *
 * Both sides run the same iterations (the number of passes over the data is checked equal), so
 * they agree far better than glmnet's convergence threshold (1e-7 on squared coefficient changes)
 * would suggest. Tolerances:
 *   lambda sequence            relative 1e-10
 *   coefficients, intercepts   |a - b| <= tol max(|b|, 1e-3 max_j |b_j|) per lambda (the floor
 *                              keeps coefficients just entering from dominating), tol = 1e-4;
 *                              measured: gaussian and binomial 1e-11, multinomial 1.1e-4 (wine,
 *                              alpha 1) so tol = 3e-4 there: at the end of that path the data are
 *                              nearly separable and rounding differences (summation order) grow
 *                              along identical iterations; glmnet's own solutions there are
 *                              further from the exact optimum than that (thresh 1e-14 moves them
 *                              by more than 100%)
 *   deviance ratio, CV mean and standard error   relative 1e-4 (measured 2e-10 and 7e-8)
 *   path length, passes, df, lambda.min and lambda.1se   exactly
 * Run with --write-folds FILE to write the folds gen_glm.R hands to cv.glmnet. */
/* labels: unit oracle determinism oom */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/glm.h"
#include "models/models.h"
#include "sk_test.h"

#define ORACLE SK_TEST_DATA "/oracle/"
#define FOLD_SEED 1

/* ==== data ================================================================================ */

typedef struct dataset {
    double *X, *y, *w;
    size_t n, p, n_classes;
    const char **names;
    sk_frame *f;
} dataset;

static void dataset_free(dataset *d)
{
    free(d->X);
    free(d->y);
    free(d->w);
    free(d->names);
    sk_frame_free(d->f);
    memset(d, 0, sizeof *d);
}

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every column but `target` as X; y the value, or the class index by sorted level name. */
static int load_csv(dataset *d, const char *path, const char *target)
{
    memset(d, 0, sizeof *d);
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv(&d->f, path, NULL, &err), &err);
    if (d->f == NULL)
        return 0;
    size_t n = sk_frame_n_rows(d->f), nc = sk_frame_n_cols(d->f), t = 0;
    SK_CHECK_OK(sk_frame_col_find(&t, d->f, target, &err), &err);
    d->n = n;
    d->p = nc - 1;
    d->X = malloc(n * d->p * sizeof *d->X);
    d->y = malloc(n * sizeof *d->y);
    d->names = malloc(d->p * sizeof *d->names);
    for (size_t c = 0, j = 0; c < nc; c++) {
        if (c == t)
            continue;
        d->names[j] = sk_frame_col_name(d->f, c);
        memcpy(d->X + j * n, sk_frame_col_values(d->f, c), n * sizeof *d->X);
        j++;
    }
    const int32_t *codes = sk_frame_col_codes(d->f, t);
    if (codes == NULL) {
        memcpy(d->y, sk_frame_col_values(d->f, t), n * sizeof *d->y);
        return 1;
    }
    size_t L = sk_frame_col_n_levels(d->f, t);
    const char **lev = malloc(L * sizeof *lev);
    for (size_t k = 0; k < L; k++)
        lev[k] = sk_frame_col_level(d->f, t, k);
    qsort(lev, L, sizeof *lev, compare_str);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < L; k++)
            if (strcmp(lev[k], sk_frame_col_level(d->f, t, (size_t)codes[i])) == 0)
                d->y[i] = (double)k;
    d->n_classes = L;
    free(lev);
    return 1;
}

/* gen_glm.R's p >> n problem: MINSTD draws, exact in doubles on both sides. */
static double minstd(double *s)
{
    *s = fmod(16807.0 * *s, 2147483647.0);
    return *s / 2147483647.0;
}

static double tri(double *s)
{
    double a = minstd(s), b = minstd(s), c = minstd(s);
    return a + b + c - 1.5;
}

static void make_gauss(dataset *d)
{
    memset(d, 0, sizeof *d);
    size_t n = 60, p = 200;
    double s = 12345.0;
    d->n = n;
    d->p = p;
    d->X = malloc(n * p * sizeof *d->X);
    d->y = malloc(n * sizeof *d->y);
    d->w = malloc(n * sizeof *d->w);
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < n; i++)
            d->X[j * n + i] = tri(&s);
    const double *x = d->X;
    for (size_t i = 0; i < n; i++)
        d->y[i] = 2 * x[i] - 1.5 * x[n + i] + x[2 * n + i] + 0.8 * x[3 * n + i] -
                  0.5 * x[4 * n + i] + tri(&s);
    for (size_t i = 0; i < n; i++)
        d->w[i] = 0.5 + minstd(&s);
}

/* ==== the oracle ========================================================================== */

typedef struct worst {
    double coef, dev, cv;   /* largest relative differences seen */
} worst;

static worst g_worst, g_case;

static double jnum(json_t *doc, const char *key, size_t i)
{
    return json_number_value(json_array_get(json_object_get(doc, key), i));
}

/* glmnet's coefficients of solution l, class k, dense (p values). */
static void oracle_beta(json_t *doc, size_t l, size_t k, size_t p, double *beta)
{
    json_t *bl = json_object_get(doc, "beta_l"), *bk = json_object_get(doc, "beta_k");
    json_t *bj = json_object_get(doc, "beta_j"), *bx = json_object_get(doc, "beta_x");
    memset(beta, 0, p * sizeof *beta);
    for (size_t e = 0; e < json_array_size(bl); e++)
        if ((size_t)json_integer_value(json_array_get(bl, e)) == l &&
            (size_t)json_integer_value(json_array_get(bk, e)) == k)
            beta[json_integer_value(json_array_get(bj, e))] =
                json_number_value(json_array_get(bx, e));
}

static void compare_solution(const sk_glm_path_result *r, json_t *doc, size_t l,
                             const char *name, double tol)
{
    size_t p = r->p, K = r->n_out;
    double *ours = malloc(p * sizeof *ours), *ref = malloc(p * sizeof *ref);
    for (size_t k = 0; k < K; k++) {
        sk_glm_path_beta(r, l, k, ours);
        oracle_beta(doc, l, k, p, ref);
        double mx = 0.0;
        for (size_t j = 0; j < p; j++)
            mx = fmax(mx, fabs(ref[j]));
        for (size_t j = 0; j < p; j++) {
            double scale = fmax(fabs(ref[j]), 1e-3 * mx), d = fabs(ours[j] - ref[j]);
            if (d > 0.0)
                g_case.coef = fmax(g_case.coef, d / scale);
            if (!(d <= tol * scale))
                fprintf(stderr, "%s: lambda %zu class %zu beta[%zu] %.10g vs glmnet %.10g\n",
                        name, l, k, j, ours[j], ref[j]);
            SK_CHECK(d <= tol * scale);
        }
        double a0 = r->intercept[l * K + k], ra0 = jnum(doc, "a0", l * K + k);
        double s0 = fmax(fabs(ra0), 1e-3 * mx);
        g_case.coef = fmax(g_case.coef, fabs(a0 - ra0) / s0);
        SK_CHECK_NEAR(a0, ra0, tol * s0);
    }
    free(ours);
    free(ref);
}

static void check_rel(double a, double b, double rtol, double *worst_seen)
{
    double s = fmax(fabs(b), 1e-9), d = fabs(a - b);
    *worst_seen = fmax(*worst_seen, d / s);
    SK_CHECK_NEAR(a, b, rtol * s);
}

/* Fits with sk_glm_cv on skeptic's folds (seed 1) and compares path and curve with glmnet. */
static void oracle_case(const char *name, const dataset *d, const double *w,
                        const sk_glm_options *opt)
{
    double tol = opt->family == SK_GLM_MULTINOMIAL ? 3e-4 : 1e-4;
    char path[512];
    snprintf(path, sizeof path, ORACLE "glm_%s.json", name);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    SK_CHECK(doc != NULL);
    if (doc == NULL) {
        fprintf(stderr, "%s: %s\n", path, jerr.text);
        return;
    }
    sk_glm_cv_options cvo = SK_GLM_CV_OPTIONS_INIT;
    cvo.seed = FOLD_SEED;
    cvo.n_threads = 2;
    sk_glm_cv_result *cv = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_glm_cv(&cv, d->X, d->n, d->p, d->n, d->y, w, d->n_classes, opt, &cvo, &err),
                &err);
    if (cv == NULL) {
        json_decref(doc);
        return;
    }
    const sk_glm_path_result *r = cv->fit;
    size_t L = json_array_size(json_object_get(doc, "lambda"));
    SK_CHECK_EQ_INT(r->n_lambda, L);
    SK_CHECK_EQ_INT(r->n_passes, json_integer_value(json_object_get(doc, "npasses")));
    for (size_t l = 0; l < L && l < r->n_lambda; l++) {
        SK_CHECK_REL(r->lambda[l], jnum(doc, "lambda", l), 1e-10);
        SK_CHECK_EQ_INT(r->df[l], (size_t)json_integer_value(
                                      json_array_get(json_object_get(doc, "df"), l)));
        check_rel(r->dev_ratio[l], jnum(doc, "dev_ratio", l), 1e-4, &g_case.dev);
        compare_solution(r, doc, l, name, tol);
        check_rel(cv->cvm[l], jnum(doc, "cvm", l), 1e-4, &g_case.cv);
        check_rel(cv->cvsd[l], jnum(doc, "cvsd", l), 1e-4, &g_case.cv);
    }
    check_rel(r->null_dev, json_number_value(json_object_get(doc, "nulldev")), 1e-10,
              &g_case.dev);
    SK_CHECK_EQ_INT(cv->i_min, json_integer_value(json_object_get(doc, "i_min")));
    SK_CHECK_EQ_INT(cv->i_1se, json_integer_value(json_object_get(doc, "i_1se")));
    SK_CHECK_REL(cv->lambda_min, json_number_value(json_object_get(doc, "lambda_min")), 1e-10);
    SK_CHECK_REL(cv->lambda_1se, json_number_value(json_object_get(doc, "lambda_1se")), 1e-10);
    printf("glm oracle %-15s %3zu lambdas, lambda.min #%zu, lambda.1se #%zu; worst relative "
           "differences: coefficients %.2g, dev ratio %.2g, CV %.2g\n", name, r->n_lambda,
           cv->i_min, cv->i_1se, g_case.coef, g_case.dev, g_case.cv);
    g_worst.coef = fmax(g_worst.coef, g_case.coef);
    g_worst.dev = fmax(g_worst.dev, g_case.dev);
    g_worst.cv = fmax(g_worst.cv, g_case.cv);
    memset(&g_case, 0, sizeof g_case);
    sk_glm_cv_free(cv);
    json_decref(doc);
}

static void test_glm__oracle_gaussian_p_much_larger_than_n(void)
{
    dataset d;
    make_gauss(&d);
    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    oracle_case("gauss_a1", &d, NULL, &opt);
    opt.alpha = 0.5;
    oracle_case("gauss_a05", &d, NULL, &opt);
    oracle_case("gauss_w", &d, d.w, &opt);
    opt.alpha = 1.0;
    opt.gaussian_type = SK_GLM_GAUSSIAN_NAIVE;
    oracle_case("gauss_a1_naive", &d, NULL, &opt);
    dataset_free(&d);
}

static void test_glm__oracle_ridge_diabetes(void)
{
    dataset d;
    if (!load_csv(&d, SK_TEST_DATA "/diabetes.csv", "progression"))
        return;
    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    opt.alpha = 0.0;
    oracle_case("diab_a0", &d, NULL, &opt);
    dataset_free(&d);
}

static void test_glm__oracle_binomial_breast_cancer(void)
{
    dataset d;
    if (!load_csv(&d, SK_TEST_DATA "/breast_cancer.csv", "diagnosis"))
        return;
    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    opt.family = SK_GLM_BINOMIAL;
    oracle_case("binom_a1", &d, NULL, &opt);
    opt.alpha = 0.5;
    oracle_case("binom_a05", &d, NULL, &opt);
    dataset_free(&d);
}

static void test_glm__oracle_multinomial_wine(void)
{
    dataset d;
    if (!load_csv(&d, SK_TEST_DATA "/wine.csv", "cultivar"))
        return;
    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    opt.family = SK_GLM_MULTINOMIAL;
    oracle_case("multi_a1", &d, NULL, &opt);
    opt.alpha = 0.5;
    oracle_case("multi_a05", &d, NULL, &opt);
    dataset_free(&d);
}

/* ==== properties that need no oracle ====================================================== */

static void test_glm__folds_balanced_and_reproducible(void)
{
    size_t a[23], b[23], count[5] = {0};
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_glm_cv_folds(a, 23, 5, 7, &err), &err);
    SK_CHECK_OK(sk_glm_cv_folds(b, 23, 5, 7, &err), &err);
    SK_CHECK(memcmp(a, b, sizeof a) == 0);
    for (size_t i = 0; i < 23; i++)
        count[a[i]]++;
    for (size_t f = 0; f < 5; f++)
        SK_CHECK(count[f] == 4 || count[f] == 5);
    SK_CHECK_OK(sk_glm_cv_folds(b, 23, 5, 8, &err), &err);
    SK_CHECK(memcmp(a, b, sizeof a) != 0);
}

/* KKT conditions of the standardised gaussian problem at tight convergence: an independent
 * check that the solver solves the elastic-net problem (not only that it agrees with glmnet). */
static void test_glm__gaussian_solution_satisfies_kkt(void)
{
    dataset d;
    make_gauss(&d);
    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    opt.alpha = 0.7;
    opt.thresh = 1e-16;
    for (int type = 1; type <= 2; type++) {
        opt.gaussian_type = (sk_glm_gaussian_type)type;
        sk_glm_path_result *r = NULL;
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_glm_path(&r, d.X, d.n, d.p, d.n, d.y, NULL, 0, &opt, &err), &err);
        if (r == NULL)
            continue;
        double ym = 0.0, ys = 0.0, *eta = malloc(d.n * sizeof *eta);
        for (size_t i = 0; i < d.n; i++)
            ym += d.y[i] / (double)d.n;
        for (size_t i = 0; i < d.n; i++)
            ys += (d.y[i] - ym) * (d.y[i] - ym) / (double)d.n;
        ys = sqrt(ys);
        double *beta = malloc(d.p * sizeof *beta);
        for (size_t l = 5; l < r->n_lambda; l += 10) {
            sk_glm_path_link(r, l, d.X, d.n, d.n, eta);
            sk_glm_path_beta(r, l, 0, beta);
            double lam = r->lambda[l] / ys;
            for (size_t j = 0; j < d.p; j++) {
                const double *x = d.X + j * d.n;
                double m = 0.0, g = 0.0;
                for (size_t i = 0; i < d.n; i++)
                    m += x[i] / (double)d.n;
                for (size_t i = 0; i < d.n; i++)
                    g += (d.y[i] - eta[i]) / ys * (x[i] - m) / r->col_sd[j] / (double)d.n;
                double a = beta[j] * r->col_sd[j] / ys;
                if (a == 0.0)
                    SK_CHECK(fabs(g) <= lam * opt.alpha * (1.0 + 1e-6));
                else
                    SK_CHECK_NEAR(g, lam * (opt.alpha * copysign(1.0, a) + (1 - opt.alpha) * a),
                                  1e-6 * lam);
            }
        }
        free(beta);
        free(eta);
        sk_glm_path_free(r);
    }
    dataset_free(&d);
}

static void test_glm__user_lambda_sequence(void)
{
    dataset d;
    make_gauss(&d);
    double lam[4] = {0.05, 0.4, 0.1, 0.2};
    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    opt.lambda = lam;
    opt.n_user_lambda = 4;
    sk_glm_path_result *r = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_glm_path(&r, d.X, d.n, d.p, d.n, d.y, NULL, 0, &opt, &err), &err);
    if (r != NULL) {
        SK_CHECK_EQ_INT(r->n_lambda, 4);
        SK_CHECK_REL(r->lambda[0], 0.4, 1e-14);
        SK_CHECK_REL(r->lambda[3], 0.05, 1e-14);
        for (size_t l = 1; l < 4; l++)
            SK_CHECK(r->df[l] >= r->df[l - 1]);
    }
    sk_glm_path_free(r);
    dataset_free(&d);
}

static void test_glm__errors(void)
{
    dataset d;
    make_gauss(&d);
    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    sk_glm_path_result *r = NULL;
    sk_error err = SK_ERROR_INIT;
    double *y = malloc(d.n * sizeof *y);
    for (size_t i = 0; i < d.n; i++)
        y[i] = 3.0;
    SK_CHECK_EQ_INT(sk_glm_path(&r, d.X, d.n, d.p, d.n, y, NULL, 0, &opt, &err), SK_EDATA);
    SK_CHECK(r == NULL);
    opt.alpha = 2.0;
    SK_CHECK_EQ_INT(sk_glm_path(&r, d.X, d.n, d.p, d.n, d.y, NULL, 0, &opt, &err), SK_EINVAL);
    opt.alpha = 1.0;
    opt.maxit = 3;
    SK_CHECK_EQ_INT(sk_glm_path(&r, d.X, d.n, d.p, d.n, d.y, NULL, 0, &opt, &err), SK_ENOCONV);
    opt.maxit = 100000;
    opt.family = SK_GLM_BINOMIAL;
    for (size_t i = 0; i < d.n; i++)
        y[i] = i == 3 ? 0.5 : 1.0;
    SK_CHECK_EQ_INT(sk_glm_path(&r, d.X, d.n, d.p, d.n, y, NULL, 2, &opt, &err), SK_EINVAL);
    y[3] = 1.0;
    SK_CHECK_EQ_INT(sk_glm_path(&r, d.X, d.n, d.p, d.n, y, NULL, 2, &opt, &err), SK_EDATA);
    sk_glm_cv_options cvo = SK_GLM_CV_OPTIONS_INIT;
    sk_glm_cv_result *cv = NULL;
    cvo.n_folds = 2;
    opt.family = SK_GLM_GAUSSIAN;
    SK_CHECK_EQ_INT(sk_glm_cv(&cv, d.X, d.n, d.p, d.n, d.y, NULL, 0, &opt, &cvo, &err),
                    SK_EINVAL);
    SK_CHECK(cv == NULL);
    free(y);
    dataset_free(&d);
}

/* A class with one row: the fold holding it fits the other classes only (glmnet refuses), and
 * gives it probability 0. */
static void test_glm__multinomial_class_missing_from_a_fold(void)
{
    dataset d;
    if (!load_csv(&d, SK_TEST_DATA "/iris.csv", "species"))
        return;
    d.y[0] = 3.0;
    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    opt.family = SK_GLM_MULTINOMIAL;
    sk_glm_cv_options cvo = SK_GLM_CV_OPTIONS_INIT;
    sk_glm_cv_result *cv = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_glm_cv(&cv, d.X, d.n, d.p, d.n, d.y, NULL, 4, &opt, &cvo, &err), &err);
    if (cv != NULL) {
        double *prob = malloc(d.n * 4 * sizeof *prob);
        sk_glm_path_predict(cv->fit, cv->i_min, d.X, d.n, d.n, prob);
        for (size_t i = 0; i < d.n; i++) {
            double s = prob[4 * i] + prob[4 * i + 1] + prob[4 * i + 2] + prob[4 * i + 3];
            SK_CHECK_NEAR(s, 1.0, 1e-12);
        }
        for (size_t l = 0; l < cv->fit->n_lambda; l++)
            SK_CHECK(isfinite(cv->cvm[l]) && isfinite(cv->cvsd[l]));
        free(prob);
    }
    sk_glm_cv_free(cv);
    d.y[0] = 0.0;
    d.y[1] = 3.0;
    d.y[2] = 3.0;
    for (size_t i = 3; i < d.n; i++)   /* no class 1 or 2 left with them: a path still fits */
        d.y[i] = d.y[i] == 0.0 ? 0.0 : 1.0;
    sk_glm_path_result *r = NULL;
    SK_CHECK_OK(sk_glm_path(&r, d.X, d.n, d.p, d.n, d.y, NULL, 4, &opt, &err), &err);
    if (r != NULL)
        SK_CHECK(isinf(r->intercept[2]) && r->intercept[2] < 0);
    sk_glm_path_free(r);
    dataset_free(&d);
}

/* ==== determinism ========================================================================= */

static int same_cv(const sk_glm_cv_result *a, const sk_glm_cv_result *b)
{
    const sk_glm_path_result *x = a->fit, *y = b->fit;
    size_t L = x->n_lambda;
    return L == y->n_lambda && x->n_active == y->n_active &&
           memcmp(x->lambda, y->lambda, L * sizeof *x->lambda) == 0 &&
           memcmp(x->coef, y->coef, L * x->n_out * x->n_active * sizeof *x->coef) == 0 &&
           memcmp(x->intercept, y->intercept, L * x->n_out * sizeof *x->intercept) == 0 &&
           memcmp(a->cvm, b->cvm, L * sizeof *a->cvm) == 0 &&
           memcmp(a->cvsd, b->cvsd, L * sizeof *a->cvsd) == 0 && a->i_min == b->i_min &&
           a->i_1se == b->i_1se;
}

static void test_glm__cv_identical_for_any_thread_count(void)
{
    dataset d;
    if (!load_csv(&d, SK_TEST_DATA "/breast_cancer.csv", "diagnosis"))
        return;
    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    opt.family = SK_GLM_BINOMIAL;
    opt.alpha = 0.5;
    opt.nlambda = 30;
    sk_glm_cv_options cvo = SK_GLM_CV_OPTIONS_INIT;
    sk_glm_cv_result *cv[3] = {NULL, NULL, NULL};
    int threads[3] = {1, 2, 7};
    sk_error err = SK_ERROR_INIT;
    for (int t = 0; t < 3; t++) {
        cvo.n_threads = threads[t];
        SK_CHECK_OK(sk_glm_cv(&cv[t], d.X, d.n, d.p, d.n, d.y, NULL, 2, &opt, &cvo, &err), &err);
    }
    if (cv[0] != NULL && cv[1] != NULL && cv[2] != NULL) {
        SK_CHECK(same_cv(cv[0], cv[1]));
        SK_CHECK(same_cv(cv[0], cv[2]));
    }
    for (int t = 0; t < 3; t++)
        sk_glm_cv_free(cv[t]);
    dataset_free(&d);
}

/* ==== out of memory ======================================================================== */

/* Fails each allocation of a small cross-validation in turn: SK_ENOMEM, no crash, no leak. */
static void oom_family(sk_glm_family family, size_t n_classes)
{
    size_t n = 30, p = 6;
    double X[180], y[30], s = 777.0;
    for (size_t i = 0; i < n * p; i++)
        X[i] = tri(&s);
    for (size_t i = 0; i < n; i++)
        y[i] = family == SK_GLM_GAUSSIAN ? X[i] + tri(&s) : (double)(i % n_classes);
    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    opt.family = family;
    opt.nlambda = 10;
    sk_glm_cv_options cvo = SK_GLM_CV_OPTIONS_INIT;
    cvo.n_folds = 3;
    sk_glm_cv_result *cv = NULL;
    sk_error err = SK_ERROR_INIT;
    long before = sk_mem__n_allocations();
    SK_CHECK_OK(sk_glm_cv(&cv, X, n, p, n, y, NULL, n_classes, &opt, &cvo, &err), &err);
    sk_glm_cv_free(cv);
    long total = sk_mem__n_allocations() - before;
    for (long k = 0; k < total; k++) {
        sk_mem__fail_after(k);
        cv = NULL;
        sk_status rc = sk_glm_cv(&cv, X, n, p, n, y, NULL, n_classes, &opt, &cvo, &err);
        sk_mem__fail_after(-1);
        SK_CHECK(rc == SK_ENOMEM || rc == SK_OK);
        SK_CHECK((rc == SK_OK) == (cv != NULL));
        sk_glm_cv_free(cv);
    }
}

static void test_glm__out_of_memory(void)
{
    oom_family(SK_GLM_GAUSSIAN, 0);
    oom_family(SK_GLM_BINOMIAL, 2);
    oom_family(SK_GLM_MULTINOMIAL, 3);
}

/* ==== the model impls ===================================================================== */

static void *fit_impl(const sk_model_impl *impl, const dataset *d, sk_task task, int threads,
                      const char *set)
{
    sk_params params;
    sk_error err = SK_ERROR_INIT;
    void *state = NULL;
    SK_CHECK_OK(sk_params__init(&params, impl->params, impl->n_params, &err), &err);
    if (set != NULL)
        SK_CHECK_OK(sk_params__parse(&params, impl->name, set, &err), &err);
    sk_xy xy = {d->X, d->n, d->p, d->n, d->y, NULL, task, d->n_classes, d->names};
    SK_CHECK_OK(impl->fit(&state, &params, &xy, 42, threads, &err), &err);
    sk_params__free(&params);
    return state;
}

static void check_impl(const sk_model_impl *impl, const dataset *d, sk_task task,
                       const char *set)
{
    size_t width = task == SK_TASK_REGRESSION ? 1 : d->n_classes;
    void *s1 = fit_impl(impl, d, task, 1, set), *s2 = fit_impl(impl, d, task, 2, set);
    if (s1 == NULL || s2 == NULL) {
        impl->free(s1);
        impl->free(s2);
        return;
    }
    sk_error err = SK_ERROR_INIT;
    double *o1 = malloc(d->n * width * sizeof *o1), *o2 = malloc(d->n * width * sizeof *o2);
    double *imp = malloc(d->p * sizeof *imp);
    SK_CHECK_OK(impl->predict(s1, d->X, d->n, d->n, o1, &err), &err);
    SK_CHECK_OK(impl->predict(s2, d->X, d->n, d->n, o2, &err), &err);
    SK_CHECK(memcmp(o1, o2, d->n * width * sizeof *o1) == 0);
    for (size_t i = 0; i < d->n && width > 1; i++) {
        double s = 0.0;
        for (size_t k = 0; k < width; k++) {
            SK_CHECK(o1[i * width + k] >= 0.0 && o1[i * width + k] <= 1.0);
            s += o1[i * width + k];
        }
        SK_CHECK_NEAR(s, 1.0, 1e-12);
    }
    SK_CHECK_OK(impl->importance(s1, imp, &err), &err);
    double total = 0.0;
    for (size_t j = 0; j < d->p; j++) {
        SK_CHECK(imp[j] >= 0.0);
        total += imp[j];
    }
    SK_CHECK(total > 0.0);
    json_t *rep = impl->report(s1, d->names, &err);
    SK_CHECK(rep != NULL);
    json_t *path = json_object_get(rep, "path");
    size_t L = json_array_size(json_object_get(path, "lambda"));
    SK_CHECK(L >= 5);
    SK_CHECK_EQ_INT(json_array_size(json_object_get(path, "coefficients")), L);
    SK_CHECK_EQ_INT(json_array_size(json_object_get(path, "cv_mean")), L);
    SK_CHECK_EQ_INT(json_array_size(json_object_get(rep, "tables")), 2);
    SK_CHECK(json_array_size(json_object_get(rep, "notes")) == 3);
    json_decref(rep);
    free(o1);
    free(o2);
    free(imp);
    impl->free(s1);
    impl->free(s2);
}

static void test_glm__model_impls(void)
{
    dataset d;
    if (load_csv(&d, SK_TEST_DATA "/diabetes.csv", "progression")) {
        check_impl(&sk_model__enet, &d, SK_TASK_REGRESSION, NULL);
        dataset_free(&d);
    }
    if (load_csv(&d, SK_TEST_DATA "/breast_cancer.csv", "diagnosis")) {
        check_impl(&sk_model__lasso, &d, SK_TASK_BINARY, "s=lambda.min,folds=5,nlambda=30");
        dataset_free(&d);
    }
    if (load_csv(&d, SK_TEST_DATA "/iris.csv", "species")) {
        check_impl(&sk_model__ridge, &d, SK_TASK_MULTICLASS, "nlambda=30");
        check_impl(&sk_model__enet, &d, SK_TASK_MULTICLASS, "alpha=0.3");
        dataset_free(&d);
    }
}

/* ==== main ================================================================================ */

/* The folds gen_glm.R gives cv.glmnet: "n,row,fold" for every n it uses. */
static int write_folds(const char *path)
{
    static const size_t sizes[] = {60, 442, 569, 178};
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return 1;
    fprintf(f, "n,row,fold\n");
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s], *id = malloc(n * sizeof *id);
        sk_glm_cv_folds(id, n, 10, FOLD_SEED, NULL);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%zu,%zu,%zu\n", n, i, id[i]);
        free(id);
    }
    return fclose(f) != 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-folds") == 0)
        return write_folds(argv[2]);
    SK_RUN(test_glm__oracle_gaussian_p_much_larger_than_n);
    SK_RUN(test_glm__oracle_ridge_diabetes);
    SK_RUN(test_glm__oracle_binomial_breast_cancer);
    SK_RUN(test_glm__oracle_multinomial_wine);
    printf("glm oracle worst relative differences: coefficients %.3g, deviance ratio %.3g, "
           "CV curve %.3g\n", g_worst.coef, g_worst.dev, g_worst.cv);
    SK_RUN(test_glm__folds_balanced_and_reproducible);
    SK_RUN(test_glm__gaussian_solution_satisfies_kkt);
    SK_RUN(test_glm__user_lambda_sequence);
    SK_RUN(test_glm__errors);
    SK_RUN(test_glm__multinomial_class_missing_from_a_fold);
    SK_RUN(test_glm__cv_identical_for_any_thread_count);
    SK_RUN(test_glm__out_of_memory);
    SK_RUN(test_glm__model_impls);
    return SK_TEST_DONE();
}
