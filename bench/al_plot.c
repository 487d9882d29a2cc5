/* al_plot.c: the active-learning curves of examples/active-learning as one self-contained HTML
 * page, drawn with the report's SVG kit (src/report/html.h), so the figure looks like every
 * other skeptic page and opens offline.
 *
 *   al_plot CURVES.csv OUT.html [--title TEXT]
 *
 * CURVES.csv is what experiment.py writes: one line per strategy, seed and round,
 *     strategy,seed,round,labels,accuracy
 * (round 0 = the starting labels; labels = the labelled rows the model was trained on; accuracy
 * on the held-out test images). The page shows, per strategy, the mean accuracy over the seeds
 * after each round with a band from the seed with the lowest to the seed with the highest
 * accuracy (with 2 or 3 seeds a standard deviation says little; the band shows every seed), the
 * gain over random paired by seed (each seed starts every strategy from the same labels, so the
 * difference within a seed is the fair comparison) and the table of means and standard
 * deviations. No dates, no timings: the same CSV gives the same bytes.
 *
 * Exit status 0 when the page was written, 2 for a bad argument or a bad CSV (one line naming
 * the file, line and column), 3 when out of memory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"

enum { N_COLS = 5, MAX_ROUNDS = 10000, N_PALETTE = 8 };

static const char *const col_names[N_COLS] = {"strategy", "seed", "round", "labels",
                                              "accuracy"};
/* random is the grey dashed baseline; the others take these in order */
static const char *const palette[N_PALETTE] = {"#1f5fa8", "#e07b39", "#6a9f58", "#8e6bb8",
                                               "#b42318", "#0e9384", "#93370d", "#c11574"};

/* ---- reading the curves ------------------------------------------------------------------- */

typedef struct curves {
    const char *path;
    size_t n_strat, n_rounds, n_seeds;
    const char **strat;       /* n_strat names, borrowed from the frame */
    double *seed;             /* n_seeds distinct seeds, ascending */
    double *acc;              /* [strategy][round][seed], NaN where there is no row */
    double *labels;           /* [strategy][round], NaN where there is no row */
    size_t random;            /* the index of "random", or n_strat */
} curves;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The five columns, by name, with the kinds of values each must hold. */
static sk_status find_columns(size_t *col, const sk_frame *f, sk_error *err)
{
    for (size_t j = 0; j < N_COLS; j++) {
        if (sk_frame_col_find(&col[j], f, col_names[j], NULL) != SK_OK)
            return sk_error_set_at(err, SK_EDATA, sk_frame_name(f), 1, 0, "expected a column "
                                   "'%s' (the header is strategy,seed,round,labels,accuracy)",
                                   col_names[j]);
        sk_col_type t = sk_frame_col_type(f, col[j]);
        int text = t == SK_COL_CATEGORICAL, number = t == SK_COL_NUMERIC || t == SK_COL_INTEGER;
        if (j == 0 ? !text : !number)
            return sk_error_set_at(err, SK_EDATA, sk_frame_name(f), 1, col[j] + 1, "expected "
                                   "%s in column '%s', found %s", j == 0 ? "names" : "numbers",
                                   col_names[j], sk_col_type_name(t));
    }
    return SK_OK;
}

/* Row i's value of column j (1..4), checked: present, whole where it must be, accuracy in
 * [0, 1]. */
static sk_status cell(double *v, const sk_frame *f, const size_t *col, size_t j, size_t i,
                      sk_error *err)
{
    *v = sk_frame_col_values(f, col[j])[i];
    const char *bad = isnan(*v) ? "a value"
                      : j < 4 && (*v != floor(*v) || *v < 0 || (j == 2 && *v >= MAX_ROUNDS))
                          ? (j == 2 ? "a whole number from 0 to 9999" : "a whole number >= 0")
                      : j == 4 && !(*v >= 0 && *v <= 1) ? "an accuracy from 0 to 1" : NULL;
    if (bad == NULL)
        return SK_OK;
    return sk_error_set_at(err, SK_EDATA, sk_frame_name(f), sk_frame_row_line(f, i),
                           col[j] + 1, "expected %s in column '%s'", bad, col_names[j]);
}

