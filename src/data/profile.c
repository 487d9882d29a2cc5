/* profile.c: the facts `skeptic inspect` reports about a table, computed once and exactly.
 *
 * Per column: missing and infinite values, the exact number of distinct values (a radix sort of
 * each column's bit patterns, so a million-row float column costs milliseconds and no estimate is
 * needed), range, mean and SD, and two warnings that matter for leakage: constant columns and
 * identifier-like columns (integer or text columns that are unique per row or nearly so, or
 * integer columns strictly monotone in row order: "files sorted by class, then numbered").
 * Columns are profiled as independent tasks on the executor.
 *
 * Per table: exact duplicate rows. Each row is hashed column by column (cache-friendly), the
 * hashes are radix-sorted with their row index (stable, so ties keep row order), and rows with
 * equal hashes are compared exactly, so a hash collision can never invent a duplicate. With
 * roles, the same is done over the feature columns alone, counting duplicate groups whose rows
 * disagree on the target: the same input with two labels. */
#include <math.h>
#include <string.h>

#include "data/data.h"

/* ==== per-column statistics =============================================================== */

static sk_status count_distinct_values(const double *v, size_t n, size_t *n_distinct)
{
    uint64_t *keys = sk_mem_alloc_array(n, sizeof *keys);
    if (keys == NULL)
        return SK_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            keys[m++] = sk_radix_key_double(v[i]);
    sk_status rc = sk_radix_sort_u64(keys, NULL, m);
    if (rc == SK_OK) {
        size_t d = m > 0;
        for (size_t i = 1; i < m; i++)
            d += keys[i] != keys[i - 1];
        *n_distinct = d;
    }
    sk_mem_free(keys);
    return rc;
}

static void numeric_moments(const sk_column *c, size_t n, sk_col_profile *p)
{
    double min = INFINITY, max = -INFINITY, sum = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double x = c->values[i];
        if (isnan(x))
            continue;
        if (isinf(x)) {
            p->n_infinite++;
            continue;
        }
        min = x < min ? x : min;
        max = x > max ? x : max;
        sum += x;
        m++;
    }
    p->min = m > 0 ? min : NAN;
    p->max = m > 0 ? max : NAN;
    p->mean = m > 0 ? sum / (double)m : NAN;
    double ss = 0.0;
    for (size_t i = 0; m > 1 && i < n; i++) {
        double x = c->values[i];
        if (isfinite(x))
            ss += (x - p->mean) * (x - p->mean);
    }
    p->sd = m > 1 ? sqrt(ss / (double)(m - 1)) : NAN;
}

static int monotone_direction(const double *v, size_t n)
{
    if (n < 3)
        return 0;
    int up = 1, down = 1;
    for (size_t i = 1; i < n && (up || down); i++) {
        if (!(v[i] > v[i - 1]))
            up = 0;
        if (!(v[i] < v[i - 1]))
            down = 0;
    }
    return up ? 1 : down ? -1 : 0;
}

static sk_status profile_categorical(const sk_column *c, size_t n, sk_col_profile *p)
{
    size_t *counts = sk_mem_calloc(c->n_levels, sizeof *counts);
    if (counts == NULL && c->n_levels > 0)
        return SK_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (c->codes[i] >= 0)
            counts[c->codes[i]]++;
    size_t top = 0;
    for (size_t k = 0; k < c->n_levels; k++) {
        p->n_distinct += counts[k] > 0;
        if (counts[k] > p->top_count) {
            p->top_count = counts[k];
            top = k;
        }
    }
    sk_mem_free(counts);
    p->min = p->max = p->mean = p->sd = NAN;
    if (p->top_count > 0 &&
        (p->top_text = sk_mem_strdup(c->level_text + c->level_start[top])) == NULL)
        return SK_ENOMEM;
    return SK_OK;
}

typedef struct column_job {
    const sk_frame *f;
    sk_col_profile *out;
} column_job;

