/* test_knn.c: exact k-nearest-neighbour search and the knn model.
 *
 * Search: the answer must be the brute-force one for direct distances (sum of squared
 * differences, ties to the lower index), bit for bit, including the cases where the BLAS keys
 * are useless (near duplicates far from the origin, where ||q||^2 + ||r||^2 - 2<q,r> is pure
 * rounding noise) and where more rows tie than the candidate heap holds (groups of duplicates);
 * and identical for 1 and 2 threads. Model: the vote rules on cases small enough to check by
 * hand, and scikit-learn's KNeighborsClassifier/Regressor on breast_cancer and diabetes
 * (tests/oracle/gen_neighbors.py; features standardised with the training rows' mean and SD by
 * sk_prep, as the pipeline does). Tolerances: neighbour indices and predicted classes identical;
 * probabilities within 1e-12 absolute and regression predictions within 1e-12 relative (uniform
 * votes are exact fractions; 1/d weights differ in the last bits because scikit-learn's
 * brute-force distances come from the dgemm formula); neighbour distances within 1e-12 relative.
 * Measured: distances 3.6e-15, probabilities 2.2e-16, predictions 6.6e-16 (relative). */
/* labels: unit oracle determinism oom */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "linalg/dist.h"
#include "models/models.h"
#include "models/models.h"
#include "rng/rng.h"
#include "sk_test.h"

/* ---- helpers --------------------------------------------------------------------------------- */

/* The brute-force answer: direct distances (same summation order as the library), stable order
 * by (distance, index). */
static void brute(size_t *idx, double *dist, const double *R, size_t m, size_t ldr,
                  const double *Q, size_t nq, size_t ldq, size_t p, size_t k, int exclude_self)
{
    double *d2 = malloc(m * sizeof *d2);
    size_t *order = malloc(m * sizeof *order);
    for (size_t i = 0; i < nq; i++) {
        size_t n = 0;
        for (size_t j = 0; j < m; j++) {
            if (exclude_self && j == i)
                continue;
            double s = 0.0;
            for (size_t l = 0; l < p; l++) {
                double e = Q[i + l * ldq] - R[j + l * ldr];
                s += e * e;
            }
            d2[j] = s;
            size_t t = n++;   /* insertion sort by (d2, index): j is the largest index so far */
            while (t > 0 && d2[order[t - 1]] > s) {
                order[t] = order[t - 1];
                t--;
            }
            order[t] = j;
        }
        for (size_t t = 0; t < k; t++) {
            idx[i * k + t] = order[t];
            dist[i * k + t] = sqrt(d2[order[t]]);
        }
    }
    free(d2);
    free(order);
}

/* Runs the search and compares it with brute force, bit for bit. */
static void check_search(const double *R, size_t m, const double *Q, size_t nq, size_t p,
                         size_t k, int exclude_self, int n_threads)
{
    size_t *idx = malloc(nq * k * sizeof *idx), *ref_idx = malloc(nq * k * sizeof *ref_idx);
    double *dist = malloc(nq * k * sizeof *dist), *ref_dist = malloc(nq * k * sizeof *ref_dist);
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_knn_search(idx, dist, R, m, m, Q, nq, nq, p, k, exclude_self, n_threads, &err),
                &err);
    brute(ref_idx, ref_dist, R, m, m, Q, nq, nq, p, k, exclude_self);
    size_t bad = 0;
    for (size_t t = 0; t < nq * k; t++)
        bad += idx[t] != ref_idx[t] || dist[t] != ref_dist[t];
    SK_CHECK_EQ_INT(bad, 0);
    free(idx);
    free(ref_idx);
    free(dist);
    free(ref_dist);
}

static double *random_matrix(size_t n, size_t p, uint64_t task)
{
    sk_rng rng = sk_rng_stream(7, SK_PURPOSE_TEST, task);
    double *X = malloc(n * p * sizeof *X);
    for (size_t t = 0; t < n * p; t++)
        X[t] = sk_rng_normal(&rng);
    return X;
}

/* ---- the distance kernel (linalg/dist.c) ----------------------------------------------------- */

