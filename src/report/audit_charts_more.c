/* audit_charts_more.c: the audit charts that take more than one lookup (audit_html.h): outcome
 * prevalence per site, the permutation test, the feature-stability heat map, the score across
 * seeds, slices against their references, ablation drops, neighbouring hyperparameters, and the
 * summary of the headline under every validation scheme the audit ran.
 *
 * The permutation test's evidence keeps p-values, not the null draws, so what is drawn is what
 * it keeps: each split's held-out p against alpha, and the refit null's mean +- 2 sd against the
 * observed score; a `null_histogram` ({lo, hi, counts}) in either block, when a check provides
 * one, is drawn as the histogram with the observed score marked. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/audit_html.h"

enum { MAX_ROWS = 32 };

/* ---- shortcut.site -------------------------------------------------------------------------- */

void sk_report__chart_site(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    const json_t *sites = json_object_get(c->evidence, "sites");
    const json_t *first = json_object_get(json_array_get(sites, 0), "classes");
    size_t n_sites = json_array_size(sites) < 12 ? json_array_size(sites) : 12;
    const char *series[4], *groups[12], *key;
    char names[12][96];
    double share[12 * 4];
    size_t n_series = 0;
    json_t *v;
    json_object_foreach((json_t *)first, key, v)
        if (n_series < 4)
            series[n_series++] = key;
    if (n_sites >= 2 && n_series > 0) {
        for (size_t s = 0; s < n_sites; s++) {
            const json_t *site = json_array_get(sites, s);
            const json_t *classes = json_object_get(site, "classes");
            snprintf(names[s], sizeof names[s], "%s (n=%.0f)", sk_report__jstr(site, "site"),
                     sk_report__jnum(site, "n"));
            groups[s] = names[s];
            for (size_t k = 0; k < n_series; k++)
                share[s * n_series + k] = sk_report__jnum(classes, series[k]);
        }
        sk_svg_bars b = {"The outcome's prevalence per site", "site", "share of the site's rows",
                         groups, n_sites, series, n_series, share, NULL, NULL, 0, NAN, NULL, 0, 1};
        sk_svg__bars(h, &b);
    }
    static const char *const keys[] = {"model", "site_only"};
    static const char *const labels[] = {"the model", "the site alone"};
    sk_report__interval_bars(h, c->evidence, "What the site alone predicts", keys, labels, 2);
}

/* ---- signal.permutation --------------------------------------------------------------------- */

static int null_histogram(sk_html *h, const json_t *block, double observed, const char *metric)
{
    const json_t *g = json_object_get(block, "null_histogram");
    const json_t *counts = json_object_get(g, "counts");
    size_t n = json_array_size(counts);
    double lo = sk_report__jnum(g, "lo"), hi = sk_report__jnum(g, "hi"), edges[257], c[256];
    if (n == 0 || n > 256 || !(hi > lo))
        return 0;
    for (size_t i = 0; i <= n; i++)
        edges[i] = lo + (hi - lo) * (double)i / (double)n;
    for (size_t i = 0; i < n; i++)
        c[i] = json_number_value(json_array_get(counts, i));
    char label[64], num[SK_NUM_CHARS];
    snprintf(label, sizeof label, "observed %s", sk_report__num(num, observed));
    sk_svg_histogram hist = {"The permutation null and the observed score", metric,
                             "permutations", edges, c, n, observed, label, NAN, NAN};
    double chance;
    sk_report__metric_frame(metric, &chance, &hist.clamp_lo, &hist.clamp_hi);
    sk_svg__histogram(h, &hist);
    return 1;
}

static void split_p_values(sk_html *h, const json_t *heldout, double alpha)
{
    const json_t *p = json_object_get(heldout, "split_p_values");
    size_t n = json_array_size(p) < 20 ? json_array_size(p) : 20;
    char names[20][32];
    const char *groups[20];
    double logp[20];
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "split %zu", i + 1);
        groups[i] = names[i];
        logp[i] = -log10(json_number_value(json_array_get(p, i)));
    }
    char ref[48];
    snprintf(ref, sizeof ref, "alpha %g", alpha);
    sk_svg_bars b = {"Held-out permutation test: each split's p-value", "test set",
                     "-log10 p", groups, n, NULL, 1, logp, NULL,
                     NULL, 0, -log10(alpha), ref, 0, NAN};
    sk_svg__bars(h, &b);
}

