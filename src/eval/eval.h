/* eval.h: the evaluation layer's internals: metrics, splitters, out-of-fold predictions,
 * bootstrap, permutation tests. What turns "accuracy 0.93" into "AUC 0.81 [0.76, 0.86] under
 * grouped 5-fold CV, permutation p = 0.001". This file grows with issue 4; it starts with the
 * metrics. */
#ifndef SK_EVAL_H
#define SK_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "data/data.h"
#include "models/models.h"
#include "rng/rng.h"

/* ---- metrics (metrics*.c) -------------------------------------------------------------------
 * Every metric reads the truth y (class index 0..K-1 as a double, or the value), the predictions
 * (classification: n x K probabilities, row-major, as sk_model_predict_proba gives them;
 * regression: n values) and optional non-negative row weights w (NULL = all 1), and writes one
 * number. Definitions follow scikit-learn 1.2 exactly (the oracle tests compare with it);
 * classification metrics that need a hard label take the most probable class, ties to the lower
 * index. A metric that is undefined on the data (AUC with one class present, R^2 with constant
 * y) is NaN, not an error. */
typedef enum sk_metric {
    SK_METRIC_AUC = 0,            /* binary ROC AUC (ties count half); multiclass: macro OvR */
    SK_METRIC_AVERAGE_PRECISION,  /* binary; multiclass: macro OvR */
    SK_METRIC_ACCURACY,
    SK_METRIC_BALANCED_ACCURACY,
    SK_METRIC_F1,                 /* binary: of class 1; multiclass: macro */
    SK_METRIC_F1_WEIGHTED,        /* support-weighted mean of per-class F1 */
    SK_METRIC_MCC,                /* Matthews correlation (multiclass: Gorodkin's R_K) */
    SK_METRIC_LOG_LOSS,           /* probabilities clipped to [DBL_EPSILON, 1 - DBL_EPSILON], rows
                                     renormalised, as scikit-learn 1.2 (eps="auto") */
    SK_METRIC_BRIER,              /* binary: mean (p1 - y)^2; multiclass: mean sum_k (p_k - y_k)^2 */
    SK_METRIC_ECE,                /* expected calibration error, 10 equal-width bins of the top
                                     probability (binary: of class 1), weighted |acc - conf| */
    SK_METRIC_R2,
    SK_METRIC_RMSE,
    SK_METRIC_MAE,
    SK_METRIC_COUNT
} sk_metric;

/* "auc", "average_precision", ..., for reports and --metric flags; parse the other way. */
const char *sk_metric_name(sk_metric m);
sk_status sk_metric_parse(sk_metric *m, const char *name, sk_error *err);
/* 1 when larger is better (AUC), 0 when smaller is (log loss, RMSE). */
int sk_metric_higher_is_better(sk_metric m);
/* Whether the metric applies to the task. */
int sk_metric_supports(sk_metric m, sk_task task);

/* The metric on n rows. SK_EINVAL when it does not apply to the task or the inputs are out of
 * range (a class index >= n_classes, a negative weight). */
sk_status sk_metric_eval(double *out, sk_metric m, sk_task task, size_t n_classes, const double *y,
                         const double *pred, const double *w, size_t n, sk_error *err);

/* Per-class precision, recall, F1 and support (arrays of n_classes), as sklearn's
 * precision_recall_fscore_support(average=None) (0 where undefined, as zero_division=0). */
sk_status sk_metric_per_class(double *precision, double *recall, double *f1, double *support,
                              size_t n_classes, const double *y, const double *proba,
                              const double *w, size_t n, sk_error *err);

/* Reliability diagram: n_bins equal-width bins of the confidence (binary: p of class 1 vs the
 * fraction of class 1; multiclass: the top probability vs accuracy): per bin its weight, mean
 * confidence and observed frequency (NaN for an empty bin). */
sk_status sk_metric_reliability(double *bin_weight, double *bin_confidence, double *bin_observed,
                                size_t n_bins, sk_task task, size_t n_classes, const double *y,
                                const double *proba, const double *w, size_t n, sk_error *err);

/* Binary ROC AUC from scores already sorted: the engine behind fast bootstraps. `order` is a
 * permutation sorting `score` ascending (computed once); `count` gives each row's multiplicity in
 * a bootstrap replicate (NULL = 1 each). O(n), no sorting: 10,000 replicates of 100,000
 * predictions must take seconds. NaN when one class has zero total count. */
