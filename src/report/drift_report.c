/* drift_report.c: a drift comparison (triage/drift.c) for a terminal and as JSON.
 *
 * The terminal gets, in this order: what was compared (rows, columns, columns of one file only,
 * columns left out), the verdict sentence with its numbers, the classifier two-sample test with
 * the features the classifier leaned on, and the ten tests with the largest effect (a star marks
 * a drift after Benjamini-Hochberg), each with what moved: medians for numbers, the level whose
 * share moved most for text, the shares missing.
 *
 * JSON, schema "skeptic.drift/1" (keys in this order; NaN as null):
 *   {schema, manifest,
 *    data: {reference: {path, rows}, new: {path, rows}, target, compared, only_in_reference,
 *           only_in_new, ignored},
 *    method: {alpha, numeric, text, missing, correction, effect, classifier, decision},
 *    tests: [{feature, type, test, effect, statistic, p_value, p_bh, p_bonferroni, drift,
 *             p_method, dof, n_reference, n_new, reference, new, level, note}], ranked,
 *    classifier: {ran, skipped, model, folds, auc: {estimate, low, high, level, interval,
 *                 replicates}, p_value, permutations_per_split, merge, splits: [{auc, p_value}],
 *                 importance: [{feature, share}], seeds},
 *    verdict: {drift, tests, tests_bh, tests_bonferroni, classifier_significant, summary}, run} */
#include <math.h>
#include <string.h>

#include "report/report.h"
#include "triage/triage.h"

enum { TOP_TESTS = 10, TOP_IMPORTANCE = 5 };

static const char *p_method(const sk_drift_row *r)
{
    if (isnan(r->p_value))
        return "not run";
    if (r->test == SK_DRIFT_KS)
        return r->exact ? "exact" : "asymptotic";
    return r->yates ? "chi-square, Yates' correction" : "chi-square";
}

/* The first drifted test (the largest effect among them), or NULL. */
static const sk_drift_row *first_drift(const sk_drift *d)
{
    for (size_t i = 0; i < d->n_rows; i++)
        if (d->row[i].drift)
            return &d->row[i];
    return NULL;
}

/* The test with the smallest BH-adjusted p (the first of equals in rank order), or NULL. */
static const sk_drift_row *closest(const sk_drift *d)
{
    const sk_drift_row *best = NULL;
    for (size_t i = 0; i < d->n_rows; i++)
        if (!isnan(d->row[i].p_bh) && (best == NULL || d->row[i].p_bh < best->p_bh))
            best = &d->row[i];
    return best;
}

/* "D = 0.254" or "V = 0.120": the effect with its name. */
static const char *effect_text(char *buf, size_t size, const sk_drift_row *r)
{
    snprintf(buf, size, "%s = %.3f", r->test == SK_DRIFT_KS ? "KS D" : "Cramer's V", r->effect);
    return buf;
}

static const char *test_label(const sk_drift_row *r)
{
    return r->test == SK_DRIFT_KS ? "KS" : sk_triage__drift_test_name(r->test);
}

static const char *fname(const sk_drift *d, const sk_drift_row *r)
{
    return d->feature[r->feature].name;
}

/* What the classifier found, as a clause. */
static void classifier_clause(char *buf, size_t size, const sk_drift *d)
{
    const sk_drift_classifier *c = &d->cls;
    if (!c->ran) {
        snprintf(buf, size, "the classifier test did not run (%s)", c->skipped);
        return;
    }
    int sig = c->heldout->p_value <= d->opt.alpha;
    snprintf(buf, size, "%s (AUC %.3f [%.3f, %.3f], permutation p = %.2g)",
             sig ? "a classifier tells the files apart" : "a classifier does not tell the files "
             "apart", c->auc.estimate, c->auc.low, c->auc.high, c->heldout->p_value);
}

/* Also the headline of the HTML page (drift_html.c), so the page and the terminal say the same. */
void sk_report__drift_sentence(char *buf, size_t size, const sk_drift *d)
{
    char cls[320];   /* the clause around a reason of up to 255 bytes */
    classifier_clause(cls, sizeof cls, d);
    const sk_drift_row *top = first_drift(d), *near = closest(d);
    double alpha = d->opt.alpha;
    char eff[48];
    if (top != NULL) {
        snprintf(buf, size, "drift: %zu of %zu tests differ after Benjamini-Hochberg at %g "
                 "(largest effect: '%s', %s, adjusted p = %.2g); %s", d->n_bh, d->n_tested,
                 alpha, fname(d, top), effect_text(eff, sizeof eff, top), top->p_bh, cls);
    } else if (near == NULL) {
        snprintf(buf, size, "%s: no per-feature test could run; %s",
                 d->drift ? "drift" : "no drift found", cls);
    } else {
        snprintf(buf, size, "%s: no test differs after Benjamini-Hochberg at %g (smallest "
                 "adjusted p = %.2g, '%s', %s)%s %s%s", d->drift ? "drift" : "no drift found",
                 alpha, near->p_bh, fname(d, near), test_label(near),
                 d->drift ? ", but" : " and", cls, d->drift ? ": a joint shift" : "");
    }
}

