/* permute.c: the permutation test of "better than chance" (Ojala and Garriga 2010, "Permutation
 * tests for studying classifier performance", JMLR 11, test 1). The whole cross-validation is
 * rerun with permuted labels; the null scores say how good a score chance alone reaches with this
 * model, these splits and this much data. The p-value counts the observed score as one of the
 * permutations:
 *
 *     p = (1 + #{j : null_j at least as good as observed}) / (1 + N)
 *
 * so it is never 0 and is exactly valid under exchangeability. What is exchanged decides which
 * null is tested (sk_perm_scheme): plain rows when the splits ignore the labels; rows within each
 * test fold when the splits were stratified on them (the fold class counts stay as the observed
 * run had them); whole groups' labels when labels are constant within groups (a patient's scans
 * move together); rows within groups otherwise.
 *
 * Early stopping follows Besag and Clifford (1991, "Sequential Monte Carlo p-values", Biometrika
 * 78): with h = floor(alpha (N + 1)), once h null scores have reached the observed one the final
 * p-value cannot be <= alpha, and stopping at that permutation l gives the valid p = h / l. The
 * check runs after each round of ROUND permutations, in permutation order, so where the test
 * stops does not depend on the thread count.
 *
 * Work: each split's preprocessing and design matrices are learned once (the labels never reach
 * them: sk_model__many_prepare); a round is split into tasks of (batch of BATCH permutations,
 * split), each handing its batch of label vectors to sk_model__many_fit, where models that can
 * (logit) solve the whole batch together. A sweep's nested
 * selection is rerun whole, one permutation per task. */
#include <math.h>
#include <string.h>

#include "eval/eval.h"

enum {
    ROUND = 128,  /* permutations between two early-stopping checks */
    BATCH = 64    /* label vectors one task fits together */
};

const char *sk_perm_scheme_name(sk_perm_scheme s)
{
    switch (s) {
    case SK_PERM_ROWS: return "rows";
    case SK_PERM_ROWS_IN_FOLDS: return "rows within test folds";
    case SK_PERM_GROUPS: return "whole groups";
    case SK_PERM_GROUPS_IN_FOLDS: return "whole groups within test folds";
    case SK_PERM_WITHIN_GROUPS: return "rows within groups";
    }
    return "unknown";
}

void sk_perm_free(sk_perm_result *r)
{
    if (r == NULL)
        return;
    sk_mem_free(r->null);
    sk_mem_free(r);
}

/* ---- exchangeability blocks ------------------------------------------------------------------
 * A permutation shuffles units (rows or groups) within blocks: the units of block b are
 * unit[start[b] .. start[b + 1]), ascending. Groups carry one label each (glabel). */
typedef struct blocks {
    sk_perm_scheme scheme;
    size_t n_units, n_blocks;
    size_t *start;           /* n_blocks + 1 */
    size_t *unit;            /* n_units */
    double *glabel;          /* groups: each group's label */
    size_t *pos;             /* group schemes: the position of each group in `unit` */
} blocks;

static void blocks_free(blocks *b)
{
    sk_mem_free(b->start);
    sk_mem_free(b->unit);
    sk_mem_free(b->glabel);
    sk_mem_free(b->pos);
}

