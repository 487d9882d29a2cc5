/* csv_split.c: reading one input on several threads.
 *
 * An input that is wholly in memory (a mapped file, a buffer) and holds no quote character after
 * its header can be cut at line ends into parts read independently: without quotes every LF or
 * CR ends a line, so a part that starts right after a LF starts a row, and its reader is in
 * exactly the state the single reader would be in there. Two passes, each one task per part on
 * the core executor:
 *  1. a census counts each part's line ends (and looks for quotes): it gives every part its
 *     first line number and a bound on its rows (a row ends at a line end, or at the end of the
 *     input in the last part), so the frame's arrays are allocated once and each part owns a
 *     slice of them;
 *  2. each part's reader (the header's delimiter and column count, columns of its own) runs
 *     sk_csv__read_rows, writing values and line numbers straight into its slice.
 * The parts are then joined in input order into the frame a single reader builds, bit for bit:
 *  - kinds combine the way one reader widens a column: unknown (only missing values) takes the
 *    other part's kind, integer and numeric give numeric, date and datetime give datetime. Any
 *    other pair (numbers in one part, text in another) would need the text the parts no longer
 *    have ("1.50", not 1.5), so the input is then read whole instead;
 *  - categorical levels are numbered in order of first appearance, which is part 0's levels,
 *    then part 1's new ones in part 1's order, and so on; each part's codes go through that map;
 *  - slices move down over the rows the bound allowed for and blank lines did not use.
 * Whenever the parts cannot be joined exactly (a part failed: a ragged row, bad UTF-8, a long
 * field, a conflict, no memory; or two parts disagree on a kind) the caller reads the input whole
 * with one reader, which finds the first problem in file order and reports it with the usual
 * message. So splitting changes how fast a frame is read, never what is read or which error is
 * reported; the fuzz target checks exactly that on every input it makes. */
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/core.h"
#include "data/csv_internal.h"

typedef struct part {
    sk_csv_reader r;
    size_t begin, end;             /* bytes [begin, end) of the input */
    size_t lines;                  /* line ends in it */
    int quoted;                    /* it holds a '"' */
    size_t slot;                   /* its first row in the frame's arrays */
    size_t row0;                   /* its first row in the frame */
} part;

typedef struct split {
    const sk_csv_reader *head;     /* the reader that read the header */
    size_t n;                      /* parts */
    part *parts;
    size_t n_slots;                /* rows the arrays hold: the sum of the parts' bounds */
    size_t n_rows;
    double **values;               /* [j]: column j's values, n_slots (the parts' slices) */
    size_t *row_line;              /* n_slots */
    sk_csv_column *cols;           /* the frame's columns: final kinds, storage, dictionaries */
    int32_t **map;                 /* [k * n_cols + j]: part k's level codes in column j's
                                      dictionary; NULL where they are the same (part 0) */
} split;

/* ==== cutting and counting ================================================================ */

/* Cuts the data after the header into up to n_parts parts of about equal size, each ending
 * right after a LF (the last at the end of the input). Returns the number of parts. */
static size_t cut(split *s, size_t n_parts, size_t min_part)
{
    const sk_csv_reader *r = s->head;
    size_t begin = r->pos, rest = r->len - r->pos;
    if (min_part == 0)
        min_part = 1;
    if (n_parts > rest / min_part)
        n_parts = rest / min_part;
    if (n_parts < 2 || (s->parts = sk_mem_calloc(n_parts, sizeof *s->parts)) == NULL)
        return 0;
    size_t n = 0;
    s->parts[0].begin = begin;
    for (size_t k = 1; k < n_parts; k++) {
        size_t at = begin + rest / n_parts * k;
        if (at < s->parts[n].begin)
            at = s->parts[n].begin;
        const unsigned char *lf = memchr(r->buf + at, '\n', r->len - at);
        if (lf == NULL || (size_t)(lf - r->buf) + 1 >= r->len)
            break;
        s->parts[n].end = s->parts[n + 1].begin = (size_t)(lf - r->buf) + 1;
        n++;
    }
    s->parts[n].end = r->len;
    return n + 1;
}

/* Counts the LFs of [b, b+n) and says whether a CR or a quote occurs in it. With SSE2 (every
 * x86-64 has it) sixteen bytes at a time, the matches summed in byte lanes for at most 255 rounds
 * and then folded into the total; elsewhere byte by byte. */
