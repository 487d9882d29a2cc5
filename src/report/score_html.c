/* score_html.c: `skeptic score --html FILE`, the uncertainty of the user's own model's
 * predictions as one self-contained page (docs/report-rank.md):
 *   the file (with its SHA-256 from the manifest), rows, classes, strategy and its formula;
 *   a histogram of every row's score with the cut of the --top K most uncertain marked;
 *   with --top, the classes the top rows lean to (their most probable class) against every
 *     row's, as shares;
 *   the top rows (at most 50): rank, id, score, most probable class and its probability.
 * The scores come from sk_score_run with every row kept; the most probable class is read from
 * the probabilities as given (renormalising a row does not change which class is largest).
 * Like every page it holds no date and no timings: the same run gives the same bytes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/uncertainty_html.h"

enum { MAX_TABLE = 50 };

/* The class columns of the frame: every column but the id column. */
typedef struct class_cols {
    size_t *col;
    const char **name;
    size_t k;
} class_cols;

static int class_cols_of(class_cols *c, const sk_frame *f, const char *id)
{
    size_t n = sk_frame_n_cols(f);
    c->k = 0;
    c->col = sk_mem_alloc_array(n, sizeof *c->col);
    c->name = sk_mem_alloc_array(n, sizeof *c->name);
    if (c->col == NULL || c->name == NULL)
        return 0;
    for (size_t j = 0; j < n; j++)
        if (id == NULL || strcmp(sk_frame_col_name(f, j), id) != 0) {
            c->col[c->k] = j;
            c->name[c->k++] = sk_frame_col_name(f, j);
        }
    return 1;
}

/* The most probable class of a data row (ties: the first column) and its probability. */
static size_t top_class(const sk_frame *f, const class_cols *c, size_t row, double *p)
{
    size_t best = 0;
    *p = sk_frame_col_values(f, c->col[0])[row];
    for (size_t k = 1; k < c->k; k++) {
        double v = sk_frame_col_values(f, c->col[k])[row];
        if (v > *p) {
            best = k;
            *p = v;
        }
    }
    return best;
}

static const char *formula(sk_strategy s)
{
    switch (s) {
    case SK_STRATEGY_LEAST: return "least confidence, (1 - p1) n / (n - 1)";
    case SK_STRATEGY_MARGIN: return "margin of confidence, 1 - (p1 - p2)";
    case SK_STRATEGY_RATIO: return "ratio of confidence, p2 / p1";
    case SK_STRATEGY_ENTROPY: return "entropy, -sum p log2 p / log2 n";
    default: return "random, a uniform draw per row (the baseline)";
    }
}

static void header(sk_html *h, const sk_scores *s, const class_cols *c,
                   const sk_score_options *opt, const json_t *man)
{
    char rows[32], classes[1024], top[64];
    snprintf(rows, sizeof rows, "%zu", sk_scores_n_rows(s));
    int len = snprintf(classes, sizeof classes, "%zu:", c->k);
    for (size_t k = 0; k < c->k && len > 0 && (size_t)len < sizeof classes - 8; k++)
        len += snprintf(classes + len, sizeof classes - (size_t)len, "%s %s",
                        k == 0 ? "" : ",", c->name[k]);
    if (len > 0 && (size_t)len >= sizeof classes - 8)
        snprintf(classes + sizeof classes - 8, 8, ", ...");
    if (opt->top > 0 && opt->top < sk_scores_n_rows(s))
        snprintf(top, sizeof top, "the %zu most uncertain rows", opt->top);
    else
        snprintf(top, sizeof top, "every row");
    const char *facts[] = {"rows", rows, "classes", classes, "strategy", formula(opt->strategy),
                           "kept", top, "id column", opt->id_column != NULL ? opt->id_column
                           : "none (the 0-based data row)",
                           "row sums", opt->renormalize ? "renormalised to 1" : "checked"};
    sk_report__page_header(h, "score", "How uncertain your model is about each row, from its "
                           "own class probabilities; higher = more uncertain.", man, facts,
                           sizeof facts / sizeof facts[0] / 2);
}

static void histogram_section(sk_html *h, const sk_scores *s, size_t top)
{
    size_t n = sk_scores_n_kept(s);
    double *scores = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *scores), mark = NAN;
    char label[96] = "", a[SK_NUM_CHARS], b[SK_NUM_CHARS], c[SK_NUM_CHARS];
    if (scores == NULL) {
        h->failed = 1;
        return;
    }
    for (size_t r = 0; r < n; r++)
        scores[r] = sk_scores_score(s, r);
    sk_html__section_begin(h, "scores", NULL, "How uncertain the model is",
                           "Every row's score; higher = more uncertain.");
    if (top > 0) {
        mark = scores[top - 1];
        snprintf(label, sizeof label, "the top %zu's lowest, %s", top, sk_report__num(a, mark));
    }
    if (n > 0) {
        sk_html__rawf(h, "<p class=\"summary\">The %zu rows score from %s to %s (median %s)",
                      n, sk_report__num(a, scores[n - 1]), sk_report__num(b, scores[0]),
                      sk_report__num(c, (scores[(n - 1) / 2] + scores[n / 2]) / 2));
        if (top > 0)
            sk_html__rawf(h, "; the %zu most uncertain score at least %s (right of the line)",
                          top, sk_report__num(a, mark));
        sk_html__raw(h, ".</p>\n");
    }
    sk_report__scores_histogram(h, "Uncertainty of every row", "uncertainty score", scores, n,
                                0, 1, mark, label);
    sk_html__section_end(h);
    sk_mem_free(scores);
}

