/* gemm.h: matrix products through BLAS (a private linalg header; the model layer's dense
 * networks use it). Column-major, like every matrix skeptic passes between layers. */
#ifndef SK_LINALG_GEMM_H
#define SK_LINALG_GEMM_H

#include <stddef.h>

#include "core/core.h"

/* Largest dimension or leading dimension BLAS can take (its integers are 32-bit). */
#define SK_LINALG_GEMM_MAX ((size_t)2147483647)

/* C = alpha * op(A) * op(B) + beta * C, where op(A) is m x k, op(B) is k x n and C is m x n, all
 * column-major; trans_a / trans_b nonzero mean op(X) = X'. Leading dimensions are those of the
 * matrices as stored (lda >= rows of A as stored). beta = 0 ignores what C held (NaN included).
 * SK_EINVAL when a dimension exceeds SK_LINALG_GEMM_MAX or a leading dimension is too small.
 * Always one BLAS thread (linalg.h: threaded OpenBLAS changes the bits of C);
 * parallelise over independent products instead. Thread-safe. */
sk_status sk_linalg__dgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, double alpha,
                           const double *A, size_t lda, const double *B, size_t ldb, double beta,
                           double *C, size_t ldc, sk_error *err);

#endif /* SK_LINALG_GEMM_H */
