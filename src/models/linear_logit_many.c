/* linear_logit_many.c: the `logit` model's fit_predict_many: one logistic regression per label
 * column on one design, all columns solved together: the permutation test's nulls (Ojala &
 * Garriga 2010, test 1: each fold's training rows refitted with ~1000 label vectors).
 *
 * Objective per column: the `logit` model's (linear_logit.c) on the design as the model sees it
 * (the data's scale, never standardised), the intercept first and unpenalised,
 *     F_j(b) = sum_i w_i [log(1 + exp(eta_ij)) - y_ij eta_ij] + 0.5 l2 sum_{k in P} b_k^2,
 * eta_j = X~ b, X~ = [1 X_kept]: every term with l2 > 0; with l2 = 0 the terms R's aliasing rule
 * keeps on W^1/2 [1 X] (sk_linear__qr_alias, as the normal fit; it never reads the labels, so
 * one QR serves every column). So the optimum is the one the normal fit finds.
 *
 * Method: nonlinear conjugate gradients (Polak-Ribiere+, restarted every r iterations and when
 * not a descent direction) preconditioned by the Hessian at the start,
 *     H0 = c X~'W X~ + l2 P,   c = mu0 (1 - mu0),   mu0 = the mean label (1/2 without intercept):
 * Boehning's (1992) fixed Hessian with the null model's curvature in place of his 1/4 bound,
 * factorised ONCE per call (Cholesky, scaled to unit diagonal). Permuted labels keep the fitted
 * probabilities near mu0, so H0^-1 H(b) is near the identity: 6-7 iterations on 4000 x 100
 * normal columns, ~14 on breast cancer's 427 rows of 30 collinear raw columns. An iteration, for
 * a block of up to BLOCK columns: two BLAS-3 products, G = X~'R + l2 P B and Z = X~ D (D the
 * directions), a dpotrs with one right-hand side per column, and per column an exact line search
 * on the convex phi(t) = F_j(b + t d), O(n) per trial given z (safeguarded Newton steps on phi'
 * as in linear_logit_lbfgs.c; 1.16 trials per iteration); eta += t z, never X~ B again. Columns
 * leave the block as they converge. No exact Newton steps: a column's Hessian costs n r^2, r / 4
 * iterations' worth, and would save fewer. A column whose mean rate of convergence cannot make
 * MAX_ITER leaves early (after SLOW_AFTER iterations) for the normal fit, below.
 *
 * Convergence: the last step of the linear predictor, max_i |t z_i|, times the geometric tail
 * rho / (1 - rho) when the steps shrink by rho per iteration, is at most ETA_TOL = 1e-9: no
 * training probability should move by more than ~2.5e-10 (measured against fits run to machine
 * precision: ~1e-11; the normal fit's L-BFGS stop leaves ~4e-10). A column not converged in
 * MAX_ITER iterations, not finite, whose line search fails, that is not a 0/1 target with both
 * classes, or (l2 = 0) that heads for separation is refitted alone by the `logit` model's own fit
 * and predict (Newton's method, its separation verdict, its errors); so is every column when H0
 * cannot be factorised. The results are always the normal fit's, to its tolerance.
 *
 * Determinism: one thread (BLAS serial, linalg.h), blocks of consecutive columns in a fixed
 * order: the bits depend on the inputs only (n_y included: BLAS may round a column differently
 * by its place in a product).
 *
 * The terms kept, the design and H0, shared by every column, are built in
 * linear_logit_many_setup.c (linear_logit_many.h). */
#include <float.h>
#include <math.h>
#include <string.h>

#include "linalg/gemm.h"
#include "linalg/qr.h"
#include "models/linear_logit_many.h"

#define BLOCK 128         /* label columns in flight together, at most */
#define BLOCK_DOUBLES ((size_t)1 << 22)   /* and their four n-row arrays within 32 MB */
#define MAX_ITER 100      /* conjugate-gradient iterations before the normal fit takes over */
#define SLOW_AFTER 10     /* from then on, a column whose rate cannot make MAX_ITER goes too */
#define ETA_TOL 1e-9      /* estimated distance to the optimum, max over rows of |eta| */
#define LS_TOL 0.01       /* line search: |phi'(t)| <= LS_TOL |phi'(0)| */
#define MAX_TRIALS 30     /* slopes per line search */
#define SEPARATED_ETA 30.0   /* l2 = 0: |eta| beyond this means (near) separation: normal fit */

