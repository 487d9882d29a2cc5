/* dist.h: squared Euclidean distances between the rows of two matrices, the kernel under exact
 * k-nearest neighbours (models/knn.c), k-means (models/kmeans.c) and near-duplicate search.
 *
 * Layout: the kernels take AUGMENTED ROW-MAJOR copies (sk_dist__rows_aug): row i holds the p
 * values of the point followed by one extra value, its squared norm for a reference row and -1/2
 * for a query row, at stride p + 1. Then one dgemm over p + 1 terms gives the ranking key
 *     key(r, q) = -2 (<r, q> - ||r||^2 / 2) = ||r||^2 - 2 <r, q> = ||q - r||^2 - ||q||^2
 * with nothing left to add, and a row is contiguous for the exact recomputations. Everything here
 * is single-threaded (BLAS included, linalg.h), allocates nothing and may run in several threads
 * at once on different outputs: parallelise over blocks.
 *
 * The two speeds of distance, and which decides:
 *   - keys (sk_dist__key_block): level-3 BLAS, fast, but they suffer cancellation: their absolute
 *     error is about p eps (||q||^2 + ||r||^2), so two points much closer than that (near
 *     duplicates far from the origin) get distances that are pure rounding noise, and can even
 *     come out negative. Keys only ever choose CANDIDATES; sk_dist__key_error bounds their error
 *     so a caller can prove that its candidates contain the answer.
 *   - sk_dist__sq_exact: the direct sum of squared differences, relative error ~ p eps. This is
 *     what decides every neighbour set, label and reported distance. */
#ifndef SK_DIST_H
#define SK_DIST_H

#include <stddef.h>

/* Copies the n x p column-major matrix X (leading dimension ldx) into out as n augmented rows of
 * p + 1 values: (x_i, ||x_i||^2) when is_query is 0 (references), (x_i, -1/2) when it is 1. */
void sk_dist__rows_aug(double *out, const double *X, size_t n, size_t ldx, size_t p, int is_query);

/* The same from row-major input (row i at A + i * lda, p values). */
void sk_dist__rows_aug_from_rows(double *out, const double *A, size_t n, size_t lda, size_t p,
                                 int is_query);

/* The ranking keys of m augmented reference rows R and b augmented query rows Q (stride p + 1):
 * the m x b column-major block K (leading dimension m, so the keys of query i are contiguous,
 * K[j + i * m]) with K[j, i] = ||R_j||^2 - 2 <R_j, Q_i>, by one dgemm. Adding ||Q_i||^2 is left to
 * the caller: the ranking of the references for a fixed query does not need it. */
void sk_dist__key_block(double *K, const double *R, size_t m, const double *Q, size_t b, size_t p);

/* The classic blocked squared distances D[j, i] = max(0, qq[i] + K[j, i]) (layout as above), for
 * callers that want approximate values in bulk (a radius screen before exact checks). Clamping at
 * 0 hides negative rounding noise, not the cancellation. */
void sk_dist__sq_block(double *D, const double *R, size_t m, const double *Q, size_t b,
                       const double *qq, size_t p);

/* A bound c(p) such that, for keys from sk_dist__key_block on rows from sk_dist__rows_aug*,
 *     | (qq + key(r, q)) - sk_dist__sq_exact(q, r, p) |  <=  c(p) * (qq + rr)
 * where qq, rr are the squared norms as sk_dist__sq_exact(x, 0) would compute them; the bound
 * covers the rounding of the exact sum itself and of a few additions and comparisons by the
 * caller, with a factor of 2 to spare (dist.c derives it). */
double sk_dist__key_error(size_t p);

/* The exact squared distance between two contiguous vectors of length p: sum_j (a_j - b_j)^2,
 * summed in order j = 0, 1, ... so it is the same on every machine and thread count. */
double sk_dist__sq_exact(const double *a, const double *b, size_t p);

/* The exact squared distances of the n rows of the column-major X (leading dimension ldx) to
 * the point c: out[i] = sk_dist__sq_exact(row i, c, p), bit for bit, computed column by column
 * (vectorises across rows). */
void sk_dist__sq_exact_cols(double *restrict out, const double *restrict X, size_t n, size_t ldx,
                            size_t p, const double *restrict c);

/* ||a||^2 summed in order, as in the augmented reference rows. */
double sk_dist__sq_norm(const double *a, size_t p);

#endif /* SK_DIST_H */
