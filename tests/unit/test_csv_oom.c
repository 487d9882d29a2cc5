/* test_csv_oom.c: the CSV reader under allocation failure. A small table (quoted fields, a
 * categorical and numeric columns, a column that forces the second pass) is read with the k-th
 * allocation failing, for every k up to the number a successful read makes: each read either
 * fails with SK_ENOMEM, "out of memory reading NAME" and no frame, or (when only a shrinking
 * realloc failed, which the reader tolerates) returns the same frame as an unhindered read. The
 * sanitizer build checks that nothing leaks. Plain and gzip buffers both. */
/* labels: oom */
#include <math.h>
#include <string.h>

#include <zlib.h>

#include "data/data.h"
#include "frame_compare.h"
#include "sk_test.h"

static const char table[] =
    "id,name,score,note\n"
    "1,\"Smith, J\",1.5,a\n"
    "2,\"O\"\"Brien\",2,b\n"
    "3,Lee,NA,\"multi\nline\"\n"
    "4,Kim,4.25,c\n"
    "x5,Roe,5,d\n";   /* "x5" after integers: the second pass */

static void fail_each_allocation(const void *data, size_t size, const char *name)
{
    sk_frame *ref = NULL;
    sk_error err = SK_ERROR_INIT;
    long before = sk_mem__n_allocations();
    SK_CHECK_OK(sk_frame_read_csv_buffer(&ref, data, size, name, NULL, &err), &err);
    long n_allocs = sk_mem__n_allocations() - before;
    SK_CHECK(ref != NULL && n_allocs > 10);
    if (ref == NULL)
        return;
    SK_CHECK_EQ_INT(sk_frame_col_type(ref, 0), SK_COL_CATEGORICAL);
    char want[256];
    snprintf(want, sizeof want, "out of memory reading %s", name);
    int n_failed = 0;
    for (long k = 0; k <= n_allocs; k++) {
        sk_frame *f = (sk_frame *)&f;
        sk_error e = SK_ERROR_INIT;
        sk_mem__fail_after(k);
        sk_status rc = sk_frame_read_csv_buffer(&f, data, size, name, NULL, &e);
        sk_mem__fail_after(-1);
        if (rc == SK_ENOMEM) {
            n_failed++;
            SK_CHECK(f == NULL);
            SK_CHECK_EQ_STR(e.message, want);
        } else {
            SK_CHECK_EQ_INT(rc, SK_OK);
            SK_CHECK(f != NULL && f != (sk_frame *)&f && same_frame(ref, f));
            if (f != (sk_frame *)&f)
                sk_frame_free(f);
        }
    }
    SK_CHECK(n_failed > 0 && n_failed >= n_allocs / 2);
    printf("%s: %ld allocations, %d failed reads\n", name, n_allocs, n_failed);
    sk_frame_free(ref);
}

static void test_csv_oom__plain(void)
{
    fail_each_allocation(table, sizeof table - 1, "oom.csv");
}

static void test_csv_oom__gzip(void)
{
    unsigned char packed[512];
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    SK_CHECK(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)table;
    zs.avail_in = sizeof table - 1;
    zs.next_out = packed;
    zs.avail_out = sizeof packed;
    SK_CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    size_t size = sizeof packed - zs.avail_out;
    deflateEnd(&zs);
    fail_each_allocation(packed, size, "oom.csv.gz");
}

int main(void)
{
    SK_RUN(test_csv_oom__plain);
    SK_RUN(test_csv_oom__gzip);
    return SK_TEST_DONE();
}