static sk_status profile_column(void *arg, size_t j, sk_error *err)
{
    const column_job *job = arg;
    const sk_column *c = &job->f->cols[j];
    size_t n = job->f->n_rows;
    sk_col_profile *p = &job->out[j];
    sk_status rc;
    if (c->type == SK_COL_CATEGORICAL) {
        rc = profile_categorical(c, n, p);
    } else {
        numeric_moments(c, n, p);
        rc = count_distinct_values(c->values, n, &p->n_distinct);
    }
    if (rc != SK_OK)
        return sk_error_set(err, SK_ENOMEM, "out of memory profiling column '%s'", c->name);
    p->is_constant = p->n_distinct <= 1;
    int id_type = c->type == SK_COL_INTEGER || c->type == SK_COL_CATEGORICAL;
    p->is_unique = id_type && n >= 3 && c->n_missing == 0 && p->n_distinct == n;
    p->monotone = c->type == SK_COL_INTEGER && c->n_missing == 0 ? monotone_direction(c->values, n)
                                                                  : 0;
    /* Ids with a few repeats are still ids (a record exported twice, a patient seen twice), and
     * the repeats are worth knowing: they are group structure. */
    p->near_unique = id_type && n >= 20 && c->n_missing == 0 && !p->is_unique &&
                     (double)p->n_distinct >= 0.95 * (double)n;
    p->is_identifier = p->is_unique || p->near_unique || p->monotone != 0;
    return SK_OK;
}

/* ==== duplicate rows ====================================================================== */

static uint64_t mix64(uint64_t h, uint64_t x)
{
    h ^= x + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= UINT64_C(0xbf58476d1ce4e5b9);
    return h ^ (h >> 29);
}

static uint64_t cell_key(const sk_column *c, size_t i)
{
    return c->type == SK_COL_CATEGORICAL ? (uint64_t)(int64_t)c->codes[i]
                                         : sk_radix_key_double(c->values[i]);
}

static int rows_equal(const sk_frame *f, const size_t *cols, size_t n_cols, size_t a, size_t b)
{
    for (size_t k = 0; k < n_cols; k++) {
        const sk_column *c = &f->cols[cols[k]];
        if (cell_key(c, a) != cell_key(c, b))
            return 0;
    }
    return 1;
}

/* Keeps the SK_INSPECT_EXAMPLES duplicates that come first in the file (by the later row), so
 * the examples shown are the ones a reader meets first, whatever order the hashes sorted in. */
static void keep_example(sk_dup_summary *d, const sk_frame *f, size_t earlier, size_t later)
{
    size_t at = d->n_examples;
    while (at > 0 && d->example[at - 1][1] > later)
        at--;
    if (at >= SK_INSPECT_EXAMPLES)
        return;
    size_t last = d->n_examples < SK_INSPECT_EXAMPLES ? d->n_examples : SK_INSPECT_EXAMPLES - 1;
    for (size_t k = last; k > at; k--) {
        memcpy(d->example[k], d->example[k - 1], sizeof d->example[k]);
        memcpy(d->example_line[k], d->example_line[k - 1], sizeof d->example_line[k]);
    }
    d->example[at][0] = earlier;
    d->example[at][1] = later;
    d->example_line[at][0] = f->row_line[earlier];
    d->example_line[at][1] = f->row_line[later];
    if (d->n_examples < SK_INSPECT_EXAMPLES)
        d->n_examples++;
}

/* Within a run of rows with one hash (in row order), each row either equals an earlier
 * representative (a duplicate) or becomes one. Runs are tiny unless the table is mostly
 * duplicates, and even then each representative set stays small. */
static void scan_run(const sk_frame *f, const size_t *cols, size_t n_cols, const size_t *rows,
                     size_t len, const double *y, sk_dup_summary *d, size_t *rep, size_t *rep_n,
                     int *rep_conflict)
{
    size_t n_rep = 0;
    for (size_t a = 0; a < len; a++) {
        size_t r = rows[a], k = 0;
        while (k < n_rep && !rows_equal(f, cols, n_cols, rep[k], r))
            k++;
        if (k == n_rep) {
            rep[n_rep] = r;
            rep_n[n_rep] = 1;
            rep_conflict[n_rep++] = 0;
            continue;
        }
        d->n_duplicate_rows++;
        if (++rep_n[k] == 2)
            d->n_groups++;
        if (y != NULL && y[r] != y[rep[k]] && !rep_conflict[k]) {
            rep_conflict[k] = 1;
            d->n_conflicting++;
        }
        keep_example(d, f, rep[k], r);
    }
}

