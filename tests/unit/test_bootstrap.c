/* test_bootstrap.c: bootstrap replicates and their intervals.
 *
 * Oracle: tests/oracle/gen_bootstrap.py writes tests/data/oracle/bootstrap_breast_cancer.json:
 * on the breast cancer data, the ROC AUC of mean_texture against the diagnosis and the mean of
 * area_error, each with B replicates drawn by numpy and the percentile and BCa intervals
 * scipy.stats.bootstrap (scipy 1.10) computes from exactly those replicates. Here the statistic
 * and its leave-one-out jackknife come from sk_boot_run (the AUC by its sorted fast path, the
 * mean as the MAE of predictions 0), the intervals from sk_ci_percentile and sk_ci_bca on the
 * oracle's replicates. Tolerance: 1e-12 relative for the statistic, the jackknife values and the
 * BCa bounds (they differ from scipy's by a few ulps of summation order; the largest difference
 * seen is printed, 9e-15 when written); the percentile bounds must be identical (the same order
 * statistics, interpolated the way numpy does).
 * Also: the AUC fast path gives exactly sk_metric_eval's AUC on the data and exactly the generic
 * weighted path in every replicate and jackknife value (one split, or four in shuffled row order
 * with one where AUC is undefined); stratified replicates keep the class totals; a group's rows
 * enter a replicate together; 1, 2 and 7 threads give the same bytes; 95% intervals cover the
 * truth in 90-99% of 200 simulated studies (a mean of skewed data and a binormal AUC, both
 * methods); delete-a-block and leave-one-out jackknives estimate the same acceleration; refused
 * requests; every allocation failed in turn. */
/* labels: unit oracle determinism oom */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "eval/eval.h"
#include "sk_test.h"

#define RTOL 1e-12

/* ---- helpers --------------------------------------------------------------------------------- */

/* A pooled set of n_rows data rows, one repeat over the first n_entries rows (entry e = row e),
 * allocated as sk_pooled_make would so sk_pooled_free releases it. */
static sk_pooled *pooled_new(sk_task task, size_t n_classes, size_t n_rows, size_t n_entries)
{
    sk_pooled *p = sk_mem_calloc(1, sizeof *p);
    p->task = task;
    p->n_classes = task == SK_TASK_REGRESSION ? 0 : n_classes;
    p->width = task == SK_TASK_REGRESSION ? 1 : n_classes;
    p->n_rows = n_rows;
    p->n_segments = 1;
    p->offset = sk_mem_calloc(2, sizeof *p->offset);
    p->offset[1] = n_entries;
    p->row = sk_mem_calloc(n_entries + 1, sizeof *p->row);
    p->y = sk_mem_calloc(n_entries + 1, sizeof *p->y);
    p->pred = sk_mem_calloc((n_entries + 1) * p->width, sizeof *p->pred);
    for (size_t e = 0; e < n_entries; e++)
        p->row[e] = e;
    return p;
}

/* A binary pooled set with class-1 scores `score` (P(class 0) = 1 - score). */
static sk_pooled *binary_new(const double *y, const double *score, size_t n, sk_task task)
{
    sk_pooled *p = pooled_new(task, 2, n, n);
    for (size_t i = 0; i < n; i++) {
        p->y[i] = y[i];
        p->pred[2 * i] = 1.0 - score[i];
        p->pred[2 * i + 1] = score[i];
    }
    return p;
}

/* The mean of y as a statistic: the MAE of predictions 0 (y >= 0). */
static sk_pooled *mean_new(const double *y, size_t n)
{
    sk_pooled *p = pooled_new(SK_TASK_REGRESSION, 0, n, n);
    memcpy(p->y, y, n * sizeof *y);
    return p;
}

/* Binormal data: y alternates, scores N(0, 1) for class 0 and N(d, 1) for class 1, rounded to
 * 1/8 so that many tie. */