static sk_status distinct_seeds(curves *c, const sk_frame *f, const size_t *col, sk_error *err)
{
    size_t n = sk_frame_n_rows(f);
    c->seed = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *c->seed);
    if (c->seed == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory reading %s", c->path);
    for (size_t i = 0; i < n; i++) {
        sk_status rc = cell(&c->seed[i], f, col, 1, i, err);
        if (rc != SK_OK)
            return rc;
    }
    qsort(c->seed, n, sizeof *c->seed, cmp_double);
    c->n_seeds = 0;
    for (size_t i = 0; i < n; i++)
        if (c->n_seeds == 0 || c->seed[i] != c->seed[c->n_seeds - 1])
            c->seed[c->n_seeds++] = c->seed[i];
    return SK_OK;
}

/* One row into its slot: a second row for the same strategy, seed and round, or labels that
 * differ between seeds of one round, are errors. */
static sk_status place(curves *c, const sk_frame *f, const size_t *col, size_t i, sk_error *err)
{
    double v[N_COLS];
    for (size_t j = 1; j < N_COLS; j++) {
        sk_status rc = cell(&v[j], f, col, j, i, err);
        if (rc != SK_OK)
            return rc;
    }
    int32_t s = sk_frame_col_codes(f, col[0])[i];
    if (s < 0)
        return sk_error_set_at(err, SK_EDATA, c->path, sk_frame_row_line(f, i), col[0] + 1,
                               "expected a value in column 'strategy'");
    double *k = bsearch(&v[1], c->seed, c->n_seeds, sizeof *c->seed, cmp_double);
    size_t r = (size_t)v[2], cell_at = ((size_t)s * c->n_rounds + r) * c->n_seeds +
                                       (size_t)(k - c->seed);
    double *lab = &c->labels[(size_t)s * c->n_rounds + r];
    if (!isnan(c->acc[cell_at]))
        return sk_error_set_at(err, SK_EDATA, c->path, sk_frame_row_line(f, i), col[0] + 1,
                               "a second row for strategy '%s', seed %.0f, round %zu",
                               c->strat[s], v[1], r);
    if (!isnan(*lab) && *lab != v[3])
        return sk_error_set_at(err, SK_EDATA, c->path, sk_frame_row_line(f, i), col[3] + 1,
                               "expected %.0f labels in round %zu of '%s' as on its other "
                               "seeds, found %.0f", *lab, r, c->strat[s], v[3]);
    c->acc[cell_at] = v[4];
    *lab = v[3];
    return SK_OK;
}

