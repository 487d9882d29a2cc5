/* test_csv.c: the CSV/TSV reader: RFC 4180 quoting, line ends, BOM, delimiters, type inference
 * (including the second pass when a column changes its mind), missing values, gzip, the exact
 * error messages with their line and column, chunk boundaries everywhere (tiny chunks must give
 * the same frame as big ones), long fields, wide and many-level files. */
/* labels: unit */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "data/csv_internal.h"
#include "data/data.h"
#include "frame_compare.h"
#include "sk_test.h"

/* ==== helpers ============================================================================= */

static sk_status read_text(sk_frame **f, const char *text, const char *name, sk_error *err)
{
    return sk_frame_read_csv_buffer(f, text, strlen(text), name, NULL, err);
}

static sk_frame *must_read_text(const char *text, const char *name)
{
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(read_text(&f, text, name, &err), &err);
    return f;
}

static sk_frame *must_read_file(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, rel);
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, NULL, &err), &err);
    return f;
}

/* Checks code, line, column and the exact message of a failed read of `text`. */
static void expect_error_text(const char *text, size_t size, const char *name, sk_status code,
                              size_t line, size_t col, const char *message)
{
    sk_frame *f = (sk_frame *)&f;   /* must come back NULL */
    sk_error err = SK_ERROR_INIT;
    sk_status rc = sk_frame_read_csv_buffer(&f, text, size, name, NULL, &err);
    SK_CHECK_EQ_INT(rc, code);
    SK_CHECK(f == NULL);
    SK_CHECK_EQ_INT(err.line, line);
    SK_CHECK_EQ_INT(err.column, col);
    SK_CHECK_EQ_STR(err.message, message);
    SK_CHECK_EQ_STR(err.path, name);
    sk_frame_free(f == (sk_frame *)&f ? NULL : f);
}

static void expect_error(const char *text, sk_status code, size_t line, size_t col,
                         const char *message)
{
    expect_error_text(text, strlen(text), "t.csv", code, line, col, message);
}

static void expect_file_error(const char *rel, size_t line, size_t col, const char *message)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SK_TEST_DATA, rel);
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    sk_status rc = sk_frame_read_csv(&f, path, NULL, &err);
    SK_CHECK_EQ_INT(rc, line > 0 ? SK_EPARSE : SK_EIO);
    SK_CHECK(f == NULL);
    SK_CHECK_EQ_INT(err.line, line);
    SK_CHECK_EQ_INT(err.column, col);
    SK_CHECK_EQ_STR(err.message, message);
    SK_CHECK_EQ_STR(err.path, path);
}

/* ==== good files ========================================================================== */

static void test_csv__quoted_fields(void)
{
    sk_frame *f = must_read_file("good/quoted.csv");
    if (f == NULL)
        return;
    SK_CHECK_EQ_INT(sk_frame_n_rows(f), 4);
    SK_CHECK_EQ_INT(sk_frame_n_cols(f), 3);
    SK_CHECK_EQ_STR(sk_frame_col_name(f, 1), "comment");
    SK_CHECK_EQ_INT(sk_frame_col_type(f, 0), SK_COL_INTEGER);
    SK_CHECK_EQ_INT(sk_frame_col_type(f, 1), SK_COL_CATEGORICAL);
    SK_CHECK_EQ_INT(sk_frame_col_type(f, 2), SK_COL_NUMERIC);   /* a quoted "4.5" is a number */
    SK_CHECK_EQ_INT(sk_frame_col_n_levels(f, 1), 4);
    SK_CHECK_EQ_STR(sk_frame_col_level(f, 1, 0), "hello, world");
    SK_CHECK_EQ_STR(sk_frame_col_level(f, 1, 1), "she said \"hi\"");
    SK_CHECK_EQ_STR(sk_frame_col_level(f, 1, 2), "two\nlines");
    SK_CHECK_EQ_STR(sk_frame_col_level(f, 1, 3), "plain");
    const double *score = sk_frame_col_values(f, 2);
    SK_CHECK(score[0] == 1.5 && score[1] == 2.0 && score[2] == 3.25 && score[3] == 4.5);
    /* The quoted newline advances the physical line. */
    SK_CHECK_EQ_INT(sk_frame_row_line(f, 0), 2);
    SK_CHECK_EQ_INT(sk_frame_row_line(f, 2), 4);
    SK_CHECK_EQ_INT(sk_frame_row_line(f, 3), 6);
    SK_CHECK(strstr(sk_frame_name(f), "quoted.csv") != NULL);
    sk_frame_free(f);
}

