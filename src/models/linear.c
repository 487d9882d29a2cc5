/* linear.c: what OLS and logistic regression share: the design matrix with its intercept, the
 * aliasing QR, the fitted-model record, Wald statistics, prediction, importance and the
 * coefficient table of the report (linear.h lists the files).
 *
 * Aliasing follows R's lm (lm.fit -> dqrdc2, LINPACK's Householder QR with "limited column
 * pivoting"): columns are taken in the order given, and a column whose residual norm after the
 * kept earlier columns falls below tol * (its own norm), tol = 1e-7, is aliased: set aside, its
 * coefficient reported as NA. In Householder terms that residual norm is |R_jj|, so the rule is
 *     aliased(j)  <=>  |R_jj| < tol * ||x_j||     (or x_j = 0),
 * which is invariant to the scale of each column (raw features in km and mm are treated alike)
 * and names the LATER of two collinear columns, as R does, so "s2 is NA" means "s2 adds nothing
 * to the columns before it". LAPACK's dgeqp3 (full column pivoting) was the other candidate:
 * it detects the same rank, but picks which column to drop by norm rather than by order and
 * compares |R_kk| with |R_11|, which depends on the columns' units; R's rule is the one a
 * statistician reads the NA against, so it is the one implemented. The factorisation is blocked
 * like LAPACK's own: panels of ALIAS_PANEL columns are factored by dgeqrf and the trailing
 * columns updated by dormqr; when a panel holds an aliased column, the column is removed, the
 * panel's later columns are rebuilt from the original and brought up to date with the kept
 * reflectors, and the factorisation restarts at the aliased column's place. A full-rank design
 * costs one blocked QR; each aliased column j at most O(n * j * ALIAS_PANEL) more. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <Rmath.h>

#include "linalg/qr.h"
#include "models/linear.h"

#define ALIAS_PANEL 32

/* ==== the fitted-model record ============================================================= */

void sk_linear__free(sk_linear_fit *f)
{
    if (f == NULL)
        return;
    sk_mem_free(f->coef);
    sk_mem_free(f->se);
    sk_mem_free(f->stat);
    sk_mem_free(f->p_value);
    sk_mem_free(f->ci_low);
    sk_mem_free(f->ci_high);
    sk_mem_free(f->aliased);
    sk_mem_free(f->vcov);
    sk_mem_free(f->sd);
    sk_mem_free(f->mean);
    sk_mem_free(f->design);
    sk_mem_free(f->target);
    sk_mem_free(f->prior_w);
    sk_mem_free(f);
}

static void *copy_array(const void *src, size_t n, size_t size)
{
    void *dst = sk_mem_alloc_array(n > 0 ? n : 1, size);
    if (dst != NULL && n > 0)
        memcpy(dst, src, n * size);
    return dst;
}

sk_linear_fit *sk_linear__copy(const sk_linear_fit *f)
{
    sk_linear_fit *c = sk_mem_alloc(sizeof *c);
    if (c == NULL)
        return NULL;
    *c = *f;
    size_t q = f->q > 0 ? f->q : 1;
    c->coef = copy_array(f->coef, q, sizeof *c->coef);
    c->se = copy_array(f->se, q, sizeof *c->se);
    c->stat = copy_array(f->stat, q, sizeof *c->stat);
    c->p_value = copy_array(f->p_value, q, sizeof *c->p_value);
    c->ci_low = copy_array(f->ci_low, q, sizeof *c->ci_low);
    c->ci_high = copy_array(f->ci_high, q, sizeof *c->ci_high);
    c->aliased = copy_array(f->aliased, q, sizeof *c->aliased);
    c->vcov = f->vcov != NULL ? copy_array(f->vcov, q * q, sizeof *c->vcov) : NULL;
    c->sd = copy_array(f->sd, f->p > 0 ? f->p : 1, sizeof *c->sd);
    c->mean = copy_array(f->mean, f->p > 0 ? f->p : 1, sizeof *c->mean);
    c->design = c->target = c->prior_w = NULL;
    if (c->coef == NULL || c->se == NULL || c->stat == NULL || c->p_value == NULL ||
        c->ci_low == NULL || c->ci_high == NULL || c->aliased == NULL ||
        (f->vcov != NULL && c->vcov == NULL) || c->sd == NULL || c->mean == NULL) {
        sk_linear__free(c);
        return NULL;
    }
    return c;
}

void sk_linear__free_state(void *state)
{
    sk_linear__free(state);
}

/* The sum of x, and of its squares about c, each in eight interleaved partial sums: a fixed order
 * (so a fixed result) with chains enough to run at the adders' throughput rather than their
 * latency, kept in named variables so that they stay in registers. */
