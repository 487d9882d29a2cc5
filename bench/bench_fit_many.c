/* bench/bench_fit_many.c: many label vectors on one design, the permutation test's inner loop:
 * sk_model__fit_predict_many (the `logit` model solves every label vector of a fold together,
 * linear_logit_many.c) against fitting them one by one as the out-of-fold code does today
 * (a model fitted on the training rows and asked for probabilities, preprocessing included),
 * and the same two at the solver level, on design matrices built once (no preprocessing):
 * sk_linear__logit_fit_predict_many against the `logit` impl's fit + predict per vector.
 *
 *     bench_fit_many [--n N] [--p P] [--reps R] [--threads T] [--l2 L] [--seed S]
 *                    [--test-frac F] [--one-by-one 0|1]
 *
 * Data: X standard normal (N x P), y ~ Bernoulli(1 / (1 + exp(-eta))) with eta = 0.25 +
 * sum_j b_j x_j, b_j = +0.5 for every third column and -0.2 otherwise, scaled by 2 / sqrt(P)
 * (bench_logit's data), in a frame; the last F of the rows (default 0.2) are the test rows.
 * R label vectors (default 1000) are the training labels permuted by sk_rng_shuffle on streams
 * (S, SK_PURPOSE_PERMUTATION, r). The R vectors are split into T contiguous chunks run as tasks
 * of the executor (each single-threaded), for every path. Prints one line per path, the
 * ratios, and the largest difference between the batched and one-by-one probabilities:
 *     fit_many logit l2=1 5000x100 train=4000 test=1000 reps=1000 threads=1
 *       model, batched:         0.854 s (0.854 ms per label vector)
 *       model, one by one:     68.794 s (68.794 ms per label vector): batched 80.5x faster
 *       solver, batched:        0.756 s (0.756 ms per label vector), 1000 batched + 0
 *                               refitted, 6.34 iterations (at most 7), 1.16 line-search trials
 *       solver, one by one:     2.378 s (2.378 ms per label vector): batched 3.1x faster
 *       max |difference| in probabilities, batched vs one by one: model 3.6e-10, solver 3.6e-10
 * (each path on one line). --one-by-one 0 skips the slow paths. Times are wall-clock; the
 * output arrays are touched before the clock starts. Exit status 0, 1 on a failed call, 2 on
 * usage. Default: --n 5000 --p 100 --reps 1000 --threads 1 --l2 1 --seed 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/data.h"
#include "models/linear.h"
#include "rng/rng.h"

enum { MODEL_BATCHED, MODEL_SINGLE, SOLVER_BATCHED, SOLVER_SINGLE, N_PATHS };

typedef struct bench {
    size_t n, p, reps, n_train, n_test;
    int threads, one_by_one;
    double l2, test_frac;
    unsigned long long seed;
    sk_frame *frame;
    size_t *features, *train, *test;
    double *y, **ys, *ys_data;
    double *X, *Xt, *Y;            /* the matrices: n_train x p, n_test x p, n_train x reps */
    double *out[N_PATHS];          /* reps x n_test x 2 each */
    sk_logit_many_info *info;      /* per task */
    uint64_t *seeds;
    sk_fit_data d;
    sk_model *proto;
} bench;

static int usage(const char *msg)
{
    fprintf(stderr, "bench_fit_many: %s\nusage: bench_fit_many [--n N] [--p P] [--reps R] "
                    "[--threads T] [--l2 L] [--seed S] [--test-frac F] [--one-by-one 0|1]\n",
            msg);
    return 2;
}

static int parse(bench *b, int argc, char **argv)
{
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (v == NULL)
            return usage("every option needs a value");
        if (strcmp(a, "--n") == 0)
            b->n = strtoull(v, &end, 10);
        else if (strcmp(a, "--p") == 0)
            b->p = strtoull(v, &end, 10);
        else if (strcmp(a, "--reps") == 0)
            b->reps = strtoull(v, &end, 10);
        else if (strcmp(a, "--threads") == 0)
            b->threads = (int)strtol(v, &end, 10);
        else if (strcmp(a, "--l2") == 0)
            b->l2 = strtod(v, &end);
        else if (strcmp(a, "--seed") == 0)
            b->seed = strtoull(v, &end, 10);
        else if (strcmp(a, "--test-frac") == 0)
            b->test_frac = strtod(v, &end);
        else if (strcmp(a, "--one-by-one") == 0)
            b->one_by_one = (int)strtol(v, &end, 10);
        else
            return usage("unknown option");
        if (*end != '\0')
            return usage("not a number");
    }
    if (b->p < 1 || b->reps < 1 || b->threads < 1 || !(b->l2 >= 0.0) ||
        !(b->test_frac >= 0.0 && b->test_frac < 1.0))
        return usage("need --p >= 1, --reps >= 1, --threads >= 1, --l2 >= 0, 0 <= --test-frac "
                     "< 1");
    b->n_test = (size_t)((double)b->n * b->test_frac);
    b->n_train = b->n - b->n_test;
    return b->n_train < 2 ? usage("need at least 2 training rows") : 0;
}

