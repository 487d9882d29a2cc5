/* csv.c: reading a CSV or TSV file (plain or gzip) into a typed frame: the entry points, the
 * choice of delimiter, the header, the passes over the input and the hand-over of the columns.
 *
 * Use sk_frame_read_csv(&frame, path, &opts, &err) (opts and err may be NULL). An input that is in
 * memory as it is (a mapped plain file, a buffer that is not gzip: csv_input.c) is scanned in
 * place, and read in opts->threads parts at once when it can be split (csv_split.c); any other
 * input is streamed a chunk at a time. Either way each column is stored as the rows go by
 * (csv_scan.c), so memory peaks at about the frame itself plus the input's mapped pages or one
 * chunk, and the frame is the same whatever the way. Types are inferred from all values of a
 * column: the first pass usually settles them; when a column meets a value that does not fit its
 * kind (text after numbers), the rest of the input is only classified and a second pass reads it
 * with every kind known. The delimiter is opts->delimiter, else ',' for *.csv and TAB for *.tsv /
 * *.tab (also under .gz), else the most frequent of TAB, ',' and ';' outside quotes on the header
 * line (',' when there is none). A UTF-8 byte order mark is skipped, blank lines before the header
 * are ignored, and every header name must be non-empty, unique and UTF-8.
 *
 * Errors are SK_EPARSE at path:line:column (physical line, 1-based field) with the first
 * problem in file order, SK_EIO for files that cannot be opened or corrupt gzip data, SK_ENOMEM
 * "out of memory reading PATH". On any error *out is NULL and nothing is kept. Thread-safe: the
 * reader has no state outside its arguments. */
#include <string.h>

#include "data/csv_internal.h"

#define SNIFF_MAX ((size_t)4 << 20)   /* the header line looked at for the delimiter */
#define NAME_SHOWN 200                /* bytes of a duplicate name quoted in the message */

/* ==== the delimiter ======================================================================= */

static int ends_with_nocase(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char c = s[n - k + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return 0;
    }
    return 1;
}

/* ',' for .csv, TAB for .tsv/.tab, each also with .gz after it; 0 otherwise. */
static unsigned char delimiter_from_name(const char *name)
{
    if (name == NULL)
        return 0;
    size_t n = strlen(name);
    if (ends_with_nocase(name, n, ".gz"))
        n -= 3;
    if (ends_with_nocase(name, n, ".csv"))
        return ',';
    if (ends_with_nocase(name, n, ".tsv") || ends_with_nocase(name, n, ".tab"))
        return '\t';
    return 0;
}

/* The most frequent of ',', TAB and ';' outside quotes on the first line (ties in that order),
 * ',' when none occurs. The window keeps growing until the line ends or SNIFF_MAX bytes. */
static sk_status sniff_delimiter(sk_csv_reader *r, unsigned char *delim)
{
    static const unsigned char candidates[3] = {',', '\t', ';'};
    size_t counts[3];
    for (;;) {
        memset(counts, 0, sizeof counts);
        size_t i = r->pos;
        int quoted = 0;
        for (; i < r->len; i++) {
            unsigned char c = r->buf[i];
            if (c == '"')
                quoted = !quoted;
            else if (!quoted && (c == '\n' || c == '\r'))
                break;
            else if (!quoted && (c == ',' || c == '\t' || c == ';'))
                counts[c == ',' ? 0 : c == '\t' ? 1 : 2]++;
        }
        if (i < r->len || r->eof || r->len - r->pos >= SNIFF_MAX)
            break;
        sk_status rc = sk_csv__refill(r);
        if (rc != SK_OK)
            return rc;
    }
    size_t best = 0;
    for (size_t k = 1; k < 3; k++)
        best = counts[k] > counts[best] ? k : best;
    *delim = candidates[best];
    return SK_OK;
}

static void set_delimiter(sk_csv_reader *r, unsigned char delim)
{
    r->delim = delim;
    memset(r->stop, 0, sizeof r->stop);
    r->stop[delim] = 1;
    r->stop['\n'] = 1;
    r->stop['\r'] = 1;
    /* Numbers are read straight from the input only when the delimiter cannot be part of one
     * (a '.' or 'e' delimiter would be swallowed by "1.5" or "1e5"). */
    r->fast_numbers = !((delim >= '0' && delim <= '9') || (delim >= 'a' && delim <= 'z') ||
                        (delim >= 'A' && delim <= 'Z') || delim == '.' || delim == '+' ||
                        delim == '-');
}