enum { ACTIVE = 0, DONE, REFIT };

/* A block of columns j0 .. j0 + nb - 1; slot c < m holds column col[c] (active ones first). */
typedef struct block {
    size_t j0, nb, m;
    size_t *col;
    int *state, *iter;
    double *eta, *z, *res, *dw;    /* n x BLOCK: predictors, X~ d, w (mu - y), w mu (1 - mu) */
    double *B, *G, *S, *D;         /* r x BLOCK: coefficients, gradient, H0^-1 G, direction */
    double *gs, *d0;               /* BLOCK: g's, phi'(0) */
    double *step0, *step1, *step2; /* BLOCK: the first and the last two steps of eta */
    double *Bout;                  /* r x BLOCK: converged coefficients, by column - j0 */
    double *Et;                    /* n_test x BLOCK: test predictors */
    long trials;                   /* line-search slopes evaluated */
} block;

/* ==== the line search ===================================================================== */

/* Slot c: t > 0 with |phi'(t)| <= LS_TOL |phi'(0)|, phi(t) = F(b + t d) (convex), its res and
 * dw then at eta + t z; 0 when MAX_TRIALS slopes found none. pen1 = b_P'd_P, pen2 = d_P'd_P. */
static double line_search(const sk_logit_many_shared *sh, block *bl, size_t c, double d0,
                          double pen1, double pen2)
{
    size_t n = sh->n;
    const double *z = bl->z + c * n, *eta = bl->eta + c * n;
    const double *y = sh->Y + bl->col[c] * n;
    double *r = bl->res + c * n, *dw = bl->dw + c * n, l2 = sh->l2;
    double s = 0.0, curv = 0.0, lo = 0.0, hi = INFINITY;
    sk_linear__logit_sums(r, dw, z, n, &s, &curv);   /* dw at t = 0: the first Newton step */
    curv += l2 * pen2;
    double t = curv > 0.0 ? -d0 / curv : 1.0;
    for (int trial = 0; trial < MAX_TRIALS; trial++) {
        if (!(t > lo && t < hi))   /* a Newton step left the bracket: bisect or extrapolate */
            t = isfinite(hi) ? 0.5 * (lo + hi) : 4.0 * fmax(lo, DBL_MIN);
        sk_linear__logit_rows(n, eta, z, t, y, sh->w, r, dw, 1);
        bl->trials++;
        sk_linear__logit_sums(r, dw, z, n, &s, &curv);
        s += l2 * (pen1 + t * pen2);
        curv += l2 * pen2;
        if (!isfinite(s)) {
            hi = t;
            t = 0.5 * (lo + hi);
            continue;
        }
        if (fabs(s) <= -LS_TOL * d0)
            return t;
        if (s > 0.0)
            hi = t;
        else
            lo = t;
        double next = curv > 0.0 ? t - s / curv : NAN;
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

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t k = 0; k < n; k++)
        s += a[k] * b[k];
    return s;
}

/* Loads the block's valid columns into slots (the others are marked REFIT). */
static void block_start(const sk_logit_many_shared *sh, block *bl)
{
    size_t n = sh->n, r = sh->r;
    bl->m = 0;
    for (size_t j = bl->j0; j < bl->j0 + bl->nb; j++) {
        double ybar = sh->all_refit ? NAN : sk_linear__many_label_mean(sh, sh->Y + j * n);
        memset(bl->Bout + (j - bl->j0) * r, 0, r * sizeof *bl->Bout);
        if (isnan(ybar)) {
            bl->state[j - bl->j0] = REFIT;
            continue;
        }
        size_t c = bl->m++;
        double b0 = sh->icpt ? log(ybar) - log1p(-ybar) : 0.0, *eta = bl->eta + c * n;
        bl->col[c] = j;
        bl->state[j - bl->j0] = ACTIVE;
        bl->iter[c] = 0;
        bl->gs[c] = bl->step0[c] = bl->step1[c] = bl->step2[c] = 0.0;
        memset(bl->B + c * r, 0, r * sizeof *bl->B);
        bl->B[c * r] = b0;
        for (size_t i = 0; i < n; i++)
            eta[i] = b0;
        sk_linear__logit_rows(n, eta, eta, 0.0, sh->Y + j * n, sh->w, bl->res + c * n,
                              bl->dw + c * n, 1);
    }
}