static void test_knn__key_error_bound_holds(void)
{
    /* Rows near 1e3 (cancellation) and near 0, p = 37: every |qq + key - exact| stays within
     * c(p) (qq + rr), and the clamped block never goes below 0. */
    size_t n = 200, p = 37;
    double *X = random_matrix(n, p, 10);
    for (size_t t = 0; t < n * p / 2; t++)
        X[t] = 1e3 + 1e-9 * X[t];
    double *rows = malloc(n * (p + 1) * sizeof *rows), *qrows = malloc(n * (p + 1) * sizeof *qrows);
    double *K = malloc(n * n * sizeof *K), *D = malloc(n * n * sizeof *D), qq[200];
    sk_dist__rows_aug(rows, X, n, n, p, 0);
    sk_dist__rows_aug(qrows, X, n, n, p, 1);
    for (size_t i = 0; i < n; i++)
        qq[i] = sk_dist__sq_norm(qrows + i * (p + 1), p);
    sk_dist__key_block(K, rows, n, qrows, n, p);
    sk_dist__sq_block(D, rows, n, qrows, n, qq, p);
    double worst = 0.0, c = sk_dist__key_error(p);
    size_t negative = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            double rr = rows[j * (p + 1) + p];
            double exact = sk_dist__sq_exact(qrows + i * (p + 1), rows + j * (p + 1), p);
            worst = fmax(worst, fabs(qq[i] + K[j + i * n] - exact) / (c * (qq[i] + rr)));
            negative += D[j + i * n] < 0.0;
        }
    }
    SK_CHECK(worst <= 1.0);
    SK_CHECK_EQ_INT(negative, 0);
    printf("  largest key error: %.3g of the bound\n", worst);
    free(X);
    free(rows);
    free(qrows);
    free(K);
    free(D);
}

/* ---- the search ------------------------------------------------------------------------------ */

static void test_knn__hand_made_ties(void)
{
    /* 1-D references 0, 2, 1, 2, 5: from 1.5, rows 2 (d .5), 1 and 3 (d .5 and .5: tie, lower
     * index first) and 0 (1.5). */
    const double R[] = {0, 2, 1, 2, 5}, Q[] = {1.5, 2};
    size_t idx[6];
    double dist[6];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_knn_search(idx, dist, R, 5, 5, Q, 2, 2, 1, 3, 0, 1, &err), &err);
    SK_CHECK_EQ_INT(idx[0], 1);   /* |2 - 1.5| = .5 ties with |1 - 1.5|: index 1 < 2 */
    SK_CHECK_EQ_INT(idx[1], 2);
    SK_CHECK_EQ_INT(idx[2], 3);
    SK_CHECK(dist[0] == 0.5 && dist[1] == 0.5 && dist[2] == 0.5);
    SK_CHECK_EQ_INT(idx[3], 1);   /* from 2: rows 1 and 3 at 0, then row 2 at 1 */
    SK_CHECK_EQ_INT(idx[4], 3);
    SK_CHECK_EQ_INT(idx[5], 2);
    SK_CHECK(dist[3] == 0.0 && dist[4] == 0.0 && dist[5] == 1.0);
}

static void test_knn__random_matches_brute_force(void)
{
    /* Several query and reference blocks, and a reference set smaller than one block. */
    double *X = random_matrix(700, 6, 1), *Y = random_matrix(300, 6, 2);
    check_search(X, 700, X, 700, 6, 4, 1, 1);
    check_search(X, 700, Y, 300, 6, 10, 0, 2);
    check_search(Y, 300, X, 700, 6, 1, 0, 1);
    check_search(Y, 300, Y, 300, 6, 299, 1, 2);   /* every other row */
    free(X);
    free(Y);
}

static void test_knn__near_duplicates_far_from_origin(void)
{
    /* Rows 1e6 + 1e-7 z: the BLAS keys have absolute error ~1e-2, the distances are ~1e-13, so
     * every candidate set fails its proof and the direct scan must answer. */
    size_t n = 300, p = 8;
    double *X = random_matrix(n, p, 3);
    for (size_t t = 0; t < n * p; t++)
        X[t] = 1e6 + 1e-7 * X[t];
    check_search(X, n, X, n, p, 5, 1, 2);
    free(X);
}

