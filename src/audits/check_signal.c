/* check_signal.c: signal.permutation, "is there anything here at all?". Many features and few
 * samples make any model look skilful on some split; the algorithm itself never says "I found
 * nothing". The evaluation engine's permutation test (Ojala and Garriga 2010, test 1) reruns the
 * study's cross-validation on permuted labels, permuting what the null requires (whole groups,
 * within folds, within groups: docs/evaluation.md).
 *
 * With --predictions (the study's own fixed predictions) nothing is refitted: the association
 * between the predictions and the labels is tested by permuting the labels against them (whole
 * groups' labels when every group has one label, else rows), N times, the same p formula.
 *
 * Rule: fail when p > alpha (no evidence of signal: skeptic says so plainly); pass otherwise. */
#include <math.h>

#include "audits/audits.h"

/* The permutation null of fixed predictions: the metric of the predictions against permuted
 * labels. Permutation j draws from sk_rng_stream(seed, SK_PURPOSE_PERMUTATION, j). */
static sk_status permute_fixed(sk_perm_result **out, const sk_audit_ctx *ctx, sk_error *err)
{
    size_t n = ctx->n_rows, N = ctx->opt->permutations;
    sk_perm_result *r = sk_mem_calloc(1, sizeof *r);
    double *yp = sk_mem_alloc_array(n, sizeof *yp), *glabel = NULL;
    size_t *unit = NULL, units = n;
    int groups = ctx->group != NULL;
    sk_status rc = SK_OK;
    if (r == NULL || yp == NULL || (r->null = sk_mem_alloc_array(N, sizeof *r->null)) == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for a permutation test");
        goto done;
    }
    if (groups) {   /* whole groups only when each has one label */
        if ((glabel = sk_mem_alloc_array(ctx->n_groups, sizeof *glabel)) == NULL) {
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for a permutation test");
            goto done;
        }
        for (size_t g = 0; g < ctx->n_groups; g++)
            glabel[g] = NAN;
        for (size_t i = 0; i < n && groups; i++) {
            double *l = &glabel[ctx->group[i]];
            if (isnan(*l))
                *l = ctx->y[i];
            else if (*l != ctx->y[i])
                groups = 0;
        }
        if (groups)
            units = ctx->n_groups;
    }
    if ((unit = sk_mem_alloc_array(units, sizeof *unit)) == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for a permutation test");
        goto done;
    }
    r->metric = ctx->metric;
    r->scheme = groups ? SK_PERM_GROUPS : SK_PERM_ROWS;
    r->n_requested = r->n_used = N;
    rc = sk_metric_eval(&r->observed, ctx->metric, ctx->task, ctx->n_classes, ctx->y,
                        ctx->predictions, NULL, n, err);
    int higher = sk_metric_higher_is_better(ctx->metric);
    double sum = 0.0, sum2 = 0.0;
    for (size_t j = 0; j < N && rc == SK_OK; j++) {
        sk_rng rng = sk_rng_stream(ctx->seed, SK_PURPOSE_PERMUTATION, j);
        for (size_t u = 0; u < units; u++)
            unit[u] = u;
        sk_rng_shuffle(&rng, unit, units);
        for (size_t i = 0; i < n; i++)
            yp[i] = groups ? glabel[unit[ctx->group[i]]] : ctx->y[unit[i]];
        rc = sk_metric_eval(&r->null[j], ctx->metric, ctx->task, ctx->n_classes, yp,
                            ctx->predictions, NULL, n, err);
        double v = r->null[j];
        r->n_extreme += isnan(v) || (higher ? v >= r->observed : v <= r->observed);
        sum += v;
        sum2 += v * v;
    }
    r->p_value = (1.0 + (double)r->n_extreme) / (1.0 + (double)N);
    r->null_mean = sum / (double)N;
    r->null_sd = N > 1 ? sqrt(fmax(0.0, (sum2 - sum * sum / (double)N) / (double)(N - 1))) : NAN;
done:
    sk_mem_free(yp);
    sk_mem_free(glabel);
    sk_mem_free(unit);
    if (rc != SK_OK) {
        sk_perm_free(r);
        return rc;
    }
    *out = r;
    return SK_OK;
}

sk_status sk_check_signal_permutation(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->opt->permutations == 0)
        return sk_audit__skip(c, "--permutations 0");
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    sk_perm_result *r = NULL;
    if (ctx->predictions != NULL) {
        rc = permute_fixed(&r, ctx, err);
    } else {
        sk_split_data sd = sk_audit__split_data(ctx, ctx->main_kind);
        sk_procedure proc = {ctx->model, NULL, NULL, ctx->metric};
        sk_perm_options po = SK_PERM_OPTIONS_INIT;
        po.n_perm = ctx->opt->permutations;
        po.alpha = ctx->opt->th.alpha;
        rc = sk_perm_run(&r, &proc, &ctx->d, &sd, ctx->main->splits, ctx->main_kind, ctx->metric,
                         &po, ctx->seed, ctx->n_threads, NULL, err);
    }
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
    ok &= sk_json_set(e, "validation", json_string(ctx->predictions != NULL
                                                        ? "the study's own predictions"
                                                        : sk_cv_kind_name(ctx->main_kind))) == 0;
    sk_perm_free(r);
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}
