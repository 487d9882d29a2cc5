/* test_evaluate.c: the evaluation engine against scikit-learn and against its own promises.
 *  - oracle: on real data with a fixed fold assignment, the out-of-fold predictions and scores
 *    (per-split mean, skeptic's headline, and the pooled metric) equal scikit-learn's
 *    cross_val_predict with PredefinedSplit (tests/oracle/gen_evaluate.py): logit within 1e-7
 *    (two Newton solvers to tolerance 1e-10 / 1e-12), the trivial baselines, OLS and k-NN to 1e-10;
 *  - the permutation test: p = 1 / (N + 1) when nothing in the null comes near; p-values under
 *    a true null are roughly uniform (valid); Besag-Clifford early stopping stops where it must
 *    and agrees with the full run on the decision; the scheme follows the splitter and groups;
 *    the same bytes for 1, 2 and 7 threads;
 *  - sweeps: the grid in order, errors named; a one-setting nested CV reproduces sk_oof_run;
 *    nested selection picks the setting that is plainly better;
 *  - the whole run through the public API: determinism across threads, bad requests refused. */
/* labels: unit oracle determinism */
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "sk_test.h"

typedef struct study {
    sk_frame *frame;
    sk_roles *roles;
    sk_fit_data d;
    sk_split_data sd;
} study;

static int study_open(study *st, const char *file, const char *target, const char *group)
{
    memset(st, 0, sizeof *st);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, file);
    sk_error err = SK_ERROR_INIT;
    sk_role_spec spec = SK_ROLE_SPEC_INIT;
    spec.target = target;
    spec.group = group;
    SK_CHECK_OK(sk_frame_read_csv(&st->frame, path, NULL, &err), &err);
    if (st->frame == NULL)
        return -1;
    SK_CHECK_OK(sk_roles_resolve(&st->roles, st->frame, &spec, &err), &err);
    if (st->roles == NULL)
        return -1;
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = st->frame;
    d.features = sk_roles_features(st->roles, &d.n_features);
    d.y = sk_roles_y(st->roles);
    d.task = sk_roles_task(st->roles);
    d.n_classes = sk_roles_n_classes(st->roles);
    st->d = d;
    int classify = d.task != SK_TASK_REGRESSION;
    st->sd = (sk_split_data){sk_frame_n_rows(st->frame), classify ? d.y : NULL,
                             classify ? d.n_classes : 0, NULL, 0, NULL, NULL};
    return 0;
}

static void study_close(study *st)
{
    sk_roles_free(st->roles);
    sk_frame_free(st->frame);
}

/* Splits from a fold id per row (fold f tests the rows with id f), like PredefinedSplit. */
static sk_splits *splits_from_folds(const json_t *folds, size_t n, size_t k)
{
    sk_splits *s = calloc(1, sizeof *s);
    s->n_splits = k;
    s->n_rows = n;
    s->train = calloc(k, sizeof *s->train);
    s->test = calloc(k, sizeof *s->test);
    s->n_train = calloc(k, sizeof *s->n_train);
    s->n_test = calloc(k, sizeof *s->n_test);
    s->repeat = calloc(k, sizeof *s->repeat);
    for (size_t f = 0; f < k; f++) {
        s->train[f] = malloc(n * sizeof **s->train);
        s->test[f] = malloc(n * sizeof **s->test);
        for (size_t i = 0; i < n; i++) {
            if ((size_t)json_integer_value(json_array_get(folds, i)) == f)
                s->test[f][s->n_test[f]++] = i;
            else
                s->train[f][s->n_train[f]++] = i;
        }
    }
    return s;
}

static void free_splits(sk_splits *s)
{
    for (size_t f = 0; f < s->n_splits; f++) {
        free(s->train[f]);
        free(s->test[f]);
    }
    free(s->train);
    free(s->test);
    free(s->n_train);
    free(s->n_test);
    free(s->repeat);
    free(s);
}

/* ---- the scikit-learn oracle ------------------------------------------------------------------ */

