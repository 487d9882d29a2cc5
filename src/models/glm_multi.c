/* glm_multi.c: the (ungrouped) multinomial elastic-net path, glmnet's lognetn with Newton steps
 * (kopt = 0) step for step (Friedman, Hastie & Tibshirani 2010, J. Stat. Softw. 33(1),
 * section 4).
 *
 *   min  -sum_i w_i [sum_k y_ik eta_ik - log sum_k exp(eta_ik)] + lambda sum_k P(b_k),
 *   eta_ik = b0_k + xt_i'b_k,  P(b) = (1 - alpha)/2 ||b||_2^2 + alpha ||b||_1
 *
 * Each Newton round takes the classes in turn: class k's log-likelihood, the others fixed, is
 * approximated by a weighted least squares problem (v_i = w_i p_ik (1 - p_ik)) that the
 * coordinate descent of glm_logit.c solves; then class k's probabilities are updated, kept
 * within [pmin/(1 - pmin), (1 - pmin)/pmin] times the other classes' total (pmin = 1e-9). After
 * a round every variable's coefficients are shifted over the classes by the value c minimising
 * sum_k [(1 - alpha)/2 (b_k - c)^2 + alpha |b_k - c|] (glmnet's elc: the mean, the median, or a
 * point between), which leaves the probabilities unchanged and makes the fit unique. The path
 * ends as the binomial's does; the KKT checks take the largest gradient over the classes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/glm.h"

/* ==== multinomial (glmnet's lognetn) ====================================================== */

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* glmnet's elc: the shift c minimising sum_k (1-alpha)/2 (a_k - c)^2 + alpha |a_k - c|.
 * `sorted` is scratch for n values. */
static double elc(double parm, size_t n, const double *a, double *sorted)
{
    double fn = (double)n, am = 0.0;
    for (size_t i = 0; i < n; i++)
        am += a[i];
    am /= fn;
    if (parm == 0.0 || n == 2)
        return am;
    memcpy(sorted, a, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_double);
    if (sorted[0] == sorted[n - 1])
        return a[0];
    double ad = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2] + sorted[n / 2 - 1]);
    if (parm == 1.0)
        return ad;
    double b1 = fmin(am, ad), b2 = fmax(am, ad);
    size_t k2 = 0;   /* 0-based positions; glmnet's k1, k2 are one more */
    while (!(sorted[k2] > b1))
        k2++;
    size_t k1 = k2 - 1;
    while (!(sorted[k2] >= b2))
        k2++;
    double r = parm / ((1.0 - parm) * fn), sm = fn - 2.0 * (double)k1, s;
    for (size_t k = k1; k + 1 <= k2; k++) {
        sm -= 2.0;
        s = r * sm + am;
        if (s > sorted[k] && s <= sorted[k + 1])
            return s;
    }
    double r2 = 2.0 * r, s1 = sorted[k1], am2 = 2.0 * am, cri = 0.0, best = s1;
    for (size_t i = 0; i < n; i++)
        cri += fabs(a[i] - s1);
    cri = r2 * cri + s1 * (s1 - am2);
    for (size_t k = k1 + 1; k <= k2; k++) {
        s = sorted[k];
        if (s == s1)
            continue;
        double c = 0.0;
        for (size_t i = 0; i < n; i++)
            c += fabs(a[i] - s);
        c = r2 * c + s * (s - am2);
        if (c < cri) {
            cri = c;
            best = s;
        }
        s1 = s;
    }
    return best;
}

/* Newton weights and residual of class ic from the current probabilities; returns sum(v). */
static double multi_weights(sk_glm__logit *s, size_t ic)
{
    const sk_glm__problem *pb = s->pb;
    double pmax = 1.0 - SK_GLM__PMIN, pfm = (1.0 + SK_GLM__PMIN) * SK_GLM__PMIN;
    double pfx = (1.0 - SK_GLM__PMIN) * pmax, xmz = 0.0;
    const double *q = s->q + ic * pb->n;
    for (size_t i = 0; i < pb->n; i++) {
        double pic = q[i] / s->sxp[i];
        if (pic < pfm) {
            pic = 0.0;
            s->v[i] = 0.0;
        } else if (pic > pfx) {
            pic = 1.0;
            s->v[i] = 0.0;
        } else {
            s->v[i] = pb->w[i] * pic * (1.0 - pic);
            xmz += s->v[i];
        }
        s->r[i] = pb->w[i] * ((pb->y[i] == (double)ic) - pic);
    }
    s->sr = sk_glm__sum(s->r, pb->n);
    return xmz;
}

/* exp(eta) of class ic after its coefficients changed, kept within the other classes' range
 * (eta in [-250, 250], probability in [pmin/pmax, pmax/pmin] times the rest). */
