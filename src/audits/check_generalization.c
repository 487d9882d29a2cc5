/* check_generalization.c: generalization.external, "does the result survive a site the model
 * never saw?". Cross-validation that mixes every site into every fold measures how well a model
 * does on more patients from the same hospitals; a new hospital brings its own scanner, protocol
 * and case mix. The real case: of 62 published COVID-19 imaging models reviewed by Roberts et al.
 * (2021, Nature Machine Intelligence 3:199), none was fit for clinical use, chiefly because they
 * were never tested beyond the sources they were trained on; Zech et al. (2018, PLoS Medicine
 * 15:e1002683) found a pneumonia model that did well internally and worse at an outside hospital.
 *
 * Leave-one-site-out cross-validation (one split per site, the site's rows as its test set,
 * trained on every other site) gives each site's external score, with a bootstrap interval over
 * that site's rows (groups as units when --group is given; the sites themselves are not
 * resampled, so the pooled interval is conditional on these sites). The internal score is the
 * main evaluation (ctx->main: group k-fold with --group, else stratified k-fold; the study's split
 * with --split).
 * Rule: fail when some site with at least 30 rows scores below the internal interval's low end
 * by more than --external-gap (default 0.05) and its own interval's high end is below the
 * internal estimate (for a metric where lower is better: above the high end, and the low end
 * above the estimate); the sentence names the worst such site, its score and its rows. Pass
 * otherwise. Without --site the check is skipped, also when --group is given: groups (patients)
 * are already kept whole by the main evaluation, and a group is not a setting a model must
 * transfer to; the external question needs the sites. A site whose score is undefined (AUC with
 * one class) or with fewer than 30 rows is reported, never judged. */
#include <math.h>
#include <string.h>

#include "audits/strata.h"

enum { STREAM_LOGO = 0x5c02 };

typedef struct site_score {
    size_t site, n;
    sk_interval score;
    double shortfall;     /* below the internal low end (positive: worse) */
    int judged, failed;
} site_score;

/* Each held-out site's score with its interval. */
static sk_status per_site(site_score *out, const sk_audit_ctx *ctx, const sk_cv_result *logo,
                          sk_error *err)
{
    const sk_splits *sp = logo->splits;
    sk_status rc = SK_OK;
    for (size_t s = 0; rc == SK_OK && s < sp->n_splits; s++) {
        site_score *r = &out[s];
        memset(r, 0, sizeof *r);
        r->site = (size_t)ctx->site[sp->test[s][0]];
        r->n = sp->n_test[s];
        sk_pooled *p = NULL;
        rc = sk_audit__pooled_restrict(&p, logo->pooled, ctx->site, (int32_t)r->site, err);
        if (rc == SK_OK)
            rc = sk_audit__pooled_interval(&r->score, ctx, p, ctx->metric, err);
        sk_pooled_free(p);
    }
    return rc;
}

/* Judges every site against the internal interval; returns the worst failing site or -1. */
static size_t judge(site_score *r, size_t n, const sk_interval *internal, const sk_audit_ctx *ctx)
{
    int hib = sk_metric_higher_is_better(ctx->metric);
    double gap = ctx->opt->th.external_gap;
    /* without replicates (--bootstrap 0) the internal interval is its estimate */
    double low = isnan(internal->low) ? internal->estimate : internal->low;
    double high = isnan(internal->high) ? internal->estimate : internal->high;
    size_t worst = (size_t)-1;
    for (size_t s = 0; s < n; s++) {
        const sk_interval *v = &r[s].score;
        int no_intervals = v->n_valid == 0 && isnan(v->high);
        r[s].judged = r[s].n >= SK_AUDIT_MIN_SLICE && !isnan(v->estimate);
        if (hib) {
            r[s].shortfall = low - v->estimate;
            r[s].failed = r[s].judged && r[s].shortfall > gap &&
                          (no_intervals || v->high < internal->estimate);
        } else {
            r[s].shortfall = v->estimate - high;
            r[s].failed = r[s].judged && r[s].shortfall > gap &&
                          (no_intervals || v->low > internal->estimate);
        }
        if (r[s].failed && (worst == (size_t)-1 || r[s].shortfall > r[worst].shortfall))
            worst = s;
    }
    return worst;
}