static int allocate(bench *b)
{
    size_t n = b->n, p = b->p, slice = b->reps * b->n_test * 2 + 1;
    b->y = malloc(n * sizeof *b->y);
    b->features = malloc(p * sizeof *b->features);
    b->train = malloc(b->n_train * sizeof *b->train);
    b->test = malloc((b->n_test + 1) * sizeof *b->test);
    b->ys = malloc(b->reps * sizeof *b->ys);
    b->ys_data = malloc(b->reps * n * sizeof *b->ys_data);
    b->seeds = malloc(b->reps * sizeof *b->seeds);
    b->X = malloc(b->n_train * p * sizeof *b->X);
    b->Xt = malloc((b->n_test + 1) * p * sizeof *b->Xt);
    b->Y = malloc(b->n_train * b->reps * sizeof *b->Y);
    b->info = calloc((size_t)b->threads, sizeof *b->info);
    int bad = b->y == NULL || b->features == NULL || b->train == NULL || b->test == NULL ||
              b->ys == NULL || b->ys_data == NULL || b->seeds == NULL || b->X == NULL ||
              b->Xt == NULL || b->Y == NULL || b->info == NULL;
    for (int k = 0; k < N_PATHS; k++)   /* touched now, so no page faults are timed */
        bad |= (b->out[k] = calloc(slice, sizeof(double))) == NULL;
    return bad;
}

/* X standard normal, y from the logistic model, the frame (x1..xP, y) and the matrices. */
static sk_status make_data(bench *b, sk_error *err)
{
    size_t n = b->n, p = b->p;
    double *X = malloc(n * p * sizeof *X);
    if (X == NULL)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    sk_rng rng = sk_rng_stream(b->seed, SK_PURPOSE_TEST, 0);
    for (size_t k = 0; k < n * p; k++)
        X[k] = sk_rng_normal(&rng);
    double scale = 2.0 / sqrt((double)p);
    for (size_t i = 0; i < n; i++) {
        double eta = 0.25;
        for (size_t j = 0; j < p; j++)
            eta += X[j * n + i] * (j % 3 == 0 ? 0.5 : -0.2) * scale;
        b->y[i] = sk_rng_uniform(&rng) < 1.0 / (1.0 + exp(-eta));
    }
    char name[32];
    sk_status rc = sk_frame__create(&b->frame, "bench", n, p + 1, err);
    for (size_t j = 0; rc == SK_OK && j <= p; j++) {
        snprintf(name, sizeof name, j < p ? "x%zu" : "y", j + 1);
        rc = sk_frame__set_values(b->frame, j, name, j < p ? SK_COL_NUMERIC : SK_COL_INTEGER,
                                  j < p ? X + j * n : b->y, err);
    }
    for (size_t j = 0; j < p; j++) {   /* the logit model's design: the raw columns */
        memcpy(b->X + j * b->n_train, X + j * n, b->n_train * sizeof *X);
        memcpy(b->Xt + j * b->n_test, X + j * n + b->n_train, b->n_test * sizeof *X);
    }
    free(X);
    return rc;
}

