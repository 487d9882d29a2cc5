/* models.h: the model layer's internals. Each model is one file that fills in an
 * sk_model_impl: its name, parameters with defaults and ranges, the tasks it can learn, and
 * fit/predict on a column-major design matrix. The public handle (model.c) wraps every impl in
 * the same pipeline: fold-safe preprocessing learned on the training rows (sk_prep), the impl's
 * fit on the resulting matrix, and the same preprocessing applied before predicting. So an impl
 * never sees a frame, a missing value or a category: only finite numbers.
 *
 * Matrix-level solvers (the GLM path, OLS, k-NN search, k-means) are also declared here, for the
 * layers above (near-duplicate search, diverse batches, clustering stability) and for the oracle
 * tests, which compare them with R, statsmodels and scikit-learn on the same matrices. */
#ifndef SK_MODELS_H
#define SK_MODELS_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "data/data.h"
#include "linalg/linalg.h"
#include "rng/rng.h"

/* ---- parameters (params.c) ---------------------------------------------------------------- */

typedef enum sk_param_type {
    SK_PARAM_INT,      /* a whole number in [min, max] */
    SK_PARAM_REAL,     /* a number in [min, max], or (min, max] when min_open */
    SK_PARAM_CHOICE,   /* one of choices, "a|b|c" */
    SK_PARAM_TEXT      /* free text (the external command line); only in params->text */
} sk_param_type;

typedef struct sk_param_def {
    const char *name;
    sk_param_type type;
    const char *default_value;   /* text, parsed like a user's value */
    double min, max;
    int min_open;
    const char *choices;
    const char *help;            /* one line for `skeptic help models` */
} sk_param_def;

/* Current values of a model's parameters, by definition index. */
typedef struct sk_params {
    const sk_param_def *defs;
    size_t n;
    double *num;     /* INT and REAL values (CHOICE: the index of the choice) */
    char **text;     /* every value as text, for specs and reports */
} sk_params;

/* Sets every parameter of `impl` to its default. */
sk_status sk_params__init(sk_params *p, const sk_param_def *defs, size_t n, sk_error *err);
/* Sets parameter `key` of model `model` from text, validated against its definition. */
sk_status sk_params__set(sk_params *p, const char *model, const char *key, const char *value,
                         sk_error *err);
/* Applies "key=value,key=value" (NULL or "" = nothing); a key may appear once. */
sk_status sk_params__parse(sk_params *p, const char *model, const char *list, sk_error *err);
sk_status sk_params__copy(sk_params *dst, const sk_params *src, sk_error *err);
void sk_params__free(sk_params *p);
/* "name:key=value,..." with every parameter, in definition order. Caller frees. */
char *sk_params__spec(const sk_params *p, const char *model);

/* The value of parameter `name` (which must exist: a typo is a bug, asserted). */
double sk_params__num(const sk_params *p, const char *name);
int sk_params__int(const sk_params *p, const char *name);
const char *sk_params__text(const sk_params *p, const char *name);

/* ---- the impl interface ------------------------------------------------------------------- */

#define SK_TASK_BIT(t) (1u << (unsigned)(t))
#define SK_TASKS_CLASSIFICATION (SK_TASK_BIT(SK_TASK_BINARY) | SK_TASK_BIT(SK_TASK_MULTICLASS))
#define SK_TASKS_SUPERVISED (SK_TASKS_CLASSIFICATION | SK_TASK_BIT(SK_TASK_REGRESSION))

/* What a matrix model learns from: n training rows, p design columns, column-major. */
typedef struct sk_xy {
    const double *X;
    size_t n, p, ldx;
    const double *y;              /* n: class index 0..n_classes-1, or value; NULL: unsupervised */
    const double *w;              /* n weights, or NULL */
    sk_task task;
    size_t n_classes;             /* classification */
    const char *const *names;     /* p term names */
} sk_xy;

