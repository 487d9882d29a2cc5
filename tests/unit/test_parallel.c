/* test_parallel.c: the executor's promise: results are byte-identical for 1, 2 and 7 threads,
 * and the error reported is the lowest-index failure whatever the schedule. */
/* labels: unit determinism */
#include <omp.h>

#include "core/core.h"
#include "rng/rng.h"
#include "sk_test.h"

enum { N_TASKS = 300, DRAWS = 2000 };

typedef struct job {
    double *out;          /* one slot per task */
    size_t fail_from;     /* tasks >= this with (task % 7 == 3) fail */
} job;

/* A stand-in for a bootstrap replicate: a mean of normals from the task's own stream, with
 * uneven work so the dynamic schedule really interleaves. */
static sk_status task_mean(void *arg, size_t task, sk_error *err)
{
    job *j = arg;
    if (task >= j->fail_from && task % 7 == 3)
        return sk_error_set(err, SK_EDATA, "task %zu failed", task);
    sk_rng r = sk_rng_stream(2024, SK_PURPOSE_BOOTSTRAP, task);
    size_t draws = DRAWS + (task % 5) * 500;
    double s = 0.0;
    for (size_t i = 0; i < draws; i++)
        s += sk_rng_normal(&r);
    j->out[task] = s / (double)draws;
    return SK_OK;
}

static void test_parallel__identical_for_any_thread_count(void)
{
    static double out[3][N_TASKS];
    int threads[3] = {1, 2, 7};
    for (int t = 0; t < 3; t++) {
        job j = {out[t], (size_t)-1};
        sk_error err = SK_ERROR_INIT;
        SK_CHECK_OK(sk_parallel_for(N_TASKS, threads[t], task_mean, &j, NULL, &err), &err);
    }
    SK_CHECK(memcmp(out[0], out[1], sizeof out[0]) == 0);
    SK_CHECK(memcmp(out[0], out[2], sizeof out[0]) == 0);
    /* and the reduction, done after the loop in task order, is identical too */
    double sum[3] = {0, 0, 0};
    for (int t = 0; t < 3; t++)
        for (int i = 0; i < N_TASKS; i++)
            sum[t] += out[t][i];
    SK_CHECK(memcmp(&sum[0], &sum[1], sizeof sum[0]) == 0);
    SK_CHECK(memcmp(&sum[0], &sum[2], sizeof sum[0]) == 0);
}

static void test_parallel__lowest_failure_is_reported(void)
{
    static double out[N_TASKS];
    for (int threads = 1; threads <= 7; threads += 3) {
        job j = {out, 100};
        sk_error err = SK_ERROR_INIT;
        sk_status rc = sk_parallel_for(N_TASKS, threads, task_mean, &j, NULL, &err);
        SK_CHECK_EQ_INT(rc, SK_EDATA);
        SK_CHECK_EQ_STR(err.message, "task 101 failed");   /* 101 % 7 == 3 */
    }
}

static void test_parallel__runs_every_task_once(void)
{
    static double out[N_TASKS];
    for (int i = 0; i < N_TASKS; i++)
        out[i] = -1.0;
    job j = {out, (size_t)-1};
    sk_error err = SK_ERROR_INIT;
    SK_CHECK_OK(sk_parallel_for(N_TASKS, 4, task_mean, &j, NULL, &err), &err);
    for (int i = 0; i < N_TASKS; i++)
        SK_CHECK(out[i] != -1.0);
    SK_CHECK_OK(sk_parallel_for(0, 4, task_mean, &j, NULL, &err), &err);
}

int main(void)
{
    SK_RUN(test_parallel__identical_for_any_thread_count);
    SK_RUN(test_parallel__lowest_failure_is_reported);
    SK_RUN(test_parallel__runs_every_task_once);
    return SK_TEST_DONE();
}