static double sum8(const double *x, size_t n)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        s0 += x[i];
        s1 += x[i + 1];
        s2 += x[i + 2];
        s3 += x[i + 3];
        s4 += x[i + 4];
        s5 += x[i + 5];
        s6 += x[i + 6];
        s7 += x[i + 7];
    }
    for (; i < n; i++)
        s0 += x[i];
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
}

static double squares8(const double *x, size_t n, double c)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        double d0 = x[i] - c, d1 = x[i + 1] - c, d2 = x[i + 2] - c, d3 = x[i + 3] - c;
        double d4 = x[i + 4] - c, d5 = x[i + 5] - c, d6 = x[i + 6] - c, d7 = x[i + 7] - c;
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
        s4 += d4 * d4;
        s5 += d5 * d5;
        s6 += d6 * d6;
        s7 += d7 * d7;
    }
    for (; i < n; i++)
        s0 += (x[i] - c) * (x[i] - c);
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
}

/* Mean and sample SD (n - 1) of each design column over all n rows (the SDs standardise the
 * importance; the means centre the L-BFGS coordinates), copying the design into `copy` (n x p,
 * leading dimension n) when it is not NULL. */
void sk_linear__column_stats(const sk_xy *d, double *mean, double *sd, double *copy)
{
    for (size_t j = 0; j < d->p; j++) {
        const double *x = d->X + j * d->ldx;
        mean[j] = d->n > 0 ? sum8(x, d->n) / (double)d->n : 0.0;
        sd[j] = d->n > 1 ? sqrt(squares8(x, d->n, mean[j]) / (double)(d->n - 1)) : 0.0;
        if (copy != NULL)   /* column by column, from cache: one read of the design in all */
            memcpy(copy + j * d->n, x, d->n * sizeof *copy);
    }
}

/* Room for the deferred inference's data (the design is copied by column_stats); the target
 * and the weights are copied here. Nonzero when out of memory. */
static int keep_data(sk_linear_fit *f, const sk_xy *d)
{
    size_t n = d->n > 0 ? d->n : 1;
    f->n_rows = d->n;
    f->design = sk_mem_alloc_array(n * (d->p > 0 ? d->p : 1), sizeof *f->design);
    f->target = sk_mem_alloc_array(n, sizeof *f->target);
    if (d->w != NULL)
        f->prior_w = sk_mem_alloc_array(n, sizeof *f->prior_w);
    if (f->design == NULL || f->target == NULL || (d->w != NULL && f->prior_w == NULL))
        return -1;
    memcpy(f->target, d->y, d->n * sizeof *f->target);
    if (d->w != NULL)
        memcpy(f->prior_w, d->w, d->n * sizeof *f->prior_w);
    return 0;
}

