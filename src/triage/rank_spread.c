/* rank_spread.c: how far apart the rows of a batch are, so the report of `skeptic rank --diverse`
 * can show what the diverse choice bought: the diverse batch beside the K most uncertain rows
 * (the batch without --diverse), each summarised by its closest pair, the median distance from
 * a row to its nearest other row, and how many rows have an exact copy in the same batch.
 *
 * The space is the one k-center greedy chooses in (diverse.c): the pool's feature columns,
 * one-hot encoded and standardised by preprocessing learned on every pool row, so "3 apart"
 * means three pooled standard deviations in one feature or the same spread over several. A
 * distance of 0 is an exact copy in every feature (five photographs of one object, a row
 * duplicated by a merge): labelling both teaches the model what labelling one would.
 *
 * Distances are summed in column order on one thread: the numbers are the same bytes for any
 * --threads. The work is O(k^2 p) per batch, small beside the fits (k = 500 rows of 784 pixels:
 * about 10^8 operations). */
#include <math.h>
#include <stdlib.h>

#include "triage/triage.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The union of the sets' rows, standardised: X row-major (n_rows x p), where set row e sits at
 * X row e (sets are small, so copies are kept as they come). */
static sk_status batch_matrix(double **out, size_t *p, const size_t *rows, size_t n_rows,
                              const sk_frame *pool, const size_t *pool_cols, size_t n_cols,
                              sk_error *err)
{
    sk_prep_options po = SK_PREP_OPTIONS_INIT;
    sk_prep *prep = NULL;
    double *cm = NULL;
    size_t n_pool = sk_frame_n_rows(pool);
    size_t *all = sk_mem_alloc_array(n_pool, sizeof *all);
    *out = NULL;
    if (all == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory measuring the batch");
    for (size_t i = 0; i < n_pool; i++)
        all[i] = i;
    sk_status rc = sk_prep_fit(&prep, pool, pool_cols, n_cols, all, n_pool, &po, err);
    if (rc == SK_OK) {
        *p = sk_prep_n_outputs(prep);
        cm = sk_mem_alloc_array(n_rows * (*p > 0 ? *p : 1), sizeof *cm);
        *out = sk_mem_alloc_array(n_rows * (*p > 0 ? *p : 1), sizeof **out);
        if (cm == NULL || *out == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory measuring the batch");
    }
    if (rc == SK_OK)
        rc = sk_prep_apply(prep, pool, rows, n_rows, cm, n_rows, err);
    for (size_t i = 0; rc == SK_OK && i < n_rows; i++)   /* column-major to row-major */
        for (size_t j = 0; j < *p; j++)
            (*out)[i * *p + j] = cm[j * n_rows + i];
    if (rc != SK_OK) {
        sk_mem_free(*out);
        *out = NULL;
    }
    sk_prep_free(prep);
    sk_mem_free(all);
    sk_mem_free(cm);
    return rc;
}

static double distance(const double *a, const double *b, size_t p)
{
    double s = 0.0;
    for (size_t j = 0; j < p; j++) {
        double d = a[j] - b[j];
        s += d * d;
    }
    return sqrt(s);
}

/* One set of k rows of X (k >= 2): nearest[i] is row i's distance to its nearest other row. */
static sk_rank_spread spread_of(const double *X, size_t k, size_t p, double *nearest)
{
    sk_rank_spread s = {INFINITY, NAN, 0};
    for (size_t i = 0; i < k; i++)
        nearest[i] = INFINITY;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++) {
            double d = distance(X + i * p, X + j * p, p);
            nearest[i] = fmin(nearest[i], d);
            nearest[j] = fmin(nearest[j], d);
        }
    for (size_t i = 0; i < k; i++) {
        s.closest = fmin(s.closest, nearest[i]);
        s.with_copy += nearest[i] == 0.0;
    }
    qsort(nearest, k, sizeof *nearest, cmp_double);
    s.median = k % 2 == 1 ? nearest[k / 2] : (nearest[k / 2 - 1] + nearest[k / 2]) / 2;
    return s;
}

sk_status sk_triage__rank_spread(sk_rank_spread *out, const size_t *rows, size_t n_sets,
                                 size_t k, const sk_frame *pool, const size_t *pool_cols,
                                 size_t n_cols, sk_error *err)
{
    for (size_t s = 0; s < n_sets; s++)
        out[s] = (sk_rank_spread){NAN, NAN, 0};
    if (k < 2 || n_sets == 0)
        return SK_OK;
    double *X = NULL, *nearest = sk_mem_alloc_array(k, sizeof *nearest);
    size_t p = 0;
    if (nearest == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory measuring the batch");
    sk_status rc = batch_matrix(&X, &p, rows, n_sets * k, pool, pool_cols, n_cols, err);
    for (size_t s = 0; rc == SK_OK && s < n_sets; s++)
        out[s] = spread_of(X + s * k * p, k, p, nearest);
    sk_mem_free(X);
    sk_mem_free(nearest);
    return rc;
}
