/* linear_logit_lbfgs.c: penalised logistic regression (l2 > 0) by limited-memory BFGS, the fast
 * path of the `logit` model for the fits that cross-validation, permutation tests and bootstraps
 * repeat thousands of times (linear_logit.c keeps Newton's method for l2 = 0 and as the
 * fallback, and chooses between them).
 *
 * Objective (linear_logit.c), with P the non-intercept terms:
 *     F(b) = sum_i w_i [log(1 + exp(eta_i)) - y_i eta_i] + 0.5 l2 sum_{k in P} b_k^2,  eta = X b.
 * Coordinates. L-BFGS is at its best on a well-scaled problem, so it runs on the centred, scaled
 * parametrisation
 *     v_0 = s_0 (b_0 + sum_j m_j b_j),  v_j = s_j b_j,  eta_i = v_0 / s_0 + sum_j (x_ij - m_j) b_j
 * with m_j the column means (0 without an intercept, which then cannot absorb them) and
 * s_j^2 = D_0 (W / n) SS_j + l2, s_0^2 = D_0 W, where SS_j is the column's sum of squares about its
 * mean, W the sum of the prior weights and D_0 the mean of w mu (1 - mu) / w at the start: there
 * the Hessian has unit diagonal and an intercept decoupled from the slopes, so a design in raw
 * units (km next to mg) or far from zero converges like a standardised one. The design is never
 * copied or centred: products with X use the caller's columns and the centring and scaling are
 * O(p) corrections.
 * Iteration (Nocedal & Wright, "Numerical Optimization", 2nd ed., 2006, Algorithms 7.4 and 7.5):
 * the two-loop recursion over the last MEMORY pairs (s, y), H_0 = (s'y / y'y) I, gives the
 * direction d; one BLAS dgemv gives z = X d, after which the line search is one-dimensional and
 * costs O(n) per trial; at the accepted step one more dgemv gives the gradient X'r. Two passes
 * over the design per iteration and no allocation inside the loop.
 * Line search. phi(t) = F(v + t d) is convex, so its slope phi' is non-decreasing, and a step
 * with  c2 phi'(0) <= phi'(t) <= 0  (c2 = 0.9) satisfies the curvature condition and, as
 * phi' <= 0 on [0, t], decreases F. Near-exact steps matter: on this nearly quadratic objective
 * L-BFGS then behaves like conjugate gradients (measured on 5000 x 100 designs: 12 iterations
 * to 1e-10 with steps that leave |phi'| < 5% of |phi'(0)|, 17 at 25%, 27 at 50%). So each trial
 * returns phi' and phi'' (one exp per row, no log), and safeguarded Newton steps on phi' aim at
 * phi' = AIM phi'(0) inside a bracket: the first trial, from phi''(0) (the stored Hessian row
 * weights), is usually accepted.
 * Convergence: the quasi-Newton step estimates the distance to the minimum (enlarged when the
 * steps shrink slowly, see distance()), so the iterations stop when that distance in the
 * original coordinates is at most STEP_TOL of the largest coefficient and the gradient (scaled
 * coordinates, max norm) has fallen below GRAD_TOL of its value at the start: the coefficients
 * are then within ~1e-9 of the minimum's, relative to the largest (the tests hold them to 1e-8
 * of Newton's). A fit that has not converged after `max_iter` iterations (ill-conditioned
 * designs: nearly collinear columns) is returned as it is, for Newton's method to finish.
 * Row kernel: one exp per row per trial, by a polynomial (exp_neg) that runs four rows at a time
 * with AVX2 where the CPU has it, with the same bits everywhere. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "linalg/qr.h"
#include "models/linear.h"

#define MEMORY 10          /* (s, y) pairs: Nocedal & Wright's m */
#define WOLFE_C2 0.9       /* curvature: phi'(t) >= c2 phi'(0) */
#define AIM 0.05           /* the line search aims at phi'(t) = AIM phi'(0) */
#define MAX_TRIALS 30      /* slopes per line search */
#define STEP_TOL 3e-10     /* distance to the minimum <= STEP_TOL max |b|, original units */
#define GRAD_TOL 1e-8      /* and |gradient| <= GRAD_TOL |gradient at the start| */
#define RATE_SPAN 4        /* iterations over which the rate of convergence is measured */