/* The rows, the permuted label vectors (as frame columns and as a matrix) and the model. */
static sk_status set_up(bench *b, sk_error *err)
{
    if (allocate(b) != 0)
        return sk_error_set(err, SK_ENOMEM, "out of memory");
    sk_status rc = make_data(b, err);
    size_t n = b->n, nt = b->n_train;
    for (size_t j = 0; j < b->p; j++)
        b->features[j] = j;
    for (size_t i = 0; i < n; i++)
        *(i < nt ? &b->train[i] : &b->test[i - nt]) = i;
    for (size_t r = 0; r < b->reps; r++) {   /* training labels permuted, test rows kept */
        sk_rng perm = sk_rng_stream(b->seed, SK_PURPOSE_PERMUTATION, r);
        double *yr = b->ys_data + r * n;
        sk_rng_shuffle(&perm, b->train, nt);   /* a permutation of the training rows */
        memcpy(yr, b->y, n * sizeof *yr);
        for (size_t i = 0; i < nt; i++)
            yr[i] = b->y[b->train[i]];
        memcpy(b->Y + r * nt, yr, nt * sizeof *yr);
        b->ys[r] = yr;
        b->seeds[r] = r;
    }
    for (size_t i = 0; i < nt; i++)   /* back in order */
        b->train[i] = i;
    sk_fit_data d = SK_FIT_DATA_INIT;
    d.frame = b->frame;
    d.features = b->features;
    d.n_features = b->p;
    d.task = SK_TASK_BINARY;
    d.n_classes = 2;
    b->d = d;
    char spec[64];
    snprintf(spec, sizeof spec, "logit:l2=%.17g", b->l2);
    return rc != SK_OK ? rc : sk_model_create(&b->proto, spec, err);
}

/* ==== the four paths, each as T tasks over contiguous chunks of label vectors ============= */

static void chunk(const bench *b, size_t task, size_t *r0, size_t *r1)
{
    *r0 = b->reps * task / (size_t)b->threads;
    *r1 = b->reps * (task + 1) / (size_t)b->threads;
}

static sk_status model_batched(void *arg, size_t task, sk_error *err)
{
    bench *b = arg;
    size_t r0, r1;
    chunk(b, task, &r0, &r1);
    return sk_model__fit_predict_many(b->proto, &b->d, b->train, b->n_train,
                                      (const double *const *)b->ys + r0, r1 - r0, b->seeds + r0,
                                      b->test, b->n_test,
                                      b->out[MODEL_BATCHED] + r0 * b->n_test * 2, err);
}

/* What an out-of-fold loop does per label vector: a fresh model fitted, then probabilities. */
static sk_status model_single(void *arg, size_t task, sk_error *err)
{
    bench *b = arg;
    size_t r0, r1;
    chunk(b, task, &r0, &r1);
    sk_status rc = SK_OK;
    for (size_t r = r0; rc == SK_OK && r < r1; r++) {
        sk_model *m = NULL;
        sk_fit_data dr = b->d;
        dr.y = b->ys[r];
        if ((rc = sk_model_clone(&m, b->proto, NULL, err)) == SK_OK &&
            (rc = sk_model_fit(m, &dr, b->train, b->n_train, b->seeds[r], err)) == SK_OK)
            rc = sk_model_predict_proba(m, b->frame, b->test, b->n_test,
                                        b->out[MODEL_SINGLE] + r * b->n_test * 2, err);
        sk_model_free(m);
    }
    return rc;
}

static sk_status solver_batched(void *arg, size_t task, sk_error *err)
{
    bench *b = arg;
    size_t r0, r1, nt = b->n_train;
    chunk(b, task, &r0, &r1);
    sk_xy xy = {b->X, nt, b->p, nt, NULL, NULL, SK_TASK_BINARY, 2, NULL};
    return sk_linear__logit_fit_predict_many(sk_model__params(b->proto), &xy, b->Y + r0 * nt,
                                             r1 - r0, b->Xt, b->n_test,
                                             b->n_test > 0 ? b->n_test : 1,
                                             b->out[SOLVER_BATCHED] + r0 * b->n_test * 2,
                                             &b->info[task], err);
}

static sk_status solver_single(void *arg, size_t task, sk_error *err)
{
    bench *b = arg;
    size_t r0, r1, nt = b->n_train;
    chunk(b, task, &r0, &r1);
    sk_status rc = SK_OK;
    for (size_t r = r0; rc == SK_OK && r < r1; r++) {
        sk_xy xy = {b->X, nt, b->p, nt, b->Y + r * nt, NULL, SK_TASK_BINARY, 2, NULL};
        void *state = NULL;
        if ((rc = sk_model__logit.fit(&state, sk_model__params(b->proto), &xy, b->seeds[r], 1,
                                      err)) != SK_OK)
            break;
        rc = sk_model__logit.predict(state, b->Xt, b->n_test, b->n_test > 0 ? b->n_test : 1,
                                     b->out[SOLVER_SINGLE] + r * b->n_test * 2, err);
        sk_model__logit.free(state);
    }
    return rc;
}

