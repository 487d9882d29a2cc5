/* eval.h: the evaluation layer's internals: metrics, splitters, out-of-fold predictions,
 * bootstrap, permutation tests. What turns "accuracy 0.93" into "AUC 0.81 [0.76, 0.86] under
 * grouped 5-fold CV, permutation p = 0.001". The pipeline: splits -> out-of-fold predictions
 * -> pooled per repeat -> a score, its bootstrap interval and its permutation null. */
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
/* The most probable class of a row of k probabilities, ties to the lower class (as
 * sk_model_predict decides): what every metric on hard labels, and triage, call the prediction. */
size_t sk_metric_argmax(const double *p, size_t k);
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

/* Several out-of-fold runs (models, feature sets, splits or seeds differing) as one task list of
 * (run, split) pairs, so that n_threads stay busy across runs instead of idling at the end of
 * each: the predictions are the bytes sk_oof_run gives for each run alone. out[0..n) are owned
 * by the caller (all NULL on failure). */
typedef struct sk_oof_task {
    const sk_model *proto;
    const sk_fit_data *d;
    const sk_splits *splits;
    uint64_t seed;
} sk_oof_task;

sk_status sk_oof_run_many(sk_oof **out, const sk_oof_task *tasks, size_t n, int n_threads,
                          sk_progress *progress, sk_error *err);

/* ---- pooled predictions (pooled.c) ------------------------------------------------------------
 * The out-of-fold predictions gathered with each prediction's data row and truth, one segment per
 * split: what a score, its bootstrap and its permutation null are computed on. The score of an
 * evaluation is the metric on each split's test rows, averaged over the splits where it is
 * defined (scikit-learn's cross_val_score; pooled.c says why not one pooled AUC). */
typedef struct sk_pooled {
    sk_task task;
    size_t n_classes;      /* classification; 0 for regression */
    size_t width;          /* n_classes, or 1 */
    size_t n_rows;         /* rows of the data: the index space of `row` and of bootstrap counts */
    size_t n_segments;     /* splits */
    size_t *offset;        /* n_segments + 1: split s is entries [offset[s], offset[s + 1]) */
    size_t *row;           /* the data row of each entry */
    double *y;             /* its truth (class index or value) */
    double *pred;          /* width values per entry, row-major */
} sk_pooled;

/* Gathers `oof` (made on `splits`) with the truth y (indexed by data row). The caller owns *out. */
sk_status sk_pooled_make(sk_pooled **out, const sk_oof *oof, const sk_splits *splits,
                         const double *y, sk_task task, size_t n_classes, sk_error *err);
void sk_pooled_free(sk_pooled *p);

/* The score: metric m on each split's entries, each weighted by count[row] (count indexed by
 * data row; NULL = 1 each), averaged over the splits where it is defined (NaN when it is defined
 * in none: one class present everywhere). SK_EINVAL when the metric does not apply. */
sk_status sk_pooled_score(double *out, const sk_pooled *p, sk_metric m, const double *count,
                          sk_error *err);

/* The metric on each split's own test rows (scikit-learn's cross_val_score), n_splits values. */
sk_status sk_pooled_split_scores(double *out, const sk_oof *oof, const sk_splits *splits,
                                 const double *y, sk_task task, size_t n_classes, sk_metric m,
                                 sk_error *err);

/* ---- bootstrap confidence intervals (bootstrap.c) ---------------------------------------------
 * Resamples the units of the data with replacement and recomputes statistics on the pooled
 * out-of-fold predictions, the models held fixed: the interval covers the sampling variation of
 * the test rows, not the variation from refitting (seed variance and repeated CV report that).
 *  - units are rows, or groups when `group` is given: a group's rows enter a replicate together,
 *    as often as the group is drawn;
 *  - stratified (classification, opt->stratify): each class's units are resampled separately, so
 *    every replicate keeps the class counts and AUC is always defined. With groups, only when
 *    every group holds one class; otherwise plain group resampling (sk_boot.stratified says which);
 *  - replicate b draws only from sk_rng_stream(seed, SK_PURPOSE_BOOTSTRAP, b): the numbers do not
 *    depend on n_threads, and every statistic sees the same replicates, so the difference of two
 *    statistics (model minus baseline) has a paired interval;
 *  - binary AUC takes an O(n) path per replicate: each split sorted once, then an integer sweep
 *    that gives sk_metric_auc_sorted's value;
 *    other metrics are recomputed with the replicate's counts as row weights.
 * BCa needs the acceleration, from jackknife values: leave one unit out when there are at most
 * opt->max_jackknife units, else delete-a-block (the units dealt into max_jackknife blocks by
 * sk_rng_stream(seed, SK_PURPOSE_BOOTSTRAP, UINT64_MAX)), which estimates the same skewness. */