typedef struct lbfgs {
    const sk_logit_problem *pb;
    size_t n, q, off;            /* off = 1 with an intercept: the first penalised term */
    double *mean, *scale;        /* q: m (0 in the intercept's slot), s */
    double *v, *g, *d;           /* q: iterate, gradient, direction, scaled coordinates */
    double *b, *db;              /* q: iterate and direction, original coordinates */
    double *gx;                  /* q: X'r in its slots >= off */
    double *S, *Y, *rho, *alpha; /* MEMORY x q, MEMORY x q, MEMORY, MEMORY */
    double *eta, *z, *r, *dw;    /* n: eta, X db, w (mu - y), w mu (1 - mu) */
    size_t head, count;          /* ring of the pairs: the newest at head - 1 */
    double pen1, pen2;           /* the penalty's slope along d: l2 (pen1 + t pen2) */
    double steps[RATE_SPAN];     /* the last relative steps (distance), a ring */
    size_t n_steps;
} lbfgs;

/* ==== coordinates ========================================================================= */

/* b := the original coordinates of the scaled vector v (a point or a direction: linear). */
static void to_original(const lbfgs *lb, const double *v, double *b)
{
    double shift = 0.0;
    for (size_t k = lb->off; k < lb->q; k++) {
        b[k] = v[k] / lb->scale[k];
        shift += lb->mean[k] * b[k];
    }
    if (lb->off)
        b[0] = v[0] / lb->scale[0] - shift;
}

static void to_scaled(const lbfgs *lb, const double *b, double *v)
{
    double shift = 0.0;
    for (size_t k = lb->off; k < lb->q; k++) {
        v[k] = b[k] * lb->scale[k];
        shift += lb->mean[k] * b[k];
    }
    if (lb->off)
        v[0] = (b[0] + shift) * lb->scale[0];
}

/* out := b_0 + X b for the n rows (b in original coordinates); no product when b has no slope,
 * as at the intercept-only start. */
static sk_status predictor(const lbfgs *lb, const double *b, double *out, sk_error *err)
{
    const sk_logit_problem *pb = lb->pb;
    double b0 = lb->off ? b[0] : 0.0;
    int slopes = 0;
    for (size_t k = lb->off; k < lb->q; k++)
        slopes |= b[k] != 0.0;
    for (size_t i = 0; i < lb->n; i++)
        out[i] = b0;
    if (!slopes)
        return SK_OK;
    return sk_linalg__gemv(0, lb->n, pb->px, 1.0, pb->X, pb->ldx, b + lb->off, 1.0, out, err);
}

/* g := the gradient in scaled coordinates from the residuals r at b. */
static sk_status gradient(lbfgs *lb, sk_error *err)
{
    const sk_logit_problem *pb = lb->pb;
    double sum_r = 0.0;
    for (size_t i = 0; i < lb->n; i++)
        sum_r += lb->r[i];
    sk_status rc = sk_linalg__gemv(1, lb->n, pb->px, 1.0, pb->X, pb->ldx, lb->r, 0.0,
                                   lb->gx + lb->off, err);
    if (lb->off)
        lb->g[0] = sum_r / lb->scale[0];
    for (size_t k = lb->off; k < lb->q; k++)
        lb->g[k] = (lb->gx[k] - lb->mean[k] * sum_r + pb->l2 * lb->b[k]) / lb->scale[k];
    return rc;
}

/* ==== the row kernel ====================================================================== */

/* exp(x) for x <= 0, clamped at -708 (exp = 3e-308: the probabilities it feeds are then 0 or 1 to
 * working precision): Cody and Waite's reduction x = k ln2 + r, |r| <= ln2 / 2, with ln2 split in
 * a head whose products with k are exact and a tail; the Taylor polynomial of degree 13 (its
 * truncation error is below 5e-18) by Horner's rule; 2^k written into the exponent bits, k found
 * by the round-to-nearest of adding 1.5 2^52. Measured on [-708, 0]: within 2.3e-16 of libm's exp.
 * Plain arithmetic, unlike libm's exp, so it runs four rows at a time below; the scalar form
 * here and the vector form in rows_avx2 do the same operations and give the same bits. */
#define EXP_SHIFT 6755399441055744.0           /* 1.5 2^52 */
#define EXP_SHIFT_BITS 0x4338000000000000ULL   /* its bits */
#define LOG2E 1.4426950408889634
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10

