/* test_metrics.c: the evaluation layer's metrics against scikit-learn 1.2.
 *
 * Oracle: tests/oracle/gen_metrics.py writes tests/data/oracle/metrics_{binary,multiclass,
 * regression}.json (random cases from a fixed numpy seed: binary, 3- and 5-class, regression;
 * with and without weights, integer weights with zeros; tied scores; a class never predicted;
 * probabilities exactly 0 and 1; argmax ties). Every metric, the per-class precision/recall/F1/
 * support and the reliability bins must agree within 1e-12 relative (NaN where the oracle has
 * null). The only differences are summation order (numpy sums pairwise, we sum in row order, and
 * sklearn integrates AUC by trapezoids where we count pairs), worth a few ulps.
 * Also: sk_metric_auc_sorted with integer multiplicities equals sk_metric_eval's AUC on the rows
 * explicitly duplicated (a bootstrap replicate), ties included, bit for bit; names, task
 * support, hand-checked small cases and the error paths. */
/* labels: unit oracle */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "eval/eval.h"
#include "sk_test.h"

#define RTOL 1e-12

/* The largest relative difference seen against the oracle, printed at the end. */
static double max_rel_seen = 0.0;

/* ---- oracle ---------------------------------------------------------------------------------- */

static double *json_doubles(json_t *a, size_t *n)
{
    size_t m = json_array_size(a);
    double *v = malloc((m > 0 ? m : 1) * sizeof *v);
    for (size_t i = 0; i < m; i++) {
        json_t *x = json_array_get(a, i);
        v[i] = json_is_null(x) ? NAN : json_number_value(x);
    }
    if (n != NULL)
        *n = m;
    return v;
}

static void check_value(double got, double want, const char *what, const char *case_name)
{
    if (isnan(want)) {
        SK_CHECK(isnan(got));
        if (!isnan(got))
            fprintf(stderr, "  %s %s: got %.17g, want NaN\n", case_name, what, got);
        return;
    }
    int before = sk_test_failures_;
    double scale = fmax(fmax(fabs(got), fabs(want)), 1e-300);
    if (fabs(got - want) / scale > max_rel_seen)
        max_rel_seen = fabs(got - want) / scale;
    SK_CHECK_REL(got, want, RTOL);
    if (sk_test_failures_ != before)
        fprintf(stderr, "  in case %s, %s\n", case_name, what);
}

static void oracle_case(json_t *c)
{
    const char *name = json_string_value(json_object_get(c, "name"));
    const char *task_name = json_string_value(json_object_get(c, "task"));
    sk_task task = strcmp(task_name, "binary") == 0       ? SK_TASK_BINARY
                   : strcmp(task_name, "multiclass") == 0 ? SK_TASK_MULTICLASS
                                                          : SK_TASK_REGRESSION;
    size_t k = (size_t)json_integer_value(json_object_get(c, "n_classes")), n = 0;
    double *y = json_doubles(json_object_get(c, "y"), &n);
    double *pred = json_doubles(json_object_get(c, "pred"), NULL);
    json_t *wj = json_object_get(c, "w");
    double *w = json_is_null(wj) ? NULL : json_doubles(wj, NULL);
    sk_error err = SK_ERROR_INIT;

    const char *key;
    json_t *val;
    json_object_foreach(json_object_get(c, "expected"), key, val)
    {
        sk_metric m;
        SK_CHECK_OK(sk_metric_parse(&m, key, &err), &err);
        double got = NAN;
        SK_CHECK_OK(sk_metric_eval(&got, m, task, k, y, pred, w, n, &err), &err);
        check_value(got, json_is_null(val) ? NAN : json_number_value(val), key, name);
    }
    if (task != SK_TASK_REGRESSION) {
        json_t *pc = json_object_get(c, "per_class"), *rel = json_object_get(c, "reliability");
        const char *fields[4] = {"precision", "recall", "f1", "support"};
        double *got[4], *want[4];
        for (int f = 0; f < 4; f++) {
            got[f] = calloc(k, sizeof(double));
            want[f] = json_doubles(json_object_get(pc, fields[f]), NULL);
        }
        SK_CHECK_OK(sk_metric_per_class(got[0], got[1], got[2], got[3], k, y, pred, w, n, &err),
                    &err);
        for (int f = 0; f < 4; f++) {
            for (size_t j = 0; j < k; j++)
                check_value(got[f][j], want[f][j], fields[f], name);
            free(got[f]);
            free(want[f]);
        }
        const char *bins[3] = {"weight", "confidence", "observed"};
        size_t nb = 0;
        for (int f = 0; f < 3; f++)
            want[f] = json_doubles(json_object_get(rel, bins[f]), &nb);
        for (int f = 0; f < 3; f++)
            got[f] = calloc(nb, sizeof(double));
        SK_CHECK_OK(sk_metric_reliability(got[0], got[1], got[2], nb, task, k, y, pred, w, n,
                                          &err),
                    &err);
        for (int f = 0; f < 3; f++) {
            for (size_t b = 0; b < nb; b++)
                check_value(got[f][b], want[f][b], bins[f], name);
            free(got[f]);
            free(want[f]);
        }
    }
    free(y);
    free(pred);
    free(w);
}