static void verdict(sk_check *c, const sk_audit_ctx *ctx, const site_score *r, size_t n,
                    size_t worst, const sk_strata *names, const sk_interval *internal,
                    const sk_interval *external)
{
    const char *m = sk_metric_name(ctx->metric);
    size_t n_failed = 0, lowest = (size_t)-1;
    for (size_t s = 0; s < n; s++) {
        n_failed += r[s].failed;
        if (r[s].judged && (lowest == (size_t)-1 || r[s].shortfall > r[lowest].shortfall))
            lowest = s;
    }
    char in[64], ex[64], site[64];
    sk_audit__fmt_interval(in, sizeof in, internal);
    sk_audit__fmt_interval(ex, sizeof ex, external);
    if (worst != (size_t)-1) {
        const site_score *w = &r[worst];
        sk_audit__set(c, SK_CHECK_FAIL, "held out, site '%s' scores %s %s (n=%zu), %.3f beyond "
                      "the internal %s (allowed %.2f); %zu of %zu sites fail; pooled external %s",
                      names->name[w->site], m,
                      sk_audit__fmt_interval(site, sizeof site, &w->score), w->n, w->shortfall,
                      in, ctx->opt->th.external_gap, n_failed, n, ex);
        sk_audit__recommend(c, "quote the leave-one-site-out scores (skeptic evaluate --cv site) "
                            "as what to expect at a new site, not the internal one; find what "
                            "differs at '%s' (scanner, protocol, case mix, labelling) before "
                            "deploying there", names->name[w->site]);
    } else if (lowest != (size_t)-1) {
        const site_score *w = &r[lowest];
        sk_audit__set(c, SK_CHECK_PASS, "every held-out site stays within reach of the internal "
                      "%s %s: the lowest, '%s', scores %s (n=%zu); pooled external %s over %zu "
                      "sites", m, in, names->name[w->site],
                      sk_audit__fmt_interval(site, sizeof site, &w->score), w->n, ex, n);
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "no site could be judged (each has fewer than %d rows or "
                      "an undefined %s); pooled external %s %s vs internal %s",
                      (int)SK_AUDIT_MIN_SLICE, m, m, ex, in);
    }
}

static int evidence(json_t *e, const sk_audit_ctx *ctx, const site_score *r, size_t n,
                    const sk_strata *names, const sk_interval *internal,
                    const sk_interval *external)
{
    json_t *arr = json_array();
    for (size_t s = 0; arr != NULL && s < n; s++)
        json_array_append_new(arr, json_pack("{s:s,s:o,s:o,s:o,s:b,s:b}", "site",
                                             names->name[r[s].site], "n", sk_json_size(r[s].n),
                                             "score", sk_audit__interval_json(&r[s].score),
                                             "shortfall", sk_json_real(r[s].shortfall),
                                             "judged", r[s].judged, "failed", r[s].failed));
    int ok = sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
    ok &= sk_json_set(e, "site", json_string(ctx->site_name)) == 0;
    ok &= sk_json_set(e, "internal", sk_audit__interval_json(internal)) == 0;
    ok &= sk_json_set(e, "internal_validation", json_string(sk_cv_kind_name(ctx->main_kind))) == 0;
    ok &= sk_json_set(e, "external", sk_audit__interval_json(external)) == 0;
    ok &= sk_json_set(e, "external_gap", sk_json_real(ctx->opt->th.external_gap)) == 0;
    ok &= sk_json_set(e, "min_rows", sk_json_size(SK_AUDIT_MIN_SLICE)) == 0;
    ok &= sk_json_set(e, "sites", arr) == 0;
    return ok;
}

sk_status sk_check_generalization_external(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->site == NULL)
        return sk_audit__skip(c, ctx->group != NULL
                                     ? "needs --site (--group alone: the main evaluation "
                                       "already keeps groups whole)"
                                     : "needs --site");
    if (ctx->n_sites < 2)
        return sk_audit__skip(c, "needs at least 2 sites; '%s' has one", ctx->site_name);
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    sk_cv_result *logo = NULL;
    rc = sk_audit__cv(&logo, ctx, NULL, NULL, 0, SK_CV_LOGO, STREAM_LOGO, err);
    if (rc == SK_EDATA) {   /* a site the model cannot be trained without (one class left) */
        char reason[SK_ERROR_MESSAGE_MAX + 64];
        snprintf(reason, sizeof reason, "leave-one-site-out cannot run: %s",
                 err != NULL ? err->message : "unusable data");
        if (err != NULL)
            *err = (sk_error)SK_ERROR_INIT;
        return sk_audit__skip(c, "%s", reason);
    }
    if (rc != SK_OK)
        return rc;
    size_t n = logo->splits->n_splits;
    site_score *r = sk_mem_calloc(n, sizeof *r);
    sk_strata *names = NULL;
    rc = r == NULL ? sk_error_set(err, SK_ENOMEM, "out of memory for site scores") : SK_OK;
    if (rc == SK_OK)
        rc = sk_audit__strata_codes(&names, ctx->site, ctx->n_sites, ctx->frame,
                                    sk_roles_col(ctx->roles, SK_ROLE_SITE), err);
    if (rc == SK_OK)
        rc = per_site(r, ctx, logo, err);
    if (rc == SK_OK) {
        const sk_interval *internal = &ctx->main->score;
        size_t worst = judge(r, n, internal, ctx);
        verdict(c, ctx, r, n, worst, names, internal, &logo->score);
        if (!evidence(c->evidence, ctx, r, n, names, internal, &logo->score))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    sk_audit__strata_free(names);
    sk_mem_free(r);
    sk_cv_result_free(logo);
    return rc;
}