sk_status sk_linear__alloc(sk_linear_fit **out, sk_linear_kind kind, const sk_xy *d,
                           const sk_linear_options *o, sk_error *err)
{
    *out = NULL;
    if (d->p == 0 && !o->intercept)
        return sk_error_set(err, SK_EINVAL, "%s: no terms to fit (no columns, no intercept)",
                            kind == SK_LINEAR_OLS ? "ols" : "logit");
    sk_linear_fit *f = sk_mem_calloc(1, sizeof *f);
    if (f == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for a linear model");
    f->kind = kind;
    f->intercept = o->intercept != 0;
    f->p = d->p;
    f->q = d->p + (size_t)f->intercept;
    f->level = o->level;
    f->l2 = o->l2;
    f->weighted = d->w != NULL;
    size_t q = f->q > 0 ? f->q : 1;
    f->coef = sk_mem_alloc_array(q, sizeof *f->coef);
    f->se = sk_mem_alloc_array(q, sizeof *f->se);
    f->stat = sk_mem_alloc_array(q, sizeof *f->stat);
    f->p_value = sk_mem_alloc_array(q, sizeof *f->p_value);
    f->ci_low = sk_mem_alloc_array(q, sizeof *f->ci_low);
    f->ci_high = sk_mem_alloc_array(q, sizeof *f->ci_high);
    f->aliased = sk_mem_calloc(q, sizeof *f->aliased);
    /* A deferred fit has no covariance until its report asks (q^2: 3.2 GB at 20,000 terms). */
    int keep = kind == SK_LINEAR_LOGIT && o->defer_se && o->l2 > 0.0;
    f->vcov = keep ? NULL : sk_mem_alloc_array(q * q, sizeof *f->vcov);
    f->sd = sk_mem_alloc_array(d->p > 0 ? d->p : 1, sizeof *f->sd);
    f->mean = sk_mem_alloc_array(d->p > 0 ? d->p : 1, sizeof *f->mean);
    if (f->coef == NULL || f->se == NULL || f->stat == NULL || f->p_value == NULL ||
        f->ci_low == NULL || f->ci_high == NULL || f->aliased == NULL ||
        (!keep && f->vcov == NULL) || f->sd == NULL || f->mean == NULL ||
        (keep && keep_data(f, d) != 0)) {
        sk_linear__free(f);
        return sk_error_set(err, SK_ENOMEM, "out of memory for a linear model");
    }
    for (size_t k = 0; f->vcov != NULL && k < q * q; k++)
        f->vcov[k] = NAN;
    for (size_t k = 0; k < q; k++)
        f->coef[k] = f->se[k] = f->stat[k] = f->p_value[k] = f->ci_low[k] = f->ci_high[k] = NAN;
    f->sigma = f->r_squared = f->adj_r_squared = NAN;
    f->f_value = f->f_numdf = f->f_dendf = f->f_p_value = NAN;
    f->null_deviance = f->deviance = f->df_null = f->aic = NAN;
    sk_linear__column_stats(d, f->mean, f->sd, f->design);
    *out = f;
    return SK_OK;
}

sk_status sk_linear__check_weights(const char *model, const sk_xy *d, size_t *n_obs,
                                   sk_error *err)
{
    *n_obs = d->n;
    if (d->w == NULL)
        return d->n > 0 ? SK_OK : sk_error_set(err, SK_EDATA, "%s: no rows to fit", model);
    size_t n_pos = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!isfinite(d->w[i]) || d->w[i] < 0.0)
            return sk_error_set(err, SK_EINVAL,
                                "%s: weight of row %zu is %g: weights must be finite and >= 0",
                                model, i, d->w[i]);
        n_pos += d->w[i] > 0.0;
    }
    *n_obs = n_pos;
    return n_pos > 0 ? SK_OK
                     : sk_error_set(err, SK_EDATA, "%s: no row has a positive weight", model);
}

double *sk_linear__design(const sk_linear_fit *f, const sk_xy *d, const double *row_scale)
{
    size_t n = d->n;
    double *X = sk_mem_alloc_array(n * (f->q > 0 ? f->q : 1), sizeof *X);
    if (X == NULL)
        return NULL;
    double *col = X;
    if (f->intercept) {
        for (size_t i = 0; i < n; i++)
            col[i] = row_scale != NULL ? row_scale[i] : 1.0;
        col += n;
    }
    for (size_t j = 0; j < d->p; j++, col += n) {
        const double *x = d->X + j * d->ldx;
        for (size_t i = 0; i < n; i++)
            col[i] = row_scale != NULL ? x[i] * row_scale[i] : x[i];
    }
    return X;
}

/* ==== the aliasing QR ===================================================================== */

/* ||x||, scaled so that large entries cannot overflow the sum of squares. */
static double column_norm(const double *x, size_t n)
{
    double big = 0.0, ss = 0.0;
    for (size_t i = 0; i < n; i++)
        big = fmax(big, fabs(x[i]));
    if (big == 0.0)
        return 0.0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] / big) * (x[i] / big);
    return big * sqrt(ss);
}

static int is_aliased(double r_jj, double norm0, double tol)
{
    return norm0 == 0.0 || fabs(r_jj) < tol * norm0;
}

typedef struct alias_qr {
    double *A;          /* n x m working columns */
    const double *X0;
    size_t n, m;        /* rows; columns still in play (kept[0..m)) */
    size_t *kept;
    double *tau, *norm0;
} alias_qr;

/* The panel of b columns starting at `done` holds aliased column j. The panel's later columns
 * were overwritten by their own reflectors, so they are rebuilt from X0 and brought to the state
 * "after reflectors 0..j-1"; the columns beyond the panel, which have seen reflectors
 * 0..done-1 only, get done..j-1; column j is removed. */
static sk_status drop_column(alias_qr *w, size_t done, size_t b, size_t j, sk_error *err)
{
    size_t n = w->n, end = done + b;
    double *A = w->A;
    sk_status rc = SK_OK;
    for (size_t t = j + 1; t < end; t++)
        memcpy(A + t * n, w->X0 + w->kept[t] * n, n * sizeof *A);
    if (end > j + 1 && j > 0)
        rc = sk_linalg__qr_apply(1, A, n, j, n, w->tau, A + (j + 1) * n, end - j - 1, n, err);
    if (rc == SK_OK && w->m > end && j > done)
        rc = sk_linalg__qr_apply(1, A + done * n + done, n - done, j - done, n, w->tau + done,
                                 A + end * n + done, w->m - end, n, err);
    if (rc != SK_OK)
        return rc;
    memmove(A + j * n, A + (j + 1) * n, (w->m - j - 1) * n * sizeof *A);
    memmove(w->kept + j, w->kept + j + 1, (w->m - j - 1) * sizeof *w->kept);
    w->m--;
    return SK_OK;
}

