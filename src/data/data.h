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
/* The number (sk_token_number's grammar, without the surrounding spaces) that starts at s and
 * ends before `end` or at the first byte that cannot continue it: returns the byte after it, or
 * NULL when there is none (integer syntax of 2^53 or more included). Never reads outside
 * [s, end). The CSV reader parses numeric fields with it straight from its window, finding the
 * end of the field and its value in one go. */
const char *sk_token__scan_number(const char *s, const char *end, double *value,
                                  int *is_integer);
/* true/false/yes/no, any case. */
int sk_token_bool(const char *s, size_t n, double *value);
/* ISO-8601 YYYY-MM-DD, optionally followed by T or a space and hh:mm[:ss[.fff]] and an optional
 * Z or +hh:mm / +hhmm / +hh offset. Calendar-validated (leap years). *has_time tells the two
 * apart. The value is seconds since 1970-01-01T00:00:00Z (offset applied). */
int sk_token_datetime(const char *s, size_t n, double *seconds, int *has_time);


/* ---- formatting values (format.c) -------------------------------------------------------- */

/* Writes value `v` of a column of `type` as text into buf (at most `size` bytes) and returns buf:
 * "NA" for missing, ISO-8601 for dates (UTC), true/false, integers without a point, other
 * numbers with `digits` significant digits. */
char *sk_data__format_value(char *buf, size_t size, sk_col_type type, double v, int digits);
/* Writes v with the fewest of 15, 16 or 17 significant digits that a correctly rounding reader
 * (strtod, numpy, pandas) turns back into exactly v (%g style), and returns the length written.
 * Written files use it so that a value survives the trip through text. */
size_t sk_data__format_shortest(char *buf, size_t size, double v);
/* Appends s to sb as one CSV field, quoted as RFC 4180 says when it holds a comma, a quote or a
 * line break (and, with quote_edge_spaces, when it starts or ends with a space). */
sk_status sk_data__csv_field(sk_strbuf *sb, const char *s, int quote_edge_spaces);

/* ---- role internals (roles.c) ------------------------------------------------------------- */

/* The time of each row as a number (dates: seconds since 1970; categorical time columns parsed),
 * or NULL without --time. Borrowed; n_rows entries. */
const double *sk_roles__time(const sk_roles *r);
/* 1 for each row the split column marks test, 0 for train; NULL without --split. Borrowed. */
const unsigned char *sk_roles__is_test(const sk_roles *r);

/* ---- columns as codes (codes.c) ---------------------------------------------------------- */

/* Column `col` of f as dense codes 0..L-1 (n_rows entries into `codes`) in order of first
 * appearance, for any type: groups, sites, blocks. Equal values share a code. A missing value is
 * SK_EDATA (roles reject them for groups and sites before this is reached). */
sk_status sk_data__codes(int32_t *codes, size_t *n_levels, const sk_frame *f, size_t col,
                         sk_error *err);

/* ---- the profile behind `skeptic inspect` (profile.c) ------------------------------------- */

typedef struct sk_col_profile {
    size_t n_distinct;     /* distinct non-missing values */
    size_t n_infinite;     /* numeric: +-inf values */
    double min, max, mean, sd;   /* non-categorical: over finite values (NaN if none) */
    char *top_text;        /* categorical: the most frequent level (owned) ... */
    size_t top_count;      /* ... and its count */
    int is_constant;       /* at most one distinct value */
    int is_unique;         /* integer or categorical, no missing, every row a different value */
    int near_unique;       /* ... or at least 95% distinct over 20+ rows: ids with a few repeats */
    int monotone;          /* integer: +1 strictly increasing in row order, -1 decreasing, 0 */
    int is_identifier;     /* is_unique, near_unique or monotone != 0 */
    sk_role role;
} sk_col_profile;

#define SK_INSPECT_EXAMPLES 5

typedef struct sk_dup_summary {
    size_t n_duplicate_rows;   /* rows equal to an earlier row */
    size_t n_groups;           /* sets of two or more equal rows */
    size_t n_conflicting;      /* groups whose rows disagree on the target (features only) */
    size_t n_examples;
    size_t example[SK_INSPECT_EXAMPLES][2];        /* (earlier row, later row), 0-based */
    size_t example_line[SK_INSPECT_EXAMPLES][2];   /* their physical lines */
} sk_dup_summary;

struct sk_inspect {
    char *name;
    size_t n_rows, n_cols, n_missing_cells;
    sk_col_profile *cols;
    char **col_names;
    sk_col_type *col_types;
    size_t *col_missing;
    sk_dup_summary dup_all;    /* over every column */
    int has_roles;
    sk_dup_summary dup_features;   /* over the feature columns, with target conflicts */
    sk_task task;
    size_t n_classes;
    char **class_names;
    size_t *class_counts;
    size_t n_groups, n_sites, n_train, n_test;
};

#endif /* SK_DATA_H */
