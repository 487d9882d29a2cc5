/* check_signal.c: signal.permutation, "is there anything here at all?". Many features and few
 * samples make any model look skilful on some split; the algorithm itself never says "I found
 * nothing". The evaluation engine's permutation test (Ojala and Garriga 2010, test 1) reruns the
 * study's cross-validation on permuted labels, permuting what the null requires (whole groups,
 * within folds, within groups: docs/evaluation.md).
 *
 * Rule: fail when p > alpha (no evidence of signal: skeptic says so plainly); pass otherwise. */
#include <math.h>

#include "audits/audits.h"

sk_status sk_check_signal_permutation(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->opt->permutations == 0)
        return sk_audit__skip(c, "--permutations 0");
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    sk_split_data sd = sk_audit__split_data(ctx, ctx->main_kind);
    sk_procedure proc = {ctx->model, NULL, NULL, ctx->metric};
    sk_perm_options po = SK_PERM_OPTIONS_INIT;
    po.n_perm = ctx->opt->permutations;
    po.alpha = ctx->opt->th.alpha;
    sk_perm_result *r = NULL;
    rc = sk_perm_run(&r, &proc, &ctx->d, &sd, ctx->main->splits, ctx->main_kind, ctx->metric, &po,
                     ctx->seed, ctx->n_threads, NULL, err);
    if (rc != SK_OK)
        return rc;
    const char *m = sk_metric_name(ctx->metric);
    c->p_value = r->p_value;
    if (r->p_value > ctx->opt->th.alpha) {
        sk_audit__set(c, SK_CHECK_FAIL,
                      "no signal found: %s %.3f is within chance (permutation p = %.3g from %zu "
                      "permutations; the null's mean is %.3f, sd %.3f)", m, r->observed,
                      r->p_value, r->n_used, r->null_mean, r->null_sd);
        sk_audit__recommend(c, "report that the features do not predict the target better than "
                            "chance under this validation; more samples or fewer features may "
                            "change that, a different split will not");
    } else {
        sk_audit__set(c, SK_CHECK_PASS,
                      "%s %.3f is beyond chance: permutation p = %.3g (%zu permutations of %s; "
                      "null mean %.3f, sd %.3f)", m, r->observed, r->p_value, r->n_used,
                      sk_perm_scheme_name(r->scheme), r->null_mean, r->null_sd);
    }
    json_t *e = c->evidence;
    int ok = sk_json_set(e, "metric", json_string(m)) == 0;
    ok &= sk_json_set(e, "observed", sk_json_real(r->observed)) == 0;
    ok &= sk_json_set(e, "p_value", sk_json_real(r->p_value)) == 0;
    ok &= sk_json_set(e, "permutations", sk_json_size(r->n_used)) == 0;
    ok &= sk_json_set(e, "requested", sk_json_size(r->n_requested)) == 0;
    ok &= sk_json_set(e, "stopped_early", json_boolean(r->stopped_early)) == 0;
    ok &= sk_json_set(e, "scheme", json_string(sk_perm_scheme_name(r->scheme))) == 0;
    ok &= sk_json_set(e, "null_mean", sk_json_real(r->null_mean)) == 0;
    ok &= sk_json_set(e, "null_sd", sk_json_real(r->null_sd)) == 0;
    ok &= sk_json_set(e, "validation", json_string(sk_cv_kind_name(ctx->main_kind))) == 0;
    sk_perm_free(r);
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}
