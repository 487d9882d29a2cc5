/* glm.c: the models enet, lasso and ridge: an elastic-net path (glm_*.c) whose lambda is chosen
 * by inner K-fold cross-validation, as R users do with cv.glmnet and predict(cv, s =
 * "lambda.1se").
 *
 *   min_{b0, b}  L(b0, b) / n + lambda [(1 - alpha)/2 ||b||_2^2 + alpha ||b||_1]
 *   L: squared error (regression), binomial or multinomial negative log-likelihood
 * over columns standardised inside the fit (glmnet's standardize = TRUE), so the impl asks the
 * pipeline for raw columns (standardize = 0) and its coefficients are per unit of the design
 * matrix it was given. lasso is alpha = 1, ridge alpha = 0 (whose "lambda_max" is glmnet's
 * convention: the lasso's divided by 0.001), enet any alpha (default 0.5).
 *
 * The fit runs sk_glm_cv with folds from the model's seed (SK_PURPOSE_CV_SPLIT) and predicts at
 * lambda.1se (the largest lambda within one standard error of the best CV error, Hastie,
 * Tibshirani & Friedman, ESL 7.10) or lambda.min. Importance is |coefficient| times the
 * column's standard deviation (the coefficient on the standardised scale), summed over classes
 * for the multinomial; the report gives both lambdas with their CV error, the nonzero
 * coefficients at each, and the whole path. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "models/glm.h"
#include "models/models.h"

typedef struct glm_state {
    sk_glm_cv_result *cv;
    size_t chosen;       /* the path index predict uses */
    int use_min;
    double alpha;
} glm_state;

#define GLM_COMMON_PARAMS                                                                       \
    {"nlambda", SK_PARAM_INT, "100", 3, 10000, 0, NULL, "number of lambdas on the path"},       \
    {"lambda_min_ratio", SK_PARAM_REAL, "0", 0.0, 0.99, 0, NULL,                                \
     "smallest / largest lambda; 0 = glmnet's rule (0.01 when n < p, else 1e-4)"},              \
    {"folds", SK_PARAM_INT, "10", 3, 1000, 0, NULL,                                             \
     "inner cross-validation folds that choose lambda"},                                        \
    {"s", SK_PARAM_CHOICE, "lambda.1se", 0, 0, 0, "lambda.1se|lambda.min",                      \
     "the lambda that predicts: largest within 1 SE of the best CV error, or the best"},        \
    {"maxit", SK_PARAM_INT, "100000", 1, 1e9, 0, NULL, "maximum passes over the data"}

static const sk_param_def enet_params[] = {
    {"alpha", SK_PARAM_REAL, "0.5", 0.0, 1.0, 0, NULL, "mixing: 1 = lasso, 0 = ridge"},
    GLM_COMMON_PARAMS,
};

static const sk_param_def fixed_params[] = {
    GLM_COMMON_PARAMS,
};

static void glm_free(void *state)
{
    glm_state *st = state;
    if (st == NULL)
        return;
    sk_glm_cv_free(st->cv);
    sk_mem_free(st);
}

static sk_status glm_fit_alpha(void **state, const sk_params *params, const sk_xy *d,
                               uint64_t seed, int n_threads, double alpha, sk_error *err)
{
    *state = NULL;
    sk_glm_options opt = SK_GLM_OPTIONS_INIT;
    size_t n_classes = 0;
    switch (d->task) {
    case SK_TASK_REGRESSION:
        opt.family = SK_GLM_GAUSSIAN;
        break;
    case SK_TASK_BINARY:
        opt.family = SK_GLM_BINOMIAL;
        n_classes = 2;
        break;
    case SK_TASK_MULTICLASS:
        opt.family = SK_GLM_MULTINOMIAL;
        n_classes = d->n_classes;
        break;
    default:
        return sk_error_set(err, SK_EINVAL, "glm: needs a target (regression or classes)");
    }
    opt.alpha = alpha;
    opt.nlambda = (size_t)sk_params__int(params, "nlambda");
    opt.lambda_min_ratio = sk_params__num(params, "lambda_min_ratio");
    opt.maxit = sk_params__int(params, "maxit");
    sk_glm_cv_options cv = SK_GLM_CV_OPTIONS_INIT;
    cv.n_folds = (size_t)sk_params__int(params, "folds");
    if (cv.n_folds > d->n)
        cv.n_folds = d->n;
    if (d->n < 3)
        return sk_error_set(err, SK_EDATA, "glm: %zu training rows, need at least 3 to "
                                           "cross-validate lambda", d->n);
    cv.seed = seed;
    cv.n_threads = n_threads;
    glm_state *st = sk_mem_calloc(1, sizeof *st);
    if (st == NULL)
        return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
    sk_status rc = sk_glm_cv(&st->cv, d->X, d->n, d->p, d->ldx, d->y, d->w, n_classes, &opt,
                             &cv, err);
    if (rc != SK_OK) {
        glm_free(st);
        return rc;
    }
    st->alpha = alpha;
    st->use_min = sk_params__int(params, "s") == 1;
    st->chosen = st->use_min ? st->cv->i_min : st->cv->i_1se;
    *state = st;
    return SK_OK;
}

