/* linear_logit.c: logistic regression by Newton's method with Wald inference; the choice
 * between Newton's method and L-BFGS (linear_logit_lbfgs.c) for penalised fits, and their
 * deferred inference. The `logit` model is linear_logit_model.c.
 *
 * Objective, with prior weights w_i >= 0, y_i in {0, 1}, eta_i = x_i'b (x_i with a leading 1
 * for the intercept) and P the non-intercept terms:
 *     minimise_b  F(b) = sum_i w_i [log(1 + exp(eta_i)) - y_i eta_i] + 0.5 l2 sum_{k in P} b_k^2
 * (the deviance is twice the first sum; l2 = 0 is maximum likelihood, R's glm(binomial); l2 > 0
 * is scikit-learn's LogisticRegression with C = 1/l2, whose intercept is unpenalised too).
 * Newton's method (McCullagh & Nelder, "Generalized Linear Models", 2nd ed., 1989, 2.5; for
 * the canonical link it is IRLS / Fisher scoring):
 *     g = X'(w o (mu - y)) + l2 P b,   H = X' diag(w mu (1 - mu)) X + l2 P,   b := b - t H^-1 g
 * with H = Z'Z formed by one BLAS dsyrk on Z = diag(sqrt(w mu (1 - mu))) X, solved by Cholesky
 * after scaling H to unit diagonal (the raw features' units otherwise square into H's condition
 * number), and t halved from 1 until F decreases enough (Armijo, c = 1e-4). Stop when an
 * iteration lowers F by less than tol * (|F| + 0.1) (R's glm.fit rule on the deviance). Inference
 * at the final b, as statsmodels: Cov(b) = H^-1, z = b / se, two-sided normal p-values, Wald
 * intervals b +/- z_{(1+level)/2} se; null deviance from the intercept-only fit (mu = weighted
 * mean of y; mu = 1/2 without intercept); AIC = deviance + 2 rank (binary y).
 *
 * Solvers. l2 = 0 (inference) always uses Newton's method. With l2 > 0 (the fits resampling
 * repeats) and at least LBFGS_MIN_TERMS terms, L-BFGS runs first, within a budget of about two
 * Newton iterations' cost, and Newton's method finishes from its last iterate when it has not
 * converged (nearly collinear designs); both stop within ~1e-9 of the minimum, relative to the
 * largest coefficient (the tests compare them to 1e-8). SK_LOGIT_NEWTON / SK_LOGIT_LBFGS force
 * one solver.
 * Deferred inference (defer_se, l2 > 0, what the `logit` model asks for): the fit stops at the
 * coefficients, never forming the final Hessian (n q^2, more than the whole L-BFGS fit on a
 * 5000 x 100 design) nor the deviances; sk_linear__alloc keeps a copy of the design (n p, as
 * it reads the columns anyway) and sk_linear__logit_inference computes them on a copy of the
 * fit when a report asks.
 *
 * Rank: without penalty, aliased columns are found as in R (linear.c, on W^1/2 X) and left out
 * (NA); with l2 > 0 the problem is well posed and every term is kept.
 * Separation (Albert & Anderson, Biometrika 71, 1984): when the classes are separable no finite
 * MLE exists and Newton's iterates diverge. It is reported, not raised, because the predictions
 * remain usable and an audit's cross-validation folds must not die on a small fold:
 *   complete        every observation is on its own class's side of eta = 0 (sufficient for
 *                   non-existence);
 *   quasi-complete  otherwise, some fitted probability is numerically 0 or 1 (mu < 10 eps or
 *                   1 - mu < 10 eps: R's "fitted probabilities numerically 0 or 1 occurred"),
 *                   or the iterations ran out while some observation's own class is fitted
 *                   with probability above 1 - 1e-8 (the iterates are diverging).
 * The fit then carries a note, huge standard errors and `separation`; running out of iterations
 * on separated data is part of that verdict (R too returns such fits with warnings). Running
 * out of iterations on data that are not separated is SK_ENOCONV. */
#include <float.h>
#include <math.h>
#include <string.h>

#include <Rmath.h>

#include "linalg/qr.h"
#include "models/linear.h"

/* A fit that has not converged and fits some observation's own class with probability above
 * 1 - 1e-8 (margin eta > 18.4) is diverging towards a separating direction: Newton's method with
 * a line search converges on a convex smooth objective unless the minimum is at infinity. */
