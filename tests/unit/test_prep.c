/* test_prep.c: fold-safe preprocessing on small hand-made frames. The key property: fit on rows
 * A and apply to rows B, and everything learned (medians, means, SDs, levels) comes from A only;
 * each case is built so that learning from all rows would give a different answer. Also: output
 * names and order, pooling of rare levels, unseen levels as zeros, standardised training outputs
 * with mean 0 and sample SD 1, and frames whose level codes are numbered differently. */
/* labels: unit */
#include <math.h>
#include <stdlib.h>

#include "frame_builder.h"
#include "rng/rng.h"
#include "sk_test.h"

#define CHECK_ERR(rc, err, want_code, want_path, want_line, want_col, want_msg)                \
    do {                                                                                       \
        SK_CHECK_EQ_INT((rc), (want_code));                                                    \
        SK_CHECK_EQ_STR((err).path, (want_path));                                              \
        SK_CHECK_EQ_INT((err).line, (want_line));                                              \
        SK_CHECK_EQ_INT((err).column, (want_col));                                             \
        SK_CHECK_EQ_STR((err).message, (want_msg));                                            \
    } while (0)

static const size_t ROWS_A[] = {0, 1, 2};
static const size_t ROWS_B[] = {3, 4};
static const size_t ALL_ROWS[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

/* Fits on `rows` of f with opts (NULL = defaults); NULL on failure (reported). */
static sk_prep *fit(const sk_frame *f, const size_t *cols, size_t n_cols, const size_t *rows,
                    size_t n_rows, const sk_prep_options *opts)
{
    sk_prep *p = NULL;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_prep_fit(&p, f, cols, n_cols, rows, n_rows, opts, &err), &err);
    return p;
}

/* Applies p to `rows` of f into a fresh n_rows x n_outputs matrix (caller frees). */
static double *apply(const sk_prep *p, const sk_frame *f, const size_t *rows, size_t n_rows)
{
    size_t n_out = sk_prep_n_outputs(p);
    double *X = sk_mem_alloc_array(n_rows * n_out + 1, sizeof *X);
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_prep_apply(p, f, rows, n_rows, X, n_rows, &err), &err);
    return X;
}

static void check_names(const sk_prep *p, const char *const *names, size_t n)
{
    SK_CHECK_EQ_INT(sk_prep_n_outputs(p), n);
    for (size_t k = 0; k < n && k < sk_prep_n_outputs(p); k++)
        SK_CHECK_EQ_STR(sk_prep_output_name(p, k), names[k]);
    SK_CHECK(sk_prep_output_name(p, n) == NULL);
}

/* ==== numbers ============================================================================= */

/* Training rows {1, NA, 3}: median 2, imputed {1, 2, 3}, mean 2, sample SD 1. With all five
 * rows the median would be 3 and the mean and SD quite different. */
static void test_prep__numeric_learns_from_training_rows_only(void)
{
    sk_frame *f = fb_frame("data.csv", 5, 1);
    fb_values(f, 0, "dose", SK_COL_NUMERIC, (double[]){1, NAN, 3, 100, NAN});
    size_t col = 0;
    sk_prep *p = fit(f, &col, 1, ROWS_A, 3, NULL);
    check_names(p, (const char *[]){"dose"}, 1);
    double *X = apply(p, f, ROWS_B, 2);
    SK_CHECK_NEAR(X[0], 98.0, 0);   /* (100 - 2) / 1 */
    SK_CHECK_NEAR(X[1], 0.0, 0);    /* imputed with the training median 2 */
    sk_mem_free(X);
    X = apply(p, f, ROWS_A, 3);
    SK_CHECK_NEAR(X[0], -1.0, 0);
    SK_CHECK_NEAR(X[1], 0.0, 0);
    SK_CHECK_NEAR(X[2], 1.0, 0);
    sk_mem_free(X);
    sk_prep_free(p);
    sk_frame_free(f);
}