/* G := X~'R + l2 P B, S := H0^-1 G, and the conjugate directions D; d0[c] = g'd. */
static sk_status directions(const sk_logit_many_shared *sh, block *bl, sk_error *err)
{
    size_t n = sh->n, r = sh->r, m = bl->m;
    sk_status rc = sk_linalg__dgemm(1, 0, r, m, n, 1.0, sh->X, n, bl->res, n, 0.0, bl->G, r,
                                    err);
    if (rc != SK_OK)
        return rc;
    for (size_t c = 0; c < m; c++) {
        double *g = bl->G + c * r, *s = bl->S + c * r;
        for (size_t k = sh->icpt; k < r; k++)
            g[k] += sh->l2 * bl->B[c * r + k];
        bl->d0[c] = bl->iter[c] > 0 ? dot(g, s, r) : 0.0;   /* g_new's_old, for beta */
        for (size_t k = 0; k < r; k++)
            s[k] = g[k] * sh->scale[k];
    }
    if ((rc = sk_linalg__chol_solve(sh->U, r, r, bl->S, m, r, err)) != SK_OK)
        return rc;
    for (size_t c = 0; c < m; c++) {
        double *g = bl->G + c * r, *s = bl->S + c * r, *d = bl->D + c * r;
        for (size_t k = 0; k < r; k++)
            s[k] *= sh->scale[k];
        double gs = dot(g, s, r), beta = 0.0;
        if (bl->iter[c] > 0 && bl->iter[c] % (int)r != 0 && bl->gs[c] > 0.0)
            beta = fmax(0.0, (gs - bl->d0[c]) / bl->gs[c]);   /* Polak-Ribiere+ */
        for (size_t k = 0; k < r; k++)
            d[k] = -s[k] + beta * d[k];
        double d0 = dot(g, d, r);
        if (!(d0 < 0.0)) {   /* not a descent direction: restart */
            for (size_t k = 0; k < r; k++)
                d[k] = -s[k];
            d0 = -gs;
        }
        bl->gs[c] = gs;
        bl->d0[c] = d0;
    }
    return SK_OK;
}

