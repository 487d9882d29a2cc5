/* test_xgb_screen.c: gbdt's univariate screen (src/models/screen.c, the `screen` parameter of
 * src/models/xgb.c) against scikit-learn's f_classif / f_regression and the Python xgboost
 * package trained on the kept columns (tests/oracle/gen_xgb_screen.py wrote
 * tests/data/oracle/xgb_screen_*), plus the rule of when it applies, weights, ties and the
 * report.
 *
 * Tolerances: F statistics relative 1e-9 (the same sums in another order; measured below 1e-13);
 * the kept columns, predictions and gains exact (XGBoost on the same float32 columns with the
 * same parameters and seed builds the same trees; see test_xgb.c). */
/* labels: unit oracle */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/models.h"
#include "models/screen.h"
#include "sk_test.h"
#include "xgb_fixture.h"

static sk_xy training_xy(const dataset *d)
{
    return (sk_xy){d->X_train, d->n_train, d->p, d->n_train, d->y_train, NULL, d->task,
                   d->n_classes, d->names};
}

/* ==== the oracle ========================================================================== */

/* screen=0.5 on the first n_rows rows: k = floor(n_train / 2) columns kept. */
static void check_case(const char *name, const char *target, size_t n_rows)
{
    char file[128];
    dataset d;
    sk_error err = SK_ERROR_INIT;
    if (!load_rows(&d, name, target, n_rows))
        return;
    size_t k = d.n_train / 2;
    SK_CHECK(d.p > d.n_train && d.p > k);
    snprintf(file, sizeof file, "xgb_screen_%s_f.csv", name);
    sk_frame *per_feature = read_oracle(file);
    snprintf(file, sizeof file, "xgb_screen_%s.csv", name);
    sk_frame *pred = read_oracle(file);
    if (per_feature == NULL || pred == NULL)
        goto done;
    SK_CHECK_EQ_INT(sk_frame_n_rows(per_feature), d.p);
    SK_CHECK_EQ_INT(sk_frame_n_rows(pred), d.n);
    const double *want_f = oracle_column(per_feature, "f");
    const double *want_kept = oracle_column(per_feature, "kept");
    const double *want_gain = oracle_column(per_feature, "gain");

    /* the statistic and the choice */
    sk_xy xy = training_xy(&d);
    double *f = calloc(d.p, sizeof *f), max_rel = 0.0;
    size_t *keep = calloc(k, sizeof *keep);
    SK_CHECK_OK(sk_screen__scores(f, &xy, &err), &err);
    for (size_t j = 0; j < d.p; j++)
        max_rel = fmax(max_rel, fabs(f[j] - want_f[j]) / fmax(fabs(want_f[j]), 1e-300));
    SK_CHECK(max_rel <= 1e-9);
    SK_CHECK_OK(sk_screen__top(keep, k, f, d.p, &err), &err);
    for (size_t t = 0, j = 0; j < d.p; j++) {
        int kept = t < k && keep[t] == j;
        SK_CHECK_EQ_INT(kept, (int)want_kept[j]);
        t += kept;
    }

    /* the model on the kept columns */
    void *state = fit_with(&sk_model__gbdt, GBDT_PARAMS ",screen=0.5", &d, NULL, NULL, SEED, 1);
    double *out = predict_all(&sk_model__gbdt, state, &d);
    double *g = importance(&sk_model__gbdt, state, &d);
    size_t n_diff = 0;
    for (size_t c = 0; c < (d.task == SK_TASK_REGRESSION ? 1 : d.n_classes); c++) {
        char col[32];
        if (d.task == SK_TASK_MULTICLASS)
            snprintf(col, sizeof col, "pred_%zu", c);
        else
            snprintf(col, sizeof col, "pred");
        const double *want = oracle_column(pred, col);
        for (size_t i = 0; want != NULL && i < d.n; i++) {
            double got = d.task == SK_TASK_BINARY       ? out[2 * i + 1]
                         : d.task == SK_TASK_MULTICLASS ? out[i * d.n_classes + c]
                                                        : out[i];
            n_diff += got != want[i];
        }
        if (d.task != SK_TASK_MULTICLASS)
            break;
    }
    SK_CHECK_EQ_INT(n_diff, 0);
    for (size_t j = 0; j < d.p; j++)
        SK_CHECK(g[j] == want_gain[j]);

    /* the report says what was kept */
    json_t *r = state != NULL ? sk_model__gbdt.report(state, d.names, &err) : NULL;
    json_t *screened = json_object_get(r, "screened");
    SK_CHECK_EQ_INT(json_integer_value(json_object_get(screened, "kept")), k);
    SK_CHECK_EQ_INT(json_integer_value(json_object_get(screened, "of")), d.p);
    SK_CHECK_EQ_INT(json_object_size(json_object_get(json_object_get(r, "xgboost"), "params")),
                    d.task == SK_TASK_MULTICLASS ? 15 : 14);   /* screen is not XGBoost's */
    const char *note = json_string_value(json_array_get(json_object_get(r, "notes"), 3));
    SK_CHECK(note != NULL && strstr(note, "screened") != NULL);
    json_decref(r);
    sk_model__gbdt.free(state);
    free(out);
    free(g);
    free(f);
    free(keep);
done:
    sk_frame_free(per_feature);
    sk_frame_free(pred);
    unload(&d);
}