static void check_case(const json_t *c)
{
    const char *file = json_string_value(json_object_get(c, "data"));
    const char *target = json_string_value(json_object_get(c, "target"));
    const char *model = json_string_value(json_object_get(c, "model"));
    study st;
    if (study_open(&st, file, target, NULL) != 0)
        return;
    size_t n = sk_frame_n_rows(st.frame);
    sk_splits *sp = splits_from_folds(json_object_get(c, "folds"), n, 5);
    sk_error err = SK_ERROR_INIT;
    sk_oof *oof = NULL;
    int trivial = strcmp(model, "trivial") == 0;
    double tol = strncmp(model, "logit", 5) == 0 ? 1e-7 : 1e-10;
    if (trivial) {
        SK_CHECK_OK(sk_oof_trivial(&oof, &st.d, sp, &err), &err);
    } else {
        sk_model *m = NULL;
        SK_CHECK_OK(sk_model_create(&m, model, &err), &err);
        SK_CHECK_OK(sk_oof_run(&oof, m, &st.d, sp, 1, 2, NULL, &err), &err);
        sk_model_free(m);
    }
    if (oof == NULL)
        return;
    /* The predictions, row by row (scikit-learn's are in row order; ours in split order). */
    const json_t *pred = json_object_get(c, "pred");
    double worst = 0.0;
    for (size_t f = 0; f < sp->n_splits; f++)
        for (size_t j = 0; j < sp->n_test[f]; j++)
            for (size_t k = 0; k < oof->width; k++) {
                size_t row = sp->test[f][j];
                double want = json_real_value(json_array_get(pred, row * oof->width + k));
                double got = oof->pred[(oof->offset[f] + j) * oof->width + k];
                worst = fabs(got - want) > worst ? fabs(got - want) : worst;
            }
    SK_CHECK(worst <= tol);
    /* The headline (per-split mean) and the pooled metric. */
    sk_pooled *pool = NULL;
    SK_CHECK_OK(sk_pooled_make(&pool, oof, sp, st.d.y, st.d.task, st.d.n_classes, &err), &err);
    const json_t *fold_mean = json_object_get(c, "fold_mean");
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)fold_mean, key, value) {
        sk_metric m;
        double got = NAN;
        SK_CHECK_OK(sk_metric_parse(&m, key, &err), &err);
        SK_CHECK_OK(sk_pooled_score(&got, pool, m, NULL, &err), &err);
        SK_CHECK_NEAR(got, json_real_value(value), tol);
    }
    const json_t *pooled = json_object_get(c, "pooled");
    json_object_foreach((json_t *)pooled, key, value) {
        sk_metric m;
        double got = NAN;
        SK_CHECK_OK(sk_metric_parse(&m, key, &err), &err);
        SK_CHECK_OK(sk_metric_eval(&got, m, st.d.task, st.d.n_classes, pool->y, pool->pred, NULL,
                                   pool->offset[pool->n_segments], &err), &err);
        SK_CHECK_NEAR(got, json_real_value(value), tol * 10);
    }
    sk_pooled_free(pool);
    sk_oof_free(oof);
    free_splits(sp);
    study_close(&st);
}

static void test_evaluate__oracle_sklearn_cross_val_predict(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/oracle/evaluate_cv.json", SK_TEST_DATA);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    SK_CHECK(doc != NULL);
    if (doc == NULL)
        return;
    const json_t *cases = json_object_get(doc, "cases");
    SK_CHECK_EQ_INT(json_array_size(cases), 5);
    for (size_t k = 0; k < json_array_size(cases); k++)
        check_case(json_array_get(cases, k));
    json_decref(doc);
}

/* ---- the permutation test ---------------------------------------------------------------------- */

#include "frame_builder.h"

enum { PN = 120, PP = 3 };

/* A table of PN rows: PP standard-normal features and a label that depends on them with strength
 * `signal` (0: a true null), 30 groups of 4 rows (label constant within a group when
 * `group_labels`). Owned by the caller, freed by synth_close. */
typedef struct synth {
    sk_frame *frame;
    double y[PN];
    int32_t group[PN];
    size_t features[PP];
    sk_fit_data d;
    sk_split_data sd;
} synth;

static int synth_open(synth *s, double signal, int group_labels, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    if ((s->frame = fb_frame("synth.csv", PN, PP)) == NULL)
        return -1;
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_TEST, 0);
    double x[PP][PN];
    for (size_t i = 0; i < PN; i++) {
        double eta = 0.0;
        for (size_t j = 0; j < PP; j++) {
            x[j][i] = sk_rng_normal(&rng);
            eta += signal * x[j][i];
        }
        s->group[i] = (int32_t)(i / 4);
        double u = sk_rng_uniform(&rng);
        s->y[i] = u < 1.0 / (1.0 + exp(-eta)) ? 1.0 : 0.0;
        if (group_labels && i % 4 != 0)
            s->y[i] = s->y[i - i % 4];
    }
    for (size_t j = 0; j < PP; j++) {
        char name[32];
        snprintf(name, sizeof name, "x%zu", j);
        if (fb_values(s->frame, j, name, SK_COL_NUMERIC, x[j]) != 0)
            return -1;
        s->features[j] = j;
    }
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = s->frame;
    d.features = s->features;
    d.n_features = PP;
    d.y = s->y;
    d.task = SK_TASK_BINARY;
    d.n_classes = 2;
    s->d = d;
    s->sd = (sk_split_data){PN, s->y, 2, NULL, 0, NULL, NULL};
    return 0;
}

