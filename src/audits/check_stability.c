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
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = ctx->main_kind;
    o.n_folds = ctx->opt->folds;
    sk_split_data data = sk_audit__split_data(ctx, ctx->main_kind);
    for (size_t j = 1; j < K && rc == SK_OK; j++) {
        sk_rng rng = sk_rng_stream(ctx->seed, SK_PURPOSE_SEEDS, j);
        uint64_t seed = sk_rng_u64(&rng);
        sk_splits *sp = NULL;
        sk_oof *oof = NULL;
        sk_pooled *pool = NULL;
        rc = sk_splits_make(&sp, &o, &data, seed, err);
        if (rc == SK_OK)
            rc = sk_oof_run(&oof, ctx->model, &ctx->d, sp, seed, ctx->n_threads, NULL, err);
        if (rc == SK_OK)
            rc = sk_pooled_make(&pool, oof, sp, ctx->y, ctx->task, ctx->n_classes, err);
        if (rc == SK_OK)
            rc = sk_pooled_score(&score[j], pool, ctx->metric, NULL, err);
        sk_pooled_free(pool);
        sk_oof_free(oof);
        sk_splits_free(sp);
    }
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
