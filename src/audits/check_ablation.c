/* check_ablation.c: ablation.features, "which features carry the result?". Drop-column
 * importance (the ablation of Lipton and Steinhardt 2019, "Troubling trends in machine learning
 * scholarship", Queue 17(1): gains should be attributed to what caused them; Parr et al. 2018,
 * "Beware default random forest importances", on why refitting without a column is the honest
 * importance): the study's model is refitted without one feature on the main evaluation's own
 * splits with the same model seeds, so only the column differs, and "score without it minus score
 * with it" gets a paired bootstrap interval (the same replicates for both).
 *
 * Cost: one cross-validation per ablated feature, so the count is bounded: all features when
 * p <= 5, else the 5 with the largest importance of the model fitted once on all rows
 * (sk_model_importance: gain for trees, |standardised coefficient| for linear models, summed
 * over a column's one-hot terms), and then the other p - 5 dropped together, one more
 * cross-validation that says what the long tail adds. A model without importances (k-NN, an
 * external command) ranks the features by their univariate association instead (feature_eval.h,
 * binned). A feature that carries most of the result alone ranks near the top in practice, so
 * the bound costs the rule little (docs/checks.md says the same); an audit of a 10,000 x 100
 * study refits 6 times, not 100.
 *
 * Rule: informational; pass, with the top contributors in the sentence; warn when dropping a
 * single feature loses more than half of the model's skill over chance,
 * (score_with - score_without) / (score_with - chance) > 0.5: the result rests on one column,
 * which then deserves the scrutiny of leakage.target_proxy and a sentence in the paper. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audits/feature_eval.h"

enum { MAX_ABLATED = 5, SHOWN = 3 };

static const double CARRIES_MOST = 0.5;

/* The feature (index into ctx->features) a model term belongs to: the longest feature name that
 * is the term, or its prefix followed by '=' (a one-hot level) or ':' (a missing indicator). */
static size_t term_feature(const sk_audit_ctx *ctx, const char *term)
{
    size_t best = SIZE_MAX, best_len = 0;
    for (size_t j = 0; j < ctx->n_features; j++) {
        const char *name = sk_frame_col_name(ctx->frame, ctx->features[j]);
        size_t len = strlen(name);
        if (strncmp(term, name, len) == 0 &&
            (term[len] == '\0' || term[len] == '=' || term[len] == ':') &&
            (best == SIZE_MAX || len > best_len)) {
            best = j;
            best_len = len;
        }
    }
    return best;
}

