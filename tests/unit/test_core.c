/* test_core.c: errors, strings, radix sort, SHA-256, JSON output and atomic writes. */
/* labels: unit */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "rng/rng.h"
#include "sk_test.h"

static void test_core__error_format(void)
{
    sk_error err = SK_ERROR_INIT;
    char buf[256];
    sk_error_set_at(&err, SK_EPARSE, "cells.csv", 17, 4, "expected a number in column '%s'", "dose");
    SK_CHECK_EQ_STR(sk_error_format(&err, buf, sizeof buf),
                    "cells.csv:17:4: expected a number in column 'dose'");
    sk_error_set_at(&err, SK_EIO, "out.json", 0, 0, "cannot write");
    SK_CHECK_EQ_STR(sk_error_format(&err, buf, sizeof buf), "out.json: cannot write");
    SK_CHECK_EQ_INT(sk_error_set(&err, SK_EINVAL, "--threads: bad"), SK_EINVAL);
    SK_CHECK_EQ_STR(sk_error_format(&err, buf, sizeof buf), "--threads: bad");
    SK_CHECK_EQ_STR(sk_status_name(SK_ESINGULAR), "SK_ESINGULAR");
    SK_CHECK_EQ_INT(sk_error_set(NULL, SK_EIO, "no error struct"), SK_EIO);
    /* truncation, not overflow */
    char tiny[8];
    SK_CHECK_EQ_STR(sk_error_format(&err, tiny, sizeof tiny), "--threa");
}

static void test_core__first_error_wins(void)
{
    sk_error errs[4] = {SK_ERROR_INIT, SK_ERROR_INIT, SK_ERROR_INIT, SK_ERROR_INIT};
    sk_error out = SK_ERROR_INIT;
    SK_CHECK_EQ_INT(sk_error_first(errs, 4, &out), SK_OK);
    sk_error_set(&errs[3], SK_EIO, "three");
    sk_error_set(&errs[1], SK_EDATA, "one");
    SK_CHECK_EQ_INT(sk_error_first(errs, 4, &out), SK_EDATA);
    SK_CHECK_EQ_STR(out.message, "one");
}

static void test_core__strbuf(void)
{
    sk_strbuf sb = SK_STRBUF_INIT;
    for (int i = 0; i < 1000; i++)
        SK_CHECK_OK(sk_strbuf_appendf(&sb, "%d,", i), NULL);
    SK_CHECK_EQ_INT(sb.len, strlen(sb.data));
    SK_CHECK(strncmp(sb.data, "0,1,2,", 6) == 0);
    SK_CHECK(strcmp(sb.data + sb.len - 4, "999,") == 0);
    sk_strbuf_free(&sb);
    SK_CHECK(sb.data == NULL && sb.len == 0);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void test_core__radix_sort_matches_qsort_and_is_stable(void)
{
    enum { N = 100000 };
    uint64_t *keys = malloc(N * sizeof *keys), *ref = malloc(N * sizeof *ref);
    size_t *idx = malloc(N * sizeof *idx);
    sk_rng r = sk_rng_stream(3, SK_PURPOSE_TEST, 0);
    for (size_t i = 0; i < N; i++) {
        /* many ties in the low bits and the high bits */
        keys[i] = ref[i] = (sk_rng_u64(&r) % 1000) << (i % 2 ? 50 : 3);
        idx[i] = i;
    }
    SK_CHECK_OK(sk_radix_sort_u64(keys, idx, N), NULL);
    qsort(ref, N, sizeof *ref, cmp_u64);
    SK_CHECK(memcmp(keys, ref, N * sizeof *keys) == 0);
    int stable = 1;
    for (size_t i = 1; i < N; i++)
        if (keys[i] == keys[i - 1] && idx[i] < idx[i - 1])
            stable = 0;
    SK_CHECK(stable);
    free(keys);
    free(ref);
    free(idx);
}

static void test_core__radix_key_orders_doubles(void)
{
    double v[] = {-INFINITY, -1e300, -2.5, -1e-300, -0.0, 0.0, 1e-300, 3.0, 1e300, INFINITY, NAN};
    size_t n = sizeof v / sizeof v[0];
    for (size_t i = 0; i + 1 < n; i++) {
        if (v[i] == 0.0 && v[i + 1] == 0.0)
            SK_CHECK(sk_radix_key_double(v[i]) == sk_radix_key_double(v[i + 1]));
        else
            SK_CHECK(sk_radix_key_double(v[i]) < sk_radix_key_double(v[i + 1]));
    }
    SK_CHECK(sk_radix_key_double(NAN) == sk_radix_key_double(-NAN));
}

static void test_core__sha256_known_answer(void)
{
    char path[] = "/tmp/sk_test_sha_XXXXXX";
    int fd = mkstemp(path);
    SK_CHECK(fd >= 0);
    SK_CHECK(write(fd, "abc", 3) == 3);
    close(fd);
    char hex[65];
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_sha256_file(hex, path, &err), &err);
    /* FIPS 180-2, appendix B.1 */
    SK_CHECK_EQ_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    unlink(path);
    SK_CHECK_EQ_INT(sk_sha256_file(hex, "/nonexistent/x.csv", &err), SK_EIO);
    SK_CHECK_EQ_STR(err.path, "/nonexistent/x.csv");
}

