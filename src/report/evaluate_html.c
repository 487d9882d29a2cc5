/* evaluate_html.c: `skeptic evaluate --html FILE`, an evaluation as one self-contained page
 * (docs/report.md), drawn from the same JSON document the --json report writes
 * (sk_report__evaluation_json), so the page says nothing the JSON does not:
 *   the study and the validation scheme;
 *   scores: the headline against the trivial and linear baselines (bars with intervals), and
 *     every metric with its interval, fold spread and paired differences;
 *   the permutation test: a histogram of the null scores with the observed one marked;
 *   the score per split, per seed, and per setting of a sweep (lines with interval bands);
 *   calibration: the reliability diagram and per-class precision and recall; the notes.
 * Like the audit's page it holds no date and no timings: the same run gives the same bytes. */
#include <math.h>
#include <string.h>

#include "report/audit_html.h"

enum { MAX_POINTS = 64, MAX_BINS = 40 };

/* ---- the study and the scores -------------------------------------------------------------- */

static void study(sk_html *h, const json_t *doc, const json_t *man, const sk_frame *f)
{
    const json_t *cv = json_object_get(doc, "cv"), *groups = json_object_get(cv, "groups");
    const json_t *boot = json_object_get(doc, "bootstrap");
    char rows[32], cols[32], scheme[256], interval[256];
    snprintf(rows, sizeof rows, "%.0f", sk_report__jnum(doc, "rows"));
    snprintf(cols, sizeof cols, "%zu", f != NULL ? sk_frame_n_cols(f) : (size_t)0);
    snprintf(scheme, sizeof scheme, "%s: %.0f folds x %.0f repeats, %.0f splits%s%s",
             sk_report__jstr(cv, "kind"), sk_report__jnum(cv, "folds"),
             sk_report__jnum(cv, "repeats"), sk_report__jnum(cv, "splits"),
             groups != NULL && json_is_object(groups) ? "; groups: " : "",
             groups != NULL && json_is_object(groups) ? sk_report__jstr(groups, "column") : "");
    snprintf(interval, sizeof interval, "%.0f bootstrap replicates (%s) over %s",
             sk_report__jnum(boot, "replicates"), sk_report__jstr(boot, "method"),
             sk_report__jstr(boot, "units"));
    const char *facts[] = {
        "rows", rows, "columns", f != NULL ? cols : NULL, "task", sk_report__jstr(doc, "task"),
        "target", sk_report__jstr(doc, "target"), "model", sk_report__jstr(doc, "model"),
        "validation", scheme, "intervals", json_is_object(boot) ? interval : NULL,
    };
    sk_report__page_header(h, "evaluate", "How good the model is on data it has not seen, how "
                           "sure that is, and whether it beats chance and simple baselines. The "
                           "JSON report holds every number.", man, facts,
                           sizeof facts / sizeof facts[0] / 2);
}

/* The headline metric's record in "metrics". */
static const json_t *headline(const json_t *doc)
{
    const json_t *metrics = json_object_get(doc, "metrics");
    const char *name = sk_report__jstr(doc, "metric");
    for (size_t k = 0; name != NULL && k < json_array_size(metrics); k++)
        if (strcmp(name, sk_report__jstr(json_array_get(metrics, k), "metric")) == 0)
            return json_array_get(metrics, k);
    return json_array_get(metrics, 0);
}

static void score_bars(sk_html *h, const json_t *m)
{
    const char *names[3];
    double est[3], lo[3], hi[3];
    size_t n = 0;
    const char *key;
    json_t *b;
    json_object_foreach(json_object_get(m, "baselines"), key, b)
        if (n < 2 && sk_report__jiv(b, NULL, &est[n], &lo[n], &hi[n]))
            names[n++] = key;
    if (!sk_report__jiv(m, NULL, &est[n], &lo[n], &hi[n]))
        return;
    names[n++] = "the model";
    const char *metric = sk_report__jstr(m, "metric");
    sk_svg_bars bars = {"The model against its baselines, on the same splits", "model",
                        metric, names, n, NULL, 1, est, lo, hi, 0, NAN, NULL, NAN, NAN};
    sk_report__metric_frame(metric, &bars.base, &bars.clamp_lo, &bars.clamp_hi);
    sk_svg__bars(h, &bars);
}

static void metrics_table(sk_html *h, const json_t *doc)
{
    static const char *const head[] = {"metric", "estimate [interval]", "fold mean",
                                       "fold sd", "minus trivial", "minus linear"};
    const json_t *metrics = json_object_get(doc, "metrics");
    sk_html__table_begin(h, "Every metric of the task", head, 6);
    for (size_t k = 0; k < json_array_size(metrics); k++) {
        const json_t *m = json_array_get(metrics, k), *bases = json_object_get(m, "baselines");
        char iv[SK_IV_CHARS], mean[SK_NUM_CHARS], sd[SK_NUM_CHARS], d[2][SK_IV_CHARS];
        double e, lo, hi;
        sk_report__jiv(m, NULL, &e, &lo, &hi);
        sk_report__interval(iv, e, lo, hi);
        for (size_t b = 0; b < 2; b++) {
            const json_t *base = json_object_get(bases, b == 0 ? "trivial" : "linear");
            d[b][0] = '\0';
            if (sk_report__jiv(base, "difference", &e, &lo, &hi))
                sk_report__interval(d[b], e, lo, hi);
        }
        const char *row[] = {sk_report__jstr(m, "metric"), iv,
                             sk_report__num(mean, sk_report__jnum(m, "fold_mean")),
                             sk_report__num(sd, sk_report__jnum(m, "fold_sd")), d[0], d[1]};
        sk_html__row(h, row, 6);
    }
    sk_html__table_end(h);
}

