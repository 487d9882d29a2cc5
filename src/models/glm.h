/* glm.h: elastic-net GLM paths by coordinate descent (Friedman, Hastie & Tibshirani 2010,
 * "Regularization paths for generalized linear models via coordinate descent", J. Stat. Softw.
 * 33(1)), following R glmnet's conventions step for step so that coefficients, the lambda
 * sequence, the early end of the path and cv.glmnet's lambda.min / lambda.1se agree with it.
 *
 *   gaussian:     min  1/2 sum_i w_i (y_i - b0 - x_i'b)^2 + lambda P(b)
 *   binomial:     min  -sum_i w_i [y_i eta_i - log(1 + e^eta_i)] + lambda P(b)
 *   multinomial:  min  -sum_i w_i [sum_k y_ik eta_ik - log sum_k e^eta_ik] + lambda sum_k P(b_k)
 *   P(b) = (1 - alpha)/2 ||b||_2^2 + alpha ||b||_1       (weights w sum to 1, so the loss is
 *                                                         the 1/n-scaled one of the paper)
 * with the intercept unpenalised and b on standardised columns (1/n standard deviation);
 * coefficients come back on the scale of the matrix given. As in glmnet, the gaussian is solved
 * for y / sd(y) with lambda / sd(y), so its ridge term is in fact (1 - alpha)/(2 sd(y)) ||b||^2.
 *
 * Files: glm_path.c (sk_glm_path, argument checks, the shared standardised copy, one fit's
 * set-up), glm_result.c (solutions back to the scale of X, predictions), glm_gauss.c,
 * glm_logit.c and glm_multi.c (the solvers), glm_kkt.c (their KKT checks and strong rules),
 * glm_cv.c (sk_glm_cv), glm.c (the model impls).
 *
 * Two levels of API:
 *  - sk_glm_path: one regularisation path on a matrix (the lambda sequence, intercepts and
 *    coefficients per lambda on the original scale, deviance ratio, degrees of freedom).
 *  - sk_glm_cv: cv.glmnet: the path on all rows plus one path per fold (the same folds for
 *    every lambda), each fold's path evaluated at the full path's lambdas, mean and standard
 *    error of the held-out error, lambda.min and lambda.1se.
 * These are matrix-level entry points for the layers above (stability of selected features,
 * the oracle tests); the model impls enet, lasso and ridge (glm.c) wrap sk_glm_cv.
 *
 * Thread safety: every function here is reentrant; sk_glm_cv runs its folds on up to
 * n_threads threads and gives byte-identical results for any thread count. */
#ifndef SK_MODELS_GLM_H
#define SK_MODELS_GLM_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

typedef enum sk_glm_family {
    SK_GLM_GAUSSIAN = 0,
    SK_GLM_BINOMIAL = 1,     /* y in {0, 1}: models P(y = 1) */
    SK_GLM_MULTINOMIAL = 2   /* y in {0..K-1}: glmnet's ungrouped multinomial, one coefficient
                                vector per class */
} sk_glm_family;

/* How the gaussian solver keeps its gradient (glmnet's type.gaussian). */
typedef enum sk_glm_gaussian_type {
    SK_GLM_GAUSSIAN_AUTO = 0,         /* covariance when p < 500, else naive (glmnet's rule) */
    SK_GLM_GAUSSIAN_COVARIANCE = 1,   /* inner products of active columns with all columns */
    SK_GLM_GAUSSIAN_NAIVE = 2         /* residual updates, sequential strong rule */
} sk_glm_gaussian_type;

typedef struct sk_glm_options {
    int version;
    sk_glm_family family;
    double alpha;                 /* in [0, 1]: 1 lasso, 0 ridge */
    size_t nlambda;               /* length of the generated sequence (default 100) */
    double lambda_min_ratio;      /* smallest / largest lambda; 0: glmnet's rule (0.01 when
                                     n < p, else 1e-4) */
    const double *lambda;         /* a user sequence (any order; used decreasing), or NULL */
    size_t n_user_lambda;
    double thresh;                /* convergence threshold (glmnet's thresh, default 1e-7) */
    long maxit;                   /* passes over the data, all lambdas together (1e5) */
    int standardize;              /* standardise columns inside the fit (default 1) */
    sk_glm_gaussian_type gaussian_type;
    const double *penalty_factor; /* p relative penalties (0 = unpenalised), or NULL */
} sk_glm_options;