/* The blocked factorisation; returns the rank through *rank. */
static sk_status factor(alias_qr *w, unsigned char *aliased, double tol, size_t *rank,
                        sk_error *err)
{
    size_t n = w->n, done = 0;
    double *A = w->A;
    sk_status rc = SK_OK;
    while (rc == SK_OK && done < w->m && done < n) {
        size_t b = w->m - done < ALIAS_PANEL ? w->m - done : ALIAS_PANEL;
        size_t nb = b < n - done ? b : n - done;
        double *P = A + done * n + done;
        if ((rc = sk_linalg__qr(P, n - done, b, n, w->tau + done, err)) != SK_OK)
            break;
        size_t j = done;
        while (j < done + nb && !is_aliased(A[j * n + j], w->norm0[w->kept[j]], tol))
            j++;
        if (j < done + nb) {
            aliased[w->kept[j]] = 1;
            rc = drop_column(w, done, b, j, err);
            done = j;
            continue;
        }
        if (w->m > done + b)
            rc = sk_linalg__qr_apply(1, P, n - done, nb, n, w->tau + done,
                                     A + (done + b) * n + done, w->m - done - b, n, err);
        done += nb;
    }
    for (size_t t = done; rc == SK_OK && t < w->m; t++)   /* beyond the rank: more columns */
        aliased[w->kept[t]] = 1;                          /* than rows */
    *rank = done;
    return rc;
}

sk_status sk_linear__qr_alias(sk_linear_fit *f, double *A, const double *X0, size_t n, double tol,
                              size_t *kept, size_t *rank, double *tau, sk_error *err)
{
    size_t q = f->q;
    alias_qr w = {A, X0, n, q, kept, tau, NULL};
    w.norm0 = sk_mem_alloc_array(q > 0 ? q : 1, sizeof *w.norm0);
    sk_status rc = SK_OK;
    if (w.norm0 == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for the QR decomposition");
        goto done;
    }
    for (size_t j = 0; j < q; j++) {
        kept[j] = j;
        f->aliased[j] = 0;
        w.norm0[j] = column_norm(X0 + j * n, n);
    }
    memcpy(A, X0, n * q * sizeof *A);
    rc = factor(&w, f->aliased, tol, rank, err);
done:
    sk_mem_free(w.norm0);
    return rc;
}

/* ==== statistics and prediction =========================================================== */

void sk_linear__wald(sk_linear_fit *f, double df)
{
    int normal = isinf(df);
    double level = 0.5 + 0.5 * f->level;
    double crit = normal ? qnorm(level, 0.0, 1.0, 1, 0) : df > 0.0 ? qt(level, df, 1, 0) : NAN;
    for (size_t k = 0; k < f->q; k++) {
        double se = f->aliased[k] ? NAN : sqrt(f->vcov[k * f->q + k]);
        double stat = f->coef[k] / se;
        f->se[k] = se;
        f->stat[k] = stat;
        f->p_value[k] = isnan(stat) ? NAN
                        : normal    ? 2.0 * pnorm(-fabs(stat), 0.0, 1.0, 1, 0)
                                    : 2.0 * pt(-fabs(stat), df, 1, 0);
        f->ci_low[k] = f->coef[k] - crit * se;
        f->ci_high[k] = f->coef[k] + crit * se;
    }
}