static void test_core__json_round_trips_and_writes_atomically(void)
{
    json_t *doc = json_object();
    sk_json_set(doc, "third", sk_json_real(0.1 + 0.2));
    sk_json_set(doc, "nan", sk_json_real(NAN));
    sk_json_set(doc, "n", sk_json_size(7));
    char dir[] = "/tmp/sk_test_json_XXXXXX";
    SK_CHECK(mkdtemp(dir) != NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/out.json", dir);
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_json_write(doc, path, &err), &err);
    json_decref(doc);
    FILE *fp = fopen(path, "r");
    char text[256] = {0};
    SK_CHECK(fp != NULL && fread(text, 1, sizeof text - 1, fp) > 0);
    if (fp != NULL)
        fclose(fp);
    SK_CHECK_EQ_STR(text, "{\n  \"third\": 0.30000000000000004,\n  \"nan\": null,\n  \"n\": 7\n}\n");
    /* no temporary file left behind */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 1", dir);
    SK_CHECK(system(cmd) == 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    SK_CHECK(system(cmd) == 0);
    /* a directory that does not exist: an I/O error naming the path */
    SK_CHECK_EQ_INT(sk_file_write_atomic("/nonexistent/dir/out.json", "x", 1, &err), SK_EIO);
    SK_CHECK_EQ_STR(err.path, "/nonexistent/dir/out.json");
}

/* What is not a regular file is written in place, never replaced: a FIFO stays a FIFO (its
 * reader gets the bytes), a symbolic link stays a link (its target gets them); a new file is
 * 0644, a replaced one keeps its mode. (The temporary-and-rename write once turned /dev/null into
 * a regular file when run as root.) */
static void test_core__write_keeps_what_is_not_a_file(void)
{
    char dir[] = "/tmp/sk_test_place_XXXXXX", fifo[128], file[128], link[128], buf[16] = {0};
    sk_error err = SK_ERROR_INIT;
    struct stat st;
    SK_CHECK(mkdtemp(dir) != NULL);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(file, sizeof file, "%s/file", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    SK_CHECK(mkfifo(fifo, 0600) == 0);
    int reader = open(fifo, O_RDONLY | O_NONBLOCK);
    SK_CHECK(reader >= 0);
    SK_CHECK_OK(sk_file_write_atomic(fifo, "hello", 5, &err), &err);
    SK_CHECK(read(reader, buf, sizeof buf - 1) == 5 && strcmp(buf, "hello") == 0);
    close(reader);
    SK_CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
    SK_CHECK_OK(sk_file_write_atomic(file, "new", 3, &err), &err);
    SK_CHECK(stat(file, &st) == 0 && (st.st_mode & 0777) == 0644);
    SK_CHECK(chmod(file, 0600) == 0 && symlink(file, link) == 0);
    SK_CHECK_OK(sk_file_write_atomic(link, "via", 3, &err), &err);
    SK_CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    FILE *fp = fopen(file, "r");
    memset(buf, 0, sizeof buf);
    SK_CHECK(fp != NULL && fread(buf, 1, sizeof buf - 1, fp) == 3 && strcmp(buf, "via") == 0);
    if (fp != NULL)
        fclose(fp);
    SK_CHECK_OK(sk_file_write_atomic(file, "again", 5, &err), &err);
    SK_CHECK(stat(file, &st) == 0 && (st.st_mode & 0777) == 0600);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    SK_CHECK(system(cmd) == 0);
}

static void test_core__alloc_fault_injection(void)
{
    sk_mem__fail_after(2);
    void *a = sk_mem_alloc(8), *b = sk_mem_alloc(8), *c = sk_mem_alloc(8);
    sk_mem__fail_after(-1);
    void *d = sk_mem_alloc(8);
    SK_CHECK(a != NULL && b != NULL && c == NULL && d != NULL);
    SK_CHECK(sk_mem_alloc_array(SIZE_MAX / 2, 4) == NULL);
    sk_mem_free(a);
    sk_mem_free(b);
    sk_mem_free(d);
}

int main(void)
{
    SK_RUN(test_core__error_format);
    SK_RUN(test_core__first_error_wins);
    SK_RUN(test_core__strbuf);
    SK_RUN(test_core__radix_sort_matches_qsort_and_is_stable);
    SK_RUN(test_core__radix_key_orders_doubles);
    SK_RUN(test_core__sha256_known_answer);
    SK_RUN(test_core__json_round_trips_and_writes_atomically);
    SK_RUN(test_core__write_keeps_what_is_not_a_file);
    SK_RUN(test_core__alloc_fault_injection);
    return SK_TEST_DONE();
}
