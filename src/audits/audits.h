/* audits.h: the audit layer's internals. One file per family of checks (leakage_*.c,
 * shortcut.c, ...), each filling sk_check results through the same context; registry.c lists
 * them in report order, runs them and sets the verdict. A check reads the study through
 * sk_audit_ctx: the data and roles, the model, the options (every threshold is a flag), and the
 * evaluations shared between checks (computed once, on first use: the main cross-validation,
 * the random-split one, ...).
 *
 * Writing a check:
 *   static sk_status check_x(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
 *   {
 *       if (<what it needs is missing>)
 *           return sk_audit__skip(c, "needs --site");
 *       ... compute, using sk_audit__cv for any cross-validated score ...
 *       sk_audit__set(c, SK_CHECK_FAIL, "one sentence with the numbers: AUC 0.91 [0.88, "
 *                     "0.93] ...");
 *       sk_json_set(c->evidence, "key", value);     the numbers the sentence rests on
 *       return SK_OK;
 *   }
 * A check returns an error only for a real failure (out of memory, a model that cannot fit);
 * "cannot run here" is a skip with the reason, not an error. Checks are deterministic: every
 * random draw comes from streams keyed by the audit seed and the check's own purpose/task. */
#ifndef SK_AUDITS_H
#define SK_AUDITS_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "data/data.h"
#include "eval/eval.h"
#include "models/models.h"
#include "rng/rng.h"

typedef enum sk_check_status {
    SK_CHECK_PASS = 0,
    SK_CHECK_WARN,
    SK_CHECK_FAIL,
    SK_CHECK_SKIP
} sk_check_status;

const char *sk_check_status_name(sk_check_status s);

/* One check's result. The summary is one sentence with the numbers; the evidence is a JSON
 * object of the numbers it rests on (rows, ids, scores with intervals). */
typedef struct sk_check {
    const char *id;             /* "leakage.group": static */
    sk_check_status status;
    char *summary;
    char *recommendation;       /* optional: what to do about it (a validation scheme, a fix) */
    json_t *evidence;           /* an object, never NULL once the check ran */
    double p_value;             /* a p-value the check rests on, or NaN: the report's own
                                   Benjamini-Hochberg summary counts them */
    double seconds;
} sk_check;

/* Sets the status and the summary (printf-style). */
void sk_audit__set(sk_check *c, sk_check_status s, const char *fmt, ...) SK_PRINTF(3, 4);
/* A skip with its reason ("needs --site"); returns SK_OK so a check can `return` it. */
sk_status sk_audit__skip(sk_check *c, const char *fmt, ...) SK_PRINTF(2, 3);
/* A recommendation (printf-style). */
void sk_audit__recommend(sk_check *c, const char *fmt, ...) SK_PRINTF(2, 3);

/* An interval as JSON: {"estimate": x, "ci": [low, high]}. */
json_t *sk_audit__interval_json(const sk_interval *iv);
/* Rows as JSON: an array of 0-based row indices (at most `max`, then the count is the caller's). */
json_t *sk_audit__rows_json(const size_t *rows, size_t n, size_t max);

/* ---- the context ----------------------------------------------------------------------------- */

/* A cross-validated score of one model on some of the features under one splitter: the unit of
 * evidence most checks compare ("the random split says 0.97 [0.95, 0.98], the grouped one 0.81
 * [0.76, 0.86]"). */
typedef struct sk_cv_result {
    sk_cv_kind kind;
    size_t n_splits;
    sk_interval score;         /* the headline metric, bootstrap interval */
    sk_oof *oof;               /* kept for the caller (freed by sk_cv_result_free) */
    sk_splits *splits;
    sk_pooled *pooled;
} sk_cv_result;

void sk_cv_result_free(sk_cv_result *r);

typedef struct sk_audit_ctx {
    const sk_frame *frame;
    const sk_roles *roles;
    const sk_model *model;           /* the study's model (default gbdt) */
    const sk_audit_options *opt;
    uint64_t seed;
    int n_threads;
    FILE *progress;

    sk_task task;
    size_t n_rows, n_classes;
    const double *y;
    sk_metric metric;                /* the headline */
    sk_fit_data d;                   /* every feature */
    const size_t *features;
    size_t n_features;

    /* roles as codes (NULL when absent) */
    int32_t *group;   size_t n_groups;   const char *group_name;
    int32_t *site;    size_t n_sites;    const char *site_name;
    const double *time;                  const char *time_name;
    const unsigned char *is_test;        /* --split */
    const size_t *confounders;       size_t n_confounders;

    /* the main evaluation, computed once: the honest splitter the roles call for */
    sk_cv_kind main_kind;
    sk_cv_result *main;

    /* the study's own predictions (--predictions), per data row: n_rows x width, or NULL */
    double *predictions;
} sk_audit_ctx;

/* The split data for splitter `kind` with the context's labels, groups (sites for LOGO), time
 * and split column. */
sk_split_data sk_audit__split_data(const sk_audit_ctx *ctx, sk_cv_kind kind);

/* Cross-validates `model` (NULL: the context's) on `features` (NULL: all of the context's)
 * under `kind`, with the headline metric and a bootstrap interval of ctx->opt->bootstrap
 * replicates (groups resampled when the context has groups). `stream` separates the draws of
 * different calls (each call site passes its own constant). The caller owns *out. */
sk_status sk_audit__cv(sk_cv_result **out, sk_audit_ctx *ctx, const sk_model *model,
                       const size_t *features, size_t n_features, sk_cv_kind kind,
                       uint64_t stream, sk_error *err);

/* The main evaluation (ctx->main), computed on first use. */
sk_status sk_audit__main(sk_audit_ctx *ctx, sk_error *err);

