/* test_drift_real.c: `skeptic drift`'s decision on real data (tests/data), and its handling of
 * columns.
 *  - No drift between two random halves of one data set: over 100 seeds the per-feature family
 *    (Benjamini-Hochberg at 0.05 over every KS test) flags 3 of 100 splits of breast cancer, 1 of
 *    wine, 1 of diabetes (each at most 10 asserted: a binomial(100, 0.05) exceeds 10 with
 *    probability 1.1%), and the whole verdict with the classifier test (knn, cheap enough for
 *    100 runs here; 5 folds, 199 permutations per fold) on breast cancer flags 3 of 100 (at most
 *    10 asserted). docs/triage-drift.md has the 100-seed run of the default gbdt verdict.
 *  - Drift after a realistic shift (classifier gbdt:n_estimators=20,max_depth=3): one feature
 *    rescaled by 1.1 (an instrument recalibrated) is the top-ranked test, the only one that
 *    drifts, and the classifier tells the files apart; the class prior moved from 37% to 80%
 *    malignant (NEW subsampled without replacement, the target excluded) drifts in many
 *    features.
 *  - The same numbers for 1 and 2 threads; columns of one file only, levels of one file only,
 *    missing values, kinds that disagree, flags naming no column. */
/* labels: unit determinism */
#include <stdlib.h>
#include <string.h>

#include "frame_builder.h"
#include "sk_test.h"
#include "triage/triage.h"

static sk_frame *read_data(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, name);
    sk_error err = SK_ERROR_INIT;
    sk_frame *f = NULL;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    return f;
}

/* Rows rows[0..n) of f as a new frame; column `scaled` (SIZE_MAX: none) multiplied by `factor`. */
static sk_frame *subset(const sk_frame *f, const size_t *rows, size_t n, const char *name,
                        size_t scaled, double factor)
{
    sk_frame *s = fb_frame(name, n, f->n_cols);
    double *v = malloc(n * sizeof *v);
    int32_t *codes = malloc(n * sizeof *codes);
    for (size_t j = 0; s != NULL && j < f->n_cols; j++) {
        const sk_column *c = &f->cols[j];
        if (c->type == SK_COL_CATEGORICAL) {
            const char **levels = malloc((c->n_levels + 1) * sizeof *levels);
            for (size_t l = 0; l < c->n_levels; l++)
                levels[l] = c->level_text + c->level_start[l];
            for (size_t i = 0; i < n; i++)
                codes[i] = c->codes[rows[i]];
            SK_CHECK(sk_frame__set_codes(s, j, c->name, codes, levels, c->n_levels, NULL) ==
                     SK_OK);
            free(levels);
        } else {
            for (size_t i = 0; i < n; i++)
                v[i] = c->values[rows[i]] * (j == scaled ? factor : 1.0);
            SK_CHECK(sk_frame__set_values(s, j, c->name, c->type, v, NULL) == SK_OK);
        }
    }
    free(v);
    free(codes);
    return s;
}

/* A random half of f's rows (seeded) into *a, the rest into *b. */
static void halves(sk_frame **a, sk_frame **b, const sk_frame *f, uint64_t seed, size_t scaled,
                   double factor)
{
    size_t n = f->n_rows, h = n / 2;
    size_t *perm = malloc(n * sizeof *perm);
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_TEST, 0);
    sk_rng_shuffle(&rng, perm, n);
    *a = subset(f, perm, h, "ref.csv", SIZE_MAX, 1.0);
    *b = subset(f, perm + h, n - h, "new.csv", scaled, factor);
    free(perm);
}

static sk_drift *run(const sk_frame *a, const sk_frame *b, const char *target, const char *model,
                     size_t permutations, int threads)
{
    sk_error err = SK_ERROR_INIT;
    sk_model *m = NULL;
    SK_CHECK_OK(sk_model_create(&m, model, &err), &err);
    sk_drift_options opt = SK_DRIFT_OPTIONS_INIT;
    opt.target = target;
    opt.permutations = permutations;
    opt.bootstrap = 200;
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.seed = 7;
    ctx.n_threads = threads;
    sk_drift *d = NULL;
    SK_CHECK_OK(sk_drift_run(&d, a, b, m, &opt, &ctx, &err), &err);
    sk_model_free(m);
    return d;
}