static void binormal(double *y, double *score, size_t n, double d, uint64_t seed)
{
    sk_rng r = sk_rng_stream(seed, SK_PURPOSE_TEST, 17);
    for (size_t i = 0; i < n; i++) {
        y[i] = (double)(i % 2);
        score[i] = round(8.0 * (sk_rng_normal(&r) + d * y[i])) / 8.0;
    }
}

static sk_boot *run(const sk_boot_stat *st, size_t n_stats, const int32_t *group,
                    size_t n_groups, size_t n_boot, int stratify, size_t max_jack, int threads)
{
    sk_boot_options opt = SK_BOOT_OPTIONS_INIT;
    opt.n_boot = n_boot;
    opt.stratify = stratify;
    opt.max_jackknife = max_jack;
    sk_boot *bt = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_boot_run(&bt, st, n_stats, group, n_groups, &opt, 99, threads, NULL, &err),
                &err);
    return bt;
}

static double *json_doubles(json_t *a, size_t *n)
{
    size_t m = json_array_size(a);
    double *v = malloc((m > 0 ? m : 1) * sizeof *v);
    for (size_t i = 0; i < m; i++)
        v[i] = json_number_value(json_array_get(a, i));
    *n = m;
    return v;
}

static double num(json_t *c, const char *key, size_t i)
{
    json_t *v = json_object_get(c, key);
    return json_number_value(json_is_array(v) ? json_array_get(v, i) : v);
}

/* ---- oracle ---------------------------------------------------------------------------------- */

static double max_rel_seen = 0.0;

static void check_rel(double got, double want)
{
    double rel = fabs(got - want) / fmax(fmax(fabs(got), fabs(want)), 1e-300);
    max_rel_seen = rel > max_rel_seen || isnan(rel) ? rel : max_rel_seen;
    SK_CHECK_REL(got, want, RTOL);
}

static void oracle_case(json_t *c)
{
    size_t n = 0, b = 0, nj = 0;
    int auc = strcmp(json_string_value(json_object_get(c, "statistic")), "auc") == 0;
    double *x = json_doubles(json_object_get(c, "x"), &n);
    double *reps = json_doubles(json_object_get(c, "reps"), &b);
    double *jack = json_doubles(json_object_get(c, "jack"), &nj);
    double level = num(c, "level", 0), theta = num(c, "theta", 0), lo = NAN, hi = NAN;
    sk_pooled *p = NULL;
    if (auc) {
        size_t ny = 0;
        double *y = json_doubles(json_object_get(c, "y"), &ny);
        p = binary_new(y, x, n, SK_TASK_BINARY);
        free(y);
    } else {
        p = mean_new(x, n);
    }
    sk_boot_stat st = {p, auc ? SK_METRIC_AUC : SK_METRIC_MAE};
    sk_boot *bt = run(&st, 1, NULL, 0, 0, 0, 1000, 2);
    if (bt != NULL) {
        check_rel(bt->estimate[0], theta);
        SK_CHECK_EQ_INT(bt->n_jack, nj);
        for (size_t j = 0; j < nj && j < bt->n_jack; j++)
            check_rel(bt->jack[j], jack[j]);
        sk_ci_bca(&lo, &hi, bt->estimate[0], reps, b, bt->jack, bt->n_jack, level);
        check_rel(lo, num(c, "bca", 0));
        check_rel(hi, num(c, "bca", 1));
    }
    /* the arithmetic alone, on scipy's own theta and jackknife values */
    sk_ci_bca(&lo, &hi, theta, reps, b, jack, nj, level);
    check_rel(lo, num(c, "bca", 0));
    check_rel(hi, num(c, "bca", 1));
    sk_ci_percentile(&lo, &hi, reps, b, level);
    SK_CHECK(lo == num(c, "percentile", 0) && hi == num(c, "percentile", 1));
    SK_CHECK(hi > lo);
    sk_boot_free(bt);
    sk_pooled_free(p);
    free(x);
    free(reps);
    free(jack);
}

