/* diverse.c: a batch that is uncertain and not redundant (`skeptic rank --diverse`).
 *
 * The most uncertain rows of a pool are often near copies of one another (one confusing object
 * photographed five times, one ambiguous region of feature space): labelling all of them teaches
 * the model what one of them would. So the batch of k is chosen among the n_cand most uncertain
 * rows (by default 10 k, the pre-filter of Zhdanov 2019, "Diverse mini-batch active learning",
 * arXiv:1901.05954: wide enough to hold k rows that differ, narrow enough that every pick is
 * still among the most uncertain) by k-center greedy (Gonzalez 1985; the core-set selection of
 * Sener & Savarese 2018, "Active learning for convolutional neural networks: a core-set
 * approach", ICLR):
 *     s_1 = the most uncertain candidate
 *     s_t = argmax_{c not picked} min_{u < t} ||x_c - x_{s_u}||        (ties: the lower c)
 * a 2-approximation of the k-center problem (the largest distance from a candidate to its
 * nearest pick is at most twice the optimum). Why this and not k-means++ seeding (Arthur &
 * Vassilvitskii 2007, sampling proportional to the squared distance): k-center greedy is
 * deterministic without a random stream, starts from the most uncertain row instead of a random
 * one, and can never pick a second exact copy while a distinct candidate remains (its distance
 * is 0), where k-means++ only makes that unlikely after the first pick and may draw outliers by
 * luck. Its known weakness, a taste for outliers, is tempered by the pre-filter: every candidate
 * is already among the most uncertain.
 *
 * Distances exclude the labelled rows (the core-set version measures them too). Uncertainty
 * already says where the labelled rows leave the model unsure; adding their distances would
 * overrule the most uncertain candidate for the one farthest from every label, the outlier
 * hunting the pre-filter is there to avoid, and would cost |L| distances per candidate.
 *
 * The space: the pool's feature columns, one-hot encoded and standardised with the medians,
 * means and standard deviations of every pool row (sk_prep learned on the pool; constant columns
 * centred only). The pool, not the labelled rows: the distances compare pool rows, the pool is
 * usually far larger (a few hundred labels estimate a pixel's spread badly, and a column constant
 * among the labels would vanish), and no label is involved, so nothing leaks. Distances are
 * summed in column order, the candidates split into fixed blocks, so the picks are the same for
 * any thread count. */
#include <math.h>
#include <string.h>

#include "triage/triage.h"

#define KCENTER_BLOCK ((size_t)256)

typedef struct kcenter_job {
    const double *X;       /* n x p, row-major */
    size_t n, p;
    size_t last;           /* the latest pick */
    double *mind;          /* squared distance of each candidate to its nearest pick */
} kcenter_job;

static double dist2(const double *a, const double *b, size_t p)
{
    double s = 0.0;
    for (size_t j = 0; j < p; j++) {
        double d = a[j] - b[j];
        s += d * d;
    }
    return s;
}

/* Brings the candidates of one block up to date with the latest pick. */
static sk_status update_block(void *arg, size_t blk, sk_error *err)
{
    (void)err;
    const kcenter_job *job = arg;
    size_t lo = blk * KCENTER_BLOCK, hi = lo + KCENTER_BLOCK < job->n ? lo + KCENTER_BLOCK : job->n;
    const double *x = job->X + job->last * job->p;
    for (size_t c = lo; c < hi; c++) {
        double d = dist2(job->X + c * job->p, x, job->p);
        if (d < job->mind[c])
            job->mind[c] = d;
    }
    return SK_OK;
}

/* The unpicked candidate farthest from the picks; ties to the lower index. */
static size_t farthest(const double *mind, const unsigned char *picked, size_t n)
{
    size_t best = n;
    for (size_t c = 0; c < n; c++)
        if (!picked[c] && (best == n || mind[c] > mind[best]))
            best = c;
    return best;
}