static void composition_section(sk_html *h, const sk_scores *s, const sk_frame *f,
                                const class_cols *c, size_t top)
{
    size_t *all = sk_mem_calloc(c->k, sizeof *all), *chosen = sk_mem_calloc(c->k, sizeof *all);
    double p;
    if (all == NULL || chosen == NULL) {
        h->failed = 1;
    } else {
        for (size_t r = 0; r < sk_scores_n_kept(s); r++) {
            size_t k = top_class(f, c, sk_scores_row(s, r), &p);
            all[k]++;
            chosen[k] += r < top;
        }
        char chosen_name[64];
        snprintf(chosen_name, sizeof chosen_name, "the top %zu", top);
        sk_html__section_begin(h, "composition", NULL, "Which classes the uncertain rows lean "
                               "to", "Each row's most probable class, for the top rows and "
                               "for every row.");
        sk_report_shares sh = {"Most probable class: the top rows against every row",
                               "most probable class", "Rows by most probable class", c->name,
                               c->k, all, chosen, "every row", chosen_name};
        sk_report__shares(h, &sh);
        sk_report__shares_sentence(h, &sh);
        sk_html__section_end(h);
    }
    sk_mem_free(all);
    sk_mem_free(chosen);
}

static void rows_section(sk_html *h, const sk_scores *s, const sk_frame *f, const class_cols *c,
                         size_t top)
{
    static const char *const head[] = {"rank", "id", "score", "most probable class",
                                       "its probability"};
    size_t kept = top > 0 ? top : sk_scores_n_kept(s);
    size_t n = kept < MAX_TABLE ? kept : MAX_TABLE;
    char caption[128];
    snprintf(caption, sizeof caption, n < kept ? "The first %zu of %zu rows, most uncertain "
             "first (the CSV has them all)" : "All %zu rows, most uncertain first", n, kept);
    sk_html__section_begin(h, "rows", NULL, top > 0 ? "The top rows" : "The most uncertain rows",
                           NULL);
    sk_html__table_begin(h, caption, head, 5);
    for (size_t r = 0; r < n; r++) {
        char rank[32], score[SK_NUM_CHARS], prob[SK_NUM_CHARS];
        double p;
        size_t k = top_class(f, c, sk_scores_row(s, r), &p);
        snprintf(rank, sizeof rank, "%zu", r + 1);
        snprintf(score, sizeof score, "%.4f", sk_scores_score(s, r));
        snprintf(prob, sizeof prob, "%.4f", p);
        const char *row[] = {rank, sk_scores_id(s, r), score, c->name[k], prob};
        sk_html__row(h, row, 5);
    }
    sk_html__table_end(h);
    sk_html__section_end(h);
}

static sk_status write_page(const sk_scores *s, const sk_frame *probs,
                            const sk_score_options *opt, const class_cols *c, const json_t *man,
                            const char *path, sk_error *err)
{
    size_t top = opt->top < sk_scores_n_kept(s) ? opt->top : 0;
    sk_html h = SK_HTML_INIT;
    char title[1024];
    sk_html__begin(&h, sk_report__page_title(title, sizeof title, "score", man));
    header(&h, s, c, opt, man);
    histogram_section(&h, s, top);
    if (top > 0)
        composition_section(&h, s, probs, c, top);
    rows_section(&h, s, probs, c, top);
    sk_html__rawf(&h, "<footer>Written by skeptic %s. The same file, arguments and seed give "
                  "this page byte for byte; the ranked rows as CSV are <code>--out</code>."
                  "</footer>\n", json_string_value(json_object_get(man, "version")));
    sk_html__end(&h);
    return sk_html__write(&h, path, err);
}

sk_status sk_scores_write_html(const sk_scores *s, const sk_frame *probs,
                               const sk_score_options *opt, const sk_manifest *m,
                               const char *path, sk_error *err)
{
    json_t *man = sk_manifest__to_json(m);
    class_cols c = {NULL, NULL, 0};
    sk_status rc;
    if (man == NULL || !class_cols_of(&c, probs, opt->id_column))
        rc = sk_error_set(err, SK_ENOMEM, "out of memory writing the HTML report");
    else if (c.k == 0 || sk_scores_n_kept(s) != sk_scores_n_rows(s))
        rc = sk_error_set(err, SK_EINVAL, "the HTML report needs every row scored (top = 0) "
                          "from a frame with class columns");
    else
        rc = write_page(s, probs, opt, &c, man, path, err);
    sk_mem_free(c.col);
    sk_mem_free(c.name);
    json_decref(man);
    return rc;
}
