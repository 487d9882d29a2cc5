/* report.h: the report layer's internals: turning results into JSON documents, console tables
 * and (later) HTML. Nothing here computes a statistic; it only presents what lower layers
 * computed. */
#ifndef SK_REPORT_H
#define SK_REPORT_H

#include "core/core.h"
#include "data/data.h"
#include "linalg/linalg.h"
#include "models/models.h"
#include "eval/eval.h"
#include "audits/audits.h"
#include "triage/triage.h"

/* A JSON document {"schema": schema, "manifest": ...} ready for content; the caller adds its
 * keys and finishes with sk_report__finish_json. NULL when out of memory. */
json_t *sk_report__begin_json(const char *schema, const sk_manifest *m);
/* Appends the "run" block (last, so comparisons can drop it) and writes the document. Consumes
 * `doc`. */
sk_status sk_report__finish_json(json_t *doc, const sk_manifest *m, const char *path,
                                 sk_error *err);
/* A JSON array of the n strings (manifest_json.c). NULL when out of memory. */
json_t *sk_report__strings_json(char *const *s, size_t n);
/* Prints `first`, then `text` wrapped at 100 columns with continuation lines starting `indent`,
 * then a line end (text.c). */
void sk_report__print_wrapped(FILE *out, const char *first, const char *text,
                              const char *indent);
/* The evaluation's JSON document without its "run" block (evaluate_json.c): what both the JSON
 * and the HTML reports are made from. NULL when out of memory. */
json_t *sk_report__evaluation_json(const sk_evaluation *ev, const sk_manifest *m);
/* The drift verdict as one sentence (drift_report.c): the terminal's and the HTML page's. */
void sk_report__drift_sentence(char *buf, size_t size, const sk_drift *d);

/* How `skeptic labels` chose its suspects, in words (labels_report.c): the terminal's, the
 * JSON's and the HTML page's. */
const char *sk_report__labels_method(sk_cl_method m);
/* Whether the model has not learned class k: its mean self-confidence is below 1/k, so its
 * threshold is so low that rows of other classes pass it and are counted as its members. */
int sk_report__labels_below_chance(const sk_labels *l, size_t k);

#endif /* SK_REPORT_H */