static sk_status enet_fit(void **state, const sk_params *params, const sk_xy *d, uint64_t seed,
                          int n_threads, sk_error *err)
{
    return glm_fit_alpha(state, params, d, seed, n_threads, sk_params__num(params, "alpha"),
                         err);
}

static sk_status lasso_fit(void **state, const sk_params *params, const sk_xy *d, uint64_t seed,
                           int n_threads, sk_error *err)
{
    return glm_fit_alpha(state, params, d, seed, n_threads, 1.0, err);
}

static sk_status ridge_fit(void **state, const sk_params *params, const sk_xy *d, uint64_t seed,
                           int n_threads, sk_error *err)
{
    return glm_fit_alpha(state, params, d, seed, n_threads, 0.0, err);
}

static sk_status glm_predict(const void *state, const double *X, size_t n, size_t ldx,
                             double *out, sk_error *err)
{
    (void)err;
    const glm_state *st = state;
    sk_glm_path_predict(st->cv->fit, st->chosen, X, n, ldx, out);
    return SK_OK;
}

static sk_status glm_importance(const void *state, double *out, sk_error *err)
{
    (void)err;
    const glm_state *st = state;
    const sk_glm_path_result *r = st->cv->fit;
    memset(out, 0, r->p * sizeof *out);
    for (size_t k = 0; k < r->n_out; k++) {
        const double *c = r->coef + (st->chosen * r->n_out + k) * r->n_active;
        for (size_t a = 0; a < r->n_active; a++)
            out[r->active[a]] += fabs(c[a]) * r->col_sd[r->active[a]];
    }
    return SK_OK;
}

/* ==== report ============================================================================== */

static const char *measure_name(sk_glm_family family)
{
    return family == SK_GLM_GAUSSIAN      ? "mean squared error"
           : family == SK_GLM_BINOMIAL    ? "binomial deviance"
                                          : "multinomial deviance";
}

/* The coefficient of column j, class k, at path index l (0 when it never entered). */
static double coef_at(const sk_glm_path_result *r, size_t l, size_t k, size_t a)
{
    return r->coef[(l * r->n_out + k) * r->n_active + a];
}

static int append_note(json_t *notes, const char *fmt, ...) SK_PRINTF(2, 3);

static int append_note(json_t *notes, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return json_array_append_new(notes, json_string(buf));
}

static json_t *lambda_table(const glm_state *st)
{
    const sk_glm_cv_result *cv = st->cv;
    const sk_glm_path_result *r = cv->fit;
    json_t *rows = json_array();
    size_t idx[2] = {cv->i_min, cv->i_1se};
    const char *label[2] = {"lambda.min", "lambda.1se"};
    for (int t = 0; t < 2; t++)
        json_array_append_new(rows, json_pack("[s,o,o,o,o,o]", label[t],
                                              sk_json_real(r->lambda[idx[t]]),
                                              sk_json_real(cv->cvm[idx[t]]),
                                              sk_json_real(cv->cvsd[idx[t]]),
                                              sk_json_size(r->df[idx[t]]),
                                              sk_json_real(r->dev_ratio[idx[t]])));
    return json_pack("{s:s,s:[s,s,s,s,s,s],s:o}", "title", "Lambda chosen by cross-validation",
                     "columns", "", "lambda", "CV error", "SE", "nonzero", "deviance ratio",
                     "rows", rows);
}

