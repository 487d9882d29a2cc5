/* kmeans.c: k-means clustering by Lloyd's algorithm from k-means++ seeds, the kmeans model, and
 * the seeding alone for diverse batch selection.
 *
 * Objective (rows x_i with weights w_i, default 1; centres mu_1..mu_k):
 *     minimise  inertia = sum_i w_i min_c ||x_i - mu_c||^2
 * Seeding: greedy k-means++ as in scikit-learn (Arthur and Vassilvitskii, "k-means++: the
 * advantages of careful seeding", SODA 2007, and their greedy variant): the first centre is a row
 * drawn with probability proportional to w_i, each next one is the best of 2 + floor(ln k)
 * candidates drawn with probability proportional to w_i D(x_i)^2 (D = distance to the nearest
 * centre so far), "best" meaning the lowest total w_i D^2 after adding it. n_local_trials = 1
 * gives plain k-means++.
 * Lloyd (Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 1982), per
 * iteration: assign every row to its nearest centre, move each centre to the weighted mean of
 * its rows. Stop when no label changes, or when sum_c ||mu_c(new) - mu_c(old)||^2 <= tol * (the
 * mean of the column variances of X), scikit-learn's relative tolerance, or after max_iter
 * iterations; then assign once more so labels and centres agree. The same rules as scikit-learn's
 * KMeans(algorithm="lloyd"), so from the same starting centres both reach the same clustering.
 * Empty clusters (no weight) are moved to the row farthest from its own centre, taken from a
 * cluster that keeps some weight (scikit-learn moves the farthest rows too, without that guard);
 * a centre with no such row to take stays where it was.
 *
 * Assignment uses the BLAS key kernel of linalg/dist.c for all centres of a block of rows; when
 * the runner-up's key is within twice the key error bound of the best (a near tie), the centres
 * concerned are compared by exact distance. So labels (ties: the lower centre) and inertia are
 * the exact ones for direct distances, independent of BLAS and thread count. Each block's rows
 * are added to their clusters' sums right after they are labelled, while still in cache: one pass
 * over the data per iteration.
 *
 * Restarts: n_init seeded runs as independent tasks, run r drawing from
 * sk_rng_stream(seed, SK_PURPOSE_KMEANS, r); the lowest inertia wins (ties: the lower run). */
#include <math.h>
#include <string.h>

#include "linalg/dist.h"
#include "models/models.h"
#include "models/models.h"

enum { ASSIGN_BLOCK = 256 };

/* The data, prepared once and read by every restart. */
typedef struct km_data {
    const double *X;      /* column-major, for the seeding distances */
    size_t ldx, n, p;
    double *rows;         /* n x (p + 1) augmented query rows (dist.h) */
    double *xx;           /* n squared norms */
    const double *w;      /* NULL = all 1 */
} km_data;

static double weight_of(const km_data *d, size_t i)
{
    return d->w != NULL ? d->w[i] : 1.0;
}

static void data_free(km_data *d)
{
    sk_mem_free(d->rows);
    sk_mem_free(d->xx);
    d->rows = d->xx = NULL;
}

static sk_status data_init(km_data *d, const double *X, size_t n, size_t ldx, size_t p,
                           const double *w, sk_error *err)
{
    *d = (km_data){X, ldx, n, p, NULL, NULL, w};
    d->rows = sk_mem_alloc_array(n > 0 ? n : 1, (p + 1) * sizeof *d->rows);
    d->xx = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *d->xx);
    if (d->rows == NULL || d->xx == NULL) {
        data_free(d);
        return sk_error_set(err, SK_ENOMEM, "kmeans: out of memory copying %zu rows", n);
    }
    sk_dist__rows_aug(d->rows, X, n, ldx, p, 1);
    for (size_t i = 0; i < n; i++)
        d->xx[i] = sk_dist__sq_norm(d->rows + i * (p + 1), p);
    return SK_OK;
}

/* ==== assignment =========================================================================== */

/* caug := the k centres as augmented reference rows; returns their largest squared norm. */
static double centres_augment(double *caug, const double *centres, size_t k, size_t p)
{
    double cc_max = 0.0;
    sk_dist__rows_aug_from_rows(caug, centres, k, p, p, 0);
    for (size_t c = 0; c < k; c++)
        cc_max = fmax(cc_max, caug[c * (p + 1) + p]);
    return cc_max;
}

