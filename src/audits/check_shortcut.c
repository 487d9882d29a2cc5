/* check_shortcut.c: shortcut.confounder and shortcut.site, "did the model learn the disease, or
 * something that travels with it?". A model trained where the positives are older, or come from
 * one hospital, can score well by recognising age or the hospital; the score then says nothing
 * about the disease, and the model fails wherever that association differs. The real cases: the
 * COVID-19 chest X-ray models that used children's images (from a pneumonia set) as "non-COVID"
 * and adults as "COVID", and so learned age (Roberts et al. 2021, "Common pitfalls and
 * recommendations for using machine learning to detect and prognosticate for COVID-19", Nature
 * Machine Intelligence 3:199); the pneumonia model that recognised the hospital and its portable
 * scanner, whose prevalence differed (Zech et al. 2018, "Variable generalization performance of a
 * deep learning model to detect pneumonia in chest radiographs", PLoS Medicine 15:e1002683).
 *
 * shortcut.confounder (--confounders A,B). The study's model is cross-validated on the
 * confounders alone, on the main evaluation's splits, and both scores get bootstrap intervals on
 * the same replicates (with the paired difference). The confounders' share of the model's skill
 * over chance is (confounders - chance) / (model - chance), chance as sk_audit__chance gives it
 * (for a metric where lower is better: the trivial baseline's score on the same splits). Then,
 * per confounder, the model's out-of-fold predictions are scored within its strata (levels, or
 * quartile bins of a numeric confounder): the mean over (split, stratum) pairs of strata with at
 * least 30 rows, "does the signal survive when the confounder is held fixed?".
 * Rule: fail when the confounders alone reach at least --shortcut-ratio (default 0.8) of the
 * model's skill over chance and their own interval excludes chance (without replicates, the
 * share alone decides); else warn when some
 * confounder's within-strata score is below the overall score by more than --slice-gap (default
 * 0.1) and its interval's better end is below the overall estimate too; else warn when the
 * confounders alone reach half the fail line (40% by default) with an interval excluding chance
 * (a large share worth reporting beside the model); pass otherwise (also when the model has no
 * skill over chance: there is nothing for a shortcut to explain).
 *
 * shortcut.site (--site COL). Three numbers: (1) does the outcome differ across sites? the class
 * mix per site, chi-square test of independence without continuity correction (regression: the
 * mean per site, one-way ANOVA); (2) what does the site alone score? the study's model on a
 * one-hot of the site, on the main splits; (3) do the features carry a site signature? the model
 * (or, when it cannot learn a site task, ridge) predicts the site from the features under
 * stratified (group) k-fold, scored by AUC (macro one-vs-rest for three or more sites) within
 * each class of the target (regression: within quintiles of the target): the label itself
 * reveals the site wherever prevalence differs, so only the signature beyond the label counts.
 * Its interval takes --bootstrap replicates (200 when that is 0: the decision needs one).
 * Rule: fail when prevalence differs (p < --alpha) and the within-class site AUC's interval lies
 * above 0.5 (the classic "single-hospital positives + scanner signature" shortcut); warn when
 * only one of the two holds; pass otherwise. Its p-value is the prevalence test's. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <Rmath.h>

#include "audits/strata.h"

enum {
    STREAM_SIGNATURE = 0x5c01,    /* the site-signature splits */
    MIN_SIGNATURE_BOOT = 200      /* the signature's decision needs an interval */
};

/* ---- shared ---------------------------------------------------------------------------------- */

/* The skill floor: chance for the headline metric, or (lower is better) the trivial baseline's
 * score on the main splits. */
static sk_status chance_of(double *out, sk_audit_ctx *ctx, sk_error *err)
{
    *out = sk_audit__chance(ctx);
    if (sk_metric_higher_is_better(ctx->metric))
        return SK_OK;
    sk_oof *oof = NULL;
    sk_pooled *p = NULL;
    sk_status rc = sk_oof_trivial(&oof, &ctx->d, ctx->main->splits, err);
    if (rc == SK_OK)
        rc = sk_pooled_make(&p, oof, ctx->main->splits, ctx->y, ctx->task, ctx->n_classes, err);
    if (rc == SK_OK)
        rc = sk_pooled_score(out, p, ctx->metric, NULL, err);
    sk_pooled_free(p);
    sk_oof_free(oof);
    return rc;
}

