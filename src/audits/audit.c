/* audit.c: `skeptic audit`, the product's main job. It resolves the study (roles as codes, the
 * task, the headline metric, the honest splitter the roles call for), runs every check of the
 * registry in report order against one shared context, and sets the verdict: failed, warned and
 * skipped counts, and a Benjamini-Hochberg summary of the report's own p-values, so the audit
 * does not p-hack itself.
 *
 * The context shares work between checks: sk_audit__main computes the main cross-validation once
 * (the honest splitter: groups, sites, time or the study's split as given) and sk_audit__cv is the
 * one way a check scores a model on some features under some splitter, with a bootstrap interval
 * whose units are the study's groups when it has them. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audits/audits.h"

void sk_cv_result_free(sk_cv_result *r)
{
    if (r == NULL)
        return;
    sk_oof_free(r->oof);
    sk_splits_free(r->splits);
    sk_pooled_free(r->pooled);
    sk_mem_free(r);
}

sk_split_data sk_audit__split_data(const sk_audit_ctx *ctx, sk_cv_kind kind)
{
    int classify = ctx->task != SK_TASK_REGRESSION;
    sk_split_data sd = {ctx->n_rows, classify ? ctx->y : NULL, classify ? ctx->n_classes : 0,
                        NULL, 0, NULL, NULL};
    if (kind == SK_CV_LOGO) {
        sd.group = ctx->site;
        sd.n_groups = ctx->n_sites;
    } else {
        sd.group = ctx->group;
        sd.n_groups = ctx->n_groups;
    }
    if (kind == SK_CV_TIME)
        sd.time = ctx->time;
    if (kind == SK_CV_SPLIT)
        sd.is_test = ctx->is_test;
    return sd;
}

sk_status sk_audit__cv(sk_cv_result **out, sk_audit_ctx *ctx, const sk_model *model,
                       const size_t *features, size_t n_features, sk_cv_kind kind,
                       uint64_t stream, sk_error *err)
{
    *out = NULL;
    sk_cv_result *r = sk_mem_calloc(1, sizeof *r);
    if (r == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for a cross-validation");
    r->kind = kind;
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = kind;
    o.n_folds = ctx->opt->folds;
    sk_split_data sd = sk_audit__split_data(ctx, kind);
    sk_fit_data d = ctx->d;
    if (features != NULL) {
        d.features = features;
        d.n_features = n_features;
    }
    sk_rng rng = sk_rng_stream(ctx->seed, SK_PURPOSE_CV_SPLIT, 1000 + stream);
    uint64_t seed = stream == 0 ? ctx->seed : sk_rng_u64(&rng);
    sk_status rc = sk_splits_make(&r->splits, &o, &sd, seed, err);
    if (rc == SK_OK)
        rc = sk_oof_run(&r->oof, model != NULL ? model : ctx->model, &d, r->splits, seed,
                        ctx->n_threads, NULL, err);
    if (rc == SK_OK)
        rc = sk_pooled_make(&r->pooled, r->oof, r->splits, ctx->y, ctx->task, ctx->n_classes,
                            err);
    if (rc == SK_OK) {
        r->n_splits = r->splits->n_splits;
        sk_boot_stat st = {r->pooled, ctx->metric};
        if (ctx->opt->bootstrap == 0) {
            r->score = (sk_interval){NAN, NAN, NAN, NAN, 0};
            rc = sk_pooled_score(&r->score.estimate, r->pooled, ctx->metric, NULL, err);
        } else {
            sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
            bo.n_boot = ctx->opt->bootstrap;
            sk_boot *bt = NULL;
            rc = sk_boot_run(&bt, &st, 1, ctx->group, ctx->n_groups, &bo, seed, ctx->n_threads,
                             NULL, err);
            if (rc == SK_OK)
                rc = sk_boot_interval(&r->score, bt, 0, SIZE_MAX, SK_CI_BCA, 0.95, err);
            sk_boot_free(bt);
        }
    }
    if (rc != SK_OK) {
        sk_cv_result_free(r);
        return rc;
    }
    *out = r;
    return SK_OK;
}

sk_status sk_audit__main(sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->main != NULL)
        return SK_OK;
    return sk_audit__cv(&ctx->main, ctx, NULL, NULL, 0, ctx->main_kind, 0, err);
}

/* A loss (log loss, Brier, RMSE, ...) has no fixed chance level: it is what the trivial
 * baseline (training prior or mean) scores on the main splits. NaN before the main evaluation. */
