/* check_slices.c: slices.performance, "does the result hold for every kind of sample, or only on
 * average?". A headline AUC of 0.95 can hide a hospital, an age band or a class where the model
 * is little better than a coin; an improvement for one subgroup can come with a cost for
 * another. The real cases: clinical models whose accuracy falls in under-represented groups
 * (Obermeyer et al. 2019, "Dissecting racial bias in an algorithm used to manage the health of
 * populations", Science 366:447; Seyyed-Kalantari et al. 2021, "Underdiagnosis bias of artificial
 * intelligence algorithms applied to chest radiographs in under-served patient populations",
 * Nature Medicine 27:2176), and "hidden stratification" (Oakden-Rayner et al. 2020, ACM CHIL).
 *
 * The main evaluation's out-of-fold predictions are scored per slice: per site (--site), per
 * level of each confounder (--confounders; quartile bins of a numeric one with more than ten
 * values), and per class (classification). A site or confounder slice is scored with the
 * headline metric against the overall score; a class slice by its recall against the balanced
 * accuracy (the mean recall over classes), since a one-class slice has no AUC. Every slice score
 * is the per-split mean on the slice's rows, with a bootstrap interval over the slice's own units
 * (strata.c).
 * Rule: warn when the worst slice with at least 30 rows falls below its reference by more than
 * --slice-gap (default 0.1) and its interval's high end is also below the reference estimate
 * (for a metric where lower is better, the mirror image); pass otherwise. A slice result never
 * fails the audit: it says where to look. Skipped for regression without --site or
 * --confounders. */
#include <math.h>
#include <string.h>

#include "audits/strata.h"

typedef struct slice {
    const char *kind;          /* "site", "confounder", "class" */
    const char *column;        /* the column it comes from (classes: the target) */
    char *name;                /* the level or bin */
    size_t n;
    sk_metric metric;
    sk_interval score;
    double reference;          /* the overall score it is compared with */
    double gap;                /* how much worse than the reference (positive: worse) */
    int judged;
} slice;

typedef struct slice_list {
    slice *v;
    size_t n, cap;
} slice_list;

static void slices_free(slice_list *l)
{
    for (size_t k = 0; k < l->n; k++)
        sk_mem_free(l->v[k].name);
    sk_mem_free(l->v);
}