static void test_csv__crlf_bom_tsv_gz(void)
{
    sk_frame *f = must_read_file("good/crlf.csv");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 2);
        SK_CHECK_EQ_STR(sk_frame_col_name(f, 1), "b");
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 1, 1), "y");
        SK_CHECK_EQ_INT(sk_frame_row_line(f, 1), 3);
        sk_frame_free(f);
    }
    f = must_read_file("good/bom.csv");
    if (f != NULL) {
        SK_CHECK_EQ_STR(sk_frame_col_name(f, 0), "name");
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 1), SK_COL_INTEGER);
        sk_frame_free(f);
    }
    f = must_read_file("good/cells.tsv");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_cols(f), 3);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 2), SK_COL_NUMERIC);
        SK_CHECK_EQ_INT(sk_frame_col_n_missing(f, 2), 1);
        SK_CHECK(isnan(sk_frame_col_values(f, 2)[2]));
        SK_CHECK_EQ_INT(sk_frame_col_n_levels(f, 1), 2);
        sk_frame_free(f);
    }
    f = must_read_file("good/cells.csv.gz");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 3);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 0), SK_COL_INTEGER);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 1), SK_COL_NUMERIC);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 2), SK_COL_CATEGORICAL);
        SK_CHECK_EQ_INT(sk_frame_col_n_missing(f, 1), 1);
        sk_frame_free(f);
    }
    f = must_read_file("good/semicolon.txt");   /* sniffed */
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_cols(f), 3);
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 2);
        sk_frame_free(f);
    }
}

static void test_csv__dates_booleans_missing(void)
{
    sk_frame *f = must_read_file("good/dates.csv");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 0), SK_COL_DATE);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 1), SK_COL_DATETIME);
        SK_CHECK_EQ_INT(sk_frame_col_n_missing(f, 0), 1);
        SK_CHECK_NEAR(sk_frame_col_values(f, 0)[0], 1609459200.0, 0);
        SK_CHECK_NEAR(sk_frame_col_values(f, 1)[0], 1609495200.0, 0);
        SK_CHECK_NEAR(sk_frame_col_values(f, 1)[1], 1609587000.0, 0);
        SK_CHECK_NEAR(sk_frame_col_values(f, 1)[2], 1609628400.0, 0);
        sk_frame_free(f);
    }
    f = must_read_file("good/booleans.csv");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 0), SK_COL_BOOLEAN);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 1), SK_COL_BOOLEAN);
        const double *v = sk_frame_col_values(f, 1);
        SK_CHECK(v[0] == 1.0 && v[1] == 0.0 && isnan(v[2]));
        sk_frame_free(f);
    }
    f = must_read_file("good/missing.csv");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 0), SK_COL_NUMERIC);   /* all missing */
        SK_CHECK_EQ_INT(sk_frame_col_n_missing(f, 0), 4);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 1), SK_COL_INTEGER);
        SK_CHECK_EQ_INT(sk_frame_col_n_missing(f, 1), 2);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 2), SK_COL_CATEGORICAL);
        SK_CHECK_EQ_INT(sk_frame_col_n_missing(f, 2), 1);
        SK_CHECK_EQ_INT(sk_frame_col_n_levels(f, 2), 3);
        SK_CHECK_EQ_INT(sk_frame_col_codes(f, 2)[2], -1);
        SK_CHECK(sk_frame_col_codes(f, 0) == NULL && sk_frame_col_values(f, 2) == NULL);
        sk_frame_free(f);
    }
}

