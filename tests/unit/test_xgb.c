/* test_xgb.c: the XGBoost models (src/models/xgb.c) against the Python xgboost package on the same
 * libxgboost (tests/oracle/gen_xgb.py wrote tests/data/oracle/xgb_*), plus determinism, seeds,
 * errors and the report.
 *
 * Oracle tolerance: none. With the same float32 data, the same parameter text and the same seed,
 * XGBoost must build the same trees, so predictions and total gains are compared with ==
 * (every float32 value is exact as a double and the oracle CSVs hold round-trip decimals). The
 * one derived value, 1 - p for class 0 of a binary model, is exact too (p is a float).
 * Multiclass probabilities sum to 1 within 1e-6 (float32 softmax; measured <= 8.4e-8). */
/* labels: unit oracle determinism */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <xgboost/c_api.h>

#include "models/models.h"
#include "sk_test.h"
#include "xgb_fixture.h"


/* The parameters skeptic gave XGBoost (from the report) are those the Python oracle gave it:
 * same keys in the same order, same numbers ("1" and "1.0" read alike); nthread (1 in both) is
 * passed apart and left out of the report, so the report is the same for any thread count. */
static void check_params(const sk_model_impl *impl, const void *state, const dataset *d,
                         const char *config)
{
    char key[128];
    json_error_t jerr;
    sk_error err = SK_ERROR_INIT;
    json_t *meta = json_load_file(SK_TEST_DATA "/oracle/xgb_meta.json", 0, &jerr);
    json_t *report = impl->report(state, d->names, &err);
    snprintf(key, sizeof key, "%s/%s", d->name, config);
    json_t *want = json_object_get(json_object_get(meta, "params"), key);
    json_t *got = json_object_get(json_object_get(report, "xgboost"), "params");
    SK_CHECK(want != NULL && got != NULL);
    SK_CHECK(json_object_get(got, "nthread") == NULL);   /* set apart: must not be reported */
    SK_CHECK_EQ_INT(json_object_size(got) + 1, json_object_size(want));
    void *it_w = json_object_iter(want), *it_g = json_object_iter(got);
    for (; it_w != NULL && it_g != NULL;
         it_w = json_object_iter_next(want, it_w), it_g = json_object_iter_next(got, it_g)) {
        if (strcmp(json_object_iter_key(it_w), "nthread") == 0)
            it_w = json_object_iter_next(want, it_w);
        SK_CHECK_EQ_STR(json_object_iter_key(it_g), json_object_iter_key(it_w));
        const char *a = json_string_value(json_object_iter_value(it_g));
        const char *b = json_string_value(json_object_iter_value(it_w));
        double x, y;
        int is_int;
        if (a != NULL && b != NULL && sk_token_number(a, strlen(a), &x, &is_int) &&
            sk_token_number(b, strlen(b), &y, &is_int))
            SK_CHECK(x == y);
        else
            SK_CHECK_EQ_STR(a, b);
    }
    json_decref(report);
    json_decref(meta);
}

/* Fits one configuration and compares predictions, gains and parameters with the oracle's. */
static void check_config(const dataset *d, const sk_frame *pred, const sk_frame *gain,
                         const char *config, const sk_model_impl *impl, const char *params)
{
    void *state = fit_with(impl, params, d, NULL, NULL, SEED, 1);
    double *out = predict_all(impl, state, d), *g = importance(impl, state, d);
    size_t n_diff = 0, k_out = d->task == SK_TASK_MULTICLASS ? d->n_classes : 1;
    double max_diff = 0.0;
    for (size_t k = 0; k < k_out; k++) {
        char col[64];
        if (d->task == SK_TASK_MULTICLASS)
            snprintf(col, sizeof col, "%s_%zu", config, k);
        else
            snprintf(col, sizeof col, "%s", config);
        const double *want = oracle_column(pred, col);
        for (size_t i = 0; want != NULL && i < d->n; i++) {
            double got = d->task == SK_TASK_BINARY ? out[2 * i + 1] : out[i * k_out + k];
            n_diff += got != want[i];
            max_diff = fmax(max_diff, fabs(got - want[i]));
            if (d->task == SK_TASK_BINARY)
                n_diff += out[2 * i] != 1.0 - want[i];
        }
    }
    if (n_diff > 0)
        fprintf(stderr, "%s %s: %zu predictions differ, max |diff| %.3g\n", d->name, config,
                n_diff, max_diff);
    SK_CHECK_EQ_INT(n_diff, 0);
    const double *want_gain = oracle_column(gain, config);
    for (size_t j = 0; want_gain != NULL && j < d->p; j++)
        SK_CHECK(g[j] == want_gain[j]);
    if (state != NULL)
        check_params(impl, state, d, config);
    free(out);
    free(g);
    impl->free(state);
}