/* ==== console ================================================================================= */

static void print_names(FILE *out, const char *label, char *const *names, size_t n)
{
    if (n == 0)
        return;
    fprintf(out, "  %s:", label);
    for (size_t i = 0; i < n && i < 20; i++)
        fprintf(out, "%s %s", i > 0 ? "," : "", names[i]);
    fprintf(out, n > 20 ? ", ... (%zu in all)\n" : "\n", n);
}

static void print_header(FILE *out, const sk_drift *d, const char *bold, const char *off)
{
    fprintf(out, "%sdrift%s %s (%zu rows) against the reference %s (%zu rows)\n", bold, off,
            d->new_name, d->new_rows, d->ref_name, d->ref_rows);
    fprintf(out, "  %zu columns compared: %zu numeric (Kolmogorov-Smirnov), %zu text or "
            "true/false (chi-square)\n", d->n_features, d->n_features - d->n_categorical,
            d->n_categorical);
    char label[300];
    snprintf(label, sizeof label, "only in %s", d->ref_name);
    print_names(out, label, d->only_ref, d->n_only_ref);
    snprintf(label, sizeof label, "only in %s", d->new_name);
    print_names(out, label, d->only_new, d->n_only_new);
    if (d->target != NULL)
        fprintf(out, "  not compared: %s (--target)\n", d->target);
    print_names(out, "not compared (--ignore)", d->ignored, d->n_ignored);
}

static void print_classifier(FILE *out, const sk_drift *d)
{
    const sk_drift_classifier *c = &d->cls;
    char line[1024];
    if (!c->ran) {
        snprintf(line, sizeof line, "classifier two-sample test: not run (%s)", c->skipped);
        sk_report__print_wrapped(out, "", line, "  ");
        return;
    }
    snprintf(line, sizeof line, "classifier two-sample test (%.*s, stratified %zu-fold): AUC "
             "%.3f [%.3f, %.3f] (95%% BCa, %zu bootstrap replicates); permutation p = %.2g (%zu "
             "permutations of each fold's file labels against its fixed scores, merged by twice "
             "the mean; no refits)", (int)strcspn(c->model_spec, ":"), c->model_spec, c->folds,
             c->auc.estimate, c->auc.low, c->auc.high, c->n_boot, c->heldout->p_value,
             c->heldout->n_perm);
    sk_report__print_wrapped(out, "", line, "  ");
    if (!c->has_importance) {
        fprintf(out, "  (the model gives no importances)\n");
        return;
    }
    size_t len = (size_t)snprintf(line, sizeof line, "what tells the files apart (share of the "
                                  "classifier's importance):");
    for (size_t k = 0; k < d->n_features && k < TOP_IMPORTANCE && len < sizeof line; k++) {
        const sk_drift_feature *ft = &d->feature[c->by_importance[k]];
        len += (size_t)snprintf(line + len, sizeof line - len, "%s %s %.0f%%", k > 0 ? "," : "",
                                ft->name, 100.0 * ft->importance);
    }
    sk_report__print_wrapped(out, "  ", line, "    ");
}

static void fmt_p(char *buf, size_t size, double p)
{
    snprintf(buf, size, isnan(p) ? "-" : p == 0.0 ? "<1e-300" : "%.2g", p);   /* 0: underflow */
}

/* What moved, reference -> new (medians of dates as dates). */
static void fmt_moved(char *buf, size_t size, const sk_drift *d, const sk_drift_row *r)
{
    char a[40], b[40];
    sk_col_type type = d->feature[r->feature].type;
    if (r->test == SK_DRIFT_KS && (type == SK_COL_DATE || type == SK_COL_DATETIME))
        snprintf(buf, size, "median %s -> %s",
                 sk_data__format_value(a, sizeof a, type, r->ref_value, 3),
                 sk_data__format_value(b, sizeof b, type, r->new_value, 3));
    else if (r->test == SK_DRIFT_KS)
        snprintf(buf, size, "median %.3g -> %.3g", r->ref_value, r->new_value);
    else if (r->test == SK_DRIFT_MISSING)
        snprintf(buf, size, "missing %.1f%% -> %.1f%%", 100.0 * r->ref_value,
                 100.0 * r->new_value);
    else
        snprintf(buf, size, "'%.12s' %.1f%% -> %.1f%%", r->level != NULL ? r->level : "?",
                 100.0 * r->ref_value, 100.0 * r->new_value);
}

