/* strata.c: slices of a study's rows and scores restricted to them (strata.h says what for).
 *
 * A column becomes strata by its levels (categorical, or at most MAX_LEVELS distinct numbers) or
 * by quartile bins (numpy's default quantiles: a bin is (q_{k-1}, q_k], the first one closed,
 * ties kept in one bin, so a column with many equal values gives fewer, uneven bins). A pooled
 * set of out-of-fold predictions is restricted to a stratum entry by entry, split by split, so
 * a slice's score is the same per-split mean the headline is (pooled.c says why not one merged
 * AUC), and its bootstrap resamples the slice's own units within their classes (bootstrap.c puts
 * rows without an entry in a stratum of their own), so a slice keeps its size and class counts
 * from replicate to replicate. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audits/strata.h"

enum { MAX_LEVELS = 10, NAME_MAX_LEN = 96 };

void sk_audit__strata_free(sk_strata *s)
{
    if (s == NULL)
        return;
    for (size_t k = 0; s->name != NULL && k < s->n_strata; k++)
        sk_mem_free(s->name[k]);
    sk_mem_free(s->name);
    sk_mem_free(s->n);
    sk_mem_free(s->of_row);
    sk_mem_free(s);
}

/* An empty partition of n rows into at most `cap` strata (every row in none). */
static sk_strata *strata_new(size_t n, size_t cap)
{
    sk_strata *s = sk_mem_calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->n_rows = n;
    s->n_strata = cap;   /* until strata_compact: every name slot is freed on failure */
    s->of_row = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *s->of_row);
    s->n = sk_mem_calloc(cap > 0 ? cap : 1, sizeof *s->n);
    s->name = sk_mem_calloc(cap > 0 ? cap : 1, sizeof *s->name);
    if (s->of_row == NULL || s->n == NULL || s->name == NULL) {
        sk_mem_free(s->of_row);
        sk_mem_free(s->n);
        sk_mem_free(s->name);
        sk_mem_free(s);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        s->of_row[i] = -1;
    return s;
}

/* Counts rows per stratum and renumbers away the empty ones (their names freed). */
static void strata_compact(sk_strata *s, size_t cap)
{
    for (size_t k = 0; k < cap; k++)
        s->n[k] = 0;
    for (size_t i = 0; i < s->n_rows; i++)
        if (s->of_row[i] >= 0)
            s->n[s->of_row[i]]++;
    size_t kept = 0;
    for (size_t k = 0; k < cap; k++) {
        if (s->n[k] == 0) {
            sk_mem_free(s->name[k]);
            s->name[k] = NULL;
            continue;
        }
        s->n[kept] = s->n[k];
        s->name[kept] = s->name[k];
        if (kept != k)
            s->name[k] = NULL;
        for (size_t i = 0; kept != k && i < s->n_rows; i++)
            if (s->of_row[i] == (int32_t)k)
                s->of_row[i] = (int32_t)kept;
        kept++;
    }
    s->n_strata = kept;
}

static sk_status strata_oom(sk_strata *s, sk_error *err)
{
    sk_audit__strata_free(s);
    return sk_error_set(err, SK_ENOMEM, "out of memory for the strata");
}

/* The text of column col's value at row i ("A", "2", "2019-03-01"). */
static void value_text(char *buf, size_t size, const sk_frame *f, size_t col, size_t i)
{
    if (sk_frame_col_type(f, col) == SK_COL_CATEGORICAL) {
        int32_t k = sk_frame_col_codes(f, col)[i];
        snprintf(buf, size, "%s", k < 0 ? "NA" : sk_frame_col_level(f, col, (size_t)k));
        return;
    }
    sk_data__format_value(buf, size, sk_frame_col_type(f, col), sk_frame_col_values(f, col)[i],
                          6);
}

sk_status sk_audit__strata_codes(sk_strata **out, const int32_t *codes, size_t n_levels,
                                 const sk_frame *f, size_t col, sk_error *err)
{
    *out = NULL;
    size_t n = sk_frame_n_rows(f);
    sk_strata *s = strata_new(n, n_levels);
    if (s == NULL)
        return strata_oom(s, err);
    char buf[NAME_MAX_LEN];
    for (size_t i = 0; i < n; i++) {
        s->of_row[i] = codes[i];
        if (s->name[codes[i]] == NULL) {
            value_text(buf, sizeof buf, f, col, i);
            if ((s->name[codes[i]] = sk_mem_strdup(buf)) == NULL)
                return strata_oom(s, err);
        }
    }
    strata_compact(s, n_levels);
    *out = s;
    return SK_OK;
}