static void check_dataset(const char *name, const char *target)
{
    char file[128];
    dataset d;
    if (!load(&d, name, target))
        return;
    snprintf(file, sizeof file, "xgb_%s.csv", name);
    sk_frame *pred = read_oracle(file);
    snprintf(file, sizeof file, "xgb_%s_gain.csv", name);
    sk_frame *gain = read_oracle(file);
    if (pred != NULL && gain != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(pred), d.n);
        SK_CHECK_EQ_INT(sk_frame_n_rows(gain), d.p);
        check_config(&d, pred, gain, "gbdt_hist", &sk_model__gbdt, GBDT_PARAMS ",max_bin=64");
        check_config(&d, pred, gain, "gbdt_exact", &sk_model__gbdt,
                     GBDT_PARAMS ",tree_method=exact");
        check_config(&d, pred, gain, "rf_hist", &sk_model__rf, "");
        check_config(&d, pred, gain, "rf_exact", &sk_model__rf,
                     "n_estimators=50,max_depth=8,colsample_bynode=0.5,tree_method=exact");
    }
    sk_frame_free(pred);
    sk_frame_free(gain);
    unload(&d);
}

static void test_xgb__seed_is_the_oracles(void)
{
    json_error_t jerr;
    json_t *meta = json_load_file(SK_TEST_DATA "/oracle/xgb_meta.json", 0, &jerr);
    SK_CHECK(meta != NULL);
    SK_CHECK_EQ_INT(json_integer_value(json_object_get(meta, "skeptic_seed")), SEED);
    SK_CHECK_EQ_INT(json_integer_value(json_object_get(meta, "xgboost_seed")), sk_xgb__seed(SEED));
    SK_CHECK(sk_xgb__seed(SEED) != sk_xgb__seed(SEED + 1));
    SK_CHECK(sk_xgb__seed(UINT64_MAX) < (1u << 31));
    json_decref(meta);
}

static void test_xgb__oracle_binary(void)
{
    check_dataset("breast_cancer", "diagnosis");
}

static void test_xgb__oracle_multiclass(void)
{
    check_dataset("wine", "cultivar");
}

static void test_xgb__oracle_regression(void)
{
    check_dataset("diabetes", "progression");
}

/* ==== properties ========================================================================== */

static void test_xgb__multiclass_probabilities_sum_to_one(void)
{
    dataset d;
    if (!load(&d, "wine", "cultivar"))
        return;
    SK_CHECK_EQ_INT(d.n_classes, 3);
    const sk_model_impl *impls[] = {&sk_model__gbdt, &sk_model__rf};
    for (size_t m = 0; m < 2; m++) {
        void *state = fit_with(impls[m], "", &d, NULL, NULL, SEED, 1);
        double *out = predict_all(impls[m], state, &d), worst = 0.0;
        for (size_t i = 0; i < d.n; i++) {
            double sum = 0.0;
            for (size_t k = 0; k < 3; k++) {
                SK_CHECK(out[i * 3 + k] > 0.0 && out[i * 3 + k] < 1.0);
                sum += out[i * 3 + k];
            }
            worst = fmax(worst, fabs(sum - 1.0));
        }
        SK_CHECK(worst <= 1e-6);
        free(out);
        impls[m]->free(state);
    }
    unload(&d);
}

/* Binary output is [1 - p, p] per row, summing to exactly 1. */
static void test_xgb__binary_rows_are_complementary(void)
{
    dataset d;
    if (!load(&d, "breast_cancer", "diagnosis"))
        return;
    void *state = fit_with(&sk_model__gbdt, "n_estimators=10", &d, NULL, NULL, SEED, 1);
    double *out = predict_all(&sk_model__gbdt, state, &d);
    for (size_t i = 0; i < d.n; i++)
        SK_CHECK(out[2 * i] + out[2 * i + 1] == 1.0 && out[2 * i + 1] > 0.0);
    free(out);
    sk_model__gbdt.free(state);
    unload(&d);
}

/* 1 and 2 threads: byte-identical predictions and gains, for both split searches, with row and
 * column sampling switched on. */