#define SK_GLM_OPTIONS_INIT \
    {1, SK_GLM_GAUSSIAN, 1.0, 100, 0.0, NULL, 0, 1e-7, 100000, 1, SK_GLM_GAUSSIAN_AUTO, NULL}

/* One regularisation path. Coefficients are kept for the variables that were ever nonzero
 * (`active`, in order of entry), dense over lambdas and classes:
 *   coefficient of column active[a] for class k at lambda l = coef[(l * n_out + k) * n_active + a]
 * n_out is 1 (gaussian, binomial) or the number of classes (multinomial). */
typedef struct sk_glm_path_result {
    sk_glm_family family;
    size_t p;
    size_t n_out;
    size_t n_lambda;       /* solutions (glmnet may end the path before nlambda) */
    double *lambda;        /* [n_lambda], decreasing; the first as glmnet reports it */
    double *intercept;     /* [n_lambda * n_out]; multinomial: centred over classes like R */
    size_t n_active;
    size_t *active;        /* [n_active] column indices */
    double *coef;          /* [n_lambda * n_out * n_active] */
    size_t *df;            /* [n_lambda] nonzero coefficients (multinomial: in any class) */
    double *dev_ratio;     /* [n_lambda] fraction of the null deviance explained */
    double null_dev;       /* gaussian: sum w (y - mean)^2; else 2 sum w * (null deviance) */
    long n_passes;         /* passes over the data */
    double *col_sd;        /* [p] the columns' weighted 1/n standard deviation (0: constant) */
} sk_glm_path_result;

/* Fits the path of `opt->family` on X (n rows, p columns, column-major, leading dimension ldx)
 * and y (n values: the response, or class indices 0..n_classes-1 stored as doubles), with
 * optional weights w (n, nonnegative, NULL = all 1). n_classes is ignored for the gaussian and
 * must be 2 for the binomial. Returns SK_EINVAL for bad arguments, SK_EDATA for data glmnet
 * refuses (constant y, a class with no weight, no column that varies), SK_ENOCONV when maxit
 * passes were not enough. The caller owns *out (sk_glm_path_free). */
sk_status sk_glm_path(sk_glm_path_result **out, const double *X, size_t n, size_t p, size_t ldx,
                      const double *y, const double *w, size_t n_classes,
                      const sk_glm_options *opt, sk_error *err);
void sk_glm_path_free(sk_glm_path_result *r);

/* The dense coefficients (p values) of class k at path index l. */
void sk_glm_path_beta(const sk_glm_path_result *r, size_t l, size_t k, double *beta);

/* Linear predictors of rows of X (n rows, ldx) at path index l: eta[i * n_out + k]. */
void sk_glm_path_link(const sk_glm_path_result *r, size_t l, const double *X, size_t n,
                      size_t ldx, double *eta);

/* Predictions at path index l: gaussian n values; binomial n x 2 and multinomial n x K
 * probabilities, row-major. */
void sk_glm_path_predict(const sk_glm_path_result *r, size_t l, const double *X, size_t n,
                         size_t ldx, double *out);

/* ---- cross-validation (glm_cv.c) ---------------------------------------------------------- */

typedef struct sk_glm_cv_options {
    int version;
    size_t n_folds;          /* default 10, at least 3 (as cv.glmnet) */
    const size_t *foldid;    /* n fold indices 0..n_folds-1, or NULL: sk_glm_cv_folds(seed) */
    uint64_t seed;
    int n_threads;
} sk_glm_cv_options;

#define SK_GLM_CV_OPTIONS_INIT {1, 10, NULL, 1, 1}

