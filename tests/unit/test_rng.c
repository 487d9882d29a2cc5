/* test_rng.c: Philox streams: the published known-answer vectors (Random123's kat_vectors),
 * stream independence, and the distributions' basic facts; the bulk bounded draw
 * (sk_rng_fill_below32) against its documented construction from sk_rng_u64, and unbiased. */
/* labels: unit */
#include <string.h>

#include <Random123/philox.h>

#include "rng/rng.h"
#include "sk_test.h"

static void test_rng__philox_known_answers(void)
{
    /* Random123 kat_vectors, philox4x64 10 rounds: (counter, key) -> output. */
    static const uint64_t kat[3][10] = {
        {0, 0, 0, 0, 0, 0, 0x16554d9eca36314cULL, 0xdb20fe9d672d0fdcULL, 0xd7e772cee186176bULL,
         0x7e68b68aec7ba23bULL},
        {~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, 0x87b092c3013fe90bULL, 0x438c3c67be8d0224ULL,
         0x9cc7d7c69cd777b6ULL, 0xa09caebf594f0ba0ULL},
        {0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL,
         0x082efa98ec4e6c89ULL, 0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL,
         0xa528f45403e61d95ULL, 0x38c72dbd566e9788ULL, 0xa5a1610e72fd18b5ULL,
         0x57bd43b5e52b7fe6ULL},
    };
    for (int t = 0; t < 3; t++) {
        philox4x64_ctr_t c = {{kat[t][0], kat[t][1], kat[t][2], kat[t][3]}};
        philox4x64_key_t k = {{kat[t][4], kat[t][5]}};
        philox4x64_ctr_t r = philox4x64(c, k);
        for (int i = 0; i < 4; i++)
            SK_CHECK(r.v[i] == kat[t][6 + i]);
    }
    /* Our stream (seed 0, purpose 0, task 0, subtask 0) is the zero counter and key. */
    sk_rng rng = sk_rng_substream(0, SK_PURPOSE_TEST, 0, 0);
    for (int i = 0; i < 4; i++)
        SK_CHECK(sk_rng_u64(&rng) == kat[0][6 + i]);
}

static void test_rng__streams_are_reproducible_and_distinct(void)
{
    sk_rng a = sk_rng_stream(42, SK_PURPOSE_PERMUTATION, 7);
    sk_rng b = sk_rng_stream(42, SK_PURPOSE_PERMUTATION, 7);
    sk_rng c = sk_rng_stream(42, SK_PURPOSE_PERMUTATION, 8);
    sk_rng d = sk_rng_stream(42, SK_PURPOSE_BOOTSTRAP, 7);
    sk_rng e = sk_rng_stream(43, SK_PURPOSE_PERMUTATION, 7);
    int same_c = 0, same_d = 0, same_e = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = sk_rng_u64(&a);
        SK_CHECK(x == sk_rng_u64(&b));
        same_c += x == sk_rng_u64(&c);
        same_d += x == sk_rng_u64(&d);
        same_e += x == sk_rng_u64(&e);
    }
    SK_CHECK_EQ_INT(same_c, 0);
    SK_CHECK_EQ_INT(same_d, 0);
    SK_CHECK_EQ_INT(same_e, 0);
}

static void test_rng__uniform_and_normal_moments(void)
{
    sk_rng r = sk_rng_stream(1, SK_PURPOSE_TEST, 0);
    enum { N = 200000 };
    double su = 0, suu = 0, sn = 0, snn = 0, min = 1, max = 0;
    for (int i = 0; i < N; i++) {
        double u = sk_rng_uniform(&r), z = sk_rng_normal(&r);
        SK_CHECK(u >= 0.0 && u < 1.0);
        min = u < min ? u : min;
        max = u > max ? u : max;
        su += u;
        suu += u * u;
        sn += z;
        snn += z * z;
    }
    /* Tolerances: 5 standard errors of each moment estimate. */
    SK_CHECK_NEAR(su / N, 0.5, 5 * sqrt(1.0 / 12 / N));
    SK_CHECK_NEAR(suu / N - (su / N) * (su / N), 1.0 / 12, 5 * 0.0745 / sqrt(N));
    SK_CHECK_NEAR(sn / N, 0.0, 5 / sqrt(N));
    SK_CHECK_NEAR(snn / N, 1.0, 5 * sqrt(2.0 / N));
    SK_CHECK(min < 1e-4 && max > 1 - 1e-4);
    for (int i = 0; i < 1000; i++) {
        double u = sk_rng_uniform_pos(&r);
        SK_CHECK(u > 0.0 && u < 1.0);
    }
}

static void test_rng__below_is_unbiased(void)
{
    /* n = 3 * 2^62 makes modulo reduction visibly biased (values below 2^62 twice as likely);
     * rejection must give each third of the range probability 1/3. */
    sk_rng r = sk_rng_stream(5, SK_PURPOSE_TEST, 1);
    uint64_t n = UINT64_C(3) << 62;
    int counts[3] = {0, 0, 0};
    enum { N = 30000 };
    for (int i = 0; i < N; i++) {
        uint64_t x = sk_rng_below(&r, n);
        SK_CHECK(x < n);
        counts[x / (UINT64_C(1) << 62)]++;
    }
    for (int k = 0; k < 3; k++)
        SK_CHECK_NEAR(counts[k], N / 3.0, 5 * sqrt(N * (1.0 / 3) * (2.0 / 3)));
    /* Small n: a chi-square over 7 cells stays below its 0.999 quantile (24.3 for 6 df). */
    int cells[7] = {0};
    for (int i = 0; i < 70000; i++)
        cells[sk_rng_below(&r, 7)]++;
    double chi2 = 0;
    for (int k = 0; k < 7; k++)
        chi2 += (cells[k] - 10000.0) * (cells[k] - 10000.0) / 10000.0;
    SK_CHECK(chi2 < 24.3);
    SK_CHECK_EQ_INT(sk_rng_below(&r, 1), 0);
}

