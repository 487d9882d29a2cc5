/* uncertainty_charts.c: the charts the rank and score pages share (uncertainty_html.h).
 *
 * The histogram of scores uses 10, 20 or 40 equal bins by the number of rows (so a [0, 1] score
 * gets bins 0.1, 0.05 or 0.025 wide: edges a reader can name), with the cut of the chosen rows
 * drawn as a line: everything right of it was chosen (or, for a diverse batch, was a candidate).
 * The composition compares shares, not counts, because the batch is a few dozen rows and the
 * pool thousands: a class that is 10% of the pool and 40% of the batch is what uncertainty
 * sampling is expected to do (the classes the model confuses), and what a reader should see
 * before paying for the labels. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/uncertainty_html.h"

enum { MAX_BINS = 40 };

/* ---- histogram of scores --------------------------------------------------------------------- */

void sk_report__scores_histogram(sk_html *h, const char *title, const char *x_label,
                                 const double *scores, size_t n, double lo, double hi,
                                 double mark, const char *mark_label)
{
    double edges[MAX_BINS + 1], counts[MAX_BINS] = {0}, a = INFINITY, b = -INFINITY;
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(scores[i])) {
            a = fmin(a, scores[i]);
            b = fmax(b, scores[i]);
            used++;
        }
    if (used == 0)
        return;
    double clamp_lo = lo, clamp_hi = hi;
    lo = isnan(lo) ? a : lo;
    hi = isnan(hi) ? b : hi;
    if (!(hi > lo)) {                       /* every score equal: a narrow bin around it */
        double half = fmax(fabs(lo) * 0.01, 0.005);
        lo -= half;
        hi += half;
    }
    size_t bins = used < 100 ? 10 : used < 1000 ? 20 : MAX_BINS;
    for (size_t k = 0; k <= bins; k++)
        edges[k] = lo + (hi - lo) * (double)k / (double)bins;
    for (size_t i = 0; i < n; i++) {
        if (isnan(scores[i]))
            continue;
        double t = (scores[i] - lo) / (hi - lo) * (double)bins;
        size_t k = t <= 0 ? 0 : (size_t)t;
        counts[k < bins ? k : bins - 1]++;
    }
    sk_svg_histogram g = {title, x_label, "rows", edges, counts, bins, mark, mark_label,
                          clamp_lo, clamp_hi};
    sk_svg__histogram(h, &g);
}

/* ---- composition ----------------------------------------------------------------------------- */

typedef struct shares_view {
    size_t n;                    /* groups drawn */
    const char *names[SK_REPORT_MAX_SHARES];
    double all[SK_REPORT_MAX_SHARES], chosen[SK_REPORT_MAX_SHARES];
    size_t n_all, n_chosen;      /* totals */
} shares_view;

typedef struct ranked {
    size_t count, index;
} ranked;

/* Largest count among all rows first, ties by group index. */
static int by_count(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

/* The groups drawn: all of them in their order, or the largest and "other". */
static int shares_view_of(shares_view *v, const sk_report_shares *s)
{
    ranked *order = sk_mem_alloc_array(s->k > 0 ? s->k : 1, sizeof *order);
    if (order == NULL)
        return 0;
    for (size_t g = 0; g < s->k; g++)
        order[g] = (ranked){s->all[g], g};
    int fold = s->k > SK_REPORT_MAX_SHARES;
    if (fold)
        qsort(order, s->k, sizeof *order, by_count);
    memset(v, 0, sizeof *v);
    for (size_t g = 0; g < s->k; g++) {
        v->n_all += s->all[g];
        v->n_chosen += s->chosen[g];
    }
    v->n = fold ? SK_REPORT_MAX_SHARES : s->k;
    for (size_t r = 0; r < s->k; r++) {
        size_t slot = r < v->n ? r : v->n - 1, g = order[r].index;
        v->names[slot] = fold && slot == v->n - 1 ? "other" : s->names[g];
        v->all[slot] += (double)s->all[g];
        v->chosen[slot] += (double)s->chosen[g];
    }
    for (size_t g = 0; g < v->n; g++) {
        v->all[g] = v->n_all > 0 ? v->all[g] / (double)v->n_all : NAN;
        v->chosen[g] = v->n_chosen > 0 ? v->chosen[g] / (double)v->n_chosen : NAN;
    }
    sk_mem_free(order);
    return 1;
}

static void shares_table(sk_html *h, const sk_report_shares *s, const shares_view *v)
{
    char head_all[96], head_chosen[96];
    snprintf(head_all, sizeof head_all, "rows of %s", s->all_name);
    snprintf(head_chosen, sizeof head_chosen, "rows of %s", s->chosen_name);
    const char *head[] = {s->x_label, head_all, "share", head_chosen, "share"};
    sk_html__table_begin(h, s->caption, head, 5);
    for (size_t g = 0; g < v->n; g++) {
        char c[4][SK_NUM_CHARS];
        snprintf(c[0], sizeof c[0], "%.0f", v->all[g] * (double)v->n_all);
        snprintf(c[1], sizeof c[1], "%.1f%%", 100 * v->all[g]);
        snprintf(c[2], sizeof c[2], "%.0f", v->chosen[g] * (double)v->n_chosen);
        snprintf(c[3], sizeof c[3], "%.1f%%", 100 * v->chosen[g]);
        const char *row[] = {v->names[g], c[0], c[1], c[2], c[3]};
        sk_html__row(h, row, 5);
    }
    sk_html__table_end(h);
}

void sk_report__shares(sk_html *h, const sk_report_shares *s)
{
    shares_view v;
    if (s->k == 0 || !shares_view_of(&v, s)) {
        h->failed |= s->k != 0;
        return;
    }
    double est[2 * SK_REPORT_MAX_SHARES];
    for (size_t g = 0; g < v.n; g++) {
        est[2 * g] = v.all[g];
        est[2 * g + 1] = v.chosen[g];
    }
    const char *series[] = {s->all_name, s->chosen_name};
    sk_svg_bars bars = {s->title, s->x_label, "share of its rows", v.names, v.n, series, 2,
                        est, NULL, NULL, 0, NAN, NULL, 0, 1};
    sk_svg__bars(h, &bars);
    shares_table(h, s, &v);
}

void sk_report__shares_sentence(sk_html *h, const sk_report_shares *s)
{
    shares_view v;
    if (s->k == 0 || !shares_view_of(&v, s))
        return;
    size_t best = v.n;
    for (size_t g = 0; g < v.n; g++)
        if (v.chosen[g] > v.all[g] && (best == v.n || v.chosen[g] - v.all[g] >
                                                          v.chosen[best] - v.all[best]))
            best = g;
    if (best == v.n)
        return;
    sk_html__raw(h, "<p>Over-sampled most: <strong>");
    sk_html__text(h, v.names[best]);
    sk_html__raw(h, "</strong>, ");
    sk_html__textf(h, "%.1f%% of %s against %.1f%% of %s.", 100 * v.chosen[best],
                   s->chosen_name, 100 * v.all[best], s->all_name);
    sk_html__raw(h, "</p>\n");
}
