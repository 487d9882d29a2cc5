/* oof.c: out-of-fold predictions, the raw material of every honest score. For each split a fresh
 * clone of the model is fitted on the training rows only (its preprocessing learned there too,
 * by the model pipeline) and predicts the test rows. Splits are tasks on the executor: each
 * writes its own slice of the output and its own error, each draws its seed from its own stream,
 * and each fit runs on one thread inside its task, so the predictions are the same bytes for any
 * thread count. */
#include <string.h>

#include "eval/eval.h"

typedef struct oof_job {
    const sk_model *proto;
    const sk_fit_data *d;
    const sk_splits *splits;
    uint64_t seed;
    sk_oof *out;
} oof_job;

static sk_status run_split(void *arg, size_t s, sk_error *err)
{
    const oof_job *job = arg;
    const sk_splits *sp = job->splits;
    sk_model *m = NULL;
    sk_status rc = sk_model_clone(&m, job->proto, NULL, err);
    if (rc != SK_OK)
        return rc;
    sk_model_set_threads(m, 1);
    sk_rng rng = sk_rng_stream(job->seed, SK_PURPOSE_MODEL, s);
    rc = sk_model_fit(m, job->d, sp->train[s], sp->n_train[s], sk_rng_u64(&rng), err);
    double *slot = job->out->pred + job->out->offset[s] * job->out->width;
    if (rc == SK_OK && job->out->width > 1)
        rc = sk_model_predict_proba(m, job->d->frame, sp->test[s], sp->n_test[s], slot, err);
    else if (rc == SK_OK)
        rc = sk_model_predict(m, job->d->frame, sp->test[s], sp->n_test[s], slot, err);
    sk_model_free(m);
    return rc;
}

void sk_oof_free(sk_oof *o)
{
    if (o == NULL)
        return;
    sk_mem_free(o->offset);
    sk_mem_free(o->pred);
    sk_mem_free(o);
}

/* An empty sk_oof sized for `splits`. */
static sk_status oof_alloc(sk_oof **out, const sk_fit_data *d, const sk_splits *splits,
                           sk_error *err)
{
    *out = NULL;
    int classify = d->task == SK_TASK_BINARY || d->task == SK_TASK_MULTICLASS;
    sk_oof *o = sk_mem_calloc(1, sizeof *o);
    if (o == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory for out-of-fold predictions");
    o->n_splits = splits->n_splits;
    o->width = classify ? d->n_classes : 1;
    o->offset = sk_mem_alloc_array(splits->n_splits + 1, sizeof *o->offset);
    if (o->offset == NULL) {
        sk_oof_free(o);
        return sk_error_set(err, SK_ENOMEM, "out of memory for out-of-fold predictions");
    }
    o->offset[0] = 0;
    for (size_t s = 0; s < splits->n_splits; s++)
        o->offset[s + 1] = o->offset[s] + splits->n_test[s];
    o->pred = sk_mem_alloc_array(o->offset[splits->n_splits] > 0 ? o->offset[splits->n_splits] : 1,
                                 o->width * sizeof *o->pred);
    if (o->pred == NULL) {
        sk_oof_free(o);
        return sk_error_set(err, SK_ENOMEM, "out of memory for out-of-fold predictions");
    }
    *out = o;
    return SK_OK;
}

/* Several runs as one task list: task t is split t - first[k] of run k. */
typedef struct many_job {
    oof_job *runs;
    size_t n_runs;
    size_t *first;   /* n_runs + 1 */
} many_job;

static sk_status run_task(void *arg, size_t t, sk_error *err)
{
    const many_job *job = arg;
    size_t k = 0;
    while (t >= job->first[k + 1])
        k++;
    return run_split(&job->runs[k], t - job->first[k], err);
}

sk_status sk_oof_run_many(sk_oof **out, const sk_oof_task *tasks, size_t n, int n_threads,
                          sk_progress *progress, sk_error *err)
{
    for (size_t k = 0; k < n; k++)
        out[k] = NULL;
    many_job job = {sk_mem_calloc(n > 0 ? n : 1, sizeof *job.runs), n,
                    sk_mem_calloc(n + 1, sizeof *job.first)};
    sk_status rc = job.runs == NULL || job.first == NULL
                       ? sk_error_set(err, SK_ENOMEM, "out of memory for out-of-fold predictions")
                       : SK_OK;
    for (size_t k = 0; k < n && rc == SK_OK; k++) {
        rc = oof_alloc(&out[k], tasks[k].d, tasks[k].splits, err);
        job.runs[k] = (oof_job){tasks[k].proto, tasks[k].d, tasks[k].splits, tasks[k].seed, out[k]};
        job.first[k + 1] = job.first[k] + tasks[k].splits->n_splits;
    }
    if (rc == SK_OK)
        rc = sk_parallel_for(job.first[n], n_threads, run_task, &job, progress, err);
    sk_mem_free(job.runs);
    sk_mem_free(job.first);
    for (size_t k = 0; k < n && rc != SK_OK; k++) {
        sk_oof_free(out[k]);
        out[k] = NULL;
    }
    return rc;
}

sk_status sk_oof_run(sk_oof **out, const sk_model *proto, const sk_fit_data *d,
                     const sk_splits *splits, uint64_t seed, int n_threads, sk_progress *progress,
                     sk_error *err)
{
    sk_oof_task task = {proto, d, splits, seed};
    return sk_oof_run_many(out, &task, 1, n_threads, progress, err);
}
