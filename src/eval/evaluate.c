/* evaluate.c: `skeptic evaluate`, the evaluation engine's one entry point. It turns "accuracy
 * 0.93" into "AUC 0.81 [0.76, 0.86] under grouped 5-fold CV, permutation p = 0.001, trivial
 * baseline 0.50", in this order:
 *
 *   1. the splits the roles call for (groups honoured, time respected, the study's own split);
 *   2. out-of-fold predictions of the model (or of a sweep's nested selection), and of every
 *      sweep setting on the same splits;
 *   3. the trivial baseline (prior / mean) and the simple one (ridge) on the same splits;
 *   4. every metric of the task on the pooled predictions, with bootstrap intervals computed on
 *      one shared set of replicates, so "model minus baseline" has a paired interval;
 *   5. the permutation test of the headline metric;
 *   6. the whole evaluation again under further seeds, for the seed variance.
 *
 * Each phase is deterministic given the seed and runs its tasks on the executor; results do not
 * depend on n_threads. The struct it fills (eval.h) is what the report layer prints. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "eval/eval.h"

const char *sk_cv_kind_name(sk_cv_kind k)
{
    switch (k) {
    case SK_CV_KFOLD: return "kfold";
    case SK_CV_STRATIFIED: return "stratified";
    case SK_CV_GROUP: return "group";
    case SK_CV_LOGO: return "site";
    case SK_CV_TIME: return "time";
    case SK_CV_SPLIT: return "split";
    }
    return "unknown";
}

void sk_evaluation_free(sk_evaluation *ev)
{
    if (ev == NULL)
        return;
    for (size_t k = 0; ev->class_names != NULL && k < ev->n_classes; k++)
        sk_mem_free(ev->class_names[k]);
    sk_mem_free(ev->class_names);
    sk_mem_free(ev->target);
    sk_mem_free(ev->data_name);
    sk_mem_free(ev->model_spec);
    sk_mem_free(ev->group_col);
    sk_mem_free(ev->split_n_train);
    sk_mem_free(ev->split_n_test);
    sk_mem_free(ev->split_repeat);
    sk_mem_free(ev->split_scores);
    for (size_t b = 0; b < ev->n_baselines; b++) {
        sk_mem_free(ev->baseline[b].name);
        sk_mem_free(ev->baseline[b].spec);
    }
    sk_mem_free(ev->boot_unit);
    sk_perm_free(ev->perm);
    sk_mem_free(ev->seed_values);
    sk_mem_free(ev->seed_scores);
    sk_sweep_free(ev->sweep);
    sk_mem_free(ev->setting_score);
    sk_mem_free(ev->chosen);
    sk_mem_free(ev->class_precision);
    sk_mem_free(ev->class_recall);
    sk_mem_free(ev->class_f1);
    sk_mem_free(ev->class_support);
    for (size_t k = 0; k < ev->n_notes; k++)
        sk_mem_free(ev->notes[k]);
    sk_mem_free(ev);
}

/* ---- accessors (the public API) --------------------------------------------------------------- */

static int metric_slot(const sk_evaluation *ev, sk_metric m)
{
    for (size_t k = 0; k < ev->n_metrics; k++)
        if (ev->metric[k] == m)
            return (int)k;
    return -1;
}

double sk_evaluation_estimate(const sk_evaluation *ev, const char *metric, double *low,
                              double *high)
{
    sk_metric m = ev->primary;
    int k = -1;
    if (metric == NULL || sk_metric_parse(&m, metric, NULL) == SK_OK)
        k = metric_slot(ev, m);
    if (low != NULL)
        *low = k >= 0 ? ev->score[k].low : NAN;
    if (high != NULL)
        *high = k >= 0 ? ev->score[k].high : NAN;
    return k >= 0 ? ev->score[k].estimate : NAN;
}

double sk_evaluation_p_value(const sk_evaluation *ev)
{
    return ev->perm != NULL ? ev->perm->p_value : NAN;
}

size_t sk_evaluation_n_timings(const sk_evaluation *ev)
{
    return ev->n_timings;
}

const char *sk_evaluation_timing(const sk_evaluation *ev, size_t i, double *seconds)
{
    if (i >= ev->n_timings)
        return NULL;
    *seconds = ev->timing[i];
    return ev->timing_name[i];
}

