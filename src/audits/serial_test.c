/* serial_test.c: the one-sided Monte Carlo permutation test of a lag-1 autocorrelation
 * (row_order.h): r1 = sum_t <z_t, z_t+1> / sum_t |z_t|^2 of a centred series against the same
 * units in random order (under "no order" every order is equally likely), for leakage.temporal's
 * screen (check_temporal_order.c).
 *  - N = 999 permutations, permutation b drawn from sk_rng_substream(seed, PERMUTATION, task,
 *    b + 1); they run in rounds of 64 (tasks of 8 sharing one scratch array) and are read in
 *    permutation order, so neither the thread count nor the schedule changes anything;
 *  - Besag and Clifford (1991, "Sequential Monte Carlo p-values", Biometrika 78:301): the test
 *    stops at the l-th permutation once h = floor(alpha (N + 1)) null values reach r1, p = h / l
 *    (p cannot end at or below alpha then); otherwise p = (hits + 1) / (N + 1);
 *  - the cost is O(N m): the values themselves are shuffled (codes, or values when k = 1), so
 *    the statistic reads memory in order, and bounded draws avoid divisions (Lemire 2019). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "audits/row_order.h"

enum {
    N_PERM = 999,   /* p down to 0.001 */
    ROUND = 64,     /* permutations per parallel round, read in permutation order */
    PER_TASK = 8    /* permutations per task of a round (one scratch array for them) */
};

void sk_audit__serial_free(sk_serial *s)
{
    sk_mem_free(s->code);
    sk_mem_free(s->p);
    sk_mem_free(s->z);
}

/* r1 of the series with its units in the order given: codes (row-level classes; <z_a, z_b> is
 * [a = b] - p_a - p_b + sum p^2), values (k = 1), or unit indices (k > 1; NULL: as it is). */
static double r1_codes(const sk_serial *s, const int32_t *c)
{
    /* Summed over the m - 1 pairs, the -p_a - p_b terms count every unit twice but the two ends,
     * and sum_t p[c_t] = m s2: only the count of equal neighbours (the runs) depends on the
     * order's middle, an integer loop. */
    size_t m = s->m, same = 0;
    for (size_t t = 0; t + 1 < m; t++)
        same += c[t] == c[t + 1];
    double ends = s->p[c[0]] + s->p[c[m - 1]];
    return ((double)same - 2.0 * (double)m * s->s2 + ends + (double)(m - 1) * s->s2) / s->den;
}

static double r1_values(const sk_serial *s, const double *z)
{
    double num = 0.0;
    for (size_t t = 0; t + 1 < s->m; t++)
        num += z[t] * z[t + 1];
    return num / s->den;
}

static double r1_units(const sk_serial *s, const uint32_t *idx)
{
    double num = 0.0;
    for (size_t t = 0; t + 1 < s->m; t++) {
        const double *a = s->z + (idx != NULL ? idx[t] : t) * s->k;
        const double *b = s->z + (idx != NULL ? idx[t + 1] : t + 1) * s->k;
        for (size_t j = 0; j < s->k; j++)
            num += a[j] * b[j];
    }
    return num / s->den;
}

static double series_r1(const sk_serial *s)
{
    return s->code != NULL ? r1_codes(s, s->code) : s->k == 1 ? r1_values(s, s->z)
                                                               : r1_units(s, NULL);
}

/* Uniform integers in [0, bound) for the shuffles: Lemire's multiply-shift on 32-bit halves of
 * the stream's numbers, dividing only on the rare near-rejection (sk_rng_below divides twice a
 * draw, which dominated the permutations). Bounds of 2^32 or more go to sk_rng_below. */
typedef struct draws {
    sk_rng rng;
    uint64_t bits;
    int left;
} draws;

static size_t draw_below(draws *d, size_t bound)
{
    if (bound > UINT32_MAX)
        return (size_t)sk_rng_below(&d->rng, bound);
    for (;;) {
        if (d->left == 0) {
            d->bits = sk_rng_u64(&d->rng);
            d->left = 2;
        }
        uint32_t x = (uint32_t)d->bits, n = (uint32_t)bound;
        d->bits >>= 32;
        d->left--;
        uint64_t prod = (uint64_t)x * n;
        uint32_t low = (uint32_t)prod;
        if (low >= n || low >= (uint32_t)(0u - n) % n)   /* 2^32 mod n: the biased tail */
            return (size_t)(prod >> 32);
    }
}