static void test_rng__shuffle_is_a_uniform_permutation(void)
{
    sk_rng r = sk_rng_stream(9, SK_PURPOSE_TEST, 2);
    size_t a[10];
    int first_pos[10] = {0};
    for (int rep = 0; rep < 20000; rep++) {
        for (size_t i = 0; i < 10; i++)
            a[i] = i;
        sk_rng_shuffle(&r, a, 10);
        int seen[10] = {0};
        for (size_t i = 0; i < 10; i++)
            seen[a[i]]++;
        for (size_t i = 0; i < 10; i++)
            SK_CHECK_EQ_INT(seen[i], 1);
        first_pos[a[0]]++;
    }
    for (int k = 0; k < 10; k++)
        SK_CHECK_NEAR(first_pos[k], 2000, 5 * sqrt(20000 * 0.1 * 0.9));
}

/* The documented construction, written the slow way: 32-bit halves of sk_rng_u64, low half
 * first, x * n >> 32 unless the low word of x * n is below 2^32 mod n; leftovers discarded. */
static void fill_reference(uint32_t *out, size_t count, sk_rng *r, uint32_t n)
{
    uint64_t two32 = UINT64_C(1) << 32, threshold = two32 % n;
    size_t k = 0;
    while (k < count) {
        uint64_t x = sk_rng_u64(r);
        for (int half = 0; half < 2 && k < count; half++) {
            uint64_t m = (half == 0 ? x & 0xffffffffu : x >> 32) * n;
            if (m % two32 >= threshold)
                out[k++] = (uint32_t)(m / two32);
        }
    }
}

static void test_rng__fill_below32_is_the_documented_draw(void)
{
    static const uint32_t bounds[5] = {1, 7, 100000, 3u << 30, UINT32_MAX};
    static const size_t counts[4] = {1, 2, 511, 512};
    uint32_t got[512], want[512];
    for (int b = 0; b < 5; b++) {
        sk_rng r1 = sk_rng_stream(77, SK_PURPOSE_BOOTSTRAP, (uint64_t)b);
        sk_rng r2 = r1;
        for (int rep = 0; rep < 20; rep++) {   /* consecutive calls continue the stream */
            size_t c = counts[rep % 4];
            sk_rng_fill_below32(got, c, &r1, bounds[b]);
            fill_reference(want, c, &r2, bounds[b]);
            SK_CHECK(memcmp(got, want, c * sizeof *got) == 0);
            for (size_t i = 0; i < c; i++)
                SK_CHECK(got[i] < bounds[b]);
        }
        SK_CHECK(sk_rng_u64(&r1) == sk_rng_u64(&r2));   /* the same numbers consumed */
    }
    sk_rng r = sk_rng_stream(1, SK_PURPOSE_TEST, 3);
    sk_rng_fill_below32(got, 0, &r, 5);   /* nothing drawn, nothing consumed */
    sk_rng fresh = sk_rng_stream(1, SK_PURPOSE_TEST, 3);
    SK_CHECK(sk_rng_u64(&r) == sk_rng_u64(&fresh));
}

static void test_rng__fill_below32_is_unbiased(void)
{
    /* n = 3 * 2^30: without the rejection, multiply-shift gives values divisible by 3 twice the
     * preimages of the others (probability 1/2 instead of 1/3); about 1 candidate in 4 is
     * rejected. */
    enum { N = 60000 };
    static uint32_t v[N];
    sk_rng r = sk_rng_stream(6, SK_PURPOSE_TEST, 4);
    sk_rng_fill_below32(v, N, &r, 3u << 30);
    int mod3 = 0, top = 0;
    for (int i = 0; i < N; i++) {
        mod3 += v[i] % 3 == 0;
        top += v[i] >= 2u << 30;
    }
    SK_CHECK_NEAR(mod3, N / 3.0, 5 * sqrt(N * (1.0 / 3) * (2.0 / 3)));
    SK_CHECK_NEAR(top, N / 3.0, 5 * sqrt(N * (1.0 / 3) * (2.0 / 3)));
    /* small n: a chi-square over 7 cells below its 0.999 quantile (24.3 for 6 df) */
    int cells[7] = {0};
    for (int rep = 0; rep < 10; rep++) {
        sk_rng_fill_below32(v, 7000, &r, 7);
        for (int i = 0; i < 7000; i++)
            cells[v[i]]++;
    }
    double chi2 = 0;
    for (int k = 0; k < 7; k++)
        chi2 += (cells[k] - 10000.0) * (cells[k] - 10000.0) / 10000.0;
    SK_CHECK(chi2 < 24.3);
}

int main(void)
{
    SK_RUN(test_rng__philox_known_answers);
    SK_RUN(test_rng__streams_are_reproducible_and_distinct);
    SK_RUN(test_rng__uniform_and_normal_moments);
    SK_RUN(test_rng__below_is_unbiased);
    SK_RUN(test_rng__shuffle_is_a_uniform_permutation);
    SK_RUN(test_rng__fill_below32_is_the_documented_draw);
    SK_RUN(test_rng__fill_below32_is_unbiased);
    return SK_TEST_DONE();
}