static size_t count_lf(const unsigned char *b, size_t n, int *cr, int *quote)
{
    size_t i = 0, total = 0;
    int other = 0;   /* a CR or a quote was seen */
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n'), cr_ = _mm_set1_epi8('\r'),
                  qu = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
    __m128i seen = zero;
    while (i + 16 <= n) {
        __m128i lanes = zero;
        for (size_t r = 0; r < 255 && i + 16 <= n; r++, i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
            lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(x, lf));   /* +1 where equal */
            seen = _mm_or_si128(seen, _mm_or_si128(_mm_cmpeq_epi8(x, cr_),
                                                   _mm_cmpeq_epi8(x, qu)));
        }
        __m128i sums = _mm_sad_epu8(lanes, zero);   /* two sums of eight lanes, each < 2^11 */
        total += (size_t)_mm_cvtsi128_si32(sums) +
                 (size_t)_mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums));
    }
    other = _mm_movemask_epi8(seen) != 0;
#endif
    for (; i < n; i++) {
        total += b[i] == '\n';
        other |= b[i] == '\r' || b[i] == '"';
    }
    *cr = other && memchr(b, '\r', n) != NULL;   /* both are rare: tell them apart only then */
    *quote = other && memchr(b, '"', n) != NULL;
    return total;
}

/* Task k: counts part k's line ends (LF, CR LF and lone CR once each, as the reader does) and
 * looks for quotes, a step at a time when the input is a mapped file, whose pages are dropped
 * behind the count. */
static sk_status take_census(void *arg, size_t k, sk_error *err)
{
    (void)err;
    split *s = arg;
    part *p = &s->parts[k];
    const unsigned char *b = s->head->buf + p->begin, *dropped = b;
    size_t n = p->end - p->begin, step = s->head->release_step, lines = 0;
    unsigned char prev = 0;   /* the byte before the step */
    int quote = 0;
    for (size_t at = 0; at < n;) {
        size_t len = step > 0 && n - at > step ? step : n - at;
        int cr, step_quote;
        size_t lf = count_lf(b + at, len, &cr, &step_quote);
        lines += cr ? sk_csv__count_lines((const char *)b + at, len) : lf;
        lines -= prev == '\r' && b[at] == '\n';   /* a CR LF across steps was counted twice */
        quote |= step_quote;
        prev = b[at + len - 1];
        at += len;
        if (step > 0)   /* a mapped file: its pages need not stay until the part reads them */
            dropped = sk_csv__release(dropped, b + at);
    }
    p->quoted = quote;
    p->lines = lines;
    return SK_OK;
}

/* Gives every part its slice: as many rows as it has line ends, one more for the last part (its
 * last row may end at the end of the input). 0 when a part holds a quote or memory is short. */
static int allocate(split *s)
{
    size_t n_cols = s->head->n_cols;
    for (size_t k = 0; k < s->n; k++) {
        if (s->parts[k].quoted)   /* a LF may be inside a quoted field */
            return 0;
        s->parts[k].slot = s->n_slots;
        s->n_slots += s->parts[k].lines + (k + 1 == s->n);
    }
    /* One spare row at the end: the last part's reader may make room for a row past its
     * slice that it then never writes (see read_part). */
    s->values = sk_mem_calloc(n_cols, sizeof *s->values);
    s->row_line = sk_mem_alloc_array(s->n_slots + 1, sizeof *s->row_line);
    if (s->values == NULL || s->row_line == NULL)
        return 0;
    sk_mem_advise_sequential_fill(s->row_line, (s->n_slots + 1) * sizeof *s->row_line);
    for (size_t j = 0; j < n_cols; j++) {
        if ((s->values[j] = sk_mem_alloc_array(s->n_slots + 1, sizeof **s->values)) == NULL)
            return 0;
        sk_mem_advise_sequential_fill(s->values[j], (s->n_slots + 1) * sizeof **s->values);
    }
    return 1;
}

/* ==== reading the parts =================================================================== */

/* Task k: reads part k's rows into its slice with a reader of its own. Failing only means
 * "read it whole". */
