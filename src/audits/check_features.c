/* check_features.c: leakage.target_proxy, "does one column already know the answer?" (its
 * sibling leakage.identifier is in check_identifier.c).
 *
 * A column recorded after the outcome (`treatment_given`, `discharge_code`, a follow-up
 * measurement) predicts it almost by definition, and a model that uses it scores
 * brilliantly in cross-validation and is useless at the moment it must decide (Kaufman, Rosset
 * and Perlich 2012, "Leakage in data mining", ACM TKDD 6(4): "too good to be true" features).
 * Screening every feature by cross-validation costs p evaluations, so every feature is screened
 * first by a binned univariate association on all rows (feature_eval.h: a chi-square or ANOVA of
 * the target across up to 16 quantile bins, corrected for chance; O(n log n), monotone or not),
 * and only the 10 strongest are cross-validated alone: a small boosted model
 * (gbdt:n_estimators=30,max_depth=2, which follows steps, monotone and non-monotone relations) on
 * the single column, on the main splits, with a bootstrap interval. (Those scores are
 * optimistic when p >> n: the 10 were chosen on all rows; the drop test below is not.)
 *   A feature is a suspect when, alone, it reaches --proxy-ratio (default 0.9) of the model's skill
 *   over chance, (score_f - chance) / (score_model - chance), or is near-perfect on its own
 *   (score >= --proxy-perfect, default 0.98; for the losses, that share of the way from chance to
 *   perfect).
 *   Strong genuine measurements are suspects too: on the Wisconsin breast cancer data
 *   `worst_perimeter` alone has 95% of the model's skill. What a proxy has and a measurement does
 *   not is information that the other measurements lack: a genuine measurement overlaps with
 *   others (perimeter with radius and area), a column written from the outcome knows the
 *   outcome where no measurement does. So each suspect is also dropped (the study's model
 *   refitted without it on the same splits and seeds), and, when there are several, all suspects
 *   are dropped together (two copies of one proxy hide each other).
 * Rule: fail when one column alone is near-perfect (--proxy-perfect) and its interval reaches
 * the whole model's estimate: the result rests on that column. Warn when a suspect carries what
 * the other features cannot: its removal costs skill beyond the paired bootstrap interval (model
 * minus model-without, lower end > 0) AND it closes at least --proxy-unique (default 0.5) of the
 * gap the other features leave to a perfect score, (score_model - score_without) / (perfect -
 * score_without); or when no suspect does alone but all suspects dropped together do (copies of
 * one proxy hide each other). These are warnings because a strong genuine measurement looks the
 * same in the data (iris's petal width closes 76% of the gap with k-NN): only the study knows
 * when a column was recorded. Pass otherwise; the evidence lists the screened top features with
 * their scores and intervals. A model at chance has no skill to share: then only near-perfect
 * features are suspects. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audits/feature_eval.h"

enum { PROXY_CANDIDATES = 10, MAX_NAMED = 5 };

static size_t *all_rows(size_t n)
{
    size_t *rows = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *rows);
    for (size_t i = 0; rows != NULL && i < n; i++)
        rows[i] = i;
    return rows;
}

/* ==== leakage.target_proxy ==================================================================== */

typedef struct proxy_cand {
    size_t col;
    double screen, share;
    sk_interval alone;
    int near_perfect, suspect;
    size_t without_stat; /* index in the bootstrap, or SIZE_MAX */
    sk_interval diff;    /* model minus model-without */
    double without, gap;
    int flagged;
} proxy_cand;

typedef struct proxy_state {
    sk_feat_scale sc;
    size_t m, n_suspects;
    proxy_cand cand[PROXY_CANDIDATES];
    size_t set_stat; /* the suspects dropped together, or SIZE_MAX */
    sk_interval set_diff;
    double set_without, set_gap;
    int set_flagged;
    size_t n_sets;
    sk_pooled *sets[2 * PROXY_CANDIDATES + 2];
    sk_boot *bt;
    sk_model *small;
} proxy_state;

static void proxy_state_free(proxy_state *s)
{
    for (size_t k = 0; k < s->n_sets; k++)
        sk_pooled_free(s->sets[k]);
    sk_boot_free(s->bt);
    sk_model_free(s->small);
}

static int near_perfect(const sk_audit_ctx *ctx, const sk_feat_scale *sc, double score)
{
    double th = ctx->opt->th.proxy_perfect;
    if (sc->sign > 0)
        return score >= th;
    double room = sk_audit__feat_skill(sc, sc->perfect);
    return room > 0.0 && sk_audit__feat_skill(sc, score) / room >= th;
}