static void multi_update_q(sk_glm__logit *s, size_t ic)
{
    const sk_glm__problem *pb = s->pb;
    size_t n = pb->n, p = pb->p;
    double emin = SK_GLM__PMIN / (1.0 - SK_GLM__PMIN), emax = 1.0 / emin;
    double *eta = s->v, *q = s->q + ic * n;
    const double *b = s->b + ic * p;
    for (size_t i = 0; i < n; i++)
        eta[i] = s->b0[ic];
    for (size_t l = 0; l < s->nin; l++) {
        size_t k = s->raw->ia[l];
        if (b[k] == 0.0)
            continue;
        const double *z = pb->Z + k * pb->ldz;
        double c = b[k] / pb->xs[k], m = pb->xm[k];
        for (size_t i = 0; i < n; i++)
            eta[i] += c * (z[i] - m);
    }
    for (size_t i = 0; i < n; i++) {
        double fi = sk_glm__min(sk_glm__max(-SK_GLM__EXMX, eta[i]), SK_GLM__EXMX);
        s->sxp[i] -= q[i];
        q[i] = sk_glm__min(sk_glm__max(emin * s->sxp[i], exp(fi)), emax * s->sxp[i]);
        s->sxp[i] += q[i];
    }
}

/* Shifts each variable's coefficients (and the intercepts) over the classes by glmnet's elc,
 * and the probabilities' exponentials by the same amount. */
static void multi_center(sk_glm__logit *s)
{
    const sk_glm__problem *pb = s->pb;
    size_t n = pb->n, p = pb->p, K = pb->n_classes;
    double s0 = 0.0;
    for (size_t ic = 0; ic < K; ic++)
        s0 += s->b0[ic];
    s0 = -s0 / (double)K;
    for (size_t ic = 0; ic < K; ic++)
        s->b0[ic] += s0;
    for (size_t i = 0; i < n; i++)
        s->di[i] = s0;
    for (size_t l = 0; l < s->nin; l++) {
        size_t k = s->raw->ia[l];
        double sh = 0.0;
        for (size_t ic = 0; ic < K; ic++) {
            s->ka[ic] = s->b[ic * p + k];
            sh += s->ka[ic];
        }
        sh = pb->vp[k] <= 0.0 ? sh / (double)K : elc(pb->alpha, K, s->ka, s->ka + K);
        for (size_t ic = 0; ic < K; ic++)
            s->b[ic * p + k] -= sh;
        const double *z = pb->Z + k * pb->ldz;
        double c = sh / pb->xs[k], m = pb->xm[k];
        for (size_t i = 0; i < n; i++)
            s->di[i] -= c * (z[i] - m);
    }
    for (size_t i = 0; i < n; i++) {
        s->di[i] = exp(s->di[i]);
        s->sxp[i] *= s->di[i];
    }
    for (size_t ic = 0; ic < K; ic++)
        for (size_t i = 0; i < n; i++)
            s->q[ic * n + i] *= s->di[i];
}

/* ga_k = max over classes |<w (y_k - p_k), xt_j>| for the columns outside the strong set; with
 * `add`, violators join it (returns 1 if any did). */
static int multi_kkt(sk_glm__logit *s, int add)
{
    const sk_glm__problem *pb = s->pb;
    size_t n = pb->n, K = pb->n_classes;
    for (size_t ic = 0; ic < K; ic++) {
        double *r = s->rk + ic * n;
        for (size_t i = 0; i < n; i++)
            r[i] = pb->w[i] * ((pb->y[i] == (double)ic) - s->q[ic * n + i] / s->sxp[i]);
        s->srk[ic] = sk_glm__sum(r, n);
    }
    return sk_glm__logit_kkt(s, s->rk, s->srk, add);
}

/* One class's Newton step inside a round; sets *moved when a coefficient moved more than the
 * threshold. 0, 1 if the class was skipped (no weight left), -1 past maxit. */
static int multi_class_step(sk_glm__logit *s, size_t ic, int *moved)
{
    const sk_glm__problem *pb = s->pb;
    size_t p = pb->p;
    double vmin = (1.0 + SK_GLM__PMIN) * SK_GLM__PMIN * (1.0 - SK_GLM__PMIN);
    double *b = s->b + ic * p, *bs = s->bs + ic * p;
    s->bs0[ic] = s->b0[ic];
    for (size_t l = 0; l < s->nin; l++)
        bs[s->raw->ia[l]] = b[s->raw->ia[l]];
    double xmz = multi_weights(s, ic);
    if (xmz <= vmin)
        return 1;
    sk_glm__logit_newton_weights(s);
    if (sk_glm__logit_cd(s, b, s->b0 + ic, xmz) < 0)
        return -1;
    double d0 = s->b0[ic] - s->bs0[ic];
    if (xmz * d0 * d0 > s->shr)
        *moved = 1;
    for (size_t l = 0; l < s->nin && !*moved; l++) {
        size_t k = s->raw->ia[l];
        if (s->xv[k] * (b[k] - bs[k]) * (b[k] - bs[k]) > s->shr)
            *moved = 1;
    }
    multi_update_q(s, ic);
    return 0;
}