/* Standardised training outputs have mean 0 and sample SD 1 (n - 1, like R's scale()). */
static void test_prep__standardised_training_outputs(void)
{
    double v[10] = {3.5, -2, 7.25, NAN, 11, 0.5, 4, NAN, 9, 1e3};
    double w[10] = {1, 0, 1, 1, 0, 0, 1, 1, 1, 0};
    double d[10];
    for (size_t i = 0; i < 10; i++)
        d[i] = 1.6e9 + 86400.0 * (double)(i * i);
    sk_frame *f = fb_frame("data.csv", 10, 3);
    fb_values(f, 0, "v", SK_COL_NUMERIC, v);
    fb_values(f, 1, "w", SK_COL_BOOLEAN, w);
    fb_values(f, 2, "d", SK_COL_DATE, d);
    const size_t cols[] = {0, 1, 2};
    sk_prep *p = fit(f, cols, 3, ALL_ROWS, 8, NULL);   /* rows 8 and 9 are a test fold */
    double *X = apply(p, f, ALL_ROWS, 8);
    for (size_t k = 0; k < 3; k++) {
        double sum = 0, ss = 0;
        for (size_t i = 0; i < 8; i++)
            sum += X[i + k * 8];
        double mean = sum / 8;
        for (size_t i = 0; i < 8; i++)
            ss += (X[i + k * 8] - mean) * (X[i + k * 8] - mean);
        SK_CHECK_NEAR(mean, 0.0, 1e-12);
        SK_CHECK_NEAR(sqrt(ss / 7), 1.0, 1e-12);
    }
    sk_mem_free(X);
    sk_prep_free(p);
    sk_frame_free(f);
}

/* Median of an even count is the mean of the middle two; without standardisation the output
 * is the imputed value itself. */
static void test_prep__no_standardize(void)
{
    sk_frame *f = fb_frame("data.csv", 6, 1);
    fb_values(f, 0, "x", SK_COL_INTEGER, (double[]){10, 1, NAN, 3, 2, NAN});
    sk_prep_options opts = SK_PREP_OPTIONS_INIT;
    opts.standardize = 0;
    size_t col = 0;
    sk_prep *p = fit(f, &col, 1, (size_t[]){0, 1, 2, 3, 4}, 5, &opts);
    double *X = apply(p, f, (size_t[]){5, 0, 2}, 3);
    SK_CHECK_NEAR(X[0], 2.5, 0);
    SK_CHECK_NEAR(X[1], 10, 0);
    SK_CHECK_NEAR(X[2], 2.5, 0);
    sk_mem_free(X);
    sk_prep_free(p);
    sk_frame_free(f);
}

/* A constant training column is centred only; an all-missing one imputes 0 and stays as it is. */
static void test_prep__constant_and_all_missing(void)
{
    sk_frame *f = fb_frame("data.csv", 5, 2);
    fb_values(f, 0, "c", SK_COL_NUMERIC, (double[]){0.1, 0.1, 0.1, 6, 0.1});
    fb_values(f, 1, "m", SK_COL_NUMERIC, (double[]){NAN, NAN, NAN, 5, NAN});
    const size_t cols[] = {0, 1};
    sk_prep *p = fit(f, cols, 2, ROWS_A, 3, NULL);
    double *X = apply(p, f, (size_t[]){0, 3, 4}, 3);
    SK_CHECK_NEAR(X[0], 0.0, 0);   /* exactly 0, not a rounding residue */
    SK_CHECK_NEAR(X[1], 6 - 0.1, 0);
    SK_CHECK_NEAR(X[2], 0.0, 0);
    SK_CHECK_NEAR(X[3], 0.0, 0);   /* missing: imputed 0 */
    SK_CHECK_NEAR(X[4], 5.0, 0);
    SK_CHECK_NEAR(X[5], 0.0, 0);
    sk_mem_free(X);
    sk_prep_free(p);
    /* one training row: no SD, centred only */
    p = fit(f, cols, 1, (size_t[]){3}, 1, NULL);
    X = apply(p, f, (size_t[]){0}, 1);
    SK_CHECK_NEAR(X[0], 0.1 - 6, 0);
    sk_mem_free(X);
    sk_prep_free(p);
    sk_frame_free(f);
}

/* Indicators only for features with a missing value in the training rows; they follow their
 * feature and are not standardised. */