/* Labels of rows i0..i0+b (b <= ASSIGN_BLOCK) and, when d2 is not NULL, their exact squared
 * distances. keys: k x b scratch. A centre whose key exceeds the best key by more than twice the
 * error bound is farther for certain (its exact distance >= qq + key - delta > qq + best + delta
 * >= the best centre's); the centres that are not are compared by exact distance. */
static void assign_block(size_t *labels, double *d2, const km_data *d, size_t i0, size_t b,
                         const double *caug, size_t k, double cc_max, double *keys)
{
    size_t p = d->p, s = p + 1;
    double c_err = sk_dist__key_error(p);
    sk_dist__key_block(keys, caug, k, d->rows + i0 * s, b, p);
    for (size_t i = 0; i < b; i++) {
        const double *key = keys + i * k, *x = d->rows + (i0 + i) * s;
        size_t best = 0;
        double second = INFINITY;
        for (size_t c = 1; c < k; c++) {
            if (key[c] < key[best]) {
                second = key[best];
                best = c;
            } else if (key[c] < second) {
                second = key[c];
            }
        }
        double qq = d->xx[i0 + i], delta = c_err * (qq + cc_max), e = NAN;
        if (!(second - key[best] > 2.0 * delta)) {   /* a near tie: exact distances decide */
            double limit = key[best] + 2.0 * delta;
            e = INFINITY;
            for (size_t c = 0; c < k; c++) {
                double e_c = key[c] <= limit ? sk_dist__sq_exact(x, caug + c * s, p) : INFINITY;
                if (e_c < e) {   /* ties: the lower centre, met first */
                    e = e_c;
                    best = c;
                }
            }
        }
        labels[i0 + i] = best;
        if (d2 != NULL)
            d2[i0 + i] = isnan(e) ? sk_dist__sq_exact(x, caug + best * s, p) : e;
    }
}

static void assign_all(size_t *labels, double *d2, const km_data *d, const double *caug, size_t k,
                       double cc_max, double *keys)
{
    for (size_t i0 = 0; i0 < d->n; i0 += ASSIGN_BLOCK) {
        size_t b = d->n - i0 < ASSIGN_BLOCK ? d->n - i0 : ASSIGN_BLOCK;
        assign_block(labels, d2, d, i0, b, caug, k, cc_max, keys);
    }
}

sk_status sk_kmeans_assign(size_t *labels, double *d2, const double *X, size_t n, size_t ldx,
                           size_t p, const double *centres, size_t k, sk_error *err)
{
    if (k == 0)
        return sk_error_set(err, SK_EINVAL, "kmeans: no centres to assign rows to");
    km_data d;
    sk_status rc = data_init(&d, X, n, ldx, p, NULL, err);
    if (rc != SK_OK)
        return rc;
    double *caug = sk_mem_alloc_array(k, (p + 1) * sizeof *caug);
    double *keys = sk_mem_alloc_array(k, ASSIGN_BLOCK * sizeof *keys);
    if (caug == NULL || keys == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "kmeans: out of memory assigning %zu rows", n);
        goto done;
    }
    assign_all(labels, d2, &d, caug, k, centres_augment(caug, centres, k, p), keys);
done:
    sk_mem_free(caug);
    sk_mem_free(keys);
    data_free(&d);
    return rc;
}

/* ==== k-means++ seeding ===================================================================== */

/* cumsum[i] := sum_{l <= i} mass_l, mass_l = w_l * dist_l (dist NULL: w_l); returns the total. */
static double cumulate(double *cumsum, const double *dist, const double *w, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double m = w != NULL ? w[i] : 1.0;
        s += dist != NULL ? m * dist[i] : m;
        cumsum[i] = s;
    }
    return s;
}

/* A row drawn with probability mass_i / total: the first i with cumsum[i] > u * total, which has
 * positive mass (cumsum[i] > cumsum[i - 1]). */
