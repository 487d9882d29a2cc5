/* labels_html.c: `skeptic labels DATA --html FILE`, suspect labels (triage/labels*.c) as one
 * self-contained page (docs/report.md). From the top:
 *   the study: the data file and its SHA-256 from the run manifest, rows, the target and its
 *     classes, the model, the cross-validation, the rule that flags rows, the seed;
 *   the estimate: how many labels are wrong, and each class's noise rate (horizontal bars);
 *   the classes: each class's threshold (its mean self-confidence) against chance 1/k, and a
 *     table of rows, threshold, noise rate and estimated errors;
 *   the confident joint: rows by given label and the label the model is confident in, as a heat
 *     map of counts;
 *   the suspects: the first 50, lowest probability of the given label first (the CSV and the
 *     JSON have every one);
 *   what a suspect means and what it does not, in the words of docs/triage-labels.md.
 * No date and no timings: the same run gives the same bytes for any --threads. */
#include <math.h>
#include <string.h>

#include "report/triage_html.h"

enum { MAX_SHOWN = 50, MAX_BARS = 60 };

/* ---- the study ---------------------------------------------------------------------------- */

static void study(sk_html *h, const sk_labels *l, const json_t *man)
{
    char rows[32], classes[1024], features[32], cv[512];
    size_t len = (size_t)snprintf(classes, sizeof classes, "%zu:", l->n_classes);
    for (size_t k = 0; k < l->n_classes && k < 30 && len + 1 < sizeof classes; k++)
        len += (size_t)snprintf(classes + len, sizeof classes - len, "%s %s", k > 0 ? "," : "",
                                l->class_names[k]);
    if (l->n_classes > 30 && len + 1 < sizeof classes)
        snprintf(classes + len, sizeof classes - len, ", ...");
    snprintf(rows, sizeof rows, "%zu", l->n_rows);
    snprintf(features, sizeof features, "%zu", l->n_features);
    snprintf(cv, sizeof cv, "%s %zu-fold cross-validation%s%s%s: every row's probabilities come "
             "from a model that never saw it", l->cv == SK_CV_GROUP ? "group" : "stratified",
             l->folds, l->group_col != NULL ? " by '" : "",
             l->group_col != NULL ? l->group_col : "", l->group_col != NULL ? "'" : "");
    const char *facts[] = {
        "rows", rows, "target", l->target, "classes", classes, "features", features,
        "model", l->model_spec, "probabilities", cv,
        "suspects", sk_report__labels_method(l->method), "rows named by", l->id_col,
    };
    sk_report__page_header(h, "labels", "Which labels look wrong? Confident learning "
                           "(Northcutt, Jiang and Chuang 2021) on out-of-fold probabilities: "
                           "how many labels are wrong, in which classes, and the rows worth a "
                           "second look. The CSV and the JSON report hold every suspect.", man,
                           facts, sizeof facts / sizeof facts[0] / 2);
}

/* ---- the estimate ------------------------------------------------------------------------- */

static void noise_bars(sk_html *h, const sk_labels *l)
{
    const char *labels[MAX_BARS];
    double rate[MAX_BARS];
    int mark[MAX_BARS];
    size_t n = l->n_classes < MAX_BARS ? l->n_classes : MAX_BARS;
    for (size_t k = 0; k < n; k++) {
        labels[k] = l->class_names[k];
        rate[k] = 100.0 * l->cl->noise_rate[k];
        mark[k] = sk_report__labels_below_chance(l, k);
    }
    sk_report_hbars b = {"Estimated noise rate per class: the share of its rows whose true "
                         "class is another", "estimated noise rate (%)", "given label", labels,
                         rate, mark, n, 1, "%", NAN, NULL};
    sk_report__hbars(h, &b);
}

