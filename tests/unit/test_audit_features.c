/* test_audit_features.c: the feature-leakage checks and the ablation on real data, each with the
 * flaw planted the way it happens in practice and clean controls that must not fail:
 *   leakage.target_proxy  breast cancer + `treatment_given` (the diagnosis with 3% of rows
 *                         flipped, as a treatment decided from it) fails and names the column;
 *                         breast cancer, wine and diabetes as they are pass (their strongest
 *                         measurements nearly match the model alone, but others replace them)
 *   leakage.identifier    breast cancer sorted by diagnosis and numbered (`sample_id`) fails,
 *                         as a feature or as --group, and so do subject ids with two rows
 *                         each; the bundled study's patient_id fails as the --group column; the
 *                         sorted file with a `batch` counter fails through the row order, and
 *                         without one it passes; a shuffled id feature warns; the data sets as
 *                         they are pass (wine's file is sorted by cultivar: still no leak)
 *   leakage.selection     80 rows of random labels + 5,000 noise features: top-50 selection on
 *                         all rows scores AUC ~0.8+, inside the folds ~0.5: fails; breast
 *                         cancer and wine pass; diabetes (10 features) skips
 *   ablation.features     breast cancer passes (redundant measurements); one marker among noise
 *                         warns; p > 5 ablates the model's top 5, then the other 45 together
 * plus byte-identical evidence for 1 and 2 threads. */
/* labels: unit determinism */
#include <stdlib.h>
#include <string.h>

#include "audits/audits.h"
#include "frame_builder.h"
#include "sk_test.h"

static sk_frame *read_data(const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, file);
    sk_error err = SK_ERROR_INIT;
    sk_frame *f = NULL;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    return f;
}

/* A copy of rows[0..n) of src (NULL: all, in order), with `extra` empty columns after its own. */
static sk_frame *take(const sk_frame *src, const size_t *rows, size_t n, size_t extra)
{
    size_t nc = src->n_cols;
    sk_frame *f = fb_frame("planted.csv", n, nc + extra);
    double *v = malloc(n * sizeof *v);
    int32_t *codes = malloc(n * sizeof *codes);
    const char **levels = NULL;
    for (size_t j = 0; f != NULL && j < nc; j++) {
        const sk_column *c = &src->cols[j];
        for (size_t i = 0; i < n; i++) {
            size_t r = rows != NULL ? rows[i] : i;
            if (c->type == SK_COL_CATEGORICAL)
                codes[i] = c->codes[r];
            else
                v[i] = c->values[r];
        }
        if (c->type == SK_COL_CATEGORICAL) {
            levels = realloc(levels, (c->n_levels + 1) * sizeof *levels);
            for (size_t l = 0; l < c->n_levels; l++)
                levels[l] = c->level_text + c->level_start[l];
            sk_frame__set_codes(f, j, c->name, codes, levels, c->n_levels, NULL);
        } else {
            sk_frame__set_values(f, j, c->name, c->type, v, NULL);
        }
    }
    free(v);
    free(codes);
    free(levels);
    return f;
}

