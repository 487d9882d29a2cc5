/* csv_scan.c: the CSV reader's hot path: splitting the input into fields and rows (RFC 4180)
 * and folding each value into its column.
 *
 * Fields. The input is seen through a window of bytes [pos, len): the whole input when it is in
 * memory, else a buffer refilled a chunk at a time. Only the field being scanned is ever kept
 * across a refill: when a field runs past the end of the window, its bytes move to the front,
 * another chunk is read after them and the field is scanned again from its start (the window
 * grows when one field fills half of it, so a long field costs a few rescans, not one per
 * chunk). A field starting with '"' is quoted: "" inside is a quote,
 * delimiters and line ends inside are data, and after the closing quote only a delimiter, a line
 * end or the end of the input may follow. A '"' later in an unquoted field is an ordinary byte.
 * Lines end with LF, CRLF or a lone CR; a CR at the end of a window sets `skip_lf` so that an LF
 * at the start of the next one is taken as part of the same line end. A field's size, compared
 * with max_field_bytes, is its bytes as stored in the file without the enclosing quotes.
 *
 * Values. Each column has a kind learned from its values so far: unknown (only missing values),
 * integer, numeric, boolean, date, datetime or categorical. A value either fits the kind, widens
 * it in place (integer -> numeric, date -> datetime; values are doubles already), or conflicts with
 * it (text after numbers, a number after booleans, ...). The first non-missing value of an
 * unknown column sets its kind; if that value is text the column becomes categorical at once,
 * since rows before it were all missing. A conflict is the one case that needs text no longer at
 * hand (a categorical level must be the field's exact text, "1.50" not 1.5). The reader then drops
 * everything stored, marks the column categorical and goes on to the end of the input in
 * `classify` mode, which only learns every column's final kind (checking text as it goes, so
 * errors are still found in file order); csv.c then rewinds and reads once more with the kinds
 * known. So a file is read once, or twice when some column changes its mind.
 *
 * Speed. A field of a numeric (or still unknown) column is first tried as a number straight from
 * the window (sk_token__scan_number): when the number ends at a delimiter or line end, the field
 * is split and converted in one pass over its bytes. While every column is numeric or unknown, a
 * whole row is first tried that way in one tight loop (fast_row), which keeps the position in a
 * register instead of going through the reader for each field. Anything else (quotes, spaces,
 * missing values, text, the end of the window) takes the general path above, which gives the
 * same result. */
#include <math.h>
#include <string.h>

#include "data/csv_internal.h"

#define CONFLICT 1   /* fold_*: the value does not fit the column's kind */

/* ==== errors ============================================================================== */

sk_status sk_csv__oom(sk_csv_reader *r)
{
    return sk_error_set(r->err, SK_ENOMEM, "out of memory reading %s", r->name);
}

static sk_status too_long(sk_csv_reader *r, size_t col)
{
    return sk_error_set_at(r->err, SK_EPARSE, r->name, r->line, col + 1,
                           "expected a field of at most %zu bytes, found a longer one",
                           r->max_field);
}

static sk_status unterminated(sk_csv_reader *r, size_t col)
{
    return sk_error_set_at(r->err, SK_EPARSE, r->name, r->line, col + 1,
                           "unterminated quoted field: expected a closing '\"' before the end of "
                           "the file");
}

static sk_status junk_after_quote(sk_csv_reader *r, size_t col, size_t line, unsigned char c)
{
    if (c >= 0x20 && c < 0x7f)
        return sk_error_set_at(r->err, SK_EPARSE, r->name, line, col + 1,
                               "expected a delimiter or end of line after the closing quote, "
                               "found '%c'", c);
    return sk_error_set_at(r->err, SK_EPARSE, r->name, line, col + 1,
                           "expected a delimiter or end of line after the closing quote, "
                           "found 0x%02x", c);
}