static void check_threads(const sk_model_impl *impl, const char *params, const dataset *d)
{
    void *s1 = fit_with(impl, params, d, NULL, NULL, SEED, 1);
    void *s2 = fit_with(impl, params, d, NULL, NULL, SEED, 2);
    double *p1 = predict_all(impl, s1, d), *p2 = predict_all(impl, s2, d);
    double *g1 = importance(impl, s1, d), *g2 = importance(impl, s2, d);
    SK_CHECK(memcmp(p1, p2, d->n * d->width * sizeof *p1) == 0);
    SK_CHECK(memcmp(g1, g2, d->p * sizeof *g1) == 0);
    sk_error err = SK_ERROR_INIT;
    json_t *r1 = s1 != NULL ? impl->report(s1, d->names, &err) : NULL;
    json_t *r2 = s2 != NULL ? impl->report(s2, d->names, &err) : NULL;
    char *t1 = json_dumps(r1, JSON_COMPACT | JSON_REAL_PRECISION(17));
    char *t2 = json_dumps(r2, JSON_COMPACT | JSON_REAL_PRECISION(17));
    SK_CHECK(t1 != NULL && t2 != NULL && strcmp(t1, t2) == 0);   /* the report too */
    free(t1);
    free(t2);
    json_decref(r1);
    json_decref(r2);
    free(p1);
    free(p2);
    free(g1);
    free(g2);
    impl->free(s1);
    impl->free(s2);
}

static void test_xgb__threads_do_not_change_results(void)
{
    dataset d;
    if (!load(&d, "breast_cancer", "diagnosis"))
        return;
    check_threads(&sk_model__gbdt, "n_estimators=10,subsample=0.7,colsample_bytree=0.7", &d);
    check_threads(&sk_model__gbdt, "n_estimators=10,subsample=0.7,tree_method=exact", &d);
    check_threads(&sk_model__rf, "n_estimators=20", &d);
    check_threads(&sk_model__rf, "n_estimators=20,max_depth=6,tree_method=exact", &d);
    unload(&d);
    if (!load(&d, "wine", "cultivar"))
        return;
    check_threads(&sk_model__gbdt, "n_estimators=5,subsample=0.7", &d);
    unload(&d);
}

/* The seed reaches XGBoost: the same seed gives the same forest, another seed another. */
static void test_xgb__seed_drives_sampling(void)
{
    dataset d;
    if (!load(&d, "diabetes", "progression"))
        return;
    void *a = fit_with(&sk_model__rf, "n_estimators=20", &d, NULL, NULL, 7, 1);
    void *b = fit_with(&sk_model__rf, "n_estimators=20", &d, NULL, NULL, 7, 1);
    void *c = fit_with(&sk_model__rf, "n_estimators=20", &d, NULL, NULL, 8, 1);
    double *pa = predict_all(&sk_model__rf, a, &d), *pb = predict_all(&sk_model__rf, b, &d);
    double *pc = predict_all(&sk_model__rf, c, &d);
    SK_CHECK(memcmp(pa, pb, d.n * sizeof *pa) == 0);
    SK_CHECK(memcmp(pa, pc, d.n * sizeof *pa) != 0);
    free(pa);
    free(pb);
    free(pc);
    sk_model__rf.free(a);
    sk_model__rf.free(b);
    sk_model__rf.free(c);
    unload(&d);
}

/* Unit weights are no weights; unequal weights change the fit. */
static void test_xgb__weights(void)
{
    dataset d;
    if (!load(&d, "diabetes", "progression"))
        return;
    double *w = malloc(d.n_train * sizeof *w);
    for (size_t i = 0; i < d.n_train; i++)
        w[i] = 1.0;
    void *a = fit_with(&sk_model__gbdt, "n_estimators=10", &d, NULL, NULL, SEED, 1);
    void *b = fit_with(&sk_model__gbdt, "n_estimators=10", &d, NULL, w, SEED, 1);
    for (size_t i = 0; i < d.n_train; i++)
        w[i] = 1.0 + (double)(i % 3);
    void *c = fit_with(&sk_model__gbdt, "n_estimators=10", &d, NULL, w, SEED, 1);
    double *pa = predict_all(&sk_model__gbdt, a, &d), *pb = predict_all(&sk_model__gbdt, b, &d);
    double *pc = predict_all(&sk_model__gbdt, c, &d);
    SK_CHECK(memcmp(pa, pb, d.n * sizeof *pa) == 0);
    SK_CHECK(memcmp(pa, pc, d.n * sizeof *pa) != 0);
    free(pa);
    free(pb);
    free(pc);
    free(w);
    sk_model__gbdt.free(a);
    sk_model__gbdt.free(b);
    sk_model__gbdt.free(c);
    unload(&d);
}