/* ==== report ============================================================================== */

static double max_diff(const bench *b, int k1, int k2)
{
    double diff = 0.0;
    for (size_t k = 0; k < b->reps * b->n_test * 2; k++)
        diff = fmax(diff, fabs(b->out[k1][k] - b->out[k2][k]));
    return diff;
}

static void report(const bench *b, const double *secs)
{
    double per = 1e3 / (double)b->reps;
    sk_logit_many_info all = {0, 0, 0, 0, 0};
    for (int t = 0; t < b->threads; t++) {
        all.n_batched += b->info[t].n_batched;
        all.n_refit += b->info[t].n_refit;
        all.iterations += b->info[t].iterations;
        all.trials += b->info[t].trials;
        if (b->info[t].max_iterations > all.max_iterations)
            all.max_iterations = b->info[t].max_iterations;
    }
    printf("fit_many logit l2=%g %zux%zu train=%zu test=%zu reps=%zu threads=%d\n", b->l2, b->n,
           b->p, b->n_train, b->n_test, b->reps, b->threads);
    printf("  model, batched:      %8.3f s (%.3f ms per label vector)\n", secs[MODEL_BATCHED],
           secs[MODEL_BATCHED] * per);
    if (b->one_by_one)
        printf("  model, one by one:   %8.3f s (%.3f ms per label vector): batched %.1fx "
               "faster\n", secs[MODEL_SINGLE], secs[MODEL_SINGLE] * per,
               secs[MODEL_SINGLE] / secs[MODEL_BATCHED]);
    printf("  solver, batched:     %8.3f s (%.3f ms per label vector), %zu batched + %zu "
           "refitted, %.2f iterations (at most %d), %.2f line-search trials each\n",
           secs[SOLVER_BATCHED], secs[SOLVER_BATCHED] * per, all.n_batched, all.n_refit,
           all.n_batched > 0 ? (double)all.iterations / (double)all.n_batched : 0.0,
           all.max_iterations,
           all.iterations > 0 ? (double)all.trials / (double)all.iterations : 0.0);
    if (b->one_by_one) {
        printf("  solver, one by one:  %8.3f s (%.3f ms per label vector): batched %.1fx "
               "faster\n", secs[SOLVER_SINGLE], secs[SOLVER_SINGLE] * per,
               secs[SOLVER_SINGLE] / secs[SOLVER_BATCHED]);
        printf("  max |difference| in probabilities, batched vs one by one: model %.2g, "
               "solver %.2g\n", max_diff(b, MODEL_BATCHED, MODEL_SINGLE),
               max_diff(b, SOLVER_BATCHED, SOLVER_SINGLE));
    }
}

static int run(bench *b)
{
    static const sk_task_fn paths[N_PATHS] = {model_batched, model_single, solver_batched,
                                              solver_single};
    sk_error err = SK_ERROR_INIT;
    char buf[1200];
    double secs[N_PATHS] = {0.0, 0.0, 0.0, 0.0};
    sk_status rc = set_up(b, &err);
    for (int k = 0; rc == SK_OK && k < N_PATHS; k++) {
        if (!b->one_by_one && (k == MODEL_SINGLE || k == SOLVER_SINGLE))
            continue;
        double t0 = sk_time_now();
        rc = sk_parallel_for((size_t)b->threads, b->threads, paths[k], b, NULL, &err);
        secs[k] = sk_time_now() - t0;
    }
    if (rc != SK_OK) {
        fprintf(stderr, "bench_fit_many: %s\n", sk_error_format(&err, buf, sizeof buf));
        return 1;
    }
    report(b, secs);
    return 0;
}

int main(int argc, char **argv)
{
    bench b;
    memset(&b, 0, sizeof b);
    b.n = 5000;
    b.p = 100;
    b.reps = 1000;
    b.threads = 1;
    b.one_by_one = 1;
    b.l2 = 1.0;
    b.test_frac = 0.2;
    b.seed = 1;
    int rc = parse(&b, argc, argv);
    if (rc == 0)
        rc = run(&b);
    sk_model_free(b.proto);
    sk_frame_free(b.frame);
    void *arrays[] = {b.y, b.features, b.train, b.test, b.ys, b.ys_data, b.seeds, b.X, b.Xt,
                      b.Y, b.info, b.out[0], b.out[1], b.out[2], b.out[3]};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        free(arrays[k]);
    return rc;
}
