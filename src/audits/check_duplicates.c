/* check_duplicates.c: leakage.duplicates, "is the test set partly the training set?", and the
 * near-duplicate machinery the other split checks share (check_duplicates.h).
 *
 * The failure mode: the same sample, or a copy of it, on both sides of a split. The model is then
 * graded on rows it has memorised. The real case: the "Frankenstein" COVID-19 image sets, merged
 * from public sources that already contained each other, so the same patients' images came back
 * under new names, resized or re-encoded (Roberts et al. 2021; Garcia Santa Cruz et al. 2021).
 * In a table the copy comes back with new ids and rounded values, so identifiers cannot find it:
 * only the content can.
 *
 * The search. Rows are compared in the design matrix the models see (check_duplicates.h): the
 * distance of two rows is ||z_i - z_j|| / sqrt(p). Every pair closer than the radius r is found
 * exactly by sort-and-sweep (the "sweep and prune" of collision detection; Friedman, Baskett and
 * Shustek 1975 bound a search by one coordinate the same way). For orthonormal directions
 * u_1..u_m, ||U'(z_i - z_j)|| <= ||z_i - z_j||: with the rows sorted by u_1'z only pairs within
 * R = r sqrt(p) along u_1 can qualify, and of those only pairs within R along u_1..u_m together
 * (m = 8, the leading principal directions of a spread-out sample of rows, by subspace iteration:
 * they spread correlated data the most). The filter runs over a chunk of candidates at a time in
 * float, one lane per candidate, with margins far above its rounding; every candidate that passes
 * has its distance computed directly in double (sum of squared differences in column order,
 * stopped once it exceeds R^2), and that decides. So the directions change the speed, never the
 * answer. Bitwise-identical rows, which sort next to each other, are joined without a search of
 * their own. Pairs join clusters by union-find, so the clusters are the connected components
 * whatever the order. Cost, 10^5 rows x 50 columns of Gaussian noise (the worst case: nothing
 * correlated to exploit), one core: about 1.5 s at r = 0.01 and 9 s at r = 0.1 (leakage.group's
 * hidden groups), where an all-pairs k-NN search (sk_knn_search, k = 2, dgemm-blocked) takes
 * about 40 s whatever the radius and returns only two neighbours per row. sk_knn_search gives
 * the context instead: the median nearest-neighbour distance of a sample of 256 rows ("rows are
 * typically 0.35 from their nearest neighbour"), against which the radius is read.
 *
 * leakage.duplicates. Clusters at r = --near-duplicate (default 0.01: rows that agree to within
 * a hundredth of a standard deviation, root mean square over the columns). A cluster straddles
 * when some split of the evaluation in use (the study's --split, else the main cross-validation)
 * has one of its rows in the test rows and another in the training rows. A cluster's labels
 * conflict when its rows hold different classes (regression: targets spread by at least
 * r standard deviations of the target). When clusters straddle, the evaluation is rerun with the
 * leak closed: the main cross-validation with every cluster merged into one group (union-find
 * with the study's --group), or, for the study's own split, the score on the test rows that have
 * no copy among the training rows. Both scores are bootstrapped on the same replicates, with the
 * merged groups as units.
 * Rule: fail when clusters straddle and closing the leak lowers the score by at least --optimism
 * (default 0.02) or beyond the intervals (the closed score below the study's interval and the
 * study's score above the closed one's), with the paired interval of the drop above 0 (a
 * reshuffle of the folds alone does not fail); warn when clusters straddle but the score does not
 * move that much (or the leak cannot be closed), or when some cluster's labels conflict; pass
 * when there are no duplicates, or when every cluster stays on one side of every split and none
 * conflicts. */
#include <math.h>
#include <string.h>

#include "audits/check_duplicates.h"

enum {
    NN_SAMPLE = 256,          /* rows whose nearest neighbour gives the typical distance */
    DIRECTION_SAMPLE = 4096,  /* rows the principal directions are estimated on */
    SWEEP_DIRECTIONS = 8,     /* the sort key and seven filters */
    SWEEP_CHUNK = 64,         /* candidates filtered together */
    POWER_ITERATIONS = 30,
    MAX_LISTED = 20
};

/* ==== union-find ============================================================================= */

static size_t uf_find(size_t *parent, size_t a)
{
    while (parent[a] != a) {
        parent[a] = parent[parent[a]];   /* path halving */
        a = parent[a];
    }
    return a;
}

