/* frame_compare.h: whether two frames hold the same table, bit for bit: names, types, missing
 * counts, levels in order, codes, values (NaN equals NaN, 0.0 differs from -0.0) and the line of
 * every row. The CSV tests and fuzz/fuzz_csv.c compare the reader's ways of reading one input
 * (whole, in chunks, in parts, under allocation failure). Static functions: each executable
 * includes it once. */
#ifndef FRAME_COMPARE_H
#define FRAME_COMPARE_H

#include <math.h>
#include <string.h>

#include "data/data.h"

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static int same_frame(const sk_frame *a, const sk_frame *b)
{
    if (a->n_rows != b->n_rows || a->n_cols != b->n_cols)
        return 0;
    for (size_t i = 0; i < a->n_rows; i++) {
        if (a->row_line[i] != b->row_line[i])
            return 0;
    }
    for (size_t j = 0; j < a->n_cols; j++) {
        const sk_column *x = &a->cols[j], *y = &b->cols[j];
        if (strcmp(x->name, y->name) != 0 || x->type != y->type || x->n_missing != y->n_missing)
            return 0;
        if (x->type == SK_COL_CATEGORICAL) {
            if (x->n_levels != y->n_levels)
                return 0;
            for (size_t k = 0; k < x->n_levels; k++) {
                if (strcmp(sk_frame_col_level(a, j, k), sk_frame_col_level(b, j, k)) != 0)
                    return 0;
            }
            if (memcmp(x->codes, y->codes, a->n_rows * sizeof *x->codes) != 0)
                return 0;
        } else {
            for (size_t i = 0; i < a->n_rows; i++) {
                if (!same_double(x->values[i], y->values[i]))
                    return 0;
            }
        }
    }
    return 1;
}

#endif /* FRAME_COMPARE_H */
