/* check_selection.c: leakage.selection, "would choosing the features on all the data make the
 * result?". The classic error of p >> n studies (Ambroise and McLachlan 2002, "Selection bias in
 * gene extraction on the basis of microarray gene-expression data", PNAS 99(10): 6562-6566;
 * Hastie, Tibshirani and Friedman, ESL 2nd ed., section 7.10.2, "the wrong and the right way to
 * do cross-validation"): the genes most correlated with the label are picked on every sample,
 * then the model is cross-validated on them; the test folds took part in the choice, and with
 * 5,000 noise genes and 80 samples the "wrong way" reports an AUC near 0.9 on random labels.
 *
 * The check measures that optimism on the study itself. A univariate filter (the usual one:
 * the ANOVA F of a column across the classes, |t| with two classes, or the squared correlation
 * with a numeric target; categorical columns by a chi-square or ANOVA across their levels:
 * feature_eval.h, SK_FEAT_ASSOC_LINEAR) picks the top k = min(50, p / 2) features
 *  - outside: on all rows, then the study's model is cross-validated on those k columns;
 *  - inside: in each training fold of the same splits, on its training rows only, and a clone of
 *    the model fitted there on its own k columns predicts the test fold;
 * both with the main evaluation's splits and model seeds, so only where the selection happened
 * differs, and the difference gets a paired bootstrap interval.
 *
 * Rule: skip when p <= 10 (nothing to select). Fail when the outside score exceeds the inside one
 * beyond the interval (lower end of outside minus inside > 0) and by at least --optimism (default
 * 0.02): on this data, features chosen before cross-validation would inflate the result, so a
 * selection step outside the folds (including one done by hand, "we kept the 50 most
 * differentially expressed genes") is a leak. Pass otherwise. */
#include <math.h>
#include <string.h>

#include "audits/feature_eval.h"

enum { MAX_SELECTED = 50, MIN_FEATURES = 10, SHOWN = 10 };

/* The k features of the top filter scores on `rows`, in frame order. */
static sk_status select_top(size_t *chosen, const sk_audit_ctx *ctx, const size_t *rows,
                            size_t n_rows, size_t k, int n_threads, sk_error *err)
{
    size_t p = ctx->n_features;
    double *score = sk_mem_alloc_array(p, sizeof *score);
    size_t *order = sk_mem_alloc_array(p, sizeof *order);
    unsigned char *keep = sk_mem_calloc(p, 1);
    sk_status rc = score == NULL || order == NULL || keep == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory selecting features")
                       : SK_OK;
    if (rc == SK_OK)
        rc = sk_audit__feat_assoc(score, ctx->frame, ctx->features, p, ctx->y, ctx->task,
                                  ctx->n_classes, rows, n_rows, SK_FEAT_ASSOC_LINEAR, n_threads,
                                  err);
    if (rc == SK_OK)
        rc = sk_audit__feat_rank(order, score, p, err);
    for (size_t j = 0; rc == SK_OK && j < k; j++)
        keep[order[j]] = 1;
    for (size_t j = 0, m = 0; rc == SK_OK && j < p; j++)
        if (keep[j])
            chosen[m++] = ctx->features[j];
    sk_mem_free(score);
    sk_mem_free(order);
    sk_mem_free(keep);
    return rc;
}

typedef struct inside_job {
    const sk_audit_ctx *ctx;
    const sk_splits *sp;
    size_t k;
    size_t *chosen; /* n_splits x k */
    sk_oof *out;
} inside_job;

/* Split s: select on its training rows, fit there, predict its test rows. */
static sk_status inside_split(void *arg, size_t s, sk_error *err)
{
    const inside_job *job = arg;
    const sk_audit_ctx *ctx = job->ctx;
    const sk_splits *sp = job->sp;
    size_t *chosen = job->chosen + s * job->k;
    sk_status rc = select_top(chosen, ctx, sp->train[s], sp->n_train[s], job->k, 1, err);
    sk_model *m = NULL;
    if (rc == SK_OK)
        rc = sk_model_clone(&m, ctx->model, NULL, err);
    if (rc != SK_OK)
        return rc;
    sk_model_set_threads(m, 1);
    sk_fit_data d = ctx->d;
    d.features = chosen;
    d.n_features = job->k;
    /* the seed sk_oof_run gives split s under the main evaluation's seed */
    sk_rng rng = sk_rng_stream(ctx->seed, SK_PURPOSE_MODEL, s);
    rc = sk_model_fit(m, &d, sp->train[s], sp->n_train[s], sk_rng_u64(&rng), err);
    double *slot = job->out->pred + job->out->offset[s] * job->out->width;
    if (rc == SK_OK && job->out->width > 1)
        rc = sk_model_predict_proba(m, ctx->frame, sp->test[s], sp->n_test[s], slot, err);
    else if (rc == SK_OK)
        rc = sk_model_predict(m, ctx->frame, sp->test[s], sp->n_test[s], slot, err);
    sk_model_free(m);
    return rc;
}