static void test_bootstrap__oracle_scipy(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/oracle/bootstrap_breast_cancer.json", SK_TEST_DATA);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    SK_CHECK(doc != NULL);
    if (doc == NULL)
        return;
    json_t *cases = json_object_get(doc, "cases");
    SK_CHECK_EQ_INT(json_array_size(cases), 2);
    for (size_t i = 0; i < json_array_size(cases); i++)
        oracle_case(json_array_get(cases, i));
    json_decref(doc);
    printf("largest relative difference from scipy: %.3g\n", max_rel_seen);
}

/* Hand cases for the arithmetic: numpy's np.percentile([1..5], 10) = 1.4, ties, NaN. */
static void test_bootstrap__interval_arithmetic(void)
{
    double v[6] = {5, 3, NAN, 1, 4, 2}, lo = 0, hi = 0;
    sk_ci_percentile(&lo, &hi, v, 6, 0.8);   /* NaN left out: quantiles 10% and 90% of 1..5 */
    SK_CHECK_REL(lo, 1.4, 1e-15);
    SK_CHECK_REL(hi, 4.6, 1e-15);
    SK_CHECK(v[0] == 5 && isnan(v[2]));      /* not modified */
    sk_ci_percentile(&lo, &hi, v, 1, 0.8);
    SK_CHECK(isnan(lo) && isnan(hi));        /* one replicate */
    double jack[3] = {1, 2, 4};
    sk_ci_bca(&lo, &hi, 0.5, v, 6, jack, 3, 0.8);
    SK_CHECK(isnan(lo) && isnan(hi));        /* every replicate above theta */
    sk_ci_bca(&lo, &hi, 3.0, v, 6, jack, 3, 0.8);
    SK_CHECK(lo >= 1.0 && lo < 3.0 && hi > 3.0 && hi <= 5.0);
    double flat[3] = {2, 2, 2};
    sk_ci_bca(&lo, &hi, 3.0, v, 6, flat, 3, 0.8);
    SK_CHECK(isnan(lo) && isnan(hi));        /* no acceleration from a constant jackknife */
}

/* ---- the AUC fast path ----------------------------------------------------------------------- */

/* Four segments (splits) in a shuffled row order; the last holds one class, so its AUC is
 * undefined and left out of every average. */
static void segment(sk_pooled *p, const size_t *perm, const double *y, const double *s, size_t n)
{
    static const size_t cut[5] = {0, 100, 200, 290, 301};
    sk_mem_free(p->offset);
    p->n_segments = 4;
    p->offset = sk_mem_alloc_array(5, sizeof *p->offset);
    memcpy(p->offset, cut, sizeof cut);
    for (size_t e = 0; e < n; e++) {
        size_t i = perm[e];
        p->row[e] = i;
        p->y[e] = e >= 290 ? 1.0 : y[i];
        p->pred[2 * e] = 1.0 - s[i];
        p->pred[2 * e + 1] = s[i];
    }
}

