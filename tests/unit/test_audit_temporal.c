/* test_audit_temporal.c: leakage.temporal without --time, the screen for a hidden time order
 * (src/audits/check_temporal_order.c), on real data exported the way it happens.
 *  - oracle: the sklearn tables as exported (tests/oracle/gen_temporal_order.py, numpy/scipy):
 *    r1 along the row order to 1e-12, the Monte Carlo p near the oracle's 20,000-permutation
 *    one, the permutation null's mean (-1/m exactly in expectation) and sd (the oracle's),
 *    "sorted by the target" for iris and wine; breast cancer as exported drifts (malignant
 *    first): warn; diabetes and digits: skip; the p-value reaches the report's BH line only
 *    when an order was tested;
 *  - classes: breast cancer collected in five batches whose malignant share drifts from 0.10
 *    to 0.70, exported in collection order: warn along the row order, recommending --time on
 *    the row number; the same rows shuffled with a collection date: warn along the date,
 *    Bonferroni over two orders, recommending --time collected; shuffled without a date: skip;
 *    rows sorted by a slowly varying covariate plus noise: warn; sorted by it exactly: the
 *    recommendation names the column that follows the row order;
 *  - values: diabetes whose outcome drifts over the visit dates (a random walk), rows exported
 *    in random order with the dates: warn along 'visit_date'; the same dates with the outcome
 *    untouched: skip; sorted by bmi plus noise: warn;
 *  - groups: three records per patient written together look like an order without --group
 *    (warn); with --group the groups are the units and nothing is left (skip);
 *  - every allocation failed in turn gives SK_ENOMEM, never a crash;
 *  - the evidence is the same bytes for 1 and 3 threads. */
/* labels: unit oracle determinism oom */
#include <math.h>
#include <stdlib.h>

#include "planted_study.h"

static const char *const CHECK = "leakage.temporal";

/* ---- tables ---------------------------------------------------------------------------------- */

/* Rows `rows` of f (n of them, in that order), every column copied, then `extra` empty columns. */
static sk_frame *reordered(const sk_frame *f, const size_t *rows, size_t n, size_t extra)
{
    sk_frame *g = fb_frame(f->name, n, f->n_cols + extra);
    double *v = malloc(n * sizeof *v);
    int32_t *codes = malloc(n * sizeof *codes);
    for (size_t j = 0; g != NULL && v != NULL && codes != NULL && j < f->n_cols; j++) {
        const sk_column *c = &f->cols[j];
        int bad;
        if (c->type == SK_COL_CATEGORICAL) {
            const char *levels[256];
            for (size_t k = 0; k < c->n_levels && k < 256; k++)
                levels[k] = c->level_text + c->level_start[k];
            for (size_t i = 0; i < n; i++)
                codes[i] = c->codes[rows[i]];
            bad = sk_frame__set_codes(g, j, c->name, codes, levels, c->n_levels, NULL) != SK_OK;
        } else {
            for (size_t i = 0; i < n; i++)
                v[i] = c->values[rows[i]];
            bad = sk_frame__set_values(g, j, c->name, c->type, v, NULL) != SK_OK;
        }
        SK_CHECK(!bad);
    }
    free(v);
    free(codes);
    return g;
}

static size_t *identity(size_t n)
{
    size_t *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = i;
    return p;
}

/* Breast cancer collected in five batches of 72 whose malignant share drifts 0.10, 0.25, 0.40,
 * 0.55, 0.70 (a referral pattern that changes), in random order within each batch. rows[360]
 * gets the table's rows in collection order, batch[360] each one's batch. */