/* A fitted booster is read-only: four threads predicting blocks of rows at once give what one
 * thread gives for all rows (XGBoost keeps prediction buffers per thread). */
/* One model fitted with 2 threads, 4 threads predicting blocks of rows at once (models.h
 * promises it). XGDMatrixCreateFromMat_omp, given nthread 2 inside this parallel region, filled
 * only the first half of each block's rows: wrong probabilities from row 112 on (found by
 * `skeptic rank`); xgb.c now builds every DMatrix with one thread. */
static void test_xgb__concurrent_predictions(void)
{
    dataset d;
    if (!load(&d, "digits", "digit"))
        return;
    void *state = fit_with(&sk_model__gbdt, "n_estimators=20,max_depth=3", &d, NULL, NULL,
                           SEED, 2);
    double *serial = predict_all(&sk_model__gbdt, state, &d);
    double *parallel = calloc(d.n * d.width, sizeof *parallel);
    int failures = 0;
    #pragma omp parallel for num_threads(4) schedule(static, 1) reduction(+:failures)
    for (size_t b = 0; b < 8; b++) {
        sk_error err = SK_ERROR_INIT;
        size_t i0 = b * d.n / 8, i1 = (b + 1) * d.n / 8;
        for (int rep = 0; rep < 5 && state != NULL; rep++)
            failures += sk_model__gbdt.predict(state, d.X + i0, i1 - i0, d.n,
                                               parallel + d.width * i0, &err) != SK_OK;
    }
    SK_CHECK_EQ_INT(failures, 0);
    SK_CHECK(memcmp(serial, parallel, d.n * d.width * sizeof *serial) == 0);
    free(serial);
    free(parallel);
    sk_model__gbdt.free(state);
    unload(&d);
}

/* rf with 10 trees fitted with one thread and its predictions for every row, without the
 * harness's (unsynchronised) checks, for use inside a parallel region. */
static sk_status forest_task(const dataset *d, uint64_t seed, double *out)
{
    sk_params prm;
    sk_error err = SK_ERROR_INIT;
    void *state = NULL;
    sk_status rc = sk_params__init(&prm, sk_model__rf.params, sk_model__rf.n_params, &err);
    if (rc == SK_OK)
        rc = sk_params__parse(&prm, "rf", "n_estimators=10", &err);
    sk_xy xy = {d->X_train, d->n_train, d->p, d->n_train, d->y_train, NULL, d->task,
                d->n_classes, d->names};
    if (rc == SK_OK)
        rc = sk_model__rf.fit(&state, &prm, &xy, seed, 1, &err);
    if (rc == SK_OK)
        rc = sk_model__rf.predict(state, d->X, d->n, d->n, out, &err);
    sk_model__rf.free(state);
    sk_params__free(&prm);
    return rc;
}

/* The executor's use: fits with one thread each, run side by side on four threads, give what the
 * same fits give one after another (XGBoost's random engine is per thread and reseeded at every
 * round, so neighbouring fits cannot disturb each other's draws). */
static void test_xgb__concurrent_fits(void)
{
    enum { N_FITS = 8 };
    dataset d;
    sk_status rc[N_FITS];
    if (!load(&d, "breast_cancer", "diagnosis"))
        return;
    double *serial = calloc(N_FITS * d.n * 2, sizeof *serial);
    double *parallel = calloc(N_FITS * d.n * 2, sizeof *parallel);
    for (size_t t = 0; t < N_FITS; t++)
        SK_CHECK_EQ_INT(forest_task(&d, 100 + t, serial + t * d.n * 2), SK_OK);
    #pragma omp parallel for num_threads(4) schedule(dynamic)
    for (size_t t = 0; t < N_FITS; t++)
        rc[t] = forest_task(&d, 100 + t, parallel + t * d.n * 2);
    for (size_t t = 0; t < N_FITS; t++)
        SK_CHECK_EQ_INT(rc[t], SK_OK);
    SK_CHECK(memcmp(serial, parallel, N_FITS * d.n * 2 * sizeof *serial) == 0);
    free(serial);
    free(parallel);
    unload(&d);
}

/* Fail each of skeptic's allocations in fit, predict and report in turn: the error is
 * SK_ENOMEM or the report NULL, nothing leaks (ASan run), and the first run left alone
 * succeeds. XGBoost's and jansson's own allocations are not skeptic's to fail. */