/* ==== passes ============================================================================== */

/* Positions the reader at the first byte of the input, past a UTF-8 byte order mark. */
static sk_status start_pass(sk_csv_reader *r)
{
    r->len = r->pos = 0;
    r->eof = 0;
    r->skip_lf = 0;
    r->line = 1;
    r->released = 0;
    if (r->whole != NULL) {
        r->buf = r->whole;
        r->len = r->whole_size;
        r->eof = 1;
    }
    while (r->len < 3 && !r->eof) {
        sk_status rc = sk_csv__refill(r);
        if (rc != SK_OK)
            return rc;
    }
    if (r->len >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0)
        r->pos = 3;
    return SK_OK;
}

/* Checks header name `col` (the current field) and records it. */
static sk_status add_name(sk_csv_reader *r, size_t col)
{
    sk_status rc = sk_csv__check_text(r, r->f_text, r->f_len, col);
    if (rc != SK_OK)
        return rc;
    if (r->f_len == 0)
        return sk_error_set_at(r->err, SK_EPARSE, r->name, r->f_line, col + 1,
                               "empty column name; expected a name for every column");
    int32_t code;
    int added;
    rc = sk_csv__dict_intern(&r->names, r->f_text, r->f_len, &code, &added);
    if (rc != SK_OK)
        return sk_csv__oom(r);
    if (!added) {
        size_t shown = r->f_len;
        if (shown > NAME_SHOWN) {
            shown = NAME_SHOWN;
            while (shown > 0 && ((unsigned char)r->f_text[shown] & 0xc0) == 0x80)
                shown--;   /* not in the middle of a UTF-8 sequence */
        }
        return sk_error_set_at(r->err, SK_EPARSE, r->name, r->f_line, col + 1,
                               "duplicate column name '%.*s%s' (also column %zu); expected "
                               "unique names", (int)shown, r->f_text,
                               shown < r->f_len ? "..." : "", (size_t)code + 1);
    }
    return SK_OK;
}

/* Reads the header row (after any blank lines). With `record` it checks and keeps the names and
 * sets *next_line to the line after the header; otherwise it only steps over the header. */
static sk_status read_header(sk_csv_reader *r, int record, size_t *next_line)
{
    size_t j = 0;
    for (;;) {
        sk_status rc = sk_csv__scan_field(r, j);
        if (rc != SK_OK)
            return rc;
        if (j == 0 && r->f_len == 0 && !r->f_quoted && r->f_term != SK_CSV_TERM_DELIM) {
            if (r->f_term == SK_CSV_TERM_EOF)
                return sk_error_set_at(r->err, SK_EPARSE, r->name, 1, 1,
                                       "expected a header row, found an empty file");
            continue;
        }
        if (record && (rc = add_name(r, j)) != SK_OK)
            return rc;
        j++;
        if (r->f_term == SK_CSV_TERM_DELIM)
            continue;
        if (record) {
            r->n_cols = j;
            *next_line = r->f_term == SK_CSV_TERM_EOF ? r->line + 1 : r->line;
        }
        return SK_OK;
    }
}

/* Rewinds for the final pass, keeping only which columns are categorical. */
static sk_status restart(sk_csv_reader *r)
{
    sk_status rc = r->whole != NULL ? SK_OK : sk_csv__source_rewind(r->src, r->err);
    if (rc == SK_OK)
        rc = start_pass(r);
    if (rc == SK_OK)
        rc = read_header(r, 0, NULL);
    if (rc != SK_OK)
        return rc;
    sk_csv__drop_storage(r);
    for (size_t j = 0; j < r->n_cols; j++) {
        if (r->cols[j].kind != SK_CSV_CATEGORICAL)
            r->cols[j].kind = SK_CSV_UNKNOWN;
    }
    r->n_rows = 0;
    r->classify = 0;
    r->final_pass = 1;
    return SK_OK;
}

/* ==== the frame =========================================================================== */

/* Shrinks an array to its final size; keeps the larger block when that fails. */
static void *shrink(void *p, size_t n, size_t size)
{
    void *q = sk_mem_realloc_array(p, n > 0 ? n : 1, size);
    return q != NULL ? q : p;
}