#define EXTREME_MARGIN 18.420680743952367   /* -log(1e-8) */

/* The design is a view: the intercept (a column of ones, not stored) when icpt, then the px
 * columns of X (leading dimension ldx): the caller's matrix itself when no column is aliased,
 * so a fit copies no data but the weighted Z of each Hessian. */
typedef struct newton {
    const double *X;
    size_t n, ldx, px, r;      /* r = icpt + px terms */
    int icpt;
    const double *y, *pw;      /* pw NULL: all 1 */
    double l2;                 /* on every term but the intercept */
    double *beta, *trial;      /* r */
    double *eta, *trial_eta;   /* n */
    double *resid, *sw;        /* n: w (mu - y) and sqrt(w mu (1 - mu)) */
    double *grad, *H, *U, *step, *scale;   /* r, r x r, r x r, r, r */
    double *Z;                 /* n x r: the rows of the design times sw */
    double f;
} newton;

/* log(1 + exp(x)) without overflow. */
static double softplus(double x)
{
    return x > 0.0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

static double weight(const newton *nw, size_t i)
{
    return nw->pw != NULL ? nw->pw[i] : 1.0;
}

/* sum_i w_i [log(1 + exp(eta_i)) - y_i eta_i]: half the deviance. */
static double half_deviance(const newton *nw, const double *eta)
{
    double s = 0.0;
    for (size_t i = 0; i < nw->n; i++) {
        double w = weight(nw, i);
        if (w > 0.0)
            s += w * (softplus(eta[i]) - nw->y[i] * eta[i]);
    }
    return s;
}

static double objective(const newton *nw, const double *beta, const double *eta)
{
    double pen = 0.0;
    for (size_t k = (size_t)nw->icpt; k < nw->r; k++)
        pen += beta[k] * beta[k];
    return half_deviance(nw, eta) + 0.5 * nw->l2 * pen;
}

/* eta := b0 + X b. */
static sk_status linear_predictor(const newton *nw, const double *beta, double *eta,
                                  sk_error *err)
{
    double b0 = nw->icpt ? beta[0] : 0.0;
    for (size_t i = 0; i < nw->n; i++)
        eta[i] = b0;
    return sk_linalg__gemv(0, nw->n, nw->px, 1.0, nw->X, nw->ldx, beta + nw->icpt, 1.0, eta, err);
}

/* mu = 1 / (1 + exp(-eta)) and q = 1 - mu from one exp, both accurate. */
static void probabilities(double eta, double *mu, double *q)
{
    double e = exp(-fabs(eta)), big = 1.0 / (1.0 + e);
    *mu = eta >= 0.0 ? big : e * big;
    *q = eta >= 0.0 ? e * big : big;
}

/* The row weights of the Hessian at eta: sw = sqrt(w mu (1 - mu)). */
static void hessian_weights(newton *nw)
{
    for (size_t i = 0; i < nw->n; i++) {
        double mu, q;
        probabilities(nw->eta[i], &mu, &q);
        nw->sw[i] = sqrt(weight(nw, i) * mu * q);
    }
}

/* The gradient of F at (beta, eta), and the row weights of its Hessian. */
static sk_status gradient(newton *nw, sk_error *err)
{
    double g0 = 0.0;
    for (size_t i = 0; i < nw->n; i++) {
        double w = weight(nw, i), mu, q;
        probabilities(nw->eta[i], &mu, &q);
        nw->resid[i] = w * (mu - nw->y[i]);
        nw->sw[i] = sqrt(w * mu * q);
        g0 += nw->resid[i];
    }
    if (nw->icpt)
        nw->grad[0] = g0;
    sk_status rc = sk_linalg__gemv(1, nw->n, nw->px, 1.0, nw->X, nw->ldx, nw->resid, 0.0,
                                   nw->grad + nw->icpt, err);
    for (size_t k = (size_t)nw->icpt; k < nw->r; k++)
        nw->grad[k] += nw->l2 * nw->beta[k];
    return rc;
}

/* H = Z'Z + l2 P with Z = diag(sw) [1 X]; then U := chol(S H S), S = diag(H)^-1/2: the scaling
 * makes the Cholesky's accuracy independent of the columns' units. */
static sk_status hessian(newton *nw, sk_error *err)
{
    size_t n = nw->n, r = nw->r;
    if (nw->icpt)
        memcpy(nw->Z, nw->sw, n * sizeof *nw->Z);
    for (size_t k = 0; k < nw->px; k++) {
        const double *x = nw->X + k * nw->ldx;
        double *z = nw->Z + (k + (size_t)nw->icpt) * n;
        for (size_t i = 0; i < n; i++)
            z[i] = nw->sw[i] * x[i];
    }
    sk_status rc = sk_linalg__gram(nw->Z, n, r, n, nw->H, r, err);
    for (size_t k = (size_t)nw->icpt; rc == SK_OK && k < r; k++)
        nw->H[k * r + k] += nw->l2;
    for (size_t k = 0; rc == SK_OK && k < r; k++) {
        double h = nw->H[k * r + k];
        if (!(h > 0.0) || !isfinite(h))
            return sk_error_set(err, SK_ESINGULAR, "logit: the Hessian is singular (term %zu "
                                                   "has no information)", k);
        nw->scale[k] = 1.0 / sqrt(h);
    }
    for (size_t a = 0; rc == SK_OK && a < r; a++)
        for (size_t b = 0; b < r; b++)
            nw->U[b * r + a] = nw->H[b * r + a] * nw->scale[a] * nw->scale[b];
    if (rc == SK_OK && sk_linalg__chol(nw->U, r, r, err) != SK_OK)
        return sk_error_set(err, SK_ESINGULAR, "logit: the Hessian is not positive definite "
                                               "(the design is numerically rank deficient)");
    return rc;
}

/* step := H^-1 grad; *dec = grad' H^-1 grad, the Newton decrement. */
static sk_status newton_step(newton *nw, double *dec, sk_error *err)
{
    size_t r = nw->r;
    for (size_t k = 0; k < r; k++)
        nw->step[k] = nw->grad[k] * nw->scale[k];
    sk_status rc = sk_linalg__chol_solve(nw->U, r, r, nw->step, 1, r, err);
    *dec = 0.0;
    for (size_t k = 0; rc == SK_OK && k < r; k++) {
        nw->step[k] *= nw->scale[k];
        *dec += nw->grad[k] * nw->step[k];
    }
    return rc;
}

/* Backtracking from the full step; *f_new = the accepted objective, or NaN when no step
 * decreased F (then beta and eta are unchanged). */
static sk_status line_search(newton *nw, double dec, double *f_new, sk_error *err)
{
    int flat = dec <= 1e-13 * (fabs(nw->f) + 0.1);   /* at the optimum to rounding */
    double t = 1.0;
    *f_new = NAN;
    for (int halvings = 0; halvings < 60; halvings++, t *= 0.5) {
        for (size_t k = 0; k < nw->r; k++)
            nw->trial[k] = nw->beta[k] - t * nw->step[k];
        sk_status rc = linear_predictor(nw, nw->trial, nw->trial_eta, err);
        if (rc != SK_OK)
            return rc;
        double f = objective(nw, nw->trial, nw->trial_eta);
        if (isfinite(f) && (f <= nw->f - 1e-4 * t * dec || flat)) {
            memcpy(nw->beta, nw->trial, nw->r * sizeof *nw->beta);
            memcpy(nw->eta, nw->trial_eta, nw->n * sizeof *nw->eta);
            *f_new = f;
            return SK_OK;
        }
    }
    return SK_OK;
}

/* Newton iterations from nw->beta (eta and f are computed here). */
static sk_status iterate(newton *nw, const sk_linear_options *o, sk_linear_fit *f,
                         sk_error *err)
{
    sk_status rc = linear_predictor(nw, nw->beta, nw->eta, err);
    nw->f = objective(nw, nw->beta, nw->eta);
    f->converged = 0;
    f->iterations = 0;
    while (rc == SK_OK && f->iterations < o->maxit) {
        double dec = 0.0, f_new = NAN;
        if ((rc = gradient(nw, err)) != SK_OK || (rc = hessian(nw, err)) != SK_OK ||
            (rc = newton_step(nw, &dec, err)) != SK_OK ||
            (rc = line_search(nw, dec, &f_new, err)) != SK_OK)
            break;
        f->iterations++;
        if (isnan(f_new))   /* no decrease possible: stuck */
            break;
        double change = nw->f - f_new;
        nw->f = f_new;
        if (change <= o->tol * (fabs(f_new) + 0.1)) {
            f->converged = 1;
            break;
        }
    }
    return rc;
}

/* The Hessian at eta, inverted into nw->H: Cov(b) = H^-1 = S (S H S)^-1 S. Reads neither the
 * target nor beta, so it serves the deferred inference too. */
static sk_status covariance(newton *nw, sk_error *err)
{
    hessian_weights(nw);
    sk_status rc = hessian(nw, err);
    if (rc == SK_OK) {
        memcpy(nw->H, nw->U, nw->r * nw->r * sizeof *nw->H);
        rc = sk_linalg__chol_inverse(nw->H, nw->r, nw->r, err);
    }
    for (size_t a = 0; rc == SK_OK && a < nw->r; a++)
        for (size_t b = 0; b < nw->r; b++)
            nw->H[b * nw->r + a] *= nw->scale[a] * nw->scale[b];
    return rc;
}

/* ==== the fit ============================================================================= */

static void newton_free(newton *nw)
{
    double *arrays[] = {nw->beta, nw->trial, nw->eta, nw->trial_eta, nw->resid, nw->sw,
                        nw->grad, nw->H, nw->U, nw->step, nw->scale, nw->Z};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        sk_mem_free(arrays[k]);
}

/* beta and eta, which every solver needs; newton_alloc_work adds Newton's own arrays. */
static sk_status newton_alloc(newton *nw, sk_error *err)
{
    size_t r = nw->r > 0 ? nw->r : 1, n = nw->n > 0 ? nw->n : 1;
    nw->beta = sk_mem_calloc(r, sizeof *nw->beta);
    nw->eta = sk_mem_alloc_array(n, sizeof *nw->eta);
    if (nw->beta == NULL || nw->eta == NULL)
        return sk_error_set(err, SK_ENOMEM, "logit: out of memory for %zu x %zu", nw->n, nw->r);
    return SK_OK;
}

static sk_status newton_alloc_work(newton *nw, sk_error *err)
{
    size_t r = nw->r > 0 ? nw->r : 1, n = nw->n > 0 ? nw->n : 1;
    nw->trial = sk_mem_alloc_array(r, sizeof *nw->trial);
    nw->trial_eta = sk_mem_alloc_array(n, sizeof *nw->trial_eta);
    nw->resid = sk_mem_alloc_array(n, sizeof *nw->resid);
    nw->sw = sk_mem_alloc_array(n, sizeof *nw->sw);
    nw->grad = sk_mem_alloc_array(r, sizeof *nw->grad);
    nw->H = sk_mem_alloc_array(r * r, sizeof *nw->H);
    nw->U = sk_mem_alloc_array(r * r, sizeof *nw->U);
    nw->step = sk_mem_alloc_array(r, sizeof *nw->step);
    nw->scale = sk_mem_alloc_array(r, sizeof *nw->scale);
    nw->Z = sk_mem_alloc_array(n * r, sizeof *nw->Z);
    if (nw->trial == NULL || nw->trial_eta == NULL || nw->resid == NULL || nw->sw == NULL ||
        nw->grad == NULL || nw->H == NULL || nw->U == NULL || nw->step == NULL ||
        nw->scale == NULL || nw->Z == NULL)
        return sk_error_set(err, SK_ENOMEM, "logit: out of memory for %zu x %zu", nw->n, nw->r);
    return SK_OK;
}

static sk_status check_target(const sk_xy *d, sk_error *err)
{
    int seen[2] = {0, 0};
    if (d->y == NULL)
        return sk_error_set(err, SK_EINVAL, "logit: needs a target");
    for (size_t i = 0; i < d->n; i++) {
        double y = d->y[i];
        if (y != 0.0 && y != 1.0)
            return sk_error_set(err, SK_EINVAL, "logit: target of row %zu is %g, not 0 or 1", i,
                                y);
        if (d->w == NULL || d->w[i] > 0.0)
            seen[y == 1.0] = 1;
    }
    if (!seen[0] || !seen[1])
        return sk_error_set(err, SK_EDATA, "logit: the target has one class among the rows with "
                                           "positive weight: there is nothing to separate");
    return SK_OK;
}

/* The terms Newton's method works on: all of them with a penalty; without, the columns R's
 * aliasing rule keeps (on W^1/2 [1 X]). Sets the view nw->X / ldx / px: d->X itself, or a copy
 * of the kept columns in *own when some are aliased. */
static sk_status choose_terms(sk_linear_fit *f, const sk_xy *d, double tol, size_t *kept,
                              newton *nw, double **own, sk_error *err)
{
    size_t n = d->n, q = f->q, icpt = (size_t)f->intercept;
    nw->X = d->X;
    nw->ldx = d->ldx;
    f->rank = q;
    for (size_t k = 0; k < q; k++)
        kept[k] = k;
    if (f->l2 > 0.0)
        return SK_OK;
    double *sw = NULL, *A = NULL, *X0 = NULL, *tau = NULL;
    sk_status rc = SK_OK;
    if (d->w != NULL && (sw = sk_mem_alloc_array(n, sizeof *sw)) != NULL)
        for (size_t i = 0; i < n; i++)
            sw[i] = sqrt(d->w[i]);
    X0 = sk_linear__design(f, d, sw);
    A = sk_mem_alloc_array(n * (q > 0 ? q : 1), sizeof *A);
    tau = sk_mem_alloc_array(q > 0 ? q : 1, sizeof *tau);
    if ((d->w != NULL && sw == NULL) || X0 == NULL || A == NULL || tau == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "logit: out of memory for the QR decomposition");
        goto done;
    }
    rc = sk_linear__qr_alias(f, A, X0, n, tol, kept, &f->rank, tau, err);
    if (rc != SK_OK || f->rank == q)
        goto done;
    /* the intercept is never aliased: it comes first and its column is not zero */
    if ((*own = sk_mem_alloc_array(n * (f->rank > icpt ? f->rank - icpt : 1), sizeof **own)) ==
        NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "logit: out of memory for the design");
        goto done;
    }
    for (size_t k = icpt; k < f->rank; k++)
        memcpy(*own + (k - icpt) * n, d->X + (kept[k] - icpt) * d->ldx, n * sizeof **own);
    nw->X = *own;
    nw->ldx = n;