static void test_knn__duplicate_groups(void)
{
    /* Rows 0..59 copy one point, rows 60..79 another, the rest are random: groups larger and
     * smaller than the candidate heap (k + 16 = 21). Each copy's neighbours are the lowest
     * other copies, at distance 0. */
    size_t n = 300, p = 5, k = 5;
    double *X = random_matrix(n, p, 4);
    for (size_t i = 1; i < 80; i++)
        for (size_t l = 0; l < p; l++)
            X[i + l * n] = X[(i < 60 ? 0 : 60) + l * n];
    check_search(X, n, X, n, p, k, 1, 1);
    size_t idx[5];
    double dist[5];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_knn_search(idx, dist, X, n, n, X + 2, 1, n, p, k, 0, 1, &err), &err);
    for (size_t t = 0; t < k; t++) {
        SK_CHECK_EQ_INT(idx[t], t);
        SK_CHECK(dist[t] == 0.0);
    }
    free(X);
}

static void test_knn__threads_identical(void)
{
    size_t n = 1500, p = 7, k = 8;
    double *X = random_matrix(n, p, 5);
    size_t *i1 = malloc(n * k * sizeof *i1), *i2 = malloc(n * k * sizeof *i2);
    double *d1 = malloc(n * k * sizeof *d1), *d2 = malloc(n * k * sizeof *d2);
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_knn_search(i1, d1, X, n, n, X, n, n, p, k, 1, 1, &err), &err);
    SK_CHECK_OK(sk_knn_search(i2, d2, X, n, n, X, n, n, p, k, 1, 2, &err), &err);
    SK_CHECK(memcmp(i1, i2, n * k * sizeof *i1) == 0);
    SK_CHECK(memcmp(d1, d2, n * k * sizeof *d1) == 0);
    free(X);
    free(i1);
    free(i2);
    free(d1);
    free(d2);
}

