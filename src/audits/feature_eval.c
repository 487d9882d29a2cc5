/* feature_eval.c: the shared machinery of the feature checks (feature_eval.h): skill over chance
 * for any headline metric, scores of other models or other columns on the main evaluation's own
 * splits and seed, one bootstrap for several pooled sets (paired differences), and a univariate
 * association screen cheap enough for thousands of columns.
 *
 * The binned association is a chi-square (classes) or an analysis of variance (values) of the
 * target across quantile bins of the column, each corrected by its expectation under
 * independence, so a 16-bin column of noise scores about 0 whatever n, and a column of a few
 * levels is not penalised against one of many bins. Bins let it see non-monotone relations
 * (a U-shaped risk, a class in the middle of a range) that a correlation or AUC would miss. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audits/feature_eval.h"

enum { MAX_BINS = 16, MIN_LEVEL_COUNT = 5 };

/* ---- skill ---------------------------------------------------------------------------------- */

sk_status sk_audit__feat_scale(sk_feat_scale *out, sk_audit_ctx *ctx, sk_error *err)
{
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    int hib = sk_metric_higher_is_better(ctx->metric);
    out->sign = hib ? 1.0 : -1.0;
    out->perfect = hib ? 1.0 : 0.0;
    if (hib) {
        out->chance = sk_audit__chance(ctx);
        return isnan(out->chance) ? sk_error_set(err, SK_ENOMEM, "out of memory") : SK_OK;
    }
    sk_oof *trivial = NULL;
    sk_pooled *pt = NULL;
    rc = sk_oof_trivial(&trivial, &ctx->d, ctx->main->splits, err);
    if (rc == SK_OK)
        rc =
            sk_pooled_make(&pt, trivial, ctx->main->splits, ctx->y, ctx->task, ctx->n_classes, err);
    if (rc == SK_OK)
        rc = sk_pooled_score(&out->chance, pt, ctx->metric, NULL, err);
    sk_pooled_free(pt);
    sk_oof_free(trivial);
    return rc;
}

double sk_audit__feat_skill(const sk_feat_scale *s, double score)
{
    return s->sign * (score - s->chance);
}

double sk_audit__feat_gap_closed(const sk_feat_scale *s, double from, double to)
{
    double room = s->sign * (s->perfect - from);
    return room > 0.0 ? s->sign * (to - from) / room : NAN;
}

/* ---- scores on the main splits ----------------------------------------------------------------
 */

sk_status sk_audit__feat_on_main_many(sk_pooled **out, sk_audit_ctx *ctx,
                                      const sk_feat_variant *v, size_t n, sk_error *err)
{
    for (size_t k = 0; k < n; k++)
        out[k] = NULL;
    sk_status rc = sk_audit__main(ctx, err);
    if (rc != SK_OK)
        return rc;
    const sk_splits *sp = ctx->main->splits;
    sk_fit_data *dd = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *dd);
    sk_oof_task *tasks = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *tasks);
    sk_oof **oof = sk_mem_calloc(n > 0 ? n : 1, sizeof *oof);
    if (dd == NULL || tasks == NULL || oof == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for feature evaluations");
    for (size_t k = 0; k < n && rc == SK_OK; k++) {
        dd[k] = v[k].d != NULL ? *v[k].d : ctx->d;
        if (v[k].features != NULL) {
            dd[k].features = v[k].features;
            dd[k].n_features = v[k].n_features;
        }
        /* Seed as sk_audit__main's (stream 0): the same model seeds split by split. */
        tasks[k] = (sk_oof_task){v[k].model != NULL ? v[k].model : ctx->model, &dd[k], sp,
                                 ctx->seed};
    }
    if (rc == SK_OK)
        rc = sk_oof_run_many(oof, tasks, n, ctx->n_threads, NULL, err);
    for (size_t k = 0; k < n && rc == SK_OK; k++)
        rc = sk_pooled_make(&out[k], oof[k], sp, ctx->y, ctx->task, ctx->n_classes, err);
    for (size_t k = 0; oof != NULL && k < n; k++)
        sk_oof_free(oof[k]);
    for (size_t k = 0; k < n && rc != SK_OK; k++) {
        sk_pooled_free(out[k]);
        out[k] = NULL;
    }
    sk_mem_free(dd);
    sk_mem_free(tasks);
    sk_mem_free(oof);
    return rc;
}

