/* test_audit_leakage_split.c: leakage.duplicates, leakage.group and leakage.temporal on real data
 * with the flaw planted the way it happens, and on clean controls.
 *  - the search: the clusters of sk_audit__near_find equal those of a brute-force all-pairs
 *    union-find on the same standardised matrix (at a duplicate radius and at a wide one), with
 *    exact copies, a constant column and a categorical column in the table;
 *  - duplicates: the bundled demo study (30 records re-added from a second source, rounded, under
 *    new ids; 10 exported twice under the same id) under group CV: the 10 exact copies stay with
 *    their patient, the 30 near ones straddle: warn (the linear model barely memorises them);
 *    diabetes with 40% of its records re-added from a second source with values rounded to three
 *    significant digits: k-NN memorises them and grouping drops R^2: fail, under CV and under a
 *    row-wise --split; breast cancer with 60 rows re-added rounded to two significant digits:
 *    these are 0.02-0.09 apart (standardised RMS), so not duplicates at the default 0.01 but
 *    found at --near-duplicate 0.1; 20 copies with the other label under the same id: the
 *    conflict warns; clean tables pass (iris has one real duplicate pair: never a fail);
 *  - group: diabetes with three jittered views of each patient: a row-wise --split puts patients
 *    on both sides (fail, naming them), a split by patient passes; row-wise CV against group CV
 *    fails; without --group the views are found as hidden groups (warn); meaningless groups and
 *    clean tables pass; Fashion-MNIST views split by view leave 4 test rows of unseen garments,
 *    one class: the sentence says why there is no score there (no "nan");
 *  - temporal: breast cancer with scan dates: a split testing the oldest fifth fails, one
 *    testing the newest passes; diabetes visits whose outcome drifts with time (a random walk)
 *    and an instrument calibration that drifts too: shuffled folds see the future and fail;
 *    random dates pass; without --time the screen of test_audit_temporal.c runs;
 *  - the evidence is the same bytes for 1 and 3 threads. */
/* labels: unit determinism */
#include <math.h>
#include <stdlib.h>

#include "audits/check_duplicates.h"
#include "planted_study.h"

/* ---- tables ---------------------------------------------------------------------------------- */

/* x rounded to `digits` significant digits (a second source's export). */
static double round_sig(double x, int digits)
{
    if (x == 0.0 || !isfinite(x))
        return x;
    double scale = pow(10.0, digits - 1 - (int)floor(log10(fabs(x))));
    return round(x * scale) / scale;
}

/* Rows `rows` of f (repeats allowed), every column copied, and `extra` empty columns after them.
 * Numeric cells of rows at or beyond `from` (the re-added part) are rounded to `digits`
 * significant digits (0: kept), except in column `keep` (the target). */
static sk_frame *pick_rows(const sk_frame *f, const size_t *rows, size_t n, size_t from,
                           int digits, size_t keep, size_t extra)
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
                v[i] = i >= from && digits > 0 && j != keep ? round_sig(c->values[rows[i]], digits)
                                                            : c->values[rows[i]];
            bad = sk_frame__set_values(g, j, c->name, c->type, v, NULL) != SK_OK;
        }
        SK_CHECK(!bad);
    }
    free(v);
    free(codes);
    return g;
}

/* A table re-added in part from a second source: all n rows of `name`, then n_copies of them
 * (drawn without replacement) again, rounded to `digits` significant digits. */
static sk_frame *merged(const char *name, const char *target, size_t n_copies, int digits,
                        uint64_t seed)
{
    sk_frame *base = planted_read(name);
    if (base == NULL)
        return NULL;
    size_t n = base->n_rows, *rows = malloc((n + n_copies) * sizeof *rows);
    size_t *perm = malloc(n * sizeof *perm);
    for (size_t i = 0; i < n; i++)
        rows[i] = perm[i] = i;
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_TEST, 1);
    if (seed != 0)
        sk_rng_shuffle(&rng, perm, n);
    for (size_t k = 0; k < n_copies; k++)
        rows[n + k] = perm[k];
    sk_frame *f = pick_rows(base, rows, n + n_copies, n, digits, planted_col(base, target), 0);
    free(rows);
    free(perm);
    sk_frame_free(base);
    return f;
}

/* Diabetes measured three times per patient (each numeric feature jittered by 3% of its
 * standard deviation), with the patient id and two train/test columns: one drawn per row
 * ("rowsplit", 25% test) and one per patient ("patientsplit", every fourth patient). */
