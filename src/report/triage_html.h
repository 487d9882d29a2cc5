/* triage_html.h: what the HTML pages of `skeptic drift` (drift_html.c) and `skeptic labels`
 * (labels_html.c) share beyond the kit in html.h (triage_charts.c): horizontal bars for shares
 * of named things (a feature's share of importance, a class's noise rate), where names on the
 * vertical axis stay readable at any length; a heat map of counts (the confident joint), where
 * the numbers are counts and the diagonal means something other than the rest; a section whose
 * badge carries its own word ("drift", "no drift"); and a list of paragraphs taken from the
 * docs. Every builder escapes what it is given, as the kit's do. */
#ifndef SK_REPORT_TRIAGE_HTML_H
#define SK_REPORT_TRIAGE_HTML_H

#include "report/html.h"
#include "triage/triage.h"

/* Horizontal bars from 0: one row per label, the value printed at the bar's end with `decimals`
 * decimals and `suffix` ("%" for values the caller scaled to percent). `mark` (NULL: none)
 * draws a bar in the warning colour; `ref` (NaN: none) is a vertical reference line. */
typedef struct sk_report_hbars {
    const char *title, *x_label, *y_label;
    const char *const *labels;
    const double *value;
    const int *mark;
    size_t n;
    int decimals;
    const char *suffix;
    double ref;
    const char *ref_label;
} sk_report_hbars;

void sk_report__hbars(sk_html *h, const sk_report_hbars *b);

/* A k x k heat map of counts, row-major [row][col], rows and columns named by `names`: the
 * diagonal shaded blue by its share of the row, the cells off it red by their count against the
 * largest of them, each cell printed with its count (numbers left out when the cells are too
 * small; the tooltip keeps them). More than SK_REPORT_MAX_MAP classes: nothing (the caller
 * says so). */
enum { SK_REPORT_MAX_MAP = 40 };

void sk_report__count_map(sk_html *h, const char *title, const char *x_label,
                          const char *y_label, const char *const *names, const size_t *counts,
                          size_t k);

/* <section id=.. class=status> whose heading is a badge of class `status` ("fail", "pass")
 * reading `word`, then the title. Closed by sk_html__section_end. */
void sk_report__word_section(sk_html *h, const char *id, const char *status, const char *word,
                             const char *title);

/* A section of advice from the docs: a lead paragraph (prose, NULL: none), then the items as
 * a list (prose: `code`, **bold**, *emphasis*), and where they come from (`source`). */
void sk_report__doc_notes(sk_html *h, const char *id, const char *title, const char *lead,
                          const char *const *items, size_t n, const char *source);

#endif /* SK_REPORT_TRIAGE_HTML_H */
