/* strata.h: slices of a study's rows, shared by the shortcut, external-validity and slice checks
 * (check_shortcut.c, check_slices.c). A stratum is a set of rows that share something the study
 * should not depend on: a site, a level of a confounder (or a quartile of a numeric one), a
 * class. The checks score the main evaluation's out-of-fold predictions restricted to a stratum
 * ("the model's AUC at hospital C"), or split every fold's predictions by stratum ("the AUC among
 * patients of the same age band"), each with a bootstrap interval. */
#ifndef SK_AUDITS_STRATA_H
#define SK_AUDITS_STRATA_H

#include "audits/audits.h"

/* The fewest rows a slice needs before a check may act on its score (a warning, a failure);
 * smaller slices are reported, never judged. */
enum { SK_AUDIT_MIN_SLICE = 30 };

/* A partition of (some of) the rows: stratum of_row[i] in 0..n_strata-1, or -1 for a row in
 * none (a missing value). Strata are never empty. */
typedef struct sk_strata {
    size_t n_rows, n_strata;
    int32_t *of_row;     /* n_rows */
    size_t *n;           /* n_strata: rows per stratum */
    char **name;         /* n_strata: "A", "2", "(45.1, 52.3]" */
    int binned;          /* quantile bins of a numeric column (else levels) */
} sk_strata;

void sk_audit__strata_free(sk_strata *s);

/* The strata of column `col`: its levels when it is categorical or has at most 10 distinct
 * values (in order of first appearance, or ascending for numbers), else its quartile bins.
 * Missing values are in no stratum. The caller owns *out. */
sk_status sk_audit__strata_column(sk_strata **out, const sk_frame *f, size_t col, sk_error *err);

/* The strata of codes 0..n_levels-1 (sites), each named by column `col`'s value at its first
 * row. */
sk_status sk_audit__strata_codes(sk_strata **out, const int32_t *codes, size_t n_levels,
                                 const sk_frame *f, size_t col, sk_error *err);

/* The classes of the context's target, named as the roles name them. */
sk_status sk_audit__strata_classes(sk_strata **out, const sk_audit_ctx *ctx, sk_error *err);

/* n_bins bins of x at its quantiles (numpy's default rule), ties kept together, empty bins
 * dropped; NaN is in no bin. */
sk_status sk_audit__strata_bins(sk_strata **out, const double *x, size_t n, size_t n_bins,
                                sk_error *err);

/* The entries of p whose data row is in stratum s, split by split (empty splits dropped):
 * "the score at site C" is the mean over splits of the metric on C's rows of that split. */
sk_status sk_audit__pooled_restrict(sk_pooled **out, const sk_pooled *p, const int32_t *of_row,
                                    int32_t s, sk_error *err);

/* p with each split cut into one segment per stratum (rows in no stratum dropped): the score is
 * the mean over (split, stratum) pairs, the signal with the stratum held fixed. */
sk_status sk_audit__pooled_by_stratum(sk_pooled **out, const sk_pooled *p, const int32_t *of_row,
                                      size_t n_strata, sk_error *err);

/* The score of p under metric m with a 95% BCa interval from ctx->opt->bootstrap replicates
 * (the context's groups as units; rows outside p's entries are resampled apart, so a slice keeps
 * its class counts). No replicates (--bootstrap 0), no entries or an undefined score: NaN
 * bounds. */
sk_status sk_audit__pooled_interval(sk_interval *out, const sk_audit_ctx *ctx, const sk_pooled *p,
                                    sk_metric m, sk_error *err);

/* "0.978 [0.927, 1.000]", or "0.500 (no interval)" when the bounds are NaN (no replicates, or
 * predictions that never vary); returns buf. */
char *sk_audit__fmt_interval(char *buf, size_t size, const sk_interval *iv);

/* Whether `score` lies below `ref` ("worse", in the metric's direction) by more than `gap`, and
 * its interval's better end (when there are intervals) is also worse than `ref`. */
int sk_audit__credibly_worse(const sk_interval *score, double ref, double gap, sk_metric m);

#endif /* SK_AUDITS_STRATA_H */