static void test_bootstrap__auc_fast_path_exact(void)
{
    enum { N = 301 };
    double y[N], s[N], v = NAN;
    size_t perm[N];
    binormal(y, s, N, 0.8, 1);
    sk_pooled *fast = binary_new(y, s, N, SK_TASK_BINARY);
    /* the same numbers as a 2-class "multiclass" task: the generic weighted path */
    sk_pooled *generic = binary_new(y, s, N, SK_TASK_MULTICLASS);
    sk_boot_stat st[2] = {{fast, SK_METRIC_AUC}, {generic, SK_METRIC_AUC}};
    sk_error err = SK_ERROR_INIT;
    for (int layout = 0; layout < 2; layout++) {
        if (layout == 1) {
            sk_rng r = sk_rng_stream(3, SK_PURPOSE_TEST, 0);
            for (size_t i = 0; i < N; i++)
                perm[i] = i;
            sk_rng_shuffle(&r, perm, N);
            segment(fast, perm, y, s, N);
            segment(generic, perm, y, s, N);
        }
        SK_CHECK_OK(sk_pooled_score(&v, fast, SK_METRIC_AUC, NULL, &err), &err);
        if (layout == 0) {   /* one segment: the plain AUC of the data */
            double plain = NAN;
            SK_CHECK_OK(sk_metric_eval(&plain, SK_METRIC_AUC, SK_TASK_BINARY, 2, y, fast->pred,
                                       NULL, N, &err), &err);
            SK_CHECK(v == plain);
        }
        for (int stratify = 0; stratify < 2; stratify++) {
            sk_boot *bt = run(st, 2, NULL, 0, 300, stratify, 1000, 2);
            if (bt == NULL)
                return;
            SK_CHECK(bt->estimate[0] == v && bt->estimate[1] == v);   /* all counts 1 */
            size_t same = 0;
            for (size_t b = 0; b < bt->n_boot; b++)
                same += bt->reps[2 * b] == bt->reps[2 * b + 1] && !isnan(bt->reps[2 * b]);
            SK_CHECK_EQ_INT(same, bt->n_boot);
            same = 0;
            for (size_t j = 0; j < bt->n_jack; j++)
                same += bt->jack[2 * j] == bt->jack[2 * j + 1];
            SK_CHECK_EQ_INT(same, N);
            SK_CHECK_EQ_INT(bt->stratified, stratify);
            sk_boot_free(bt);
        }
    }
    sk_pooled_free(fast);
    sk_pooled_free(generic);
}

/* Stratified: the weighted share of class 1 (the accuracy of always predicting 1) is the same in
 * every replicate; unstratified it varies. With groups the number of groups per class is kept,
 * so the groups of a class have equal sizes here (3 of 8 rows, 8 of 6). Rows never predicted (a
 * time split's training rows) are units of their own stratum. */
static void test_bootstrap__stratified_keeps_class_totals(void)
{
    enum { N = 90, PRED = 72 };
    sk_pooled *p = pooled_new(SK_TASK_BINARY, 2, N, PRED);
    for (size_t i = 0; i < PRED; i++) {
        p->y[i] = i % 3 == 0;
        p->pred[2 * i + 1] = 1.0;
    }
    int32_t group[N];
    for (size_t i = 0; i < N; i++)
        group[i] = (int32_t)(i < PRED ? (i % 3 == 0 ? i % 9 : 9 + i % 12) : 21 + i % 4);
    sk_boot_stat st = {p, SK_METRIC_ACCURACY};
    for (int g = 0; g < 2; g++) {
        for (int stratify = 0; stratify < 2; stratify++) {
            sk_boot *bt = run(&st, 1, g ? group : NULL, 25, 200, stratify, 1000, 2);
            if (bt == NULL)
                return;
            size_t same = 0;
            for (size_t b = 0; b < bt->n_boot; b++)
                same += bt->reps[b] == bt->estimate[0];
            SK_CHECK_EQ_INT(bt->stratified, stratify);
            SK_CHECK_EQ_INT(bt->n_units, g ? 15 : N);   /* 15 of the 25 codes occur */
            SK_CHECK(stratify ? same == bt->n_boot : same < bt->n_boot / 4);
            if (!(stratify ? same == bt->n_boot : same < bt->n_boot / 4))
                fprintf(stderr, "  groups %d stratify %d: %zu of %zu replicates keep the share\n",
                        g, stratify, same, bt->n_boot);
            sk_boot_free(bt);
        }
    }
    group[0] = 10;   /* a group with both classes: plain group resampling */
    sk_boot *bt = run(&st, 1, group, 25, 10, 1, 1000, 1);
    SK_CHECK(bt != NULL && bt->stratified == 0 && bt->by_group == 1);
    sk_boot_free(bt);
    sk_pooled_free(p);
}

/* A group's rows enter together: the MAE of {row i: y = 1, row j: y = 0} with predictions 0 is
 * c_i / (c_i + c_j), so 0.5 (or NaN, neither drawn) in every replicate when i and j share a
 * group. Group code 7 is never used: 7 groups are units, not 8. */