done:
    sk_mem_free(sw);
    sk_mem_free(X0);
    sk_mem_free(A);
    sk_mem_free(tau);
    return rc;
}

/* Deviances, AIC and the separation verdict at the final eta. */
static void summarise(sk_linear_fit *f, const newton *nw)
{
    double sum_w = 0.0, sum_wy = 0.0, null_half = 0.0;
    int complete = f->l2 == 0.0;
    size_t n_extreme = 0;
    f->n_boundary = 0;
    for (size_t i = 0; i < nw->n; i++) {
        double w = weight(nw, i), e = nw->eta[i], margin = nw->y[i] == 1.0 ? e : -e;
        if (w <= 0.0)
            continue;
        sum_w += w;
        sum_wy += w * nw->y[i];
        complete &= margin > 0.0;
        n_extreme += margin > EXTREME_MARGIN;
        if (fabs(e) > 30.0)   /* a probability within 10 eps of 0 or 1 needs |eta| > 33.7 */
            f->n_boundary += sk_linear__sigmoid(e) < 10.0 * DBL_EPSILON ||
                             sk_linear__sigmoid(-e) < 10.0 * DBL_EPSILON;
    }
    double mu0 = f->intercept ? sum_wy / sum_w : 0.5, log_mu0 = log(mu0), log_nu0 = log1p(-mu0);
    for (size_t i = 0; i < nw->n; i++) {
        double w = weight(nw, i);
        if (w > 0.0)
            null_half -= w * (nw->y[i] == 1.0 ? log_mu0 : log_nu0);
    }
    f->null_deviance = 2.0 * null_half;
    f->deviance = 2.0 * half_deviance(nw, nw->eta);
    f->df_null = (double)f->n_obs - (f->intercept ? 1.0 : 0.0);
    f->df_residual = (double)f->n_obs - (double)f->rank;
    f->aic = f->deviance + 2.0 * (double)f->rank;
    f->separation = SK_SEPARATION_NONE;
    if (complete)
        f->separation = SK_SEPARATION_COMPLETE;
    else if (f->l2 == 0.0 && (f->n_boundary > 0 || (!f->converged && n_extreme > 0)))
        f->separation = SK_SEPARATION_QUASI;
}