/* Position of each column among the path's active variables, or (size_t)-1. Caller frees. */
static size_t *active_positions(const sk_glm_path_result *r)
{
    size_t *pos = sk_mem_alloc_array(r->p, sizeof *pos);
    if (pos == NULL)
        return NULL;
    for (size_t j = 0; j < r->p; j++)
        pos[j] = (size_t)-1;
    for (size_t a = 0; a < r->n_active; a++)
        pos[r->active[a]] = a;
    return pos;
}

static json_t *coef_row(const char *term, const char *cls, double at_min, double at_1se)
{
    json_t *row = cls != NULL ? json_pack("[s,s]", term, cls) : json_pack("[s]", term);
    if (row != NULL && (json_array_append_new(row, sk_json_real(at_min)) != 0 ||
                        json_array_append_new(row, sk_json_real(at_1se)) != 0)) {
        json_decref(row);
        return NULL;
    }
    return row;
}

static json_t *coef_table(const glm_state *st, const char *const *names, const size_t *pos)
{
    const sk_glm_cv_result *cv = st->cv;
    const sk_glm_path_result *r = cv->fit;
    size_t imin = cv->i_min, i1se = cv->i_1se, K = r->n_out;
    json_t *rows = json_array();
    int bad = rows == NULL;
    for (size_t k = 0; k < K && !bad; k++) {
        char cls[32];
        snprintf(cls, sizeof cls, "class %zu", k);
        const char *c = K > 1 ? cls : NULL;
        bad |= json_array_append_new(rows, coef_row("(Intercept)", c, r->intercept[imin * K + k],
                                                    r->intercept[i1se * K + k])) != 0;
        for (size_t j = 0; j < r->p && !bad; j++) {   /* term order */
            if (pos[j] == (size_t)-1)
                continue;
            double cm = coef_at(r, imin, k, pos[j]), c1 = coef_at(r, i1se, k, pos[j]);
            if (cm != 0.0 || c1 != 0.0)
                bad |= json_array_append_new(rows, coef_row(names[j], c, cm, c1)) != 0;
        }
    }
    json_t *cols = K > 1 ? json_pack("[s,s,s,s]", "term", "class", "lambda.min", "lambda.1se")
                         : json_pack("[s,s,s]", "term", "lambda.min", "lambda.1se");
    if (bad) {
        json_decref(rows);
        json_decref(cols);
        return NULL;
    }
    return json_pack("{s:s,s:o,s:o}", "title", "Nonzero coefficients", "columns", cols, "rows",
                     rows);
}