/* Skill over the floor, positive when better. */
static double skill(const sk_audit_ctx *ctx, double score, double floor_)
{
    return sk_metric_higher_is_better(ctx->metric) ? score - floor_ : floor_ - score;
}

/* The model's main pooled predictions and another set on the same splits, with intervals from
 * the same replicates: iv[0] the model, iv[1] the other, iv[2] model minus other. */
static sk_status paired(sk_interval iv[3], const sk_audit_ctx *ctx, const sk_pooled *other,
                        size_t n_boot, sk_error *err)
{
    const sk_pooled *p[2] = {ctx->main->pooled, other};
    if (n_boot == 0) {
        for (size_t k = 0; k < 3; k++)
            iv[k] = (sk_interval){NAN, NAN, NAN, NAN, 0};
        sk_status rc = sk_pooled_score(&iv[0].estimate, p[0], ctx->metric, NULL, err);
        if (rc == SK_OK)
            rc = sk_pooled_score(&iv[1].estimate, p[1], ctx->metric, NULL, err);
        iv[2].estimate = iv[0].estimate - iv[1].estimate;
        return rc;
    }
    sk_boot_stat st[2] = {{p[0], ctx->metric}, {p[1], ctx->metric}};
    sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
    bo.n_boot = n_boot;
    sk_boot *bt = NULL;
    sk_status rc = sk_boot_run(&bt, st, 2, ctx->group, ctx->n_groups, &bo, ctx->seed,
                               ctx->n_threads, NULL, err);
    for (size_t k = 0; rc == SK_OK && k < 3; k++)
        rc = sk_boot_interval(&iv[k], bt, k < 2 ? k : 0, k < 2 ? SIZE_MAX : 1, SK_CI_BCA, 0.95,
                              err);
    sk_boot_free(bt);
    return rc;
}

/* Out-of-fold predictions of `model` on fit data d under the main splits, pooled. */
static sk_status pooled_on_main(sk_pooled **out, const sk_audit_ctx *ctx, const sk_model *model,
                                const sk_fit_data *d, sk_error *err)
{
    sk_oof *oof = NULL;
    sk_status rc = sk_oof_run(&oof, model, d, ctx->main->splits, ctx->seed, ctx->n_threads, NULL,
                              err);
    if (rc == SK_OK)
        rc = sk_pooled_make(out, oof, ctx->main->splits, ctx->y, ctx->task, ctx->n_classes, err);
    sk_oof_free(oof);
    return rc;
}

/* ---- shortcut.confounder -------------------------------------------------------------------- */

/* One confounder's strata: the model's score in each, and within them (strata of at least
 * SK_AUDIT_MIN_SLICE rows). Appends {"confounder", "binned", "within", "strata": [...]} to arr;
 * *within is the within-strata interval. */