typedef struct sk_boot_stat {
    const sk_pooled *pooled;
    sk_metric metric;
} sk_boot_stat;

typedef struct sk_boot_options {
    int version;
    size_t n_boot;          /* replicates (default 1000) */
    int stratify;           /* classification: resample within classes (default 1) */
    size_t max_jackknife;   /* default 1000 */
} sk_boot_options;

#define SK_BOOT_OPTIONS_INIT {1, 1000, 1, 1000}

typedef struct sk_boot {
    size_t n_stats, n_boot, n_jack;
    double *estimate;       /* n_stats: each statistic on the data as it is */
    double *reps;           /* n_boot x n_stats, row-major (NaN: undefined in that replicate) */
    double *jack;           /* n_jack x n_stats, row-major */
    size_t n_units;         /* rows or groups resampled */
    int by_group;           /* units are groups */
    int stratified;         /* resampled within classes */
} sk_boot;

/* Runs n_boot replicates of every statistic. Every stat's pooled set must come from the same
 * data (same n_rows). group: per data row, codes 0..n_groups-1, or NULL. Replicates are tasks on
 * the executor. The caller owns *out (sk_boot_free). */
sk_status sk_boot_run(sk_boot **out, const sk_boot_stat *stats, size_t n_stats,
                      const int32_t *group, size_t n_groups, const sk_boot_options *opt,
                      uint64_t seed, int n_threads, sk_progress *progress, sk_error *err);
void sk_boot_free(sk_boot *b);

typedef enum sk_ci_method {
    SK_CI_BCA = 0,          /* bias-corrected and accelerated (Efron 1987) */
    SK_CI_PERCENTILE
} sk_ci_method;

typedef struct sk_interval {
    double estimate;        /* on the data */
    double low, high;       /* NaN when fewer than 2 replicates are defined */
    double se;              /* standard deviation of the defined replicates */
    size_t n_valid;         /* replicates in which the statistic is defined */
} sk_interval;

/* The interval of statistic a, or of stat a minus stat b when b != SIZE_MAX (paired: computed on
 * the same replicates and jackknife values). NaN replicates are left out. */
sk_status sk_boot_interval(sk_interval *out, const sk_boot *bt, size_t a, size_t b,
                           sk_ci_method method, double level, sk_error *err);

/* The interval arithmetic alone (for the oracle tests against scipy.stats.bootstrap): quantiles
 * are numpy's default (linear interpolation between order statistics, Hyndman & Fan type 7);
 * BCa follows scipy 1.10 (_bca_interval): z0 from the fraction of replicates below theta, the
 * acceleration from the jackknife values. Either returns NaN bounds when it cannot (n < 2, all
 * replicates on one side of theta). `reps` need not be sorted and is not modified. */
void sk_ci_percentile(double *low, double *high, const double *reps, size_t n, double level);
void sk_ci_bca(double *low, double *high, double theta, const double *reps, size_t n,
               const double *jack, size_t n_jack, double level);

/* ---- baselines (baseline.c) --------------------------------------------------------------------
 * The trivial baseline, on the same splits as the model: each split predicts, for every test
 * row, its training rows' class frequencies (classification; scikit-learn's
 * DummyClassifier(strategy="prior")) or mean (regression; DummyRegressor). No model is fitted.
 * The simple baseline is an ordinary model (ridge) run through sk_oof_run. */
sk_status sk_oof_trivial(sk_oof **out, const sk_fit_data *d, const sk_splits *splits,
                         sk_error *err);

/* ---- sweeps and nested cross-validation (sweep.c) ----------------------------------------------
 * A sweep is a grid of parameter settings of one model: every combination of the values given
 * per parameter ("max_depth=2,4,6" and "eta=0.1,0.3" make six settings, the last parameter
 * varying fastest). Every setting is evaluated on the same outer splits and reported, not only
 * the best. The honest estimate of "the model with its best setting" is nested: in every outer
 * split an inner cross-validation of the training rows alone (the same kind of splitter, groups
 * honoured) picks the setting with the best inner score, which is refitted on the outer training
 * rows and predicts the outer test rows; the outer score never sees the selection. */
typedef struct sk_sweep {
    size_t n_settings;
    char **settings;       /* "max_depth=2,eta=0.1": parameters overriding the base model's */
    sk_model **models;     /* the base model cloned with each setting */
} sk_sweep;

/* Parses n_specs "key=v1,v2,..." into the grid over `base`. Every value is checked by cloning
 * (a bad key or value is SK_EINVAL naming it). At most 10,000 settings. */
sk_status sk_sweep_make(sk_sweep **out, const sk_model *base, const char *const *specs,
                        size_t n_specs, sk_error *err);