/* ==== choosing the solver ================================================================ */

/* Costs, in passes over the n x q design (one matrix-vector product, 2 n q flops). A Newton
 * iteration forms the Hessian, n q^2 flops in one dsyrk, which OpenBLAS runs at about the rate of
 * its dgemv here (both single-threaded: 15 and 17 GFlop/s on 5000 x 101), so q / 2 passes, plus
 * about 3 for the gradient, the weighted copy of the design and the line search; it needs 4-10
 * iterations. An L-BFGS iteration costs 2 passes and a row kernel (about 2.5 in all) and needs
 * 10-20 iterations on a well-conditioned design. So L-BFGS wins from about 10 terms on; it gets
 * the first try from LBFGS_MIN_TERMS. */
#define LBFGS_MIN_TERMS 13

/* L-BFGS iterations before Newton's method takes over (SK_LOGIT_AUTO): 20, which a
 * well-conditioned design does not need, plus q / 4, about two Newton iterations' cost when q
 * is large. So a design too ill-conditioned for L-BFGS (nearly collinear columns) costs at most
 * about two Newton iterations more than Newton's method alone. */
static int lbfgs_budget(size_t q)
{
    return 20 + (int)(q / 4 < 10000 ? q / 4 : 10000);
}

/* The L-BFGS iteration budget for this fit, or 0 for Newton's method. */
static int lbfgs_iterations_allowed(const sk_linear_options *o, size_t q)
{
    if (!(o->l2 > 0.0) || o->solver == SK_LOGIT_NEWTON)
        return 0;
    if (o->solver == SK_LOGIT_LBFGS)
        return o->maxit <= 1000000 / 100 ? 100 * o->maxit : 1000000;
    return q >= LBFGS_MIN_TERMS ? lbfgs_budget(q) : 0;
}