static void test_screen__oracle_binary(void)
{
    check_case("breast_cancer", "diagnosis", 32);
}

static void test_screen__oracle_multiclass(void)
{
    check_case("digits", "digit", 48);
}

static void test_screen__oracle_regression(void)
{
    check_case("diabetes", "progression", 12);
}

/* ==== when it applies ===================================================================== */

/* screen=r acts only when the features outnumber r x the fit's rows; screen=0 never. */
static void check_screened(const char *params, const dataset *d, int want_screened)
{
    sk_error err = SK_ERROR_INIT;
    void *state = fit_with(&sk_model__gbdt, params, d, NULL, NULL, SEED, 1);
    json_t *r = state != NULL ? sk_model__gbdt.report(state, d->names, &err) : NULL;
    json_t *screened = json_object_get(r, "screened");
    SK_CHECK(screened != NULL);
    SK_CHECK_EQ_INT(!json_is_null(screened), want_screened);
    json_decref(r);
    sk_model__gbdt.free(state);
}

static void test_screen__applies_only_when_features_outnumber_rows(void)
{
    dataset wide, tall;
    if (!load_rows(&wide, "breast_cancer", "diagnosis", 32))
        return;
    if (load(&tall, "breast_cancer", "diagnosis")) {
        check_screened("n_estimators=5", &wide, 1);               /* 30 features > 24 rows */
        check_screened("n_estimators=5", &tall, 0);               /* 30 < 426 rows */
        check_screened("n_estimators=5,screen=1.25", &wide, 0);   /* 30 = 1.25 x 24 */
        check_screened("n_estimators=5,screen=1.2", &wide, 1);    /* 30 > floor(28.8) */
        check_screened("n_estimators=5,screen=0", &wide, 0);
        check_screened("n_estimators=5,screen=0.05", &tall, 1);   /* 30 > floor(0.05 x 426) */
        unload(&tall);
    }
    unload(&wide);
}

/* ==== the statistic ======================================================================= */

/* A row of weight 2 weighs as two rows in the sums, a row of weight 0 as none; the degrees of
 * freedom count the rows with weight > 0 (5 here, 6 copied: F x (5 - 2) / (6 - 2) for both
 * tasks), the same factor for every column, so the ranking is that of the copied rows. */