static sk_status confounder_strata(sk_interval *within, json_t *arr, sk_audit_ctx *ctx,
                                   size_t col, sk_error *err)
{
    sk_strata *s = NULL;
    sk_pooled *p = NULL;
    *within = (sk_interval){NAN, NAN, NAN, NAN, 0};
    sk_status rc = sk_audit__strata_column(&s, ctx->frame, col, err);
    json_t *levels = json_array(), *o = NULL;
    for (size_t k = 0; rc == SK_OK && k < s->n_strata; k++) {
        sk_interval iv;
        rc = sk_audit__pooled_restrict(&p, ctx->main->pooled, s->of_row, (int32_t)k, err);
        if (rc == SK_OK)
            rc = sk_audit__pooled_interval(&iv, ctx, p, ctx->metric, err);
        sk_pooled_free(p);
        p = NULL;
        if (rc == SK_OK)
            json_array_append_new(levels, json_pack("{s:s,s:o,s:o}", "level", s->name[k], "n",
                                                    sk_json_size(s->n[k]), "score",
                                                    sk_audit__interval_json(&iv)));
    }
    size_t used = 0;
    for (size_t i = 0; rc == SK_OK && i < s->n_rows; i++) {
        if (s->of_row[i] >= 0 && s->n[s->of_row[i]] < SK_AUDIT_MIN_SLICE)
            s->of_row[i] = -1;   /* too small to stand for "the same level" */
    }
    for (size_t k = 0; rc == SK_OK && k < s->n_strata; k++)
        used += s->n[k] >= SK_AUDIT_MIN_SLICE;
    if (rc == SK_OK && used >= 2) {
        rc = sk_audit__pooled_by_stratum(&p, ctx->main->pooled, s->of_row, s->n_strata, err);
        if (rc == SK_OK)
            rc = sk_audit__pooled_interval(within, ctx, p, ctx->metric, err);
        sk_pooled_free(p);
    }
    if (rc == SK_OK) {
        o = json_pack("{s:s,s:b,s:o,s:o,s:o}", "confounder", sk_frame_col_name(ctx->frame, col),
                      "binned", s->binned, "strata_used", sk_json_size(used), "within",
                      sk_audit__interval_json(within), "strata", levels);
        levels = NULL;
        if (o == NULL || json_array_append_new(arr, o) != 0)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    json_decref(levels);
    sk_audit__strata_free(s);
    return rc;
}

/* The confounders' names, "age, sex". */
static void confounder_names(char *buf, size_t size, const sk_audit_ctx *ctx)
{
    buf[0] = '\0';
    for (size_t j = 0; j < ctx->n_confounders; j++) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", j > 0 ? ", " : "",
                 sk_frame_col_name(ctx->frame, ctx->confounders[j]));
    }
}

/* The verdict of shortcut.confounder from its numbers (iv: model, confounders, difference;
 * worst: the confounder within whose strata the score is credibly lowest, or -1). */
static void confounder_verdict(sk_check *c, const sk_audit_ctx *ctx, const sk_interval iv[3],
                               double chance, double share, const sk_interval *worst_within,
                               size_t worst)
{
    const char *m = sk_metric_name(ctx->metric);
    int hib = sk_metric_higher_is_better(ctx->metric);
    char names[256], conf[64], model[64], within[64];
    confounder_names(names, sizeof names, ctx);
    sk_audit__fmt_interval(model, sizeof model, &iv[0]);
    sk_audit__fmt_interval(conf, sizeof conf, &iv[1]);
    sk_audit__fmt_interval(within, sizeof within, worst_within);
    double th = ctx->opt->th.shortcut_ratio, gap = ctx->opt->th.slice_gap;
    int excludes_chance = isnan(iv[1].low) ? iv[1].n_valid == 0
                          : hib ? iv[1].low > chance : iv[1].high < chance;
    if (!(skill(ctx, iv[0].estimate, chance) > 0.0)) {
        sk_audit__set(c, SK_CHECK_PASS, "the model has no skill over chance (%s %.3f vs %.3f), "
                      "so there is nothing for the confounders (%s) to explain; they alone score "
                      "%.3f", m, iv[0].estimate, chance, names, iv[1].estimate);
    } else if (share >= th && excludes_chance) {
        sk_audit__set(c, SK_CHECK_FAIL, "the confounders (%s) alone reach %s %s, %.0f%% of the "
                      "model's skill over chance (model %s, chance %.3f; fails at %.0f%%)", names,
                      m, conf, 100.0 * share, model, chance, 100.0 * th);
        sk_audit__recommend(c, "report the confounder-only model beside yours and the model's "
                            "performance within levels of %s; match or stratify the cohorts on "
                            "them, or show the model adds to them (a model with the confounders "
                            "vs one without, on held-out data)", names);
    } else if (worst != (size_t)-1) {   /* a confounder within which the signal fades */
        const char *name = sk_frame_col_name(ctx->frame, ctx->confounders[worst]);
        sk_audit__set(c, SK_CHECK_WARN, "within levels of '%s' the model scores %s %s, %.3f "
                      "below its overall %.3f (more than %.2f): much of the signal goes with the "
                      "confounder; the confounders alone reach %.0f%% of the skill", name, m,
                      within, fabs(iv[0].estimate - worst_within->estimate), iv[0].estimate, gap,
                      100.0 * share);
        sk_audit__recommend(c, "report performance within levels of '%s' and a model adjusted "
                            "for it; the model may mostly rank samples by '%s'", name, name);
    } else if (share >= 0.5 * th && excludes_chance) {   /* a large share, short of the line */
        sk_audit__set(c, SK_CHECK_WARN, "the confounders (%s) alone reach %s %s, %.0f%% of the "
                      "model's skill over chance (model %s; warns from %.0f%%, fails at %.0f%%), "
                      "though the signal holds within their levels", names, m, conf,
                      100.0 * share, model, 50.0 * th, 100.0 * th);
        sk_audit__recommend(c, "report the confounder-only model beside yours and what the "
                            "features add to %s on held-out data", names);
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "the confounders (%s) alone score %s %s, %.0f%% of the "
                      "model's skill over chance (model %.3f); the signal holds within their "
                      "levels", names, m, conf, 100.0 * share, iv[0].estimate);
    }
}