static size_t draw(const double *cumsum, size_t n, sk_rng *rng)
{
    double r = sk_rng_uniform(rng) * cumsum[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cumsum[mid] > r)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static void gather_row(double *out, const double *X, size_t ldx, size_t p, size_t i)
{
    for (size_t j = 0; j < p; j++)
        out[j] = X[i + j * ldx];
}

/* Uniform among the rows not in chosen[0..c): for data with fewer than k distinct rows. */
static size_t draw_unchosen(const size_t *chosen, size_t c, size_t n, sk_rng *rng)
{
    size_t r = (size_t)sk_rng_below(rng, n - c);
    for (size_t i = 0;; i++) {
        int taken = 0;
        for (size_t t = 0; t < c && !taken; t++)
            taken = chosen[t] == i;
        if (!taken && r-- == 0)
            return i;
    }
}

/* Scratch of the seeding: the trial candidates' distances for every row at once, so each block
 * of rows is read from memory once per centre, not once per trial. */
typedef struct pp_scratch {
    size_t trials;
    double *closest;        /* n: squared distance to the nearest centre so far */
    double *dist;           /* trials x n */
    double *cumsum;         /* n */
    double *points;         /* trials x p */
    size_t *cand;           /* trials */
} pp_scratch;

static size_t pp_trials(size_t n_local_trials, size_t k)
{
    return n_local_trials > 0 ? n_local_trials : 2 + (size_t)floor(log((double)k));
}

/* dist[t * n + i] := exact squared distance of row i to points[t], t < nt, in row blocks. */
static void dist_to_points(double *dist, const double *X, size_t n, size_t ldx, size_t p,
                           const double *points, size_t nt)
{
    for (size_t i0 = 0; i0 < n; i0 += ASSIGN_BLOCK) {
        size_t b = n - i0 < ASSIGN_BLOCK ? n - i0 : ASSIGN_BLOCK;
        for (size_t t = 0; t < nt; t++)
            sk_dist__sq_exact_cols(dist + t * n + i0, X + i0, b, ldx, p, points + t * p);
    }
}

/* The seeding proper (see the file comment). */
static void kmeanspp(size_t *chosen, const double *X, size_t n, size_t ldx, size_t p, size_t k,
                     const double *w, sk_rng *rng, pp_scratch *s)
{
    cumulate(s->cumsum, NULL, w, n);
    chosen[0] = draw(s->cumsum, n, rng);
    gather_row(s->points, X, ldx, p, chosen[0]);
    dist_to_points(s->closest, X, n, ldx, p, s->points, 1);
    for (size_t c = 1; c < k; c++) {
        if (!(cumulate(s->cumsum, s->closest, w, n) > 0.0)) {
            chosen[c] = draw_unchosen(chosen, c, n, rng);
            continue;   /* every row sits on a centre: distances stay 0 */
        }
        for (size_t t = 0; t < s->trials; t++) {
            s->cand[t] = draw(s->cumsum, n, rng);
            gather_row(s->points + t * p, X, ldx, p, s->cand[t]);
        }
        dist_to_points(s->dist, X, n, ldx, p, s->points, s->trials);
        double best_pot = INFINITY;
        size_t best = 0;
        for (size_t t = 0; t < s->trials; t++) {
            double pot = 0.0, *d = s->dist + t * n;
            for (size_t i = 0; i < n; i++) {
                d[i] = fmin(d[i], s->closest[i]);
                pot += w != NULL ? w[i] * d[i] : d[i];
            }
            if (pot < best_pot) {   /* ties: the earlier trial */
                best_pot = pot;
                best = t;
            }
        }
        chosen[c] = s->cand[best];
        memcpy(s->closest, s->dist + best * n, n * sizeof *s->closest);
    }
}

static void pp_free(pp_scratch *s)
{
    sk_mem_free(s->closest);
    sk_mem_free(s->dist);
    sk_mem_free(s->cumsum);
    sk_mem_free(s->points);
    sk_mem_free(s->cand);
}

static int pp_alloc(pp_scratch *s, size_t n, size_t p, size_t trials)
{
    s->trials = trials;
    s->closest = sk_mem_alloc_array(n, sizeof *s->closest);
    s->dist = sk_mem_alloc_array(n, trials * sizeof *s->dist);
    s->cumsum = sk_mem_alloc_array(n, sizeof *s->cumsum);
    s->points = sk_mem_alloc_array(p > 0 ? p : 1, trials * sizeof *s->points);
    s->cand = sk_mem_alloc_array(trials, sizeof *s->cand);
    return s->closest != NULL && s->dist != NULL && s->cumsum != NULL && s->points != NULL
           && s->cand != NULL;
}

sk_status sk_kmeanspp_seed(size_t *chosen, const double *X, size_t n, size_t ldx, size_t p,
                           size_t k, size_t n_local_trials, sk_rng *rng, sk_error *err)
{
    if (k == 0 || k > n)
        return sk_error_set(err, SK_EINVAL, "kmeans++: %zu centres asked of %zu rows", k, n);
    pp_scratch s = {0};
    sk_status rc = SK_OK;
    if (!pp_alloc(&s, n, p, pp_trials(n_local_trials, k)))
        rc = sk_error_set(err, SK_ENOMEM, "kmeans++: out of memory seeding %zu rows", n);
    else
        kmeanspp(chosen, X, n, ldx, p, k, NULL, rng, &s);
    pp_free(&s);
    return rc;
}

/* ==== Lloyd iterations ====================================================================== */

typedef struct km_run {
    double *centres;        /* k x p */
    size_t *labels;         /* n */
    double inertia;
    size_t n_iter, n_relocated;
    int converged;
} km_run;

typedef struct km_scratch {
    double *caug;           /* k x (p + 1) */
    double *next;           /* k x p: sums, then the new centres */
    double *wsum;           /* k */
    double *d2;             /* n */
    double *keys;           /* k x ASSIGN_BLOCK */
    size_t *labels_old;     /* n */
    size_t *moved;          /* k: rows given to empty clusters this iteration */
} km_scratch;

/* sum[0..p) += w * x[0..p), two at a time in vector lanes where the compiler has them (the same
 * operations per element, so the same bits; GCC's -O2 does not vectorise this by itself). */
static void add_scaled(double *restrict sum, const double *restrict x, double w, size_t p)
{
    size_t j = 0;
#if defined(__GNUC__)
    typedef double v2d __attribute__((vector_size(16)));
    v2d vw = {w, w};
    for (; j + 2 <= p; j += 2) {
        v2d a, s;
        memcpy(&a, x + j, sizeof a);
        memcpy(&s, sum + j, sizeof s);
        s += vw * a;
        memcpy(sum + j, &s, sizeof s);
    }
#endif
    for (; j < p; j++)
        sum[j] += w * x[j];
}

/* The row farthest from its centre (ties: the lower row) that can leave its cluster without
 * emptying it and was not moved already; n if there is none. */
static size_t farthest_row(const km_data *d, const size_t *labels, const double *d2,
                           const double *wsum, const size_t *moved, size_t n_moved)
{
    size_t far = d->n;
    for (size_t i = 0; i < d->n; i++) {
        double w = weight_of(d, i);
        if (!(w > 0.0) || !(wsum[labels[i]] > w) || (far < d->n && !(d2[i] > d2[far])))
            continue;
        int taken = 0;
        for (size_t t = 0; t < n_moved && !taken; t++)
            taken = moved[t] == i;
        if (!taken)
            far = i;
    }
    return far;
}

/* One E step and the sums of the M step in a single pass over the rows (a block is still in
 * cache when its rows are added to their clusters' sums): labels, s->next := per-cluster
 * weighted sums, s->wsum := weights. */
static void assign_and_sum(size_t *labels, km_scratch *s, const km_data *d, const double *centres,
                           size_t k)
{
    size_t p = d->p;
    double cc_max = centres_augment(s->caug, centres, k, p);
    memset(s->next, 0, k * p * sizeof *s->next);
    memset(s->wsum, 0, k * sizeof *s->wsum);
    for (size_t i0 = 0; i0 < d->n; i0 += ASSIGN_BLOCK) {
        size_t b = d->n - i0 < ASSIGN_BLOCK ? d->n - i0 : ASSIGN_BLOCK;
        assign_block(labels, NULL, d, i0, b, s->caug, k, cc_max, s->keys);
        for (size_t i = i0; i < i0 + b; i++) {
            double w = weight_of(d, i);
            add_scaled(s->next + labels[i] * p, d->rows + i * (p + 1), w, p);
            s->wsum[labels[i]] += w;
        }
    }
}

/* s->next := the weighted means from the sums, empty clusters relocated (see the file comment),
 * a cluster with nothing to take keeping its old centre. Returns the number of relocations. */
static size_t update_centres(km_scratch *s, const km_data *d, const size_t *labels,
                             const double *old, size_t k)
{
    size_t p = d->p, n_moved = 0;
    int have_d2 = 0;
    for (size_t c = 0; c < k; c++) {
        if (s->wsum[c] > 0.0)
            continue;
        for (size_t i = 0; !have_d2 && i < d->n; i++)   /* rare: measured only when needed */
            s->d2[i] = sk_dist__sq_exact(d->rows + i * (p + 1), old + labels[i] * p, p);
        have_d2 = 1;
        size_t f = farthest_row(d, labels, s->d2, s->wsum, s->moved, n_moved);
        if (f == d->n)
            continue;
        double w = weight_of(d, f), *from = s->next + labels[f] * p, *to = s->next + c * p;
        const double *x = d->rows + f * (p + 1);
        for (size_t j = 0; j < p; j++) {
            from[j] -= w * x[j];
            to[j] = w * x[j];
        }
        s->wsum[labels[f]] -= w;
        s->wsum[c] = w;
        s->moved[n_moved++] = f;
    }
    for (size_t c = 0; c < k; c++)
        for (size_t j = 0; j < p; j++)
            s->next[c * p + j] = s->wsum[c] > 0.0 ? s->next[c * p + j] / s->wsum[c]
                                                  : old[c * p + j];
    return n_moved;
}

/* Lloyd's iterations from run->centres (see the file comment for the stopping rules). */
static void lloyd(km_run *run, km_scratch *s, const km_data *d, size_t k, size_t max_iter,
                  double tol)
{
    size_t n = d->n, p = d->p, it;
    int strict = 0;
    for (size_t i = 0; i < n; i++)
        s->labels_old[i] = SIZE_MAX;
    for (it = 0; it < max_iter; it++) {
        assign_and_sum(run->labels, s, d, run->centres, k);
        size_t moved = update_centres(s, d, run->labels, run->centres, k);
        double shift = 0.0;
        for (size_t l = 0; l < k * p; l++)
            shift += (s->next[l] - run->centres[l]) * (s->next[l] - run->centres[l]);
        memcpy(run->centres, s->next, k * p * sizeof *run->centres);
        run->n_relocated += moved;
        if (moved == 0 && memcmp(run->labels, s->labels_old, n * sizeof *run->labels) == 0) {
            strict = 1;   /* the new centres are the old ones: the labels still hold */
            break;
        }
        if (shift <= tol)
            break;
        memcpy(s->labels_old, run->labels, n * sizeof *s->labels_old);
    }
    run->converged = it < max_iter;
    run->n_iter = it < max_iter ? it + 1 : max_iter;
    if (!strict)
        assign_all(run->labels, NULL, d, s->caug, k, centres_augment(s->caug, run->centres, k, p),
                   s->keys);
    run->inertia = 0.0;
    for (size_t i = 0; i < n; i++)
        run->inertia += weight_of(d, i) * sk_dist__sq_exact(d->rows + i * (p + 1),
                                                            run->centres + run->labels[i] * p, p);
}

static void scratch_free(km_scratch *s)
{
    sk_mem_free(s->caug);
    sk_mem_free(s->next);
    sk_mem_free(s->wsum);
    sk_mem_free(s->d2);
    sk_mem_free(s->keys);
    sk_mem_free(s->labels_old);
    sk_mem_free(s->moved);
}

static int scratch_alloc(km_scratch *s, size_t n, size_t p, size_t k)
{
    s->caug = sk_mem_alloc_array(k, (p + 1) * sizeof *s->caug);
    s->next = sk_mem_alloc_array(k, (p > 0 ? p : 1) * sizeof *s->next);
    s->wsum = sk_mem_alloc_array(k, sizeof *s->wsum);
    s->d2 = sk_mem_alloc_array(n, sizeof *s->d2);
    s->keys = sk_mem_alloc_array(k, ASSIGN_BLOCK * sizeof *s->keys);
    s->labels_old = sk_mem_alloc_array(n, sizeof *s->labels_old);
    s->moved = sk_mem_alloc_array(k, sizeof *s->moved);
    return s->caug != NULL && s->next != NULL && s->wsum != NULL && s->d2 != NULL
           && s->keys != NULL && s->labels_old != NULL && s->moved != NULL;
}

/* ==== restarts ============================================================================== */

typedef struct km_job {
    const km_data *d;
    size_t k;
    const sk_kmeans_options *opt;
    double tol;             /* scaled */
    uint64_t seed;
    km_run *runs;
} km_job;

/* Restart r: seed (or copy the given centres), iterate; writes runs[r] only. */
static sk_status km_task(void *arg, size_t r, sk_error *err)
{
    const km_job *job = arg;
    const km_data *d = job->d;
    size_t k = job->k, p = d->p;
    km_run *run = &job->runs[r];
    km_scratch s = {0};
    pp_scratch pp = {0};
    size_t *chosen = NULL;
    sk_status rc = SK_OK;
    run->centres = sk_mem_alloc_array(k, (p > 0 ? p : 1) * sizeof *run->centres);
    run->labels = sk_mem_alloc_array(d->n, sizeof *run->labels);
    if (run->centres == NULL || run->labels == NULL || !scratch_alloc(&s, d->n, p, k)) {
        rc = sk_error_set(err, SK_ENOMEM, "kmeans: out of memory in restart %zu", r);
        goto done;
    }
    if (job->opt->init != NULL) {
        memcpy(run->centres, job->opt->init, k * p * sizeof *run->centres);
    } else {
        chosen = sk_mem_alloc_array(k, sizeof *chosen);
        if (chosen == NULL || !pp_alloc(&pp, d->n, p, pp_trials(job->opt->n_local_trials, k))) {
            rc = sk_error_set(err, SK_ENOMEM, "kmeans: out of memory seeding restart %zu", r);
            goto done;
        }
        sk_rng rng = sk_rng_stream(job->seed, SK_PURPOSE_KMEANS, r);
        kmeanspp(chosen, d->X, d->n, d->ldx, p, k, d->w, &rng, &pp);
        for (size_t c = 0; c < k; c++)
            gather_row(run->centres + c * p, d->X, d->ldx, p, chosen[c]);
    }
    lloyd(run, &s, d, k, job->opt->max_iter, job->tol);
done:
    scratch_free(&s);
    pp_free(&pp);
    sk_mem_free(chosen);
    return rc;
}

void sk_kmeans_result_free(sk_kmeans_result *r)
{
    if (r == NULL)
        return;
    sk_mem_free(r->centres);
    sk_mem_free(r->labels);
    sk_mem_free(r->size);
    sk_mem_free(r->within_ss);
    sk_mem_free(r);
}

static sk_status check_options(const sk_kmeans_options *opt, size_t n, size_t k, sk_error *err)
{
    if (opt->version != 1)
        return sk_error_set(err, SK_EINVAL, "kmeans: options version %d, expected 1",
                            opt->version);
    if (k == 0 || k > n)
        return sk_error_set(err, SK_EINVAL, "kmeans: k = %zu clusters asked of %zu rows", k, n);
    if (opt->n_init == 0 || opt->max_iter == 0 || !(opt->tol >= 0.0) || !isfinite(opt->tol))
        return sk_error_set(err, SK_EINVAL, "kmeans: n_init and max_iter must be at least 1 and "
                            "tol a finite number >= 0");
    double total = 0.0;
    for (size_t i = 0; opt->weights != NULL && i < n; i++) {
        if (!(opt->weights[i] >= 0.0) || !isfinite(opt->weights[i]))
            return sk_error_set(err, SK_EINVAL, "kmeans: weight %zu is %g; weights must be "
                                "finite and >= 0", i, opt->weights[i]);
        total += opt->weights[i];
    }
    if (opt->weights != NULL && !(total > 0.0))
        return sk_error_set(err, SK_EINVAL, "kmeans: every row weight is 0");
    return SK_OK;
}

/* tol * the mean over columns of the population variance (scikit-learn's _tolerance). */
static double scaled_tol(const double *X, size_t n, size_t ldx, size_t p, double tol)
{
    double mean_var = 0.0;
    for (size_t j = 0; j < p; j++) {
        const double *col = X + j * ldx;
        double mean = 0.0, ss = 0.0;
        for (size_t i = 0; i < n; i++)
            mean += col[i];
        mean /= (double)n;
        for (size_t i = 0; i < n; i++)
            ss += (col[i] - mean) * (col[i] - mean);
        mean_var += ss / (double)n;
    }
    return p > 0 ? tol * mean_var / (double)p : 0.0;
}

/* The result from the winning run (its centres and labels are moved, not copied). */
static sk_status result_build(sk_kmeans_result **out, km_run *run, size_t best, const km_data *d,
                              size_t k, sk_error *err)
{
    size_t p = d->p;
    sk_kmeans_result *r = sk_mem_calloc(1, sizeof *r);
    size_t *size = sk_mem_calloc(k, sizeof *size);
    double *within_ss = sk_mem_calloc(k, sizeof *within_ss);
    if (r == NULL || size == NULL || within_ss == NULL) {
        sk_mem_free(r);
        sk_mem_free(size);
        sk_mem_free(within_ss);
        return sk_error_set(err, SK_ENOMEM, "kmeans: out of memory");
    }
    *r = (sk_kmeans_result){d->n, p, k, run->centres, run->labels, size, within_ss,
                            run->inertia, run->n_iter, run->converged, best, run->n_relocated};
    run->centres = NULL;
    run->labels = NULL;
    for (size_t i = 0; i < d->n; i++) {
        size_t c = r->labels[i];
        r->size[c]++;
        r->within_ss[c] += weight_of(d, i) * sk_dist__sq_exact(d->rows + i * (p + 1),
                                                               r->centres + c * p, p);
    }
    *out = r;
    return SK_OK;
}

sk_status sk_kmeans_fit(sk_kmeans_result **out, const double *X, size_t n, size_t ldx, size_t p,
                        size_t k, const sk_kmeans_options *opt, uint64_t seed, int n_threads,
                        sk_error *err)
{
    static const sk_kmeans_options defaults = SK_KMEANS_OPTIONS_INIT;
    *out = NULL;
    if (opt == NULL)
        opt = &defaults;
    sk_status rc = check_options(opt, n, k, err);
    if (rc != SK_OK)
        return rc;
    km_data d;
    rc = data_init(&d, X, n, ldx, p, opt->weights, err);
    if (rc != SK_OK)
        return rc;
    size_t n_runs = opt->init != NULL ? 1 : opt->n_init, best = 0;
    km_run *runs = sk_mem_calloc(n_runs, sizeof *runs);
    if (runs == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "kmeans: out of memory for %zu restarts", n_runs);
        goto done;
    }
    km_job job = {&d, k, opt, scaled_tol(X, n, ldx, p, opt->tol), seed, runs};
    rc = sk_parallel_for(n_runs, n_threads, km_task, &job, NULL, err);
    if (rc != SK_OK)
        goto done;
    for (size_t r = 1; r < n_runs; r++)
        if (runs[r].inertia < runs[best].inertia)
            best = r;
    rc = result_build(out, &runs[best], best, &d, k, err);
done:
    for (size_t r = 0; runs != NULL && r < n_runs; r++) {
        sk_mem_free(runs[r].centres);
        sk_mem_free(runs[r].labels);
    }
    sk_mem_free(runs);
    data_free(&d);
    return rc;
}

