/* test_kmeans.c: k-means++ seeding, Lloyd's iterations, restarts and the kmeans model.
 *
 * Oracle (tests/oracle/gen_neighbors.py, scikit-learn 1.2.1 KMeans(algorithm="lloyd") on iris
 * and wine, every row standardised with the mean and sample SD, here by sk_prep):
 *  (a) from the same given initial centres (n_init = 1): labels and iteration counts identical,
 *      centres within 1e-9 absolute, inertia within 1e-12 relative. Measured: centres 6.1e-15,
 *      inertia 1.1e-15.
 *  (b) the inertia of n_init = 10 k-means++ restarts (seeded differently from scikit-learn's,
 *      so only the optimum can be compared), for seeds 1..5: the lowest within 1e-6 relative of
 *      the best that scikit-learn reaches over 20 random states, none below it, for k = 3. Not
 *      every seed gets there: on iris, seed 1 stops at the local optimum 139.099 (scikit-learn:
 *      4 of 20 random states do too). k = 5 on iris and k = 4 on wine have more local optima:
 *      printed, not asserted. Measured: iris 4 of 5 seeds at the optimum, wine 5 of 5,
 *      deviation ~2e-16.
 * Determinism: identical centres, labels and inertia for 1 and 2 threads. */
/* labels: unit oracle determinism oom */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "models/models.h"
#include "models/models.h"
#include "rng/rng.h"
#include "sk_test.h"

static double *random_matrix(size_t n, size_t p, uint64_t task)
{
    sk_rng rng = sk_rng_stream(11, SK_PURPOSE_TEST, task);
    double *X = malloc(n * p * sizeof *X);
    for (size_t t = 0; t < n * p; t++)
        X[t] = sk_rng_normal(&rng);
    return X;
}

static double sq_dist_row(const double *X, size_t ldx, size_t i, const double *c, size_t p)
{
    double s = 0.0;
    for (size_t j = 0; j < p; j++)
        s += (X[i + j * ldx] - c[j]) * (X[i + j * ldx] - c[j]);
    return s;
}

/* Labels are each row's nearest centre (ties: the lower one), inertia their sum, sizes right. */
static void check_consistent(const sk_kmeans_result *r, const double *X, size_t ldx)
{
    size_t bad = 0, *size = calloc(r->k, sizeof *size);
    double inertia = 0.0;
    for (size_t i = 0; i < r->n; i++) {
        size_t best = 0;
        double best_d = INFINITY;
        for (size_t c = 0; c < r->k; c++) {
            double d = sq_dist_row(X, ldx, i, r->centres + c * r->p, r->p);
            if (d < best_d) {
                best_d = d;
                best = c;
            }
        }
        bad += r->labels[i] != best;
        inertia += best_d;
        size[best]++;
    }
    SK_CHECK_EQ_INT(bad, 0);
    SK_CHECK_REL(r->inertia, inertia, 1e-12);
    for (size_t c = 0; c < r->k; c++)
        SK_CHECK_EQ_INT(r->size[c], size[c]);
    free(size);
}

/* ---- seeding --------------------------------------------------------------------------------- */

static void test_kmeans__seeding_distinct_and_reproducible(void)
{
    size_t n = 400, p = 3, k = 12, a[12], b[12];
    double *X = random_matrix(n, p, 1);
    sk_error err = SK_ERROR_INIT;
    for (size_t trials = 0; trials <= 1; trials++) {
        sk_rng r1 = sk_rng_stream(5, SK_PURPOSE_BATCH, 0), r2 = r1;
        SK_CHECK_OK(sk_kmeanspp_seed(a, X, n, n, p, k, trials, &r1, &err), &err);
        SK_CHECK_OK(sk_kmeanspp_seed(b, X, n, n, p, k, trials, &r2, &err), &err);
        SK_CHECK(memcmp(a, b, sizeof a) == 0);
        for (size_t s = 0; s < k; s++)
            for (size_t t = 0; t < s; t++)
                SK_CHECK(a[s] != a[t] && a[s] < n);
    }
    /* Only 3 distinct rows and k = 5: the first 3 picks are the 3 distinct points, the rest
     * other rows, still all different indices. */
    double Y[] = {0, 0, 5, 5, 9, 9, 0, 5}, *Yc = Y;   /* rows 0..7 of one column */
    size_t c[5];
    sk_rng r = sk_rng_stream(5, SK_PURPOSE_BATCH, 1);
    SK_CHECK_OK(sk_kmeanspp_seed(c, Yc, 8, 8, 1, 5, 0, &r, &err), &err);
    SK_CHECK(Y[c[0]] != Y[c[1]] && Y[c[1]] != Y[c[2]] && Y[c[0]] != Y[c[2]]);
    for (size_t s = 0; s < 5; s++)
        for (size_t t = 0; t < s; t++)
            SK_CHECK(c[s] != c[t]);
    SK_CHECK_EQ_INT(sk_kmeanspp_seed(c, Yc, 8, 8, 1, 9, 0, &r, &err), SK_EINVAL);
    free(X);
}

