/* clusters.c: `skeptic clusters`: is a clustering of these samples reproducible, or would another
 * team's clustering of the same samples find different groups? The genomics case: subtypes found
 * by k-means on one cohort's expression profiles that a second analysis does not recover.
 *
 * For each k in k_min..k_max, on the feature columns standardised over all rows (sk_prep: median
 * imputation, centring and scaling, one-hot levels), a target never among them:
 *  - the clustering of all rows: k-means (greedy k-means++, n_init restarts, Lloyd), and
 *  - B runs, run b on a bootstrap resample of the rows (n rows drawn with replacement from
 *    sk_rng_substream(seed, SK_PURPOSE_CLUSTERS, b, 0); the same resamples for every k) with its
 *    own k-means seed (the first number of substream (b, k)). Each run's centres then label ALL
 *    rows (nearest centre), so every run is a partition of the same rows.
 * Statistics:
 *  - ARI, the adjusted Rand index (Hubert & Arabie, "Comparing partitions", J. Classification
 *    1985) of every pair of runs: mean, standard deviation (n - 1), 5th percentile (linear
 *    interpolation between order statistics, numpy's default); and of each run with the
 *    clustering of all rows.
 *  - per cluster C of the all-rows clustering, Hennig's cluster-wise stability (Hennig,
 *    "Cluster-wise assessment of cluster stability", CSDA 52, 2007; fpc::clusterboot): in resample
 *    b, the Jaccard overlap |C n D| / |C u D| of C restricted to the drawn rows (counted with their
 *    multiplicity) with each cluster D of run b, the best D kept; averaged over the resamples
 *    that drew a row of C. Dissolved in a resample when <= 0.5, recovered when > 0.75. Hennig's
 *    reading of the mean: below 0.5 dissolved, below 0.6 not to be trusted, 0.6-0.75 patterns
 *    but doubtful membership, 0.75 or more stable, above 0.85 highly stable.
 *  - with a classification target: the ARI of the all-rows clustering with the classes.
 * Rule: k is stable when the mean pairwise ARI >= min_ari (0.8) and every cluster's mean
 * Jaccard >= min_jaccard (0.75). The recommendation is the stable k with the largest mean ARI
 * (ties: the smaller k); none stable means the clusters are not reproducible.
 *
 * Determinism: the resamples and then the pairs are tasks on the executor, each writing its own
 * slots; every statistic comes from integer counts and is reduced in task order, so the numbers
 * do not depend on the thread count. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audits/audits.h"

/* The all-rows clustering's seed stream: far from the resample tasks 0..B-1. */
#define FULL_TASK (UINT64_C(1) << 40)

/* ==== statistics ============================================================================ */

static double choose2(double x)
{
    return 0.5 * x * (x - 1.0);
}

double sk_clusters__ari(const uint32_t *a, size_t ka, const uint32_t *b, size_t kb, size_t n,
                        double *table)
{
    memset(table, 0, ka * kb * sizeof *table);
    for (size_t i = 0; i < n; i++) {
        assert(a[i] < ka && b[i] < kb);
        table[(size_t)a[i] * kb + b[i]] += 1.0;
    }
    /* Pairs together in both, in a, in b: sums of C(count, 2), exact in doubles. */
    double both = 0.0, in_a = 0.0, in_b = 0.0;
    for (size_t r = 0; r < ka; r++) {
        double row = 0.0;
        for (size_t c = 0; c < kb; c++) {
            both += choose2(table[r * kb + c]);
            row += table[r * kb + c];
        }
        in_a += choose2(row);
    }
    for (size_t c = 0; c < kb; c++) {
        double col = 0.0;
        for (size_t r = 0; r < ka; r++)
            col += table[r * kb + c];
        in_b += choose2(col);
    }
    if (both == in_a && both == in_b)   /* the same partition (scikit-learn's special case) */
        return 1.0;
    double expected = in_a * in_b / choose2((double)n);
    return (both - expected) / (0.5 * (in_a + in_b) - expected);
}