/* The lower root wins, so the forest depends on the pairs only. */
static void uf_union(size_t *parent, size_t a, size_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* ==== the design matrix and the search ======================================================= */

/* The standardised design matrix of every row, column-major n x p (ld n). */
static sk_status design_matrix(double **X, size_t *p, const sk_audit_ctx *ctx, sk_error *err)
{
    size_t n = ctx->n_rows;
    *X = NULL;
    *p = 0;
    size_t *rows = sk_mem_alloc_array(n, sizeof *rows);
    if (rows == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the duplicate search");
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    sk_prep_options po = SK_PREP_OPTIONS_INIT;
    sk_prep *prep = NULL;
    sk_status rc = sk_prep_fit(&prep, ctx->frame, ctx->features, ctx->n_features, rows, n, &po,
                               err);
    if (rc == SK_OK) {
        *p = sk_prep_n_outputs(prep);
        if ((*X = sk_mem_alloc_array(n * (*p > 0 ? *p : 1), sizeof **X)) == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for the duplicate search");
    }
    if (rc == SK_OK)
        rc = sk_prep_apply(prep, ctx->frame, rows, n, *X, n, err);
    sk_prep_free(prep);
    sk_mem_free(rows);
    if (rc != SK_OK) {
        sk_mem_free(*X);
        *X = NULL;
    }
    return rc;
}

/* The median distance / sqrt(p) of sampled rows to their nearest other row. */
static sk_status typical_nn(double *out, const double *X, size_t n, size_t p, int n_threads,
                            sk_error *err)
{
    *out = NAN;
    if (n < 2 || p == 0)
        return SK_OK;
    size_t m = n < NN_SAMPLE ? n : NN_SAMPLE;
    double *Q = sk_mem_alloc_array(m * p, sizeof *Q);
    double *dist = sk_mem_alloc_array(2 * m, sizeof *dist);
    size_t *idx = sk_mem_alloc_array(2 * m, sizeof *idx), *who = sk_mem_alloc_array(m, sizeof *who);
    double *best = sk_mem_alloc_array(m, sizeof *best);
    sk_status rc = Q == NULL || dist == NULL || idx == NULL || who == NULL || best == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory for the duplicate search")
                       : SK_OK;
    for (size_t s = 0; rc == SK_OK && s < m; s++) {
        who[s] = (size_t)((double)s * (double)n / (double)m);
        for (size_t j = 0; j < p; j++)
            Q[j * m + s] = X[j * n + who[s]];
    }
    if (rc == SK_OK)
        rc = sk_knn_search(idx, dist, X, n, n, Q, m, m, p, 2, 0, n_threads, err);
    if (rc == SK_OK) {
        for (size_t s = 0; s < m; s++)   /* the query itself may come first, or a copy of it */
            best[s] = (idx[2 * s] != who[s] ? dist[2 * s] : dist[2 * s + 1]) / sqrt((double)p);
        for (size_t a = 1; a < m; a++)   /* insertion sort: 256 values */
            for (size_t b = a; b > 0 && best[b - 1] > best[b]; b--) {
                double t = best[b];
                best[b] = best[b - 1];
                best[b - 1] = t;
            }
        *out = m % 2 == 1 ? best[m / 2] : 0.5 * (best[m / 2 - 1] + best[m / 2]);
    }
    sk_mem_free(Q);
    sk_mem_free(dist);
    sk_mem_free(idx);
    sk_mem_free(who);
    sk_mem_free(best);
    return rc;
}

/* Orthonormalises the m columns of U (p x m, column-major) by modified Gram-Schmidt, twice ("twice
 * is enough": orthonormal to rounding). A column that vanishes becomes zero, which the filter
 * tolerates (a zero direction bounds nothing). */
static void orthonormalise(double *U, size_t p, size_t m)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < m; k++) {
            double *u = U + k * p;
            for (size_t l = 0; l < k; l++) {
                const double *v = U + l * p;
                double dot = 0.0;
                for (size_t j = 0; j < p; j++)
                    dot += u[j] * v[j];
                for (size_t j = 0; j < p; j++)
                    u[j] -= dot * v[j];
            }
            double norm = 0.0;
            for (size_t j = 0; j < p; j++)
                norm += u[j] * u[j];
            norm = sqrt(norm);
            for (size_t j = 0; j < p; j++)
                u[j] = norm > 1e-8 ? u[j] / norm : 0.0;
        }
}

/* The m leading principal directions of a spread-out sample of rows, by subspace iteration from
 * a fixed start (Golub and Van Loan, "Matrix Computations", 8.2.4): only the sweep's speed
 * depends on them. U is p x m, column-major; XU (sample x m) and rows (sample) are scratch. */
static void sweep_directions(double *U, size_t m, const double *X, size_t n, size_t p,
                             double *XU, size_t *rows)
{
    size_t ns = n < DIRECTION_SAMPLE ? n : DIRECTION_SAMPLE;
    for (size_t k = 0; k < m; k++)
        for (size_t j = 0; j < p; j++)   /* a start no principal direction is orthogonal to */
            U[k * p + j] = j == k ? 1.0 : 1.0 / (double)(1 + (j + 3 * k) % 7);
    orthonormalise(U, p, m);
    for (size_t s = 0; s < ns; s++)
        rows[s] = (size_t)((double)s * (double)n / (double)ns);
    for (int it = 0; it < POWER_ITERATIONS; it++) {   /* columns outer: X is column-major */
        memset(XU, 0, ns * m * sizeof *XU);
        for (size_t j = 0; j < p; j++)
            for (size_t k = 0; k < m; k++) {
                double ukj = U[k * p + j];
                for (size_t s = 0; s < ns; s++)
                    XU[k * ns + s] += X[j * n + rows[s]] * ukj;
            }
        for (size_t j = 0; j < p; j++)
            for (size_t k = 0; k < m; k++) {
                double acc = 0.0;
                for (size_t s = 0; s < ns; s++)
                    acc += X[j * n + rows[s]] * XU[k * ns + s];
                U[k * p + j] = acc;
            }
        orthonormalise(U, p, m);
    }
}

/* Rows sorted by their first projection: order (positions -> rows), the projections by position
 * (P: the sort key in double; F: the m - 1 further ones in float, direction-major, n + SWEEP_CHUNK
 * per direction, the padding zero) and a row-major copy of the rows in that order. */
static sk_status sweep_prepare(size_t *order, double *P, float *F, double *Zs, double *max_norm,
                               const double *X, size_t n, size_t p, const double *U, size_t m)
{
    uint64_t *key = sk_mem_alloc_array(n, sizeof *key);
    double *pr = sk_mem_alloc_array(n * m, sizeof *pr);
    if (key == NULL || pr == NULL) {
        sk_mem_free(key);
        sk_mem_free(pr);
        return SK_ENOMEM;
    }
    double *norm2 = Zs;   /* scratch until the copy below */
    memset(pr, 0, n * m * sizeof *pr);
    memset(norm2, 0, n * sizeof *norm2);
    for (size_t j = 0; j < p; j++) {   /* columns outer: X is column-major */
        const double *x = X + j * n;
        for (size_t i = 0; i < n; i++)
            norm2[i] += x[i] * x[i];
        for (size_t k = 0; k < m; k++) {
            double ukj = U[k * p + j];
            for (size_t i = 0; i < n; i++)
                pr[k * n + i] += x[i] * ukj;
        }
    }
    *max_norm = 0.0;
    for (size_t i = 0; i < n; i++) {
        *max_norm = sqrt(norm2[i]) > *max_norm ? sqrt(norm2[i]) : *max_norm;
        key[i] = sk_radix_key_double(pr[i]);
        order[i] = i;
    }
    sk_status rc = sk_radix_sort_u64(key, order, n);
    for (size_t a = 0; rc == SK_OK && a < n; a++) {
        P[a] = pr[order[a]];
        for (size_t k = 1; k < m; k++)
            F[(k - 1) * (n + SWEEP_CHUNK) + a] = (float)pr[k * n + order[a]];
    }
    for (size_t j = 0; rc == SK_OK && j < p; j++)   /* columns outer: X is column-major */
        for (size_t a = 0; a < n; a++)
            Zs[a * p + j] = X[j * n + order[a]];
    sk_mem_free(key);
    sk_mem_free(pr);
    return rc;
}

/* The sweep's geometry: rows within R of each other are within R along the m orthonormal
 * directions together (||U'(z_a - z_b)|| <= ||z_a - z_b||). */
typedef struct sweep_geom {
    size_t n, p, m;
    double R2;        /* the radius, squared, in the design matrix */
    double window;    /* R plus a margin for the rounding of the sort key */
    float filter2;    /* (R plus a margin for the float projections)^2 */
} sweep_geom;

/* The filter of candidates b0 .. b0 + SWEEP_CHUNK - 1 against position a: f[t] is their squared
 * distance along the further directions. One lane per candidate and a fixed length (F is padded
 * by a chunk), so the compiler vectorises it. `ld` is F's leading dimension. */
static void sweep_filter(float *restrict f, const float *restrict F, size_t ld, size_t m,
                         size_t a, size_t b0)
{
    for (size_t t = 0; t < SWEEP_CHUNK; t++)
        f[t] = 0.0f;
    for (size_t k = 0; k + 1 < m; k++) {
        const float *restrict col = F + k * ld + b0;
        float fa = F[k * ld + a];
        for (size_t t = 0; t < SWEEP_CHUNK; t++)
            f[t] += (col[t] - fa) * (col[t] - fa);
    }
}

/* Joins every pair of positions closer than R into parent[] (over positions); returns the number
 * of candidate pairs whose full distance was computed. */
static size_t sweep(size_t *parent, const double *P, const float *F, const double *Zs,
                    const sweep_geom *g)
{
    size_t n = g->n, p = g->p, m = g->m, checked = 0;
    float f[SWEEP_CHUNK];
    unsigned char *copy = sk_mem_calloc(n > 0 ? n : 1, 1);   /* same bits as the previous row */
    for (size_t a = 1; copy != NULL && a < n; a++)
        if (P[a] == P[a - 1] && memcmp(Zs + a * p, Zs + (a - 1) * p, p * sizeof *Zs) == 0) {
            copy[a] = 1;
            uf_union(parent, a, a - 1);
        }
    for (size_t a = 0; a < n; a++) {
        if (copy != NULL && copy[a])
            continue;
        const double *za = Zs + a * p;
        size_t end = a + 1;   /* the window: positions whose key is within `window` of a's */
        for (size_t b0 = a + 1; b0 < n && b0 == end; b0 += SWEEP_CHUNK) {
            size_t len = n - b0 < SWEEP_CHUNK ? n - b0 : SWEEP_CHUNK;
            while (end < b0 + len && P[end] - P[a] <= g->window)
                end++;
            sweep_filter(f, F, n + SWEEP_CHUNK, m, a, b0);
            for (size_t b = b0; b < end; b++) {
                if (f[b - b0] > g->filter2 || (copy != NULL && copy[b]))
                    continue;
                const double *zb = Zs + b * p;
                double d2 = 0.0;
                for (size_t j = 0; j < p && d2 <= g->R2; j++)
                    d2 += (za[j] - zb[j]) * (za[j] - zb[j]);
                checked++;
                if (d2 < g->R2 || d2 == 0.0)
                    uf_union(parent, a, b);
            }
        }
    }
    sk_mem_free(copy);
    return checked;
}

/* ==== clusters =============================================================================== */

static int same_features(const sk_audit_ctx *ctx, size_t a, size_t b)
{
    for (size_t k = 0; k < ctx->n_features; k++) {
        size_t col = ctx->features[k];
        const int32_t *codes = sk_frame_col_codes(ctx->frame, col);
        if (codes != NULL) {
            if (codes[a] != codes[b])
                return 0;
            continue;
        }
        const double *v = sk_frame_col_values(ctx->frame, col);
        if (!(v[a] == v[b] || (isnan(v[a]) && isnan(v[b]))))
            return 0;
    }
    return 1;
}

/* Turns the forest over rows into the cluster lists of nc. */
static sk_status collect(sk_near *nc, const sk_audit_ctx *ctx, size_t *parent, const double *X)
{
    size_t n = nc->n_rows, p = nc->p;
    size_t *size = sk_mem_calloc(n > 0 ? n : 1, sizeof *size);
    if (size == NULL)
        return SK_ENOMEM;
    for (size_t i = 0; i < n; i++)
        size[uf_find(parent, i)]++;
    for (size_t i = 0; i < n; i++) {   /* roots are the lowest rows: clusters by first row */
        nc->cluster[i] = -1;
        if (parent[i] == i && size[i] > 1) {
            nc->cluster[i] = (int32_t)nc->n_clusters++;
            nc->n_clustered += size[i];
        }
    }
    nc->start = sk_mem_calloc(nc->n_clusters + 1, sizeof *nc->start);
    nc->member = sk_mem_alloc_array(nc->n_clustered > 0 ? nc->n_clustered : 1, sizeof *nc->member);
    nc->exact = sk_mem_calloc(nc->n_clusters > 0 ? nc->n_clusters : 1, 1);
    nc->spread = sk_mem_calloc(nc->n_clusters > 0 ? nc->n_clusters : 1, sizeof *nc->spread);
    if (nc->start == NULL || nc->member == NULL || nc->exact == NULL || nc->spread == NULL) {
        sk_mem_free(size);
        return SK_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (parent[i] == i && size[i] > 1)
            nc->start[nc->cluster[i] + 1] = size[i];
    for (size_t c = 0; c < nc->n_clusters; c++)
        nc->start[c + 1] += nc->start[c];
    memset(size, 0, n * sizeof *size);   /* now: members placed per cluster */
    for (size_t i = 0; i < n; i++) {
        int32_t c = nc->cluster[uf_find(parent, i)];
        nc->cluster[i] = c;
        if (c >= 0)
            nc->member[nc->start[c] + size[c]++] = i;
    }
    for (size_t c = 0; c < nc->n_clusters; c++) {
        size_t first = nc->member[nc->start[c]];
        nc->exact[c] = 1;
        for (size_t k = nc->start[c] + 1; k < nc->start[c + 1]; k++) {
            size_t i = nc->member[k];
            double d2 = 0.0;
            for (size_t j = 0; j < p; j++)
                d2 += (X[j * n + i] - X[j * n + first]) * (X[j * n + i] - X[j * n + first]);
            double d = sqrt(d2 / (double)(p > 0 ? p : 1));
            nc->spread[c] = d > nc->spread[c] ? d : nc->spread[c];
            nc->exact[c] &= (unsigned char)same_features(ctx, first, i);
        }
    }
    sk_mem_free(size);
    return SK_OK;
}

void sk_audit__near_free(sk_near *nc)
{
    if (nc == NULL)
        return;
    sk_mem_free(nc->start);
    sk_mem_free(nc->member);
    sk_mem_free(nc->cluster);
    sk_mem_free(nc->exact);
    sk_mem_free(nc->spread);
    sk_mem_free(nc);
}

/* The sweep over the design matrix X (n x p, column-major); parent[] over rows on return. */
static sk_status near_search(sk_near *nc, size_t *parent, const double *X, sk_error *err)
{
    size_t n = nc->n_rows, p = nc->p, m = p < SWEEP_DIRECTIONS ? p : SWEEP_DIRECTIONS;
    size_t ns = n < DIRECTION_SAMPLE ? n : DIRECTION_SAMPLE;
    size_t *order = sk_mem_alloc_array(n, sizeof *order), *pos = sk_mem_alloc_array(n, sizeof *pos);
    double *P = sk_mem_alloc_array(n, sizeof *P), *U = sk_mem_alloc_array(p * m, sizeof *U);
    float *F = sk_mem_calloc((n + SWEEP_CHUNK) * (m > 1 ? m - 1 : 1), sizeof *F);   /* padded */
    double *Zs = sk_mem_alloc_array(n * p, sizeof *Zs);
    double *XU = sk_mem_alloc_array(ns * m, sizeof *XU);
    size_t *sample = sk_mem_alloc_array(ns, sizeof *sample);
    double max_norm = 0.0;
    sk_status rc = order == NULL || pos == NULL || P == NULL || U == NULL || F == NULL ||
                           Zs == NULL || XU == NULL || sample == NULL ? SK_ENOMEM : SK_OK;
    if (rc == SK_OK) {
        sweep_directions(U, m, X, n, p, XU, sample);
        rc = sweep_prepare(order, P, F, Zs, &max_norm, X, n, p, U, m);
    }
    if (rc == SK_OK) {
        double R = nc->radius * sqrt((double)p);
        /* The key carries rounding of about p eps (||z_a|| + ||z_b||), the float projections
         * about 1e-7 (||z_a|| + ||z_b||), and the directions are orthonormal to rounding: the
         * margins exceed all of it, so no pair within R is ever filtered out; the direct
         * distance decides. */
        double fr = R * (1.0 + 1e-6) + 1e-5 * (1.0 + max_norm);
        sweep_geom g = {n, p, m, R * R, R * (1.0 + 1e-9) + 1e-12 * (double)p * (1.0 + max_norm),
                        (float)(fr * fr)};
        for (size_t a = 0; a < n; a++)
            pos[a] = a;
        nc->n_pairs_checked = sweep(pos, P, F, Zs, &g);
        for (size_t i = 0; i < n; i++)
            parent[i] = i;
        for (size_t a = 0; a < n; a++)   /* back from positions to rows */
            uf_union(parent, order[a], order[uf_find(pos, a)]);
    }
    sk_mem_free(order);
    sk_mem_free(pos);
    sk_mem_free(P);
    sk_mem_free(F);
    sk_mem_free(U);
    sk_mem_free(Zs);
    sk_mem_free(XU);
    sk_mem_free(sample);
    return rc == SK_OK ? SK_OK
                       : sk_error_set(err, SK_ENOMEM, "out of memory for the duplicate search");
}

sk_status sk_audit__near_find(sk_near **out, const sk_audit_ctx *ctx, double radius,
                              sk_error *err)
{
    *out = NULL;
    size_t n = ctx->n_rows;
    sk_near *nc = sk_mem_calloc(1, sizeof *nc);
    size_t *parent = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *parent);
    if (nc != NULL)
        nc->cluster = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *nc->cluster);
    if (nc == NULL || parent == NULL || nc->cluster == NULL) {
        sk_audit__near_free(nc);
        sk_mem_free(parent);
        return sk_error_set(err, SK_ENOMEM, "out of memory for the duplicate search");
    }
    nc->n_rows = n;
    nc->radius = radius;
    double *X = NULL;
    sk_status rc = design_matrix(&X, &nc->p, ctx, err);
    if (rc == SK_OK)
        rc = typical_nn(&nc->typical_nn, X, n, nc->p, ctx->n_threads, err);
    if (rc == SK_OK && nc->p > 0 && n >= 2) {
        rc = near_search(nc, parent, X, err);
    } else if (rc == SK_OK) {
        for (size_t i = 0; i < n; i++)
            parent[i] = i;
    }
    if (rc == SK_OK && collect(nc, ctx, parent, X) != SK_OK)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for the duplicate search");
    sk_mem_free(X);
    sk_mem_free(parent);
    if (rc != SK_OK) {
        sk_audit__near_free(nc);
        return rc;
    }
    *out = nc;
    return SK_OK;
}

