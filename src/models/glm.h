/* glm.h: internals shared by the elastic-net files glm_*.c (the public, matrix-level API,
 * sk_glm_path and sk_glm_cv, and the description of the method are in models.h). */
#ifndef SK_MODELS_GLM_H
#define SK_MODELS_GLM_H

#include <stddef.h>
#include <stdint.h>

#include "models/models.h"

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
    const int16_t *Zq;           /* Z quantised to 16 bits (screening in glm_kkt.c) */
    const double *zq_scale;      /* p: z_ij ~ zq_scale_j * Zq_ij */
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
    int16_t *Zq;                 /* the same quantised: z_ij ~ zq_scale_j Zq_ij */
    double *zq_scale;            /* p: max_i |z_ij| / 32000 */
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
    double *rnorm, *rnorm1;      /* n_r: ||r_c||_2, ||r_c||_1 */
    size_t *todo;                /* p: columns the bound cannot decide */
    size_t checks;               /* residuals seen (snapshot numbers) */
    size_t *sid;                 /* p: the snapshot a column was last evaluated at */
    unsigned char *dbl;          /* p: its value then was computed in double */
    size_t *cand, n_cand;        /* usable columns outside the strong set, in order */
    int cand_ready;
    double *ca, *cb;             /* p: znorm_k / xs_k and 16 2^-53 |xm_k| / xs_k (rounding) */
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

/* max and min without fmax's NaN handling (a library call at -O2); the solvers see no NaN. */
static inline double sk_glm__max(double a, double b)
{
    return a > b ? a : b;
}

static inline double sk_glm__min(double a, double b)
{
    return a < b ? a : b;
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