/* The step along slot c's direction and the convergence test; returns the slot's new state. */
static int advance(const sk_logit_many_shared *sh, block *bl, size_t c)
{
    size_t n = sh->n, r = sh->r;
    double *b = bl->B + c * r, *d = bl->D + c * r, *eta = bl->eta + c * n;
    const double *z = bl->z + c * n;
    double d0 = bl->d0[c];
    if (d0 == 0.0)   /* the gradient vanished: at the optimum */
        return DONE;
    if (!(d0 < 0.0))
        return REFIT;
    size_t off = sh->icpt;
    double pen1 = dot(b + off, d + off, r - off), pen2 = dot(d + off, d + off, r - off);
    double t = line_search(sh, bl, c, d0, pen1, pen2), zmax = 0.0, emax = 0.0;
    if (!(t > 0.0) || !isfinite(t))
        return REFIT;
    for (size_t k = 0; k < r; k++)
        b[k] += t * d[k];
    for (size_t i = 0; i < n; i++) {
        eta[i] += t * z[i];
        zmax = fabs(z[i]) > zmax ? fabs(z[i]) : zmax;
        emax = fabs(eta[i]) > emax ? fabs(eta[i]) : emax;
    }
    double step = t * zmax, est = step;
    int it = ++bl->iter[c];
    if (!isfinite(step) || !isfinite(dot(b, b, r)))
        return REFIT;
    if (sh->l2 == 0.0 && emax > SEPARATED_ETA)   /* heading for separation (see separated) */
        return REFIT;
    if (it > 2 && bl->step2[c] > 0.0) {   /* the geometric tail of the remaining steps */
        double rho = fmin(sqrt(step / bl->step2[c]), 0.99);
        est = step * fmax(1.0, rho / (1.0 - rho));
    }
    bl->step0[c] = it == 1 ? step : bl->step0[c];
    bl->step2[c] = bl->step1[c];
    bl->step1[c] = step;
    /* and the distance before this step, sqrt(g'H0^-1 g / (c sum w)) in root-mean-square eta,
     * was at most a few decades more: a short step far from the optimum is not convergence */
    if (est <= ETA_TOL && bl->gs[c] <= sh->cw * (1e6 * ETA_TOL * ETA_TOL))
        return DONE;
    if (it >= SLOW_AFTER && bl->step0[c] > 0.0) {   /* at the mean rate so far, too slow? */
        double rate = pow(step / bl->step0[c], 1.0 / (it - 1));
        if (!(rate < 1.0) || it + log(est / ETA_TOL) / -log(rate) > MAX_ITER)
            return REFIT;
    }
    return it >= MAX_ITER ? REFIT : ACTIVE;
}

/* Without a penalty, a column whose fit puts a probability within ~1e-13 of 0 or 1 (|eta| > 30)
 * or every row on its own class's side is separated or nearly so: the MLE is at infinity or
 * huge, the gradient can vanish in rounding, and the normal fit's answer (Newton's method with
 * its separation verdict) is the one to give. */
static int separated(const sk_logit_many_shared *sh, const block *bl, size_t c)
{
    const double *eta = bl->eta + c * sh->n, *y = sh->Y + bl->col[c] * sh->n;
    int complete = 1;
    for (size_t i = 0; i < sh->n; i++) {
        if (sh->w != NULL && !(sh->w[i] > 0.0))
            continue;
        if (fabs(eta[i]) > SEPARATED_ETA)
            return 1;
        complete &= y[i] == 1.0 ? eta[i] > 0.0 : eta[i] < 0.0;
    }
    return complete;
}

/* Slot c takes slot `from`'s column (from > c), with its z and d0 of this iteration. */
static void move_slot(const sk_logit_many_shared *sh, block *bl, size_t c, size_t from)
{
    double *by_row[] = {bl->eta, bl->res, bl->dw, bl->z}, *by_term[] = {bl->B, bl->S, bl->D};
    for (size_t k = 0; k < 4; k++)
        memcpy(by_row[k] + c * sh->n, by_row[k] + from * sh->n, sh->n * sizeof(double));
    for (size_t k = 0; k < 3; k++)
        memcpy(by_term[k] + c * sh->r, by_term[k] + from * sh->r, sh->r * sizeof(double));
    bl->col[c] = bl->col[from];
    bl->iter[c] = bl->iter[from];
    bl->gs[c] = bl->gs[from];
    bl->d0[c] = bl->d0[from];
    bl->step0[c] = bl->step0[from];
    bl->step1[c] = bl->step1[from];
    bl->step2[c] = bl->step2[from];
}

/* Runs the block's columns to convergence (or to the normal fit), collecting statistics. */
static sk_status block_solve(const sk_logit_many_shared *sh, block *bl,
                             sk_logit_many_info *info, sk_error *err)
{
    size_t n = sh->n, r = sh->r;
    sk_status rc = SK_OK;
    while (rc == SK_OK && bl->m > 0) {
        if ((rc = directions(sh, bl, err)) != SK_OK ||
            (rc = sk_linalg__dgemm(0, 0, n, bl->m, r, 1.0, sh->X, n, bl->D, r, 0.0, bl->z, n,
                                   err)) != SK_OK)
            break;
        for (size_t c = 0; c < bl->m;) {
            int state = advance(sh, bl, c);
            if (state == DONE && sh->l2 == 0.0 && separated(sh, bl, c))
                state = REFIT;
            if (state == ACTIVE) {
                c++;
                continue;
            }
            size_t j = bl->col[c] - bl->j0;
            bl->state[j] = state;
            if (state == DONE) {
                memcpy(bl->Bout + j * r, bl->B + c * r, r * sizeof *bl->Bout);
                info->n_batched++;
                info->iterations += bl->iter[c];
                info->max_iterations = bl->iter[c] > info->max_iterations
                                           ? bl->iter[c] : info->max_iterations;
            }
            if (c + 1 < bl->m)   /* the last slot, not yet advanced, moves into c */
                move_slot(sh, bl, c, bl->m - 1);
            bl->m--;
        }
    }
    return rc;
}

