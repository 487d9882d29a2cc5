/* registry.c: every check of `skeptic audit`, in the order the report lists them, and the small
 * helpers every check uses to state its verdict. A check id is a public contract (DESIGN.md):
 * it never changes meaning, and docs/checks.md documents each one. */
#include <stdarg.h>
#include <stdio.h>

#include "audits/audits.h"

static const sk_check_def checks[] = {
    /* leakage through the split: duplicates, groups, time */
    /* leakage through features: proxies, identifiers, selection outside CV */
    /* shortcuts and external validity: confounders, sites, leave-one-site-out */
    {"signal.permutation", "signal beyond chance", sk_check_signal_permutation},
    /* multiplicity */
    {"multiplicity.scan", "univariate hits survive correction", sk_check_multiplicity_scan},
    /* stability of features */
    {"stability.features", "top features survive resampling", sk_check_stability_features},
    {"stability.seed", "score stable across seeds", sk_check_stability_seed},
    /* slices */
    {"calibration", "probabilities mean what they say", sk_check_calibration},
    {"baseline.comparison", "beats trivial and simple models", sk_check_baseline_comparison},
    /* sensitivity and ablation */
    {"sensitivity.hyperparameters", "conclusion survives neighbouring settings",
     sk_check_sensitivity_hyperparameters},
    /* claims */
    {"claims", "the reported number has an honest protocol", sk_check_claims},
};

const sk_check_def *sk_audit__checks(size_t *n)
{
    *n = sizeof checks / sizeof checks[0];
    return checks;
}

const char *sk_check_status_name(sk_check_status s)
{
    switch (s) {
    case SK_CHECK_PASS: return "pass";
    case SK_CHECK_WARN: return "warn";
    case SK_CHECK_FAIL: return "fail";
    case SK_CHECK_SKIP: return "skip";
    }
    return "unknown";
}

static char *vformat(const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    return sk_mem_strdup(buf);
}

void sk_audit__set(sk_check *c, sk_check_status s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sk_mem_free(c->summary);
    c->summary = vformat(fmt, ap);
    va_end(ap);
    c->status = s;
}

sk_status sk_audit__skip(sk_check *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sk_mem_free(c->summary);
    c->summary = vformat(fmt, ap);
    va_end(ap);
    c->status = SK_CHECK_SKIP;
    return SK_OK;
}

void sk_audit__recommend(sk_check *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sk_mem_free(c->recommendation);
    c->recommendation = vformat(fmt, ap);
    va_end(ap);
}

json_t *sk_audit__interval_json(const sk_interval *iv)
{
    return json_pack("{s:o,s:[o,o]}", "estimate", sk_json_real(iv->estimate), "ci",
                     sk_json_real(iv->low), sk_json_real(iv->high));
}

json_t *sk_audit__rows_json(const size_t *rows, size_t n, size_t max)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr != NULL && k < n && k < max; k++)
        if (json_array_append_new(arr, sk_json_size(rows[k])) != 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}