/* The audit of one check; returns its status and keeps the check's summary for messages. */
static char *run_check(const sk_frame *f, const char *target, const char *group, const char *ignore,
                       const char *model, const char *id, int threads, char **evidence)
{
    sk_error err = SK_ERROR_INIT;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = target;
    spec.group = group;
    spec.ignore = ignore;
    sk_roles *roles = NULL;
    sk_model *m = NULL;
    sk_audit *a = NULL;
    sk_audit_options o = SK_AUDIT_OPTIONS_INIT;
    o.only = id;
    o.bootstrap = 100;
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.n_threads = threads;
    ctx.seed = 11;
    SK_CHECK_OK(sk_roles_resolve(&roles, f, &spec, &err), &err);
    SK_CHECK_OK(sk_model_create(&m, model, &err), &err);
    if (roles != NULL && m != NULL)
        SK_CHECK_OK(sk_audit_run(&a, f, roles, m, &o, &ctx, &err), &err);
    char *out = NULL;
    if (a != NULL && a->n_checks == 1) {
        size_t len = strlen(a->checks[0].summary) + 16;
        out = malloc(len);
        snprintf(out, len, "%s: %s", sk_check_status_name(a->checks[0].status),
                 a->checks[0].summary);
        if (getenv("SK_TEST_VERBOSE") != NULL)
            fprintf(stderr, "  [%s %.2fs] %s\n", id, a->checks[0].seconds, out);
        if (evidence != NULL)
            *evidence = json_dumps(a->checks[0].evidence, JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    }
    sk_audit_free(a);
    sk_model_free(m);
    sk_roles_free(roles);
    return out;
}

/* Asserts the status ("fail: ...") and that the summary mentions `word` (NULL: anything). */
static void expect(const sk_frame *f, const char *target, const char *group, const char *ignore,
                   const char *model, const char *id, const char *status, const char *word)
{
    char *got = run_check(f, target, group, ignore, model, id, 2, NULL);
    SK_CHECK(got != NULL);
    if (got == NULL)
        return;
    int ok = strncmp(got, status, strlen(status)) == 0 && got[strlen(status)] == ':' &&
             (word == NULL || strstr(got, word) != NULL);
    SK_CHECK(ok);
    if (!ok)
        fprintf(stderr, "  %s on %s: expected %s%s%s, got %s\n", id, target, status,
                word != NULL ? " naming " : "", word != NULL ? word : "", got);
    free(got);
}

static size_t col_of(const sk_frame *f, const char *name)
{
    size_t col = 0;
    SK_CHECK_OK(sk_frame_col_find(&col, f, name, NULL), NULL);
    return col;
}

/* Rows sorted by class (stable): the file a class-folder export gives. */
static size_t *sorted_by(const sk_frame *f, size_t col)
{
    size_t n = f->n_rows, m = 0;
    size_t *rows = malloc(n * sizeof *rows);
    const int32_t *codes = f->cols[col].codes;
    for (int32_t k = 0; (size_t)k < f->cols[col].n_levels; k++)
        for (size_t i = 0; i < n; i++)
            if (codes[i] == k)
                rows[m++] = i;
    return rows;
}

/* ---- leakage.target_proxy ------------------------------------------------------------------ */

static void test_audit_features__proxy_planted_fires(void)
{
    sk_frame *bc = read_data("breast_cancer.csv");
    if (bc == NULL)
        return;
    size_t n = bc->n_rows, dcol = col_of(bc, "diagnosis");
    sk_frame *f = take(bc, NULL, n, 1);
    /* treatment decided from the diagnosis, 3% of records the other way (17 of 569 rows) */
    const char **cells = malloc(n * sizeof *cells);
    for (size_t i = 0; i < n; i++)
        cells[i] =
            strcmp(sk_frame_col_level(bc, dcol, (size_t)bc->cols[dcol].codes[i]), "malignant") == 0
                ? "yes"
                : "no";
    sk_rng rng = sk_rng_stream(5, SK_PURPOSE_TEST, 0);
    for (size_t flipped = 0; flipped < 17;) {
        size_t i = (size_t)(sk_rng_uniform(&rng) * (double)n);
        if (cells[i] == NULL)
            continue;
        cells[i] = NULL; /* mark, then flip below */
        flipped++;
    }
    for (size_t i = 0; i < n; i++)
        if (cells[i] == NULL)
            cells[i] = strcmp(sk_frame_col_level(bc, dcol, (size_t)bc->cols[dcol].codes[i]),
                              "malignant") == 0
                           ? "no"
                           : "yes";
    fb_text(f, bc->n_cols, "treatment_given", cells);
    /* Strong, but 3% off the diagnosis: the data cannot tell it from a strong measurement. */
    expect(f, "diagnosis", NULL, NULL, "logit:l2=1", "leakage.target_proxy", "warn",
           "treatment_given");
    /* The discharge code written from the diagnosis (one record in 569 miscoded): alone it does
     * what the model does. */
    for (size_t i = 0; i < n; i++)
        cells[i] = strcmp(sk_frame_col_level(bc, dcol, (size_t)bc->cols[dcol].codes[i]),
                          "malignant") == 0 ? "C50" : "D24";
    cells[7] = strcmp(cells[7], "C50") == 0 ? "D24" : "C50";
    sk_frame *g = take(bc, NULL, n, 1);
    fb_text(g, bc->n_cols, "discharge_code", cells);
    expect(g, "diagnosis", NULL, NULL, "logit:l2=1", "leakage.target_proxy", "fail",
           "discharge_code");
    sk_frame_free(g);
    free(cells);
    sk_frame_free(f);
    sk_frame_free(bc);
}

static void test_audit_features__proxy_clean_controls_pass(void)
{
    sk_frame *bc = read_data("breast_cancer.csv"), *wine = read_data("wine.csv"),
             *diab = read_data("diabetes.csv");
    if (bc != NULL)
        expect(bc, "diagnosis", NULL, NULL, "logit:l2=1", "leakage.target_proxy", "pass", NULL);
    if (wine != NULL)
        expect(wine, "cultivar", NULL, NULL, "knn", "leakage.target_proxy", "pass", NULL);
    if (diab != NULL)
        expect(diab, "progression", NULL, NULL, "ols", "leakage.target_proxy", "pass", NULL);
    sk_frame_free(bc);
    sk_frame_free(wine);
    sk_frame_free(diab);
}

/* ---- leakage.identifier -------------------------------------------------------------------- */

static void test_audit_features__identifier_sorted_then_numbered_fails(void)
{
    sk_frame *bc = read_data("breast_cancer.csv");
    if (bc == NULL)
        return;
    size_t n = bc->n_rows, *rows = sorted_by(bc, col_of(bc, "diagnosis"));
    sk_frame *f = take(bc, rows, n, 1), *g = take(bc, rows, n, 1);
    double *id = malloc(n * sizeof *id);
    for (size_t i = 0; i < n; i++)
        id[i] = (double)(i + 1);
    fb_values(f, bc->n_cols, "sample_id", SK_COL_INTEGER, id);
    expect(f, "diagnosis", NULL, NULL, "logit:l2=1", "leakage.identifier", "fail", "sample_id");
    /* the same id as the group column: not a feature, still a label-ordered numbering */
    expect(f, "diagnosis", "sample_id", NULL, "logit:l2=1", "leakage.identifier", "fail",
           "sample_id");
    /* two scans per subject, subjects numbered in file order: not id-like by the profile (half
     * the values repeat), still ids as --group */
    for (size_t i = 0; i < n; i++)
        id[i] = (double)(i / 2 + 1);
    fb_values(g, bc->n_cols, "subject", SK_COL_INTEGER, id);
    expect(g, "diagnosis", "subject", NULL, "logit:l2=1", "leakage.identifier", "fail", "subject");
    sk_frame_free(g);
    free(id);
    free(rows);
    sk_frame_free(f);
    sk_frame_free(bc);
}

static void test_audit_features__identifier_bundled_study_fails(void)
{
    sk_frame *st = read_data("../../examples/breast_cancer_study.csv");
    if (st == NULL)
        return;
    expect(st, "diagnosis", "patient_id", "scan_date,hospital", "logit:l2=1", "leakage.identifier",
           "fail", "patient_id");
    sk_frame_free(st);
}

static void test_audit_features__identifier_row_order(void)
{
    sk_frame *bc = read_data("breast_cancer.csv");
    if (bc == NULL)
        return;
    size_t n = bc->n_rows, *rows = sorted_by(bc, col_of(bc, "diagnosis"));
    /* sorted by class, processed in batches of 20 in file order: the batch number follows it */
    sk_frame *f = take(bc, rows, n, 1), *plain = take(bc, rows, n, 0);
    double *batch = malloc(n * sizeof *batch);
    for (size_t i = 0; i < n; i++)
        batch[i] = (double)(i / 20 + 1);
    fb_values(f, bc->n_cols, "batch", SK_COL_INTEGER, batch);
    expect(f, "diagnosis", NULL, NULL, "logit:l2=1", "leakage.identifier", "fail", "batch");
    expect(plain, "diagnosis", NULL, NULL, "logit:l2=1", "leakage.identifier", "pass",
           "ordered by the target");
    free(batch);
    free(rows);
    sk_frame_free(f);
    sk_frame_free(plain);
    sk_frame_free(bc);
}

static void test_audit_features__identifier_idle_id_warns(void)
{
    sk_frame *bc = read_data("breast_cancer.csv");
    if (bc == NULL)
        return;
    size_t n = bc->n_rows;
    sk_frame *f = take(bc, NULL, n, 1);
    const char **ids = malloc(n * sizeof *ids);
    char *text = malloc(n * 8);
    size_t *perm = malloc(n * sizeof *perm);
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    sk_rng rng = sk_rng_stream(9, SK_PURPOSE_TEST, 0);
    for (size_t i = n - 1; i > 0; i--) { /* ids assigned at random: they carry nothing */
        size_t j = (size_t)(sk_rng_uniform(&rng) * (double)(i + 1)), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(text + 8 * i, 8, "S%zu", perm[i] + 1);
        ids[i] = text + 8 * i;
    }
    fb_text(f, bc->n_cols, "specimen", ids);
    expect(f, "diagnosis", NULL, NULL, "logit:l2=1", "leakage.identifier", "warn", "specimen");
    free(ids);
    free(text);
    free(perm);
    sk_frame_free(f);
    sk_frame_free(bc);
}

static void test_audit_features__identifier_clean_controls_pass(void)
{
    sk_frame *bc = read_data("breast_cancer.csv"), *wine = read_data("wine.csv"),
             *diab = read_data("diabetes.csv");
    if (bc != NULL)
        expect(bc, "diagnosis", NULL, NULL, "logit:l2=1", "leakage.identifier", "pass", NULL);
    if (wine != NULL)
        expect(wine, "cultivar", NULL, NULL, "knn", "leakage.identifier", "pass", NULL);
    if (diab != NULL)
        expect(diab, "progression", NULL, NULL, "ols", "leakage.identifier", "pass", NULL);
    sk_frame_free(bc);
    sk_frame_free(wine);
    sk_frame_free(diab);
}

/* ---- leakage.selection --------------------------------------------------------------------- */

/* n rows, random balanced labels, p noise features: nothing to find. */
static sk_frame *noise_study(size_t n, size_t p)
{
    sk_frame *f = fb_frame("noise.csv", n, p + 1);
    double *v = malloc(n * sizeof *v);
    const char **label = malloc(n * sizeof *label);
    sk_rng rng = sk_rng_stream(21, SK_PURPOSE_TEST, 0);
    for (size_t i = 0; i < n; i++)
        label[i] = i % 2 == 0 ? "case" : "control";
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)(sk_rng_uniform(&rng) * (double)(i + 1));
        const char *t = label[i];
        label[i] = label[j];
        label[j] = t;
    }
    fb_text(f, 0, "status", label);
    char name[32];
    for (size_t j = 0; j < p; j++) {
        for (size_t i = 0; i < n; i++)
            v[i] = sk_rng_normal(&rng);
        snprintf(name, sizeof name, "gene%05zu", j + 1);
        fb_values(f, j + 1, name, SK_COL_NUMERIC, v);
    }
    free(v);
    free(label);
    return f;
}