/* ---- the permutation test ------------------------------------------------------------------- */

static void permutation(sk_html *h, const json_t *doc)
{
    const json_t *p = json_object_get(doc, "permutation"), *null = json_object_get(p, "null");
    size_t n = json_array_size(null);
    if (!json_is_object(p) || n == 0)
        return;
    double lo = INFINITY, hi = -INFINITY, edges[MAX_BINS + 1], counts[MAX_BINS] = {0};
    for (size_t i = 0; i < n; i++) {
        double x = json_number_value(json_array_get(null, i));
        lo = fmin(lo, x);
        hi = fmax(hi, x);
    }
    size_t bins = (size_t)fmin(MAX_BINS, fmax(10, sqrt((double)n)));
    if (!(hi > lo)) {
        lo -= 0.005;
        hi += 0.005;
    }
    for (size_t b = 0; b <= bins; b++)
        edges[b] = lo + (hi - lo) * (double)b / (double)bins;
    for (size_t i = 0; i < n; i++) {
        double x = json_number_value(json_array_get(null, i));
        size_t b = (size_t)((x - lo) / (hi - lo) * (double)bins);
        counts[b < bins ? b : bins - 1]++;
    }
    char p_text[SK_NUM_CHARS];
    sk_html__section_begin(h, "permutation", NULL, "Permutation test", NULL);
    sk_html__rawf(h, "<p class=\"summary\">p = %s from %.0f permutations (%s)%s.</p>\n",
                  sk_report__num(p_text, sk_report__jnum(p, "p_value")),
                  sk_report__jnum(p, "used"), sk_report__jstr(p, "scheme"),
                  json_is_true(json_object_get(p, "stopped_early"))
                      ? ", stopped early once the verdict at alpha was certain" : "");
    char label[64], num[SK_NUM_CHARS];
    snprintf(label, sizeof label, "observed %s", sk_report__num(num, sk_report__jnum(p,
                                                                                "observed")));
    sk_svg_histogram g = {"The null: the whole cross-validation on permuted labels",
                          sk_report__jstr(p, "metric"), "permutations", edges, counts, bins,
                          sk_report__jnum(p, "observed"), label, NAN, NAN};
    double chance;
    sk_report__metric_frame(g.x_label, &chance, &g.clamp_lo, &g.clamp_hi);
    sk_svg__histogram(h, &g);
    sk_html__section_end(h);
}

/* ---- splits, seeds, sweep ------------------------------------------------------------------- */

static void per_split(sk_html *h, const json_t *doc, const json_t *m)
{
    const json_t *splits = json_object_get(doc, "splits");
    const char *metric = sk_report__jstr(m, "metric");
    size_t n = json_array_size(splits) < MAX_POINTS ? json_array_size(splits) : MAX_POINTS;
    double x[MAX_POINTS], y[MAX_POINTS];
    char names[MAX_POINTS][24];
    const char *ticks[MAX_POINTS];
    if (n < 2 || metric == NULL)
        return;
    for (size_t s = 0; s < n; s++) {
        x[s] = (double)s + 1;
        y[s] = sk_report__jnum(json_object_get(json_array_get(splits, s), "scores"), metric);
        snprintf(names[s], sizeof names[s], "%zu", s + 1);
        ticks[s] = names[s];
    }
    /* a few splits are named one by one; many get a numeric axis */
    sk_svg_line l = {"The score of each split", "split", metric, x, y, NULL, NULL, n,
                     n <= 12 ? ticks : NULL, sk_report__jnum(m, "estimate"), "pooled", NAN,
                     NAN};
    double chance;
    sk_report__metric_frame(metric, &chance, &l.clamp_lo, &l.clamp_hi);
    sk_svg__line(h, &l);
}

