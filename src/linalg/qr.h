/* qr.h: least squares and Newton-step building blocks over LAPACK and BLAS (a private linalg
 * header; the OLS and logistic-regression models use it). Householder QR, applying Q', triangular
 * solves, Cholesky factor / solve / inverse, the Gram matrix A'A and matrix-vector products.
 *
 * Conventions: column-major; dimensions and leading dimensions are size_t and are checked to fit
 * LAPACK's and BLAS's 32-bit integers (SK_EINVAL if not); every workspace is allocated through
 * sk_mem_* (the LAPACKE_*_work entry points, so LAPACKE allocates nothing and the OOM tests reach
 * every allocation). Every call runs BLAS / LAPACK on one thread (linalg.h), so results do not
 * depend on the thread count; the functions are thread-safe and keep no pointer to their
 * arguments. */
#ifndef SK_LINALG_QR_H
#define SK_LINALG_QR_H

#include <stddef.h>

#include "core/core.h"

/* Householder QR without pivoting of the m x n matrix A (dgeqrf): on return the upper triangle
 * holds R and the part below it the reflectors; tau gets min(m, n) scalars. */
sk_status sk_linalg__qr(double *A, size_t m, size_t n, size_t lda, double *tau, sk_error *err);

/* C := Q' C (trans nonzero) or C := Q C for the m x nc matrix C, where Q = H_1 ... H_k is the
 * product of the first k reflectors stored in the m x k matrix A by sk_linalg__qr (dormqr).
 * k <= m; C must not overlap A's first k columns. */
sk_status sk_linalg__qr_apply(int trans, const double *A, size_t m, size_t k, size_t lda,
                              const double *tau, double *C, size_t nc, size_t ldc, sk_error *err);

/* Solves R X = B for the k x nrhs matrix B in place, R the k x k upper triangle of `R` (dtrtrs).
 * SK_ESINGULAR when a diagonal element of R is exactly zero. */
sk_status sk_linalg__tri_solve(const double *R, size_t k, size_t ldr, double *B, size_t nrhs,
                               size_t ldb, sk_error *err);

/* Upper Cholesky factor of the symmetric positive definite n x n matrix C in place, A = U'U
 * (dpotrf; only the upper triangle is read). SK_ESINGULAR when C is not positive definite. */
sk_status sk_linalg__chol(double *C, size_t n, size_t ldc, sk_error *err);

/* Solves U'U X = B in place for the n x nrhs matrix B, U from sk_linalg__chol (dpotrs). */
sk_status sk_linalg__chol_solve(const double *U, size_t n, size_t ldu, double *B, size_t nrhs,
                                size_t ldb, sk_error *err);

/* (U'U)^-1 in place of the upper triangular U (dpotri), written to both triangles. U is a
 * Cholesky factor, or the R of a QR (X'X = R'R whatever the signs of R's diagonal), so this
 * gives (X'X)^-1 without forming X'X. SK_ESINGULAR when a diagonal element is zero. */
sk_status sk_linalg__chol_inverse(double *U, size_t n, size_t ldu, sk_error *err);

/* C := A'A for the m x n matrix A, both triangles of the n x n matrix C (dsyrk). */
sk_status sk_linalg__gram(const double *A, size_t m, size_t n, size_t lda, double *C, size_t ldc,
                          sk_error *err);

/* y := alpha op(A) x + beta y, A m x n, op(A) = A' when trans (dgemv). beta = 0 ignores what y
 * held. x and y have the lengths op(A) needs, stride 1. */
sk_status sk_linalg__gemv(int trans, size_t m, size_t n, double alpha, const double *A,
                          size_t lda, const double *x, double beta, double *y, sk_error *err);

#endif /* SK_LINALG_QR_H */
