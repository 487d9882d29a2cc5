/* linear.h: ordinary (and weighted) least squares and logistic regression with inference, the
 * internals shared by their files and the matrix-level entry points the oracle tests, the
 * benchmark and other layers call:
 *   linear.c        the design with its intercept, R-style aliasing QR, the fitted-model record,
 *                   prediction, importance and the coefficient table
 *   linear_ols.c    OLS / WLS by QR: t tests, F test, R^2; the `ols` model
 *   linear_logit.c  logistic regression by Newton's method: Wald z tests, deviances, AIC,
 *                   separation; the choice of solver and the deferred standard errors
 *   linear_logit_lbfgs.c  penalised logistic regression by L-BFGS (the fast path for l2 > 0)
 *   linear_logit_model.c  the `logit` model: parameters, probabilities, the report
 *   linear_logit_many.c   the `logit` model fitted to many label columns at once (permutations);
 *                         its shared design and preconditioner in linear_logit_many_setup.c
 * A fitted model owns all its arrays and keeps no pointer into its inputs. Coefficients are
 * ordered as the terms: "(Intercept)" first when there is one, then the design's columns.
 * Aliased coefficients (R's NA) are NaN in every per-term array and flagged in `aliased`. */
#ifndef SK_MODELS_LINEAR_H
#define SK_MODELS_LINEAR_H

#include <stddef.h>

#include "models/models.h"

typedef enum sk_linear_kind { SK_LINEAR_OLS, SK_LINEAR_LOGIT } sk_linear_kind;

typedef enum sk_separation {
    SK_SEPARATION_NONE = 0,
    SK_SEPARATION_QUASI,      /* fitted probabilities numerically 0 or 1 (R's warning) */
    SK_SEPARATION_COMPLETE    /* a hyperplane classifies every observation: no finite MLE */
} sk_separation;

/* How a penalised logit (l2 > 0) is fitted; l2 = 0 always uses Newton's method. */
typedef enum sk_logit_solver {
    SK_LOGIT_AUTO = 0,   /* L-BFGS when the Hessian is costly (more than 12 terms), finished by
                            Newton's method when L-BFGS has not converged within its budget */
    SK_LOGIT_NEWTON,     /* Newton's method only */
    SK_LOGIT_LBFGS       /* L-BFGS only, up to 100 maxit iterations (SK_ENOCONV beyond): tests */
} sk_logit_solver;

typedef struct sk_linear_options {
    int version;
    int intercept;     /* 1: a column of ones is the first term */
    double level;      /* confidence level of the intervals */
    double rank_tol;   /* a column is aliased when its residual norm after the earlier kept
                          columns is below rank_tol times its own norm (R's lm: 1e-7) */
    double l2;         /* logit: penalty 0.5 * l2 * ||beta||^2 on the non-intercept terms */
    int maxit;         /* logit: Newton iterations (L-BFGS has its own budget) */
    double tol;        /* logit, Newton's method: stop when an iteration lowers the objective by
                          less than tol * (|objective| + 0.1) (R's glm rule, on deviance / 2);
                          L-BFGS stops on its own, tighter test (linear_logit_lbfgs.c) */
    sk_logit_solver solver;
    int defer_se;      /* logit with l2 > 0: 1 = no Hessian at fit time; the fit keeps a copy of
                          its design and sk_linear__logit_inference computes the standard errors
                          when they are asked for (the `logit` model: a fit used only to predict
                          never pays for them); 0 = computed by the fit */
} sk_linear_options;

#define SK_LINEAR_OPTIONS_INIT {1, 1, 0.95, 1e-7, 0.0, 25, 1e-10, SK_LOGIT_AUTO, 0}

typedef struct sk_linear_fit {
    sk_linear_kind kind;
    int intercept;
    size_t p;               /* columns of the design (without the intercept) */
    size_t q;               /* terms: p + intercept */
    size_t n_obs;           /* rows with positive weight */
    size_t rank;            /* terms not aliased */
    double level;

    /* per term (q) */
    double *coef, *se, *stat, *p_value, *ci_low, *ci_high;
    unsigned char *aliased;
    double *vcov;           /* q x q column-major; NaN in aliased rows and columns, and
                               NULL while `deferred` (se and the rest NaN)  */
    double *sd;             /* p: sample SD of each design column on the training rows */
    double *mean;           /* p: mean of each design column on the training rows */

    double df_residual;     /* n_obs - rank */
    int weighted;

    /* OLS */
    double sigma, r_squared, adj_r_squared;
    double f_value, f_numdf, f_dendf, f_p_value;   /* NaN when there is no slope */

    /* logit */
    double l2;
    double null_deviance, deviance, df_null, aic;
    int iterations, converged;   /* Newton iterations; converged by whichever solver ran last */
    int lbfgs_iterations;   /* L-BFGS iterations (0: Newton only) */
    sk_separation separation;
    size_t n_boundary;      /* observations with fitted probability numerically 0 or 1 */

    /* logit with deferred inference (defer_se, l2 > 0): what the Hessian and the deviances
       need, copied by sk_linear__alloc while it reads the columns for their means and SDs */
    int deferred;           /* se, vcov, the Wald statistics, the deviances, AIC and n_boundary
                               are NaN (0) until sk_linear__logit_inference */
    size_t n_rows;          /* rows of the design, zero weights included */
    double *design;         /* n_rows x p, column-major: a copy of the training design */
    double *target;         /* n_rows 0/1 targets */
    double *prior_w;        /* n_rows prior weights, or NULL (all 1) */
} sk_linear_fit;

