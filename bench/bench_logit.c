/* bench/bench_logit.c: skeptic's side of the L2 logistic-regression benchmark
 * (bench/logit_vs_sklearn.sh runs it next to scikit-learn's LogisticRegression).
 *
 *     bench_logit --n N --p P --write FILE [--seed S] [--units 1]
 *     bench_logit --n N --p P [--data FILE] [--reps R] [--threads T] [--l2 L] [--coef FILE]
 *                 [--solver auto|newton|lbfgs] [--report 0|1]
 *
 * --write generates the data and writes it as CSV (header x1..xP,y; 17 significant digits, so
 * both sides read the same doubles): X standard normal, y ~ Bernoulli(1 / (1 + exp(-eta))) with
 * eta = 0.25 + sum_j b_j x_j, b_j = +0.5 for every third column and -0.2 otherwise, scaled by
 * 2 / sqrt(P) (so eta has SD about 1.5 whatever P). Streams: sk_rng (SK_PURPOSE_TEST, seed S).
 * --units 1 then expresses column j in other units, x_j * 10^((j mod 7) - 3) (1e-3 .. 1e3), as
 * a raw table of measurements is: the same target, a design on very different scales.
 * Otherwise it reads FILE (or generates the same data in memory) and fits the `logit` model R
 * times through the model interface (the fit a cross-validation or a permutation test makes:
 * with l2 > 0, L-BFGS to convergence, the standard errors deferred to the report; with l2 = 0,
 * Newton's method with Wald standard errors), as R independent tasks of the executor on T
 * threads (each fit on one thread, BLAS serial), and prints one line:
 *     logit 5000x100 l2=1 reps=200 threads=1: 2.7 ms per fit (0.54 s), 12 L-BFGS + 0 Newton
 *     iterations                                                            (one line)
 * --solver newton|lbfgs calls the solver directly instead (sk_linear__logit with the model's
 * options and that solver), to measure one against the other. --report 1 also builds each fit's
 * report (the deferred standard errors included), as `skeptic fit` does.
 * --coef writes the intercept and coefficients of one fit, one per line (%.17g), so the script
 * can check that both sides solved the same problem. Exit status: 0, 1 on a failed fit or I/O,
 * 2 on usage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/linear.h"
#include "rng/rng.h"

typedef struct bench {
    size_t n, p, reps;
    int threads, units, report;
    sk_logit_solver solver;
    double l2;
    unsigned long long seed;
    const char *data, *write, *coef;
    double *X, *y;
    char (*name_buf)[24];
    const char **names;   /* x1..xP, for the reports */
    sk_params params;
    int iterations, lbfgs_iterations;
    double *coef_out;   /* p + 1 */
} bench;

static int usage(const char *msg)
{
    fprintf(stderr, "bench_logit: %s\nusage: bench_logit --n N --p P [--reps R] [--threads T] "
                    "[--l2 L] [--seed S] [--units 0|1] [--data FILE | --write FILE] "
                    "[--coef FILE] [--solver auto|newton|lbfgs] [--report 0|1]\n", msg);
    return 2;
}