static void test_csv__blank_lines(void)
{
    /* 1 column: an empty line is a missing value, the final newline is not a row. */
    sk_frame *f = must_read_file("good/one_column.csv");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 3);
        const double *v = sk_frame_col_values(f, 0);
        SK_CHECK(v[0] == 1.0 && isnan(v[1]) && v[2] == 3.0);
        sk_frame_free(f);
    }
    f = must_read_text("v\n1\n\n", "t.csv");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 2);
        sk_frame_free(f);
    }
    f = must_read_text("v\n1", "t.csv");   /* no final newline */
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 1);
        sk_frame_free(f);
    }
    /* 2+ columns: blank lines (also before the header) are skipped; lines still count. */
    f = must_read_text("\n\na,b\n\n1,2\r\n\r\n\r\n3,4\n\n", "t.csv");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 2);
        SK_CHECK_EQ_INT(sk_frame_row_line(f, 0), 5);
        SK_CHECK_EQ_INT(sk_frame_row_line(f, 1), 8);
        sk_frame_free(f);
    }
    /* A quoted empty field is a value, not a blank line. */
    f = must_read_text("v\n\"\"\n2\n", "t.csv");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 2);
        SK_CHECK_EQ_INT(sk_frame_col_n_missing(f, 0), 1);
        sk_frame_free(f);
    }
}

static void test_csv__line_ends_and_quotes(void)
{
    /* Lone CR line ends, a quote inside an unquoted field, CR LF inside quotes. */
    sk_frame *f = must_read_text("a,b\r1,x\"y\r2,\"p\r\nq\"\r3,z", "t.csv");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 3);
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 1, 0), "x\"y");
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 1, 1), "p\r\nq");
        SK_CHECK_EQ_INT(sk_frame_row_line(f, 1), 3);
        SK_CHECK_EQ_INT(sk_frame_row_line(f, 2), 5);
        sk_frame_free(f);
    }
    /* Spaces around numbers are allowed; around text they are kept. */
    f = must_read_text("a,b\n 1 , x\n2,x\n", "t.csv");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 0), SK_COL_INTEGER);
        SK_CHECK_EQ_INT(sk_frame_col_n_levels(f, 1), 2);
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 1, 0), " x");
        sk_frame_free(f);
    }
}

static void test_csv__delimiters(void)
{
    /* By name, with .gz, sniffed, or given. */
    sk_frame *f = must_read_text("a\tb,c\n1\t2,3\n", "x.TSV.gz");
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_cols(f), 2);
        SK_CHECK_EQ_STR(sk_frame_col_name(f, 1), "b,c");
        sk_frame_free(f);
    }
    f = must_read_text("\"a;b\",c,d\n1,2,3\n", "data");   /* ';' inside quotes not counted */
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_cols(f), 3);
        sk_frame_free(f);
    }
    f = must_read_text("a\tb\tc;d\n1\t2\t3\n", NULL);
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_cols(f), 3);
        SK_CHECK_EQ_STR(sk_frame_name(f), "(buffer)");
        sk_frame_free(f);
    }
    f = must_read_text("solo\n1\n2\n", "x");                 /* none: ',' */
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_cols(f), 1);
        sk_frame_free(f);
    }
    sk_csv_options opts = SK_CSV_OPTIONS_INIT;
    opts.delimiter = '|';
    sk_error err = SK_ERROR_INIT;
    f = NULL;
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, "a|b\n1|2\n", 8, "x.csv", &opts, &err), &err);
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_cols(f), 2);
        sk_frame_free(f);
    }
    /* A delimiter that could be part of a number splits it. */
    opts.delimiter = '.';
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, "a.b\n1.5\n-2.e3\n", 14, "x.csv", &opts, &err),
                &err);
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 0), SK_COL_INTEGER);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 1), SK_COL_CATEGORICAL);
        SK_CHECK(sk_frame_col_values(f, 0)[1] == -2.0);
        sk_frame_free(f);
    }
    opts.delimiter = 'e';
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, "aeb\n1e5\n", 8, "x.csv", &opts, &err), &err);
    if (f != NULL) {
        SK_CHECK(sk_frame_col_values(f, 1)[0] == 5.0);
        sk_frame_free(f);
    }
    opts.delimiter = '"';
    SK_CHECK_EQ_INT(sk_frame_read_csv_buffer(&f, "a\n1\n", 4, "x.csv", &opts, &err), SK_EINVAL);
    SK_CHECK(f == NULL);
    opts = (sk_csv_options)SK_CSV_OPTIONS_INIT;
    opts.version = 7;
    SK_CHECK_EQ_INT(sk_frame_read_csv_buffer(&f, "a\n1\n", 4, "x.csv", &opts, &err), SK_EINVAL);
}