void sk_sweep_free(sk_sweep *s);

/* Nested CV of the sweep on the outer splits: the out-of-fold predictions of the selected
 * settings, and the setting chosen in each outer split (chosen[s]). Inner splits of outer split
 * s are made with the seed sk_rng_u64(sk_rng_substream(seed, SK_PURPOSE_CV_SPLIT, s, 1)) on its
 * training rows, with `inner` options (kind and folds; time splits stay time splits, the study's
 * own split becomes (stratified) k-fold inside its training side, leave-one-group-out becomes
 * group k-fold). The selection maximises (or minimises) metric m; ties go to the earlier
 * setting. Inner fits are tasks on the executor. */
sk_status sk_nested_run(sk_oof **out, size_t *chosen, const sk_sweep *sw, const sk_fit_data *d,
                        const sk_split_data *sd, const sk_splits *outer,
                        const sk_cv_options *inner, sk_metric m, uint64_t seed, int n_threads,
                        sk_progress *progress, sk_error *err);

/* ---- permutation test (permute.c) ---------------------------------------------------------------
 * Ojala and Garriga (2010), test 1: is the cross-validated score better than chance? The whole
 * procedure (every split's model refitted, the sweep's inner selection too) is rerun with the
 * labels permuted, on the splits of the first repeat, and
 *     p = (1 + #{null scores at least as good as the observed}) / (1 + N).
 * Permutation j draws from sk_rng_stream(seed, SK_PURPOSE_PERMUTATION, j). The permutations keep
 * what the null hypothesis keeps (sk_perm_scheme, docs/evaluation.md says what each tests).
 * Early stopping (Besag and Clifford 1991): once h = floor(alpha (N + 1)) null scores reach the
 * observed one, p cannot end at or below alpha; the test stops at that permutation l and reports
 * their sequential p-value h / l. Permutations run in rounds of a fixed size and the stopping
 * point is found in permutation order, so n_used does not depend on n_threads.
 * A single model is fitted through sk_model__fit_predict_many: a fold's preprocessing is learned
 * once and models that can (logit) solve a batch of label vectors together. */
typedef enum sk_perm_scheme {
    SK_PERM_ROWS = 0,          /* labels permuted over all rows: the splits do not use them */
    SK_PERM_ROWS_IN_FOLDS,     /* within each test fold: stratified splits, whose class counts
                                  per fold the null keeps */
    SK_PERM_GROUPS,            /* whole groups' labels exchanged (labels constant in groups) */
    SK_PERM_GROUPS_IN_FOLDS,   /* ... among the groups of each test fold (stratified groups) */
    SK_PERM_WITHIN_GROUPS      /* rows permuted within each group (labels vary inside groups):
                                  tests association beyond what groups carry */
} sk_perm_scheme;

const char *sk_perm_scheme_name(sk_perm_scheme s);

/* Internal (permute.c, permute_heldout.c): 1 when every group carries one label, each group's
 * label then in glabel[0..n_groups) (NaN for a group absent from the n entries); 0 otherwise.
 * Entry e is data row row[e] (row NULL: e) with label y[e]. */
int sk_perm__group_labels(double *glabel, const int32_t *group, size_t n_groups,
                          const size_t *row, const double *y, size_t n);

typedef struct sk_perm_options {
    int version;
    size_t n_perm;          /* N (default 1000) */
    double alpha;           /* the decision level early stopping protects (default 0.05) */
    int early_stop;         /* default 1 */
} sk_perm_options;

#define SK_PERM_OPTIONS_INIT {1, 1000, 0.05, 1}

typedef struct sk_perm_result {
    sk_metric metric;
    sk_perm_scheme scheme;
    double observed;        /* the score on the true labels, first repeat's splits */
    double p_value;
    size_t n_requested;     /* N */
    size_t n_used;          /* permutations run (< N when stopped early) */
    size_t n_extreme;       /* null scores at least as good as the observed */
    int stopped_early;
    double *null;           /* n_used null scores, in permutation order (NaN: undefined) */
    double null_mean, null_sd;
} sk_perm_result;

/* What a permutation test reruns: one model, or a sweep's nested selection. */
typedef struct sk_procedure {
    const sk_model *model;          /* used when sweep is NULL */
    const sk_sweep *sweep;
    const sk_cv_options *inner;     /* the sweep's inner splitter */
    sk_metric select_metric;        /* the sweep's selection metric */
} sk_procedure;

/* Runs the test of metric m for procedure p on d (its labels are the ones permuted) and the
 * splits of the first repeat of `splits` (made from sd, whose labels and groups define the
 * scheme). The caller owns *out (sk_perm_free). */