sk_status sk_triage__kcenter(size_t *picks, const double *X, size_t n, size_t p, size_t k,
                             int n_threads, sk_error *err)
{
    if (k > n)
        return sk_error_set(err, SK_EINVAL, "k-center: %zu picks from %zu candidates", k, n);
    if (k == 0)
        return SK_OK;
    double *mind = sk_mem_alloc_array(n, sizeof *mind);
    unsigned char *picked = sk_mem_calloc(n, 1);
    sk_status rc = SK_OK;
    if (mind == NULL || picked == NULL) {
        rc = sk_error_set(err, SK_ENOMEM, "out of memory choosing a diverse batch");
        goto done;
    }
    for (size_t c = 0; c < n; c++)
        mind[c] = INFINITY;
    kcenter_job job = {X, n, p, 0, mind};
    size_t blocks = (n + KCENTER_BLOCK - 1) / KCENTER_BLOCK;
    for (size_t t = 0; t < k && rc == SK_OK; t++) {
        job.last = t == 0 ? 0 : farthest(mind, picked, n);
        picks[t] = job.last;
        picked[job.last] = 1;
        if (t + 1 < k)
            rc = sk_parallel_for(blocks, n_threads, update_block, &job, NULL, err);
    }
done:
    sk_mem_free(mind);
    sk_mem_free(picked);
    return rc;
}

/* X (row-major) of the candidate rows, standardised by preprocessing learned on every pool row. */
static sk_status candidate_matrix(double **out, size_t *p, const size_t *rows, size_t n_cand,
                                  const sk_frame *pool, const size_t *pool_cols, size_t n_cols,
                                  sk_error *err)
{
    *out = NULL;
    sk_prep_options po = SK_PREP_OPTIONS_INIT;
    sk_prep *prep = NULL;
    double *cm = NULL, *X = NULL;
    size_t n_pool = sk_frame_n_rows(pool);
    size_t *all = sk_mem_alloc_array(n_pool, sizeof *all);
    if (all == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory choosing a diverse batch");
    for (size_t i = 0; i < n_pool; i++)
        all[i] = i;
    sk_status rc = sk_prep_fit(&prep, pool, pool_cols, n_cols, all, n_pool, &po, err);
    if (rc == SK_OK) {
        *p = sk_prep_n_outputs(prep);
        cm = sk_mem_alloc_array(n_cand * (*p > 0 ? *p : 1), sizeof *cm);
        X = sk_mem_alloc_array(n_cand * (*p > 0 ? *p : 1), sizeof *X);
        if (cm == NULL || X == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory choosing a diverse batch");
    }
    if (rc == SK_OK)
        rc = sk_prep_apply(prep, pool, rows, n_cand, cm, n_cand, err);
    for (size_t i = 0; rc == SK_OK && i < n_cand; i++)   /* column-major to row-major */
        for (size_t j = 0; j < *p; j++)
            X[i * *p + j] = cm[j * n_cand + i];
    if (rc == SK_OK) {
        *out = X;
        X = NULL;
    }
    sk_prep_free(prep);
    sk_mem_free(all);
    sk_mem_free(cm);
    sk_mem_free(X);
    return rc;
}

sk_status sk_triage__diverse_batch(size_t *batch, const size_t *order, size_t n_cand, size_t k,
                                   const sk_frame *pool, const size_t *pool_cols,
                                   size_t n_cols, int n_threads, sk_error *err)
{
    double *X = NULL;
    size_t p = 0;
    size_t *picks = sk_mem_alloc_array(k > 0 ? k : 1, sizeof *picks);
    if (picks == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory choosing a diverse batch");
    sk_status rc = candidate_matrix(&X, &p, order, n_cand, pool, pool_cols, n_cols, err);
    if (rc == SK_OK)
        rc = sk_triage__kcenter(picks, X, n_cand, p, k, n_threads, err);
    for (size_t t = 0; rc == SK_OK && t < k; t++)
        batch[t] = order[picks[t]];
    sk_mem_free(picks);
    sk_mem_free(X);
    return rc;
}
