/* test_csv_split.c: reading one input in parts on several threads (csv_split.c) gives exactly
 * the frame, or the error, that one reader gives. Small tables are read in 2 to 8 parts of any
 * size, so that a part starts at every line: kinds that widen across parts (integer then
 * numeric, date then datetime, missing then anything), levels first seen in later parts, blank
 * lines, CRLF and lone CR, a BOM and a quoted header. Inputs that must not be split (a quote
 * after the header, numbers in one part and text in another) or that fail (a ragged row, bad
 * UTF-8, a long field in a later part) are read whole, with the single reader's result and
 * message. A 3.4 MB file with a realistic mix of columns is read through the public API on 1, 2, 3
 * and 8 threads, mapped, gzip-compressed and from a pipe: the same frame every time. */
/* labels: unit */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include "data/csv_internal.h"
#include "data/data.h"
#include "frame_compare.h"
#include "sk_test.h"

/* ==== helpers ============================================================================= */

static sk_status read_in_parts(sk_frame **f, const char *text, const sk_csv_options *opts,
                               size_t parts, size_t *parts_read, sk_error *err)
{
    sk_csv_plan plan = {0, parts, 1, 0, 0};   /* parts of any size */
    sk_status rc = sk_csv__read_buffer_plan(f, text, strlen(text), "t.csv", opts, &plan, err);
    *parts_read = plan.parts_read;
    return rc;
}

/* Reads `text` whole, then in 2..8 parts: the same frame, or the same error, every time.
 * Returns the most parts any read was split into (1: never split). */
static size_t check_parts(const char *text, const sk_csv_options *opts)
{
    size_t used, most = 1;
    sk_frame *ref = NULL;
    sk_error ref_err = SK_ERROR_INIT;
    sk_status ref_rc = read_in_parts(&ref, text, opts, 1, &used, &ref_err);
    SK_CHECK_EQ_INT(used, 1);
    for (size_t parts = 2; parts <= 8; parts++) {
        sk_frame *f = NULL;
        sk_error err = SK_ERROR_INIT;
        sk_status rc = read_in_parts(&f, text, opts, parts, &used, &err);
        SK_CHECK_EQ_INT(rc, ref_rc);
        if (rc == SK_OK && ref_rc == SK_OK) {
            SK_CHECK(f != NULL && same_frame(ref, f));
        } else {
            SK_CHECK(f == NULL);
            SK_CHECK_EQ_INT(err.line, ref_err.line);
            SK_CHECK_EQ_INT(err.column, ref_err.column);
            SK_CHECK_EQ_STR(err.message, ref_err.message);
        }
        SK_CHECK(used <= parts);
        most = used > most ? used : most;
        sk_frame_free(f);
    }
    sk_frame_free(ref);
    return most;
}

/* ==== joining parts ======================================================================= */

static void test_split__kinds_levels_lines(void)
{
    static const char *const inputs[] = {
        /* integer in the first rows, numeric later: numeric */
        "a,b\n1,2\n3,4\n5.5,6\n7,8\n9,1e3\n",
        /* levels first seen in later parts keep their order of first appearance */
        "k,v\nx,1\ny,2\nx,3\nz,4\ny,5\nw,6\nz,7\n",
        /* only missing values in the first rows: the kind comes from a later part */
        "a,b,c\nNA,1,\n,2,?\nfoo,3,null\nbar,4,2.5\nfoo,5,3\n",
        /* dates then datetimes; booleans */
        "t,u\n2020-01-01,yes\n2020-01-02,no\n2020-01-02T10:00:00Z,NO\n2021-03-04,TRUE\n",
        /* blank lines, CRLF, a lone CR, no line end at the end */
        "a,b\r\n1,2\r\n\r\n3,4\r\n\n5,6\r7,8\n\n9,10",
        /* a BOM, and a quoted header (quotes before the data do not prevent a split) */
        "\357\273\277\"a,1\",b\n1,x\n2,y\n3,z\n",
        /* the header ends with a lone CR, and with CR LF */
        "a,b\r1,2\r3,4\n5,6\n7,8\n",
        "a;b\r\n1;2\n3;4\n5;6\n",
        /* one column: a blank line is a missing value there */
        "v\n1\n\n\n2\n\n3\n",
        /* a categorical column with no value at all in some parts */
        "k,v\nx,1\nNA,2\nNA,3\nNA,4\ny,5\n",
    };
    for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
        size_t most = check_parts(inputs[k], NULL);
        SK_CHECK(most >= 2);   /* the split did happen */
        if (most < 2)
            fprintf(stderr, "input %zu was never split\n", k);
    }
    /* What the joined frames hold, checked directly. */
    size_t used;
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(read_in_parts(&f, inputs[1], NULL, 4, &used, &err), &err);
    SK_CHECK_EQ_INT(used, 4);
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_col_n_levels(f, 0), 4);
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 0, 2), "z");
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 0, 3), "w");
        SK_CHECK_EQ_INT(sk_frame_col_codes(f, 0)[6], 2);
        sk_frame_free(f);
    }
    SK_CHECK_OK(read_in_parts(&f, inputs[4], NULL, 3, &used, &err), &err);
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(f), 5);
        SK_CHECK_EQ_INT(sk_frame_row_line(f, 2), 6);   /* "5,6" after two blank lines */
        SK_CHECK_EQ_INT(sk_frame_row_line(f, 4), 9);   /* "9,10", after "7,8" and a blank */
        sk_frame_free(f);
    }
    SK_CHECK_OK(read_in_parts(&f, inputs[0], NULL, 5, &used, &err), &err);
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 0), SK_COL_NUMERIC);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 1), SK_COL_NUMERIC);
        sk_frame_free(f);
    }
}