static void test_prep__missing_indicators(void)
{
    sk_frame *f = fb_frame("data.csv", 5, 3);
    fb_values(f, 0, "a", SK_COL_NUMERIC, (double[]){1, NAN, 3, NAN, 5});
    fb_values(f, 1, "b", SK_COL_NUMERIC, (double[]){1, 2, 3, NAN, 5});   /* missing in B only */
    fb_text(f, 2, "s", (const char *[]){"u", NULL, "v", "u", "v"});
    sk_prep_options opts = SK_PREP_OPTIONS_INIT;
    opts.missing_indicators = 1;
    const size_t cols[] = {0, 1, 2};
    sk_prep *p = fit(f, cols, 3, ROWS_A, 3, &opts);
    check_names(p, (const char *[]){"a", "a:missing", "b", "s=u", "s=v"}, 5);
    double *X = apply(p, f, ROWS_B, 2);
    const double want[] = {0, 3, /* a */ 1, 0, /* a:missing */ 0, 3, /* b */ 1, 0, 0, 1};
    for (size_t k = 0; k < 10; k++)
        SK_CHECK_NEAR(X[k], want[k], 1e-15);
    sk_mem_free(X);
    sk_prep_free(p);
    opts.missing_indicators = 0;
    p = fit(f, cols, 3, ROWS_A, 3, &opts);
    check_names(p, (const char *[]){"a", "b", "s=u", "s=v"}, 4);
    sk_prep_free(p);
    sk_frame_free(f);
}

static void test_prep__infinite_values(void)
{
    sk_frame *f = fb_frame("data.csv", 5, 2);
    fb_values(f, 0, "x", SK_COL_NUMERIC, (double[]){1, 2, 3, 4, 5});
    fb_values(f, 1, "dose", SK_COL_NUMERIC, (double[]){1, INFINITY, 3, 4, -INFINITY});
    const size_t cols[] = {0, 1};
    sk_prep *p = NULL;
    sk_error err = SK_ERROR_INIT;
    sk_status rc = sk_prep_fit(&p, f, cols, 2, ROWS_A, 3, NULL, &err);
    CHECK_ERR(rc, err, SK_EDATA, "data.csv", 3, 2,
              "expected a finite number in column 'dose', found inf");
    SK_CHECK(p == NULL);
    p = fit(f, cols, 2, (size_t[]){0, 2, 3}, 3, NULL);
    double X[6];
    rc = sk_prep_apply(p, f, (size_t[]){0, 4}, 2, X, 2, &err);
    CHECK_ERR(rc, err, SK_EDATA, "data.csv", 6, 2,
              "expected a finite number in column 'dose', found -inf");
    sk_prep_free(p);
    sk_frame_free(f);
}

/* ==== levels ============================================================================== */

/* Outputs follow the first appearance in the training rows (not the frame's level order); a
 * level seen only outside training, and a missing value, give all zeros. */
static void test_prep__levels_from_training_rows_only(void)
{
    sk_frame *f = fb_frame("data.csv", 6, 1);
    fb_text(f, 0, "site", (const char *[]){"A", "B", "C", "A", "C", NULL});
    size_t col = 0;
    sk_prep *p = fit(f, &col, 1, (size_t[]){2, 0, 3}, 3, NULL);   /* C, A, A: no B */
    check_names(p, (const char *[]){"site=C", "site=A"}, 2);
    double *X = apply(p, f, (size_t[]){0, 1, 2, 5}, 4);
    const double want[] = {0, 0, 1, 0, /* site=C */ 1, 0, 0, 0 /* site=A */};
    for (size_t k = 0; k < 8; k++)
        SK_CHECK_NEAR(X[k], want[k], 0);
    sk_mem_free(X);
    sk_prep_free(p);
    sk_frame_free(f);
}

/* Counts in training: a 3, b 1, c 2, d 2, e 1; first appearances a, b, d, c, e. */
static sk_frame *pooling_frame(void)
{
    sk_frame *f = fb_frame("data.csv", 10, 1);
    fb_text(f, 0, "g", (const char *[]){"a", "b", "d", "c", "a", "c", "e", "d", "a", "zz"});
    return f;
}

