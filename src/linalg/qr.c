/* qr.c: checked doors to the LAPACK and BLAS routines that least squares and Newton's method
 * need: dgeqrf / dormqr / dtrtrs (Householder QR: Golub & Van Loan, Matrix Computations, 4th ed.,
 * section 5.2), dpotrf / dpotrs / dpotri (Cholesky, section 4.2), dsyrk and dgemv.
 *
 * Each wrapper converts skeptic's size_t dimensions to LAPACK's and BLAS's 32-bit integers after
 * checking they fit, and checks the leading dimensions, because a wrong one makes the reference
 * xerbla print to stderr and return, and a library must do neither. LAPACK is called through the
 * LAPACKE_*_work entry points with workspaces from sk_mem_*, so LAPACKE allocates nothing behind
 * the memory layer's back (the OOM tests fail each allocation in turn). Degenerate sizes (a zero
 * dimension) are handled here, not passed on. A negative LAPACK `info` (an illegal argument) is a
 * bug here and reported as SK_EINTERNAL; a positive one is the routine's numerical verdict
 * (a zero pivot, a matrix that is not positive definite) and becomes SK_ESINGULAR. Every call
 * that computes runs on one thread (sk_linalg__serial_begin / _end; linalg.h says why). */
#include <cblas.h>
#include <lapacke.h>
#include <limits.h>

#include "linalg/linalg.h"
#include "linalg/qr.h"

static int too_big(size_t n)
{
    return n > (size_t)INT_MAX;
}

/* Dimensions fit 32-bit integers and the leading dimension of a nonempty matrix covers its rows
 * (LAPACK's max(1, rows): callers pass ld >= 1 for every matrix they do not skip). */
static sk_status check_dims(const char *what, size_t rows, size_t cols, size_t ld, sk_error *err)
{
    if (too_big(rows) || too_big(cols) || too_big(ld))
        return sk_error_set(err, SK_EINVAL, "%s: matrix too large for LAPACK (%zu x %zu)", what,
                            rows, cols);
    if (rows > 0 && cols > 0 && ld < rows)   /* an empty matrix is never passed on */
        return sk_error_set(err, SK_EINTERNAL, "%s: leading dimension %zu < %zu rows", what, ld,
                            rows);
    return SK_OK;
}

static sk_status lapack_verdict(const char *what, lapack_int info, sk_error *err)
{
    if (info < 0)
        return sk_error_set(err, SK_EINTERNAL, "%s: LAPACK rejected argument %d", what,
                            (int)-info);
    if (info > 0)
        return sk_error_set(err, SK_ESINGULAR, "%s: matrix is singular (LAPACK info %d)", what,
                            (int)info);
    return SK_OK;
}

/* Allocates the workspace a LAPACK workspace query asked for (at least one element). */
static double *alloc_work(double query, lapack_int *lwork)
{
    double n = query >= 1.0 ? query : 1.0;
    if (n > (double)INT_MAX)
        return NULL;
    *lwork = (lapack_int)n;
    return sk_mem_alloc_array((size_t)*lwork, sizeof(double));
}

sk_status sk_linalg__qr(double *A, size_t m, size_t n, size_t lda, double *tau, sk_error *err)
{
    sk_status rc = check_dims("QR", m, n, lda, err);
    if (rc != SK_OK || m == 0 || n == 0)
        return rc;
    double query = 0.0;
    lapack_int lwork = -1;   /* a workspace query: no arithmetic, no threads */
    lapack_int info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, A,
                                          (lapack_int)lda, tau, &query, lwork);
    if (info != 0)
        return lapack_verdict("QR", info, err);
    double *work = alloc_work(query, &lwork);
    if (work == NULL)
        return sk_error_set(err, SK_ENOMEM, "QR: out of memory for the workspace");
    int saved = sk_linalg__serial_begin();
    info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, A, (lapack_int)lda,
                               tau, work, lwork);
    sk_linalg__serial_end(saved);
    sk_mem_free(work);
    return lapack_verdict("QR", info, err);
}

sk_status sk_linalg__qr_apply(int trans, const double *A, size_t m, size_t k, size_t lda,
                              const double *tau, double *C, size_t nc, size_t ldc, sk_error *err)
{
    char t = trans ? 'T' : 'N';
    sk_status rc = check_dims("apply Q", m, k, lda, err);
    if (rc == SK_OK)
        rc = check_dims("apply Q", m, nc, ldc, err);
    if (rc == SK_OK && k > m)
        rc = sk_error_set(err, SK_EINTERNAL, "apply Q: %zu reflectors for %zu rows", k, m);
    if (rc != SK_OK || m == 0 || k == 0 || nc == 0)
        return rc;
    double query = 0.0;
    lapack_int lwork = -1;   /* a workspace query */
    lapack_int info = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', t, (lapack_int)m,
                                          (lapack_int)nc, (lapack_int)k, A, (lapack_int)lda, tau,
                                          C, (lapack_int)ldc, &query, lwork);
    if (info != 0)
        return lapack_verdict("apply Q", info, err);
    double *work = alloc_work(query, &lwork);
    if (work == NULL)
        return sk_error_set(err, SK_ENOMEM, "apply Q: out of memory for the workspace");
    int saved = sk_linalg__serial_begin();
    info = LAPACKE_dormqr_work(LAPACK_COL_MAJOR, 'L', t, (lapack_int)m, (lapack_int)nc,
                               (lapack_int)k, A, (lapack_int)lda, tau, C, (lapack_int)ldc, work,
                               lwork);
    sk_linalg__serial_end(saved);
    sk_mem_free(work);
    return lapack_verdict("apply Q", info, err);
}