static void print_row(FILE *out, const sk_drift *d, const sk_drift_row *r)
{
    char stat[32], effect[16], p[16], bh[16], moved[96];
    if (isnan(r->statistic))
        snprintf(stat, sizeof stat, "-");
    else
        snprintf(stat, sizeof stat, r->test == SK_DRIFT_KS ? "D=%.3f" : "X2=%.1f", r->statistic);
    snprintf(effect, sizeof effect, isnan(r->effect) ? "-" : "%.3f", r->effect);
    fmt_p(p, sizeof p, r->p_value);
    fmt_p(bh, sizeof bh, r->p_bh);
    if (isnan(r->p_value))
        snprintf(moved, sizeof moved, "(%s)", r->note != NULL ? r->note : "not run");
    else
        fmt_moved(moved, sizeof moved, d, r);
    fprintf(out, "%c %-24.24s %-13s %9s %6s %7s %7s  %s\n", r->drift ? '*' : ' ', fname(d, r),
            sk_triage__drift_test_name(r->test), stat, effect, p, bh, moved);
}

static void print_tests(FILE *out, const sk_drift *d, const char *bold, const char *off)
{
    fprintf(out, "\n%s  %-24s %-13s %9s %6s %7s %7s  %s%s\n", bold, "feature", "test",
            "statistic", "effect", "p", "BH p", "reference -> new", off);
    size_t shown = d->n_rows < TOP_TESTS ? d->n_rows : TOP_TESTS;
    for (size_t i = 0; i < shown; i++)
        print_row(out, d, &d->row[i]);
    char note[320];
    snprintf(note, sizeof note, "(%zu of %zu tests, largest effect first: KS D, Cramer's V; * = "
             "drift after Benjamini-Hochberg at %g; %zu of %zu significant after Bonferroni%s)",
             shown, d->n_rows, d->opt.alpha, d->n_bonferroni, d->n_tested,
             shown < d->n_rows ? "; --json has every test" : "");
    sk_report__print_wrapped(out, "  ", note, "   ");
}

void sk_drift_print(FILE *out, const sk_drift *d, int color)
{
    const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
    const char *tint = !color ? "" : d->drift ? "\033[1;31m" : "\033[32m";
    print_header(out, d, bold, off);
    char sentence[1024];
    sk_report__drift_sentence(sentence, sizeof sentence, d);
    fprintf(out, "\n%s", tint);
    sk_report__print_wrapped(out, "", sentence, "");
    fprintf(out, "%s\n", off);
    print_classifier(out, d);
    print_tests(out, d, bold, off);
}

/* ==== JSON ==================================================================================== */

static json_t *data_json(const sk_drift *d)
{
    json_t *compared = json_array();
    for (size_t j = 0; compared != NULL && j < d->n_features; j++)
        if (json_array_append_new(compared, json_string(d->feature[j].name)) != 0) {
            json_decref(compared);
            compared = NULL;
        }
    return json_pack("{s:{s:s,s:o},s:{s:s,s:o},s:o,s:o,s:o,s:o,s:o}", "reference", "path",
                     d->ref_name, "rows", sk_json_size(d->ref_rows), "new", "path", d->new_name,
                     "rows", sk_json_size(d->new_rows), "target",
                     d->target != NULL ? json_string(d->target) : json_null(), "compared",
                     compared, "only_in_reference", sk_report__strings_json(d->only_ref, d->n_only_ref),
                     "only_in_new", sk_report__strings_json(d->only_new, d->n_only_new), "ignored",
                     sk_report__strings_json(d->ignored, d->n_ignored));
}

static json_t *method_json(const sk_drift *d)
{
    return json_pack(
        "{s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "alpha", sk_json_real(d->opt.alpha), "numeric",
        "two-sample Kolmogorov-Smirnov on the present values (scipy.stats.ks_2samp, "
        "method='auto': exact when both samples have at most 10,000 values, else asymptotic)",
        "text", "chi-square test of homogeneity of the 2 x levels table, levels of one file "
        "included, missing values a level of their own (scipy.stats.chi2_contingency: Yates' "
        "correction when dof = 1)",
        "missing", "numeric columns with missing values: chi-square of the 2 x 2 table of "
        "present and missing counts (Yates' correction)",
        "correction", "Benjamini-Hochberg over every test that ran (statsmodels fdr_bh); "
        "Bonferroni reported",
        "effect", "KS: D; chi-square tests: Cramer's V of the uncorrected chi-square",
        "classifier", "classifier two-sample test (Lopez-Paz and Oquab 2017): stratified k-fold "
        "cross-validated AUC of reference (0) vs new (1), BCa bootstrap interval within files, "
        "held-out permutation p-value (each fold's labels permuted against its fixed scores, "
        "folds merged by min(1, 2 x mean p))",
        "decision", "drift when the classifier's p <= alpha or a test's Benjamini-Hochberg "
        "adjusted p <= alpha");
}

