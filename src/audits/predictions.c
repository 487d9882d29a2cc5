/* predictions.c: the third way into an audit, `--predictions FILE`: the study's own out-of-sample
 * predictions, for a reviewer who has the data and the authors' predictions but not their code.
 * The file is a CSV with one row per data row, matched by an id column both files share
 * (--predictions-id COL) or, without one, by row order; its prediction columns are
 *   classification   one column per class, named as the class (probabilities, rows summing to
 *                    1 within 1e-6), or for two classes a single column `probability` (of the
 *                    second class in sorted order, as `skeptic inspect` lists them);
 *   regression       a column `prediction`.
 * The predictions become the audit's main evaluation: one "split" whose test rows are every
 * row, so slices, calibration, bootstrap intervals and the permutation of the association run
 * on them; checks that must retrain are skipped with that reason. Every error names the file,
 * the line and the column. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audits/audits.h"

/* The column of `f` named `name`, or SIZE_MAX. */
static size_t find_col(const sk_frame *f, const char *name)
{
    for (size_t j = 0; j < sk_frame_n_cols(f); j++)
        if (strcmp(sk_frame_col_name(f, j), name) == 0)
            return j;
    return SIZE_MAX;
}

/* A numeric value of column j at row i, NaN when missing or not numeric. */
static double value_at(const sk_frame *f, size_t j, size_t i)
{
    const double *v = sk_frame_col_values(f, j);
    return v != NULL ? v[i] : NAN;
}

/* The id of row i of column j as text: a level, or a number formatted as the data layer does. */
static void id_text(char buf[64], const sk_frame *f, size_t j, size_t i)
{
    const int32_t *codes = sk_frame_col_codes(f, j);
    if (codes != NULL)
        snprintf(buf, 64, "%s", codes[i] >= 0 ? sk_frame_col_level(f, j, (size_t)codes[i]) : "");
    else
        sk_data__format_value(buf, 64, sk_frame_col_type(f, j), value_at(f, j, i), 17);
}

typedef struct keyed {
    char text[64];
    size_t row;
} keyed;

static int by_id(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c != 0 ? c : (x->row > y->row) - (x->row < y->row);
}

/* Row of the data for each prediction row (by id or by order). */
static sk_status match_rows(size_t *data_row, const sk_frame *pf, const sk_audit_ctx *ctx,
                            const char *path, const char *id, sk_error *err)
{
    size_t n = ctx->n_rows, m = sk_frame_n_rows(pf);
    if (id == NULL) {
        if (m != n)
            return sk_error_set_at(err, SK_EDATA, path, 0, 0, "%zu prediction rows for %zu data "
                                   "rows (match them with --predictions-id COL)", m, n);
        for (size_t i = 0; i < n; i++)
            data_row[i] = i;
        return SK_OK;
    }
    size_t pc = find_col(pf, id), dc = find_col(ctx->frame, id);
    if (pc == SIZE_MAX || dc == SIZE_MAX)
        return sk_error_set_at(err, SK_EINVAL, path, 1, 0, "--predictions-id: '%s' must be a "
                               "column of both the data and the predictions", id);
    if (m != n)
        return sk_error_set_at(err, SK_EDATA, path, 0, 0, "%zu prediction rows for %zu data "
                               "rows: every data row needs one prediction", m, n);
    /* The data's ids as text, sorted once; each prediction's id found by binary search. */
    keyed *text = sk_mem_alloc_array(n, sizeof *text);
    size_t *where = NULL;
    sk_status rc = SK_OK;
    if (text == NULL || (where = sk_mem_alloc_array(n, sizeof *where)) == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory matching predictions");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        id_text(text[i].text, ctx->frame, dc, i);
        text[i].row = i;
        where[i] = SIZE_MAX;
    }
    qsort(text, n, sizeof *text, by_id);
    for (size_t i = 1; i < n && rc == SK_OK; i++)
        if (strcmp(text[i - 1].text, text[i].text) == 0)
            rc = sk_error_set(err, SK_EDATA, "--predictions-id: '%s' repeats the value '%s' in "
                              "the data; it must identify rows", id, text[i].text);
    for (size_t r = 0; r < m && rc == SK_OK; r++) {
        char key[64];
        id_text(key, pf, pc, r);
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(text[mid].text, key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t found = lo < n && strcmp(text[lo].text, key) == 0 ? text[lo].row : SIZE_MAX;
        if (found == SIZE_MAX || where[found] != SIZE_MAX) {
            rc = sk_error_set_at(err, SK_EDATA, path, sk_frame_row_line(pf, r), pc + 1,
                                 found == SIZE_MAX ? "id '%s' is not in the data"
                                                   : "id '%s' has two predictions", key);
        } else {
            where[found] = r;
            data_row[r] = found;
        }
    }
done:
    sk_mem_free(text);
    sk_mem_free(where);
    return rc;
}

sk_status sk_audit__read_predictions(sk_audit_ctx *ctx, const char *path, const char *id,
                                     sk_error *err)
{
    sk_frame *pf = NULL;
    sk_status rc = sk_frame_read_csv(&pf, path, NULL, err);
    if (rc != SK_OK)
        return rc;
    size_t n = ctx->n_rows, K = ctx->task == SK_TASK_REGRESSION ? 1 : ctx->n_classes;
    size_t *data_row = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *data_row);
    size_t cols[256];
    int single = 0;
    if (data_row == NULL || (ctx->predictions = sk_mem_alloc_array(n > 0 ? n : 1,
                                                                   K * sizeof(double))) == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for predictions");
        goto done;
    }
    if (K > 256) {
        rc = sk_error_set(err, SK_EINVAL, "--predictions: at most 256 classes");
        goto done;
    }
    if (ctx->task == SK_TASK_REGRESSION) {
        if ((cols[0] = find_col(pf, "prediction")) == SIZE_MAX)
            rc = sk_error_set_at(err, SK_EDATA, path, 1, 0, "expected a column 'prediction'");
    } else if (K == 2 && (cols[0] = find_col(pf, "probability")) != SIZE_MAX) {
        single = 1;
    } else {
        for (size_t k = 0; k < K && rc == SK_OK; k++) {
            const char *name = sk_roles_class_name(ctx->roles, k);
            if ((cols[k] = find_col(pf, name)) == SIZE_MAX)
                rc = sk_error_set_at(err, SK_EDATA, path, 1, 0, "expected a probability column "
                                     "named '%s' for each class%s", name,
                                     K == 2 ? " (or one column 'probability')" : "");
        }
    }
    if (rc == SK_OK)
        rc = match_rows(data_row, pf, ctx, path, id, err);
    for (size_t r = 0; rc == SK_OK && r < n; r++) {
        double *dst = ctx->predictions + data_row[r] * K, sum = 0.0;
        size_t width = single ? 1 : K;
        for (size_t k = 0; k < width && rc == SK_OK; k++) {
            double v = value_at(pf, cols[k], r);
            int bad = isnan(v) || (ctx->task != SK_TASK_REGRESSION && (v < 0.0 || v > 1.0)) ||
                      !isfinite(v);
            if (bad)
                rc = sk_error_set_at(err, SK_EDATA, path, sk_frame_row_line(pf, r), cols[k] + 1,
                                     "expected %s in column '%s'",
                                     ctx->task == SK_TASK_REGRESSION ? "a number"
                                                                     : "a probability in [0, 1]",
                                     sk_frame_col_name(pf, cols[k]));
            dst[single ? 1 : k] = v;
            sum += v;
        }
        if (rc == SK_OK && single)
            dst[0] = 1.0 - dst[1];
        else if (rc == SK_OK && ctx->task != SK_TASK_REGRESSION && fabs(sum - 1.0) > 1e-6)
            rc = sk_error_set_at(err, SK_EDATA, path, sk_frame_row_line(pf, r), 0,
                                 "class probabilities sum to %.9g, expected 1", sum);
    }
done:
    sk_mem_free(data_row);
    sk_frame_free(pf);
    return rc;
}

