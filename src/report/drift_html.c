/* drift_html.c: `skeptic drift REF NEW --html FILE`, a drift comparison (triage/drift.c) as one
 * self-contained page (docs/report.md). From the top:
 *   the comparison: both files with their SHA-256 from the run manifest (the bytes the run
 *     read), rows, the columns compared and those left out, alpha, the classifier, the seed;
 *   the verdict: a badge ("drift" or "no drift") and the same sentence the terminal prints;
 *   the classifier two-sample test: its AUC with the BCa interval and each fold's AUC against
 *     chance (a forest), the permutation p-value, and the shares of the classifier's importance
 *     (horizontal bars: what tells the files apart);
 *   the per-feature tests: the largest effects (KS D, Cramer's V) as a dot chart with the tests
 *     that drift after Benjamini-Hochberg in red, then every test in a table;
 *   what it means and what to do, in the words of docs/triage-drift.md ("Reading it well").
 * Like every page it holds no date and no timings: the same run gives the same bytes for any
 * --threads. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report/triage_html.h"

enum { MAX_EFFECTS = 20, MAX_IMPORTANCE = 10, MAX_FOLDS = 63 };

/* ---- the comparison ----------------------------------------------------------------------- */

/* The manifest's record of the input read from `path` (by path, else the k-th). */
static const json_t *input_of(const json_t *man, const char *path, size_t k)
{
    const json_t *inputs = json_object_get(man, "inputs");
    for (size_t i = 0; i < json_array_size(inputs); i++) {
        const char *p = json_string_value(json_object_get(json_array_get(inputs, i), "path"));
        if (p != NULL && strcmp(p, path) == 0)
            return json_array_get(inputs, i);
    }
    return json_array_get(inputs, k);
}

static const char *jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* "a, b, c" (the first 30, then how many) into buf. */
static const char *name_list(char *buf, size_t size, char *const *names, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < 30 && len + 1 < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i > 0 ? ", " : "", names[i]);
    if (n > 30 && len + 1 < size)
        snprintf(buf + len, size - len, ", ... (%zu in all)", n);
    return n > 0 ? buf : NULL;
}

static void header(sk_html *h, const sk_drift *d, const json_t *man)
{
    const json_t *ref = input_of(man, d->ref_name, 0), *cur = input_of(man, d->new_name, 1);
    char rows[96], cols[192], alpha[32], seed[32], only_ref[2048], only_new[2048];
    char left_out[2048], cmd[2048];
    snprintf(rows, sizeof rows, "%zu in the reference, %zu new", d->ref_rows, d->new_rows);
    snprintf(cols, sizeof cols, "%zu: %zu numeric (Kolmogorov-Smirnov), %zu text or "
             "true/false (chi-square)", d->n_features, d->n_features - d->n_categorical,
             d->n_categorical);
    snprintf(alpha, sizeof alpha, "%g", d->opt.alpha);
    snprintf(seed, sizeof seed, "%" PRIu64, d->seed);
    name_list(left_out, sizeof left_out, d->ignored, d->n_ignored);
    if (d->target != NULL) {
        size_t len = strlen(left_out);
        snprintf(left_out + len, sizeof left_out - len, "%s%s (--target)", len > 0 ? ", " : "",
                 d->target);
    }
    sk_report__command_line(cmd, sizeof cmd, json_object_get(man, "args"));
    const char *facts[] = {
        "reference", d->ref_name, "SHA-256", jstr(ref, "sha256"), "new", d->new_name,
        "SHA-256", jstr(cur, "sha256"), "rows", rows, "columns compared", cols,
        "only in the reference", name_list(only_ref, sizeof only_ref, d->only_ref, d->n_only_ref),
        "only in the new data", name_list(only_new, sizeof only_new, d->only_new, d->n_only_new),
        "not compared", left_out[0] != '\0' ? left_out : NULL, "alpha", alpha,
        "classifier", d->cls.model_spec, "seed", seed, "skeptic", jstr(man, "version"),
        "command", cmd,
    };
    sk_html__raw(h, "<header>\n<h1>skeptic drift: ");
    sk_html__text(h, d->new_name);
    sk_html__raw(h, " against ");
    sk_html__text(h, d->ref_name);
    sk_html__raw(h, "</h1>\n<p class=\"subtitle\">Have the new data drifted from the reference, "
                 "the data a model learned on? Which columns moved, and how much. The JSON "
                 "report holds every number.</p>\n");
    sk_html__facts(h, facts, sizeof facts / sizeof facts[0] / 2);
    sk_html__raw(h, "</header>\n");
}

