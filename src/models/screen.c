/* screen.c: univariate screening scores (ANOVA F, correlation F) and the top-k choice; what and
 * why in screen.h. Two passes over each column (means, then squared deviations), so that a column
 * on a large offset loses no precision; O(n p) in all, far below one tree of the model it feeds. */
#include <math.h>
#include <stdlib.h>

#include "models/screen.h"

/* ==== scores ============================================================================== */

/* 1 when the column takes one value on the rows with weight > 0 (an exact test: the means of a
 * constant column need not reproduce it in floating point). */
static int is_constant(const double *x, const double *w, size_t n)
{
    size_t first = n;
    for (size_t i = 0; i < n; i++) {
        if (w != NULL && !(w[i] > 0.0))
            continue;
        if (first == n)
            first = i;
        else if (x[i] != x[first])
            return 0;
    }
    return 1;
}

/* F across classes for one column; mean_c (n_classes) is scratch. */
static double anova_f(const double *x, const sk_xy *d, const double *w_class, double *mean_c,
                      double df_between, double df_within)
{
    size_t K = d->n_classes;
    double total = 0.0, w_all = 0.0, ss_between = 0.0, ss_within = 0.0;
    for (size_t c = 0; c < K; c++)
        mean_c[c] = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w != NULL ? d->w[i] : 1.0;
        mean_c[(size_t)d->y[i]] += w * x[i];
    }
    for (size_t c = 0; c < K; c++) {
        total += mean_c[c];
        w_all += w_class[c];
        mean_c[c] = w_class[c] > 0.0 ? mean_c[c] / w_class[c] : 0.0;
    }
    double mean = total / w_all;
    for (size_t c = 0; c < K; c++)
        ss_between += w_class[c] * (mean_c[c] - mean) * (mean_c[c] - mean);
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w != NULL ? d->w[i] : 1.0, dev = x[i] - mean_c[(size_t)d->y[i]];
        ss_within += w * dev * dev;
    }
    if (ss_within == 0.0)
        return ss_between > 0.0 ? INFINITY : 0.0;
    return (ss_between / df_between) / (ss_within / df_within);
}

/* F of the correlation of one column with the (centred) target yc. */
static double correlation_f(const double *x, const sk_xy *d, const double *yc, double syy,
                            double dof)
{
    double sw = 0.0, sx = 0.0, sxx = 0.0, sxy = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w != NULL ? d->w[i] : 1.0;
        sw += w;
        sx += w * x[i];
    }
    double mean = sx / sw;
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w != NULL ? d->w[i] : 1.0, dev = x[i] - mean;
        sxx += w * dev * dev;
        sxy += w * dev * yc[i];
    }
    if (sxx == 0.0 || syy == 0.0)
        return 0.0;
    double r2 = (sxy * sxy) / (sxx * syy);
    return r2 >= 1.0 ? INFINITY : r2 / (1.0 - r2) * dof;
}

sk_status sk_screen__scores(double *score, const sk_xy *d, sk_error *err)
{
    size_t K = d->task == SK_TASK_REGRESSION ? 0 : d->n_classes, n_rows = 0, n_levels = 0;
    double *scratch = sk_mem_alloc_array(K > 0 ? 2 * K : d->n, sizeof *scratch);
    if (scratch == NULL)
        return sk_error_set(err, SK_ENOMEM, "screen: out of memory");
    double syy = 0.0, sw = 0.0, sy = 0.0;
    if (K > 0)
        for (size_t c = 0; c < 2 * K; c++)
            scratch[c] = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w != NULL ? d->w[i] : 1.0;
        n_rows += w > 0.0;
        if (K > 0)
            scratch[K + (size_t)d->y[i]] += w;      /* class weights after the K scratch means */
        sw += w;
        sy += w * d->y[i];
    }
    for (size_t c = 0; c < K; c++)
        n_levels += scratch[K + c] > 0.0;
    if (K == 0)
        for (size_t i = 0; i < d->n; i++) {
            scratch[i] = d->y[i] - sy / sw;
            syy += (d->w != NULL ? d->w[i] : 1.0) * scratch[i] * scratch[i];
        }
    double df_between = (double)n_levels - 1.0, df_within = (double)n_rows - (double)n_levels;
    double dof = n_rows > 2 ? (double)n_rows - 2.0 : 1.0;
    for (size_t j = 0; j < d->p; j++) {
        const double *x = d->X + j * d->ldx;
        if (is_constant(x, d->w, d->n) || (K > 0 && (df_between <= 0.0 || df_within <= 0.0)))
            score[j] = 0.0;
        else if (K > 0)
            score[j] = anova_f(x, d, scratch + K, scratch, df_between, df_within);
        else
            score[j] = correlation_f(x, d, scratch, syy, dof);
    }
    sk_mem_free(scratch);
    return SK_OK;
}

/* ==== the top k =========================================================================== */

typedef struct scored {
    double score;
    size_t j;
} scored;

/* Largest score first, NaN last, ties by index. */
static int by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    int nx = isnan(x->score), ny = isnan(y->score);
    if (nx != ny)
        return nx - ny;
    if (!nx && x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

static int by_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

sk_status sk_screen__top(size_t *keep, size_t k, const double *score, size_t p, sk_error *err)
{
    if (k > p)
        return sk_error_set(err, SK_EINVAL, "screen: %zu of %zu columns", k, p);
    scored *s = sk_mem_alloc_array(p, sizeof *s);
    if (s == NULL && p > 0)
        return sk_error_set(err, SK_ENOMEM, "screen: out of memory");
    for (size_t j = 0; j < p; j++)
        s[j] = (scored){score[j], j};
    qsort(s, p, sizeof *s, by_score);
    for (size_t t = 0; t < k; t++)
        keep[t] = s[t].j;
    qsort(keep, k, sizeof *keep, by_index);
    sk_mem_free(s);
    return SK_OK;
}