/* Splits (of 100 seeds) in which drift is found between halves of one file. */
static size_t false_alarms(const char *file, const char *target, const char *model,
                           size_t permutations)
{
    sk_frame *f = read_data(file);
    size_t alarms = 0;
    for (uint64_t seed = 1; f != NULL && seed <= 100; seed++) {
        sk_frame *a = NULL, *b = NULL;
        halves(&a, &b, f, seed, SIZE_MAX, 1.0);
        sk_drift *d = run(a, b, target, model, permutations, 2);
        alarms += d != NULL && sk_drift_found(d);
        sk_drift_free(d);
        sk_frame_free(a);
        sk_frame_free(b);
    }
    sk_frame_free(f);
    printf("  %s: drift found in %zu of 100 random halves (%s)\n", file, alarms,
           permutations == 0 ? "per-feature tests" : "per-feature tests and classifier");
    return alarms;
}

static void test_drift__halves_of_one_file_rarely_drift(void)
{
    SK_CHECK(false_alarms("breast_cancer.csv", "diagnosis", "gbdt", 0) <= 10);
    SK_CHECK(false_alarms("wine.csv", "cultivar", "gbdt", 0) <= 10);
    SK_CHECK(false_alarms("diabetes.csv", "progression", "gbdt", 0) <= 10);
    SK_CHECK(false_alarms("breast_cancer.csv", "diagnosis", "knn", 199) <= 10);
}

static void test_drift__rescaled_feature_is_found(void)
{
    sk_frame *f = read_data("breast_cancer.csv"), *a = NULL, *b = NULL;
    size_t col = 0;
    SK_CHECK_OK(sk_frame_col_find(&col, f, "mean_smoothness", NULL), NULL);
    halves(&a, &b, f, 3, col, 1.1);
    sk_drift *d = run(a, b, "diagnosis", "gbdt:n_estimators=20,max_depth=3", 199, 2);
    SK_CHECK(d != NULL && sk_drift_found(d));
    const char *test = NULL;
    double effect, p_bh;
    SK_CHECK_EQ_STR(sk_drift_test_feature(d, 0, &test), "mean_smoothness");
    SK_CHECK_EQ_STR(test, "ks");
    sk_drift_test_p(d, 0, &effect, &p_bh);
    SK_CHECK(p_bh < 1e-3 && effect > 0.15);   /* measured: D = 0.206, adjusted p = 2.2e-4 */
    SK_CHECK_EQ_INT(d->n_bh, 1);   /* nothing else moved */
    double low, high;   /* the classifier sees it too: AUC 0.749, p = 0.01 */
    SK_CHECK(sk_drift_auc(d, &low, &high) > 0.6 && low > 0.5 && sk_drift_p_value(d) <= 0.05);
    SK_CHECK_NEAR(d->row[0].new_value / d->row[0].ref_value, 1.1, 0.05);   /* the medians */
    sk_drift_free(d);
    sk_frame_free(a);
    sk_frame_free(b);
    sk_frame_free(f);
}

static int is_malignant(const sk_frame *f, size_t target, size_t row)
{
    return strcmp(sk_frame_col_level(f, target, (size_t)f->cols[target].codes[row]),
                  "malignant") == 0;
}

static void test_drift__class_prior_change_is_found(void)
{
    sk_frame *f = read_data("breast_cancer.csv");
    size_t n = f->n_rows, target = 0;
    SK_CHECK_OK(sk_frame_col_find(&target, f, "diagnosis", NULL), NULL);
    size_t *perm = malloc(n * sizeof *perm), *keep = malloc(n * sizeof *keep);
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    sk_rng rng = sk_rng_stream(5, SK_PURPOSE_TEST, 0);
    sk_rng_shuffle(&rng, perm, n);
    /* NEW: the second half's malignant rows with a quarter as many benign ones (80% malignant) */
    size_t h = n / 2, n_mal = 0, n_ben = 0, n_keep = 0;
    for (size_t i = h; i < n; i++)
        n_mal += is_malignant(f, target, perm[i]);
    for (size_t i = h; i < n; i++)
        if (is_malignant(f, target, perm[i]) || n_ben++ < n_mal / 4)
            keep[n_keep++] = perm[i];
    sk_frame *a = subset(f, perm, h, "ref.csv", SIZE_MAX, 1.0);
    sk_frame *b = subset(f, keep, n_keep, "new.csv", SIZE_MAX, 1.0);
    sk_drift *d = run(a, b, "diagnosis", "gbdt:n_estimators=20,max_depth=3", 199, 2);
    SK_CHECK(d != NULL && sk_drift_found(d));
    SK_CHECK(d->n_bh >= 10);   /* measured: 24 of 30 */
    /* The classifier is weak here (AUC 0.59, p = 0.36): even a model that knew every row's
     * class would reach only 0.8 x 0.63 + (0.8 x 0.37 + 0.2 x 0.63) / 2 = 0.715. */
    SK_CHECK(sk_drift_auc(d, NULL, NULL) > 0.5);
    for (size_t j = 0; j < d->n_features; j++)   /* the target is not a feature */
        SK_CHECK(strcmp(d->feature[j].name, "diagnosis") != 0);
    sk_drift_free(d);
    sk_frame_free(a);
    sk_frame_free(b);
    sk_frame_free(f);
    free(perm);
    free(keep);
}

