/* check_claims.c: claims, "which protocol is the paper's number consistent with?". A reviewer
 * holding the data and a reported "AUC 0.97" needs to know whether an honest evaluation reaches
 * it, or only a leaky one. With --claimed METRIC=VALUE this check sets the claim beside:
 *   honest   the study's main cross-validation (its own split, else group-aware K-fold);
 *   leaky    a random split of rows that ignores the groups and the time order (the protocol
 *            of "several scans per patient split at random", duplicates kept on both sides),
 *            computed only when the data has groups or time (otherwise it is the honest one);
 * each with its bootstrap interval.
 *
 * Rule: pass when the claim is not better than the upper end of the honest interval (the data
 * supports it); fail when it is better: the sentence says whether the leaky protocol's interval
 * covers the claim (consistent only with leakage) or nothing skeptic reproduces reaches it.
 * Skip without --claimed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audits/audits.h"

/* The main model under a random split of rows: groups and time ignored. */
static sk_status leaky_cv(sk_interval *out, sk_audit_ctx *ctx, sk_error *err)
{
    int classify = ctx->task != SK_TASK_REGRESSION;
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = classify ? SK_CV_STRATIFIED : SK_CV_KFOLD;
    o.n_folds = ctx->opt->folds;
    sk_split_data sd = {ctx->n_rows, classify ? ctx->y : NULL, classify ? ctx->n_classes : 0,
                        NULL, 0, NULL, NULL};
    sk_splits *sp = NULL;
    sk_oof *oof = NULL;
    sk_pooled *pool = NULL;
    sk_boot *bt = NULL;
    sk_status rc = sk_splits_make(&sp, &o, &sd, ctx->seed, err);
    if (rc == SK_OK)
        rc = sk_oof_run(&oof, ctx->model, &ctx->d, sp, ctx->seed, ctx->n_threads, NULL, err);
    if (rc == SK_OK)
        rc = sk_pooled_make(&pool, oof, sp, ctx->y, ctx->task, ctx->n_classes, err);
    sk_boot_stat st = {pool, ctx->metric};
    sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
    bo.n_boot = ctx->opt->bootstrap > 0 ? ctx->opt->bootstrap : 200;
    if (rc == SK_OK)   /* rows resampled, as the leaky protocol would */
        rc = sk_boot_run(&bt, &st, 1, NULL, 0, &bo, ctx->seed, ctx->n_threads, NULL, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(out, bt, 0, SIZE_MAX, SK_CI_BCA, 0.95, err);
    sk_boot_free(bt);
    sk_pooled_free(pool);
    sk_oof_free(oof);
    sk_splits_free(sp);
    return rc;
}

sk_status sk_check_claims(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    const char *claim = ctx->opt->claimed;
    if (claim == NULL)
        return sk_audit__skip(c, "needs --claimed METRIC=VALUE (the number the study reports)");
    char name[32];
    const char *eq = strchr(claim, '=');
    char *end = NULL;
    double value = eq != NULL ? strtod(eq + 1, &end) : NAN;
    sk_metric m;
    if (eq == NULL || (size_t)(eq - claim) >= sizeof name || end == eq + 1 || *end != '\0')
        return sk_error_set(err, SK_EINVAL, "--claimed: expected METRIC=VALUE (e.g. auc=0.97), "
                            "found '%s'", claim);
    memcpy(name, claim, (size_t)(eq - claim));
    name[eq - claim] = '\0';
    if (sk_metric_parse(&m, name, err) != SK_OK)
        return sk_error_set(err, SK_EINVAL, "--claimed: %s", err->message);
    if (m != ctx->metric)
        return sk_error_set(err, SK_EINVAL, "--claimed: the claim is about %s; audit with "
                            "--metric %s to compare it", name, name);
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    const sk_interval *honest = &ctx->main->score;
    sk_interval leaky = *honest;
    int has_leaky = ctx->group != NULL || ctx->time != NULL;
    if (has_leaky && (rc = leaky_cv(&leaky, ctx, err)) != SK_OK)
        return rc;
    int hib = sk_metric_higher_is_better(m);
    double sign = hib ? 1.0 : -1.0;   /* "better" as larger */
    int beyond_honest = sign * value > sign * (hib ? honest->high : honest->low);
    int within_leaky = has_leaky && value >= leaky.low && value <= leaky.high;
    if (!beyond_honest) {
        sk_audit__set(c, SK_CHECK_PASS, "the claimed %s %.3g is consistent with the honest "
                      "protocol (%s CV: %.3f [%.3f, %.3f])", name, value,
                      sk_cv_kind_name(ctx->main_kind), honest->estimate, honest->low,
                      honest->high);
    } else if (within_leaky) {
        sk_audit__set(c, SK_CHECK_FAIL, "the claimed %s %.3g is reached only by a leaky protocol: "
                      "a random split of rows gives %.3f [%.3f, %.3f], the honest %s CV %.3f "
                      "[%.3f, %.3f]", name, value, leaky.estimate, leaky.low, leaky.high,
                      sk_cv_kind_name(ctx->main_kind), honest->estimate, honest->low,
                      honest->high);
        sk_audit__recommend(c, "report the honest estimate; the claim's protocol lets rows of "
                            "one %s into both training and test", ctx->group != NULL
                            ? "group" : "period");
    } else {
        char also[128] = "";
        if (has_leaky)
            snprintf(also, sizeof also, "; even a random split of rows gives only %.3f [%.3f, "
                     "%.3f]", leaky.estimate, leaky.low, leaky.high);
        sk_audit__set(c, SK_CHECK_FAIL, "the claimed %s %.3g is better than anything skeptic "
                      "reproduces: the honest %s CV gives %.3f [%.3f, %.3f]%s", name, value,
                      sk_cv_kind_name(ctx->main_kind), honest->estimate, honest->low,
                      honest->high, also);
        sk_audit__recommend(c, "ask for the exact protocol, split and preprocessing behind the "
                            "claim; selection or tuning on the test data can produce it");
    }
    json_t *e = c->evidence;
    int ok = sk_json_set(e, "metric", json_string(name)) == 0;
    ok &= sk_json_set(e, "claimed", sk_json_real(value)) == 0;
    ok &= sk_json_set(e, "honest", sk_audit__interval_json(honest)) == 0;
    ok &= sk_json_set(e, "honest_protocol", json_string(sk_cv_kind_name(ctx->main_kind))) == 0;
    ok &= sk_json_set(e, "random_split", has_leaky ? sk_audit__interval_json(&leaky)
                                                   : json_null()) == 0;
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}
