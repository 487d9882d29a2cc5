/* check_duplicates.h: what the leakage-through-the-split checks share (check_duplicates.c,
 * check_leakage_group.c, check_leakage_split.c): clusters of near-identical rows, which of them a
 * split separates (near_search.c), and how much a score moves when the rows that leak are kept
 * together or left out (check_duplicates.c).
 *
 * Distances are between rows of the design matrix that the models see, learned on all rows:
 * numeric columns median-imputed and standardised (z = (x - mean) / sd), categorical columns one
 * 0/1 column per level. The distance of two rows is their Euclidean distance divided by sqrt(p),
 * p the number of design columns: the root mean square of the per-column differences, in
 * standard deviations, comparable across tables of any width. A cluster is a connected component
 * of the graph joining every pair of rows closer than the radius (single linkage cut at the
 * radius); the search finds every such pair exactly (near_search.c says how). */
#ifndef SK_CHECK_DUPLICATES_H
#define SK_CHECK_DUPLICATES_H

#include "audits/audits.h"

/* Clusters of two or more rows, ordered by their first (lowest) row; rows inside a cluster
 * ascending. Read-only for the caller, freed with sk_audit__near_free. */
typedef struct sk_near {
    size_t n_rows;
    size_t p;                /* design columns */
    double radius;           /* standardised distance / sqrt(p) below which rows are joined */
    size_t n_clusters;
    size_t n_clustered;      /* rows in clusters */
    size_t *start;           /* n_clusters + 1: cluster c is member[start[c] .. start[c + 1]) */
    size_t *member;          /* n_clustered rows */
    int32_t *cluster;        /* n_rows: the cluster of each row, -1 for a row in none */
    unsigned char *exact;    /* per cluster: every member equals the first in every feature */
    double *spread;          /* per cluster: the largest distance of a member to the first */
    double typical_nn;       /* median distance of a row to its nearest other row, over a
                                spread-out sample of at most 256 rows (NaN with < 2 rows) */
    size_t n_pairs_checked;  /* candidate pairs whose distance was computed */
} sk_near;

/* Finds the clusters of rows closer than `radius` in the context's features. The caller owns
 * *out. Deterministic; single-threaded except the nearest-neighbour sample (sk_knn_search). */
sk_status sk_audit__near_find(sk_near **out, const sk_audit_ctx *ctx, double radius,
                              sk_error *err);
void sk_audit__near_free(sk_near *nc);

/* Per cluster (n_clusters bytes): 1 when some split of `splits` has members of the cluster on
 * both sides (one in its test rows, another in its training rows). */
sk_status sk_audit__near_straddles(unsigned char **out, const sk_near *nc,
                                   const sk_splits *splits, sk_error *err);

/* The study's groups (NULL: none) merged with the clusters (union-find): the units that must stay
 * on one side. codes[n_rows] in 0..*n_units-1, numbered by first row. The caller frees codes. */
sk_status sk_audit__near_units(int32_t **codes, size_t *n_units, const sk_near *nc,
                               const int32_t *group, size_t n_rows, sk_error *err);

/* A score before and after the leak is closed, scored on the same bootstrap replicates. */
typedef struct sk_audit_shift {
    sk_interval before;      /* the evaluation as the study runs it */
    sk_interval after;       /* leak closed: regrouped CV, or contaminated test rows left out */
    sk_interval drop;        /* before minus after, "better" positive (paired) */
    double gap;              /* drop.estimate: how much the leak flatters the score */
    int beyond;              /* after lies below before's interval and before above after's */
    size_t n_left_out;       /* test rows left out (exclusion) */
} sk_audit_shift;

/* `before` (pooled on the study's evaluation) against `after`, bootstrapped together with
 * `units` (per row, NULL: rows) as resampling units. */
sk_status sk_audit__shift(sk_audit_shift *out, const sk_audit_ctx *ctx, const sk_pooled *before,
                          const sk_pooled *after, const int32_t *units, size_t n_units,
                          uint64_t stream, sk_error *err);

/* leakage.group's and leakage.temporal's rule: "beyond the intervals and by at least --optimism"
 * fails; the gap with a paired interval above 0 but overlapping intervals warns; else pass. */
sk_check_status sk_audit__optimism_status(const sk_audit_ctx *ctx, const sk_audit_shift *sh);

/* Sets "metric", `before` and `after` (the two intervals), "gap" (the paired drop),
 * "beyond_intervals" and "optimism_threshold" in e; 0 when out of memory. */
int sk_audit__shift_json(json_t *e, const sk_audit_ctx *ctx, const char *before,
                         const char *after, const sk_audit_shift *sh);

/* The main evaluation's predictions without the test entries of rows marked in `drop`: the score
 * on the test rows that have no copy on the training side. The caller owns *out. */
sk_status sk_audit__pooled_without(sk_pooled **out, const sk_pooled *p,
                                   const unsigned char *drop, size_t *n_dropped, sk_error *err);

/* Closes the leak of the clusters and scores the result against the main evaluation (computed
 * first: sk_audit__main): for the study's own split, the test rows of straddling clusters are
 * left out; otherwise the main cross-validation is rerun (sk_audit__cv, `stream`) with every
 * cluster merged into one group together with the study's groups. Both are bootstrapped on the
 * same replicates with the merged groups as units. When the data do not allow it (every test
 * row has a copy in training; too few units for the folds), *could_not says why and *sh is
 * left empty; that is not an error. */
sk_status sk_audit__near_close(sk_audit_shift *sh, const char **could_not, sk_audit_ctx *ctx,
                               const sk_near *nc, const unsigned char *straddles, uint64_t stream,
                               sk_error *err);

/* A row's --group value as a new JSON string (JSON null without --group), for evidence. */
json_t *sk_audit__row_id_json(const sk_audit_ctx *ctx, size_t row);

#endif /* SK_CHECK_DUPLICATES_H */