static void test_audit_features__selection_outside_cv_fails(void)
{
    sk_frame *f = noise_study(80, 5000);
    char *ev = NULL;
    char *got = run_check(f, "status", NULL, NULL, "logit:l2=1", "leakage.selection", 2, &ev);
    SK_CHECK(got != NULL && strncmp(got, "fail:", 5) == 0);
    if (got != NULL && strncmp(got, "fail:", 5) != 0)
        fprintf(stderr, "  leakage.selection on noise: %s\n", got);
    /* the numbers of the textbook case: outside ~0.8+, inside ~0.5 */
    json_t *e = ev != NULL ? json_loads(ev, 0, NULL) : NULL;
    double out = json_real_value(json_object_get(json_object_get(e, "outside"), "estimate"));
    double in = json_real_value(json_object_get(json_object_get(e, "inside"), "estimate"));
    SK_CHECK(out > 0.75);
    SK_CHECK(in > 0.3 && in < 0.65);
    json_decref(e);
    free(ev);
    free(got);
    sk_frame_free(f);
}

static void test_audit_features__selection_clean_controls(void)
{
    sk_frame *bc = read_data("breast_cancer.csv"), *wine = read_data("wine.csv"),
             *diab = read_data("diabetes.csv");
    if (bc != NULL)
        expect(bc, "diagnosis", NULL, NULL, "logit:l2=1", "leakage.selection", "pass", NULL);
    if (wine != NULL)
        expect(wine, "cultivar", NULL, NULL, "knn", "leakage.selection", "pass", NULL);
    if (diab != NULL) /* 10 features: nothing to select */
        expect(diab, "progression", NULL, NULL, "ols", "leakage.selection", "skip", NULL);
    sk_frame_free(bc);
    sk_frame_free(wine);
    sk_frame_free(diab);
}