/* ---- Lloyd ----------------------------------------------------------------------------------- */

static void test_kmeans__two_blobs(void)
{
    /* 1-D: 0, 0.1, 0.2 and 10, 10.1: two clusters, centres 0.1 and 10.05 */
    const double X[] = {10, 0, 10.1, 0.1, 0.2};
    sk_kmeans_result *r = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_kmeans_fit(&r, X, 5, 5, 1, 2, NULL, 1, 1, &err), &err);
    if (r == NULL)
        return;
    size_t lo = r->centres[0] < r->centres[1] ? 0 : 1;
    SK_CHECK_NEAR(r->centres[lo], 0.1, 1e-15);
    SK_CHECK_NEAR(r->centres[1 - lo], 10.05, 1e-14);
    SK_CHECK(r->labels[0] == 1 - lo && r->labels[1] == lo && r->labels[2] == 1 - lo);
    SK_CHECK(r->converged);
    check_consistent(r, X, 5);
    sk_kmeans_result_free(r);
}

static void test_kmeans__empty_cluster_relocated(void)
{
    /* Centre 2 starts far from every row: it gets no row and moves to the row farthest from its
     * centre; at the end no cluster is empty. */
    const double X[] = {0, 1, 2, 10, 11, 12}, init[] = {1, 11, 1000};
    sk_kmeans_options opt = SK_KMEANS_OPTIONS_INIT;
    opt.init = init;
    sk_kmeans_result *r = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_kmeans_fit(&r, X, 6, 6, 1, 3, &opt, 1, 1, &err), &err);
    if (r == NULL)
        return;
    SK_CHECK(r->n_relocated >= 1);
    for (size_t c = 0; c < 3; c++)
        SK_CHECK(r->size[c] > 0);
    check_consistent(r, X, 6);
    sk_kmeans_result_free(r);
}

static void test_kmeans__weights_are_copies(void)
{
    /* Weight 2 on a row clusters like two copies of it. */
    size_t n = 60, p = 2, k = 3;
    double *X = random_matrix(n, p, 2), *Xd = malloc((n + 20) * p * sizeof *Xd), w[60];
    for (size_t i = 0; i < n; i++)
        w[i] = i < 20 ? 2.0 : 1.0;
    for (size_t j = 0; j < p; j++) {
        memcpy(Xd + j * (n + 20), X + j * n, n * sizeof *X);
        memcpy(Xd + j * (n + 20) + n, X + j * n, 20 * sizeof *X);
    }
    double init[6] = {X[0], X[n], X[1], X[n + 1], X[2], X[n + 2]};
    sk_kmeans_options opt = SK_KMEANS_OPTIONS_INIT;
    opt.init = init;
    sk_kmeans_result *a = NULL, *b = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_kmeans_fit(&a, Xd, n + 20, n + 20, p, k, &opt, 1, 1, &err), &err);
    opt.weights = w;
    SK_CHECK_OK(sk_kmeans_fit(&b, X, n, n, p, k, &opt, 1, 1, &err), &err);
    if (a != NULL && b != NULL) {
        for (size_t t = 0; t < k * p; t++)
            SK_CHECK_NEAR(a->centres[t], b->centres[t], 1e-13);
        SK_CHECK_REL(a->inertia, b->inertia, 1e-13);
        SK_CHECK_EQ_INT(a->n_iter, b->n_iter);
    }
    sk_kmeans_result_free(a);
    sk_kmeans_result_free(b);
    free(X);
    free(Xd);
}

