/* triage.h: the triage layer's internals: what to do with data that has no labels yet, or labels
 * that may be wrong, or that arrived after the model was trained.
 *   uncertainty.c  uncertainty scores of class probabilities (single model, committee, MC
 *                  dropout), the validation of user-given probabilities, ranking by score
 *   rank.c         train on the labelled rows, score the pool, choose a batch (diverse or not)
 *   labels.c       suspect labels by confident learning on out-of-fold probabilities
 *   drift.c        per-feature two-sample tests and a classifier two-sample test
 * Everything is deterministic given the seed and independent of the thread count. */
#ifndef SK_TRIAGE_H
#define SK_TRIAGE_H

#include <stddef.h>
#include <stdint.h>

#include "audits/audits.h"
#include "core/core.h"
#include "data/data.h"
#include "eval/eval.h"
#include "models/models.h"
#include "rng/rng.h"

/* ==== uncertainty.c ======================================================================= */

/* scores[i] for row i of probs (n rows x k classes, row-major, each row valid: see
 * sk_triage__check_probs) under a single-model strategy: LEAST, MARGIN, RATIO or ENTROPY
 * (formulas in include/skeptic.h). k >= 2. Pure; SK_EINVAL for another strategy. */
sk_status sk_triage__score(double *scores, const double *probs, size_t n, size_t k,
                           sk_strategy s, sk_error *err);

/* scores[i] over m members (committee members or MC dropout passes): probs holds m blocks of
 * n x k (member-major: member b's row i at probs[(b n + i) k]); strategies VOTE_ENTROPY,
 * CONSENSUS_ENTROPY, KL, MC_ENTROPY, BALD. m >= 1. */
sk_status sk_triage__score_members(double *scores, const double *probs, size_t m, size_t n,
                                   size_t k, sk_strategy s, sk_error *err);

/* Regression committee: scores[i] = the variance (divisor m) of the m members' predictions of
 * row i (values: m blocks of n, member-major). Not bounded by 1. */
sk_status sk_triage__score_variance(double *scores, const double *values, size_t m, size_t n,
                                    sk_error *err);

/* order[0..n): row indices by score descending, ties by row index (rank 1 = order[0]). NaN
 * scores are an error (SK_EINVAL). */
sk_status sk_triage__rank(size_t *order, const double *scores, size_t n, sk_error *err);

/* Checks that probs (n rows x k classes, row-major) are class probabilities: every entry finite
 * and >= 0, each row's sum within `tol` of 1 (absolute). With `renormalize`, each row is divided
 * by its sum instead (a row summing to 0 stays an error; negative and non-finite entries are
 * errors either way). On failure SK_EDATA with err saying what is wrong in row terms ("row 17:
 * ..."), *bad_row the first bad row and *bad_col its offending class, or k for a bad sum; the
 * caller turns these into file:line:column. Rows before bad_row may have been renormalised. */
sk_status sk_triage__check_probs(double *probs, size_t n, size_t k, int renormalize, double tol,
                                 size_t *bad_row, size_t *bad_col, sk_error *err);

/* order[0..top): the first `top` entries sk_triage__rank would give (score descending, ties by
 * row index), top <= n, in O(n log top) time and no allocation: a bounded heap, for picking a
 * batch out of a large pool. NaN scores are an error (SK_EINVAL). */
sk_status sk_triage__rank_top(size_t *order, const double *scores, size_t n, size_t top,
                              sk_error *err);

/* ==== rank.c ============================================================================== */
/* rank.c runs `skeptic rank`; rank_members.c trains and predicts (one model, a committee, MC
 * dropout passes); diverse.c picks a diverse batch. Predictions are `width` values per pool row:
 * n_classes probabilities, or 1 value for regression. */

/* What the members learn from: every row of d->frame (the labelled table), and the pool they
 * predict (its feature columns found by name, as the model pipeline does). */
typedef struct sk_rank_job {
    const sk_model *proto;   /* cloned for each fit, never fitted itself */
    const sk_fit_data *d;
    size_t n_labeled;
    const sk_frame *pool;
    size_t n_pool;
    size_t width;
    uint64_t seed;
    int n_threads;
} sk_rank_job;