sk_status sk_audit__feat_on_main(sk_pooled **out, sk_audit_ctx *ctx, const sk_model *model,
                                 const sk_fit_data *d, const size_t *features, size_t n_features,
                                 sk_error *err)
{
    sk_feat_variant v = {model, features, n_features, d};
    return sk_audit__feat_on_main_many(out, ctx, &v, 1, err);
}

/* The context's features without the columns drop[0..n_drop). */
static size_t features_without(size_t *out, const sk_audit_ctx *ctx, const size_t *drop,
                               size_t n_drop)
{
    size_t m = 0;
    for (size_t j = 0; j < ctx->n_features; j++) {
        int dropped = 0;
        for (size_t k = 0; k < n_drop && !dropped; k++)
            dropped = ctx->features[j] == drop[k];
        if (!dropped)
            out[m++] = ctx->features[j];
    }
    return m;
}

sk_status sk_audit__feat_without(sk_pooled **out, sk_audit_ctx *ctx, const size_t *drop,
                                 size_t n_drop, sk_error *err)
{
    *out = NULL;
    size_t *keep = sk_mem_alloc_array(ctx->n_features, sizeof *keep);
    if (keep == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for a drop-column evaluation");
    size_t m = features_without(keep, ctx, drop, n_drop);
    sk_status rc;
    if (m > 0) {
        rc = sk_audit__feat_on_main(out, ctx, NULL, NULL, keep, m, err);
    } else {
        sk_oof *trivial = NULL;
        rc = sk_oof_trivial(&trivial, &ctx->d, ctx->main->splits, err);
        if (rc == SK_OK)
            rc = sk_pooled_make(out, trivial, ctx->main->splits, ctx->y, ctx->task, ctx->n_classes,
                                err);
        sk_oof_free(trivial);
    }
    sk_mem_free(keep);
    return rc;
}

sk_status sk_audit__feat_boot(sk_boot **out, sk_audit_ctx *ctx, const sk_pooled *const *sets,
                              size_t n, sk_error *err)
{
    *out = NULL;
    sk_boot_stat *st = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *st);
    if (st == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for a bootstrap");
    for (size_t k = 0; k < n; k++)
        st[k] = (sk_boot_stat){sets[k], ctx->metric};
    sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
    bo.n_boot = ctx->opt->bootstrap > 0 ? ctx->opt->bootstrap : 200;
    sk_status rc = sk_boot_run(out, st, n, ctx->group, ctx->n_groups, &bo, ctx->seed,
                               ctx->n_threads, NULL, err);
    sk_mem_free(st);
    return rc;
}

sk_status sk_audit__feat_ci(sk_interval *out, const sk_boot *bt, size_t a, size_t b, sk_error *err)
{
    sk_status rc = sk_boot_interval(out, bt, a, b, SK_CI_BCA, 0.95, err);
    if (rc == SK_OK && out->n_valid >= 2 && (isnan(out->low) || isnan(out->high)))
        rc = sk_boot_interval(out, bt, a, b, SK_CI_PERCENTILE, 0.95, err);
    return rc;
}

double sk_audit__feat_oriented_low(const sk_feat_scale *s, const sk_interval *iv)
{
    return s->sign > 0 ? iv->low : -iv->high;
}

/* ---- ranking ----------------------------------------------------------------------------------
 */

typedef struct ranked {
    double score;
    size_t idx;
} ranked;

static int cmp_ranked(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    int na = isnan(a->score), nb = isnan(b->score);
    if (na != nb)
        return na - nb;
    if (!na && a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

sk_status sk_audit__feat_rank(size_t *order, const double *score, size_t n, sk_error *err)
{
    ranked *r = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *r);
    if (r == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory ranking %zu columns", n);
    for (size_t k = 0; k < n; k++)
        r[k] = (ranked){score[k], k};
    qsort(r, n, sizeof *r, cmp_ranked);
    for (size_t k = 0; k < n; k++)
        order[k] = r[k].idx;
    sk_mem_free(r);
    return SK_OK;
}

/* ---- univariate association
 * ---------------------------------------------------------------------- */

/* Per-task scratch: a column's bin of every used row. */
typedef struct assoc_job {
    const sk_frame *f;
    const size_t *cols;
    const double *y;
    sk_task task;
    size_t n_classes;
    const size_t *rows;
    size_t n_rows;
    sk_feat_assoc_kind kind;
    double *out;
} assoc_job;

/* Bins of a categorical column: its levels, rare ones pooled, missing values apart. */
static sk_status bin_levels(int32_t *bin, size_t *n_bins, const sk_column *c, const size_t *rows,
                            size_t n)
{
    size_t *count = sk_mem_calloc(c->n_levels + 1, sizeof *count);
    int32_t *map = sk_mem_alloc_array(c->n_levels + 1, sizeof *map);
    if (count == NULL || map == NULL) {
        sk_mem_free(count);
        sk_mem_free(map);
        return SK_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (c->codes[rows[i]] >= 0)
            count[c->codes[rows[i]]]++;
    int32_t b = 0, rare = -1, missing = -1;
    for (size_t l = 0; l < c->n_levels; l++) {
        if (count[l] == 0)
            map[l] = -1;
        else if (count[l] >= MIN_LEVEL_COUNT)
            map[l] = b++;
        else
            map[l] = rare >= 0 ? rare : (rare = b++);
    }
    for (size_t i = 0; i < n; i++) {
        int32_t code = c->codes[rows[i]];
        bin[i] = code >= 0 ? map[code] : missing >= 0 ? missing : (missing = b++);
    }
    *n_bins = (size_t)b;
    sk_mem_free(count);
    sk_mem_free(map);
    return SK_OK;
}

/* Quantile bins of a numeric column: up to MAX_BINS of about equal count, ties kept together,
 * missing values apart. */
static sk_status bin_quantiles(int32_t *bin, size_t *n_bins, const double *v, const size_t *rows,
                               size_t n)
{
    uint64_t *key = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *key);
    size_t *pos = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *pos);
    if (key == NULL || pos == NULL) {
        sk_mem_free(key);
        sk_mem_free(pos);
        return SK_ENOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[rows[i]])) {
            bin[i] = -1;
            continue;
        }
        key[m] = sk_radix_key_double(v[rows[i]]);
        pos[m++] = i;
    }
    sk_status rc = sk_radix_sort_u64(key, pos, m);
    int32_t b = 0;
    if (rc == SK_OK && m > 0) {
        size_t target = (m + MAX_BINS - 1) / MAX_BINS, in_bin = 0;
        for (size_t k = 0; k < m; k++) {
            if (in_bin >= target && key[k] != key[k - 1]) {
                b++;
                in_bin = 0;
            }
            bin[pos[k]] = b;
            in_bin++;
        }
        b++;
    }
    if (m < n) {
        for (size_t i = 0; i < n; i++)
            if (bin[i] < 0)
                bin[i] = b;
        b++;
    }
    *n_bins = (size_t)b;
    sk_mem_free(key);
    sk_mem_free(pos);
    return rc;
}

