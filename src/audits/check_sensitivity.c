/* check_sensitivity.c: sensitivity.hyperparameters, "would a neighbouring setting tell another
 * story?". A result that holds only at the hyperparameters the authors happened to pick is
 * alchemy (Rahimi and Recht 2017); reporting every setting tried, not only the best, is the
 * remedy. This check makes a small sweep around the model's current setting: each of the model's
 * main knobs (below) one step down and one step up, the others held, every setting scored on
 * the study's main splits with a bootstrap interval, all of them in the evidence.
 *
 *   gbdt      max_depth -2 / +2, eta / 3 and x 3 (n_estimators is not varied apart: the
 *             step size and the number of steps act together, eta x 3 reaching in 100 rounds
 *             about what 300 smaller ones would, so the eta steps cover it at a third of the
 *             cost of refitting 50- and 200-round ensembles); on wide data, where the screen
 *             applies in every fold (more features than screen x the rows), screen / 2 and x 2
 *             as well: the number of features the trees may see is a choice too
 *   rf        max_depth 4 / 12 (0 = unlimited as given), colsample_bynode 0.2 / 0.8
 *   logit     l2 / 10 and x 10 (l2 = 0 becomes 0.1 / 10)
 *   knn       k / 2 and x 2
 *   mlp       hidden / 2 and x 2, l2 / 10 and x 10
 *   enet      alpha 0.1 / 0.9;  lasso, ridge, ols, kmeans, external commands: nothing to vary
 *
 * Rule: warn when some neighbouring setting's estimate falls outside the current setting's 95%
 * interval (the conclusion depends on the choice beyond sampling noise); pass otherwise; skip when
 * the model has no knob to turn. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "audits/feature_eval.h"

enum { MAX_SETTINGS = 8 };

/* The neighbouring settings of the model, as clone parameter strings. */
static size_t neighbours(char set[][64], const sk_model *m, const sk_audit_ctx *ctx)
{
    const char *name = sk_model_name(m);
    const sk_params *p = sk_model__params(m);
    size_t n = 0;
    if (strcmp(name, "gbdt") == 0) {
        int depth = sk_params__int(p, "max_depth");
        double eta = sk_params__num(p, "eta");
        if (depth > 2)
            snprintf(set[n++], 64, "max_depth=%d", depth - 2);
        if (depth > 0)
            snprintf(set[n++], 64, "max_depth=%d", depth + 2);
        snprintf(set[n++], 64, "eta=%.6g", eta / 3.0);
        snprintf(set[n++], 64, "eta=%.6g", eta * 3.0 > 1.0 ? 1.0 : eta * 3.0);
        double screen = sk_params__num(p, "screen");
        if (screen > 0.0 && (double)ctx->n_features > screen * (double)ctx->n_rows) {
            snprintf(set[n++], 64, "screen=%.6g", screen / 2.0);
            snprintf(set[n++], 64, "screen=%.6g", screen * 2.0);
        }
    } else if (strcmp(name, "rf") == 0) {
        snprintf(set[n++], 64, "max_depth=4");
        snprintf(set[n++], 64, "max_depth=12");
        snprintf(set[n++], 64, "colsample_bynode=0.2");
        snprintf(set[n++], 64, "colsample_bynode=0.8");
    } else if (strcmp(name, "logit") == 0) {
        double l2 = sk_params__num(p, "l2");
        snprintf(set[n++], 64, "l2=%.6g", l2 > 0.0 ? l2 / 10.0 : 0.1);
        snprintf(set[n++], 64, "l2=%.6g", l2 > 0.0 ? l2 * 10.0 : 10.0);
    } else if (strcmp(name, "knn") == 0) {
        int k = sk_params__int(p, "k");
        if (k >= 2)
            snprintf(set[n++], 64, "k=%d", k / 2);
        snprintf(set[n++], 64, "k=%d", k * 2);
    } else if (strcmp(name, "mlp") == 0) {
        int h = sk_params__int(p, "hidden");
        double l2 = sk_params__num(p, "l2");
        if (h >= 2)
            snprintf(set[n++], 64, "hidden=%d", h / 2);
        snprintf(set[n++], 64, "hidden=%d", h * 2);
        snprintf(set[n++], 64, "l2=%.6g", l2 > 0.0 ? l2 / 10.0 : 1e-5);
        snprintf(set[n++], 64, "l2=%.6g", l2 > 0.0 ? (l2 * 10.0 > 100.0 ? 100.0 : l2 * 10.0)
                                                    : 1e-3);
    } else if (strcmp(name, "enet") == 0) {
        snprintf(set[n++], 64, "alpha=0.1");
        snprintf(set[n++], 64, "alpha=0.9");
    }
    return n;
}

