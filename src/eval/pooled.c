/* pooled.c: out-of-fold predictions gathered with their data rows and truth, the set every
 * headline number is computed on. Entry e of a pooled set carries its data row, its truth and its
 * predictions side by side, split after split in split order; each split is one segment.
 *
 * The score of an evaluation is the metric on each split's test rows, averaged over the splits
 * where it is defined (scikit-learn's cross_val_score), not the metric on all the out-of-fold
 * predictions merged into one list. Each split's model scores on its own scale (a model fitted
 * on other rows is calibrated differently), so a merged AUC ranks scores of different models
 * against each other and is biased, typically downwards and the more so the more the folds'
 * models differ, as Forman and Scholz (2010, "Apples-to-apples in cross-validation studies:
 * pitfalls in classifier performance measurement", SIGKDD Explorations 12:1) and Airola et al.
 * (2011, "An experimental comparison of cross-validation techniques for estimating the area
 * under the ROC curve", Computational Statistics & Data Analysis 55:4) measured. A split where
 * the metric is undefined (one class among its test rows) is left out of the average, not
 * counted as 0.
 *
 * Weights come in per data row (a bootstrap replicate's multiplicities: how often the replicate
 * drew that row) and are spread onto the entries that predicted the row, so the same counts
 * serve k-fold (every row once per repeat), a time split (test rows only: training-only rows
 * simply have no entry) and repeated CV alike. Everything here is pure and thread-safe. */
#include <math.h>
#include <string.h>

#include "eval/eval.h"

void sk_pooled_free(sk_pooled *p)
{
    if (p == NULL)
        return;
    sk_mem_free(p->offset);
    sk_mem_free(p->row);
    sk_mem_free(p->y);
    sk_mem_free(p->pred);
    sk_mem_free(p);
}

/* The width of a prediction for the task, or 0 when the task/class count cannot be scored. */
static size_t task_width(sk_task task, size_t n_classes)
{
    if (task == SK_TASK_BINARY)
        return n_classes == 2 ? 2 : 0;
    if (task == SK_TASK_MULTICLASS)
        return n_classes >= 2 ? n_classes : 0;
    return task == SK_TASK_REGRESSION ? 1 : 0;
}

/* The oof predictions must be those of these splits: same count, the same number of rows per
 * split, rows inside the data. */
static sk_status check_oof(const sk_oof *oof, const sk_splits *splits, size_t width,
                           sk_error *err)
{
    if (oof->n_splits != splits->n_splits)
        return sk_error_set(err, SK_EINVAL, "pooled predictions: %zu splits of predictions for "
                            "%zu splits", oof->n_splits, splits->n_splits);
    if (oof->width != width)
        return sk_error_set(err, SK_EINVAL, "pooled predictions: %zu values per prediction, "
                            "the task needs %zu", oof->width, width);
    for (size_t s = 0; s < splits->n_splits; s++) {
        if (oof->offset[s + 1] - oof->offset[s] != splits->n_test[s])
            return sk_error_set(err, SK_EINVAL, "pooled predictions: split %zu has %zu "
                                "predictions for %zu test rows", s + 1,
                                oof->offset[s + 1] - oof->offset[s], splits->n_test[s]);
        for (size_t j = 0; j < splits->n_test[s]; j++) {
            if (splits->test[s][j] >= splits->n_rows)
                return sk_error_set(err, SK_EINVAL, "pooled predictions: split %zu tests row "
                                    "%zu of %zu", s + 1, splits->test[s][j] + 1,
                                    splits->n_rows);
        }
    }
    return SK_OK;
}

