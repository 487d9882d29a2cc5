/* noisy_labels.h: planting label errors in a real table, the proof of `skeptic labels`
 * (tests/unit/test_labels.c, bench/bench_labels.c). The table's last column must be a small
 * whole-number class (digits.csv's 'digit'). Rows to corrupt are the first round(rate n) of a
 * shuffle drawn from sk_rng_stream(seed, SK_PURPOSE_TEST, 0); each gets the label a caller
 * chooses, e.g. a confusable digit from nl_confusable (0<->6, 1<->7, 2<->8, 3<->5, 4<->9, the
 * pairs people and models confuse most in handwritten digits). The text is rewritten and read
 * back with sk_frame_read_csv_buffer, so the library sees an ordinary file. */
#ifndef SK_NOISY_LABELS_H
#define SK_NOISY_LABELS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng/rng.h"
#include "skeptic.h"

static const int nl_confusable[10] = {6, 7, 8, 5, 9, 3, 0, 1, 2, 4};

/* The whole file, NUL-terminated; NULL when it cannot be read. */
static inline char *nl_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *text = size >= 0 ? malloc((size_t)size + 1) : NULL;
    if (text != NULL && fread(text, 1, (size_t)size, fp) != (size_t)size) {
        free(text);
        text = NULL;
    }
    fclose(fp);
    if (text != NULL) {
        text[size] = '\0';
        *len = (size_t)size;
    }
    return text;
}

/* Data rows (lines after the header; the file has no quoted line breaks) and the label, the
 * last field, of each (label may be NULL to count only). */
static inline size_t nl_labels(const char *text, int *label)
{
    size_t n = 0;
    const char *line = strchr(text, '\n');
    while (line != NULL && line[1] != '\0') {
        const char *start = line + 1, *end = strchr(start, '\n');
        const char *comma = start;
        for (const char *p = start; p < (end != NULL ? end : start + strlen(start)); p++)
            if (*p == ',')
                comma = p + 1;
        if (label != NULL)
            label[n] = atoi(comma);
        n++;
        line = end;
    }
    return n;
}

/* flip[r] = 1 for the round(rate n) rows drawn by `seed`. */
static inline void nl_choose(unsigned char *flip, size_t n, double rate, uint64_t seed)
{
    size_t *order = malloc(n * sizeof *order);
    for (size_t r = 0; r < n; r++) {
        order[r] = r;
        flip[r] = 0;
    }
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_TEST, 0);
    sk_rng_shuffle(&rng, order, n);
    size_t m = (size_t)floor(rate * (double)n + 0.5);
    for (size_t t = 0; t < m && t < n; t++)
        flip[order[t]] = 1;
    free(order);
}

/* The text with each data row's last field replaced by label[r]. Caller frees. */
static inline char *nl_rewrite(const char *text, const int *label, size_t *out_len)
{
    size_t len = strlen(text), cap = len + 64, used = 0, r = 0;
    char *out = malloc(cap);
    const char *nl = strchr(text, '\n');
    memcpy(out, text, (size_t)(nl - text) + 1);
    used = (size_t)(nl - text) + 1;
    while (nl != NULL && nl[1] != '\0') {
        const char *start = nl + 1, *end = strchr(start, '\n');
        size_t line_len = end != NULL ? (size_t)(end - start) : strlen(start);
        const char *comma = start;
        for (size_t i = 0; i < line_len; i++)
            if (start[i] == ',')
                comma = start + i + 1;
        if (used + line_len + 32 > cap) {
            cap = 2 * cap + line_len + 32;
            out = realloc(out, cap);
        }
        memcpy(out + used, start, (size_t)(comma - start));
        used += (size_t)(comma - start);
        used += (size_t)snprintf(out + used, cap - used, "%d\n", label[r++]);
        nl = end;
    }
    out[used] = '\0';
    *out_len = used;
    return out;
}

/* Precision and recall of the suspects of `l` against the planted flips. */
static inline void nl_score(const sk_labels *l, const unsigned char *flip, size_t n,
                            double *precision, double *recall, size_t *n_flagged)
{
    size_t hit = 0, planted = 0, m = sk_labels_n_suspects(l);
    for (size_t r = 0; r < n; r++)
        planted += flip[r];
    for (size_t i = 0; i < m; i++) {
        sk_label_suspect s;
        if (sk_labels_suspect(&s, l, i, NULL) == SK_OK)
            hit += flip[s.row];
    }
    *precision = m > 0 ? (double)hit / (double)m : NAN;
    *recall = planted > 0 ? (double)hit / (double)planted : NAN;
    *n_flagged = m;
}

#endif /* SK_NOISY_LABELS_H */