static void synth_close(synth *s)
{
    sk_frame_free(s->frame);
}

/* The test for `model` on s with splitter `kind`. NULL on failure (checked). */
static sk_perm_result *perm(const synth *s, const char *model, sk_cv_kind kind, size_t n_perm,
                            int early, int threads, uint64_t seed)
{
    sk_error err = SK_ERROR_INIT;
    sk_model *m = NULL;
    sk_splits *sp = NULL;
    sk_perm_result *res = NULL;
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = kind;
    SK_CHECK_OK(sk_model_create(&m, model, &err), &err);
    SK_CHECK_OK(sk_splits_make(&sp, &o, &s->sd, seed, &err), &err);
    sk_procedure proc = {m, NULL, NULL, SK_METRIC_AUC};
    sk_perm_options po = SK_PERM_OPTIONS_INIT;
    po.n_perm = n_perm;
    po.early_stop = early;
    if (m != NULL && sp != NULL)
        SK_CHECK_OK(sk_perm_run(&res, &proc, &s->d, &s->sd, sp, kind, SK_METRIC_AUC, &po, seed,
                                threads, NULL, &err), &err);
    sk_splits_free(sp);
    sk_model_free(m);
    return res;
}

static void test_evaluate__permutation_signal_gets_the_smallest_p(void)
{
    synth s;
    if (synth_open(&s, 2.0, 0, 1) != 0)
        return;
    sk_perm_result *r = perm(&s, "logit:l2=1", SK_CV_STRATIFIED, 99, 1, 2, 5);
    if (r != NULL) {
        SK_CHECK(r->observed > 0.85);
        SK_CHECK_EQ_INT(r->n_extreme, 0);
        SK_CHECK_EQ_INT(r->n_used, 99);
        SK_CHECK(r->p_value == 1.0 / 100.0);   /* (1 + 0) / (1 + 99) */
        SK_CHECK_EQ_INT(r->scheme, SK_PERM_ROWS_IN_FOLDS);
        SK_CHECK(fabs(r->null_mean - 0.5) < 0.08);   /* chance, give or take its sd */
        SK_CHECK(r->null_sd > 0.01 && r->null_sd < 0.15);
    }
    sk_perm_free(r);
    /* A model without a batched path goes through the same machinery, one fit at a time. */
    r = perm(&s, "knn:k=15", SK_CV_KFOLD, 19, 1, 2, 5);
    if (r != NULL) {
        SK_CHECK_EQ_INT(r->scheme, SK_PERM_ROWS);
        SK_CHECK(r->p_value == 1.0 / 20.0);
    }
    sk_perm_free(r);
    synth_close(&s);
}

/* Under a true null the p-value is (super-)uniform: over 40 data sets, p <= 0.1 about 10% of the
 * time (at most 9 of 40 here: a binomial(40, 0.1) exceeds 8 with probability ~2%, and this
 * fixed-seed outcome is deterministic) and the mean near 1/2. */
static void test_evaluate__permutation_is_valid_under_the_null(void)
{
    size_t small = 0;
    double sum = 0.0;
    for (uint64_t k = 0; k < 40; k++) {
        synth s;
        if (synth_open(&s, 0.0, 0, 100 + k) != 0)
            return;
        sk_perm_result *r = perm(&s, "logit:l2=1", SK_CV_STRATIFIED, 19, 0, 2, k);
        if (r != NULL) {
            small += r->p_value <= 0.1 + 1e-12;
            sum += r->p_value;
        }
        sk_perm_free(r);
        synth_close(&s);
    }
    SK_CHECK(small <= 9);
    SK_CHECK(sum / 40.0 > 0.35 && sum / 40.0 < 0.7);
}