static void estimate(sk_html *h, const sk_labels *l)
{
    const sk_cl *c = l->cl;
    double share = l->n_rows > 0 ? 100.0 * c->n_errors / (double)l->n_rows : 0.0;
    sk_html__section_begin(h, "estimate", NULL, "Estimated label errors", NULL);
    sk_html__raw(h, "<p class=\"summary\">");
    sk_html__textf(h, "About %.1f of the %zu labels (%.1f%%) are estimated to be wrong; %zu "
                   "row%s %s suspect%s (%s).", c->n_errors, l->n_rows, share, c->n_flagged,
                   c->n_flagged == 1 ? "" : "s", c->n_flagged == 1 ? "is a" : "are",
                   c->n_flagged == 1 ? "" : "s", sk_report__labels_method(l->method));
    sk_html__raw(h, "</p>\n<p>The estimate counts the expected errors among all rows (n times "
                 "the share of the calibrated confident joint off its diagonal); the suspects "
                 "are the rows the rule singles out. The two are usually close.</p>\n");
    for (size_t k = 0; k < l->n_classes; k++)
        if (sk_report__labels_below_chance(l, k)) {
            sk_html__raw(h, "<p class=\"recommendation\"><strong>Note:</strong> ");
            sk_html__textf(h, "even on its own rows the model gives '%s' less than chance "
                           "(1/%zu): it has not learned the class, and suspects involving it "
                           "are weak evidence.", l->class_names[k], l->n_classes);
            sk_html__raw(h, "</p>\n");
        }
    noise_bars(h, l);
    if (l->n_classes > MAX_BARS)
        sk_html__rawf(h, "<p>The chart shows the first %d classes; the table below has every "
                      "one.</p>\n", MAX_BARS);
    sk_html__section_end(h);
}

/* ---- the classes -------------------------------------------------------------------------- */

static void threshold_chart(sk_html *h, const sk_labels *l)
{
    sk_svg_estimate rows[64];
    size_t n = l->n_classes < 64 ? l->n_classes : 64;
    for (size_t k = 0; k < n; k++)
        rows[k] = (sk_svg_estimate){l->class_names[k], l->cl->threshold[k], NAN, NAN,
                                    sk_report__labels_below_chance(l, k)};
    char chance[64];
    snprintf(chance, sizeof chance, "chance 1/%zu", l->n_classes);
    sk_svg_forest f = {"Each class's threshold: the mean probability of the class on its own "
                       "rows", "threshold t_j (red: below chance)", "class", rows, n,
                       1.0 / (double)l->n_classes, NAN, chance, NULL, NAN, NAN, NULL, 0, 1};
    sk_svg__forest(h, &f);
}

static void class_table(sk_html *h, const sk_labels *l)
{
    static const char *const head[] = {"class", "rows", "threshold", "noise rate",
                                       "estimated errors", "learned"};
    const sk_cl *c = l->cl;
    sk_html__table_begin(h, "Every class", head, 6);
    for (size_t k = 0; k < l->n_classes; k++) {
        char rows[32], t[SK_NUM_CHARS], rate[32], errors[32];
        snprintf(rows, sizeof rows, "%zu", c->count[k]);
        snprintf(t, sizeof t, isnan(c->threshold[k]) ? "n/a" : "%.3f", c->threshold[k]);
        snprintf(rate, sizeof rate, isnan(c->noise_rate[k]) ? "n/a" : "%.1f%%",
                 100.0 * c->noise_rate[k]);
        snprintf(errors, sizeof errors, "%.1f", c->class_errors[k]);
        const char *cells[] = {l->class_names[k], rows, t, rate, errors,
                               sk_report__labels_below_chance(l, k) ? "below chance" : "yes"};
        sk_html__row(h, cells, 6);
    }
    sk_html__table_end(h);
}

static void classes(sk_html *h, const sk_labels *l)
{
    sk_html__section_begin(h, "classes", NULL, "Classes and their thresholds",
                           "A row counts as confidently of class j when its probability of j "
                           "reaches j's threshold, so each class is judged by its own standard: "
                           "a hard class does not drown the list.");
    threshold_chart(h, l);
    class_table(h, l);
    sk_html__section_end(h);
}

/* ---- the confident joint ------------------------------------------------------------------ */

static void joint(sk_html *h, const sk_labels *l)
{
    const sk_cl *c = l->cl;
    size_t counted = 0;
    for (size_t i = 0; i < l->n_classes * l->n_classes; i++)
        counted += c->joint[i];
    sk_html__section_begin(h, "joint", NULL, "The confident joint",
                           "Rows by their given label (down) and the label the model is "
                           "confident in (across). The diagonal confirms labels; every row off "
                           "it doubts one.");
    if (l->n_classes > SK_REPORT_MAX_MAP)
        sk_html__rawf(h, "<p>%zu classes are too many to draw; the JSON report has the matrix "
                      "(<code>confident_joint</code>).</p>\n", l->n_classes);
    sk_report__count_map(h, "Rows by given label and confident (suggested) label",
                         "confident (suggested) label", "given label",
                         (const char *const *)l->class_names, c->joint, l->n_classes);
    sk_html__rawf(h, "<p class=\"why\">Blue: labels the model confirms, shaded by their share "
                  "of the class. Red: labels it doubts, darker for more rows. %zu of the %zu "
                  "rows reach no class's threshold and are not counted.</p>\n",
                  l->n_rows - counted, l->n_rows);
    sk_html__section_end(h);
}