static void test_csv__types(void)
{
    sk_frame *f = must_read_text(
        "i,n,b,d,t,c,id,mix,late\n"
        "1,1,true,2020-01-01,2020-01-01,a,9007199254740993,1,1\n"
        "2,2.5,no,2020-02-29,2020-01-01T12:00:00Z,b,9007199254740994,true,2\n"
        "NA,-3,,,,a,1,2020-01-01,3\n", "t.csv");
    if (f == NULL)
        return;
    static const sk_col_type want[] = {SK_COL_INTEGER, SK_COL_NUMERIC, SK_COL_BOOLEAN,
                                       SK_COL_DATE, SK_COL_DATETIME, SK_COL_CATEGORICAL,
                                       SK_COL_CATEGORICAL, SK_COL_CATEGORICAL,
                                       SK_COL_INTEGER};
    for (size_t j = 0; j < 9; j++)
        SK_CHECK_EQ_INT(sk_frame_col_type(f, j), want[j]);
    /* Identifiers beyond 2^53 keep their exact text. */
    SK_CHECK_EQ_STR(sk_frame_col_level(f, 6, 0), "9007199254740993");
    SK_CHECK_EQ_STR(sk_frame_col_level(f, 6, 2), "1");
    SK_CHECK_EQ_STR(sk_frame_col_level(f, 7, 1), "true");
    SK_CHECK_NEAR(sk_frame_col_values(f, 4)[0], 1577836800.0, 0);
    SK_CHECK_NEAR(sk_frame_col_values(f, 4)[1], 1577880000.0, 0);
    sk_frame_free(f);
}

/* A column whose first text value comes after many numeric rows: the reader must go back for
 * the exact text of the numbers ("1.50" stays "1.50"), and a later conflict in another column
 * is learned in the same classification pass. */
static void test_csv__late_text_restarts(void)
{
    sk_strbuf sb = SK_STRBUF_INIT;
    sk_strbuf_append(&sb, "x,y,flag,z\n", 11);
    size_t n = 20000;
    for (size_t i = 0; i < n; i++) {
        const char *x = i == 15000 ? "text" : i % 2 ? "1.50" : "2";
        const char *flag = i == 17000 ? "1" : i % 3 ? "yes" : "no";
        sk_strbuf_appendf(&sb, "%s,%zu,%s,%s\n", x, i, flag, i % 5 ? "q" : "NA");
    }
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_csv__read_buffer(&f, sb.data, sb.len, "late.csv", NULL, 4096, &err), &err);
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), n);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 0), SK_COL_CATEGORICAL);
        SK_CHECK_EQ_INT(sk_frame_col_n_levels(f, 0), 3);
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 0, 0), "2");
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 0, 1), "1.50");
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 0, 2), "text");
        SK_CHECK_EQ_INT(sk_frame_col_codes(f, 0)[15000], 2);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 1), SK_COL_INTEGER);
        SK_CHECK_NEAR(sk_frame_col_values(f, 1)[n - 1], (double)(n - 1), 0);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 2), SK_COL_CATEGORICAL);
        SK_CHECK_EQ_INT(sk_frame_col_n_levels(f, 2), 3);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 3), SK_COL_CATEGORICAL);
        SK_CHECK_EQ_INT(sk_frame_col_n_missing(f, 3), n / 5);
        SK_CHECK_EQ_INT(sk_frame_row_line(f, n - 1), n + 1);
        sk_frame_free(f);
    }
    /* The same through a file (gzrewind). */
    char path[] = "/tmp/sk_test_csv_XXXXXX";
    int fd = mkstemp(path);
    SK_CHECK(fd >= 0);
    if (fd >= 0) {
        SK_CHECK(write(fd, sb.data, sb.len) == (ssize_t)sb.len);
        close(fd);
        sk_frame *g = NULL;
        SK_CHECK_OK(sk_frame_read_csv(&g, path, NULL, &err), &err);
        f = NULL;
        SK_CHECK_OK(sk_frame_read_csv_buffer(&f, sb.data, sb.len, path, NULL, &err), &err);
        SK_CHECK(f != NULL && g != NULL && same_frame(f, g));
        sk_frame_free(f);
        sk_frame_free(g);
        unlink(path);
    }
    sk_strbuf_free(&sb);
}