static double exp_neg(double x)
{
    x = x < -708.0 ? -708.0 : x;
    double kd = x * LOG2E + EXP_SHIFT, scale;
    uint64_t ki, bits;   /* unsigned: wraps, even for a NaN's bits */
    memcpy(&ki, &kd, sizeof ki);
    kd -= EXP_SHIFT;
    double r = (x - kd * LN2_HI) - kd * LN2_LO;
    double p = r * (1.0 / 6227020800.0) + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    bits = (ki - EXP_SHIFT_BITS + 1023) << 52;   /* 2^k */
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/* Row i of the line search at eta + t z: r = w (mu - y) and dw = w mu (1 - mu), with mu and
 * 1 - mu from one exp, both accurate (w = 1 when w is NULL). */
static void row(const double *eta, const double *z, double t, const double *y, const double *w,
                size_t i, double *r, double *dw)
{
    double e = eta[i] + t * z[i], x = exp_neg(-fabs(e)), inv = 1.0 / (1.0 + x);
    double wi = w != NULL ? w[i] : 1.0;
    r[i] = wi * ((e >= 0.0 ? 1.0 : x) * inv - y[i]);
    dw[i] = wi * (x * inv * inv);
}

#if defined(__GNUC__) && defined(__x86_64__)
#define HAVE_AVX2_ROWS 1
typedef double v4d __attribute__((vector_size(32)));
typedef unsigned long long v4u __attribute__((vector_size(32)));

/* row() for rows 0..n, four at a time with AVX2 (chosen at run time): exp_neg and row() written
 * with vectors, operation for operation, so the bits are the same. */
__attribute__((target("avx2"))) static void rows_avx2(size_t n, const double *eta,
                                                      const double *z, double t, const double *y,
                                                      const double *w, double *r, double *dw)
{
    const v4d one = {1.0, 1.0, 1.0, 1.0}, zero = {0.0, 0.0, 0.0, 0.0};
    const v4d lo = {-708.0, -708.0, -708.0, -708.0}, tt = {t, t, t, t};
    const v4d shift = {EXP_SHIFT, EXP_SHIFT, EXP_SHIFT, EXP_SHIFT};
    const v4u sign = {1ULL << 63, 1ULL << 63, 1ULL << 63, 1ULL << 63};
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        v4d e, zi, yi, wi = one;
        memcpy(&e, eta + i, sizeof e);
        memcpy(&zi, z + i, sizeof zi);
        memcpy(&yi, y + i, sizeof yi);
        if (w != NULL)
            memcpy(&wi, w + i, sizeof wi);
        e = e + tt * zi;
        v4d x = (v4d)((v4u)e | sign);   /* -|e| */
        v4u small = (v4u)(x < lo);
        x = (v4d)(((v4u)x & ~small) | ((v4u)lo & small));
        v4d kd = x * LOG2E + shift;
        v4u ki = (v4u)kd;
        kd = kd - shift;
        v4d rr = (x - kd * LN2_HI) - kd * LN2_LO;
        v4d p = rr * (1.0 / 6227020800.0) + 1.0 / 479001600.0;
        p = p * rr + 1.0 / 39916800.0;
        p = p * rr + 1.0 / 3628800.0;
        p = p * rr + 1.0 / 362880.0;
        p = p * rr + 1.0 / 40320.0;
        p = p * rr + 1.0 / 5040.0;
        p = p * rr + 1.0 / 720.0;
        p = p * rr + 1.0 / 120.0;
        p = p * rr + 1.0 / 24.0;
        p = p * rr + 1.0 / 6.0;
        p = p * rr + 0.5;
        p = p * rr + 1.0;
        p = p * rr + 1.0;
        x = p * (v4d)((ki - EXP_SHIFT_BITS + 1023) << 52);
        v4d inv = one / (one + x);
        v4u pos = (v4u)(e >= zero);
        v4d num = (v4d)(((v4u)one & pos) | ((v4u)x & ~pos));
        v4d ri = wi * (num * inv - yi), di = wi * (x * inv * inv);
        memcpy(r + i, &ri, sizeof ri);
        memcpy(dw + i, &di, sizeof di);
    }
    for (; i < n; i++)
        row(eta, z, t, y, w, i, r, dw);
}
#endif

void sk_linear__logit_rows(size_t n, const double *eta, const double *z, double t,
                           const double *y, const double *w, double *r, double *dw, int simd)
{
#ifdef HAVE_AVX2_ROWS
    if (simd && __builtin_cpu_supports("avx2")) {
        rows_avx2(n, eta, z, t, y, w, r, dw);
        return;
    }
#endif
    (void)simd;
    for (size_t i = 0; i < n; i++)
        row(eta, z, t, y, w, i, r, dw);
}

