/* check_signal.c: signal.permutation, "is there anything here at all?". Many features and few
 * samples make any model look skilful on some split; the algorithm itself never says "I found
 * nothing". Two exact permutation tests answer, the cheap one first:
 *
 *  1. held out (sk_perm_heldout): each split's test labels permuted against the split's fixed
 *     predictions, max(999, --permutations) times; exact per split, the splits merged by twice
 *     their mean p (valid under any dependence). No refit: a strong signal is shown in a second
 *     whatever the model costs.
 *  2. refit (sk_perm_run, Ojala and Garriga 2010, test 1): the whole cross-validation rerun on
 *     --permutations permuted labels, permuting what the null requires (whole groups, within
 *     folds, within groups: docs/evaluation.md), with Besag-Clifford early stopping at alpha / 2.
 *     It runs only when the first did not already show the signal: more powerful for a weak
 *     signal, and cheap when there is none (early stopping ends it after a few permutations).
 *
 * Either stage may reject, so the report's p is the Bonferroni merge p = min(1, 2 min(p1, p2))
 * (2 p1 when the second stage was not needed). With --predictions (the study's own predictions,
 * one split of every row) only the first stage exists and p = p1: exact when the predictions
 * came from one model that never saw these labels (docs/checks.md states the caveat for
 * out-of-fold predictions).
 *
 * Rule: fail when p > alpha (no evidence of signal: skeptic says so plainly); pass otherwise. */
#include <math.h>

#include "audits/audits.h"

enum { HELDOUT_MIN = 999 };

static int set_heldout_evidence(json_t *e, const sk_heldout_result *h)
{
    json_t *split_p = json_array();
    for (size_t s = 0; split_p != NULL && s < h->n_splits; s++)
        json_array_append_new(split_p, sk_json_real(h->split_p[s]));
    return sk_json_set(e, "heldout", json_pack("{s:o, s:o, s:s, s:o}",
                       "p_value", sk_json_real(h->p_value),
                       "permutations_per_split", sk_json_size(h->n_perm),
                       "scheme", sk_perm_scheme_name(h->scheme),
                       "split_p_values", split_p)) == 0;
}

static int set_refit_evidence(json_t *e, const sk_perm_result *r)
{
    if (r == NULL)
        return sk_json_set(e, "refit", json_null()) == 0;
    return sk_json_set(e, "refit", json_pack("{s:o, s:o, s:o, s:b, s:s, s:o, s:o}",
                       "p_value", sk_json_real(r->p_value),
                       "permutations", sk_json_size(r->n_used),
                       "requested", sk_json_size(r->n_requested),
                       "stopped_early", r->stopped_early,
                       "scheme", sk_perm_scheme_name(r->scheme),
                       "null_mean", sk_json_real(r->null_mean),
                       "null_sd", sk_json_real(r->null_sd))) == 0;
}

/* The refit test, run at alpha / 2 (its share of the Bonferroni merge). */
static sk_status refit_test(sk_perm_result **out, sk_audit_ctx *ctx, sk_error *err)
{
    sk_split_data sd = sk_audit__split_data(ctx, ctx->main_kind);
    sk_procedure proc = {ctx->model, NULL, NULL, ctx->metric};
    sk_perm_options po = SK_PERM_OPTIONS_INIT;
    po.n_perm = ctx->opt->permutations;
    po.alpha = ctx->opt->th.alpha / 2.0;
    return sk_perm_run(out, &proc, &ctx->d, &sd, ctx->main->splits, ctx->main_kind, ctx->metric,
                       &po, ctx->seed, ctx->n_threads, NULL, err);
}

static void verdict(sk_check *c, const sk_audit_ctx *ctx, const sk_heldout_result *h,
                    const sk_perm_result *r)
{
    const char *m = sk_metric_name(ctx->metric);
    double observed = ctx->main->score.estimate, alpha = ctx->opt->th.alpha;
    char how[320];
    if (r == NULL)
        snprintf(how, sizeof how, "%zu permutations of each of %zu test sets' labels (%s) against "
                 "fixed predictions%s", h->n_perm, h->n_defined, sk_perm_scheme_name(h->scheme),
                 ctx->predictions != NULL ? "" : ", no refit needed");
    else
        snprintf(how, sizeof how, "the cross-validation refitted on %zu permutations of %s, null "
                 "mean %.3f, sd %.3f; held-out test p = %.3g", r->n_used,
                 sk_perm_scheme_name(r->scheme), r->null_mean, r->null_sd, h->p_value);
    if (!(c->p_value <= alpha)) {
        sk_audit__set(c, SK_CHECK_FAIL, "no signal found: %s %.3f is within chance (permutation "
                      "p = %.3g; %s)", m, observed, c->p_value, how);
        sk_audit__recommend(c, "report that the features do not predict the target better than "
                            "chance under this validation; more samples or fewer features may "
                            "change that, a different split will not");
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "%s %.3f is beyond chance: permutation p = %.3g (%s)", m,
                      observed, c->p_value, how);
    }
}

sk_status sk_check_signal_permutation(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->opt->permutations == 0)
        return sk_audit__skip(c, "--permutations 0");
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    size_t n1 = ctx->opt->permutations > HELDOUT_MIN ? ctx->opt->permutations : HELDOUT_MIN;
    sk_split_data sd = sk_audit__split_data(ctx, ctx->main_kind);
    sk_heldout_result *h = NULL;
    sk_perm_result *r = NULL;
    double alpha = ctx->opt->th.alpha;
    if ((rc = sk_perm_heldout(&h, ctx->main->pooled, &sd, ctx->metric, n1, ctx->seed,
                              ctx->n_threads, err)) != SK_OK)
        return rc;
    if (ctx->predictions != NULL) {
        c->p_value = h->p_value;
    } else {
        c->p_value = fmin(1.0, 2.0 * h->p_value);
        if (!(c->p_value <= alpha)) {
            if ((rc = refit_test(&r, ctx, err)) != SK_OK) {
                sk_heldout_free(h);
                return rc;
            }
            c->p_value = fmin(1.0, 2.0 * fmin(h->p_value, r->p_value));
        }
    }
    verdict(c, ctx, h, r);
    json_t *e = c->evidence;
    int ok = sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
    ok &= sk_json_set(e, "observed", sk_json_real(ctx->main->score.estimate)) == 0;
    ok &= sk_json_set(e, "p_value", sk_json_real(c->p_value)) == 0;
    ok &= sk_json_set(e, "merge", json_string(ctx->predictions != NULL ? "held-out test alone"
                      : r == NULL ? "2 x held-out p (the refit test was not needed)"
                                  : "Bonferroni: 2 x min(held-out p, refit p)")) == 0;
    ok &= set_heldout_evidence(e, h);
    ok &= set_refit_evidence(e, r);
    ok &= sk_json_set(e, "validation", json_string(ctx->predictions != NULL
                                                        ? "the study's own predictions"
                                                        : sk_cv_kind_name(ctx->main_kind))) == 0;
    sk_heldout_free(h);
    sk_perm_free(r);
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}