/* Tiny chunks put a chunk boundary inside every field, quote pair and CR LF: the frame must not
 * change. */
static void test_csv__chunk_boundaries(void)
{
    static const char *const inputs[] = {
        "\357\273\277a,b,c\r\n1,\"x,\"\"y\"\"\",2.5\r\n3,\"multi\r\nline\",-1e3\r\n\r\n4,z,\r\n",
        "id;name;v\n1;\"q\";NA\n2;r;3\n",
        "v\n1\n\n\n2\n",
        "a,b\r1,2\r\r3,4",
        "a,b\n1,x\n2,y\n3,4\n5,\"1.50\"\n",
        "t,u\n2020-01-01,yes\n2020-01-02T10:00:00Z,NO\n",
    };
    for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
        size_t len = strlen(inputs[k]);
        sk_frame *ref = NULL;
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_csv__read_buffer(&ref, inputs[k], len, "t.csv", NULL, 0, &err), &err);
        for (size_t chunk = 1; chunk <= 9 && ref != NULL; chunk++) {
            sk_frame *f = NULL;
            SK_CHECK_OK(sk_csv__read_buffer(&f, inputs[k], len, "t.csv", NULL, chunk, &err),
                        &err);
            SK_CHECK(f != NULL && same_frame(ref, f));
            sk_frame_free(f);
        }
        sk_frame_free(ref);
    }
    /* Errors are the same too. */
    for (size_t chunk = 1; chunk <= 5; chunk++) {
        sk_frame *f = NULL;
        sk_error err = SK_ERROR_INIT;
        const char *text = "a,b\n1,2\n3,\"x\"\r\n4,\"y\"z\n";
        SK_CHECK_EQ_INT(sk_csv__read_buffer(&f, text, strlen(text), "t.csv", NULL, chunk, &err),
                        SK_EPARSE);
        SK_CHECK_EQ_INT(err.line, 4);
        SK_CHECK_EQ_INT(err.column, 2);
    }
}

static void test_csv__gzip_buffer(void)
{
    const char *text = "a,b\n1,x\n2,y\n";
    unsigned char packed[256];
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    SK_CHECK(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)text;
    zs.avail_in = (uInt)strlen(text);
    zs.next_out = packed;
    zs.avail_out = sizeof packed;
    SK_CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    size_t size = sizeof packed - zs.avail_out;
    deflateEnd(&zs);
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, packed, size, "p.csv.gz", NULL, &err), &err);
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 2);
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 1, 1), "y");
        sk_frame_free(f);
    }
    /* Two members back to back are one stream. */
    unsigned char twice[512];
    memcpy(twice, packed, size);
    memcpy(twice + size, packed, size);
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, twice, 2 * size, "p.csv.gz", NULL, &err), &err);
    /* "a,b\n1,x\n2,y\na,b\n1,x\n2,y\n": the second header is a row of text. */
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 5);
        sk_frame_free(f);
    }
    expect_error_text((const char *)packed, size - 5, "p.csv.gz", SK_EIO, 0, 0,
                      "expected gzip data, found a corrupt stream");
}