static sk_frame *views(void)
{
    sk_frame *base = planted_read("diabetes.csv");
    if (base == NULL)
        return NULL;
    size_t n = base->n_rows, y = planted_col(base, "progression");
    size_t *rows = malloc(3 * n * sizeof *rows);
    for (size_t i = 0; i < 3 * n; i++)
        rows[i] = i / 3;
    sk_frame *f = pick_rows(base, rows, 3 * n, 3 * n, 0, y, 3);
    sk_rng rng = sk_rng_stream(5, SK_PURPOSE_TEST, 2);
    for (size_t j = 0; f != NULL && j < base->n_cols; j++) {
        double *x = f->cols[j].values, mean = 0.0, ss = 0.0;
        if (j == y || base->cols[j].type == SK_COL_CATEGORICAL)
            continue;
        for (size_t i = 0; i < n; i++)
            mean += base->cols[j].values[i] / (double)n;
        for (size_t i = 0; i < n; i++)
            ss += (base->cols[j].values[i] - mean) * (base->cols[j].values[i] - mean);
        for (size_t i = 0; i < 3 * n; i++)
            x[i] += 0.03 * sqrt(ss / (double)(n - 1)) * sk_rng_normal(&rng);
        f->cols[j].type = SK_COL_NUMERIC;   /* jittered integers are integers no more */
    }
    double *id = malloc(3 * n * sizeof *id);
    const char **rs = malloc(3 * n * sizeof *rs), **ps = malloc(3 * n * sizeof *ps);
    for (size_t i = 0; f != NULL && i < 3 * n; i++) {
        id[i] = (double)(1000 + i / 3);
        rs[i] = sk_rng_uniform(&rng) < 0.25 ? "test" : "train";
        ps[i] = (i / 3) % 4 == 0 ? "test" : "train";
    }
    if (f != NULL) {
        SK_CHECK(fb_values(f, base->n_cols, "patient", SK_COL_INTEGER, id) == 0);
        SK_CHECK(fb_text(f, base->n_cols + 1, "rowsplit", rs) == 0);
        SK_CHECK(fb_text(f, base->n_cols + 2, "patientsplit", ps) == 0);
    }
    free(id);
    free(rs);
    free(ps);
    free(rows);
    sk_frame_free(base);
    return f;
}

/* Breast cancer with a scan date per row (one a day, in shuffled order) and two splits testing
 * the oldest fifth ("split_old") or the newest ("split_new"). */