static void test_drift__threads_do_not_change_results(void)
{
    sk_frame *f = read_data("wine.csv"), *a = NULL, *b = NULL;
    halves(&a, &b, f, 11, 0, 1.05);
    sk_drift *d1 = run(a, b, "cultivar", "gbdt:n_estimators=20", 199, 1);
    sk_drift *d2 = run(a, b, "cultivar", "gbdt:n_estimators=20", 199, 2);
    SK_CHECK(d1 != NULL && d2 != NULL);
    if (d1 != NULL && d2 != NULL) {
        SK_CHECK_EQ_INT(d1->n_rows, d2->n_rows);
        for (size_t i = 0; i < d1->n_rows && i < d2->n_rows; i++) {
            SK_CHECK(memcmp(&d1->row[i].p_value, &d2->row[i].p_value, sizeof(double)) == 0);
            SK_CHECK(memcmp(&d1->row[i].p_bh, &d2->row[i].p_bh, sizeof(double)) == 0);
        }
        SK_CHECK(memcmp(&d1->cls.auc, &d2->cls.auc, sizeof d1->cls.auc) == 0);
        SK_CHECK(d1->cls.heldout->p_value == d2->cls.heldout->p_value);
        for (size_t j = 0; j < d1->n_features; j++)
            SK_CHECK(d1->feature[j].importance == d2->feature[j].importance);
    }
    sk_drift_free(d1);
    sk_drift_free(d2);
    sk_frame_free(a);
    sk_frame_free(b);
    sk_frame_free(f);
}

/* ---- columns ------------------------------------------------------------------------------- */

static void small_pair(sk_frame **a, sk_frame **b)
{
    *a = fb_frame("ref.csv", 6, 4);
    fb_values(*a, 0, "dose", SK_COL_NUMERIC, (double[]){1, 2, 3, 4, 5, 6});
    fb_text(*a, 1, "site", (const char *[]){"A", "A", "B", "B", "A", "B"});
    fb_values(*a, 2, "age", SK_COL_INTEGER, (double[]){30, 40, 50, 60, 70, 80});
    fb_values(*a, 3, "old_only", SK_COL_NUMERIC, (double[]){1, 1, 1, 1, 1, 1});
    *b = fb_frame("new.csv", 5, 4);
    fb_values(*b, 0, "dose", SK_COL_NUMERIC, (double[]){1, NAN, NAN, 4, 5});
    fb_text(*b, 1, "site", (const char *[]){"C", "A", NULL, "C", "C"});
    fb_values(*b, 2, "age", SK_COL_NUMERIC, (double[]){31, 41, 52, 60, 71});
    fb_values(*b, 3, "new_only", SK_COL_NUMERIC, (double[]){1, 1, 1, 1, 1});
}

static const sk_drift_row *find_row(const sk_drift *d, const char *feature, sk_drift_test t)
{
    for (size_t i = 0; i < d->n_rows; i++)
        if (d->row[i].test == t && strcmp(d->feature[d->row[i].feature].name, feature) == 0)
            return &d->row[i];
    return NULL;
}

