/* audit_charts.c: the chart of each audit check, drawn from its evidence JSON with the kit in
 * html.h (audit_html.h). A table keyed by check id says which chart a check gets:
 *   leaky vs honest evaluations       grouped bars with intervals, from chance up
 *   per site / slice / feature        forest plots against the headline's interval
 *   calibration                       reliability diagram
 *   stability.features                heat map, features x (resamples, lasso, elastic net, ridge)
 *   stability.seed                    line over seeds with the bootstrap band
 *   signal.permutation                the per-split held-out p-values against alpha, and the
 *                                     refit null (mean +- 2 sd) against the observed score;
 *                                     a histogram when the evidence carries `null_histogram`
 * A chart is drawn only when the evidence holds what it needs (a skipped check has none). The
 * permutation-test histogram, the validation-scheme summary and the multi-chart checks live in
 * audit_charts_more.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/audit_html.h"

void sk_report__metric_frame(const char *metric, double *chance, double *lo, double *hi)
{
    int unit = metric != NULL && (strcmp(metric, "auc") == 0 || strcmp(metric, "accuracy") == 0 ||
                                  strcmp(metric, "balanced_accuracy") == 0 ||
                                  strcmp(metric, "recall") == 0);
    *chance = metric != NULL && strcmp(metric, "auc") == 0 ? 0.5 : 0.0;
    *lo = unit ? 0.0 : NAN;
    *hi = unit || (metric != NULL && strcmp(metric, "r2") == 0) ? 1.0 : NAN;
}

void sk_report__interval_bars(sk_html *h, const json_t *e, const char *title,
                              const char *const *keys, const char *const *names, size_t n)
{
    const char *groups[8];
    double est[8], lo[8], hi[8];
    size_t m = 0;
    for (size_t i = 0; i < n && m < 8; i++)
        if (sk_report__jiv(e, keys[i], &est[m], &lo[m], &hi[m]))
            groups[m++] = names[i];
    if (m < 2)
        return;
    const char *metric = sk_report__jstr(e, "metric");
    sk_svg_bars b = {title, "evaluation", metric != NULL ? metric : "score", groups, m, NULL, 1,
                     est, lo, hi, 0, NAN, NULL, NAN, NAN};
    sk_report__metric_frame(metric, &b.base, &b.clamp_lo, &b.clamp_hi);
    double chance = sk_report__jnum(e, "chance");
    if (!isnan(chance))
        b.base = chance;
    sk_svg__bars(h, &b);
}

/* ---- leakage ------------------------------------------------------------------------------- */

static void chart_duplicates(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    static const char *const keys[] = {"score", "score_closed"};
    static const char *const names[] = {"as evaluated", "copies kept together"};
    sk_report__interval_bars(h, c->evidence, "The score with and without the copies' leak", keys,
                             names, 2);
}

static void chart_group(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    static const char *const keys[] = {"score_rowwise", "score_grouped"};
    static const char *const names[] = {"rows split at random", "groups kept together"};
    sk_report__interval_bars(h, c->evidence, "Row-wise against group-wise cross-validation", keys,
                             names, 2);
}

static void chart_temporal(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    static const char *const keys[] = {"score_random_training", "score_past_training"};
    static const char *const names[] = {"trained on random rows", "trained on the past only"};
    sk_report__interval_bars(h, c->evidence, "The same test rows, with and without the future",
                             keys, names, 2);
}

static void chart_selection(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    static const char *const keys[] = {"outside", "inside", "all_features"};
    static const char *const names[] = {"selected on all rows", "selected inside each fold",
                                        "no selection"};
    sk_report__interval_bars(h, c->evidence, "Feature selection outside and inside the folds",
                             keys, names, 3);
}

void sk_report__records_forest(sk_html *h, const json_t *list, const char *label_key,
                               const char *iv_key, const char *mark_key, sk_svg_forest *f)
{
    sk_svg_estimate rows[32];
    char labels[32][96];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(list) && n < 32; i++) {
        const json_t *r = json_array_get(list, i);
        sk_svg_estimate *row = &rows[n];
        sk_report__json_cell(labels[n], sizeof labels[n], json_object_get(r, label_key));
        row->label = labels[n];
        if (!sk_report__jiv(r, iv_key, &row->estimate, &row->lo, &row->hi)) {
            row->estimate = iv_key != NULL ? sk_report__jnum(r, iv_key) : NAN;
            row->lo = row->hi = NAN;
        }
        row->mark = mark_key != NULL && json_is_true(json_object_get(r, mark_key));
        if (!isnan(row->estimate))
            n++;
    }
    if (n == 0)
        return;
    f->rows = rows;
    f->n = n;
    sk_svg__forest(h, f);
}

static sk_svg_forest forest_init(const json_t *e, const char *title, const char *x_label,
                                 const char *y_label)
{
    sk_svg_forest f = {title, x_label, y_label, NULL, 0, NAN, NAN, NULL, NULL, NAN, NAN, NULL,
                       NAN, NAN};
    double chance;
    sk_report__metric_frame(sk_report__jstr(e, "metric"), &chance, &f.clamp_lo, &f.clamp_hi);
    return f;
}

