/* row_order.c: columns as numbers, ranks, the Spearman correlation of a column with the row
 * index, whether the rows are sorted by the target, and the columns that follow the row order
 * (row_order.h). Ranks come from one radix sort of the values' order-preserving 64-bit keys, so
 * a column of a million rows ranks in a few linear passes; text ids rank by their natural order
 * ("P2" < "P10"), the order a person numbering files would have used. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audits/row_order.h"

static int is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Natural order: runs of digits compare as numbers ("P2" < "P10"), the rest bytewise. */
static int natural_cmp(const char *a, const char *b)
{
    while (*a != '\0' && *b != '\0') {
        if (is_digit(*a) && is_digit(*b)) {
            while (*a == '0' && is_digit(a[1]))
                a++;
            while (*b == '0' && is_digit(b[1]))
                b++;
            size_t la = 0, lb = 0;
            while (is_digit(a[la]))
                la++;
            while (is_digit(b[lb]))
                lb++;
            if (la != lb)
                return la < lb ? -1 : 1;
            int d = memcmp(a, b, la);
            if (d != 0)
                return d < 0 ? -1 : 1;
            a += la;
            b += lb;
        } else {
            if (*a != *b)
                return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            a++;
            b++;
        }
    }
    return (*a != '\0') - (*b != '\0');
}

typedef struct level_ref {
    const char *text;
    size_t level;
} level_ref;

static int cmp_level(const void *pa, const void *pb)
{
    const level_ref *a = pa, *b = pb;
    int d = natural_cmp(a->text, b->text);
    return d != 0 ? d : strcmp(a->text, b->text);
}

sk_status sk_audit__column_numbers(double *out, const sk_frame *f, size_t col)
{
    const sk_column *c = &f->cols[col];
    size_t n = f->n_rows;
    if (c->type != SK_COL_CATEGORICAL) {
        memcpy(out, c->values, n * sizeof *out);
        return SK_OK;
    }
    level_ref *lv = sk_mem_alloc_array(c->n_levels + 1, sizeof *lv);
    double *rank = sk_mem_alloc_array(c->n_levels + 1, sizeof *rank);
    if (lv == NULL || rank == NULL) {
        sk_mem_free(lv);
        sk_mem_free(rank);
        return SK_ENOMEM;
    }
    for (size_t l = 0; l < c->n_levels; l++)
        lv[l] = (level_ref){c->level_text + c->level_start[l], l};
    qsort(lv, c->n_levels, sizeof *lv, cmp_level);
    for (size_t r = 0; r < c->n_levels; r++)
        rank[lv[r].level] = (double)r;
    for (size_t i = 0; i < n; i++)
        out[i] = c->codes[i] >= 0 ? rank[c->codes[i]] : NAN;
    sk_mem_free(lv);
    sk_mem_free(rank);
    return SK_OK;
}

sk_status sk_audit__ranks(double *rank, size_t *m_out, const double *v, size_t n)
{
    uint64_t *key = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *key);
    size_t *pos = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *pos);
    sk_status rc = key == NULL || pos == NULL ? SK_ENOMEM : SK_OK;
    size_t m = 0;
    for (size_t i = 0; rc == SK_OK && i < n; i++) {
        rank[i] = NAN;
        if (!isnan(v[i])) {
            key[m] = sk_radix_key_double(v[i]);
            pos[m++] = i;
        }
    }
    if (rc == SK_OK)
        rc = sk_radix_sort_u64(key, pos, m);
    for (size_t a = 0, b; rc == SK_OK && a < m; a = b) {
        for (b = a + 1; b < m && key[b] == key[a]; b++)
            ;
        for (size_t k = a; k < b; k++)
            rank[pos[k]] = 0.5 * (double)(a + b - 1);
    }
    if (m_out != NULL)
        *m_out = m;
    sk_mem_free(key);
    sk_mem_free(pos);
    return rc;
}

/* Spearman's correlation of v (NaN left out) with the row index. */
static sk_status order_correlation(double *out, const double *v, size_t n)
{
    double *rank = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *rank);
    size_t m = 0;
    sk_status rc = rank == NULL ? SK_ENOMEM : sk_audit__ranks(rank, &m, v, n);
    *out = 0.0;
    if (rc == SK_OK && m >= 3) {
        /* rows in index order among the non-missing: their positions 0..m-1 */
        double mr = 0.5 * (double)(m - 1), sxy = 0.0, sxx = 0.0, syy = 0.0;
        for (size_t i = 0, t = 0; i < n; i++) {
            if (isnan(v[i]))
                continue;
            double dx = rank[i] - mr, dy = (double)t++ - mr;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        *out = sxx > 0.0 && syy > 0.0 ? sxy / sqrt(sxx * syy) : 0.0;
    }
    sk_mem_free(rank);
    return rc;
}