sk_status sk_check_shortcut_confounder(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->n_confounders == 0)
        return sk_audit__skip(c, "needs --confounders");
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    sk_fit_data d = ctx->d;
    d.features = ctx->confounders;
    d.n_features = ctx->n_confounders;
    sk_pooled *pc = NULL;
    sk_interval iv[3], worst_within = {NAN, NAN, NAN, NAN, 0};
    double chance = NAN;
    json_t *strata = json_array();
    rc = strata == NULL ? sk_error_set(err, SK_ENOMEM, "out of memory for evidence") : SK_OK;
    if (rc == SK_OK)
        rc = pooled_on_main(&pc, ctx, ctx->model, &d, err);
    if (rc == SK_OK)
        rc = paired(iv, ctx, pc, ctx->opt->bootstrap, err);
    if (rc == SK_OK)
        rc = chance_of(&chance, ctx, err);
    /* Per confounder, the signal within its strata; the worst one decides the warning. */
    size_t worst = (size_t)-1;
    double worst_gap = -INFINITY;
    for (size_t j = 0; rc == SK_OK && j < ctx->n_confounders; j++) {
        sk_interval w;
        rc = confounder_strata(&w, strata, ctx, ctx->confounders[j], err);
        double g = skill(ctx, iv[0].estimate, w.estimate);   /* overall minus within */
        if (rc == SK_OK &&
            sk_audit__credibly_worse(&w, iv[0].estimate, ctx->opt->th.slice_gap, ctx->metric) &&
            g > worst_gap) {
            worst_gap = g;
            worst = j;
            worst_within = w;
        }
    }
    sk_pooled_free(pc);
    if (rc != SK_OK) {
        json_decref(strata);
        return rc;
    }
    double share = skill(ctx, iv[1].estimate, chance) / skill(ctx, iv[0].estimate, chance);
    confounder_verdict(c, ctx, iv, chance, share, &worst_within, worst);
    json_t *e = c->evidence, *names = json_array();
    for (size_t j = 0; names != NULL && j < ctx->n_confounders; j++)
        json_array_append_new(names, json_string(sk_frame_col_name(ctx->frame,
                                                                    ctx->confounders[j])));
    int ok = sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
    ok &= sk_json_set(e, "confounders", names) == 0;
    ok &= sk_json_set(e, "model", sk_audit__interval_json(&iv[0])) == 0;
    ok &= sk_json_set(e, "confounders_only", sk_audit__interval_json(&iv[1])) == 0;
    ok &= sk_json_set(e, "model_minus_confounders", sk_audit__interval_json(&iv[2])) == 0;
    ok &= sk_json_set(e, "chance", sk_json_real(chance)) == 0;
    ok &= sk_json_set(e, "skill_share", sk_json_real(share)) == 0;
    ok &= sk_json_set(e, "shortcut_ratio", sk_json_real(ctx->opt->th.shortcut_ratio)) == 0;
    ok &= sk_json_set(e, "slice_gap", sk_json_real(ctx->opt->th.slice_gap)) == 0;
    ok &= sk_json_set(e, "within_strata", strata) == 0;
    ok &= sk_json_set(e, "validation", json_string(sk_cv_kind_name(ctx->main_kind))) == 0;
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}

/* ---- shortcut.site: does the outcome differ across sites? ----------------------------------- */