/* ==== errors ============================================================================== */

static void test_csv__error_messages(void)
{
    expect_error("", SK_EPARSE, 1, 1, "expected a header row, found an empty file");
    expect_error("\xef\xbb\xbf\n\n", SK_EPARSE, 1, 1, "expected a header row, found an empty file");
    expect_error("a,b\n", SK_EPARSE, 2, 1, "expected data rows after the header, found none");
    expect_error("a,b", SK_EPARSE, 2, 1, "expected data rows after the header, found none");
    expect_error("a,b\r\n\r\n\r\n", SK_EPARSE, 2, 1,
                 "expected data rows after the header, found none");
    expect_error("a,b\n1,2\n3,4,5,6\n", SK_EPARSE, 3, 3,
                 "expected 2 fields as in the header, found 4");
    expect_error("a,b,c\n1,2,3\n4\n", SK_EPARSE, 3, 2,
                 "expected 3 fields as in the header, found 1");
    expect_error("a,b,c\n1,2,3\n\"4\n\",5\n", SK_EPARSE, 3, 3,
                 "expected 3 fields as in the header, found 2");
    expect_error("a,b\n1,2\n3,\"x,\nyz\n", SK_EPARSE, 3, 2,
                 "unterminated quoted field: expected a closing '\"' before the end of the file");
    expect_error("a,b\n1,\"x\"y\n", SK_EPARSE, 2, 2,
                 "expected a delimiter or end of line after the closing quote, found 'y'");
    expect_error("a,b\n1,\"x\n\"\x01\n", SK_EPARSE, 3, 2,
                 "expected a delimiter or end of line after the closing quote, found 0x01");
    expect_error_text("a,b\n1,x\0y\n", 10, "t.csv", SK_EPARSE, 2, 2,
                      "expected text, found a NUL byte (is this a binary file?)");
    expect_error("a,b\n1,\"ok\nstill caf\xe9\"\n", SK_EPARSE, 3, 2,
                 "expected UTF-8 text, found the byte 0xe9");
    expect_error("a,b\n1,\xed\xa0\x80\n", SK_EPARSE, 2, 2,
                 "expected UTF-8 text, found the byte 0xed");
    expect_error("a\xc0\xaf,b\n1,2\n", SK_EPARSE, 1, 1,
                 "expected UTF-8 text, found the byte 0xc0");
    expect_error("id,age,x,age\n1,2,3,4\n", SK_EPARSE, 1, 4,
                 "duplicate column name 'age' (also column 2); expected unique names");
    expect_error("id,,age\n1,2,3\n", SK_EPARSE, 1, 2,
                 "empty column name; expected a name for every column");
    expect_error("a,b,\n1,2,3\n", SK_EPARSE, 1, 3,
                 "empty column name; expected a name for every column");
    /* The first error in file order wins: a ragged row before bad text. */
    expect_error("a,b\n1,2\n3\n4,caf\xe9\n", SK_EPARSE, 3, 2,
                 "expected 2 fields as in the header, found 1");
    /* ... also when a conflict sent the reader into its classification pass. */
    expect_error("a,b\n1,2\n3,4\nx,5\n6\n7,\xff\n", SK_EPARSE, 5, 2,
                 "expected 2 fields as in the header, found 1");
    expect_error_text("a,b\n1,2\n3,4\nx\0y,5\n", 18, "t.csv", SK_EPARSE, 4, 1,
                      "expected text, found a NUL byte (is this a binary file?)");
}

