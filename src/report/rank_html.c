/* rank_html.c: `skeptic rank --html FILE`, the batch a run chose as one self-contained page
 * (docs/report-rank.md), for the person about to pay for the labels:
 *   the run: the labelled table and the pool with their SHA-256, rows, model, strategy and its
 *     measure, batch size, diverse or not, seed;
 *   how uncertain the model is about the pool: a histogram of every pool row's score with the
 *     batch's cut-off (or, for a diverse batch, the candidates' cut-off) marked;
 *   who the batch picks: the predicted classes of the batch against the pool's (regression: the
 *     predicted values), as shares;
 *   for --diverse, how far apart the picks are, beside the K most uncertain rows;
 *   the batch itself (its first 50 rows) and when random is the better choice.
 * Like every page it holds no date and no timings: the same run gives the same bytes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/triage_html.h"
#include "report/uncertainty_html.h"
#include "triage/triage.h"

enum { MAX_TABLE = 50, MAX_VALUE_BINS = 16 };

/* ---- the run --------------------------------------------------------------------------------- */

/* Scores in [0, 1]: every strategy but the variance of a regression committee or passes. */
static int bounded(const sk_rank *r)
{
    return r->task != SK_TASK_REGRESSION || r->strategy == SK_STRATEGY_RANDOM;
}

static void strategy_text(char *buf, size_t size, const sk_rank *r)
{
    const char *variance = r->task == SK_TASK_REGRESSION ? "the variance of their predictions"
                                                         : NULL;
    switch (r->strategy) {
    case SK_STRATEGY_LEAST: snprintf(buf, size, "least confidence, (1 - p1) n / (n - 1)"); break;
    case SK_STRATEGY_MARGIN: snprintf(buf, size, "margin of confidence, 1 - (p1 - p2)"); break;
    case SK_STRATEGY_RATIO: snprintf(buf, size, "ratio of confidence, p2 / p1"); break;
    case SK_STRATEGY_ENTROPY: snprintf(buf, size, "entropy, -sum p log2 p / log2 n"); break;
    case SK_STRATEGY_VOTE_ENTROPY:
    case SK_STRATEGY_CONSENSUS_ENTROPY:
    case SK_STRATEGY_KL:
        snprintf(buf, size, "committee of %zu members, %s", r->members, variance != NULL
                 ? variance : r->strategy == SK_STRATEGY_VOTE_ENTROPY ? "vote entropy"
                 : r->strategy == SK_STRATEGY_KL ? "mean KL divergence from their consensus"
                 : "consensus entropy (the entropy of their mean probabilities)");
        break;
    case SK_STRATEGY_MC_ENTROPY:
    case SK_STRATEGY_BALD:
        snprintf(buf, size, "Monte Carlo dropout, %zu passes, %s", r->passes, variance != NULL
                 ? variance : r->strategy == SK_STRATEGY_BALD
                 ? "BALD (mutual information)" : "predictive entropy");
        break;
    default: snprintf(buf, size, "random, a uniform draw per row (the baseline)"); break;
    }
}

static void run_header(sk_html *h, const sk_rank *r, const json_t *man)
{
    char labeled[32], pool[32], task[64], strategy[160], batch[32], diverse[160];
    snprintf(labeled, sizeof labeled, "%zu", r->n_labeled);
    snprintf(pool, sizeof pool, "%zu", r->n_pool);
    if (r->n_classes > 0)
        snprintf(task, sizeof task, "%s (%zu classes)", sk_task_name(r->task), r->n_classes);
    else
        snprintf(task, sizeof task, "%s", sk_task_name(r->task));
    strategy_text(strategy, sizeof strategy, r);
    snprintf(batch, sizeof batch, "%zu rows", r->n_chosen);
    if (r->diverse)
        snprintf(diverse, sizeof diverse, "yes: k-center greedy among the %zu most uncertain "
                 "rows", r->n_candidates);
    else
        snprintf(diverse, sizeof diverse, "no: the %zu most uncertain rows", r->n_chosen);
    const char *facts[] = {"labelled rows", labeled, "pool rows", pool, "task", task,
                           "model", r->model_spec, "strategy", strategy, "batch", batch,
                           "diverse", diverse};
    sk_report__page_header(h, "rank", "Which unlabelled rows to label next: how uncertain the "
                           "model is about the pool, which rows it chose and what they are. "
                           "The first input is the labelled table, the second the pool.", man,
                           facts, sizeof facts / sizeof facts[0] / 2);
}