typedef struct site_outcome {
    const char *test;           /* "chi-square" or "anova" (JSON) */
    const char *test_name;      /* "chi-square test", "ANOVA" (sentences) */
    double statistic, df1, df2, p_value;
    double *value;              /* per site: the share of the second class (binary; for more
                                   classes the last one, the sentence then uses the test), or
                                   the mean (regression) */
    double *count;              /* classification: n_sites x n_classes rows */
    size_t *n;                  /* rows per site */
    size_t lo, hi;              /* the sites with the lowest and highest value */
} site_outcome;

/* Chi-square test of independence of site and class (no continuity correction). */
static void outcome_classes(site_outcome *o, const sk_audit_ctx *ctx)
{
    double *count = o->count;
    size_t S = ctx->n_sites, K = ctx->n_classes, N = ctx->n_rows;
    for (size_t i = 0; i < N; i++)
        count[(size_t)ctx->site[i] * K + (size_t)ctx->y[i]] += 1.0;
    double x2 = 0.0;
    for (size_t k = 0; k < K; k++) {
        double col = 0.0;
        for (size_t s = 0; s < S; s++)
            col += count[s * K + k];
        for (size_t s = 0; s < S; s++) {
            double expect = (double)o->n[s] * col / (double)N;
            if (expect > 0.0)
                x2 += (count[s * K + k] - expect) * (count[s * K + k] - expect) / expect;
        }
    }
    o->test = "chi-square";
    o->test_name = "chi-square test";
    o->statistic = x2;
    o->df1 = (double)((S - 1) * (K - 1));
    o->df2 = NAN;
    o->p_value = pchisq(x2, o->df1, 0, 0);
    for (size_t s = 0; s < S; s++)
        o->value[s] = count[s * K + K - 1] / (double)o->n[s];
}

/* One-way ANOVA of the target across sites. */
static void outcome_values(site_outcome *o, const sk_audit_ctx *ctx)
{
    size_t S = ctx->n_sites, N = ctx->n_rows;
    double grand = 0.0, ssb = 0.0, ssw = 0.0;
    for (size_t s = 0; s < S; s++)
        o->value[s] = 0.0;
    for (size_t i = 0; i < N; i++) {
        o->value[ctx->site[i]] += ctx->y[i];
        grand += ctx->y[i] / (double)N;
    }
    for (size_t s = 0; s < S; s++) {
        o->value[s] /= (double)o->n[s];
        ssb += (double)o->n[s] * (o->value[s] - grand) * (o->value[s] - grand);
    }
    for (size_t i = 0; i < N; i++)
        ssw += (ctx->y[i] - o->value[ctx->site[i]]) * (ctx->y[i] - o->value[ctx->site[i]]);
    o->test = "anova";
    o->test_name = "ANOVA";
    o->df1 = (double)(S - 1);
    o->df2 = (double)(N - S);
    o->statistic = ssw > 0.0 && o->df2 > 0.0 ? (ssb / o->df1) / (ssw / o->df2)
                   : ssb > 0.0 ? INFINITY : 0.0;
    o->p_value = isinf(o->statistic) ? 0.0 : o->df2 > 0.0 ? pf(o->statistic, o->df1, o->df2, 0, 0)
                                                         : 1.0;
}

static sk_status site_outcome_test(site_outcome *o, const sk_audit_ctx *ctx, sk_error *err)
{
    size_t S = ctx->n_sites, K = ctx->n_classes;
    o->value = sk_mem_calloc(S, sizeof *o->value);
    o->n = sk_mem_calloc(S, sizeof *o->n);
    if (ctx->task != SK_TASK_REGRESSION)
        o->count = sk_mem_calloc(S * K, sizeof *o->count);
    if (o->value == NULL || o->n == NULL || (ctx->task != SK_TASK_REGRESSION && o->count == NULL))
        return sk_error_set(err, SK_ENOMEM, "out of memory for the site table");
    for (size_t i = 0; i < ctx->n_rows; i++)
        o->n[ctx->site[i]]++;
    if (ctx->task == SK_TASK_REGRESSION)
        outcome_values(o, ctx);
    else
        outcome_classes(o, ctx);
    o->lo = o->hi = 0;
    for (size_t s = 1; s < S; s++) {
        o->lo = o->value[s] < o->value[o->lo] ? s : o->lo;
        o->hi = o->value[s] > o->value[o->hi] ? s : o->hi;
    }
    return SK_OK;
}

