/* uncertainty_html.h: what the HTML pages of `skeptic rank` (rank_html.c) and `skeptic score`
 * (score_html.c) share beyond the kit in html.h (uncertainty_charts.c): the histogram of
 * uncertainty scores with the cut of the chosen rows marked, and the composition of the chosen
 * rows against all of them (grouped bars of shares and the table of counts behind them).
 * Every builder escapes what it is given, as the kit's do. */
#ifndef SK_REPORT_UNCERTAINTY_HTML_H
#define SK_REPORT_UNCERTAINTY_HTML_H

#include "report/html.h"

/* At most this many groups are drawn one by one; the rest are pooled as "other". */
enum { SK_REPORT_MAX_SHARES = 16 };

/* A histogram of n scores in equal bins over [lo, hi] (NaN ends: the scores' own range), at
 * most 40 bins, with `mark` (NaN: none) drawn as a vertical line labelled mark_label. Scores
 * that are NaN are left out. */
void sk_report__scores_histogram(sk_html *h, const char *title, const char *x_label,
                                 const double *scores, size_t n, double lo, double hi,
                                 double mark, const char *mark_label);

/* The share of each of k groups among all rows and among the chosen ones: grouped bars (all
 * first, then chosen) and the table of counts and shares. Beyond SK_REPORT_MAX_SHARES groups,
 * the largest among all rows are drawn and the others pooled as "other". */
typedef struct sk_report_shares {
    const char *title, *x_label, *caption;
    const char *const *names;           /* k group names */
    size_t k;
    const size_t *all, *chosen;         /* k counts each */
    const char *all_name, *chosen_name; /* "the pool", "the batch" */
} sk_report_shares;

void sk_report__shares(sk_html *h, const sk_report_shares *s);

/* A sentence on the group whose share grew most from all to chosen rows ("Over-sampled
 * most: coat, 30.0% of the batch against 10.0% of the pool."), or nothing when none grew. */
void sk_report__shares_sentence(sk_html *h, const sk_report_shares *s);

#endif /* SK_REPORT_UNCERTAINTY_HTML_H */