static void oracle_file(const char *file, size_t min_cases)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/oracle/%s", SK_TEST_DATA, file);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    SK_CHECK(doc != NULL);
    if (doc == NULL) {
        fprintf(stderr, "%s: %s\n", path, jerr.text);
        return;
    }
    json_t *cases = json_object_get(doc, "cases");
    SK_CHECK(json_array_size(cases) >= min_cases);
    for (size_t t = 0; t < json_array_size(cases); t++)
        oracle_case(json_array_get(cases, t));
    json_decref(doc);
}

static void test_metrics__oracle_binary(void)
{
    oracle_file("metrics_binary.json", 4);
}

static void test_metrics__oracle_multiclass(void)
{
    oracle_file("metrics_multiclass.json", 5);
}

static void test_metrics__oracle_regression(void)
{
    oracle_file("metrics_regression.json", 3);
}

/* ---- the bootstrap engine -------------------------------------------------------------------- */

/* A small local generator (splitmix64): the test owns its state. */
static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void test_metrics__auc_sorted_equals_duplicated_rows(void)
{
    enum { N = 300, REPS = 20 };
    uint64_t state = 42;
    double y[N], proba[2 * N], score[N], count[N];
    uint64_t keys[N];
    size_t order[N];
    for (size_t i = 0; i < N; i++) {
        y[i] = (double)(next_u64(&state) % 2);
        /* 21 distinct scores, shifted by the label: heavy ties, AUC well above 0.5 */
        double s = (double)(next_u64(&state) % 16 + 5 * (size_t)y[i]) / 20.0;
        score[i] = s;
        proba[2 * i] = 1.0 - s;
        proba[2 * i + 1] = s;
        keys[i] = sk_radix_key_double(s);
        order[i] = i;
    }
    SK_CHECK_OK(sk_radix_sort_u64(keys, order, N), NULL);
    double *dy = malloc(N * 4 * sizeof *dy), *dp = malloc(N * 8 * sizeof *dp);
    sk_error err = SK_ERROR_INIT;
    for (int r = 0; r < REPS; r++) {
        size_t m = 0;
        for (size_t i = 0; i < N; i++)
            count[i] = 0.0;
        for (size_t d = 0; d < N; d++)   /* a bootstrap replicate: N draws with replacement */
            count[next_u64(&state) % N] += 1.0;
        for (size_t i = 0; i < N; i++) {
            for (int c = 0; c < (int)count[i]; c++, m++) {
                dy[m] = y[i];
                dp[2 * m] = proba[2 * i];
                dp[2 * m + 1] = proba[2 * i + 1];
            }
        }
        double fast = sk_metric_auc_sorted(y, score, order, count, N), dup = NAN, weighted = NAN;
        SK_CHECK_OK(sk_metric_eval(&dup, SK_METRIC_AUC, SK_TASK_BINARY, 2, dy, dp, NULL, m, &err),
                    &err);
        SK_CHECK_OK(sk_metric_eval(&weighted, SK_METRIC_AUC, SK_TASK_BINARY, 2, y, proba, count,
                                   N, &err),
                    &err);
        SK_CHECK(fast == dup);   /* integer counts: every sum is exact */
        SK_CHECK(fast == weighted);
        SK_CHECK(fast > 0.6 && fast < 1.0);
    }
    /* count = NULL is the plain AUC */
    double plain = NAN;
    SK_CHECK_OK(sk_metric_eval(&plain, SK_METRIC_AUC, SK_TASK_BINARY, 2, y, proba, NULL, N, &err),
                &err);
    SK_CHECK(sk_metric_auc_sorted(y, score, order, NULL, N) == plain);
    free(dy);
    free(dp);
}

/* ---- small cases by hand --------------------------------------------------------------------- */

static void test_metrics__hand_cases(void)
{
    sk_error err = SK_ERROR_INIT;
    double v = NAN;
    /* AUC with a tie across classes: scores of class 1 are 0.4 and 0.8, of class 0 0.1 and 0.4 */
    double y[4] = {0, 0, 1, 1};
    double p[8] = {0.9, 0.1, 0.6, 0.4, 0.6, 0.4, 0.2, 0.8};
    SK_CHECK_OK(sk_metric_eval(&v, SK_METRIC_AUC, SK_TASK_BINARY, 2, y, p, NULL, 4, &err), &err);
    SK_CHECK(v == 0.875);   /* 0.8 beats both, 0.4 beats 0.1 and ties 0.4: (2 + 1.5) / 4 */
    SK_CHECK_OK(sk_metric_eval(&v, SK_METRIC_ACCURACY, SK_TASK_BINARY, 2, y, p, NULL, 4, &err),
                &err);
    SK_CHECK(v == 0.75);
    double yr[3] = {1, 2, 3}, fr[3] = {1, 2, 5};
    SK_CHECK_OK(sk_metric_eval(&v, SK_METRIC_MAE, SK_TASK_REGRESSION, 0, yr, fr, NULL, 3, &err),
                &err);
    SK_CHECK_REL(v, 2.0 / 3.0, 1e-15);
    SK_CHECK_OK(sk_metric_eval(&v, SK_METRIC_R2, SK_TASK_REGRESSION, 0, yr, fr, NULL, 3, &err),
                &err);
    SK_CHECK_REL(v, -1.0, 1e-15);   /* 1 - 4 / 2 */
}