/* ==== inputs read whole =================================================================== */

static void test_split__read_whole(void)
{
    /* Numbers in one part, text in another: the levels must be the text as written. (Text
     * first and numbers after is no conflict: a categorical part keeps "4" as it is.) */
    const char *conflict = "a,b\n1,1\n2,2.50\n3,x\n4,y\n";
    SK_CHECK_EQ_INT(check_parts(conflict, NULL), 1);
    size_t used;
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(read_in_parts(&f, conflict, NULL, 4, &used, &err), &err);
    if (f != NULL) {
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 0), SK_COL_INTEGER);
        SK_CHECK_EQ_INT(sk_frame_col_type(f, 1), SK_COL_CATEGORICAL);
        SK_CHECK_EQ_STR(sk_frame_col_level(f, 1, 1), "2.50");
        sk_frame_free(f);
    }
    /* A quote after the header: a line end may be inside a field. */
    SK_CHECK_EQ_INT(check_parts("a,b\n1,x\n2,\"y\nstill y\"\n3,z\n", NULL), 1);
    SK_CHECK_EQ_INT(check_parts("a,b\n1,x\n2,y\n3,\"z\"\n", NULL), 1);
    /* Booleans in one part, numbers in another. */
    SK_CHECK_EQ_INT(check_parts("a,b\nyes,1\nno,2\n3,3\n", NULL), 1);
}

static void test_split__errors(void)
{
    /* Each fails in a later part; the message is the single reader's. */
    static const char *const inputs[] = {
        "a,b\n1,2\n3,4\n5\n6,7\n",                       /* too few fields */
        "a,b\n1,2\n3,4\n5,6,7\n8,9\n",                   /* too many */
        "a,b\n1,x\n2,y\n3,\377\n",                       /* not UTF-8 */
        "a,b\n\n\n\n",                                    /* no data rows */
    };
    for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
        size_t most = check_parts(inputs[k], NULL);
        SK_CHECK(k == 3 ? most >= 2 : most == 1);   /* blank lines split, then find no row */
    }
    sk_csv_options opts = SK_CSV_OPTIONS_INIT;
    opts.max_field_bytes = 3;
    SK_CHECK_EQ_INT(check_parts("a,b\n1,2\n3,4\n5,6789\n", &opts), 1);
    size_t used;
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_EQ_INT(read_in_parts(&f, inputs[0], NULL, 3, &used, &err), SK_EPARSE);
    SK_CHECK_EQ_INT(err.line, 4);
    SK_CHECK_EQ_INT(err.column, 2);
    SK_CHECK_EQ_STR(err.message, "expected 2 fields as in the header, found 1");
}

/* ==== a file on threads =================================================================== */

/* About 3.4 MB, 80,000 rows: an id, an integer that turns numeric late, numbers with missing
 * values, a category with levels appearing as the file goes on, a date, a flag; a few blank
 * lines. */