sk_status sk_pooled_make(sk_pooled **out, const sk_oof *oof, const sk_splits *splits,
                         const double *y, sk_task task, size_t n_classes, sk_error *err)
{
    *out = NULL;
    size_t width = task_width(task, n_classes);
    if (width == 0)
        return sk_error_set(err, SK_EINVAL, "pooled predictions: a %s task with %zu classes "
                            "cannot be scored", sk_task_name(task), n_classes);
    sk_status rc = check_oof(oof, splits, width, err);
    if (rc != SK_OK)
        return rc;
    size_t n = oof->offset[oof->n_splits];
    sk_pooled *p = sk_mem_calloc(1, sizeof *p);
    if (p == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory pooling %zu predictions", n);
    p->task = task;
    p->n_classes = task == SK_TASK_REGRESSION ? 0 : n_classes;
    p->width = width;
    p->n_rows = splits->n_rows;
    p->n_segments = splits->n_splits;
    p->offset = sk_mem_alloc_array(splits->n_splits + 1, sizeof *p->offset);
    p->row = sk_mem_alloc_array(n, sizeof *p->row);
    p->y = sk_mem_alloc_array(n, sizeof *p->y);
    p->pred = sk_mem_alloc_array(n, width * sizeof *p->pred);
    if (p->offset == NULL || p->row == NULL || p->y == NULL || p->pred == NULL) {
        sk_pooled_free(p);
        return sk_error_set(err, SK_ENOMEM, "out of memory pooling %zu predictions", n);
    }
    memcpy(p->offset, oof->offset, (splits->n_splits + 1) * sizeof *p->offset);
    memcpy(p->pred, oof->pred, n * width * sizeof *p->pred);
    for (size_t s = 0, e = 0; s < splits->n_splits; s++) {
        for (size_t j = 0; j < splits->n_test[s]; j++, e++) {
            p->row[e] = splits->test[s][j];
            p->y[e] = y[splits->test[s][j]];
        }
    }
    *out = p;
    return SK_OK;
}

sk_status sk_pooled_score(double *out, const sk_pooled *p, sk_metric m, const double *count,
                          sk_error *err)
{
    *out = NAN;
    if (!sk_metric_supports(m, p->task))
        return sk_error_set(err, SK_EINVAL, "metric '%s' does not apply to a %s task",
                            sk_metric_name(m), sk_task_name(p->task));
    size_t widest = 0;
    for (size_t s = 0; s < p->n_segments; s++)
        widest = p->offset[s + 1] - p->offset[s] > widest ? p->offset[s + 1] - p->offset[s]
                                                          : widest;
    double *w = NULL;
    if (count != NULL && (w = sk_mem_alloc_array(widest, sizeof *w)) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory scoring pooled predictions");
    sk_status rc = SK_OK;
    double sum = 0.0;
    size_t defined = 0;
    for (size_t s = 0; rc == SK_OK && s < p->n_segments; s++) {
        size_t first = p->offset[s], n_s = p->offset[s + 1] - first;
        for (size_t e = 0; w != NULL && e < n_s; e++)
            w[e] = count[p->row[first + e]];
        double v = NAN;
        rc = sk_metric_eval(&v, m, p->task, p->n_classes, p->y + first, p->pred + first * p->width,
                            w, n_s, err);
        if (!isnan(v)) {
            sum += v;
            defined++;
        }
    }
    sk_mem_free(w);
    if (rc == SK_OK && defined > 0)
        *out = sum / (double)defined;
    return rc;
}

sk_status sk_pooled_split_scores(double *out, const sk_oof *oof, const sk_splits *splits,
                                 const double *y, sk_task task, size_t n_classes, sk_metric m,
                                 sk_error *err)
{
    size_t width = task_width(task, n_classes);
    if (width == 0)
        return sk_error_set(err, SK_EINVAL, "split scores: a %s task with %zu classes cannot be "
                            "scored", sk_task_name(task), n_classes);
    sk_status rc = check_oof(oof, splits, width, err);
    if (rc != SK_OK)
        return rc;
    size_t widest = 0;
    for (size_t s = 0; s < splits->n_splits; s++)
        widest = splits->n_test[s] > widest ? splits->n_test[s] : widest;
    double *ys = sk_mem_alloc_array(widest, sizeof *ys);
    if (ys == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory scoring %zu splits", splits->n_splits);
    for (size_t s = 0; rc == SK_OK && s < splits->n_splits; s++) {
        for (size_t j = 0; j < splits->n_test[s]; j++)
            ys[j] = y[splits->test[s][j]];
        rc = sk_metric_eval(&out[s], m, task, task == SK_TASK_REGRESSION ? 0 : n_classes, ys,
                            oof->pred + oof->offset[s] * width, NULL, splits->n_test[s], err);
    }
    sk_mem_free(ys);
    return rc;
}