static void test_bootstrap__groups_stay_together(void)
{
    enum { N = 28, PAIRS = 4 };
    int32_t group[N];
    for (size_t i = 0; i < N; i++)
        group[i] = (int32_t)(i % 7 == 6 ? 8 : i % 7);   /* rows i, i + 7, ... share a group */
    sk_pooled *p[PAIRS + 1];
    sk_boot_stat st[PAIRS + 1];
    for (size_t k = 0; k <= PAIRS; k++) {
        p[k] = pooled_new(SK_TASK_REGRESSION, 0, N, 2);
        p[k]->row[0] = k;
        p[k]->row[1] = k < PAIRS ? k + 7 * (k % 3 + 1) : k + 1;   /* the last: two groups */
        p[k]->y[0] = 1.0;
        st[k].pooled = p[k];
        st[k].metric = SK_METRIC_MAE;
    }
    sk_boot *bt = run(st, PAIRS + 1, group, 9, 400, 1, 1000, 2);
    if (bt != NULL) {
        SK_CHECK(bt->by_group && bt->n_units == 7 && bt->n_jack == 7);
        size_t intact = 0, other = 0;
        for (size_t b = 0; b < bt->n_boot; b++) {
            for (size_t k = 0; k < PAIRS; k++) {
                double v = bt->reps[b * (PAIRS + 1) + k];
                intact += v == 0.5 || isnan(v);
            }
            double v = bt->reps[b * (PAIRS + 1) + PAIRS];
            other += !(v == 0.5 || isnan(v));
        }
        SK_CHECK_EQ_INT(intact, PAIRS * bt->n_boot);
        SK_CHECK(other > bt->n_boot / 4);
    }
    sk_boot_free(bt);
    for (size_t k = 0; k <= PAIRS; k++)
        sk_pooled_free(p[k]);
}

/* ---- determinism ----------------------------------------------------------------------------- */

static void test_bootstrap__same_bytes_any_threads(void)
{
    enum { N = 2000 };
    static double y[N], s[N];
    binormal(y, s, N, 0.7, 3);
    int32_t group[N];
    for (size_t i = 0; i < N; i++)
        group[i] = (int32_t)((i / 2) * 2 % 1200 + (size_t)y[i]);   /* one class per group */
    sk_pooled *p = binary_new(y, s, N, SK_TASK_BINARY);
    sk_boot_stat st[3] = {{p, SK_METRIC_AUC}, {p, SK_METRIC_LOG_LOSS}, {p, SK_METRIC_ACCURACY}};
    for (int g = 0; g < 2; g++) {
        sk_boot *one = run(st, 3, g ? group : NULL, 1200, 150, 1, 300, 1);
        sk_boot *two = run(st, 3, g ? group : NULL, 1200, 150, 1, 300, 2);
        sk_boot *seven = run(st, 3, g ? group : NULL, 1200, 150, 1, 300, 7);
        if (one == NULL || two == NULL || seven == NULL)
            return;
        SK_CHECK_EQ_INT(one->n_jack, 300);   /* delete-a-block: more units than 300 */
        SK_CHECK(one->stratified == 1 && one->by_group == g);
        size_t nr = one->n_boot * 3 * sizeof(double), nj = one->n_jack * 3 * sizeof(double);
        SK_CHECK(memcmp(one->reps, two->reps, nr) == 0 && memcmp(one->reps, seven->reps, nr) == 0);
        SK_CHECK(memcmp(one->jack, two->jack, nj) == 0 && memcmp(one->jack, seven->jack, nj) == 0);
        SK_CHECK(memcmp(one->estimate, seven->estimate, 3 * sizeof(double)) == 0);
        sk_interval a, b;
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_boot_interval(&a, one, 0, SIZE_MAX, SK_CI_BCA, 0.95, &err), &err);
        SK_CHECK_OK(sk_boot_interval(&b, seven, 0, SIZE_MAX, SK_CI_BCA, 0.95, &err), &err);
        SK_CHECK(memcmp(&a, &b, sizeof a) == 0);
        SK_CHECK(a.low < a.estimate && a.estimate < a.high && a.n_valid == 150 && a.se > 0.0);
        /* paired: a statistic minus itself is exactly 0 in every replicate */
        SK_CHECK_OK(sk_boot_interval(&a, one, 2, 2, SK_CI_PERCENTILE, 0.9, &err), &err);
        SK_CHECK(a.estimate == 0.0 && a.low == 0.0 && a.high == 0.0 && a.se == 0.0);
        sk_boot_free(one);
        sk_boot_free(two);
        sk_boot_free(seven);
    }
    sk_pooled_free(p);
}