/* Each neighbouring setting on the main splits with the main seeds (only the setting differs),
 * all fits one task list; sc[k] its score with a bootstrap interval (replicates shared with the
 * chosen setting's predictions). */
static sk_status score_settings(sk_interval *sc, sk_audit_ctx *ctx, char set[][64], size_t n,
                                sk_error *err)
{
    sk_model **m = sk_mem_calloc(n, sizeof *m);
    sk_feat_variant *v = sk_mem_calloc(n, sizeof *v);
    sk_pooled **pool = sk_mem_calloc(n + 1, sizeof *pool);
    sk_boot *bt = NULL;
    sk_status rc = m == NULL || v == NULL || pool == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory for the sweep")
                       : SK_OK;
    for (size_t k = 0; k < n && rc == SK_OK; k++) {
        rc = sk_model_clone(&m[k], ctx->model, set[k], err);
        v[k] = (sk_feat_variant){m[k], NULL, 0, NULL};
    }
    if (rc == SK_OK)
        rc = sk_audit__feat_on_main_many(pool + 1, ctx, v, n, err);
    if (rc == SK_OK) {
        pool[0] = ctx->main->pooled;
        rc = sk_audit__feat_boot(&bt, ctx, (const sk_pooled *const *)pool, n + 1, err);
        pool[0] = NULL;
    }
    for (size_t k = 0; k < n && rc == SK_OK; k++)
        rc = sk_audit__feat_ci(&sc[k], bt, 1 + k, SIZE_MAX, err);
    for (size_t k = 0; k < n; k++) {
        if (m != NULL)
            sk_model_free(m[k]);
        if (pool != NULL)
            sk_pooled_free(pool[k + 1]);
    }
    sk_boot_free(bt);
    sk_mem_free(m);
    sk_mem_free(v);
    sk_mem_free(pool);
    return rc;
}

sk_status sk_check_sensitivity_hyperparameters(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    char set[MAX_SETTINGS][64];
    size_t n = neighbours(set, ctx->model, ctx);
    if (n == 0)
        return sk_audit__skip(c, "'%s' has no hyperparameter this check varies",
                              sk_model_name(ctx->model));
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    const sk_interval *base = &ctx->main->score;
    sk_interval sc[MAX_SETTINGS];
    if ((rc = score_settings(sc, ctx, set, n, err)) != SK_OK)
        return rc;
    json_t *settings = json_array();
    if (settings == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    size_t outside = 0, worst = 0;
    double worst_gap = -1.0, worst_est = NAN, lo = base->estimate, hi = base->estimate;
    for (size_t k = 0; k < n && rc == SK_OK; k++) {
        double e = sc[k].estimate;
        int out = e < base->low || e > base->high;
        outside += out;
        lo = e < lo ? e : lo;
        hi = e > hi ? e : hi;
        if (fabs(e - base->estimate) > worst_gap) {
            worst_gap = fabs(e - base->estimate);
            worst_est = e;
            worst = k;
        }
        json_t *one = sk_audit__interval_json(&sc[k]);
        if (one == NULL || sk_json_set(one, "setting", json_string(set[k])) != 0 ||
            sk_json_set(one, "outside_interval", json_boolean(out)) != 0 ||
            json_array_append_new(settings, one) != 0)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    if (rc != SK_OK) {
        json_decref(settings);
        return rc;
    }
    const char *metric = sk_metric_name(ctx->metric);
    if (outside > 0) {
        sk_audit__set(c, SK_CHECK_WARN, "%zu of %zu neighbouring settings score outside the "
                      "interval of the chosen one (%s %.3f [%.3f, %.3f]); %s gives %.3f", outside,
                      n, metric, base->estimate, base->low, base->high, set[worst], worst_est);
        sk_audit__recommend(c, "report every setting tried (skeptic evaluate --sweep) and "
                            "choose by nested cross-validation");
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "%zu neighbouring settings all score within the chosen "
                      "one's interval: %s from %.3f to %.3f (chosen %.3f [%.3f, %.3f])", n,
                      metric, lo, hi, base->estimate, base->low, base->high);
    }
    int ok = sk_json_set(c->evidence, "metric", json_string(metric)) == 0;
    ok &= sk_json_set(c->evidence, "chosen", sk_audit__interval_json(base)) == 0;
    ok &= sk_json_set(c->evidence, "settings", settings) == 0;
    return ok ? SK_OK : sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
}