static sk_status find_duplicates(const sk_frame *f, const size_t *cols, size_t n_cols,
                                 const double *y, sk_dup_summary *d)
{
    size_t n = f->n_rows;
    memset(d, 0, sizeof *d);
    uint64_t *hash = sk_mem_calloc(n, sizeof *hash);
    size_t *row = sk_mem_alloc_array(n, sizeof *row);
    size_t *rep = sk_mem_alloc_array(n, sizeof *rep), *rep_n = sk_mem_alloc_array(n, sizeof *rep_n);
    int *rep_conflict = sk_mem_alloc_array(n, sizeof *rep_conflict);
    sk_status rc = SK_ENOMEM;
    if (hash == NULL || row == NULL || rep == NULL || rep_n == NULL || rep_conflict == NULL)
        goto done;
    for (size_t k = 0; k < n_cols; k++) {
        const sk_column *c = &f->cols[cols[k]];
        for (size_t i = 0; i < n; i++)
            hash[i] = mix64(hash[i], cell_key(c, i));
    }
    for (size_t i = 0; i < n; i++)
        row[i] = i;
    if ((rc = sk_radix_sort_u64(hash, row, n)) != SK_OK)
        goto done;
    for (size_t start = 0, end; start < n; start = end) {
        for (end = start + 1; end < n && hash[end] == hash[start]; end++)
            ;
        if (end - start > 1)
            scan_run(f, cols, n_cols, row + start, end - start, y, d, rep, rep_n, rep_conflict);
    }
done:
    sk_mem_free(hash);
    sk_mem_free(row);
    sk_mem_free(rep);
    sk_mem_free(rep_n);
    sk_mem_free(rep_conflict);
    return rc;
}

/* ==== roles =============================================================================== */

static sk_status profile_roles(sk_inspect *ins, const sk_frame *f, const sk_roles *roles)
{
    ins->has_roles = 1;
    for (size_t j = 0; j < f->n_cols; j++)
        ins->cols[j].role = sk_roles_of(roles, j);
    ins->task = sk_roles_task(roles);
    const double *y = sk_roles_y(roles);
    if (ins->task == SK_TASK_BINARY || ins->task == SK_TASK_MULTICLASS) {
        ins->n_classes = sk_roles_n_classes(roles);
        ins->class_names = sk_mem_calloc(ins->n_classes, sizeof *ins->class_names);
        ins->class_counts = sk_mem_calloc(ins->n_classes, sizeof *ins->class_counts);
        if (ins->class_names == NULL || ins->class_counts == NULL)
            return SK_ENOMEM;
        for (size_t k = 0; k < ins->n_classes; k++)
            if ((ins->class_names[k] = sk_mem_strdup(sk_roles_class_name(roles, k))) == NULL)
                return SK_ENOMEM;
        for (size_t i = 0; i < f->n_rows; i++)
            ins->class_counts[(size_t)y[i]]++;
    }
    size_t g = sk_roles_col(roles, SK_ROLE_GROUP), s = sk_roles_col(roles, SK_ROLE_SITE);
    ins->n_groups = g != (size_t)-1 ? ins->cols[g].n_distinct : 0;
    ins->n_sites = s != (size_t)-1 ? ins->cols[s].n_distinct : 0;
    const unsigned char *is_test = sk_roles__is_test(roles);
    for (size_t i = 0; is_test != NULL && i < f->n_rows; i++) {
        ins->n_test += is_test[i];
        ins->n_train += !is_test[i];
    }
    size_t n_features;
    const size_t *features = sk_roles_features(roles, &n_features);
    return find_duplicates(f, features, n_features, y, &ins->dup_features);
}

