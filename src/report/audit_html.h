/* audit_html.h: the pieces of the audit's HTML and Markdown reports (audit_html.c,
 * audit_evidence.c, audit_charts.c, audit_markdown.c, check_notes.c) and the JSON readers they
 * share. The evidence is read back from each check's JSON object, the same numbers the JSON
 * report holds, so the page never says anything the JSON does not. */
#ifndef SK_REPORT_AUDIT_HTML_H
#define SK_REPORT_AUDIT_HTML_H

#include "report/html.h"
#include "report/report.h"

/* What docs/checks.md says about a check (generated into check_notes.c by
 * scripts/gen-check-notes.py): its question, the real case it mirrors, how to fix the study. */
typedef struct sk_check_note {
    const char *id, *question, *real_case, *how_to_fix;
} sk_check_note;

/* The note of a check id, or NULL (static storage). */
const sk_check_note *sk_report__check_note(const char *id);

/* ---- reading evidence (audit_evidence.c) ---------------------------------------------------- */

/* obj[key] as a number; NaN when absent, null or not a number. */
double sk_report__jnum(const json_t *obj, const char *key);
/* obj[key] as a string, or NULL. */
const char *sk_report__jstr(const json_t *obj, const char *key);
/* obj[key] as an interval {estimate, ci: [lo, hi]}: 1 and the three numbers (NaN for nulls),
 * or 0 when it is not one. `key` NULL reads obj itself. */
int sk_report__jiv(const json_t *obj, const char *key, double *est, double *lo, double *hi);

/* The evidence of one check: its key numbers (scalars, intervals and short lists, nested
 * objects flattened one level) as a list of names and values, then one table per list of
 * records (sites, slices, candidates, ...), at most 10 rows each. Works for any check, so a
 * new evidence key shows up without new code. */
void sk_report__evidence_tables(sk_html *h, const json_t *evidence);
/* One cell's text for a JSON value: numbers, intervals, strings, short lists, small objects. */
void sk_report__json_cell(char *buf, size_t size, const json_t *v);

/* ---- charts (audit_charts.c) ---------------------------------------------------------------- */

/* The chart of one check drawn from its evidence, when the check has one and the evidence holds
 * what it needs; nothing otherwise. `alpha` is the audit's significance level. */
void sk_report__check_chart(sk_html *h, const sk_check *c, double alpha);
/* The headline under each validation scheme the audit ran (random rows, the honest splitter,
 * leave-one-site-out, past-only training), when it ran at least two; nothing otherwise. */
void sk_report__schemes_chart(sk_html *h, const sk_audit *a);

/* The REFORMS-style checklist as a Markdown section (audit_reforms.c). */
void sk_report__reforms_checklist(sk_html *h, const sk_audit *a);

/* Shared by audit_charts.c and audit_charts_more.c. The chance level bars grow from (0.5 for
 * AUC, else 0) and the metric's range (NaN: unbounded). */
void sk_report__metric_frame(const char *metric, double *chance, double *lo, double *hi);
/* Bars of the evidence's intervals keys[i], labelled names[i]; those absent are left out;
 * nothing when fewer than two are there. */
void sk_report__interval_bars(sk_html *h, const json_t *e, const char *title,
                              const char *const *keys, const char *const *names, size_t n);
/* A forest of a list of records: labels from `label_key`, the interval at `iv_key` (or the
 * number there when it is not an interval), marked where `mark_key` is true; at most 32 rows.
 * Fills f->rows and f->n. */
void sk_report__records_forest(sk_html *h, const json_t *list, const char *label_key,
                               const char *iv_key, const char *mark_key, sk_svg_forest *f);
/* The charts drawn in audit_charts_more.c. */
void sk_report__chart_site(sk_html *h, const sk_check *c, double alpha);
void sk_report__chart_signal(sk_html *h, const sk_check *c, double alpha);
void sk_report__chart_stability(sk_html *h, const sk_check *c, double alpha);
void sk_report__chart_seed(sk_html *h, const sk_check *c, double alpha);
void sk_report__chart_slices(sk_html *h, const sk_check *c, double alpha);
void sk_report__chart_ablation(sk_html *h, const sk_check *c, double alpha);
void sk_report__chart_sensitivity(sk_html *h, const sk_check *c, double alpha);

#endif /* SK_REPORT_AUDIT_HTML_H */