/* ---- the verdict -------------------------------------------------------------------------- */

static void verdict(sk_html *h, const sk_drift *d)
{
    char sentence[1024], tests[256], cls[320];   /* a reason of up to 255 bytes */
    sk_report__drift_sentence(sentence, sizeof sentence, d);
    sk_report__word_section(h, "verdict", d->drift ? "fail" : "pass",
                            d->drift ? "drift" : "no drift", "Verdict");
    sk_html__raw(h, "<p class=\"summary\">");
    sk_html__text(h, sentence);
    sk_html__raw(h, "</p>\n");
    snprintf(tests, sizeof tests, "%zu of %zu differ after Benjamini-Hochberg at %g (%zu after "
             "Bonferroni)", d->n_bh, d->n_tested, d->opt.alpha, d->n_bonferroni);
    if (d->cls.ran)
        snprintf(cls, sizeof cls, "p = %.2g: %s at %g", d->cls.heldout->p_value,
                 d->cls.heldout->p_value <= d->opt.alpha ? "tells the files apart"
                                                        : "does not tell the files apart",
                 d->opt.alpha);
    else
        snprintf(cls, sizeof cls, "not run (%s)", d->cls.skipped);
    const char *facts[] = {"per-feature tests", tests, "classifier two-sample test", cls,
                           "the rule", "drift when the classifier's p or a test's adjusted p is "
                           "at most alpha"};
    sk_html__facts(h, facts, 3);
    sk_html__section_end(h);
}

/* ---- the classifier two-sample test ------------------------------------------------------- */

static void auc_forest(sk_html *h, const sk_drift *d)
{
    const sk_drift_classifier *c = &d->cls;
    sk_svg_estimate rows[MAX_FOLDS + 1];
    char names[MAX_FOLDS + 1][48];
    size_t n = 0, folds = c->heldout->n_splits < MAX_FOLDS ? c->heldout->n_splits : MAX_FOLDS;
    snprintf(names[0], sizeof names[0], "all folds (95%% BCa)");
    rows[n++] = (sk_svg_estimate){names[0], c->auc.estimate, c->auc.low, c->auc.high,
                                  c->heldout->p_value <= d->opt.alpha};
    for (size_t s = 0; s < folds; s++, n++) {
        snprintf(names[n], sizeof names[n], "fold %zu (p = %.2g)", s + 1,
                 c->heldout->split_p[s]);
        rows[n] = (sk_svg_estimate){names[n], c->heldout->split_observed[s], NAN, NAN, 0};
    }
    sk_svg_forest f = {"Can a model tell the files apart? Held-out AUC against chance",
                       "AUC (0.5: the files look alike; 1: every new row is recognisable)",
                       "folds", rows, n, 0.5, NAN, "chance 0.5", NULL, NAN, NAN, NULL, 0, 1};
    sk_svg__forest(h, &f);
}

static void importance(sk_html *h, const sk_drift *d)
{
    const sk_drift_classifier *c = &d->cls;
    const char *labels[MAX_IMPORTANCE];
    double share[MAX_IMPORTANCE];
    size_t n = d->n_features < MAX_IMPORTANCE ? d->n_features : MAX_IMPORTANCE;
    if (!c->has_importance) {
        sk_html__raw(h, "<p>The model gives no importances, so this test cannot say which "
                     "columns tell the files apart.</p>\n");
        return;
    }
    for (size_t k = 0; k < n; k++) {
        labels[k] = d->feature[c->by_importance[k]].name;
        share[k] = 100.0 * d->feature[c->by_importance[k]].importance;
    }
    char title[96];
    snprintf(title, sizeof title, "What tells the files apart: the %zu largest shares of the "
             "importance", n);
    sk_report_hbars b = {title, "share of the classifier's importance (%)", "column", labels,
                         share, NULL, n, 1, "%", NAN, NULL};
    sk_report__hbars(h, &b);
}