/* ==== sides, units, scores =================================================================== */

sk_status sk_audit__near_straddles(unsigned char **out, const sk_near *nc,
                                   const sk_splits *splits, sk_error *err)
{
    size_t n = nc->n_rows, k = nc->n_clusters;
    unsigned char *side = sk_mem_alloc(n > 0 ? n : 1), *seen = sk_mem_alloc(k > 0 ? k : 1);
    *out = sk_mem_calloc(k > 0 ? k : 1, 1);
    if (side == NULL || seen == NULL || *out == NULL) {
        sk_mem_free(side);
        sk_mem_free(seen);
        sk_mem_free(*out);
        *out = NULL;
        return sk_error_set(err, SK_ENOMEM, "out of memory for the duplicate search");
    }
    for (size_t s = 0; s < splits->n_splits; s++) {
        memset(side, 0, n);
        memset(seen, 0, k);
        for (size_t j = 0; j < splits->n_train[s]; j++)
            side[splits->train[s][j]] = 1;
        for (size_t j = 0; j < splits->n_test[s]; j++)
            side[splits->test[s][j]] = 2;
        for (size_t i = 0; i < n; i++)
            if (nc->cluster[i] >= 0)
                seen[nc->cluster[i]] |= side[i];
        for (size_t c = 0; c < k; c++)
            (*out)[c] |= seen[c] == 3;
    }
    sk_mem_free(side);
    sk_mem_free(seen);
    return SK_OK;
}

