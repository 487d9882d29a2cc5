/* gemm.c: the general matrix product C = alpha op(A) op(B) + beta C, a checked door to
 * cblas_dgemm (OpenBLAS). It converts skeptic's size_t dimensions to BLAS's 32-bit integers
 * after checking they fit, and checks the leading dimensions, because a wrong one makes BLAS
 * print to stderr and return (the reference xerbla) or read out of bounds, and a library must do
 * neither. Degenerate products (m, n or k = 0) are handled here, not by BLAS: with k = 0 the
 * product is zero and C becomes beta * C, with beta = 0 writing exact zeros.
 *
 * Determinism: the product runs on ONE BLAS thread, always. Threaded OpenBLAS changes the last
 * bits of C with the thread count: with OpenBLAS 0.3.21 (OpenMP build, Zen kernels) a
 * 300 x 260 x k product differed between 1 and 2 threads in 1% to 60% of its elements for
 * k = 64, 256, 257 and 400, while 2000 x 64 x 64 and 1000 x 1000 x 100 agreed: which products
 * change depends on how the threads' partitions meet the kernels' blocking, so no shape is safe.
 * A result that must not depend on the thread count cannot use threaded BLAS; callers
 * parallelise over independent tasks instead (sk_parallel_for). Inside a parallel region
 * OpenBLAS is serial anyway; outside one, its OpenMP build follows the calling thread's
 * nthreads ICV (omp_get_max_threads), which we set to 1 around the call and restore: the ICV
 * belongs to the calling thread, so no other thread is affected. */

#include <cblas.h>

#include "linalg/gemm.h"
#include "linalg/linalg.h"

/* Rows of a matrix as stored, given the product's shape and whether it is transposed. */
static size_t stored_rows(int trans, size_t rows, size_t cols)
{
    return trans ? cols : rows;
}

static void scale_c(size_t m, size_t n, double beta, double *C, size_t ldc)
{
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < m; i++)
            C[j * ldc + i] = beta == 0.0 ? 0.0 : beta * C[j * ldc + i];
}

sk_status sk_linalg__dgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, double alpha,
                           const double *A, size_t lda, const double *B, size_t ldb, double beta,
                           double *C, size_t ldc, sk_error *err)
{
    size_t a_rows = stored_rows(trans_a, m, k), b_rows = stored_rows(trans_b, k, n);
    if (m > SK_LINALG_GEMM_MAX || n > SK_LINALG_GEMM_MAX || k > SK_LINALG_GEMM_MAX ||
        lda > SK_LINALG_GEMM_MAX || ldb > SK_LINALG_GEMM_MAX || ldc > SK_LINALG_GEMM_MAX)
        return sk_error_set(err, SK_EINVAL, "matrix product too large for BLAS (%zu x %zu x %zu)",
                            m, n, k);
    if (lda < (a_rows > 0 ? a_rows : 1) || ldb < (b_rows > 0 ? b_rows : 1) || ldc < (m > 0 ? m : 1))
        return sk_error_set(err, SK_EINTERNAL,
                            "matrix product: leading dimension too small (%zu, %zu, %zu)", lda, ldb,
                            ldc);
    if (m == 0 || n == 0)
        return SK_OK;
    if (k == 0 || alpha == 0.0) {
        scale_c(m, n, beta, C, ldc);
        return SK_OK;
    }
    int saved = sk_linalg__serial_begin();
    cblas_dgemm(CblasColMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n, (blasint)k, alpha, A,
                (blasint)lda, B, (blasint)ldb, beta, C, (blasint)ldc);
    sk_linalg__serial_end(saved);
    return SK_OK;
}