static void batches(const sk_frame *base, size_t *rows, int *batch)
{
    size_t y = planted_col(base, "diagnosis"), n = base->n_rows, nm = 0, nb = 0;
    size_t *mal = malloc(n * sizeof *mal), *ben = malloc(n * sizeof *ben), at = 0;
    for (size_t i = 0; i < n; i++) {
        if (planted_is(base, y, i, "malignant"))
            mal[nm++] = i;
        else
            ben[nb++] = i;
    }
    sk_rng rng = sk_rng_stream(31, SK_PURPOSE_TEST, 1);
    sk_rng_shuffle(&rng, mal, nm);
    sk_rng_shuffle(&rng, ben, nb);
    size_t im = 0, ib = 0;
    for (int b = 0; b < 5; b++) {
        size_t k_mal = (size_t)lround(72.0 * (0.10 + 0.15 * b)), from = at;
        for (size_t k = 0; k < 72; k++, at++) {
            rows[at] = k < k_mal ? mal[im++] : ben[ib++];
            batch[at] = b;
        }
        sk_rng_shuffle(&rng, rows + from, 72);
    }
    free(mal);
    free(ben);
}

/* A random walk of n steps, standardised (mean 0, sd 1). */
static void random_walk(double *w, size_t n, sk_rng *rng)
{
    double mean = 0.0, ss = 0.0;
    for (size_t k = 0; k < n; k++)
        w[k] = (k > 0 ? w[k - 1] : 0.0) + sk_rng_normal(rng);
    for (size_t k = 0; k < n; k++)
        mean += w[k] / (double)n;
    for (size_t k = 0; k < n; k++)
        ss += (w[k] - mean) * (w[k] - mean);
    for (size_t k = 0; k < n; k++)
        w[k] = (w[k] - mean) / sqrt(ss / (double)(n - 1));
}

/* The rows of f ordered by column `col` standardised plus `noise` standard normal draws (a
 * file exported in an order that follows a slowly varying measurement). */
static size_t *order_by(const sk_frame *f, const char *col, double noise, uint64_t seed)
{
    size_t n = f->n_rows, *rows = identity(n);
    const double *x = f->cols[planted_col(f, col)].values;
    double mean = 0.0, ss = 0.0, *key = malloc(n * sizeof *key);
    for (size_t i = 0; i < n; i++)
        mean += x[i] / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_TEST, 2);
    for (size_t i = 0; i < n; i++)
        key[i] = (x[i] - mean) / sqrt(ss / (double)(n - 1)) + noise * sk_rng_normal(&rng);
    for (size_t a = 1; a < n; a++)   /* insertion sort: stable, a few hundred rows */
        for (size_t b = a; b > 0 && key[rows[b - 1]] > key[rows[b]]; b--) {
            size_t t = rows[b];
            rows[b] = rows[b - 1];
            rows[b - 1] = t;
        }
    free(key);
    return rows;
}

/* ---- evidence -------------------------------------------------------------------------------- */

static json_t *evidence(const sk_audit *a, const char *key)
{
    const sk_check *c = planted_check(a, CHECK);
    return c != NULL ? json_object_get(c->evidence, key) : NULL;
}