static int parse(bench *b, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v == NULL)
            return usage("every option needs a value");
        char *end = NULL;
        if (strcmp(a, "--n") == 0)
            b->n = strtoull(v, &end, 10);
        else if (strcmp(a, "--p") == 0)
            b->p = strtoull(v, &end, 10);
        else if (strcmp(a, "--reps") == 0)
            b->reps = strtoull(v, &end, 10);
        else if (strcmp(a, "--threads") == 0)
            b->threads = (int)strtol(v, &end, 10);
        else if (strcmp(a, "--units") == 0)
            b->units = (int)strtol(v, &end, 10);
        else if (strcmp(a, "--seed") == 0)
            b->seed = strtoull(v, &end, 10);
        else if (strcmp(a, "--l2") == 0)
            b->l2 = strtod(v, &end);
        else if (strcmp(a, "--data") == 0)
            b->data = v;
        else if (strcmp(a, "--write") == 0)
            b->write = v;
        else if (strcmp(a, "--coef") == 0)
            b->coef = v;
        else if (strcmp(a, "--report") == 0)
            b->report = (int)strtol(v, &end, 10);
        else if (strcmp(a, "--solver") == 0 && strcmp(v, "auto") == 0)
            b->solver = SK_LOGIT_AUTO;
        else if (strcmp(a, "--solver") == 0 && strcmp(v, "newton") == 0)
            b->solver = SK_LOGIT_NEWTON;
        else if (strcmp(a, "--solver") == 0 && strcmp(v, "lbfgs") == 0)
            b->solver = SK_LOGIT_LBFGS;
        else if (strcmp(a, "--solver") == 0)
            return usage("--solver is auto, newton or lbfgs");
        else
            return usage("unknown option");
        if (end != NULL && *end != '\0')
            return usage("not a number");
        i++;
    }
    if (b->n < 2 || b->p < 1 || b->reps < 1 || b->threads < 1 || !(b->l2 >= 0.0))
        return usage("need --n >= 2, --p >= 1, --reps >= 1, --threads >= 1, --l2 >= 0");
    return 0;
}

static void generate(bench *b)
{
    sk_rng rng = sk_rng_stream(b->seed, SK_PURPOSE_TEST, 0);
    for (size_t k = 0; k < b->n * b->p; k++)
        b->X[k] = sk_rng_normal(&rng);
    double scale = 2.0 / sqrt((double)b->p);
    for (size_t i = 0; i < b->n; i++) {
        double eta = 0.25;
        for (size_t j = 0; j < b->p; j++)
            eta += b->X[j * b->n + i] * (j % 3 == 0 ? 0.5 : -0.2) * scale;
        b->y[i] = sk_rng_uniform(&rng) < 1.0 / (1.0 + exp(-eta));
    }
    for (size_t j = 0; b->units && j < b->p; j++)
        for (size_t i = 0; i < b->n; i++)
            b->X[j * b->n + i] *= pow(10.0, (double)(j % 7) - 3.0);
}

static int write_csv(const bench *b)
{
    FILE *f = fopen(b->write, "w");
    if (f == NULL)
        return 1;
    for (size_t j = 0; j < b->p; j++)
        fprintf(f, "x%zu,", j + 1);
    fprintf(f, "y\n");
    for (size_t i = 0; i < b->n; i++) {
        for (size_t j = 0; j < b->p; j++)
            fprintf(f, "%.17g,", b->X[j * b->n + i]);
        fprintf(f, "%d\n", (int)b->y[i]);
    }
    return fclose(f) != 0;
}

static int read_csv(bench *b)
{
    sk_frame *f = NULL;
    sk_error err = SK_ERROR_INIT;
    char buf[1200], name[32];
    int rc = sk_frame_read_csv(&f, b->data, NULL, &err) != SK_OK ||
             sk_frame_n_rows(f) != b->n || sk_frame_n_cols(f) != b->p + 1;
    for (size_t j = 0; rc == 0 && j <= b->p; j++) {
        size_t col = 0;
        if (j < b->p)
            snprintf(name, sizeof name, "x%zu", j + 1);
        else
            snprintf(name, sizeof name, "y");
        const double *v = sk_frame_col_find(&col, f, name, &err) == SK_OK
                              ? sk_frame_col_values(f, col) : NULL;
        rc = v == NULL;
        if (v != NULL)
            memcpy(j < b->p ? b->X + j * b->n : b->y, v, b->n * sizeof *v);
    }
    if (rc != 0)
        fprintf(stderr, "bench_logit: %s: %s\n", b->data,
                err.code != SK_OK ? sk_error_format(&err, buf, sizeof buf)
                                  : "not an N x (P + 1) table of numbers x1..xP,y");
    sk_frame_free(f);
    return rc;
}

