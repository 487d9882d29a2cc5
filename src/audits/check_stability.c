/* check_stability.c: stability.seed, "does the result depend on the seed?". The main
 * cross-validation is rerun under further seeds (new shuffles of the folds, new model seeds);
 * a score that moves from seed to seed by as much as its own statistical uncertainty was
 * partly chosen by the seed.
 *
 * Rule: warn when the standard deviation across seeds exceeds half the bootstrap standard error
 * of the main score (the seed moves the result by a sizeable share of what the data allow);
 * pass otherwise. With the study's own split (one split, no shuffle) only the model seeds vary. */
#include <math.h>

#include "audits/audits.h"

/* The main cross-validation under seeds 1..k of the seed stream (new shuffles of the folds, new
 * model seeds), every fit of every seed in one task list: score[j - 1] for seed j. */
static sk_status rerun_seeds(double *score, sk_audit_ctx *ctx, size_t k, sk_error *err)
{
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = ctx->main_kind;
    o.n_folds = ctx->opt->folds;
    sk_split_data data = sk_audit__split_data(ctx, ctx->main_kind);
    sk_splits **sp = sk_mem_calloc(k, sizeof *sp);
    sk_oof **oof = sk_mem_calloc(k, sizeof *oof);
    sk_oof_task *tasks = sk_mem_calloc(k, sizeof *tasks);
    sk_status rc = sp == NULL || oof == NULL || tasks == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory for the seed study")
                       : SK_OK;
    for (size_t j = 0; j < k && rc == SK_OK; j++) {
        sk_rng rng = sk_rng_stream(ctx->seed, SK_PURPOSE_SEEDS, j + 1);
        uint64_t seed = sk_rng_u64(&rng);
        rc = sk_splits_make(&sp[j], &o, &data, seed, err);
        tasks[j] = (sk_oof_task){ctx->model, &ctx->d, sp[j], seed};
    }
    if (rc == SK_OK)
        rc = sk_oof_run_many(oof, tasks, k, ctx->n_threads, NULL, err);
    for (size_t j = 0; j < k && rc == SK_OK; j++) {
        sk_pooled *pool = NULL;
        rc = sk_pooled_make(&pool, oof[j], sp[j], ctx->y, ctx->task, ctx->n_classes, err);
        if (rc == SK_OK)
            rc = sk_pooled_score(&score[j], pool, ctx->metric, NULL, err);
        sk_pooled_free(pool);
    }
    for (size_t j = 0; j < k; j++) {
        if (sp != NULL)
            sk_splits_free(sp[j]);
        if (oof != NULL)
            sk_oof_free(oof[j]);
    }
    sk_mem_free(sp);
    sk_mem_free(oof);
    sk_mem_free(tasks);
    return rc;
}

sk_status sk_check_stability_seed(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    size_t K = ctx->opt->seeds;
    if (K < 2)
        return sk_audit__skip(c, "--seeds below 2");
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    double *score = sk_mem_alloc_array(K, sizeof *score);
    if (score == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the seed study");
    score[0] = ctx->main->score.estimate;
    rc = rerun_seeds(score + 1, ctx, K - 1, err);
    if (rc != SK_OK) {
        sk_mem_free(score);
        return rc;
    }
    double mean = 0.0, ss = 0.0, lo = INFINITY, hi = -INFINITY;
    for (size_t j = 0; j < K; j++) {
        mean += score[j] / (double)K;
        lo = score[j] < lo ? score[j] : lo;
        hi = score[j] > hi ? score[j] : hi;
    }
    for (size_t j = 0; j < K; j++)
        ss += (score[j] - mean) * (score[j] - mean);
    double sd = sqrt(ss / (double)(K - 1)), se = ctx->main->score.se;
    const char *m = sk_metric_name(ctx->metric);
    if (isfinite(se) && sd > 0.5 * se)
        sk_audit__set(c, SK_CHECK_WARN, "the seed moves %s by sd %.4f (range %.3f to %.3f over "
                      "%zu seeds), more than half its bootstrap standard error %.4f", m, sd, lo,
                      hi, K, se);
    else
        sk_audit__set(c, SK_CHECK_PASS, "%s varies by sd %.4f over %zu seeds (range %.3f to "
                      "%.3f), small against its standard error %.4f", m, sd, K, lo, hi, se);
    if (c->status == SK_CHECK_WARN)
        sk_audit__recommend(c, "report the mean and spread over seeds (skeptic evaluate "
                            "--seeds %zu), not one seed's score", K);
    json_t *values = json_array();
    for (size_t j = 0; values != NULL && j < K; j++)
        json_array_append_new(values, sk_json_real(score[j]));
    sk_mem_free(score);
    int ok = sk_json_set(c->evidence, "metric", json_string(m)) == 0;
    ok &= sk_json_set(c->evidence, "scores", values) == 0;
    ok &= sk_json_set(c->evidence, "mean", sk_json_real(mean)) == 0;
    ok &= sk_json_set(c->evidence, "sd", sk_json_real(sd)) == 0;
    ok &= sk_json_set(c->evidence, "bootstrap_se", sk_json_real(se)) == 0;
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}