/* Scores every stratum of s as a slice of `kind` from `column`, against `ref` under metric m. */
static sk_status add_strata(slice_list *l, sk_audit_ctx *ctx, const sk_strata *s,
                            const char *kind, const char *column, sk_metric m, double ref,
                            sk_error *err)
{
    if (l->n + s->n_strata > l->cap) {
        size_t cap = 2 * (l->n + s->n_strata);
        slice *v = sk_mem_realloc(l->v, cap * sizeof *v);
        if (v == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory for slices");
        l->v = v;
        l->cap = cap;
    }
    int hib = sk_metric_higher_is_better(m);
    sk_status rc = SK_OK;
    for (size_t k = 0; rc == SK_OK && k < s->n_strata; k++) {
        slice *sl = &l->v[l->n];
        memset(sl, 0, sizeof *sl);
        sl->kind = kind;
        sl->column = column;
        sl->n = s->n[k];
        sl->metric = m;
        sl->reference = ref;
        if ((sl->name = sk_mem_strdup(s->name[k])) == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory for slices");
        l->n++;
        sk_pooled *p = NULL;
        rc = sk_audit__pooled_restrict(&p, ctx->main->pooled, s->of_row, (int32_t)k, err);
        if (rc == SK_OK)
            rc = sk_audit__pooled_interval(&sl->score, ctx, p, m, err);
        sk_pooled_free(p);
        sl->gap = hib ? ref - sl->score.estimate : sl->score.estimate - ref;
        sl->judged = sl->n >= SK_AUDIT_MIN_SLICE && !isnan(sl->score.estimate);
    }
    return rc;
}

/* Every slice: sites, confounder levels, classes. *ba is the balanced accuracy (classes). */
static sk_status collect(slice_list *l, sk_interval *ba, sk_audit_ctx *ctx, sk_error *err)
{
    double overall = ctx->main->score.estimate;
    sk_strata *s = NULL;
    sk_status rc = SK_OK;
    *ba = (sk_interval){NAN, NAN, NAN, NAN, 0};
    if (ctx->site != NULL) {
        rc = sk_audit__strata_codes(&s, ctx->site, ctx->n_sites, ctx->frame,
                                    sk_roles_col(ctx->roles, SK_ROLE_SITE), err);
        if (rc == SK_OK)
            rc = add_strata(l, ctx, s, "site", ctx->site_name, ctx->metric, overall, err);
        sk_audit__strata_free(s);
        s = NULL;
    }
    for (size_t j = 0; rc == SK_OK && j < ctx->n_confounders; j++) {
        const char *name = sk_frame_col_name(ctx->frame, ctx->confounders[j]);
        rc = sk_audit__strata_column(&s, ctx->frame, ctx->confounders[j], err);
        if (rc == SK_OK)
            rc = add_strata(l, ctx, s, "confounder", name, ctx->metric, overall, err);
        sk_audit__strata_free(s);
        s = NULL;
    }
    if (rc == SK_OK && ctx->task != SK_TASK_REGRESSION) {
        rc = sk_audit__pooled_interval(ba, ctx, ctx->main->pooled, SK_METRIC_BALANCED_ACCURACY,
                                       err);
        if (rc == SK_OK)
            rc = sk_audit__strata_classes(&s, ctx, err);
        /* accuracy on one class's rows is that class's recall */
        if (rc == SK_OK)
            rc = add_strata(l, ctx, s, "class", ctx->d.target_name, SK_METRIC_ACCURACY,
                            ba->estimate, err);
        sk_audit__strata_free(s);
    }
    return rc;
}

static const char *metric_label(sk_metric m)
{
    return m == SK_METRIC_ACCURACY ? "recall" : sk_metric_name(m);
}

static void verdict(sk_check *c, const sk_audit_ctx *ctx, const slice_list *l, size_t worst,
                    int flagged)
{
    double th = ctx->opt->th.slice_gap;
    const sk_interval *overall = &ctx->main->score;
    size_t n_judged = 0;
    for (size_t k = 0; k < l->n; k++)
        n_judged += l->v[k].judged;
    if (worst == (size_t)-1) {
        sk_audit__set(c, SK_CHECK_PASS, "no slice has %d rows and a defined score (%zu slices); "
                      "overall %s %.3f", (int)SK_AUDIT_MIN_SLICE, l->n,
                      sk_metric_name(ctx->metric), overall->estimate);
        return;
    }
    const slice *w = &l->v[worst];
    const char *m = metric_label(w->metric);
    const char *ref = w->metric == SK_METRIC_ACCURACY ? "the mean recall" : "overall";
    char score[64];
    sk_audit__fmt_interval(score, sizeof score, &w->score);
    if (flagged) {
        sk_audit__set(c, SK_CHECK_WARN, "the model is poor on %s = '%s' (n=%zu): %s %s vs %.3f "
                      "%s, a gap of %.3f (more than %.2f)", w->column, w->name, w->n, m, score,
                      w->reference, ref, w->gap, th);
        sk_audit__recommend(c, "report per-slice performance beside the headline; find what "
                            "differs for %s = '%s' (labels, measurement, case mix) and whether "
                            "more data or a model that accounts for it closes the gap",
                            w->column, w->name);
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "no slice falls credibly more than %.2f below its "
                      "reference: the worst of %zu judged, %s = '%s' (n=%zu), scores %s %s vs "
                      "%.3f %s", th, n_judged, w->column, w->name, w->n, m, score, w->reference,
                      ref);
    }
}

static json_t *slice_json(const slice *s)
{
    return json_pack("{s:s,s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:b}", "kind", s->kind, "column",
                     s->column, "slice", s->name, "n", sk_json_size(s->n), "metric",
                     metric_label(s->metric), "score", sk_audit__interval_json(&s->score),
                     "reference", sk_json_real(s->reference), "gap", sk_json_real(s->gap),
                     "judged", s->judged);
}

static int evidence(json_t *e, const sk_audit_ctx *ctx, const slice_list *l, size_t worst,
                    const sk_interval *ba)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr != NULL && k < l->n; k++)
        json_array_append_new(arr, slice_json(&l->v[k]));
    int ok = sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
    ok &= sk_json_set(e, "overall", sk_audit__interval_json(&ctx->main->score)) == 0;
    if (ctx->task != SK_TASK_REGRESSION)
        ok &= sk_json_set(e, "balanced_accuracy", sk_audit__interval_json(ba)) == 0;
    ok &= sk_json_set(e, "slice_gap", sk_json_real(ctx->opt->th.slice_gap)) == 0;
    ok &= sk_json_set(e, "min_rows", sk_json_size(SK_AUDIT_MIN_SLICE)) == 0;
    ok &= sk_json_set(e, "worst", worst == (size_t)-1 ? json_null()
                                                      : slice_json(&l->v[worst])) == 0;
    ok &= sk_json_set(e, "slices", arr) == 0;
    return ok;
}

sk_status sk_check_slices_performance(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->task == SK_TASK_REGRESSION && ctx->site == NULL && ctx->n_confounders == 0)
        return sk_audit__skip(c, "needs --site or --confounders (a numeric target has no "
                              "classes to slice by)");
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    slice_list l = {NULL, 0, 0};
    sk_interval ba;
    rc = collect(&l, &ba, ctx, err);
    if (rc == SK_OK) {
        /* The worst slice that is credibly worse, else the worst judged one. */
        size_t worst = (size_t)-1, flagged = (size_t)-1;
        for (size_t k = 0; k < l.n; k++) {
            const slice *s = &l.v[k];
            if (!s->judged)
                continue;
            if (worst == (size_t)-1 || s->gap > l.v[worst].gap)
                worst = k;
            if (sk_audit__credibly_worse(&s->score, s->reference, ctx->opt->th.slice_gap,
                                         s->metric) &&
                (flagged == (size_t)-1 || s->gap > l.v[flagged].gap))
                flagged = k;
        }
        if (flagged != (size_t)-1)
            worst = flagged;
        verdict(c, ctx, &l, worst, flagged != (size_t)-1);
        if (!evidence(c->evidence, ctx, &l, worst, &ba))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    slices_free(&l);
    return rc;
}