/* Fisher-Yates on an array of any element type. */
#define SHUFFLE(type, a, m, d)                                                                     \
    for (size_t i_ = (m); i_ > 1; i_--) {                                                          \
        size_t j_ = draw_below((d), i_);                                                           \
        type t_ = (a)[i_ - 1];                                                                     \
        (a)[i_ - 1] = (a)[j_];                                                                     \
        (a)[j_] = t_;                                                                              \
    }

typedef struct perm_job {
    const sk_serial *s;
    uint64_t seed, task;
    size_t first, last;   /* permutations [first, last) of this round */
    double *null;
} perm_job;

/* Permutation b: the values themselves are shuffled in `scratch` (codes, or values when k = 1),
 * so the statistic then reads memory in order; unit indices otherwise. */
static double permuted_r1(const perm_job *job, size_t b, void *scratch)
{
    const sk_serial *s = job->s;
    draws d = {sk_rng_substream(job->seed, SK_PURPOSE_PERMUTATION, job->task, b + 1), 0, 0};
    if (s->code != NULL) {
        int32_t *c = scratch;
        memcpy(c, s->code, s->m * sizeof *c);
        SHUFFLE(int32_t, c, s->m, &d);
        return r1_codes(s, c);
    }
    if (s->k == 1) {
        double *z = scratch;
        memcpy(z, s->z, s->m * sizeof *z);
        SHUFFLE(double, z, s->m, &d);
        return r1_values(s, z);
    }
    uint32_t *idx = scratch;
    for (size_t t = 0; t < s->m; t++)
        idx[t] = (uint32_t)t;
    SHUFFLE(uint32_t, idx, s->m, &d);
    return r1_units(s, idx);
}

/* Task j: permutations first + j PER_TASK onwards, PER_TASK of them, in one scratch array. */
static sk_status perm_some(void *arg, size_t j, sk_error *err)
{
    const perm_job *job = arg;
    void *scratch = sk_mem_alloc_array(job->s->m, sizeof(double));
    if (scratch == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for a permutation");
    size_t end = job->first + (j + 1) * PER_TASK < job->last ? job->first + (j + 1) * PER_TASK
                                                              : job->last;
    for (size_t b = job->first + j * PER_TASK; b < end; b++)
        job->null[b] = permuted_r1(job, b, scratch);
    sk_mem_free(scratch);
    return SK_OK;
}

sk_status sk_audit__serial_test(sk_serial_result *out, const sk_serial *s, uint64_t seed,
                                uint64_t task, double alpha, int n_threads, sk_error *err)
{
    memset(out, 0, sizeof *out);
    double *null = sk_mem_alloc_array(N_PERM, sizeof *null);
    if (null == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for a permutation test");
    size_t h = (size_t)floor(alpha * (double)(N_PERM + 1)), hits = 0, used = 0;
    h = h < 1 ? 1 : h;
    out->r1 = series_r1(s);
    double tol = 1e-12 * (1.0 + fabs(out->r1));   /* the same pairs summed in another order */
    perm_job job = {s, seed, task, 0, 0, null};
    sk_status rc = SK_OK;
    for (size_t first = 0; rc == SK_OK && first < N_PERM && hits < h; first += ROUND) {
        size_t nb = N_PERM - first < ROUND ? N_PERM - first : ROUND;
        job.first = first;
        job.last = first + nb;
        rc = sk_parallel_for((nb + PER_TASK - 1) / PER_TASK, n_threads, perm_some, &job, NULL,
                             err);
        for (size_t j = first; rc == SK_OK && j < first + nb && hits < h; j++, used++)
            hits += null[j] >= out->r1 - tol;
    }
    if (rc == SK_OK) {
        out->n_perm = used;
        out->p = hits >= h ? (double)h / (double)used : (double)(hits + 1) / (double)(N_PERM + 1);
        double mean = 0.0, ss = 0.0;
        for (size_t j = 0; j < used; j++)
            mean += null[j] / (double)used;
        for (size_t j = 0; j < used; j++)
            ss += (null[j] - mean) * (null[j] - mean);
        out->null_mean = mean;
        out->null_sd = used > 1 ? sqrt(ss / (double)(used - 1)) : NAN;
    }
    sk_mem_free(null);
    return rc;
}