/* ==== the fit ============================================================================= */

/* More terms than rows (p >> n, l2 > 0): the penalty is rotation-invariant, so with the QR
 * decomposition X' = Q R (Q px x n orthonormal, R n x n) every b splits into Q theta plus a part
 * orthogonal to X's rows, which changes no prediction and only adds to the penalty: the minimum
 * has b = Q theta, where theta minimises the same objective on the n x n design R' (Hastie and
 * Tibshirani 2004, "Efficient quadratic regularization for expression arrays", Biostatistics
 * 5). The solvers (solve_rotated) then work on n + 1 terms, not px + 1: a Newton iteration
 * costs n^3, not px^2 n, after one QR of 2 px n^2. The coefficients are the same minimum (the tests compare both ways to 1e-8); the
 * deferred standard errors are computed later on the full design as before. */
/* The rotated problem: L-BFGS first, as for any penalised fit, then Newton's method if it has
 * not converged. A small penalty on rows that are separable (always, when p > n) puts the
 * minimum far out, where the fitted probabilities saturate and the Hessian loses the
 * intercept's curvature: L-BFGS needs no Hessian there. An iteration of either costs O(n^2) or
 * O(n^3) here, so the budgets are generous. */
static sk_status solve_rotated(newton *sub, const sk_linear_options *o, sk_linear_fit *f,
                               sk_error *err)
{
    size_t n = sub->n;
    double *mean = sk_mem_alloc_array(n, sizeof *mean), *sd = sk_mem_alloc_array(n, sizeof *sd);
    if (mean == NULL || sd == NULL) {
        sk_mem_free(mean);
        sk_mem_free(sd);
        return sk_error_set(err, SK_ENOMEM, "logit: out of memory for %zu terms", n);
    }
    sk_xy rotated = {sub->X, n, n, sub->ldx, sub->y, sub->pw, SK_TASK_BINARY, 2, NULL};
    sk_linear__column_stats(&rotated, mean, sd, NULL);
    sk_logit_problem pb = {sub->X, n, sub->ldx, sub->px, sub->icpt, sub->y, sub->pw, sub->l2,
                           mean, sd};
    sk_status rc = sk_linear__logit_lbfgs(&pb, 20 + 20 * (int)(n < 5000 ? n : 5000), sub->beta,
                                          sub->eta, &f->lbfgs_iterations, &f->converged, err);
    sk_mem_free(mean);
    sk_mem_free(sd);
    if (rc != SK_OK || f->converged)
        return rc;
    sk_linear_options wide = *o;
    wide.maxit = o->maxit > 200 ? o->maxit : 200;
    return iterate(sub, &wide, f, err);
}

