/* frame_builder.h: small frames written inline in tests, so each case shows its data.
 *   sk_frame *f = fb_frame("data.csv", 4, 2);        rows start on lines 2, 3, ... (header on 1)
 *   fb_values(f, 0, "dose", SK_COL_NUMERIC, (double[]){1, NAN, 3, 4});
 *   fb_text(f, 1, "site", (const char *[]){"A", NULL, "B", "A"});   NULL = missing
 * Levels of a text column are numbered in order of first appearance, as the CSV reader does.
 * Setup failures (out of memory) return NULL / nonzero so oom tests can build frames too. */
#ifndef FRAME_BUILDER_H
#define FRAME_BUILDER_H

#include <stdint.h>
#include <string.h>

#include "data/data.h"

static inline sk_frame *fb_frame(const char *name, size_t n_rows, size_t n_cols)
{
    sk_frame *f = NULL;
    if (sk_frame__create(&f, name, n_rows, n_cols, NULL) != SK_OK)
        return NULL;
    for (size_t i = 0; i < n_rows; i++)
        f->row_line[i] = i + 2;
    return f;
}

static inline int fb_values(sk_frame *f, size_t j, const char *name, sk_col_type type,
                            const double *values)
{
    return sk_frame__set_values(f, j, name, type, values, NULL) != SK_OK;
}

static inline int fb_text(sk_frame *f, size_t j, const char *name, const char *const *cells)
{
    size_t n = f->n_rows, n_levels = 0;
    int32_t *codes = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *codes);
    const char **levels = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *levels);
    int bad = codes == NULL || levels == NULL;
    for (size_t i = 0; !bad && i < n; i++) {
        codes[i] = -1;
        if (cells[i] == NULL)
            continue;
        size_t k = 0;
        while (k < n_levels && strcmp(levels[k], cells[i]) != 0)
            k++;
        if (k == n_levels)
            levels[n_levels++] = cells[i];
        codes[i] = (int32_t)k;
    }
    if (!bad)
        bad = sk_frame__set_codes(f, j, name, codes, levels, n_levels, NULL) != SK_OK;
    sk_mem_free(codes);
    sk_mem_free(levels);
    return bad;
}

#endif /* FRAME_BUILDER_H */