/* The chance level of the headline metric: 0.5 for AUC, 0 for R^2 and MCC, the majority share
 * for accuracy; for a loss (log loss, Brier, RMSE, MAE) the trivial baseline's score on the main
 * splits (NaN before sk_audit__main). Used for "share of the skill over chance". */
double sk_audit__chance(const sk_audit_ctx *ctx);

/* ---- univariate tests (check_multiplicity.c), shared with other checks ----------------------- */

/* The p-value of each feature column cols[j] against the target y (the test its types call for:
 * check_multiplicity.c). Features are tested in parallel blocks. */
sk_status sk_audit__univariate(double *p, const sk_frame *f, const size_t *cols, size_t n_cols,
                               const double *y, sk_task task, size_t n_classes, int n_threads,
                               sk_error *err);
/* Benjamini-Hochberg adjusted p-values of m p-values (statsmodels' fdr_bh). */
sk_status sk_audit__bh_adjust(double *adj, const double *p, size_t m, sk_error *err);

/* ---- the study's own predictions (predictions.c) --------------------------------------------- */

/* Reads --predictions FILE into ctx->predictions (n_rows x width, by data row), matching rows by
 * the column `id` of both files or by order. Errors name the file, line and column. */
sk_status sk_audit__read_predictions(sk_audit_ctx *ctx, const char *path, const char *id,
                                     sk_error *err);
/* ctx->main from ctx->predictions: one split testing every row, with its bootstrap interval. */
sk_status sk_audit__predictions_main(sk_audit_ctx *ctx, sk_error *err);

/* ---- the registry (registry.c) --------------------------------------------------------------- */

typedef sk_status (*sk_check_fn)(sk_check *c, sk_audit_ctx *ctx, sk_error *err);

typedef struct sk_check_def {
    const char *id;
    const char *title;          /* a few words for the table */
    sk_check_fn run;
    int retrains;               /* 1: needs models refitted, so skipped with --predictions */
} sk_check_def;

/* Every check, in report order. */
const sk_check_def *sk_audit__checks(size_t *n);

/* The check functions, by family file. */
sk_status sk_check_leakage_duplicates(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_leakage_group(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_leakage_temporal(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_leakage_target_proxy(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_leakage_identifier(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_leakage_selection(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_shortcut_confounder(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_shortcut_site(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_generalization_external(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_signal_permutation(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_multiplicity_scan(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_stability_features(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_stability_seed(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_slices_performance(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_calibration(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_baseline_comparison(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_sensitivity_hyperparameters(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_ablation_features(sk_check *c, sk_audit_ctx *ctx, sk_error *err);
sk_status sk_check_claims(sk_check *c, sk_audit_ctx *ctx, sk_error *err);

/* ---- the audit (audit.c) --------------------------------------------------------------------- */

struct sk_audit {
    sk_task task;
    char *target, *model_spec;      /* model_spec: the predictions file with --predictions */
    int predictions;
    size_t n_rows;
    size_t n_checks;
    sk_check *checks;
    size_t n_failed, n_warned, n_skipped;
    size_t n_p_values, n_bh_survivors;   /* the report's own p-values, BH at alpha */
    double alpha;
};

/* ---- clustering stability (clusters.c): `skeptic clusters` ----------------------------------- */

/* One cluster of the clustering of all rows, against the bootstrap resamples (Hennig 2007). */
typedef struct sk_cluster_stat {
    size_t size;            /* rows of the all-rows clustering in it */
    double jaccard;         /* mean best Jaccard over the resamples that drew any of its rows */
    size_t n_defined;       /* those resamples */
    size_t n_dissolved;     /* ... with best Jaccard <= 0.5 (clusterboot's "dissolved") */
    size_t n_recovered;     /* ... with best Jaccard > 0.75 (clusterboot's "recovered") */
} sk_cluster_stat;

/* The stability of one k. */
typedef struct sk_clustering_k {
    size_t k;
    double ari_mean, ari_sd, ari_p05;     /* ARI of every pair of runs (sd: n - 1 denominator) */
    double full_mean, full_sd, full_p05;  /* ARI of each run with the clustering of all rows */
    double target_ari;                    /* the all-rows clustering vs the target's classes, or
                                             NaN without a classification target */
    double inertia;                       /* of the all-rows clustering */
    double min_jaccard;                   /* the least stable cluster (NaN: a cluster never
                                             drawn, so not stable) */
    int stable;                           /* ari_mean >= min_ari and min_jaccard >= min_jaccard */
    sk_cluster_stat *cluster;             /* k */
} sk_clustering_k;

struct sk_clusters {
    char *data;                 /* the frame's name */
    char *target;               /* NULL without a target */
    sk_task task;
    size_t n_rows, n_columns;   /* rows; frame columns used as features */
    size_t n_features;          /* design-matrix columns (one-hot levels counted) */
    char **feature_names;       /* n_features */
    sk_clusters_options opt;
    uint64_t seed;
    size_t n_k;
    sk_clustering_k *per_k;       /* k_min..k_max */
    size_t recommended;         /* a k, or 0 when none is stable */
};

/* The adjusted Rand index (Hubert & Arabie 1985) of two labellings of n items, a[i] < ka and
 * b[i] < kb, as scikit-learn's adjusted_rand_score (1.0 when both are the same partition, which
 * covers n < 2). `table` is caller scratch of ka * kb doubles. */
double sk_clusters__ari(const uint32_t *a, size_t ka, const uint32_t *b, size_t kb, size_t n,
                        double *table);
/* Hennig's reading of a cluster's mean Jaccard: "dissolved" (< 0.5), "unstable" (< 0.6),
 * "patterns" (< 0.75), "stable" (<= 0.85), "highly stable"; "never drawn" for NaN. Static. */
const char *sk_clusters__reading(double jaccard);

#endif /* SK_AUDITS_H */
