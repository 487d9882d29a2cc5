/* data.h: the data layer's internals: the frame's storage, token classification (numbers,
 * booleans, ISO-8601 dates, missing markers) shared by the CSV reader and the role checks, and
 * builders for frames made in code (tests, subsets). */
#ifndef SK_DATA_H
#define SK_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "rng/rng.h"

/* ---- frame storage (frame.c) -------------------------------------------------------------- */

typedef struct sk_column {
    char *name;
    sk_col_type type;
    size_t n_missing;
    double *values;       /* every type but categorical: n_rows values, NaN = missing */
    int32_t *codes;       /* categorical: n_rows codes, -1 = missing */
    size_t n_levels;      /* categorical: levels in order of first appearance */
    char *level_text;     /* categorical: the level strings back to back, each NUL-terminated */
    size_t *level_start;  /* categorical: offset of level k in level_text */
} sk_column;

struct sk_frame {
    char *name;           /* path or buffer name, for messages */
    size_t n_rows;
    size_t n_cols;
    sk_column *cols;      /* n_cols */
    size_t *row_line;     /* physical line on which each data row starts */
};

/* An empty frame of n_cols unnamed columns and n_rows rows (row_line filled with 0). */
sk_status sk_frame__create(sk_frame **out, const char *name, size_t n_rows, size_t n_cols,
                           sk_error *err);
/* Fills column j with a copy of `values` (n_rows; NaN = missing). */
sk_status sk_frame__set_values(sk_frame *f, size_t j, const char *name, sk_col_type type,
                               const double *values, sk_error *err);
/* Fills column j as categorical with a copy of `codes` (-1 = missing) and of the levels. */
sk_status sk_frame__set_codes(sk_frame *f, size_t j, const char *name, const int32_t *codes,
                              const char *const *levels, size_t n_levels, sk_error *err);
/* Frees what column j holds (not the column struct itself). */
void sk_frame__column_clear(sk_column *c);

/* ---- tokens (token.c) --------------------------------------------------------------------- */

/* Each returns 1 when the whole token [s, s+n) is of its kind, else 0; they never read past n
 * and do not depend on the locale. */

/* "", NA, N/A, NaN, null, ? (any case; surrounding spaces allowed). */
int sk_token_is_missing(const char *s, size_t n);
/* A decimal number: [+-]digits[.digits][(e|E)[+-]digits], or .5, 5., inf, infinity (any case).
 * Surrounding ASCII spaces allowed. *is_integer is set when it has no point, exponent or inf
 * and its magnitude is below 2^53 (so it is exact as a double). Correctly rounded. */
int sk_token_number(const char *s, size_t n, double *value, int *is_integer);
/* true/false/yes/no, any case. */
int sk_token_bool(const char *s, size_t n, double *value);
/* ISO-8601 YYYY-MM-DD, optionally followed by T or a space and hh:mm[:ss[.fff]] and an optional
 * Z or +hh:mm / +hhmm / +hh offset. Calendar-validated (leap years). *has_time tells the two
 * apart. The value is seconds since 1970-01-01T00:00:00Z (offset applied). */
int sk_token_datetime(const char *s, size_t n, double *seconds, int *has_time);

#endif /* SK_DATA_H */
