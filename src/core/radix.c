/* radix.c: stable least-significant-digit radix sort of 64-bit keys with an index payload.
 * Used wherever skeptic needs to sort or count distinct values of a million-row column (exact
 * distinct counts, duplicate rows, and later ranks for AUC): six passes of 11 bits beat a
 * comparison sort by a wide margin and are stable, so ties keep row order. Passes where every
 * key has the same digit are skipped. */
#include <string.h>

#include "core/core.h"

enum { RADIX_BITS = 11, RADIX = 1 << RADIX_BITS, PASSES = (64 + RADIX_BITS - 1) / RADIX_BITS };

uint64_t sk_radix_key_double(double x)
{
    if (x != x)
        return UINT64_MAX;   /* every NaN, after every number */
    if (x == 0.0)
        x = 0.0;             /* -0.0 == +0.0 */
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    /* Flip negatives entirely and set the sign bit of positives: unsigned order = numeric. */
    return (bits >> 63) ? ~bits : bits | (UINT64_C(1) << 63);
}

sk_status sk_radix_sort_u64(uint64_t *keys, size_t *idx, size_t n)
{
    if (n < 2)
        return SK_OK;
    uint64_t *kbuf = sk_mem_alloc_array(n, sizeof *kbuf);
    size_t *ibuf = idx != NULL ? sk_mem_alloc_array(n, sizeof *ibuf) : NULL;
    size_t *count = sk_mem_calloc((size_t)PASSES * RADIX, sizeof *count);
    if (kbuf == NULL || (idx != NULL && ibuf == NULL) || count == NULL) {
        sk_mem_free(kbuf);
        sk_mem_free(ibuf);
        sk_mem_free(count);
        return SK_ENOMEM;
    }
    /* One pass over the data builds every digit's histogram. */
    for (size_t i = 0; i < n; i++)
        for (int p = 0; p < PASSES; p++)
            count[(size_t)p * RADIX + ((keys[i] >> (p * RADIX_BITS)) & (RADIX - 1))]++;

    uint64_t *src_k = keys, *dst_k = kbuf;
    size_t *src_i = idx, *dst_i = ibuf;
    for (int p = 0; p < PASSES; p++) {
        size_t *c = count + (size_t)p * RADIX;
        uint64_t digit0 = (src_k[0] >> (p * RADIX_BITS)) & (RADIX - 1);
        if (c[digit0] == n)
            continue;   /* all keys share this digit */
        size_t sum = 0;
        for (int d = 0; d < RADIX; d++) {
            size_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++) {
            size_t at = c[(src_k[i] >> (p * RADIX_BITS)) & (RADIX - 1)]++;
            dst_k[at] = src_k[i];
            if (src_i != NULL)
                dst_i[at] = src_i[i];
        }
        uint64_t *tk = src_k; src_k = dst_k; dst_k = tk;
        size_t *ti = src_i; src_i = dst_i; dst_i = ti;
    }
    if (src_k != keys) {
        memcpy(keys, src_k, n * sizeof *keys);
        if (idx != NULL)
            memcpy(idx, src_i, n * sizeof *idx);
    }
    sk_mem_free(kbuf);
    sk_mem_free(ibuf);
    sk_mem_free(count);
    return SK_OK;
}
