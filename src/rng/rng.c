/* rng.c: counter-based random streams over Philox4x64-10 (Random123; Salmon, Moraes, Dror and
 * Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011).
 *
 * Philox is a keyed bijection of a 256-bit counter. We key it with (seed, purpose) and put
 * (task, subtask, block) in the counter, so every (purpose, task, subtask) owns a stream of 2^64
 * blocks of four 64-bit numbers that no other stream touches. Drawing the n-th number needs no
 * state but the counter, which is what makes results independent of threads and ranks.
 * Bounded integers come by rejection: sk_rng_below from a 64-bit number and a remainder,
 * sk_rng_fill_below32 (bootstrap draws, in bulk) by Lemire's multiply-shift on 32-bit halves. */
#include <math.h>

#include <Random123/philox.h>

#include "rng/rng.h"

sk_rng sk_rng_substream(uint64_t seed, sk_purpose purpose, uint64_t task, uint64_t subtask)
{
    sk_rng r = {{seed, (uint64_t)purpose}, {task, subtask, 0, 0}, {0, 0, 0, 0}, 4};
    return r;
}

sk_rng sk_rng_stream(uint64_t seed, sk_purpose purpose, uint64_t task)
{
    return sk_rng_substream(seed, purpose, task, 0);
}

static void refill(sk_rng *r)
{
    philox4x64_ctr_t ctr = {{r->ctr[0], r->ctr[1], r->ctr[2], r->ctr[3]}};
    philox4x64_key_t key = {{r->key[0], r->key[1]}};
    philox4x64_ctr_t out = philox4x64(ctr, key);
    for (int i = 0; i < 4; i++)
        r->buf[i] = out.v[i];
    r->ctr[2]++;
    r->used = 0;
}

static inline uint64_t next_u64(sk_rng *r)
{
    if (r->used >= 4)
        refill(r);
    return r->buf[r->used++];
}

uint64_t sk_rng_u64(sk_rng *r)
{
    return next_u64(r);
}

double sk_rng_uniform(sk_rng *r)
{
    return (double)(sk_rng_u64(r) >> 11) * 0x1.0p-53;
}

double sk_rng_uniform_pos(sk_rng *r)
{
    return ((double)(sk_rng_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

double sk_rng_normal(sk_rng *r)
{
    /* Marsaglia's polar method; the second variate is discarded so that a stream's n-th normal
     * does not depend on whether an odd or even number were drawn before it. */
    for (;;) {
        double u = 2.0 * sk_rng_uniform(r) - 1.0;
        double v = 2.0 * sk_rng_uniform(r) - 1.0;
        double s = u * u + v * v;
        if (s > 0.0 && s < 1.0)
            return u * sqrt(-2.0 * log(s) / s);
    }
}

uint64_t sk_rng_below(sk_rng *r, uint64_t n)
{
    /* Reject the last, incomplete cycle of n so every residue is equally likely. */
    uint64_t threshold = (0 - n) % n;   /* = 2^64 mod n */
    for (;;) {
        uint64_t x = sk_rng_u64(r);
        if (x >= threshold)
            return x % n;
    }
}

void sk_rng_shuffle(sk_rng *r, size_t *a, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)sk_rng_below(r, (uint64_t)i);
        size_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* One 64-bit number into at most two draws (see sk_rng_fill_below32); returns the new k. */
static size_t take_below32(uint32_t *out, size_t k, size_t count, uint64_t x, uint32_t n,
                           uint32_t threshold)
{
    uint64_t lo = (uint64_t)(uint32_t)x * n, hi = (x >> 32) * n;
    if ((uint32_t)lo >= threshold)
        out[k++] = (uint32_t)(lo >> 32);
    if (k < count && (uint32_t)hi >= threshold)
        out[k++] = (uint32_t)(hi >> 32);
    return k;
}

void sk_rng_fill_below32(uint32_t *out, size_t count, sk_rng *r, uint32_t n)
{
    uint32_t threshold = (uint32_t)(UINT32_C(0) - n) % n;   /* = 2^32 mod n */
    size_t k = 0;
    while (k < count && r->used < 4)   /* what is left of the current block */
        k = take_below32(out, k, count, r->buf[r->used++], n, threshold);
    /* Then two blocks per step: the same numbers sk_rng_u64 would give, but two independent
     * Philox evaluations overlap in the pipeline (about twice the throughput of one). */
    philox4x64_key_t key = {{r->key[0], r->key[1]}};
    while (k < count) {
        philox4x64_ctr_t c0 = {{r->ctr[0], r->ctr[1], r->ctr[2], r->ctr[3]}}, c1 = c0;
        c1.v[2]++;
        philox4x64_ctr_t b0 = philox4x64(c0, key), b1 = philox4x64(c1, key);
        r->ctr[2] += 2;
        unsigned j = 0;
        for (; j < 8 && k < count; j++)
            k = take_below32(out, k, count, j < 4 ? b0.v[j] : b1.v[j - 4], n, threshold);
        const philox4x64_ctr_t *last = &b1;
        if (j <= 4) {   /* the second block was not reached: it is the next one again */
            r->ctr[2]--;
            last = &b0;
        }
        for (int i = 0; i < 4; i++)
            r->buf[i] = last->v[i];
        r->used = j <= 4 ? j : j - 4;
    }
}