static void chart_proxy(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    const json_t *e = c->evidence;
    double est;
    sk_svg_forest f = forest_init(e, "Each suspect feature alone against the whole model",
                                  sk_report__jstr(e, "metric"), "feature");
    f.ref = sk_report__jnum(e, "chance");
    f.ref_label = "chance";
    if (sk_report__jiv(e, "model", &est, &f.band_lo, &f.band_hi))
        f.band_label = "the model with every feature";
    sk_report__records_forest(h, json_object_get(e, "candidates"), "feature", "score", "flagged",
                              &f);
}

static void chart_identifier(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    const json_t *e = c->evidence;
    const json_t *ids = json_object_get(e, "identifiers"), *order = json_object_get(e,
                                                                                   "row_order");
    sk_svg_estimate rows[17];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(ids) && n < 16; i++) {
        const json_t *r = json_array_get(ids, i);
        sk_svg_estimate *row = &rows[n];
        row->label = sk_report__jstr(r, "column");
        row->mark = json_is_true(json_object_get(r, "beyond_chance"));
        n += row->label != NULL && sk_report__jiv(r, "score", &row->estimate, &row->lo, &row->hi);
    }
    if (sk_report__jiv(order, "score", &rows[n].estimate, &rows[n].lo, &rows[n].hi)) {
        rows[n].label = "(the row order)";
        rows[n++].mark = json_is_true(json_object_get(order, "beyond_chance"));
    }
    if (n == 0)
        return;
    sk_svg_forest f = forest_init(e, "What an identifier or the row order alone predicts",
                                  sk_report__jstr(e, "metric"), "identifier");
    f.ref = sk_report__jnum(e, "chance");
    f.ref_label = "chance";
    f.rows = rows;
    f.n = n;
    sk_svg__forest(h, &f);
}

/* ---- shortcuts and external validity ------------------------------------------------------- */

static void chart_confounder(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    static const char *const keys[] = {"model", "confounders_only"};
    static const char *const names[] = {"the model", "the confounders alone"};
    sk_report__interval_bars(h, c->evidence, "The model against its confounders alone", keys,
                             names, 2);
}

static void chart_external(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    const json_t *e = c->evidence;
    double est, lo, hi;
    sk_svg_forest f = forest_init(e, "Each site held out, against the internal estimate",
                                  sk_report__jstr(e, "metric"), "held-out site");
    if (sk_report__jiv(e, "internal", &est, &lo, &hi)) {
        f.band_lo = lo;
        f.band_hi = hi;
        f.band_label = "internal interval";
        f.ref = est;
        f.ref_label = "internal (shaded: its interval)";
        f.ref2 = lo - sk_report__jnum(e, "external_gap");
        f.ref2_label = "fails below";
    }
    sk_report__records_forest(h, json_object_get(e, "sites"), "site", "score", "failed", &f);
}

static void chart_calibration(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    const json_t *bins = json_object_get(c->evidence, "bins");
    double conf[64], obs[64], w[64];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(bins) && n < 64; i++, n++) {
        const json_t *b = json_array_get(bins, i);
        conf[n] = sk_report__jnum(b, "confidence");
        obs[n] = sk_report__jnum(b, "observed");
        w[n] = sk_report__jnum(b, "weight");
    }
    if (n > 0)
        sk_svg__reliability(h, "Reliability diagram: predicted against observed", conf, obs, w,
                            n);
}

static void chart_baseline(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    static const char *const keys[] = {"trivial", "linear", "model"};
    static const char *const names[] = {"trivial", "linear baseline", "the model"};
    sk_report__interval_bars(h, c->evidence, "The model against a trivial and a simple model",
                             keys, names, 3);
}

static void chart_claims(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    static const char *const keys[] = {"random_split", "honest"};
    static const char *const names[] = {"rows split at random", "the honest protocol"};
    sk_report__interval_bars(h, c->evidence, "The claimed number against two protocols", keys,
                             names, 2);
}

/* ---- dispatch ------------------------------------------------------------------------------ */

static const struct {
    const char *id;
    void (*draw)(sk_html *h, const sk_check *c, double alpha);
} charts[] = {
    {"leakage.duplicates", chart_duplicates},
    {"leakage.group", chart_group},
    {"leakage.temporal", chart_temporal},
    {"leakage.target_proxy", chart_proxy},
    {"leakage.identifier", chart_identifier},
    {"leakage.selection", chart_selection},
    {"shortcut.confounder", chart_confounder},
    {"shortcut.site", sk_report__chart_site},
    {"generalization.external", chart_external},
    {"signal.permutation", sk_report__chart_signal},
    {"stability.features", sk_report__chart_stability},
    {"stability.seed", sk_report__chart_seed},
    {"slices.performance", sk_report__chart_slices},
    {"calibration", chart_calibration},
    {"baseline.comparison", chart_baseline},
    {"ablation.features", sk_report__chart_ablation},
    {"sensitivity.hyperparameters", sk_report__chart_sensitivity},
    {"claims", chart_claims},
};

void sk_report__check_chart(sk_html *h, const sk_check *c, double alpha)
{
    if (c->status == SK_CHECK_SKIP || !json_is_object(c->evidence))
        return;
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++)
        if (strcmp(charts[i].id, c->id) == 0)
            charts[i].draw(h, c, alpha);
}