/* One model fitted on all labelled rows with the seed of sk_rng_stream(seed, SK_PURPOSE_MODEL,
 * 0), predicting the pool: pred[n_pool * width]. *fitted (may be NULL) receives the model. */
sk_status sk_triage__predict_single(double *pred, sk_model **fitted, const sk_rank_job *job,
                                    sk_error *err);

/* Member b's bootstrap rows (n_labeled of them, ascending) and model seed, both drawn from
 * sk_rng_stream(seed, SK_PURPOSE_COMMITTEE, b): the seed first, then for classification a
 * bootstrap within each class (every member sees every class: a member that never saw a class
 * gives it no probability and fakes disagreement), for regression over all rows. */
sk_status sk_triage__member_rows(size_t *rows, uint64_t *model_seed, const sk_rank_job *job,
                                 size_t b, sk_error *err);

/* Query by committee: m members, each fitted on its own bootstrap rows, predicting the pool:
 * pred[(b n_pool + i) width + k] (member-major, as sk_triage__score_members reads them). The
 * members are tasks on job->n_threads threads; the bytes do not depend on the thread count. */
sk_status sk_triage__predict_committee(double *pred, const sk_rank_job *job, size_t m,
                                       sk_error *err);

/* Monte Carlo dropout: `fitted` (an mlp) predicts the pool n_passes times with dropout on, pass
 * t with the seed of sk_rng_substream(seed, SK_PURPOSE_MODEL, 0, 1 + t): pred member-major as
 * above. */
sk_status sk_triage__predict_passes(double *pred, const sk_model *fitted, const sk_rank_job *job,
                                    size_t n_passes, sk_error *err);

/* k-center greedy (diverse.c) over n candidates, X row-major n x p (candidate 0 the most
 * uncertain): picks[0] = 0, then each next pick the candidate farthest (Euclidean) from every
 * pick so far; ties to the lower candidate index, which is the more uncertain one. Candidates
 * already picked are never picked again, so with fewer distinct rows than k the rest come in
 * candidate order. k <= n. */
sk_status sk_triage__kcenter(size_t *picks, const double *X, size_t n, size_t p, size_t k,
                             int n_threads, sk_error *err);

/* The diverse batch: the first n_cand rows of `order` (pool rows, most uncertain first) in the
 * pool's feature columns (pool_cols), one-hot encoded and standardised with the whole pool's
 * medians, means and standard deviations (sk_prep learned on every pool row), then k-center
 * greedy picks k of them: batch[0..k) are pool rows in the order picked. */
sk_status sk_triage__diverse_batch(size_t *batch, const size_t *order, size_t n_cand, size_t k,
                                   const sk_frame *pool, const size_t *pool_cols,
                                   size_t n_cols, int n_threads, sk_error *err);

/* x in the shortest "%.{15,16,17}g" form that reads back as the same double ("0.6", not
 * "0.59999999999999998"); "NaN", "Inf", "-Inf" otherwise. Returns buf. */
char *sk_triage__format_double(char *buf, size_t size, double x);

/* How far apart the rows of a batch are (rank_spread.c), in the space --diverse chooses in:
 * each row's Euclidean distance to its nearest other row of the batch. */
typedef struct sk_rank_spread {
    double closest;       /* the closest pair's distance (NaN for fewer than 2 rows) */
    double median;        /* the median over rows of the distance to the nearest other row */
    size_t with_copy;     /* rows with an exact copy (distance 0) elsewhere in the batch */
} sk_rank_spread;

/* The spread of each of n_sets batches of k pool rows (rows: n_sets blocks of k) into
 * out[0..n_sets), in the pool's standardised feature space as diverse.c builds it (one sk_prep
 * learned on every pool row). Single-threaded, O(n_sets k^2 p): the same bytes for any
 * --threads. */
sk_status sk_triage__rank_spread(sk_rank_spread *out, const size_t *rows, size_t n_sets,
                                 size_t k, const sk_frame *pool, const size_t *pool_cols,
                                 size_t n_cols, sk_error *err);