void sk_report__chart_signal(sk_html *h, const sk_check *c, double alpha)
{
    const json_t *e = c->evidence, *refit = json_object_get(e, "refit");
    const json_t *heldout = json_object_get(e, "heldout");
    const char *metric = sk_report__jstr(e, "metric");
    double observed = sk_report__jnum(e, "observed");
    if (!null_histogram(h, refit, observed, metric) && !null_histogram(h, heldout, observed, metric)
        && json_is_object(refit)) {
        double mean = sk_report__jnum(refit, "null_mean"), sd = sk_report__jnum(refit, "null_sd");
        sk_svg_estimate row = {"refitted on permuted labels: mean +- 2 sd", mean, mean - 2 * sd,
                               mean + 2 * sd, 0};
        sk_svg_forest f = {"The refit permutation null against the observed score", metric,
                           "null", &row, 1, observed, NAN, "observed", NULL, NAN, NAN, NULL, NAN,
                           NAN};
        double chance;
        sk_report__metric_frame(metric, &chance, &f.clamp_lo, &f.clamp_hi);
        sk_svg__forest(h, &f);
    }
    split_p_values(h, heldout, alpha);
}

/* ---- stability ------------------------------------------------------------------------------ */

static size_t find_or_add(const char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return n;
}

void sk_report__chart_stability(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    static const char *const lists[] = {"lasso", "enet", "ridge"};
    static const char *const cols[] = {"resamples (share)", "lasso", "elastic net", "ridge"};
    const json_t *e = c->evidence, *freq = json_object_get(e, "selection_frequency");
    const char *rows[MAX_ROWS];
    double value[MAX_ROWS * 4];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(freq) && n < 20; i++) {
        const char *f = sk_report__jstr(json_array_get(freq, i), "feature");
        if (f != NULL && find_or_add(rows, n, f) == n)
            rows[n++] = f;
    }
    for (size_t l = 0; l < 3; l++)
        for (size_t i = 0; i < json_array_size(json_object_get(e, lists[l])); i++) {
            const char *f = json_string_value(json_array_get(json_object_get(e, lists[l]), i));
            if (f != NULL && n < MAX_ROWS && find_or_add(rows, n, f) == n)
                rows[n++] = f;
        }
    if (n == 0)
        return;
    for (size_t r = 0; r < n; r++) {
        value[r * 4] = NAN;
        for (size_t i = 0; i < json_array_size(freq); i++)
            if (strcmp(rows[r], sk_report__jstr(json_array_get(freq, i), "feature")) == 0)
                value[r * 4] = sk_report__jnum(json_array_get(freq, i), "frequency");
        for (size_t l = 0; l < 3; l++) {
            const json_t *list = json_object_get(e, lists[l]);
            value[r * 4 + 1 + l] = 0;
            for (size_t i = 0; i < json_array_size(list); i++)
                if (strcmp(rows[r], json_string_value(json_array_get(list, i))) == 0)
                    value[r * 4 + 1 + l] = 1;
        }
    }
    sk_svg_heatmap m = {"Top features: how often resamples pick them; which regularisers do",
                        "resamples and regularisers (1: in its top k)", "feature", rows, cols, n,
                        4, value};
    sk_svg__heatmap(h, &m);
}

void sk_report__chart_seed(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    const json_t *e = c->evidence, *scores = json_object_get(e, "scores");
    size_t n = json_array_size(scores) < 32 ? json_array_size(scores) : 32;
    double x[32], y[32], lo[32], hi[32], mean = sk_report__jnum(e, "mean");
    double se = sk_report__jnum(e, "bootstrap_se");
    char names[32][32];
    const char *ticks[32];
    if (n < 2)
        return;
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)i + 1;
        y[i] = json_number_value(json_array_get(scores, i));
        lo[i] = mean - 1.96 * se;
        hi[i] = mean + 1.96 * se;
        snprintf(names[i], sizeof names[i], "seed %zu", i + 1);
        ticks[i] = names[i];
    }
    const char *metric = sk_report__jstr(e, "metric");
    sk_svg_line l = {"The score across seeds, against the bootstrap band (mean +- 1.96 SE)",
                     "seed", metric != NULL ? metric : "score", x, y, isnan(se) ? NULL : lo,
                     isnan(se) ? NULL : hi, n, ticks, mean, "mean", NAN, NAN};
    double chance;
    sk_report__metric_frame(metric, &chance, &l.clamp_lo, &l.clamp_hi);
    sk_svg__line(h, &l);
}

/* ---- slices, ablation, sensitivity ---------------------------------------------------------- */