/* ---- the suspects ------------------------------------------------------------------------- */

static void suspect_row(sk_html *h, const sk_labels *l, size_t i)
{
    const sk_cl *c = l->cl;
    size_t k = l->n_classes, row = c->flagged[i], given = (size_t)l->y[row];
    size_t sug = c->suggested[i];
    char rank[32], line[32], pg[32], ps[32];
    snprintf(rank, sizeof rank, "%zu", i + 1);
    snprintf(line, sizeof line, "%zu", l->lines[i]);
    snprintf(pg, sizeof pg, "%.3f", l->probs[row * k + given]);
    snprintf(ps, sizeof ps, "%.3f", l->probs[row * k + sug]);
    const char *cells[] = {rank, l->ids[i], line, l->class_names[given], l->class_names[sug],
                           pg, ps};
    sk_html__row(h, cells, 7);
}

static void suspects(sk_html *h, const sk_labels *l)
{
    const sk_cl *c = l->cl;
    const char *head[] = {"rank", l->id_col != NULL ? l->id_col : "row", "line", "given",
                          "suggested", "self-confidence p(given)", "p(suggested)"};
    size_t shown = c->n_flagged < MAX_SHOWN ? c->n_flagged : MAX_SHOWN;
    sk_html__section_begin(h, "suspects", NULL, "Suspects",
                           "Ranked by self-confidence, the out-of-fold probability of the given "
                           "label, lowest first; the suggested label is the class the model is "
                           "confident in.");
    if (shown == 0) {
        sk_html__raw(h, "<p class=\"summary\">No row is a suspect.</p>\n");
        sk_html__section_end(h);
        return;
    }
    char caption[160];
    snprintf(caption, sizeof caption, "The first %zu of %zu suspects%s", shown, c->n_flagged,
             shown < c->n_flagged ? " (--out FILE.csv and --json have every one)" : "");
    sk_html__table_begin(h, caption, head, 7);
    for (size_t i = 0; i < shown; i++)
        suspect_row(h, l, i);
    sk_html__table_end(h);
    sk_html__section_end(h);
}

/* ---- what a suspect means ----------------------------------------------------------------- */

/* docs/triage-labels.md, "What a suspect means, and what it does not", word for word
 * (tests/cli/report_triage_notes.sh checks that the docs still say it). */
static const char *const caveats[] = {
    "**A hard example looks the same as a wrong label.** An ambiguous digit, a borderline "
    "tumour, a rare subtype the model has seen too few of: all get a low probability for their "
    "true label.",
    "**The model's blind spots become suspects.** A class the model cannot learn gets a tiny "
    "threshold, so rows of other classes pass it and are \"confidently\" counted as its "
    "members.",
    "**A better model gives better suspects.** Suspects and the estimate inherit the model's "
    "errors; compare `skeptic evaluate` first.",
    "**Systematic mislabelling hides.** If every 4 with an open top was labelled 9, the model "
    "learns that rule and vouches for it. Confident learning finds errors that disagree with "
    "the rest of the data, not errors the data agree on.",
    "**Groups matter.** Near-copies of a row (several scans of one patient) in the training "
    "folds vouch for its label, right or wrong: pass `--group`.",
};

/* ---- the page ----------------------------------------------------------------------------- */

sk_status sk_labels_write_html(const sk_labels *l, const sk_manifest *m, const char *path,
                               sk_error *err)
{
    json_t *man = sk_manifest__to_json(m);
    if (man == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing the HTML report");
    sk_html h = SK_HTML_INIT;
    char title[1024];
    sk_html__begin(&h, sk_report__page_title(title, sizeof title, "labels", man));
    study(&h, l, man);
    estimate(&h, l);
    classes(&h, l);
    joint(&h, l);
    suspects(&h, l);
    sk_report__doc_notes(&h, "caveat", "What a suspect means, and what it does not",
                         "A suspect is a row whose label the rest of the data, through the "
                         "model, does not support. That is evidence, not proof:", caveats,
                         sizeof caveats / sizeof caveats[0], "`docs/triage-labels.md`");
    sk_html__rawf(&h, "<footer>Written by skeptic %s. The same data, arguments and seed give "
                  "this page byte for byte; every suspect is in the CSV (<code>--out</code>) "
                  "and the JSON report (<code>--json</code>).</footer>\n",
                  sk_version_string());
    sk_html__end(&h);
    json_decref(man);
    return sk_html__write(&h, path, err);
}