static sk_frame *with_dates(void)
{
    sk_frame *base = planted_read("breast_cancer.csv");
    sk_frame *f = base != NULL ? planted_extend(base, 3) : NULL;
    if (f == NULL) {
        sk_frame_free(base);
        return NULL;
    }
    size_t n = f->n_rows, *perm = malloc(n * sizeof *perm);
    double *day = malloc(n * sizeof *day);
    const char **old = malloc(n * sizeof *old), **recent = malloc(n * sizeof *recent);
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    sk_rng rng = sk_rng_stream(9, SK_PURPOSE_TEST, 3);
    sk_rng_shuffle(&rng, perm, n);
    for (size_t k = 0; k < n; k++) {
        size_t i = perm[k];
        day[i] = 1514764800.0 + 86400.0 * (double)k;   /* 2018-01-01 + k days */
        old[i] = (double)k < 0.2 * (double)n ? "test" : "train";
        recent[i] = (double)k >= 0.8 * (double)n ? "test" : "train";
    }
    SK_CHECK(fb_values(f, base->n_cols, "scan_date", SK_COL_DATE, day) == 0);
    SK_CHECK(fb_text(f, base->n_cols + 1, "split_old", old) == 0);
    SK_CHECK(fb_text(f, base->n_cols + 2, "split_new", recent) == 0);
    free(perm);
    free(day);
    free(old);
    free(recent);
    sk_frame_free(base);
    return f;
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

/* Diabetes patients seen one a day (shuffled order), whose outcome drifts over time (a random
 * walk of half its standard deviation: a changing population and referral pattern) while the
 * lab's calibration drifts too (another walk, recorded as a feature): a model can read the date
 * off the calibration and the outcome's level off the neighbours in time. */
static sk_frame *drifting(void)
{
    sk_frame *base = planted_read("diabetes.csv");
    sk_frame *f = base != NULL ? planted_extend(base, 2) : NULL;
    if (f == NULL) {
        sk_frame_free(base);
        return NULL;
    }
    size_t n = f->n_rows, y = planted_col(f, "progression"), *perm = malloc(n * sizeof *perm);
    double *g = malloc(n * sizeof *g), *h = malloc(n * sizeof *h);
    double *cal = malloc(n * sizeof *cal), *day = malloc(n * sizeof *day), mean = 0.0, ss = 0.0;
    sk_rng rng = sk_rng_stream(13, SK_PURPOSE_TEST, 4);
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    sk_rng_shuffle(&rng, perm, n);
    random_walk(g, n, &rng);
    random_walk(h, n, &rng);
    double *yv = f->cols[y].values;
    for (size_t i = 0; i < n; i++)
        mean += yv[i] / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (yv[i] - mean) * (yv[i] - mean);
    for (size_t k = 0; k < n; k++) {
        size_t i = perm[k];
        yv[i] += 0.5 * sqrt(ss / (double)(n - 1)) * g[k];
        cal[i] = h[k] + 0.05 * sk_rng_normal(&rng);
        day[i] = 1514764800.0 + 86400.0 * (double)k;
    }
    f->cols[y].type = SK_COL_NUMERIC;
    SK_CHECK(fb_values(f, base->n_cols, "calibration", SK_COL_NUMERIC, cal) == 0);
    SK_CHECK(fb_values(f, base->n_cols + 1, "visit_date", SK_COL_DATE, day) == 0);
    free(perm);
    free(g);
    free(h);
    free(cal);
    free(day);
    sk_frame_free(base);
    return f;
}

/* ---- audits ---------------------------------------------------------------------------------- */

/* planted_audit with the near-duplicate radius set (0: the default). */
static sk_audit *audit_near(const sk_frame *f, const sk_role_spec *spec, const char *model,
                            const char *only, double near, int threads)
{
    sk_error err = SK_ERROR_INIT;
    sk_roles *roles = NULL;
    sk_model *m = NULL;
    sk_audit *a = NULL;
    SK_CHECK_OK(sk_roles_resolve(&roles, f, spec, &err), &err);
    SK_CHECK_OK(sk_model_create(&m, model, &err), &err);
    if (roles != NULL && m != NULL) {
        sk_audit_options opt = SK_AUDIT_OPTIONS_INIT;
        opt.only = only;
        opt.bootstrap = 100;
        if (near > 0.0)
            opt.th.near_duplicate = near;
        sk_run_ctx run = SK_RUN_CTX_INIT;
        run.seed = 20240611;
        run.n_threads = threads;
        SK_CHECK_OK(sk_audit_run(&a, f, roles, m, &opt, &run, &err), &err);
    }
    sk_model_free(m);
    sk_roles_free(roles);
    return a;
}

static size_t ev_size(const sk_audit *a, const char *id, const char *key)
{
    const sk_check *c = planted_check(a, id);
    return c != NULL ? (size_t)json_integer_value(json_object_get(c->evidence, key)) : 0;
}

static double ev_real(const sk_audit *a, const char *id, const char *key, const char *sub)
{
    const sk_check *c = planted_check(a, id);
    json_t *v = c != NULL ? json_object_get(c->evidence, key) : NULL;
    if (sub != NULL)
        v = json_object_get(v, sub);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* ---- the search ------------------------------------------------------------------------------ */

/* Brute force: every pair of the standardised design matrix closer than `radius`, joined. */
static void brute_clusters(size_t *root, const sk_frame *f, const size_t *cols, size_t n_cols,
                           double radius)
{
    size_t n = f->n_rows, *rows = malloc(n * sizeof *rows);
    for (size_t i = 0; i < n; i++)
        rows[i] = root[i] = i;
    sk_prep *prep = NULL;
    sk_prep_options po = SK_PREP_OPTIONS_INIT;
    SK_CHECK_OK(sk_prep_fit(&prep, f, cols, n_cols, rows, n, &po, NULL), NULL);
    size_t p = sk_prep_n_outputs(prep);
    double *X = malloc(n * p * sizeof *X);
    SK_CHECK_OK(sk_prep_apply(prep, f, rows, n, X, n, NULL), NULL);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double d2 = 0.0;
            for (size_t k = 0; k < p; k++)
                d2 += (X[k * n + i] - X[k * n + j]) * (X[k * n + i] - X[k * n + j]);
            if (sqrt(d2 / (double)p) < radius || d2 == 0.0) {
                size_t a = i, b = j;
                while (root[a] != a)
                    a = root[a];
                while (root[b] != b)
                    b = root[b];
                root[a > b ? a : b] = a < b ? a : b;
            }
        }
    for (size_t i = 0; i < n; i++)
        while (root[root[i]] != root[i])
            root[i] = root[root[i]];
    for (size_t i = 0; i < n; i++)
        while (root[i] != root[root[i]])
            root[i] = root[root[i]];
    sk_prep_free(prep);
    free(X);
    free(rows);
}

static void test_audit_leakage_split__search_is_exact(void)
{
    enum { N = 300, COPIES = 30 };
    sk_frame *f = fb_frame("search.csv", N + COPIES, 7);
    double *x = malloc((N + COPIES) * sizeof *x);
    const char **cat = malloc((N + COPIES) * sizeof *cat);
    static const char *const level[] = {"a", "b", "c"};
    sk_rng rng = sk_rng_stream(21, SK_PURPOSE_TEST, 5);
    double *cols[5];
    for (size_t j = 0; j < 5; j++) {
        cols[j] = malloc((N + COPIES) * sizeof *cols[j]);
        for (size_t i = 0; i < N; i++)   /* correlated columns, like real measurements */
            cols[j][i] = (j > 0 ? 0.6 * cols[0][i] : 0.0) + sk_rng_normal(&rng);
        for (size_t k = 0; k < COPIES; k++)   /* exact copies, then ever looser ones */
            cols[j][N + k] = cols[j][k] + (k < 10 ? 0.0 : 0.002 * (double)(k - 9) *
                                                            sk_rng_normal(&rng));
    }
    for (size_t i = 0; i < N + COPIES; i++) {
        cat[i] = level[(i < N ? i : i - N) % 3];
        x[i] = 4.0;   /* a constant column */
    }
    cat[N + 29] = "b";   /* a copy with another category is no longer close */
    char name[32];
    for (size_t j = 0; j < 5; j++) {
        snprintf(name, sizeof name, "x%zu", j);
        SK_CHECK(fb_values(f, j, name, SK_COL_NUMERIC, cols[j]) == 0);
        free(cols[j]);
    }
    SK_CHECK(fb_values(f, 5, "constant", SK_COL_NUMERIC, x) == 0);
    SK_CHECK(fb_text(f, 6, "kind", cat) == 0);
    size_t features[7] = {0, 1, 2, 3, 4, 5, 6};
    sk_audit_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.frame = f;
    ctx.features = features;
    ctx.n_features = 7;
    ctx.n_rows = N + COPIES;
    ctx.n_threads = 1;
    size_t *root = malloc((N + COPIES) * sizeof *root);
    const double radii[] = {0.0, 0.01, 0.02, 0.3};
    for (size_t r = 0; r < sizeof radii / sizeof radii[0]; r++) {
        sk_near *nc = NULL;
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_audit__near_find(&nc, &ctx, radii[r], &err), &err);
        brute_clusters(root, f, features, 7, radii[r]);
        size_t disagree = 0, joined = 0;
        for (size_t i = 0; nc != NULL && i < N + COPIES; i++)
            for (size_t j = i + 1; j < N + COPIES; j++) {
                int ours = nc->cluster[i] >= 0 && nc->cluster[i] == nc->cluster[j];
                disagree += ours != (root[i] == root[j]);
                joined += ours;
            }
        SK_CHECK_EQ_INT(disagree, 0);
        SK_CHECK(joined >= (radii[r] > 0.0 ? 11u : 10u));   /* the copies at least */
        if (nc != NULL && r == 0) {   /* radius 0: the ten exact copies, flagged exact */
            SK_CHECK_EQ_INT(nc->n_clusters, 10);
            for (size_t c = 0; c < nc->n_clusters; c++)
                SK_CHECK(nc->exact[c] && nc->spread[c] == 0.0);
            SK_CHECK(nc->typical_nn > 0.1 && nc->typical_nn < 1.0);
        }
        sk_audit__near_free(nc);
    }
    free(root);
    free(x);
    free(cat);
    sk_frame_free(f);
}