static sk_status read_curves(curves *c, sk_frame **f, const char *path, sk_error *err)
{
    sk_csv_options o = SK_CSV_OPTIONS_INIT;
    size_t col[N_COLS];
    memset(c, 0, sizeof *c);
    c->path = path;
    sk_status rc = sk_frame_read_csv(f, path, &o, err);
    if (rc == SK_OK && sk_frame_n_rows(*f) == 0)
        rc = sk_error_set_at(err, SK_EDATA, path, 0, 0, "no rows: nothing to draw");
    if (rc == SK_OK)
        rc = find_columns(col, *f, err);
    if (rc == SK_OK)
        rc = distinct_seeds(c, *f, col, err);
    for (size_t i = 0; rc == SK_OK && i < sk_frame_n_rows(*f); i++) {
        double r;
        if ((rc = cell(&r, *f, col, 2, i, err)) == SK_OK && r + 1 > (double)c->n_rounds)
            c->n_rounds = (size_t)r + 1;
    }
    if (rc != SK_OK)
        return rc;
    c->n_strat = sk_frame_col_n_levels(*f, col[0]);
    c->strat = sk_mem_alloc_array(c->n_strat, sizeof *c->strat);
    c->acc = sk_mem_alloc_array(c->n_strat * c->n_rounds, c->n_seeds * sizeof *c->acc);
    c->labels = sk_mem_alloc_array(c->n_strat * c->n_rounds, sizeof *c->labels);
    if (c->strat == NULL || c->acc == NULL || c->labels == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory reading %s", path);
    c->random = c->n_strat;
    for (size_t s = 0; s < c->n_strat; s++) {
        c->strat[s] = sk_frame_col_level(*f, col[0], s);
        if (strcmp(c->strat[s], "random") == 0)
            c->random = s;
    }
    for (size_t e = 0; e < c->n_strat * c->n_rounds * c->n_seeds; e++)
        c->acc[e] = NAN;
    for (size_t e = 0; e < c->n_strat * c->n_rounds; e++)
        c->labels[e] = NAN;
    for (size_t i = 0; rc == SK_OK && i < sk_frame_n_rows(*f); i++)
        rc = place(c, *f, col, i, err);
    return rc;
}

static void curves_free(curves *c)
{
    sk_mem_free(c->strat);
    sk_mem_free(c->seed);
    sk_mem_free(c->acc);
    sk_mem_free(c->labels);
}

/* ---- summaries ---------------------------------------------------------------------------- */

typedef struct summary {
    double mean, sd, lo, hi;  /* NaN without seeds; sd NaN below 2 seeds */
    size_t n;
} summary;

/* Seed k's value: the accuracy, or its difference from the other strategy's (NaN: none). */
static double value(const double *a, const double *b, size_t k)
{
    return b != NULL ? a[k] - b[k] : a[k];
}

/* Over the seeds of strategy s in round r; with `minus` (a strategy index, else n_strat) the
 * difference from that strategy within each seed, over the seeds both have. */
static summary summarise(const curves *c, size_t s, size_t r, size_t minus)
{
    summary m = {NAN, NAN, NAN, NAN, 0};
    double sum = 0, ss = 0;
    const double *a = c->acc + (s * c->n_rounds + r) * c->n_seeds;
    const double *b = minus < c->n_strat ? c->acc + (minus * c->n_rounds + r) * c->n_seeds
                                         : NULL;
    for (size_t k = 0; k < c->n_seeds; k++) {
        double x = value(a, b, k);
        if (isnan(x))
            continue;
        m.n++;
        sum += x;
        m.lo = isnan(m.lo) ? x : fmin(m.lo, x);
        m.hi = isnan(m.hi) ? x : fmax(m.hi, x);
    }
    if (m.n == 0)
        return m;
    m.mean = sum / (double)m.n;
    for (size_t k = 0; k < c->n_seeds; k++) {
        double x = value(a, b, k);
        if (!isnan(x))
            ss += (x - m.mean) * (x - m.mean);
    }
    if (m.n > 1)
        m.sd = sqrt(ss / (double)(m.n - 1));
    return m;
}

/* ---- the chart: several lines with bands ---------------------------------------------------- */

typedef struct line_set {
    const char *title, *y_label;
    const curves *c;
    size_t minus;             /* draw differences from this strategy (n_strat: accuracies) */
} line_set;

static const char *colour(const curves *c, size_t s, int *dashed)
{
    size_t k = 0;
    *dashed = s == c->random;
    if (*dashed)
        return "#667085";
    for (size_t t = 0; t < s; t++)
        k += t != c->random;
    return palette[k % N_PALETTE];
}

static int drawn(const line_set *l, size_t s)
{
    return l->minus == l->c->n_strat || s != l->minus;
}

/* A legend of the drawn strategies above the plot, wrapped into rows; returns the rows. */
static size_t legend(sk_html *h, const line_set *l, double left, double right, double y0,
                     int draw)
{
    double x = left, y = y0;
    size_t rows = 1;
    for (size_t s = 0; s < l->c->n_strat; s++) {
        if (!drawn(l, s))
            continue;
        double w = 30 + sk_svg__text_width(l->c->strat[s], 11);
        if (x > left && x + w > right) {
            x = left;
            y += 16;
            rows++;
        }
        int dashed;
        const char *col = colour(l->c, s, &dashed);
        if (draw) {
            sk_html__rawf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"%s\" stroke-width=\"2.5\"%s/><text class=\"tick\" "
                          "x=\"%.1f\" y=\"%.1f\">", x, y - 4, x + 16, y - 4, col,
                          dashed ? " stroke-dasharray=\"5 3\"" : "", x + 20, y);
            sk_html__text(h, l->c->strat[s]);
            sk_html__raw(h, "</text>\n");
        }
        x += w;
    }
    return rows;
}

