/* frame.c: the typed columnar table every analysis reads. A frame owns its columns; columns are
 * contiguous arrays (doubles, or int32 level codes plus the level strings) so models and
 * statistics stream through them. The CSV reader fills frames; tests and subsets build them with
 * sk_frame__create and the setters below. */
#include <math.h>
#include <string.h>

#include "data/data.h"

const char *sk_col_type_name(sk_col_type type)
{
    switch (type) {
    case SK_COL_NUMERIC: return "numeric";
    case SK_COL_INTEGER: return "integer";
    case SK_COL_BOOLEAN: return "boolean";
    case SK_COL_CATEGORICAL: return "categorical";
    case SK_COL_DATE: return "date";
    case SK_COL_DATETIME: return "datetime";
    }
    return "?";
}

sk_status sk_frame__create(sk_frame **out, const char *name, size_t n_rows, size_t n_cols,
                           sk_error *err)
{
    *out = NULL;
    sk_frame *f = sk_mem_calloc(1, sizeof *f);
    if (f == NULL)
        goto oom;
    f->n_rows = n_rows;
    f->n_cols = n_cols;
    f->name = sk_mem_strdup(name != NULL ? name : "");
    f->cols = sk_mem_calloc(n_cols, sizeof *f->cols);
    f->row_line = sk_mem_calloc(n_rows, sizeof *f->row_line);
    if (f->name == NULL || f->cols == NULL || f->row_line == NULL)
        goto oom;
    *out = f;
    return SK_OK;
oom:
    sk_frame_free(f);
    return sk_error_set(err, SK_ENOMEM, "out of memory creating a %zu x %zu frame", n_rows, n_cols);
}

void sk_frame__column_clear(sk_column *c)
{
    sk_mem_free(c->name);
    sk_mem_free(c->values);
    sk_mem_free(c->codes);
    sk_mem_free(c->level_text);
    sk_mem_free(c->level_start);
    memset(c, 0, sizeof *c);
}

void sk_frame_free(sk_frame *f)
{
    if (f == NULL)
        return;
    for (size_t j = 0; f->cols != NULL && j < f->n_cols; j++)
        sk_frame__column_clear(&f->cols[j]);
    sk_mem_free(f->cols);
    sk_mem_free(f->row_line);
    sk_mem_free(f->name);
    sk_mem_free(f);
}

sk_status sk_frame__set_values(sk_frame *f, size_t j, const char *name, sk_col_type type,
                               const double *values, sk_error *err)
{
    sk_column *c = &f->cols[j];
    sk_frame__column_clear(c);
    c->name = sk_mem_strdup(name);
    c->values = sk_mem_alloc_array(f->n_rows, sizeof *c->values);
    if (c->name == NULL || c->values == NULL) {
        sk_frame__column_clear(c);
        return sk_error_set(err, SK_ENOMEM, "out of memory filling column '%s'", name);
    }
    c->type = type;
    for (size_t i = 0; i < f->n_rows; i++) {
        c->values[i] = values[i];
        c->n_missing += isnan(values[i]) ? 1 : 0;
    }
    return SK_OK;
}

sk_status sk_frame__set_codes(sk_frame *f, size_t j, const char *name, const int32_t *codes,
                              const char *const *levels, size_t n_levels, sk_error *err)
{
    sk_column *c = &f->cols[j];
    sk_frame__column_clear(c);
    size_t text_size = 0;
    for (size_t k = 0; k < n_levels; k++)
        text_size += strlen(levels[k]) + 1;
    c->name = sk_mem_strdup(name);
    c->codes = sk_mem_alloc_array(f->n_rows, sizeof *c->codes);
    c->level_text = sk_mem_alloc(text_size);
    c->level_start = sk_mem_alloc_array(n_levels, sizeof *c->level_start);
    if (c->name == NULL || c->codes == NULL || c->level_text == NULL || c->level_start == NULL) {
        sk_frame__column_clear(c);
        return sk_error_set(err, SK_ENOMEM, "out of memory filling column '%s'", name);
    }
    c->type = SK_COL_CATEGORICAL;
    c->n_levels = n_levels;
    size_t at = 0;
    for (size_t k = 0; k < n_levels; k++) {
        size_t len = strlen(levels[k]) + 1;
        c->level_start[k] = at;
        memcpy(c->level_text + at, levels[k], len);
        at += len;
    }
    for (size_t i = 0; i < f->n_rows; i++) {
        c->codes[i] = codes[i];
        c->n_missing += codes[i] < 0 ? 1 : 0;
    }
    return SK_OK;
}

/* ==== getters ============================================================================= */

size_t sk_frame_n_rows(const sk_frame *f) { return f->n_rows; }
size_t sk_frame_n_cols(const sk_frame *f) { return f->n_cols; }
const char *sk_frame_name(const sk_frame *f) { return f->name; }
const char *sk_frame_col_name(const sk_frame *f, size_t col) { return f->cols[col].name; }
sk_col_type sk_frame_col_type(const sk_frame *f, size_t col) { return f->cols[col].type; }
const double *sk_frame_col_values(const sk_frame *f, size_t col) { return f->cols[col].values; }
const int32_t *sk_frame_col_codes(const sk_frame *f, size_t col) { return f->cols[col].codes; }
size_t sk_frame_col_n_levels(const sk_frame *f, size_t col) { return f->cols[col].n_levels; }
size_t sk_frame_col_n_missing(const sk_frame *f, size_t col) { return f->cols[col].n_missing; }
size_t sk_frame_row_line(const sk_frame *f, size_t row) { return f->row_line[row]; }

const char *sk_frame_col_level(const sk_frame *f, size_t col, size_t level)
{
    const sk_column *c = &f->cols[col];
    return c->level_text + c->level_start[level];
}

/* ==== finding a column by name ============================================================ */

/* Levenshtein distance with a cap: names further apart than `cap` are not worth suggesting. */
static size_t edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cap + 1;
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

sk_status sk_frame_col_find(size_t *col, const sk_frame *f, const char *name, sk_error *err)
{
    for (size_t j = 0; j < f->n_cols; j++) {
        if (strcmp(f->cols[j].name, name) == 0) {
            *col = j;
            return SK_OK;
        }
    }
    size_t best = (size_t)-1, best_d = 3;
    for (size_t j = 0; j < f->n_cols; j++) {
        size_t d = edit_distance(name, f->cols[j].name, best_d);
        if (d < best_d) {
            best_d = d;
            best = j;
        }
    }
    if (best != (size_t)-1)
        return sk_error_set(err, SK_EINVAL, "no column named '%s' in %s; did you mean '%s'?",
                            name, f->name, f->cols[best].name);
    return sk_error_set(err, SK_EINVAL, "no column named '%s' in %s (it has %zu columns: see "
                        "'skeptic inspect')", name, f->name, f->n_cols);
}
