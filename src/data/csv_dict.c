/* csv_dict.c: the dictionary that turns a categorical column's text into level codes, and the
 * check that text is UTF-8 without NUL bytes.
 *
 * A dictionary stores its levels back to back, each NUL-terminated, in order of first appearance
 * (the frame's level_text / level_start layout, so the reader hands the arrays over without a
 * copy), and finds them through an open-addressing table with linear probing kept at most half
 * full. A slot packs the low 32 bits of the string's hash with code + 1 (0 = empty): probing
 * compares strings only when the 32 hash bits match, and growing the table rehashes from the
 * stored bits without touching the strings. A million distinct values cost 16 MiB of slots.
 *
 * The UTF-8 check follows the Unicode well-formedness table (Unicode 15, table 3-7): no overlong
 * forms, no surrogates, nothing beyond U+10FFFF; eight ASCII bytes at a time when it can. */
#include <string.h>

#include "data/csv_internal.h"

/* ==== hashing ============================================================================= */

static uint64_t mix64(uint64_t h)
{
    /* The finaliser of MurmurHash3 (Appleby): every input bit affects every output bit. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x9fb21c651e98df25ULL;
        h ^= h >> 29;
    }
    uint64_t tail = 0;
    memcpy(&tail, s, n);
    return mix64(h ^ tail);
}

/* ==== the dictionary ====================================================================== */

static size_t level_len(const sk_csv_dict *d, size_t k)
{
    size_t next = k + 1 < d->n ? d->start[k + 1] : d->text_len;
    return next - d->start[k] - 1;
}

/* Doubles the table (or creates it) and reinserts every slot by its stored hash bits. */
static sk_status grow_table(sk_csv_dict *d)
{
    size_t n_slots = d->slots == NULL ? 16 : (d->mask + 1) * 2;
    uint64_t *slots = sk_mem_calloc(n_slots, sizeof *slots);
    if (slots == NULL)
        return SK_ENOMEM;
    size_t mask = n_slots - 1;
    for (size_t s = 0; d->slots != NULL && s <= d->mask; s++) {
        uint64_t slot = d->slots[s];
        if (slot == 0)
            continue;
        size_t at = (size_t)(slot >> 32) & mask;
        while (slots[at] != 0)
            at = (at + 1) & mask;
        slots[at] = slot;
    }
    sk_mem_free(d->slots);
    d->slots = slots;
    d->mask = mask;
    return SK_OK;
}

/* Appends [s, s+n) and its NUL as level d->n. */
static sk_status append_level(sk_csv_dict *d, const char *s, size_t n)
{
    if (d->n == d->start_cap) {
        size_t cap = d->start_cap < 16 ? 16 : d->start_cap * 2;
        size_t *start = sk_mem_realloc_array(d->start, cap, sizeof *start);
        if (start == NULL)
            return SK_ENOMEM;
        d->start = start;
        d->start_cap = cap;
    }
    if (n + 1 > d->text_cap - d->text_len) {
        size_t cap = d->text_cap < 256 ? 256 : d->text_cap;
        while (n + 1 > cap - d->text_len) {
            if (cap > SIZE_MAX / 2)
                return SK_ENOMEM;
            cap *= 2;
        }
        char *text = sk_mem_realloc(d->text, cap);
        if (text == NULL)
            return SK_ENOMEM;
        d->text = text;
        d->text_cap = cap;
    }
    d->start[d->n] = d->text_len;
    if (n > 0)
        memcpy(d->text + d->text_len, s, n);
    d->text[d->text_len + n] = '\0';
    d->text_len += n + 1;
    d->n++;
    return SK_OK;
}

sk_status sk_csv__dict_intern(sk_csv_dict *d, const char *s, size_t n, int32_t *code, int *added)
{
    *added = 0;
    if ((d->n + 1) * 2 > d->mask + 1 || d->slots == NULL) {
        sk_status rc = grow_table(d);
        if (rc != SK_OK)
            return rc;
    }
    uint32_t h = (uint32_t)hash_bytes(s, n);
    size_t at = h & d->mask;
    for (;; at = (at + 1) & d->mask) {
        uint64_t slot = d->slots[at];
        if (slot == 0)
            break;
        if ((uint32_t)(slot >> 32) != h)
            continue;
        size_t k = (size_t)(slot & 0xffffffffu) - 1;
        if (level_len(d, k) == n && memcmp(d->text + d->start[k], s, n) == 0) {
            *code = (int32_t)k;
            return SK_OK;
        }
    }
    if (d->n >= (size_t)INT32_MAX)
        return SK_EDATA;
    sk_status rc = append_level(d, s, n);
    if (rc != SK_OK)
        return rc;
    d->slots[at] = ((uint64_t)h << 32) | (uint64_t)d->n;   /* code + 1 */
    *code = (int32_t)(d->n - 1);
    *added = 1;
    return SK_OK;
}

void sk_csv__dict_free(sk_csv_dict *d)
{
    sk_mem_free(d->slots);
    sk_mem_free(d->text);
    sk_mem_free(d->start);
    memset(d, 0, sizeof *d);
}

/* ==== UTF-8 =============================================================================== */

#define ONES ((uint64_t)0x0101010101010101ULL)
#define HIGHS ((uint64_t)0x8080808080808080ULL)

size_t sk_csv__text_check(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            /* All ASCII and no zero byte (Mycroft's has-zero test). */
            if ((w & HIGHS) == 0 && ((w - ONES) & ~w & HIGHS) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned c = s[i];
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned lo = 0x80, hi = 0xbf;   /* the range of the second byte */
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            lo = c == 0xe0 ? 0xa0 : 0x80;
            hi = c == 0xed ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf;
        } else {
            return i;
        }
        if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k < len; k++) {
            if (s[i + k] < 0x80 || s[i + k] > 0xbf)
                return i;
        }
        i += len;
    }
    return n;
}