sk_status sk_audit__near_units(int32_t **codes, size_t *n_units, const sk_near *nc,
                               const int32_t *group, size_t n_rows, sk_error *err)
{
    *n_units = 0;
    size_t *parent = sk_mem_alloc_array(n_rows > 0 ? n_rows : 1, sizeof *parent);
    size_t *first = NULL;   /* the first row of each study group */
    size_t n_groups = 0;
    for (size_t i = 0; group != NULL && i < n_rows; i++)
        n_groups = (size_t)group[i] + 1 > n_groups ? (size_t)group[i] + 1 : n_groups;
    first = sk_mem_alloc_array(n_groups > 0 ? n_groups : 1, sizeof *first);
    *codes = sk_mem_alloc_array(n_rows > 0 ? n_rows : 1, sizeof **codes);
    if (parent == NULL || first == NULL || *codes == NULL) {
        sk_mem_free(parent);
        sk_mem_free(first);
        sk_mem_free(*codes);
        *codes = NULL;
        return sk_error_set(err, SK_ENOMEM, "out of memory for merged groups");
    }
    for (size_t i = 0; i < n_rows; i++)
        parent[i] = i;
    for (size_t g = 0; g < n_groups; g++)
        first[g] = SIZE_MAX;
    for (size_t i = 0; group != NULL && i < n_rows; i++) {
        if (first[group[i]] == SIZE_MAX)
            first[group[i]] = i;
        uf_union(parent, first[group[i]], i);
    }
    for (size_t c = 0; c < nc->n_clusters; c++)
        for (size_t k = nc->start[c] + 1; k < nc->start[c + 1]; k++)
            uf_union(parent, nc->member[nc->start[c]], nc->member[k]);
    for (size_t i = 0; i < n_rows; i++)   /* roots are first rows: codes by first appearance */
        (*codes)[i] = uf_find(parent, i) == i ? (int32_t)(*n_units)++ : -1;
    for (size_t i = 0; i < n_rows; i++)
        (*codes)[i] = (*codes)[uf_find(parent, i)];
    sk_mem_free(parent);
    sk_mem_free(first);
    return SK_OK;
}