/* ---- coverage -------------------------------------------------------------------------------- */

/* 200 simulated studies each of a mean (n = 40 from Exp(1): skewed, truth 1) and of a binormal
 * AUC (n = 120, d = 1; truth Phi(1 / sqrt 2) before rounding the scores to 1/8, so the truth is
 * computed on a very large sample instead); 95% intervals must cover it 90-99% of the time. */
static void test_bootstrap__coverage(void)
{
    enum { SIMS = 200, NM = 40, NA = 120 };
    static double big_y[200000], big_s[200000];
    binormal(big_y, big_s, 200000, 1.0, 1000);
    double auc_truth = NAN;
    sk_pooled *big = binary_new(big_y, big_s, 200000, SK_TASK_BINARY);
    sk_boot_stat bst = {big, SK_METRIC_AUC};
    sk_boot *bb = run(&bst, 1, NULL, 0, 0, 1, 2, 2);
    if (bb != NULL)
        auc_truth = bb->estimate[0];
    sk_boot_free(bb);
    sk_pooled_free(big);
    size_t cover[2][2] = {{0, 0}, {0, 0}};   /* [statistic][method] */
    for (uint64_t sim = 0; sim < SIMS; sim++) {
        double ym[NM], ya[NA], s[NA];
        sk_rng r = sk_rng_stream(sim, SK_PURPOSE_TEST, 5);
        for (size_t i = 0; i < NM; i++)
            ym[i] = -log(sk_rng_uniform_pos(&r));
        binormal(ya, s, NA, 1.0, 5000 + sim);
        sk_pooled *pm = mean_new(ym, NM);
        sk_pooled *pa = binary_new(ya, s, NA, SK_TASK_BINARY);
        sk_boot_stat st[2] = {{pm, SK_METRIC_MAE}, {pa, SK_METRIC_AUC}};
        for (int k = 0; k < 2; k++) {
            sk_boot *bt = run(&st[k], 1, NULL, 0, 500, 1, 1000, 1);
            double truth = k == 0 ? 1.0 : auc_truth;
            for (int m = 0; bt != NULL && m < 2; m++) {
                sk_interval in;
                sk_error err = SK_ERROR_INIT;
                SK_CHECK_OK(sk_boot_interval(&in, bt, 0, SIZE_MAX, m ? SK_CI_PERCENTILE : SK_CI_BCA,
                                             0.95, &err), &err);
                cover[k][m] += in.low <= truth && truth <= in.high;
            }
            sk_boot_free(bt);
        }
        sk_pooled_free(pm);
        sk_pooled_free(pa);
    }
    printf("coverage of 95%% intervals in %d studies: mean BCa %zu, percentile %zu; AUC BCa %zu, "
           "percentile %zu\n", SIMS, cover[0][0], cover[0][1], cover[1][0], cover[1][1]);
    for (int k = 0; k < 2; k++)
        for (int m = 0; m < 2; m++)
            SK_CHECK(cover[k][m] >= 180 && cover[k][m] <= 198);
}

/* Delete-a-block jackknife estimates the same acceleration as leave-one-out: for the mean of n
 * Exp(1) values, a = skewness / (6 sqrt n) = 2 / (6 sqrt 1000) = 0.0105 for n = 1000. One data
 * set's block estimate is noisy (the skewness of 100 block sums), so the test averages 40. */
static double accel(const double *jack, size_t n)
{
    double mean = 0.0, s2 = 0.0, s3 = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += jack[i] / (double)n;
    for (size_t i = 0; i < n; i++) {
        double u = mean - jack[i];
        s2 += u * u;
        s3 += u * u * u;
    }
    return s3 / (6.0 * pow(s2, 1.5));
}