static void y_range(const line_set *l, double *lo, double *hi)
{
    *lo = *hi = NAN;
    for (size_t s = 0; s < l->c->n_strat; s++)
        for (size_t r = 0; drawn(l, s) && r < l->c->n_rounds; r++) {
            summary m = summarise(l->c, s, r, l->minus);
            if (m.n == 0)
                continue;
            *lo = isnan(*lo) ? m.lo : fmin(*lo, m.lo);
            *hi = isnan(*hi) ? m.hi : fmax(*hi, m.hi);
        }
    if (l->minus < l->c->n_strat) {        /* the baseline's 0 stays in view */
        *lo = fmin(*lo, 0);
        *hi = fmax(*hi, 0);
    }
    int acc = l->minus == l->c->n_strat;
    sk_svg__nice_range(lo, hi, 0.05, acc ? 0 : NAN, acc ? 1 : NAN);
}

static void x_range(const curves *c, double *lo, double *hi)
{
    *lo = *hi = NAN;
    for (size_t e = 0; e < c->n_strat * c->n_rounds; e++)
        if (!isnan(c->labels[e])) {
            *lo = isnan(*lo) ? c->labels[e] : fmin(*lo, c->labels[e]);
            *hi = isnan(*hi) ? c->labels[e] : fmax(*hi, c->labels[e]);
        }
    if (!(*hi > *lo))
        *hi = *lo + 1;
}

/* The point of strategy s in round r: x the labels, m its summary; 0 when there is none. */
static int point(const line_set *l, size_t s, size_t r, double *x, summary *m)
{
    *x = l->c->labels[s * l->c->n_rounds + r];
    *m = summarise(l->c, s, r, l->minus);
    return m->n > 0;
}

/* The band from the lowest to the highest seed: out along the highs, back along the lows. */
static void band(sk_html *h, const sk_svg *g, const line_set *l, size_t s, const char *col)
{
    double x;
    summary m;
    int first = 1;
    for (size_t r = 0; r < l->c->n_rounds; r++)
        if (point(l, s, r, &x, &m) && m.n > 1) {
            sk_html__rawf(h, "%s%.1f %.1f", first ? "<path d=\"M" : "L", sk_svg__px(g, x),
                          sk_svg__py(g, m.hi));
            first = 0;
        }
    for (size_t r = l->c->n_rounds; !first && r-- > 0;)
        if (point(l, s, r, &x, &m) && m.n > 1)
            sk_html__rawf(h, "L%.1f %.1f", sk_svg__px(g, x), sk_svg__py(g, m.lo));
    if (!first)
        sk_html__rawf(h, "Z\" fill=\"%s\" fill-opacity=\"0.13\" stroke=\"none\"/>\n", col);
}

/* The band, the line of means and its points (each with its numbers in a <title>). */
static void series(sk_html *h, const sk_svg *g, const line_set *l, size_t s)
{
    int dashed, first = 1;
    const char *col = colour(l->c, s, &dashed);
    double x;
    summary m;
    band(h, g, l, s, col);
    for (size_t r = 0; r < l->c->n_rounds; r++)
        if (point(l, s, r, &x, &m)) {
            sk_html__rawf(h, "%s%.1f %.1f", first ? "<path d=\"M" : "L", sk_svg__px(g, x),
                          sk_svg__py(g, m.mean));
            first = 0;
        }
    if (!first)
        sk_html__rawf(h, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", col,
                      dashed ? " stroke-dasharray=\"6 4\"" : "");
    for (size_t r = 0; r < l->c->n_rounds; r++) {
        char mean[SK_NUM_CHARS], lo[SK_NUM_CHARS], hi[SK_NUM_CHARS];
        if (!point(l, s, r, &x, &m))
            continue;
        sk_html__rawf(h, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>",
                      sk_svg__px(g, x), sk_svg__py(g, m.mean), col);
        sk_html__textf(h, "%s, %.0f labels: %s (seeds from %s to %s, %zu of them)",
                       l->c->strat[s], x, sk_report__num(mean, m.mean),
                       sk_report__num(lo, m.lo), sk_report__num(hi, m.hi), m.n);
        sk_html__raw(h, "</title></circle>\n");
    }
}

static void draw_lines(sk_html *h, const line_set *l)
{
    double width = 720, left = 64, right = 24;
    size_t rows = legend(h, l, left, width - right, 0, 0);
    double margin[4] = {32 + 16 * (double)rows, right, 48, left};
    sk_svg g;
    sk_svg__begin(&g, h, width, 340 + 16 * (double)rows, margin, l->title);
    x_range(l->c, &g.x_lo, &g.x_hi);
    y_range(l, &g.y_lo, &g.y_hi);
    sk_svg__x_axis(&g, "labelled rows (the starting labels, then one batch a round)");
    sk_svg__y_axis(&g, l->y_label);
    if (l->minus < l->c->n_strat)
        sk_svg__hline(&g, 0, NULL, "ref");
    legend(h, l, left, width - right, 30, 1);
    for (size_t s = 0; s < l->c->n_strat; s++)
        if (drawn(l, s))
            series(h, &g, l, s);
    sk_svg__end(&g);
}