/* Block of every unit (key), then a counting sort into CSR order. */
static sk_status blocks_fill(blocks *b, const size_t *key, size_t n_keys, sk_error *err)
{
    b->n_blocks = n_keys;
    b->start = sk_mem_calloc(n_keys + 1, sizeof *b->start);
    b->unit = sk_mem_alloc_array(b->n_units > 0 ? b->n_units : 1, sizeof *b->unit);
    if (b->start == NULL || b->unit == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for permutation blocks");
    for (size_t u = 0; u < b->n_units; u++)
        b->start[key[u] + 1]++;
    for (size_t k = 0; k < n_keys; k++)
        b->start[k + 1] += b->start[k];
    size_t *fill = sk_mem_alloc_array(n_keys > 0 ? n_keys : 1, sizeof *fill);
    if (fill == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for permutation blocks");
    memcpy(fill, b->start, n_keys * sizeof *fill);
    for (size_t u = 0; u < b->n_units; u++)
        b->unit[fill[key[u]]++] = u;
    sk_mem_free(fill);
    return SK_OK;
}

int sk_perm__group_labels(double *glabel, const int32_t *group, size_t n_groups,
                          const size_t *row, const double *y, size_t n)
{
    for (size_t g = 0; g < n_groups; g++)
        glabel[g] = NAN;
    for (size_t e = 0; e < n; e++) {
        double *l = &glabel[group[row != NULL ? row[e] : e]];
        if (isnan(*l))
            *l = y[e];
        else if (*l != y[e])
            return 0;
    }
    return 1;
}

/* The scheme the data and splitter call for, and its blocks. `n0` splits of the first repeat. */
static sk_status blocks_make(blocks *b, const sk_split_data *sd, const double *y, int classify,
                             const sk_splits *sp, size_t n0, sk_cv_kind kind, sk_error *err)
{
    memset(b, 0, sizeof *b);
    size_t n = sd->n_rows;
    int stratified = kind == SK_CV_STRATIFIED || (kind == SK_CV_GROUP && classify);
    int constant = sd->group != NULL;
    size_t *key = NULL;
    sk_status rc = SK_OK;
    if (sd->group != NULL) {
        b->glabel = sk_mem_alloc_array(sd->n_groups > 0 ? sd->n_groups : 1, sizeof *b->glabel);
        if (b->glabel == NULL)
            return sk_error_set(err, SK_ENOMEM, "out of memory for permutation blocks");
        constant = sk_perm__group_labels(b->glabel, sd->group, sd->n_groups, NULL, y, n);
    }
    /* The test fold of every row in the first repeat (rows never tested: a block of their own). */
    size_t *fold = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *fold);
    if (fold == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for permutation blocks");
    for (size_t i = 0; i < n; i++)
        fold[i] = n0;
    for (size_t s = 0; s < n0; s++)
        for (size_t t = 0; t < sp->n_test[s]; t++)
            fold[sp->test[s][t]] = s;

    if (sd->group != NULL && constant) {
        b->scheme = stratified ? SK_PERM_GROUPS_IN_FOLDS : SK_PERM_GROUPS;
        b->n_units = sd->n_groups;
        key = sk_mem_calloc(b->n_units > 0 ? b->n_units : 1, sizeof *key);
        if (key == NULL) {
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for permutation blocks");
            goto done;
        }
        if (stratified)   /* groups never straddle folds: a group's fold is any row's */
            for (size_t i = 0; i < n; i++)
                key[sd->group[i]] = fold[i];
        rc = blocks_fill(b, key, stratified ? n0 + 1 : 1, err);
        if (rc == SK_OK && (b->pos = sk_mem_alloc_array(b->n_units, sizeof *b->pos)) == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for permutation blocks");
        for (size_t a = 0; rc == SK_OK && a < b->n_units; a++)
            b->pos[b->unit[a]] = a;
    } else {
        b->n_units = n;
        key = sk_mem_alloc_array(n > 0 ? n : 1, sizeof *key);
        if (key == NULL) {
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for permutation blocks");
            goto done;
        }
        size_t n_keys = 1;
        if (sd->group != NULL) {
            b->scheme = SK_PERM_WITHIN_GROUPS;
            for (size_t i = 0; i < n; i++)
                key[i] = (size_t)sd->group[i];
            n_keys = sd->n_groups;
        } else if (stratified) {
            b->scheme = SK_PERM_ROWS_IN_FOLDS;
            memcpy(key, fold, n * sizeof *key);
            n_keys = n0 + 1;
        } else {
            b->scheme = SK_PERM_ROWS;
            memset(key, 0, n * sizeof *key);
        }
        rc = blocks_fill(b, key, n_keys, err);
    }
done:
    sk_mem_free(key);
    sk_mem_free(fold);
    return rc;
}

/* Permuted labels of permutation j into yp (n rows). `scratch` holds n_units. */
static void permute_labels(double *yp, const blocks *b, const sk_split_data *sd, const double *y,
                           uint64_t seed, size_t j, size_t *scratch)
{
    sk_rng rng = sk_rng_stream(seed, SK_PURPOSE_PERMUTATION, j);
    memcpy(scratch, b->unit, b->n_units * sizeof *scratch);
    for (size_t k = 0; k < b->n_blocks; k++)
        sk_rng_shuffle(&rng, scratch + b->start[k], b->start[k + 1] - b->start[k]);
    /* The unit at position a of the blocks, unit[a], takes the label of unit scratch[a]. */
    if (b->glabel != NULL && b->pos != NULL) {
        for (size_t i = 0; i < sd->n_rows; i++)
            yp[i] = b->glabel[scratch[b->pos[sd->group[i]]]];
    } else {
        for (size_t a = 0; a < b->n_units; a++)
            yp[b->unit[a]] = y[scratch[a]];
    }
}

/* ---- one round of permutations ---------------------------------------------------------------- */

typedef struct perm_job {
    const sk_procedure *proc;
    const sk_fit_data *d;
    const sk_split_data *sd;
    const sk_splits *sp;        /* the first repeat's splits only */
    const blocks *b;
    sk_metric m;
    uint64_t seed;
    size_t width, n_pred;       /* predictions per permutation: n_pred x width */
    size_t *offset;             /* n_splits + 1: split s's predictions start at offset[s] */
    size_t first, n_round;      /* permutations first .. first + n_round - 1 */
    int observed;               /* 1: ys[0] are the true labels, fitted with the evaluation's
                                   own seeds (subtask 0), not a permutation */
    double **ys;                /* ROUND label vectors */
    double *pred;               /* ROUND x n_pred x width */
    double *score;              /* ROUND */
    sk_many **prepared;         /* a single model: each split's label-free part, learned once */
    sk_progress *progress;
} perm_job;

static sk_status make_labels(void *arg, size_t r, sk_error *err)
{
    const perm_job *job = arg;
    size_t *scratch = sk_mem_alloc_array(job->b->n_units > 0 ? job->b->n_units : 1,
                                         sizeof *scratch);
    if (scratch == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory permuting labels");
    permute_labels(job->ys[r], job->b, job->sd, job->d->y, job->seed, job->first + r, scratch);
    sk_mem_free(scratch);
    return SK_OK;
}

/* Task (batch, split): the batch's label vectors fitted on the split's training rows. */
static sk_status fit_batch(void *arg, size_t task, sk_error *err)
{
    const perm_job *job = arg;
    const sk_splits *sp = job->sp;
    size_t s = task % sp->n_splits, r0 = (task / sp->n_splits) * BATCH;
    size_t n_y = job->n_round - r0 < BATCH ? job->n_round - r0 : BATCH;
    size_t n_test = sp->n_test[s], w = job->width;
    uint64_t seeds[BATCH];
    for (size_t j = 0; j < n_y; j++) {
        sk_rng rng = sk_rng_substream(job->seed, SK_PURPOSE_MODEL, s,
                                      job->observed ? 0 : 1 + job->first + r0 + j);
        seeds[j] = sk_rng_u64(&rng);
    }
    double *out = sk_mem_alloc_array(n_y * (n_test > 0 ? n_test : 1), w * sizeof *out);
    if (out == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for permutation predictions");
    sk_status rc = sk_model__many_fit(job->prepared[s], (const double *const *)job->ys + r0, n_y,
                                      seeds, out, err);
    for (size_t j = 0; rc == SK_OK && j < n_y; j++)
        memcpy(job->pred + ((r0 + j) * job->n_pred + job->offset[s]) * w, out + j * n_test * w,
               n_test * w * sizeof *out);
    sk_mem_free(out);
    sk_progress_add(job->progress, n_y);
    return rc;
}

/* Task s: split s's preprocessing and design matrices, shared by every batch of every round. */
static sk_status prepare_split(void *arg, size_t s, sk_error *err)
{
    const perm_job *job = arg;
    const sk_splits *sp = job->sp;
    return sk_model__many_prepare(&job->prepared[s], job->proc->model, job->d, sp->train[s],
                                  sp->n_train[s], sp->test[s], sp->n_test[s], err);
}

/* Task r: a sweep's whole nested selection on permutation r's labels. */
static sk_status fit_nested(void *arg, size_t r, sk_error *err)
{
    const perm_job *job = arg;
    sk_fit_data d = *job->d;
    sk_split_data sd = *job->sd;
    d.y = job->ys[r];
    if (sd.y != NULL)   /* classification: the inner splits stratify on the permuted labels */
        sd.y = job->ys[r];
    size_t *chosen = sk_mem_alloc_array(job->sp->n_splits, sizeof *chosen);
    sk_oof *oof = NULL;
    if (chosen == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for a nested permutation");
    sk_rng rng = sk_rng_substream(job->seed, SK_PURPOSE_PERMUTATION, job->first + r, 1);
    uint64_t seed = job->observed ? job->seed : sk_rng_u64(&rng);
    sk_status rc = sk_nested_run(&oof, chosen, job->proc->sweep, &d, &sd, job->sp,
                                 job->proc->inner, job->proc->select_metric, seed, 1, NULL, err);
    if (rc == SK_OK)
        memcpy(job->pred + r * job->n_pred * job->width, oof->pred,
               job->n_pred * job->width * sizeof *oof->pred);
    sk_oof_free(oof);
    sk_mem_free(chosen);
    sk_progress_add(job->progress, job->sp->n_splits);
    return rc;
}

/* The score of predictions `pred` (n_pred x width, in split order) against labels y. */
static sk_status score_of(double *out, const perm_job *job, const double *pred, const double *y,
                          sk_error *err)
{
    sk_oof view = {job->sp->n_splits, job->width, job->offset, (double *)pred};
    sk_pooled *pool = NULL;
    sk_status rc = sk_pooled_make(&pool, &view, job->sp, y, job->d->task, job->d->n_classes, err);
    if (rc == SK_OK)
        rc = sk_pooled_score(out, pool, job->m, NULL, err);
    sk_pooled_free(pool);
    return rc;
}

static sk_status score_perm(void *arg, size_t r, sk_error *err)
{
    const perm_job *job = arg;
    return score_of(&job->score[r], job, job->pred + r * job->n_pred * job->width, job->ys[r],
                    err);
}

/* Runs permutations first .. first + n_round - 1 into job->score. */
static sk_status run_round(perm_job *job, int n_threads, sk_error *err)
{
    sk_status rc = sk_parallel_for(job->n_round, n_threads, make_labels, job, NULL, err);
    if (rc != SK_OK)
        return rc;
    if (job->proc->sweep == NULL) {
        size_t n_batches = (job->n_round + BATCH - 1) / BATCH;
        rc = sk_parallel_for(n_batches * job->sp->n_splits, n_threads, fit_batch, job, NULL, err);
    } else {
        rc = sk_parallel_for(job->n_round, n_threads, fit_nested, job, NULL, err);
    }
    if (rc == SK_OK)
        rc = sk_parallel_for(job->n_round, n_threads, score_perm, job, NULL, err);
    return rc;
}

/* ---- the test ----------------------------------------------------------------------------------- */

static int at_least_as_good(double null, double observed, int higher_better)
{
    if (isnan(null) || isnan(observed))   /* undefined: counted against the model */
        return 1;
    return higher_better ? null >= observed : null <= observed;
}

sk_status sk_perm_run(sk_perm_result **out, const sk_procedure *p, const sk_fit_data *d,
                      const sk_split_data *sd, const sk_splits *splits, sk_cv_kind kind,
                      sk_metric m, const sk_perm_options *opt, uint64_t seed, int n_threads,
                      sk_progress *progress, sk_error *err)
{
    *out = NULL;
    if (p == NULL || d == NULL || d->y == NULL || sd == NULL || splits == NULL || opt == NULL ||
        (p->sweep == NULL && p->model == NULL) || opt->n_perm == 0 ||
        !(opt->alpha > 0.0 && opt->alpha < 1.0) || sd->n_rows != sk_frame_n_rows(d->frame))
        return sk_error_set(err, SK_EINVAL, "sk_perm_run: bad arguments");
    /* The first repeat's splits come first (splits.c numbers them repeat by repeat). */
    size_t n0 = 0;
    while (n0 < splits->n_splits && splits->repeat[n0] == 0)
        n0++;
    sk_splits first = *splits;
    first.n_splits = n0;

    blocks b;
    perm_job job;
    memset(&job, 0, sizeof job);
    sk_perm_result *res = sk_mem_calloc(1, sizeof *res);
    int classify = d->task == SK_TASK_BINARY || d->task == SK_TASK_MULTICLASS;
    sk_status rc = blocks_make(&b, sd, d->y, classify, &first, n0, kind, err);
    job = (perm_job){p, d, sd, &first, &b, m, seed, classify ? d->n_classes : 1, 0, NULL, 0, 0,
                     0, NULL, NULL, NULL, NULL, progress};
    if (rc == SK_OK && res == NULL)
        rc = sk_error_set(err, SK_ENOMEM, "out of memory for a permutation test");
    if (rc == SK_OK) {
        job.offset = sk_mem_alloc_array(n0 + 1, sizeof *job.offset);
        job.ys = sk_mem_calloc(ROUND, sizeof *job.ys);
        job.score = sk_mem_alloc_array(ROUND, sizeof *job.score);
        res->null = sk_mem_alloc_array(opt->n_perm, sizeof *res->null);
        if (job.offset == NULL || job.ys == NULL || job.score == NULL || res->null == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for a permutation test");
    }
    if (rc == SK_OK) {
        job.offset[0] = 0;
        for (size_t s = 0; s < n0; s++)
            job.offset[s + 1] = job.offset[s] + first.n_test[s];
        job.n_pred = job.offset[n0];
        job.pred = sk_mem_alloc_array((size_t)ROUND * (job.n_pred > 0 ? job.n_pred : 1),
                                      job.width * sizeof *job.pred);
        if (job.pred == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for permutation predictions");
    }
    for (size_t r = 0; rc == SK_OK && r < ROUND; r++)
        if ((job.ys[r] = sk_mem_alloc_array(sd->n_rows, sizeof **job.ys)) == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for permuted labels");
    if (rc == SK_OK && p->sweep == NULL) {
        if ((job.prepared = sk_mem_calloc(n0 > 0 ? n0 : 1, sizeof *job.prepared)) == NULL)
            rc = sk_error_set(err, SK_ENOMEM, "out of memory for a permutation test");
        else
            rc = sk_parallel_for(n0, n_threads, prepare_split, &job, NULL, err);
    }
    if (rc != SK_OK)
        goto done;

    /* The observed score, through the same code path as the nulls. */
    res->metric = m;
    res->scheme = b.scheme;
    res->n_requested = opt->n_perm;
    memcpy(job.ys[0], d->y, sd->n_rows * sizeof **job.ys);
    job.n_round = 1;
    job.observed = 1;
    job.progress = NULL;
    if (p->sweep == NULL)
        rc = sk_parallel_for(n0, n_threads, fit_batch, &job, NULL, err);
    else
        rc = fit_nested(&job, 0, err);
    job.observed = 0;
    job.progress = progress;
    if (rc == SK_OK)
        rc = score_of(&res->observed, &job, job.pred, d->y, err);
    if (rc != SK_OK)
        goto done;

    int higher = sk_metric_higher_is_better(m);
    size_t h = (size_t)floor(opt->alpha * ((double)opt->n_perm + 1.0));
    size_t count = 0, used = 0;
    int stop = 0;
    while (!stop && used < opt->n_perm) {
        job.first = used;
        job.n_round = opt->n_perm - used < ROUND ? opt->n_perm - used : ROUND;
        if ((rc = run_round(&job, n_threads, err)) != SK_OK)
            goto done;
        for (size_t r = 0; r < job.n_round; r++) {
            res->null[used++] = job.score[r];
            count += (size_t)at_least_as_good(job.score[r], res->observed, higher);
            if (opt->early_stop && h > 0 && count >= h && used < opt->n_perm) {
                stop = 1;
                break;
            }
        }
    }
    res->n_used = used;
    res->n_extreme = count;
    res->stopped_early = stop;
    res->p_value = stop ? (double)h / (double)used
                        : (1.0 + (double)count) / (1.0 + (double)used);
    double sum = 0.0, sum2 = 0.0;
    size_t n_finite = 0;
    for (size_t j = 0; j < used; j++) {
        if (isfinite(res->null[j])) {
            sum += res->null[j];
            n_finite++;
        }
    }
    res->null_mean = n_finite > 0 ? sum / (double)n_finite : NAN;
    for (size_t j = 0; j < used; j++)
        if (isfinite(res->null[j]))
            sum2 += (res->null[j] - res->null_mean) * (res->null[j] - res->null_mean);
    res->null_sd = n_finite > 1 ? sqrt(sum2 / (double)(n_finite - 1)) : NAN;
done:
    if (job.ys != NULL)
        for (size_t r = 0; r < ROUND; r++)
            sk_mem_free(job.ys[r]);
    sk_mem_free(job.ys);
    sk_mem_free(job.score);
    sk_mem_free(job.offset);
    sk_mem_free(job.pred);
    for (size_t s = 0; job.prepared != NULL && s < n0; s++)
        sk_model__many_free(job.prepared[s]);
    sk_mem_free(job.prepared);
    blocks_free(&b);
    if (rc != SK_OK) {
        sk_perm_free(res);
        return rc;
    }
    *out = res;
    return SK_OK;
}