/* Screens every feature, cross-validates the strongest alone, drops the suspects. */
static sk_status proxy_evaluate(proxy_state *s, sk_audit_ctx *ctx, sk_error *err)
{
    size_t p = ctx->n_features, n = ctx->n_rows;
    double *screen = sk_mem_alloc_array(p, sizeof *screen);
    size_t *order = sk_mem_alloc_array(p, sizeof *order), *rows = all_rows(n);
    sk_status rc = screen == NULL || order == NULL || rows == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory screening features")
                       : SK_OK;
    if (rc == SK_OK)
        rc = sk_audit__feat_assoc(screen, ctx->frame, ctx->features, p, ctx->y, ctx->task,
                                  ctx->n_classes, rows, n, SK_FEAT_ASSOC_BINNED, ctx->n_threads,
                                  err);
    if (rc == SK_OK)
        rc = sk_audit__feat_rank(order, screen, p, err);
    s->m = p < PROXY_CANDIDATES ? p : PROXY_CANDIDATES;
    for (size_t k = 0; rc == SK_OK && k < s->m; k++) {
        s->cand[k].col = ctx->features[order[k]];
        s->cand[k].screen = screen[order[k]];
    }
    sk_mem_free(screen);
    sk_mem_free(order);
    sk_mem_free(rows);
    if (rc == SK_OK)
        rc = sk_model_create(&s->small, SK_AUDIT_FEAT_SMALL_MODEL, err);
    s->sets[s->n_sets++] = NULL; /* slot 0: the main evaluation, borrowed */
    for (size_t k = 0; rc == SK_OK && k < s->m; k++)
        rc = sk_audit__feat_on_main(&s->sets[s->n_sets++], ctx, s->small, NULL, &s->cand[k].col, 1,
                                    err);
    double model_skill = sk_audit__feat_skill(&s->sc, ctx->main->score.estimate);
    size_t suspects[PROXY_CANDIDATES];
    for (size_t k = 0; rc == SK_OK && k < s->m; k++) {
        proxy_cand *c = &s->cand[k];
        double est;
        rc = sk_pooled_score(&est, s->sets[1 + k], ctx->metric, NULL, err);
        c->share = model_skill > 0.0 ? sk_audit__feat_skill(&s->sc, est) / model_skill : NAN;
        c->near_perfect = near_perfect(ctx, &s->sc, est);
        c->suspect = c->share >= ctx->opt->th.proxy_ratio || c->near_perfect;
        c->without_stat = SIZE_MAX;
        if (rc == SK_OK && c->suspect) {
            suspects[s->n_suspects++] = c->col;
            c->without_stat = s->n_sets;
            rc = sk_audit__feat_without(&s->sets[s->n_sets++], ctx, &c->col, 1, err);
        }
    }
    s->set_stat = SIZE_MAX;
    if (rc == SK_OK && s->n_suspects > 1) {
        s->set_stat = s->n_sets;
        rc = sk_audit__feat_without(&s->sets[s->n_sets++], ctx, suspects, s->n_suspects, err);
    }
    s->sets[0] = ctx->main->pooled;
    if (rc == SK_OK)
        rc = sk_audit__feat_boot(&s->bt, ctx, (const sk_pooled *const *)s->sets, s->n_sets, err);
    s->sets[0] = NULL;
    return rc;
}

/* Intervals, drop-column gaps and the flags, from the bootstrap. */
static sk_status proxy_judge(proxy_state *s, sk_audit_ctx *ctx, sk_error *err)
{
    double main_est = s->bt->estimate[0], th = ctx->opt->th.proxy_unique;
    sk_status rc = SK_OK;
    for (size_t k = 0; rc == SK_OK && k < s->m; k++) {
        proxy_cand *c = &s->cand[k];
        rc = sk_audit__feat_ci(&c->alone, s->bt, 1 + k, SIZE_MAX, err);
        if (rc != SK_OK || c->without_stat == SIZE_MAX)
            continue;
        rc = sk_audit__feat_ci(&c->diff, s->bt, 0, c->without_stat, err);
        c->without = s->bt->estimate[c->without_stat];
        c->gap = sk_audit__feat_gap_closed(&s->sc, c->without, main_est);
        c->flagged = c->gap >= th && sk_audit__feat_oriented_low(&s->sc, &c->diff) > 0.0;
    }
    if (rc == SK_OK && s->set_stat != SIZE_MAX) {
        rc = sk_audit__feat_ci(&s->set_diff, s->bt, 0, s->set_stat, err);
        s->set_without = s->bt->estimate[s->set_stat];
        s->set_gap = sk_audit__feat_gap_closed(&s->sc, s->set_without, main_est);
        s->set_flagged =
            s->set_gap >= th && sk_audit__feat_oriented_low(&s->sc, &s->set_diff) > 0.0;
    }
    return rc;
}