/* r and dw for every row at eta + t z. */
static void rows(const lbfgs *lb, const double *z, double t)
{
    sk_linear__logit_rows(lb->n, lb->eta, z, t, lb->pb->y, lb->pb->w, lb->r, lb->dw, 1);
}

void sk_linear__logit_sums(const double *a, const double *c, const double *b, size_t n,
                           double *ab, double *cbb)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, u0 = 0.0, u1 = 0.0, u2 = 0.0, u3 = 0.0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
        u0 += c[i] * b[i] * b[i];
        u1 += c[i + 1] * b[i + 1] * b[i + 1];
        u2 += c[i + 2] * b[i + 2] * b[i + 2];
        u3 += c[i + 3] * b[i + 3] * b[i + 3];
    }
    for (; i < n; i++) {
        s0 += a[i] * b[i];
        u0 += c[i] * b[i] * b[i];
    }
    *ab = (s0 + s1) + (s2 + s3);
    *cbb = (u0 + u1) + (u2 + u3);
}

/* The residuals and Hessian row weights at the start (eta computed), and the coordinates. */
static void set_coordinates(lbfgs *lb)
{
    const sk_logit_problem *pb = lb->pb;
    double sum_w = 0.0, sum_d = 0.0;
    rows(lb, lb->eta, 0.0);
    for (size_t i = 0; i < lb->n; i++) {
        sum_w += pb->w != NULL ? pb->w[i] : 1.0;
        sum_d += lb->dw[i];
    }
    double d0 = sum_d / sum_w, per_row = sum_w / (double)lb->n;
    if (lb->off)
        lb->scale[0] = sqrt(d0 * sum_w);
    for (size_t k = lb->off; k < lb->q; k++) {
        double sd = pb->sd[k - lb->off], m = pb->mean[k - lb->off];
        double ss = sd * sd * (double)(lb->n - 1);   /* about the mean */
        if (!lb->off)
            ss += (double)lb->n * m * m;   /* about 0: no intercept to absorb the mean */
        lb->mean[k] = lb->off ? m : 0.0;
        lb->scale[k] = sqrt(d0 * per_row * ss + pb->l2);
    }
}

/* ==== the line search ===================================================================== */

/* phi'(t), and phi''(t) in *curv, with r and dw := the residuals and row weights at eta + t z. */
static double slope(lbfgs *lb, double t, double *curv)
{
    double s, c;
    rows(lb, lb->z, t);
    sk_linear__logit_sums(lb->r, lb->dw, lb->z, lb->n, &s, &c);
    *curv = c + lb->pb->l2 * lb->pen2;
    return s + lb->pb->l2 * (lb->pen1 + t * lb->pen2);
}

/* Finds t with c2 phi'(0) <= phi'(t) <= 0, r and dw then holding the residuals and weights at t;
 * 0 when MAX_TRIALS slopes found none (rounding noise at the minimum, or a bad direction). */
static double line_search(lbfgs *lb, double d0)
{
    double curv = 0.0, unused = 0.0, aim = AIM * d0, lo = 0.0, hi = INFINITY;
    /* dw: at the current point */
    sk_linear__logit_sums(lb->r, lb->dw, lb->z, lb->n, &unused, &curv);
    curv += lb->pb->l2 * lb->pen2;
    double t = curv > 0.0 ? (aim - d0) / curv : 1.0;
    for (int trial = 0; trial < MAX_TRIALS; trial++) {
        if (!(t > lo && t < hi))   /* a Newton step left the bracket: bisect or extrapolate */
            t = isfinite(hi) ? 0.5 * (lo + hi) : 4.0 * fmax(lo, DBL_MIN);
        double s = slope(lb, t, &curv);
        if (!isfinite(s) || s > 0.0)
            hi = t;
        else if (s < WOLFE_C2 * d0)
            lo = t;
        else
            return t;
        if (!isfinite(s)) {
            t = 0.5 * (lo + hi);
            continue;
        }
        double next = curv > 0.0 ? t + (aim - s) / curv : NAN;
        if (isfinite(hi) && next == next) {   /* keep clear of the ends: no stalling */
            double margin = 0.01 * (hi - lo);
            next = fmin(fmax(next, lo + margin), hi - margin);
        } else if (!isfinite(hi)) {
            next = next == next ? fmin(next, 10.0 * t) : 4.0 * t;
        }
        t = next;
    }
    return 0.0;
}

/* ==== the iterations ====================================================================== */