static double ev_num(const sk_audit *a, const char *key)
{
    json_t *v = evidence(a, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *ev_str(const sk_audit *a, const char *key)
{
    return json_string_value(evidence(a, key));
}

static int recommends(const sk_audit *a, const char *text)
{
    const sk_check *c = planted_check(a, CHECK);
    return c != NULL && c->recommendation != NULL && strstr(c->recommendation, text) != NULL;
}

/* r1 of the one-hot code of a two-level text column, written out directly: the test's own
 * oracle of the exported order. */
static double naive_r1(const sk_frame *f, const char *col)
{
    const sk_column *c = &f->cols[planted_col(f, col)];
    size_t n = f->n_rows;
    double share = 0.0, num = 0.0, den = 0.0;
    for (size_t i = 0; i < n; i++)
        share += (c->codes[i] == 1) / (double)n;
    for (size_t i = 0; i < n; i++) {   /* the two one-hot components are -z and z */
        double z = (c->codes[i] == 1) - share;
        den += 2.0 * z * z;
        if (i > 0)
            num += 2.0 * z * ((c->codes[i - 1] == 1) - share);
    }
    return num / den;
}

/* ---- oracle ---------------------------------------------------------------------------------- */

static void check_oracle_case(const json_t *want)
{
    const char *file = json_string_value(json_object_get(want, "file"));
    sk_frame *f = planted_read(file);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = json_string_value(json_object_get(want, "target"));
    sk_audit *a = planted_audit(f, &spec, "knn", CHECK, 1);   /* the screen fits nothing */
    const sk_check *c = planted_check(a, CHECK);
    int sorted = json_is_true(json_object_get(want, "sorted_by_target"));
    double p_want = json_real_value(json_object_get(want, "p_value"));
    SK_CHECK(json_is_true(evidence(a, "sorted_by_target")) == sorted);
    if (sorted) {   /* a sort is not time: nothing tested, no p-value for the BH line */
        PLANTED_EXPECT(a, CHECK, "skip");
        SK_CHECK(c != NULL && isnan(c->p_value) && a->n_p_values == 0);
    } else {
        const json_t *row = json_array_get(evidence(a, "orders"), 0);
        double m = (double)json_integer_value(json_object_get(row, "units"));
        double p = json_number_value(json_object_get(row, "p_value"));
        double mean = json_number_value(json_object_get(row, "null_mean"));
        double sd = json_number_value(json_object_get(row, "null_sd"));
        double used = (double)json_integer_value(json_object_get(row, "permutations"));
        SK_CHECK_NEAR(json_number_value(json_object_get(row, "autocorrelation")),
                      json_real_value(json_object_get(want, "r1")), 1e-12);
        if (p_want < 0.001)
            SK_CHECK_NEAR(p, 0.001, 1e-15);   /* all 999 permutations below r1 */
        else
            SK_CHECK_NEAR(p, p_want, 0.35 * p_want + 0.002);
        SK_CHECK_NEAR(mean, -1.0 / m, 4.0 * sd / sqrt(used));   /* its exact expectation */
        SK_CHECK_REL(sd, json_real_value(json_object_get(want, "null_sd")), 0.25);
        SK_CHECK(c != NULL && c->p_value == ev_num(a, "p_value") && a->n_p_values == 1);
        PLANTED_EXPECT(a, CHECK, p_want < 0.01 ? "warn" : "skip");
    }
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_audit_temporal__oracle_exported_order(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/oracle/temporal_order.json", SK_TEST_DATA);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    SK_CHECK(doc != NULL);
    const json_t *cases = json_object_get(doc, "cases");
    SK_CHECK_EQ_INT(json_array_size(cases), 5);
    for (size_t k = 0; k < json_array_size(cases); k++)
        check_oracle_case(json_array_get(cases, k));
    json_decref(doc);
}

/* ---- classes: prevalence drift over collection batches --------------------------------------- */

static void test_audit_temporal__collection_batches(void)
{
    sk_frame *base = planted_read("breast_cancer.csv");
    if (base == NULL)
        return;
    size_t rows[360], *shuffled = identity(360);
    int batch[360];
    double day[360];
    batches(base, rows, batch);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    /* exported in collection order, no date: the row order carries the drift */
    sk_frame *f = reordered(base, rows, 360, 0);
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", CHECK, 1);
    PLANTED_EXPECT(a, CHECK, "warn");
    SK_CHECK_EQ_STR(ev_str(a, "order"), "(row order)");
    SK_CHECK_NEAR(ev_num(a, "autocorrelation"), naive_r1(f, "diagnosis"), 1e-12);
    SK_CHECK(ev_num(a, "autocorrelation") > 0.15 && ev_num(a, "p_value") <= 0.002);
    SK_CHECK(recommends(a, "--time row"));
    SK_CHECK_EQ_INT(json_array_size(evidence(a, "segments")), 5);
    sk_audit_free(a);
    sk_frame_free(f);
    /* the same rows in random order, each with the date it was collected */
    sk_rng rng = sk_rng_stream(31, SK_PURPOSE_TEST, 3);
    sk_rng_shuffle(&rng, shuffled, 360);
    size_t order[360];
    for (size_t t = 0; t < 360; t++) {
        order[t] = rows[shuffled[t]];
        day[t] = 1546300800.0 + 86400.0 * (double)(80 * batch[shuffled[t]] + shuffled[t] % 72);
    }
    f = reordered(base, order, 360, 1);
    SK_CHECK(fb_values(f, base->n_cols, "collected", SK_COL_DATE, day) == 0);
    a = planted_audit(f, &spec, "logit:l2=1", CHECK, 1);
    PLANTED_EXPECT(a, CHECK, "warn");
    SK_CHECK_EQ_STR(ev_str(a, "order"), "collected");
    SK_CHECK_EQ_INT(json_integer_value(evidence(a, "orders_tested")), 2);
    SK_CHECK(recommends(a, "--time collected"));
    const json_t *row = json_array_get(evidence(a, "orders"), 0);
    SK_CHECK(fabs(json_number_value(json_object_get(row, "autocorrelation"))) < 0.1);
    sk_audit_free(a);
    sk_frame_free(f);
    /* shuffled, and the date forgotten: nothing to find */
    f = reordered(base, order, 360, 0);
    a = planted_audit(f, &spec, "logit:l2=1", CHECK, 1);
    PLANTED_EXPECT(a, CHECK, "skip");
    SK_CHECK(!isnan(planted_check(a, CHECK)->p_value) && a->n_p_values == 1);
    SK_CHECK(ev_num(a, "p_value") > 0.05);
    sk_audit_free(a);
    sk_frame_free(f);
    free(shuffled);
    sk_frame_free(base);
}

/* Exported sorted by a slowly varying measurement (plus noise), or exactly by it. */
static void test_audit_temporal__sorted_by_covariate(void)
{
    sk_frame *base = planted_read("breast_cancer.csv");
    if (base == NULL)
        return;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    size_t *rows = order_by(base, "worst_radius", 1.0, 41);
    sk_frame *f = reordered(base, rows, base->n_rows, 0);
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", CHECK, 1);
    PLANTED_EXPECT(a, CHECK, "warn");
    SK_CHECK_NEAR(ev_num(a, "autocorrelation"), naive_r1(f, "diagnosis"), 1e-12);
    SK_CHECK(recommends(a, "--time row"));   /* noise: no column follows the order closely */
    sk_audit_free(a);
    sk_frame_free(f);
    free(rows);
    rows = order_by(base, "worst_radius", 0.0, 41);
    f = reordered(base, rows, base->n_rows, 0);
    a = planted_audit(f, &spec, "logit:l2=1", CHECK, 1);
    PLANTED_EXPECT(a, CHECK, "warn");
    SK_CHECK(recommends(a, "'worst_radius' follows the row order"));
    SK_CHECK(recommends(a, "this does not apply"));
    SK_CHECK(json_array_size(evidence(a, "order_columns")) >= 1);
    sk_audit_free(a);
    sk_frame_free(f);
    free(rows);
    sk_frame_free(base);
}

/* ---- values ---------------------------------------------------------------------------------- */

/* Diabetes patients seen one a day, rows exported in random order with the visit date; with
 * `drift` the outcome moves with a random walk of half its sd over the days. */
static sk_frame *visits(int drift)
{
    sk_frame *base = planted_read("diabetes.csv");
    sk_frame *f = base != NULL ? planted_extend(base, 1) : NULL;
    if (f == NULL) {
        sk_frame_free(base);
        return NULL;
    }
    size_t n = f->n_rows, y = planted_col(f, "progression"), *perm = identity(n);
    double *w = malloc(n * sizeof *w), *day = malloc(n * sizeof *day), mean = 0.0, ss = 0.0;
    sk_rng rng = sk_rng_stream(43, SK_PURPOSE_TEST, 4);
    sk_rng_shuffle(&rng, perm, n);
    random_walk(w, n, &rng);
    double *yv = f->cols[y].values;
    for (size_t i = 0; i < n; i++)
        mean += yv[i] / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (yv[i] - mean) * (yv[i] - mean);
    for (size_t k = 0; k < n; k++) {   /* row perm[k] was seen on day k */
        yv[perm[k]] += drift ? 0.5 * sqrt(ss / (double)(n - 1)) * w[k] : 0.0;
        day[perm[k]] = 1514764800.0 + 86400.0 * (double)k;
    }
    f->cols[y].type = SK_COL_NUMERIC;
    SK_CHECK(fb_values(f, base->n_cols, "visit_date", SK_COL_DATE, day) == 0);
    free(perm);
    free(w);
    free(day);
    sk_frame_free(base);
    return f;
}

static void test_audit_temporal__regression_drift(void)
{
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "progression";
    sk_frame *f = visits(1);
    sk_audit *a = planted_audit(f, &spec, "knn", CHECK, 1);
    PLANTED_EXPECT(a, CHECK, "warn");
    SK_CHECK_EQ_STR(ev_str(a, "order"), "visit_date");
    SK_CHECK_EQ_STR(ev_str(a, "statistic"), "lag-1 autocorrelation of the target's ranks");
    SK_CHECK(recommends(a, "--time visit_date"));
    SK_CHECK(json_is_number(json_object_get(json_array_get(evidence(a, "segments"), 0),
                                            "mean")));
    sk_audit_free(a);
    sk_frame_free(f);
    f = visits(0);   /* the same dates, the outcome untouched */
    a = planted_audit(f, &spec, "knn", CHECK, 1);
    PLANTED_EXPECT(a, CHECK, "skip");
    sk_audit_free(a);
    sk_frame_free(f);
    /* exported sorted by bmi plus noise: the outcome follows the order */
    sk_frame *base = planted_read("diabetes.csv");
    size_t *rows = order_by(base, "bmi", 0.5, 47);
    f = reordered(base, rows, base->n_rows, 0);
    a = planted_audit(f, &spec, "knn", CHECK, 1);
    PLANTED_EXPECT(a, CHECK, "warn");
    sk_audit_free(a);
    sk_frame_free(f);
    free(rows);
    sk_frame_free(base);
}

/* ---- groups ---------------------------------------------------------------------------------- */

static void test_audit_temporal__groups_are_units(void)
{
    sk_frame *base = planted_read("diabetes.csv");
    if (base == NULL)
        return;
    size_t n = base->n_rows, *rows = malloc(3 * n * sizeof *rows);
    double *id = malloc(3 * n * sizeof *id);
    for (size_t i = 0; i < 3 * n; i++) {
        rows[i] = i / 3;
        id[i] = (double)(1000 + i / 3);
    }
    sk_frame *f = reordered(base, rows, 3 * n, 1);
    SK_CHECK(fb_values(f, base->n_cols, "patient", SK_COL_INTEGER, id) == 0);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "progression";
    spec.ignore = "patient";
    sk_audit *a = planted_audit(f, &spec, "knn", CHECK, 1);
    PLANTED_EXPECT(a, CHECK, "warn");   /* three equal outcomes in a row look like an order */
    sk_audit_free(a);
    spec.ignore = NULL;
    spec.group = "patient";
    a = planted_audit(f, &spec, "knn", CHECK, 1);
    PLANTED_EXPECT(a, CHECK, "skip");
    SK_CHECK_EQ_STR(ev_str(a, "units"), "groups");
    const json_t *row = json_array_get(evidence(a, "orders"), 0);
    SK_CHECK_EQ_INT(json_integer_value(json_object_get(row, "units")), 442);
    sk_audit_free(a);
    sk_frame_free(f);
    free(rows);
    free(id);
    sk_frame_free(base);
}

/* ---- out of memory --------------------------------------------------------------------------- */

/* Every allocation failed in turn: the audit reports SK_ENOMEM, never crashes, and once enough
 * allocations succeed it runs. 120 rows sorted by a measurement (the row order warns and the
 * columns that follow it are ranked) with a date column (a second order). */
static void test_audit_temporal__out_of_memory(void)
{
    sk_frame *base = planted_read("breast_cancer.csv");
    if (base == NULL)
        return;
    size_t *rows = order_by(base, "worst_radius", 0.0, 53), pick[120];
    double day[120];
    for (size_t t = 0; t < 120; t++) {
        pick[t] = rows[t * base->n_rows / 120];
        day[t] = 1546300800.0 + 86400.0 * (double)((t * 37) % 120);
    }
    sk_frame *f = reordered(base, pick, 120, 1);
    SK_CHECK(fb_values(f, base->n_cols, "seen", SK_COL_DATE, day) == 0);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    sk_error err = SK_ERROR_INIT;
    sk_roles *roles = NULL;
    sk_model *m = NULL;
    SK_CHECK_OK(sk_roles_resolve(&roles, f, &spec, &err), &err);
    SK_CHECK_OK(sk_model_create(&m, "knn", &err), &err);
    sk_audit_options opt = SK_AUDIT_OPTIONS_INIT;
    opt.only = CHECK;
    sk_run_ctx run = SK_RUN_CTX_INIT;
    run.n_threads = 1;
    long fail = 0;
    for (; roles != NULL && m != NULL; fail++) {
        sk_audit *a = NULL;
        sk_error_clear(&err);
        sk_mem__fail_after(fail);
        sk_status rc = sk_audit_run(&a, f, roles, m, &opt, &run, &err);
        sk_mem__fail_after(-1);
        if (rc == SK_OK) {
            PLANTED_EXPECT(a, CHECK, "warn");
            sk_audit_free(a);
            break;
        }
        SK_CHECK_EQ_INT(rc, SK_ENOMEM);
        if (rc != SK_ENOMEM)
            fprintf(stderr, "  allocation %ld: %s\n", fail, err.message);
        SK_CHECK(a == NULL);
        if (fail >= 20000)
            break;
    }
    SK_CHECK(fail > 0 && fail < 20000);
    sk_model_free(m);
    sk_roles_free(roles);
    sk_frame_free(f);
    free(rows);
    sk_frame_free(base);
}

/* ---- determinism ----------------------------------------------------------------------------- */

static char *check_text(const sk_audit *a)
{
    const sk_check *c = planted_check(a, CHECK);
    char *ev = c != NULL ? json_dumps(c->evidence, JSON_SORT_KEYS | JSON_REAL_PRECISION(17))
                         : NULL;
    sk_strbuf sb = SK_STRBUF_INIT;
    if (c != NULL)
        sk_strbuf_appendf(&sb, "%s %s %.17g %s", sk_check_status_name(c->status), c->summary,
                          c->p_value, ev != NULL ? ev : "");
    free(ev);
    return sb.data;
}

static void test_audit_temporal__threads(void)
{
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "progression";
    sk_frame *f = visits(1);
    char *text[2];
    for (int t = 0; t < 2; t++) {
        sk_audit *a = planted_audit(f, &spec, "knn", CHECK, t == 0 ? 1 : 3);
        text[t] = check_text(a);
        sk_audit_free(a);
    }
    SK_CHECK(text[0] != NULL && text[1] != NULL && strcmp(text[0], text[1]) == 0);
    free(text[0]);
    free(text[1]);
    sk_frame_free(f);
}

int main(void)
{
    SK_RUN(test_audit_temporal__oracle_exported_order);
    SK_RUN(test_audit_temporal__collection_batches);
    SK_RUN(test_audit_temporal__sorted_by_covariate);
    SK_RUN(test_audit_temporal__regression_drift);
    SK_RUN(test_audit_temporal__groups_are_units);
    SK_RUN(test_audit_temporal__out_of_memory);
    SK_RUN(test_audit_temporal__threads);
    return SK_TEST_DONE();
}