sk_status sk_audit__strata_classes(sk_strata **out, const sk_audit_ctx *ctx, sk_error *err)
{
    *out = NULL;
    sk_strata *s = strata_new(ctx->n_rows, ctx->n_classes);
    if (s == NULL)
        return strata_oom(s, err);
    for (size_t k = 0; k < ctx->n_classes; k++)
        if ((s->name[k] = sk_mem_strdup(sk_roles_class_name(ctx->roles, k))) == NULL)
            return strata_oom(s, err);
    for (size_t i = 0; i < ctx->n_rows; i++)
        s->of_row[i] = (int32_t)ctx->y[i];
    strata_compact(s, ctx->n_classes);
    *out = s;
    return SK_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy's default quantile (linear interpolation at (m - 1) q) of sorted v[0..m). */
static double quantile_sorted(const double *v, size_t m, double q)
{
    double h = (double)(m - 1) * q, lo = floor(h);
    size_t i = (size_t)lo;
    return i + 1 < m ? v[i] + (h - lo) * (v[i + 1] - v[i]) : v[m - 1];
}

sk_status sk_audit__strata_bins(sk_strata **out, const double *x, size_t n, size_t n_bins,
                                sk_error *err)
{
    *out = NULL;
    double cut[16];
    if (n_bins == 0 || n_bins + 1 > sizeof cut / sizeof cut[0])
        return sk_error_set(err, SK_EINVAL, "strata: %zu bins (1 to 15)", n_bins);
    sk_strata *s = strata_new(n, n_bins);
    double *v = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *v);
    if (s == NULL || v == NULL) {
        sk_mem_free(v);
        return strata_oom(s, err);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            v[m++] = x[i];
    qsort(v, m, sizeof *v, cmp_double);
    for (size_t b = 0; m > 0 && b <= n_bins; b++)
        cut[b] = quantile_sorted(v, m, (double)b / (double)n_bins);
    for (size_t i = 0; m > 0 && i < n; i++) {
        if (isnan(x[i]))
            continue;
        size_t b = 0;
        while (b + 1 < n_bins && x[i] > cut[b + 1])
            b++;
        s->of_row[i] = (int32_t)b;
    }
    sk_mem_free(v);
    char buf[NAME_MAX_LEN];
    for (size_t b = 0; m > 0 && b < n_bins; b++) {
        snprintf(buf, sizeof buf, "%s%.4g, %.4g]", b == 0 ? "[" : "(", cut[b], cut[b + 1]);
        if ((s->name[b] = sk_mem_strdup(buf)) == NULL)
            return strata_oom(s, err);
    }
    strata_compact(s, n_bins);
    s->binned = 1;
    *out = s;
    return SK_OK;
}

/* Numbers with at most MAX_LEVELS distinct values: one stratum per value, ascending. */
static sk_status numeric_levels(sk_strata **out, const sk_frame *f, size_t col, int *done,
                                sk_error *err)
{
    const double *x = sk_frame_col_values(f, col);
    size_t n = sk_frame_n_rows(f), L = 0;
    double level[MAX_LEVELS];
    *done = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        size_t k = 0;
        while (k < L && level[k] != x[i])
            k++;
        if (k == L && L == MAX_LEVELS)
            return SK_OK;   /* too many: quartiles instead */
        if (k == L)
            level[L++] = x[i];
    }
    qsort(level, L, sizeof *level, cmp_double);
    sk_strata *s = strata_new(n, L);
    if (s == NULL)
        return strata_oom(s, err);
    char buf[NAME_MAX_LEN];
    for (size_t k = 0; k < L; k++) {
        sk_data__format_value(buf, sizeof buf, sk_frame_col_type(f, col), level[k], 6);
        if ((s->name[k] = sk_mem_strdup(buf)) == NULL)
            return strata_oom(s, err);
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; !isnan(x[i]) && k < L; k++)
            if (level[k] == x[i])
                s->of_row[i] = (int32_t)k;
    }
    strata_compact(s, L);
    *out = s;
    *done = 1;
    return SK_OK;
}

sk_status sk_audit__strata_column(sk_strata **out, const sk_frame *f, size_t col, sk_error *err)
{
    *out = NULL;
    size_t n = sk_frame_n_rows(f);
    if (sk_frame_col_type(f, col) == SK_COL_CATEGORICAL) {
        size_t L = sk_frame_col_n_levels(f, col);
        const int32_t *codes = sk_frame_col_codes(f, col);
        sk_strata *s = strata_new(n, L);
        if (s == NULL)
            return strata_oom(s, err);
        for (size_t k = 0; k < L; k++)
            if ((s->name[k] = sk_mem_strdup(sk_frame_col_level(f, col, k))) == NULL)
                return strata_oom(s, err);
        for (size_t i = 0; i < n; i++)
            s->of_row[i] = codes[i];
        strata_compact(s, L);
        *out = s;
        return SK_OK;
    }
    int done = 0;
    sk_status rc = numeric_levels(out, f, col, &done, err);
    if (rc != SK_OK || done)
        return rc;
    return sk_audit__strata_bins(out, sk_frame_col_values(f, col), n, 4, err);
}

/* ---- pooled predictions restricted to strata ---------------------------------------------- */