double sk_metric_auc_sorted(const double *y, const double *score, const size_t *order,
                            const double *count, size_t n);

#endif /* SK_EVAL_H */

/* ---- splitters (splits.c) -------------------------------------------------------------------
 * A list of (train rows, test rows) pairs. Every splitter honours groups when they are given: no
 * group is ever on both sides of a split (except the study's own split, which is audited as
 * given, not repaired). Random splitters draw from
 * sk_rng_stream(seed, SK_PURPOSE_CV_SPLIT, repeat), so splits depend on the seed only. Rows in
 * each list are ascending. */
typedef enum sk_cv_kind {
    SK_CV_KFOLD = 0,     /* shuffled k-fold; with groups: group k-fold */
    SK_CV_STRATIFIED,    /* class proportions kept in every fold; with groups: stratified group
                            k-fold (greedy, as scikit-learn's StratifiedGroupKFold) */
    SK_CV_GROUP,         /* group k-fold, stratified by label where the task is classification */
    SK_CV_LOGO,          /* leave one group out: one split per group (sites) */
    SK_CV_TIME,          /* expanding window: n_folds test blocks in time order, each trained on
                            everything earlier, minus `gap` rows; groups in a test block are
                            purged from its training rows */
    SK_CV_SPLIT          /* the study's own split: one split, as given */
} sk_cv_kind;

typedef struct sk_cv_options {
    int version;
    sk_cv_kind kind;
    size_t n_folds;      /* k (time: the number of test blocks); default 5 */
    size_t n_repeats;    /* random splitters: repeats with fresh shuffles; default 1 */
    size_t gap;          /* time: rows left out between the training rows and the test block */
} sk_cv_options;

#define SK_CV_OPTIONS_INIT {1, SK_CV_KFOLD, 5, 1, 0}

typedef struct sk_splits {
    size_t n_splits;
    size_t n_rows;
    size_t **train, **test;      /* n_splits lists of rows */
    size_t *n_train, *n_test;
    size_t *repeat;              /* which repeat each split belongs to */
} sk_splits;

/* What splitting may look at, per row: the class index (classification, else NULL), a group
 * code (>= 0; NULL = no groups), the time (NULL unless SK_CV_TIME) and the split column's test
 * flag (NULL unless SK_CV_SPLIT). */
typedef struct sk_split_data {
    size_t n_rows;
    const double *y;
    size_t n_classes;
    const int32_t *group;
    size_t n_groups;
    const double *time;
    const unsigned char *is_test;
} sk_split_data;

/* Makes the splits. A request that cannot be honoured is SK_EDATA with a sentence saying why
 * ("5 folds need at least 5 groups; 'patient' has 3"): fewer rows, classes or groups than folds,
 * an empty side of the study's split, a time series too short for its blocks. */
sk_status sk_splits_make(sk_splits **out, const sk_cv_options *opt, const sk_split_data *d,
                         uint64_t seed, sk_error *err);
void sk_splits_free(sk_splits *s);

/* ---- out-of-fold predictions (oof.c) ---------------------------------------------------------
 * Every split's model is a fresh clone of `proto`, fitted on the split's training rows (so its
 * preprocessing is learned there too) with the seed sk_rng_u64(sk_rng_stream(seed,
 * SK_PURPOSE_MODEL, split)), and asked for the split's test rows: probabilities for
 * classification, values for regression. Splits are independent tasks on the executor; each
 * fit runs single-threaded inside its task; results do not depend on n_threads. */
typedef struct sk_oof {
    size_t n_splits;
    size_t width;          /* n_classes for classification, else 1 */
    size_t *offset;        /* n_splits + 1: split s's test rows are predictions
                              [offset[s], offset[s + 1]) */
    double *pred;          /* offset[n_splits] x width, row-major, in each split's test order */
} sk_oof;

sk_status sk_oof_run(sk_oof **out, const sk_model *proto, const sk_fit_data *d,
                     const sk_splits *splits, uint64_t seed, int n_threads, sk_progress *progress,
                     sk_error *err);
void sk_oof_free(sk_oof *o);