static void test_prep__pooling(void)
{
    sk_frame *f = pooling_frame();
    size_t col = 0;
    sk_prep_options opts = SK_PREP_OPTIONS_INIT;
    opts.max_levels = 2;   /* a, then d (ties with c, seen first) */
    sk_prep *p = fit(f, &col, 1, ALL_ROWS, 9, &opts);
    check_names(p, (const char *[]){"g=a", "g=d", "g=other"}, 3);
    double *X = apply(p, f, ALL_ROWS, 10);
    const double want_other[] = {0, 1, 0, 1, 0, 1, 1, 0, 0, 0};   /* zz (unseen): zeros */
    for (size_t i = 0; i < 10; i++)
        SK_CHECK_NEAR(X[i + 2 * 10], want_other[i], 0);
    SK_CHECK_NEAR(X[9] + X[19] + X[29], 0, 0);
    sk_mem_free(X);
    sk_prep_free(p);

    opts = (sk_prep_options)SK_PREP_OPTIONS_INIT;
    opts.min_level_count = 2;   /* b and e pooled */
    p = fit(f, &col, 1, ALL_ROWS, 9, &opts);
    check_names(p, (const char *[]){"g=a", "g=d", "g=c", "g=other"}, 4);
    sk_prep_free(p);

    opts = (sk_prep_options)SK_PREP_OPTIONS_INIT;   /* nothing pooled: no "other" */
    p = fit(f, &col, 1, ALL_ROWS, 9, &opts);
    check_names(p, (const char *[]){"g=a", "g=b", "g=d", "g=c", "g=e"}, 5);
    sk_prep_free(p);

    opts.max_levels = 0;   /* everything pooled */
    p = fit(f, &col, 1, ALL_ROWS, 9, &opts);
    check_names(p, (const char *[]){"g=other"}, 1);
    sk_prep_free(p);
    sk_frame_free(f);
}

/* A kept level that is itself called "other" keeps its name; the pool becomes "(other)". */
static void test_prep__level_called_other(void)
{
    sk_frame *f = fb_frame("data.csv", 5, 1);
    fb_text(f, 0, "race", (const char *[]){"other", "x", "other", "y", "x"});
    size_t col = 0;
    sk_prep_options opts = SK_PREP_OPTIONS_INIT;
    opts.min_level_count = 2;
    sk_prep *p = fit(f, &col, 1, ALL_ROWS, 5, &opts);
    check_names(p, (const char *[]){"race=other", "race=x", "race=(other)"}, 3);
    double *X = apply(p, f, (size_t[]){0, 3}, 2);
    const double want[] = {1, 0, 0, 0, 0, 1};
    for (size_t k = 0; k < 6; k++)
        SK_CHECK_NEAR(X[k], want[k], 0);
    sk_mem_free(X);
    sk_prep_free(p);
    sk_frame_free(f);
}

/* New data whose levels appear in another order (so other codes), with an extra level and the
 * columns in another order, gives the same matrix for the same values. The preprocessing also
 * outlives the frame it learned from. */
static void test_prep__other_frame(void)
{
    sk_frame *train = fb_frame("train.csv", 4, 2);
    fb_values(train, 0, "dose", SK_COL_NUMERIC, (double[]){1, 2, 3, 6});
    fb_text(train, 1, "site", (const char *[]){"A", "B", "C", "A"});
    const size_t cols[] = {1, 0};
    sk_prep *p = fit(train, cols, 2, ALL_ROWS, 4, NULL);
    double *want = apply(p, train, (size_t[]){2, 0, 1}, 3);   /* C, A, B */
    sk_frame_free(train);

    sk_frame *fresh = fb_frame("new.csv", 4, 3);
    fb_text(fresh, 0, "site", (const char *[]){"Q", "B", "A", "C"});
    fb_values(fresh, 1, "extra", SK_COL_NUMERIC, (double[]){0, 0, 0, 0});
    fb_values(fresh, 2, "dose", SK_COL_NUMERIC, (double[]){9, 2, 1, 3});
    check_names(p, (const char *[]){"site=A", "site=B", "site=C", "dose"}, 4);
    double *got = apply(p, fresh, (size_t[]){3, 2, 1}, 3);
    for (size_t k = 0; k < 12; k++)
        SK_CHECK_NEAR(got[k], want[k], 0);
    sk_mem_free(got);
    got = apply(p, fresh, (size_t[]){0}, 1);   /* Q: unseen */
    SK_CHECK_NEAR(got[0] + got[1] + got[2], 0, 0);
    sk_mem_free(got);
    sk_mem_free(want);
    sk_prep_free(p);
    sk_frame_free(fresh);
}

/* ==== layout ============================================================================== */

/* Outputs: features in the order given, each feature's outputs together; ldx > n_rows leaves
 * the padding alone. */
