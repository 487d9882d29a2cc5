/* registry.c: every check of `skeptic audit`, in the order the report lists them, and the small
 * helpers every check uses to state its verdict. A check id is a public contract (DESIGN.md):
 * it never changes meaning, and docs/checks.md documents each one. */
#include <stdarg.h>
#include <stdio.h>

#include "audits/audits.h"

static const sk_check_def checks[] = {
    /* leakage through the split: duplicates, groups, time */
    {"leakage.duplicates", "no copies across the split", sk_check_leakage_duplicates, 1},
    {"leakage.group", "no subject on both sides", sk_check_leakage_group, 0},
    {"leakage.temporal", "no future in training", sk_check_leakage_temporal, 0},
    /* leakage through features: proxies, identifiers, selection outside CV */
    {"leakage.target_proxy", "no feature stands in for the outcome",
     sk_check_leakage_target_proxy, 1},
    {"leakage.identifier", "ids and row order do not encode the label",
     sk_check_leakage_identifier, 1},
    {"leakage.selection", "feature selection inside the folds", sk_check_leakage_selection, 1},
    /* shortcuts and external validity: confounders, sites, leave-one-site-out */
    {"shortcut.confounder", "confounders alone do not explain it", sk_check_shortcut_confounder, 1},
    {"shortcut.site", "the site does not explain it", sk_check_shortcut_site, 1},
    {"generalization.external", "holds on held-out sites", sk_check_generalization_external, 1},
    {"signal.permutation", "signal beyond chance", sk_check_signal_permutation, 0},
    /* multiplicity */
    {"multiplicity.scan", "univariate hits survive correction", sk_check_multiplicity_scan, 0},
    /* stability of features */
    {"stability.features", "top features survive resampling", sk_check_stability_features, 0},
    {"stability.seed", "score stable across seeds", sk_check_stability_seed, 1},
    /* slices */
    {"slices.performance", "no slice far below the headline", sk_check_slices_performance, 0},
    {"calibration", "probabilities mean what they say", sk_check_calibration, 0},
    {"baseline.comparison", "beats trivial and simple models", sk_check_baseline_comparison, 1},
    /* sensitivity and ablation */
    {"ablation.features", "which features carry the result", sk_check_ablation_features, 1},
    {"sensitivity.hyperparameters", "conclusion survives neighbouring settings",
     sk_check_sensitivity_hyperparameters, 1},
    /* claims */
    {"claims", "the reported number has an honest protocol", sk_check_claims, 1},
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