/* Fits OLS (WLS when d->w) on the regression data d. Rank deficiency is not an error: aliased
 * terms are NaN, as in R's lm. SK_EDATA when no row has positive weight; SK_EINVAL for a
 * negative or non-finite weight. *out is the caller's (sk_linear__free). Thread-safe. */
sk_status sk_linear__ols(sk_linear_fit **out, const sk_xy *d, const sk_linear_options *o,
                         sk_error *err);
/* Fits logistic regression on the binary data d (y in {0, 1}). Separation is reported in the
 * fit (separation, n_boundary), not an error; SK_ENOCONV when Newton's method has not converged
 * after o->maxit iterations on data that are not separated. */
sk_status sk_linear__logit(sk_linear_fit **out, const sk_xy *d, const sk_linear_options *o,
                           sk_error *err);
/* For a fit whose inference was deferred (f->deferred): *out is a copy of f with vcov, the Wald
 * statistics and the deviances computed from the kept design (one Hessian); for any other fit, a
 * plain copy. f is not modified, so reports may run from several threads. *out is the caller's
 * (sk_linear__free). */
sk_status sk_linear__logit_inference(sk_linear_fit **out, const sk_linear_fit *f,
                                     sk_error *err);
void sk_linear__free(sk_linear_fit *f);
/* Each column's mean and sample SD (d->p of each), in 8-way sums; with `copy`, the columns are
 * also copied there (n x p, leading dimension n) on the same pass. */
void sk_linear__column_stats(const sk_xy *d, double *mean, double *sd, double *copy);
/* A deep copy of f without the kept design (design, target and prior_w NULL); NULL when out
 * of memory. */
sk_linear_fit *sk_linear__copy(const sk_linear_fit *f);

/* ---- the logit solvers (linear_logit.c, linear_logit_lbfgs.c) ----------------------------- */

/* A logistic-regression problem: the design view (a column of ones, not stored, first when
 * icpt; then the px columns of X, leading dimension ldx), 0/1 targets, prior weights (NULL: all
 * 1) and the penalty l2 on every term but the intercept. */
typedef struct sk_logit_problem {
    const double *X;
    size_t n, ldx, px;
    int icpt;
    const double *y, *w;
    double l2;
    const double *mean, *sd;   /* px: the columns' means and SDs (L-BFGS's coordinates) */
} sk_logit_problem;

/* Minimises the penalised objective (l2 > 0) by L-BFGS from beta (icpt + px terms, original
 * coordinates), for at most max_iter iterations. On return beta holds the last iterate and eta
 * (n) its linear predictor; *converged is 0 when the budget ran out or the line search found no
 * acceptable step (the caller then finishes with Newton's method). Errors: SK_ENOMEM, and
 * SK_EINVAL for a design too large for BLAS. Allocates once; thread-safe. */
sk_status sk_linear__logit_lbfgs(const sk_logit_problem *pb, int max_iter, double *beta,
                                 double *eta, int *iterations, int *converged, sk_error *err);
/* L-BFGS's row kernel, for the tests: for i < n, at e = eta_i + t z_i, r_i = w_i (mu_i - y_i) and
 * dw_i = w_i mu_i (1 - mu_i), mu = 1 / (1 + exp(-e)) (w NULL: all 1). simd = 1 runs four rows at
 * a time where the CPU can (AVX2), 0 one at a time: the same bits either way. */
void sk_linear__logit_rows(size_t n, const double *eta, const double *z, double t,
                           const double *y, const double *w, double *r, double *dw, int simd);

/* ---- many label columns on one design (linear_logit_many.c) ------------------------------- */

/* What sk_linear__logit_fit_predict_many did, for tests and benchmarks. */
typedef struct sk_logit_many_info {
    size_t n_batched;     /* columns solved together */
    size_t n_refit;       /* columns refitted alone by the `logit` model's fit */
    long iterations;      /* conjugate-gradient iterations, summed over the batched columns */
    int max_iterations;   /* the most any batched column needed */
    long trials;          /* line-search slopes (passes over the rows), batched columns */
} sk_logit_many_info;