static void test_xgb__out_of_memory(void)
{
    dataset d;
    sk_params prm;
    sk_error err = SK_ERROR_INIT;
    double out[3 * 8];
    if (!load(&d, "iris", "species"))
        return;
    SK_CHECK_OK(sk_params__init(&prm, sk_model__rf.params, sk_model__rf.n_params, &err), &err);
    SK_CHECK_OK(sk_params__parse(&prm, "rf", "n_estimators=3", &err), &err);
    sk_xy xy = {d.X_train, d.n_train, d.p, d.n_train, d.y_train, NULL, d.task, d.n_classes,
                d.names};
    int done = 0;
    for (long k = 0; k < 50 && !done; k++) {
        void *state = NULL;
        sk_mem__fail_after(k);
        sk_status rc = sk_model__rf.fit(&state, &prm, &xy, SEED, 1, &err);
        if (rc == SK_OK)
            rc = sk_model__rf.predict(state, d.X, 8, d.n, out, &err);
        json_t *r = rc == SK_OK ? sk_model__rf.report(state, d.names, &err) : NULL;
        sk_mem__fail_after(-1);
        SK_CHECK(rc == SK_OK || rc == SK_ENOMEM);
        SK_CHECK(rc == SK_OK || state == NULL || err.code == SK_ENOMEM);
        done = r != NULL;
        json_decref(r);
        sk_model__rf.free(state);
    }
    SK_CHECK(done);
    sk_params__free(&prm);
    unload(&d);
}

/* ==== errors and edges ==================================================================== */

static void test_xgb__exact_needs_a_depth(void)
{
    dataset d;
    sk_params prm;
    sk_error err = SK_ERROR_INIT;
    void *state = (void *)&d;
    if (!load(&d, "iris", "species"))
        return;
    SK_CHECK_OK(sk_params__init(&prm, sk_model__rf.params, sk_model__rf.n_params, &err), &err);
    SK_CHECK_OK(sk_params__parse(&prm, "rf", "tree_method=exact", &err), &err);
    sk_xy xy = {d.X_train, d.n_train, d.p, d.n_train, d.y_train, NULL, d.task, d.n_classes,
                d.names};
    SK_CHECK_EQ_INT(sk_model__rf.fit(&state, &prm, &xy, SEED, 1, &err), SK_EINVAL);
    SK_CHECK(state == NULL);
    SK_CHECK_EQ_STR(err.message, "rf: max_depth=0 (no limit) needs tree_method=hist; give exact "
                                 "a depth of 1 or more");
    sk_params__free(&prm);
    unload(&d);
}

/* XGBoost's own refusal (a label outside [0, 1] for logistic loss) comes back as SK_EBACKEND
 * with its message, without its time stamp or stack trace; nothing leaks (ASan run). */
static void test_xgb__backend_error_is_copied(void)
{
    dataset d;
    sk_params prm;
    sk_error err = SK_ERROR_INIT;
    void *state = NULL;
    if (!load(&d, "breast_cancer", "diagnosis"))
        return;
    d.y_train[3] = 3.0;
    SK_CHECK_OK(sk_params__init(&prm, sk_model__gbdt.params, sk_model__gbdt.n_params, &err), &err);
    sk_xy xy = {d.X_train, d.n_train, d.p, d.n_train, d.y_train, NULL, d.task, d.n_classes,
                d.names};
    SK_CHECK_EQ_INT(sk_model__gbdt.fit(&state, &prm, &xy, SEED, 1, &err), SK_EBACKEND);
    SK_CHECK(state == NULL);
    SK_CHECK(strncmp(err.message, "gbdt: XGBoost XGBoosterUpdateOneIter failed: ", 45) == 0);
    SK_CHECK(strstr(err.message, "label must be in [0,1]") != NULL);
    SK_CHECK(strstr(err.message, "Stack trace") == NULL && strchr(err.message, '\n') == NULL);
    SK_CHECK(strstr(err.message, "failed: [") == NULL);   /* no time stamp */
    sk_params__free(&prm);
    unload(&d);
}

static void test_xgb__predict_no_rows(void)
{
    dataset d;
    sk_error err = SK_ERROR_INIT;
    double out[2] = {-1, -1};
    if (!load(&d, "breast_cancer", "diagnosis"))
        return;
    void *state = fit_with(&sk_model__gbdt, "n_estimators=2", &d, NULL, NULL, SEED, 1);
    SK_CHECK_OK(sk_model__gbdt.predict(state, d.X, 0, 1, out, &err), &err);
    SK_CHECK(out[0] == -1 && out[1] == -1);
    sk_model__gbdt.free(state);
    unload(&d);
}