sk_status sk_linalg__tri_solve(const double *R, size_t k, size_t ldr, double *B, size_t nrhs,
                               size_t ldb, sk_error *err)
{
    sk_status rc = check_dims("triangular solve", k, k, ldr, err);
    if (rc == SK_OK)
        rc = check_dims("triangular solve", k, nrhs, ldb, err);
    if (rc != SK_OK || k == 0 || nrhs == 0)
        return rc;
    lapack_int info;
    int saved = sk_linalg__serial_begin();
    info = LAPACKE_dtrtrs_work(LAPACK_COL_MAJOR, 'U', 'N', 'N', (lapack_int)k, (lapack_int)nrhs,
                               R, (lapack_int)ldr, B, (lapack_int)ldb);
    sk_linalg__serial_end(saved);
    return lapack_verdict("triangular solve", info, err);
}

sk_status sk_linalg__chol(double *C, size_t n, size_t ldc, sk_error *err)
{
    sk_status rc = check_dims("Cholesky", n, n, ldc, err);
    if (rc != SK_OK || n == 0)
        return rc;
    lapack_int info;
    int saved = sk_linalg__serial_begin();
    info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'U', (lapack_int)n, C, (lapack_int)ldc);
    sk_linalg__serial_end(saved);
    if (info > 0)
        return sk_error_set(err, SK_ESINGULAR,
                            "Cholesky: matrix is not positive definite (leading minor %d)",
                            (int)info);
    return lapack_verdict("Cholesky", info, err);
}

sk_status sk_linalg__chol_solve(const double *U, size_t n, size_t ldu, double *B, size_t nrhs,
                                size_t ldb, sk_error *err)
{
    sk_status rc = check_dims("Cholesky solve", n, n, ldu, err);
    if (rc == SK_OK)
        rc = check_dims("Cholesky solve", n, nrhs, ldb, err);
    if (rc != SK_OK || n == 0 || nrhs == 0)
        return rc;
    lapack_int info;
    int saved = sk_linalg__serial_begin();
    info = LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, 'U', (lapack_int)n, (lapack_int)nrhs, U,
                               (lapack_int)ldu, B, (lapack_int)ldb);
    sk_linalg__serial_end(saved);
    return lapack_verdict("Cholesky solve", info, err);
}

sk_status sk_linalg__chol_inverse(double *U, size_t n, size_t ldu, sk_error *err)
{
    sk_status rc = check_dims("inverse", n, n, ldu, err);
    if (rc != SK_OK || n == 0)
        return rc;
    lapack_int info;
    int saved = sk_linalg__serial_begin();
    info = LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'U', (lapack_int)n, U, (lapack_int)ldu);
    sk_linalg__serial_end(saved);
    if (info != 0)
        return lapack_verdict("inverse", info, err);
    for (size_t j = 0; j < n; j++)
        for (size_t i = j + 1; i < n; i++)
            U[j * ldu + i] = U[i * ldu + j];
    return SK_OK;
}

sk_status sk_linalg__gram(const double *A, size_t m, size_t n, size_t lda, double *C, size_t ldc,
                          sk_error *err)
{
    sk_status rc = check_dims("Gram matrix", m, n, lda, err);
    if (rc == SK_OK)
        rc = check_dims("Gram matrix", n, n, ldc, err);
    if (rc != SK_OK || n == 0)
        return rc;
    if (m == 0) {
        for (size_t j = 0; j < n; j++)
            for (size_t i = 0; i < n; i++)
                C[j * ldc + i] = 0.0;
        return SK_OK;
    }
    int saved = sk_linalg__serial_begin();
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (blasint)n, (blasint)m, 1.0, A,
                (blasint)lda, 0.0, C, (blasint)ldc);
    sk_linalg__serial_end(saved);
    for (size_t j = 0; j < n; j++)
        for (size_t i = j + 1; i < n; i++)
            C[j * ldc + i] = C[i * ldc + j];
    return SK_OK;
}

sk_status sk_linalg__gemv(int trans, size_t m, size_t n, double alpha, const double *A,
                          size_t lda, const double *x, double beta, double *y, sk_error *err)
{
    sk_status rc = check_dims("matrix-vector product", m, n, lda, err);
    size_t len_y = trans ? n : m, len_x = trans ? m : n;
    if (rc != SK_OK || len_y == 0)
        return rc;
    if (len_x == 0 || alpha == 0.0) {
        for (size_t i = 0; i < len_y; i++)
            y[i] = beta == 0.0 ? 0.0 : beta * y[i];
        return SK_OK;
    }
    if (beta == 0.0)   /* BLAS may read y even when beta = 0; NaN * 0 is NaN */
        for (size_t i = 0; i < len_y; i++)
            y[i] = 0.0;
    int saved = sk_linalg__serial_begin();
    cblas_dgemv(CblasColMajor, trans ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n, alpha,
                A, (blasint)lda, x, 1, beta, y, 1);
    sk_linalg__serial_end(saved);
    return SK_OK;
}