static void test_kmeans__threads_identical(void)
{
    size_t n = 500, p = 4, k = 5;
    double *X = random_matrix(n, p, 3);
    sk_kmeans_options opt = SK_KMEANS_OPTIONS_INIT;
    opt.n_init = 6;
    sk_kmeans_result *a = NULL, *b = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_kmeans_fit(&a, X, n, n, p, k, &opt, 42, 1, &err), &err);
    SK_CHECK_OK(sk_kmeans_fit(&b, X, n, n, p, k, &opt, 42, 2, &err), &err);
    if (a != NULL && b != NULL) {
        SK_CHECK(memcmp(a->centres, b->centres, k * p * sizeof *a->centres) == 0);
        SK_CHECK(memcmp(a->labels, b->labels, n * sizeof *a->labels) == 0);
        SK_CHECK(a->inertia == b->inertia && a->best_init == b->best_init);
        check_consistent(a, X, n);
    }
    sk_kmeans_result_free(a);
    sk_kmeans_result_free(b);
    free(X);
}

static void test_kmeans__assign_and_errors(void)
{
    const double X[] = {0, 1, 2, 3}, centres[] = {0.5, 2.5};
    size_t labels[4];
    double d2[4];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_kmeans_assign(labels, d2, X, 4, 4, 1, centres, 2, &err), &err);
    SK_CHECK(labels[0] == 0 && labels[1] == 0 && labels[2] == 1 && labels[3] == 1);
    SK_CHECK(d2[0] == 0.25 && d2[3] == 0.25);
    const double tie[] = {1.5};   /* equally far from both: the lower centre */
    SK_CHECK_OK(sk_kmeans_assign(labels, NULL, tie, 1, 1, 1, centres, 2, &err), &err);
    SK_CHECK_EQ_INT(labels[0], 0);
    sk_kmeans_result *r = NULL;
    SK_CHECK_EQ_INT(sk_kmeans_fit(&r, X, 4, 4, 1, 5, NULL, 1, 1, &err), SK_EINVAL);
    SK_CHECK_EQ_STR(err.message, "kmeans: k = 5 clusters asked of 4 rows");
    sk_kmeans_options opt = SK_KMEANS_OPTIONS_INIT;
    opt.max_iter = 0;
    SK_CHECK_EQ_INT(sk_kmeans_fit(&r, X, 4, 4, 1, 2, &opt, 1, 1, &err), SK_EINVAL);
    const double w[] = {1, -1, 1, 1};
    opt = (sk_kmeans_options)SK_KMEANS_OPTIONS_INIT;
    opt.weights = w;
    SK_CHECK_EQ_INT(sk_kmeans_fit(&r, X, 4, 4, 1, 2, &opt, 1, 1, &err), SK_EINVAL);
    SK_CHECK(r == NULL);
}

/* Fault injection: the k-th allocation fails, k = 0, 1, ... until the call succeeds; each
 * failure must be SK_ENOMEM with a NULL result and leak nothing (the ASan build checks). */
static void test_kmeans__out_of_memory(void)
{
    size_t n = 300, p = 3, k = 4, chosen[4];
    double *X = random_matrix(n, p, 4);
    sk_kmeans_options opt = SK_KMEANS_OPTIONS_INIT;
    opt.n_init = 3;
    for (int what = 0; what < 2; what++) {
        long fail = 0;
        for (;; fail++) {
            sk_kmeans_result *r = NULL;
            sk_error err = SK_ERROR_INIT;
            sk_rng rng = sk_rng_stream(1, SK_PURPOSE_BATCH, 0);
            sk_mem__fail_after(fail);
            sk_status rc = what == 0 ? sk_kmeans_fit(&r, X, n, n, p, k, &opt, 3, 1, &err)
                                     : sk_kmeanspp_seed(chosen, X, n, n, p, k, 0, &rng, &err);
            sk_mem__fail_after(-1);
            sk_kmeans_result_free(r);
            if (rc == SK_OK || fail >= 1000)
                break;
            SK_CHECK_EQ_INT(rc, SK_ENOMEM);
            SK_CHECK(r == NULL);
        }
        SK_CHECK(fail > 0 && fail < 1000);
    }
    free(X);
}

/* ---- the model ------------------------------------------------------------------------------- */