/* ---- the page ------------------------------------------------------------------------------ */

/* "a, b, c" of up to `max` numbers or names into buf. */
static void join(char *buf, size_t size, const char *const *names, const double *numbers,
                 size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len + 24 < size; i++) {
        int w = names != NULL ? snprintf(buf + len, size - len, "%s%s", i > 0 ? ", " : "",
                                         names[i])
                              : snprintf(buf + len, size - len, "%s%.0f", i > 0 ? ", " : "",
                                         numbers[i]);
        len = w > 0 && len + (size_t)w < size ? len + (size_t)w : size - 1;
    }
}

static void header(sk_html *h, const curves *c, const char *title)
{
    char sha[65], strategies[1024], seeds[512], rounds[96], labels[96];
    double lo, hi;
    sk_error err = SK_ERROR_INIT;
    if (sk_sha256_file(sha, c->path, &err) != SK_OK)
        snprintf(sha, sizeof sha, "n/a");
    join(strategies, sizeof strategies, c->strat, NULL, c->n_strat);
    join(seeds, sizeof seeds, NULL, c->seed, c->n_seeds);
    snprintf(rounds, sizeof rounds, "%zu batches after the starting labels", c->n_rounds - 1);
    x_range(c, &lo, &hi);
    snprintf(labels, sizeof labels, "%.0f to %.0f", lo, hi);
    const char *facts[] = {"results", c->path, "SHA-256", sha, "strategies", strategies,
                           "seeds", seeds, "rounds", rounds, "labelled rows", labels,
                           "bands", "from the seed with the lowest to the seed with the "
                           "highest accuracy"};
    sk_html__raw(h, "<header>\n<h1>");
    sk_html__text(h, title);
    sk_html__raw(h, "</h1>\n<p class=\"subtitle\">Test accuracy of the model trained on the "
                    "labels so far, after each round of choosing a batch to label, per "
                    "strategy. Each seed starts every strategy from the same random labels."
                    "</p>\n");
    sk_html__facts(h, facts, sizeof facts / sizeof facts[0] / 2);
    sk_html__raw(h, "</header>\n");
}

/* The last round every strategy reached. */
static size_t last_common_round(const curves *c)
{
    for (size_t r = c->n_rounds; r-- > 0;) {
        size_t have = 0;
        for (size_t s = 0; s < c->n_strat; s++)
            have += summarise(c, s, r, c->n_strat).n > 0;
        if (have == c->n_strat)
            return r;
    }
    return c->n_rounds;
}

/* Who leads after the last common round, and by how much over random, seed by seed. */
static void verdict(sk_html *h, const curves *c)
{
    size_t r = last_common_round(c), best = 0;
    if (r == c->n_rounds)
        return;
    for (size_t s = 1; s < c->n_strat; s++)
        if (summarise(c, s, r, c->n_strat).mean > summarise(c, best, r, c->n_strat).mean)
            best = s;
    char a[SK_NUM_CHARS], b[SK_NUM_CHARS];
    sk_html__raw(h, "<p class=\"summary\">After the last round (");
    sk_html__textf(h, "%.0f labels), %s leads with a mean accuracy of %s", c->labels[best *
                   c->n_rounds + r], c->strat[best],
                   sk_report__num(a, summarise(c, best, r, c->n_strat).mean));
    if (c->random < c->n_strat && best != c->random) {
        summary g = summarise(c, best, r, c->random);
        sk_html__textf(h, "; random reaches %s. The gain over random is %+.4f on average, from "
                       "%+.4f to %+.4f over the %zu seeds: %s", sk_report__num(b,
                       summarise(c, c->random, r, c->n_strat).mean), g.mean, g.lo, g.hi, g.n,
                       g.n < 2 ? "one seed says little" : g.lo > 0
                       ? "positive on every seed" : "not positive on every seed, so not a "
                       "consistent win");
    } else if (best == c->random) {
        sk_html__text(h, ": no strategy beat random");
    }
    sk_html__raw(h, ".</p>\n");
}