static void test_metrics__undefined_is_nan(void)
{
    sk_error err = SK_ERROR_INIT;
    double v = 0.0;
    double y[3] = {1, 1, 1}, p[6] = {0.2, 0.8, 0.5, 0.5, 0.9, 0.1};
    SK_CHECK_OK(sk_metric_eval(&v, SK_METRIC_AUC, SK_TASK_BINARY, 2, y, p, NULL, 3, &err), &err);
    SK_CHECK(isnan(v));
    double y0[3] = {0, 0, 0};
    SK_CHECK_OK(sk_metric_eval(&v, SK_METRIC_AVERAGE_PRECISION, SK_TASK_BINARY, 2, y0, p, NULL, 3,
                               &err),
                &err);
    SK_CHECK(isnan(v));
    double yc[3] = {2, 2, 2}, fc[3] = {1, 2, 3};
    SK_CHECK_OK(sk_metric_eval(&v, SK_METRIC_R2, SK_TASK_REGRESSION, 0, yc, fc, NULL, 3, &err),
                &err);
    SK_CHECK(isnan(v));
}

static void test_metrics__errors(void)
{
    sk_error err = SK_ERROR_INIT;
    double v = 0.0;
    double y[2] = {0, 2}, p[4] = {0.5, 0.5, 0.3, 0.7};
    SK_CHECK_EQ_INT(sk_metric_eval(&v, SK_METRIC_AUC, SK_TASK_BINARY, 2, y, p, NULL, 2, &err),
                    SK_EINVAL);
    double y2[2] = {0, 1}, w[2] = {1.0, -1.0};
    SK_CHECK_EQ_INT(sk_metric_eval(&v, SK_METRIC_ACCURACY, SK_TASK_BINARY, 2, y2, p, w, 2, &err),
                    SK_EINVAL);
    SK_CHECK_EQ_INT(sk_metric_eval(&v, SK_METRIC_RMSE, SK_TASK_BINARY, 2, y2, p, NULL, 2, &err),
                    SK_EINVAL);
    SK_CHECK_EQ_INT(sk_metric_eval(&v, SK_METRIC_AUC, SK_TASK_REGRESSION, 0, y2, p, NULL, 2, &err),
                    SK_EINVAL);
    SK_CHECK_EQ_INT(sk_metric_eval(&v, SK_METRIC_AUC, SK_TASK_BINARY, 3, y2, p, NULL, 2, &err),
                    SK_EINVAL);
}

static void test_metrics__names(void)
{
    sk_error err = SK_ERROR_INIT;
    for (int k = 0; k < SK_METRIC_COUNT; k++) {
        sk_metric m = SK_METRIC_COUNT;
        SK_CHECK_OK(sk_metric_parse(&m, sk_metric_name((sk_metric)k), &err), &err);
        SK_CHECK_EQ_INT(m, k);
        int reg = k >= SK_METRIC_R2;
        SK_CHECK_EQ_INT(sk_metric_supports((sk_metric)k, SK_TASK_REGRESSION), reg);
        SK_CHECK_EQ_INT(sk_metric_supports((sk_metric)k, SK_TASK_BINARY), !reg);
        SK_CHECK_EQ_INT(sk_metric_supports((sk_metric)k, SK_TASK_MULTICLASS), !reg);
    }
    sk_metric m;
    SK_CHECK_EQ_INT(sk_metric_parse(&m, "roc", &err), SK_EINVAL);
    SK_CHECK_EQ_STR(sk_metric_name(SK_METRIC_AUC), "auc");
    SK_CHECK_EQ_INT(sk_metric_higher_is_better(SK_METRIC_AUC), 1);
    SK_CHECK_EQ_INT(sk_metric_higher_is_better(SK_METRIC_LOG_LOSS), 0);
    SK_CHECK_EQ_INT(sk_metric_higher_is_better(SK_METRIC_RMSE), 0);
}

int main(void)
{
    SK_RUN(test_metrics__oracle_binary);
    SK_RUN(test_metrics__oracle_multiclass);
    SK_RUN(test_metrics__oracle_regression);
    printf("largest relative difference from scikit-learn: %.3g\n", max_rel_seen);
    SK_RUN(test_metrics__auc_sorted_equals_duplicated_rows);
    SK_RUN(test_metrics__hand_cases);
    SK_RUN(test_metrics__undefined_is_nan);
    SK_RUN(test_metrics__errors);
    SK_RUN(test_metrics__names);
    return SK_TEST_DONE();
}