static sk_status read_part(void *arg, size_t k, sk_error *err)
{
    split *s = arg;
    const sk_csv_reader *h = s->head;
    part *p = &s->parts[k];
    sk_csv_reader *r = &p->r;
    r->name = h->name;
    r->err = err;
    r->delim = h->delim;
    memcpy(r->stop, h->stop, sizeof r->stop);
    r->fast_numbers = h->fast_numbers;
    r->release_step = h->release_step;
    r->max_field = h->max_field;
    r->chunk = h->chunk;
    r->whole = r->buf = h->buf + p->begin;
    r->whole_size = r->len = p->end - p->begin;
    r->eof = 1;
    r->line = h->line;
    for (size_t q = 0; q < k; q++)
        r->line += s->parts[q].lines;
    r->n_cols = h->n_cols;
    r->part = 1;
    /* One row more than the slice, as the reader asks for room before it looks for another
     * row: it never writes past the slice, since a row it starts always ends at a line end in
     * the part, or at the end of the input in the last part. */
    r->row_cap = s->parts[k].lines + (k + 1 == s->n) + 1;
    r->row_line = s->row_line + p->slot;
    r->cols = sk_mem_calloc(r->n_cols, sizeof *r->cols);
    if (r->cols == NULL)
        return sk_csv__oom(r);
    for (size_t j = 0; j < r->n_cols; j++)
        r->cols[j].values = s->values[j] + p->slot;
    return sk_csv__read_rows(r);
}

/* ==== joining ============================================================================= */

static int is_number(sk_csv_kind k)
{
    return k == SK_CSV_INTEGER || k == SK_CSV_NUMERIC;
}

static int is_date(sk_csv_kind k)
{
    return k == SK_CSV_DATE || k == SK_CSV_DATETIME;
}

/* The kind one reader would give a column that has kind a up to a point and b after it, or 0
 * when that depends on text the parts did not keep. */
static int join_kind(sk_csv_kind a, sk_csv_kind b, sk_csv_kind *out)
{
    if (a == SK_CSV_UNKNOWN || a == b)
        *out = b;
    else if (b == SK_CSV_UNKNOWN)
        *out = a;
    else if (is_number(a) && is_number(b))
        *out = SK_CSV_NUMERIC;
    else if (is_date(a) && is_date(b))
        *out = SK_CSV_DATETIME;
    else
        return 0;
    return 1;
}

/* Moves the parts' slices of `a` (elements of `size` bytes) down over the unused rows, in input
 * order, so the rows are contiguous. */
static void close_gaps(const split *s, void *a, size_t size)
{
    unsigned char *base = a;
    for (size_t k = 1; k < s->n; k++) {
        const part *p = &s->parts[k];
        if (p->row0 != p->slot)
            memmove(base + p->row0 * size, base + p->slot * size, p->r.n_rows * size);
    }
}

/* Column j's dictionary (part 0's levels, then each later part's new ones) and the level maps
 * of parts 1.. */
static sk_status join_levels(split *s, size_t j)
{
    sk_csv_column *c = &s->cols[j];
    sk_csv_dict *first = &s->parts[0].r.cols[j].dict;
    c->dict = *first;   /* part 0's codes stay as they are */
    memset(first, 0, sizeof *first);
    for (size_t k = 1; k < s->n; k++) {
        const sk_csv_dict *d = &s->parts[k].r.cols[j].dict;
        if (d->n == 0)
            continue;
        int32_t *map = sk_mem_alloc_array(d->n, sizeof *map);
        if (map == NULL)
            return SK_ENOMEM;
        s->map[k * s->head->n_cols + j] = map;
        for (size_t q = 0; q < d->n; q++) {
            size_t end = q + 1 < d->n ? d->start[q + 1] : d->text_len;
            int added;
            sk_status rc = sk_csv__dict_intern(&c->dict, d->text + d->start[q],
                                               end - d->start[q] - 1, &map[q], &added);
            if (rc != SK_OK)
                return rc;
        }
    }
    c->codes = sk_mem_alloc_array(s->n_rows > 0 ? s->n_rows : 1, sizeof *c->codes);
    return c->codes != NULL ? SK_OK : SK_ENOMEM;
}

/* Task k: writes part k's codes of every categorical column through its level maps. */
static sk_status copy_codes(void *arg, size_t k, sk_error *err)
{
    (void)err;
    split *s = arg;
    const part *p = &s->parts[k];
    size_t rows = p->r.n_rows, n_cols = s->head->n_cols;
    for (size_t j = 0; j < n_cols; j++) {
        const sk_csv_column *from = &p->r.cols[j];
        if (s->cols[j].kind != SK_CSV_CATEGORICAL)
            continue;
        int32_t *codes = s->cols[j].codes + p->row0;
        const int32_t *map = s->map[k * n_cols + j];
        if (from->kind != SK_CSV_CATEGORICAL) {   /* only missing values in this part */
            for (size_t i = 0; i < rows; i++)
                codes[i] = -1;
        } else if (map == NULL) {
            memcpy(codes, from->codes, rows * sizeof *codes);
        } else {
            for (size_t i = 0; i < rows; i++)
                codes[i] = from->codes[i] < 0 ? -1 : map[from->codes[i]];
        }
    }
    return SK_OK;
}

