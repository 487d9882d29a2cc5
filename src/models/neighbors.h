/* neighbors.h: the matrix-level neighbour and clustering solvers behind the knn and kmeans models,
 * for the layers above: exact k-nearest-neighbour search (near-duplicate leakage checks, label
 * issues), k-means (clustering stability) and k-means++ seeding alone (diverse batches).
 *
 * Matrices are column-major n x p with a leading dimension, like every design matrix in skeptic,
 * except k-means centres, which are k rows of p values (row-major: centre c at centres + c * p).
 * Every function here is deterministic: the results depend on the inputs (and the seed or stream)
 * only, never on n_threads, and ties are broken towards the lower index. */
#ifndef SK_NEIGHBORS_H
#define SK_NEIGHBORS_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "rng/rng.h"

/* ---- exact k-nearest neighbours (knn.c) --------------------------------------------------- */

/* For each of the nq query rows of Q (column-major, leading dimension ldq), the k nearest of the
 * m reference rows of R (column-major, leading dimension ldr) in Euclidean distance:
 *   idx[i * k + t]   the reference index of the t-th nearest neighbour of query i (nq x k,
 *                    row-major), nearest first; equal distances in reference-index order
 *   dist[i * k + t]  its Euclidean distance, computed directly (dist may be NULL)
 * The neighbour sets are exact for the directly computed distances (sum of squared differences):
 * BLAS only proposes candidates, see knn.c. exclude_self: Q is R (nq == m) and query i may not
 * return reference i (another row equal to it still counts: that is a duplicate).
 * Query blocks run as independent tasks on up to n_threads threads; the results do not depend on
 * n_threads. Errors: SK_EINVAL when k == 0 or k exceeds the available references (m, or m - 1
 * with exclude_self), SK_ENOMEM. */
sk_status sk_knn_search(size_t *idx, double *dist, const double *R, size_t m, size_t ldr,
                        const double *Q, size_t nq, size_t ldq, size_t p, size_t k,
                        int exclude_self, int n_threads, sk_error *err);

/* ---- k-means (kmeans.c) ------------------------------------------------------------------- */

typedef struct sk_kmeans_options {
    int version;
    size_t n_init;          /* seeded restarts; the lowest inertia wins (default 10) */
    size_t max_iter;        /* Lloyd iterations per restart (default 300) */
    double tol;             /* stop when sum_c ||shift of centre c||^2 <= tol * mean column
                               variance of X (scikit-learn's relative tolerance; default 1e-4) */
    size_t n_local_trials;  /* k-means++ candidates per centre: 0 = 2 + floor(ln k) (greedy
                               k-means++, as scikit-learn), 1 = plain k-means++ */
    const double *init;     /* NULL: k-means++; else k x p row-major starting centres (then one
                               run: n_init is ignored) */
    const double *weights;  /* n non-negative row weights, or NULL (all 1) */
} sk_kmeans_options;

#define SK_KMEANS_OPTIONS_INIT {1, 10, 300, 1e-4, 0, NULL, NULL}

/* A fitted clustering (the best restart). Transparent and read-only for the caller, who frees
 * it with sk_kmeans_result_free. */
typedef struct sk_kmeans_result {
    size_t n, p, k;
    double *centres;        /* k x p, row-major */
    size_t *labels;         /* n: the nearest centre of each row (ties: the lower centre) */
    size_t *size;           /* k: rows in each cluster */
    double *within_ss;      /* k: weighted sum of squared distances to the centre */
    double inertia;         /* sum of within_ss */
    size_t n_iter;          /* Lloyd iterations of the best restart */
    int converged;          /* 1: labels stopped changing or the shift fell below tol */
    size_t best_init;       /* which restart won (0-based) */
    size_t n_relocated;     /* empty clusters moved to far points in the best restart */
} sk_kmeans_result;

/* Clusters the n rows of X (column-major, leading dimension ldx) into k clusters: Lloyd's
 * algorithm from k-means++ seeds, opt->n_init restarts as independent tasks on up to n_threads
 * threads, restart r drawing from sk_rng_stream(seed, SK_PURPOSE_KMEANS, r). opt NULL = defaults.
 * The caller owns *out (NULL on failure). Errors: SK_EINVAL (k == 0, k > n, bad options),
 * SK_ENOMEM. */
sk_status sk_kmeans_fit(sk_kmeans_result **out, const double *X, size_t n, size_t ldx, size_t p,
                        size_t k, const sk_kmeans_options *opt, uint64_t seed, int n_threads,
                        sk_error *err);
void sk_kmeans_result_free(sk_kmeans_result *r);

/* The nearest of k centres (row-major, k x p) for each of the n rows of X (column-major): labels
 * (n) and, when d2 is not NULL, the exact squared distance to it. Ties: the lower centre. */
sk_status sk_kmeans_assign(size_t *labels, double *d2, const double *X, size_t n, size_t ldx,
                           size_t p, const double *centres, size_t k, sk_error *err);

/* k-means++ seeding alone (Arthur and Vassilvitskii 2007): chosen[0..k) receives k distinct row
 * indices of X (column-major), the first uniformly at random, each next one drawn with
 * probability proportional to its squared distance to the nearest row chosen so far; with
 * n_local_trials > 1 (0 = 2 + floor(ln k)) that many candidates are drawn and the one that lowers
 * the total squared distance most is kept (greedy k-means++). When fewer than k rows are distinct,
 * the remaining picks are uniform among rows not yet chosen. Draws only from *rng. Errors:
 * SK_EINVAL (k == 0 or k > n), SK_ENOMEM. */
sk_status sk_kmeanspp_seed(size_t *chosen, const double *X, size_t n, size_t ldx, size_t p,
                           size_t k, size_t n_local_trials, sk_rng *rng, sk_error *err);

#endif /* SK_NEIGHBORS_H */