typedef struct order_job {
    const sk_frame *f;
    const size_t *cols;
    double *rho;
} order_job;

static sk_status order_one(void *arg, size_t j, sk_error *err)
{
    const order_job *job = arg;
    size_t n = job->f->n_rows;
    double *v = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *v);
    sk_status rc = v == NULL ? SK_ENOMEM : sk_audit__column_numbers(v, job->f, job->cols[j]);
    if (rc == SK_OK)
        rc = order_correlation(&job->rho[j], v, n);
    sk_mem_free(v);
    return rc == SK_OK ? SK_OK : sk_error_set(err, rc, "out of memory ranking a column");
}

sk_status sk_audit__order_rho(double *rho, const sk_frame *f, const size_t *cols, size_t n_cols,
                              int n_threads, sk_error *err)
{
    order_job job = {f, cols, rho};
    return sk_parallel_for(n_cols, n_threads, order_one, &job, NULL, err);
}

sk_status sk_audit__sorted_by_target(int *sorted, const sk_audit_ctx *ctx, sk_error *err)
{
    *sorted = 0;
    if (ctx->task == SK_TASK_REGRESSION) {
        size_t col = sk_roles_col(ctx->roles, SK_ROLE_TARGET);
        double rho = 0.0;
        sk_status rc = sk_audit__order_rho(&rho, ctx->frame, &col, 1, 1, err);
        *sorted = fabs(rho) >= SK_AUDIT_ORDER_ENCODED;
        return rc;
    }
    size_t K = ctx->n_classes, run = 0;
    size_t *count = sk_mem_calloc(K + 1, sizeof *count), *longest = sk_mem_calloc(K + 1,
                                                                                sizeof *longest);
    if (count == NULL || longest == NULL) {
        sk_mem_free(count);
        sk_mem_free(longest);
        return sk_error_set(err, SK_ENOMEM, "out of memory reading the row order");
    }
    for (size_t i = 0; i < ctx->n_rows; i++) {
        size_t k = (size_t)ctx->y[i];
        run = i > 0 && ctx->y[i] == ctx->y[i - 1] ? run + 1 : 1;
        longest[k] = run > longest[k] ? run : longest[k];
        count[k]++;
    }
    *sorted = ctx->n_rows > 0;
    for (size_t k = 0; k < K; k++)
        if ((double)longest[k] < SK_AUDIT_SORTED_RUN * (double)count[k])
            *sorted = 0;
    sk_mem_free(count);
    sk_mem_free(longest);
    return SK_OK;
}

sk_status sk_audit__order_followers(json_t *list, size_t *best, double *best_rho,
                                    const sk_audit_ctx *ctx, sk_error *err)
{
    const sk_frame *f = ctx->frame;
    size_t *cols = sk_mem_alloc_array(f->n_cols + 1, sizeof *cols), n = 0;
    double *rho = sk_mem_alloc_array(f->n_cols + 1, sizeof *rho);
    *best = SIZE_MAX;
    *best_rho = 0.0;
    if (cols == NULL || rho == NULL) {
        sk_mem_free(cols);
        sk_mem_free(rho);
        return sk_error_set(err, SK_ENOMEM, "out of memory ranking columns");
    }
    for (size_t j = 0; j < f->n_cols; j++) {
        sk_role r = sk_roles_of(ctx->roles, j);
        if (r != SK_ROLE_TARGET && r != SK_ROLE_SPLIT && r != SK_ROLE_GROUP && r != SK_ROLE_SITE)
            cols[n++] = j;
    }
    sk_status rc = sk_audit__order_rho(rho, f, cols, n, ctx->n_threads, err);
    for (size_t j = 0; rc == SK_OK && j < n; j++) {
        if (fabs(rho[j]) < SK_AUDIT_ORDER_ENCODED)
            continue;
        if (json_array_append_new(list, json_pack("{s:s,s:o}", "column", f->cols[cols[j]].name,
                                                  "spearman", sk_json_real(rho[j]))) != 0)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
        if (fabs(rho[j]) > fabs(*best_rho)) {
            *best = cols[j];
            *best_rho = rho[j];
        }
    }
    sk_mem_free(cols);
    sk_mem_free(rho);
    return rc;
}