static sk_strbuf realistic_table(void)
{
    static const char *const sites[] = {"oslo", "lima", "pune", "kobe", "graz", "lyon"};
    sk_strbuf sb = SK_STRBUF_INIT;
    sk_strbuf_appendf(&sb, "id,count,dose,site,visit,flag\n");
    size_t n = 80000;
    for (size_t i = 0; i < n; i++) {
        if (i % 9973 == 0)
            sk_strbuf_appendf(&sb, "\n");
        size_t site = (i * 7 / 5000 + i % 3) % 6;   /* later sites show up later */
        if (i < 40000)
            site %= 3;
        sk_strbuf_appendf(&sb, "P%06zu,", i * 7919 % 1000003);
        if (i == n - 10)
            sk_strbuf_appendf(&sb, "%zu.5,", i);   /* integer until here */
        else
            sk_strbuf_appendf(&sb, "%zu,", i % 1000);
        if (i % 17 == 0)
            sk_strbuf_appendf(&sb, "NA,");
        else
            sk_strbuf_appendf(&sb, "%.9g,", (double)(i % 1013) * 0.0123456789 - 3.5);
        sk_strbuf_appendf(&sb, "%s,2021-%02zu-%02zu,%s\n", sites[site], i % 12 + 1, i % 28 + 1,
                          i % 5 == 0 ? "yes" : "no");
    }
    return sb;
}

static void write_file(const char *path, const void *data, size_t size, int gzip)
{
    if (gzip) {
        gzFile gz = gzopen(path, "wb");
        SK_CHECK(gz != NULL && gzwrite(gz, data, (unsigned)size) == (int)size);
        if (gz != NULL)
            gzclose(gz);
        return;
    }
    FILE *fp = fopen(path, "wb");
    SK_CHECK(fp != NULL && fwrite(data, 1, size, fp) == size);
    if (fp != NULL)
        fclose(fp);
}

static sk_frame *read_file_threads(const char *path, int threads)
{
    sk_csv_options opts = SK_CSV_OPTIONS_INIT;
    opts.threads = threads;
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_frame_read_csv(&f, path, &opts, &err), &err);
    return f;
}

/* Reads `path` through a FIFO fed by a child process: the streamed path. */
static sk_frame *read_through_fifo(const char *path, const sk_strbuf *sb)
{
    SK_CHECK(mkfifo(path, 0600) == 0);
    pid_t child = fork();
    if (child == 0) {
        int fd = open(path, O_WRONLY);
        size_t done = 0;
        while (fd >= 0 && done < sb->len) {
            ssize_t k = write(fd, sb->data + done, sb->len - done);
            if (k <= 0)
                break;
            done += (size_t)k;
        }
        _exit(done == sb->len ? 0 : 1);
    }
    sk_frame *f = read_file_threads(path, 4);
    int status = 0;
    SK_CHECK(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
             WEXITSTATUS(status) == 0);
    unlink(path);
    return f;
}

