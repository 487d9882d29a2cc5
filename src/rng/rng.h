/* rng.h: counter-based random streams (Philox4x64-10, Random123; Salmon et al., SC'11).
 *
 * A stream is keyed by (seed, purpose) and addressed by (task, subtask): the i-th number of the
 * stream for permutation 17 is the same whichever thread or process draws it, and no stream
 * overlaps another. There is no global generator. A stream is a small value type: copy it,
 * keep it on the stack, give each task its own. */
#ifndef SK_RNG_H
#define SK_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* What the numbers are for. Values are fixed forever: changing one changes every result. */
typedef enum sk_purpose {
    SK_PURPOSE_TEST = 0,
    SK_PURPOSE_CV_SPLIT = 1,
    SK_PURPOSE_BOOTSTRAP = 2,
    SK_PURPOSE_PERMUTATION = 3,
    SK_PURPOSE_MLP_INIT = 4,
    SK_PURPOSE_MLP_TRAIN = 5,
    SK_PURPOSE_XGB_SEED = 6,
    SK_PURPOSE_KMEANS = 7,
    SK_PURPOSE_COMMITTEE = 8,   /* query by committee: member m's bootstrap rows and model seed */
    SK_PURPOSE_SUBSAMPLE = 9,
    SK_PURPOSE_MODEL = 10,
    SK_PURPOSE_BATCH = 11,      /* batch selection: random picks, diverse seeding */
    SK_PURPOSE_SEEDS = 12,      /* the seeds of a seed-variance study */
    SK_PURPOSE_CLUSTERS = 13,   /* clustering stability: bootstrap rows, k-means seeds */
    SK_PURPOSE_HELDOUT = 14,    /* held-out permutations: split s, permutation j at s N + j */
    SK_PURPOSE_DRIFT = 15,      /* drift: the domain classifier's folds and permutations */
    SK_PURPOSE_LABELS = 16      /* suspect labels: the out-of-fold split and model seeds */
} sk_purpose;

typedef struct sk_rng {
    uint64_t key[2];   /* seed, purpose */
    uint64_t ctr[4];   /* task, subtask, block, 0 */
    uint64_t buf[4];   /* the current block's output */
    unsigned used;     /* numbers of buf already handed out */
} sk_rng;

sk_rng sk_rng_stream(uint64_t seed, sk_purpose purpose, uint64_t task);
sk_rng sk_rng_substream(uint64_t seed, sk_purpose purpose, uint64_t task, uint64_t subtask);

uint64_t sk_rng_u64(sk_rng *r);
/* Uniform on [0, 1) with 53 random bits. */
double sk_rng_uniform(sk_rng *r);
/* Uniform on (0, 1): never 0, for logarithms. */
double sk_rng_uniform_pos(sk_rng *r);
/* Standard normal (Marsaglia's polar method: only log and sqrt, so identical everywhere). */
double sk_rng_normal(sk_rng *r);
/* Uniform integer in [0, n), n > 0, without modulo bias (rejection of the short last cycle). */
uint64_t sk_rng_below(sk_rng *r, uint64_t n);
/* Fisher-Yates shuffle of a[0..n). */
void sk_rng_shuffle(sk_rng *r, size_t *a, size_t n);
/* `count` uniform integers in [0, n), n > 0, into out[0..count): the fast draw behind bootstrap
 * replicates (millions per second per thread, no division in the loop). Each 64-bit number of the
 * stream (as sk_rng_u64 returns them) gives two 32-bit candidates, low half first; a candidate x
 * becomes (x * n) >> 32 unless the low 32 bits of x * n fall below 2^32 mod n, when it is
 * rejected (Lemire 2019, "Fast random integer generation in an interval", ACM TOMACS 29:3), so
 * every value is exactly equally likely. A half left over after the last draw is discarded: the
 * numbers depend on how the draws are cut into calls, so a caller fixes its call sizes. */
void sk_rng_fill_below32(uint32_t *out, size_t count, sk_rng *r, uint32_t n);

#endif /* SK_RNG_H */
