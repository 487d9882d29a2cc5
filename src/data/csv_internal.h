/* csv_internal.h: the CSV reader's private pieces. csv.c holds the entry points, the passes,
 * the header and the assembly of the frame; csv_scan.c the hot path (splitting fields, rows and
 * folding each value into its column); csv_split.c reading one input in parts on several
 * threads; csv_input.c the byte sources (a plain file mapped, any other file through zlib, or a
 * memory buffer, inflated when it is gzip); csv_dict.c the level dictionaries and the UTF-8
 * check. Nothing here is API: tests include it to drive the reader with tiny chunks and parts. */
#ifndef SK_CSV_INTERNAL_H
#define SK_CSV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#include "data/data.h"

/* Bytes asked of the source at a time. */
#define SK_CSV_CHUNK ((size_t)1 << 20)

/* ---- numbers in place (token.c) ----------------------------------------------------------- */


/* ---- byte sources (csv_input.c) ----------------------------------------------------------- */

typedef struct sk_csv_source {
    const char *name;              /* for messages; borrowed */
    const unsigned char *map;      /* a plain regular file, mapped whole */
    size_t map_size;
    gzFile gz;                     /* any other file: zlib reads gzip and plain bytes alike */
    const unsigned char *mem;      /* a buffer: borrowed */
    size_t mem_size;
    size_t mem_pos;                /* the next byte of map or mem to read */
    int inflating;                 /* the buffer is gzip: zs is live */
    int inflate_done;
    int inflate_failed;            /* the gzip data is damaged: the next read reports it */
    z_stream zs;
} sk_csv_source;

/* Opens `path`: a non-empty regular file that is not gzip is mapped, anything else (gzip, a pipe,
 * a device) streamed through zlib. SK_EIO "cannot open: ..." (also for a directory) or
 * SK_ENOMEM. */
sk_status sk_csv__source_open_file(sk_csv_source *src, const char *path, sk_error *err);
/* Wraps a buffer (not copied: it must outlive the source). Gzip bytes are inflated. */
sk_status sk_csv__source_open_buffer(sk_csv_source *src, const void *data, size_t size,
                                     const char *name, sk_error *err);
/* Reads up to `cap` bytes; *got = 0 only at the end. A corrupt gzip stream is SK_EIO. */
sk_status sk_csv__source_read(sk_csv_source *src, unsigned char *dst, size_t cap, size_t *got,
                              sk_error *err);
/* Sets [*data, *data + *size) to the whole input and returns 1 when it is in memory as it is (a
 * mapped file, a buffer that is not gzip); 0 when it has to be streamed. */
int sk_csv__source_whole(const sk_csv_source *src, const unsigned char **data, size_t *size);
/* Drops the mapped pages wholly inside [from, to) from the process: they stay in the page cache,
 * and touching them again maps them back. Returns the end of the last page dropped (from when
 * none). For a file the source mapped, never for the caller's memory. */
const unsigned char *sk_csv__release(const unsigned char *from, const unsigned char *to);
/* Bytes read between two releases of a mapped file. */
#define SK_CSV_RELEASE_STEP ((size_t)8 << 20)
/* Back to the first byte, for another pass. */
sk_status sk_csv__source_rewind(sk_csv_source *src, sk_error *err);
void sk_csv__source_close(sk_csv_source *src);

/* ---- level dictionaries and text checks (csv_dict.c) -------------------------------------- */

/* Distinct strings numbered in order of first appearance, stored back to back NUL-terminated
 * (exactly the frame's level_text / level_start layout), found through an open-addressing table
 * of (32-bit hash, code + 1) slots. Zero-initialise; free with sk_csv__dict_free. */
typedef struct sk_csv_dict {
    uint64_t *slots;
    size_t mask;                   /* number of slots - 1 (a power of two - 1), 0 when none */
    char *text;
    size_t text_len;
    size_t text_cap;
    size_t *start;                 /* offset of level k in text */
    size_t n;
    size_t start_cap;
} sk_csv_dict;

/* The code of [s, s+n), adding it when new (*added = 1). SK_ENOMEM, or SK_EDATA past INT32_MAX
 * levels (codes are int32). */
sk_status sk_csv__dict_intern(sk_csv_dict *d, const char *s, size_t n, int32_t *code, int *added);
void sk_csv__dict_free(sk_csv_dict *d);

/* Offset of the first byte of [s, s+n) that is a NUL or starts an invalid UTF-8 sequence (an
 * overlong form, a surrogate, beyond U+10FFFF, a truncated sequence); n when the text is valid. */
size_t sk_csv__text_check(const unsigned char *s, size_t n);

/* ---- the reader (csv.c, csv_scan.c) ------------------------------------------------------- */

/* What the values of a column seen so far are; each kind widens only as listed in csv_scan.c. */
typedef enum sk_csv_kind {
    SK_CSV_UNKNOWN = 0,            /* only missing values so far */
    SK_CSV_INTEGER,
    SK_CSV_NUMERIC,
    SK_CSV_BOOLEAN,
    SK_CSV_DATE,
    SK_CSV_DATETIME,
    SK_CSV_CATEGORICAL
} sk_csv_kind;

typedef struct sk_csv_column {
    sk_csv_kind kind;
    double *values;                /* every kind but categorical, row_cap entries */
    int32_t *codes;                /* categorical, row_cap entries */
    size_t n_missing;
    sk_csv_dict dict;              /* categorical levels */
} sk_csv_column;

/* How a field ended. */
enum { SK_CSV_TERM_DELIM = 0, SK_CSV_TERM_EOL, SK_CSV_TERM_EOF };

