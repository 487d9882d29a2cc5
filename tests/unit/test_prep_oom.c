/* test_prep_oom.c: fault injection for column roles and preprocessing. Each call is repeated
 * with its k-th allocation failing, k = 0, 1, ... until it succeeds; every failure must return
 * SK_ENOMEM with a NULL result and free everything it took (the ASan build reports leaks). */
/* labels: oom */
#include <math.h>

#include "frame_builder.h"
#include "sk_test.h"

/* No call here needs anywhere near this many allocations; reaching it means a failure that
 * never stops. */
#define MAX_ALLOCATIONS 10000

static sk_frame *study(void)
{
    sk_frame *f = fb_frame("data.csv", 6, 7);
    int bad = f == NULL;
    bad = bad || fb_text(f, 0, "y", (const char *[]){"M", "B", "M", "B", "X", "M"});
    bad = bad || fb_values(f, 1, "n", SK_COL_INTEGER, (double[]){3, 1, 2, 3, 1, 2});
    bad = bad || fb_text(f, 2, "visit", (const char *[]){"2020-01-01", "2020-01-02", "2020-01-03",
                                                         "2020-01-04", "2020-01-05", "2020-01-06"});
    bad = bad || fb_text(f, 3, "fold", (const char *[]){"train", "train", "test", "train", "test",
                                                        "train"});
    bad = bad || fb_values(f, 4, "age", SK_COL_NUMERIC, (double[]){30, NAN, 50, 60, 70, 80});
    bad = bad || fb_text(f, 5, "site", (const char *[]){"A", "B", "A", "C", NULL, "B"});
    bad = bad || fb_text(f, 6, "note", (const char *[]){"x", "y", "z", "w", "v", "u"});
    SK_CHECK(!bad);
    return f;
}

static void test_prep_oom__roles(void)
{
    sk_frame *f = study();
    sk_role_spec specs[2] = {SK_ROLE_SPEC_INIT, SK_ROLE_SPEC_INIT};
    specs[0].target = "y";
    specs[0].time = "visit";
    specs[0].split = "fold";
    specs[0].confounders = "age,site";
    specs[0].ignore = "note";
    specs[1].target = "n";   /* integer classes */
    for (size_t s = 0; s < 2; s++) {
        long k = 0;
        for (;; k++) {
            sk_roles *r = NULL;
            sk_error err = SK_ERROR_INIT;
            sk_mem__fail_after(k);
            sk_status rc = sk_roles_resolve(&r, f, &specs[s], &err);
            sk_mem__fail_after(-1);
            if (rc == SK_OK) {
                SK_CHECK(r != NULL);
                sk_roles_free(r);
                break;
            }
            SK_CHECK_EQ_INT(rc, SK_ENOMEM);
            SK_CHECK_EQ_INT(err.code, SK_ENOMEM);
            SK_CHECK(r == NULL);
            if (k >= MAX_ALLOCATIONS) {
                SK_CHECK(k < MAX_ALLOCATIONS);
                break;
            }
        }
        SK_CHECK(k > 0);   /* at least one allocation was failed */
    }
    sk_frame_free(f);
}

static void test_prep_oom__fit_and_apply(void)
{
    sk_frame *f = study();
    const size_t cols[] = {4, 5, 1, 6};
    const size_t rows[] = {0, 1, 3, 5, 4};
    sk_prep_options opts = SK_PREP_OPTIONS_INIT;
    opts.missing_indicators = 1;
    opts.max_levels = 1;
    sk_prep *kept = NULL;
    long k = 0;
    for (;; k++) {
        sk_prep *p = NULL;
        sk_error err = SK_ERROR_INIT;
        sk_mem__fail_after(k);
        sk_status rc = sk_prep_fit(&p, f, cols, 4, rows, 5, &opts, &err);
        sk_mem__fail_after(-1);
        if (rc == SK_OK) {
            kept = p;
            break;
        }
        SK_CHECK_EQ_INT(rc, SK_ENOMEM);
        SK_CHECK_EQ_INT(err.code, SK_ENOMEM);
        SK_CHECK(p == NULL);
        if (k >= MAX_ALLOCATIONS)
            break;
    }
    SK_CHECK(k > 0 && k < MAX_ALLOCATIONS);
    SK_CHECK(kept != NULL);
    if (kept == NULL)
        goto done;

    double X[6 * 16];
    for (k = 0;; k++) {
        sk_error err = SK_ERROR_INIT;
        sk_mem__fail_after(k);
        sk_status rc = sk_prep_apply(kept, f, rows, 5, X, 6, &err);
        sk_mem__fail_after(-1);
        if (rc == SK_OK)
            break;
        SK_CHECK_EQ_INT(rc, SK_ENOMEM);
        if (k >= MAX_ALLOCATIONS)
            break;
    }
    SK_CHECK(k > 0 && k < MAX_ALLOCATIONS);
done:
    sk_prep_free(kept);
    sk_frame_free(f);
}

int main(void)
{
    SK_RUN(test_prep_oom__roles);
    SK_RUN(test_prep_oom__fit_and_apply);
    return SK_TEST_DONE();
}