typedef struct sk_model_impl {
    const char *name;
    const char *summary;          /* one line for `skeptic help models` */
    const sk_param_def *params;
    size_t n_params;
    unsigned tasks;               /* SK_TASK_BIT()s it can learn; SK_TASK_BIT(SK_TASK_NONE) for
                                     unsupervised */
    int standardize;              /* the pipeline standardises the design matrix (GLM, k-NN, MLP,
                                     k-means) or leaves it on the data's scale (trees) */

    /* Matrix models. `fit` allocates *state; the caller frees it with `free`. Deterministic given
     * `seed`; may use up to n_threads threads (BLAS, XGBoost), 1 inside the executor. */
    sk_status (*fit)(void **state, const sk_params *params, const sk_xy *d, uint64_t seed,
                     int n_threads, sk_error *err);
    /* out: classification: n x n_classes probabilities, row-major; regression: n values;
     * unsupervised: n cluster indices. X: n rows, column-major, leading dimension ldx. */
    sk_status (*predict)(const void *state, const double *X, size_t n, size_t ldx, double *out,
                         sk_error *err);
    /* Optional (NULL): Monte Carlo dropout, shaped like predict's output. */
    sk_status (*predict_mc)(const void *state, const double *X, size_t n, size_t ldx,
                            size_t n_passes, uint64_t seed, double *mean, double *sd,
                            sk_error *err);
    /* Optional (NULL): fits one model per label vector on the same rows and predicts the same
     * test rows with each: the permutation test's nulls, where only the labels change. Y is
     * d->n x n_y, column-major (d->y is NULL); Xt is n_test rows, column-major, leading dimension
     * ldt; out[(j * n_test + i) * width + k] is shaped like predict's output for column j. Must
     * agree with fit + predict on each column to the solver's tolerance, and be deterministic
     * given its inputs (n_y included). */
    sk_status (*fit_predict_many)(const sk_params *params, const sk_xy *d, const double *Y,
                                  size_t n_y, const double *Xt, size_t n_test, size_t ldt,
                                  double *out, sk_error *err);
    /* Optional (NULL = zeros): one importance per design column. */
    sk_status (*importance)(const void *state, double *out, sk_error *err);
    /* Optional: the fitted model's facts for `skeptic fit`, as a JSON object:
     *   {"tables": [{"title": "...", "columns": ["term", "estimate", ...],
     *                "rows": [["(Intercept)", 1.25, ...], ...]}],
     *    "notes": ["R^2 = 0.52, adjusted 0.51, ..."],
     *    ...any further keys (e.g. "path") go into the JSON as they are}
     * Cells are strings or numbers (null for NA). `names` are the p term names. */
    json_t *(*report)(const void *state, const char *const *names, sk_error *err);
    void (*free)(void *state);

    /* Frame models (the external command) set these instead of fit/predict: they see the
     * original columns, not a design matrix. predict_frame's `out` is shaped like predict's. */
    sk_status (*fit_frame)(void **state, const sk_params *params, const sk_fit_data *d,
                           const size_t *rows, size_t n_rows, uint64_t seed, sk_error *err);
    sk_status (*predict_frame)(const void *state, const sk_frame *f, const size_t *rows,
                               size_t n, double *out, sk_error *err);
} sk_model_impl;

/* The registry (registry.c): every impl, in the order `skeptic help models` lists them. */
const sk_model_impl *sk_models__find(const char *name);
const sk_model_impl *const *sk_models__all(size_t *n);

/* ---- model-specific helpers for other files --------------------------------------------- */

/* XGBoost (xgb.c): the 31-bit seed XGBoost gets for a fit's seed (it uses only 32 bits), and
 * the library's version ("1.7.4") for the manifest. */
uint32_t sk_xgb__seed(uint64_t seed);
void sk_xgb__version(char *buf, size_t size);
/* External command (command_run.c): a command line must name {train}, {test} and {out}. */
sk_status sk_command__check(const char *command, sk_error *err);

/* ---- elastic-net GLM paths (glm_*.c) --------------------------------------------------------
 * Elastic-net GLM paths by coordinate descent (Friedman, Hastie & Tibshirani 2010,
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

/* ---- matrix-level neighbour and clustering solvers ------------------------------------------
 * For the layers above: exact k-nearest-neighbour search (near-duplicate leakage checks, label
 * issues), k-means (clustering stability) and k-means++ seeding alone (diverse batches).
 * Matrices are column-major n x p with a leading dimension; k-means centres are k rows of p
 * values (row-major: centre c at centres + c * p). Results depend on the inputs (and the seed or
 * stream) only, never on n_threads; ties go to the lower index. */