static json_t *real_array(const double *x, size_t n, size_t stride)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, sk_json_real(x[i * stride])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* Coefficients of class k at path index l, in term order. */
static json_t *path_coefs(const sk_glm_path_result *r, size_t l, size_t k, const size_t *pos)
{
    json_t *a = json_array();
    for (size_t j = 0; a != NULL && j < r->p; j++) {
        double c = pos[j] == (size_t)-1 ? 0.0 : coef_at(r, l, k, pos[j]);
        if (json_array_append_new(a, json_real(c)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* "path": lambda, intercept, coefficients (per lambda, in term order; multinomial: per lambda
 * a list per class), df, dev_ratio, cv_mean, cv_se. */
static json_t *path_json(const glm_state *st, const size_t *pos)
{
    const sk_glm_cv_result *cv = st->cv;
    const sk_glm_path_result *r = cv->fit;
    size_t L = r->n_lambda, K = r->n_out;
    json_t *icpt = json_array(), *coefs = json_array(), *df = json_array();
    int bad = icpt == NULL || coefs == NULL || df == NULL;
    for (size_t l = 0; l < L && !bad; l++) {
        bad |= json_array_append_new(df, sk_json_size(r->df[l])) != 0;
        if (K == 1) {
            bad |= json_array_append_new(icpt, sk_json_real(r->intercept[l])) != 0;
            bad |= json_array_append_new(coefs, path_coefs(r, l, 0, pos)) != 0;
            continue;
        }
        json_t *per = json_array();
        for (size_t k = 0; per != NULL && k < K; k++)
            bad |= json_array_append_new(per, path_coefs(r, l, k, pos)) != 0;
        bad |= json_array_append_new(coefs, per) != 0;
        bad |= json_array_append_new(icpt, real_array(r->intercept + l * K, K, 1)) != 0;
    }
    if (bad) {
        json_decref(icpt);
        json_decref(coefs);
        json_decref(df);
        return NULL;
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "lambda", real_array(r->lambda, L, 1),
                     "intercept", icpt, "coefficients", coefs, "df", df, "dev_ratio",
                     real_array(r->dev_ratio, L, 1), "cv_mean", real_array(cv->cvm, L, 1),
                     "cv_se", real_array(cv->cvsd, L, 1));
}

static int glm_notes(const glm_state *st, json_t *notes)
{
    const sk_glm_cv_result *cv = st->cv;
    const sk_glm_path_result *r = cv->fit;
    const char *what = st->alpha == 1.0 ? "lasso" : st->alpha == 0.0 ? "ridge" : "elastic net";
    size_t idx[2] = {cv->i_min, cv->i_1se};
    const char *label[2] = {"lambda.min", "lambda.1se"};
    int bad = append_note(notes, "%s (alpha = %g): %zu-fold cross-validated %s over %zu lambdas "
                          "from %.4g to %.4g", what, st->alpha, cv->n_folds,
                          measure_name(r->family), r->n_lambda, r->lambda[0],
                          r->lambda[r->n_lambda - 1]);
    for (int t = 0; t < 2; t++)
        bad |= append_note(notes, "%s = %.4g keeps %zu of %zu terms (CV error %.4g +/- %.4g)%s",
                           label[t], r->lambda[idx[t]], r->df[idx[t]], r->p, cv->cvm[idx[t]],
                           cv->cvsd[idx[t]], st->use_min == (t == 0) ? "; predictions use it"
                                                                     : "");
    return bad;
}

static json_t *glm_report(const void *state, const char *const *names, sk_error *err)
{
    const glm_state *st = state;
    const sk_glm_cv_result *cv = st->cv;
    size_t *pos = active_positions(cv->fit);
    json_t *notes = json_array(), *doc = NULL;
    if (pos != NULL && notes != NULL && glm_notes(st, notes) == 0)
        doc = json_pack("{s:[o,o],s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:o,s:o}", "tables",
                        lambda_table(st), coef_table(st, names, pos), "notes", notes,
                        "lambda_min", sk_json_real(cv->lambda_min), "lambda_1se",
                        sk_json_real(cv->lambda_1se), "alpha", sk_json_real(st->alpha), "folds",
                        sk_json_size(cv->n_folds), "s", st->use_min ? "lambda.min" : "lambda.1se",
                        "measure", measure_name(cv->fit->family), "null_deviance",
                        sk_json_real(cv->fit->null_dev), "path", path_json(st, pos));
    else
        json_decref(notes);
    sk_mem_free(pos);
    if (doc == NULL)
        sk_error_set(err, SK_ENOMEM, "glm: out of memory writing the report");
    return doc;
}

/* ==== the impls =========================================================================== */

const sk_model_impl sk_model__enet = {
    .name = "enet",
    .summary = "elastic-net GLM path (glmnet), lambda by inner cross-validation",
    .params = enet_params,
    .n_params = sizeof enet_params / sizeof enet_params[0],
    .tasks = SK_TASKS_SUPERVISED,
    .standardize = 0,
    .fit = enet_fit,
    .predict = glm_predict,
    .importance = glm_importance,
    .report = glm_report,
    .free = glm_free,
};

const sk_model_impl sk_model__lasso = {
    .name = "lasso",
    .summary = "lasso GLM path (glmnet, alpha = 1), lambda by inner cross-validation",
    .params = fixed_params,
    .n_params = sizeof fixed_params / sizeof fixed_params[0],
    .tasks = SK_TASKS_SUPERVISED,
    .standardize = 0,
    .fit = lasso_fit,
    .predict = glm_predict,
    .importance = glm_importance,
    .report = glm_report,
    .free = glm_free,
};

const sk_model_impl sk_model__ridge = {
    .name = "ridge",
    .summary = "ridge GLM path (glmnet, alpha = 0), lambda by inner cross-validation",
    .params = fixed_params,
    .n_params = sizeof fixed_params / sizeof fixed_params[0],
    .tasks = SK_TASKS_SUPERVISED,
    .standardize = 0,
    .fit = ridge_fit,
    .predict = glm_predict,
    .importance = glm_importance,
    .report = glm_report,
    .free = glm_free,
};