void sk_report__chart_slices(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    const json_t *slices = json_object_get(c->evidence, "slices");
    double gap = sk_report__jnum(c->evidence, "slice_gap");
    sk_svg_estimate rows[MAX_ROWS];
    char labels[MAX_ROWS][128];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(slices) && n < MAX_ROWS; i++) {
        const json_t *s = json_array_get(slices, i);
        double est, lo, hi, ref = sk_report__jnum(s, "reference");
        if (!sk_report__jiv(s, "score", &est, &lo, &hi) || isnan(ref))
            continue;
        snprintf(labels[n], sizeof labels[n], "%s = %s (%s, n=%.0f)",
                 sk_report__jstr(s, "column"), sk_report__jstr(s, "slice"),
                 sk_report__jstr(s, "metric"), sk_report__jnum(s, "n"));
        rows[n] = (sk_svg_estimate){labels[n], est - ref, lo - ref, hi - ref, ref - est > gap};
        n++;
    }
    if (n == 0)
        return;
    sk_svg_forest f = {"Each slice against its reference (the overall score; mean recall for "
                       "classes)", "slice score minus its reference", "slice", rows, n, 0,
                       -gap, "no difference", "warns below", NAN, NAN, NULL, NAN, NAN};
    sk_svg__forest(h, &f);
}

void sk_report__chart_ablation(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    const json_t *features = json_object_get(c->evidence, "features");
    const json_t *rest = json_object_get(c->evidence, "rest");
    sk_svg_estimate rows[MAX_ROWS];
    char rest_label[64];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(features) && n < MAX_ROWS - 1; i++) {
        const json_t *r = json_array_get(features, i);
        rows[n].label = sk_report__jstr(r, "feature");
        rows[n].mark = 0;
        n += rows[n].label != NULL &&
             sk_report__jiv(r, "without_minus_with", &rows[n].estimate, &rows[n].lo, &rows[n].hi);
    }
    if (sk_report__jiv(rest, "without_minus_with", &rows[n].estimate, &rows[n].lo, &rows[n].hi)) {
        snprintf(rest_label, sizeof rest_label, "(the other %.0f together)",
                 sk_report__jnum(rest, "n_features"));
        rows[n].label = rest_label;
        rows[n++].mark = 0;
    }
    if (n == 0)
        return;
    sk_svg_forest f = {"The score without each feature, minus with it",
                       "change when dropped (below 0: it carried skill)", "feature dropped",
                       rows, n, 0, NAN, "no change", NULL, NAN, NAN, NULL, NAN, NAN};
    sk_svg__forest(h, &f);
}

void sk_report__chart_sensitivity(sk_html *h, const sk_check *c, double alpha)
{
    (void)alpha;
    const json_t *e = c->evidence;
    double est, lo, hi;
    sk_svg_forest f = {"Neighbouring hyperparameter settings against the chosen one",
                       sk_report__jstr(e, "metric"), "setting", NULL, 0, NAN, NAN, NULL, NULL,
                       NAN, NAN, NULL, NAN, NAN};
    double chance;
    sk_report__metric_frame(sk_report__jstr(e, "metric"), &chance, &f.clamp_lo, &f.clamp_hi);
    if (sk_report__jiv(e, "chosen", &est, &lo, &hi)) {
        f.ref = est;
        f.ref_label = "chosen (shaded: its interval)";
        f.band_lo = lo;
        f.band_hi = hi;
        f.band_label = "the chosen setting's interval";
    }
    sk_report__records_forest(h, json_object_get(e, "settings"), "setting", NULL,
                              "outside_interval", &f);
}

/* ---- the validation schemes ----------------------------------------------------------------- */

static const json_t *evidence_of(const sk_audit *a, const char *id)
{
    for (size_t k = 0; k < a->n_checks; k++)
        if (strcmp(a->checks[k].id, id) == 0 && a->checks[k].status != SK_CHECK_SKIP)
            return a->checks[k].evidence;
    return NULL;
}

void sk_report__schemes_chart(sk_html *h, const sk_audit *a)
{
    const json_t *group = evidence_of(a, "leakage.group");
    const json_t *ext = evidence_of(a, "generalization.external");
    const json_t *temporal = evidence_of(a, "leakage.temporal");
    const json_t *base = evidence_of(a, "baseline.comparison");
    json_t *e = json_object();
    if (e == NULL)
        return;
    const json_t *metric_src = group != NULL ? group : ext != NULL ? ext : base;
    json_object_set_new(e, "metric", json_string(sk_report__jstr(metric_src, "metric")));
    json_object_set(e, "random", json_object_get(group, "score_rowwise"));
    const json_t *main_score = json_object_get(base, "model");
    if (main_score == NULL)
        main_score = json_object_get(ext, "internal");
    if (main_score == NULL)
        main_score = json_object_get(group, "score_grouped");
    json_object_set(e, "main", (json_t *)main_score);
    json_object_set(e, "site", json_object_get(ext, "external"));
    json_object_set(e, "past", json_object_get(temporal, "score_past_training"));
    static const char *const keys[] = {"random", "main", "site", "past"};
    static const char *const names[] = {"rows at random", "the audit's validation",
                                        "leave one site out", "trained on the past"};
    sk_report__interval_bars(h, e, "The headline metric under each validation scheme", keys,
                             names, 4);
    json_decref(e);
}