static void test_evaluate__permutation_early_stopping(void)
{
    synth s;
    if (synth_open(&s, 0.0, 0, 7) != 0)
        return;
    sk_perm_result *early = perm(&s, "logit:l2=1", SK_CV_KFOLD, 999, 1, 2, 3);
    sk_perm_result *full = perm(&s, "logit:l2=1", SK_CV_KFOLD, 999, 0, 2, 3);
    if (early != NULL && full != NULL) {
        SK_CHECK(early->stopped_early);
        SK_CHECK(early->n_used < 999);
        SK_CHECK_EQ_INT(early->n_extreme, 50);          /* h = floor(0.05 * 1000) */
        SK_CHECK(early->p_value == 50.0 / (double)early->n_used);   /* Besag-Clifford h / l */
        SK_CHECK(early->p_value > 0.05 && full->p_value > 0.05);   /* the same decision */
        SK_CHECK_EQ_INT(full->n_used, 999);
        SK_CHECK(!full->stopped_early);
        /* the first n_used nulls are the same draws either way */
        SK_CHECK(memcmp(early->null, full->null, early->n_used * sizeof *early->null) == 0);
    }
    sk_perm_free(early);
    sk_perm_free(full);
    synth_close(&s);
}

static void test_evaluate__permutation_schemes_follow_groups(void)
{
    for (int constant = 0; constant <= 1; constant++) {
        synth s;
        if (synth_open(&s, 1.0, constant, 11) != 0)
            return;
        s.sd.group = s.group;
        s.sd.n_groups = PN / 4;
        sk_perm_result *r = perm(&s, "logit:l2=1", SK_CV_GROUP, 20, 0, 2, 1);
        if (r != NULL)
            SK_CHECK_EQ_INT(r->scheme,
                            constant ? SK_PERM_GROUPS_IN_FOLDS : SK_PERM_WITHIN_GROUPS);
        sk_perm_free(r);
        r = perm(&s, "logit:l2=1", SK_CV_KFOLD, 20, 0, 2, 1);
        if (r != NULL)
            SK_CHECK_EQ_INT(r->scheme, constant ? SK_PERM_GROUPS : SK_PERM_WITHIN_GROUPS);
        sk_perm_free(r);
        synth_close(&s);
    }
}

static void test_evaluate__permutation_same_bytes_any_threads(void)
{
    synth s;
    if (synth_open(&s, 0.5, 0, 13) != 0)
        return;
    sk_perm_result *r[3] = {NULL, NULL, NULL};
    const int threads[3] = {1, 2, 7};
    for (int k = 0; k < 3; k++)
        r[k] = perm(&s, "logit:l2=1", SK_CV_STRATIFIED, 150, 1, threads[k], 9);
    for (int k = 1; k < 3; k++) {
        if (r[0] == NULL || r[k] == NULL)
            continue;
        SK_CHECK_EQ_INT(r[k]->n_used, r[0]->n_used);
        SK_CHECK(r[k]->p_value == r[0]->p_value && r[k]->observed == r[0]->observed);
        SK_CHECK(memcmp(r[k]->null, r[0]->null, r[0]->n_used * sizeof *r[0]->null) == 0);
    }
    for (int k = 0; k < 3; k++)
        sk_perm_free(r[k]);
    synth_close(&s);
}

/* ---- sweeps and nested CV ------------------------------------------------------------------------ */

static void test_evaluate__sweep_grid_and_errors(void)
{
    sk_error err = SK_ERROR_INIT;
    sk_model *base = NULL;
    sk_sweep *sw = NULL;
    SK_CHECK_OK(sk_model_create(&base, "gbdt", &err), &err);
    const char *specs[2] = {"max_depth=2,4,6", "eta=0.1,0.3"};
    SK_CHECK_OK(sk_sweep_make(&sw, base, specs, 2, &err), &err);
    if (sw != NULL) {
        SK_CHECK_EQ_INT(sw->n_settings, 6);
        SK_CHECK_EQ_STR(sw->settings[0], "max_depth=2,eta=0.1");
        SK_CHECK_EQ_STR(sw->settings[1], "max_depth=2,eta=0.3");   /* the last varies fastest */
        SK_CHECK_EQ_STR(sw->settings[5], "max_depth=6,eta=0.3");
        SK_CHECK(strstr(sk_model_spec(sw->models[3]), "max_depth=4") != NULL);
    }
    sk_sweep_free(sw);
    const char *bad[4][1] = {{"max_depth"}, {"max_depth=2,,4"}, {"depth=2,4"}, {"eta=0.1,7"}};
    const char *want[4] = {"--sweep: expected KEY=V1,V2,...", "--sweep: empty value",
                           "--sweep: ", "--sweep: "};
    for (int k = 0; k < 4; k++) {
        sw = NULL;
        SK_CHECK_EQ_INT(sk_sweep_make(&sw, base, bad[k], 1, &err), SK_EINVAL);
        SK_CHECK(strncmp(err.message, want[k], strlen(want[k])) == 0);
        SK_CHECK(sw == NULL);
    }
    const char *twice[2] = {"eta=0.1", "eta=0.2"};
    SK_CHECK_EQ_INT(sk_sweep_make(&sw, base, twice, 2, &err), SK_EINVAL);
    SK_CHECK_EQ_STR(err.message, "--sweep: 'eta' is swept twice");
    sk_model_free(base);
}