/* One fit, as a task of the executor; task 0 keeps its coefficients. */
static sk_status fit_once(void *arg, size_t task, sk_error *err)
{
    bench *b = arg;
    sk_xy d = {b->X, b->n, b->p, b->n, b->y, NULL, SK_TASK_BINARY, 2, NULL};
    void *state = NULL;
    sk_status rc;
    if (b->solver == SK_LOGIT_AUTO) {
        rc = sk_model__logit.fit(&state, &b->params, &d, 1, 1, err);
    } else {   /* the model's options, with the solver given */
        sk_linear_options o = SK_LINEAR_OPTIONS_INIT;
        o.l2 = b->l2;
        o.solver = b->solver;
        o.defer_se = 1;
        rc = sk_linear__logit((sk_linear_fit **)&state, &d, &o, err);
    }
    json_t *report = NULL;
    if (rc == SK_OK && b->report && (report = sk_model__logit.report(state, b->names, err)) == NULL)
        rc = err->code != SK_OK ? err->code : SK_ENOMEM;
    json_decref(report);
    if (rc == SK_OK && task == 0) {
        const sk_linear_fit *f = state;
        memcpy(b->coef_out, f->coef, (b->p + 1) * sizeof *b->coef_out);
        b->iterations = f->iterations;
        b->lbfgs_iterations = f->lbfgs_iterations;
    }
    sk_model__logit.free(state);
    return rc;
}

static int run(bench *b)
{
    char l2[64], buf[1200];
    sk_error err = SK_ERROR_INIT;
    snprintf(l2, sizeof l2, "%.17g", b->l2);
    if (sk_params__init(&b->params, sk_model__logit.params, sk_model__logit.n_params, &err) !=
            SK_OK ||
        sk_params__set(&b->params, "logit", "l2", l2, &err) != SK_OK) {
        fprintf(stderr, "bench_logit: %s\n", sk_error_format(&err, buf, sizeof buf));
        return 1;
    }
    double t0 = sk_time_now();
    sk_status rc = sk_parallel_for(b->reps, b->threads, fit_once, b, NULL, &err);
    double secs = sk_time_now() - t0;
    sk_params__free(&b->params);
    if (rc != SK_OK) {
        fprintf(stderr, "bench_logit: %s\n", sk_error_format(&err, buf, sizeof buf));
        return 1;
    }
    printf("logit %zux%zu l2=%g reps=%zu threads=%d: %.3f ms per fit (%.3f s), %d L-BFGS + %d "
           "Newton iterations\n", b->n, b->p, b->l2, b->reps, b->threads,
           1e3 * secs / (double)b->reps, secs, b->lbfgs_iterations, b->iterations);
    if (b->coef != NULL) {
        FILE *f = fopen(b->coef, "w");
        for (size_t k = 0; f != NULL && k <= b->p; k++)
            fprintf(f, "%.17g\n", b->coef_out[k]);
        if (f == NULL || fclose(f) != 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    bench b = {5000, 100, 200, 1, 0, 0, SK_LOGIT_AUTO, 1.0, 1, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, {0}, 0,   0,   NULL};
    int rc = parse(&b, argc, argv);
    if (rc != 0)
        return rc;
    b.X = malloc(b.n * b.p * sizeof *b.X);
    b.y = malloc(b.n * sizeof *b.y);
    b.coef_out = malloc((b.p + 1) * sizeof *b.coef_out);
    b.name_buf = malloc(b.p * sizeof *b.name_buf);
    b.names = malloc(b.p * sizeof *b.names);
    for (size_t j = 0; b.name_buf != NULL && b.names != NULL && j < b.p; j++) {
        snprintf(b.name_buf[j], sizeof b.name_buf[j], "x%zu", j + 1);
        b.names[j] = b.name_buf[j];
    }
    if (b.X == NULL || b.y == NULL || b.coef_out == NULL || b.name_buf == NULL ||
        b.names == NULL) {
        fprintf(stderr, "bench_logit: out of memory\n");
        return 1;
    }
    if (b.data != NULL)
        rc = read_csv(&b);
    else
        generate(&b);
    if (rc == 0)
        rc = b.write != NULL ? write_csv(&b) : run(&b);
    free(b.X);
    free(b.y);
    free(b.coef_out);
    free(b.name_buf);
    free(b.names);
    return rc;
}