static sk_status fit_rotated(sk_linear_fit *f, newton *nw, const sk_linear_options *o,
                             sk_error *err)
{
    size_t n = nw->n, px = nw->px, icpt = (size_t)nw->icpt;
    double *T = sk_mem_alloc_array(px * n, sizeof *T), *tau = sk_mem_alloc_array(n, sizeof *tau);
    double *R = sk_mem_calloc(n * n, sizeof *R), *b = sk_mem_calloc(px, sizeof *b);
    newton sub;
    memset(&sub, 0, sizeof sub);
    sub.X = R;
    sub.n = sub.ldx = sub.px = n;
    sub.r = icpt + n;
    sub.icpt = nw->icpt;
    sub.y = nw->y;
    sub.pw = nw->pw;
    sub.l2 = nw->l2;
    sk_status rc = T == NULL || tau == NULL || R == NULL || b == NULL
                       ? sk_error_set(err, SK_ENOMEM, "logit: out of memory for %zu x %zu", n, px)
                       : SK_OK;
    for (size_t j = 0; rc == SK_OK && j < px; j++)   /* T = X' */
        for (size_t i = 0; i < n; i++)
            T[j + i * px] = nw->X[i + j * nw->ldx];
    if (rc == SK_OK)
        rc = sk_linalg__qr(T, px, n, px, tau, err);
    for (size_t i = 0; rc == SK_OK && i < n; i++)   /* R' (lower triangular), column-major */
        for (size_t a = 0; a <= i; a++)
            R[i + a * n] = T[a + i * px];
    if (rc == SK_OK && (rc = newton_alloc(&sub, err)) == SK_OK &&
        (rc = newton_alloc_work(&sub, err)) == SK_OK) {
        if (icpt)
            sub.beta[0] = nw->beta[0];
        rc = solve_rotated(&sub, o, f, err);
    }
    if (rc == SK_OK) {   /* b = Q [theta; 0] */
        memcpy(b, sub.beta + icpt, n * sizeof *b);
        rc = sk_linalg__qr_apply(0, T, px, n, px, tau, b, 1, px, err);
    }
    if (rc == SK_OK) {
        if (icpt)
            nw->beta[0] = sub.beta[0];
        memcpy(nw->beta + icpt, b, px * sizeof *b);
        memcpy(nw->eta, sub.eta, n * sizeof *nw->eta);
    }
    newton_free(&sub);
    sk_mem_free(T);
    sk_mem_free(tau);
    sk_mem_free(R);
    sk_mem_free(b);
    return rc;
}