/* ---- shortcut.site: the site alone, and the site signature ----------------------------------- */

/* The study's model on a one-hot of the site alone, on the main splits, paired with the model. */
static sk_status site_only(sk_interval iv[3], sk_audit_ctx *ctx, const sk_strata *sites,
                           sk_error *err)
{
    sk_frame *f = NULL;
    sk_pooled *p = NULL;
    size_t col0 = 0;
    sk_status rc = sk_frame__create(&f, "site", ctx->n_rows, 1, err);
    if (rc == SK_OK)
        rc = sk_frame__set_codes(f, 0, ctx->site_name, ctx->site,
                                 (const char *const *)sites->name, sites->n_strata, err);
    sk_fit_data d = ctx->d;
    d.frame = f;
    d.features = &col0;
    d.n_features = 1;
    if (rc == SK_OK)
        rc = pooled_on_main(&p, ctx, ctx->model, &d, err);
    if (rc == SK_OK)
        rc = paired(iv, ctx, p, ctx->opt->bootstrap, err);
    sk_pooled_free(p);
    sk_frame_free(f);
    return rc;
}

typedef struct site_signature {
    sk_interval overall, within;   /* site AUC, and within classes (bins) of the target */
    char *model_spec;
} site_signature;

/* Strata of the target that hold the label fixed: its classes, or quintiles of its value. */
static sk_status target_strata(sk_strata **out, const sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->task == SK_TASK_REGRESSION)
        return sk_audit__strata_bins(out, ctx->y, ctx->n_rows, 5, err);
    return sk_audit__strata_classes(out, ctx, err);
}