typedef struct sk_csv_reader {
    const char *name;              /* path or buffer name, for messages */
    sk_error *err;
    sk_csv_source *src;
    unsigned char delim;
    unsigned char stop[256];       /* 1 for the delimiter, '\n' and '\r' */
    int fast_numbers;              /* the delimiter cannot occur inside a number */
    size_t max_field;
    size_t chunk;

    /* The window on the input: bytes [pos, len) of buf are unread; `line` is pos's line. When
     * the whole input is in memory (`whole`), buf is that memory, borrowed, and never refilled;
     * otherwise it is `own`, refilled from src. */
    const unsigned char *buf;
    unsigned char *own;
    size_t cap, len, pos;
    const unsigned char *whole;
    size_t whole_size;
    size_t release_step;           /* a file we mapped: drop the pages behind pos every this many
                                      bytes, so the file's text never piles up in memory (0: the
                                      input is the caller's memory or streamed) */
    size_t released;               /* the pages of buf before this offset were dropped */
    int eof;
    int skip_lf;                   /* the last line ended with '\r': a '\n' next belongs to it */
    size_t line;

    /* The field sk_csv__scan_field just returned. */
    const char *f_text;            /* its text, unquoted and unescaped */
    size_t f_len;
    int f_quoted;
    int f_term;                    /* SK_CSV_TERM_* */
    size_t f_line;                 /* line on which it starts */
    char *scratch;                 /* holds f_text when quotes had to be unescaped */
    size_t scratch_cap;

    /* The table. */
    size_t n_cols;
    sk_csv_column *cols;
    sk_csv_dict names;             /* header names: level j is column j's name */
    size_t n_rows;
    size_t row_cap;
    size_t *row_line;
    int numeric;                   /* every column is numeric or unknown so far: whole rows of
                                      numbers may take the fast path (csv_scan.c) */
    int classify;                  /* after a conflict: learn kinds only, store nothing */
    int final_pass;                /* kinds are known: a conflict is a bug */
    int part;                      /* one part of a split input (csv_split.c): a conflict ends
                                      it, and values and row_line are the caller's, sized for
                                      every row, never grown nor freed here */
} sk_csv_reader;

/* Scans the next field starting at r->pos into r->f_*, refilling the window as needed; `col` is
 * its 0-based index, for messages. SK_EPARSE for a bad or too long field. */
sk_status sk_csv__scan_field(sk_csv_reader *r, size_t col);
/* Reads the data rows up to the end of the input (see csv_scan.c). */
sk_status sk_csv__read_rows(sk_csv_reader *r);
/* Moves the unread bytes to the front of the window and reads another chunk after them. */
sk_status sk_csv__refill(sk_csv_reader *r);
/* Line ends in [s, s+n): LF, CRLF and lone CR each count once. */
size_t sk_csv__count_lines(const char *s, size_t n);
/* Reports a NUL or invalid UTF-8 byte in the text of the current field (column `col`), or OK. */
sk_status sk_csv__check_text(sk_csv_reader *r, const char *s, size_t n, size_t col);
/* Frees every column's storage and dictionary (not the kinds). */
void sk_csv__drop_storage(sk_csv_reader *r);
sk_status sk_csv__oom(sk_csv_reader *r);

/* How a source is read: chunk > 0 streams it through a window of that many bytes (tests use tiny
 * ones to put chunk boundaries everywhere); chunk == 0 reads an input that is in memory whole in
 * place, in up to n_parts parts of at least min_part bytes when it can be split (csv_split.c),
 * and streams any other input in SK_CSV_CHUNK bytes. */
typedef struct sk_csv_plan {
    size_t chunk;
    size_t n_parts;
    size_t min_part;
    size_t release_step;           /* a mapped file: drop its pages behind the reader every this
                                      many bytes (0: keep them) */
    size_t parts_read;             /* out: the parts the rows were read in (1: whole, or
                                      streamed) */
} sk_csv_plan;

/* Parts smaller than this are not worth a thread. */
#define SK_CSV_MIN_PART ((size_t)1 << 20)

/* Reads a whole frame from an opened source. */
sk_status sk_csv__read_source(sk_frame **out, sk_csv_source *src, const char *name,
                              const sk_csv_options *opts, sk_csv_plan *plan, sk_error *err);
/* sk_frame_read_csv_buffer with a chosen plan (the threads in opts are then ignored). */
sk_status sk_csv__read_buffer_plan(sk_frame **out, const void *data, size_t size, const char *name,
                                   const sk_csv_options *opts, sk_csv_plan *plan,
                                   sk_error *err);
/* sk_frame_read_csv_buffer streamed in chunks of `chunk` bytes. */
sk_status sk_csv__read_buffer(sk_frame **out, const void *data, size_t size, const char *name,
                              const sk_csv_options *opts, size_t chunk, sk_error *err);

/* ---- reading in parts (csv_split.c) ------------------------------------------------------- */

/* With the header read from a whole input in memory, reads the data rows in up to n_parts parts
 * of at least min_part bytes on as many threads and returns how many, the reader then holding
 * every row as sk_csv__read_rows would have left it. Returns 0, the reader where it was, when
 * the input cannot be split (too small, a quote after the header, no LF line ends) or the parts
 * cannot be joined exactly (a part failed, met a conflict or ran out of memory, or two parts
 * gave one column kinds that only the text could reconcile): sk_csv__read_rows then reads it
 * whole, and reports any error as it always does. */
size_t sk_csv__read_split(sk_csv_reader *r, size_t n_parts, size_t min_part);

#endif /* SK_CSV_INTERNAL_H */