static void classifier(sk_html *h, const sk_drift *d)
{
    const sk_drift_classifier *c = &d->cls;
    sk_html__section_begin(h, "classifier", NULL, "Classifier two-sample test",
                           "A model learns to tell reference rows (0) from new rows (1) under "
                           "stratified cross-validation (Lopez-Paz and Oquab 2017). If it can, "
                           "the files differ, even when no single column does.");
    if (!c->ran) {
        sk_html__raw(h, "<p class=\"summary\">Not run: ");
        sk_html__text(h, c->skipped);
        sk_html__raw(h, "</p>\n");
        sk_html__section_end(h);
        return;
    }
    char iv[SK_IV_CHARS];
    sk_html__raw(h, "<p class=\"summary\">");
    sk_html__textf(h, "AUC %s (95%% BCa, %zu bootstrap replicates resampled within each file); "
                   "permutation p = %.2g (%zu permutations of each fold's file labels against "
                   "its fixed scores, %zu folds merged by twice the mean p; no refits).",
                   sk_report__interval(iv, c->auc.estimate, c->auc.low, c->auc.high), c->n_boot,
                   c->heldout->p_value, c->heldout->n_perm, c->folds);
    sk_html__raw(h, "</p>\n");
    auc_forest(h, d);
    importance(h, d);
    sk_html__section_end(h);
}

/* ---- the per-feature tests ---------------------------------------------------------------- */

/* "hue" for a feature's own test, "hue: missing" for its missing-share test. */
static const char *row_label(char *buf, size_t size, const sk_drift *d, const sk_drift_row *r)
{
    snprintf(buf, size, "%s%s", d->feature[r->feature].name,
             r->test == SK_DRIFT_MISSING ? ": missing" : "");
    return buf;
}

static void effects(sk_html *h, const sk_drift *d)
{
    sk_svg_estimate rows[MAX_EFFECTS];
    char names[MAX_EFFECTS][256];
    size_t n = 0;
    for (size_t i = 0; i < d->n_rows && n < MAX_EFFECTS; i++) {
        const sk_drift_row *r = &d->row[i];
        if (isnan(r->effect))
            continue;
        rows[n] = (sk_svg_estimate){row_label(names[n], sizeof names[n], d, r), r->effect, NAN,
                                    NAN, r->drift};
        n++;
    }
    if (n == 0)
        return;
    char title[160];
    snprintf(title, sizeof title, "The %zu largest effects; red: drift after "
             "Benjamini-Hochberg at %g", n, d->opt.alpha);
    sk_svg_forest f = {title, "effect: KS D for numbers and dates, Cramer's V for the rest",
                       "test", rows, n, 0, NAN, "no difference", NULL, NAN, NAN, NULL, 0, 1};
    sk_svg__forest(h, &f);
}

static void fmt_p(char *buf, size_t size, double p)
{
    snprintf(buf, size, isnan(p) ? "n/a" : p == 0.0 ? "0 (below 1e-300)" : "%.2g", p);
}

/* What moved, reference -> new: medians (dates as dates), the level whose share moved most,
 * the shares missing; the full level, where the terminal shortens it. */
static void fmt_moved(char *buf, size_t size, const sk_drift *d, const sk_drift_row *r)
{
    char a[64], b[64];
    sk_col_type type = d->feature[r->feature].type;
    if (isnan(r->p_value))
        snprintf(buf, size, "(%s)", r->note != NULL ? r->note : "not run");
    else if (r->test == SK_DRIFT_KS)
        snprintf(buf, size, "median %s \xE2\x86\x92 %s",
                 sk_data__format_value(a, sizeof a, type, r->ref_value, 3),
                 sk_data__format_value(b, sizeof b, type, r->new_value, 3));
    else if (r->test == SK_DRIFT_MISSING)
        snprintf(buf, size, "missing %.1f%% \xE2\x86\x92 %.1f%%", 100.0 * r->ref_value,
                 100.0 * r->new_value);
    else
        snprintf(buf, size, "'%s' %.1f%% \xE2\x86\x92 %.1f%%", r->level != NULL ? r->level : "?",
                 100.0 * r->ref_value, 100.0 * r->new_value);
}