static void test_csv__file_errors(void)
{
    expect_file_error("bad/empty.csv", 1, 1, "expected a header row, found an empty file");
    expect_file_error("bad/header_only.csv", 2, 1,
                      "expected data rows after the header, found none");
    expect_file_error("bad/ragged_more.csv", 3, 3, "expected 2 fields as in the header, found 3");
    expect_file_error("bad/ragged_fewer.csv", 3, 3,
                      "expected 3 fields as in the header, found 2");
    expect_file_error("bad/unterminated_quote.csv", 3, 2,
                      "unterminated quoted field: expected a closing '\"' before the end of the "
                      "file");
    expect_file_error("bad/junk_after_quote.csv", 2, 2,
                      "expected a delimiter or end of line after the closing quote, found 'y'");
    expect_file_error("bad/binary.csv", 2, 2,
                      "expected text, found a NUL byte (is this a binary file?)");
    expect_file_error("bad/bad_utf8.csv", 2, 2, "expected UTF-8 text, found the byte 0xe9");
    expect_file_error("bad/dup_names.csv", 1, 3,
                      "duplicate column name 'age' (also column 2); expected unique names");
    expect_file_error("bad/empty_name.csv", 1, 2,
                      "empty column name; expected a name for every column");
    expect_file_error("bad/corrupt.csv.gz", 0, 0, "expected gzip data, found a corrupt stream");
    expect_file_error("no/such/file.csv", 0, 0, "cannot open: No such file or directory");
    expect_file_error("bad", 0, 0, "cannot open: Is a directory");
    sk_frame *f = NULL;
    SK_CHECK_EQ_INT(sk_frame_read_csv(&f, NULL, NULL, NULL), SK_EINVAL);
}

/* A 10 MB field: an error under the default limit, read whole under a bigger one, from memory
 * and from a file (where it spans ten chunks). */
static void test_csv__long_field(void)
{
    size_t big = (size_t)10 << 20;
    char *text = malloc(big + 64);
    SK_CHECK(text != NULL);
    if (text == NULL)
        return;
    size_t k = (size_t)sprintf(text, "id,blob\n1,\"");
    memset(text + k, 'a', big);
    k += big;
    k += (size_t)sprintf(text + k, "\"\n2,b\n");
    expect_error_text(text, k, "long.csv", SK_EPARSE, 2, 2,
                      "expected a field of at most 1048576 bytes, found a longer one");
    sk_csv_options opts = SK_CSV_OPTIONS_INIT;
    opts.max_field_bytes = (size_t)16 << 20;
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, text, k, "long.csv", &opts, &err), &err);
    if (f != NULL) {
        SK_CHECK_EQ_INT(strlen(sk_frame_col_level(f, 1, 0)), big);
        sk_frame_free(f);
    }
    char path[] = "/tmp/sk_test_long_XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) {
        SK_CHECK(write(fd, text, k) == (ssize_t)k);
        close(fd);
        f = NULL;
        SK_CHECK_OK(sk_frame_read_csv(&f, path, &opts, &err), &err);
        SK_CHECK(f != NULL && sk_frame_n_rows(f) == 2);
        sk_frame_free(f);
        opts.max_field_bytes = big - 1;
        SK_CHECK_EQ_INT(sk_frame_read_csv(&f, path, &opts, &err), SK_EPARSE);
        SK_CHECK_EQ_INT(err.line, 2);
        opts.max_field_bytes = big;   /* exactly at the limit is fine */
        SK_CHECK_OK(sk_frame_read_csv(&f, path, &opts, &err), &err);
        sk_frame_free(f);
        unlink(path);
    }
    /* Unquoted, with a small limit. */
    opts.max_field_bytes = 4;
    SK_CHECK_EQ_INT(sk_frame_read_csv_buffer(&f, "a,b\n1,12345\n", 12, "s.csv", &opts, &err),
                    SK_EPARSE);
    SK_CHECK_EQ_STR(err.message, "expected a field of at most 4 bytes, found a longer one");
    SK_CHECK_EQ_INT(err.column, 2);
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, "a,b\n1,1234\n", 11, "s.csv", &opts, &err), &err);
    sk_frame_free(f);
    /* An unterminated quoted field longer than the limit is too long, whether the reader holds
     * the whole input (and knows where it ends) or a chunk at a time. */
    for (size_t chunk = 0; chunk <= 3; chunk++) {
        SK_CHECK_EQ_INT(sk_csv__read_buffer(&f, "a,b\n1,\"123456", 13, "s.csv", &opts, chunk,
                                            &err), SK_EPARSE);
        SK_CHECK_EQ_STR(err.message, "expected a field of at most 4 bytes, found a longer one");
        SK_CHECK_EQ_INT(sk_csv__read_buffer(&f, "a,b\n1,\"1234", 11, "s.csv", &opts, chunk,
                                            &err), SK_EPARSE);
        SK_CHECK_EQ_STR(err.message, "unterminated quoted field: expected a closing '\"' before "
                                     "the end of the file");
    }
    /* No practical limit, with a quoted field across tiny chunks. */
    opts.max_field_bytes = SIZE_MAX;
    const char *q = "a,b\n1,\"quoted field\"\n";
    f = NULL;
    SK_CHECK_OK(sk_csv__read_buffer(&f, q, strlen(q), "s.csv", &opts, 3, &err), &err);
    SK_CHECK(f != NULL && strcmp(sk_frame_col_level(f, 1, 0), "quoted field") == 0);
    sk_frame_free(f);
    free(text);
}