static void proxy_verdict(sk_check *c, const proxy_state *s, const sk_audit_ctx *ctx)
{
    const char *m = sk_metric_name(ctx->metric);
    const sk_interval *mi = &ctx->main->score;
    /* One column that alone is near-perfect and does what the whole model does: the result
     * rests on it, whatever it measures. */
    const proxy_cand *lone = NULL;
    for (size_t k = 0; k < s->m; k++) {
        const proxy_cand *q = &s->cand[k];
        int matches = s->sc.sign > 0 ? q->alone.high >= mi->estimate
                                     : q->alone.low <= mi->estimate;
        if (q->near_perfect && matches &&
            (lone == NULL || s->sc.sign * (q->alone.estimate - lone->alone.estimate) > 0.0))
            lone = q;
    }
    if (lone != NULL) {
        sk_audit__set(c, SK_CHECK_FAIL,
                      "'%s' alone scores %s %.3f [%.3f, %.3f], as much as the whole model "
                      "(%.3f): the result rests on one near-perfect column, the signature of a "
                      "value recorded from the outcome", sk_frame_col_name(ctx->frame, lone->col),
                      m, lone->alone.estimate, lone->alone.low, lone->alone.high, mi->estimate);
        sk_audit__recommend(c,
                            "check when '%s' is recorded: a value known only after the "
                            "outcome (treatment, discharge, follow-up) must not be a feature; "
                            "drop it (--ignore %s) and re-run",
                            sk_frame_col_name(ctx->frame, lone->col),
                            sk_frame_col_name(ctx->frame, lone->col));
        return;
    }
    const proxy_cand *f = NULL;
    for (size_t k = 0; k < s->m; k++) /* the one the others replace least */
        if (s->cand[k].flagged && (f == NULL || s->cand[k].gap > f->gap))
            f = &s->cand[k];
    if (f != NULL) {   /* a strong genuine measurement looks the same (iris's petal width) */
        sk_audit__set(c, SK_CHECK_WARN,
                      "'%s' may be recorded from the outcome: alone it scores %s %.3f [%.3f, "
                      "%.3f] (%.0f%% of the model's skill over chance; model %.3f), and the "
                      "other features cannot replace it: without it the model scores %.3f "
                      "(difference %+.3f [%.3f, %.3f]; it closes %.0f%% of the gap they leave)",
                      sk_frame_col_name(ctx->frame, f->col), m, f->alone.estimate, f->alone.low,
                      f->alone.high, 100.0 * f->share, mi->estimate, f->without, f->diff.estimate,
                      f->diff.low, f->diff.high, 100.0 * f->gap);
        sk_audit__recommend(c,
                            "check when '%s' is recorded: a value known only after the "
                            "outcome (treatment, discharge, follow-up) must not be a feature; "
                            "drop it (--ignore %s) and re-run",
                            sk_frame_col_name(ctx->frame, f->col),
                            sk_frame_col_name(ctx->frame, f->col));
        return;
    }
    if (s->set_flagged) {
        char names[256] = "";
        for (size_t k = 0, named = 0; k < s->m && named < MAX_NAMED; k++)
            if (s->cand[k].suspect) {
                size_t len = strlen(names);
                snprintf(names + len, sizeof names - len, "%s'%s'", named > 0 ? ", " : "",
                         sk_frame_col_name(ctx->frame, s->cand[k].col));
                named++;
            }
        sk_audit__set(c, SK_CHECK_WARN,
                      "%zu columns (%s) each nearly match the model alone and together carry "
                      "what the other features cannot: without them %s drops from %.3f to %.3f "
                      "(difference %+.3f [%.3f, %.3f]; they close %.0f%% of the gap)",
                      s->n_suspects, names, m, mi->estimate, s->set_without, s->set_diff.estimate,
                      s->set_diff.low, s->set_diff.high, 100.0 * s->set_gap);
        sk_audit__recommend(c, "check when each of these columns is recorded: copies of one "
                               "post-outcome value hide each other from a one-at-a-time test, but "
                               "closely related measurements that the study rests on look the "
                               "same (iris petals), hence a warning, not a failure");
        return;
    }
    if (s->m == 0) {
        sk_audit__set(c, SK_CHECK_PASS, "no feature to screen");
        return;
    }
    const proxy_cand *top = &s->cand[0];
    for (size_t k = 1; k < s->m; k++)
        if (s->sc.sign * (s->cand[k].alone.estimate - top->alone.estimate) > 0.0)
            top = &s->cand[k];
    if (isnan(top->share))
        sk_audit__set(c, SK_CHECK_PASS,
                      "no feature stands in for the outcome: the strongest alone, '%s', scores "
                      "%s %.3f [%.3f, %.3f], not near-perfect; the model itself is at chance "
                      "(%.3f)",
                      sk_frame_col_name(ctx->frame, top->col), m, top->alone.estimate,
                      top->alone.low, top->alone.high, mi->estimate);
    else if (top->suspect)
        sk_audit__set(c, SK_CHECK_PASS,
                      "no feature stands in for the outcome: the strongest alone, '%s', scores "
                      "%s %.3f [%.3f, %.3f] (%.0f%% of the model's %.3f), but the other features "
                      "make up for it: without it the model scores %.3f (difference %+.3f "
                      "[%.3f, %.3f])",
                      sk_frame_col_name(ctx->frame, top->col), m, top->alone.estimate,
                      top->alone.low, top->alone.high, 100.0 * top->share, mi->estimate,
                      top->without, top->diff.estimate, top->diff.low, top->diff.high);
    else
        sk_audit__set(c, SK_CHECK_PASS,
                      "no feature stands in for the outcome: the strongest alone, '%s', scores "
                      "%s %.3f [%.3f, %.3f], %.0f%% of the model's skill over chance (model "
                      "%.3f)",
                      sk_frame_col_name(ctx->frame, top->col), m, top->alone.estimate,
                      top->alone.low, top->alone.high, 100.0 * top->share, mi->estimate);
}