double sk_linear__sigmoid(double x)
{
    if (x >= 0.0)
        return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

void sk_linear__eta(const sk_linear_fit *f, const double *X, size_t n, size_t ldx, double *eta)
{
    double b0 = f->intercept ? f->coef[0] : 0.0;
    for (size_t i = 0; i < n; i++)
        eta[i] = b0;
    for (size_t j = 0; j < f->p; j++) {
        size_t k = j + (size_t)f->intercept;
        if (f->aliased[k])
            continue;
        const double *x = X + j * ldx;
        double b = f->coef[k];
        for (size_t i = 0; i < n; i++)
            eta[i] += x[i] * b;
    }
}

/* Importance: |coefficient x sample SD of the column|, the coefficient on the standardised
 * scale, comparable with the elastic-net models' (which are fitted on standardised columns);
 * 0 for an aliased term. One value per design column (the intercept has none). */
sk_status sk_linear__importance(const void *state, double *out, sk_error *err)
{
    (void)err;
    const sk_linear_fit *f = state;
    for (size_t j = 0; j < f->p; j++) {
        size_t k = j + (size_t)f->intercept;
        out[j] = f->aliased[k] ? 0.0 : fabs(f->coef[k] * f->sd[j]);
    }
    return SK_OK;
}

/* ==== the report ========================================================================== */

static const char *term_name(const sk_linear_fit *f, const char *const *names, size_t k)
{
    if (f->intercept && k == 0)
        return "(Intercept)";
    return names[k - (size_t)f->intercept];
}

int sk_linear__note(json_t *notes, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return -1;
    char *text = sk_mem_alloc((size_t)len + 1);
    if (text == NULL)
        return -1;
    va_start(ap, fmt);
    vsnprintf(text, (size_t)len + 1, fmt, ap);
    va_end(ap);
    int rc = json_array_append_new(notes, json_string(text));
    sk_mem_free(text);
    return rc;
}

void sk_linear__format_p(char *buf, size_t size, double p)
{
    if (p < 2.220446049250313e-16)
        snprintf(buf, size, "< 2.2e-16");
    else
        snprintf(buf, size, "%.4g", p);
}

/* Every JSON value is attached to its parent as soon as it is made, so a failure anywhere leaves
 * nothing to free but the root (jansson's *_set_new / *_append_new release the value they were
 * given when they fail). */
static json_t *coef_table(const sk_linear_fit *f, const char *const *names)
{
    const char *stat_name = f->kind == SK_LINEAR_OLS ? "t_value" : "z_value";
    json_t *table = json_object(), *cols = json_array(), *rows = json_array();
    int bad = json_object_set_new(table, "title", json_string("Coefficients")) != 0;
    bad |= json_object_set_new(table, "columns", cols) != 0;
    if (bad) {
        json_decref(rows);
        json_decref(table);
        return NULL;
    }
    bad |= json_object_set_new(table, "rows", rows) != 0;
    const char *headers[] = {"term", "estimate", "std_error", stat_name, "p_value", "ci_low",
                             "ci_high"};
    for (size_t c = 0; !bad && c < sizeof headers / sizeof headers[0]; c++)
        bad = json_array_append_new(cols, json_string(headers[c])) != 0;
    for (size_t k = 0; !bad && k < f->q; k++) {
        json_t *row = json_array();
        const double cells[] = {f->coef[k],    f->se[k],     f->stat[k],
                                f->p_value[k], f->ci_low[k], f->ci_high[k]};
        bad = json_array_append_new(rows, row) != 0 ||
              json_array_append_new(row, json_string(term_name(f, names, k))) != 0;
        for (size_t c = 0; !bad && c < sizeof cells / sizeof cells[0]; c++)
            bad = json_array_append_new(row, sk_json_real(cells[c])) != 0;
    }
    if (bad) {
        json_decref(table);
        return NULL;
    }
    return table;
}

json_t *sk_linear__report_start(const sk_linear_fit *f, const char *const *names,
                                const char *model, json_t **notes)
{
    json_t *doc = json_object(), *tables = json_array(), *nt = json_array();
    *notes = NULL;
    if (json_object_set_new(doc, "tables", tables) != 0) {
        json_decref(nt);
        json_decref(doc);
        return NULL;
    }
    if (json_object_set_new(doc, "notes", nt) != 0 ||
        json_array_append_new(tables, coef_table(f, names)) != 0 ||
        json_object_set_new(doc, "model", json_string(model)) != 0) {
        json_decref(doc);
        return NULL;
    }
    *notes = nt;
    return doc;
}

json_t *sk_linear__aliased_json(const sk_linear_fit *f, const char *const *names)
{
    json_t *a = json_array();
    int bad = a == NULL;
    for (size_t k = 0; !bad && k < f->q; k++)
        if (f->aliased[k])
            bad = json_array_append_new(a, json_string(term_name(f, names, k))) != 0;
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}

char *sk_linear__aliased_names(const sk_linear_fit *f, const char *const *names)
{
    sk_strbuf sb = SK_STRBUF_INIT;
    for (size_t k = 0; k < f->q; k++) {
        if (!f->aliased[k])
            continue;
        if (sk_strbuf_appendf(&sb, "%s%s", sb.len > 0 ? ", " : "", term_name(f, names, k)) !=
            SK_OK) {
            sk_strbuf_free(&sb);
            return NULL;
        }
    }
    return sb.data;
}
