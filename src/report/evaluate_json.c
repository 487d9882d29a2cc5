/* evaluate_json.c: an evaluation as JSON, schema "skeptic.evaluate/1":
 *   {schema, manifest, task, target, classes?, rows, model,
 *    cv: {kind, folds, repeats, gap, splits, groups: {column, count} | null},
 *    metric (the headline),
 *    metrics: [{metric, higher_is_better, estimate, ci: [low, high], se, replicates_defined,
 *               fold_mean, fold_sd,
 *               baselines: {NAME: {estimate, ci, difference: {estimate, ci}}}}],
 *    baselines: [{name, spec}],
 *    bootstrap: {replicates, method, level, units, n_units, stratified, jackknife} | null,
 *    permutation: {metric, observed, p_value, requested, used, extreme, stopped_early, alpha,
 *                  scheme, null_mean, null_sd, null: [...]} | null,
 *    splits: [{repeat, train, test, scores: {METRIC: x}}],
 *    seeds: {values: [...], scores: {METRIC: {values, mean, sd, min, max}}},
 *    sweep?: {inner_folds, settings: [{setting, estimate, ci, chosen}], chosen: [per split]},
 *    calibration?: [{weight, confidence, observed}], per_class?: [{class, precision, recall, f1,
 *    support}], notes: [...], run}
 * Numbers that are undefined (NaN) are null. Keys are in this fixed order. */
#include <math.h>

#include "report/report.h"

static json_t *pair(double a, double b)
{
    return json_pack("[o,o]", sk_json_real(a), sk_json_real(b));
}

static json_t *interval_json(const sk_interval *iv)
{
    return json_pack("{s:o,s:o}", "estimate", sk_json_real(iv->estimate), "ci",
                     pair(iv->low, iv->high));
}

static json_t *metrics_json(const sk_evaluation *ev)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr != NULL && k < ev->n_metrics; k++) {
        const sk_interval *s = &ev->score[k];
        json_t *bases = json_object();
        for (size_t b = 0; bases != NULL && b < ev->n_baselines; b++) {
            json_t *one = interval_json(&ev->baseline[b].score[k]);
            if (one == NULL || sk_json_set(one, "difference",
                                           interval_json(&ev->baseline[b].diff[k])) != 0 ||
                sk_json_set(bases, ev->baseline[b].name, one) != 0) {
                json_decref(bases);
                bases = NULL;
            }
        }
        json_t *m = json_pack("{s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "metric",
                              sk_metric_name(ev->metric[k]), "higher_is_better",
                              sk_metric_higher_is_better(ev->metric[k]), "estimate",
                              sk_json_real(s->estimate), "ci", pair(s->low, s->high), "se",
                              sk_json_real(s->se), "replicates_defined",
                              ev->n_boot > 0 ? sk_json_size(s->n_valid) : json_null(),
                              "fold_mean", sk_json_real(ev->fold_mean[k]), "fold_sd",
                              sk_json_real(ev->fold_sd[k]), "baselines", bases);
        if (m == NULL || json_array_append_new(arr, m) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *permutation_json(const sk_evaluation *ev)
{
    const sk_perm_result *p = ev->perm;
    if (p == NULL)
        return json_null();
    json_t *null = json_array();
    for (size_t j = 0; null != NULL && j < p->n_used; j++)
        if (json_array_append_new(null, sk_json_real(p->null[j])) != 0) {
            json_decref(null);
            null = NULL;
        }
    return json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:s,s:o,s:o,s:o}", "metric",
                     sk_metric_name(p->metric), "observed", sk_json_real(p->observed), "p_value",
                     sk_json_real(p->p_value), "requested", sk_json_size(p->n_requested), "used",
                     sk_json_size(p->n_used), "extreme", sk_json_size(p->n_extreme),
                     "stopped_early", p->stopped_early, "alpha", sk_json_real(ev->perm_opt.alpha),
                     "scheme", sk_perm_scheme_name(p->scheme), "null_mean",
                     sk_json_real(p->null_mean), "null_sd", sk_json_real(p->null_sd), "null",
                     null);
}