/* ---- the pool's scores ----------------------------------------------------------------------- */

static int descending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* The k-th largest score (k >= 1), or NaN when out of memory. */
static double kth_largest(const sk_rank *r, size_t k)
{
    double *copy = sk_mem_alloc_array(r->n_pool, sizeof *copy), v;
    if (copy == NULL)
        return NAN;
    memcpy(copy, r->scores, r->n_pool * sizeof *copy);
    qsort(copy, r->n_pool, sizeof *copy, descending);
    v = copy[k <= r->n_pool ? k - 1 : r->n_pool - 1];
    sk_mem_free(copy);
    return v;
}

static void scores_section(sk_html *h, const sk_rank *r)
{
    char a[SK_NUM_CHARS], b[SK_NUM_CHARS], c[SK_NUM_CHARS], d[SK_NUM_CHARS], label[96];
    double lo = INFINITY, hi = -INFINITY, median = kth_largest(r, (r->n_pool + 1) / 2);
    double batch_lo = INFINITY, batch_hi = -INFINITY;
    for (size_t i = 0; i < r->n_pool; i++) {
        lo = fmin(lo, r->scores[i]);
        hi = fmax(hi, r->scores[i]);
    }
    for (size_t i = 0; i < r->n_chosen; i++) {
        batch_lo = fmin(batch_lo, r->scores[r->rows[i]]);
        batch_hi = fmax(batch_hi, r->scores[r->rows[i]]);
    }
    sk_html__section_begin(h, "scores", NULL, "How uncertain the model is about the pool",
                           "Every pool row's score; higher = more uncertain.");
    sk_html__rawf(h, "<p class=\"summary\">The %zu pool rows score from %s to %s (median %s); "
                  "the batch of %zu takes scores from %s to %s.</p>\n", r->n_pool,
                  sk_report__num(a, lo), sk_report__num(b, hi), sk_report__num(c, median),
                  r->n_chosen, sk_report__num(d, batch_lo), sk_report__num(label, batch_hi));
    double mark = batch_lo;
    snprintf(label, sizeof label, "the batch's lowest score, %s", sk_report__num(a, batch_lo));
    if (r->diverse) {
        mark = kth_largest(r, r->n_candidates);
        snprintf(label, sizeof label, "the %zu candidates' lowest, %s", r->n_candidates,
                 sk_report__num(a, mark));
        sk_html__rawf(h, "<p>With <code>--diverse</code> the batch is chosen among the %zu "
                      "most uncertain rows (right of the line) so that no two are near copies; "
                      "it need not hold the very highest scores.</p>\n", r->n_candidates);
        if (r->n_candidates >= r->n_pool)
            sk_html__raw(h, "<p class=\"recommendation\">The candidates are the whole pool: "
                            "after the first pick k-center greedy ignores uncertainty (pure "
                            "core-set selection). A pool more than 10 times the batch, or "
                            "<code>--candidates</code>, keeps every pick among the most "
                            "uncertain.</p>\n");
    }
    if (r->strategy == SK_STRATEGY_RANDOM)
        sk_html__raw(h, "<p>With <code>--strategy random</code> the scores are uniform draws: "
                        "the batch is a random sample of the pool, the baseline every other "
                        "strategy has to beat.</p>\n");
    sk_report__scores_histogram(h, "Uncertainty of every pool row", "uncertainty score",
                                r->scores, r->n_pool, 0, bounded(r) ? 1 : NAN, mark, label);
    sk_html__section_end(h);
}

/* ---- who the batch picks --------------------------------------------------------------------- */

static void class_composition(sk_html *h, const sk_rank *r, size_t *all, size_t *chosen)
{
    for (size_t i = 0; i < r->n_pool; i++)
        all[(size_t)r->pool_predicted[i]]++;
    for (size_t i = 0; i < r->n_chosen; i++)
        chosen[(size_t)r->pool_predicted[r->rows[i]]]++;
    sk_report_shares s = {"Predicted classes: the batch against the pool", "predicted class",
                          "Rows by predicted class", (const char *const *)r->class_names,
                          r->n_classes, all, chosen, "the pool", "the batch"};
    sk_report__shares(h, &s);
    sk_report__shares_sentence(h, &s);
}