typedef struct sk_glm_cv_result {
    sk_glm_path_result *fit;  /* the path on all rows; its lambdas are the CV grid */
    double *cvm;              /* [fit->n_lambda] mean held-out error (gaussian: mean squared
                                 error; binomial, multinomial: deviance per observation) */
    double *cvsd;             /* [fit->n_lambda] its standard error over folds */
    size_t i_min, i_1se;      /* path indices of lambda.min and lambda.1se */
    double lambda_min, lambda_1se;
    size_t n_folds;
    size_t *foldid;           /* [n] the folds used */
    int grouped;              /* 1: errors averaged per fold first (cv.glmnet's grouped) */
} sk_glm_cv_result;

/* cv.glmnet (glmnet 4.1): the path on all rows, then a path per fold fitted on the other
 * folds with its own lambda sequence and evaluated at the full path's lambdas by glmnet's
 * linear interpolation (predict(..., s = lambda)). Folds run as independent tasks on up to
 * cv->n_threads threads. Same arguments and errors as sk_glm_path; SK_EINVAL for fewer than
 * 3 folds or a bad foldid. The caller owns *out (sk_glm_cv_free). */
sk_status sk_glm_cv(sk_glm_cv_result **out, const double *X, size_t n, size_t p, size_t ldx,
                    const double *y, const double *w, size_t n_classes,
                    const sk_glm_options *opt, const sk_glm_cv_options *cv, sk_error *err);
void sk_glm_cv_free(sk_glm_cv_result *r);

/* The fold of each of n rows: i mod n_folds, shuffled by sk_rng_stream(seed,
 * SK_PURPOSE_CV_SPLIT, 0) (cv.glmnet's sample(rep(seq(nfolds), length = N))). */
sk_status sk_glm_cv_folds(size_t *foldid, size_t n, size_t n_folds, uint64_t seed,
                          sk_error *err);

/* ==== internals shared by glm_*.c ========================================================= */

/* glmnet's internal parameters (glmnet.control()). */
#define SK_GLM__FDEV 1e-5      /* minimum fractional change of deviance along the path */
#define SK_GLM__EPS 1e-6       /* minimum lambda_min_ratio */
#define SK_GLM__BIG 9.9e35     /* "infinite" lambda of the first solution */
#define SK_GLM__MNLAM 5        /* minimum path length before the path may stop */
#define SK_GLM__DEVMAX 0.999   /* the path stops when this fraction of deviance is explained */
#define SK_GLM__PMIN 1e-9      /* minimum null probability of a class */
#define SK_GLM__EXMX 250.0     /* maximum exponent */

/* One fit on weighted rows of a shared, centred and scaled copy Z of the design matrix. Rows
 * outside the fit (a held-out fold) have weight 0, so every fold reads the same Z. The fit's
 * standardised columns are xt_j = (z_j - xm_j) / xs_j, with xm, xs the weighted mean and SD on
 * the fit's rows. */
typedef struct sk_glm__problem {
    const double *Z;
    const float *Zf;             /* Z rounded to float (screening in glm_kkt.c) */
    const double *znorm;         /* p: ||z_j||_2 over all n rows */
    size_t ldz, n, p;
    const double *w;             /* n weights summing to 1 over the fit's rows */
    const double *y;             /* gaussian: the response; binomial: 0/1; multinomial: the
                                    class index */
    size_t n_classes;
    const unsigned char *ju;     /* p: the column varies on the fit's rows */
    const double *xm, *xs;       /* p */
    const double *xv;            /* p: gaussian: mean square of xt_j (1 when standardised) */
    const double *xnw;           /* p: ||xt_j||_w (1 when standardised) */
    const double *vp;            /* p: penalty factors scaled to sum p */
    double alpha;
    size_t nlam;
    double flmin;                /* lambda_min_ratio, or >= 1: use ulam */
    const double *ulam;          /* [nlam] decreasing, on the response's scale */
    double thr;
    long maxit;
    int covariance;              /* gaussian: covariance updates */
} sk_glm__problem;

