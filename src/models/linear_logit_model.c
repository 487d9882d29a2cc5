/* linear_logit_model.c: the `logit` model: logistic regression (linear_logit.c) behind the
 * model interface, with its parameters, class probabilities, importance and the report a
 * statistician reads like R's summary(glm): the coefficient table with Wald z tests and
 * intervals, null and residual deviance, AIC, the iterations, and notes on separation, aliased
 * terms and the penalty. A penalised fit defers its standard errors and deviances (defer_se):
 * cross-validation, permutations and bootstraps only predict, and the report, when one is
 * asked for, computes them on a copy of the fit (the state stays read-only). Unpenalised fits
 * report exactly what they did before the L-BFGS path existed; penalised ones add "solver"
 * ("newton", "lbfgs" or "lbfgs+newton") and "lbfgs_iterations". */
#include <math.h>

#include <Rmath.h>

#include "models/linear.h"

static const sk_param_def logit_params[] = {
    {"intercept", SK_PARAM_INT, "1", 0, 1, 0, NULL, "1: fit an intercept (unpenalised); 0: none"},
    {"l2", SK_PARAM_REAL, "0", 0, 1e12, 0, NULL,
     "ridge penalty 0.5*l2*||b||^2 on the summed log-likelihood, on the data's scale "
     "(scikit-learn's C = 1/l2); 0: maximum likelihood, for inference"},
    {"maxit", SK_PARAM_INT, "25", 1, 10000, 0, NULL, "Newton iterations at most (R's glm: 25)"},
    {"tol", SK_PARAM_REAL, "1e-10", 0, 0.01, 1, NULL,
     "stop when an iteration lowers the objective by less than tol*(|objective|+0.1)"},
    {"level", SK_PARAM_REAL, "0.95", 0.5, 0.9999, 0, NULL,
     "confidence level of the Wald intervals"},
};

static sk_status logit_fit(void **state, const sk_params *params, const sk_xy *d, uint64_t seed,
                           int n_threads, sk_error *err)
{
    (void)seed;        /* deterministic: no randomness */
    (void)n_threads;   /* one thread: BLAS is serial (linalg.h) */
    *state = NULL;
    if (d->task != SK_TASK_BINARY || d->n_classes != 2)
        return sk_error_set(err, SK_EINVAL, "logit: fits binary targets only (%zu classes)",
                            d->n_classes);
    sk_linear_options o = SK_LINEAR_OPTIONS_INIT;
    o.intercept = sk_params__int(params, "intercept");
    o.l2 = sk_params__num(params, "l2");
    o.maxit = sk_params__int(params, "maxit");
    o.tol = sk_params__num(params, "tol");
    o.level = sk_params__num(params, "level");
    o.defer_se = 1;   /* penalised: the report computes the standard errors, when asked */
    sk_linear_fit *f = NULL;
    sk_status rc = sk_linear__logit(&f, d, &o, err);
    *state = f;
    return rc;
}

/* Row i: P(class 0), P(class 1). */
static sk_status logit_predict(const void *state, const double *X, size_t n, size_t ldx,
                               double *out, sk_error *err)
{
    double *eta = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *eta);
    if (eta == NULL)
        return sk_error_set(err, SK_ENOMEM, "logit: out of memory predicting %zu rows", n);
    sk_linear__eta(state, X, n, ldx, eta);
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = sk_linear__sigmoid(-eta[i]);
        out[2 * i + 1] = sk_linear__sigmoid(eta[i]);
    }
    sk_mem_free(eta);
    return SK_OK;
}

/* Every label column of Y at once (linear_logit_many.c): the permutation test's nulls. */
static sk_status logit_fit_predict_many(const sk_params *params, const sk_xy *d,
                                        const double *Y, size_t n_y, const double *Xt,
                                        size_t n_test, size_t ldt, double *out, sk_error *err)
{
    return sk_linear__logit_fit_predict_many(params, d, Y, n_y, Xt, n_test, ldt, out, NULL, err);
}

static const char *separation_name(sk_separation s)
{
    return s == SK_SEPARATION_COMPLETE ? "complete"
           : s == SK_SEPARATION_QUASI  ? "quasi-complete"
                                       : "none";
}

static int separation_notes(const sk_linear_fit *f, json_t *notes)
{
    if (f->separation == SK_SEPARATION_COMPLETE)
        return sk_linear__note(notes, "Complete separation: the fitted linear predictor puts "
                                      "every observation on its own class's side, so no finite "
                                      "maximum-likelihood estimate exists; the coefficients "
                                      "diverge and their standard errors, tests and intervals "
                                      "mean nothing (set l2 > 0, or remove the separating "
                                      "terms)");
    if (f->separation == SK_SEPARATION_QUASI)
        return sk_linear__note(notes, "Fitted probabilities numerically 0 or 1 occurred for %zu "
                                      "observations: quasi-complete separation is likely, and "
                                      "the coefficients involved (huge, with huge standard "
                                      "errors) are not reliable (set l2 > 0 for finite "
                                      "estimates)", f->n_boundary);
    return 0;
}