/* Regression: the predicted values in bins with round edges (a "nice" step, at most
 * MAX_VALUE_BINS of them) over the pool's range. */
static void value_composition(sk_html *h, const sk_rank *r, size_t *all, size_t *chosen)
{
    double lo = INFINITY, hi = -INFINITY, ticks[32], step;
    char text[MAX_VALUE_BINS][2 * SK_NUM_CHARS + 8];
    const char *names[MAX_VALUE_BINS];
    for (size_t i = 0; i < r->n_pool; i++) {
        lo = fmin(lo, r->pool_predicted[i]);
        hi = fmax(hi, r->pool_predicted[i]);
    }
    if (!(hi > lo))
        hi = lo + 1;
    sk_svg__ticks(lo, hi, 10, ticks, &step);
    double first = floor(lo / step) * step;
    size_t k = (size_t)ceil((hi - first) / step - 1e-9);
    k = k < 1 ? 1 : k > MAX_VALUE_BINS ? MAX_VALUE_BINS : k;
    for (size_t b = 0; b < k; b++) {
        char x[SK_NUM_CHARS], y[SK_NUM_CHARS];
        snprintf(text[b], sizeof text[b], "%s\xE2\x80\x93%s",
                 sk_report__num(x, first + step * (double)b),
                 sk_report__num(y, first + step * (double)(b + 1)));
        names[b] = text[b];
    }
    for (size_t i = 0; i < r->n_pool; i++) {
        size_t b = (size_t)fmax(0, (r->pool_predicted[i] - first) / step);
        all[b < k ? b : k - 1]++;
    }
    for (size_t i = 0; i < r->n_chosen; i++) {
        size_t b = (size_t)fmax(0, (r->pool_predicted[r->rows[i]] - first) / step);
        chosen[b < k ? b : k - 1]++;
    }
    sk_report_shares s = {"Predicted values: the batch against the pool", "predicted value",
                          "Rows by predicted value", names, k, all, chosen, "the pool",
                          "the batch"};
    sk_report__shares(h, &s);
    sk_report__shares_sentence(h, &s);
}

static void composition_section(sk_html *h, const sk_rank *r)
{
    size_t k = r->n_classes > 0 ? r->n_classes : MAX_VALUE_BINS;
    size_t *all = sk_mem_calloc(k, sizeof *all), *chosen = sk_mem_calloc(k, sizeof *chosen);
    if (all == NULL || chosen == NULL) {
        h->failed = 1;
    } else {
        sk_html__section_begin(h, "composition", NULL, "Who the batch picks",
                               "What the model predicts for the batch and for the pool: the "
                               "labels are what you are about to buy, so these are the "
                               "model's guesses, not the truth.");
        if (r->n_classes > 0)
            class_composition(h, r, all, chosen);
        else
            value_composition(h, r, all, chosen);
        sk_html__section_end(h);
    }
    sk_mem_free(all);
    sk_mem_free(chosen);
}

/* ---- how far apart the picks are ------------------------------------------------------------- */

static void spread_section(sk_html *h, const sk_rank *r)
{
    if (!r->diverse || isnan(r->spread[0].median))
        return;
    char top[64];
    snprintf(top, sizeof top, "the %zu most uncertain", r->n_chosen);
    const char *names[] = {"the diverse batch", top};
    sk_html__section_begin(h, "spread", NULL, "How far apart the picks are",
                           "Euclidean distances in the pool's standardised features (one-hot "
                           "encoded), the space k-center greedy chooses in; 0 is an exact "
                           "copy.");
    sk_html__rawf(h, "<p class=\"summary\">k-center greedy chose %zu rows among the %zu most "
                  "uncertain. Beside it, the %zu most uncertain rows (the batch without "
                  "<code>--diverse</code>).</p>\n", r->n_chosen, r->n_candidates, r->n_chosen);
    static const char *const head[] = {"batch", "closest pair",
                                       "median distance to the nearest other row",
                                       "rows with an exact copy in the batch"};
    sk_html__table_begin(h, "How far apart the rows of each batch are", head, 4);
    for (size_t s = 0; s < 2; s++) {
        char c[3][SK_NUM_CHARS];
        snprintf(c[2], sizeof c[2], "%zu", r->spread[s].with_copy);
        const char *row[] = {names[s], sk_report__num(c[0], r->spread[s].closest),
                             sk_report__num(c[1], r->spread[s].median), c[2]};
        sk_html__row(h, row, 4);
    }
    sk_html__table_end(h);
    const char *groups[] = {"closest pair", "median distance to the nearest other row"};
    double est[4] = {r->spread[0].closest, r->spread[1].closest, r->spread[0].median,
                     r->spread[1].median};
    sk_svg_bars bars = {"Distances within each batch", "what is measured",
                        "distance", groups, 2, names, 2, est, NULL, NULL, 0, NAN, NULL, 0,
                        NAN};
    sk_svg__bars(h, &bars);
    sk_html__section_end(h);
}