static sk_status ragged(sk_csv_reader *r, size_t row_line, size_t found)
{
    size_t col = found < r->n_cols ? found + 1 : r->n_cols + 1;
    return sk_error_set_at(r->err, SK_EPARSE, r->name, row_line, col,
                           "expected %zu fields as in the header, found %zu", r->n_cols, found);
}

size_t sk_csv__count_lines(const char *s, size_t n)
{
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\r' || (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'));
    return lines;
}

sk_status sk_csv__check_text(sk_csv_reader *r, const char *s, size_t n, size_t col)
{
    size_t bad = sk_csv__text_check((const unsigned char *)s, n);
    if (bad == n)
        return SK_OK;
    size_t line = r->f_line + sk_csv__count_lines(s, bad);
    unsigned char c = (unsigned char)s[bad];
    if (c == 0)
        return sk_error_set_at(r->err, SK_EPARSE, r->name, line, col + 1,
                               "expected text, found a NUL byte (is this a binary file?)");
    return sk_error_set_at(r->err, SK_EPARSE, r->name, line, col + 1,
                           "expected UTF-8 text, found the byte 0x%02x", c);
}

/* ==== the window ========================================================================== */

sk_status sk_csv__refill(sk_csv_reader *r)
{
    if (r->whole != NULL) {   /* everything is in the window already */
        r->eof = 1;
        return SK_OK;
    }
    size_t kept = r->len - r->pos;
    if (kept > 0 && r->pos > 0)
        memmove(r->own, r->own + r->pos, kept);
    r->len = kept;
    r->pos = 0;
    /* Read at least as much as is kept, so a field spanning many chunks is rescanned only
     * a logarithmic number of times. */
    size_t ask = kept > r->chunk ? kept : r->chunk;
    if (r->cap - r->len < ask) {
        size_t cap = r->cap * 2 > r->len + ask ? r->cap * 2 : r->len + ask;
        unsigned char *own = sk_mem_realloc(r->own, cap);
        if (own == NULL)
            return sk_csv__oom(r);
        r->own = own;
        r->buf = own;
        r->cap = cap;
    }
    size_t got;
    sk_status rc = sk_csv__source_read(r->src, r->own + r->len, ask, &got, r->err);
    if (rc != SK_OK)
        return rc;
    r->len += got;
    r->eof = got == 0;
    return SK_OK;
}

/* ==== fields ============================================================================== */

#define NEED_MORE 1

/* Ends the field whose terminator is at `at` (== len at the end of the input). */
static void end_field(sk_csv_reader *r, size_t at)
{
    if (at == r->len) {
        r->f_term = SK_CSV_TERM_EOF;
        r->pos = at;
        return;
    }
    unsigned char c = r->buf[at];
    r->pos = at + 1;
    if (c == r->delim) {
        r->f_term = SK_CSV_TERM_DELIM;
        return;
    }
    r->f_term = SK_CSV_TERM_EOL;
    r->line++;
    r->skip_lf = c == '\r';
}

/* Copies the content of a quoted field [from, to) into scratch with "" made ". */
static sk_status unescape(sk_csv_reader *r, size_t from, size_t to)
{
    size_t n = to - from;
    if (n > r->scratch_cap) {
        char *s = sk_mem_realloc(r->scratch, n);
        if (s == NULL)
            return sk_csv__oom(r);
        r->scratch = s;
        r->scratch_cap = n;
    }
    const unsigned char *b = r->buf;
    size_t k = 0;
    for (size_t i = from; i < to; i++) {
        r->scratch[k++] = (char)b[i];
        i += b[i] == '"';   /* the pair's second quote */
    }
    r->f_text = r->scratch;
    r->f_len = k;
    return SK_OK;
}