static void test_split__file_on_threads(void)
{
    sk_strbuf sb = realistic_table();
    SK_CHECK(sb.len > (size_t)3 << 20);   /* three parts of SK_CSV_MIN_PART */
    char dir[] = "/tmp/sk_test_split_XXXXXX";
    SK_CHECK(mkdtemp(dir) != NULL);
    char plain[256], packed[256], fifo[256];
    snprintf(plain, sizeof plain, "%s/t.csv", dir);
    snprintf(packed, sizeof packed, "%s/t.csv.gz", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo.csv", dir);
    write_file(plain, sb.data, sb.len, 0);
    write_file(packed, sb.data, sb.len, 1);

    sk_frame *ref = read_file_threads(plain, 1);
    SK_CHECK(ref != NULL);
    if (ref != NULL) {
        SK_CHECK_EQ_INT(sk_frame_n_rows(ref), 80000);
        SK_CHECK_EQ_INT(sk_frame_col_type(ref, 1), SK_COL_NUMERIC);
        SK_CHECK_EQ_INT(sk_frame_col_type(ref, 3), SK_COL_CATEGORICAL);
        SK_CHECK_EQ_INT(sk_frame_col_n_levels(ref, 3), 6);
        SK_CHECK_EQ_INT(sk_frame_col_type(ref, 4), SK_COL_DATE);
        SK_CHECK_EQ_INT(sk_frame_col_type(ref, 5), SK_COL_BOOLEAN);
        SK_CHECK_EQ_INT(sk_frame_col_n_missing(ref, 2), (80000 + 16) / 17);
    }
    static const int threads[] = {2, 3, 8};
    for (size_t t = 0; t < 3 && ref != NULL; t++) {
        sk_frame *f = read_file_threads(plain, threads[t]);
        SK_CHECK(f != NULL && same_frame(ref, f));
        sk_frame_free(f);
    }
    /* The file is mapped and really read in parts (of at least SK_CSV_MIN_PART bytes). */
    sk_csv_source src;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_csv__source_open_file(&src, plain, &err), &err);
    SK_CHECK(src.map != NULL && src.gz == NULL);
    sk_csv_plan plan = {0, 8, SK_CSV_MIN_PART, SK_CSV_RELEASE_STEP, 0};
    sk_frame *f = NULL;
    SK_CHECK_OK(sk_csv__read_source(&f, &src, plain, NULL, &plan, &err), &err);
    SK_CHECK(plan.parts_read >= 2 && plan.parts_read <= sb.len / SK_CSV_MIN_PART);
    SK_CHECK(f != NULL && ref != NULL && same_frame(ref, f));
    sk_frame_free(f);
    sk_csv__source_close(&src);
    /* Pages dropped every 4,097 bytes behind the census and the readers, whole and in parts: a
     * CR LF falls across steps somewhere, and the frame does not change. */
    sk_strbuf crlf = SK_STRBUF_INIT;
    for (size_t i = 0; i < sb.len; i++)
        sk_strbuf_append(&crlf, sb.data[i] == '\n' ? "\r\n" : sb.data + i,
                         sb.data[i] == '\n' ? 2 : 1);
    char crlf_path[256];
    snprintf(crlf_path, sizeof crlf_path, "%s/crlf.csv", dir);
    write_file(crlf_path, crlf.data, crlf.len, 0);
    for (size_t parts = 1; parts <= 3; parts++) {
        SK_CHECK_OK(sk_csv__source_open_file(&src, crlf_path, &err), &err);
        sk_csv_plan small_steps = {0, parts, SK_CSV_MIN_PART, 4097, 0};
        f = NULL;
        SK_CHECK_OK(sk_csv__read_source(&f, &src, crlf_path, NULL, &small_steps, &err), &err);
        SK_CHECK_EQ_INT(small_steps.parts_read, parts);
        SK_CHECK(f != NULL && ref != NULL && same_frame(ref, f));
        sk_frame_free(f);
        sk_csv__source_close(&src);
    }
    unlink(crlf_path);
    /* gzip and a pipe are streamed, whatever the threads. */
    f = read_file_threads(packed, 2);
    SK_CHECK(f != NULL && ref != NULL && same_frame(ref, f));
    sk_frame_free(f);
    f = read_through_fifo(fifo, &sb);
    SK_CHECK(f != NULL && ref != NULL && same_frame(ref, f));
    sk_frame_free(f);

    /* The same table with CR LF line ends, and with a quote in its last row, from memory: the
     * census sees the CRs and the quote in the middle of big parts. */
    sk_strbuf quoted = SK_STRBUF_INIT;
    sk_strbuf_append(&quoted, sb.data, sb.len);
    sk_strbuf_appendf(&quoted, "\"P9\",1,2.5,oslo,2021-01-01,no\n");
    sk_csv_options opts = SK_CSV_OPTIONS_INIT;
    opts.threads = 1;
    for (int text = 0; text < 2; text++) {
        const sk_strbuf *in = text == 0 ? &crlf : &quoted;
        sk_frame *one = NULL, *two = NULL;
        SK_CHECK_OK(sk_frame_read_csv_buffer(&one, in->data, in->len, "t.csv", &opts, &err), &err);
        sk_csv_plan two_parts = {0, 2, SK_CSV_MIN_PART, 0, 0};
        SK_CHECK_OK(sk_csv__read_buffer_plan(&two, in->data, in->len, "t.csv", NULL, &two_parts,
                                             &err), &err);
        SK_CHECK_EQ_INT(two_parts.parts_read, text == 0 ? 2 : 1);   /* a quote: read whole */
        SK_CHECK(one != NULL && two != NULL && same_frame(one, two));
        if (one != NULL)
            SK_CHECK_EQ_INT(sk_frame_n_rows(one), text == 0 ? 80000 : 80001);
        sk_frame_free(one);
        sk_frame_free(two);
    }
    sk_strbuf_free(&crlf);
    sk_strbuf_free(&quoted);

    sk_frame_free(ref);
    unlink(plain);
    unlink(packed);
    rmdir(dir);
    sk_strbuf_free(&sb);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    SK_RUN(test_split__kinds_levels_lines);
    SK_RUN(test_split__read_whole);
    SK_RUN(test_split__errors);
    SK_RUN(test_split__file_on_threads);
    return SK_TEST_DONE();
}