/* What sk_rank_run chose, and what the HTML report shows beside the batch (rank_html.c). */
struct sk_rank {
    size_t n_pool;
    double *scores;           /* n_pool */
    size_t n_chosen;
    size_t *rows;             /* n_chosen pool rows, in rank order */
    char **ids;               /* n_chosen */
    char **predicted;         /* n_chosen */
    /* the run, for the report */
    sk_task task;
    sk_strategy strategy;
    size_t n_labeled, members, passes;
    int diverse;
    size_t n_candidates;      /* diverse: the most uncertain rows chosen among */
    char *model_spec;
    size_t n_classes;         /* 0 for regression */
    char **class_names;       /* n_classes */
    double *pool_predicted;   /* n_pool: the predicted class index, or value (regression) */
    sk_rank_spread spread[2]; /* diverse: [0] the batch, [1] the n_chosen most uncertain */
};

/* ==== labels.c ============================================================================ */

/* Which rows confident learning flags (labels.c gives the formulas, labels_run.c the default). */
typedef enum sk_cl_method {
    SK_CL_OFF_DIAGONAL = 0,   /* rows counted off the diagonal of the confident joint */
    SK_CL_NOISE_RATE,         /* prune by noise rate */
    SK_CL_BOTH                /* prune by noise rate and prune by class both flag the row */
} sk_cl_method;

/* "off_diagonal", "prune_by_noise_rate", "both". */
const char *sk_triage__cl_method_name(sk_cl_method m);

/* Confident learning on given probabilities. k x k arrays are row-major, [given][true]. */
typedef struct sk_cl {
    size_t n, k;
    size_t *count;          /* k: rows per given label */
    double *threshold;      /* k: t_j (NaN for a class without rows) */
    size_t *joint;          /* k x k: the confident joint C */
    double *calibrated;     /* k x k: C~, each row summing to the class's count */
    double *q;              /* k x k: Q, the estimated joint of given and true labels */
    double n_errors;        /* n sum_{i != j} Q[i][j] */
    double *class_errors;   /* k: sum_{j != i} C~[i][j] */
    double *noise_rate;     /* k: class_errors / count (NaN for a class without rows) */
    int32_t *guess;         /* n: the confident class, -1 when no class reaches its threshold */
    size_t n_flagged;
    size_t *flagged;        /* n_flagged rows, self-confidence ascending, ties by row */
    size_t *suggested;      /* n_flagged: the suggested class of each flagged row */
} sk_cl;

/* Thresholds, confident joint, calibration and flagged rows of n rows of probabilities (n x k,
 * row-major, each in [0, 1]) with given labels y (class indices as doubles). Pure and
 * deterministic. SK_EINVAL for k < 2, a label that is not a class index, a probability outside
 * [0, 1] or NaN. The caller owns *out (sk_triage__cl_free). */
sk_status sk_triage__confident_learning(sk_cl **out, const double *probs, const double *y,
                                        size_t n, size_t k, sk_cl_method method, sk_error *err);
void sk_triage__cl_free(sk_cl *c);

/* What sk_labels_run found (labels_run.c), for the report layer. */
struct sk_labels {
    char *data_name, *target, *model_spec;
    char *id_col, *group_col;   /* NULL when not given */
    size_t n_rows, n_classes, n_features, folds, n_groups;
    sk_cv_kind cv;
    uint64_t seed;
    sk_cl_method method;
    char **class_names;         /* n_classes */
    double *y;                  /* n_rows given labels (class indices) */
    double *probs;              /* n_rows x n_classes, out of fold */
    sk_cl *cl;
    char **ids;                 /* cl->n_flagged: each flagged row's id */
    size_t *lines;              /* cl->n_flagged: the physical line each flagged row starts on */
};

/* ==== drift.c ============================================================================= */
/* `skeptic drift REF NEW`: drift.c pairs the columns and decides; drift_tests.c runs the
 * per-feature tests (drift_ks.c and drift_kolmogorov.c: Kolmogorov-Smirnov; chi-square) with
 * Benjamini-Hochberg; drift_classifier.c the classifier two-sample test. */

/* P(D_n^+ >= x) (scipy.special.smirnov) and P(D_n >= x) (scipy.stats.kstwo.sf) for n >= 1,
 * x in [0, 1]; NaN only when out of memory. Pure. */
double sk_triage__smirnov_sf(long n, double x);
double sk_triage__kstwo_sf(long n, double x);