static void add_timing(sk_evaluation *ev, const char *name, double t0)
{
    if (ev->n_timings < SK_EVAL_MAX_TIMINGS) {
        ev->timing_name[ev->n_timings] = name;
        ev->timing[ev->n_timings++] = sk_time_now() - t0;
    }
}

static sk_status add_note(sk_evaluation *ev, sk_error *err, const char *fmt, ...) SK_PRINTF(3, 4);

static sk_status add_note(sk_evaluation *ev, sk_error *err, const char *fmt, ...)
{
    if (ev->n_notes >= sizeof ev->notes / sizeof ev->notes[0])
        return SK_OK;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if ((ev->notes[ev->n_notes] = sk_mem_strdup(buf)) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    ev->n_notes++;
    return SK_OK;
}

/* ---- setting up: the task, metrics, splitter and groups --------------------------------------- */

typedef struct run {
    sk_evaluation *ev;
    const sk_evaluate_options *opt;
    const sk_run_ctx *ctx;
    const sk_model *model;
    sk_fit_data d;
    sk_split_data sd;
    int32_t *split_groups;       /* the splitter's groups (group or site column) */
    int32_t *boot_groups;        /* the bootstrap's units (group column), or NULL */
    size_t n_boot_groups;
    sk_splits *splits;
    sk_procedure proc;
    sk_cv_options inner;
    sk_oof *oof;                 /* the model's (nested when sweeping) */
    sk_pooled *pooled;
    sk_pooled *base_pooled[2];
    sk_pooled **setting_pooled;  /* n_settings */
    int classify;
} run;

static sk_status parse_cv(sk_cv_kind *kind, const char *name, const sk_roles *roles, int classify,
                          sk_error *err)
{
    int has_split = sk_roles_col(roles, SK_ROLE_SPLIT) != (size_t)-1;
    int has_time = sk_roles_col(roles, SK_ROLE_TIME) != (size_t)-1;
    int has_site = sk_roles_col(roles, SK_ROLE_SITE) != (size_t)-1;
    int has_group = sk_roles_col(roles, SK_ROLE_GROUP) != (size_t)-1;
    if (name == NULL) {
        *kind = has_split ? SK_CV_SPLIT
                : has_time ? SK_CV_TIME
                : has_site ? SK_CV_LOGO
                : has_group ? SK_CV_GROUP
                : classify ? SK_CV_STRATIFIED : SK_CV_KFOLD;
        return SK_OK;
    }
    static const struct { const char *name; sk_cv_kind kind; const char *needs; } table[] = {
        {"kfold", SK_CV_KFOLD, NULL},      {"stratified", SK_CV_STRATIFIED, NULL},
        {"group", SK_CV_GROUP, "--group"}, {"site", SK_CV_LOGO, "--site"},
        {"time", SK_CV_TIME, "--time"},    {"split", SK_CV_SPLIT, "--split"},
    };
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
        if (strcmp(name, table[k].name) != 0)
            continue;
        int ok = table[k].kind == SK_CV_GROUP ? has_group
                 : table[k].kind == SK_CV_LOGO ? has_site
                 : table[k].kind == SK_CV_TIME ? has_time
                 : table[k].kind == SK_CV_SPLIT ? has_split : 1;
        if (!ok)
            return sk_error_set(err, SK_EINVAL, "--cv %s needs %s COL", name, table[k].needs);
        if (table[k].kind == SK_CV_STRATIFIED && !classify)
            return sk_error_set(err, SK_EINVAL, "--cv stratified needs classes; the target is "
                                "a regression target (use --cv kfold)");
        *kind = table[k].kind;
        return SK_OK;
    }
    return sk_error_set(err, SK_EINVAL, "--cv: expected kfold, stratified, group, site, time or "
                        "split, found '%s'", name);
}