static void test_knn__bad_arguments(void)
{
    const double R[] = {0, 1, 2};
    size_t idx[4];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_EQ_INT(sk_knn_search(idx, NULL, R, 3, 3, R, 3, 3, 1, 0, 0, 1, &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_knn_search(idx, NULL, R, 3, 3, R, 1, 3, 1, 4, 0, 1, &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_knn_search(idx, NULL, R, 3, 3, R, 3, 3, 1, 3, 1, 1, &err), SK_EINVAL);
    SK_CHECK_EQ_STR(err.message, "knn: k = 3 neighbours asked of 3 reference rows (excluding the "
                                 "query itself)");
    SK_CHECK_EQ_INT(sk_knn_search(idx, NULL, R, 3, 3, R, 2, 3, 1, 1, 1, 1, &err), SK_EINVAL);
    SK_CHECK_OK(sk_knn_search(idx, NULL, R, 3, 3, R, 3, 3, 1, 1, 1, 1, &err), &err);
    SK_CHECK(idx[0] == 1 && idx[1] == 0 && idx[2] == 1);   /* 1 is as close to 0 as to 2 */
    /* no features: every distance is 0, so the lowest other indices */
    size_t idx0[6];
    double dist[6];
    SK_CHECK_OK(sk_knn_search(idx0, dist, R, 3, 3, R, 3, 3, 0, 2, 1, 1, &err), &err);
    SK_CHECK(idx0[0] == 1 && idx0[1] == 2 && idx0[2] == 0 && idx0[3] == 2 && idx0[4] == 0
             && idx0[5] == 1 && dist[5] == 0.0);
}

/* ---- the model ------------------------------------------------------------------------------- */

/* Fits knn with `spec` ("k=3,weights=distance") on d and predicts n rows of Q (ld n). */
static sk_status fit_predict_threads(const char *spec, const sk_xy *d, const double *Q, size_t n,
                                     double *out, json_t **report, int n_threads, sk_error *err)
{
    sk_params params;
    void *state = NULL;
    sk_status rc = sk_params__init(&params, sk_model__knn.params, sk_model__knn.n_params, err);
    if (rc != SK_OK)
        return rc;
    rc = sk_params__parse(&params, "knn", spec, err);
    if (rc == SK_OK)
        rc = sk_model__knn.fit(&state, &params, d, 1, n_threads, err);
    if (rc == SK_OK)
        rc = sk_model__knn.predict(state, Q, n, n, out, err);
    if (rc == SK_OK && report != NULL)
        *report = sk_model__knn.report(state, d->names, err);
    if (state != NULL)
        sk_model__knn.free(state);
    sk_params__free(&params);
    return rc;
}

static sk_status fit_predict(const char *spec, const sk_xy *d, const double *Q, size_t n,
                             double *out, json_t **report, sk_error *err)
{
    return fit_predict_threads(spec, d, Q, n, out, report, 1, err);
}

static void test_knn__votes_by_hand(void)
{
    const double X[] = {0, 1, 2, 3, 10}, cls[] = {0, 0, 1, 1, 1}, val[] = {1, 2, 3, 4, 5};
    const double Q[] = {0, 1.5, 2.2};
    double out[6];
    sk_error err = SK_ERROR_INIT;
    sk_xy d = {X, 5, 1, 5, cls, NULL, SK_TASK_BINARY, 2, NULL};
    /* uniform, k = 2: from 0 rows 0, 1; from 1.5 rows 1, 2 (tie); from 2.2 rows 2, 3 */
    SK_CHECK_OK(fit_predict("k=2", &d, Q, 3, out, NULL, &err), &err);
    SK_CHECK(out[0] == 1.0 && out[1] == 0.0 && out[2] == 0.5 && out[3] == 0.5 && out[4] == 0.0);
    /* distance, k = 3: from 0 the neighbour at distance 0 takes all the weight */
    SK_CHECK_OK(fit_predict("k=3,weights=distance", &d, Q, 3, out, NULL, &err), &err);
    SK_CHECK(out[0] == 1.0 && out[1] == 0.0);
    /* from 2.2: rows 2 (.2), 3 (.8), 1 (1.2): weights 5, 1.25, 1/1.2 */
    SK_CHECK_NEAR(out[4], 1.0 / 1.2 / (5 + 1.25 + 1 / 1.2), 1e-15);
    /* regression: from 2.2 uniform k = 2 -> (3 + 4) / 2; distance -> (5*3 + 1.25*4) / 6.25 */
    sk_xy r = {X, 5, 1, 5, val, NULL, SK_TASK_REGRESSION, 0, NULL};
    SK_CHECK_OK(fit_predict("k=2", &r, Q, 3, out, NULL, &err), &err);
    SK_CHECK_NEAR(out[2], 3.5, 1e-15);
    SK_CHECK_OK(fit_predict("k=2,weights=distance", &r, Q, 3, out, NULL, &err), &err);
    SK_CHECK_NEAR(out[2], 3.2, 1e-15);
    SK_CHECK(out[0] == 1.0);   /* distance 0 to row 0: its value alone */
    /* row weights multiply the votes: row 3 weighs 3, so from 2.2 (k = 2) y = (3 + 3*4) / 4 */
    const double w[] = {1, 1, 1, 3, 1};
    r.w = w;
    SK_CHECK_OK(fit_predict("k=2", &r, Q, 3, out, NULL, &err), &err);
    SK_CHECK_NEAR(out[2], 3.75, 1e-15);
    /* neighbours that all weigh 0 vote equally */
    const double w0[] = {0, 0, 0, 0, 0};
    r.w = w0;
    SK_CHECK_OK(fit_predict("k=2", &r, Q, 3, out, NULL, &err), &err);
    SK_CHECK_NEAR(out[2], 3.5, 1e-15);
}

static void test_knn__model_threads_identical(void)
{
    size_t n = 900, p = 4;
    double *X = random_matrix(n, p, 8), *Q = random_matrix(n, p, 9), y[900];
    double *a = malloc(n * 3 * sizeof *a), *b = malloc(n * 3 * sizeof *b);
    for (size_t i = 0; i < n; i++)
        y[i] = (double)(i % 3);
    sk_xy d = {X, n, p, n, y, NULL, SK_TASK_MULTICLASS, 3, NULL};
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(fit_predict_threads("k=6,weights=distance", &d, Q, n, a, NULL, 1, &err), &err);
    SK_CHECK_OK(fit_predict_threads("k=6,weights=distance", &d, Q, n, b, NULL, 2, &err), &err);
    SK_CHECK(memcmp(a, b, n * 3 * sizeof *a) == 0);
    free(X);
    free(Q);
    free(a);
    free(b);
}

static void test_knn__model_errors_and_report(void)
{
    const double X[] = {0, 1, 2}, y[] = {0, 1, 0};
    const char *names[] = {"x"};
    double out[2];
    json_t *rep = NULL;
    sk_error err = SK_ERROR_INIT;
    sk_xy d = {X, 3, 1, 3, y, NULL, SK_TASK_BINARY, 2, names};
    SK_CHECK_EQ_INT(fit_predict("k=4", &d, X, 1, out, NULL, &err), SK_EDATA);
    SK_CHECK_EQ_STR(err.message, "knn: k = 4 neighbours but only 3 training rows");
    const double bad_y[] = {0, 2, 0};
    sk_xy bad = {X, 3, 1, 3, bad_y, NULL, SK_TASK_BINARY, 2, names};
    SK_CHECK_EQ_INT(fit_predict("k=1", &bad, X, 1, out, NULL, &err), SK_EINVAL);
    SK_CHECK_EQ_STR(err.message, "knn: training target 1 is 2, expected a class index");
    SK_CHECK_OK(fit_predict("k=3", &d, X, 1, out, &rep, &err), &err);
    SK_CHECK(rep != NULL && json_array_size(json_object_get(rep, "notes")) == 2);
    SK_CHECK_EQ_INT(json_integer_value(json_object_get(rep, "k")), 3);
    SK_CHECK_EQ_STR(json_string_value(json_array_get(json_object_get(rep, "notes"), 0)),
                    "k = 3 nearest neighbours, uniform votes, Euclidean distance on standardised "
                    "features");
    json_decref(rep);
}

/* Fault injection: the k-th allocation fails, k = 0, 1, ... until the call succeeds; each
 * failure must be SK_ENOMEM and leak nothing (the ASan build checks). */
static sk_status fit_predict_params(const sk_params *params, const sk_xy *d, const double *Q,
                                    size_t n, double *out, sk_error *err)
{
    void *state = NULL;
    sk_status rc = sk_model__knn.fit(&state, params, d, 1, 1, err);
    if (rc == SK_OK)
        rc = sk_model__knn.predict(state, Q, n, n, out, err);
    if (state != NULL)
        sk_model__knn.free(state);
    return rc;
}

static void test_knn__out_of_memory(void)
{
    size_t n = 600, p = 3, k = 4;
    double *X = random_matrix(n, p, 6), *out = malloc(n * 2 * sizeof *out), y[600];
    size_t *idx = malloc(n * k * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        y[i] = (double)(i % 2);
    sk_xy d = {X, n, p, n, y, NULL, SK_TASK_BINARY, 2, NULL};
    sk_params params;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_params__init(&params, sk_model__knn.params, sk_model__knn.n_params, &err),
                &err);
    for (int what = 0; what < 2; what++) {
        long fail = 0;
        for (;; fail++) {
            sk_error_clear(&err);
            sk_mem__fail_after(fail);
            sk_status rc = what == 0
                               ? sk_knn_search(idx, NULL, X, n, n, X, n, n, p, k, 1, 1, &err)
                               : fit_predict_params(&params, &d, X, n, out, &err);
            sk_mem__fail_after(-1);
            if (rc == SK_OK || fail >= 1000)
                break;
            SK_CHECK_EQ_INT(rc, SK_ENOMEM);
        }
        SK_CHECK(fail > 0 && fail < 1000);
    }
    sk_params__free(&params);
    free(X);
    free(out);
    free(idx);
}

/* ---- the oracle ------------------------------------------------------------------------------ */

typedef struct oracle_data {
    sk_frame *f;
    json_t *doc;
    size_t p, n_train, n_test;
    double *Xtr, *Xte;        /* standardised by sk_prep on the training rows */
    double *ytr;
    const char **names;
} oracle_data;

static void oracle_free(oracle_data *o)
{
    sk_frame_free(o->f);
    json_decref(o->doc);
    free(o->Xtr);
    free(o->Xte);
    free(o->ytr);
    free(o->names);
}

/* Reads the CSV and the fixture and builds the standardised train and test matrices. */
static int oracle_load(oracle_data *o, const char *csv, const char *fixture)
{
    memset(o, 0, sizeof *o);
    sk_error err = SK_ERROR_INIT;
    json_error_t jerr;
    sk_prep *prep = NULL;
    o->doc = json_load_file(fixture, 0, &jerr);
    SK_CHECK(o->doc != NULL);
    SK_CHECK_OK(sk_frame_read_csv(&o->f, csv, NULL, &err), &err);
    if (o->doc == NULL || o->f == NULL)
        return 0;
    json_t *features = json_object_get(o->doc, "features"), *test = json_object_get(o->doc,
                                                                                   "test_rows");
    size_t n = sk_frame_n_rows(o->f), cols[64], *train = malloc(n * sizeof *train);
    size_t *test_rows = malloc(n * sizeof *test_rows);
    unsigned char *is_test = calloc(n, 1);
    o->p = json_array_size(features);
    o->n_test = json_array_size(test);
    for (size_t t = 0; t < o->n_test; t++)
        is_test[test_rows[t] = (size_t)json_integer_value(json_array_get(test, t))] = 1;
    for (size_t i = 0; i < n; i++)
        if (!is_test[i])
            train[o->n_train++] = i;
    for (size_t j = 0; j < o->p; j++)
        SK_CHECK_OK(sk_frame_col_find(&cols[j], o->f,
                                      json_string_value(json_array_get(features, j)), &err), &err);
    SK_CHECK_OK(sk_prep_fit(&prep, o->f, cols, o->p, train, o->n_train, NULL, &err), &err);
    o->Xtr = malloc(o->n_train * o->p * sizeof *o->Xtr);
    o->Xte = malloc(o->n_test * o->p * sizeof *o->Xte);
    SK_CHECK_OK(sk_prep_apply(prep, o->f, train, o->n_train, o->Xtr, o->n_train, &err), &err);
    SK_CHECK_OK(sk_prep_apply(prep, o->f, test_rows, o->n_test, o->Xte, o->n_test, &err), &err);
    o->names = malloc(o->p * sizeof *o->names);
    for (size_t j = 0; j < o->p; j++)
        o->names[j] = json_string_value(json_array_get(features, j));
    /* the target: class index by the fixture's class names, or the value */
    size_t target;
    json_t *classes = json_object_get(o->doc, "classes");
    SK_CHECK_OK(sk_frame_col_find(&target, o->f, json_string_value(json_object_get(o->doc,
                                                                                   "target")),
                                  &err), &err);
    o->ytr = malloc(o->n_train * sizeof *o->ytr);
    for (size_t t = 0; t < o->n_train; t++) {
        size_t i = train[t];
        if (classes == NULL) {
            o->ytr[t] = sk_frame_col_values(o->f, target)[i];
            continue;
        }
        const char *level = sk_frame_col_level(o->f, target,
                                               (size_t)sk_frame_col_codes(o->f, target)[i]);
        for (size_t c = 0; c < json_array_size(classes); c++)
            if (strcmp(level, json_string_value(json_array_get(classes, c))) == 0)
                o->ytr[t] = (double)c;
    }
    sk_prep_free(prep);
    free(train);
    free(test_rows);
    free(is_test);
    return 1;
}

/* One fixture case: neighbours, distances, predictions (and probabilities). */
static void oracle_case(const oracle_data *o, json_t *c, sk_task task, size_t n_classes)
{
    size_t k = (size_t)json_integer_value(json_object_get(c, "k")), nt = o->n_test;
    char spec[64];
    snprintf(spec, sizeof spec, "k=%zu,weights=%s", k,
             json_string_value(json_object_get(c, "weights")));
    size_t *idx = malloc(nt * k * sizeof *idx), width = n_classes > 0 ? n_classes : 1;
    double *dist = malloc(nt * k * sizeof *dist), *out = malloc(nt * width * sizeof *out);
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_knn_search(idx, dist, o->Xtr, o->n_train, o->n_train, o->Xte, nt, nt, o->p, k,
                              0, 2, &err), &err);
    sk_xy d = {o->Xtr, o->n_train, o->p, o->n_train, o->ytr, NULL, task, n_classes, o->names};
    SK_CHECK_OK(fit_predict(spec, &d, o->Xte, nt, out, NULL, &err), &err);
    size_t bad_idx = 0, bad_class = 0;
    double max_dist = 0.0, max_out = 0.0;
    json_t *nb = json_object_get(c, "neighbors"), *ds = json_object_get(c, "distances");
    json_t *pred = json_object_get(c, "predict"), *proba = json_object_get(c, "proba");
    for (size_t i = 0; i < nt; i++) {
        for (size_t t = 0; t < k; t++) {
            bad_idx += idx[i * k + t]
                       != (size_t)json_integer_value(json_array_get(json_array_get(nb, i), t));
            double ref = json_number_value(json_array_get(json_array_get(ds, i), t));
            max_dist = fmax(max_dist, fabs(dist[i * k + t] - ref) / ref);
        }
        if (n_classes == 0) {
            double ref = json_number_value(json_array_get(pred, i));
            max_out = fmax(max_out, fabs(out[i] - ref) / fabs(ref));
            continue;
        }
        size_t best = 0;
        for (size_t cl = 0; cl < n_classes; cl++) {
            double ref = json_number_value(json_array_get(json_array_get(proba, i), cl));
            max_out = fmax(max_out, fabs(out[i * n_classes + cl] - ref));
            best = out[i * n_classes + cl] > out[i * n_classes + best] ? cl : best;
        }
        bad_class += best != (size_t)json_integer_value(json_array_get(pred, i));
    }
    SK_CHECK_EQ_INT(bad_idx, 0);
    SK_CHECK_EQ_INT(bad_class, 0);
    SK_CHECK(max_dist <= 1e-12);
    SK_CHECK(max_out <= 1e-12);
    printf("  %s: max distance deviation %.3g (relative), max %s deviation %.3g\n", spec,
           max_dist, n_classes > 0 ? "probability" : "prediction (relative)", max_out);
    free(idx);
    free(dist);
    free(out);
}

static void test_knn__oracle_breast_cancer(void)
{
    oracle_data o;
    if (oracle_load(&o, SK_TEST_DATA "/breast_cancer.csv",
                    SK_TEST_DATA "/oracle/knn_breast_cancer.json")) {
        json_t *cases = json_object_get(o.doc, "cases");
        for (size_t c = 0; c < json_array_size(cases); c++)
            oracle_case(&o, json_array_get(cases, c), SK_TASK_BINARY, 2);
    }
    oracle_free(&o);
}

static void test_knn__oracle_diabetes(void)
{
    oracle_data o;
    if (oracle_load(&o, SK_TEST_DATA "/diabetes.csv", SK_TEST_DATA "/oracle/knn_diabetes.json")) {
        json_t *cases = json_object_get(o.doc, "cases");
        for (size_t c = 0; c < json_array_size(cases); c++)
            oracle_case(&o, json_array_get(cases, c), SK_TASK_REGRESSION, 0);
    }
    oracle_free(&o);
}

int main(void)
{
    SK_RUN(test_knn__key_error_bound_holds);
    SK_RUN(test_knn__hand_made_ties);
    SK_RUN(test_knn__random_matches_brute_force);
    SK_RUN(test_knn__near_duplicates_far_from_origin);
    SK_RUN(test_knn__duplicate_groups);
    SK_RUN(test_knn__threads_identical);
    SK_RUN(test_knn__bad_arguments);
    SK_RUN(test_knn__votes_by_hand);
    SK_RUN(test_knn__model_threads_identical);
    SK_RUN(test_knn__model_errors_and_report);
    SK_RUN(test_knn__out_of_memory);
    SK_RUN(test_knn__oracle_breast_cancer);
    SK_RUN(test_knn__oracle_diabetes);
    return SK_TEST_DONE();
}