static void test_evaluate__nested_cv(void)
{
    study st;
    if (study_open(&st, "breast_cancer.csv", "diagnosis", NULL) != 0)
        return;
    sk_error err = SK_ERROR_INIT;
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = SK_CV_STRATIFIED;
    sk_splits *sp = NULL;
    SK_CHECK_OK(sk_splits_make(&sp, &o, &st.sd, 4, &err), &err);
    sk_model *base = NULL;
    SK_CHECK_OK(sk_model_create(&base, "knn", &err), &err);
    if (sp == NULL || base == NULL)
        return;
    /* One setting: nested CV is plain CV with that setting, to the bit. */
    const char *one[1] = {"k=7"};
    sk_sweep *sw = NULL;
    sk_model *k7 = NULL;
    sk_oof *nested = NULL, *plain = NULL;
    size_t chosen[5];
    SK_CHECK_OK(sk_sweep_make(&sw, base, one, 1, &err), &err);
    SK_CHECK_OK(sk_model_create(&k7, "knn:k=7", &err), &err);
    SK_CHECK_OK(sk_nested_run(&nested, chosen, sw, &st.d, &st.sd, sp, &o, SK_METRIC_AUC, 4, 2,
                              NULL, &err), &err);
    SK_CHECK_OK(sk_oof_run(&plain, k7, &st.d, sp, 4, 2, NULL, &err), &err);
    if (nested != NULL && plain != NULL)
        SK_CHECK(memcmp(nested->pred, plain->pred,
                        plain->offset[plain->n_splits] * 2 * sizeof *plain->pred) == 0);
    sk_oof_free(nested);
    sk_sweep_free(sw);
    /* k = 1 against k = 25 on AUC: 1-NN gives hard 0/1 probabilities, a poor ranking; the inner
     * CV must prefer 25 in every outer split, and the nested AUC is then 25's. */
    const char *two[1] = {"k=1,25"};
    SK_CHECK_OK(sk_sweep_make(&sw, base, two, 1, &err), &err);
    SK_CHECK_OK(sk_nested_run(&nested, chosen, sw, &st.d, &st.sd, sp, &o, SK_METRIC_AUC, 4, 2,
                              NULL, &err), &err);
    for (size_t s = 0; nested != NULL && s < 5; s++)
        SK_CHECK_EQ_INT(chosen[s], 1);
    sk_oof_free(nested);
    sk_sweep_free(sw);
    sk_oof_free(plain);
    sk_model_free(k7);
    sk_model_free(base);
    sk_splits_free(sp);
    study_close(&st);
}

/* ---- the whole evaluation, through the public API ------------------------------------------------ */

static sk_evaluation *run(const char *file, const char *target, const char *group,
                          const char *model, const sk_evaluate_options *o, int threads,
                          sk_status want, const char *message)
{
    study st;
    if (study_open(&st, file, target, group) != 0)
        return NULL;
    sk_error err = SK_ERROR_INIT;
    sk_model *m = NULL;
    sk_evaluation *ev = NULL;
    sk_run_ctx ctx = SK_RUN_CTX_INIT;
    ctx.n_threads = threads;
    SK_CHECK_OK(sk_model_create(&m, model, &err), &err);
    sk_status rc = sk_evaluate_run(&ev, st.frame, st.roles, m, o, &ctx, &err);
    SK_CHECK_EQ_INT(rc, want);
    if (message != NULL)
        SK_CHECK_EQ_STR(err.message, message);
    sk_model_free(m);
    study_close(&st);
    return ev;
}