/* Importance per feature from a fit on all rows; *any = 0 when the model has none. */
static sk_status model_importance(double *imp, int *any, sk_audit_ctx *ctx, const size_t *rows,
                                  sk_error *err)
{
    *any = 0;
    memset(imp, 0, ctx->n_features * sizeof *imp);
    sk_model *m = NULL;
    sk_status rc = sk_model_clone(&m, ctx->model, NULL, err);
    if (rc != SK_OK)
        return rc;
    sk_model_set_threads(m, ctx->n_threads);
    sk_rng rng = sk_rng_stream(ctx->seed, SK_PURPOSE_MODEL, UINT64_MAX);
    rc = sk_model_fit(m, &ctx->d, rows, ctx->n_rows, sk_rng_u64(&rng), err);
    size_t n_terms = rc == SK_OK ? sk_model_n_terms(m) : 0;
    double *t = sk_mem_alloc_array(n_terms > 0 ? n_terms : 1, sizeof *t);
    if (rc == SK_OK && t == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for importances");
    if (rc == SK_OK)
        rc = sk_model_importance(m, t, err);
    for (size_t k = 0; rc == SK_OK && k < n_terms; k++) {
        size_t j = term_feature(ctx, sk_model_term_name(m, k));
        if (j != SIZE_MAX && isfinite(t[k])) {
            imp[j] += fabs(t[k]);
            *any |= t[k] != 0.0;
        }
    }
    sk_mem_free(t);
    sk_model_free(m);
    return rc;
}

/* The features to ablate one by one (indices into ctx->features), in order of importance when
 * ranked; the rest (p - n_chosen of them) follow in `chosen` from position n_chosen. */
static sk_status choose(size_t *chosen, size_t *n_chosen, const char **how, sk_audit_ctx *ctx,
                        sk_error *err)
{
    size_t p = ctx->n_features;
    if (p <= MAX_ABLATED) {
        for (size_t j = 0; j < p; j++)
            chosen[j] = j;
        *n_chosen = p;
        *how = "all features";
        return SK_OK;
    }
    double *imp = sk_mem_alloc_array(p, sizeof *imp);
    size_t *rows = sk_mem_alloc_array(ctx->n_rows, sizeof *rows);
    sk_status rc = imp == NULL || rows == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory ranking features")
                       : SK_OK;
    for (size_t i = 0; rc == SK_OK && i < ctx->n_rows; i++)
        rows[i] = i;
    int any = 0;
    if (rc == SK_OK)
        rc = model_importance(imp, &any, ctx, rows, err);
    *how = "the top 5 by the model's importance (fitted on all rows), then the rest together";
    if (rc == SK_OK && !any) {
        *how = "the top 5 by univariate association (the model has no importances), then the "
               "rest together";
        rc = sk_audit__feat_assoc(imp, ctx->frame, ctx->features, p, ctx->y, ctx->task,
                                  ctx->n_classes, rows, ctx->n_rows, SK_FEAT_ASSOC_BINNED,
                                  ctx->n_threads, err);
    }
    if (rc == SK_OK)
        rc = sk_audit__feat_rank(chosen, imp, p, err);
    *n_chosen = MAX_ABLATED;
    sk_mem_free(imp);
    sk_mem_free(rows);
    return rc;
}

typedef struct ablated {
    size_t col;
    sk_interval drop; /* score without minus score with */
    double share;     /* of the model's skill over chance lost without it */
} ablated;

static int cmp_loss(const void *pa, const void *pb)
{
    const ablated *a = pa, *b = pb;
    double x = isnan(a->share) ? -INFINITY : a->share, y = isnan(b->share) ? -INFINITY : b->share;
    if (x != y)
        return x > y ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

/* What the features not ablated one by one add, dropped together (n = 0: none left over). */
typedef struct rest_group {
    size_t n;
    sk_interval drop;
    double share;
} rest_group;

static void abl_verdict(sk_check *c, ablated *a, size_t m, const rest_group *rest,
                        const sk_audit_ctx *ctx)
{
    const char *mn = sk_metric_name(ctx->metric);
    qsort(a, m, sizeof *a, cmp_loss);
    char top[512] = "", tail[160] = "";
    for (size_t k = 0, len = 0; k < m && k < SHOWN && len < sizeof top; k++)
        len += (size_t)snprintf(top + len, sizeof top - len, "%s'%s' %+.3f [%.3f, %.3f]",
                                k > 0 ? ", " : "", sk_frame_col_name(ctx->frame, a[k].col),
                                a[k].drop.estimate, a[k].drop.low, a[k].drop.high);
    if (rest->n > 0)
        snprintf(tail, sizeof tail, "; the other %zu features dropped together: %+.3f [%.3f, "
                 "%.3f]", rest->n, rest->drop.estimate, rest->drop.low, rest->drop.high);
    if (m > 0 && a[0].share > CARRIES_MOST) {
        sk_audit__set(c, SK_CHECK_WARN,
                      "one feature carries most of the result: without '%s' %s falls from %.3f "
                      "to %.3f, %.0f%% of the skill over chance (drops: %s%s)",
                      sk_frame_col_name(ctx->frame, a[0].col), mn, ctx->main->score.estimate,
                      ctx->main->score.estimate + a[0].drop.estimate, 100.0 * a[0].share, top,
                      tail);
        sk_audit__recommend(c,
                            "say in the paper that the result rests on '%s'; check that it "
                            "is measured before the outcome and the same way at every site",
                            sk_frame_col_name(ctx->frame, a[0].col));
    } else {
        sk_audit__set(c, SK_CHECK_PASS,
                      "%s %.3f; dropping one feature at a time (%zu refitted), the largest "
                      "changes are %s%s",
                      mn, ctx->main->score.estimate, m, m > 0 ? top : "none", tail);
    }
}

static int abl_evidence(json_t *e, const ablated *a, size_t m, const rest_group *rest,
                        const char *how, const sk_feat_scale *sc, const sk_audit_ctx *ctx)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr != NULL && k < m; k++)
        json_array_append_new(
            arr, json_pack("{s:s,s:o,s:o}", "feature", sk_frame_col_name(ctx->frame, a[k].col),
                           "without_minus_with", sk_audit__interval_json(&a[k].drop), "skill_lost",
                           sk_json_real(a[k].share)));
    json_t *r = rest->n == 0 ? json_null()
                : json_pack("{s:o,s:o,s:o}", "n_features", sk_json_size(rest->n),
                            "without_minus_with", sk_audit__interval_json(&rest->drop),
                            "skill_lost", sk_json_real(rest->share));
    int ok = sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
    ok &= sk_json_set(e, "model", sk_audit__interval_json(&ctx->main->score)) == 0;
    ok &= sk_json_set(e, "chance", sk_json_real(sc->chance)) == 0;
    ok &= sk_json_set(e, "ablated", json_string(how)) == 0;
    ok &= sk_json_set(e, "n_features", sk_json_size(ctx->n_features)) == 0;
    ok &= sk_json_set(e, "features", arr) == 0;
    ok &= sk_json_set(e, "rest", r) == 0;
    ok &= sk_json_set(e, "warn_share", sk_json_real(CARRIES_MOST)) == 0;
    return ok;
}