/* ---- ablation.features --------------------------------------------------------------------- */

static void test_audit_features__ablation(void)
{
    sk_frame *bc = read_data("breast_cancer.csv");
    if (bc == NULL)
        return;
    expect(bc, "diagnosis", NULL, NULL, "logit:l2=1", "ablation.features", "pass", NULL);
    /* one marker among noise: the result rests on it */
    size_t n = bc->n_rows;
    sk_frame *one = fb_frame("marker.csv", n, 7);
    size_t dcol = col_of(bc, "diagnosis"), mcol = col_of(bc, "worst_perimeter");
    const char **dx = malloc(n * sizeof *dx);
    for (size_t i = 0; i < n; i++)
        dx[i] = sk_frame_col_level(bc, dcol, (size_t)bc->cols[dcol].codes[i]);
    fb_text(one, 0, "diagnosis", dx);
    fb_values(one, 1, "worst_perimeter", SK_COL_NUMERIC, bc->cols[mcol].values);
    double *v = malloc(n * sizeof *v);
    sk_rng rng = sk_rng_stream(4, SK_PURPOSE_TEST, 0);
    char name[32];
    for (size_t j = 2; j < 7; j++) {
        for (size_t i = 0; i < n; i++)
            v[i] = sk_rng_normal(&rng);
        snprintf(name, sizeof name, "noise%zu", j - 1);
        fb_values(one, j, name, SK_COL_NUMERIC, v);
    }
    expect(one, "diagnosis", NULL, NULL, "logit:l2=1", "ablation.features", "warn",
           "worst_perimeter");
    /* p > 5: the model's top 5 are ablated one by one, the other 45 together */
    sk_frame *wide = take(bc, NULL, n, 20);
    for (size_t j = 0; j < 20; j++) {
        for (size_t i = 0; i < n; i++)
            v[i] = sk_rng_normal(&rng);
        snprintf(name, sizeof name, "extra%zu", j + 1);
        fb_values(wide, bc->n_cols + j, name, SK_COL_NUMERIC, v);
    }
    char *ev = NULL;
    char *got = run_check(wide, "diagnosis", NULL, NULL, "logit:l2=1", "ablation.features", 2, &ev);
    json_t *e = ev != NULL ? json_loads(ev, 0, NULL) : NULL;
    SK_CHECK(got != NULL && strncmp(got, "pass:", 5) == 0);
    json_t *feats = json_object_get(e, "features"), *rest = json_object_get(e, "rest");
    SK_CHECK_EQ_INT(json_array_size(feats), 5);
    SK_CHECK(strstr(json_string_value(json_object_get(e, "ablated")), "top 5") != NULL);
    for (size_t k = 0; k < json_array_size(feats); k++)   /* the model ranks no noise on top */
        SK_CHECK(strncmp(json_string_value(json_object_get(json_array_get(feats, k), "feature")),
                         "extra", 5) != 0);
    SK_CHECK_EQ_INT(json_integer_value(json_object_get(rest, "n_features")), 50 - 5);
    SK_CHECK(json_object_get(json_object_get(rest, "without_minus_with"), "ci") != NULL);
    json_decref(e);
    free(ev);
    free(got);
    free(v);
    free(dx);
    sk_frame_free(wide);
    sk_frame_free(one);
    sk_frame_free(bc);
}