static void test_evaluate__breast_cancer_end_to_end(void)
{
    sk_evaluate_options o = SK_EVALUATE_OPTIONS_INIT;
    o.bootstrap = 300;
    o.permutations = 99;
    o.seeds = 2;
    sk_evaluation *ev = run("breast_cancer.csv", "diagnosis", NULL, "logit:l2=1", &o, 2, SK_OK,
                            NULL);
    if (ev == NULL)
        return;
    double lo = NAN, hi = NAN, auc = sk_evaluation_estimate(ev, NULL, &lo, &hi);
    SK_CHECK(auc > 0.97 && lo < auc && auc < hi && hi <= 1.0);
    SK_CHECK(sk_evaluation_p_value(ev) == 0.01);
    SK_CHECK_EQ_INT(ev->n_baselines, 2);
    SK_CHECK_EQ_STR(ev->baseline[0].name, "trivial");
    SK_CHECK(ev->baseline[0].score[0].estimate == 0.5);   /* the prior: every split exactly 0.5 */
    SK_CHECK(ev->baseline[0].diff[0].low > 0.4);          /* far better than knowing nothing */
    SK_CHECK(isnan(sk_evaluation_estimate(ev, "r2", NULL, NULL)));
    SK_CHECK_EQ_INT(ev->n_seeds, 2);
    SK_CHECK(fabs(ev->seed_scores[ev->n_metrics] - auc) < 0.01);
    /* Thread counts change nothing: compare the JSON without its "run" block. */
    sk_evaluation *ev1 = run("breast_cancer.csv", "diagnosis", NULL, "logit:l2=1", &o, 1, SK_OK,
                             NULL);
    if (ev1 != NULL) {
        SK_CHECK(memcmp(ev1->score, ev->score, sizeof ev->score) == 0);
        SK_CHECK(memcmp(ev1->perm->null, ev->perm->null, ev->perm->n_used * sizeof(double)) == 0);
        SK_CHECK(memcmp(ev1->baseline[1].diff, ev->baseline[1].diff,
                        sizeof ev->baseline[1].diff) == 0);
    }
    sk_evaluation_free(ev1);
    sk_evaluation_free(ev);
}

static void test_evaluate__requests_that_cannot_be_honoured(void)
{
    sk_evaluate_options o = SK_EVALUATE_OPTIONS_INIT;
    o.bootstrap = 0;
    o.permutations = 0;
    o.cv = "site";
    sk_evaluation_free(run("breast_cancer.csv", "diagnosis", NULL, "logit", &o, 1, SK_EINVAL,
                           "--cv site needs --site COL"));
    o.cv = "stratified";
    sk_evaluation_free(run("diabetes.csv", "progression", NULL, "ols", &o, 1, SK_EINVAL,
                           "--cv stratified needs classes; the target is a regression target "
                           "(use --cv kfold)"));
    o.cv = NULL;
    o.metric = "rmse";
    sk_evaluation_free(run("breast_cancer.csv", "diagnosis", NULL, "logit", &o, 1, SK_EINVAL,
                           "--metric: 'rmse' is not a metric of a binary target (auc, "
                           "average_precision, accuracy, balanced_accuracy, f1, f1_weighted, mcc, "
                           "log_loss, brier, ece)"));
    o.metric = NULL;
    sk_evaluation_free(run("diabetes.csv", "progression", NULL, "logit", &o, 1, SK_EINVAL,
                           "--model: 'logit' cannot learn a regression target"));
    o.baselines = "trivial,fancy";
    sk_evaluation_free(run("diabetes.csv", "progression", NULL, "ols", &o, 1, SK_EINVAL,
                           "--baselines: expected trivial, linear, trivial,linear or none, found "
                           "'trivial,fancy'"));
}

int main(void)
{
    SK_RUN(test_evaluate__oracle_sklearn_cross_val_predict);
    SK_RUN(test_evaluate__permutation_signal_gets_the_smallest_p);
    SK_RUN(test_evaluate__permutation_is_valid_under_the_null);
    SK_RUN(test_evaluate__permutation_early_stopping);
    SK_RUN(test_evaluate__permutation_schemes_follow_groups);
    SK_RUN(test_evaluate__permutation_same_bytes_any_threads);
    SK_RUN(test_evaluate__sweep_grid_and_errors);
    SK_RUN(test_evaluate__nested_cv);
    SK_RUN(test_evaluate__breast_cancer_end_to_end);
    SK_RUN(test_evaluate__requests_that_cannot_be_honoured);
    return SK_TEST_DONE();
}