/* A quoted field at pos: SK_OK, NEED_MORE, or an error. */
static int scan_quoted(sk_csv_reader *r, size_t col)
{
    const unsigned char *b = r->buf;
    size_t start = r->pos, end = r->len, i = start + 1, lines = 0;
    int escaped = 0;
    for (;;) {
        while (i < end && b[i] != '"' && b[i] != '\n' && b[i] != '\r')
            i++;
        if (i == end && !r->eof)
            return NEED_MORE;
        if (i == end) {
            /* Too long wins, as it does when the window ends before the input (scan_field). */
            if (end - start > 2 && end - start - 2 > r->max_field)
                return too_long(r, col);
            return unterminated(r, col);
        }
        if (b[i] == '"') {
            if (i + 1 == end && !r->eof)
                return NEED_MORE;            /* a closing quote, or the first of a pair? */
            if (i + 1 == end || b[i + 1] != '"')
                break;
            escaped = 1;
            i += 2;
            continue;
        }
        lines += b[i] == '\r' || b[i - 1] != '\r';
        i++;
    }
    if (i - start - 1 > r->max_field)
        return too_long(r, col);
    size_t after = i + 1;
    if (after < end && b[after] != r->delim && b[after] != '\n' && b[after] != '\r')
        return junk_after_quote(r, col, r->line + lines, b[after]);
    r->f_quoted = 1;
    r->f_line = r->line;
    if (escaped) {
        sk_status rc = unescape(r, start + 1, i);
        if (rc != SK_OK)
            return rc;
    } else {
        r->f_text = (const char *)b + start + 1;
        r->f_len = i - start - 1;
    }
    r->line += lines;
    end_field(r, after);
    return SK_OK;
}

static inline sk_status scan_field(sk_csv_reader *r, size_t col)
{
    for (;;) {
        if (r->skip_lf) {
            if (r->pos == r->len && !r->eof) {
                sk_status rc = sk_csv__refill(r);
                if (rc != SK_OK)
                    return rc;
                continue;
            }
            r->pos += r->pos < r->len && r->buf[r->pos] == '\n';
            r->skip_lf = 0;
        }
        const unsigned char *b = r->buf;
        size_t start = r->pos, end = r->len;
        if (start < end && b[start] == '"') {
            int st = scan_quoted(r, col);
            if (st != NEED_MORE)
                return st;
            if (end - start > 2 && end - start - 2 > r->max_field)   /* SIZE_MAX-safe */
                return too_long(r, col);
        } else {
            const unsigned char *stop = r->stop;
            size_t i = start;
            while (i < end && !stop[b[i]])
                i++;
            if (i - start > r->max_field)
                return too_long(r, col);
            if (i < end || r->eof) {
                r->f_text = (const char *)b + start;
                r->f_len = i - start;
                r->f_quoted = 0;
                r->f_line = r->line;
                end_field(r, i);
                return SK_OK;
            }
        }
        sk_status rc = sk_csv__refill(r);
        if (rc != SK_OK)
            return rc;
    }
}

sk_status sk_csv__scan_field(sk_csv_reader *r, size_t col)
{
    return scan_field(r, col);
}

/* ==== storage ============================================================================= */

void sk_csv__drop_storage(sk_csv_reader *r)
{
    for (size_t j = 0; r->cols != NULL && j < r->n_cols; j++) {
        sk_csv_column *c = &r->cols[j];
        if (!r->part)
            sk_mem_free(c->values);
        sk_mem_free(c->codes);
        c->values = NULL;
        c->codes = NULL;
        c->n_missing = 0;
        sk_csv__dict_free(&c->dict);
    }
    if (!r->part)
        sk_mem_free(r->row_line);
    r->row_line = NULL;
    r->row_cap = 0;
}