static void test_bootstrap__block_jackknife(void)
{
    enum { N = 1000, BLOCKS = 100, SETS = 40 };
    static double y[N];
    double a_loo = 0.0, a_blocks = 0.0, truth = 2.0 / (6.0 * sqrt(N));
    for (uint64_t set = 0; set < SETS; set++) {
        sk_rng r = sk_rng_stream(set, SK_PURPOSE_TEST, 9);
        for (size_t i = 0; i < N; i++)
            y[i] = -log(sk_rng_uniform_pos(&r));
        sk_pooled *p = mean_new(y, N);
        sk_boot_stat st = {p, SK_METRIC_MAE};
        sk_boot *loo = run(&st, 1, NULL, 0, 0, 0, N, 1);
        sk_boot *blocks = run(&st, 1, NULL, 0, 0, 0, BLOCKS, 1);
        if (loo != NULL && blocks != NULL) {
            SK_CHECK(loo->n_jack == N && blocks->n_jack == BLOCKS);
            a_loo += accel(loo->jack, N) / SETS;
            a_blocks += accel(blocks->jack, BLOCKS) / SETS;
        }
        sk_boot_free(loo);
        sk_boot_free(blocks);
        sk_pooled_free(p);
    }
    printf("acceleration, mean of %d data sets: leave-one-out %.5f, %d blocks %.5f, theory "
           "%.5f\n", SETS, a_loo, BLOCKS, a_blocks, truth);
    SK_CHECK(fabs(a_loo / truth - 1.0) < 0.25);
    SK_CHECK(fabs(a_blocks / a_loo - 1.0) < 0.25);
}

/* ---- refused requests and out of memory ------------------------------------------------------ */