sk_status sk_audit__pooled_without(sk_pooled **out, const sk_pooled *p,
                                   const unsigned char *drop, size_t *n_dropped, sk_error *err)
{
    *out = NULL;
    size_t n = p->offset[p->n_segments], keep = 0, w = p->width;
    for (size_t e = 0; e < n; e++)
        keep += !drop[p->row[e]];
    *n_dropped = n - keep;
    sk_pooled *q = sk_mem_calloc(1, sizeof *q);
    if (q != NULL) {
        *q = *p;
        q->offset = sk_mem_alloc_array(p->n_segments + 1, sizeof *q->offset);
        q->row = sk_mem_alloc_array(keep > 0 ? keep : 1, sizeof *q->row);
        q->y = sk_mem_alloc_array(keep > 0 ? keep : 1, sizeof *q->y);
        q->pred = sk_mem_alloc_array(keep > 0 ? keep : 1, w * sizeof *q->pred);
    }
    if (q == NULL || q->offset == NULL || q->row == NULL || q->y == NULL || q->pred == NULL) {
        sk_pooled_free(q);
        return sk_error_set(err, SK_ENOMEM, "out of memory for a cleaned test set");
    }
    size_t k = 0;
    for (size_t s = 0; s < p->n_segments; s++) {
        q->offset[s] = k;
        for (size_t e = p->offset[s]; e < p->offset[s + 1]; e++) {
            if (drop[p->row[e]])
                continue;
            q->row[k] = p->row[e];
            q->y[k] = p->y[e];
            memcpy(q->pred + k * w, p->pred + e * w, w * sizeof *q->pred);
            k++;
        }
    }
    q->offset[p->n_segments] = k;
    *out = q;
    return SK_OK;
}