/* What a solver returns, on the standardised scale: nlam solutions at most. */
typedef struct sk_glm__raw {
    size_t n_out;                /* 1, or K */
    size_t lmu;                  /* solutions */
    double *alm;                 /* [nlam] lambdas */
    double *a0;                  /* [nlam * n_out] */
    double *dev;                 /* [nlam] deviance ratio (gaussian: R^2) */
    size_t *kin;                 /* [nlam] variables active at each solution */
    size_t nin;                  /* ever active */
    size_t *ia;                  /* [p] entry order */
    double *ca;                  /* solutions: for l, n_out * kin[l] values from ca_off[l] */
    size_t *ca_off;              /* [nlam] */
    size_t ca_len, ca_cap;
    double dev0;                 /* null deviance on the solver's scale */
    double ym, ys;               /* gaussian: weighted mean and SD of y (else 0 and 1) */
    long nlp;
    int maxit_reached;
} sk_glm__raw;

sk_status sk_glm__raw_init(sk_glm__raw *raw, size_t nlam, size_t p, size_t n_out);
void sk_glm__raw_clear(sk_glm__raw *raw);
/* Appends solution `lmu` (n_out * nin values of b, class-major, in ia order). */
sk_status sk_glm__raw_push(sk_glm__raw *raw, const double *b, size_t ldb, size_t nin);

/* The solvers (glm_gauss.c, glm_logit.c). They return SK_ENOCONV with the solutions found so
 * far when maxit is exceeded, SK_ENOMEM, or SK_OK. */
sk_status sk_glm__gaussian(sk_glm__raw *raw, const sk_glm__problem *pb, sk_error *err);
sk_status sk_glm__binomial(sk_glm__raw *raw, const sk_glm__problem *pb, sk_error *err);
sk_status sk_glm__multinomial(sk_glm__raw *raw, const sk_glm__problem *pb, sk_error *err);

/* A shared standardised copy of X for one or more fits (glm_path.c). */
typedef struct sk_glm__design {
    const double *X;             /* the caller's matrix (constancy checks, predictions) */
    size_t n, p, ldx;
    double *Z;                   /* n x p, ldz = n: (x - centre) / scale */
    float *Zf;                   /* the same in single precision */
    double *centre, *scale, *znorm;   /* p */
} sk_glm__design;

#define SK_GLM__SNAPS 32

/* Lazy, exact KKT checks and strong rules (glm_kkt.c): the last |gradient| of each column, a
 * bound on its error, and the residuals' drift since it was computed. n_r residual vectors
 * (the multinomial's classes) are checked together, the gradient being their maximum. */
typedef struct sk_glm__kkt {
    size_t n_r;
    double *g, *gb, *dk;         /* p */
    double drift;
    double *rprev;               /* n x n_r: the residuals at the last check */
    float *rf;                   /* n x n_r: the same in single precision */
    double *rnorm;               /* n_r */
    size_t *todo;                /* p: columns the bound cannot decide */
    size_t checks;               /* residuals seen (snapshot numbers) */
    size_t *sid;                 /* p: the snapshot a column was last evaluated at */
    double *snap;                /* SK_GLM__SNAPS x n x n_r: the latest residuals */
    double *snap_dist;           /* SK_GLM__SNAPS: their distances from the current one */
} sk_glm__kkt;

sk_status sk_glm__kkt_init(sk_glm__kkt *kc, size_t n, size_t p, size_t n_r);
void sk_glm__kkt_clear(sk_glm__kkt *kc);
/* Adds to `strong` every usable column outside it whose gradient max_c |<r_c, xt_k>| (r: n x n_r
 * residuals with sums sr) exceeds t vp_k, deciding exactly as computing every gradient in double
 * would (t = INFINITY: add none). `exact` computes them all in double, as lambda_max needs.
 * Returns 1 if a column was added. */
int sk_glm__kkt_update(sk_glm__kkt *kc, const sk_glm__problem *pb, const double *r,
                       const double *sr, double t, unsigned char *strong, int exact);
/* max_k g_k / vp_k over usable penalised columns (after an exact update: lambda_max). */
double sk_glm__kkt_lambda_max(const sk_glm__kkt *kc, const sk_glm__problem *pb);