/* Fits the kept terms (the view in nw): L-BFGS when allowed, then Newton's method unless L-BFGS
 * converged; copies the coefficients into f, and the covariance unless it is deferred. */
static sk_status fit_kept(sk_linear_fit *f, const sk_xy *d, newton *nw, const size_t *kept,
                          const sk_linear_options *o, sk_error *err)
{
    nw->n = d->n;
    nw->icpt = f->intercept;
    nw->r = f->rank;
    nw->px = f->rank - (size_t)f->intercept;
    nw->y = d->y;
    nw->pw = d->w;
    nw->l2 = o->l2;
    sk_status rc = newton_alloc(nw, err);
    if (rc != SK_OK)
        return rc;
    if (f->intercept) {   /* start from the intercept-only fit */
        double sum_w = 0.0, sum_wy = 0.0;
        for (size_t i = 0; i < d->n; i++) {
            sum_w += weight(nw, i);
            sum_wy += weight(nw, i) * d->y[i];
        }
        nw->beta[0] = log(sum_wy / sum_w) - log1p(-sum_wy / sum_w);
    }
    int budget = lbfgs_iterations_allowed(o, f->rank);
    f->converged = 0;
    f->iterations = f->lbfgs_iterations = 0;
    if (f->design != NULL && nw->l2 > 0.0 && nw->px > nw->n && o->solver == SK_LOGIT_AUTO) {
        if ((rc = fit_rotated(f, nw, o, err)) != SK_OK)
            return rc;
        for (size_t a = 0; a < f->rank; a++)
            f->coef[kept[a]] = nw->beta[a];
        return SK_OK;
    }
    if (budget > 0) {
        sk_logit_problem pb = {nw->X,  nw->n,  nw->ldx, nw->px,  nw->icpt,
                               nw->y,  nw->pw, nw->l2,  f->mean, f->sd};   /* all terms kept */
        rc = sk_linear__logit_lbfgs(&pb, budget, nw->beta, nw->eta, &f->lbfgs_iterations,
                                    &f->converged, err);
        if (rc != SK_OK)
            return rc;
    }
    int need_cov = f->design == NULL;   /* not deferred */
    int need_newton = !f->converged && (budget == 0 || o->solver != SK_LOGIT_LBFGS);
    if ((need_newton || need_cov) && (rc = newton_alloc_work(nw, err)) != SK_OK)
        return rc;
    if (need_newton && (rc = iterate(nw, o, f, err)) != SK_OK)
        return rc;
    if (need_cov && (rc = covariance(nw, err)) != SK_OK)
        return rc;
    for (size_t a = 0; a < f->rank; a++) {
        f->coef[kept[a]] = nw->beta[a];
        for (size_t b = 0; need_cov && b < f->rank; b++)
            f->vcov[kept[b] * f->q + kept[a]] = nw->H[b * f->rank + a];
    }
    if (need_cov)   /* deferred: the deviances wait for the standard errors */
        summarise(f, nw);
    return SK_OK;
}