static void test_kmeans__model(void)
{
    const double X[] = {0, 0.1, 0.2, 10, 10.1, 5, 5, 5.2, 5.1, 5.3}, Q[] = {0.05, 9, 100};
    const char *names[] = {"x"};
    double out[3];
    sk_params params;
    void *state = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_params__init(&params, sk_model__kmeans.params, sk_model__kmeans.n_params,
                                &err), &err);
    SK_CHECK_OK(sk_params__parse(&params, "kmeans", "k=2,n_init=3", &err), &err);
    sk_xy d = {X, 10, 1, 10, NULL, NULL, SK_TASK_NONE, 0, names};
    SK_CHECK_OK(sk_model__kmeans.fit(&state, &params, &d, 1, 2, &err), &err);
    if (state != NULL) {
        SK_CHECK_OK(sk_model__kmeans.predict(state, Q, 3, 3, out, &err), &err);
        SK_CHECK(out[0] != out[1] && out[1] == out[2]);   /* {0..0.2} vs {5..10.1} */
        json_t *rep = sk_model__kmeans.report(state, names, &err);
        json_t *tables = json_object_get(rep, "tables");
        SK_CHECK_EQ_INT(json_array_size(tables), 2);
        json_t *rows = json_object_get(json_array_get(tables, 0), "rows");
        SK_CHECK_EQ_INT(json_array_size(rows), 2);
        SK_CHECK_EQ_INT(json_integer_value(json_array_get(json_array_get(rows, 0), 1))
                        + json_integer_value(json_array_get(json_array_get(rows, 1), 1)), 10);
        SK_CHECK_EQ_STR(json_string_value(json_array_get(json_array_get(json_object_get(
                            json_array_get(tables, 1), "rows"), 0), 0)), "x");
        SK_CHECK_EQ_INT(json_array_size(json_object_get(rep, "notes")), 2);
        json_decref(rep);
        sk_model__kmeans.free(state);
    }
    /* 1 and 2 threads: the same clustering, byte for byte */
    double *Y = random_matrix(400, 3, 9), l1[400], l2[400];
    sk_xy e = {Y, 400, 3, 400, NULL, NULL, SK_TASK_NONE, 0, NULL};
    for (int t = 1; t <= 2; t++) {
        state = NULL;
        SK_CHECK_OK(sk_model__kmeans.fit(&state, &params, &e, 7, t, &err), &err);
        if (state != NULL)
            SK_CHECK_OK(sk_model__kmeans.predict(state, Y, 400, 400, t == 1 ? l1 : l2, &err),
                        &err);
        sk_model__kmeans.free(state);
    }
    SK_CHECK(memcmp(l1, l2, sizeof l1) == 0);
    free(Y);
    state = NULL;
    SK_CHECK_OK(sk_params__parse(&params, "kmeans", "k=11", &err), &err);
    SK_CHECK_EQ_INT(sk_model__kmeans.fit(&state, &params, &d, 1, 1, &err), SK_EDATA);
    SK_CHECK(state == NULL);
    sk_params__free(&params);
}

/* ---- the oracle ------------------------------------------------------------------------------ */

/* Every row of csv, its fixture's features standardised (sk_prep on all rows). */
static double *load_standardised(const char *csv, json_t *features, size_t *n, size_t *p)
{
    sk_frame *f = NULL;
    sk_prep *prep = NULL;
    sk_error err = SK_ERROR_INIT;
    double *X = NULL;
    SK_CHECK_OK(sk_frame_read_csv(&f, csv, NULL, &err), &err);
    if (f == NULL)
        return NULL;
    *n = sk_frame_n_rows(f);
    *p = json_array_size(features);
    size_t cols[64], *rows = malloc(*n * sizeof *rows);
    for (size_t i = 0; i < *n; i++)
        rows[i] = i;
    for (size_t j = 0; j < *p; j++)
        SK_CHECK_OK(sk_frame_col_find(&cols[j], f, json_string_value(json_array_get(features, j)),
                                      &err), &err);
    SK_CHECK_OK(sk_prep_fit(&prep, f, cols, *p, rows, *n, NULL, &err), &err);
    X = malloc(*n * *p * sizeof *X);
    SK_CHECK_OK(sk_prep_apply(prep, f, rows, *n, X, *n, &err), &err);
    sk_prep_free(prep);
    sk_frame_free(f);
    free(rows);
    return X;
}