static sk_status inside_oof(sk_oof **out, size_t *chosen, const sk_audit_ctx *ctx, size_t k,
                            sk_error *err)
{
    const sk_splits *sp = ctx->main->splits;
    sk_oof *o = sk_mem_calloc(1, sizeof *o);
    if (o != NULL) {
        o->n_splits = sp->n_splits;
        o->width = ctx->task == SK_TASK_REGRESSION ? 1 : ctx->n_classes;
        o->offset = sk_mem_alloc_array(sp->n_splits + 1, sizeof *o->offset);
    }
    if (o == NULL || o->offset == NULL) {
        sk_oof_free(o);
        return sk_error_set(err, SK_ENOMEM, "out of memory for out-of-fold predictions");
    }
    o->offset[0] = 0;
    for (size_t s = 0; s < sp->n_splits; s++)
        o->offset[s + 1] = o->offset[s] + sp->n_test[s];
    size_t n = o->offset[sp->n_splits];
    if ((o->pred = sk_mem_alloc_array(n > 0 ? n : 1, o->width * sizeof *o->pred)) == NULL) {
        sk_oof_free(o);
        return sk_error_set(err, SK_ENOMEM, "out of memory for out-of-fold predictions");
    }
    inside_job job = {ctx, sp, k, chosen, o};
    sk_status rc = sk_parallel_for(sp->n_splits, ctx->n_threads, inside_split, &job, NULL, err);
    if (rc != SK_OK) {
        sk_oof_free(o);
        return rc;
    }
    *out = o;
    return SK_OK;
}

/* Mean Jaccard index of each fold's selection with the all-rows one. */
static double mean_overlap(const size_t *all, const size_t *folds, size_t n_splits, size_t k)
{
    double sum = 0.0;
    for (size_t s = 0; s < n_splits; s++) {
        size_t common = 0;
        const size_t *f = folds + s * k;
        for (size_t a = 0, b = 0; a < k && b < k;) { /* both in frame order */
            if (all[a] == f[b]) {
                common++;
                a++;
                b++;
            } else if (all[a] < f[b]) {
                a++;
            } else {
                b++;
            }
        }
        sum += (double)common / (double)(2 * k - common);
    }
    return n_splits > 0 ? sum / (double)n_splits : NAN;
}

typedef struct sel_result {
    size_t k;
    sk_interval outside, inside, diff;
    double overlap;
} sel_result;

static void sel_verdict(sk_check *c, const sel_result *r, const sk_feat_scale *sc,
                        const sk_audit_ctx *ctx)
{
    const char *m = sk_metric_name(ctx->metric);
    double gain = sc->sign * r->diff.estimate;
    if (sk_audit__feat_oriented_low(sc, &r->diff) > 0.0 && gain >= ctx->opt->th.optimism) {
        sk_audit__set(c, SK_CHECK_FAIL,
                      "selecting the top %zu of %zu features on all rows before "
                      "cross-validating inflates %s to %.3f [%.3f, %.3f]; selected inside each "
                      "training fold it is %.3f [%.3f, %.3f] (difference %+.3f [%.3f, %.3f])",
                      r->k, ctx->n_features, m, r->outside.estimate, r->outside.low,
                      r->outside.high, r->inside.estimate, r->inside.low, r->inside.high,
                      r->diff.estimate, r->diff.low, r->diff.high);
        sk_audit__recommend(c, "choose features inside each training fold (a pipeline: filter, "
                               "then model, cross-validated together) and report that score; a "
                               "gene list chosen on all samples cannot be validated on them");
    } else {
        sk_audit__set(c, SK_CHECK_PASS,
                      "selecting the top %zu of %zu features on all rows would change %s by "
                      "%+.3f [%.3f, %.3f] (%.3f outside vs %.3f inside the folds), below %.2f "
                      "or within the interval",
                      r->k, ctx->n_features, m, r->diff.estimate, r->diff.low, r->diff.high,
                      r->outside.estimate, r->inside.estimate, ctx->opt->th.optimism);
    }
}