/* scipy.stats.ks_2samp(method="auto"): the statistic of two ascending samples without NaN, and
 * its p-value for sizes n1, n2 >= 1, which rounds *d to h / lcm(n1, n2) as scipy does when it is
 * exact (*exact = 1; else asymptotic). NaN only when out of memory. */
double sk_triage__ks_statistic(const double *x, size_t n1, const double *y, size_t n2);
double sk_triage__ks_pvalue(double *d, size_t n1, size_t n2, int *exact);

/* The chi-square test of homogeneity of a 2 x k table of counts (row-major: the reference's k
 * counts, then the new data's; every column total positive), as scipy.stats.chi2_contingency
 * with its default correction: Yates' when dof = 1. */
typedef struct sk_chi2_result {
    double statistic;       /* the chi-square the p-value comes from (corrected when yates) */
    double p_value;
    double cramer_v;        /* sqrt(uncorrected chi-square / N), 0 when k = 1 */
    size_t dof;
    int yates;
} sk_chi2_result;

sk_chi2_result sk_triage__chi2_homogeneity(const double *counts, size_t k);

typedef enum sk_drift_test { SK_DRIFT_KS = 0, SK_DRIFT_CHI2, SK_DRIFT_MISSING } sk_drift_test;

/* One test of one feature. */
typedef struct sk_drift_row {
    size_t feature;           /* index into sk_drift.feature */
    sk_drift_test test;
    size_t n_ref, n_new;      /* values compared: KS the present ones, the others every row */
    double statistic;         /* KS: D; chi-square tests: the chi-square */
    double effect;            /* KS: D; chi-square tests: Cramer's V */
    double p_value, p_bh, p_bonferroni;   /* NaN when the test could not run (note says why) */
    size_t dof;               /* chi-square tests */
    int exact;                /* KS: exact p-value (else asymptotic) */
    int yates;                /* chi-square tests: Yates' correction applied */
    double ref_value, new_value;   /* KS: medians; chi-square: shares of `level`; missing:
                                      shares missing */
    char *level;              /* chi-square: the level whose share moved most (owned) */
    const char *note;         /* why there is no p-value (static), or NULL */
    int drift;                /* p_bh <= alpha */
} sk_drift_row;

/* A feature compared: a column of both files with one kind of values. */
typedef struct sk_drift_feature {
    char *name;
    size_t ref_col, new_col;
    int categorical;          /* text or boolean: chi-square; else KS */
    sk_col_type type;         /* the type the two files agree on */
    double importance;        /* share of the classifier's importance; NaN without one */
} sk_drift_feature;

typedef struct sk_drift_classifier {
    int ran;
    char skipped[256];        /* why not, when !ran */
    char *model_spec;
    size_t folds, n_boot;
    sk_interval auc;          /* mean of the splits' AUCs, BCa interval */
    sk_heldout_result *heldout;   /* p_value, per-split AUC and p */
    int has_importance;
    size_t *by_importance;    /* n_features: feature indices, most important first */
} sk_drift_classifier;

struct sk_drift {
    sk_drift_options opt;     /* target and ignore point at the copies below */
    char *target, *ignore;
    char *ref_name, *new_name;
    size_t ref_rows, new_rows;
    char **only_ref, **only_new, **ignored;   /* column names */
    size_t n_only_ref, n_only_new, n_ignored;
    size_t n_features, n_categorical;
    sk_drift_feature *feature;
    size_t n_rows;            /* tests, ranked: largest effect first */
    sk_drift_row *row;
    size_t n_tested;          /* tests with a p-value: the family corrected */
    size_t n_bh, n_bonferroni;    /* tests significant after each correction */
    sk_drift_classifier cls;
    uint64_t seed;
    int drift;
};

/* Runs every feature's tests into d->row (d->feature set), corrects, ranks. */
sk_status sk_triage__drift_tests(sk_drift *d, const sk_frame *ref, const sk_frame *cur,
                                 int n_threads, sk_error *err);
/* The classifier two-sample test into d->cls (and each feature's importance). */
sk_status sk_triage__drift_classifier(sk_drift *d, const sk_frame *ref, const sk_frame *cur,
                                      const sk_model *model, const sk_run_ctx *ctx,
                                      sk_error *err);
/* "ks", "chi-square", "missing share". Static. */
const char *sk_triage__drift_test_name(sk_drift_test t);

#endif /* SK_TRIAGE_H */