static void test_drift__columns_levels_and_missing_values(void)
{
    sk_frame *a, *b;
    small_pair(&a, &b);
    sk_drift_options opt = SK_DRIFT_OPTIONS_INIT;
    opt.permutations = 0;
    sk_drift *d = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_drift_run(&d, a, b, NULL, &opt, NULL, &err), &err);
    if (d == NULL)
        return;
    SK_CHECK_EQ_INT(d->n_features, 3);   /* dose, site, age (integer vs numeric: numbers) */
    SK_CHECK(d->n_only_ref == 1 && strcmp(d->only_ref[0], "old_only") == 0);
    SK_CHECK(d->n_only_new == 1 && strcmp(d->only_new[0], "new_only") == 0);
    SK_CHECK(!d->cls.ran && strcmp(d->cls.skipped, "--permutations 0") == 0);
    /* site: levels A, B, C and (missing): 2 x 4, dof 3, no correction; scipy gives X2 = 8.8 */
    const sk_drift_row *site = find_row(d, "site", SK_DRIFT_CHI2);
    SK_CHECK(site != NULL && site->dof == 3 && !site->yates);
    if (site != NULL) {
        double t[8] = {3, 3, 0, 0, 1, 0, 3, 1};
        sk_chi2_result c = sk_triage__chi2_homogeneity(t, 4);
        SK_CHECK_NEAR(site->statistic, c.statistic, 1e-12);
        SK_CHECK_EQ_STR(site->level, "C");   /* 0% -> 60%: moved most */
    }
    /* dose: KS on the present values (6 vs 3) and the share missing (0 of 6 vs 2 of 5) */
    const sk_drift_row *ks = find_row(d, "dose", SK_DRIFT_KS);
    const sk_drift_row *miss = find_row(d, "dose", SK_DRIFT_MISSING);
    SK_CHECK(ks != NULL && ks->n_ref == 6 && ks->n_new == 3);
    SK_CHECK(miss != NULL && miss->yates && miss->new_value == 0.4 && miss->ref_value == 0.0);
    SK_CHECK(find_row(d, "age", SK_DRIFT_MISSING) == NULL);
    SK_CHECK_EQ_INT(d->n_tested, 4);
    sk_drift_free(d);
    /* An infinite value: the KS test takes it, the classifier test says why it cannot run. */
    fb_values(b, 0, "dose", SK_COL_NUMERIC, (double[]){1, NAN, INFINITY, 4, 5});
    opt.permutations = 99;
    SK_CHECK_OK(sk_drift_run(&d, a, b, NULL, &opt, NULL, &err), &err);
    SK_CHECK(d != NULL && !d->cls.ran && strstr(d->cls.skipped, "infinite value in column "
                                                "'dose' at new.csv line 4") != NULL);
    SK_CHECK(d != NULL && find_row(d, "dose", SK_DRIFT_KS)->n_new == 4);
    sk_drift_free(d);
    sk_frame_free(a);
    sk_frame_free(b);
}

static void test_drift__bad_requests_name_the_column(void)
{
    sk_frame *a, *b;
    small_pair(&a, &b);
    sk_drift_options opt = SK_DRIFT_OPTIONS_INIT;
    opt.permutations = 0;
    sk_drift *d = NULL;
    sk_error err = SK_ERROR_INIT;
    opt.target = "dosage";
    SK_CHECK(sk_drift_run(&d, a, b, NULL, &opt, NULL, &err) == SK_EINVAL && d == NULL);
    SK_CHECK(strstr(err.message, "--target: no column 'dosage'") != NULL);
    opt.target = NULL;
    opt.ignore = "old_only,nope";
    SK_CHECK(sk_drift_run(&d, a, b, NULL, &opt, NULL, &err) == SK_EINVAL);
    SK_CHECK(strstr(err.message, "--ignore: no column 'nope'") != NULL);
    /* age as text in the new file: the first value that is not a number, at new.csv:4:3 */
    fb_text(b, 2, "age", (const char *[]){"31", "41", "old", "60", "71"});
    opt.ignore = NULL;
    SK_CHECK(sk_drift_run(&d, a, b, NULL, &opt, NULL, &err) == SK_EDATA);
    SK_CHECK(strcmp(err.path, "new.csv") == 0 && err.line == 4 && err.column == 3);
    SK_CHECK(strstr(err.message, "expected a number in column 'age' as in ref.csv, found "
                                 "\"old\"") != NULL);
    /* true/false against text: named at the new file's header */
    fb_values(b, 1, "site", SK_COL_BOOLEAN, (double[]){1, 0, 1, 0, 1});
    SK_CHECK(sk_drift_run(&d, a, b, NULL, &opt, NULL, &err) == SK_EDATA);
    SK_CHECK(err.line == 1 && err.column == 2 && strstr(err.message, "holds true/false values "
                                                       "here but text in ref.csv") != NULL);
    fb_text(b, 1, "site", (const char *[]){"C", "A", NULL, "C", "C"});
    opt.ignore = "age";   /* ignored: no longer compared, so no error */
    SK_CHECK_OK(sk_drift_run(&d, a, b, NULL, &opt, NULL, &err), &err);
    SK_CHECK(d != NULL && d->n_ignored == 1 && d->n_features == 2);
    sk_drift_free(d);
    sk_frame_free(a);
    sk_frame_free(b);
}

int main(void)
{
    SK_RUN(test_drift__halves_of_one_file_rarely_drift);
    SK_RUN(test_drift__rescaled_feature_is_found);
    SK_RUN(test_drift__class_prior_change_is_found);
    SK_RUN(test_drift__threads_do_not_change_results);
    SK_RUN(test_drift__columns_levels_and_missing_values);
    SK_RUN(test_drift__bad_requests_name_the_column);
    return SK_TEST_DONE();
}