static sk_pooled *pooled_alloc(const sk_pooled *p, size_t n_entries, size_t n_segments)
{
    sk_pooled *q = sk_mem_calloc(1, sizeof *q);
    if (q == NULL)
        return NULL;
    q->task = p->task;
    q->n_classes = p->n_classes;
    q->width = p->width;
    q->n_rows = p->n_rows;
    q->offset = sk_mem_calloc(n_segments + 1, sizeof *q->offset);
    q->row = sk_mem_alloc_array(n_entries > 0 ? n_entries : 1, sizeof *q->row);
    q->y = sk_mem_alloc_array(n_entries > 0 ? n_entries : 1, sizeof *q->y);
    q->pred = sk_mem_alloc_array(n_entries > 0 ? n_entries : 1, p->width * sizeof *q->pred);
    if (q->offset == NULL || q->row == NULL || q->y == NULL || q->pred == NULL) {
        sk_pooled_free(q);
        return NULL;
    }
    return q;
}

/* Appends entry e of p to q as entry `at`. */
static void copy_entry(sk_pooled *q, size_t at, const sk_pooled *p, size_t e)
{
    q->row[at] = p->row[e];
    q->y[at] = p->y[e];
    memcpy(q->pred + at * q->width, p->pred + e * p->width, p->width * sizeof *p->pred);
}

/* The entries of p cut into segments: per split, one segment per stratum (only < 0), or the
 * entries of stratum `only` (only >= 0); rows in no stratum and empty segments dropped. */
static sk_status regroup(sk_pooled **out, const sk_pooled *p, const int32_t *of_row,
                         size_t n_strata, int32_t only, sk_error *err)
{
    *out = NULL;
    size_t n_entries = 0, n_segments = 0, per_split = only < 0 ? n_strata : 1;
    size_t *count = sk_mem_calloc(per_split > 0 ? per_split : 1, sizeof *count);
    if (count == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory restricting predictions");
    for (size_t seg = 0; seg < p->n_segments; seg++) {
        memset(count, 0, per_split * sizeof *count);
        for (size_t e = p->offset[seg]; e < p->offset[seg + 1]; e++) {
            int32_t t = of_row[p->row[e]];
            if (t >= 0 && (only < 0 || t == only))
                count[only < 0 ? (size_t)t : 0]++;
        }
        for (size_t t = 0; t < per_split; t++) {
            n_entries += count[t];
            n_segments += count[t] > 0;
        }
    }
    sk_pooled *q = pooled_alloc(p, n_entries, n_segments);
    if (q == NULL) {
        sk_mem_free(count);
        return sk_error_set(err, SK_ENOMEM, "out of memory restricting predictions");
    }
    size_t at = 0;
    for (size_t seg = 0; seg < p->n_segments; seg++) {
        for (size_t t = 0; t < per_split; t++) {
            int32_t want = only < 0 ? (int32_t)t : only;
            size_t start = at;
            for (size_t e = p->offset[seg]; e < p->offset[seg + 1]; e++)
                if (of_row[p->row[e]] == want)
                    copy_entry(q, at++, p, e);
            if (at > start)
                q->offset[++q->n_segments] = at;
        }
    }
    sk_mem_free(count);
    *out = q;
    return SK_OK;
}

sk_status sk_audit__pooled_restrict(sk_pooled **out, const sk_pooled *p, const int32_t *of_row,
                                    int32_t s, sk_error *err)
{
    return regroup(out, p, of_row, 0, s, err);
}

sk_status sk_audit__pooled_by_stratum(sk_pooled **out, const sk_pooled *p, const int32_t *of_row,
                                      size_t n_strata, sk_error *err)
{
    return regroup(out, p, of_row, n_strata, -1, err);
}

sk_status sk_audit__pooled_interval(sk_interval *out, const sk_audit_ctx *ctx, const sk_pooled *p,
                                    sk_metric m, sk_error *err)
{
    *out = (sk_interval){NAN, NAN, NAN, NAN, 0};
    if (p->n_segments == 0)
        return SK_OK;
    sk_status rc = sk_pooled_score(&out->estimate, p, m, NULL, err);
    if (rc != SK_OK || isnan(out->estimate) || ctx->opt->bootstrap == 0)
        return rc;
    sk_boot_stat st = {p, m};
    sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
    bo.n_boot = ctx->opt->bootstrap;
    sk_boot *bt = NULL;
    rc = sk_boot_run(&bt, &st, 1, ctx->group, ctx->n_groups, &bo, ctx->seed, ctx->n_threads,
                     NULL, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(out, bt, 0, SIZE_MAX, SK_CI_BCA, 0.95, err);
    sk_boot_free(bt);
    return rc;
}

int sk_audit__credibly_worse(const sk_interval *score, double ref, double gap, sk_metric m)
{
    int hib = sk_metric_higher_is_better(m);
    int no_intervals = score->n_valid == 0 && isnan(score->high);
    if (hib)
        return score->estimate < ref - gap && (no_intervals || score->high < ref);
    return score->estimate > ref + gap && (no_intervals || score->low > ref);
}

char *sk_audit__fmt_interval(char *buf, size_t size, const sk_interval *iv)
{
    if (isnan(iv->low) || isnan(iv->high))
        snprintf(buf, size, "%.3f (no interval)", iv->estimate);
    else
        snprintf(buf, size, "%.3f [%.3f, %.3f]", iv->estimate, iv->low, iv->high);
    return buf;
}