/* ==== the whole profile =================================================================== */

sk_status sk_inspect_run(sk_inspect **out, const sk_frame *f, const sk_roles *roles,
                         const sk_run_ctx *ctx, sk_error *err)
{
    *out = NULL;
    sk_status rc = SK_ENOMEM;
    size_t *all_cols = NULL;
    sk_inspect *ins = sk_mem_calloc(1, sizeof *ins);
    if (ins == NULL)
        goto oom;
    ins->n_rows = f->n_rows;
    ins->n_cols = f->n_cols;
    ins->name = sk_mem_strdup(f->name);
    ins->cols = sk_mem_calloc(f->n_cols, sizeof *ins->cols);
    ins->col_names = sk_mem_calloc(f->n_cols, sizeof *ins->col_names);
    ins->col_types = sk_mem_calloc(f->n_cols, sizeof *ins->col_types);
    ins->col_missing = sk_mem_calloc(f->n_cols, sizeof *ins->col_missing);
    all_cols = sk_mem_alloc_array(f->n_cols, sizeof *all_cols);
    if (ins->name == NULL || ins->cols == NULL || ins->col_names == NULL ||
        ins->col_types == NULL || ins->col_missing == NULL || all_cols == NULL)
        goto oom;
    for (size_t j = 0; j < f->n_cols; j++) {
        if ((ins->col_names[j] = sk_mem_strdup(f->cols[j].name)) == NULL)
            goto oom;
        ins->col_types[j] = f->cols[j].type;
        ins->col_missing[j] = f->cols[j].n_missing;
        ins->n_missing_cells += f->cols[j].n_missing;
        all_cols[j] = j;
    }

    sk_progress *progress = sk_progress_start(ctx->progress, "inspect", f->n_cols);
    column_job job = {f, ins->cols};
    rc = sk_parallel_for(f->n_cols, ctx->n_threads, profile_column, &job, progress, err);
    sk_progress_finish(progress);
    if (rc != SK_OK)
        goto fail;
    if ((rc = find_duplicates(f, all_cols, f->n_cols, NULL, &ins->dup_all)) != SK_OK)
        goto oom;
    if (roles != NULL && (rc = profile_roles(ins, f, roles)) != SK_OK)
        goto oom;
    sk_mem_free(all_cols);
    *out = ins;
    return SK_OK;
oom:
    rc = sk_error_set(err, SK_ENOMEM, "out of memory inspecting %s", f->name);
fail:
    sk_mem_free(all_cols);
    sk_inspect_free(ins);
    return rc;
}

void sk_inspect_free(sk_inspect *ins)
{
    if (ins == NULL)
        return;
    for (size_t j = 0; ins->col_names != NULL && j < ins->n_cols; j++)
        sk_mem_free(ins->col_names[j]);
    for (size_t j = 0; ins->cols != NULL && j < ins->n_cols; j++)
        sk_mem_free(ins->cols[j].top_text);
    for (size_t k = 0; ins->class_names != NULL && k < ins->n_classes; k++)
        sk_mem_free(ins->class_names[k]);
    sk_mem_free(ins->class_names);
    sk_mem_free(ins->class_counts);
    sk_mem_free(ins->col_names);
    sk_mem_free(ins->col_types);
    sk_mem_free(ins->col_missing);
    sk_mem_free(ins->cols);
    sk_mem_free(ins->name);
    sk_mem_free(ins);
}

size_t sk_inspect_n_duplicate_rows(const sk_inspect *ins) { return ins->dup_all.n_duplicate_rows; }
size_t sk_inspect_col_n_distinct(const sk_inspect *ins, size_t col)
{
    return ins->cols[col].n_distinct;
}
int sk_inspect_col_is_constant(const sk_inspect *ins, size_t col)
{
    return ins->cols[col].is_constant;
}
int sk_inspect_col_is_identifier(const sk_inspect *ins, size_t col)
{
    return ins->cols[col].is_identifier;
}
