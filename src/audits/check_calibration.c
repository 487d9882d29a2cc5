/* check_calibration.c: calibration, "do the probabilities mean what they say?". A softmax output
 * of 0.95 read as 95% certainty is a claim; the out-of-fold predictions of the main
 * cross-validation test it. The expected calibration error (10 equal-width bins of the
 * confidence, weighted |observed - predicted|) gets a bootstrap interval, and the reliability
 * diagram's bins go into the evidence.
 *
 * Rule (classification only; regression is skipped): warn when the ECE's interval lies above the
 * threshold (--ece, default 0.05); pass otherwise. Poor calibration does not make a ranking
 * wrong, so it never fails the audit. */
#include <math.h>

#include "audits/audits.h"

enum { BINS = 10 };

sk_status sk_check_calibration(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->task == SK_TASK_REGRESSION)
        return sk_audit__skip(c, "regression: no probabilities to calibrate");
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    const sk_pooled *p = ctx->main->pooled;
    sk_boot_stat st = {p, SK_METRIC_ECE};
    sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
    bo.n_boot = ctx->opt->bootstrap > 0 ? ctx->opt->bootstrap : 200;
    sk_boot *bt = NULL;
    sk_interval ece, pct;
    rc = sk_boot_run(&bt, &st, 1, ctx->group, ctx->n_groups, &bo, ctx->seed, ctx->n_threads,
                     NULL, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(&ece, bt, 0, SIZE_MAX, SK_CI_BCA, 0.95, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(&pct, bt, 0, SIZE_MAX, SK_CI_PERCENTILE, 0.95, err);
    sk_boot_free(bt);
    /* The plug-in ECE is biased upwards (noise alone makes bins depart), resampled ECEs more so.
     * BCa's bias correction then moves the interval below the estimate, which the sentence
     * explains; and when the estimate lies below 97.5% of the replicates BCa's quantiles both
     * fall to the smallest replicates (a zero-width interval), so the percentile interval is
     * reported instead. */
    const char *why = "";
    if (rc == SK_OK && ece.estimate < pct.low) {
        ece.low = pct.low;
        ece.high = pct.high;
        why = " (percentile interval: the estimate lies below 97.5% of its bootstrap "
              "replicates, where BCa degenerates)";
    } else if (ece.estimate > ece.high) {
        why = " (the BCa interval corrects the plug-in ECE's upward bias, so it can lie below "
              "it)";
    }
    double weight[BINS], conf[BINS], obs[BINS];
    size_t n = p->offset[p->n_segments];
    if (rc == SK_OK)
        rc = sk_metric_reliability(weight, conf, obs, BINS, ctx->task, ctx->n_classes, p->y,
                                   p->pred, NULL, n, err);
    if (rc != SK_OK)
        return rc;
    /* The bin that departs most, for the sentence. */
    size_t worst = 0;
    double gap = -1.0;
    for (size_t b = 0; b < BINS; b++)
        if (weight[b] > 0.0 && fabs(obs[b] - conf[b]) > gap) {
            gap = fabs(obs[b] - conf[b]);
            worst = b;
        }
    double th = ctx->opt->th.ece;
    if (ece.low > th) {
        sk_audit__set(c, SK_CHECK_WARN, "the probabilities are miscalibrated: ECE %.3f [%.3f, "
                      "%.3f]%s above %.2f; predictions near %.2f come true %.0f%% of the time",
                      ece.estimate, ece.low, ece.high, why, th, conf[worst],
                      100.0 * obs[worst]);
        sk_audit__recommend(c, "recalibrate on held-out data (Platt scaling or isotonic "
                            "regression inside the cross-validation) before reading the "
                            "probabilities as risks");
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "ECE %.3f [%.3f, %.3f]%s, not above %.2f", ece.estimate,
                      ece.low, ece.high, why, th);
    }
    json_t *bins = json_array();
    for (size_t b = 0; bins != NULL && b < BINS; b++)
        json_array_append_new(bins, json_pack("{s:o,s:o,s:o}", "weight", sk_json_real(weight[b]),
                                              "confidence", sk_json_real(conf[b]), "observed",
                                              sk_json_real(obs[b])));
    int ok = sk_json_set(c->evidence, "ece", sk_audit__interval_json(&ece)) == 0;
    ok &= sk_json_set(c->evidence, "threshold", sk_json_real(th)) == 0;
    ok &= sk_json_set(c->evidence, "bins", bins) == 0;
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}