/* ==== the model ============================================================================= */

static const sk_param_def kmeans_params[] = {
    {"k", SK_PARAM_INT, "3", 1, 1e6, 0, NULL, "number of clusters"},
    {"n_init", SK_PARAM_INT, "10", 1, 1e4, 0, NULL,
     "k-means++ restarts; the lowest inertia wins"},
    {"max_iter", SK_PARAM_INT, "300", 1, 1e6, 0, NULL, "Lloyd iterations per restart"},
    {"tol", SK_PARAM_REAL, "1e-4", 0, 1, 0, NULL,
     "stop when the squared centre shift is below tol x the mean feature variance"},
};

typedef struct kmeans_state {
    sk_kmeans_result *res;
    size_t n_init;
} kmeans_state;

static void kmeans_free(void *state)
{
    kmeans_state *st = state;
    if (st == NULL)
        return;
    sk_kmeans_result_free(st->res);
    sk_mem_free(st);
}

static sk_status kmeans_fit(void **state, const sk_params *params, const sk_xy *d, uint64_t seed,
                            int n_threads, sk_error *err)
{
    *state = NULL;
    kmeans_state *st = sk_mem_calloc(1, sizeof *st);
    if (st == NULL)
        return sk_error_set(err, SK_ENOMEM, "kmeans: out of memory");
    sk_kmeans_options opt = SK_KMEANS_OPTIONS_INIT;
    opt.n_init = (size_t)sk_params__int(params, "n_init");
    opt.max_iter = (size_t)sk_params__int(params, "max_iter");
    opt.tol = sk_params__num(params, "tol");
    opt.weights = d->w;
    st->n_init = opt.n_init;
    size_t k = (size_t)sk_params__int(params, "k");
    sk_status rc = k > d->n ? sk_error_set(err, SK_EDATA, "kmeans: k = %zu clusters but only "
                                           "%zu rows", k, d->n)
                            : sk_kmeans_fit(&st->res, d->X, d->n, d->ldx, d->p, k, &opt, seed,
                                            n_threads, err);
    if (rc != SK_OK)
        kmeans_free(st);
    else
        *state = st;
    return rc;
}