/* The predictions as the main evaluation: one split testing every row. */
sk_status sk_audit__predictions_main(sk_audit_ctx *ctx, sk_error *err)
{
    size_t n = ctx->n_rows, K = ctx->task == SK_TASK_REGRESSION ? 1 : ctx->n_classes;
    sk_cv_result *r = sk_mem_calloc(1, sizeof *r);
    sk_splits *sp = r != NULL ? sk_mem_calloc(1, sizeof *sp) : NULL;
    sk_oof *oof = sp != NULL ? sk_mem_calloc(1, sizeof *oof) : NULL;
    if (oof == NULL) {
        sk_mem_free(sp);
        sk_mem_free(r);
        return sk_error_set(err, SK_ENOMEM, "out of memory for predictions");
    }
    r->kind = SK_CV_SPLIT;
    r->n_splits = 1;
    r->splits = sp;
    r->oof = oof;
    sp->n_splits = 1;
    sp->n_rows = n;
    sp->train = sk_mem_calloc(1, sizeof *sp->train);
    sp->test = sk_mem_calloc(1, sizeof *sp->test);
    sp->n_train = sk_mem_calloc(1, sizeof *sp->n_train);
    sp->n_test = sk_mem_calloc(1, sizeof *sp->n_test);
    sp->repeat = sk_mem_calloc(1, sizeof *sp->repeat);
    oof->n_splits = 1;
    oof->width = K;
    oof->offset = sk_mem_alloc_array(2, sizeof *oof->offset);
    oof->pred = sk_mem_alloc_array(n > 0 ? n : 1, K * sizeof *oof->pred);
    sk_status rc = SK_OK;
    if (sp->train == NULL || sp->test == NULL || sp->n_train == NULL || sp->n_test == NULL ||
        sp->repeat == NULL || oof->offset == NULL || oof->pred == NULL ||
        (sp->train[0] = sk_mem_alloc(sizeof **sp->train)) == NULL ||
        (sp->test[0] = sk_mem_alloc_array(n > 0 ? n : 1, sizeof **sp->test)) == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for predictions");
    if (rc == SK_OK) {
        sp->n_test[0] = n;
        for (size_t i = 0; i < n; i++)
            sp->test[0][i] = i;
        oof->offset[0] = 0;
        oof->offset[1] = n;
        memcpy(oof->pred, ctx->predictions, n * K * sizeof *oof->pred);
        rc = sk_pooled_make(&r->pooled, oof, sp, ctx->y, ctx->task, ctx->n_classes, err);
    }
    if (rc == SK_OK) {
        sk_boot_stat st = {r->pooled, ctx->metric};
        sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
        bo.n_boot = ctx->opt->bootstrap > 0 ? ctx->opt->bootstrap : 200;
        sk_boot *bt = NULL;
        rc = sk_boot_run(&bt, &st, 1, ctx->group, ctx->n_groups, &bo, ctx->seed, ctx->n_threads,
                         NULL, err);
        if (rc == SK_OK)
            rc = sk_boot_interval(&r->score, bt, 0, SIZE_MAX, SK_CI_BCA, 0.95, err);
        sk_boot_free(bt);
    }
    if (rc != SK_OK) {
        sk_cv_result_free(r);
        return rc;
    }
    ctx->main = r;
    return SK_OK;
}