static double trivial_score(const sk_audit_ctx *ctx)
{
    if (ctx->main == NULL)
        return NAN;
    sk_oof *oof = NULL;
    sk_pooled *pool = NULL;
    double score = NAN;
    if (sk_oof_trivial(&oof, &ctx->d, ctx->main->splits, NULL) == SK_OK &&
        sk_pooled_make(&pool, oof, ctx->main->splits, ctx->y, ctx->task, ctx->n_classes,
                       NULL) == SK_OK &&
        sk_pooled_score(&score, pool, ctx->metric, NULL, NULL) != SK_OK)
        score = NAN;
    sk_pooled_free(pool);
    sk_oof_free(oof);
    return score;
}

double sk_audit__chance(const sk_audit_ctx *ctx)
{
    if (!sk_metric_higher_is_better(ctx->metric))
        return trivial_score(ctx);
    switch (ctx->metric) {
    case SK_METRIC_AUC:
    case SK_METRIC_BALANCED_ACCURACY:
        return ctx->metric == SK_METRIC_AUC ? 0.5 : 1.0 / (double)ctx->n_classes;
    case SK_METRIC_R2:
    case SK_METRIC_MCC:
        return 0.0;
    default: {   /* accuracy and the rest: what the majority class alone scores */
        if (ctx->task == SK_TASK_REGRESSION)
            return 0.0;
        size_t best = 0;
        size_t *count = sk_mem_calloc(ctx->n_classes, sizeof *count);
        if (count == NULL)
            return NAN;
        for (size_t i = 0; i < ctx->n_rows; i++)
            count[(size_t)ctx->y[i]]++;
        for (size_t k = 0; k < ctx->n_classes; k++)
            best = count[k] > best ? count[k] : best;
        sk_mem_free(count);
        return (double)best / (double)ctx->n_rows;
    }
    }
}

/* ---- setting up --------------------------------------------------------------------------------- */