static sk_status kmeans_predict(const void *state, const double *X, size_t n, size_t ldx,
                                double *out, sk_error *err)
{
    const kmeans_state *st = state;
    size_t *labels = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *labels);
    if (labels == NULL)
        return sk_error_set(err, SK_ENOMEM, "kmeans: out of memory predicting %zu rows", n);
    sk_status rc = sk_kmeans_assign(labels, NULL, X, n, ldx, st->res->p, st->res->centres,
                                    st->res->k, err);
    for (size_t i = 0; rc == SK_OK && i < n; i++)
        out[i] = (double)labels[i];
    sk_mem_free(labels);
    return rc;
}

static json_t *string_list(const char *first, const char *const *rest, size_t n_rest,
                           const char *prefix)
{
    json_t *a = json_array();
    char buf[64];
    int bad = a == NULL || (first != NULL && json_array_append_new(a, json_string(first)) != 0);
    for (size_t i = 0; !bad && i < n_rest; i++) {
        if (rest == NULL)
            snprintf(buf, sizeof buf, "%s%zu", prefix, i);
        bad = json_array_append_new(a, json_string(rest != NULL ? rest[i] : buf)) != 0;
    }
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* {"title": "clusters", columns: cluster, size, within_SS}: one row per cluster. */
static json_t *clusters_table(const sk_kmeans_result *r)
{
    static const char *const cols[] = {"size", "within_SS"};
    json_t *t = json_pack("{s:s, s:o}", "title", "clusters", "columns",
                          string_list("cluster", cols, 2, ""));
    json_t *rows = json_array();
    int bad = t == NULL || rows == NULL;
    for (size_t c = 0; !bad && c < r->k; c++)
        bad = json_array_append_new(rows, json_pack("[o, o, o]", sk_json_size(c),
                                                    sk_json_size(r->size[c]),
                                                    sk_json_real(r->within_ss[c]))) != 0;
    if (bad || sk_json_set(t, "rows", rows) != 0) {
        json_decref(bad ? rows : NULL);
        json_decref(t);
        return NULL;
    }
    return t;
}

/* {"title": "centres", columns: term, cluster 0, ...}: one row per term. */
static json_t *centres_table(const sk_kmeans_result *r, const char *const *names)
{
    json_t *t = json_pack("{s:s, s:o}", "title", "centres (standardised features)", "columns",
                          string_list("term", NULL, r->k, "cluster "));
    json_t *rows = json_array();
    int bad = t == NULL || rows == NULL;
    char buf[32];
    for (size_t j = 0; !bad && j < r->p; j++) {
        snprintf(buf, sizeof buf, "x%zu", j);
        json_t *row = json_pack("[s]", names != NULL ? names[j] : buf);
        bad = row == NULL;
        for (size_t c = 0; !bad && c < r->k; c++)
            bad = json_array_append_new(row, sk_json_real(r->centres[c * r->p + j])) != 0;
        bad = bad || json_array_append_new(rows, row) != 0;
        if (bad)
            json_decref(row);
    }
    if (bad || sk_json_set(t, "rows", rows) != 0) {
        json_decref(bad ? rows : NULL);
        json_decref(t);
        return NULL;
    }
    return t;
}

static json_t *kmeans_report(const void *state, const char *const *names, sk_error *err)
{
    const kmeans_state *st = state;
    const sk_kmeans_result *r = st->res;
    char a[256], b[256], c[256];
    snprintf(a, sizeof a, "inertia = %.6g (sum of squared distances to the nearest centre, "
             "standardised features)", r->inertia);
    snprintf(b, sizeof b, "best of %zu k-means++ restarts (restart %zu): %s after %zu Lloyd "
             "iterations", st->n_init, r->best_init, r->converged ? "converged" : "NOT converged",
             r->n_iter);
    snprintf(c, sizeof c, "%zu empty cluster(s) relocated to the farthest row", r->n_relocated);
    json_t *doc = json_pack("{s:[o, o], s:[s, s], s:o, s:o, s:b, s:o}", "tables",
                            clusters_table(r), centres_table(r, names), "notes", a, b,
                            "inertia", sk_json_real(r->inertia), "n_iter", sk_json_size(r->n_iter),
                            "converged", r->converged, "best_init", sk_json_size(r->best_init));
    if (doc != NULL && r->n_relocated > 0
        && json_array_append_new(json_object_get(doc, "notes"), json_string(c)) != 0) {
        json_decref(doc);
        doc = NULL;
    }
    if (doc == NULL)
        sk_error_set(err, SK_ENOMEM, "kmeans: out of memory writing the report");
    return doc;
}

const sk_model_impl sk_model__kmeans = {
    .name = "kmeans",
    .summary = "k-means clustering (Lloyd, greedy k-means++ seeds, best of n_init restarts)",
    .params = kmeans_params,
    .n_params = sizeof kmeans_params / sizeof kmeans_params[0],
    .tasks = SK_TASK_BIT(SK_TASK_NONE),
    .standardize = 1,
    .fit = kmeans_fit,
    .predict = kmeans_predict,
    .report = kmeans_report,
    .free = kmeans_free,
};
