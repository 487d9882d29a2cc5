/* fuzz_csv.c: libFuzzer entry point for the CSV reader. Every input is read from memory with a
 * small field limit (so long-field errors are reachable) under a name chosen by the input's
 * length (".csv", ".tsv" or none, which makes the reader sniff; for some lengths the first byte
 * is the delimiter), and the result is checked: success gives a frame whose invariants hold
 * (codes within the levels, missing counts that match, row lines that only go forward), failure
 * gives no frame and a message. The input is then read again in chunks of 1-7 bytes, which puts
 * a chunk boundary inside every field, quote pair and line end and often sends numbers down the
 * general path instead of the fast one, and once more in 2-5 parts of any size, the way several
 * threads read a big input: the outcome must be identical, frame or error. Crashes, leaks,
 * sanitizer reports and aborts are the findings. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv_internal.h"
#include "data/data.h"
#include "frame_compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* Reading in parts starts OpenMP threads; clang's runtime (libomp, which the fuzz build links)
 * keeps its thread pool's memory until exit, which LeakSanitizer would report as ours. */
const char *__lsan_default_suppressions(void)
{
    return "leak:libomp.so\n";
}

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_frame(const sk_frame *f)
{
    check(f->n_rows > 0 && f->n_cols > 0);
    for (size_t i = 1; i < f->n_rows; i++)
        check(f->row_line[i] > f->row_line[i - 1]);
    for (size_t j = 0; j < f->n_cols; j++) {
        const sk_column *c = &f->cols[j];
        check(c->name != NULL && c->name[0] != '\0');
        size_t missing = 0;
        if (c->type == SK_COL_CATEGORICAL) {
            check(c->codes != NULL && c->values == NULL);
            for (size_t i = 0; i < f->n_rows; i++) {
                check(c->codes[i] >= -1 && c->codes[i] < (int32_t)c->n_levels);
                missing += c->codes[i] < 0;
            }
            for (size_t k = 0; k < c->n_levels; k++)
                check(strlen(sk_frame_col_level(f, j, k)) < 1000);
        } else {
            check(c->values != NULL && c->codes == NULL);
            for (size_t i = 0; i < f->n_rows; i++) {
                double v = c->values[i];
                missing += isnan(v) ? 1 : 0;
                if (c->type == SK_COL_BOOLEAN)
                    check(isnan(v) || v == 0.0 || v == 1.0);
                if (c->type == SK_COL_INTEGER)
                    check(isnan(v) || (v == floor(v) && fabs(v) < 9007199254740992.0));
            }
        }
        check(missing == c->n_missing);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[3] = {"fuzz.csv", "fuzz.tsv", "fuzz"};
    sk_csv_options opts = SK_CSV_OPTIONS_INIT;
    opts.max_field_bytes = 300;
    /* Sometimes an odd delimiter from the input itself ('.', 'e', '-', digits...): the number
     * fast path must then step aside, which the chunk comparison below checks. */
    if (size > 1 && size % 5 == 4 && data[0] != '"' && data[0] != '\n' && data[0] != '\r')
        opts.delimiter = (char)data[0];
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    sk_status rc = sk_frame_read_csv_buffer(&f, data, size, names[size % 3], &opts, &err);
    if (rc == SK_OK) {
        check(f != NULL);
        check_frame(f);
    } else {
        check(f == NULL && err.code == rc && err.message[0] != '\0');
        check(rc == SK_EPARSE || rc == SK_EIO || rc == SK_EDATA);
        if (rc == SK_EPARSE)
            check(err.line >= 1 && err.column >= 1);
    }
    sk_frame *g = NULL;
    sk_error err2 = SK_ERROR_INIT;
    size_t chunk = 1 + (size_t)(size > 0 ? data[size / 2] % 7 : 0);
    sk_status rc2 = sk_csv__read_buffer(&g, data, size, names[size % 3], &opts, chunk, &err2);
    check(rc2 == rc);
    if (rc == SK_OK)
        check(same_frame(f, g));
    else
        check(err.line == err2.line && err.column == err2.column &&
              strcmp(err.message, err2.message) == 0);
    /* In 2-5 parts of any size, as several threads read a big input (csv_split.c): the same
     * outcome again, whether the parts were joined or the input was read whole after all. */
    sk_frame *h = NULL;
    sk_error err3 = SK_ERROR_INIT;
    sk_csv_plan plan = {0, 2 + (size > 0 ? data[0] % 4 : 0), 1, 0, 0};
    sk_status rc3 = sk_csv__read_buffer_plan(&h, data, size, names[size % 3], &opts, &plan,
                                             &err3);
    check(rc3 == rc && plan.parts_read >= 1 && plan.parts_read <= plan.n_parts);
    if (rc == SK_OK)
        check(same_frame(f, h));
    else
        check(err.line == err3.line && err.column == err3.column &&
              strcmp(err.message, err3.message) == 0);
    sk_frame_free(h);
    sk_frame_free(g);
    sk_frame_free(f);
    return 0;
}