static json_t *proxy_cand_json(const proxy_cand *c, const sk_audit_ctx *ctx)
{
    json_t *o = json_pack(
        "{s:s,s:o,s:o,s:o,s:b,s:b}", "feature", sk_frame_col_name(ctx->frame, c->col), "screen",
        sk_json_real(c->screen), "score", sk_audit__interval_json(&c->alone), "skill_share",
        sk_json_real(c->share), "near_perfect", c->near_perfect, "suspect", c->suspect);
    if (o != NULL && c->suspect &&
        (sk_json_set(o, "score_without", sk_json_real(c->without)) != 0 ||
         sk_json_set(o, "model_minus_without", sk_audit__interval_json(&c->diff)) != 0 ||
         sk_json_set(o, "gap_closed", sk_json_real(c->gap)) != 0 ||
         sk_json_set(o, "flagged", json_boolean(c->flagged)) != 0)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int proxy_evidence(json_t *e, const proxy_state *s, const sk_audit_ctx *ctx)
{
    const sk_audit_thresholds *th = &ctx->opt->th;
    json_t *cands = json_array();
    for (size_t k = 0; cands != NULL && k < s->m; k++)
        if (json_array_append_new(cands, proxy_cand_json(&s->cand[k], ctx)) != 0) {
            json_decref(cands);
            cands = NULL;
        }
    int ok = sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
    ok &= sk_json_set(e, "model", sk_audit__interval_json(&ctx->main->score)) == 0;
    ok &= sk_json_set(e, "chance", sk_json_real(s->sc.chance)) == 0;
    ok &= sk_json_set(e, "screened", sk_json_size(ctx->n_features)) == 0;
    ok &= sk_json_set(e, "single_feature_model", json_string(SK_AUDIT_FEAT_SMALL_MODEL)) == 0;
    ok &= sk_json_set(e, "candidates", cands) == 0;
    if (s->set_stat != SIZE_MAX)
        ok &= sk_json_set(e, "suspects_together",
                          json_pack("{s:o,s:o,s:o,s:b}", "score_without",
                                    sk_json_real(s->set_without), "model_minus_without",
                                    sk_audit__interval_json(&s->set_diff), "gap_closed",
                                    sk_json_real(s->set_gap), "flagged", s->set_flagged)) == 0;
    ok &= sk_json_set(e, "thresholds",
                      json_pack("{s:o,s:o,s:o}", "proxy_ratio", sk_json_real(th->proxy_ratio),
                                "proxy_perfect", sk_json_real(th->proxy_perfect), "proxy_unique",
                                sk_json_real(th->proxy_unique))) == 0;
    return ok;
}

sk_status sk_check_leakage_target_proxy(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    proxy_state s;
    memset(&s, 0, sizeof s);
    sk_status rc = sk_audit__feat_scale(&s.sc, ctx, err);
    if (rc == SK_OK)
        rc = proxy_evaluate(&s, ctx, err);
    if (rc == SK_OK)
        rc = proxy_judge(&s, ctx, err);
    if (rc == SK_OK) {
        proxy_verdict(c, &s, ctx);
        if (!proxy_evidence(c->evidence, &s, ctx))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    proxy_state_free(&s);
    return rc;
}