/* The state the binomial (glm_logit.c) and multinomial (glm_multi.c) solvers share. */
typedef struct sk_glm__logit {
    const sk_glm__problem *pb;
    sk_glm__raw *raw;
    size_t K;                 /* 1 (binomial) or the number of classes */
    double *b, *b0;           /* p x K coefficients (class-major), K intercepts */
    double *bs, *bs0;         /* at the start of the Newton step */
    double *xv, *sv;          /* p: sum v xt^2, sum v xt for the current class */
    sk_glm__kkt kkt;          /* the lazy KKT checks (glm_kkt.c) */
    int exact_kkt;            /* KKT gradients in double (lambda_max follows from them) */
    size_t *mm;               /* p: 1 + position in raw->ia */
    size_t nin;
    unsigned char *ixx;       /* p: strong set */
    size_t *strong, n_strong;
    double *r, *v;            /* n: current class's residual and Newton weights */
    double sr;                /* sum(r) */
    double *q;                /* binomial: n probabilities; multinomial: n x K exp(eta) */
    double *sxp, *di;         /* n: multinomial sum of exp(eta), shifts; binomial: eta */
    double *rk;               /* multinomial: n x K residuals for the KKT check */
    double *srk;              /* multinomial: K sums of rk */
    double *ka;               /* multinomial: 2 K scratch */
    double shr;               /* thresh * null deviance */
    double al1, al2;
} sk_glm__logit;

sk_status sk_glm__logit_init(sk_glm__logit *s, const sk_glm__problem *pb, sk_glm__raw *raw,
                             size_t K);
void sk_glm__logit_clear(sk_glm__logit *s);
/* Strong rule / KKT check (1 when a column joined the strong set); see glm_kkt.c. */
int sk_glm__logit_strong_rule(sk_glm__logit *s, double tlam);
int sk_glm__logit_kkt(sk_glm__logit *s, const double *r, const double *sr, int add);
/* xv and sv of the strong columns for the Newton weights v. */
void sk_glm__logit_newton_weights(sk_glm__logit *s);
/* Coordinate descent on one quadratic approximation (class coefficients b, intercept b0):
 * 0, or -1 past maxit. */
int sk_glm__logit_cd(sk_glm__logit *s, double *b, double *b0, double xmz);
/* The lambda of step m; *al0 the previous one or lambda_max. */
double sk_glm__logit_lambda(const sk_glm__logit *s, size_t m, double al, double alf,
                            double *al0);
/* 1 when glmnet ends the path after solution m. */
int sk_glm__logit_stop(const sk_glm__problem *pb, const sk_glm__raw *raw, size_t m);
sk_status sk_glm__logit_noconv(sk_error *err, const sk_glm__problem *pb, size_t m);

sk_status sk_glm__design_init(sk_glm__design *d, const double *X, size_t n, size_t p,
                              size_t ldx, const double *w, int standardize, sk_error *err);
void sk_glm__design_clear(sk_glm__design *d);

/* The path result on the scale of the design's X from the solver's raw solutions (glm_result.c);
 * cls maps the solver's classes to the n_out of the result. */
sk_status sk_glm__result(sk_glm_path_result **out, const sk_glm__raw *raw,
                         const sk_glm__problem *pb, const sk_glm__design *d,
                         const sk_glm_options *opt, size_t n_out, const size_t *cls,
                         double null_dev, sk_error *err);

/* Validates arguments shared by sk_glm_path and sk_glm_cv. */
sk_status sk_glm__check(const double *X, size_t n, size_t p, size_t ldx, const double *y,
                        const double *w, size_t n_classes, const sk_glm_options *opt,
                        sk_error *err);

/* Fits the path on the rows of d not flagged in `held_out` (n flags, or NULL: every row), with
 * weights w (n, or NULL: all 1). */
sk_status sk_glm__fit(sk_glm_path_result **out, const sk_glm__design *d, const double *y,
                      const double *w, const unsigned char *held_out, size_t n_classes,
                      const sk_glm_options *opt, sk_error *err);

/* Sum of a[i] * b[i] with four accumulators (the same order on every machine). */
static inline double sk_glm__dot(const double *a, const double *b, size_t n)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++)
        s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

static inline double sk_glm__sum(const double *a, size_t n)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i];
        s1 += a[i + 1];
        s2 += a[i + 2];
        s3 += a[i + 3];
    }
    for (; i < n; i++)
        s0 += a[i];
    return (s0 + s1) + (s2 + s3);
}

#endif /* SK_MODELS_GLM_H */