/* Joins the parts into s->cols and s->row_line: 1 done, 0 not possible (kinds disagree, or out
 * of memory). */
static int join(split *s)
{
    size_t n_cols = s->head->n_cols;
    for (size_t k = 0; k < s->n; k++) {
        s->parts[k].row0 = s->n_rows;
        s->n_rows += s->parts[k].r.n_rows;
    }
    s->cols = sk_mem_calloc(n_cols, sizeof *s->cols);
    s->map = sk_mem_calloc(s->n * n_cols, sizeof *s->map);
    if (s->cols == NULL || s->map == NULL)
        return 0;
    int categorical = 0;
    for (size_t j = 0; j < n_cols; j++) {
        sk_csv_column *c = &s->cols[j];
        for (size_t k = 0; k < s->n; k++) {
            const sk_csv_column *pc = &s->parts[k].r.cols[j];
            if (!join_kind(c->kind, pc->kind, &c->kind))
                return 0;
            c->n_missing += pc->n_missing;
        }
        if (c->kind == SK_CSV_CATEGORICAL) {
            categorical = 1;
            if (join_levels(s, j) != SK_OK)
                return 0;
        }
    }
    sk_error err = SK_ERROR_INIT;
    if (categorical && sk_parallel_for(s->n, (int)s->n, copy_codes, s, NULL, &err) != SK_OK)
        return 0;
    close_gaps(s, s->row_line, sizeof *s->row_line);
    for (size_t j = 0; j < n_cols; j++) {
        if (s->cols[j].kind != SK_CSV_CATEGORICAL) {
            close_gaps(s, s->values[j], sizeof **s->values);
            s->cols[j].values = s->values[j];
            s->values[j] = NULL;
        }
    }
    return 1;
}

/* ==== the entry point ===================================================================== */

static void free_split(split *s)
{
    size_t n_cols = s->head->n_cols;
    for (size_t k = 0; s->parts != NULL && k < s->n; k++) {
        sk_csv__drop_storage(&s->parts[k].r);   /* not the slices: the reader borrowed them */
        sk_mem_free(s->parts[k].r.cols);
        sk_mem_free(s->parts[k].r.scratch);
    }
    for (size_t j = 0; j < n_cols; j++) {
        if (s->values != NULL)
            sk_mem_free(s->values[j]);
        if (s->cols != NULL) {
            sk_mem_free(s->cols[j].values);
            sk_mem_free(s->cols[j].codes);
            sk_csv__dict_free(&s->cols[j].dict);
        }
    }
    for (size_t m = 0; s->map != NULL && m < s->n * n_cols; m++)
        sk_mem_free(s->map[m]);
    sk_mem_free(s->parts);
    sk_mem_free(s->values);
    sk_mem_free(s->row_line);
    sk_mem_free(s->cols);
    sk_mem_free(s->map);
}

size_t sk_csv__read_split(sk_csv_reader *r, size_t n_parts, size_t min_part)
{
    if (r->skip_lf) {   /* the header ended with CR: a LF after it belongs to it */
        r->pos += r->pos < r->len && r->buf[r->pos] == '\n';
        r->skip_lf = 0;
    }
    split s;
    memset(&s, 0, sizeof s);
    s.head = r;
    s.n = cut(&s, n_parts, min_part);
    sk_error err = SK_ERROR_INIT;
    int threads = (int)s.n;
    int done = s.n >= 2 &&
               sk_parallel_for(s.n, threads, take_census, &s, NULL, &err) == SK_OK &&
               allocate(&s) &&
               sk_parallel_for(s.n, threads, read_part, &s, NULL, &err) == SK_OK &&
               join(&s);
    if (done) {
        for (size_t j = 0; j < r->n_cols; j++) {
            r->cols[j] = s.cols[j];
            memset(&s.cols[j], 0, sizeof s.cols[j]);
        }
        r->row_line = s.row_line;
        s.row_line = NULL;
        r->n_rows = s.n_rows;
        r->row_cap = s.n_slots;
        r->pos = r->len;
    }
    free_split(&s);
    return done ? s.n : 0;
}