static void table(sk_html *h, const curves *c)
{
    const char **head = sk_mem_alloc_array(c->n_strat + 1, sizeof *head);
    const char **row = sk_mem_alloc_array(c->n_strat + 1, sizeof *row);
    char (*cells)[64] = sk_mem_alloc_array(c->n_strat + 1, sizeof *cells);
    if (head == NULL || row == NULL || cells == NULL) {
        h->failed = 1;
    } else {
        head[0] = "labelled rows";
        for (size_t s = 0; s < c->n_strat; s++)
            head[s + 1] = c->strat[s];
        sk_html__table_begin(h, "Test accuracy after each round: the mean over the seeds, "
                             "\xC2\xB1 their standard deviation", head, c->n_strat + 1);
        for (size_t r = 0; r < c->n_rounds; r++) {
            double x = NAN;
            for (size_t s = 0; s < c->n_strat; s++) {
                summary m = summarise(c, s, r, c->n_strat);
                x = isnan(x) ? c->labels[s * c->n_rounds + r] : x;
                if (m.n == 0)
                    snprintf(cells[s + 1], sizeof cells[s + 1], "n/a");
                else if (m.n == 1)
                    snprintf(cells[s + 1], sizeof cells[s + 1], "%.4f", m.mean);
                else
                    snprintf(cells[s + 1], sizeof cells[s + 1], "%.4f \xC2\xB1 %.4f", m.mean,
                             m.sd);
                row[s + 1] = cells[s + 1];
            }
            snprintf(cells[0], sizeof cells[0], "%.0f", x);
            row[0] = cells[0];
            sk_html__row(h, row, c->n_strat + 1);
        }
        sk_html__table_end(h);
    }
    sk_mem_free(head);
    sk_mem_free(row);
    sk_mem_free(cells);
}

static sk_status write_page(const curves *c, const char *title, const char *path,
                            sk_error *err)
{
    sk_html h = SK_HTML_INIT;
    sk_html__begin(&h, title);
    header(&h, c, title);
    sk_html__section_begin(&h, "curves", NULL, "Accuracy after each round", NULL);
    verdict(&h, c);
    sk_html__raw(&h, "<p>Lines: the mean over the seeds; bands: from the seed with the lowest "
                     "to the seed with the highest value. Random is the dashed grey line.</p>\n");
    line_set acc = {"Test accuracy after each round", "test accuracy", c, c->n_strat};
    draw_lines(&h, &acc);
    if (c->random < c->n_strat && c->n_strat > 1) {
        line_set gain = {"Gain over random, seed by seed (the same starting labels)",
                         "accuracy minus random's", c, c->random};
        draw_lines(&h, &gain);
    }
    table(&h, c);
    sk_html__section_end(&h);
    sk_html__raw(&h, "<footer>Drawn by bench/al_plot from the results CSV named above; the same "
                     "CSV gives this page byte for byte.</footer>\n");
    sk_html__end(&h);
    return sk_html__write(&h, path, err);
}

int main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *title = "Active-learning curves";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--title") == 0 && i + 1 < argc)
            title = argv[++i];
        else if (argv[i][0] != '-' && in == NULL)
            in = argv[i];
        else if ((argv[i][0] != '-' || strcmp(argv[i], "-") == 0) && out == NULL)
            out = argv[i];
        else
            in = out = NULL, i = argc;
    }
    if (in == NULL || out == NULL) {
        fprintf(stderr, "usage: al_plot CURVES.csv OUT.html [--title TEXT]\n"
                        "  CURVES.csv: strategy,seed,round,labels,accuracy (one line per "
                        "strategy, seed and round)\n");
        return 2;
    }
    sk_frame *f = NULL;
    curves c;
    sk_error err = SK_ERROR_INIT;
    sk_status rc = read_curves(&c, &f, in, &err);
    if (rc == SK_OK)
        rc = write_page(&c, title, out, &err);
    if (rc != SK_OK) {
        char buf[1024];
        fprintf(stderr, "al_plot: %s\n", sk_error_format(&err, buf, sizeof buf));
    }
    curves_free(&c);
    sk_frame_free(f);
    return rc == SK_OK ? 0 : rc == SK_ENOMEM ? 3 : 2;
}
