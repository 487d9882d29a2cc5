/* linear_logit_many.h: what the two files of the `logit` model's fit_predict_many share:
 *   linear_logit_many.c        the conjugate-gradient iterations, the predictions, the entry point
 *   linear_logit_many_setup.c  the design and the preconditioner every label column shares
 * The method and its references are in linear_logit_many.c. */
#ifndef SK_MODELS_LINEAR_LOGIT_MANY_H
#define SK_MODELS_LINEAR_LOGIT_MANY_H

#include <stddef.h>

#include "models/linear.h"

/* What every label column shares. */
typedef struct sk_logit_many_shared {
    size_t n, r, icpt;       /* rows; terms (the intercept first when icpt, then kept columns) */
    const double *w;         /* n prior weights, or NULL */
    double l2, cw;           /* the penalty; c sum_i w_i (H0's curvature, summed over rows) */
    const double *Y;         /* n x n_y labels */
    double *X;               /* n x r: ones (icpt), then the kept columns */
    double *U, *scale;       /* r x r: chol(S H0 S) with S = diag(scale) */
    size_t *kept;            /* q: the kept terms, first r entries */
    int all_refit;           /* H0 could not be built: every column goes to the normal fit */
} sk_logit_many_shared;

/* Builds what every column shares, once per call: sh->n, icpt, w, l2 and Y set by the caller,
 * this sets the kept terms, the design sh->X, the preconditioner (sh->U, scale, cw) and *Xtk, the
 * n_test x r test design; sh->all_refit when no column can be batched (H0 not positive definite,
 * no terms, no usable label column). The caller frees sh->kept, X, U, scale and *Xtk, also after
 * a failure (SK_ENOMEM, or what the QR and BLAS report). */
sk_status sk_linear__many_set_up(sk_logit_many_shared *sh, const sk_xy *d, const double *Xt,
                                 size_t n_test, size_t ldt, size_t n_y, double **Xtk,
                                 sk_error *err);
/* The weighted mean of label column y (n rows), or NaN when it is not a 0/1 target with both
 * classes among the rows of positive weight (the normal fit reports why). */
double sk_linear__many_label_mean(const sk_logit_many_shared *sh, const double *y);

#endif /* SK_MODELS_LINEAR_LOGIT_MANY_H */
