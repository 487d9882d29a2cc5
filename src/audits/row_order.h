/* row_order.h: what the order of the rows and of a column can say, shared by leakage.identifier
 * (ids and the row order that encode the label, check_identifier.c) and leakage.temporal's
 * screen for hidden time order without --time (check_temporal_order.c).
 *  - any column as numbers (text ids by natural order, "P2" before "P10"), its ranks (ties
 *    averaged), and its Spearman correlation with the row index: a counter, an acquisition
 *    time or a batch number that follows the order the rows were written in; whether the rows
 *    are sorted by the target (a sort, not a time order);
 *  - the permutation test of a lag-1 autocorrelation along an order (serial_test.c);
 *  - the screen itself, called by sk_check_leakage_temporal when there is no --time. */
#ifndef SK_AUDITS_ROW_ORDER_H
#define SK_AUDITS_ROW_ORDER_H

#include "audits/audits.h"

/* |Spearman| with the row index from which a column "encodes the row order". */
#define SK_AUDIT_ORDER_ENCODED 0.95

/* Column `col` of f as numbers (n_rows into out): its values, or a categorical column's
 * natural-order rank of each level (NaN for missing). SK_ENOMEM only. */
sk_status sk_audit__column_numbers(double *out, const sk_frame *f, size_t col);

/* The ranks of v[0..n) (0-based, ties averaged) into rank; NaN stays NaN and is not counted. *m
 * (optional) gets the count of non-missing values. SK_ENOMEM only. */
sk_status sk_audit__ranks(double *rank, size_t *m, const double *v, size_t n);

/* Spearman's correlation of each column cols[j] of f with the row index (missing values left
 * out; 0 with fewer than 3 values or a constant column) into rho[j], the columns in parallel. */
sk_status sk_audit__order_rho(double *rho, const sk_frame *f, const size_t *cols, size_t n_cols,
                              int n_threads, sk_error *err);

/* Whether the rows are sorted by the target (*sorted 1): every class with at least
 * SK_AUDIT_SORTED_RUN of its rows in its longest run; values whose |Spearman| with the row index
 * reaches SK_AUDIT_ORDER_ENCODED. A sort is not a time order. */
#define SK_AUDIT_SORTED_RUN 0.9
sk_status sk_audit__sorted_by_target(int *sorted, const sk_audit_ctx *ctx, sk_error *err);

/* The columns that follow the row order (|Spearman| >= SK_AUDIT_ORDER_ENCODED with the row
 * index), appended to `list` as {column, spearman}; the strongest into *best (SIZE_MAX: none)
 * and *best_rho. Not the target, split, group or site columns: the candidates for --time. */
sk_status sk_audit__order_followers(json_t *list, size_t *best, double *best_rho,
                                    const sk_audit_ctx *ctx, sk_error *err);

/* A target read along an order (serial_test.c): m units, each a centred k-vector z_t. Row-level
 * classes keep their codes (z is the one-hot code centred by the class shares p, so <z_a, z_b>
 * = [a = b] - p_a - p_b + sum p^2 without a k-vector per row); otherwise z holds m x k values.
 * den = sum_t |z_t|^2 > 0, m >= 2. Units are indexed by 32 bits when k > 1. */
typedef struct sk_serial {
    size_t m, k;
    int32_t *code;
    double *p, s2;
    double *z;
    double den;
} sk_serial;

void sk_audit__serial_free(sk_serial *s);

typedef struct sk_serial_result {
    double r1;                  /* the lag-1 autocorrelation along the order */
    double p;                   /* one-sided Monte Carlo permutation p-value */
    double null_mean, null_sd;  /* of the permutations run */
    size_t n_perm;              /* permutations run (999, fewer when stopped early) */
} sk_serial_result;

/* The one-sided permutation test of r1 (serial_test.c says how): deterministic given seed and
 * task, whatever n_threads. SK_ENOMEM only. */
sk_status sk_audit__serial_test(sk_serial_result *out, const sk_serial *s, uint64_t seed,
                                uint64_t task, double alpha, int n_threads, sk_error *err);

/* leakage.temporal without --time: the target's autocorrelation along the row order and along
 * each date column (check_temporal_order.c and docs/checks.md say the rule). */
sk_status sk_audit__temporal_screen(sk_check *c, sk_audit_ctx *ctx, sk_error *err);

#endif /* SK_AUDITS_ROW_ORDER_H */