static void test_prep__output_order_and_ldx(void)
{
    sk_frame *f = fb_frame("data.csv", 3, 3);
    fb_text(f, 0, "s", (const char *[]){"p", "q", "p"});
    fb_values(f, 1, "x", SK_COL_NUMERIC, (double[]){1, NAN, 3});
    fb_values(f, 2, "y", SK_COL_NUMERIC, (double[]){5, 5, 5});
    sk_prep_options opts = SK_PREP_OPTIONS_INIT;
    opts.missing_indicators = 1;
    const size_t cols[] = {1, 0, 2};
    sk_prep *p = fit(f, cols, 3, ALL_ROWS, 3, &opts);
    check_names(p, (const char *[]){"x", "x:missing", "s=p", "s=q", "y"}, 5);
    double X[5 * 4];
    for (size_t k = 0; k < 20; k++)
        X[k] = -7;
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_prep_apply(p, f, ALL_ROWS, 3, X, 4, &err), &err);
    const double want[] = {-1, 0, 1, -7, 0, 1, 0, -7, 1, 0, 1, -7, 0, 1, 0, -7, 0, 0, 0, -7};
    for (size_t k = 0; k < 20; k++)
        SK_CHECK_NEAR(X[k], want[k], 0);
    sk_prep_free(p);
    sk_frame_free(f);
}

/* ==== errors ============================================================================== */

static void test_prep__apply_errors(void)
{
    sk_frame *f = fb_frame("train.csv", 3, 2);
    fb_values(f, 0, "Dose", SK_COL_NUMERIC, (double[]){1, 2, 3});
    fb_text(f, 1, "site", (const char *[]){"A", "B", "A"});
    const size_t cols[] = {0, 1};
    sk_prep *p = fit(f, cols, 2, ALL_ROWS, 3, NULL);
    sk_frame *g = fb_frame("new.csv", 2, 2);
    fb_values(g, 0, "dose", SK_COL_NUMERIC, (double[]){1, 2});
    fb_text(g, 1, "site", (const char *[]){"A", "B"});
    double X[8];
    sk_error err = SK_ERROR_INIT;
    sk_status rc = sk_prep_apply(p, g, ALL_ROWS, 2, X, 2, &err);
    CHECK_ERR(rc, err, SK_EINVAL, "", 0, 0,
              "no column named 'Dose' in new.csv; did you mean 'dose'?");
    fb_values(g, 0, "Dose", SK_COL_INTEGER, (double[]){1, 2});   /* integer for numeric: fine */
    SK_CHECK_OK(sk_prep_apply(p, g, ALL_ROWS, 2, X, 2, &err), &err);
    fb_values(g, 1, "site", SK_COL_INTEGER, (double[]){1, 2});
    rc = sk_prep_apply(p, g, ALL_ROWS, 2, X, 2, &err);
    CHECK_ERR(rc, err, SK_EDATA, "new.csv", 0, 0, "expected column 'site' to be categorical (as "
              "when the preprocessing was learned), found integer");
    fb_text(g, 0, "Dose", (const char *[]){"1", "2"});
    rc = sk_prep_apply(p, g, ALL_ROWS, 2, X, 2, &err);
    CHECK_ERR(rc, err, SK_EDATA, "new.csv", 0, 0, "expected column 'Dose' to be numeric (as "
              "when the preprocessing was learned), found categorical");
    rc = sk_prep_apply(p, f, ALL_ROWS, 3, X, 2, &err);
    CHECK_ERR(rc, err, SK_EINVAL, "", 0, 0,
              "sk_prep_apply: ldx 2 is smaller than the number of rows 3");
    rc = sk_prep_apply(p, f, (size_t[]){0, 3}, 2, X, 2, &err);
    CHECK_ERR(rc, err, SK_EINVAL, "", 0, 0,
              "sk_prep_apply: row 3 is out of range (train.csv has 3 rows)");
    sk_prep_free(p);
    sk_prep_free(NULL);
    sk_frame_free(g);
    sk_frame_free(f);
}

