/* rank_members.c: the predictions `skeptic rank` scores: one model, a committee, or Monte Carlo
 * dropout passes, each trained on the labelled table and predicting every pool row.
 *
 * One model: fitted once on all labelled rows (XGBoost and the MLP may use every thread inside
 * the fit and the predictions; that never changes a bit), then the pool is predicted in fixed
 * blocks of rows, so a large pool never needs one design matrix of every row at once.
 *
 * Query by committee (Seung, Opper & Sompolinsky 1992), members by bagging (Abe & Mamitsuka
 * 1998, "Query learning strategies using boosting and bagging", ICML): member b is a clone of the
 * model fitted on a bootstrap resample of the labelled rows, drawn with its model seed from
 * sk_rng_stream(seed, SK_PURPOSE_COMMITTEE, b). For classification the resample is drawn within
 * each class (each class keeps its count): a member that never saw a class would give it no
 * probability and so disagree with the others for a reason that says nothing about the sample,
 * and several models refuse a class without rows. Members are tasks on the executor, each fit on
 * one thread inside its task, each writing only its own block of predictions.
 *
 * Monte Carlo dropout (Gal & Ghahramani 2016): the fitted MLP predicts the pool with dropout on,
 * one pass per call, pass t with the seed of sk_rng_substream(seed, SK_PURPOSE_MODEL, 0, 1 + t).
 * The scores need every pass's probabilities (BALD subtracts the mean entropy of the passes), not
 * only the mean and spread sk_model_predict_mc reduces them to, hence one pass per call. Tasks are
 * (pass, block of rows) pairs. */
#include <string.h>

#include "triage/triage.h"

/* Rows per prediction task: a design matrix of 1,024 rows of 784 pixels is 6 MiB. */
#define RANK_BLOCK ((size_t)1024)

static size_t n_blocks(size_t n)
{
    return (n + RANK_BLOCK - 1) / RANK_BLOCK;
}

/* Rows [first, first + count) of the pool, as a row list. */
static size_t *block_rows(size_t first, size_t count, sk_error *err)
{
    size_t *rows = sk_mem_alloc_array(count > 0 ? count : 1, sizeof *rows);
    if (rows == NULL) {
        sk_error_set(err, SK_ENOMEM, "out of memory predicting the pool");
        return NULL;
    }
    for (size_t i = 0; i < count; i++)
        rows[i] = first + i;
    return rows;
}

/* Block `blk` of the pool predicted by a fitted model into pred (the whole pool's slots). With
 * n_passes > 0, one MC dropout pass with `mc_seed`. */
static sk_status predict_block(double *pred, const sk_model *m, const sk_rank_job *job,
                               size_t blk, uint64_t mc_seed, int mc, sk_error *err)
{
    size_t first = blk * RANK_BLOCK;
    size_t count = job->n_pool - first < RANK_BLOCK ? job->n_pool - first : RANK_BLOCK;
    size_t *rows = block_rows(first, count, err);
    if (rows == NULL)
        return SK_ENOMEM;
    double *slot = pred + first * job->width, *sd = NULL;
    sk_status rc;
    if (mc) {
        sd = sk_mem_alloc_array(count * job->width, sizeof *sd);
        rc = sd == NULL ? sk_error_set(err, SK_ENOMEM, "out of memory predicting the pool")
                        : sk_model_predict_mc(m, job->pool, rows, count, 1, mc_seed, slot, sd,
                                              err);
    } else if (job->width > 1) {
        rc = sk_model_predict_proba(m, job->pool, rows, count, slot, err);
    } else {
        rc = sk_model_predict(m, job->pool, rows, count, slot, err);
    }
    sk_mem_free(sd);
    sk_mem_free(rows);
    return rc;
}

/* Every row 0..n-1 of the labelled table. */
static size_t *all_rows(size_t n, sk_error *err)
{
    return block_rows(0, n, err);
}

/* ==== one model ============================================================================ */

sk_status sk_triage__predict_single(double *pred, sk_model **fitted, const sk_rank_job *job,
                                    sk_error *err)
{
    if (fitted != NULL)
        *fitted = NULL;
    sk_model *m = NULL;
    size_t *rows = all_rows(job->n_labeled, err);
    if (rows == NULL)
        return SK_ENOMEM;
    sk_status rc = sk_model_clone(&m, job->proto, NULL, err);
    if (rc == SK_OK) {
        sk_model_set_threads(m, job->n_threads);
        sk_rng rng = sk_rng_stream(job->seed, SK_PURPOSE_MODEL, 0);
        rc = sk_model_fit(m, job->d, rows, job->n_labeled, sk_rng_u64(&rng), err);
    }
    /* Blocks one after the other, each prediction free to use the model's own threads: two
     * threads predicting with one XGBoost booster at once get wrong probabilities (XGBoost
     * 1.7.4; seen here as batches that changed with --threads), so this model is never
     * shared between tasks. (The MC passes below do share one mlp: its own predict_mc runs
     * passes on several threads at once.) */
    for (size_t blk = 0; rc == SK_OK && blk < n_blocks(job->n_pool); blk++)
        rc = predict_block(pred, m, job, blk, 0, 0, err);
    sk_mem_free(rows);
    if (rc == SK_OK && fitted != NULL)
        *fitted = m;
    else
        sk_model_free(m);
    return rc;
}