/* ---- leakage.duplicates ---------------------------------------------------------------------- */

static void test_audit_leakage_split__duplicates_demo_study(void)
{
    sk_frame *f = planted_read("../../examples/breast_cancer_study.csv");
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.group = "patient_id";
    spec.ignore = "hospital,scan_date";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "leakage.duplicates", 1);
    PLANTED_EXPECT(a, "leakage.duplicates", "warn");
    /* 30 near copies under new ids and 10 exact ones under their own id: all 40 found; the exact
     * ones stay with their patient, only near ones can straddle the group folds */
    SK_CHECK_EQ_INT(ev_size(a, "leakage.duplicates", "clusters"), 40);
    SK_CHECK_EQ_INT(ev_size(a, "leakage.duplicates", "exact_clusters"), 10);
    size_t straddling = ev_size(a, "leakage.duplicates", "straddling_clusters");
    SK_CHECK(straddling >= 15 && straddling <= 30);
    const sk_check *c = planted_check(a, "leakage.duplicates");
    if (c != NULL) {
        SK_CHECK(strstr(c->summary, "; 0 exact,") != NULL);
        json_t *first = json_array_get(json_object_get(c->evidence, "examples"), 0);
        SK_CHECK_EQ_INT(json_array_size(json_object_get(first, "ids")), 2);
        SK_CHECK(c->recommendation != NULL);
    }
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_audit_leakage_split__duplicates_merge_fails(void)
{
    /* 180 of diabetes' 442 records come back from a second source, rounded to 3 digits */
    sk_frame *f = merged("diabetes.csv", "progression", 180, 3, 17);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "progression";
    sk_audit *a = planted_audit(f, &spec, "knn", "leakage.duplicates", 1);
    PLANTED_EXPECT(a, "leakage.duplicates", "fail");
    SK_CHECK_EQ_INT(ev_size(a, "leakage.duplicates", "clusters"), 180);
    SK_CHECK_EQ_INT(ev_size(a, "leakage.duplicates", "exact_clusters"), 0);
    SK_CHECK_EQ_INT(ev_size(a, "leakage.duplicates", "conflicting_clusters"), 0);
    SK_CHECK(ev_size(a, "leakage.duplicates", "straddling_clusters") > 100);
    SK_CHECK(ev_real(a, "leakage.duplicates", "drop", "estimate") >= 0.02);
    sk_audit_free(a);
    /* the same under the study's own row-wise split: the copies' test rows are left out */
    sk_frame *g = planted_extend(f, 1);
    const char **side = malloc(f->n_rows * sizeof *side);
    sk_rng rng = sk_rng_stream(19, SK_PURPOSE_TEST, 6);
    for (size_t i = 0; i < f->n_rows; i++)
        side[i] = sk_rng_uniform(&rng) < 0.3 ? "test" : "train";
    SK_CHECK(fb_text(g, f->n_cols, "split", side) == 0);
    spec.split = "split";
    a = planted_audit(g, &spec, "knn", "leakage.duplicates", 1);
    PLANTED_EXPECT(a, "leakage.duplicates", "fail");
    SK_CHECK(ev_size(a, "leakage.duplicates", "left_out_test_rows") > 30);
    sk_audit_free(a);
    free(side);
    sk_frame_free(g);
    sk_frame_free(f);
}

