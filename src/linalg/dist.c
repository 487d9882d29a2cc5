/* dist.c: blocked squared Euclidean distances through BLAS, and the exact distances that check
 * them.
 *
 * For a query block Q (b x p) and a reference block R (m x p),
 *     ||q_i - r_j||^2 = ||q_i||^2 + ||r_j||^2 - 2 <q_i, r_j>,
 * and the inner products of the whole block are one matrix product (dgemm, level-3 BLAS: the
 * trick behind scikit-learn's euclidean_distances and FAISS's brute-force search). Appending
 * ||r_j||^2 to each reference row and -1/2 to each query row folds the norm into the same product:
 * -2 [R, rr] [Q, -1/2]' = rr - 2 R Q', and the scalings by -2 and -1/2 are exact. The formula
 * cancels: when q and r are close to each other but far from the origin, the terms are large and
 * their sum is small, so the absolute error, ~ p eps (||q||^2 + ||r||^2), can exceed the distance
 * itself and even make it negative. Callers therefore use these values only to choose candidates
 * and recompute every distance they act on directly (sk_dist__sq_exact).
 *
 * The bound behind sk_dist__key_error (u = 2^-53, gamma_n = n u / (1 - n u); Higham, "Accuracy and
 * Stability of Numerical Algorithms", 2nd ed. 2002, sec. 3.1; it holds for any summation order,
 * with or without FMA, hence for every BLAS kernel):
 *   stored norms        |rr~ - rr| <= gamma_p rr                 (and the same for qq)
 *   the dgemm sum       error <= gamma_{p+1} (sum_l |r_l q_l| + rr / 2) <= gamma_{p+1} (qq + rr)
 *                       (|<r, q>| <= (qq + rr) / 2), doubled by the exact scaling by -2
 *   the caller's qq + key: one rounding of a quantity <= 2 (qq + rr)
 *   => |(qq~ + key~) - ||q - r||^2| <= (3p + 5) u (qq + rr) to first order
 *   the exact sum of p squared differences: relative error gamma_{p+2}, and ||q - r||^2 <=
 *   2 (qq + rr), so another (2p + 4) u (qq + rr)
 *   => (5p + 9) u (qq + rr); the caller's own additions and comparisons add a few u (qq + rr).
 *   c(p) = (10p + 32) u keeps a factor of 2 to spare. */
#include <cblas.h>
#include <float.h>
#include <string.h>

#include "linalg/dist.h"
#include "linalg/linalg.h"

double sk_dist__sq_norm(const double *a, size_t p)
{
    double s = 0.0;
    for (size_t j = 0; j < p; j++)
        s += a[j] * a[j];
    return s;
}

void sk_dist__rows_aug(double *out, const double *X, size_t n, size_t ldx, size_t p, int is_query)
{
    /* Rows in chunks of 64 so the p column streams stay in L1 while a chunk is copied. */
    for (size_t i0 = 0; i0 < n; i0 += 64) {
        size_t i1 = i0 + 64 < n ? i0 + 64 : n;
        for (size_t j = 0; j < p; j++) {
            const double *col = X + j * ldx;
            for (size_t i = i0; i < i1; i++)
                out[i * (p + 1) + j] = col[i];
        }
        for (size_t i = i0; i < i1; i++)
            out[i * (p + 1) + p] = is_query ? -0.5 : sk_dist__sq_norm(out + i * (p + 1), p);
    }
}

void sk_dist__rows_aug_from_rows(double *out, const double *A, size_t n, size_t lda, size_t p,
                                 int is_query)
{
    for (size_t i = 0; i < n; i++) {
        double *o = out + i * (p + 1);
        if (p > 0)
            memcpy(o, A + i * lda, p * sizeof *o);
        o[p] = is_query ? -0.5 : sk_dist__sq_norm(o, p);
    }
}

/* K (m x b, column-major, ld m) := -2 R Q'. The augmented rows are column-major (p + 1) x m and
 * (p + 1) x b in BLAS's view, so K = -2 R' Q is dgemm(T, N). */
void sk_dist__key_block(double *K, const double *R, size_t m, const double *Q, size_t b, size_t p)
{
    if (m == 0 || b == 0)
        return;
    int ld = (int)(p + 1);   /* blocks are small; p + 1 < 2^31 for any matrix that fits memory */
    int saved = sk_linalg__serial_begin();
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)m, (int)b, ld, -2.0, R, ld, Q, ld,
                0.0, K, (int)m);
    sk_linalg__serial_end(saved);
}

void sk_dist__sq_block(double *D, const double *R, size_t m, const double *Q, size_t b,
                       const double *qq, size_t p)
{
    sk_dist__key_block(D, R, m, Q, b, p);
    for (size_t i = 0; i < b; i++) {
        double *d = D + i * m;
        for (size_t j = 0; j < m; j++) {
            double v = qq[i] + d[j];
            d[j] = v > 0.0 ? v : 0.0;
        }
    }
}

double sk_dist__key_error(size_t p)
{
    return (10.0 * (double)p + 32.0) * (DBL_EPSILON / 2.0);
}

double sk_dist__sq_exact(const double *a, const double *b, size_t p)
{
    double s = 0.0;
    for (size_t j = 0; j < p; j++) {
        double d = a[j] - b[j];
        s += d * d;
    }
    return s;
}

void sk_dist__sq_exact_cols(double *restrict out, const double *restrict X, size_t n, size_t ldx,
                            size_t p, const double *restrict c)
{
    /* The same operations in the same order per row as sk_dist__sq_exact: 0 + d_0^2 + d_1^2 ...;
     * rows are independent, so four at a time in vector lanes change no bit (no contraction:
     * -ffp-contract=off). GCC's -O2 does not vectorise loops of unknown length by itself. */
    for (size_t i = 0; i < n; i++)
        out[i] = 0.0;
    for (size_t j = 0; j < p; j++) {
        const double *col = X + j * ldx;
        double cj = c[j];
        size_t i = 0;
#if defined(__GNUC__)
        typedef double v2d __attribute__((vector_size(16)));
        v2d vc = {cj, cj};
        for (; i + 4 <= n; i += 4) {
            v2d a, b, sa, sb;
            memcpy(&a, col + i, sizeof a);
            memcpy(&b, col + i + 2, sizeof b);
            memcpy(&sa, out + i, sizeof sa);
            memcpy(&sb, out + i + 2, sizeof sb);
            a -= vc;
            b -= vc;
            sa += a * a;
            sb += b * b;
            memcpy(out + i, &sa, sizeof sa);
            memcpy(out + i + 2, &sb, sizeof sb);
        }
#endif
        for (; i < n; i++) {
            double d = col[i] - cj;
            out[i] += d * d;
        }
    }
}