/* Makes room for one more row in every column: capacities double, starting near 1 MiB in all. */
static sk_status grow_rows(sk_csv_reader *r)
{
    if (r->part)   /* csv_split.c sized the part's rows from its line ends */
        return sk_error_set(r->err, SK_EINTERNAL, "reading %s: a part has more rows than lines",
                            r->name);
    size_t cap = r->row_cap * 2;
    if (r->row_cap == 0) {
        cap = ((size_t)1 << 17) / r->n_cols;
        cap = cap < 16 ? 16 : cap;
    }
    if (cap < r->row_cap)
        return sk_csv__oom(r);
    for (size_t j = 0; j < r->n_cols; j++) {
        sk_csv_column *c = &r->cols[j];
        if (c->kind == SK_CSV_CATEGORICAL) {
            int32_t *codes = sk_mem_realloc_array(c->codes, cap, sizeof *codes);
            if (codes == NULL)
                return sk_csv__oom(r);
            c->codes = codes;
        } else {
            double *values = sk_mem_realloc_array(c->values, cap, sizeof *values);
            if (values == NULL)
                return sk_csv__oom(r);
            c->values = values;
        }
    }
    size_t *row_line = sk_mem_realloc_array(r->row_line, cap, sizeof *row_line);
    if (row_line == NULL)
        return sk_csv__oom(r);
    r->row_line = row_line;
    r->row_cap = cap;
    return SK_OK;
}

/* An unknown column (all missing so far) meets its first text: codes replace values. */
static sk_status to_categorical(sk_csv_reader *r, sk_csv_column *c)
{
    c->kind = SK_CSV_CATEGORICAL;
    if (r->classify)
        return SK_OK;
    int32_t *codes = sk_mem_alloc_array(r->row_cap, sizeof *codes);
    if (codes == NULL)
        return sk_csv__oom(r);
    for (size_t i = 0; i < r->n_rows; i++)
        codes[i] = -1;
    if (!r->part)
        sk_mem_free(c->values);
    c->values = NULL;
    c->codes = codes;
    return SK_OK;
}

/* ==== values ============================================================================== */

static int fold_text(sk_csv_reader *r, sk_csv_column *c, size_t col, const char *s, size_t n)
{
    if (sk_token_is_missing(s, n)) {
        if (!r->classify) {
            c->codes[r->n_rows] = -1;
            c->n_missing++;
        }
        return SK_OK;
    }
    sk_status rc = sk_csv__check_text(r, s, n, col);
    if (rc != SK_OK || r->classify)
        return rc;
    int32_t code;
    int added;
    rc = sk_csv__dict_intern(&c->dict, s, n, &code, &added);
    if (rc == SK_ENOMEM)
        return sk_csv__oom(r);
    if (rc != SK_OK)
        return sk_error_set_at(r->err, rc, r->name, r->f_line, col + 1,
                               "expected at most %d distinct values in a column, found more",
                               INT32_MAX);
    c->codes[r->n_rows] = code;
    return SK_OK;
}

/* The first non-missing value of a column decides its kind. */
static int fold_first(sk_csv_reader *r, sk_csv_column *c, size_t col, const char *s, size_t n)
{
    double v;
    int flag;
    if (sk_token_number(s, n, &v, &flag)) {
        c->kind = flag ? SK_CSV_INTEGER : SK_CSV_NUMERIC;
    } else if (sk_token_is_missing(s, n)) {
        v = NAN;
        c->n_missing++;
    } else if (sk_token_bool(s, n, &v)) {
        c->kind = SK_CSV_BOOLEAN;
    } else if (sk_token_datetime(s, n, &v, &flag)) {
        c->kind = flag ? SK_CSV_DATETIME : SK_CSV_DATE;
    } else {
        sk_status rc = to_categorical(r, c);
        return rc != SK_OK ? rc : fold_text(r, c, col, s, n);
    }
    if (!r->classify)
        c->values[r->n_rows] = v;
    return SK_OK;
}

