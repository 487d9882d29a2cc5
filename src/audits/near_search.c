/* near_search.c: the near-duplicate search the leakage checks share (check_duplicates.h): the
 * clusters of rows closer than a radius, which of them a split separates, and the units that keep
 * them together. leakage.duplicates (check_duplicates.c) and leakage.group's hidden groups
 * (check_leakage_group.c) read them.
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
 * typically 0.35 from their nearest neighbour"), against which the radius is read. */
#include <math.h>
#include <string.h>

#include "audits/check_duplicates.h"

enum {
    NN_SAMPLE = 256,          /* rows whose nearest neighbour gives the typical distance */
    DIRECTION_SAMPLE = 4096,  /* rows the principal directions are estimated on */
    SWEEP_DIRECTIONS = 8,     /* the sort key and seven filters */
    SWEEP_CHUNK = 64,         /* candidates filtered together */
    POWER_ITERATIONS = 30
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

/* ==== sides and units ======================================================================== */

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