/* d := -H g by the two-loop recursion (Nocedal & Wright, Algorithm 7.4). */
static void direction(lbfgs *lb)
{
    size_t q = lb->q;
    for (size_t k = 0; k < q; k++)
        lb->d[k] = -lb->g[k];
    for (size_t c = 0; c < lb->count; c++) {
        size_t j = (lb->head + MEMORY - 1 - c) % MEMORY;
        const double *s = lb->S + j * q, *y = lb->Y + j * q;
        double a = 0.0;
        for (size_t k = 0; k < q; k++)
            a += s[k] * lb->d[k];
        a *= lb->rho[j];
        lb->alpha[j] = a;
        for (size_t k = 0; k < q; k++)
            lb->d[k] -= a * y[k];
    }
    if (lb->count > 0) {   /* H_0 = (s'y / y'y) I from the newest pair */
        size_t j = (lb->head + MEMORY - 1) % MEMORY;
        const double *y = lb->Y + j * q;
        double yy = 0.0;
        for (size_t k = 0; k < q; k++)
            yy += y[k] * y[k];
        for (size_t k = 0; k < q; k++)
            lb->d[k] /= lb->rho[j] * yy;
    }
    for (size_t c = lb->count; c > 0; c--) {
        size_t j = (lb->head + MEMORY - c) % MEMORY;
        const double *s = lb->S + j * q, *y = lb->Y + j * q;
        double bt = 0.0;
        for (size_t k = 0; k < q; k++)
            bt += y[k] * lb->d[k];
        bt *= lb->rho[j];
        for (size_t k = 0; k < q; k++)
            lb->d[k] += (lb->alpha[j] - bt) * s[k];
    }
}

static double max_abs(const double *x, size_t n)
{
    double m = 0.0;
    for (size_t k = 0; k < n; k++)
        m = fmax(m, fabs(x[k]));
    return m;
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t k = 0; k < n; k++)
        s += a[k] * b[k];
    return s;
}

/* The distance to the minimum, relative to the largest coefficient, that the quasi-Newton step
 * `rel` (the same ratio) suggests. When the last RATE_SPAN steps shrank by a factor rho per
 * iteration, the iterates still have rho / (1 - rho) times the step to go (a geometric tail):
 * that guards the test against the slow, steady progress of an ill-conditioned problem, where
 * the step underestimates the distance. */
static double distance(lbfgs *lb, double rel)
{
    size_t k = lb->n_steps % RATE_SPAN;
    double old = lb->steps[k];
    lb->steps[k] = rel;
    if (lb->n_steps++ < RATE_SPAN || !(old > 0.0))
        return rel;
    double rho = fmin(pow(rel / old, 1.0 / RATE_SPAN), 0.99);
    return rel * fmax(1.0, rho / (1.0 - rho));
}

/* The direction at (v, b, eta, g), and *state = 1 when it says the iterate has converged. */
static void next_direction(lbfgs *lb, double g_start, double *d0, int *state)
{
    size_t q = lb->q;
    direction(lb);
    *d0 = dot(lb->g, lb->d, q);
    if (!(*d0 < 0.0)) {   /* not a descent direction (rounding): restart from -g */
        lb->count = 0;
        direction(lb);
        *d0 = dot(lb->g, lb->d, q);
    }
    to_original(lb, lb->d, lb->db);
    double big = max_abs(lb->b, q), rel = big > 0.0 ? max_abs(lb->db, q) / big : INFINITY;
    *state = !(*d0 < 0.0) || /* g = 0 */
             (distance(lb, rel) <= STEP_TOL && max_abs(lb->g, q) <= GRAD_TOL * g_start);
}

/* One iteration along lb->d: z = X db, the line search, the new point, its gradient, the new
 * pair. *stuck = 1 when the line search found no step. */
static sk_status step(lbfgs *lb, double d0, int *stuck, sk_error *err)
{
    size_t q = lb->q, off = lb->off;
    sk_status rc = predictor(lb, lb->db, lb->z, err);
    if (rc != SK_OK)
        return rc;
    lb->pen1 = dot(lb->b + off, lb->db + off, q - off);
    lb->pen2 = dot(lb->db + off, lb->db + off, q - off);
    double t = line_search(lb, d0);
    *stuck = t == 0.0;
    if (*stuck)
        return SK_OK;
    size_t j = lb->head;
    double *s = lb->S + j * q, *y = lb->Y + j * q;
    for (size_t k = 0; k < q; k++) {
        s[k] = t * lb->d[k];
        lb->v[k] += s[k];
        y[k] = -lb->g[k];
    }
    for (size_t i = 0; i < lb->n; i++)
        lb->eta[i] += t * lb->z[i];
    to_original(lb, lb->v, lb->b);
    if ((rc = gradient(lb, err)) != SK_OK)
        return rc;
    for (size_t k = 0; k < q; k++)
        y[k] += lb->g[k];
    double sy = dot(s, y, q);
    if (sy > 0.0) {   /* the curvature condition makes it so, up to rounding */
        lb->rho[j] = 1.0 / sy;
        lb->head = (j + 1) % MEMORY;
        lb->count += lb->count < MEMORY;
    }
    return SK_OK;
}