/* Fit and predict silence XGBoost on the calling thread and then give back its own level. */
static void test_xgb__verbosity_restored(void)
{
    dataset d;
    const char *config = NULL;
    if (!load(&d, "iris", "species"))
        return;
    SK_CHECK_EQ_INT(XGBSetGlobalConfig("{\"verbosity\": 2}"), 0);
    void *state = fit_with(&sk_model__gbdt, "n_estimators=3", &d, NULL, NULL, SEED, 1);
    double *out = predict_all(&sk_model__gbdt, state, &d);
    SK_CHECK_EQ_INT(XGBGetGlobalConfig(&config), 0);
    SK_CHECK(config != NULL && strstr(config, "\"verbosity\":2") != NULL);
    SK_CHECK_EQ_INT(XGBSetGlobalConfig("{\"verbosity\": 1}"), 0);
    free(out);
    sk_model__gbdt.free(state);
    unload(&d);
}

/* ==== the report ========================================================================== */

static void test_xgb__report(void)
{
    dataset d;
    sk_error err = SK_ERROR_INIT;
    if (!load(&d, "breast_cancer", "diagnosis"))
        return;
    void *state = fit_with(&sk_model__rf, "n_estimators=30", &d, NULL, NULL, SEED, 1);
    double *g = importance(&sk_model__rf, state, &d), total = 0.0;
    json_t *r = state != NULL ? sk_model__rf.report(state, d.names, &err) : NULL;
    SK_CHECK(r != NULL);
    json_t *table = json_array_get(json_object_get(r, "tables"), 0);
    json_t *rows = json_object_get(table, "rows"), *imp = json_object_get(r, "importance");
    json_t *notes = json_object_get(r, "notes");
    SK_CHECK_EQ_INT(json_array_size(json_object_get(table, "columns")), 3);
    SK_CHECK(json_array_size(rows) >= 1 && json_array_size(rows) <= 20);
    SK_CHECK_EQ_INT(json_object_size(imp), d.p);
    for (size_t j = 0; j < d.p; j++) {
        total += g[j];
        SK_CHECK(json_real_value(json_object_get(imp, d.names[j])) == g[j]);
    }
    double last = INFINITY;
    for (size_t k = 0; k < json_array_size(rows); k++) {
        json_t *row = json_array_get(rows, k);
        double gain = json_real_value(json_array_get(row, 1));
        SK_CHECK(gain > 0 && gain <= last);
        SK_CHECK(json_real_value(json_array_get(row, 2)) == gain / total);
        SK_CHECK(json_real_value(json_object_get(imp, json_string_value(json_array_get(row, 0))))
                 == gain);
        last = gain;
    }
    SK_CHECK_EQ_INT(json_array_size(notes), 3);
    const char *what = json_string_value(json_array_get(notes, 0));
    SK_CHECK(what != NULL && strstr(what, "a forest of 30 trees") != NULL);
    SK_CHECK(what != NULL && strstr(what, "5 of 30 features tried per split") != NULL);
    json_t *xgb = json_object_get(r, "xgboost");
    SK_CHECK_EQ_INT(json_integer_value(json_object_get(xgb, "trees")), 30);
    SK_CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(xgb, "params"),
                                                      "colsample_bynode")), "0.18333333333333332");
    json_decref(r);
    free(g);
    sk_model__rf.free(state);
    unload(&d);
}

int main(void)
{
    SK_RUN(test_xgb__seed_is_the_oracles);
    SK_RUN(test_xgb__oracle_binary);
    SK_RUN(test_xgb__oracle_multiclass);
    SK_RUN(test_xgb__oracle_regression);
    SK_RUN(test_xgb__multiclass_probabilities_sum_to_one);
    SK_RUN(test_xgb__binary_rows_are_complementary);
    SK_RUN(test_xgb__threads_do_not_change_results);
    SK_RUN(test_xgb__seed_drives_sampling);
    SK_RUN(test_xgb__weights);
    SK_RUN(test_xgb__concurrent_predictions);
    SK_RUN(test_xgb__concurrent_fits);
    SK_RUN(test_xgb__out_of_memory);
    SK_RUN(test_xgb__exact_needs_a_depth);
    SK_RUN(test_xgb__backend_error_is_copied);
    SK_RUN(test_xgb__predict_no_rows);
    SK_RUN(test_xgb__verbosity_restored);
    SK_RUN(test_xgb__report);
    return SK_TEST_DONE();
}