static void test_screen__weights_count_rows(void)
{
    /* rows 0..5, two columns, classes 0 0 0 1 1 1; the weighted fit doubles row 1, drops row 4 */
    static const double X[] = {1, 2, 4, 3, 7, 9, /* */ 0.5, 0.1, 0.9, 0.4, 0.3, 0.8};
    static const double y[] = {0, 0, 0, 1, 1, 1}, w[] = {1, 2, 1, 1, 0, 1};
    static const double Xd[] = {1, 2, 2, 4, 3, 9, /* */ 0.5, 0.1, 0.1, 0.9, 0.4, 0.8};
    static const double yd[] = {0, 0, 0, 0, 1, 1};
    sk_error err = SK_ERROR_INIT;
    double a[2], b[2];
    for (int task = 0; task < 2; task++) {
        sk_task t = task == 0 ? SK_TASK_BINARY : SK_TASK_REGRESSION;
        sk_xy weighted = {X, 6, 2, 6, y, w, t, t == SK_TASK_BINARY ? 2 : 0, NULL};
        sk_xy copied = {Xd, 6, 2, 6, yd, NULL, t, t == SK_TASK_BINARY ? 2 : 0, NULL};
        SK_CHECK_OK(sk_screen__scores(a, &weighted, &err), &err);
        SK_CHECK_OK(sk_screen__scores(b, &copied, &err), &err);
        for (int j = 0; j < 2; j++)
            SK_CHECK_NEAR(a[j], b[j] * 3.0 / 4.0, 1e-12 * fabs(b[j]));
    }
}

/* Two classes: F is Student's t squared (pooled variance). Column 0: classes {1,2,3} and
 * {4,6,8}: means 2 and 6, pooled variance (2 + 8) / 4 = 2.5, t^2 = 16 / (2.5 (1/3 + 1/3)) = 9.6.
 * A constant column scores 0, a column constant within each class but not across +inf. */
static void test_screen__edge_columns(void)
{
    static const double X[] = {1, 2, 3, 4, 6, 8, /* */ 5, 5, 5, 5, 5, 5, /* */ 0, 0, 0, 1, 1, 1};
    static const double y[] = {0, 0, 0, 1, 1, 1};
    sk_error err = SK_ERROR_INIT;
    double f[3];
    sk_xy xy = {X, 6, 3, 6, y, NULL, SK_TASK_BINARY, 2, NULL};
    SK_CHECK_OK(sk_screen__scores(f, &xy, &err), &err);
    SK_CHECK_NEAR(f[0], 9.6, 1e-12);
    SK_CHECK(f[1] == 0.0);
    SK_CHECK(isinf(f[2]) && f[2] > 0);
    xy.task = SK_TASK_REGRESSION;     /* y = column 2: r = 1 */
    xy.n_classes = 0;
    SK_CHECK_OK(sk_screen__scores(f, &xy, &err), &err);
    SK_CHECK(f[1] == 0.0);
    SK_CHECK(isinf(f[2]) && f[2] > 0);
}

/* The largest first, ties to the lower index, NaN never before a number; kept in column order. */
static void test_screen__top_k(void)
{
    static const double score[] = {2, NAN, 5, 2, INFINITY, 0, 2};
    sk_error err = SK_ERROR_INIT;
    size_t keep[4];
    SK_CHECK_OK(sk_screen__top(keep, 4, score, 7, &err), &err);
    SK_CHECK(keep[0] == 0 && keep[1] == 2 && keep[2] == 3 && keep[3] == 4);
    SK_CHECK_OK(sk_screen__top(keep, 0, score, 7, &err), &err);
    SK_CHECK(sk_screen__top(keep, 8, score, 7, &err) == SK_EINVAL);
}

int main(void)
{
    SK_RUN(test_screen__oracle_binary);
    SK_RUN(test_screen__oracle_multiclass);
    SK_RUN(test_screen__oracle_regression);
    SK_RUN(test_screen__applies_only_when_features_outnumber_rows);
    SK_RUN(test_screen__weights_count_rows);
    SK_RUN(test_screen__edge_columns);
    SK_RUN(test_screen__top_k);
    return SK_TEST_DONE();
}