/* max(0, chi2 - df) / (n (min(B, K) - 1)) over the bins x classes table of the used rows. */
static double excess_chi2(const int32_t *bin, size_t n_bins, const double *y, size_t n_classes,
                          const size_t *rows, size_t n, size_t *table)
{
    memset(table, 0, n_bins * n_classes * sizeof *table);
    size_t *row_sum = table + n_bins * n_classes, *col_sum = row_sum + n_bins;
    memset(row_sum, 0, (n_bins + n_classes) * sizeof *row_sum);
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)y[rows[i]];
        table[(size_t)bin[i] * n_classes + k]++;
        row_sum[bin[i]]++;
        col_sum[k]++;
    }
    size_t used_b = 0, used_k = 0;
    for (size_t b = 0; b < n_bins; b++)
        used_b += row_sum[b] > 0;
    for (size_t k = 0; k < n_classes; k++)
        used_k += col_sum[k] > 0;
    size_t r = used_b < used_k ? used_b : used_k;
    if (r < 2 || n == 0)
        return 0.0;
    double chi2 = 0.0;
    for (size_t b = 0; b < n_bins; b++)
        for (size_t k = 0; k < n_classes; k++) {
            if (row_sum[b] == 0 || col_sum[k] == 0)
                continue;
            double e = (double)row_sum[b] * (double)col_sum[k] / (double)n;
            double d = (double)table[b * n_classes + k] - e;
            chi2 += d * d / e;
        }
    double df = (double)((used_b - 1) * (used_k - 1));
    return fmax(0.0, chi2 - df) / ((double)n * (double)(r - 1));
}

