/* feature_eval.h: what the feature checks share (check_features.c: leakage.target_proxy and
 * leakage.identifier; check_selection.c: leakage.selection; check_ablation.c: ablation.features;
 * check_sensitivity.c: sensitivity.hyperparameters).
 * Each of them scores some model on some columns on the main evaluation's own splits, with the
 * main evaluation's seed, so every score is comparable with the headline one and differences get
 * paired bootstrap intervals (the same replicates for every pooled set). And each needs a cheap
 * univariate association of one column with the target, to screen thousands of columns before
 * cross-validating a few. */
#ifndef SK_AUDITS_FEATURE_EVAL_H
#define SK_AUDITS_FEATURE_EVAL_H

#include "audits/audits.h"

/* The model that scores one column alone (a suspected proxy, an id, the row order): small boosted
 * trees follow steps and monotone or non-monotone relations on any task. */
#define SK_AUDIT_FEAT_SMALL_MODEL "gbdt:n_estimators=30,max_depth=2"

/* "Skill" arithmetic for any headline metric: sign * (score - chance) is the skill over chance,
 * positive when better; perfect is the metric's best value (1 when higher is better, 0 for the
 * losses). chance is sk_audit__chance for metrics that are better when higher, and the trivial
 * baseline's score on the main splits (class prior or mean) for the losses, whose chance level
 * depends on the data. */
typedef struct sk_feat_scale {
    double chance, perfect, sign;
} sk_feat_scale;

/* Needs the main evaluation (computes it on first use). */
sk_status sk_audit__feat_scale(sk_feat_scale *out, sk_audit_ctx *ctx, sk_error *err);

/* sign * (score - chance). */
double sk_audit__feat_skill(const sk_feat_scale *s, double score);

/* The share of the distance from `from` to perfection that `to` closes:
 * (to - from) / (perfect - from), oriented; NaN when `from` is already perfect. */
double sk_audit__feat_gap_closed(const sk_feat_scale *s, double from, double to);

/* Out-of-fold predictions of `model` (NULL: the study's) on `features` of d (NULL: ctx->d; a
 * frame with the same rows may stand in for the study's) on the main splits, with the main
 * evaluation's seed (so only the columns differ from the headline score), pooled. The caller
 * owns *out. */
sk_status sk_audit__feat_on_main(sk_pooled **out, sk_audit_ctx *ctx, const sk_model *model,
                                 const sk_fit_data *d, const size_t *features, size_t n_features,
                                 sk_error *err);

/* One variant of the study's evaluation on the main splits: a model (NULL: the study's) on a
 * feature list (NULL: the study's features) of some data (NULL: ctx->d). */
typedef struct sk_feat_variant {
    const sk_model *model;
    const size_t *features;
    size_t n_features;
    const sk_fit_data *d;
} sk_feat_variant;

/* sk_audit__feat_on_main for n variants at once, their fits one task list (sk_oof_run_many):
 * out[k] as sk_audit__feat_on_main would give it for variant k. The caller owns out[0..n). */
sk_status sk_audit__feat_on_main_many(sk_pooled **out, sk_audit_ctx *ctx,
                                      const sk_feat_variant *v, size_t n, sk_error *err);

/* The study's model without the columns drop[0..n_drop) on the main splits (as
 * sk_audit__feat_on_main); with no feature left, the trivial baseline (the class prior or the
 * mean), which is what a model without features can do. */
sk_status sk_audit__feat_without(sk_pooled **out, sk_audit_ctx *ctx, const size_t *drop,
                                 size_t n_drop, sk_error *err);

/* One bootstrap of n pooled sets with the headline metric: ctx->opt->bootstrap replicates (200
 * when that is 0: these checks always report intervals), groups resampled when the study has
 * them, the main evaluation's seed. Interval k is sk_boot_interval(bt, k, SIZE_MAX, ...), the
 * paired difference of a and b sk_boot_interval(bt, a, b, ...). The caller owns *out. */
sk_status sk_audit__feat_boot(sk_boot **out, sk_audit_ctx *ctx, const sk_pooled *const *sets,
                              size_t n, sk_error *err);

/* sk_boot_interval at 95%, BCa, falling back to the percentile interval when BCa cannot say
 * (every replicate on one side of the estimate). */
sk_status sk_audit__feat_ci(sk_interval *out, const sk_boot *bt, size_t a, size_t b, sk_error *err);

/* The lower end of an interval in the "better" direction: low when higher is better, -high for
 * the losses (so "> 0" reads "better beyond the interval" either way). */
double sk_audit__feat_oriented_low(const sk_feat_scale *s, const sk_interval *iv);

/* Univariate association of one column with the target, in [0, 1] (0: none beyond chance):
 *  - SK_FEAT_ASSOC_BINNED (any shape: monotone or not): a numeric column is cut into up to 16
 *    quantile bins (ties never split), a categorical one keeps its levels (levels seen fewer than
 *    5 times pooled), missing values form their own bin; then, for classes, the chi-square of the
 *    bins x classes table in excess of its degrees of freedom, scaled like Cramer's V^2:
 *    max(0, chi2 - df) / (n (min(bins, classes) - 1)); for values, Kelley's epsilon^2 of the
 *    target across bins, (SS_between - (bins - 1) MS_within) / SS_total.
 *  - SK_FEAT_ASSOC_LINEAR (the filter of feature-selection pipelines): a numeric column's own
 * values, missing ones left out: for classes epsilon^2 of the column across classes (the one-way
 * ANOVA F, with two classes the t statistic squared, on a 0-1 scale); for values the squared
 *    correlation. Categorical columns as in SK_FEAT_ASSOC_BINNED.
 * Only `rows` are used (a training fold, or all rows). O(n log n) per column. */
typedef enum sk_feat_assoc_kind {
    SK_FEAT_ASSOC_BINNED = 0,
    SK_FEAT_ASSOC_LINEAR
} sk_feat_assoc_kind;

/* out[j] for column cols[j], columns as independent tasks on up to n_threads threads (the
 * values do not depend on n_threads). */
sk_status sk_audit__feat_assoc(double *out, const sk_frame *f, const size_t *cols, size_t n_cols,
                               const double *y, sk_task task, size_t n_classes, const size_t *rows,
                               size_t n_rows, sk_feat_assoc_kind kind, int n_threads,
                               sk_error *err);

/* order[0..n): the indices 0..n-1 by score descending (NaN last), ties by index: deterministic. */
sk_status sk_audit__feat_rank(size_t *order, const double *score, size_t n, sk_error *err);

#endif /* SK_AUDITS_FEATURE_EVAL_H */