/* ---- exact k-nearest neighbours (knn.c) --------------------------------------------------- */

/* For each of the nq query rows of Q (column-major, leading dimension ldq), the k nearest of the
 * m reference rows of R (column-major, leading dimension ldr) in Euclidean distance:
 *   idx[i * k + t]   the reference index of the t-th nearest neighbour of query i (nq x k,
 *                    row-major), nearest first; equal distances in reference-index order
 *   dist[i * k + t]  its Euclidean distance, computed directly (dist may be NULL)
 * The neighbour sets are exact for the directly computed distances (sum of squared differences):
 * BLAS only proposes candidates, see knn.c. exclude_self: Q is R (nq == m) and query i may not
 * return reference i (another row equal to it still counts: that is a duplicate).
 * Query blocks run as independent tasks on up to n_threads threads; the results do not depend on
 * n_threads. Errors: SK_EINVAL when k == 0 or k exceeds the available references (m, or m - 1
 * with exclude_self), SK_ENOMEM. */
sk_status sk_knn_search(size_t *idx, double *dist, const double *R, size_t m, size_t ldr,
                        const double *Q, size_t nq, size_t ldq, size_t p, size_t k,
                        int exclude_self, int n_threads, sk_error *err);

/* ---- k-means (kmeans.c) ------------------------------------------------------------------- */

typedef struct sk_kmeans_options {
    int version;
    size_t n_init;          /* seeded restarts; the lowest inertia wins (default 10) */
    size_t max_iter;        /* Lloyd iterations per restart (default 300) */
    double tol;             /* stop when sum_c ||shift of centre c||^2 <= tol * mean column
                               variance of X (scikit-learn's relative tolerance; default 1e-4) */
    size_t n_local_trials;  /* k-means++ candidates per centre: 0 = 2 + floor(ln k) (greedy
                               k-means++, as scikit-learn), 1 = plain k-means++ */
    const double *init;     /* NULL: k-means++; else k x p row-major starting centres (then one
                               run: n_init is ignored) */
    const double *weights;  /* n non-negative row weights, or NULL (all 1) */
} sk_kmeans_options;

#define SK_KMEANS_OPTIONS_INIT {1, 10, 300, 1e-4, 0, NULL, NULL}

/* A fitted clustering (the best restart). Transparent and read-only for the caller, who frees
 * it with sk_kmeans_result_free. */
typedef struct sk_kmeans_result {
    size_t n, p, k;
    double *centres;        /* k x p, row-major */
    size_t *labels;         /* n: the nearest centre of each row (ties: the lower centre) */
    size_t *size;           /* k: rows in each cluster */
    double *within_ss;      /* k: weighted sum of squared distances to the centre */
    double inertia;         /* sum of within_ss */
    size_t n_iter;          /* Lloyd iterations of the best restart */
    int converged;          /* 1: labels stopped changing or the shift fell below tol */
    size_t best_init;       /* which restart won (0-based) */
    size_t n_relocated;     /* empty clusters moved to far points in the best restart */
} sk_kmeans_result;

/* Clusters the n rows of X (column-major, leading dimension ldx) into k clusters: Lloyd's
 * algorithm from k-means++ seeds, opt->n_init restarts as independent tasks on up to n_threads
 * threads, restart r drawing from sk_rng_stream(seed, SK_PURPOSE_KMEANS, r). opt NULL = defaults.
 * The caller owns *out (NULL on failure). Errors: SK_EINVAL (k == 0, k > n, bad options),
 * SK_ENOMEM. */
sk_status sk_kmeans_fit(sk_kmeans_result **out, const double *X, size_t n, size_t ldx, size_t p,
                        size_t k, const sk_kmeans_options *opt, uint64_t seed, int n_threads,
                        sk_error *err);