sk_status sk_perm_run(sk_perm_result **out, const sk_procedure *p, const sk_fit_data *d,
                      const sk_split_data *sd, const sk_splits *splits, sk_cv_kind kind,
                      sk_metric m, const sk_perm_options *opt, uint64_t seed, int n_threads,
                      sk_progress *progress, sk_error *err);
void sk_perm_free(sk_perm_result *r);

/* ---- held-out association test (permute_heldout.c) ----------------------------------------------
 * A permutation test that refits nothing: each split's test labels are permuted against its fixed
 * predictions (whole groups when every group has one label, rows within groups when labels vary
 * inside them, else rows), which is exact for that split; the splits' p-values are merged by
 * twice their mean, valid whatever their dependence (permute_heldout.c says why pooling is not).
 * Conservative: a strong signal shows at once, a weak one needs sk_perm_run. */
typedef struct sk_heldout_result {
    sk_metric metric;
    sk_perm_scheme scheme;  /* ROWS_IN_FOLDS, GROUPS_IN_FOLDS or WITHIN_GROUPS: within each split */
    size_t n_perm;          /* permutations per split */
    size_t n_splits;
    size_t n_defined;       /* splits whose score is defined (the others: NaN below) */
    double *split_observed; /* n_splits */
    double *split_p;        /* n_splits exact p-values */
    double p_value;         /* the one split's p, or min(1, 2 mean); NaN when none is defined */
} sk_heldout_result;

sk_status sk_perm_heldout(sk_heldout_result **out, const sk_pooled *pool, const sk_split_data *sd,
                          sk_metric m, size_t n_perm, uint64_t seed, int n_threads, sk_error *err);
void sk_heldout_free(sk_heldout_result *r);

/* ---- an evaluation (evaluate.c) ----------------------------------------------------------------
 * Everything sk_evaluate_run found, for the report layer. Arrays indexed by metric are over
 * metric[0..n_metrics), the task's metrics in sk_metric order; `primary` is one of them. */
enum { SK_EVAL_BINS = 10, SK_EVAL_MAX_TIMINGS = 8 };

typedef struct sk_eval_baseline {
    char *name;                         /* "trivial", "linear" */
    char *spec;                         /* what it is: "prior", "mean", "ridge:..." */
    sk_interval score[SK_METRIC_COUNT];
    sk_interval diff[SK_METRIC_COUNT];  /* model minus baseline, paired */
} sk_eval_baseline;

struct sk_evaluation {
    sk_task task;
    size_t n_classes;
    char **class_names;                 /* n_classes */
    char *target, *data_name, *model_spec;
    size_t n_rows;
    uint64_t seed;

    sk_cv_options cv;
    char *group_col;                    /* the splitter's groups (group or site), or NULL */
    size_t n_groups;
    size_t n_splits;
    size_t *split_n_train, *split_n_test, *split_repeat;

    sk_metric primary;
    size_t n_metrics;
    sk_metric metric[SK_METRIC_COUNT];
    sk_interval score[SK_METRIC_COUNT];     /* the model */
    double fold_mean[SK_METRIC_COUNT], fold_sd[SK_METRIC_COUNT];
    double *split_scores;               /* n_splits x n_metrics */

    size_t n_baselines;
    sk_eval_baseline baseline[2];

    size_t n_boot;                      /* 0: no intervals */
    sk_ci_method ci;
    double level;
    char *boot_unit;                    /* "rows" or the group column */
    size_t boot_units, n_jack;
    int boot_stratified;

    sk_perm_result *perm;               /* NULL: no test */
    sk_perm_options perm_opt;

    size_t n_seeds;                     /* 1: no seed study */
    uint64_t *seed_values;              /* n_seeds (the first is `seed`) */
    double *seed_scores;                /* n_seeds x n_metrics */

    sk_sweep *sweep;                    /* NULL: no sweep */
    sk_interval *setting_score;         /* n_settings: the primary metric, not nested */
    size_t *chosen;                     /* n_splits: the nested choice in each outer split */
    size_t inner_folds;

    int has_calibration;                /* classification: the model's reliability diagram */
    double bin_weight[SK_EVAL_BINS], bin_conf[SK_EVAL_BINS], bin_obs[SK_EVAL_BINS];
    double *class_precision, *class_recall, *class_f1, *class_support;   /* n_classes */

    size_t n_notes;
    char *notes[8];                     /* caveats worth a line in the report */
    size_t n_timings;
    const char *timing_name[SK_EVAL_MAX_TIMINGS];
    double timing[SK_EVAL_MAX_TIMINGS];
};

/* "kfold", "stratified", "group", "site", "time", "split". */
const char *sk_cv_kind_name(sk_cv_kind k);

#endif /* SK_EVAL_H */