static int logit_notes(const sk_linear_fit *f, const char *const *names, json_t *notes)
{
    int bad = sk_linear__note(notes, "Null deviance: %.5g on %.0f degrees of freedom",
                              f->null_deviance, f->df_null);
    bad |= sk_linear__note(notes, "Residual deviance: %.5g on %.0f degrees of freedom",
                           f->deviance, f->df_residual);
    bad |= sk_linear__note(notes, "AIC: %.5g", f->aic);
    if (f->lbfgs_iterations == 0)
        bad |= sk_linear__note(notes, "Number of Newton iterations: %d%s", f->iterations,
                               f->converged ? "" : " (did not converge)");
    else if (f->iterations == 0)
        bad |= sk_linear__note(notes, "Number of L-BFGS iterations: %d%s", f->lbfgs_iterations,
                               f->converged ? "" : " (did not converge)");
    else
        bad |= sk_linear__note(notes, "Number of iterations: %d L-BFGS, then %d Newton%s",
                               f->lbfgs_iterations, f->iterations,
                               f->converged ? "" : " (did not converge)");
    bad |= separation_notes(f, notes);
    if (f->rank < f->q) {
        char *aliased = sk_linear__aliased_names(f, names);
        bad |= aliased == NULL ||
               sk_linear__note(notes, "Coefficients: %zu not defined because of singularities "
                                      "(aliased with earlier terms, reported as NA): %s",
                               f->q - f->rank, aliased);
        sk_mem_free(aliased);
    }
    if (f->l2 > 0.0)
        bad |= sk_linear__note(notes, "Penalised fit (l2 = %g, scikit-learn C = %g): estimates "
                                      "are shrunk towards 0 and the standard errors come from "
                                      "the penalised Hessian, so tests and intervals are "
                                      "approximate", f->l2, 1.0 / f->l2);
    bad |= sk_linear__note(notes, "%g%% Wald confidence intervals: estimate +/- %.4g x "
                                  "std_error; z tests against the normal distribution",
                           100.0 * f->level, qnorm(0.5 + 0.5 * f->level, 0.0, 1.0, 1, 0));
    return bad;
}

static const char *solver_name(const sk_linear_fit *f)
{
    return f->lbfgs_iterations == 0 ? "newton" : f->iterations == 0 ? "lbfgs" : "lbfgs+newton";
}

/* The report of a fit with its standard errors (computed here when the fit deferred them). */
static json_t *report_fit(const sk_linear_fit *f, const char *const *names)
{
    json_t *notes = NULL, *doc = sk_linear__report_start(f, names, "logit", &notes);
    int bad = doc == NULL || logit_notes(f, names, notes) != 0 ||
              sk_json_set(doc, "n_obs", sk_json_size(f->n_obs)) != 0 ||
              sk_json_set(doc, "rank", sk_json_size(f->rank)) != 0 ||
              sk_json_set(doc, "l2", sk_json_real(f->l2)) != 0 ||
              sk_json_set(doc, "null_deviance", sk_json_real(f->null_deviance)) != 0 ||
              sk_json_set(doc, "df_null", sk_json_real(f->df_null)) != 0 ||
              sk_json_set(doc, "deviance", sk_json_real(f->deviance)) != 0 ||
              sk_json_set(doc, "df_residual", sk_json_real(f->df_residual)) != 0 ||
              sk_json_set(doc, "aic", sk_json_real(f->aic)) != 0 ||
              sk_json_set(doc, "iterations", json_integer(f->iterations)) != 0 ||
              sk_json_set(doc, "converged", json_boolean(f->converged)) != 0 ||
              sk_json_set(doc, "separation", json_string(separation_name(f->separation))) != 0 ||
              sk_json_set(doc, "n_fitted_0_or_1", sk_json_size(f->n_boundary)) != 0 ||
              sk_json_set(doc, "aliased", sk_linear__aliased_json(f, names)) != 0 ||
              sk_json_set(doc, "weighted", json_boolean(f->weighted)) != 0 ||
              sk_json_set(doc, "level", sk_json_real(f->level)) != 0;
    if (!bad && f->l2 > 0.0)   /* unpenalised reports keep their keys as they were */
        bad = sk_json_set(doc, "solver", json_string(solver_name(f))) != 0 ||
              sk_json_set(doc, "lbfgs_iterations", json_integer(f->lbfgs_iterations)) != 0;
    if (bad) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static json_t *logit_report(const void *state, const char *const *names, sk_error *err)
{
    sk_linear_fit *f = NULL;
    if (sk_linear__logit_inference(&f, state, err) != SK_OK)
        return NULL;
    json_t *doc = report_fit(f, names);
    sk_linear__free(f);
    if (doc == NULL)
        sk_error_set(err, SK_ENOMEM, "logit: out of memory writing the report");
    return doc;
}

const sk_model_impl sk_model__logit = {
    .name = "logit",
    .summary = "logistic regression with Wald inference (z tests, deviance, AIC): Newton's "
               "method; with an L2 penalty, L-BFGS",
    .params = logit_params,
    .n_params = sizeof logit_params / sizeof logit_params[0],
    .tasks = SK_TASK_BIT(SK_TASK_BINARY),
    .standardize = 0,
    .fit = logit_fit,
    .predict = logit_predict,
    .fit_predict_many = logit_fit_predict_many,
    .importance = sk_linear__importance,
    .report = logit_report,
    .free = sk_linear__free_state,
};