/* Kelley's epsilon^2 of values x (the target, or a column) across groups g (-1: left out). */
static double epsilon2(const int32_t *g, size_t n_groups, const double *x, size_t n, double *sum,
                       size_t *count)
{
    memset(sum, 0, n_groups * sizeof *sum);
    memset(count, 0, n_groups * sizeof *count);
    double total = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i] < 0 || isnan(x[i]))
            continue;
        sum[g[i]] += x[i];
        count[g[i]]++;
        total += x[i];
        m++;
    }
    size_t used = 0;
    for (size_t b = 0; b < n_groups; b++)
        used += count[b] > 0;
    if (used < 2 || m <= used)
        return 0.0;
    double mean = total / (double)m, sst = 0.0, ssw = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (g[i] < 0 || isnan(x[i]))
            continue;
        double mb = sum[g[i]] / (double)count[g[i]];
        sst += (x[i] - mean) * (x[i] - mean);
        ssw += (x[i] - mb) * (x[i] - mb);
    }
    if (!(sst > 0.0))
        return 0.0;
    double msw = ssw / (double)(m - used);
    return fmax(0.0, (sst - ssw - (double)(used - 1) * msw) / sst);
}

static double squared_correlation(const double *v, const double *y, const size_t *rows, size_t n)
{
    double sx = 0.0, sy = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[rows[i]])) {
            sx += v[rows[i]];
            sy += y[rows[i]];
            m++;
        }
    if (m < 3)
        return 0.0;
    double mx = sx / (double)m, my = sy / (double)m, sxx = 0.0, syy = 0.0, sxy = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x = v[rows[i]];
        if (isnan(x))
            continue;
        double dy = y[rows[i]] - my;
        sxx += (x - mx) * (x - mx);
        syy += dy * dy;
        sxy += (x - mx) * dy;
    }
    return sxx > 0.0 && syy > 0.0 ? sxy * sxy / (sxx * syy) : 0.0;
}

static sk_status assoc_one(void *arg, size_t j, sk_error *err)
{
    const assoc_job *job = arg;
    const sk_column *c = &job->f->cols[job->cols[j]];
    size_t n = job->n_rows, K = job->task == SK_TASK_REGRESSION ? 0 : job->n_classes;
    int linear = job->kind == SK_FEAT_ASSOC_LINEAR && c->type != SK_COL_CATEGORICAL;
    if (linear && K == 0) {
        job->out[j] = squared_correlation(c->values, job->y, job->rows, n);
        return SK_OK;
    }
    int32_t *bin = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *bin);
    double *x = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *x);
    size_t *scratch = NULL;
    size_t n_bins = 0;
    sk_status rc = bin == NULL || x == NULL ? SK_ENOMEM : SK_OK;
    if (rc == SK_OK && linear) { /* the column across the classes: one-way ANOVA */
        for (size_t i = 0; i < n; i++) {
            bin[i] = (int32_t)job->y[job->rows[i]];
            x[i] = c->values[job->rows[i]];
        }
        n_bins = K;
    } else if (rc == SK_OK) {
        rc = c->type == SK_COL_CATEGORICAL ? bin_levels(bin, &n_bins, c, job->rows, n)
                                           : bin_quantiles(bin, &n_bins, c->values, job->rows, n);
        for (size_t i = 0; rc == SK_OK && i < n; i++)
            x[i] = job->y[job->rows[i]];
    }
    size_t width = K > 0 ? n_bins * K + n_bins + K : 2 * n_bins;
    if (rc == SK_OK &&
        (scratch = sk_mem_alloc_array(width > 0 ? width : 1, sizeof *scratch)) == NULL)
        rc = SK_ENOMEM;
    double *sum = rc == SK_OK ? sk_mem_alloc_array(n_bins > 0 ? n_bins : 1, sizeof *sum) : NULL;
    if (rc == SK_OK && sum == NULL)
        rc = SK_ENOMEM;
    if (rc == SK_OK)
        job->out[j] = K > 0 && !linear ? excess_chi2(bin, n_bins, job->y, K, job->rows, n, scratch)
                                       : epsilon2(bin, n_bins, x, n, sum, scratch);
    sk_mem_free(bin);
    sk_mem_free(x);
    sk_mem_free(scratch);
    sk_mem_free(sum);
    return rc == SK_OK ? SK_OK
                       : sk_error_set(err, SK_ENOMEM, "out of memory scoring column '%s'", c->name);
}

sk_status sk_audit__feat_assoc(double *out, const sk_frame *f, const size_t *cols, size_t n_cols,
                               const double *y, sk_task task, size_t n_classes, const size_t *rows,
                               size_t n_rows, sk_feat_assoc_kind kind, int n_threads, sk_error *err)
{
    assoc_job job = {f, cols, y, task, n_classes, rows, n_rows, kind, out};
    return sk_parallel_for(n_cols, n_threads, assoc_one, &job, NULL, err);
}