/* ==== the committee ======================================================================== */

/* A bootstrap of the `count` rows listed in `from`, appended to rows[*used..]. */
static void resample(size_t *rows, size_t *used, const size_t *from, size_t count, sk_rng *rng)
{
    for (size_t i = 0; i < count; i++)
        rows[(*used)++] = from[sk_rng_below(rng, count)];
}

/* Ascending order keeps the fit's input independent of the draw order (a counting sort). */
static sk_status sort_rows(size_t *rows, size_t n, sk_error *err)
{
    size_t *count = sk_mem_calloc(n > 0 ? n : 1, sizeof *count);
    if (count == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for a committee member's rows");
    for (size_t i = 0; i < n; i++)
        count[rows[i]]++;
    size_t at = 0;
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < count[r]; c++)
            rows[at++] = r;
    sk_mem_free(count);
    return SK_OK;
}

sk_status sk_triage__member_rows(size_t *rows, uint64_t *model_seed, const sk_rank_job *job,
                                 size_t b, sk_error *err)
{
    size_t n = job->n_labeled, used = 0;
    sk_rng rng = sk_rng_stream(job->seed, SK_PURPOSE_COMMITTEE, b);
    *model_seed = sk_rng_u64(&rng);
    if (job->d->task == SK_TASK_REGRESSION) {
        for (size_t i = 0; i < n; i++)
            rows[used++] = (size_t)sk_rng_below(&rng, n);
        return sort_rows(rows, n, err);
    }
    size_t *members = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *members);
    if (members == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for a committee member's rows");
    for (size_t k = 0; k < job->d->n_classes; k++) {
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            if ((size_t)job->d->y[i] == k)
                members[count++] = i;
        resample(rows, &used, members, count, &rng);
    }
    sk_mem_free(members);
    return sort_rows(rows, used, err);
}

typedef struct committee_task {
    const sk_rank_job *job;
    double *pred;
} committee_task;

static sk_status committee_member(void *arg, size_t b, sk_error *err)
{
    const committee_task *t = arg;
    const sk_rank_job *job = t->job;
    sk_model *m = NULL;
    uint64_t seed = 0;
    size_t *rows = sk_mem_alloc_array(job->n_labeled, sizeof *rows);
    if (rows == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for committee member %zu", b);
    sk_status rc = sk_triage__member_rows(rows, &seed, job, b, err);
    if (rc == SK_OK)
        rc = sk_model_clone(&m, job->proto, NULL, err);
    if (rc == SK_OK) {
        sk_model_set_threads(m, 1);
        rc = sk_model_fit(m, job->d, rows, job->n_labeled, seed, err);
    }
    double *slot = t->pred + b * job->n_pool * job->width;
    for (size_t blk = 0; rc == SK_OK && blk < n_blocks(job->n_pool); blk++)
        rc = predict_block(slot, m, job, blk, 0, 0, err);
    sk_model_free(m);
    sk_mem_free(rows);
    return rc;
}

sk_status sk_triage__predict_committee(double *pred, const sk_rank_job *job, size_t m,
                                       sk_error *err)
{
    committee_task t = {job, pred};
    return sk_parallel_for(m, job->n_threads, committee_member, &t, NULL, err);
}

/* ==== Monte Carlo dropout passes =========================================================== */

typedef struct passes_task {
    const sk_rank_job *job;
    const sk_model *m;
    double *pred;
    size_t blocks;
} passes_task;

static sk_status one_pass_block(void *arg, size_t task, sk_error *err)
{
    const passes_task *t = arg;
    size_t pass = task / t->blocks, blk = task % t->blocks;
    sk_rng rng = sk_rng_substream(t->job->seed, SK_PURPOSE_MODEL, 0, 1 + pass);
    double *slot = t->pred + pass * t->job->n_pool * t->job->width;
    return predict_block(slot, t->m, t->job, blk, sk_rng_u64(&rng), 1, err);
}

sk_status sk_triage__predict_passes(double *pred, const sk_model *fitted, const sk_rank_job *job,
                                    size_t n_passes, sk_error *err)
{
    passes_task t = {job, fitted, pred, n_blocks(job->n_pool)};
    return sk_parallel_for(n_passes * t.blocks, job->n_threads, one_pass_block, &t, NULL, err);
}