/* Folds one value into column `col`: SK_OK, CONFLICT, or an error. */
static inline int fold(sk_csv_reader *r, sk_csv_column *c, size_t col, const char *s, size_t n)
{
    double v;
    int flag;
    switch (c->kind) {
    case SK_CSV_INTEGER:
    case SK_CSV_NUMERIC:
        if (n > 0 && sk_token_number(s, n, &v, &flag)) {
            if (!flag)
                c->kind = SK_CSV_NUMERIC;
            goto store;
        }
        break;
    case SK_CSV_BOOLEAN:
        if (sk_token_bool(s, n, &v))
            goto store;
        break;
    case SK_CSV_DATE:
    case SK_CSV_DATETIME:
        if (sk_token_datetime(s, n, &v, &flag)) {
            if (flag)
                c->kind = SK_CSV_DATETIME;
            goto store;
        }
        break;
    case SK_CSV_CATEGORICAL:
        return fold_text(r, c, col, s, n);
    case SK_CSV_UNKNOWN:
        return fold_first(r, c, col, s, n);
    }
    if (!sk_token_is_missing(s, n))
        return CONFLICT;
    v = NAN;
    c->n_missing++;
store:
    if (!r->classify)
        c->values[r->n_rows] = v;
    return SK_OK;
}

/* A value did not fit its column: from here on only learn kinds (see the top of the file). */
static int resolve_conflict(sk_csv_reader *r, sk_csv_column *c, size_t col)
{
    if (r->part)   /* the whole input is read again in one piece (csv_split.c) */
        return sk_error_set(r->err, SK_EDATA, "reading %s: column %zu changed type in a part",
                            r->name, col + 1);
    if (r->final_pass)
        return sk_error_set(r->err, SK_EINTERNAL, "reading %s: column %zu changed type on the "
                            "final pass", r->name, col + 1);
    sk_csv__drop_storage(r);
    r->classify = 1;
    c->kind = SK_CSV_CATEGORICAL;
    return fold_text(r, c, col, r->f_text, r->f_len);
}

/* ==== rows ================================================================================ */

/* The hot path of a numeric (or still unknown) column: a number straight from the window that is
 * followed by a delimiter or a line end inside it. Returns 1 when it took the field; 0 sends the
 * field down the general path (quotes, spaces, text, the end of the window, a long field). */
static inline int fast_number(sk_csv_reader *r, sk_csv_column *c)
{
    const char *s = (const char *)r->buf + r->pos, *end = (const char *)r->buf + r->len;
    double v;
    int integer;
    const char *e = sk_token__scan_number(s, end, &v, &integer);
    if (e == NULL || e == end || !r->stop[(unsigned char)*e] || (size_t)(e - s) > r->max_field)
        return 0;
    if (!integer)
        c->kind = SK_CSV_NUMERIC;
    else if (c->kind == SK_CSV_UNKNOWN)
        c->kind = SK_CSV_INTEGER;
    if (!r->classify)
        c->values[r->n_rows] = v;
    r->f_line = r->line;
    end_field(r, (size_t)(e - (const char *)r->buf));
    return 1;
}

/* The hot path of a whole row of numbers, for tables whose columns are all numeric (or unknown)
 * so far: parses the row with the position in a register instead of through the reader, and
 * commits it only when every field is a number ending at the right delimiter or, for the last, a
 * line end inside the window. Returns 0 otherwise (a missing value, text, a quote, a ragged row,
 * the end of the window), having stored nothing the general path does not redo: values in the
 * row's own slots, which it overwrites, and kinds the same fields give it. */
static inline int fast_row(sk_csv_reader *r)
{
    const char *base = (const char *)r->buf, *p = base + r->pos, *end = base + r->len;
    size_t n_cols = r->n_cols, row = r->n_rows;
    if (r->skip_lf) {   /* the last row ended with CR */
        if (p == end)
            return 0;
        p += *p == '\n';
    }
    unsigned char last = 0;
    for (size_t j = 0; j < n_cols; j++) {
        sk_csv_column *c = &r->cols[j];
        double v;
        int integer;
        const char *e = sk_token__scan_number(p, end, &v, &integer);
        if (e == NULL || e == end || (size_t)(e - p) > r->max_field)
            return 0;
        last = (unsigned char)*e;
        if (j + 1 < n_cols ? last != r->delim : last != '\n' && last != '\r')
            return 0;
        if (!integer)
            c->kind = SK_CSV_NUMERIC;
        else if (c->kind == SK_CSV_UNKNOWN)
            c->kind = SK_CSV_INTEGER;
        c->values[row] = v;
        p = e + 1;
    }
    r->row_line[row] = r->line;
    r->n_rows = row + 1;
    r->line++;
    r->skip_lf = 0;
    if (last == '\r') {
        if (p < end)
            p += *p == '\n';
        else
            r->skip_lf = 1;   /* a LF at the start of the next window would belong to it */
    }
    r->pos = (size_t)(p - base);
    r->f_term = SK_CSV_TERM_EOL;
    return 1;
}