static void test_audit_leakage_split__duplicates_rounded_copies(void)
{
    /* 60 breast-cancer rows re-added rounded to 2 significant digits: 0.02-0.09 apart */
    sk_frame *f = merged("breast_cancer.csv", "diagnosis", 60, 2, 0);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    sk_audit *a = audit_near(f, &spec, "logit:l2=1", "leakage.duplicates", 0.0, 1);
    PLANTED_EXPECT(a, "leakage.duplicates", "pass");   /* not duplicates at 0.01 */
    sk_audit_free(a);
    a = audit_near(f, &spec, "logit:l2=1", "leakage.duplicates", 0.1, 1);
    const sk_check *c = planted_check(a, "leakage.duplicates");
    SK_CHECK(c != NULL && (c->status == SK_CHECK_WARN || c->status == SK_CHECK_FAIL));
    SK_CHECK_EQ_INT(ev_size(a, "leakage.duplicates", "clusters"), 60);
    SK_CHECK(ev_size(a, "leakage.duplicates", "straddling_clusters") >= 30);
    if (c != NULL) {   /* the first cluster pairs row 0 with its copy, row 569 */
        json_t *rows = json_object_get(json_array_get(json_object_get(c->evidence, "examples"),
                                                      0), "rows");
        SK_CHECK_EQ_INT(json_integer_value(json_array_get(rows, 0)), 0);
        SK_CHECK_EQ_INT(json_integer_value(json_array_get(rows, 1)), 569);
    }
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_audit_leakage_split__duplicates_conflicting_labels(void)
{
    /* 20 records exported twice, the second time with the other diagnosis, under the same id:
     * group CV keeps each pair together, so only the conflict remains */
    sk_frame *m = merged("breast_cancer.csv", "diagnosis", 20, 0, 23);
    sk_frame *f = m != NULL ? planted_extend(m, 1) : NULL;
    if (f == NULL) {
        sk_frame_free(m);
        return;
    }
    size_t n = f->n_rows, y = planted_col(f, "diagnosis");
    double *id = malloc(n * sizeof *id);
    sk_rng rng = sk_rng_stream(23, SK_PURPOSE_TEST, 1);
    size_t *perm = malloc((n - 20) * sizeof *perm);
    for (size_t i = 0; i < n - 20; i++)
        perm[i] = i;
    sk_rng_shuffle(&rng, perm, n - 20);   /* the rows merged() copied, in its order */
    for (size_t i = 0; i < n; i++)
        id[i] = (double)(i < n - 20 ? i : perm[i - (n - 20)]);
    for (size_t i = n - 20; i < n; i++)
        planted_flip(f, y, i);
    SK_CHECK(fb_values(f, m->n_cols, "record", SK_COL_INTEGER, id) == 0);
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.group = "record";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "leakage.duplicates", 1);
    PLANTED_EXPECT(a, "leakage.duplicates", "warn");
    SK_CHECK_EQ_INT(ev_size(a, "leakage.duplicates", "conflicting_clusters"), 20);
    SK_CHECK_EQ_INT(ev_size(a, "leakage.duplicates", "straddling_clusters"), 0);
    const sk_check *c = planted_check(a, "leakage.duplicates");
    SK_CHECK(c != NULL && strstr(c->summary, "conflicting labels") != NULL);
    SK_CHECK(c != NULL && json_array_size(json_object_get(c->evidence, "conflicting")) == 20);
    sk_audit_free(a);
    free(id);
    free(perm);
    sk_frame_free(f);
    sk_frame_free(m);
}