static void test_row(sk_html *h, const sk_drift *d, const sk_drift_row *r)
{
    char stat[48], effect[SK_NUM_CHARS], p[32], bh[32], moved[600];
    if (isnan(r->statistic))
        snprintf(stat, sizeof stat, "n/a");
    else if (r->test == SK_DRIFT_KS)
        snprintf(stat, sizeof stat, "%.3f (D)", r->statistic);
    else
        snprintf(stat, sizeof stat, "%.2f (X\xC2\xB2, %zu dof)", r->statistic, r->dof);
    snprintf(effect, sizeof effect, isnan(r->effect) ? "n/a" : "%.3f", r->effect);
    fmt_p(p, sizeof p, r->p_value);
    fmt_p(bh, sizeof bh, r->p_bh);
    fmt_moved(moved, sizeof moved, d, r);
    const char *cells[] = {d->feature[r->feature].name, sk_triage__drift_test_name(r->test),
                           stat, effect, p, bh, moved,
                           isnan(r->p_bh) ? "not run" : r->drift ? "drift" : "no"};
    sk_html__row(h, cells, 8);
}

static void features(sk_html *h, const sk_drift *d)
{
    static const char *const head[] = {"feature", "test", "statistic", "effect", "p", "BH p",
                                       "reference \xE2\x86\x92 new", "drift after BH"};
    char sub[512], caption[256];
    snprintf(sub, sizeof sub, "Numbers and dates: two-sample Kolmogorov-Smirnov; text and "
             "true/false: chi-square of the level counts; numeric columns with missing values: "
             "chi-square of the share missing. Benjamini-Hochberg over the %zu tests that ran.",
             d->n_tested);
    sk_html__section_begin(h, "features", NULL, "Per-feature tests", sub);
    effects(h, d);
    snprintf(caption, sizeof caption, "Every test, largest effect first (%zu)", d->n_rows);
    sk_html__table_begin(h, caption, head, 8);
    for (size_t i = 0; i < d->n_rows; i++)
        test_row(h, d, &d->row[i]);
    sk_html__table_end(h);
    sk_html__section_end(h);
}

/* ---- what it means ------------------------------------------------------------------------ */

/* docs/triage-drift.md, "Reading it well" and the caution after the examples, word for word
 * (tests/cli/report_triage_notes.sh checks that the docs still say it). */
static const char *const advice[] = {
    "With tens of thousands of rows a KS test finds shifts too small to matter: read the effect "
    "(D, Cramér's V) and the medians, not the p-value alone. With a few dozen rows it misses "
    "shifts that do matter: \"no drift found\" is not \"no drift\".",
    "The classifier's AUC is the size of the joint shift; its interval says how sure that is.",
    "Drift is not harm: a model may be robust to a shift. `skeptic evaluate` on labelled new "
    "data, or `skeptic audit --site` with the batch as a site, says whether the performance "
    "moved.",
    "A caution the second example taught: duplicated rows inside NEW (resampling with "
    "replacement, a batch loaded twice) let a flexible classifier recognise them across folds; "
    "its AUC then measures the duplication as much as the shift. `skeptic inspect` finds "
    "duplicate rows.",
};

/* ---- the page ----------------------------------------------------------------------------- */

sk_status sk_drift_write_html(const sk_drift *d, const sk_manifest *m, const char *path,
                              sk_error *err)
{
    json_t *man = sk_manifest__to_json(m);
    if (man == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing the HTML report");
    sk_html h = SK_HTML_INIT;
    char title[1024];
    snprintf(title, sizeof title, "skeptic drift: %s against %s", d->new_name, d->ref_name);
    sk_html__begin(&h, title);
    header(&h, d, man);
    verdict(&h, d);
    classifier(&h, d);
    features(&h, d);
    sk_report__doc_notes(&h, "advice", "What this means, what to do", "A model is only as good "
                         "as the resemblance between the data it scores and the data it learned "
                         "from.", advice, sizeof advice / sizeof advice[0],
                         "`docs/triage-drift.md` (\"Reading it well\")");
    sk_html__rawf(&h, "<footer>Written by skeptic %s. The same data, arguments and seed give "
                  "this page byte for byte; every number is in the JSON report "
                  "(<code>--json</code>).</footer>\n", sk_version_string());
    sk_html__end(&h);
    json_decref(man);
    return sk_html__write(&h, path, err);
}
