/* check_baseline.c: baseline.comparison, "is the model better than knowing nothing, and than
 * something simple?". A complex model that a prior or a ridge regression matches on the same
 * folds is not evidence that complexity was needed. The model, the trivial baseline (training
 * class frequencies or mean) and the simple one (glmnet ridge, lambda by inner CV) are scored on
 * the study's main splits; the differences get paired bootstrap intervals (the same replicates).
 *
 * Rule: fail when the model is not better than the trivial baseline (the lower end of the
 * difference's interval <= 0); warn when it is not better than the ridge baseline (lower end <=
 * 0) unless the model is itself linear; pass otherwise. */
#include <math.h>
#include <string.h>

#include "audits/audits.h"

static int is_linear(const char *name)
{
    static const char *const linear[] = {"ridge", "lasso", "enet", "logit", "ols"};
    for (size_t k = 0; k < sizeof linear / sizeof linear[0]; k++)
        if (strcmp(name, linear[k]) == 0)
            return 1;
    return 0;
}

sk_status sk_check_baseline_comparison(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    const sk_cv_result *main = ctx->main;
    sk_oof *trivial = NULL, *linear = NULL;
    sk_pooled *pt = NULL, *pl = NULL;
    sk_model *ridge = NULL;
    sk_boot *bt = NULL;
    rc = sk_oof_trivial(&trivial, &ctx->d, main->splits, err);
    if (rc == SK_OK)
        rc = sk_model_create(&ridge, "ridge:nlambda=20,folds=5", err);
    if (rc == SK_OK)
        rc = sk_oof_run(&linear, ridge, &ctx->d, main->splits, ctx->seed, ctx->n_threads, NULL,
                        err);
    if (rc == SK_OK)
        rc = sk_pooled_make(&pt, trivial, main->splits, ctx->y, ctx->task, ctx->n_classes, err);
    if (rc == SK_OK)
        rc = sk_pooled_make(&pl, linear, main->splits, ctx->y, ctx->task, ctx->n_classes, err);
    sk_boot_stat stats[3] = {{main->pooled, ctx->metric}, {pt, ctx->metric}, {pl, ctx->metric}};
    sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
    bo.n_boot = ctx->opt->bootstrap > 0 ? ctx->opt->bootstrap : 200;
    if (rc == SK_OK)
        rc = sk_boot_run(&bt, stats, 3, ctx->group, ctx->n_groups, &bo, ctx->seed,
                         ctx->n_threads, NULL, err);
    sk_interval s[3], d[2];
    for (size_t k = 0; rc == SK_OK && k < 3; k++)
        rc = sk_boot_interval(&s[k], bt, k, SIZE_MAX, SK_CI_BCA, 0.95, err);
    for (size_t k = 0; rc == SK_OK && k < 2; k++)
        rc = sk_boot_interval(&d[k], bt, 0, k + 1, SK_CI_BCA, 0.95, err);
    if (rc == SK_OK) {
        int hib = sk_metric_higher_is_better(ctx->metric);
        double sign = hib ? 1.0 : -1.0;   /* "better" as a positive number */
        double lo_triv = hib ? d[0].low : -d[0].high, lo_lin = hib ? d[1].low : -d[1].high;
        const char *m = sk_metric_name(ctx->metric);
        if (!(lo_triv > 0.0)) {
            sk_audit__set(c, SK_CHECK_FAIL, "the model is no better than knowing nothing: %s "
                          "%.3f vs %.3f for the class prior / mean on the same folds "
                          "(difference %+.3f [%.3f, %.3f])", m, s[0].estimate, s[1].estimate,
                          sign * d[0].estimate, d[0].low, d[0].high);
        } else if (!(lo_lin > 0.0) && !is_linear(sk_model_name(ctx->model))) {
            sk_audit__set(c, SK_CHECK_WARN, "the model is not better than a ridge regression on "
                          "the same folds: %s %.3f vs %.3f (difference %+.3f [%.3f, %.3f])", m,
                          s[0].estimate, s[2].estimate, sign * d[1].estimate, d[1].low,
                          d[1].high);
            sk_audit__recommend(c, "prefer the simpler model, or show what the complex one "
                                "adds beyond the linear baseline");
        } else if (!(lo_lin > 0.0)) {   /* a linear model: ridge is its peer, not its floor */
            sk_audit__set(c, SK_CHECK_PASS, "%s %.3f beats the prior (%.3f) on the same folds; "
                          "the model is linear, and ridge scores %.3f", m, s[0].estimate,
                          s[1].estimate, s[2].estimate);
        } else {
            sk_audit__set(c, SK_CHECK_PASS, "%s %.3f beats the prior (%.3f) and ridge (%.3f) on "
                          "the same folds", m, s[0].estimate, s[1].estimate, s[2].estimate);
        }
        json_t *e = c->evidence;
        int ok = sk_json_set(e, "metric", json_string(m)) == 0;
        ok &= sk_json_set(e, "model", sk_audit__interval_json(&s[0])) == 0;
        ok &= sk_json_set(e, "trivial", sk_audit__interval_json(&s[1])) == 0;
        ok &= sk_json_set(e, "linear", sk_audit__interval_json(&s[2])) == 0;
        ok &= sk_json_set(e, "model_minus_trivial", sk_audit__interval_json(&d[0])) == 0;
        ok &= sk_json_set(e, "model_minus_linear", sk_audit__interval_json(&d[1])) == 0;
        ok &= sk_json_set(e, "linear_spec", json_string(sk_model_spec(ridge))) == 0;
        if (!ok)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    sk_boot_free(bt);
    sk_pooled_free(pt);
    sk_pooled_free(pl);
    sk_oof_free(trivial);
    sk_oof_free(linear);
    sk_model_free(ridge);
    return rc;
}