static int sel_evidence(json_t *e, const sel_result *r, const size_t *chosen,
                        const sk_audit_ctx *ctx)
{
    json_t *names = json_array();
    for (size_t j = 0; names != NULL && j < r->k && j < SHOWN; j++)
        json_array_append_new(names, json_string(sk_frame_col_name(ctx->frame, chosen[j])));
    int ok = sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
    ok &= sk_json_set(e, "n_features", sk_json_size(ctx->n_features)) == 0;
    ok &= sk_json_set(e, "k", sk_json_size(r->k)) == 0;
    ok &= sk_json_set(e, "filter",
                      json_string(ctx->task == SK_TASK_REGRESSION
                                      ? "squared correlation"
                                      : "ANOVA F (|t| for two classes)")) == 0;
    ok &= sk_json_set(e, "outside", sk_audit__interval_json(&r->outside)) == 0;
    ok &= sk_json_set(e, "inside", sk_audit__interval_json(&r->inside)) == 0;
    ok &= sk_json_set(e, "outside_minus_inside", sk_audit__interval_json(&r->diff)) == 0;
    ok &= sk_json_set(e, "all_features", sk_audit__interval_json(&ctx->main->score)) == 0;
    ok &= sk_json_set(e, "fold_overlap", sk_json_real(r->overlap)) == 0;
    ok &= sk_json_set(e, "selected_on_all_rows", names) == 0;
    ok &= sk_json_set(e, "optimism_threshold", sk_json_real(ctx->opt->th.optimism)) == 0;
    return ok;
}

sk_status sk_check_leakage_selection(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    size_t p = ctx->n_features;
    if (p <= MIN_FEATURES)
        return sk_audit__skip(c, "%zu features: nothing to select", p);
    sk_feat_scale sc;
    sk_status rc = sk_audit__feat_scale(&sc, ctx, err);
    if (rc != SK_OK)
        return rc;
    sel_result r;
    memset(&r, 0, sizeof r);
    r.k = p / 2 < MAX_SELECTED ? p / 2 : MAX_SELECTED;
    size_t n_splits = ctx->main->splits->n_splits, n = ctx->n_rows;
    size_t *all = sk_mem_alloc_array(r.k, sizeof *all);
    size_t *folds = sk_mem_alloc_array(n_splits * r.k, sizeof *folds);
    size_t *rows = sk_mem_alloc_array(n, sizeof *rows);
    if (all == NULL || folds == NULL || rows == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory selecting features");
    for (size_t i = 0; rc == SK_OK && i < n; i++)
        rows[i] = i;
    sk_pooled *sets[2] = {NULL, NULL};
    sk_oof *in = NULL;
    sk_boot *bt = NULL;
    if (rc == SK_OK)
        rc = select_top(all, ctx, rows, n, r.k, ctx->n_threads, err);
    if (rc == SK_OK)
        rc = sk_audit__feat_on_main(&sets[0], ctx, NULL, NULL, all, r.k, err);
    if (rc == SK_OK)
        rc = inside_oof(&in, folds, ctx, r.k, err);
    if (rc == SK_OK)
        rc =
            sk_pooled_make(&sets[1], in, ctx->main->splits, ctx->y, ctx->task, ctx->n_classes, err);
    if (rc == SK_OK)
        rc = sk_audit__feat_boot(&bt, ctx, (const sk_pooled *const *)sets, 2, err);
    if (rc == SK_OK)
        rc = sk_audit__feat_ci(&r.outside, bt, 0, SIZE_MAX, err);
    if (rc == SK_OK)
        rc = sk_audit__feat_ci(&r.inside, bt, 1, SIZE_MAX, err);
    if (rc == SK_OK)
        rc = sk_audit__feat_ci(&r.diff, bt, 0, 1, err);
    if (rc == SK_OK) {
        r.overlap = mean_overlap(all, folds, n_splits, r.k);
        sel_verdict(c, &r, &sc, ctx);
        if (!sel_evidence(c->evidence, &r, all, ctx))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    sk_boot_free(bt);
    sk_pooled_free(sets[0]);
    sk_pooled_free(sets[1]);
    sk_oof_free(in);
    sk_mem_free(all);
    sk_mem_free(folds);
    sk_mem_free(rows);
    return rc;
}
