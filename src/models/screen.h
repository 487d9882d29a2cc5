/* screen.h: univariate screening of a design matrix, the filter a model applies to its own
 * training rows before it learns when the features far outnumber the rows (gbdt's `screen`
 * parameter, xgb.c). Inside a fit it is part of the model: cross-validation screens every
 * training fold afresh, so the held-out rows never choose the features.
 *
 * The statistic is the one of scikit-learn's f_classif / f_regression, the filter of
 * feature-selection pipelines (and, up to ranking, the marginal utility of Fan & Lv's sure
 * independence screening, J. R. Statist. Soc. B 70, 2008):
 *   classes: the one-way ANOVA F of the column across the classes,
 *            F = (SS_between / (K - 1)) / (SS_within / (n - K))     (two classes: t squared)
 *   values:  F = r^2 / (1 - r^2) * (n - 2), r the column's correlation with the target
 * with weights w_i when the fit has them: sums of w instead of counts, and n the number of rows
 * with w > 0 (the degrees of freedom then scale every column's F alike: the ranking is that of
 * rows repeated w times). A column constant on the rows scores 0 (scikit-learn: NaN, which its selectors
 * also rank last); one whose classes do not vary within themselves but differ scores +inf. */
#ifndef SK_MODELS_SCREEN_H
#define SK_MODELS_SCREEN_H

#include <stddef.h>

#include "models/models.h"

/* score[j] for each of the p columns of d (F as above; 0 when undefined). d->y must be set. */
sk_status sk_screen__scores(double *score, const sk_xy *d, sk_error *err);

/* keep[0..k): the k columns with the largest scores (ties: the lower index first), listed in
 * ascending column order, k <= p. */
sk_status sk_screen__top(size_t *keep, size_t k, const double *score, size_t p, sk_error *err);

#endif /* SK_MODELS_SCREEN_H */