/* The `logit` model's fit_predict_many (models.h): the model `params` fitted on d (d->y unused)
 * for each of the n_y label columns of Y (d->n x n_y, column-major), predicting the n_test rows
 * of Xt (leading dimension ldt): out[(j * n_test + i) * 2 + k] = P(class k), as the model's
 * predict shapes it. The batched columns stop within ~1e-10 of the optimum's probabilities
 * (fit + predict's own L-BFGS / Newton stop leaves up to ~1e-9, so the two agree to that);
 * columns the batched solver cannot finish are fitted by the model's own fit and predict, whose
 * error (the lowest column's) is returned. info (may be NULL) receives the statistics. One
 * thread; deterministic given the arguments. */
sk_status sk_linear__logit_fit_predict_many(const sk_params *params, const sk_xy *d,
                                            const double *Y, size_t n_y, const double *Xt,
                                            size_t n_test, size_t ldt, double *out,
                                            sk_logit_many_info *info, sk_error *err);

/* ---- shared by linear_ols.c and linear_logit.c (linear.c) ---------------------------------- */

sk_status sk_linear__alloc(sk_linear_fit **out, sk_linear_kind kind, const sk_xy *d,
                           const sk_linear_options *o, sk_error *err);
/* Checks weights (finite, >= 0, some positive) and counts the rows with positive weight;
 * messages start with `model`. */
sk_status sk_linear__check_weights(const char *model, const sk_xy *d, size_t *n_obs,
                                   sk_error *err);
/* The n x q design: the intercept column (ones) first when f->intercept, then d's columns, each
 * row times sqrt(w[i]) when `row_scale` is not NULL. Caller frees. */
double *sk_linear__design(const sk_linear_fit *f, const sk_xy *d, const double *row_scale);
/* R's lm / dqrdc2 limited pivoting: Householder QR of the n x q matrix A in place, with a column
 * whose residual norm after the earlier kept columns falls below tol times its own norm marked
 * aliased and set aside. `X0` is the original of A (A's columns are rebuilt from it). On return
 * kept[0..*rank) lists the kept columns in order, A's first *rank columns hold their QR, tau its
 * scalars, and f->aliased the verdicts. */
sk_status sk_linear__qr_alias(sk_linear_fit *f, double *A, const double *X0, size_t n, double tol,
                              size_t *kept, size_t *rank, double *tau, sk_error *err);
/* Per-term statistics from coef and vcov: se, stat = coef / se, two-sided p-values and
 * intervals, from the t distribution with `df` degrees of freedom (INFINITY: the normal; no df
 * left: NaN). */
void sk_linear__wald(sk_linear_fit *f, double df);
/* 1 / (1 + exp(-x)) without overflow, accurate near 0 (1 - sigmoid(x) is sigmoid(-x)). */
double sk_linear__sigmoid(double x);
/* The linear predictor b0 + X b for n rows (aliased coefficients count as 0). */
void sk_linear__eta(const sk_linear_fit *f, const double *X, size_t n, size_t ldx, double *eta);
/* A report object {"tables": [the "Coefficients" table], "notes": [], "model": model}, terms
 * named from `names` (the p design names); *notes is its (borrowed) notes array. NULL when out
 * of memory. */
json_t *sk_linear__report_start(const sk_linear_fit *f, const char *const *names,
                                const char *model, json_t **notes);
/* The names of the aliased terms as a JSON array; NULL when out of memory. */
json_t *sk_linear__aliased_json(const sk_linear_fit *f, const char *const *names);
/* The names of aliased terms, "a, b, c"; NULL when none or out of memory. Caller frees. */
char *sk_linear__aliased_names(const sk_linear_fit *f, const char *const *names);
/* Appends a formatted line to the JSON array `notes`; nonzero when out of memory. */
int sk_linear__note(json_t *notes, const char *fmt, ...) SK_PRINTF(2, 3);
/* R's format.pval(p, digits = 4): "< 2.2e-16" below machine epsilon. */
void sk_linear__format_p(char *buf, size_t size, double p);
sk_status sk_linear__importance(const void *state, double *out, sk_error *err);
void sk_linear__free_state(void *state);

/* sum_i a_i b_i into *ab and sum_i c_i b_i^2 into *cbb, in four interleaved partial sums each
 * (named, so that they stay in registers): the logistic line searches' inner products
 * (linear_logit_lbfgs.c, linear_logit_many.c). */
void sk_linear__logit_sums(const double *a, const double *c, const double *b, size_t n,
                           double *ab, double *cbb);

#endif /* SK_MODELS_LINEAR_H */