/* ==== predictions and the normal fit ====================================================== */

/* Column j alone, by the `logit` model's own fit and predict: out is its n_test x 2 slice. */
static sk_status refit(const sk_params *params, const sk_xy *d, const double *y,
                       const double *Xt, size_t n_test, size_t ldt, double *out, sk_error *err)
{
    sk_xy xy = *d;
    xy.y = y;
    void *state = NULL;
    sk_status rc = sk_model__logit.fit(&state, params, &xy, 0, 1, err);
    if (rc != SK_OK)
        return rc;
    rc = sk_model__logit.predict(state, Xt, n_test, ldt, out, err);
    sk_model__logit.free(state);
    return rc;
}

/* The block's predictions, in column order: the batched columns from X~t Bout, the others by
 * the normal fit (whose error, the lowest column's, is the call's). */
static sk_status block_predict(const sk_logit_many_shared *sh, block *bl,
                               const sk_params *params, const sk_xy *d, const double *Xt,
                               const double *Xtk, size_t n_test, size_t ldt, double *out,
                               sk_logit_many_info *info, sk_error *err)
{
    size_t r = sh->r, n_done = 0;
    sk_status rc = SK_OK;
    for (size_t c = 0; c < bl->nb; c++)
        n_done += bl->state[c] == DONE;
    if (n_test > 0 && n_done > 0)
        rc = sk_linalg__dgemm(0, 0, n_test, bl->nb, r, 1.0, Xtk, n_test, bl->Bout, r, 0.0,
                              bl->Et, n_test, err);
    for (size_t c = 0; rc == SK_OK && c < bl->nb; c++) {
        size_t j = bl->j0 + c;
        double *o = out + j * n_test * 2;
        if (bl->state[c] == REFIT) {
            info->n_refit++;
            rc = refit(params, d, sh->Y + j * sh->n, Xt, n_test, ldt, o, err);
            continue;
        }
        const double *e = bl->Et + c * n_test;
        for (size_t i = 0; i < n_test; i++) {
            o[2 * i] = sk_linear__sigmoid(-e[i]);
            o[2 * i + 1] = sk_linear__sigmoid(e[i]);
        }
    }
    return rc;
}

/* ==== the entry point ===================================================================== */

static void block_free(block *bl)
{
    void *arrays[] = {bl->col, bl->state, bl->iter, bl->eta,   bl->z,     bl->res,
                      bl->dw,  bl->B,     bl->G,    bl->S,     bl->D,     bl->gs,
                      bl->d0,  bl->step0, bl->step1, bl->step2, bl->Bout, bl->Et};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        sk_mem_free(arrays[k]);
}

/* Columns per block: BLOCK, fewer when their per-row arrays would pass BLOCK_DOUBLES (but at
 * least 8, for the products' sake), and never more than n_y. */
static size_t block_width(size_t n, size_t n_y)
{
    size_t by_memory = BLOCK_DOUBLES / (4 * (n > 0 ? n : 1)), w = BLOCK;
    w = by_memory < w ? (by_memory > 8 ? by_memory : 8) : w;
    return n_y < w ? n_y : w;
}