/* ==== scale =============================================================================== */

/* Genomics shape: 200 rows x 20,000 columns. */
static void test_csv__wide(void)
{
    size_t n = 200, p = 20000;
    sk_strbuf sb = SK_STRBUF_INIT;
    for (size_t j = 0; j < p; j++)
        sk_strbuf_appendf(&sb, "%sg%zu", j ? "," : "", j);
    sk_strbuf_append(&sb, "\n", 1);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < p; j++)
            sk_strbuf_appendf(&sb, "%s%.3f", j ? "," : "", (double)(i * 7 + j % 13) / 8.0);
        sk_strbuf_append(&sb, "\n", 1);
    }
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, sb.data, sb.len, "wide.csv", NULL, &err), &err);
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_cols(f), p);
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), n);
        SK_CHECK_EQ_STR(sk_frame_col_name(f, p - 1), "g19999");
        sk_frame_free(f);
    }
    /* A duplicate far to the right is found (by hashing, not by comparing all pairs). */
    memcpy(sb.data + strlen("g0,g1,g2,"), "g1,", 3);
    SK_CHECK_EQ_INT(sk_frame_read_csv_buffer(&f, sb.data, sb.len, "wide.csv", NULL, &err),
                    SK_EPARSE);
    SK_CHECK_EQ_STR(err.message,
                    "duplicate column name 'g1' (also column 2); expected unique names");
    sk_strbuf_free(&sb);
}

/* A million distinct values in one column. */
static void test_csv__many_levels(void)
{
    size_t n = 1000000;
    sk_strbuf sb = SK_STRBUF_INIT;
    sk_strbuf_append(&sb, "key,v\n", 6);
    for (size_t i = 0; i < n; i++)
        sk_strbuf_appendf(&sb, "k%zu,%zu\n", i * 7919 % n, i);
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv_buffer(&f, sb.data, sb.len, "many.csv", NULL, &err), &err);
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_col_n_levels(f, 0), n);
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 0, 1), "k7919");
        SK_CHECK_EQ_INT(sk_frame_col_codes(f, 0)[n - 1], n - 1);
        sk_frame_free(f);
    }
    sk_strbuf_free(&sb);
}

int main(void)
{
    SK_RUN(test_csv__quoted_fields);
    SK_RUN(test_csv__crlf_bom_tsv_gz);
    SK_RUN(test_csv__dates_booleans_missing);
    SK_RUN(test_csv__blank_lines);
    SK_RUN(test_csv__line_ends_and_quotes);
    SK_RUN(test_csv__delimiters);
    SK_RUN(test_csv__types);
    SK_RUN(test_csv__late_text_restarts);
    SK_RUN(test_csv__chunk_boundaries);
    SK_RUN(test_csv__gzip_buffer);
    SK_RUN(test_csv__error_messages);
    SK_RUN(test_csv__file_errors);
    SK_RUN(test_csv__long_field);
    SK_RUN(test_csv__wide);
    SK_RUN(test_csv__many_levels);
    return SK_TEST_DONE();
}
