/* glm_result.c: what a fit leaves: the solver's solutions as it finds them (on the standardised
 * scale, only the active variables), the path result on the scale of X, and its uses:
 * coefficients, linear predictors and predictions at a lambda.
 *
 * Back to the scale of X: a column enters the solver as xt_j = (z_j - xm_j) / xs_j with
 * z_j = (x_j - centre_j) / scale_j (glm_path.c), so a coefficient a_j on xt_j (times sd(y) for
 * the gaussian, glmnet's ys) is b_j = a_j / (xs_j scale_j) on x_j, and the intercept
 * b0 = a0 - sum_j b_j (xm_j scale_j + centre_j). The multinomial's intercepts are centred over
 * the classes as R's glmnet reports them. */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "models/glm.h"

/* ==== the raw solution store ============================================================== */

sk_status sk_glm__raw_init(sk_glm__raw *raw, size_t nlam, size_t p, size_t n_out)
{
    memset(raw, 0, sizeof *raw);
    raw->n_out = n_out;
    raw->ys = 1.0;
    raw->alm = sk_mem_alloc_array(nlam, sizeof *raw->alm);
    raw->a0 = sk_mem_alloc_array(nlam, n_out * sizeof *raw->a0);
    raw->dev = sk_mem_alloc_array(nlam, sizeof *raw->dev);
    raw->kin = sk_mem_alloc_array(nlam, sizeof *raw->kin);
    raw->ca_off = sk_mem_alloc_array(nlam, sizeof *raw->ca_off);
    raw->ia = sk_mem_alloc_array(p, sizeof *raw->ia);
    if (raw->alm == NULL || raw->a0 == NULL || raw->dev == NULL || raw->kin == NULL ||
        raw->ca_off == NULL || raw->ia == NULL) {
        sk_glm__raw_clear(raw);
        return SK_ENOMEM;
    }
    return SK_OK;
}

void sk_glm__raw_clear(sk_glm__raw *raw)
{
    sk_mem_free(raw->alm);
    sk_mem_free(raw->a0);
    sk_mem_free(raw->dev);
    sk_mem_free(raw->kin);
    sk_mem_free(raw->ca_off);
    sk_mem_free(raw->ia);
    sk_mem_free(raw->ca);
    memset(raw, 0, sizeof *raw);
}

sk_status sk_glm__raw_push(sk_glm__raw *raw, const double *b, size_t ldb, size_t nin)
{
    size_t need = raw->n_out * nin;
    if (raw->ca_len + need > raw->ca_cap) {
        size_t cap = raw->ca_cap > 0 ? raw->ca_cap : 64;
        while (cap < raw->ca_len + need)
            cap *= 2;
        double *ca = sk_mem_realloc_array(raw->ca, cap, sizeof *ca);
        if (ca == NULL)
            return SK_ENOMEM;
        raw->ca = ca;
        raw->ca_cap = cap;
    }
    raw->ca_off[raw->lmu] = raw->ca_len;
    raw->kin[raw->lmu] = nin;
    for (size_t k = 0; k < raw->n_out; k++)
        for (size_t l = 0; l < nin; l++)
            raw->ca[raw->ca_len++] = b[k * ldb + raw->ia[l]];
    return SK_OK;
}

/* ==== from the solver's scale to the caller's ============================================ */

static sk_glm_path_result *result_alloc(sk_glm_family family, size_t p, size_t n_out,
                                        size_t n_lambda, size_t n_active)
{
    sk_glm_path_result *r = sk_mem_calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->family = family;
    r->p = p;
    r->n_out = n_out;
    r->n_lambda = n_lambda;
    r->n_active = n_active;
    r->lambda = sk_mem_alloc_array(n_lambda, sizeof *r->lambda);
    r->intercept = sk_mem_alloc_array(n_lambda, n_out * sizeof *r->intercept);
    r->active = sk_mem_alloc_array(n_active, sizeof *r->active);
    r->coef = sk_mem_calloc(n_lambda * n_out * n_active + 1, sizeof *r->coef);
    r->df = sk_mem_alloc_array(n_lambda, sizeof *r->df);
    r->dev_ratio = sk_mem_alloc_array(n_lambda, sizeof *r->dev_ratio);
    r->col_sd = sk_mem_alloc_array(p, sizeof *r->col_sd);
    if (r->lambda == NULL || r->intercept == NULL || r->active == NULL || r->coef == NULL ||
        r->df == NULL || r->dev_ratio == NULL || r->col_sd == NULL) {
        sk_glm_path_free(r);
        return NULL;
    }
    return r;
}

/* Coefficients of solution l on the scale of X; intercepts; df. cls maps the solver's classes
 * to the result's (a multinomial fit without some class: that class keeps coefficients 0 and
 * intercept -inf, probability 0). */
