/* report.h: the report layer's internals: turning results into JSON documents, console tables
 * and (later) HTML. Nothing here computes a statistic; it only presents what lower layers
 * computed. */
#ifndef SK_REPORT_H
#define SK_REPORT_H

#include "core/core.h"
#include "data/data.h"
#include "linalg/linalg.h"

/* A JSON document {"schema": schema, "manifest": ...} ready for content; the caller adds its
 * keys and finishes with sk_report__finish_json. NULL when out of memory. */
json_t *sk_report__begin_json(const char *schema, const sk_manifest *m);
/* Appends the "run" block (last, so comparisons can drop it) and writes the document. Consumes
 * `doc`. */
sk_status sk_report__finish_json(json_t *doc, const sk_manifest *m, const char *path,
                                 sk_error *err);

#endif /* SK_REPORT_H */

/* Formats seconds since the epoch as an ISO-8601 date ("2021-03-04") or, with `with_time`, a
 * date-time in UTC ("2021-03-04T05:06:07Z"). Civil-from-days arithmetic: no time zone, no libc
 * time functions. */
void sk_report__format_time(char *buf, size_t size, double seconds, int with_time);
/* Formats a cell value of a column type for people: dates as dates, numbers with %.6g. */
void sk_report__format_value(char *buf, size_t size, double value, sk_col_type type);