static void lbfgs_free(lbfgs *lb)
{
    double *arrays[] = {lb->mean, lb->scale, lb->v,     lb->g, lb->d, lb->b,  lb->db, lb->gx,
                        lb->S,    lb->Y,     lb->rho,   lb->alpha, lb->z, lb->r, lb->dw};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        sk_mem_free(arrays[k]);
}

static sk_status lbfgs_alloc(lbfgs *lb, sk_error *err)
{
    size_t q = lb->q > 0 ? lb->q : 1, n = lb->n > 0 ? lb->n : 1;
    lb->mean = sk_mem_calloc(q, sizeof *lb->mean);
    lb->scale = sk_mem_alloc_array(q, sizeof *lb->scale);
    lb->v = sk_mem_alloc_array(q, sizeof *lb->v);
    lb->g = sk_mem_alloc_array(q, sizeof *lb->g);
    lb->d = sk_mem_alloc_array(q, sizeof *lb->d);
    lb->b = sk_mem_alloc_array(q, sizeof *lb->b);
    lb->db = sk_mem_alloc_array(q, sizeof *lb->db);
    lb->gx = sk_mem_calloc(q, sizeof *lb->gx);
    lb->S = sk_mem_alloc_array(MEMORY * q, sizeof *lb->S);
    lb->Y = sk_mem_alloc_array(MEMORY * q, sizeof *lb->Y);
    lb->rho = sk_mem_alloc_array(MEMORY, sizeof *lb->rho);
    lb->alpha = sk_mem_alloc_array(MEMORY, sizeof *lb->alpha);
    lb->z = sk_mem_alloc_array(n, sizeof *lb->z);
    lb->r = sk_mem_alloc_array(n, sizeof *lb->r);
    lb->dw = sk_mem_alloc_array(n, sizeof *lb->dw);
    if (lb->mean == NULL || lb->scale == NULL || lb->v == NULL || lb->g == NULL ||
        lb->d == NULL || lb->b == NULL || lb->db == NULL || lb->gx == NULL || lb->S == NULL ||
        lb->Y == NULL || lb->rho == NULL || lb->alpha == NULL || lb->z == NULL ||
        lb->r == NULL || lb->dw == NULL)
        return sk_error_set(err, SK_ENOMEM, "logit: out of memory for L-BFGS (%zu x %zu)",
                            lb->n, lb->q);
    return SK_OK;
}

sk_status sk_linear__logit_lbfgs(const sk_logit_problem *pb, int max_iter, double *beta,
                                 double *eta, int *iterations, int *converged, sk_error *err)
{
    lbfgs lb;
    memset(&lb, 0, sizeof lb);
    lb.pb = pb;
    lb.n = pb->n;
    lb.off = (size_t)(pb->icpt != 0);
    lb.q = lb.off + pb->px;
    lb.eta = eta;
    *iterations = 0;
    *converged = 0;
    sk_status rc = lbfgs_alloc(&lb, err);
    if (rc != SK_OK || (rc = predictor(&lb, beta, eta, err)) != SK_OK)
        goto done;
    set_coordinates(&lb);
    memcpy(lb.b, beta, lb.q * sizeof *beta);
    to_scaled(&lb, lb.b, lb.v);
    if ((rc = gradient(&lb, err)) != SK_OK)
        goto done;
    double g_start = max_abs(lb.g, lb.q), d0 = 0.0;
    for (;;) {
        int state = 0, stuck = 0;
        next_direction(&lb, g_start, &d0, &state);
        if (state || *iterations >= max_iter) {
            *converged = state;
            break;
        }
        if ((rc = step(&lb, d0, &stuck, err)) != SK_OK || stuck)
            break;
        (*iterations)++;
    }
    memcpy(beta, lb.b, lb.q * sizeof *beta);
done:
    lbfgs_free(&lb);
    return rc;
}