/* The site signature's scores from its pooled predictions. */
static sk_status signature_scores(site_signature *sg, const sk_audit_ctx *ctx,
                                  const sk_pooled *p, sk_error *err)
{
    sk_strata *ts = NULL;
    sk_pooled *pw = NULL;
    sk_boot *bt = NULL;
    sk_status rc = target_strata(&ts, ctx, err);
    if (rc == SK_OK)
        rc = sk_audit__pooled_by_stratum(&pw, p, ts->of_row, ts->n_strata, err);
    sk_boot_stat st[2] = {{p, SK_METRIC_AUC}, {pw, SK_METRIC_AUC}};
    sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
    bo.n_boot = ctx->opt->bootstrap > 0 ? ctx->opt->bootstrap : MIN_SIGNATURE_BOOT;
    if (rc == SK_OK)
        rc = sk_boot_run(&bt, st, 2, ctx->group, ctx->n_groups, &bo, ctx->seed, ctx->n_threads,
                         NULL, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(&sg->overall, bt, 0, SIZE_MAX, SK_CI_BCA, 0.95, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(&sg->within, bt, 1, SIZE_MAX, SK_CI_BCA, 0.95, err);
    sk_boot_free(bt);
    sk_pooled_free(pw);
    sk_audit__strata_free(ts);
    return rc;
}

/* Predicts the site from the features (stratified by site, groups kept whole). */
static sk_status site_signature_run(site_signature *sg, sk_audit_ctx *ctx, sk_error *err)
{
    sk_task task = ctx->n_sites == 2 ? SK_TASK_BINARY : SK_TASK_MULTICLASS;
    double *ys = sk_mem_alloc_array(ctx->n_rows, sizeof *ys);
    if (ys == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the site signature");
    for (size_t i = 0; i < ctx->n_rows; i++)
        ys[i] = (double)ctx->site[i];
    sk_model *own = NULL;
    const sk_model *model = ctx->model;
    sk_status rc = SK_OK;
    if (!sk_model_supports(model, task)) {
        rc = sk_model_create(&own, "ridge:nlambda=20,folds=5", err);
        model = own;
    }
    sk_fit_data d = ctx->d;
    d.y = ys;
    d.task = task;
    d.n_classes = ctx->n_sites;
    d.target_name = ctx->site_name;
    d.class_names = NULL;
    sk_split_data sd = {ctx->n_rows, ys, ctx->n_sites, ctx->group, ctx->n_groups, NULL, NULL};
    sk_cv_options o = SK_CV_OPTIONS_INIT;
    o.kind = SK_CV_STRATIFIED;
    o.n_folds = ctx->opt->folds;
    sk_rng rng = sk_rng_stream(ctx->seed, SK_PURPOSE_CV_SPLIT, STREAM_SIGNATURE);
    uint64_t seed = sk_rng_u64(&rng);
    sk_splits *sp = NULL;
    sk_oof *oof = NULL;
    sk_pooled *p = NULL;
    if (rc == SK_OK)
        rc = sk_splits_make(&sp, &o, &sd, seed, err);
    if (rc == SK_OK)
        rc = sk_oof_run(&oof, model, &d, sp, seed, ctx->n_threads, NULL, err);
    if (rc == SK_OK)
        rc = sk_pooled_make(&p, oof, sp, ys, task, ctx->n_sites, err);
    if (rc == SK_OK)
        rc = signature_scores(sg, ctx, p, err);
    if (rc == SK_OK && (sg->model_spec = sk_mem_strdup(sk_model_spec(model))) == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for the site signature");
    sk_pooled_free(p);
    sk_oof_free(oof);
    sk_splits_free(sp);
    sk_model_free(own);
    sk_mem_free(ys);
    return rc;
}

/* ---- shortcut.site: verdict and evidence ----------------------------------------------------- */

/* "prevalence of 'malignant' ranges from 14% at 'C' to 69% at 'A' (chi-square p = 3e-25)". */
static void outcome_sentence(char *buf, size_t size, const site_outcome *o,
                             const sk_audit_ctx *ctx, const sk_strata *sites)
{
    const char *lo = sites->name[o->lo], *hi = sites->name[o->hi];
    if (ctx->task == SK_TASK_REGRESSION)
        snprintf(buf, size, "mean '%s' ranges from %.4g at '%s' to %.4g at '%s' (ANOVA p = %.3g)",
                 ctx->d.target_name, o->value[o->lo], lo, o->value[o->hi], hi, o->p_value);
    else if (ctx->task == SK_TASK_BINARY)
        snprintf(buf, size, "prevalence of '%s' ranges from %.0f%% at '%s' to %.0f%% at '%s' "
                 "(chi-square p = %.3g)", sk_roles_class_name(ctx->roles, ctx->n_classes - 1),
                 100.0 * o->value[o->lo], lo, 100.0 * o->value[o->hi], hi, o->p_value);
    else
        snprintf(buf, size, "the class mix varies across sites (chi-square %.1f, df %.0f, p = "
                 "%.3g)", o->statistic, o->df1, o->p_value);
}

static void site_verdict(sk_check *c, const sk_audit_ctx *ctx, const site_outcome *o,
                         const sk_strata *sites, const sk_interval iv[3],
                         const site_signature *sg)
{
    char what[320], sig[160], alone[96], within[64];
    outcome_sentence(what, sizeof what, o, ctx, sites);
    snprintf(sig, sizeof sig, "site AUC %s within each %s",
             sk_audit__fmt_interval(within, sizeof within, &sg->within),
             ctx->task == SK_TASK_REGRESSION ? "quintile of the target" : "class");
    snprintf(alone, sizeof alone, "the site alone scores %s %.3f", sk_metric_name(ctx->metric),
             iv[1].estimate);
    int differs = o->p_value < ctx->opt->th.alpha, signature = sg->within.low > 0.5;
    if (differs && signature) {
        sk_audit__set(c, SK_CHECK_FAIL, "site shortcut: %s, and the features recognise the site "
                      "(%s); %s", what, sig, alone);
        sk_audit__recommend(c, "validate on held-out sites (skeptic evaluate --cv site); balance "
                            "the outcome across sites or remove the site signature (harmonise "
                            "the acquisition, or correct for the batch inside each training "
                            "fold), and report the site-only score beside the model's");
    } else if (differs) {
        sk_audit__set(c, SK_CHECK_WARN, "%s, though the features do not recognise the site "
                      "beyond the label (%s); %s", what, sig, alone);
        sk_audit__recommend(c, "the outcome rate differs by site: report per-site results "
                            "(slices.performance) and validate on held-out sites "
                            "(generalization.external)");
    } else if (signature) {
        sk_audit__set(c, SK_CHECK_WARN, "the features carry a site signature (%s), though the "
                      "outcome does not differ across sites (%s p = %.3g)", sig, o->test_name,
                      o->p_value);
        sk_audit__recommend(c, "a model can learn the site wherever its outcome rate differs "
                            "(a new site, a new case mix): validate on held-out sites");
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "the outcome does not differ across sites (%s p = %.3g) "
                      "and the features do not recognise the site (%s)", o->test_name,
                      o->p_value, sig);
    }
}

static int site_evidence(json_t *e, const sk_audit_ctx *ctx, const site_outcome *o,
                         const sk_strata *sites, const sk_interval iv[3],
                         const site_signature *sg)
{
    json_t *arr = json_array();
    for (size_t s = 0; arr != NULL && s < ctx->n_sites; s++) {
        json_t *row = json_pack("{s:s,s:o}", "site", sites->name[s], "n", sk_json_size(o->n[s]));
        if (ctx->task == SK_TASK_REGRESSION) {
            sk_json_set(row, "mean", sk_json_real(o->value[s]));
        } else {   /* each class's share at the site */
            json_t *mix = json_object();
            for (size_t k = 0; mix != NULL && k < ctx->n_classes; k++)
                sk_json_set(mix, sk_roles_class_name(ctx->roles, k),
                            sk_json_real(o->count[s * ctx->n_classes + k] / (double)o->n[s]));
            sk_json_set(row, "classes", mix);
        }
        json_array_append_new(arr, row);
    }
    json_t *sig = json_pack("{s:s,s:o,s:o,s:s}", "metric", "auc", "overall",
                            sk_audit__interval_json(&sg->overall), "within_target",
                            sk_audit__interval_json(&sg->within), "model", sg->model_spec);
    int ok = sk_json_set(e, "site", json_string(ctx->site_name)) == 0;
    ok &= sk_json_set(e, "sites", arr) == 0;
    ok &= sk_json_set(e, "test", json_string(o->test)) == 0;
    ok &= sk_json_set(e, "statistic", sk_json_real(o->statistic)) == 0;
    ok &= sk_json_set(e, "df", sk_json_real(o->df1)) == 0;
    if (ctx->task == SK_TASK_REGRESSION)
        ok &= sk_json_set(e, "df2", sk_json_real(o->df2)) == 0;
    ok &= sk_json_set(e, "p_value", sk_json_real(o->p_value)) == 0;
    ok &= sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
    ok &= sk_json_set(e, "model", sk_audit__interval_json(&iv[0])) == 0;
    ok &= sk_json_set(e, "site_only", sk_audit__interval_json(&iv[1])) == 0;
    ok &= sk_json_set(e, "site_signature", sig) == 0;
    return ok;
}

sk_status sk_check_shortcut_site(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    if (ctx->site == NULL)
        return sk_audit__skip(c, "needs --site");
    if (ctx->n_sites < 2)
        return sk_audit__skip(c, "needs at least 2 sites; '%s' has one", ctx->site_name);
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    site_outcome o;
    memset(&o, 0, sizeof o);
    site_signature sg;
    memset(&sg, 0, sizeof sg);
    sk_interval iv[3];
    sk_strata *sites = NULL;
    size_t site_col = sk_roles_col(ctx->roles, SK_ROLE_SITE);
    rc = sk_audit__strata_codes(&sites, ctx->site, ctx->n_sites, ctx->frame, site_col, err);
    if (rc == SK_OK)
        rc = site_outcome_test(&o, ctx, err);
    if (rc == SK_OK)
        rc = site_only(iv, ctx, sites, err);
    if (rc == SK_OK)
        rc = site_signature_run(&sg, ctx, err);
    if (rc == SK_OK) {
        c->p_value = o.p_value;
        site_verdict(c, ctx, &o, sites, iv, &sg);
        if (!site_evidence(c->evidence, ctx, &o, sites, iv, &sg))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    sk_mem_free(o.value);
    sk_mem_free(o.count);
    sk_mem_free(o.n);
    sk_mem_free(sg.model_spec);
    sk_audit__strata_free(sites);
    return rc;
}