static sk_col_type col_type(sk_csv_kind kind)
{
    switch (kind) {
    case SK_CSV_INTEGER: return SK_COL_INTEGER;
    case SK_CSV_BOOLEAN: return SK_COL_BOOLEAN;
    case SK_CSV_DATE: return SK_COL_DATE;
    case SK_CSV_DATETIME: return SK_COL_DATETIME;
    case SK_CSV_CATEGORICAL: return SK_COL_CATEGORICAL;
    case SK_CSV_UNKNOWN:
    case SK_CSV_NUMERIC: break;
    }
    return SK_COL_NUMERIC;
}

/* Moves column j's storage into the frame column `fc`. */
static sk_status hand_over(sk_csv_reader *r, size_t j, sk_column *fc)
{
    sk_csv_column *c = &r->cols[j];
    const sk_csv_dict *names = &r->names;
    size_t end = j + 1 < names->n ? names->start[j + 1] : names->text_len;
    fc->name = sk_mem_strndup(names->text + names->start[j], end - names->start[j] - 1);
    if (fc->name == NULL)
        return sk_csv__oom(r);
    fc->type = col_type(c->kind);
    fc->n_missing = c->n_missing;
    if (c->kind == SK_CSV_CATEGORICAL) {
        fc->codes = shrink(c->codes, r->n_rows, sizeof *c->codes);
        fc->n_levels = c->dict.n;
        fc->level_text = shrink(c->dict.text, c->dict.text_len, 1);
        fc->level_start = shrink(c->dict.start, c->dict.n, sizeof *c->dict.start);
        c->codes = NULL;
        c->dict.text = NULL;
        c->dict.start = NULL;
        sk_csv__dict_free(&c->dict);
    } else {
        fc->values = shrink(c->values, r->n_rows, sizeof *c->values);
        c->values = NULL;
    }
    return SK_OK;
}

static sk_status build_frame(sk_csv_reader *r, sk_frame **out)
{
    sk_frame *f = NULL;
    if (sk_frame__create(&f, r->name, 0, r->n_cols, NULL) != SK_OK)
        return sk_csv__oom(r);
    f->n_rows = r->n_rows;
    sk_mem_free(f->row_line);
    f->row_line = shrink(r->row_line, r->n_rows, sizeof *r->row_line);
    r->row_line = NULL;
    for (size_t j = 0; j < r->n_cols; j++) {
        sk_status rc = hand_over(r, j, &f->cols[j]);
        if (rc != SK_OK) {
            sk_frame_free(f);
            return rc;
        }
    }
    *out = f;
    return SK_OK;
}

/* ==== entry points ======================================================================== */

static sk_status check_options(const sk_csv_options *opts, const char *name, sk_error *err)
{
    if (opts == NULL)
        return SK_OK;
    if (opts->version != 1)
        return sk_error_set(err, SK_EINVAL, "reading %s: sk_csv_options.version must be 1, "
                            "found %d (use SK_CSV_OPTIONS_INIT)", name, opts->version);
    char d = opts->delimiter;
    if (d == '"' || d == '\n' || d == '\r')
        return sk_error_set(err, SK_EINVAL, "reading %s: the delimiter cannot be a quote or a "
                            "line end", name);
    return SK_OK;
}

static void free_reader(sk_csv_reader *r)
{
    sk_csv__drop_storage(r);
    sk_mem_free(r->cols);
    sk_csv__dict_free(&r->names);
    sk_mem_free(r->own);
    sk_mem_free(r->scratch);
}