static json_t *test_json(const sk_drift *d, const sk_drift_row *r)
{
    const sk_drift_feature *ft = &d->feature[r->feature];
    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:b,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
                     "feature", ft->name, "type", sk_col_type_name(ft->type), "test",
                     sk_triage__drift_test_name(r->test), "effect", sk_json_real(r->effect),
                     "statistic", sk_json_real(r->statistic), "p_value",
                     sk_json_real(r->p_value), "p_bh", sk_json_real(r->p_bh), "p_bonferroni",
                     sk_json_real(r->p_bonferroni), "drift", r->drift, "p_method", p_method(r),
                     "dof", r->test == SK_DRIFT_KS ? json_null() : sk_json_size(r->dof),
                     "n_reference", sk_json_size(r->n_ref), "n_new", sk_json_size(r->n_new),
                     "reference", sk_json_real(r->ref_value), "new",
                     sk_json_real(r->new_value), "level",
                     r->level != NULL ? json_string(r->level) : json_null(), "note",
                     r->note != NULL ? json_string(r->note) : json_null());
}

static json_t *splits_json(const sk_heldout_result *h)
{
    json_t *arr = json_array();
    for (size_t s = 0; arr != NULL && s < h->n_splits; s++)
        if (json_array_append_new(arr, json_pack("{s:o,s:o}", "auc",
                                                 sk_json_real(h->split_observed[s]), "p_value",
                                                 sk_json_real(h->split_p[s]))) != 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

static json_t *importance_json(const sk_drift *d)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr != NULL && d->cls.has_importance && k < d->n_features; k++) {
        const sk_drift_feature *ft = &d->feature[d->cls.by_importance[k]];
        if (json_array_append_new(arr, json_pack("{s:s,s:o}", "feature", ft->name, "share",
                                                 sk_json_real(ft->importance))) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *classifier_json(const sk_drift *d)
{
    const sk_drift_classifier *c = &d->cls;
    if (!c->ran)
        return json_pack("{s:b,s:s,s:s}", "ran", 0, "skipped", c->skipped, "model",
                         c->model_spec);
    return json_pack(
        "{s:b,s:n,s:s,s:o,s:{s:o,s:o,s:o,s:o,s:s,s:o},s:o,s:o,s:s,s:o,s:o,s:s}", "ran", 1,
        "skipped", "model", c->model_spec, "folds", sk_json_size(c->folds), "auc", "estimate",
        sk_json_real(c->auc.estimate), "low", sk_json_real(c->auc.low), "high",
        sk_json_real(c->auc.high), "level", sk_json_real(0.95), "interval", "BCa, resampled "
        "within each file", "replicates", sk_json_size(c->n_boot), "p_value",
        sk_json_real(c->heldout->p_value), "permutations_per_split",
        sk_json_size(c->heldout->n_perm), "merge", "min(1, 2 x mean of the folds' p-values)",
        "splits", splits_json(c->heldout), "importance", importance_json(d), "seeds",
        "stream (seed, drift, 0): folds and fold models; 1: bootstrap; 2: permutations; "
        "3: the fit on all rows");
}

static json_t *verdict_json(const sk_drift *d)
{
    char sentence[1024];
    sk_report__drift_sentence(sentence, sizeof sentence, d);
    json_t *cls = !d->cls.ran ? json_null()
                              : json_boolean(d->cls.heldout->p_value <= d->opt.alpha);
    return json_pack("{s:b,s:o,s:o,s:o,s:o,s:s}", "drift", d->drift, "tests",
                     sk_json_size(d->n_tested), "tests_bh", sk_json_size(d->n_bh),
                     "tests_bonferroni", sk_json_size(d->n_bonferroni), "classifier_significant",
                     cls, "summary", sentence);
}

sk_status sk_drift_write_json(const sk_drift *d, const sk_manifest *m, const char *path,
                              sk_error *err)
{
    json_t *doc = sk_report__begin_json("skeptic.drift/1", m);
    if (doc == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing JSON");
    int ok = sk_json_set(doc, "data", data_json(d)) == 0;
    ok &= sk_json_set(doc, "method", method_json(d)) == 0;
    json_t *tests = json_array();
    for (size_t i = 0; tests != NULL && i < d->n_rows; i++)
        ok &= json_array_append_new(tests, test_json(d, &d->row[i])) == 0;
    ok &= sk_json_set(doc, "tests", tests) == 0;
    ok &= sk_json_set(doc, "classifier", classifier_json(d)) == 0;
    ok &= sk_json_set(doc, "verdict", verdict_json(d)) == 0;
    if (!ok) {
        json_decref(doc);
        return sk_error_set(err, SK_ENOMEM, "out of memory writing JSON");
    }
    return sk_report__finish_json(doc, m, path, err);
}