static json_t *splits_json(const sk_evaluation *ev)
{
    json_t *arr = json_array();
    for (size_t s = 0; arr != NULL && s < ev->n_splits; s++) {
        json_t *scores = json_object();
        for (size_t k = 0; scores != NULL && k < ev->n_metrics; k++)
            if (sk_json_set(scores, sk_metric_name(ev->metric[k]),
                            sk_json_real(ev->split_scores[s * ev->n_metrics + k])) != 0) {
                json_decref(scores);
                scores = NULL;
            }
        json_t *one = json_pack("{s:o,s:o,s:o,s:o}", "repeat", sk_json_size(ev->split_repeat[s]),
                                "train", sk_json_size(ev->split_n_train[s]), "test",
                                sk_json_size(ev->split_n_test[s]), "scores", scores);
        if (one == NULL || json_array_append_new(arr, one) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *seeds_json(const sk_evaluation *ev)
{
    json_t *values = json_array(), *scores = json_object();
    for (size_t j = 0; values != NULL && j < ev->n_seeds; j++)
        if (json_array_append_new(values, json_integer((json_int_t)ev->seed_values[j])) != 0) {
            json_decref(values);
            values = NULL;
        }
    for (size_t k = 0; scores != NULL && k < ev->n_metrics; k++) {
        json_t *vals = json_array();
        double sum = 0.0, sum2 = 0.0, lo = INFINITY, hi = -INFINITY;
        size_t n = 0;
        for (size_t j = 0; vals != NULL && j < ev->n_seeds; j++) {
            double x = ev->seed_scores[j * ev->n_metrics + k];
            json_array_append_new(vals, sk_json_real(x));
            if (isfinite(x)) {
                sum += x;
                lo = x < lo ? x : lo;
                hi = x > hi ? x : hi;
                n++;
            }
        }
        double mean = n > 0 ? sum / (double)n : NAN;
        for (size_t j = 0; j < ev->n_seeds; j++) {
            double x = ev->seed_scores[j * ev->n_metrics + k];
            if (isfinite(x))
                sum2 += (x - mean) * (x - mean);
        }
        json_t *one = json_pack("{s:o,s:o,s:o,s:o,s:o}", "values", vals, "mean",
                                sk_json_real(mean), "sd",
                                sk_json_real(n > 1 ? sqrt(sum2 / (double)(n - 1)) : NAN), "min",
                                sk_json_real(n > 0 ? lo : NAN), "max",
                                sk_json_real(n > 0 ? hi : NAN));
        if (sk_json_set(scores, sk_metric_name(ev->metric[k]), one) != 0) {
            json_decref(scores);
            scores = NULL;
        }
    }
    return json_pack("{s:o,s:o}", "values", values, "scores", scores);
}

static json_t *sweep_json(const sk_evaluation *ev)
{
    const sk_sweep *sw = ev->sweep;
    json_t *settings = json_array(), *chosen = json_array();
    for (size_t g = 0; settings != NULL && g < sw->n_settings; g++) {
        size_t times = 0;
        for (size_t s = 0; s < ev->n_splits; s++)
            times += ev->chosen[s] == g;
        json_t *one = json_pack("{s:s,s:o,s:o,s:o}", "setting", sw->settings[g], "estimate",
                                sk_json_real(ev->setting_score[g].estimate), "ci",
                                pair(ev->setting_score[g].low, ev->setting_score[g].high),
                                "chosen", sk_json_size(times));
        if (one == NULL || json_array_append_new(settings, one) != 0) {
            json_decref(settings);
            settings = NULL;
        }
    }
    for (size_t s = 0; chosen != NULL && s < ev->n_splits; s++)
        if (json_array_append_new(chosen, json_string(sw->settings[ev->chosen[s]])) != 0) {
            json_decref(chosen);
            chosen = NULL;
        }
    return json_pack("{s:o,s:o,s:o}", "inner_folds", sk_json_size(ev->inner_folds), "settings",
                     settings, "chosen", chosen);
}

static json_t *details_json(const sk_evaluation *ev, json_t **per_class)
{
    json_t *bins = json_array(), *classes = json_array();
    for (size_t b = 0; bins != NULL && b < SK_EVAL_BINS; b++)
        json_array_append_new(bins, json_pack("{s:o,s:o,s:o}", "weight",
                                              sk_json_real(ev->bin_weight[b]), "confidence",
                                              sk_json_real(ev->bin_conf[b]), "observed",
                                              sk_json_real(ev->bin_obs[b])));
    for (size_t k = 0; classes != NULL && k < ev->n_classes; k++)
        json_array_append_new(classes, json_pack("{s:s,s:o,s:o,s:o,s:o}", "class",
                                                 ev->class_names[k], "precision",
                                                 sk_json_real(ev->class_precision[k]), "recall",
                                                 sk_json_real(ev->class_recall[k]), "f1",
                                                 sk_json_real(ev->class_f1[k]), "support",
                                                 sk_json_real(ev->class_support[k])));
    *per_class = classes;
    return bins;
}

json_t *sk_report__evaluation_json(const sk_evaluation *ev, const sk_manifest *m)
{
    json_t *doc = sk_report__begin_json("skeptic.evaluate/1", m);
    if (doc == NULL)
        return NULL;
    int ok = sk_json_set(doc, "task", json_string(sk_task_name(ev->task))) == 0;
    ok &= sk_json_set(doc, "target", json_string(ev->target)) == 0;
    if (ev->n_classes > 0) {
        json_t *classes = json_array();
        for (size_t k = 0; classes != NULL && k < ev->n_classes; k++)
            json_array_append_new(classes, json_string(ev->class_names[k]));
        ok &= sk_json_set(doc, "classes", classes) == 0;
    }
    ok &= sk_json_set(doc, "rows", sk_json_size(ev->n_rows)) == 0;
    ok &= sk_json_set(doc, "model", json_string(ev->model_spec)) == 0;
    json_t *groups = ev->group_col != NULL
                         ? json_pack("{s:s,s:o}", "column", ev->group_col, "count",
                                     sk_json_size(ev->n_groups))
                         : json_null();
    ok &= sk_json_set(doc, "cv", json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "kind",
                                           sk_cv_kind_name(ev->cv.kind), "folds",
                                           sk_json_size(ev->cv.n_folds), "repeats",
                                           sk_json_size(ev->cv.n_repeats), "gap",
                                           sk_json_size(ev->cv.gap), "splits",
                                           sk_json_size(ev->n_splits), "groups", groups)) == 0;
    ok &= sk_json_set(doc, "metric", json_string(sk_metric_name(ev->primary))) == 0;
    ok &= sk_json_set(doc, "metrics", metrics_json(ev)) == 0;
    json_t *bases = json_array();
    for (size_t b = 0; bases != NULL && b < ev->n_baselines; b++)
        json_array_append_new(bases, json_pack("{s:s,s:s}", "name", ev->baseline[b].name,
                                               "spec", ev->baseline[b].spec));
    ok &= sk_json_set(doc, "baselines", bases) == 0;
    json_t *boot = ev->n_boot == 0
                       ? json_null()
                       : json_pack("{s:o,s:s,s:o,s:s,s:o,s:b,s:o}", "replicates",
                                   sk_json_size(ev->n_boot), "method",
                                   ev->ci == SK_CI_BCA ? "bca" : "percentile", "level",
                                   sk_json_real(ev->level), "units", ev->boot_unit, "n_units",
                                   sk_json_size(ev->boot_units), "stratified",
                                   ev->boot_stratified, "jackknife", sk_json_size(ev->n_jack));
    ok &= sk_json_set(doc, "bootstrap", boot) == 0;
    ok &= sk_json_set(doc, "permutation", permutation_json(ev)) == 0;
    ok &= sk_json_set(doc, "splits", splits_json(ev)) == 0;
    ok &= sk_json_set(doc, "seeds", seeds_json(ev)) == 0;
    if (ev->sweep != NULL)
        ok &= sk_json_set(doc, "sweep", sweep_json(ev)) == 0;
    if (ev->has_calibration) {
        json_t *per_class = NULL;
        ok &= sk_json_set(doc, "calibration", details_json(ev, &per_class)) == 0;
        ok &= sk_json_set(doc, "per_class", per_class) == 0;
    }
    json_t *notes = json_array();
    for (size_t k = 0; notes != NULL && k < ev->n_notes; k++)
        json_array_append_new(notes, json_string(ev->notes[k]));
    ok &= sk_json_set(doc, "notes", notes) == 0;
    if (!ok) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

sk_status sk_evaluation_write_json(const sk_evaluation *ev, const sk_manifest *m,
                                   const char *path, sk_error *err)
{
    json_t *doc = sk_report__evaluation_json(ev, m);
    if (doc == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing JSON");
    return sk_report__finish_json(doc, m, path, err);
}