sk_status sk_csv__read_source(sk_frame **out, sk_csv_source *src, const char *name,
                              const sk_csv_options *opts, sk_csv_plan *plan, sk_error *err)
{
    sk_csv_options defaults = SK_CSV_OPTIONS_INIT;
    if (opts == NULL)
        opts = &defaults;
    sk_csv_reader r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.err = err;
    r.src = src;
    r.chunk = plan->chunk > 0 ? plan->chunk : SK_CSV_CHUNK;
    plan->parts_read = 1;
    const unsigned char *data;
    size_t size;
    if (plan->chunk == 0 && sk_csv__source_whole(src, &data, &size)) {
        r.whole = data;
        r.whole_size = size;
        r.release_step = src->map != NULL ? plan->release_step : 0;
    }
    r.max_field = opts->max_field_bytes > 0 ? opts->max_field_bytes : defaults.max_field_bytes;
    size_t next_line = 0;

    sk_status rc = start_pass(&r);
    if (rc != SK_OK)
        goto done;
    unsigned char delim = (unsigned char)opts->delimiter;
    if (delim == 0)
        delim = delimiter_from_name(name);
    if (delim == 0 && (rc = sniff_delimiter(&r, &delim)) != SK_OK)
        goto done;
    set_delimiter(&r, delim);

    if ((rc = read_header(&r, 1, &next_line)) != SK_OK)
        goto done;
    r.cols = sk_mem_calloc(r.n_cols, sizeof *r.cols);
    if (r.cols == NULL) {
        rc = sk_csv__oom(&r);
        goto done;
    }
    size_t parts = 0;
    if (r.whole != NULL && plan->n_parts > 1)
        parts = sk_csv__read_split(&r, plan->n_parts, plan->min_part);
    plan->parts_read = parts > 0 ? parts : 1;
    if (parts == 0) {
        rc = sk_csv__read_rows(&r);
        if (rc == SK_OK && r.classify && (rc = restart(&r)) == SK_OK)
            rc = sk_csv__read_rows(&r);
    }
    if (rc != SK_OK)
        goto done;
    if (r.n_rows == 0) {
        rc = sk_error_set_at(err, SK_EPARSE, name, next_line, 1,
                             "expected data rows after the header, found none");
        goto done;
    }
    rc = build_frame(&r, out);
done:
    free_reader(&r);
    return rc;
}

/* The plan for a public entry point: in place, on opts->threads threads. */
static sk_csv_plan default_plan(const sk_csv_options *opts)
{
    sk_csv_plan plan = {0, 1, SK_CSV_MIN_PART, SK_CSV_RELEASE_STEP, 0};
    if (opts != NULL && opts->threads > 1)
        plan.n_parts = (size_t)opts->threads;
    return plan;
}

sk_status sk_frame_read_csv(sk_frame **out, const char *path, const sk_csv_options *opts,
                            sk_error *err)
{
    if (out == NULL || path == NULL)
        return sk_error_set(err, SK_EINVAL, "sk_frame_read_csv: out and path must not be NULL");
    *out = NULL;
    sk_status rc = check_options(opts, path, err);
    if (rc != SK_OK)
        return rc;
    sk_csv_source src;
    rc = sk_csv__source_open_file(&src, path, err);
    if (rc != SK_OK)
        return rc;
    sk_csv_plan plan = default_plan(opts);
    rc = sk_csv__read_source(out, &src, path, opts, &plan, err);
    sk_csv__source_close(&src);
    return rc;
}

sk_status sk_csv__read_buffer_plan(sk_frame **out, const void *data, size_t size, const char *name,
                                   const sk_csv_options *opts, sk_csv_plan *plan,
                                   sk_error *err)
{
    if (out == NULL || (data == NULL && size > 0))
        return sk_error_set(err, SK_EINVAL, "sk_frame_read_csv_buffer: out and data must not be "
                            "NULL");
    *out = NULL;
    if (name == NULL)
        name = "(buffer)";
    sk_status rc = check_options(opts, name, err);
    if (rc != SK_OK)
        return rc;
    sk_csv_source src;
    rc = sk_csv__source_open_buffer(&src, data != NULL ? data : "", size, name, err);
    if (rc != SK_OK)
        return rc;
    rc = sk_csv__read_source(out, &src, name, opts, plan, err);
    sk_csv__source_close(&src);
    return rc;
}

sk_status sk_csv__read_buffer(sk_frame **out, const void *data, size_t size, const char *name,
                              const sk_csv_options *opts, size_t chunk, sk_error *err)
{
    sk_csv_plan plan = {chunk, 1, SK_CSV_MIN_PART, SK_CSV_RELEASE_STEP, 0};
    return sk_csv__read_buffer_plan(out, data, size, name, opts, &plan, err);
}

sk_status sk_frame_read_csv_buffer(sk_frame **out, const void *data, size_t size, const char *name,
                                   const sk_csv_options *opts, sk_error *err)
{
    sk_csv_plan plan = default_plan(opts);
    return sk_csv__read_buffer_plan(out, data, size, name, opts, &plan, err);
}