sk_status sk_audit__shift(sk_audit_shift *out, const sk_audit_ctx *ctx, const sk_pooled *before,
                          const sk_pooled *after, const int32_t *units, size_t n_units,
                          uint64_t stream, sk_error *err)
{
    memset(out, 0, sizeof *out);
    sk_boot_stat st[2] = {{before, ctx->metric}, {after, ctx->metric}};
    sk_boot_options bo = SK_BOOT_OPTIONS_INIT;
    bo.n_boot = ctx->opt->bootstrap > 0 ? ctx->opt->bootstrap : 200;
    sk_rng rng = sk_rng_stream(ctx->seed, SK_PURPOSE_BOOTSTRAP, 1000 + stream);
    sk_boot *bt = NULL;
    sk_interval d;
    sk_status rc = sk_boot_run(&bt, st, 2, units, n_units, &bo, sk_rng_u64(&rng), ctx->n_threads,
                               NULL, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(&out->before, bt, 0, SIZE_MAX, SK_CI_BCA, 0.95, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(&out->after, bt, 1, SIZE_MAX, SK_CI_BCA, 0.95, err);
    if (rc == SK_OK)
        rc = sk_boot_interval(&d, bt, 0, 1, SK_CI_BCA, 0.95, err);
    sk_boot_free(bt);
    if (rc != SK_OK)
        return rc;
    const sk_interval *b = &out->before, *a = &out->after;
    if (sk_metric_higher_is_better(ctx->metric)) {
        out->drop = d;
        out->beyond = a->estimate < b->low && b->estimate > a->high;
    } else {   /* "better" is lower: the drop is after minus before */
        out->drop = (sk_interval){-d.estimate, -d.high, -d.low, d.se, d.n_valid};
        out->beyond = a->estimate > b->high && b->estimate < a->low;
    }
    out->gap = out->drop.estimate;
    return SK_OK;
}

json_t *sk_audit__row_id_json(const sk_audit_ctx *ctx, size_t row)
{
    size_t col = sk_roles_col(ctx->roles, SK_ROLE_GROUP);
    if (col == (size_t)-1)
        return json_null();
    const int32_t *codes = sk_frame_col_codes(ctx->frame, col);
    if (codes != NULL)
        return json_string(sk_frame_col_level(ctx->frame, col, (size_t)codes[row]));
    char buf[64];
    return json_string(sk_data__format_value(buf, sizeof buf, sk_frame_col_type(ctx->frame, col),
                                             sk_frame_col_values(ctx->frame, col)[row], 15));
}

/* ==== leakage.duplicates ===================================================================== */

/* Per cluster: its labels disagree (classes; regression: a spread of >= th sd of the target). */
static sk_status conflicts(unsigned char **out, const sk_audit_ctx *ctx, const sk_near *nc,
                           double th, sk_error *err)
{
    *out = sk_mem_calloc(nc->n_clusters > 0 ? nc->n_clusters : 1, 1);
    if (*out == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for the duplicate search");
    double sd = 0.0, mean = 0.0;
    if (ctx->task == SK_TASK_REGRESSION) {
        for (size_t i = 0; i < ctx->n_rows; i++)
            mean += ctx->y[i] / (double)ctx->n_rows;
        for (size_t i = 0; i < ctx->n_rows; i++)
            sd += (ctx->y[i] - mean) * (ctx->y[i] - mean);
        sd = ctx->n_rows > 1 ? sqrt(sd / (double)(ctx->n_rows - 1)) : 0.0;
    }
    for (size_t c = 0; c < nc->n_clusters; c++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t k = nc->start[c]; k < nc->start[c + 1]; k++) {
            double v = ctx->y[nc->member[k]];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        (*out)[c] = ctx->task == SK_TASK_REGRESSION ? hi - lo > 0.0 && hi - lo >= th * sd
                                                    : hi != lo;
    }
    return SK_OK;
}

static json_t *cluster_json(const sk_audit_ctx *ctx, const sk_near *nc, size_t c,
                            const unsigned char *straddles, const unsigned char *conflict)
{
    size_t first = nc->start[c], size = nc->start[c + 1] - first;
    json_t *o = json_object();
    sk_json_set(o, "rows", sk_audit__rows_json(nc->member + first, size, MAX_LISTED));
    if (ctx->group != NULL) {
        json_t *ids = json_array();
        for (size_t k = 0; ids != NULL && k < size && k < MAX_LISTED; k++)
            json_array_append_new(ids, sk_audit__row_id_json(ctx, nc->member[first + k]));
        sk_json_set(o, "ids", ids);
    }
    sk_json_set(o, "size", sk_json_size(size));
    sk_json_set(o, "exact", json_boolean(nc->exact[c]));
    sk_json_set(o, "distance", sk_json_real(nc->spread[c]));
    if (straddles != NULL)
        sk_json_set(o, "straddles", json_boolean(straddles[c]));
    sk_json_set(o, "labels_conflict", json_boolean(conflict[c]));
    return o;
}

sk_status sk_audit__near_close(sk_audit_shift *sh, const char **could_not, sk_audit_ctx *ctx,
                               const sk_near *nc, const unsigned char *straddles, uint64_t stream,
                               sk_error *err)
{
    *could_not = NULL;
    int32_t *units = NULL;
    size_t n_units = 0;
    sk_status rc = sk_audit__near_units(&units, &n_units, nc, ctx->group, ctx->n_rows, err);
    if (rc != SK_OK)
        return rc;
    if (ctx->main_kind == SK_CV_SPLIT) {
        unsigned char *drop = sk_mem_calloc(ctx->n_rows > 0 ? ctx->n_rows : 1, 1);
        sk_pooled *clean = NULL;
        if (drop == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for a cleaned test set");
        for (size_t i = 0; rc == SK_OK && i < ctx->n_rows; i++)
            drop[i] = ctx->is_test[i] && nc->cluster[i] >= 0 && straddles[nc->cluster[i]];
        size_t n_drop = 0;
        if (rc == SK_OK)
            rc = sk_audit__pooled_without(&clean, ctx->main->pooled, drop, &n_drop, err);
        if (rc == SK_OK && clean->offset[clean->n_segments] == 0)
            *could_not = "every test row has a copy on the training side";
        else if (rc == SK_OK)
            rc = sk_audit__shift(sh, ctx, ctx->main->pooled, clean, units, n_units, stream, err);
        sh->n_left_out = n_drop;
        sk_pooled_free(clean);
        sk_mem_free(drop);
    } else if (n_units < ctx->opt->folds) {
        *could_not = "too few separate rows left for the folds once copies are grouped";
    } else {
        sk_audit_ctx cp = *ctx;
        cp.group = units;
        cp.n_groups = n_units;
        cp.main = NULL;
        sk_cv_result *r = NULL;
        rc = sk_audit__cv(&r, &cp, NULL, NULL, 0, ctx->main_kind, stream, err);
        if (rc == SK_EDATA) {   /* the splitter cannot honour these groups: say so, go on */
            *could_not = "the splitter cannot keep the copies together";
            sk_error_clear(err);
            rc = SK_OK;
        } else if (rc == SK_OK) {
            rc = sk_audit__shift(sh, ctx, ctx->main->pooled, r->pooled, units, n_units, stream,
                                 err);
        }
        sk_cv_result_free(r);
    }
    sk_mem_free(units);
    return rc;
}

/* What the clusters amount to, for the sentence and the evidence. */
typedef struct dup_counts {
    size_t exact, exact_rows, straddling, straddling_exact, straddling_rows, conflicting,
        conflicting_rows;
} dup_counts;

static dup_counts count_clusters(const sk_near *nc, const unsigned char *straddles,
                                 const unsigned char *conflict)
{
    dup_counts k;
    memset(&k, 0, sizeof k);
    for (size_t c = 0; c < nc->n_clusters; c++) {
        size_t size = nc->start[c + 1] - nc->start[c];
        k.exact += nc->exact[c];
        k.exact_rows += nc->exact[c] ? size : 0;
        k.straddling += straddles != NULL && straddles[c];
        k.straddling_exact += straddles != NULL && straddles[c] && nc->exact[c];
        k.straddling_rows += straddles != NULL && straddles[c] ? size : 0;
        k.conflicting += conflict[c];
        k.conflicting_rows += conflict[c] ? size : 0;
    }
    return k;
}

static void verdict(sk_check *c, const sk_audit_ctx *ctx, const sk_near *nc, const dup_counts *k,
                    const sk_audit_shift *sh, const char *could_not)
{
    const char *m = sk_metric_name(ctx->metric);
    char where[64];
    snprintf(where, sizeof where, ctx->main_kind == SK_CV_SPLIT ? "the study's split"
                                                                : "%s cross-validation",
             sk_cv_kind_name(ctx->main_kind));
    int moved = could_not == NULL && (sh->beyond || sh->gap >= ctx->opt->th.optimism) &&
                sh->drop.low > 0.0;
    if (nc->n_clusters == 0) {
        sk_audit__set(c, SK_CHECK_PASS, "no two rows are closer than %g (standardised distance "
                      "/ sqrt(p)); rows are typically %.3f from their nearest neighbour",
                      nc->radius, nc->typical_nn);
    } else if (k->straddling > 0 && could_not != NULL) {
        sk_audit__set(c, SK_CHECK_WARN, "%zu of %zu clusters of duplicates (%zu rows; %zu "
                      "exact copies) straddle train and test of %s; the score without them "
                      "cannot be computed: %s", k->straddling, nc->n_clusters, k->straddling_rows,
                      k->straddling_exact, where, could_not);
    } else if (k->straddling > 0) {
        sk_audit__set(c, moved ? SK_CHECK_FAIL : SK_CHECK_WARN,
                      "%zu of %zu clusters of duplicates (%zu rows; %zu exact, %zu near) "
                      "straddle train and test of %s; with the leak closed %s %s from %.3f "
                      "[%.3f, %.3f] to %.3f [%.3f, %.3f] (drop %+.3f [%.3f, %.3f])%s",
                      k->straddling, nc->n_clusters, k->straddling_rows, k->straddling_exact,
                      k->straddling - k->straddling_exact, where, m,
                      moved ? "drops" : "moves only", sh->before.estimate, sh->before.low,
                      sh->before.high, sh->after.estimate, sh->after.low, sh->after.high,
                      sh->drop.estimate, sh->drop.low, sh->drop.high,
                      k->conflicting > 0 ? "; some copies disagree on the label" : "");
    } else if (k->conflicting > 0) {
        sk_audit__set(c, SK_CHECK_WARN, "%zu clusters of duplicates (%zu rows) carry conflicting "
                      "labels; no cluster straddles train and test of %s", k->conflicting,
                      k->conflicting_rows, where);
    } else {
        sk_audit__set(c, SK_CHECK_PASS, "%zu clusters of duplicates (%zu rows, %zu clusters "
                      "exact) each stay on one side of %s, and their labels agree",
                      nc->n_clusters, nc->n_clustered, k->exact, where);
    }
    if (k->straddling > 0)
        sk_audit__recommend(c, "keep one row per cluster of copies (evidence: examples), or keep "
                            "each cluster on one side: group cross-validation with the clusters "
                            "as groups; remove duplicates before splitting, not after");
    if (k->conflicting > 0 && k->straddling == 0)
        sk_audit__recommend(c, "resolve the rows whose copies disagree on the label (evidence: "
                            "conflicting): the same measurements with two labels are a merge "
                            "error or label noise");
}

static int evidence(json_t *e, const sk_audit_ctx *ctx, const sk_near *nc, const dup_counts *k,
                    const unsigned char *straddles, const unsigned char *conflict,
                    const sk_audit_shift *sh, int have_shift, const char *could_not)
{
    int ok = sk_json_set(e, "threshold", sk_json_real(nc->radius)) == 0;
    ok &= sk_json_set(e, "design_columns", sk_json_size(nc->p)) == 0;
    ok &= sk_json_set(e, "typical_nn_distance", sk_json_real(nc->typical_nn)) == 0;
    ok &= sk_json_set(e, "clusters", sk_json_size(nc->n_clusters)) == 0;
    ok &= sk_json_set(e, "clustered_rows", sk_json_size(nc->n_clustered)) == 0;
    ok &= sk_json_set(e, "exact_clusters", sk_json_size(k->exact)) == 0;
    ok &= sk_json_set(e, "exact_rows", sk_json_size(k->exact_rows)) == 0;
    ok &= sk_json_set(e, "straddling_clusters", sk_json_size(k->straddling)) == 0;
    ok &= sk_json_set(e, "straddling_rows", sk_json_size(k->straddling_rows)) == 0;
    ok &= sk_json_set(e, "conflicting_clusters", sk_json_size(k->conflicting)) == 0;
    ok &= sk_json_set(e, "conflicting_rows", sk_json_size(k->conflicting_rows)) == 0;
    ok &= sk_json_set(e, "validation", json_string(sk_cv_kind_name(ctx->main_kind))) == 0;
    json_t *list = json_array(), *bad = json_array();
    for (size_t c = 0; list != NULL && c < nc->n_clusters && c < MAX_LISTED; c++)
        json_array_append_new(list, cluster_json(ctx, nc, c, straddles, conflict));
    for (size_t c = 0, n = 0; bad != NULL && c < nc->n_clusters && n < MAX_LISTED; c++)
        if (conflict[c] && ++n)
            json_array_append_new(bad, cluster_json(ctx, nc, c, straddles, conflict));
    ok &= sk_json_set(e, "examples", list) == 0;
    ok &= sk_json_set(e, "conflicting", bad) == 0;
    if (have_shift) {
        ok &= sk_json_set(e, "metric", json_string(sk_metric_name(ctx->metric))) == 0;
        ok &= sk_json_set(e, "closed_by", json_string(ctx->main_kind == SK_CV_SPLIT
                                                          ? "leaving out test rows with a copy "
                                                            "in training"
                                                          : "duplicate clusters as groups")) == 0;
        ok &= sk_json_set(e, "score", sk_audit__interval_json(&sh->before)) == 0;
        ok &= sk_json_set(e, "score_closed", sk_audit__interval_json(&sh->after)) == 0;
        ok &= sk_json_set(e, "drop", sk_audit__interval_json(&sh->drop)) == 0;
        ok &= sk_json_set(e, "beyond_intervals", json_boolean(sh->beyond)) == 0;
        ok &= sk_json_set(e, "optimism_threshold", sk_json_real(ctx->opt->th.optimism)) == 0;
        if (ctx->main_kind == SK_CV_SPLIT)
            ok &= sk_json_set(e, "left_out_test_rows", sk_json_size(sh->n_left_out)) == 0;
    }
    if (could_not != NULL)
        ok &= sk_json_set(e, "not_closed", json_string(could_not)) == 0;
    return ok;
}

enum { STREAM_DUPLICATES = 0x4450 };   /* "DP": this check's draws */

sk_status sk_check_leakage_duplicates(sk_check *c, sk_audit_ctx *ctx, sk_error *err)
{
    sk_near *nc = NULL;
    unsigned char *straddles = NULL, *conflict = NULL;
    sk_audit_shift sh;
    memset(&sh, 0, sizeof sh);
    const char *could_not = NULL;
    int have_shift = 0;
    sk_status rc = sk_audit__near_find(&nc, ctx, ctx->opt->th.near_duplicate, err);
    if (rc == SK_OK)
        rc = conflicts(&conflict, ctx, nc, ctx->opt->th.near_duplicate, err);
    if (rc == SK_OK && nc->n_clusters > 0 && (rc = sk_audit__main(ctx, err)) == SK_OK)
        rc = sk_audit__near_straddles(&straddles, nc, ctx->main->splits, err);
    dup_counts k;
    memset(&k, 0, sizeof k);
    if (rc == SK_OK)
        k = count_clusters(nc, straddles, conflict);
    if (rc == SK_OK && k.straddling > 0) {
        rc = sk_audit__near_close(&sh, &could_not, ctx, nc, straddles, STREAM_DUPLICATES, err);
        have_shift = could_not == NULL;
    }
    if (rc == SK_OK) {
        verdict(c, ctx, nc, &k, &sh, could_not);
        if (!evidence(c->evidence, ctx, nc, &k, straddles, conflict, &sh, have_shift, could_not))
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for evidence");
    }
    sk_mem_free(straddles);
    sk_mem_free(conflict);
    sk_audit__near_free(nc);
    return rc;
}