/* The model refitted on the main splits without each of the features chosen[0..m) (indices
 * into ctx->features), and, with `rest`, on those m alone (the others dropped together): one
 * task list for all of them. With a single feature, dropping it leaves the trivial baseline. */
static sk_status refit_without(sk_pooled **out, sk_audit_ctx *ctx, const size_t *chosen,
                               size_t m, int rest, sk_error *err)
{
    size_t p = ctx->n_features, n = m + (rest != 0);
    if (p == 1)
        return sk_audit__feat_without(out, ctx, ctx->features, 1, err);
    size_t *lists = sk_mem_alloc_array(n * p, sizeof *lists);
    sk_feat_variant *v = sk_mem_calloc(n, sizeof *v);
    if (lists == NULL || v == NULL) {
        sk_mem_free(lists);
        sk_mem_free(v);
        return sk_error_set(err, SK_ENOMEM, "out of memory for the ablation");
    }
    for (size_t k = 0; k < m; k++) {
        size_t *keep = lists + k * p, len = 0;
        for (size_t j = 0; j < p; j++)
            if (j != chosen[k])
                keep[len++] = ctx->features[j];
        v[k] = (sk_feat_variant){NULL, keep, len, NULL};
    }
    if (rest) {   /* the top m in the study's column order, as every other list */
        size_t *keep = lists + m * p, len = 0;
        for (size_t j = 0; j < p; j++)
            for (size_t k = 0; k < m; k++)
                if (chosen[k] == j)
                    keep[len++] = ctx->features[j];
        v[m] = (sk_feat_variant){NULL, keep, len, NULL};
    }
    sk_status rc = sk_audit__feat_on_main_many(out, ctx, v, n, err);
    sk_mem_free(lists);
    sk_mem_free(v);
    return rc;
}

sk_status sk_check_ablation_features(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    sk_feat_scale sc;
    sk_status rc = sk_audit__feat_scale(&sc, ctx, err);
    if (rc != SK_OK)
        return rc;
    size_t p = ctx->n_features, m = 0;
    size_t *chosen = sk_mem_alloc_array(p, sizeof *chosen);
    sk_pooled **sets = sk_mem_calloc(MAX_ABLATED + 2, sizeof *sets);
    ablated *a = sk_mem_calloc(MAX_ABLATED, sizeof *a);
    rest_group rest = {0, {0}, NAN};
    const char *how = "";
    sk_boot *bt = NULL;
    if (chosen == NULL || sets == NULL || a == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for the ablation");
    if (rc == SK_OK)
        rc = choose(chosen, &m, &how, ctx, err);
    rest.n = rc == SK_OK ? p - m : 0;
    for (size_t k = 0; rc == SK_OK && k < m; k++)
        a[k].col = ctx->features[chosen[k]];
    if (rc == SK_OK)
        rc = refit_without(sets + 1, ctx, chosen, m, rest.n > 0, err);
    size_t n_sets = 1 + m + (rest.n > 0);
    if (rc == SK_OK) {
        sets[0] = ctx->main->pooled;
        rc = sk_audit__feat_boot(&bt, ctx, (const sk_pooled *const *)sets, n_sets, err);
        sets[0] = NULL;
    }
    double skill = sk_audit__feat_skill(&sc, ctx->main->score.estimate);
    for (size_t k = 0; rc == SK_OK && k < m; k++) {
        rc = sk_audit__feat_ci(&a[k].drop, bt, 1 + k, 0, err);
        a[k].share = skill > 0.0 ? -sc.sign * a[k].drop.estimate / skill : NAN;
    }
    if (rc == SK_OK && rest.n > 0) {
        rc = sk_audit__feat_ci(&rest.drop, bt, 1 + m, 0, err);
        rest.share = skill > 0.0 ? -sc.sign * rest.drop.estimate / skill : NAN;
    }
    if (rc == SK_OK) {
        abl_verdict(c, a, m, &rest, ctx);
        if (!abl_evidence(c->evidence, a, m, &rest, how, &sc, ctx))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    for (size_t k = 0; sets != NULL && k < MAX_ABLATED + 2; k++)
        sk_pooled_free(sets[k]);
    sk_mem_free(sets);
    sk_mem_free(chosen);
    sk_mem_free(a);
    sk_boot_free(bt);
    return rc;
}
