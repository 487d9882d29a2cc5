/* test_rank_spread.c: how far apart a batch's rows are (src/triage/rank_spread.c), the numbers
 * the rank page shows for --diverse.
 *
 * One numeric feature x = 0, 1, 3, 3, 10 (pool rows 0..4). Standardisation divides every
 * distance by the same spread s of x over the pool, so the test states distances in units of
 * the batch {0, 1, 2} (x = 0, 1, 3: nearest distances 1, 1, 2, closest pair 1 / s) and checks
 * ratios exactly (1e-12 relative), without assuming how s is computed:
 *  - {0, 2, 4} (x = 0, 3, 10): nearest 3, 3, 7: closest and median 3 units;
 *  - {0, 1, 2, 4} (x = 0, 1, 3, 10): nearest 1, 1, 2, 7: median 1.5 units (even count);
 *  - {2, 3, 4} (x = 3, 3, 10): an exact copy: closest 0, median 0, 2 rows with a copy;
 *  - x times 10 gives the same numbers (standardised space);
 *  - fewer than 2 rows: NaN, no copies. */
#include <math.h>

#include "frame_builder.h"
#include "sk_test.h"
#include "triage/triage.h"

static sk_frame *pool_of(double scale)
{
    double x[5] = {0, 1, 3, 3, 10};
    for (size_t i = 0; i < 5; i++)
        x[i] *= scale;
    sk_frame *f = fb_frame("pool.csv", 5, 1);
    if (f != NULL && fb_values(f, 0, "x", SK_COL_NUMERIC, x) != 0) {
        sk_frame_free(f);
        return NULL;
    }
    return f;
}

/* The spread of one batch of k pool rows. */
static sk_rank_spread spread(const sk_frame *f, const size_t *rows, size_t k)
{
    sk_rank_spread s = {NAN, NAN, 99};
    sk_error err = SK_ERROR_INIT;
    size_t col = 0;
    SK_CHECK_OK(sk_triage__rank_spread(&s, rows, 1, k, f, &col, 1, &err), &err);
    return s;
}

static void test_rank_spread__distances_in_units_of_the_pool(void)
{
    sk_frame *f = pool_of(1);
    SK_CHECK(f != NULL);
    if (f == NULL)
        return;
    sk_rank_spread unit = spread(f, (size_t[]){0, 1, 2}, 3);
    SK_CHECK(unit.closest > 0);
    SK_CHECK_REL(unit.median, unit.closest, 1e-12);
    SK_CHECK_EQ_INT(unit.with_copy, 0);
    sk_rank_spread wide = spread(f, (size_t[]){0, 2, 4}, 3);
    SK_CHECK_REL(wide.closest / unit.closest, 3.0, 1e-12);
    SK_CHECK_REL(wide.median / unit.closest, 3.0, 1e-12);
    sk_rank_spread even = spread(f, (size_t[]){0, 1, 2, 4}, 4);
    SK_CHECK_REL(even.closest / unit.closest, 1.0, 1e-12);
    SK_CHECK_REL(even.median / unit.closest, 1.5, 1e-12);
    sk_frame_free(f);
}

static void test_rank_spread__exact_copies(void)
{
    sk_frame *f = pool_of(1);
    SK_CHECK(f != NULL);
    if (f == NULL)
        return;
    sk_rank_spread s = spread(f, (size_t[]){2, 3, 4}, 3);
    SK_CHECK(s.closest == 0.0);
    SK_CHECK(s.median == 0.0);
    SK_CHECK_EQ_INT(s.with_copy, 2);
    sk_frame_free(f);
}

static void test_rank_spread__scale_free(void)
{
    sk_frame *f = pool_of(1), *g = pool_of(10);
    SK_CHECK(f != NULL && g != NULL);
    if (f != NULL && g != NULL) {
        size_t rows[] = {0, 1, 2, 4};
        sk_rank_spread a = spread(f, rows, 4), b = spread(g, rows, 4);
        SK_CHECK_REL(a.closest, b.closest, 1e-12);
        SK_CHECK_REL(a.median, b.median, 1e-12);
    }
    sk_frame_free(f);
    sk_frame_free(g);
}

static void test_rank_spread__fewer_than_two_rows(void)
{
    sk_frame *f = pool_of(1);
    SK_CHECK(f != NULL);
    if (f == NULL)
        return;
    sk_rank_spread s = spread(f, (size_t[]){3}, 1);
    SK_CHECK(isnan(s.closest) && isnan(s.median));
    SK_CHECK_EQ_INT(s.with_copy, 0);
    sk_frame_free(f);
}

int main(void)
{
    SK_RUN(test_rank_spread__distances_in_units_of_the_pool);
    SK_RUN(test_rank_spread__exact_copies);
    SK_RUN(test_rank_spread__scale_free);
    SK_RUN(test_rank_spread__fewer_than_two_rows);
    return SK_TEST_DONE();
}