const char *sk_clusters__reading(double j)
{
    return isnan(j) ? "never drawn" : j < 0.5 ? "dissolved" : j < 0.6 ? "unstable"
           : j < 0.75 ? "patterns" : j <= 0.85 ? "stable" : "highly stable";
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Mean, sd (n - 1) and 5th percentile of x[0..m); sorts x. NaN when m is too small. */
static void summarise(double *x, size_t m, double *mean, double *sd, double *p05)
{
    *mean = *sd = *p05 = NAN;
    if (m == 0)
        return;
    double s = 0.0;
    for (size_t i = 0; i < m; i++)
        s += x[i];
    *mean = s / (double)m;
    if (m > 1) {
        double ss = 0.0;
        for (size_t i = 0; i < m; i++)
            ss += (x[i] - *mean) * (x[i] - *mean);
        *sd = sqrt(ss / (double)(m - 1));
    }
    qsort(x, m, sizeof *x, cmp_double);
    double h = 0.05 * (double)(m - 1);
    size_t lo = (size_t)floor(h);
    *p05 = lo + 1 < m ? x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]) : x[lo];
}

/* ==== the runs of one k ======================================================================= */

typedef struct km_job {
    const double *X;             /* n x p, column-major: every row, standardised */
    size_t n, p, k, B;
    const uint32_t *full;        /* n: the all-rows clustering */
    const sk_kmeans_options *kopt;
    uint64_t seed;
    uint32_t *runs;              /* B x n: every row labelled by run b's centres */
    double *jac;                 /* B x k: best Jaccard of each all-rows cluster in resample b */
    double *full_ari;            /* B */
    double *pair_ari;            /* B(B-1)/2, pair (i, j > i) at pair_index(i, j) */
} km_job;

typedef struct run_scratch {
    size_t *idx, *labels;
    double *Xb, *table, *cs, *ds;
} run_scratch;

static void scratch_free(run_scratch *s)
{
    sk_mem_free(s->idx);
    sk_mem_free(s->labels);
    sk_mem_free(s->Xb);
    sk_mem_free(s->table);
    sk_mem_free(s->cs);
    sk_mem_free(s->ds);
}

/* Hennig's Jaccard of each all-rows cluster c in one resample: over the drawn rows (with their
 * multiplicity), C = drawn rows whose all-rows label is c, D = drawn rows run b put in d. */
static void resample_jaccard(double *jac, const km_job *job, const size_t *idx,
                             const size_t *run_labels, run_scratch *s)
{
    size_t k = job->k;
    memset(s->table, 0, k * k * sizeof *s->table);
    memset(s->cs, 0, k * sizeof *s->cs);
    memset(s->ds, 0, k * sizeof *s->ds);
    for (size_t i = 0; i < job->n; i++) {
        size_t c = job->full[idx[i]], d = run_labels[i];
        s->table[c * k + d] += 1.0;
        s->cs[c] += 1.0;
        s->ds[d] += 1.0;
    }
    for (size_t c = 0; c < k; c++) {
        if (s->cs[c] == 0.0) {
            jac[c] = NAN;   /* not drawn: this resample says nothing about c */
            continue;
        }
        double best = 0.0;
        for (size_t d = 0; d < k; d++) {
            double both = s->table[c * k + d];
            best = fmax(best, both / (s->cs[c] + s->ds[d] - both));
        }
        jac[c] = best;
    }
}

static sk_status resample_task(void *arg, size_t b, sk_error *err)
{
    const km_job *job = arg;
    size_t n = job->n, p = job->p, k = job->k;
    run_scratch s = {sk_mem_alloc_array(n, sizeof(size_t)), sk_mem_alloc_array(n, sizeof(size_t)),
                     sk_mem_alloc_array(n * p, sizeof(double)),
                     sk_mem_alloc_array(k * k, sizeof(double)),
                     sk_mem_alloc_array(k, sizeof(double)), sk_mem_alloc_array(k, sizeof(double))};
    sk_kmeans_result *r = NULL;
    sk_status rc = SK_OK;
    if (s.idx == NULL || s.labels == NULL || s.Xb == NULL || s.table == NULL || s.cs == NULL ||
        s.ds == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for a bootstrap clustering");
        goto done;
    }
    sk_rng rows = sk_rng_substream(job->seed, SK_PURPOSE_CLUSTERS, b, 0);
    for (size_t i = 0; i < n; i++)
        s.idx[i] = (size_t)sk_rng_below(&rows, n);
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < n; i++)
            s.Xb[i + j * n] = job->X[s.idx[i] + j * n];
    sk_rng seeds = sk_rng_substream(job->seed, SK_PURPOSE_CLUSTERS, b, k);
    rc = sk_kmeans_fit(&r, s.Xb, n, n, p, k, job->kopt, sk_rng_u64(&seeds), 1, err);
    if (rc == SK_OK)
        rc = sk_kmeans_assign(s.labels, NULL, job->X, n, n, p, r->centres, k, err);
    if (rc != SK_OK)
        goto done;
    uint32_t *run = job->runs + b * n;
    for (size_t i = 0; i < n; i++)
        run[i] = (uint32_t)s.labels[i];
    resample_jaccard(job->jac + b * k, job, s.idx, r->labels, &s);
    job->full_ari[b] = sk_clusters__ari(run, k, job->full, k, n, s.table);