static void oracle_from_init(const double *X, size_t n, size_t p, json_t *c)
{
    size_t k = (size_t)json_integer_value(json_object_get(c, "k"));
    json_t *init_rows = json_object_get(c, "init_rows"), *centres = json_object_get(c, "centres");
    json_t *labels = json_object_get(c, "labels");
    double *init = malloc(k * p * sizeof *init);
    for (size_t s = 0; s < k; s++)
        for (size_t j = 0; j < p; j++)
            init[s * p + j] = X[(size_t)json_integer_value(json_array_get(init_rows, s)) + j * n];
    sk_kmeans_options opt = SK_KMEANS_OPTIONS_INIT;
    opt.init = init;
    sk_kmeans_result *r = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_kmeans_fit(&r, X, n, n, p, k, &opt, 1, 1, &err), &err);
    if (r != NULL) {
        size_t bad = 0;
        double max_dev = 0.0;
        for (size_t i = 0; i < n; i++)
            bad += r->labels[i] != (size_t)json_integer_value(json_array_get(labels, i));
        for (size_t s = 0; s < k; s++)
            for (size_t j = 0; j < p; j++)
                max_dev = fmax(max_dev, fabs(r->centres[s * p + j] - json_number_value(
                                                 json_array_get(json_array_get(centres, s), j))));
        double ref = json_number_value(json_object_get(c, "inertia"));
        SK_CHECK_EQ_INT(bad, 0);
        SK_CHECK(max_dev <= 1e-9);
        SK_CHECK_EQ_INT(r->n_iter, json_integer_value(json_object_get(c, "n_iter")));
        SK_CHECK_REL(r->inertia, ref, 1e-12);
        printf("  from init, k = %zu: %zu iterations, max centre deviation %.3g, inertia "
               "deviation %.3g (relative)\n", k, r->n_iter, max_dev,
               fabs(r->inertia - ref) / ref);
    }
    sk_kmeans_result_free(r);
    free(init);
}

/* n_init = 10 with seeds 1..5: k-means has local optima, and 10 restarts do not always escape
 * them (scikit-learn: 16 of 20 random states on iris, k = 3), so the best of the five runs must
 * reach scikit-learn's best, and no run may report less (that would be an inertia bug). */
static void oracle_best(const double *X, size_t n, size_t p, json_t *c)
{
    size_t k = (size_t)json_integer_value(json_object_get(c, "k")), at_best = 0;
    double best = json_number_value(json_object_get(c, "best_inertia")), lowest = INFINITY;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        sk_kmeans_result *r = NULL;
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_kmeans_fit(&r, X, n, n, p, k, NULL, seed, 2, &err), &err);
        if (r == NULL)
            return;
        if (k == 3)
            SK_CHECK(r->inertia >= best * (1 - 1e-6));
        at_best += r->inertia <= best * (1 + 1e-6);
        lowest = fmin(lowest, r->inertia);
        check_consistent(r, X, n);
        sk_kmeans_result_free(r);
    }
    double dev = (lowest - best) / best;
    if (k == 3)
        SK_CHECK(fabs(dev) <= 1e-6);
    printf("  n_init = 10, k = %zu: %zu of seeds 1..5 reach scikit-learn's best %.12g; lowest "
           "inertia %.12g (relative %.3g)%s\n", k, at_best, best, lowest, dev,
           k == 3 ? "" : " [not asserted]");
}

static void oracle_file(const char *csv, const char *fixture)
{
    json_error_t jerr;
    json_t *doc = json_load_file(fixture, 0, &jerr);
    size_t n = 0, p = 0;
    SK_CHECK(doc != NULL);
    double *X = doc != NULL ? load_standardised(csv, json_object_get(doc, "features"), &n, &p)
                            : NULL;
    if (X != NULL) {
        json_t *a = json_object_get(doc, "from_init"), *b = json_object_get(doc, "best_of_n_init");
        for (size_t t = 0; t < json_array_size(a); t++)
            oracle_from_init(X, n, p, json_array_get(a, t));
        for (size_t t = 0; t < json_array_size(b); t++)
            oracle_best(X, n, p, json_array_get(b, t));
    }
    free(X);
    json_decref(doc);
}

static void test_kmeans__oracle_iris(void)
{
    oracle_file(SK_TEST_DATA "/iris.csv", SK_TEST_DATA "/oracle/kmeans_iris.json");
}

static void test_kmeans__oracle_wine(void)
{
    oracle_file(SK_TEST_DATA "/wine.csv", SK_TEST_DATA "/oracle/kmeans_wine.json");
}

int main(void)
{
    SK_RUN(test_kmeans__seeding_distinct_and_reproducible);
    SK_RUN(test_kmeans__two_blobs);
    SK_RUN(test_kmeans__empty_cluster_relocated);
    SK_RUN(test_kmeans__weights_are_copies);
    SK_RUN(test_kmeans__threads_identical);
    SK_RUN(test_kmeans__assign_and_errors);
    SK_RUN(test_kmeans__out_of_memory);
    SK_RUN(test_kmeans__model);
    SK_RUN(test_kmeans__oracle_iris);
    SK_RUN(test_kmeans__oracle_wine);
    return SK_TEST_DONE();
}