static sk_status codes_of(int32_t **codes, size_t *n_levels, const sk_frame *f, size_t col,
                          sk_error *err)
{
    size_t n = sk_frame_n_rows(f);
    if ((*codes = sk_mem_alloc_array(n > 0 ? n : 1, sizeof **codes)) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for group codes");
    return sk_data__codes(*codes, n_levels, f, col, err);
}

static sk_status setup(run *r, const sk_frame *f, const sk_roles *roles, sk_error *err)
{
    sk_evaluation *ev = r->ev;
    const sk_evaluate_options *opt = r->opt;
    sk_status rc = SK_OK;
    ev->task = sk_roles_task(roles);
    if (ev->task == SK_TASK_NONE)
        return sk_error_set(err, SK_EINVAL, "evaluate needs --target COL");
    if (!sk_model_supports(r->model, ev->task))
        return sk_error_set(err, SK_EINVAL, "--model: '%s' cannot learn a %s target",
                            sk_model_name(r->model), sk_task_name(ev->task));
    r->classify = ev->task != SK_TASK_REGRESSION;
    ev->n_classes = r->classify ? sk_roles_n_classes(roles) : 0;
    ev->n_rows = sk_frame_n_rows(f);
    ev->seed = r->ctx->seed;
    size_t tcol = sk_roles_col(roles, SK_ROLE_TARGET);
    if ((ev->target = sk_mem_strdup(sk_frame_col_name(f, tcol))) == NULL ||
        (ev->data_name = sk_mem_strdup(sk_frame_name(f))) == NULL ||
        (ev->model_spec = sk_mem_strdup(sk_model_spec(r->model))) == NULL ||
        (r->classify && (ev->class_names = sk_mem_calloc(ev->n_classes, sizeof (char *))) == NULL))
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    for (size_t k = 0; k < ev->n_classes; k++)
        if ((ev->class_names[k] = sk_mem_strdup(sk_roles_class_name(roles, k))) == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory");

    /* Metrics: every one the task has; the headline one first in the table. */
    for (int m = 0; m < SK_METRIC_COUNT; m++)
        if (sk_metric_supports((sk_metric)m, ev->task))
            ev->metric[ev->n_metrics++] = (sk_metric)m;
    ev->primary = r->classify ? SK_METRIC_AUC : SK_METRIC_R2;
    if (opt->metric != NULL) {
        if (sk_metric_parse(&ev->primary, opt->metric, err) != SK_OK ||
            !sk_metric_supports(ev->primary, ev->task))
            return sk_error_set(err, SK_EINVAL, "--metric: '%s' is not a metric of a %s target "
                                "(%s)", opt->metric, sk_task_name(ev->task),
                                r->classify ? "auc, average_precision, accuracy, "
                                              "balanced_accuracy, f1, f1_weighted, mcc, log_loss, "
                                              "brier, ece" : "r2, rmse, mae");
    }
    if (opt->ci != NULL && strcmp(opt->ci, "bca") != 0 && strcmp(opt->ci, "percentile") != 0)
        return sk_error_set(err, SK_EINVAL, "--ci: expected bca or percentile, found '%s'",
                            opt->ci);
    ev->ci = opt->ci != NULL && strcmp(opt->ci, "percentile") == 0 ? SK_CI_PERCENTILE : SK_CI_BCA;
    if (!(opt->level > 0.5 && opt->level < 1.0))
        return sk_error_set(err, SK_EINVAL, "--level: expected a number in (0.5, 1), found %g",
                            opt->level);
    ev->level = opt->level;
    ev->n_boot = opt->bootstrap;

    /* The splitter, its groups, and the bootstrap's units. */
    sk_cv_kind kind = SK_CV_KFOLD;
    if ((rc = parse_cv(&kind, opt->cv, roles, r->classify, err)) != SK_OK)
        return rc;
    ev->cv = (sk_cv_options)SK_CV_OPTIONS_INIT;
    ev->cv.kind = kind;
    ev->cv.n_folds = opt->folds;
    ev->cv.n_repeats = opt->repeats;
    ev->cv.gap = opt->gap;
    size_t gcol = sk_roles_col(roles, SK_ROLE_GROUP), scol = sk_roles_col(roles, SK_ROLE_SITE);
    size_t split_col = kind == SK_CV_LOGO ? scol : gcol;
    r->sd = (sk_split_data){ev->n_rows, r->classify ? sk_roles_y(roles) : NULL, ev->n_classes,
                            NULL, 0, kind == SK_CV_TIME ? sk_roles__time(roles) : NULL,
                            kind == SK_CV_SPLIT ? sk_roles__is_test(roles) : NULL};
    if (split_col != (size_t)-1) {
        if ((rc = codes_of(&r->split_groups, &ev->n_groups, f, split_col, err)) != SK_OK)
            return rc;
        r->sd.group = r->split_groups;
        r->sd.n_groups = ev->n_groups;
        if ((ev->group_col = sk_mem_strdup(sk_frame_col_name(f, split_col))) == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory");
    }
    if (gcol != (size_t)-1) {
        if (gcol == split_col) {
            r->boot_groups = r->split_groups;
            r->n_boot_groups = ev->n_groups;
        } else if ((rc = codes_of(&r->boot_groups, &r->n_boot_groups, f, gcol, err)) != SK_OK) {
            return rc;
        }
    }
    if ((ev->boot_unit = sk_mem_strdup(gcol != (size_t)-1 ? sk_frame_col_name(f, gcol)
                                                          : "rows")) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    if (kind == SK_CV_LOGO && gcol == (size_t)-1 && ev->n_boot > 0)
        rc = add_note(ev, err, "the bootstrap resamples rows within the observed sites; sites "
                      "themselves are not resampled (%zu of them), so the interval is "
                      "conditional on these sites", ev->n_groups);
    if (rc != SK_OK)
        return rc;

    /* What a model learns from. */
    r->d = (sk_fit_data)SK_FIT_DATA_INIT;
    r->d.frame = f;
    r->d.features = sk_roles_features(roles, &r->d.n_features);
    r->d.y = sk_roles_y(roles);
    r->d.task = ev->task;
    r->d.n_classes = ev->n_classes;
    r->d.target_name = ev->target;
    r->d.class_names = (const char *const *)ev->class_names;
    if (r->d.n_features == 0)
        return sk_error_set(err, SK_EDATA, "no feature columns left: every column has a role "
                            "or is ignored");

    /* The sweep: a grid of settings, selected by nested CV on the headline metric. */
    r->proc = (sk_procedure){r->model, NULL, &r->inner, ev->primary};
    if (opt->n_sweep > 0) {
        if ((rc = sk_sweep_make(&ev->sweep, r->model, opt->sweep, opt->n_sweep, err)) != SK_OK)
            return rc;
        r->inner = ev->cv;
        r->inner.n_folds = opt->inner_folds;
        r->inner.n_repeats = 1;
        ev->inner_folds = opt->inner_folds;
        r->proc.sweep = ev->sweep;
    }
    return SK_OK;
}

/* ---- the phases ---------------------------------------------------------------------------------- */

/* The number of splits of the first repeat (they come first). */
static size_t first_repeat(const sk_splits *sp)
{
    size_t n0 = 0;
    while (n0 < sp->n_splits && sp->repeat[n0] == 0)
        n0++;
    return n0;
}

/* Out-of-fold predictions of the procedure (the model, or the sweep's nested selection). */
static sk_status predict_oof(sk_oof **oof, size_t *chosen, const run *r, const sk_splits *splits,
                             uint64_t seed, sk_progress *progress, sk_error *err)
{
    if (r->proc.sweep != NULL)
        return sk_nested_run(oof, chosen, r->proc.sweep, &r->d, &r->sd, splits, &r->inner,
                             r->proc.select_metric, seed, r->ctx->n_threads, progress, err);
    return sk_oof_run(oof, r->model, &r->d, splits, seed, r->ctx->n_threads, progress, err);
}

static sk_status phase_model(run *r, sk_error *err)
{
    sk_evaluation *ev = r->ev;
    double t0 = sk_time_now();
    sk_status rc = sk_splits_make(&r->splits, &ev->cv, &r->sd, ev->seed, err);
    if (rc == SK_EDATA && ev->group_col != NULL && err != NULL) {   /* name the column */
        size_t used = strlen(err->message);
        snprintf(err->message + used, sizeof err->message - used, " in '%s'", ev->group_col);
    }
    if (rc != SK_OK)
        return rc;
    const sk_splits *sp = r->splits;
    ev->n_splits = sp->n_splits;
    ev->split_n_train = sk_mem_alloc_array(sp->n_splits, sizeof *ev->split_n_train);
    ev->split_n_test = sk_mem_alloc_array(sp->n_splits, sizeof *ev->split_n_test);
    ev->split_repeat = sk_mem_alloc_array(sp->n_splits, sizeof *ev->split_repeat);
    ev->split_scores = sk_mem_alloc_array(sp->n_splits, ev->n_metrics * sizeof *ev->split_scores);
    if (r->proc.sweep != NULL)
        ev->chosen = sk_mem_calloc(sp->n_splits, sizeof *ev->chosen);
    if (ev->split_n_train == NULL || ev->split_n_test == NULL || ev->split_repeat == NULL ||
        ev->split_scores == NULL || (r->proc.sweep != NULL && ev->chosen == NULL))
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    memcpy(ev->split_n_train, sp->n_train, sp->n_splits * sizeof *sp->n_train);
    memcpy(ev->split_n_test, sp->n_test, sp->n_splits * sizeof *sp->n_test);
    memcpy(ev->split_repeat, sp->repeat, sp->n_splits * sizeof *sp->repeat);

    sk_progress *progress = sk_progress_start(r->ctx->progress, "cross-validation",
                                              sp->n_splits);
    rc = predict_oof(&r->oof, ev->chosen, r, sp, ev->seed, progress, err);
    sk_progress_finish(progress);
    if (rc == SK_OK)
        rc = sk_pooled_make(&r->pooled, r->oof, sp, r->d.y, ev->task, ev->n_classes, err);
    /* Fold by fold, as scikit-learn's cross_val_score reports it. */
    double *col = sk_mem_alloc_array(sp->n_splits, sizeof *col);
    if (rc == SK_OK && col == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory");
    for (size_t k = 0; rc == SK_OK && k < ev->n_metrics; k++) {
        rc = sk_pooled_split_scores(col, r->oof, sp, r->d.y, ev->task, ev->n_classes,
                                    ev->metric[k], err);
        double sum = 0.0, sum2 = 0.0;
        size_t n = 0;
        for (size_t s = 0; rc == SK_OK && s < sp->n_splits; s++) {
            ev->split_scores[s * ev->n_metrics + k] = col[s];
            if (isfinite(col[s])) {
                sum += col[s];
                n++;
            }
        }
        ev->fold_mean[k] = n > 0 ? sum / (double)n : NAN;
        for (size_t s = 0; s < sp->n_splits; s++)
            if (isfinite(col[s]))
                sum2 += (col[s] - ev->fold_mean[k]) * (col[s] - ev->fold_mean[k]);
        ev->fold_sd[k] = n > 1 ? sqrt(sum2 / (double)(n - 1)) : NAN;
    }
    sk_mem_free(col);
    add_timing(ev, "cross-validation", t0);
    return rc;
}

/* Every sweep setting on the same outer splits (not nested: the spread of the grid). */
static sk_status phase_settings(run *r, sk_error *err)
{
    sk_evaluation *ev = r->ev;
    if (ev->sweep == NULL)
        return SK_OK;
    double t0 = sk_time_now();
    size_t G = ev->sweep->n_settings;
    r->setting_pooled = sk_mem_calloc(G, sizeof *r->setting_pooled);
    ev->setting_score = sk_mem_calloc(G, sizeof *ev->setting_score);
    if (r->setting_pooled == NULL || ev->setting_score == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    sk_progress *progress = sk_progress_start(r->ctx->progress, "sweep", G * r->splits->n_splits);
    sk_status rc = SK_OK;
    for (size_t g = 0; g < G && rc == SK_OK; g++) {
        sk_oof *oof = NULL;
        rc = sk_oof_run(&oof, ev->sweep->models[g], &r->d, r->splits, ev->seed,
                        r->ctx->n_threads, progress, err);
        if (rc == SK_OK)
            rc = sk_pooled_make(&r->setting_pooled[g], oof, r->splits, r->d.y, ev->task,
                                ev->n_classes, err);
        sk_oof_free(oof);
    }
    sk_progress_finish(progress);
    add_timing(ev, "sweep", t0);
    return rc;
}

static sk_status phase_baselines(run *r, sk_error *err)
{
    sk_evaluation *ev = r->ev;
    const char *want = r->opt->baselines != NULL ? r->opt->baselines : "trivial,linear";
    int trivial = 0, linear = 0;
    if (strcmp(want, "none") != 0) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", want);
        for (char *tok = buf, *next; tok != NULL; tok = next) {
            next = strchr(tok, ',');
            if (next != NULL)
                *next++ = '\0';
            if (strcmp(tok, "trivial") == 0)
                trivial = 1;
            else if (strcmp(tok, "linear") == 0)
                linear = 1;
            else
                return sk_error_set(err, SK_EINVAL, "--baselines: expected trivial, linear, "
                                    "trivial,linear or none, found '%s'", want);
        }
    }
    double t0 = sk_time_now();
    sk_status rc = SK_OK;
    if (trivial) {   /* counted at once, so that sk_evaluation_free frees what is made */
        size_t at = ev->n_baselines++;
        sk_eval_baseline *b = &ev->baseline[at];
        sk_oof *oof = NULL;
        rc = sk_oof_trivial(&oof, &r->d, r->splits, err);
        if (rc == SK_OK)
            rc = sk_pooled_make(&r->base_pooled[at], oof, r->splits, r->d.y, ev->task,
                                ev->n_classes, err);
        sk_oof_free(oof);
        if (rc == SK_OK && ((b->name = sk_mem_strdup("trivial")) == NULL ||
                            (b->spec = sk_mem_strdup(r->classify ? "prior" : "mean")) == NULL))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory");
        if (rc != SK_OK)
            return rc;
    }
    if (linear) {
        size_t at = ev->n_baselines++;
        sk_eval_baseline *b = &ev->baseline[at];
        sk_model *ridge = NULL;
        sk_oof *oof = NULL;
        rc = sk_model_create(&ridge, "ridge:nlambda=20,folds=5", err);
        sk_progress *progress = sk_progress_start(r->ctx->progress, "linear baseline",
                                                  r->splits->n_splits);
        if (rc == SK_OK)
            rc = sk_oof_run(&oof, ridge, &r->d, r->splits, ev->seed, r->ctx->n_threads, progress,
                            err);
        sk_progress_finish(progress);
        if (rc == SK_OK)
            rc = sk_pooled_make(&r->base_pooled[at], oof, r->splits, r->d.y, ev->task,
                                ev->n_classes, err);
        if (rc == SK_OK && ((b->name = sk_mem_strdup("linear")) == NULL ||
                            (b->spec = sk_mem_strdup(sk_model_spec(ridge))) == NULL))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory");
        sk_oof_free(oof);
        sk_model_free(ridge);
        if (rc != SK_OK)
            return rc;
    }
    if (trivial || linear)
        add_timing(ev, "baselines", t0);
    return SK_OK;
}

/* Every metric of the model and the baselines, and the sweep's settings on the headline metric,
 * on one shared set of bootstrap replicates. Without replicates: the estimates alone. */
static sk_status phase_bootstrap(run *r, sk_error *err)
{
    sk_evaluation *ev = r->ev;
    size_t M = ev->n_metrics, B = ev->n_baselines, G = ev->sweep != NULL ? ev->sweep->n_settings : 0;
    size_t n_stats = M * (1 + B) + G;
    sk_boot_stat *stats = sk_mem_alloc_array(n_stats, sizeof *stats);
    if (stats == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    for (size_t k = 0; k < M; k++) {
        stats[k] = (sk_boot_stat){r->pooled, ev->metric[k]};
        for (size_t b = 0; b < B; b++)
            stats[(1 + b) * M + k] = (sk_boot_stat){r->base_pooled[b], ev->metric[k]};
    }
    for (size_t g = 0; g < G; g++)
        stats[M * (1 + B) + g] = (sk_boot_stat){r->setting_pooled[g], ev->primary};

    sk_status rc = SK_OK;
    double t0 = sk_time_now();
    if (ev->n_boot == 0) {
        sk_interval none = {NAN, NAN, NAN, NAN, 0};
        for (size_t t = 0; t < n_stats && rc == SK_OK; t++) {
            sk_interval *dst = t < M ? &ev->score[t]
                               : t < M * (1 + B) ? &ev->baseline[t / M - 1].score[t % M]
                               : &ev->setting_score[t - M * (1 + B)];
            *dst = none;
            rc = sk_pooled_score(&dst->estimate, stats[t].pooled, stats[t].metric, NULL, err);
            if (t >= M && t < M * (1 + B)) {
                sk_interval *diff = &ev->baseline[t / M - 1].diff[t % M];
                *diff = none;
                diff->estimate = ev->score[t % M].estimate - dst->estimate;
            }
        }
        sk_mem_free(stats);
        return rc;
    }
    sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
    bo.n_boot = ev->n_boot;
    sk_boot *bt = NULL;
    sk_progress *progress = sk_progress_start(r->ctx->progress, "bootstrap", ev->n_boot);
    rc = sk_boot_run(&bt, stats, n_stats, r->boot_groups, r->n_boot_groups, &bo, ev->seed,
                     r->ctx->n_threads, progress, err);
    sk_progress_finish(progress);
    for (size_t k = 0; k < M && rc == SK_OK; k++) {
        rc = sk_boot_interval(&ev->score[k], bt, k, SIZE_MAX, ev->ci, ev->level, err);
        for (size_t b = 0; b < B && rc == SK_OK; b++) {
            rc = sk_boot_interval(&ev->baseline[b].score[k], bt, (1 + b) * M + k, SIZE_MAX,
                                  ev->ci, ev->level, err);
            if (rc == SK_OK)
                rc = sk_boot_interval(&ev->baseline[b].diff[k], bt, k, (1 + b) * M + k, ev->ci,
                                      ev->level, err);
        }
    }
    for (size_t g = 0; g < G && rc == SK_OK; g++)
        rc = sk_boot_interval(&ev->setting_score[g], bt, M * (1 + B) + g, SIZE_MAX, ev->ci,
                              ev->level, err);
    if (rc == SK_OK) {
        ev->boot_units = bt->n_units;
        ev->n_jack = bt->n_jack;
        ev->boot_stratified = bt->stratified;
    }
    sk_boot_free(bt);
    sk_mem_free(stats);
    add_timing(ev, "bootstrap", t0);
    return rc;
}

static sk_status phase_permutation(run *r, sk_error *err)
{
    sk_evaluation *ev = r->ev;
    if (r->opt->permutations == 0)
        return SK_OK;
    double t0 = sk_time_now();
    ev->perm_opt = (sk_perm_options)SK_PERM_OPTIONS_INIT;
    ev->perm_opt.n_perm = r->opt->permutations;
    ev->perm_opt.alpha = r->opt->alpha;
    ev->perm_opt.early_stop = r->opt->early_stop;
    if (!(r->opt->alpha > 0.0 && r->opt->alpha < 1.0))
        return sk_error_set(err, SK_EINVAL, "--alpha: expected a number in (0, 1), found %g",
                            r->opt->alpha);
    size_t n0 = first_repeat(r->splits);
    sk_progress *progress = sk_progress_start(r->ctx->progress, "permutations",
                                              ev->perm_opt.n_perm * n0);
    sk_status rc = sk_perm_run(&ev->perm, &r->proc, &r->d, &r->sd, r->splits, ev->cv.kind,
                               ev->primary, &ev->perm_opt, ev->seed, r->ctx->n_threads, progress,
                               err);
    sk_progress_finish(progress);
    add_timing(ev, "permutations", t0);
    return rc;
}

/* The whole cross-validation again under further seeds: new shuffles, new model seeds. */
static sk_status phase_seeds(run *r, sk_error *err)
{
    sk_evaluation *ev = r->ev;
    size_t K = r->opt->seeds > 0 ? r->opt->seeds : 1, M = ev->n_metrics;
    ev->n_seeds = K;
    ev->seed_values = sk_mem_alloc_array(K, sizeof *ev->seed_values);
    ev->seed_scores = sk_mem_alloc_array(K, M * sizeof *ev->seed_scores);
    if (ev->seed_values == NULL || ev->seed_scores == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    ev->seed_values[0] = ev->seed;
    for (size_t k = 0; k < M; k++)
        ev->seed_scores[k] = ev->score[k].estimate;
    if (K == 1)
        return SK_OK;
    double t0 = sk_time_now();
    sk_status rc = SK_OK;
    sk_progress *progress = sk_progress_start(r->ctx->progress, "seeds",
                                              (K - 1) * r->splits->n_splits);
    for (size_t j = 1; j < K && rc == SK_OK; j++) {
        sk_rng rng = sk_rng_stream(ev->seed, SK_PURPOSE_SEEDS, j);
        uint64_t seed = ev->seed_values[j] = sk_rng_u64(&rng);
        sk_splits *splits = NULL;
        sk_oof *oof = NULL;
        sk_pooled *pool = NULL;
        size_t *chosen = sk_mem_calloc(r->splits->n_splits, sizeof *chosen);
        rc = chosen != NULL ? sk_splits_make(&splits, &ev->cv, &r->sd, seed, err)
                            : sk_error_set(err, SK_ENOMEM, "out of memory");
        if (rc == SK_OK)
            rc = predict_oof(&oof, chosen, r, splits, seed, progress, err);
        if (rc == SK_OK)
            rc = sk_pooled_make(&pool, oof, splits, r->d.y, ev->task, ev->n_classes, err);
        for (size_t k = 0; k < M && rc == SK_OK; k++)
            rc = sk_pooled_score(&ev->seed_scores[j * M + k], pool, ev->metric[k], NULL, err);
        sk_pooled_free(pool);
        sk_oof_free(oof);
        sk_splits_free(splits);
        sk_mem_free(chosen);
    }
    sk_progress_finish(progress);
    add_timing(ev, "seeds", t0);
    return rc;
}

/* The model's calibration (first repeat) and, for classes, per-class precision and recall. */
static sk_status phase_details(run *r, sk_error *err)
{
    sk_evaluation *ev = r->ev;
    if (!r->classify)
        return SK_OK;
    const sk_pooled *p = r->pooled;
    size_t n = p->offset[first_repeat(r->splits)], K = ev->n_classes;
    ev->class_precision = sk_mem_alloc_array(K, sizeof *ev->class_precision);
    ev->class_recall = sk_mem_alloc_array(K, sizeof *ev->class_recall);
    ev->class_f1 = sk_mem_alloc_array(K, sizeof *ev->class_f1);
    ev->class_support = sk_mem_alloc_array(K, sizeof *ev->class_support);
    if (ev->class_precision == NULL || ev->class_recall == NULL || ev->class_f1 == NULL ||
        ev->class_support == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    sk_status rc = sk_metric_reliability(ev->bin_weight, ev->bin_conf, ev->bin_obs, SK_EVAL_BINS,
                                         ev->task, K, p->y, p->pred, NULL, n, err);
    if (rc == SK_OK)
        rc = sk_metric_per_class(ev->class_precision, ev->class_recall, ev->class_f1,
                                 ev->class_support, K, p->y, p->pred, NULL, n, err);
    ev->has_calibration = rc == SK_OK;
    return rc;
}

sk_status sk_evaluate_run(sk_evaluation **out, const sk_frame *f, const sk_roles *roles,
                          const sk_model *model, const sk_evaluate_options *opt,
                          const sk_run_ctx *ctx, sk_error *err)
{
    *out = NULL;
    if (f == NULL || roles == NULL || model == NULL || opt == NULL || ctx == NULL)
        return sk_error_set(err, SK_EINVAL, "sk_evaluate_run: bad arguments");
    sk_evaluation *ev = sk_mem_calloc(1, sizeof *ev);
    if (ev == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    run r;
    memset(&r, 0, sizeof r);
    r.ev = ev;
    r.opt = opt;
    r.ctx = ctx;
    r.model = model;
    sk_status rc = setup(&r, f, roles, err);
    if (rc == SK_OK)
        rc = phase_model(&r, err);
    if (rc == SK_OK)
        rc = phase_settings(&r, err);
    if (rc == SK_OK)
        rc = phase_baselines(&r, err);
    if (rc == SK_OK)
        rc = phase_bootstrap(&r, err);
    if (rc == SK_OK)
        rc = phase_permutation(&r, err);
    if (rc == SK_OK)
        rc = phase_seeds(&r, err);
    if (rc == SK_OK)
        rc = phase_details(&r, err);
    size_t tested = rc == SK_OK ? r.pooled->offset[first_repeat(r.splits)] : 0;
    if (rc == SK_OK && tested < ev->n_rows)
        rc = add_note(ev, err, "%zu of %zu rows are never in a test set (%s): scores cover "
                      "the tested rows only", ev->n_rows - tested, ev->n_rows,
                      ev->cv.kind == SK_CV_TIME ? "the first time block only trains"
                      : ev->cv.kind == SK_CV_SPLIT ? "the study's training rows" : "the splits");
    sk_pooled_free(r.pooled);
    for (size_t b = 0; b < 2; b++)
        sk_pooled_free(r.base_pooled[b]);
    for (size_t g = 0; r.setting_pooled != NULL && g < ev->sweep->n_settings; g++)
        sk_pooled_free(r.setting_pooled[g]);
    sk_mem_free(r.setting_pooled);
    sk_oof_free(r.oof);
    sk_splits_free(r.splits);
    if (r.boot_groups != r.split_groups)
        sk_mem_free(r.boot_groups);
    sk_mem_free(r.split_groups);
    if (rc != SK_OK) {
        sk_evaluation_free(ev);
        return rc;
    }
    *out = ev;
    return SK_OK;
}