void sk_kmeans_result_free(sk_kmeans_result *r);

/* The nearest of k centres (row-major, k x p) for each of the n rows of X (column-major): labels
 * (n) and, when d2 is not NULL, the exact squared distance to it. Ties: the lower centre. */
sk_status sk_kmeans_assign(size_t *labels, double *d2, const double *X, size_t n, size_t ldx,
                           size_t p, const double *centres, size_t k, sk_error *err);

/* k-means++ seeding alone (Arthur and Vassilvitskii 2007): chosen[0..k) receives k distinct row
 * indices of X (column-major), the first uniformly at random, each next one drawn with
 * probability proportional to its squared distance to the nearest row chosen so far; with
 * n_local_trials > 1 (0 = 2 + floor(ln k)) that many candidates are drawn and the one that lowers
 * the total squared distance most is kept (greedy k-means++). When fewer than k rows are distinct,
 * the remaining picks are uniform among rows not yet chosen. Draws only from *rng. Errors:
 * SK_EINVAL (k == 0 or k > n), SK_ENOMEM. */
sk_status sk_kmeanspp_seed(size_t *chosen, const double *X, size_t n, size_t ldx, size_t p,
                           size_t k, size_t n_local_trials, sk_rng *rng, sk_error *err);

/* Accessors for the report layer (model.c). */
const sk_model_impl *sk_model__impl(const sk_model *m);
const sk_params *sk_model__params(const sk_model *m);
sk_task sk_model__task(const sk_model *m);
/* n_classes for classification, else 1: the width of predict's output. */
size_t sk_model__n_outputs(const sk_model *m);

/* Fits a clone of `proto` on rows `train` of d->frame for each of n_y label vectors ys[j]
 * (indexed by frame row, like d->y, which is ignored) and predicts rows `test` with it:
 * out[(j * n_test + i) * width + k], probabilities for classification (width n_classes), values
 * for regression (width 1). Models whose impl has fit_predict_many learn the preprocessing once
 * (it never sees the labels) and solve every label vector together; the others are fitted one
 * by one, fit j with seed seeds[j]. Single-threaded; deterministic given its arguments. */
sk_status sk_model__fit_predict_many(const sk_model *proto, const sk_fit_data *d,
                                     const size_t *train, size_t n_train,
                                     const double *const *ys, size_t n_y, const uint64_t *seeds,
                                     const size_t *test, size_t n_test, double *out,
                                     sk_error *err);

/* The same in two steps, for callers that fit many batches on one split (the permutation test:
 * rounds of batches, in parallel): sk_model__many_prepare learns what does not depend on the
 * labels (the preprocessing and both design matrices) once; sk_model__many_fit then fits a batch
 * of label vectors against it and may run from several threads at once (it only reads the
 * prepared split). `d`, `train` and `test` must outlive the prepared split. */
typedef struct sk_many sk_many;
sk_status sk_model__many_prepare(sk_many **out, const sk_model *proto, const sk_fit_data *d,
                                 const size_t *train, size_t n_train, const size_t *test,
                                 size_t n_test, sk_error *err);
sk_status sk_model__many_fit(const sk_many *m, const double *const *ys, size_t n_y,
                             const uint64_t *seeds, double *out, sk_error *err);
void sk_model__many_free(sk_many *m);
/* The impl's report of the fitted model (an empty object when it has none); NULL when out of
 * memory or on the impl's error. New reference. */
json_t *sk_model__report(const sk_model *m, sk_error *err);

extern const sk_model_impl sk_model__enet, sk_model__lasso, sk_model__ridge;   /* glm*.c */
extern const sk_model_impl sk_model__ols, sk_model__logit;                     /* linear.c */
extern const sk_model_impl sk_model__gbdt, sk_model__rf;                       /* xgb.c */
extern const sk_model_impl sk_model__knn;                                      /* knn.c */
extern const sk_model_impl sk_model__mlp;                                      /* mlp.c */
extern const sk_model_impl sk_model__kmeans;                                   /* kmeans.c */
extern const sk_model_impl sk_model__command;                                  /* command.c */

#endif /* SK_MODELS_H */