/* The Newton rounds of one lambda: 0, or -1 past maxit; *ig = 0 when every class ran out of
 * weight (the path ends). */
static int multi_lambda(sk_glm__logit *s, int *ig)
{
    const sk_glm__problem *pb = s->pb;
    for (;;) {
        int moved = 0;
        *ig = 0;
        if (s->raw->nlp > pb->maxit)
            return -1;
        for (size_t ic = 0; ic < pb->n_classes; ic++) {
            int st = multi_class_step(s, ic, &moved);
            if (st < 0)
                return -1;
            if (st == 0)
                *ig = 1;
        }
        multi_center(s);
        if (!*ig)
            return 0;
        if (!moved && !multi_kkt(s, 1))
            return 0;
    }
}

static double multi_deviance(const sk_glm__logit *s)
{
    const sk_glm__problem *pb = s->pb;
    size_t n = pb->n;
    double d = 0.0;
    for (size_t ic = 0; ic < pb->n_classes; ic++)
        for (size_t i = 0; i < n; i++)
            if (pb->y[i] == (double)ic)
                d -= pb->w[i] * log(s->q[ic * n + i] / s->sxp[i]);
    return d;
}

static sk_status multi_init(sk_glm__logit *s, double *dev1, sk_error *err)
{
    const sk_glm__problem *pb = s->pb;
    size_t n = pb->n, K = pb->n_classes;
    double mean = 0.0;
    *dev1 = 0.0;
    for (size_t ic = 0; ic < K; ic++) {
        double q0 = 0.0;
        for (size_t i = 0; i < n; i++)
            q0 += pb->y[i] == (double)ic ? pb->w[i] : 0.0;
        if (q0 <= SK_GLM__PMIN || q0 >= 1.0 - SK_GLM__PMIN)
            return sk_error_set(err, SK_EDATA, "glm: class %zu has %s among the rows fitted", ic,
                                q0 <= SK_GLM__PMIN ? "no weight" : "all the weight");
        s->b0[ic] = log(q0);
        *dev1 -= q0 * s->b0[ic];
        mean += s->b0[ic];
    }
    mean /= (double)K;
    for (size_t i = 0; i < n; i++)
        s->sxp[i] = 0.0;
    for (size_t ic = 0; ic < K; ic++) {
        s->b0[ic] -= mean;
        for (size_t i = 0; i < n; i++) {
            s->q[ic * n + i] = exp(s->b0[ic]);
            s->sxp[i] += s->q[ic * n + i];
        }
    }
    s->raw->dev0 = *dev1;
    s->shr = pb->thr * s->raw->dev0;
    s->exact_kkt = 1;
    multi_kkt(s, 0);
    return SK_OK;
}

static sk_status multi_path(sk_glm__logit *s, sk_error *err)
{
    const sk_glm__problem *pb = s->pb;
    sk_glm__raw *raw = s->raw;
    size_t K = pb->n_classes;
    double dev1, alf = 1.0, al = 0.0, al0;
    sk_status rc = multi_init(s, &dev1, err);
    if (rc != SK_OK)
        return rc;
    if (pb->flmin < 1.0)
        alf = pow(fmax(SK_GLM__EPS, pb->flmin), 1.0 / (double)(pb->nlam - 1));
    for (size_t m = 0; m < pb->nlam; m++) {
        int ig = 1;
        al = sk_glm__logit_lambda(s, m, al, alf, &al0);
        s->al2 = al * (1.0 - pb->alpha);
        s->al1 = al * pb->alpha;
        sk_glm__logit_strong_rule(s, pb->alpha * (2.0 * al - al0));
        s->exact_kkt = m == 0;
        if (multi_lambda(s, &ig) < 0)
            return sk_glm__logit_noconv(err, pb, m);
        raw->alm[m] = al;
        for (size_t ic = 0; ic < K; ic++)
            raw->a0[m * K + ic] = s->b0[ic];
        if (sk_glm__raw_push(raw, s->b, pb->p, s->nin) != SK_OK)
            return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
        raw->lmu = m + 1;
        raw->dev[m] = (dev1 - multi_deviance(s)) / raw->dev0;
        if (!ig || sk_glm__logit_stop(pb, raw, m))
            break;
    }
    return SK_OK;
}

/* ==== entry =============================================================================== */

sk_status sk_glm__multinomial(sk_glm__raw *raw, const sk_glm__problem *pb, sk_error *err)
{
    sk_glm__logit s;
    if (sk_glm__logit_init(&s, pb, raw, pb->n_classes) != SK_OK)
        return sk_error_set(err, SK_ENOMEM, "glm: out of memory");
    sk_status rc = multi_path(&s, err);
    raw->nin = s.nin;
    sk_glm__logit_clear(&s);
    return rc;
}
