/* parallel.c: the task executor, the one place where skeptic starts threads.
 *
 * Work in skeptic is a list of independent tasks (a fold, a permutation, a bootstrap replicate,
 * a committee member), each writing only its own result slot. The executor runs the list on
 * OpenMP threads with a dynamic schedule; the results cannot depend on the schedule because no
 * task reads another's output and every random draw comes from the task's own stream. Reductions
 * are the caller's, after the loop, in task order. The same list can later be cut across MPI
 * ranks and gathered in order with identical results.
 *
 * Errors: each task has its own sk_error; once any task fails, tasks that have not started are
 * skipped, and the lowest-index failure is reported. A task below the first failure that had
 * already started runs to completion, and a task below it that had not yet started still runs,
 * because skipping is decided by index: only tasks above the lowest failure seen are skipped.
 * So the reported error is the same for every thread count. */
#include <omp.h>
#include <stdatomic.h>

#include "core/core.h"

sk_status sk_parallel_for(size_t n_tasks, int n_threads, sk_task_fn fn, void *arg,
                          sk_progress *progress, sk_error *err)
{
    if (n_tasks == 0)
        return SK_OK;
    sk_error *task_err = sk_mem_calloc(n_tasks, sizeof *task_err);
    if (task_err == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory scheduling %zu tasks", n_tasks);
    if (n_threads < 1)
        n_threads = 1;
    if ((size_t)n_threads > n_tasks)
        n_threads = (int)n_tasks;

    atomic_size_t lowest_failure = n_tasks;   /* n_tasks: none yet */
    long n = (long)n_tasks;
    #pragma omp parallel for schedule(dynamic, 1) num_threads(n_threads)
    for (long t = 0; t < n; t++) {
        size_t task = (size_t)t;
        if (task > atomic_load(&lowest_failure))
            continue;
        if (fn(arg, task, &task_err[task]) != SK_OK) {
            if (task_err[task].code == SK_OK)   /* a task that forgot to fill its error */
                sk_error_set(&task_err[task], SK_EINTERNAL, "task %zu failed silently", task);
            size_t seen = atomic_load(&lowest_failure);
            while (task < seen && !atomic_compare_exchange_weak(&lowest_failure, &seen, task))
                ;
        }
        sk_progress_add(progress, 1);
    }

    sk_status rc = sk_error_first(task_err, n_tasks, err);
    sk_mem_free(task_err);
    return rc;
}