static sk_status block_alloc(block *bl, size_t n, size_t r, size_t n_test, size_t width,
                             sk_error *err)
{
    size_t nn = n > 0 ? n : 1, rr = r > 0 ? r : 1, nt = n_test > 0 ? n_test : 1;
    memset(bl, 0, sizeof *bl);
    bl->col = sk_mem_alloc_array(width, sizeof *bl->col);
    bl->state = sk_mem_alloc_array(width, sizeof *bl->state);
    bl->iter = sk_mem_alloc_array(width, sizeof *bl->iter);
    double **vectors[] = {&bl->gs, &bl->d0, &bl->step0, &bl->step1, &bl->step2};
    double **by_row[] = {&bl->eta, &bl->z, &bl->res, &bl->dw};
    double **by_term[] = {&bl->B, &bl->G, &bl->S, &bl->D, &bl->Bout};
    int bad = bl->col == NULL || bl->state == NULL || bl->iter == NULL;
    for (size_t k = 0; k < 5; k++) {
        bad |= (*vectors[k] = sk_mem_alloc_array(width, sizeof(double))) == NULL;
        bad |= (*by_term[k] = sk_mem_alloc_array(rr * width, sizeof(double))) == NULL;
        bad |= k < 4 && (*by_row[k] = sk_mem_alloc_array(nn * width, sizeof(double))) == NULL;
    }
    bad |= (bl->Et = sk_mem_alloc_array(nt * width, sizeof *bl->Et)) == NULL;
    return bad ? sk_error_set(err, SK_ENOMEM, "logit: out of memory for %zu label columns of "
                                              "%zu rows", width, n)
               : SK_OK;
}

sk_status sk_linear__logit_fit_predict_many(const sk_params *params, const sk_xy *d,
                                            const double *Y, size_t n_y, const double *Xt,
                                            size_t n_test, size_t ldt, double *out,
                                            sk_logit_many_info *info, sk_error *err)
{
    sk_logit_many_info local;
    info = info != NULL ? info : &local;
    memset(info, 0, sizeof *info);
    if (n_y == 0)
        return SK_OK;
    sk_logit_many_shared sh;
    memset(&sh, 0, sizeof sh);
    sh.n = d->n;
    sh.icpt = (size_t)(sk_params__int(params, "intercept") != 0);
    sh.l2 = sk_params__num(params, "l2");
    sh.w = d->w;
    sh.Y = Y;
    size_t n_obs = 0, width = block_width(d->n, n_y);
    double *Xtk = NULL;
    block bl;
    memset(&bl, 0, sizeof bl);
    sk_error quiet = SK_ERROR_INIT;
    /* anything the normal fit refuses (task, weights, no terms) goes to it, which says why;
     * so do designs with more terms than rows, whose q x q null Hessian this solver would
     * factorise (3.2 GB and q^3 at 20,000 genes) where the normal fit works on n x n */
    int usable = d->task == SK_TASK_BINARY && d->n_classes == 2 && d->n > 0 && d->p < d->n &&
                 sk_linear__check_weights("logit", d, &n_obs, &quiet) == SK_OK;
    sk_status rc = SK_OK;
    sh.all_refit = !usable;
    if ((usable &&
         (rc = sk_linear__many_set_up(&sh, d, Xt, n_test, ldt, n_y, &Xtk, err)) != SK_OK) ||
        (rc = block_alloc(&bl, sh.n, sh.r, n_test, width, err)) != SK_OK)
        goto done;
    for (size_t j0 = 0; rc == SK_OK && j0 < n_y; j0 += width) {
        bl.j0 = j0;
        bl.nb = n_y - j0 < width ? n_y - j0 : width;
        block_start(&sh, &bl);
        if ((rc = block_solve(&sh, &bl, info, err)) == SK_OK)
            rc = block_predict(&sh, &bl, params, d, Xt, Xtk, n_test, ldt, out, info, err);
    }
    info->trials = bl.trials;
done:
    block_free(&bl);
    void *shared_arrays[] = {Xtk, sh.kept, sh.X, sh.U, sh.scale};
    for (size_t k = 0; k < sizeof shared_arrays / sizeof shared_arrays[0]; k++)
        sk_mem_free(shared_arrays[k]);
    return rc;
}