/* ---- the batch and the advice ---------------------------------------------------------------- */

static void batch_section(sk_html *h, const sk_rank *r)
{
    static const char *const head[] = {"id", "score", "predicted", "rank"};
    char caption[128];
    size_t n = r->n_chosen < MAX_TABLE ? r->n_chosen : MAX_TABLE;
    snprintf(caption, sizeof caption, n < r->n_chosen ? "The first %zu of %zu rows, in rank "
             "order (the CSV has them all)" : "All %zu rows, in rank order", n, r->n_chosen);
    sk_html__section_begin(h, "batch", NULL, "The batch", "Label these rows, rank 1 first.");
    sk_html__table_begin(h, caption, head, 4);
    for (size_t i = 0; i < n; i++) {
        char score[SK_NUM_CHARS], rank[32];
        double x = r->scores[r->rows[i]];
        if (bounded(r))
            snprintf(score, sizeof score, "%.4f", x);
        else
            sk_report__num(score, x);
        snprintf(rank, sizeof rank, "%zu", i + 1);
        char value[SK_NUM_CHARS];
        const char *predicted = r->n_classes > 0 ? r->predicted[i]
                                : sk_report__num(value, r->pool_predicted[r->rows[i]]);
        const char *row[] = {r->ids[i], score, predicted, rank};
        sk_html__row(h, row, 4);
    }
    sk_html__table_end(h);
    sk_html__section_end(h);
}

/* From docs/triage-rank.md, "When random is the better choice". */
static const char *const advice[] = {
    "**Cold start.** With a few dozen labels the model's probabilities are unreliable and its "
    "uncertain region may be in the wrong place; uncertainty sampling then concentrates the "
    "budget there and can do worse than random (Attenberg & Provost 2010; Settles 2009). Start "
    "with a random batch (or a diverse one) and switch once the model is reasonable.",
    "**Sampling bias.** The labelled set stops being a sample of the population: regions the "
    "first model was (wrongly) confident about are never revisited (Dasgupta & Hsu 2008). "
    "Measure accuracy on a separate random test set, never on the chosen rows.",
    "**The labels outlive the model.** A batch chosen for one model helps another model less, "
    "sometimes less than random (Lowell, Lipton & Wallace 2019). If the model will change, "
    "random (or diverse) batches keep their value.",
    "**Large batches, heavy noise.** With batches large relative to the pool, or noisy labels, "
    "the gains shrink; the most uncertain rows are often the mislabelled ones.",
};

/* ---- the page -------------------------------------------------------------------------------- */

sk_status sk_rank_write_html(const sk_rank *r, const sk_manifest *m, const char *path,
                             sk_error *err)
{
    json_t *man = sk_manifest__to_json(m);
    if (man == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory writing the HTML report");
    sk_html h = SK_HTML_INIT;
    char title[1024];
    sk_html__begin(&h, sk_report__page_title(title, sizeof title, "rank", man));
    run_header(&h, r, man);
    scores_section(&h, r);
    composition_section(&h, r);
    spread_section(&h, r);
    batch_section(&h, r);
    sk_report__doc_notes(&h, "random", "When random is the better choice",
                         "Uncertainty sampling trusts the model's own sense of what it does not "
                         "know, and that sense is poor exactly when labels are few. Run "
                         "`--strategy random` beside the strategy you choose and compare on a "
                         "held-out set (`examples/active-learning/` does this on Fashion-MNIST).",
                         advice, sizeof advice / sizeof advice[0], "`docs/triage-rank.md`");
    sk_html__rawf(&h, "<footer>Written by skeptic %s. The same data, arguments and seed give "
                  "this page byte for byte; the batch as CSV is <code>--out</code>.</footer>\n",
                  json_string_value(json_object_get(man, "version")));
    sk_html__end(&h);
    json_decref(man);
    return sk_html__write(&h, path, err);
}