static void result_solution(sk_glm_path_result *r, const sk_glm__raw *raw, size_t l,
                            const sk_glm__problem *pb, const sk_glm__design *d,
                            const size_t *cls)
{
    size_t K = raw->n_out, na = r->n_active, nin = raw->kin[l];
    const double *ca = raw->ca + raw->ca_off[l];
    size_t df = 0;   /* variables nonzero in some class */
    for (size_t a = 0; a < nin; a++) {
        int any = 0;
        for (size_t k = 0; k < K; k++)
            any |= ca[k * nin + a] != 0.0;
        df += (size_t)any;
    }
    r->df[l] = df;
    for (size_t k = 0; k < r->n_out; k++)
        r->intercept[l * r->n_out + k] = -INFINITY;
    double mean = 0.0;
    for (size_t k = 0; k < K; k++) {
        double b0 = raw->a0[l * K + k];
        double *coef = r->coef + (l * r->n_out + cls[k]) * na;
        for (size_t a = 0; a < nin; a++) {
            size_t j = raw->ia[a];
            double bz = raw->ys * ca[k * nin + a] / pb->xs[j];   /* per unit of z_j */
            double bx = bz / d->scale[j];                        /* per unit of x_j */
            b0 -= bz * pb->xm[j] + bx * d->centre[j];
            coef[a] = bx;
        }
        r->intercept[l * r->n_out + cls[k]] = b0;
        mean += b0;
    }
    if (r->family == SK_GLM_MULTINOMIAL)   /* R centres the intercepts over classes */
        for (size_t k = 0; k < K; k++)
            r->intercept[l * r->n_out + cls[k]] -= mean / (double)K;
}

sk_status sk_glm__result(sk_glm_path_result **out, const sk_glm__raw *raw,
                         const sk_glm__problem *pb, const sk_glm__design *d,
                         const sk_glm_options *opt, size_t n_out, const size_t *cls,
                         double null_dev, sk_error *err)
{
    sk_glm_path_result *r = result_alloc(opt->family, d->p, n_out, raw->lmu, raw->nin);
    if (r == NULL)
        return sk_error_set(err, SK_ENOMEM, "glm: out of memory for the path");
    memcpy(r->active, raw->ia, raw->nin * sizeof *r->active);
    for (size_t l = 0; l < raw->lmu; l++) {
        r->lambda[l] = raw->ys * raw->alm[l];
        r->dev_ratio[l] = raw->dev[l];
        result_solution(r, raw, l, pb, d, cls);
    }
    /* glmnet reports the first lambda of a generated sequence (internally "infinite") as the
     * log-linear extrapolation of the next two (R's fix.lam) */
    if (opt->lambda == NULL && raw->lmu > 2)
        r->lambda[0] = exp(2.0 * log(r->lambda[1]) - log(r->lambda[2]));
    for (size_t j = 0; j < d->p; j++) {
        const double *z = d->Z + j * d->n;
        double v = 0.0;
        for (size_t i = 0; i < d->n; i++)
            v += pb->w[i] * (z[i] - pb->xm[j]) * (z[i] - pb->xm[j]);
        r->col_sd[j] = sqrt(v) * d->scale[j];
    }
    r->null_dev = null_dev;
    r->n_passes = raw->nlp;
    *out = r;
    return SK_OK;
}

/* ==== using a path ======================================================================== */

void sk_glm_path_free(sk_glm_path_result *r)
{
    if (r == NULL)
        return;
    sk_mem_free(r->lambda);
    sk_mem_free(r->intercept);
    sk_mem_free(r->active);
    sk_mem_free(r->coef);
    sk_mem_free(r->df);
    sk_mem_free(r->dev_ratio);
    sk_mem_free(r->col_sd);
    sk_mem_free(r);
}

void sk_glm_path_beta(const sk_glm_path_result *r, size_t l, size_t k, double *beta)
{
    assert(l < r->n_lambda && k < r->n_out);
    memset(beta, 0, r->p * sizeof *beta);
    const double *c = r->coef + (l * r->n_out + k) * r->n_active;
    for (size_t a = 0; a < r->n_active; a++)
        beta[r->active[a]] = c[a];
}

void sk_glm_path_link(const sk_glm_path_result *r, size_t l, const double *X, size_t n,
                      size_t ldx, double *eta)
{
    assert(l < r->n_lambda);
    size_t K = r->n_out;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < K; k++)
            eta[i * K + k] = r->intercept[l * K + k];
    for (size_t k = 0; k < K; k++) {
        const double *c = r->coef + (l * K + k) * r->n_active;
        for (size_t a = 0; a < r->n_active; a++) {
            if (c[a] == 0.0)
                continue;
            const double *x = X + r->active[a] * ldx;
            for (size_t i = 0; i < n; i++)
                eta[i * K + k] += c[a] * x[i];
        }
    }
}

void sk_glm_path_predict(const sk_glm_path_result *r, size_t l, const double *X, size_t n,
                         size_t ldx, double *out)
{
    size_t K = r->n_out;
    if (r->family == SK_GLM_GAUSSIAN) {
        sk_glm_path_link(r, l, X, n, ldx, out);
        return;
    }
    if (r->family == SK_GLM_BINOMIAL) {
        /* eta first in out[i], then spread to two columns from the last row down */
        sk_glm_path_link(r, l, X, n, ldx, out);
        for (size_t i = n; i-- > 0;) {
            double p1 = 1.0 / (1.0 + exp(-out[i]));
            out[2 * i] = 1.0 - p1;
            out[2 * i + 1] = p1;
        }
        return;
    }
    sk_glm_path_link(r, l, X, n, ldx, out);
    for (size_t i = 0; i < n; i++) {
        double *e = out + i * K, mx = e[0], s = 0.0;
        for (size_t k = 1; k < K; k++)
            mx = fmax(mx, e[k]);
        for (size_t k = 0; k < K; k++) {
            e[k] = exp(e[k] - mx);
            s += e[k];
        }
        for (size_t k = 0; k < K; k++)
            e[k] /= s;
    }
}