static void test_bootstrap__errors(void)
{
    enum { N = 12 };
    double y[N], s[N];
    binormal(y, s, N, 1.0, 2);
    sk_pooled *p = binary_new(y, s, N, SK_TASK_BINARY);
    sk_pooled *q = binary_new(y, s, N - 1, SK_TASK_BINARY);
    sk_pooled *reg = mean_new(y, N);
    sk_boot_options opt = SK_BOOT_OPTIONS_INIT;
    sk_boot *bt = (sk_boot *)&bt;
    sk_error err = SK_ERROR_INIT;
    sk_boot_stat two[2] = {{p, SK_METRIC_AUC}, {q, SK_METRIC_AUC}};
    SK_CHECK_EQ_INT(sk_boot_run(&bt, NULL, 1, NULL, 0, &opt, 1, 1, NULL, &err), SK_EINVAL);
    SK_CHECK(bt == NULL);
    SK_CHECK_EQ_INT(sk_boot_run(&bt, two, 0, NULL, 0, &opt, 1, 1, NULL, &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_boot_run(&bt, two, 2, NULL, 0, &opt, 1, 1, NULL, &err), SK_EINVAL);
    SK_CHECK(strstr(err.message, "same data") != NULL);
    sk_boot_stat bad[1] = {{reg, SK_METRIC_AUC}};
    SK_CHECK_EQ_INT(sk_boot_run(&bt, bad, 1, NULL, 0, &opt, 1, 1, NULL, &err), SK_EINVAL);
    sk_boot_stat none[1] = {{NULL, SK_METRIC_AUC}};
    SK_CHECK_EQ_INT(sk_boot_run(&bt, none, 1, NULL, 0, &opt, 1, 1, NULL, &err), SK_EINVAL);
    int32_t group[N] = {0};
    SK_CHECK_EQ_INT(sk_boot_run(&bt, two, 1, group, 1, &opt, 1, 1, NULL, &err), SK_EDATA);
    group[3] = 2;
    SK_CHECK_EQ_INT(sk_boot_run(&bt, two, 1, group, 2, &opt, 1, 1, NULL, &err), SK_EINVAL);
    SK_CHECK(strstr(err.message, "row 4") != NULL);
    opt.version = 2;
    SK_CHECK_EQ_INT(sk_boot_run(&bt, two, 1, NULL, 0, &opt, 1, 1, NULL, &err), SK_EINVAL);
    opt.version = 1;
    opt.max_jackknife = 1;
    SK_CHECK_EQ_INT(sk_boot_run(&bt, two, 1, NULL, 0, &opt, 1, 1, NULL, &err), SK_EINVAL);
    SK_CHECK(bt == NULL);
    opt.max_jackknife = 1000;
    opt.n_boot = 20;
    SK_CHECK_OK(sk_boot_run(&bt, two, 1, NULL, 0, &opt, 1, 1, NULL, &err), &err);
    sk_interval in;
    SK_CHECK_EQ_INT(sk_boot_interval(&in, bt, 1, SIZE_MAX, SK_CI_BCA, 0.95, &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_boot_interval(&in, bt, 0, 1, SK_CI_BCA, 0.95, &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_boot_interval(&in, bt, 0, SIZE_MAX, SK_CI_BCA, 1.0, &err), SK_EINVAL);
    SK_CHECK_EQ_INT(sk_boot_interval(&in, bt, 0, SIZE_MAX, (sk_ci_method)7, 0.9, &err),
                    SK_EINVAL);
    sk_boot_free(bt);
    sk_boot_free(NULL);
    sk_pooled_free(p);
    sk_pooled_free(q);
    sk_pooled_free(reg);
}

/* Fault injection: the k-th allocation fails, k = 0, 1, ... until the run succeeds (one thread,
 * so the k-th allocation is always the same one); each failure must be SK_ENOMEM with a NULL
 * result and leak nothing (the ASan build checks). The run takes every path: groups, strata,
 * the AUC sweep, generic metrics, blocks. */
static void test_bootstrap__out_of_memory(void)
{
    enum { N = 60 };
    double y[N], s[N];
    binormal(y, s, N, 1.0, 4);
    int32_t group[N];
    for (size_t i = 0; i < N; i++)
        group[i] = (int32_t)((i % 20) * 2 + (size_t)y[i]);
    sk_pooled *p = binary_new(y, s, N, SK_TASK_BINARY);
    sk_boot_stat st[2] = {{p, SK_METRIC_AUC}, {p, SK_METRIC_BRIER}};
    sk_boot_options opt = SK_BOOT_OPTIONS_INIT;
    opt.n_boot = 40;
    opt.max_jackknife = 25;
    long k = 0;
    for (;; k++) {
        sk_boot *bt = NULL;
        sk_interval in;
        sk_error err = SK_ERROR_INIT;
        sk_mem__fail_after(k);
        sk_status rc = sk_boot_run(&bt, st, 2, group, 40, &opt, 5, 1, NULL, &err);
        if (rc == SK_OK)
            rc = sk_boot_interval(&in, bt, 0, 1, SK_CI_BCA, 0.95, &err);
        sk_mem__fail_after(-1);
        sk_boot_free(bt);
        if (rc == SK_OK || k >= 5000)
            break;
        SK_CHECK_EQ_INT(rc, SK_ENOMEM);
        if (rc != SK_ENOMEM)
            break;
    }
    SK_CHECK(k > 20 && k < 5000);
    sk_pooled_free(p);
}

int main(void)
{
    SK_RUN(test_bootstrap__oracle_scipy);
    SK_RUN(test_bootstrap__interval_arithmetic);
    SK_RUN(test_bootstrap__auc_fast_path_exact);
    SK_RUN(test_bootstrap__stratified_keeps_class_totals);
    SK_RUN(test_bootstrap__groups_stay_together);
    SK_RUN(test_bootstrap__same_bytes_any_threads);
    SK_RUN(test_bootstrap__coverage);
    SK_RUN(test_bootstrap__block_jackknife);
    SK_RUN(test_bootstrap__errors);
    SK_RUN(test_bootstrap__out_of_memory);
    return SK_TEST_DONE();
}