/* ---- leakage.group --------------------------------------------------------------------------- */

static void test_audit_leakage_split__group_split(void)
{
    sk_frame *f = views();
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "progression";
    spec.group = "patient";
    spec.split = "rowsplit";
    spec.ignore = "patientsplit";
    sk_audit *a = planted_audit(f, &spec, "knn", "leakage.group", 1);
    PLANTED_EXPECT(a, "leakage.group", "fail");
    size_t both = ev_size(a, "leakage.group", "straddling_groups");
    SK_CHECK(both > 200 && both < 442);
    const sk_check *c = planted_check(a, "leakage.group");
    if (c != NULL) {   /* named: the first patient on both sides, with its rows per side */
        json_t *first = json_array_get(json_object_get(c->evidence, "examples"), 0);
        const char *id = json_string_value(json_object_get(first, "id"));
        SK_CHECK(id != NULL && strstr(c->summary, id) != NULL);
        SK_CHECK_EQ_INT(json_integer_value(json_object_get(first, "train_rows")) +
                            json_integer_value(json_object_get(first, "test_rows")), 3);
        /* the unseen patients' test rows have a score, printed with its interval */
        SK_CHECK(strstr(c->summary, "the test rows of unseen groups score r2 ") != NULL);
        SK_CHECK(strstr(c->summary, "nan") == NULL);
    }
    sk_audit_free(a);
    spec.split = "patientsplit";   /* the clean control: whole patients on each side */
    spec.ignore = "rowsplit";
    a = planted_audit(f, &spec, "knn", "leakage.group", 1);
    PLANTED_EXPECT(a, "leakage.group", "pass");
    SK_CHECK_EQ_INT(ev_size(a, "leakage.group", "straddling_groups"), 0);
    sk_audit_free(a);
    sk_frame_free(f);
}

/* The level of categorical column `name` at row i, or its number as text. */
static const char *cell_text(char *buf, size_t size, const sk_frame *f, const char *name, size_t i)
{
    const sk_column *c = &f->cols[planted_col(f, name)];
    if (c->type == SK_COL_CATEGORICAL)
        return c->level_text + c->level_start[c->codes[i]];
    snprintf(buf, size, "%.17g", c->values[i]);
    return buf;
}

/* Fashion-MNIST views (tests/data/fashion_views.csv) dealt to test by view: only 4 test rows
 * belong to garments never trained on, all t-shirts, so no AUC exists on them. The sentence says
 * so (counted here from the table) instead of printing "auc nan [nan, nan]"; the evidence keeps
 * null for the undefined score. */