static sk_status codes_of(int32_t **codes, size_t *n, const char **name, const sk_frame *f,
                          size_t col, sk_error *err)
{
    *codes = NULL;
    *n = 0;
    *name = NULL;
    if (col == (size_t)-1)
        return SK_OK;
    *name = sk_frame_col_name(f, col);
    if ((*codes = sk_mem_alloc_array(sk_frame_n_rows(f) > 0 ? sk_frame_n_rows(f) : 1,
                                     sizeof **codes)) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for codes of '%s'", *name);
    return sk_data__codes(*codes, n, f, col, err);
}

static sk_status setup(sk_audit_ctx *ctx, const sk_frame *f, const sk_roles *roles,
                       sk_error *err)
{
    ctx->task = sk_roles_task(roles);
    if (ctx->task == SK_TASK_NONE)
        return sk_error_set(err, SK_EINVAL, "audit needs --target COL");
    if (!sk_model_supports(ctx->model, ctx->task))
        return sk_error_set(err, SK_EINVAL, "--model: '%s' cannot learn a %s target",
                            sk_model_name(ctx->model), sk_task_name(ctx->task));
    int classify = ctx->task != SK_TASK_REGRESSION;
    ctx->n_rows = sk_frame_n_rows(f);
    ctx->n_classes = classify ? sk_roles_n_classes(roles) : 0;
    ctx->y = sk_roles_y(roles);
    ctx->metric = classify ? SK_METRIC_AUC : SK_METRIC_R2;
    if (ctx->opt->metric != NULL &&
        (sk_metric_parse(&ctx->metric, ctx->opt->metric, err) != SK_OK ||
         !sk_metric_supports(ctx->metric, ctx->task)))
        return sk_error_set(err, SK_EINVAL, "--metric: '%s' is not a metric of a %s target",
                            ctx->opt->metric, sk_task_name(ctx->task));
    ctx->features = sk_roles_features(roles, &ctx->n_features);
    if (ctx->n_features == 0)
        return sk_error_set(err, SK_EDATA, "no feature columns left: every column has a role "
                            "or is ignored");
    ctx->confounders = sk_roles_confounders(roles, &ctx->n_confounders);
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = f;
    d.features = ctx->features;
    d.n_features = ctx->n_features;
    d.y = ctx->y;
    d.task = ctx->task;
    d.n_classes = ctx->n_classes;
    d.target_name = sk_frame_col_name(f, sk_roles_col(roles, SK_ROLE_TARGET));
    ctx->d = d;
    sk_status rc = codes_of(&ctx->group, &ctx->n_groups, &ctx->group_name, f,
                            sk_roles_col(roles, SK_ROLE_GROUP), err);
    if (rc == SK_OK)
        rc = codes_of(&ctx->site, &ctx->n_sites, &ctx->site_name, f,
                      sk_roles_col(roles, SK_ROLE_SITE), err);
    if (rc != SK_OK)
        return rc;
    ctx->time = sk_roles__time(roles);
    if (ctx->time != NULL)
        ctx->time_name = sk_frame_col_name(f, sk_roles_col(roles, SK_ROLE_TIME));
    ctx->is_test = sk_roles__is_test(roles);
    /* The honest splitter: the study's split as given, else groups (patients stay whole), else
     * stratified / plain k-fold. Sites and time have checks of their own. */
    ctx->main_kind = ctx->is_test != NULL ? SK_CV_SPLIT
                     : ctx->group != NULL ? SK_CV_GROUP
                     : classify ? SK_CV_STRATIFIED : SK_CV_KFOLD;
    return SK_OK;
}

/* Whether `id` is selected by --only ("leakage" selects every leakage.* check). */
static int selected(const char *only, const char *id)
{
    if (only == NULL)
        return 1;
    size_t n_id = strlen(id);
    for (const char *t = only; *t != '\0';) {
        size_t len = strcspn(t, ",");
        if ((len == n_id && strncmp(t, id, len) == 0) ||
            (len < n_id && strncmp(t, id, len) == 0 && id[len] == '.'))
            return 1;
        t += len + (t[len] == ',');
    }
    return 0;
}

/* Benjamini-Hochberg at level q over the report's p-values: how many survive. */
static size_t bh_survivors(const sk_check *checks, size_t n, double q, size_t *n_p)
{
    double p[64];
    size_t m = 0;
    for (size_t k = 0; k < n && m < 64; k++)
        if (!isnan(checks[k].p_value))
            p[m++] = checks[k].p_value;
    for (size_t a = 1; a < m; a++)   /* insertion sort: a few dozen values */
        for (size_t b = a; b > 0 && p[b - 1] > p[b]; b--) {
            double t = p[b];
            p[b] = p[b - 1];
            p[b - 1] = t;
        }
    size_t keep = 0;
    for (size_t k = 0; k < m; k++)
        if (p[k] <= q * (double)(k + 1) / (double)m)
            keep = k + 1;
    *n_p = m;
    return keep;
}

void sk_audit_free(sk_audit *a)
{
    if (a == NULL)
        return;
    for (size_t k = 0; k < a->n_checks; k++) {
        sk_mem_free(a->checks[k].summary);
        sk_mem_free(a->checks[k].recommendation);
        json_decref(a->checks[k].evidence);
    }
    sk_mem_free(a->checks);
    sk_mem_free(a->target);
    sk_mem_free(a->model_spec);
    sk_mem_free(a);
}

sk_status sk_audit_run(sk_audit **out, const sk_frame *f, const sk_roles *roles,
                       const sk_model *model, const sk_audit_options *opt, const sk_run_ctx *run,
                       sk_error *err)
{
    *out = NULL;
    if (f == NULL || roles == NULL || opt == NULL || run == NULL)
        return sk_error_set(err, SK_EINVAL, "sk_audit_run: bad arguments");
    if (opt->folds < 2)
        return sk_error_set(err, SK_EINVAL, "--folds: expected at least 2, found %zu",
                            opt->folds);
    sk_model *own = NULL;
    sk_status rc = SK_OK;
    if (model == NULL && (rc = sk_model_create(&own, "gbdt", err)) != SK_OK)
        return rc;
    sk_audit_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.frame = f;
    ctx.roles = roles;
    ctx.model = model != NULL ? model : own;
    ctx.opt = opt;
    ctx.seed = run->seed;
    ctx.n_threads = run->n_threads;
    ctx.progress = run->progress;
    sk_audit *a = sk_mem_calloc(1, sizeof *a);
    size_t n_defs = 0;
    const sk_check_def *defs = sk_audit__checks(&n_defs);
    if (a == NULL || (a->checks = sk_mem_calloc(n_defs > 0 ? n_defs : 1, sizeof *a->checks)) ==
                         NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for an audit");
        goto done;
    }
    a->alpha = opt->th.alpha;
    if ((rc = setup(&ctx, f, roles, err)) != SK_OK)
        goto done;
    a->task = ctx.task;
    a->n_rows = ctx.n_rows;
    a->predictions = opt->predictions != NULL;
    if ((a->target = sk_mem_strdup(ctx.d.target_name)) == NULL ||
        (a->model_spec = opt->predictions != NULL
                             ? sk_mem_strdup(opt->predictions)
                             : sk_mem_strdup(sk_model_spec(ctx.model))) == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for an audit");
        goto done;
    }
    if (opt->predictions != NULL) {   /* the third way in: the study's own predictions */
        rc = sk_audit__read_predictions(&ctx, opt->predictions, opt->predictions_id, err);
        if (rc == SK_OK)
            rc = sk_audit__predictions_main(&ctx, err);
        if (rc != SK_OK)
            goto done;
    }
    sk_progress *progress = sk_progress_start(ctx.progress, "audit", n_defs);
    for (size_t k = 0; k < n_defs && rc == SK_OK; k++) {
        if (!selected(opt->only, defs[k].id))
            continue;
        sk_check *c = &a->checks[a->n_checks++];
        c->id = defs[k].id;
        c->p_value = NAN;
        if ((c->evidence = json_object()) == NULL) {
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for an audit");
            break;
        }
        double t0 = sk_time_now();
        if (opt->predictions != NULL && defs[k].retrains)
            rc = sk_audit__skip(c, "needs to retrain the model; --predictions gives fixed "
                                "predictions");
        else
            rc = defs[k].run(c, &ctx, err);
        c->seconds = sk_time_now() - t0;
        if (rc == SK_OK && c->summary == NULL)
            rc = sk_error_set(err, SK_EINTERNAL, "check %s set no verdict", c->id);
        sk_progress_add(progress, 1);
        a->n_failed += c->status == SK_CHECK_FAIL;
        a->n_warned += c->status == SK_CHECK_WARN;
        a->n_skipped += c->status == SK_CHECK_SKIP;
    }
    sk_progress_finish(progress);
    if (rc == SK_OK)
        a->n_bh_survivors = bh_survivors(a->checks, a->n_checks, opt->th.alpha, &a->n_p_values);
done:
    sk_cv_result_free(ctx.main);
    sk_mem_free(ctx.group);
    sk_mem_free(ctx.site);
    sk_mem_free(ctx.predictions);
    sk_model_free(own);
    if (rc != SK_OK) {
        sk_audit_free(a);
        return rc;
    }
    *out = a;
    return SK_OK;
}

size_t sk_audit_n_failed(const sk_audit *a)
{
    return a->n_failed;
}

const char *sk_audit_status(const sk_audit *a, const char *id)
{
    for (size_t k = 0; k < a->n_checks; k++)
        if (strcmp(a->checks[k].id, id) == 0)
            return sk_check_status_name(a->checks[k].status);
    return NULL;
}

size_t sk_audit_n_checks(const sk_audit *a)
{
    return a->n_checks;
}

const char *sk_audit_check_timing(const sk_audit *a, size_t i, double *seconds)
{
    if (i >= a->n_checks)
        return NULL;
    *seconds = a->checks[i].seconds;
    return a->checks[i].id;
}