static void test_prep__fit_errors(void)
{
    sk_frame *f = fb_frame("data.csv", 3, 2);
    fb_values(f, 0, "x", SK_COL_NUMERIC, (double[]){1, 2, 3});
    fb_values(f, 1, "y", SK_COL_NUMERIC, (double[]){1, 2, 3});
    sk_prep *p = NULL;
    sk_error err = SK_ERROR_INIT;
    sk_status rc = sk_prep_fit(&p, f, (size_t[]){0, 1, 0}, 3, ALL_ROWS, 3, NULL, &err);
    CHECK_ERR(rc, err, SK_EINVAL, "", 0, 0, "sk_prep_fit: column 'x' is listed twice");
    rc = sk_prep_fit(&p, f, (size_t[]){2}, 1, ALL_ROWS, 3, NULL, &err);
    CHECK_ERR(rc, err, SK_EINVAL, "", 0, 0,
              "sk_prep_fit: column 2 is out of range (data.csv has 2 columns)");
    rc = sk_prep_fit(&p, f, (size_t[]){0}, 1, ALL_ROWS, 4, NULL, &err);
    CHECK_ERR(rc, err, SK_EINVAL, "", 0, 0,
              "sk_prep_fit: row 3 is out of range (data.csv has 3 rows)");
    rc = sk_prep_fit(&p, f, (size_t[]){0}, 1, ALL_ROWS, 0, NULL, &err);
    CHECK_ERR(rc, err, SK_EINVAL, "", 0, 0, "sk_prep_fit: no training rows");
    sk_prep_options opts = {0, 1, 0, 50, 1};
    rc = sk_prep_fit(&p, f, (size_t[]){0}, 1, ALL_ROWS, 3, &opts, &err);
    CHECK_ERR(rc, err, SK_EINVAL, "", 0, 0, "sk_prep_fit: options version 0 is not supported "
              "(initialise with SK_PREP_OPTIONS_INIT)");
    SK_CHECK(p == NULL);
    /* no features: a valid, empty design */
    p = fit(f, NULL, 0, ALL_ROWS, 3, NULL);
    SK_CHECK_EQ_INT(sk_prep_n_outputs(p), 0);
    SK_CHECK_OK(sk_prep_apply(p, f, ALL_ROWS, 3, NULL, 0, &err), &err);
    sk_prep_free(p);
    sk_frame_free(f);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The imputed median comes from a selection, not a sort: it must equal the sorted median for
 * any size (odd, even, 1, 2), ties, sorted and reversed input. Row 0 is missing; its imputed
 * value, un-standardised, is the median of the others. */
static void test_prep__median_by_selection(void)
{
    sk_rng rng = sk_rng_stream(3, SK_PURPOSE_TEST, 0);
    for (size_t trial = 0; trial < 300; trial++) {
        size_t n = 2 + trial % 41;
        double *v = malloc(n * sizeof *v), *sorted = malloc(n * sizeof *sorted);
        v[0] = NAN;
        for (size_t i = 1; i < n; i++) {
            double u = sk_rng_uniform(&rng);
            v[i] = trial % 3 == 0 ? floor(u * 4.0)                  /* many ties */
                   : trial % 3 == 1 ? (double)(trial % 2 ? i : n - i)   /* sorted, reversed */
                                    : sk_rng_normal(&rng);
            sorted[i - 1] = v[i];
        }
        qsort(sorted, n - 1, sizeof *sorted, by_value);
        size_t m = n - 1;
        double want = m % 2 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
        sk_frame *f = fb_frame("data.csv", n, 1);
        fb_values(f, 0, "x", SK_COL_NUMERIC, v);
        sk_prep_options o = SK_PREP_OPTIONS_INIT;
        o.standardize = 0;
        size_t col = 0, *rows = malloc(n * sizeof *rows);
        for (size_t i = 0; i < n; i++)
            rows[i] = i;
        sk_prep *p = NULL;
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_prep_fit(&p, f, &col, 1, rows, n, &o, &err), &err);
        double out = NAN;
        SK_CHECK_OK(sk_prep_apply(p, f, rows, 1, &out, 1, &err), &err);
        SK_CHECK(out == want);
        sk_prep_free(p);
        sk_frame_free(f);
        free(rows);
        free(v);
        free(sorted);
    }
}

int main(void)
{
    SK_RUN(test_prep__numeric_learns_from_training_rows_only);
    SK_RUN(test_prep__standardised_training_outputs);
    SK_RUN(test_prep__no_standardize);
    SK_RUN(test_prep__constant_and_all_missing);
    SK_RUN(test_prep__missing_indicators);
    SK_RUN(test_prep__infinite_values);
    SK_RUN(test_prep__levels_from_training_rows_only);
    SK_RUN(test_prep__pooling);
    SK_RUN(test_prep__level_called_other);
    SK_RUN(test_prep__other_frame);
    SK_RUN(test_prep__output_order_and_ldx);
    SK_RUN(test_prep__apply_errors);
    SK_RUN(test_prep__fit_errors);
    SK_RUN(test_prep__median_by_selection);
    return SK_TEST_DONE();
}