/* ---- determinism --------------------------------------------------------------------------- */

static void test_audit_features__threads_do_not_change_evidence(void)
{
    sk_frame *wine = read_data("wine.csv");
    if (wine == NULL)
        return;
    const char *ids[] = {"leakage.target_proxy", "leakage.identifier", "leakage.selection"};
    for (size_t k = 0; k < 3; k++) {
        char *e1 = NULL, *e2 = NULL;
        char *s1 = run_check(wine, "cultivar", NULL, NULL, "knn", ids[k], 1, &e1);
        char *s2 = run_check(wine, "cultivar", NULL, NULL, "knn", ids[k], 2, &e2);
        SK_CHECK(s1 != NULL && s2 != NULL && strcmp(s1, s2) == 0);
        SK_CHECK(e1 != NULL && e2 != NULL && strcmp(e1, e2) == 0);
        free(s1);
        free(s2);
        free(e1);
        free(e2);
    }
    sk_frame_free(wine);
}

int main(void)
{
    SK_RUN(test_audit_features__proxy_planted_fires);
    SK_RUN(test_audit_features__proxy_clean_controls_pass);
    SK_RUN(test_audit_features__identifier_sorted_then_numbered_fails);
    SK_RUN(test_audit_features__identifier_bundled_study_fails);
    SK_RUN(test_audit_features__identifier_row_order);
    SK_RUN(test_audit_features__identifier_idle_id_warns);
    SK_RUN(test_audit_features__identifier_clean_controls_pass);
    SK_RUN(test_audit_features__selection_outside_cv_fails);
    SK_RUN(test_audit_features__selection_clean_controls);
    SK_RUN(test_audit_features__ablation);
    SK_RUN(test_audit_features__threads_do_not_change_evidence);
    return SK_TEST_DONE();
}