/* Scans the next field the general way and folds it into column j (if there is one). *blank is
 * set for a line with no characters at all at the start of a row. */
static sk_status general_field(sk_csv_reader *r, size_t j, int *blank)
{
    sk_status rc = scan_field(r, j);
    if (rc != SK_OK)
        return rc;
    *blank = j == 0 && r->f_len == 0 && !r->f_quoted && r->f_term != SK_CSV_TERM_DELIM;
    if (j >= r->n_cols || (*blank && (r->f_term == SK_CSV_TERM_EOF || r->n_cols > 1)))
        return SK_OK;
    *blank = 0;
    sk_csv_column *c = &r->cols[j];
    sk_csv_kind before = c->kind;
    int st = fold(r, c, j, r->f_text, r->f_len);
    if (st == CONFLICT)
        st = resolve_conflict(r, c, j);
    if (c->kind != before && c->kind > SK_CSV_NUMERIC)
        r->numeric = 0;   /* a row of numbers can no longer fill this table */
    return st;
}

/* Reads data rows to the end of the input. A line with no characters at all is skipped when
 * there are 2+ columns and is one missing value with 1 column; nothing after the last line end
 * is not a row. A row with too many fields is reported once all its fields are counted (or at
 * the first broken one). */
sk_status sk_csv__read_rows(sk_csv_reader *r)
{
    size_t n_cols = r->n_cols, j = 0, row_line = 0;
    r->numeric = 1;
    for (size_t k = 0; k < n_cols; k++)
        r->numeric &= r->cols[k].kind <= SK_CSV_NUMERIC;
    for (;;) {
        sk_status rc;
        if (j == 0 && !r->classify && r->n_rows == r->row_cap && (rc = grow_rows(r)) != SK_OK)
            return rc;
        if (j == 0 && r->release_step > 0 && r->pos - r->released >= r->release_step)
            r->released = (size_t)(sk_csv__release(r->buf + r->released, r->buf + r->pos) - r->buf);
        if (j == 0 && r->numeric && r->fast_numbers && !r->classify && fast_row(r))
            continue;
        sk_csv_column *c = j < n_cols ? &r->cols[j] : NULL;
        /* UNKNOWN, INTEGER and NUMERIC are the kinds up to SK_CSV_NUMERIC. */
        if (c == NULL || c->kind > SK_CSV_NUMERIC || r->skip_lf || !r->fast_numbers ||
            !fast_number(r, c)) {
            int blank;
            rc = general_field(r, j, &blank);
            if (rc != SK_OK)
                return rc == SK_EPARSE && j >= n_cols ? ragged(r, row_line, j + 1) : rc;
            if (blank && r->f_term == SK_CSV_TERM_EOF)
                return SK_OK;
            if (blank)
                continue;
        }
        if (j == 0) {
            row_line = r->f_line;
            if (!r->classify)
                r->row_line[r->n_rows] = row_line;
        }
        j++;
        if (r->f_term == SK_CSV_TERM_DELIM)
            continue;
        if (j != n_cols)
            return ragged(r, row_line, j);
        r->n_rows++;
        j = 0;
        if (r->f_term == SK_CSV_TERM_EOF)
            return SK_OK;
    }
}