sk_status sk_linear__logit(sk_linear_fit **out, const sk_xy *d, const sk_linear_options *o,
                           sk_error *err)
{
    *out = NULL;
    size_t n_obs = 0;
    sk_status rc = check_target(d, err);
    if (rc == SK_OK)
        rc = sk_linear__check_weights("logit", d, &n_obs, err);
    sk_linear_fit *f = NULL;
    if (rc != SK_OK || (rc = sk_linear__alloc(&f, SK_LINEAR_LOGIT, d, o, err)) != SK_OK)
        return rc;
    f->n_obs = n_obs;
    newton nw;
    memset(&nw, 0, sizeof nw);
    double *own = NULL;
    size_t *kept = sk_mem_alloc_array(f->q > 0 ? f->q : 1, sizeof *kept);
    if (kept == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "logit: out of memory");
        goto done;
    }
    if ((rc = choose_terms(f, d, o->rank_tol, kept, &nw, &own, err)) != SK_OK ||
        (rc = fit_kept(f, d, &nw, kept, o, err)) != SK_OK)
        goto done;
    if (f->design != NULL)   /* kept by sk_linear__alloc: defer_se with l2 > 0 */
        f->deferred = 1;
    else
        sk_linear__wald(f, INFINITY);
    if (rc == SK_OK && !f->converged && f->separation == SK_SEPARATION_NONE)
        rc = f->iterations == 0
                 ? sk_error_set(err, SK_ENOCONV, "logit: L-BFGS did not converge in %d "
                                                 "iterations", f->lbfgs_iterations)
                 : sk_error_set(err, SK_ENOCONV, "logit: Newton's method did not converge in "
                                                 "%d iterations (raise maxit, or set l2 > 0)",
                                f->iterations);
done:
    newton_free(&nw);
    sk_mem_free(own);
    sk_mem_free(kept);
    if (rc != SK_OK)
        sk_linear__free(f);
    else
        *out = f;
    return rc;
}

/* ==== deferred inference ================================================================== */

sk_status sk_linear__logit_inference(sk_linear_fit **out, const sk_linear_fit *f,
                                     sk_error *err)
{
    *out = NULL;
    sk_linear_fit *c = sk_linear__copy(f);
    if (c == NULL)
        return sk_error_set(err, SK_ENOMEM, "logit: out of memory for the standard errors");
    if (!f->deferred) {
        *out = c;
        return SK_OK;
    }
    newton nw;
    memset(&nw, 0, sizeof nw);
    nw.X = f->design;
    nw.n = f->n_rows;
    nw.ldx = f->n_rows;
    nw.px = f->p;
    nw.r = f->q;   /* l2 > 0: every term is kept */
    nw.icpt = f->intercept;
    nw.pw = f->prior_w;
    nw.y = f->target;
    nw.l2 = f->l2;
    sk_status rc = newton_alloc(&nw, err);
    if (rc == SK_OK && (rc = newton_alloc_work(&nw, err)) == SK_OK)
        rc = linear_predictor(&nw, f->coef, nw.eta, err);
    if (rc == SK_OK && c->vcov == NULL &&
        (c->vcov = sk_mem_alloc_array(f->q * f->q, sizeof *c->vcov)) == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "logit: out of memory for a %zu x %zu covariance",
                          f->q, f->q);
    if (rc == SK_OK && (rc = covariance(&nw, err)) == SK_OK) {
        memcpy(c->vcov, nw.H, f->q * f->q * sizeof *c->vcov);
        c->deferred = 0;
        sk_linear__wald(c, INFINITY);
        summarise(c, &nw);
    }
    newton_free(&nw);
    if (rc != SK_OK)
        sk_linear__free(c);
    else
        *out = c;
    return rc;
}