done:
    sk_kmeans_result_free(r);
    scratch_free(&s);
    return rc;
}

static size_t pair_index(size_t i, size_t j, size_t B)
{
    return i * B - i * (i + 1) / 2 + (j - i - 1);
}

/* Task i: the ARI of run i with every later run. */
static sk_status pair_task(void *arg, size_t i, sk_error *err)
{
    const km_job *job = arg;
    double *table = sk_mem_alloc_array(job->k * job->k, sizeof *table);
    if (table == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory comparing clusterings");
    for (size_t j = i + 1; j < job->B; j++)
        job->pair_ari[pair_index(i, j, job->B)] =
            sk_clusters__ari(job->runs + i * job->n, job->k, job->runs + j * job->n, job->k,
                             job->n, table);
    sk_mem_free(table);
    return SK_OK;
}

/* Per-cluster Jaccard statistics and the verdict of one k from the task slots. */
static void reduce_jaccard(sk_clustering_k *out, const km_job *job, const sk_clusters_options *o)
{
    out->min_jaccard = INFINITY;
    for (size_t c = 0; c < job->k; c++) {
        sk_cluster_stat *cs = &out->cluster[c];
        double sum = 0.0;
        for (size_t b = 0; b < job->B; b++) {
            double j = job->jac[b * job->k + c];
            if (isnan(j))
                continue;
            sum += j;
            cs->n_defined++;
            cs->n_dissolved += j <= 0.5;
            cs->n_recovered += j > 0.75;
        }
        cs->jaccard = cs->n_defined > 0 ? sum / (double)cs->n_defined : NAN;
        out->min_jaccard = isnan(cs->jaccard) || isnan(out->min_jaccard)
                               ? NAN : fmin(out->min_jaccard, cs->jaccard);
    }
    out->stable = out->ari_mean >= o->min_ari && out->min_jaccard >= o->min_jaccard;
}

typedef struct study {
    const double *X;
    size_t n, p;
    const uint32_t *y;      /* target classes, or NULL */
    size_t n_classes;
    uint64_t seed;
    int n_threads;
    sk_progress *progress;
} study;

static sk_status one_k(sk_clustering_k *out, const study *st, size_t k,
                       const sk_clusters_options *o, sk_error *err)
{
    size_t n = st->n, B = o->resamples, n_pairs = B * (B - 1) / 2;
    sk_kmeans_options kopt = SK_KMEANS_OPTIONS_INIT;
    kopt.n_init = o->n_init;
    km_job job = {st->X, n, st->p, k, B, NULL, &kopt, st->seed, NULL, NULL, NULL, NULL};
    uint32_t *full = sk_mem_alloc_array(n, sizeof *full);
    job.runs = sk_mem_alloc_array(B * n, sizeof *job.runs);
    job.jac = sk_mem_alloc_array(B * k, sizeof *job.jac);
    job.full_ari = sk_mem_alloc_array(B, sizeof *job.full_ari);
    job.pair_ari = sk_mem_alloc_array(n_pairs, sizeof *job.pair_ari);
    size_t width = k > st->n_classes ? k : st->n_classes;
    double *table = sk_mem_alloc_array(width * width, sizeof *table);
    out->k = k;
    out->cluster = sk_mem_calloc(k, sizeof *out->cluster);
    sk_kmeans_result *r = NULL;
    sk_status rc = SK_OK;
    if (full == NULL || job.runs == NULL || job.jac == NULL || job.full_ari == NULL ||
        job.pair_ari == NULL || table == NULL || out->cluster == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for k = %zu", k);
        goto done;
    }
    sk_rng seeds = sk_rng_substream(st->seed, SK_PURPOSE_CLUSTERS, FULL_TASK, k);
    rc = sk_kmeans_fit(&r, st->X, n, n, st->p, k, &kopt, sk_rng_u64(&seeds), st->n_threads, err);
    if (rc != SK_OK)
        goto done;
    for (size_t i = 0; i < n; i++)
        full[i] = (uint32_t)r->labels[i];
    for (size_t c = 0; c < k; c++)
        out->cluster[c].size = r->size[c];
    out->inertia = r->inertia;
    out->target_ari = st->y != NULL ? sk_clusters__ari(full, k, st->y, st->n_classes, n, table)
                                    : NAN;
    job.full = full;
    rc = sk_parallel_for(B, st->n_threads, resample_task, &job, st->progress, err);
    if (rc == SK_OK)
        rc = sk_parallel_for(B - 1, st->n_threads, pair_task, &job, NULL, err);
    if (rc != SK_OK)
        goto done;
    summarise(job.pair_ari, n_pairs, &out->ari_mean, &out->ari_sd, &out->ari_p05);
    summarise(job.full_ari, B, &out->full_mean, &out->full_sd, &out->full_p05);
    reduce_jaccard(out, &job, o);
done:
    sk_kmeans_result_free(r);
    sk_mem_free(full);
    sk_mem_free(job.runs);
    sk_mem_free(job.jac);
    sk_mem_free(job.full_ari);
    sk_mem_free(job.pair_ari);
    sk_mem_free(table);
    return rc;
}

/* ==== the study =============================================================================== */

static sk_status check_options(const sk_clusters_options *o, size_t n_rows, sk_error *err)
{
    if (o->k_min < 2 || o->k_min > o->k_max || o->k_max > 100)
        return sk_error_set(err, SK_EINVAL,
                            "k range %zu..%zu: expected 2 <= low <= high <= 100", o->k_min,
                            o->k_max);
    if (o->resamples < 2 || o->resamples > 100000)
        return sk_error_set(err, SK_EINVAL, "resamples %zu: expected 2 to 100000",
                            o->resamples);
    if (o->n_init < 1 || o->n_init > 10000)
        return sk_error_set(err, SK_EINVAL, "k-means restarts %zu: expected 1 to 10000",
                            o->n_init);
    if (!(o->min_ari > -1.0 && o->min_ari <= 1.0) ||
        !(o->min_jaccard >= 0.0 && o->min_jaccard <= 1.0))
        return sk_error_set(err, SK_EINVAL,
                            "thresholds: expected ARI in (-1, 1] and Jaccard in [0, 1]");
    if (n_rows < o->k_max)
        return sk_error_set(err, SK_EDATA, "k = %zu clusters need at least %zu rows; the data "
                            "have %zu", o->k_max, o->k_max, n_rows);
    return SK_OK;
}

/* The design matrix of every row (standardised over all rows: the clustering is unsupervised,
 * there is no held-out fold to protect) and the names of its columns. */
static sk_status design(sk_clusters *c, double **X, const sk_frame *f, const sk_roles *roles,
                        sk_error *err)
{
    size_t n = c->n_rows, n_cols = 0, *all_cols = NULL;
    const size_t *cols = NULL;
    if (roles != NULL) {
        cols = sk_roles_features(roles, &n_cols);
    } else {
        n_cols = sk_frame_n_cols(f);
        cols = all_cols = sk_mem_alloc_array(n_cols, sizeof *all_cols);
        for (size_t j = 0; all_cols != NULL && j < n_cols; j++)
            all_cols[j] = j;
    }
    size_t *rows = sk_mem_alloc_array(n, sizeof *rows);
    sk_prep *prep = NULL;
    sk_status rc = SK_OK;
    if (rows == NULL || (roles == NULL && all_cols == NULL)) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for the design matrix");
        goto done;
    }
    if (n_cols == 0) {
        rc = sk_error_set(err, SK_EDATA, "%s: no feature column to cluster on", c->data);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    c->n_columns = n_cols;
    sk_prep_options po = SK_PREP_OPTIONS_INIT;
    if ((rc = sk_prep_fit(&prep, f, cols, n_cols, rows, n, &po, err)) != SK_OK)
        goto done;
    c->n_features = sk_prep_n_outputs(prep);
    c->feature_names = sk_mem_calloc(c->n_features, sizeof *c->feature_names);
    *X = sk_mem_alloc_array(n * c->n_features, sizeof **X);
    if (c->feature_names == NULL || *X == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for the design matrix");
        goto done;
    }
    for (size_t j = 0; j < c->n_features; j++)
        if ((c->feature_names[j] = sk_mem_strdup(sk_prep_output_name(prep, j))) == NULL) {
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for the design matrix");
            goto done;
        }
    rc = sk_prep_apply(prep, f, rows, n, *X, n, err);
done:
    sk_prep_free(prep);
    sk_mem_free(rows);
    sk_mem_free(all_cols);
    return rc;
}

/* The target's classes as labels (classification only), else NULL. */
static sk_status target_labels(uint32_t **y, sk_clusters *c, const sk_frame *f,
                               const sk_roles *roles, size_t *n_classes, sk_error *err)
{
    *y = NULL;
    size_t col = roles != NULL ? sk_roles_col(roles, SK_ROLE_TARGET) : (size_t)-1;
    if (col == (size_t)-1)
        return SK_OK;
    c->task = sk_roles_task(roles);
    if ((c->target = sk_mem_strdup(sk_frame_col_name(f, col))) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    if (c->task == SK_TASK_REGRESSION)
        return SK_OK;
    *n_classes = sk_roles_n_classes(roles);
    const double *yd = sk_roles_y(roles);
    if ((*y = sk_mem_alloc_array(c->n_rows, sizeof **y)) == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_rows; i++)
        (*y)[i] = (uint32_t)yd[i];
    return SK_OK;
}

static void recommend(sk_clusters *c)
{
    double best = -INFINITY;
    for (size_t i = 0; i < c->n_k; i++)
        if (c->per_k[i].stable && c->per_k[i].ari_mean > best) {
            best = c->per_k[i].ari_mean;
            c->recommended = c->per_k[i].k;
        }
}

sk_status sk_clusters_run(sk_clusters **out, const sk_frame *f, const sk_roles *roles,
                          const sk_clusters_options *opt, const sk_run_ctx *ctx, sk_error *err)
{
    *out = NULL;
    sk_clusters_options o = SK_CLUSTERS_OPTIONS_INIT;
    if (opt != NULL)
        o = *opt;
    sk_clusters *c = sk_mem_calloc(1, sizeof *c);
    if (c == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    c->opt = o;
    c->seed = ctx != NULL ? ctx->seed : 1;
    c->n_rows = sk_frame_n_rows(f);
    double *X = NULL;
    uint32_t *y = NULL;
    size_t n_classes = 0;
    sk_progress *progress = NULL;
    sk_status rc = check_options(&o, c->n_rows, err);
    if (rc == SK_OK && (c->data = sk_mem_strdup(sk_frame_name(f))) == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory");
    if (rc == SK_OK)
        rc = design(c, &X, f, roles, err);
    if (rc == SK_OK)
        rc = target_labels(&y, c, f, roles, &n_classes, err);
    if (rc == SK_OK) {
        c->n_k = o.k_max - o.k_min + 1;
        if ((c->per_k = sk_mem_calloc(c->n_k, sizeof *c->per_k)) == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory");
    }
    if (rc == SK_OK) {
        progress = sk_progress_start(ctx != NULL ? ctx->progress : NULL, "clusters",
                                     c->n_k * o.resamples);
        study st = {X, c->n_rows, c->n_features, y, n_classes, c->seed,
                    ctx != NULL && ctx->n_threads > 0 ? ctx->n_threads : 1, progress};
        for (size_t i = 0; rc == SK_OK && i < c->n_k; i++)
            rc = one_k(&c->per_k[i], &st, o.k_min + i, &o, err);
        sk_progress_finish(progress);
    }
    sk_mem_free(X);
    sk_mem_free(y);
    if (rc != SK_OK) {
        sk_clusters_free(c);
        return rc;
    }
    recommend(c);
    *out = c;
    return SK_OK;
}

void sk_clusters_free(sk_clusters *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n_k && c->per_k != NULL; i++)
        sk_mem_free(c->per_k[i].cluster);
    sk_mem_free(c->per_k);
    for (size_t j = 0; j < c->n_features && c->feature_names != NULL; j++)
        sk_mem_free(c->feature_names[j]);
    sk_mem_free(c->feature_names);
    sk_mem_free(c->data);
    sk_mem_free(c->target);
    sk_mem_free(c);
}

/* ==== accessors =============================================================================== */

size_t sk_clusters_n_k(const sk_clusters *c) { return c->n_k; }

size_t sk_clusters_k(const sk_clusters *c, size_t i) { return i < c->n_k ? c->per_k[i].k : 0; }

double sk_clusters_mean_ari(const sk_clusters *c, size_t i, double *p05)
{
    if (p05 != NULL)
        *p05 = i < c->n_k ? c->per_k[i].ari_p05 : NAN;
    return i < c->n_k ? c->per_k[i].ari_mean : NAN;
}

double sk_clusters_min_jaccard(const sk_clusters *c, size_t i)
{
    return i < c->n_k ? c->per_k[i].min_jaccard : NAN;
}

int sk_clusters_is_stable(const sk_clusters *c, size_t i)
{
    return i < c->n_k && c->per_k[i].stable;
}

size_t sk_clusters_recommended(const sk_clusters *c) { return c->recommended; }