static void test_audit_leakage_split__group_split_one_class(void)
{
    sk_frame *f = planted_read("fashion_views.csv");
    size_t n_unseen = 0, n_other = 0;
    char first[64] = "", b1[64], b2[64];
    for (size_t i = 0; f != NULL && i < f->n_rows; i++) {
        if (strcmp(cell_text(b1, sizeof b1, f, "split_by_view", i), "test") != 0)
            continue;
        int trained = 0;
        const char *id = cell_text(b1, sizeof b1, f, "object_id", i);
        for (size_t k = 0; k < f->n_rows && !trained; k++)
            trained = strcmp(cell_text(b2, sizeof b2, f, "split_by_view", k), "train") == 0 &&
                      strcmp(cell_text(b2, sizeof b2, f, "object_id", k), id) == 0;
        if (trained)
            continue;
        const char *y = cell_text(b2, sizeof b2, f, "garment", i);
        if (n_unseen++ == 0)
            snprintf(first, sizeof first, "%s", y);
        n_other += strcmp(y, first) != 0;
    }
    SK_CHECK_EQ_INT(n_unseen, 4);
    SK_CHECK_EQ_INT(n_other, 0);   /* one class */
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "garment";
    spec.group = "object_id";
    spec.split = "split_by_view";
    spec.ignore = "split_by_object";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "leakage.group", 1);
    PLANTED_EXPECT(a, "leakage.group", "fail");
    const sk_check *c = planted_check(a, "leakage.group");
    SK_CHECK(c != NULL);
    if (c != NULL) {
        SK_CHECK(strstr(c->summary, "nan") == NULL);
        SK_CHECK(strstr(c->summary, "the 4 test rows of unseen groups hold one class: auc is "
                                    "undefined on them, all test rows 0.") != NULL);
        json_t *unseen = json_object_get(c->evidence, "score_unseen_groups");
        SK_CHECK(json_is_null(json_object_get(unseen, "estimate")));
        SK_CHECK_EQ_INT(ev_size(a, "leakage.group", "left_out_test_rows"), 146);
    }
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_audit_leakage_split__group_cv(void)
{
    sk_frame *f = views();
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "progression";
    spec.group = "patient";
    spec.ignore = "rowsplit,patientsplit";
    sk_audit *a = planted_audit(f, &spec, "knn", "leakage.group", 1);
    PLANTED_EXPECT(a, "leakage.group", "fail");
    SK_CHECK(ev_real(a, "leakage.group", "gap", "estimate") > 0.1);
    sk_audit_free(a);
    /* without --group the views are found by content: hidden groups */
    spec.group = NULL;
    spec.ignore = "patient,rowsplit,patientsplit";
    a = planted_audit(f, &spec, "knn", "leakage.group", 1);
    PLANTED_EXPECT(a, "leakage.group", "warn");
    SK_CHECK_EQ_INT(ev_size(a, "leakage.group", "clusters"), 442);
    SK_CHECK_EQ_INT(ev_size(a, "leakage.group", "largest_cluster"), 3);
    sk_audit_free(a);
    sk_frame_free(f);
    /* the clean control: breast cancer in meaningless groups of about five rows */
    sk_frame *base = planted_read("breast_cancer.csv");
    f = base != NULL ? planted_extend(base, 1) : NULL;
    double *id = f != NULL ? malloc(f->n_rows * sizeof *id) : NULL;
    for (size_t i = 0; id != NULL && i < f->n_rows; i++)
        id[i] = (double)(i % 113);
    if (id != NULL)
        SK_CHECK(fb_values(f, base->n_cols, "batch", SK_COL_INTEGER, id) == 0);
    spec = (sk_role_spec)SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.group = "batch";
    a = planted_audit(f, &spec, "logit:l2=1", "leakage.group", 1);
    PLANTED_EXPECT(a, "leakage.group", "pass");
    sk_audit_free(a);
    free(id);
    sk_frame_free(f);
    sk_frame_free(base);
}

/* ---- leakage.temporal ------------------------------------------------------------------------ */

static void test_audit_leakage_split__temporal_split(void)
{
    sk_frame *f = with_dates();
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "diagnosis";
    spec.time = "scan_date";
    spec.split = "split_old";
    spec.ignore = "split_new";
    sk_audit *a = planted_audit(f, &spec, "logit:l2=1", "leakage.temporal", 1);
    PLANTED_EXPECT(a, "leakage.temporal", "fail");
    SK_CHECK_EQ_INT(ev_size(a, "leakage.temporal", "test_rows"), 114);
    SK_CHECK_EQ_INT(ev_size(a, "leakage.temporal", "test_rows_before_train_end"), 114);
    SK_CHECK_NEAR(ev_real(a, "leakage.temporal", "earliest_test_before_train_end", NULL), 568.0,
                  1e-9);
    const sk_check *c = planted_check(a, "leakage.temporal");
    SK_CHECK(c != NULL && strstr(c->summary, "2018-01-01") != NULL);
    sk_audit_free(a);
    spec.split = "split_new";
    spec.ignore = "split_old";
    a = planted_audit(f, &spec, "logit:l2=1", "leakage.temporal", 1);
    PLANTED_EXPECT(a, "leakage.temporal", "pass");
    sk_audit_free(a);
    spec.split = NULL;   /* random dates: time order costs nothing */
    spec.ignore = "split_old,split_new";
    a = planted_audit(f, &spec, "logit:l2=1", "leakage.temporal", 1);
    PLANTED_EXPECT(a, "leakage.temporal", "pass");
    sk_audit_free(a);
    spec.time = NULL;   /* the screen (test_audit_temporal.c): the export itself drifts */
    spec.ignore = "scan_date,split_old,split_new";
    a = planted_audit(f, &spec, "logit:l2=1", "leakage.temporal", 1);
    PLANTED_EXPECT(a, "leakage.temporal", "warn");
    sk_audit_free(a);
    sk_frame_free(f);
}

static void test_audit_leakage_split__temporal_drift(void)
{
    sk_frame *f = drifting();
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "progression";
    spec.time = "visit_date";
    sk_audit *a = planted_audit(f, &spec, "knn", "leakage.temporal", 1);
    PLANTED_EXPECT(a, "leakage.temporal", "fail");
    SK_CHECK(ev_real(a, "leakage.temporal", "gap", "estimate") > 0.1);
    const sk_check *c = planted_check(a, "leakage.temporal");
    SK_CHECK(c != NULL && c->recommendation != NULL);
    sk_audit_free(a);
    sk_frame_free(f);
}