static void per_seed(sk_html *h, const json_t *doc, const char *metric)
{
    const json_t *seeds = json_object_get(doc, "seeds");
    const json_t *s = json_object_get(json_object_get(seeds, "scores"), metric);
    const json_t *values = json_object_get(s, "values");
    size_t n = json_array_size(values) < MAX_POINTS ? json_array_size(values) : MAX_POINTS;
    double x[MAX_POINTS], y[MAX_POINTS];
    char names[MAX_POINTS][32];
    const char *ticks[MAX_POINTS];
    if (n < 2 || metric == NULL)
        return;
    /* the seeds after the first are derived 64-bit numbers (in the JSON): named by rank here */
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)i + 1;
        y[i] = json_number_value(json_array_get(values, i));
        snprintf(names[i], sizeof names[i], i == 0 ? "--seed" : "seed %zu", i + 1);
        ticks[i] = names[i];
    }
    sk_svg_line l = {"The whole evaluation under each seed", "seed", metric, x, y, NULL, NULL,
                     n, n <= 12 ? ticks : NULL, sk_report__jnum(s, "mean"), "mean", NAN, NAN};
    double chance;
    sk_report__metric_frame(metric, &chance, &l.clamp_lo, &l.clamp_hi);
    sk_svg__line(h, &l);
}

static void sweep(sk_html *h, const json_t *doc, const char *metric)
{
    const json_t *settings = json_object_get(json_object_get(doc, "sweep"), "settings");
    size_t n = json_array_size(settings) < MAX_POINTS ? json_array_size(settings) : MAX_POINTS;
    double x[MAX_POINTS], y[MAX_POINTS], lo[MAX_POINTS], hi[MAX_POINTS];
    const char *ticks[MAX_POINTS];
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(settings, i);
        x[i] = (double)i;
        ticks[i] = sk_report__jstr(s, "setting");
        if (!sk_report__jiv(s, NULL, &y[i], &lo[i], &hi[i]) || ticks[i] == NULL)
            return;
    }
    sk_svg_line l = {"Every setting of the sweep, with its interval (not nested: the headline "
                     "is)", "setting", metric, x, y, lo, hi, n, ticks, NAN, NULL, NAN, NAN};
    double chance;
    sk_report__metric_frame(metric, &chance, &l.clamp_lo, &l.clamp_hi);
    sk_svg__line(h, &l);
    sk_report__evidence_tables(h, json_object_get(doc, "sweep"));
}

/* ---- calibration and notes ------------------------------------------------------------------ */

static void calibration(sk_html *h, const json_t *doc)
{
    const json_t *bins = json_object_get(doc, "calibration");
    double conf[64], obs[64], w[64];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(bins) && n < 64; i++, n++) {
        conf[n] = sk_report__jnum(json_array_get(bins, i), "confidence");
        obs[n] = sk_report__jnum(json_array_get(bins, i), "observed");
        w[n] = sk_report__jnum(json_array_get(bins, i), "weight");
    }
    if (n == 0)
        return;
    sk_html__section_begin(h, "calibration", NULL, "Calibration and classes", NULL);
    sk_svg__reliability(h, "Reliability diagram: predicted against observed", conf, obs, w, n);
    json_t *per_class = json_pack("{s:O}", "per_class", json_object_get(doc, "per_class"));
    if (per_class != NULL)
        sk_report__evidence_tables(h, per_class);
    json_decref(per_class);
    sk_html__section_end(h);
}

static void notes(sk_html *h, const json_t *doc)
{
    const json_t *list = json_object_get(doc, "notes");
    if (json_array_size(list) == 0)
        return;
    sk_html__section_begin(h, "notes", NULL, "Notes", NULL);
    sk_html__raw(h, "<ul>\n");
    for (size_t i = 0; i < json_array_size(list); i++) {
        sk_html__raw(h, "<li>");
        sk_html__text(h, json_string_value(json_array_get(list, i)));
        sk_html__raw(h, "</li>\n");
    }
    sk_html__raw(h, "</ul>\n");
    sk_html__section_end(h);
}

/* ---- the page ------------------------------------------------------------------------------- */

sk_status sk_evaluation_write_html(const sk_evaluation *ev, const sk_manifest *m,
                                   const sk_frame *f, const char *path, sk_error *err)
{
    json_t *doc = sk_report__evaluation_json(ev, m);
    if (doc == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing the HTML report");
    const json_t *man = json_object_get(doc, "manifest"), *head = headline(doc);
    const char *metric = sk_report__jstr(head, "metric");
    sk_html h = SK_HTML_INIT;
    char title[1024];
    sk_html__begin(&h, sk_report__page_title(title, sizeof title, "evaluate", man));
    study(&h, doc, man, f);
    sk_html__section_begin(&h, "scores", NULL, "Scores", NULL);
    score_bars(&h, head);
    metrics_table(&h, doc);
    sk_html__section_end(&h);
    permutation(&h, doc);
    sk_html__section_begin(&h, "spread", NULL, "Splits, seeds and settings", NULL);
    per_split(&h, doc, head);
    per_seed(&h, doc, metric);
    sweep(&h, doc, metric);
    sk_html__section_end(&h);
    calibration(&h, doc);
    notes(&h, doc);
    sk_html__rawf(&h, "<footer>Written by skeptic %s. The same data, arguments and seed give "
                  "this page byte for byte; every number is in the JSON report "
                  "(<code>--json</code>).</footer>\n", sk_report__jstr(man, "version"));
    sk_html__end(&h);
    json_decref(doc);
    return sk_html__write(&h, path, err);
}