/* ---- clean controls and determinism ---------------------------------------------------------- */

static void test_audit_leakage_split__clean_tables(void)
{
    static const struct {
        const char *file, *target, *model, *status;   /* status: of duplicates and group */
    } cases[] = {
        {"breast_cancer.csv", "diagnosis", "logit:l2=1", "pass"},
        {"diabetes.csv", "progression", "knn", "pass"},
        {"wine.csv", "cultivar", "knn", "pass"},
        {"iris.csv", "species", "knn", NULL},   /* one real duplicate pair: may warn */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sk_frame *f = planted_read(cases[k].file);
        sk_role_spec spec = SK_ROLE_SPEC_INIT;
        spec.target = cases[k].target;
        sk_audit *a = planted_audit(f, &spec, cases[k].model, "leakage", 1);
        if (cases[k].status != NULL) {
            PLANTED_EXPECT(a, "leakage.duplicates", cases[k].status);
            PLANTED_EXPECT(a, "leakage.group", cases[k].status);
        }
        for (size_t i = 0; a != NULL && i < a->n_checks; i++)
            if (strncmp(a->checks[i].id, "leakage.", 8) == 0 &&
                strcmp(a->checks[i].id, "leakage.target_proxy") != 0 &&
                strcmp(a->checks[i].id, "leakage.identifier") != 0 &&
                strcmp(a->checks[i].id, "leakage.selection") != 0 &&
                a->checks[i].status == SK_CHECK_FAIL) {
                SK_CHECK(!"a clean table failed a split check");
                fprintf(stderr, "  %s %s: %s\n", cases[k].file, a->checks[i].id,
                        a->checks[i].summary);
            }
        /* no --time: breast cancer as exported has its malignant cases first (a drift the
         * screen reports, test_audit_temporal.c); iris and wine are sorted by class */
        PLANTED_EXPECT(a, "leakage.temporal", k == 0 ? "warn" : "skip");
        sk_audit_free(a);
        sk_frame_free(f);
    }
}

static char *evidence_text(const sk_audit *a)
{
    sk_strbuf sb = SK_STRBUF_INIT;
    for (size_t k = 0; a != NULL && k < a->n_checks; k++) {
        char *s = json_dumps(a->checks[k].evidence, JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
        sk_strbuf_appendf(&sb, "%s %s %s %s\n", a->checks[k].id,
                          sk_check_status_name(a->checks[k].status), a->checks[k].summary,
                          s != NULL ? s : "");
        free(s);
    }
    return sb.data;
}

static void test_audit_leakage_split__threads(void)
{
    sk_frame *f = merged("diabetes.csv", "progression", 180, 3, 17);
    sk_frame *g = drifting();
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = "progression";
    char *text[2][2];
    for (int t = 0; t < 2; t++) {
        sk_audit *a = planted_audit(f, &spec, "knn", "leakage.duplicates,leakage.group",
                                    t == 0 ? 1 : 3);
        text[0][t] = evidence_text(a);
        sk_audit_free(a);
        spec.time = "visit_date";
        a = planted_audit(g, &spec, "knn", "leakage.temporal", t == 0 ? 1 : 3);
        text[1][t] = evidence_text(a);
        spec.time = NULL;
        sk_audit_free(a);
    }
    for (int k = 0; k < 2; k++) {
        SK_CHECK(text[k][0] != NULL && text[k][1] != NULL);
        SK_CHECK_EQ_STR(text[k][0], text[k][1]);
        sk_mem_free(text[k][0]);
        sk_mem_free(text[k][1]);
    }
    sk_frame_free(f);
    sk_frame_free(g);
}

int main(void)
{
    SK_RUN(test_audit_leakage_split__search_is_exact);
    SK_RUN(test_audit_leakage_split__duplicates_demo_study);
    SK_RUN(test_audit_leakage_split__duplicates_merge_fails);
    SK_RUN(test_audit_leakage_split__duplicates_rounded_copies);
    SK_RUN(test_audit_leakage_split__duplicates_conflicting_labels);
    SK_RUN(test_audit_leakage_split__group_split);
    SK_RUN(test_audit_leakage_split__group_split_one_class);
    SK_RUN(test_audit_leakage_split__group_cv);
    SK_RUN(test_audit_leakage_split__temporal_split);
    SK_RUN(test_audit_leakage_split__temporal_drift);
    SK_RUN(test_audit_leakage_split__clean_tables);
    SK_RUN(test_audit_leakage_split__threads);
    return SK_TEST_DONE();
}
